"""What accountants write in a target or actual cell, read into a :class:`Value`.

The grammar follows DOMAIN.md §3: comparators in their Chinese and full-width spellings, bare
values, percentages, units, periods, ranges, ranks, qualitative phrases and menus, dates and
deadlines, placeholders. Parsing never raises, whatever it is given: what cannot be read becomes a
``Value`` of kind ``UNREADABLE`` whose ``note`` says why (NaN, ±inf and numbers beyond a double's range
included). Only the first :data:`MAX_CELL_CHARS` characters of a text are read (Excel's cell limit),
and the time taken is linear in the text.
"""

from __future__ import annotations

import datetime
import math
import numbers as _numbers
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from jixiao.core.dates import DateSpan, read_date, span_of_date

# Excel's limit on the text of one cell; a longer string is read up to here.
MAX_CELL_CHARS = 32767
# A bare number from a cell of unknown format is a fraction against a percentage target only up to
# this magnitude (0.95 → 95%); beyond it the number is the percentage itself (2 → 2%, never 200%).
PERCENT_FRACTION_LIMIT = 1.0
# Texts up to this length are memoised (a form repeats "≥95%" and "100%" many times); longer ones
# are parsed each time, so a hostile workbook cannot fill the cache with megabytes of text.
_CACHED_CHARS = 256


class ValueKind(str, Enum):
    QUANTITY = "quantity"  # a number, with or without comparator: "≥95%", "3000 册", "1次/月"
    RANGE = "range"  # "1-2次/30天"
    RANK = "rank"  # "25名之前" (smaller is better)
    RANK_TIERS = "rank_tiers"  # "85名奋斗目标，90名必达目标"
    REFERENCE = "reference"  # a comparator against a named amount: "不超支", "不超过预算总金额"
    QUALITATIVE = "qualitative"  # "有所提升", "审议通过", "达成预期指标"
    MENU = "menu"  # "有所提升/大幅提升/明显提升"
    DEADLINE = "deadline"  # a date or deadline: "2021年12月完成", "12月底前", "按期完成" (no date)
    PLACEHOLDER = "placeholder"  # "---", "—", "_", empty: nothing written
    NONE = "none"  # "无": explicitly no target
    UNREADABLE = "unreadable"  # text that has numbers but no reading we can trust


class Comparator(str, Enum):
    AT_LEAST = "≥"
    MORE = ">"
    AT_MOST = "≤"
    LESS = "<"
    EQUAL = "="


@dataclass(frozen=True, slots=True)
class Value:
    """A parsed target or actual value.

    ``numbers`` are at display scale: "95%" is ``(95.0,)`` with unit ``"%"``. ``numeric_cell`` is
    True when the value came from a number (a spreadsheet cell), not from text: Excel stores a
    cell showing 95% as 0.95, which matters when it is compared with a percentage target. A number
    read with ``parse_value(x, percent=True)`` is already at display scale (0.95 → 95, unit "%").
    ``dates`` is the calendar span of a ``DEADLINE`` value (None for "按期完成", which names no date);
    its ``comparator`` is ``AT_MOST`` when "前" / "以前" / "以内" was written.
    """

    kind: ValueKind
    source: str
    comparator: Comparator | None = None
    numbers: tuple[float, ...] = ()
    unit: str | None = None
    period: str | None = None
    options: tuple[str, ...] = ()
    subject: str | None = None
    note: str | None = None
    numeric_cell: bool = False
    dates: DateSpan | None = None

    @property
    def number(self) -> float | None:
        return self.numbers[0] if self.numbers else None

    @property
    def is_numeric(self) -> bool:
        return self.kind in (ValueKind.QUANTITY, ValueKind.RANGE, ValueKind.RANK, ValueKind.RANK_TIERS)

    @property
    def is_text(self) -> bool:
        return self.kind in (ValueKind.QUALITATIVE, ValueKind.MENU)

    @property
    def is_empty(self) -> bool:
        return self.kind in (ValueKind.PLACEHOLDER, ValueKind.NONE)

    @property
    def display(self) -> str:
        """The normalised text: "≥9595及以上" → "≥95%", "1-2 次 / 30天" → "1-2次/30天"."""
        per = f"/{self.period}" if self.period else ""
        unit = self.unit or ""
        if self.kind is ValueKind.QUANTITY:
            sign = self.comparator.value if self.comparator else ""
            return f"{sign}{format_number(self.numbers[0])}{unit}{per}"
        if self.kind is ValueKind.RANGE:
            low, high = self.numbers
            return f"{format_number(low)}-{format_number(high)}{unit}{per}"
        if self.kind is ValueKind.RANK:
            return f"{format_number(self.numbers[0])}名之前"
        if self.kind is ValueKind.RANK_TIERS:
            aim, must = self.numbers
            return f"{format_number(aim)}名奋斗目标，{format_number(must)}名必达目标"
        if self.kind is ValueKind.MENU:
            return "/".join(self.options)
        if self.kind is ValueKind.PLACEHOLDER:
            return "—"
        if self.kind is ValueKind.NONE:
            return "无"
        if self.kind is ValueKind.REFERENCE:
            return self.options[0] if self.options else (self.subject or "")
        if self.kind is ValueKind.QUALITATIVE:
            return self.options[0]
        if self.kind is ValueKind.DEADLINE:
            if self.dates is None:
                return self.options[0] if self.options else "按期完成"
            return f"{self.dates.label}前" if self.comparator is Comparator.AT_MOST else self.dates.label
        return self.source

    def with_amount(self, numbers: tuple[float, ...], unit: str | None) -> Value:
        """The same reading with other numbers (unit conversions)."""
        return Value(
            kind=self.kind,
            source=self.source,
            comparator=self.comparator,
            numbers=numbers,
            unit=unit,
            period=self.period,
            options=self.options,
            subject=self.subject,
            note=self.note,
            numeric_cell=self.numeric_cell,
            dates=self.dates,
        )


@lru_cache(maxsize=16384)
def format_number(x: float) -> str:
    """Shortest plain decimal text for a number: 75.0 → "75", 1069.34 → "1069.34"."""
    if x == 0:
        return "0"
    text = f"{x:.15g}"
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ---------------------------------------------------------------------------------------------
# Normalisation

_LOOKALIKES = str.maketrans(
    {
        "≧": "≥",
        "≦": "≤",
        "⩾": "≥",
        "⩽": "≤",
        "═": "=",
        "〓": "=",
        "－": "-",
        "—": "-",
        "–": "-",
        "―": "-",
        "─": "-",
        "−": "-",
        "～": "~",
        "〜": "~",
        "％": "%",
        "‰": "‰",
        "｜": "/",
        "\u3000": " ",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        "㎡": "平方米",
    }
)

_SPACED_DECIMAL = re.compile(r"(?<=\d)\s*\.\s*(?=\d)")  # OCR: "1609. 99"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # "4,591.73"
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Full-width and look-alike characters to their plain forms, OCR spaces removed."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    text = text.replace(">=", "≥").replace("<=", "≤").replace("=>", "≥").replace("=<", "≤")
    text = _SPACED_DECIMAL.sub(".", text)
    text = _THOUSANDS.sub("", text)
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# Vocabulary

# Comparator phrases, longest first within each group so "不超过" wins over "超过".
_PREFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("大于或等于", Comparator.AT_LEAST),
    ("大于等于", Comparator.AT_LEAST),
    ("小于或等于", Comparator.AT_MOST),
    ("小于等于", Comparator.AT_MOST),
    ("不低于", Comparator.AT_LEAST),
    ("不少于", Comparator.AT_LEAST),
    ("不小于", Comparator.AT_LEAST),
    ("不超过", Comparator.AT_MOST),
    ("不超出", Comparator.AT_MOST),
    ("不高于", Comparator.AT_MOST),
    ("不大于", Comparator.AT_MOST),
    ("不多于", Comparator.AT_MOST),
    ("控制在", Comparator.AT_MOST),
    ("至少", Comparator.AT_LEAST),
    ("最多", Comparator.AT_MOST),
    ("达到", Comparator.AT_LEAST),
    ("大于", Comparator.MORE),
    ("高于", Comparator.MORE),
    ("超过", Comparator.MORE),
    ("多于", Comparator.MORE),
    ("小于", Comparator.LESS),
    ("低于", Comparator.LESS),
    ("少于", Comparator.LESS),
    ("等于", Comparator.EQUAL),
    ("≥", Comparator.AT_LEAST),
    ("≤", Comparator.AT_MOST),
    (">", Comparator.MORE),
    ("<", Comparator.LESS),
    ("=", Comparator.EQUAL),
)

_SUFFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("及以上", Comparator.AT_LEAST),
    ("或以上", Comparator.AT_LEAST),
    ("以上", Comparator.AT_LEAST),
    ("及以下", Comparator.AT_MOST),
    ("或以下", Comparator.AT_MOST),
    ("以下", Comparator.AT_MOST),
    ("以内", Comparator.AT_MOST),
    ("之内", Comparator.AT_MOST),
)

# Cost statements with no number: "不超支" means "actual ≤ the budget".
_REFERENCE_STATEMENTS = (
    "不超支",
    "未超支",
    "无超支",
    "不超预算",
    "未超预算",
    "控制在预算内",
    "控制在预算范围内",
)

_UNIT_ALIASES = {
    "百分比": "%",
    "百分点": "%",
    "平方": "平方米",
    "平米": "平方米",
    "m2": "平方米",
    "M2": "平方米",
    "个百分点": "%",
    "小时内": "小时",
    "天内": "天",
    "日内": "天",
}

_PERIOD_ALIASES = {
    "每月": "月",
    "每年": "年",
    "每季": "季度",
    "每季度": "季度",
    "每周": "周",
    "每天": "天",
    "每日": "天",
}

_PLACEHOLDER_CHARS = set("-_~/\\.·*…—")
_NONE_TEXT = re.compile(r"^(无|没有|暂无)(\S{0,4}(效益|目标|指标|要求))?[。.]?$")

_NUMBER = r"-?\d+(?:\.\d+)?"
_UNIT = r"[^\d\s/,;，；。()（）~\-]{0,6}"
_PERIOD = r"(?:\d+(?:\.\d+)?)?[^\d\s/,;，；。()（）]{1,3}"

_RANGE_RE = re.compile(
    rf"^(?P<low>{_NUMBER})\s*(?P<unit1>{_UNIT})\s*[-~至到]\s*(?P<high>{_NUMBER})\s*(?P<unit>{_UNIT})"
    rf"(?:\s*/\s*(?P<period>{_PERIOD}))?$"
)
_QUANTITY_RE = re.compile(rf"^(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})(?:\s*/\s*(?P<period>{_PERIOD}))?$")
_PERIOD_FIRST_RE = re.compile(
    rf"^(?P<every>每[月年周天日]|每季度?)\s*(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})$"
)
_RANK_RE = re.compile(r"^(?:前|第)?(?P<num>\d+)名(?:之前|以前|以内|之内|内)?$")
_RANK_BEFORE_RE = re.compile(r"^(?P<num>\d+)名(之前|以前|以内|之内)$|^前(?P<num2>\d+)名$")
_RANK_AIM = re.compile(r"^前?(\d+)名")
_DIGITS = re.compile(r"\d+")


def _rank_tiers(text: str) -> tuple[float, float] | None:
    """ "85名奋斗目标，90名必达目标" → (85, 90): a name-number, 奋斗, a name-number, 必达, no other digits.

    Written with str.find rather than one regular expression, whose nested wildcards took time
    cubic in a long run of 「奋斗」.
    """
    aim = _RANK_AIM.match(text)
    if aim is None:
        return None
    strive = text.find("奋斗", aim.end())
    if strive < 0 or _DIGIT.search(text, aim.end(), strive):
        return None
    must = _DIGITS.search(text, strive + 2)
    if must is None or not text.startswith("名", must.end()):
        return None
    floor = text.find("必达", must.end() + 1)
    if floor < 0 or _DIGIT.search(text, must.end() + 1, floor):
        return None
    return float(aim[1]), float(must[0])


_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_DIGIT = re.compile(r"\d")


def _doubled(text: str) -> str | None:
    """The Hebei target forms' merged-cell artefact "≥9595及以上": "≥95%" and "95及以上" run together.

    Returns the number written twice ("95"), else None. (A back-reference regex would take time
    quadratic in a long run of digits.)
    """
    half, odd = divmod(len(text), 2)
    if odd or not half or text[:half] != text[half:] or not _PLAIN_NUMBER.match(text[:half]):
        return None
    return text[:half]


def _finite(*numbers: float) -> bool:
    return all(math.isfinite(x) for x in numbers)


def _too_large(raw: str) -> Value:
    return Value(ValueKind.UNREADABLE, raw, note=f"「{_clip(raw)}」中的数值超出可计算的范围")


def _clip(text: str, limit: int = 40) -> str:
    """Long texts are quoted by their start in messages."""
    return text if len(text) <= limit else f"{text[:limit]}…"


def _placeholder(text: str) -> bool:
    return not text or all(ch in _PLACEHOLDER_CHARS or ch.isspace() for ch in text)


def _unit(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    return _UNIT_ALIASES.get(raw, raw) or None


def _period(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    return _PERIOD_ALIASES.get(raw, raw)


_WORDS_THEN_NUMBER = re.compile(r"^(?P<words>[^\d-]+?)(?P<rest>-?\d.*)$")


def _split_comparator(text: str) -> tuple[Comparator | None, str, str | None]:
    """Take a leading or trailing comparator off; return (comparator, rest, descriptive words)."""
    for phrase, comparator in _PREFIX_COMPARATORS:
        if text.startswith(phrase):
            rest = text[len(phrase) :].strip()
            # "不超过预算总金额 1069.34万元": words between the comparator and the number.
            described = _WORDS_THEN_NUMBER.match(rest)
            if described:
                return comparator, described["rest"], described["words"]
            return comparator, rest, None
    # "不超过预算总金额 1069.34万元", "年投入不低于 5万": words, then the comparator, then the number.
    for phrase, comparator in _PREFIX_COMPARATORS:
        if len(phrase) > 1 and phrase in text:
            head, _, rest = text.partition(phrase)
            if not _DIGIT.search(head):
                words = head.strip() or None
                return comparator, rest.strip(), words
    for phrase, comparator in _SUFFIX_COMPARATORS:
        if text.endswith(phrase):
            return comparator, text[: -len(phrase)].strip(), None
    return None, text, None


def comparator_phrases() -> tuple[str, ...]:
    """Every comparator written before a number ("≥", "不低于", "达到" …), longest first per group."""
    return tuple(phrase for phrase, _ in _PREFIX_COMPARATORS)


def _options(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[/|]", text) if part.strip())


def parse_value(text: object, *, percent: bool = False) -> Value:
    """Read a target or actual value as written in a form (see the module docstring).

    Numbers (from spreadsheet cells) are accepted as they are; ``percent=True`` says the cell is
    formatted as a percentage, so its number is a fraction shown ×100 (0.95 is "95%", 1.05 is
    "105%"). Without it a bare number is read against a percentage target as the scoring rules say
    (a fraction only when |x| ≤ 1). ``percent`` is ignored for text, which says its own unit. Dates
    (``datetime.date``, as openpyxl gives a date cell) are read as a ``DEADLINE`` value. Never raises
    for any input.
    """
    if text is None:
        return Value(ValueKind.PLACEHOLDER, "")
    if isinstance(text, bool):
        return Value(ValueKind.UNREADABLE, str(text), note=f"「{text}」是逻辑值，不是指标值")
    if isinstance(text, (_numbers.Real, Decimal)):
        return _number_value(text, percent)
    if isinstance(text, datetime.date):
        span = span_of_date(text)
        return Value(ValueKind.DEADLINE, span.label, dates=span)
    if not isinstance(text, str):
        return Value(
            ValueKind.UNREADABLE, repr(text)[:80], note=f"指标值应为文字或数值，收到 {type(text).__name__}"
        )
    text = text[:MAX_CELL_CHARS]
    return _parse_text(text) if len(text) <= _CACHED_CHARS else _parse_uncached(text)


def _number_value(number_in: object, percent: bool) -> Value:
    try:
        number = float(number_in)  # type: ignore[arg-type]
    except (OverflowError, ValueError):  # 10**400; Decimal("sNaN")
        shown = _clip(str(number_in))
        return Value(ValueKind.UNREADABLE, shown, note=f"「{shown}」超出可计算的数值范围")
    if not math.isfinite(number):
        shown = _clip(str(number_in))
        return Value(ValueKind.UNREADABLE, shown, note=f"「{shown}」不是有限数值")
    if percent:
        # Excel shows 0.07 as 7% although 0.07 × 100 is 7.000000000000001 in binary: 12 significant
        # digits keep what the cell shows and drop the binary noise.
        scaled = float(f"{number * 100:.12g}")
        if not math.isfinite(scaled):
            return _too_large(format_number(number))
        return Value(
            ValueKind.QUANTITY, f"{format_number(scaled)}%", numbers=(scaled,), unit="%", numeric_cell=True
        )
    return Value(ValueKind.QUANTITY, format_number(number), numbers=(number,), numeric_cell=True)


@lru_cache(maxsize=65536)
def _parse_text(raw: str) -> Value:
    return _parse_uncached(raw)


def _parse_uncached(raw: str) -> Value:
    value = _parse(raw)
    if not _finite(*value.numbers):
        return _too_large(raw)  # "1" followed by 400 zeros is inf as a float
    return value


def _parse(raw: str) -> Value:
    text = normalise_text(raw)
    if _placeholder(text):
        return Value(ValueKind.PLACEHOLDER, raw)
    if _NONE_TEXT.match(text):
        return Value(ValueKind.NONE, raw)
    compact = text.replace(" ", "")
    for statement in _REFERENCE_STATEMENTS:
        if compact == statement:
            return Value(ValueKind.REFERENCE, raw, comparator=Comparator.AT_MOST, options=(statement,))

    when = read_date(compact)
    if when is not None:
        return Value(
            ValueKind.DEADLINE,
            raw,
            comparator=Comparator.AT_MOST if when.before else None,
            options=(compact,) if when.span is None else (),
            dates=when.span,
        )

    tiers = _rank_tiers(compact)
    if tiers:
        aim, must = tiers
        return Value(ValueKind.RANK_TIERS, raw, numbers=(aim, must), unit="名")

    comparator, rest, words = _split_comparator(compact)
    if comparator is not None and not rest and words is None:
        return Value(ValueKind.UNREADABLE, raw, note=f"「{_clip(raw)}」只有比较符号，没有数值")

    # "≥9595及以上": the suffix comparator is left over after the prefix one.
    rest_no_suffix = rest
    for phrase, _ in _SUFFIX_COMPARATORS:
        if rest_no_suffix.endswith(phrase):
            rest_no_suffix = rest_no_suffix[: -len(phrase)]
            break
    doubled = _doubled(rest_no_suffix)
    if comparator is not None and doubled and rest_no_suffix != rest:
        number = float(doubled)
        return Value(
            ValueKind.QUANTITY,
            raw,
            comparator=comparator,
            numbers=(number,),
            unit="%",
            note=f"合并单元格残留：「{_clip(raw)}」读作 {comparator.value}{format_number(number)}%",
        )
    rest = rest_no_suffix if doubled is None else rest

    if not _DIGIT.search(rest):
        if comparator is not None and not compact.startswith("达到"):
            # "不超过预算总金额": a comparator against a named amount that is not written here.
            return Value(ValueKind.REFERENCE, raw, comparator=comparator, options=(compact,), subject=rest)
        options = _options(text)
        if len(options) > 1:
            return Value(ValueKind.MENU, raw, options=options)
        return Value(ValueKind.QUALITATIVE, raw, options=(text,))

    rank = _RANK_RE.match(rest)
    if rank and (comparator in (None, Comparator.AT_MOST, Comparator.LESS) or _RANK_BEFORE_RE.match(rest)):
        before = _RANK_BEFORE_RE.match(rest) is not None or comparator is not None
        return Value(
            ValueKind.RANK,
            raw,
            comparator=Comparator.AT_MOST if before else None,
            numbers=(float(rank["num"]),),
            unit="名",
        )

    ranged = _RANGE_RE.match(rest)
    if ranged and comparator is None:
        low, high = float(ranged["low"]), float(ranged["high"])
        unit1, unit = _unit(ranged["unit1"]), _unit(ranged["unit"])
        if unit1 and unit and unit1 != unit:
            return Value(ValueKind.UNREADABLE, raw, note=f"「{_clip(raw)}」区间两端单位不同")
        if low > high:
            low, high = high, low
        return Value(
            ValueKind.RANGE,
            raw,
            numbers=(low, high),
            unit=unit or unit1,
            period=_period(ranged["period"]),
        )

    every = _PERIOD_FIRST_RE.match(rest)
    if every:
        return Value(
            ValueKind.QUANTITY,
            raw,
            comparator=comparator,
            numbers=(float(every["num"]),),
            unit=_unit(every["unit"]),
            period=_period(every["every"]),
            subject=words,
        )

    quantity = _QUANTITY_RE.match(rest)
    if quantity:
        number = float(quantity["num"])
        unit = _unit(quantity["unit"])
        if unit == "‰":
            number, unit = number / 10, "%"
        return Value(
            ValueKind.QUANTITY,
            raw,
            comparator=comparator,
            numbers=(number,),
            unit=unit,
            period=_period(quantity["period"]),
            subject=words,
        )
    return Value(ValueKind.UNREADABLE, raw, note=f"无法识别「{_clip(raw)}」中的数值与单位")
