"""The public API's contract: rule variants, input errors, grades, roll-up, records."""

from __future__ import annotations

import pytest

import jixiao
from jixiao import (
    RuleSet,
    ScoreKind,
    ValueKind,
    excel_round,
    execution_rate,
    execution_score,
    grade,
    parse_value,
    roll_up,
    roll_up_scores,
    score_indicator,
    weighted_average,
)
from jixiao.core.records import Agreement, agreement, decimals_written

LINEAR = RuleSet(reverse="linear")


def test_public_names_are_importable_from_the_package():
    for name in (
        "parse_value",
        "execution_rate",
        "execution_score",
        "score_indicator",
        "grade",
        "weighted_average",
        "excel_round",
        "RuleSet",
        "Value",
        "Score",
    ):
        assert hasattr(jixiao, name), name


def test_core_imports_no_spreadsheet_library():
    import subprocess
    import sys

    code = (
        "import sys, jixiao, jixiao.core.records;"
        "bad = [m for m in ('openpyxl', 'xlwings', 'xlsxwriter') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


# -- 反向 variants --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected"),
    [
        ("≤8%", "10%", 4, 3.2),  # 4 × 8 / 10 = 3.2
        ("≤48小时", "60小时", 5, 4.0),  # 5 × 48 / 60 = 4
        ("≤8%", "6%", 4, 4.0),  # under the ceiling: full
        ("<1%", "0%", 8, 8.0),  # B = 0 → w
    ],
)
def test_reverse_ratio(target, actual, weight, expected):
    score = score_indicator(target, actual, weight)
    assert score.kind is ScoreKind.AT_MOST
    assert score.points == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("8%", 4.0),  # B ≤ A → w
        ("10%", 3.0),  # 4 × (1 − (10 − 8) / 8) = 4 × 0.75 = 3
        ("12%", 2.0),  # 4 × (1 − 4/8) = 2
        ("16%", 0.0),  # B = 2A → 0
        ("30%", 0.0),  # B > 2A → 0
    ],
)
def test_reverse_linear_decay(actual, expected):
    assert score_indicator("≤8%", actual, 4, rules=LINEAR).points == expected


def test_reverse_linear_reason_names_the_formula():
    reason = score_indicator("≤8%", "10%", 4, rules=LINEAR).reason
    assert "线性" in reason
    assert "= 3" in reason


def test_zero_target_all_or_nothing_and_unscorable_variant():
    assert score_indicator("0%", "0%", 5).points == 5
    assert score_indicator("0%", "1%", 5).points == 0
    judged = score_indicator("0%", "1%", 5, rules=RuleSet(zero_target="unscorable"))
    assert not judged.scorable
    assert "0" in judged.reason


def test_equal_target_scored_like_at_least_by_default_and_exact_variant():
    assert score_indicator("=8个", "6个", 4).points == 3.0  # 4 × 6 / 8
    assert score_indicator("=8个", "9个", 4).points == 4.0
    exact = RuleSet(equal="exact")
    assert score_indicator("=8个", "8个", 4, rules=exact).points == 4.0
    assert score_indicator("=8个", "9个", 4, rules=exact).points == 0.0


def test_qualitative_bands_default_and_variant():
    achieved = score_indicator("有所提升", "有所提升", 10)
    assert (achieved.points, achieved.low, achieved.high) == (None, 8.0, 10.0)
    partial = score_indicator("有所提升", "部分达成预期指标并具有一定效果", 10)
    assert (partial.low, partial.high) == (5.0, 8.0)
    failed = score_indicator("有所提升", "未达成预期指标且效果较差", 10)
    assert (failed.low, failed.high) == (0.0, 5.0)
    variant = score_indicator("有所提升", "部分达成", 10, rules=RuleSet(qualitative_bands=(0.8, 0.6)))
    assert (variant.low, variant.high) == (6.0, 8.0)


@pytest.mark.parametrize(("decimals", "expected"), [(2, 5.63), (1, 5.6), (0, 6.0)])
def test_decimals(decimals, expected):
    # 6 × 75 / 80 = 5.625
    assert score_indicator("≥80%", "75%", 6, rules=RuleSet(decimals=decimals)).points == expected


def test_bare_reading_is_configurable_per_category():
    # A bare amount is a ceiling for 成本指标 by default …
    assert score_indicator("20万元", "25万元", 7, category="成本指标（7分）").points == 5.6  # 7 × 20 / 25
    # … and a floor elsewhere.
    assert score_indicator("20万元", "25万元", 7, category="数量指标").points == 7.0
    rules = RuleSet(bare_reading=(("成本指标", "at_most"), ("时效指标", "at_most")))
    assert score_indicator("10天", "12天", 6, category="时效指标", rules=rules).points == 5.0  # 6 × 10 / 12


def test_units_money_and_periods_convert():
    assert score_indicator("≤10万元", "120000元", 6).points == 5.0  # 6 × 10 / 12
    assert score_indicator("1次/月", "12次/年", 2).points == 2.0
    assert score_indicator("≥2次/月", "12次/年", 2).points == 1.0  # 12/年 = 1/月; 2 × 1 / 2
    assert score_indicator("≥4次/季度", "1次/月", 3).points == 2.25  # 1/月 = 3/季度; 3 × 3 / 4
    # 2/月 = 2 × 7 / (365/12) per week = 0.4603; 2 × 0.4603 / 1 = 0.92
    assert score_indicator("≥1次/周", "2次/月", 2).points == 0.92


def test_incomparable_units_are_unscorable():
    score = score_indicator("≥95%", "12个", 2)
    assert not score.scorable
    assert "单位" in score.reason


def test_excel_cells_holding_fractions_read_as_percentages():
    # A cell showing 75% holds 0.75.
    assert score_indicator("≥80%", 0.75, 6).points == 5.63
    assert score_indicator("≥80%", 75, 6).points == 5.63


def test_weight_zero_scores_zero():
    assert score_indicator("≥80%", "90%", 0).points == 0.0


@pytest.mark.parametrize("bad", [None, "abc", -1, True, [1], float("nan")])
def test_bad_weight_raises_value_error_with_explanation(bad):
    with pytest.raises(ValueError, match="分值"):
        score_indicator("≥80%", "90%", bad)


def test_wrong_types_raise_value_error():
    with pytest.raises(ValueError, match="RuleSet"):
        score_indicator("≥80%", "90%", 1, rules={"decimals": 1})
    with pytest.raises(ValueError, match="二级指标"):
        score_indicator("≥80%", "90%", 1, category=3)
    with pytest.raises(ValueError, match="预算数"):
        execution_rate("很多", 1)
    with pytest.raises(ValueError, match="excel_round"):
        excel_round("5.625", 2)


def test_unreadable_values_are_flagged_not_raised():
    for text in ("《洪山文史》第27辑", object(), b"bytes"):
        score = score_indicator(text, "100%", 1)
        assert not score.scorable
        assert score.reason


def test_rule_set_validates_its_fields():
    with pytest.raises(ValueError, match="reverse"):
        RuleSet(reverse="log")
    with pytest.raises(ValueError, match="qualitative_bands"):
        RuleSet(qualitative_bands=(0.5, 0.8))
    with pytest.raises(ValueError, match="decimals"):
        RuleSet(decimals=-1)
    with pytest.raises(ValueError, match="grade_bands"):
        RuleSet(grade_bands=(("优", 80), ("良", 90)))


def test_rule_sets_are_hashable_and_comparable():
    assert hash(RuleSet()) == hash(RuleSet())
    assert RuleSet(decimals=1) != RuleSet()
    assert RuleSet().with_changes(decimals=1) == RuleSet(decimals=1)


# -- execution --------------------------------------------------------------------------------


def test_execution_rate_none_for_zero_or_blank_budget():
    assert execution_rate(0, 10) is None
    assert execution_rate(None, 10) is None
    assert execution_rate("", 10) is None
    assert execution_rate("---", 10) is None


def test_execution_rate_reads_ocr_and_thousands_text():
    assert execution_rate("1609. 99", "1581.05") == pytest.approx(1581.05 / 1609.99)
    assert execution_rate("4,591.73", "4,591.73") == 1.0


def test_execution_score_capped_at_weight_unless_configured():
    assert execution_score(100, 120, 20) == 20.0
    assert execution_score(100, 120, 20, RuleSet(execution_cap=False)) == 24.0


def test_execution_score_without_budget_explains():
    with pytest.raises(ValueError, match="预算数为 0 或空白"):
        execution_score(0, 10, 20)


# -- grades, averages, roll-up ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (96.70, "优"),
        (90, "优"),
        (89.99, "良"),
        (80, "良"),
        (79.99, "中"),
        (60, "中"),
        (59.99, "差"),
        (0, "差"),
    ],
)
def test_grade_bands(total, expected):
    assert grade(total) == expected


def test_grade_custom_bands():
    rules = RuleSet(grade_bands=(("优秀", 85), ("合格", 60), ("不合格", 0)))
    assert grade(86, rules) == "优秀"
    assert grade(59, rules) == "不合格"


def test_weighted_average_skips_blanks_and_checks_lengths():
    assert weighted_average([0.9, None, 1.0], [100, 50, 300]) == pytest.approx((90 + 300) / 400)
    assert weighted_average([None], [1]) is None
    with pytest.raises(ValueError, match="个数"):
        weighted_average([1, 2], [1])


def test_roll_up_sums_absolutes_and_weights_rates_by_funds():
    # seed 003 备注 2: 绝对值直接累加，相对值按资金额度加权平均
    assert roll_up(["3项", "2项", "---"], [100, 50, 10]).numbers == (5.0,)
    rate = roll_up(["≥90%", "≥100%"], [100, 300])
    assert rate.comparator is not None and rate.comparator.value == "≥"
    assert rate.numbers[0] == pytest.approx(97.5)  # (90×100 + 100×300) / 400
    assert rate.display == "≥97.5%"
    assert roll_up(["1万元", "5000元"], [1, 1]).numbers == (1.5,)


def test_roll_up_refuses_mixed_or_qualitative_values():
    with pytest.raises(ValueError, match="比较符号"):
        roll_up(["≥90%", "≤5%"], [1, 1])
    with pytest.raises(ValueError, match="roll_up_scores"):
        roll_up(["有所提升"], [1])


def test_roll_up_scores_fund_weighted_and_rounded():
    # (1 × 300 + 0.5 × 100) / 400 = 0.875 → 0.88
    assert roll_up_scores([1, 0.5], [300, 100]) == 0.88


# -- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "low", "high", "expected"),
    [
        (17.6, 17.58, 17.58, Agreement.ROUNDING),  # seed 002 其他支出 执行率: one decimal kept
        (18, 19.64, 19.64, Agreement.SUBSTANTIVE),  # seed 000 执行率 98.20 % scored 18
        (0.3, 0.38, 0.38, Agreement.SUBSTANTIVE),  # seed 002 质量指标2
        (0.5, 0.4, 0.5, Agreement.MATCH),
        (0.5, None, None, Agreement.UNDECIDABLE),
        (None, 1, 1, Agreement.NOT_REPORTED),
    ],
)
def test_agreement(reported, low, high, expected):
    assert agreement(reported, low, high) is expected


@pytest.mark.parametrize(("x", "digits"), [(17.6, 1), (18, 0), (0.38, 2), (5.625, 3)])
def test_decimals_written(x, digits):
    assert decimals_written(x) == digits


def test_value_kinds_of_placeholders():
    for text in ("", "---", "—", "-", "_", None, "  "):
        assert parse_value(text).kind is ValueKind.PLACEHOLDER
    assert parse_value("无").kind is ValueKind.NONE


def test_at_least_zero_target_never_divides_by_zero():
    assert score_indicator("≥0", "-3", 2).points == 0.0
    assert score_indicator("≥0", "0", 2).points == 2.0


def test_zero_or_negative_ceilings_are_all_or_nothing():
    # "≤-1": a ratio against a negative ceiling means nothing; met → w, missed → 0.
    assert score_indicator("≤-1", "-2", 3).points == 3.0
    assert score_indicator("≤-1", "0", 3).points == 0.0
    assert score_indicator("0%", "2%", 5).reason.endswith("得 0 分")
