"""FilledForm → findings: pure functions, no file access.

The reported score always stays what the form says; the rule's score is set beside it through
:func:`jixiao.core.records.agreement` (MATCH → nothing to say; ROUNDING / SUBSTANTIVE /
UNDECIDABLE → a finding carrying the rule's band and reason). The structural checks compare what
the form declares (weights, subtotals, totals, rates, funds) with what its own figures add up to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from jixiao.check.findings import Finding, FindingKind
from jixiao.check.forms import FilledForm, Group, Row
from jixiao.core.grading import grade
from jixiao.core.records import (
    Agreement,
    ExecutionRecord,
    agreement,
    decimals_written,
    judge_execution,
    judge_rows,
)
from jixiao.core.rounding import excel_round
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import Score, ScoreKind, execution_rate, score_band
from jixiao.core.values import ValueKind, format_number, parse_value

# Sums of weights typed by hand (0.5 + 0.5 + …) carry float noise; a real difference is ≥ 0.01.
TOLERANCE = 1e-6
# How many rows a form-level finding names before "等".
NAMED_ROWS = 5

_KIND_OF = {
    Agreement.ROUNDING: FindingKind.ROUNDING,
    Agreement.SUBSTANTIVE: FindingKind.SUBSTANTIVE,
    Agreement.UNDECIDABLE: FindingKind.UNDECIDABLE,
}


def _n(x: float | None) -> str:
    return "空白" if x is None else format_number(excel_round(x, 6))


def _band(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return _n(low) if low == high else f"{_n(low)}–{_n(high)}"


@dataclass(frozen=True)
class FormSummary:
    """One checked form, for the report: the reported total beside the total the rules allow."""

    file: str
    sheet: str
    title: str
    rubric: str | None
    rules_source: str
    rows: int
    reported_total: float | None
    rule_low: float | None
    rule_high: float | None
    # Whose form it is (see FilledForm): the same form read twice is counted once.
    unit: str = ""
    year: int | None = None
    code: str = ""
    duplicate_of: str = ""  # "file · sheet" of the form this one repeats; set after all files are read


@dataclass(frozen=True)
class CheckContext:
    """What every check of one form shares: the form and its group tree, built once."""

    form: FilledForm
    children: dict[int | None, list[int]]  # group → its child groups, in form order
    rows_of: dict[int | None, list[Row]]  # group → the rows directly in it

    @classmethod
    def of(cls, form: FilledForm) -> CheckContext:
        children: dict[int | None, list[int]] = {}
        rows_of: dict[int | None, list[Row]] = {}
        for index, group in enumerate(form.groups):
            children.setdefault(group.parent, []).append(index)
        for row in form.rows:
            rows_of.setdefault(row.group, []).append(row)
        return cls(form, children, rows_of)

    @property
    def rules(self) -> RuleSet:
        return self.form.rules

    def finding(
        self,
        cell: str,
        label: str,
        kind: FindingKind,
        reported: float | None,
        low: float | None,
        high: float | None,
        reason: str,
    ) -> Finding:
        prefix = f"{self.form.part} · " if self.form.part else ""
        return Finding(
            self.form.file, self.form.sheet, cell, prefix + label, kind, reported, low, high, reason
        )

    def group(self, index: int) -> Group:
        return self.form.groups[index]

    def passthrough(self, index: int) -> bool:
        """A group that declares nothing (no weight, no subtotal cell) only passes rows through."""
        group = self.group(index)
        return group.weight is None and group.reported_cell is None

    def effective_children(self, index: int | None) -> Iterator[int]:
        for child in self.children.get(index, []):
            if self.passthrough(child):
                yield from self.effective_children(child)
            else:
                yield child

    def direct_rows(self, index: int | None) -> list[Row]:
        rows = list(self.rows_of.get(index, []))
        for child in self.children.get(index, []):
            if self.passthrough(child):
                rows += self.direct_rows(child)
        return rows

    def subtree_rows(self, index: int | None) -> list[Row]:
        rows = list(self.rows_of.get(index, []))
        for child in self.children.get(index, []):
            rows += self.subtree_rows(child)
        return rows

    def parts(self, index: int | None) -> tuple[float, int]:
        """What the group's parts add up to, as the form computes it, and how many parts reported."""
        total, count = 0.0, 0
        for child in self.effective_children(index):
            score = self.score_of(child)
            if score is not None:
                total += score
                count += 1
        for row in self.direct_rows(index):
            if row.reported is not None:
                total += row.reported
                count += 1
        return excel_round(total, 6), count

    def score_of(self, index: int) -> float | None:
        group = self.group(index)
        if group.reported is not None:
            return group.reported
        total, count = self.parts(index)
        return total if count else None

    def judge(self, row: Row) -> Score | None:
        record = row.record()
        if record is None or not row.scorable or not row.applicable:
            return None
        if row.funds is not None:
            return self.judge_funds_row(row, record.weight)
        try:
            [verdict] = judge_rows([record], self.rules)
        except ValueError:
            return None  # a weight or label of the wrong type: nothing the rules can say
        score = verdict.score
        qualitative = row.qualitative or parse_value(row.target).kind is ValueKind.QUALITATIVE
        if not score.scorable and row.band and qualitative:
            # The target or actual says nothing the rules recognise (a 定性 row of a native form
            # often leaves 指标值 empty); the scorer's chosen band does.
            banded = score_band(row.band, record.weight, rules=self.rules)
            if banded.scorable:
                return banded
        return score

    def judge_funds_row(self, row: Row, weight: object) -> Score:
        """A 预算执行率 row of the indicator table, scored from the funds block: weight × 执行数 ÷ 预算数."""
        assert row.funds is not None
        budget, actual = row.funds
        target, done = parse_value(row.target), parse_value(row.actual)
        try:
            verdict = judge_execution(ExecutionRecord(budget, actual, float(weight)), self.rules)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            return Score(None, None, None, False, ScoreKind.UNSCORABLE, str(error), 0.0, target, done)
        if verdict.points is None:
            return Score(
                None, None, None, False, ScoreKind.UNSCORABLE, verdict.reason, float(weight), target, done
            )  # type: ignore[arg-type]
        reason = f"按资金表：{verdict.reason}"
        p = verdict.points
        return Score(p, p, p, True, ScoreKind.AT_LEAST, reason, float(weight), target, done)  # type: ignore[arg-type]


# -- the checks ---------------------------------------------------------------------------------


def check_rows(ctx: CheckContext) -> Iterator[Finding]:
    """Each indicator row: a score over its weight, or one that differs from the rule's."""
    for row in ctx.form.rows:
        if not row.applicable or row.reported is None:
            continue
        score = ctx.judge(row)
        if row.weight is not None and row.reported > row.weight + TOLERANCE:
            low, high = (score.low, score.high) if score and score.low is not None else (0.0, row.weight)
            reason = f"得分 {_n(row.reported)} 超过该指标分值 {_n(row.weight)}"
            if score is not None:
                reason += f"；按规则：{score.reason}"
            yield ctx.finding(
                row.score_cell, row.label, FindingKind.OVER_WEIGHT, row.reported, low, high, reason
            )
            continue
        if score is None:
            continue
        verdict = agreement(row.reported, score.low, score.high)
        if verdict not in _KIND_OF:
            continue
        reason = score.reason
        if verdict is Agreement.ROUNDING:
            reason += (
                f"；填报 {_n(row.reported)} 保留 {decimals_written(row.reported)} 位小数，"
                f"与规则得分 {_band(score.low, score.high)} 只差舍入"
            )
        yield ctx.finding(
            row.score_cell, row.label, _KIND_OF[verdict], row.reported, score.low, score.high, reason
        )


def check_execution(ctx: CheckContext) -> Iterator[Finding]:
    """The 预算执行率 block: the rate as reported against 执行数 ÷ 预算数, and its score."""
    ex = ctx.form.execution
    if ex is None:
        return
    if ex.budget is None or ex.actual is None:
        if ex.reported is not None:
            yield ctx.finding(
                ex.score_cell,
                f"{ex.label}得分",
                FindingKind.UNDECIDABLE,
                ex.reported,
                None,
                None,
                "预算数或执行数为空白，无法核对执行率和执行率得分",
            )
        return
    try:
        rate = execution_rate(ex.budget, ex.actual)
    except ValueError as error:
        yield ctx.finding(
            ex.budget_cell, ex.label, FindingKind.UNDECIDABLE, ex.reported, None, None, str(error)
        )
        return
    if rate is not None and ex.reported_rate is not None:
        yield from _rate(ctx, ex.reported_rate, rate)
    if ex.weight is None or ex.reported is None:
        return
    verdict = judge_execution(
        ExecutionRecord(ex.budget, ex.actual, ex.weight, ex.reported_rate, ex.reported), ctx.rules
    )
    label = f"{ex.label}得分"
    if verdict.points is None:
        yield ctx.finding(
            ex.score_cell, label, FindingKind.UNDECIDABLE, ex.reported, None, None, verdict.reason
        )
        return
    if ex.reported > ex.weight + TOLERANCE:
        reason = f"得分 {_n(ex.reported)} 超过分值 {_n(ex.weight)}；按规则：{verdict.reason}"
        yield ctx.finding(
            ex.score_cell,
            label,
            FindingKind.OVER_WEIGHT,
            ex.reported,
            verdict.points,
            verdict.points,
            reason,
        )
        return
    kind = verdict.agreement
    if kind in _KIND_OF:
        reason = verdict.reason
        if kind is Agreement.ROUNDING:
            reason += f"；填报 {_n(ex.reported)} 只差舍入"
        yield ctx.finding(
            ex.score_cell, label, _KIND_OF[kind], ex.reported, verdict.points, verdict.points, reason
        )


def _rate(ctx: CheckContext, reported_rate: float, rate: float) -> Iterator[Finding]:
    ex = ctx.form.execution
    assert ex is not None
    shown = excel_round(reported_rate * 100, 10)
    decimals = ex.rate_decimals if ex.rate_decimals is not None else decimals_written(shown)
    computed = rate * 100
    if abs(computed - shown) <= 0.5 * 10**-decimals + 1e-9:
        return
    rule = excel_round(computed, max(decimals, 2))
    yield ctx.finding(
        ex.rate_cell,
        "执行率",
        FindingKind.EXECUTION_RATE,
        shown,
        rule,
        rule,
        f"填报执行率 {_n(shown)}%，但 执行数 {_n(ex.actual)} ÷ 预算数 {_n(ex.budget)} = {_n(rule)}%",
    )


def check_goal(ctx: CheckContext) -> Iterator[Finding]:
    """The 总目标 score, judged by the scorer, must stay within its weight."""
    goal = ctx.form.goal
    if goal is None or goal.reported is None or goal.weight is None:
        return
    if goal.reported > goal.weight + TOLERANCE:
        yield ctx.finding(
            goal.cell,
            goal.label,
            FindingKind.OVER_WEIGHT,
            goal.reported,
            0.0,
            goal.weight,
            f"得分 {_n(goal.reported)} 超过分值 {_n(goal.weight)}（由评分人打分，但不能超过分值）",
        )


def check_groups(ctx: CheckContext) -> Iterator[Finding]:
    """Each group (年度目标, 一级/二级): its weight against its parts', its subtotal, its score."""
    for index, group in enumerate(ctx.form.groups):
        if ctx.passthrough(index):
            continue
        yield from _weights(ctx, index, group)
        yield from _subtotal(ctx, index, group)
        if group.weight is not None:
            score = ctx.score_of(index)
            if score is not None and score > group.weight + TOLERANCE:
                yield ctx.finding(
                    group.reported_cell or group.label_cell,
                    f"{group.label} 得分",
                    FindingKind.OVER_WEIGHT,
                    score,
                    0.0,
                    group.weight,
                    f"「{group.label}」得分 {_n(score)} 超过其分值 {_n(group.weight)}",
                )


def _weights(ctx: CheckContext, index: int, group: Group) -> Iterator[Finding]:
    if group.weight is None:
        return
    kids = list(ctx.effective_children(index))
    declared = [ctx.group(kid).weight for kid in kids]
    direct = ctx.direct_rows(index)
    if kids and all(w is not None for w in declared) and all(row.weight is not None for row in direct):
        # Parts that declare a weight ("成本指标（10分）") beside rows with their own.
        own = [row.weight for row in direct if row.weight is not None]
        total = excel_round(sum(w for w in declared if w is not None) + sum(own), 6)
        what = "、".join(f"{ctx.group(kid).label} {_n(ctx.group(kid).weight)}" for kid in kids)
        if own:
            what += f"、另 {len(own)} 个指标 {_n(excel_round(sum(own), 6))}"
        detail = f"其下各部分分值合计 {_n(total)}（{what}）"
    elif not any(w is not None for w in declared):
        weights = [row.weight for row in ctx.subtree_rows(index)]
        if not weights or any(w is None for w in weights):
            return  # some row's weight is unknown: nothing to add up
        total = excel_round(sum(w for w in weights if w is not None), 6)
        detail = f"其下 {len(weights)} 个指标分值合计 {_n(total)}"
    else:
        return
    if abs(total - group.weight) > TOLERANCE:
        yield ctx.finding(
            group.label_cell,
            f"{group.label} 分值",
            FindingKind.WEIGHTS,
            group.weight,
            total,
            total,
            f"「{group.label}」分值为 {_n(group.weight)}，{detail}",
        )


def _subtotal(ctx: CheckContext, index: int, group: Group) -> Iterator[Finding]:
    if group.reported_cell is None:
        return
    parts, count = ctx.parts(index)
    if not count:
        return
    yield from _compare_total(
        ctx,
        group.reported_cell,
        f"{group.label} 合计",
        group.reported,
        parts,
        f"「{group.label}」各指标得分合计",
    )


def _compare_total(
    ctx: CheckContext, cell: str, label: str, reported: float | None, parts: float, what: str
) -> Iterator[Finding]:
    if reported is None:
        # Blank: nothing reported — in a jixiao workbook usually a formula whose value was never
        # computed (Excel computes it on opening), so there is nothing to compare yet.
        return
    if reported == 0 and parts > 0:
        yield ctx.finding(
            cell,
            label,
            FindingKind.EMPTY_TOTAL,
            reported,
            parts,
            parts,
            f"合计为 0，但{what}为 {_n(parts)}（漏填，或公式未重新计算）",
        )
        return
    verdict = agreement(reported, parts, parts)
    if verdict is Agreement.SUBSTANTIVE:
        yield ctx.finding(
            cell,
            label,
            FindingKind.TOTAL,
            reported,
            parts,
            parts,
            f"填报 {_n(reported)}，{what}为 {_n(parts)}",
        )
    elif verdict is Agreement.ROUNDING:
        yield ctx.finding(
            cell,
            label,
            FindingKind.ROUNDING,
            reported,
            parts,
            parts,
            f"填报 {_n(reported)}，{what}为 {_n(parts)}，只差舍入",
        )


def check_subtotals(ctx: CheckContext) -> Iterator[Finding]:
    """Free-standing 合计/小计 cells against the figures they sum."""
    for subtotal in ctx.form.subtotals:
        if not subtotal.parts:
            continue
        parts = excel_round(sum(subtotal.parts), 6)
        if parts == 0 and not subtotal.reported:
            continue
        yield from _compare_total(
            ctx, subtotal.cell, subtotal.label, subtotal.reported, parts, "其中各项之和"
        )


def check_total(ctx: CheckContext) -> Iterator[Finding]:
    """The total against the sum of the parts, and the grade against the total."""
    total = ctx.form.total
    if total is None:
        return
    parts, count = ctx.parts(None)
    ex, goal = ctx.form.execution, ctx.form.goal
    for extra in (ex.reported if ex else None, goal.reported if goal else None):
        if extra is not None:
            parts, count = excel_round(parts + extra, 6), count + 1
    if count:
        yield from _compare_total(ctx, total.cell, total.label, total.reported, parts, "各部分得分之和")
    if total.grade and total.reported is not None:
        expected = grade(total.reported, ctx.rules)
        if total.grade.strip() != expected:
            yield ctx.finding(
                total.grade_cell or total.cell,
                "等级",
                FindingKind.TOTAL,
                total.reported,
                None,
                None,
                f"等级填报为「{total.grade.strip()}」，但总分 {_n(total.reported)} 对应「{expected}」",
            )


def check_top_weights(ctx: CheckContext) -> Iterator[Finding]:
    """The top-level parts' weights against the form's total weight (usually 100)."""
    form = ctx.form
    if form.total_weight is None or ctx.direct_rows(None):
        return
    parts: list[tuple[str, float | None]] = []
    if form.execution is not None:
        parts.append((form.execution.label, form.execution.weight))
    if form.goal is not None:
        parts.append((form.goal.label, form.goal.weight))
    parts += [(ctx.group(kid).label, ctx.group(kid).weight) for kid in ctx.effective_children(None)]
    if len(parts) < 2 or any(weight is None for _, weight in parts):
        return
    total = excel_round(sum(weight for _, weight in parts if weight is not None), 6)
    if abs(total - form.total_weight) > TOLERANCE:
        what = "、".join(f"{label} {_n(weight)}" for label, weight in parts)
        cell = form.execution.score_cell if form.execution else ""
        yield ctx.finding(
            cell,
            "各部分分值",
            FindingKind.WEIGHTS,
            total,
            form.total_weight,
            form.total_weight,
            f"各部分分值合计 {_n(total)}（{what}），应为 {_n(form.total_weight)}",
        )


def check_rule_total(ctx: CheckContext) -> Iterator[Finding]:
    """A total the rules give above the form's maximum (100, or the 分值 its 总分 row prints) — when
    the declared weights did not already say so."""
    form = ctx.form
    if form.total_weight is None or any(check_top_weights(ctx)):
        return
    low, high = rule_total(ctx)
    if low <= form.total_weight + TOLERANCE:
        return
    cell = form.total.cell if form.total else ""
    yield ctx.finding(
        cell,
        "按规则合计",
        FindingKind.WEIGHTS,
        low,
        form.total_weight,
        form.total_weight,
        f"按规则，各部分得分合计为 {_band(low, high)}，超过本表满分 {_n(form.total_weight)}（分值设置有误）",
    )


def check_funds(ctx: CheckContext) -> Iterator[Finding]:
    """The funds identity: 上年结转 + 年初预算 + 调整 − 执行 = 年末结余."""
    f = ctx.form.funds
    if f is None:
        return
    figures = (f.carry, f.initial, f.adjust, f.other, f.executed, f.balance)
    computed = excel_round(f.carry + f.initial + f.adjust + f.other - f.executed, 6)
    decimals = max(decimals_written(x) for x in figures)
    if abs(computed - f.balance) <= 0.5 * 10**-decimals + 1e-9:
        return
    yield ctx.finding(
        f.balance_cell,
        "年末结余金额",
        FindingKind.FUNDS_IDENTITY,
        f.balance,
        computed,
        computed,
        f"上年结转 {_n(f.carry)} + 年初预算 {_n(f.initial)} + 预算调整 {_n(f.adjust)} + 其他调整 "
        f"{_n(f.other)} − 预算执行 {_n(f.executed)} = {_n(computed)}，与填报的年末结余 {_n(f.balance)} 不符",
    )


def check_explanations(ctx: CheckContext) -> Iterator[Finding]:
    """Rows short of their weight need a 偏差原因 (per row, or in the form's box)."""
    form = ctx.form
    lost = [
        row
        for row in form.rows
        if row.applicable
        and row.weight is not None
        and row.reported is not None
        and row.reported < row.weight - TOLERANCE
    ]
    if not lost:
        return
    if form.row_explanations:
        for row in lost:
            if row.explanation_cell and not (row.explanation or "").strip():
                yield ctx.finding(
                    row.explanation_cell,
                    row.label,
                    FindingKind.MISSING_EXPLANATION,
                    row.reported,
                    None,
                    row.weight,
                    f"得分 {_n(row.reported)} 低于分值 {_n(row.weight)}，但偏差原因为空",
                )
        return
    box = form.explanation
    if box is None or box.text.strip():
        return  # no place for an explanation on this layout, or it is filled in
    named = "、".join(f"{row.label}（{_n(row.reported)}/{_n(row.weight)}）" for row in lost[:NAMED_ROWS])
    more = f"等 {len(lost)} 个指标" if len(lost) > NAMED_ROWS else ""
    yield ctx.finding(
        box.cell,
        box.label,
        FindingKind.MISSING_EXPLANATION,
        None,
        None,
        None,
        f"{named}{more}未得满分，但「{box.label}」为空",
    )


# The checks, in the order their findings are reported; each takes the form's context and gives its
# findings (a new check is a function here and a line in this list).
CHECKS: list[Callable[[CheckContext], Iterable[Finding]]] = [
    check_execution,
    check_goal,
    check_rows,
    check_groups,
    check_subtotals,
    check_total,
    check_top_weights,
    check_rule_total,
    check_funds,
    check_explanations,
]


def check_form(form: FilledForm) -> list[Finding]:
    """Every finding on one form, in the order of :data:`CHECKS` (execution, rows, totals …)."""
    ctx = CheckContext.of(form)
    return [finding for check in CHECKS for finding in check(ctx)]


def summarize(form: FilledForm) -> FormSummary:
    """The form's reported total beside the total the rules allow."""
    ctx = CheckContext.of(form)
    low, high = rule_total(ctx)
    return FormSummary(
        file=form.file,
        sheet=form.sheet,
        title=form.title,
        rubric=form.rubric,
        rules_source=form.rules_source,
        rows=sum(1 for row in form.rows if row.applicable),
        reported_total=form.total.reported if form.total else None,
        rule_low=low,
        rule_high=high,
        unit=form.unit,
        year=form.year,
        code=form.code,
    )


def rule_total(ctx: CheckContext) -> tuple[float, float]:
    """The total the rules allow: each part's rule score (or band), else what the form reports."""
    form = ctx.form
    low = high = 0.0
    ex = form.execution
    if ex is not None:
        points = None
        if ex.budget and ex.actual is not None and ex.weight is not None:
            try:
                points = judge_execution(ExecutionRecord(ex.budget, ex.actual, ex.weight), ctx.rules).points
            except ValueError:
                points = None
        value = points if points is not None else (ex.reported or 0.0)
        low, high = low + value, high + value
    if form.goal is not None and form.goal.reported is not None:
        low, high = low + form.goal.reported, high + form.goal.reported
    for row in form.rows:
        if not row.applicable:
            continue
        score = ctx.judge(row)
        if score is not None and score.low is not None and score.high is not None:
            if score.points is None and row.reported is not None and score.allows(row.reported):
                # A band the scorer settled: the 评定得分 (or a formula's cached result) inside the
                # band is the row's score, so the total is exact, not a range.
                low, high = low + row.reported, high + row.reported
            else:
                low, high = low + score.low, high + score.high
        elif row.reported is not None:
            low, high = low + row.reported, high + row.reported
    decimals = ctx.rules.decimals
    return excel_round(low, decimals), excel_round(high, decimals)
