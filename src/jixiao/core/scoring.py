"""Scores by the rules of DOMAIN.md §2: 预算执行率, 正向 / 反向 / 等于, intervals, ranks, 定性 bands.

Every function here is pure. A row that cannot be scored is not an error: it gets
``scorable=False`` and a Chinese reason. Only a wrong *type* passed to the API raises
``ValueError``, with a message that says what was expected.

The contract of :func:`score_indicator`, for every target and actual whatever they hold (text of any
length, numbers, NaN, ±inf, integers beyond a double's range, dates, other objects): it returns a
:class:`Score` and raises nothing but ``ValueError`` — and that only for a weight that is not a
finite number ≥ 0, a ``category`` that is not text, or ``rules`` that are not a ``RuleSet``.
``0 ≤ points ≤ weight`` and ``0 ≤ low ≤ high ≤ weight`` hold after rounding (scores are rounded
first, then capped at the weight: weight 2.005 scores at most 2.005, never 2.01).
"""

from __future__ import annotations

import math
import numbers as _numbers
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from jixiao.core.dates import done_by, on_time
from jixiao.core.names import target_in_name
from jixiao.core.phrases import Outcome, outcome_of
from jixiao.core.rounding import excel_round
from jixiao.core.rules import RuleSet, resolve_rules
from jixiao.core.values import (
    PERCENT_FRACTION_LIMIT,
    Comparator,
    Value,
    ValueKind,
    format_number,
    parse_value,
)


class ScoreKind(str, Enum):
    AT_LEAST = "at_least"  # 正向
    AT_MOST = "at_most"  # 反向
    EQUAL = "equal"  # 等于
    RANGE = "range"  # 区间
    RANK = "rank"  # 名次（越小越好）
    DEADLINE = "deadline"  # 时效（期限）
    QUALITATIVE = "qualitative"  # 定性
    UNSCORABLE = "unscorable"  # 无法评分

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ScoreKind.AT_LEAST: "正向指标",
    ScoreKind.AT_MOST: "反向指标",
    ScoreKind.EQUAL: "等于指标",
    ScoreKind.RANGE: "区间指标",
    ScoreKind.RANK: "名次指标",
    ScoreKind.DEADLINE: "时效指标（期限）",
    ScoreKind.QUALITATIVE: "定性指标",
    ScoreKind.UNSCORABLE: "无法评分",
}


@dataclass(frozen=True, slots=True)
class Score:
    """The rule's verdict on one indicator row.

    ``points`` is the rule's score, or None when the rule leaves the exact value to judgement
    (定性 rows) or cannot decide. ``low``/``high`` is the band the rule allows: equal to ``points``
    for quantitative rows, e.g. [0.8w, w] for an achieved qualitative row, None when unscorable.
    ``target_from_name`` is True when the target cell was empty and the target was read from the
    indicator's name (``score_indicator(..., name=...)``); ``target`` is then that reading.
    """

    points: float | None
    low: float | None
    high: float | None
    scorable: bool
    kind: ScoreKind
    reason: str
    weight: float
    target: Value
    actual: Value
    target_from_name: bool = False

    def allows(self, reported: float, tolerance: float = 1e-9) -> bool:
        """Whether a reported score lies inside the band the rule allows."""
        if self.low is None or self.high is None:
            return False
        return self.low - tolerance <= reported <= self.high + tolerance


# ---------------------------------------------------------------------------------------------
# Input checks


def to_number(value: object, what: str) -> float | None:
    """An amount or weight as a float; None when blank. Raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what}需要数值，收到的是逻辑值 {value!r}")
    if isinstance(value, (_numbers.Real, Decimal)):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (OverflowError, ValueError):  # 10**400; Decimal("sNaN")
            number = math.nan
        if not math.isfinite(number):
            raise ValueError(f"{what}需要有限数值，收到 {str(value)[:40]}")
        return number
    if isinstance(value, str):
        parsed = parse_value(value)
        if parsed.kind is ValueKind.PLACEHOLDER:
            return None
        if (
            parsed.kind is ValueKind.QUANTITY
            and parsed.comparator is None
            and parsed.period is None
            and parsed.unit in (None, "万元", "元", "分")
        ):
            return parsed.numbers[0]
        raise ValueError(f"{what}需要数值，「{value}」不是一个数")
    raise ValueError(f"{what}需要数值，收到的是 {type(value).__name__}：{value!r}")


def _weight(weight: object) -> float:
    w = to_number(weight, "分值（权重）")
    if w is None:
        raise ValueError("分值（权重）不能为空")
    if w < 0:
        raise ValueError(f"分值（权重）不能为负数，收到 {format_number(w)}")
    return w


def _as_value(value: object, percent: bool = False) -> Value:
    return value if isinstance(value, Value) else parse_value(value, percent=percent)


# How many numbers each kind of Value carries; a Value built by hand with other numbers is refused.
_NUMBERS_OF = {
    ValueKind.QUANTITY: 1,
    ValueKind.RANK: 1,
    ValueKind.RANGE: 2,
    ValueKind.RANK_TIERS: 2,
}


def _malformed(value: Value) -> str | None:
    """Why a Value passed in directly cannot be scored (parse_value never builds one like this)."""
    count = _NUMBERS_OF.get(value.kind)
    if count is not None and len(value.numbers) != count:
        return f"「{value.source}」的数值个数不符合{value.kind.value}类型"
    if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in value.numbers):
        return f"「{value.source}」中的数值超出可计算的范围"
    if value.kind in (ValueKind.QUALITATIVE,) and not value.options:
        return f"「{value.source}」没有文字内容"
    return None


# ---------------------------------------------------------------------------------------------
# 预算执行率


def execution_rate(budget: object, actual: object) -> float | None:
    """执行数 ÷ 预算数, unrounded; None when the budget is 0 or blank, or nothing is executed yet."""
    b = to_number(budget, "预算数")
    a = to_number(actual, "执行数")
    if b is None or b == 0 or a is None:
        return None
    if b < 0:
        raise ValueError(f"预算数不能为负数，收到 {format_number(b)}")
    return a / b


def execution_score(budget: object, actual: object, weight: object, rules: RuleSet | None = None) -> float:
    """分值 × 执行率, capped at the weight (rules.execution_cap), rounded like Excel."""
    rules = resolve_rules(rules)
    w = _weight(weight)
    b = to_number(budget, "预算数")
    a = to_number(actual, "执行数")
    if b is None or b == 0:
        raise ValueError("预算数为 0 或空白，无法计算执行率得分")
    if b < 0:
        raise ValueError(f"预算数不能为负数，收到 {format_number(b)}")
    if a is None:
        raise ValueError("执行数为空白，无法计算执行率得分")
    raw = w * a / b  # the order Excel's "=w*B/A" evaluates in
    if rules.execution_cap:
        # Round, then cap: weight 2.005 rounds to 2.01, which would exceed the weight.
        return min(excel_round(max(min(raw, w), 0.0), rules.decimals), w)
    if not math.isfinite(raw):
        raise ValueError(f"执行数与预算数之比超出可计算的范围（{format_number(a)} ÷ {format_number(b)}）")
    return excel_round(max(raw, 0.0), rules.decimals)


# ---------------------------------------------------------------------------------------------
# Indicator rows


def score_indicator(
    target: object,
    actual: object,
    weight: object,
    *,
    category: str | None = None,
    rules: RuleSet | None = None,
    name: str | None = None,
    target_percent: bool = False,
    actual_percent: bool = False,
) -> Score:
    """Score one indicator row: target (年初目标值), actual (实际完成值), weight (分值).

    ``category`` is the 二级指标 name when known; it decides how a bare value is read
    (成本指标: a bare amount is a ceiling). ``name`` is the 三级指标 (the indicator's name): when the
    target cell is empty and the name ends with a target (「年度资金支付完成率100%」), that target is
    used and the reason says so. ``target_percent`` / ``actual_percent`` say the cell holding a
    number is formatted as a percentage (0.95 shows as 95%, 1.05 as 105%); without them a bare number
    against a percentage target is a fraction only when |x| ≤ 1 (0.95 → 95%, but 2 is 2%, never 200%).
    Raises ``ValueError`` only for a wrong type (see the module docstring); never for a value.
    """
    rules = resolve_rules(rules)
    w = _weight(weight)
    if category is not None and not isinstance(category, str):
        raise ValueError(f"二级指标（category）需要文字，收到 {type(category).__name__}")
    if name is not None and not isinstance(name, str):
        raise ValueError(f"指标名称（name）需要文字，收到 {type(name).__name__}")
    t = _as_value(target, target_percent)
    a = _as_value(actual, actual_percent)
    if t.kind is ValueKind.PLACEHOLDER and name:
        named = target_in_name(name)
        if named is not None:
            score = _Scorer(named.value, a, w, category, rules).score()
            reason = (
                f"年初目标值为空，取指标名称「{_clip(name, 60)}」中的「{named.text}」为目标；{score.reason}"
            )
            return replace(score, reason=reason, target_from_name=True)
    return _Scorer(t, a, w, category, rules).score()


def score_band(band: object, weight: object, *, rules: RuleSet | None = None) -> Score:
    """A 定性 row scored from the band its scorer picked (定性档位), whatever its target and actual say.

    「达成预期指标」 → [0.8w, w], 「部分达成预期指标并具有一定效果」 → [0.5w, 0.8w],
    「未达成预期指标且效果较差」 → [0, 0.5w] (the rules' qualitative_bands); a text naming no band
    is unscorable with a reason. Raises ``ValueError`` only for a wrong weight or rules type.
    """
    rules = resolve_rules(rules)
    w = _weight(weight)
    chosen = parse_value(band)
    target = Value(ValueKind.QUALITATIVE, "定性", options=("定性",))
    scorer = _Scorer(target, chosen, w, None, rules)
    if not chosen.is_text:
        return scorer._unscorable(f"定性档位「{_clip(chosen.source)}」不是三档之一，无法确定得分区间")
    score = scorer._qualitative()
    if not score.scorable:
        return scorer._unscorable(f"定性档位「{_clip(chosen.source)}」不是三档之一，无法确定得分区间")
    low, high = format_number(score.low or 0.0), format_number(score.high or 0.0)
    return replace(score, reason=f"定性指标：评分人选择档位「{chosen.display}」，得分在 {low}–{high} 之间")


def _clip(text: str, limit: int = 40) -> str:
    """A long cell is quoted by its start in a reason."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}…"


def _pct(fraction: float) -> str:
    return f"{format_number(fraction * 100)}%"


# Scores repeat across a form (every met row scores its weight), so rounding is memoised.
_round = lru_cache(maxsize=16384)(excel_round)


def _show(value: Value, number: float) -> str:
    if not math.isfinite(number):
        return f"{number}{value.unit or ''}"
    shown = format_number(number)
    # Converted figures (12次/年 read per month) are shown to 4 decimals; typed ones have fewer.
    if len(shown) - shown.find(".") > 5 and "." in shown:
        shown = format_number(_round(number, 4))
    return f"{shown}{value.unit or ''}"


class _Scorer:
    """One row's scoring; a class only to keep the row's facts out of every signature."""

    __slots__ = ("actual", "category", "decimals", "rules", "target", "w")

    def __init__(self, target: Value, actual: Value, w: float, category: str | None, rules: RuleSet):
        self.target = target
        self.actual = actual
        self.w = w
        self.category = category
        self.rules = rules
        self.decimals = rules.decimals

    # -- results ------------------------------------------------------------------------------

    def _points(self, raw: float) -> float:
        # Clamp (so ±inf never reaches ROUND), round, then cap again: ROUND(2.005, 2) = 2.01 > 2.005.
        if math.isnan(raw):
            # 0 × inf, at an open end of an actual such as "<0" on a weight of 0: no score. NaN is
            # passed on; every caller turns it into an unscorable row (NaN equals nothing).
            return raw
        return min(_round(min(max(raw, 0.0), self.w), self.decimals), self.w)

    def _fixed(self, kind: ScoreKind, raw: float, reason: str) -> Score:
        if math.isnan(raw):
            return self._unscorable("数值超出可计算的范围，无法评分")
        points = self._points(raw)
        return Score(points, points, points, True, kind, reason, self.w, self.target, self.actual)

    def _band(self, low: float, high: float, reason: str) -> Score:
        if math.isnan(low) or math.isnan(high):
            return self._unscorable("数值超出可计算的范围，无法评分")
        lo, hi = self._points(low), self._points(high)
        return Score(None, lo, hi, True, ScoreKind.QUALITATIVE, reason, self.w, self.target, self.actual)

    def _unscorable(self, reason: str) -> Score:
        return Score(None, None, None, False, ScoreKind.UNSCORABLE, reason, self.w, self.target, self.actual)

    # -- dispatch -----------------------------------------------------------------------------

    def score(self) -> Score:
        t, a = self.target, self.actual
        for which, value in (("年初目标值", t), ("实际完成值", a)):
            problem = _malformed(value)
            if problem:
                return self._unscorable(f"{which}无法使用：{problem}")
        if t.kind is ValueKind.PLACEHOLDER:
            return self._unscorable("年初目标值为空缺，没有可比较的目标，无法评分")
        if t.kind is ValueKind.NONE:
            return self._unscorable(f"年初目标值为「{_clip(t.source)}」，没有可比较的目标，无法评分")
        if t.kind is ValueKind.UNREADABLE:
            return self._unscorable(f"年初目标值无法识别：{t.note}")
        if a.kind is ValueKind.PLACEHOLDER:
            shown = f"「{_clip(a.source)}」" if a.source.strip() else ""
            return self._unscorable(f"实际完成值为空缺{shown}，无法评分")
        if a.kind is ValueKind.NONE:
            return self._unscorable(f"实际完成值为「{_clip(a.source)}」，无法评分")
        if a.kind is ValueKind.UNREADABLE:
            if t.kind is ValueKind.DEADLINE and on_time(a.source) is not None:
                return self._deadline()  # 「逾期2个月」: the words decide, the number does not matter
            return self._unscorable(f"实际完成值无法识别：{a.note}")
        if t.is_text:
            return self._qualitative()
        if t.kind is ValueKind.DEADLINE:
            return self._deadline()
        if t.kind is ValueKind.REFERENCE:
            return self._reference()
        if not a.is_numeric:
            what = "日期" if a.kind is ValueKind.DEADLINE and a.dates is not None else "文字"
            return self._unscorable(
                f"实际完成值「{_clip(a.source)}」是{what}，年初目标值「{_clip(t.display)}」是数值，无法比较"
            )
        aligned = self._align(a)
        if isinstance(aligned, str):
            return self._unscorable(aligned)
        if t.kind is ValueKind.RANK or t.kind is ValueKind.RANK_TIERS:
            return self._rank(aligned)
        if t.kind is ValueKind.RANGE:
            return self._range(aligned)
        return self._quantity(aligned)

    # -- units and periods --------------------------------------------------------------------

    def _align(self, a: Value) -> Value | str:
        """The actual in the target's unit and period, or the reason it cannot be compared."""
        t = self.target
        numbers = a.numbers
        unit = a.unit
        if (
            t.unit == "%"
            and a.numeric_cell
            and unit is None
            and all(abs(x) <= PERCENT_FRACTION_LIMIT for x in numbers)
        ):
            # A spreadsheet cell showing 95% holds 0.95. Beyond 1 a bare number is ambiguous (2 is
            # far likelier to mean 2% than 200%); a caller that knows the cell is formatted as a
            # percentage says so (actual_percent=True) and the number arrives with unit "%".
            numbers = tuple(x * 100 for x in numbers)
            unit = "%"
        if unit is None or t.unit is None or t.kind in (ValueKind.RANK, ValueKind.RANK_TIERS):
            unit = t.unit or unit
        elif unit != t.unit:
            factor = _conversion(unit, t.unit)
            if factor is None:
                return f"单位不一致：年初目标值「{_clip(t.display)}」的单位是{t.unit}，实际完成值「{_clip(a.display)}」的单位是{unit}"
            numbers = tuple(x * factor for x in numbers)
            unit = t.unit
        if a.period and t.period and a.period != t.period:
            factor = _period_factor(a.period, t.period)
            if factor is None:
                return f"周期不一致：年初目标值按「{t.period}」，实际完成值按「{a.period}」"
            numbers = tuple(x * factor for x in numbers)
        if not all(math.isfinite(x) for x in numbers):
            return f"实际完成值「{_clip(a.source)}」换算到目标的单位或周期后超出可计算的范围"
        if numbers is a.numbers and unit == a.unit:
            return a
        return a.with_amount(numbers, unit)

    # -- quantitative -------------------------------------------------------------------------

    def _interval(self, a: Value) -> tuple[float, float]:
        """What the actual says about the real figure, as [low, high]."""
        if a.kind is ValueKind.RANGE:
            return a.numbers[0], a.numbers[1]
        if a.kind is ValueKind.RANK_TIERS:
            return a.numbers[0], a.numbers[1]
        x = a.numbers[0]
        if a.comparator in (Comparator.AT_LEAST, Comparator.MORE):
            return x, math.inf
        if a.comparator in (Comparator.AT_MOST, Comparator.LESS):
            return (1.0 if a.kind is ValueKind.RANK else -math.inf), x
        return x, x

    def _settle(
        self,
        a: Value,
        kind: ScoreKind,
        score_at: Callable[[float], tuple[float, str]],
        open_reason: Callable[[], str],
    ) -> Score:
        """Score an actual that may itself be a bound ("≥95%") with a monotone rule."""
        low, high = self._interval(a)
        if low == high:
            raw, reason = score_at(low)
            return self._fixed(kind, raw, reason)
        raw_low, _ = score_at(low)
        raw_high, _ = score_at(high)
        if self._points(raw_low) == self._points(raw_high):
            points = self._points(raw_low)
            label = "名次指标" if kind is ScoreKind.RANK else kind.label
            if self.w == 0:
                reason = f"{label}：分值为 0，得 0 分"
            elif points == self._points(self.w):
                reason = f"{label}：实际「{_clip(a.display)}」已满足目标「{_clip(self.target.display)}」，得满分 {format_number(self.w)}"
            else:
                reason = f"{label}：实际「{_clip(a.display)}」对照目标「{_clip(self.target.display)}」，得 {format_number(points)} 分"
            return self._fixed(kind, raw_low, reason)
        return self._unscorable(open_reason())

    def _quantity(self, a: Value) -> Score:
        t = self.target
        target = t.numbers[0]
        comparator = t.comparator
        if comparator in (Comparator.AT_LEAST, Comparator.MORE):
            direction = "at_least"
        elif comparator in (Comparator.AT_MOST, Comparator.LESS):
            direction = "at_most"
        elif comparator is Comparator.EQUAL:
            direction = "equal"
        else:
            direction = "at_most" if target == 0 else self.rules.bare_direction(self.category)
        if target == 0 and direction != "at_least" and self.rules.zero_target == "unscorable":
            return self._unscorable(
                f"年初目标值为「{_clip(t.display)}」，按本规则目标为 0 的指标由评分人判断"
            )

        def open_reason() -> str:
            return f"实际完成值「{_clip(a.source)}」只给出了范围，不能判断是否达到年初目标值「{_clip(t.display)}」"

        if direction == "at_least":
            return self._settle(
                a, ScoreKind.AT_LEAST, self._at_least_rule(target, ScoreKind.AT_LEAST), open_reason
            )
        if direction == "at_most":
            return self._settle(
                a, ScoreKind.AT_MOST, self._at_most_rule(target, ScoreKind.AT_MOST), open_reason
            )
        if self.rules.equal == "exact":
            return self._settle(a, ScoreKind.EQUAL, self._exact_rule(target), open_reason)
        if target == 0:
            return self._settle(a, ScoreKind.EQUAL, self._zero_rule(ScoreKind.EQUAL), open_reason)
        return self._settle(a, ScoreKind.EQUAL, self._at_least_rule(target, ScoreKind.EQUAL), open_reason)

    def _at_least_rule(self, target: float, kind: ScoreKind) -> Callable[[float], tuple[float, str]]:
        w, unit_of, label = self.w, self.target, kind.label
        if kind is ScoreKind.EQUAL:
            label = "等于指标（按正向计分）"

        def rule(b: float) -> tuple[float, str]:
            if b >= target:
                return (
                    w,
                    f"{label}：实际 {_show(unit_of, b)} 达到目标 {_show(unit_of, target)}，得满分 {format_number(w)}",
                )
            if target <= 0:
                # "≥0": anything below a zero floor misses it entirely.
                return 0.0, f"{label}：实际 {_show(unit_of, b)} 低于目标 {_show(unit_of, target)}，得 0 分"
            raw = w * b / target
            return raw, (
                f"{label}：{format_number(w)} × {_show(unit_of, b)} ÷ {_show(unit_of, target)}"
                f" = {format_number(self._points(raw))}"
            )

        return rule

    def _at_most_rule(self, target: float, kind: ScoreKind) -> Callable[[float], tuple[float, str]]:
        if target <= 0:
            # A ratio against a zero or negative ceiling means nothing: met or not.
            return self._zero_rule(kind, target)
        w, unit_of, label = self.w, self.target, kind.label
        linear = self.rules.reverse == "linear"

        def rule(b: float) -> tuple[float, str]:
            if b <= target:
                return w, (
                    f"{label}：实际 {_show(unit_of, b)} 未超过目标 {_show(unit_of, target)}，"
                    f"得满分 {format_number(w)}"
                )
            if linear:
                if b >= 2 * target:
                    return 0.0, (
                        f"{label}（线性递减）：实际 {_show(unit_of, b)} 达到目标"
                        f" {_show(unit_of, target)} 的 2 倍及以上，得 0 分"
                    )
                raw = w * (1 - (b - target) / target)
                return raw, (
                    f"{label}（线性递减）：{format_number(w)} × (1 − ({_show(unit_of, b)} − "
                    f"{_show(unit_of, target)}) ÷ {_show(unit_of, target)}) = {format_number(self._points(raw))}"
                )
            raw = w * target / b
            return raw, (
                f"{label}：{format_number(w)} × {_show(unit_of, target)} ÷ {_show(unit_of, b)}"
                f" = {format_number(self._points(raw))}"
            )

        return rule

    def _zero_rule(self, kind: ScoreKind, target: float = 0.0) -> Callable[[float], tuple[float, str]]:
        w, unit_of, label = self.w, self.target, kind.label

        def rule(b: float) -> tuple[float, str]:
            if b <= target:
                return w, (
                    f"{label}：目标为 {_show(unit_of, target)}，实际 {_show(unit_of, b)}，得满分 {format_number(w)}"
                )
            return 0.0, (
                f"{label}：目标为 {_show(unit_of, target)}，实际 {_show(unit_of, b)} 超过目标，得 0 分"
            )

        return rule

    def _exact_rule(self, target: float) -> Callable[[float], tuple[float, str]]:
        w, unit_of = self.w, self.target

        def rule(b: float) -> tuple[float, str]:
            if math.isclose(b, target, rel_tol=1e-12, abs_tol=1e-12):
                return w, f"等于指标：实际 {_show(unit_of, b)} 等于目标，得满分 {format_number(w)}"
            return 0.0, f"等于指标：实际 {_show(unit_of, b)} 不等于目标 {_show(unit_of, target)}，得 0 分"

        return rule

    def _range(self, a: Value) -> Score:
        t = self.target
        lo, hi = t.numbers
        low, high = self._interval(a)
        w = self.w
        label = ScoreKind.RANGE.label
        span = t.display
        if lo <= low and high <= hi:
            shown = a.display if low != high else _show(t, low)
            return self._fixed(
                ScoreKind.RANGE, w, f"{label}：实际 {shown} 在目标区间 {span} 内，得满分 {format_number(w)}"
            )
        if low != high:
            return self._unscorable(
                f"实际完成值「{_clip(a.source)}」只给出了范围，不能判断是否在目标区间 {span} 内"
            )
        if low < lo:
            if lo <= 0:
                # A ratio to a lower bound of 0 or below means nothing: below it misses it entirely.
                return self._fixed(
                    ScoreKind.RANGE,
                    0.0,
                    f"{label}：实际 {_show(t, low)} 低于区间下限 {_show(t, lo)}，得 0 分",
                )
            raw = w * low / lo
            return self._fixed(
                ScoreKind.RANGE,
                raw,
                f"{label}：实际 {_show(t, low)} 低于区间下限，{format_number(w)} × {_show(t, low)} ÷ "
                f"{_show(t, lo)} = {format_number(self._points(raw))}",
            )
        if hi <= 0:
            # Above an upper bound of 0 or below: the ratio would reward the overshoot.
            return self._fixed(
                ScoreKind.RANGE,
                0.0,
                f"{label}：实际 {_show(t, low)} 高于区间上限 {_show(t, hi)}，得 0 分",
            )
        raw = w * hi / low
        return self._fixed(
            ScoreKind.RANGE,
            raw,
            f"{label}：实际 {_show(t, low)} 高于区间上限，{format_number(w)} × {_show(t, hi)} ÷ "
            f"{_show(t, low)} = {format_number(self._points(raw))}",
        )

    def _rank(self, a: Value) -> Score:
        t = self.target
        label = "名次指标（越小越好，按反向计分）"
        if t.kind is ValueKind.RANK_TIERS:
            aim, must = t.numbers
        else:
            aim = must = t.numbers[0]
        w = self.w

        def rule(b: float) -> tuple[float, str]:
            if b <= aim:
                return (
                    w,
                    f"{label}：实际第 {format_number(b)} 名，达到目标前 {format_number(aim)} 名，得满分 {format_number(w)}",
                )
            if b <= must:
                return w, (
                    f"{label}：实际第 {format_number(b)} 名，达到必达目标前 {format_number(must)} 名"
                    f"（未达奋斗目标前 {format_number(aim)} 名），得满分 {format_number(w)}"
                )
            raw = w * must / b
            return (
                raw,
                f"{label}：{format_number(w)} × {format_number(must)} ÷ {format_number(b)} = {format_number(self._points(raw))}",
            )

        def open_reason() -> str:
            return (
                f"实际完成值「{_clip(a.source)}」只给出了范围，不能判断名次是否达到目标「{_clip(t.display)}」"
            )

        return self._settle(a, ScoreKind.RANK, rule, open_reason)

    def _reference(self) -> Score:
        t, a = self.target, self.actual
        if a.kind is ValueKind.REFERENCE and a.comparator == t.comparator:
            kind = (
                ScoreKind.AT_MOST
                if t.comparator in (Comparator.AT_MOST, Comparator.LESS)
                else ScoreKind.AT_LEAST
            )
            return self._fixed(
                kind,
                self.w,
                f"{kind.label}：实际「{_clip(a.display)}」符合目标「{_clip(t.display)}」，得满分 {format_number(self.w)}",
            )
        return self._unscorable(
            f"年初目标值「{_clip(t.display)}」没有写明数值，实际完成值「{_clip(a.source)}」无法按比例计分"
        )

    # -- qualitative --------------------------------------------------------------------------

    def _deadline(self) -> Score:
        """时效 targets: met (full weight) when done on or before the deadline, missed (0) when later.

        A date-less actual counts when it says so: 「按期完成」, 「已完成」 → met; 「逾期」, 「延期」 →
        missed; any other text is judged like a 定性 actual (its band), or is unscorable when it
        says nothing about completion. A number is unscorable: it is not a date.
        """
        t, a = self.target, self.actual
        w = self.w
        label = ScoreKind.DEADLINE.label
        deadline = t.dates
        if a.kind is ValueKind.DEADLINE and a.dates is not None:
            if deadline is None:
                return self._unscorable(
                    f"年初目标值「{_clip(t.display)}」没有写明期限，无法判断实际完成时间「{_clip(a.display)}」是否按期"
                )
            met = done_by(a.dates, deadline)
            if met is None:
                return self._unscorable(
                    f"实际完成时间「{_clip(a.display)}」跨过了期限「{_clip(t.display)}」，无法判断是否按期完成"
                )
            if met:
                return self._fixed(
                    ScoreKind.DEADLINE,
                    w,
                    f"{label}：实际完成时间「{_clip(a.display)}」不晚于期限「{_clip(t.display)}」，得满分 {format_number(w)}",
                )
            return self._fixed(
                ScoreKind.DEADLINE,
                0.0,
                f"{label}：实际完成时间「{_clip(a.display)}」晚于期限「{_clip(t.display)}」，未按期完成，得 0 分",
            )
        if a.is_numeric:
            return self._unscorable(
                f"年初目标值「{_clip(t.display)}」是完成期限，实际完成值「{_clip(a.source)}」是数值，不是完成时间，无法比较"
            )
        said = on_time(a.source)
        if said is True:
            return self._fixed(
                ScoreKind.DEADLINE,
                w,
                f"{label}：实际完成值「{_clip(a.source)}」表明已按期完成（期限「{_clip(t.display)}」），"
                f"得满分 {format_number(w)}",
            )
        if said is False:
            return self._fixed(
                ScoreKind.DEADLINE,
                0.0,
                f"{label}：实际完成值「{_clip(a.source)}」表明未按期完成（期限「{_clip(t.display)}」），得 0 分",
            )
        return self._qualitative()

    def _qualitative(self) -> Score:
        t, a = self.target, self.actual
        if not (a.is_text or a.kind in (ValueKind.REFERENCE, ValueKind.DEADLINE)):
            return self._unscorable(
                f"年初目标值「{_clip(t.display)}」是定性描述，实际完成值「{_clip(a.source)}」是数值，无法判断达成档位"
            )
        options = t.options if t.options else (t.display,)
        # A dated actual is judged by its words (「2021年11月完成」), not its normalised date.
        said = _clip(a.source if a.kind is ValueKind.DEADLINE else a.display)
        outcome = outcome_of(a.source if a.kind is ValueKind.DEADLINE else a.display, options)
        if outcome is None:
            return self._unscorable(
                f"实际完成值「{said}」没有说明是否达成目标「{_clip(t.display)}」，无法确定定性档位"
            )
        achieved_floor, partial_floor = self.rules.qualitative_bands
        w = self.w
        if outcome is Outcome.ACHIEVED:
            low, high, name, share = w * achieved_floor, w, "达成预期指标", f"{_pct(achieved_floor)}–100%"
        elif outcome is Outcome.PARTIAL:
            low, high = w * partial_floor, w * achieved_floor
            name, share = "部分达成预期指标并具有一定效果", f"{_pct(partial_floor)}–{_pct(achieved_floor)}"
        else:
            low, high, name, share = (
                0.0,
                w * partial_floor,
                "未达成预期指标且效果较差",
                f"0–{_pct(partial_floor)}",
            )
        return self._band(
            low,
            high,
            f"定性指标：实际「{said}」属于“{name}”，得分在分值的 {share} 之间"
            f"（{format_number(self._points(low))}–{format_number(self._points(high))}），由评分人确定",
        )


# ---------------------------------------------------------------------------------------------
# Unit and period conversions

_MONEY = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}
_TIME = {"分钟": 1 / 1440, "小时": 1 / 24, "天": 1.0, "日": 1.0, "个工作日": 1.0, "工作日": 1.0}


def _conversion(unit: str, to: str) -> float | None:
    for table in (_MONEY, _TIME):
        if unit in table and to in table:
            return table[unit] / table[to]
    return None


# Calendar periods convert exactly among themselves (12次/年 = 1次/月); days and weeks likewise;
# between the two families a month is 365/12 days.
_PERIOD_MONTHS = {"月": 1.0, "季": 3.0, "季度": 3.0, "半年": 6.0, "年": 12.0}
_PERIOD_DAYS = {"天": 1.0, "日": 1.0, "周": 7.0, "星期": 7.0}
_DAYS_PER_MONTH = 365 / 12


def _period_length(period: str) -> tuple[float, str] | None:
    """A period's length and family ("month" or "day"): "30天" → (30, "day"), "季度" → (3, "month")."""
    digits = ""
    rest = period
    while rest and (rest[0].isdigit() or rest[0] == "."):
        digits, rest = digits + rest[0], rest[1:]
    rest = rest.removeprefix("个")
    try:
        count = float(digits) if digits else 1.0
    except ValueError:  # "1.2.3天"
        return None
    if not count > 0 or not math.isfinite(count):
        return None  # "次/0天" is no period
    if rest in _PERIOD_MONTHS:
        return count * _PERIOD_MONTHS[rest], "month"
    if rest in _PERIOD_DAYS:
        return count * _PERIOD_DAYS[rest], "day"
    return None


def _period_factor(actual_period: str, target_period: str) -> float | None:
    """Multiply an actual rate per ``actual_period`` by this to get it per ``target_period``."""
    a, t = _period_length(actual_period), _period_length(target_period)
    if a is None or t is None:
        return None
    a_len, a_family = a
    t_len, t_family = t
    if a_family != t_family:
        a_len = a_len * _DAYS_PER_MONTH if a_family == "month" else a_len
        t_len = t_len * _DAYS_PER_MONTH if t_family == "month" else t_len
    return t_len / a_len
