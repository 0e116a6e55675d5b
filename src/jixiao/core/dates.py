"""Dates and deadlines as 时效 rows write them: 「2021年12月完成」, 「12月底前」, 「11月30日前」, 「按期完成」.

A date text names a stretch of the calendar (:class:`DateSpan`): 「2021年12月」 is 2021-12-01 to
2021-12-31, 「12月底」 is the last day of December, 「上半年」 is January to June. As a target the
span's last day is the deadline; as an actual the span is when the work was done. The words around
the date are a closed list (prefixes such as 于 / 截至, suffixes such as 前 / 底前 / 完成 / 到位), so
「2021年12月召开会议1次」 is not a date. Everything here is linear in the text: no regular expression
backtracks over more than a few characters.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

MonthDay = tuple[int, int]


@dataclass(frozen=True, slots=True)
class DateSpan:
    """The calendar stretch a date text names; ``year`` is None when the text gives none."""

    year: int | None
    first: MonthDay
    last: MonthDay
    label: str  # the normalised text: "2021年12月", "12月底", "2021年12月31日", "上半年"


# -- vocabulary (data, longest first where one phrase contains another) -----------------------

# Words before the date: 「于2021年11月完成」, 「截至12月底」, 「完成时间:2021年12月」.
DATE_PREFIXES = (
    "完成时间:",
    "完成时限:",
    "完成时间",
    "完成时限",
    "时间节点:",
    "时间节点",
    "时限:",
    "时间:",
    "计划于",
    "预计于",
    "要求于",
    "确保于",
    "确保在",
    "力争于",
    "力争在",
    "已经于",
    "已经在",
    "截止到",
    "截止至",
    "截至到",
    "已于",
    "已在",
    "均于",
    "均在",
    "截止",
    "截至",
    "计划",
    "预计",
    "于",
    "在",
    "到",
    "至",
)

# Words after the date that say "by then": 「前」, 「以前」, 「以内」 (「年内」 keeps its own 年).
BEFORE_SUFFIXES = ("之前", "以前", "以内", "之内", "前", "内")

# Words after the date that say what happens then: 「完成」, 「拨付到位」, 「交付使用」 (stripped repeatedly).
DONE_SUFFIXES = (
    "投入使用",
    "交付使用",
    "执行完毕",
    "实施完毕",
    "全部完成",
    "已完成",
    "完成",
    "完工",
    "竣工",
    "结束",
    "办结",
    "结项",
    "交付",
    "验收",
    "到位",
    "完毕",
    "上线",
    "实施",
    "开展",
    "支付",
    "拨付",
    "发放",
    "全部",
)

# A target that sets no date but says "on schedule": 「按期完成」, 「按时完成」, 「如期完成」.
_ON_SCHEDULE = re.compile(
    r"^(?:已|均|能够|能|可|全部)?"
    r"(?:按期|按时|如期|准时|及时|按计划|按进度|按时间节点|按规定时间|按规定时限|在规定时间内|在规定时限内|在规定期限内)"
    r"(?:全部|足额)?(?:完成|实施|交付|办结|到位|验收|竣工|完工|发放|支付|拨付|开展|推进|执行|结项){0,2}"
    r"(?:任务|工作|建设)?$"
)

# What a date-less actual says about a deadline. Late markers are checked first: 「未按期完成」
# contains 「按期」 and 「未完成」 contains 「完成」.
LATE_MARKERS = (
    "未按期",
    "未按时",
    "未如期",
    "未及时",
    "不及时",
    "没有按期",
    "没有按时",
    "逾期",
    "延期",
    "延迟",
    "推迟",
    "滞后",
    "超期",
    "超时",
    # Not finished when the year's evaluation is written: the deadline was missed too.
    "未完成",
    "没有完成",
    "尚未",
    "未能完成",
    "未全部",
    "部分完成",
    "进行中",
    "推进中",
    "实施中",
    "建设中",
    "正在",
)
ON_TIME_MARKERS = ("按期", "按时", "如期", "准时", "提前", "及时", "已完成", "全部完成", "已办结", "已竣工")
ON_TIME_EXACT = ("完成", "已完成", "全部完成", "完成任务")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_YEAR = r"(?:19|20|21)\d\d"

# 「2021-12-31」, 「2021/12」, 「2021.12.31」 (a time after the date, as a date cell shows it, is dropped).
_NUMERIC_DATE = re.compile(
    rf"^(?P<y>{_YEAR})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?:(?P=sep)(?P<d>\d{{1,2}}))?(?:\d{{1,2}}:\d\d(?::\d\d)?)?$"
)
# 「2021年12月31日」, 「12月底」, 「2021年度」, 「十二月中旬」.
_WRITTEN_DATE = re.compile(
    rf"^(?:(?P<y>{_YEAR})年度?)?(?:(?P<m>{_NUM})月份?"
    rf"(?:(?P<d>{_NUM})[日号]|(?P<part>底|末|初|上旬|中旬|下旬|中))?)?$"
)
# 「上半年」, 「2021年底」, 「第四季度」, 「年内」.
_YEAR_PART = re.compile(
    rf"^(?:(?P<y>{_YEAR})(?:年度|年)?)?"
    r"(?P<part>上半年|下半年|年底|年末|年中|年初|年内|年度内|全年|当年|本年度|本年|第?[一二三四1-4]季度|[Qq][1-4])$"
)

_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _number(text: str) -> int | None:
    """「12」, 「十二」, 「三十一」 → int; None for anything else."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _month_end(year: int | None, month: int) -> int:
    # Without a year, February may have 29 days: the lenient reading of 「2月底前」.
    return calendar.monthrange(year if year is not None else 2000, month)[1]


def _span(year: int | None, month: int | None, day: int | None, part: str | None) -> DateSpan | None:
    y = f"{year}年" if year is not None else ""
    if month is None:
        if year is None:
            return None
        return DateSpan(year, (1, 1), (12, 31), y)
    if not 1 <= month <= 12:
        return None
    end = _month_end(year, month)
    if day is not None:
        if not 1 <= day <= end:
            return None
        return DateSpan(year, (month, day), (month, day), f"{y}{month}月{day}日")
    if part in ("底", "末"):
        return DateSpan(year, (month, end), (month, end), f"{y}{month}月底")
    if part in ("初", "上旬"):
        return DateSpan(year, (month, 1), (month, 10), f"{y}{month}月{part}")
    if part in ("中", "中旬"):
        return DateSpan(year, (month, 11), (month, 20), f"{y}{month}月中旬")
    if part == "下旬":
        return DateSpan(year, (month, 21), (month, end), f"{y}{month}月下旬")
    return DateSpan(year, (month, 1), (month, end), f"{y}{month}月")


def _year_part(year: int | None, part: str) -> DateSpan | None:
    y = f"{year}年" if year is not None else ""
    if part in ("年底", "年末"):
        return DateSpan(year, (12, 31), (12, 31), f"{y}年底")
    if part == "上半年":
        return DateSpan(year, (1, 1), (6, 30), f"{y}上半年")
    if part == "下半年":
        return DateSpan(year, (7, 1), (12, 31), f"{y}下半年")
    if part == "年中":
        return DateSpan(year, (6, 1), (7, 31), f"{y}年中")
    if part == "年初":
        return DateSpan(year, (1, 1), (2, _month_end(year, 2)), f"{y}年初")
    quarter = part.removeprefix("第").removesuffix("季度").lstrip("Qq")
    if quarter in _QUARTERS:
        q = _QUARTERS[quarter]
        last_month = 3 * q
        return DateSpan(
            year, (last_month - 2, 1), (last_month, _month_end(year, last_month)), f"{y}第{q}季度"
        )
    # 年内, 年度内, 全年, 当年, 本年: the whole year.
    return DateSpan(year, (1, 1), (12, 31), f"{y}年内" if year is None else y)


def _core_span(core: str, *, dotted_ok: bool) -> DateSpan | None:
    numeric = _NUMERIC_DATE.match(core)
    if numeric:
        if numeric["sep"] == "." and numeric["d"] is None and not dotted_ok:
            return None  # 「2021.12」 alone is as likely a number as a date
        return _span(int(numeric["y"]), int(numeric["m"]), int(numeric["d"]) if numeric["d"] else None, None)
    written = _WRITTEN_DATE.match(core)
    if written and (written["y"] or written["m"]):
        year = int(written["y"]) if written["y"] else None
        month = _number(written["m"]) if written["m"] else None
        day = _number(written["d"]) if written["d"] else None
        if (written["m"] and month is None) or (written["d"] and day is None):
            return None
        return _span(year, month, day, written["part"])
    part = _YEAR_PART.match(core)
    if part:
        return _year_part(int(part["y"]) if part["y"] else None, part["part"])
    return None


@dataclass(frozen=True, slots=True)
class DateReading:
    span: DateSpan | None  # None for 「按期完成」: on schedule, no date
    before: bool  # 「前」, 「以前」, 「以内」 was written


def read_date(compact: str) -> DateReading | None:
    """A date or deadline text (normalised, no spaces), or None when the text is something else."""
    if len(compact) > 64:
        return None  # no date phrase is this long; keeps the prefix/suffix loops trivially bounded
    if _ON_SCHEDULE.match(compact):
        return DateReading(None, False)
    text = compact
    for prefix in DATE_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    before = False
    marked = False  # a word after the date makes 「2021.12」 a date
    changed = True
    while changed and text:
        changed = False
        for suffix in (*DONE_SUFFIXES, *BEFORE_SUFFIXES):
            if text.endswith(suffix) and len(text) > len(suffix):
                candidate = text[: -len(suffix)]
                if suffix == "内" and candidate.endswith(("年", "年度")):
                    continue  # 「年内」, 「年度内」 are whole-year periods
                text = candidate
                before = before or suffix in BEFORE_SUFFIXES
                marked = changed = True
                break
    span = _core_span(text, dotted_ok=marked)
    if span is None:
        return None
    return DateReading(span, before)


def span_of_date(value: datetime.date) -> DateSpan:
    """A date cell (openpyxl gives ``datetime``) as the one day it names."""
    return DateSpan(
        value.year,
        (value.month, value.day),
        (value.month, value.day),
        f"{value.year}年{value.month}月{value.day}日",
    )


def done_by(actual: DateSpan, deadline: DateSpan) -> bool | None:
    """True when the actual span ends on or before the deadline's last day, False when it starts
    after it, None when it straddles it (「11月」 against 「11月15日前」).

    When either side has no year, only month and day are compared: both are read as the same year
    (the form's year).
    """
    if actual.year is not None and deadline.year is not None:
        first: tuple[int, ...] = (actual.year, *actual.first)
        last: tuple[int, ...] = (actual.year, *actual.last)
        end: tuple[int, ...] = (deadline.year, *deadline.last)
    else:
        first, last, end = actual.first, actual.last, deadline.last
    if last <= end:
        return True
    if first > end:
        return False
    return None


def on_time(text: str) -> bool | None:
    """What a date-less actual says: True on time (「按期完成」, 「已完成」), False late (「逾期」),
    None when it does not say."""
    compact = text.replace(" ", "")
    if any(marker in compact for marker in LATE_MARKERS):
        return False
    if compact in ON_TIME_EXACT or any(marker in compact for marker in ON_TIME_MARKERS):
        return True
    return None
