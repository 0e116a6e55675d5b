"""Indicator rows as records, and the verdict of the rules on each one.

A record keeps what the form says — including the score the unit *reported* — and is never
changed; the verdict sets the rule's score beside it and classifies the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from jixiao.core.rounding import excel_round
from jixiao.core.rules import RuleSet, resolve_rules
from jixiao.core.scoring import Score, execution_rate, execution_score, score_indicator
from jixiao.core.values import format_number


@dataclass(frozen=True, slots=True)
class IndicatorRecord:
    """One row of an indicator table as filled in."""

    level1: str | None  # 一级指标
    level2: str | None  # 二级指标 (decides how a bare value is read)
    name: str  # 三级指标 / 指标名称
    target: object
    actual: object
    weight: float
    reported: float | None = None
    explanation: str | None = None  # 偏差原因分析


@dataclass(frozen=True, slots=True)
class ExecutionRecord:
    """The 预算执行率 block: budget, executed amount, weight and the reported rate and score."""

    budget: float | None
    actual: float | None
    weight: float
    reported_rate: float | None = None
    reported: float | None = None


class Agreement(str, Enum):
    MATCH = "match"  # the reported score is what the rule allows
    ROUNDING = "rounding"  # differs only by the precision the form was filled with
    SUBSTANTIVE = "substantive"  # a real difference
    UNDECIDABLE = "undecidable"  # the rule cannot decide the row
    NOT_REPORTED = "not_reported"  # no score was filled in

    @property
    def label(self) -> str:
        return _AGREEMENT_LABELS[self]


_AGREEMENT_LABELS = {
    Agreement.MATCH: "一致",
    Agreement.ROUNDING: "仅舍入不同",
    Agreement.SUBSTANTIVE: "实质差异",
    Agreement.UNDECIDABLE: "规则无法判定",
    Agreement.NOT_REPORTED: "未填报得分",
}


def decimals_written(x: float) -> int:
    """How many decimals a reported figure was written with (17.6 → 1, 18 → 0, 0.38 → 2)."""
    exponent = Decimal(format_number(x)).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agreement(reported: float | None, low: float | None, high: float | None) -> Agreement:
    """Compare a reported score with the band [low, high] the rule allows."""
    if reported is None:
        return Agreement.NOT_REPORTED
    if low is None or high is None:
        return Agreement.UNDECIDABLE
    tolerance = 1e-9
    if low - tolerance <= reported <= high + tolerance:
        return Agreement.MATCH
    # 17.6 reported for a rule score of 17.58: the form kept one decimal.
    half_unit = 0.5 * 10 ** -decimals_written(reported) + tolerance
    nearest = min(max(reported, low), high)
    if abs(reported - nearest) <= half_unit:
        return Agreement.ROUNDING
    return Agreement.SUBSTANTIVE


@dataclass(frozen=True, slots=True)
class RowVerdict:
    record: IndicatorRecord
    score: Score

    @property
    def agreement(self) -> Agreement:
        return agreement(self.record.reported, self.score.low, self.score.high)


@dataclass(frozen=True, slots=True)
class ExecutionVerdict:
    record: ExecutionRecord
    rate: float | None
    points: float | None
    reason: str

    @property
    def agreement(self) -> Agreement:
        return agreement(self.record.reported, self.points, self.points)


def judge_rows(records: Iterable[IndicatorRecord], rules: RuleSet | None = None) -> list[RowVerdict]:
    rules = resolve_rules(rules)
    return [
        RowVerdict(r, score_indicator(r.target, r.actual, r.weight, category=r.level2, rules=rules))
        for r in records
    ]


def judge_execution(record: ExecutionRecord, rules: RuleSet | None = None) -> ExecutionVerdict:
    rules = resolve_rules(rules)
    rate = execution_rate(record.budget, record.actual)
    if rate is None:
        return ExecutionVerdict(record, None, None, "预算数为 0 或空白，或执行数为空白，无法计算执行率")
    points = execution_score(record.budget, record.actual, record.weight, rules)
    reason = (
        f"执行率 = {format_number(record.actual or 0)} ÷ {format_number(record.budget or 0)} = "
        f"{format_number(excel_round(rate * 100, 2))}%，得分 = {format_number(record.weight)} × 执行率"
        f" = {format_number(points)}"
    )
    if rules.execution_cap and points == excel_round(record.weight, rules.decimals) and rate > 1:
        reason += "（超过分值，按分值封顶）"
    return ExecutionVerdict(record, rate, points, reason)


@dataclass(frozen=True, slots=True)
class Band:
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.low == self.high


def rule_total(verdicts: Sequence[RowVerdict], rules: RuleSet | None = None) -> tuple[Band, int]:
    """The total the rules allow, and how many rows it had to take as reported (undecidable rows)."""
    rules = resolve_rules(rules)
    low = high = 0.0
    taken_as_reported = 0
    for verdict in verdicts:
        if verdict.score.low is not None and verdict.score.high is not None:
            low += verdict.score.low
            high += verdict.score.high
        elif verdict.record.reported is not None:
            low += verdict.record.reported
            high += verdict.record.reported
            taken_as_reported += 1
    return Band(excel_round(low, rules.decimals), excel_round(high, rules.decimals)), taken_as_reported
