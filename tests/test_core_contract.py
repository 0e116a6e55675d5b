"""The core's contract (issue 10): no value makes parse_value or score_indicator raise; NaN, ±inf and
numbers beyond a double's range are unscorable with a reason; 0 ≤ points ≤ weight after rounding;
a bare number against a % target is a fraction only when the cell is a percentage or |x| ≤ 1.

The hypothesis strategies here are shared with bench/bench_properties.py, which runs the same
property for 100,000+ examples.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import RuleSet, Score, Value, ValueKind, execution_score, parse_value, score_indicator
from jixiao.core.values import MAX_CELL_CHARS

# -- strategies ----------------------------------------------------------------------------------

_FORM_ALPHABET = (
    "0123456789.,%％≥≤≧≦<>=＝═-—~_/ 次人个万元名之前以上以内不低于超过及有所提升无"
    "年月日底前完成按期时逾延季度上半e+奋斗必达"
)
form_text = st.text(alphabet=_FORM_ALPHABET, max_size=24)
odd_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.sampled_from([10**400, -(10**400), Decimal("sNaN"), Decimal("1e400"), 1e308, -1e308, 5e-324]),
)
cell_values = st.one_of(
    form_text,
    st.text(max_size=40),
    odd_numbers,
    st.dates(),
    st.datetimes(),
    st.none(),
    st.booleans(),
    st.sampled_from(["1e400", "1" + "0" * 400, "0-10", "-5", "2次/0天", "1-2次/30天", "≥95%", "12月底前"]),
    st.lists(st.integers(), max_size=2),
)
# Weights with more decimals than the rules round to (2.005) are where rounding used to overshoot.
weights = st.one_of(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 2.005, 0.125, 1e300]),
)
rule_sets = st.sampled_from(
    [
        RuleSet(),
        RuleSet(reverse="linear"),
        RuleSet(decimals=1),
        RuleSet(decimals=0),
        RuleSet(equal="exact"),
        RuleSet(zero_target="unscorable"),
    ]
)
names = st.one_of(st.none(), form_text, st.sampled_from(["年度资金支付完成率100%", "满意度(≥90%)"]))


def check_contract(target, actual, weight, rules, name, target_percent, actual_percent) -> Score:
    """The property: a Score comes back, its points lie in [0, weight], an unscorable row says why."""
    for value in (target, actual):
        parsed = parse_value(value)
        assert isinstance(parsed.kind, ValueKind) and isinstance(parsed.display, str)
        assert parsed.kind is not ValueKind.UNREADABLE or parsed.note
        assert all(math.isfinite(x) for x in parsed.numbers)
    score = score_indicator(
        target,
        actual,
        weight,
        rules=rules,
        name=name,
        target_percent=target_percent,
        actual_percent=actual_percent,
    )
    w = float(weight)
    if score.scorable:
        assert score.low is not None and score.high is not None
        assert 0 <= score.low <= score.high <= w
        if score.points is not None:
            assert score.low == score.points == score.high
    else:
        assert score.points is None and score.low is None and score.high is None
        assert score.reason and any("\u4e00" <= ch <= "\u9fff" for ch in score.reason)
    return score


@settings(max_examples=300, deadline=None)
@given(cell_values, cell_values, weights, rule_sets, names, st.booleans(), st.booleans())
def test_no_value_makes_the_core_raise_and_points_stay_within_the_weight(
    target, actual, weight, rules, name, target_percent, actual_percent
):
    check_contract(target, actual, weight, rules, name, target_percent, actual_percent)


# -- numbers a double cannot hold ------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        10**400,
        -(10**400),
        float("nan"),
        float("inf"),
        -float("inf"),
        Decimal("sNaN"),
        Decimal("1e400"),
        Fraction(10**400, 3),
        "1" + "0" * 400,
        "≥" + "9" * 400 + "%",
    ],
)
def test_numbers_beyond_a_double_are_unreadable_with_a_reason(number):
    value = parse_value(number)
    assert value.kind is ValueKind.UNREADABLE
    assert "超出" in value.note or "不是有限数值" in value.note
    score = score_indicator("≥95%", number, 5)
    assert not score.scorable and score.reason.startswith("实际完成值无法识别")
    assert not score_indicator(number, "96%", 5).scorable


def test_a_weight_a_double_cannot_hold_is_the_documented_value_error():
    for weight in (10**400, float("nan"), float("inf"), Decimal("sNaN"), -1):
        with pytest.raises(ValueError, match="分值"):
            score_indicator("≥95%", "96%", weight)
    with pytest.raises(ValueError, match="二级指标"):
        score_indicator("≥95%", "96%", 5, category=3)
    with pytest.raises(ValueError, match="RuleSet"):
        score_indicator("≥95%", "96%", 5, rules="default")
    with pytest.raises(ValueError, match="指标名称"):
        score_indicator("", "96%", 5, name=100)


def test_a_value_built_by_hand_without_its_numbers_is_unscorable_not_an_index_error():
    broken = Value(ValueKind.QUANTITY, "95%", numbers=(), unit="%")
    score = score_indicator(broken, "96%", 5)
    assert not score.scorable and "数值个数" in score.reason
    nan_value = Value(ValueKind.QUANTITY, "95%", numbers=(math.nan,), unit="%")
    assert "超出" in score_indicator("≥95%", nan_value, 5).reason


def test_conversions_that_overflow_are_unscorable():
    # A 305-digit number of 亿元 is a finite double (≈1e305), but in 元 it is ≈1e313: beyond range.
    huge = "9" * 305 + "亿元"
    assert math.isfinite(parse_value(huge).numbers[0])
    score = score_indicator("≤100元", huge, 5)
    assert not score.scorable and "超出" in score.reason


def test_an_open_actual_on_a_weight_of_zero_is_no_nan():
    # Found by the 100,000-example run: "<0" is (−inf, 0); 0 × −inf is NaN, which ROUND refused.
    score = score_indicator(1.0, "<0", 0)
    assert not score.scorable and "只给出了范围" in score.reason
    # ">0" against ≥1 on weight 0: every reading scores 0.
    score = score_indicator(1.0, ">0", 0)
    assert score.points == 0.0 and score.reason == "正向指标：分值为 0，得 0 分"


# -- division by zero -----------------------------------------------------------------------------


def test_below_a_range_starting_at_zero_scores_zero_instead_of_dividing_by_it():
    # "0-10" vs -5: the rule w × B ÷ lower bound divides by 0; below a bound of 0 misses it: 0 points.
    score = score_indicator("0-10", "-5", 1)
    assert score.points == 0.0 and "低于区间下限" in score.reason
    assert score_indicator("0-10", "5", 1).points == 1.0  # inside
    # Above 10: 1 × 10 ÷ 20 = 0.5 (the upper bound is positive, so the ratio still applies).
    assert score_indicator("0-10", "20", 1).points == 0.5


def test_a_period_of_zero_days_cannot_be_converted():
    score = score_indicator("1-2次/30天", "2次/0天", 1)
    assert not score.scorable and "周期不一致" in score.reason


# -- rounding never pushes points above the weight ------------------------------------------------


def test_points_are_rounded_then_capped_at_the_weight():
    # ROUND(2.005, 2) = 2.01 > 2.005: the cap comes after rounding, so a met row scores 2.005.
    assert score_indicator("≥95%", "95%", 2.005).points == 2.005
    # ROUND(0.125, 2) = 0.13 > 0.125.
    assert score_indicator("≥95%", "96%", 0.125).points == 0.125
    # Below the weight rounding is untouched: 2.005 × 90 ÷ 95 = 1.8994… → 1.90.
    assert score_indicator("≥95%", "90%", 2.005).points == 1.9
    # 执行率 100 %: ROUND(2.005 × 1, 2) = 2.01 → capped at 2.005.
    assert execution_score(100, 100, 2.005) == 2.005
    band = score_indicator("有所提升", "明显提升", 2.005)
    assert band.high == 2.005 and band.low == 1.6  # 0.8 × 2.005 = 1.604 → 1.6


# -- bare numbers against a percentage target -----------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "percent", "expected", "shown"),
    [
        # |x| ≤ 1 in an unformatted cell is a fraction: 0.95 → 95% ≥ 95% → full 4.
        (0.95, False, 4.0, "95%"),
        (1, False, 4.0, "100%"),
        # 0.9 → 90%: 4 × 90 ÷ 95 = 3.789… → 3.79.
        (0.9, False, 3.79, "90%"),
        # 2 is 2%, never 200%: 4 × 2 ÷ 95 = 0.0842… → 0.08.
        (2.0, False, 0.08, "2%"),
        # 2.1 is 2.1%: 4 × 2.1 ÷ 95 = 0.0884… → 0.09 (2.0 and 2.1 now read alike).
        (2.1, False, 0.09, "2.1%"),
        # 96 typed in an unformatted cell: 96 ≥ 95 → full.
        (96, False, 4.0, "96%"),
        # A percent-formatted cell holding 1.05 shows 105%: full.
        (1.05, True, 4.0, "105%"),
        # Unformatted 1.05 is 1.05%: 4 × 1.05 ÷ 95 = 0.0442… → 0.04.
        (1.05, False, 0.04, "1.05%"),
        # A percent-formatted 0.5 is 50%: 4 × 50 ÷ 95 = 2.105… → 2.11.
        (0.5, True, 2.11, "50%"),
    ],
)
def test_a_bare_number_is_a_fraction_only_when_formatted_or_at_most_one(actual, percent, expected, shown):
    score = score_indicator("≥95%", actual, 4, actual_percent=percent)
    assert score.points == expected
    assert shown in score.reason


def test_a_percent_formatted_target_cell():
    # 0.95 formatted as a percentage is the target 95%: actual 90% → 4 × 90 ÷ 95 = 3.79.
    assert score_indicator(0.95, "90%", 4, target_percent=True).points == 3.79
    assert score_indicator(0.95, "96%", 4, target_percent=True).points == 4.0
    value = parse_value(0.07, percent=True)
    assert (value.numbers, value.unit, value.display) == ((7.0,), "%", "7%")  # not 7.000000000000001
    assert parse_value("95", percent=True).unit is None  # text says its own unit


# -- long and hostile text ------------------------------------------------------------------------


def test_only_excels_cell_limit_of_text_is_read():
    text = "有所提升" + "很" * 40000
    value = parse_value(text)
    assert len(value.source) == MAX_CELL_CHARS
    score = score_indicator("有所提升", text, 5)
    assert score.scorable and len(score.reason) < 300  # long cells are quoted by their start


def test_the_rank_tiers_phrase_is_read_without_backtracking():
    # The old regular expression took over a minute on this 32,000-character text.
    text = "1名" + "奋斗" * 16000
    assert parse_value(text).kind is ValueKind.UNREADABLE
    tiers = parse_value("85名奋斗目标，90名必达目标")
    assert tiers.kind is ValueKind.RANK_TIERS and tiers.numbers == (85.0, 90.0)


def test_the_merged_cell_artefact_is_still_read():
    value = parse_value("≥9595及以上")
    assert value.numbers == (95.0,) and value.unit == "%"
    assert parse_value("≥" + "9" * 20001 + "及以上").kind is ValueKind.UNREADABLE  # odd length: not doubled


def test_other_objects_are_unreadable_not_errors():
    for thing in ([1, 2], {"a": 1}, object(), b"95%", 3 + 4j):
        value = parse_value(thing)
        assert value.kind is ValueKind.UNREADABLE and value.note
        assert not score_indicator("≥95%", thing, 5).scorable
    assert parse_value(datetime.date(2021, 12, 31)).kind is ValueKind.DEADLINE
