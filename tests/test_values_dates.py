"""Deadlines and dates (时效 rows) and targets written in the indicator's name (issue 10).

Every expected value is worked by hand from the rule in docs/评分规则.md: a deadline is met (full
weight) when the actual is on or before its last day, missed (0) when the actual starts after it.
"""

from __future__ import annotations

import datetime

import pytest

from jixiao import Comparator, ScoreKind, ValueKind, parse_value, score_indicator
from jixiao.core.names import target_in_name

# -- reading dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "first", "last", "before", "display"),
    [
        ("2021年12月完成", 2021, (12, 1), (12, 31), False, "2021年12月"),
        ("12月底前", None, (12, 31), (12, 31), True, "12月底前"),
        ("11月30日前", None, (11, 30), (11, 30), True, "11月30日前"),
        ("2021年12月31日前", 2021, (12, 31), (12, 31), True, "2021年12月31日前"),
        ("２０２１年１２月３１日前", 2021, (12, 31), (12, 31), True, "2021年12月31日前"),  # full-width
        ("于2021年11月20日完成", 2021, (11, 20), (11, 20), False, "2021年11月20日"),
        ("十二月底前完成", None, (12, 31), (12, 31), True, "12月底前"),
        ("年底前", None, (12, 31), (12, 31), True, "年底前"),
        ("第四季度", None, (10, 1), (12, 31), False, "第4季度"),
        ("2021年上半年", 2021, (1, 1), (6, 30), False, "2021年上半年"),
        ("2021-12-31", 2021, (12, 31), (12, 31), False, "2021年12月31日"),
        ("2021/6", 2021, (6, 1), (6, 30), False, "2021年6月"),
        ("2021.12前", 2021, (12, 1), (12, 31), True, "2021年12月前"),
        ("12月底前拨付到位", None, (12, 31), (12, 31), True, "12月底前"),
        ("2月底前", None, (2, 29), (2, 29), True, "2月底前"),  # no year: February may have 29 days
        ("2022年2月底", 2022, (2, 28), (2, 28), False, "2022年2月底"),
        ("11月下旬", None, (11, 21), (11, 30), False, "11月下旬"),
    ],
)
def test_dates_are_read_as_the_stretch_of_calendar_they_name(text, year, first, last, before, display):
    value = parse_value(text)
    assert value.kind is ValueKind.DEADLINE
    assert (value.dates.year, value.dates.first, value.dates.last) == (year, first, last)
    assert (value.comparator is Comparator.AT_MOST) == before
    assert value.display == display


@pytest.mark.parametrize("text", ["按期完成", "按时完成", "如期完成", "按计划完成"])
def test_on_schedule_targets_are_deadlines_without_a_date(text):
    value = parse_value(text)
    assert value.kind is ValueKind.DEADLINE and value.dates is None and value.display == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("12个月", ValueKind.QUANTITY),  # a duration, not December
        ("2021.12", ValueKind.QUANTITY),  # a number unless a word after it makes it a date
        ("1次/月", ValueKind.QUANTITY),
        ("2000-3000元", ValueKind.RANGE),  # 3000 is no month
        ("2月30日前", ValueKind.UNREADABLE),  # no such day
        ("2021年12月召开会议1次", ValueKind.UNREADABLE),  # words around the date that are not a deadline
        ("按期完成率", ValueKind.QUALITATIVE),
    ],
)
def test_what_is_not_a_date(text, kind):
    assert parse_value(text).kind is kind


def test_a_date_cell_is_the_day_it_holds():
    value = parse_value(datetime.datetime(2021, 11, 3, 0, 0))
    assert value.kind is ValueKind.DEADLINE and value.dates.first == value.dates.last == (11, 3)
    assert value.dates.year == 2021


# -- scoring deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "points", "words"),
    [
        # Same month: the actual's last possible day (12-31) is not after the deadline (12-31): met.
        ("2021年12月完成", "2021年12月完成", 5.0, "不晚于"),
        ("2021年12月完成", "2021年11月20日", 5.0, "不晚于"),
        ("12月底前", "12月31日", 5.0, "不晚于"),
        ("11月30日前", "11月30日", 5.0, "不晚于"),  # the same date is on time
        ("11月30日前", "11月下旬", 5.0, "不晚于"),  # 11-21 … 11-30
        ("11月30日前", "12月1日", 0.0, "晚于"),
        ("11月30日前", "12月", 0.0, "晚于"),  # starts 12-01, after 11-30
        ("2021年12月31日前", "2022年1月5日", 0.0, "晚于"),
        ("2021年12月31日前", datetime.date(2021, 12, 31), 5.0, "不晚于"),
        ("2021年12月31日前", "2021-12-31", 5.0, "不晚于"),  # a date cell as check shows it
        # Only one side has a year: both are read as the same year (the form's).
        ("2021年12月底前", "11月", 5.0, "不晚于"),
        ("年底前完成", "2021年12月20日", 5.0, "不晚于"),
        # Date-less actuals that say on time / late.
        ("按期完成", "已完成", 5.0, "已按期完成"),
        ("按期完成", "按时完成", 5.0, "已按期完成"),
        ("12月底前", "按期", 5.0, "已按期完成"),
        ("12月底前", "已全部完成", 5.0, "已按期完成"),
        ("按期完成", "未按期完成", 0.0, "未按期完成"),
        ("按期完成", "逾期2个月", 0.0, "未按期完成"),
        ("12月底前", "项目仍在实施中", 0.0, "未按期完成"),
        ("12月底前", "未完成", 0.0, "未按期完成"),
    ],
)
def test_deadlines_are_met_on_or_before_the_date_and_missed_after(target, actual, points, words):
    score = score_indicator(target, actual, 5)
    assert score.kind is ScoreKind.DEADLINE
    assert score.points == points
    assert words in score.reason


@pytest.mark.parametrize(
    ("target", "actual", "words"),
    [
        ("11月15日前", "11月", "跨过了期限"),  # 11-01 … 11-30 straddles 11-15
        ("按期完成", "2021年11月完成", "没有写明期限"),
        ("12月底前", "100%", "是数值，不是完成时间"),
        ("12月底前", "详见附件", "没有说明是否达成"),
        ("12月底前", "—", "空缺"),
    ],
)
def test_deadlines_that_cannot_be_decided_are_unscorable_with_a_reason(target, actual, words):
    score = score_indicator(target, actual, 5)
    assert not score.scorable and score.points is None
    assert words in score.reason


def test_a_date_less_actual_that_states_an_outcome_is_judged_like_a_qualitative_row():
    # 「达成预期指标」 is the 定性 band's own name: 0.8 × 10 = 8 to 10, the assessor picks.
    score = score_indicator("12月底前", "达成预期指标", 10)
    assert (score.points, score.low, score.high) == (None, 8.0, 10.0)


def test_qualitative_targets_still_read_a_dated_or_on_schedule_actual():
    # 「按期完成」 under a 定性 target says 完成: the achieved band, 0.8 × 4 = 3.2 to 4.
    score = score_indicator("有所提升", "按期完成", 4)
    assert (score.low, score.high) == (3.2, 4.0)
    score = score_indicator("按要求完成", "2021年11月完成", 4)
    assert (score.low, score.high) == (3.2, 4.0)


def test_a_numeric_target_against_a_date_says_so():
    score = score_indicator("≥95%", "2021年12月", 4)
    assert not score.scorable and "是日期" in score.reason


# -- the target in the indicator's name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "label", "display"),
    [
        ("年度资金支付完成率100%", "100%", "年度资金支付完成率", "100%"),
        ("满意度≥90%", "≥90%", "满意度", "≥90%"),
        ("科目调整次数≤10次", "≤10次", "科目调整次数", "≤10次"),
        ("按时发放率=100%", "=100%", "按时发放率", "=100%"),
        ("群众满意度（≥90%）", "≥90%", "群众满意度", "≥90%"),
        ("培训人数不少于200人", "不少于200人", "培训人数", "≥200人"),
        ("资金到位率达到95%以上", "达到95%以上", "资金到位率", "≥95%"),
        ("新建公厕5座", "5座", "新建公厕", "5座"),
        ("项目完成时间12月底前", "12月底前", "项目完成时间", "12月底前"),
        ("2021年度资金支付完成率100%", "100%", "2021年度资金支付完成率", "100%"),
    ],
)
def test_the_target_at_the_end_of_a_name_is_found(name, text, label, display):
    found = target_in_name(name)
    assert found is not None
    assert (found.text, found.label, found.value.display) == (text, label, display)


@pytest.mark.parametrize(
    "name",
    [
        "PM2.5浓度",  # the number is part of the name
        "5G基站覆盖率",
        "2021年度资金支付",  # a year in the name is no deadline
        "群众满意度（10分）",  # a weight
        "数量指标7（0.5分）",
        "培训人数",
        "100%",  # nothing but a value: no name left
        "",
        None,
        95,
    ],
)
def test_names_without_a_target(name):
    assert target_in_name(name) is None


def test_an_empty_target_cell_takes_the_target_from_the_name_and_says_so():
    # 5 × 98 ÷ 100 = 4.9.
    score = score_indicator("", "98%", 5, name="年度资金支付完成率100%")
    assert score.points == 4.9 and score.target_from_name
    assert score.reason.startswith("年初目标值为空，取指标名称「年度资金支付完成率100%」中的「100%」为目标")
    assert score.target.display == "100%"
    # 反向 in a name: ≤10次, actual 12次 → 5 × 10 ÷ 12 = 4.1666… → 4.17.
    assert score_indicator("—", "12次", 5, name="科目调整次数≤10次").points == 4.17


def test_a_written_target_wins_over_the_name():
    # ≥95% from the cell: 98% meets it → 5 (the name's 100% would give 4.9).
    score = score_indicator("≥95%", "98%", 5, name="年度资金支付完成率100%")
    assert score.points == 5.0 and not score.target_from_name


def test_an_empty_target_and_a_name_without_one_stays_unscorable():
    score = score_indicator("", "98%", 5, name="年度资金支付完成率")
    assert not score.scorable and score.reason == "年初目标值为空缺，没有可比较的目标，无法评分"
