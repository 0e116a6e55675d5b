"""A unit's project forms rolled up into its 部门整体 figures (DOMAIN.md §2, seed 003 备注 1–3).

Pure: the input is what :mod:`jixiao.check`'s readers produced (:class:`~jixiao.check.forms.FilledForm`),
the output is plain data that the edges write (the unit form, the summary workbook, the charts).

The rules, as seed 003's 备注 states them:

- 预算执行率 from the summed amounts: Σ执行数 ÷ Σ预算数 (never an average of the projects' rates);
- quantitative rows: the 完成数 is rolled up first — absolute values summed, rates (unit %) averaged
  weighted by each project's funds (:func:`jixiao.core.rollup.roll_up`) — then scored against the
  target rolled up the same way ("定量指标先汇总完成数，再计算得分");
- qualitative rows (and rows whose values cannot be added up): the projects' scores, as fractions of
  their weights, averaged weighted by funds (:func:`jixiao.core.rollup.roll_up_scores`).

"Funds" (资金额度) is each project's 预算数 — the adjusted budget, the denominator of its 执行率; a
project whose form gives no 预算数 weighs with its 执行数. The unit's indicator weight (80 on the Hubei
unit form) is shared among the 年度目标 (equally, or by funds), and inside a goal in proportion to the
weights the projects gave their rows; weights are rounded to 2 decimals so that they add up exactly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from jixiao.check import FilledForm, GroupKind, Row, summarize
from jixiao.core.grading import grade
from jixiao.core.rollup import roll_up, roll_up_scores
from jixiao.core.rounding import excel_round
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import execution_rate, execution_score, score_indicator
from jixiao.core.values import (
    PERCENT_FRACTION_LIMIT,
    Comparator,
    Value,
    ValueKind,
    format_number,
    parse_value,
)
from jixiao.workbook.opener import quote

Grouping = Literal["project", "indicator"]
GoalWeights = Literal["equal", "funds"]

# Combined figures are written into the unit form as text and scored from that text, so they are
# rounded first (2 decimals, like every amount and percentage on the forms).
FIGURE_DECIMALS = 2
# Weights are shared out in hundredths of a point.
WEIGHT_DECIMALS = 2

_WEIGHT_LABEL = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_TRAILING_NUMBER = re.compile(r"\d+$")
_DIRECTION_SIGN = {"at_least": Comparator.AT_LEAST, "at_most": Comparator.AT_MOST, "equal": Comparator.EQUAL}
_AGREEING = {
    Comparator.AT_LEAST: (Comparator.AT_LEAST, Comparator.MORE),
    Comparator.MORE: (Comparator.AT_LEAST, Comparator.MORE),
    Comparator.AT_MOST: (Comparator.AT_MOST, Comparator.LESS),
    Comparator.LESS: (Comparator.AT_MOST, Comparator.LESS),
}


# ---------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class ProjectForm:
    """One project's filled form as the checker read it, with what the summary needs besides."""

    form: FilledForm
    unit: str  # 单位名称 (the summary groups projects by it)
    findings: int = 0  # problems ``jixiao check`` found on this form
    year: int | None = None  # 年度 written on the form, when it says

    @property
    def name(self) -> str:
        return self.form.title or self.form.sheet

    @property
    def budget(self) -> float | None:
        return self.form.execution.budget if self.form.execution else None

    @property
    def actual(self) -> float | None:
        return self.form.execution.actual if self.form.execution else None

    @property
    def fund(self) -> float:
        """The project's weight when rates and scores are averaged: 预算数, else 执行数, else 0."""
        for amount in (self.budget, self.actual):
            if amount is not None and amount > 0:
                return amount
        return 0.0


# ---------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True)
class ProjectFigures:
    """One project's line in the summary."""

    name: str
    file: str
    sheet: str
    budget: float | None
    actual: float | None
    rate: float | None  # 执行数 ÷ 预算数, recomputed (not the rate the form reports)
    total: float | None  # the reported 总分; the rules' total when the form's is blank
    total_reported: bool
    grade: str | None
    findings: int
    note: str = ""


@dataclass(frozen=True)
class Contribution:
    """One project's row feeding a unit row."""

    project: str
    fund: float
    row: Row


@dataclass(frozen=True)
class UnitRow:
    """One indicator row of the unit form, with how it was obtained.

    ``target``/``actual`` are the texts written into the form; ``points`` is what the form's score
    formula gives for them — the rule's score, or ``judged`` (评定得分) where the rule leaves the
    score to the scorer (定性 rows, rows rolled up through their scores).
    """

    goal: str
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: float
    points: float | None
    judged: float | None
    method: Literal["single", "values", "scores"]
    reason: str
    projects: tuple[str, ...]


@dataclass(frozen=True)
class UnitGoal:
    label: str
    rows: tuple[UnitRow, ...]
    budget: float | None = None  # the goal's projects' 预算数 (project grouping)

    @property
    def weight(self) -> float:
        return excel_round(sum(row.weight for row in self.rows), WEIGHT_DECIMALS)

    @property
    def points(self) -> float:
        return excel_round(sum(row.points or 0.0 for row in self.rows), 6)


@dataclass(frozen=True)
class UnitRollup:
    unit: str
    year: int | None
    projects: tuple[ProjectFigures, ...]
    goals: tuple[UnitGoal, ...]
    budget: float | None
    actual: float | None
    rate: float | None
    execution_weight: float
    execution_points: float | None
    indicator_weight: float
    total: float
    grade: str
    findings: int
    notes: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> tuple[UnitRow, ...]:
        return tuple(row for goal in self.goals for row in goal.rows)


# ---------------------------------------------------------------------------------------------
# Small pieces


def allocate(total: float, shares: Sequence[float], decimals: int = WEIGHT_DECIMALS) -> list[float]:
    """``total`` split in proportion to ``shares``, rounded to ``decimals``, adding up to ``total``
    exactly (largest remainder); equal parts when the shares are all 0."""
    count = len(shares)
    if count == 0:
        return []
    positive = [max(float(share), 0.0) for share in shares]
    weight_sum = sum(positive)
    if weight_sum <= 0:
        positive, weight_sum = [1.0] * count, float(count)
    scale = 10**decimals
    units = round(total * scale)
    scaled = [units * share / weight_sum for share in positive]
    # 1e-9: 1.6 × 100 is 160.00000000000003 and 0.29 × 100 is 28.999999999999996 in binary.
    floors = [math.floor(x + 1e-9) for x in scaled]
    left = units - sum(floors)
    order = sorted(range(count), key=lambda i: (-(scaled[i] - floors[i]), i))
    for index in order[: max(left, 0)]:
        floors[index] += 1
    return [excel_round(units_ / scale, decimals) for units_ in floors]


def _clean(text: str | None) -> str:
    """A label as compared: NFKC (full-width brackets → ASCII), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def clean_label(text: str | None) -> str:
    """A 一级 / 二级 label without the weight written into it: "数量指标7（0.5分）" → "数量指标"."""
    label = _WEIGHT_LABEL.sub("", (text or "").strip())
    label = _WEIGHT_LABEL.sub("", unicodedata.normalize("NFKC", label)).strip()
    return _TRAILING_NUMBER.sub("", label).strip()


def place(level1: str, level2: str, tree: Mapping[str, Sequence[str]]) -> tuple[str, str]:
    """(一级, 二级) as the unit form's indicator tree has them.

    Project forms put 满意度指标 under 效益指标; the Hubei unit form (seed 003) makes 满意度指标 a 一级
    指标 with 服务对象满意度指标 under it, so such rows move there. Anything the tree does not know
    stays as the project wrote it.
    """
    if not tree:
        return level1, level2
    if level2 in tree.get(level1, ()):
        return level1, level2
    if tree.get(level2):
        return level2, tree[level2][0]
    for name, children in tree.items():
        if level2 in children:
            return name, level2
    return level1, level2


def _value(raw: object) -> Value:
    return raw if isinstance(raw, Value) else parse_value(raw)


def cell_text(raw: object, target: Value | None = None) -> str:
    """A target or actual as text for the unit form, read the way the core reads the cell.

    A number from a spreadsheet cell becomes text: 94 → "94"; 0.95 against a percentage target →
    "95%" (a percent cell holds 0.95 — the core's reading: a fraction only up to
    PERCENT_FRACTION_LIMIT, so 2 is "2", never "200%").
    """
    if raw is None:
        return ""
    if isinstance(raw, Value):
        return raw.source.strip() if not raw.numeric_cell else cell_text(raw.numbers[0], target)
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, (int, float)):
        number = float(raw)
        if target is not None and target.unit == "%" and abs(number) <= PERCENT_FRACTION_LIMIT:
            return f"{format_number(excel_round(number * 100, 10))}%"
        return format_number(number)
    return str(raw).strip()


def _directed(value: Value, level2: str, rules: RuleSet) -> Value:
    """A bare quantity ("80%") with the comparator the rules read it with ("≥80%", 成本 "≤…")."""
    if value.kind is not ValueKind.QUANTITY or value.comparator is not None:
        return value
    sign = (
        Comparator.AT_MOST
        if value.numbers and value.numbers[0] == 0
        else _DIRECTION_SIGN[rules.bare_direction(level2)]
    )
    return Value(
        ValueKind.QUANTITY,
        source=f"{sign.value}{value.source.strip()}",
        comparator=sign,
        numbers=value.numbers,
        unit=value.unit,
        period=value.period,
        numeric_cell=value.numeric_cell,
    )


def _undirected(value: Value) -> Value:
    return Value(
        ValueKind.QUANTITY,
        source=format_number(value.numbers[0]) + (value.unit or ""),
        comparator=None,
        numbers=value.numbers,
        unit=value.unit,
        period=value.period,
    )


def _rounded(value: Value) -> Value:
    number = excel_round(value.numbers[0], FIGURE_DECIMALS)
    rounded = Value(
        ValueKind.QUANTITY,
        source="",
        comparator=value.comparator,
        numbers=(number,),
        unit=value.unit,
        period=value.period,
    )
    return Value(
        ValueKind.QUANTITY,
        source=rounded.display,
        comparator=value.comparator,
        numbers=(number,),
        unit=value.unit,
        period=value.period,
    )


JOINED = 3  # different texts shown side by side before "等 N 种写法"


def _joined(texts: Sequence[str]) -> str:
    """Different texts side by side ("有所提升；明显提升"); one text when they agree."""
    unique = list(dict.fromkeys(text for text in texts if text))
    if len(unique) > JOINED:
        return "；".join(unique[:JOINED]) + f" 等 {len(unique)} 种写法"
    return "；".join(unique)


def _fraction(row: Row, rules: RuleSet) -> float | None:
    """How much of its weight a project row scored: the reported score, else the rule's exact score."""
    if row.weight is None or row.weight <= 0:
        return None
    if row.reported is not None:
        return min(max(row.reported / row.weight, 0.0), 1.0)
    try:
        score = score_indicator(row.target, row.actual, row.weight, category=row.level2, rules=rules)
    except ValueError:
        return None
    return None if score.points is None else score.points / row.weight


def _funds(contributions: Sequence[Contribution]) -> list[float]:
    funds = [c.fund for c in contributions]
    # Projects without amounts count alike rather than not at all.
    return funds if sum(funds) > 0 else [1.0] * len(funds)


# ---------------------------------------------------------------------------------------------
# One unit row from its projects' rows


def combine(
    contributions: Sequence[Contribution],
    weight: float,
    rules: RuleSet,
    *,
    goal: str = "",
    level1: str = "",
    level2: str = "",
    name: str = "",
) -> UnitRow:
    """The unit row fed by ``contributions`` (one row of each project), worth ``weight`` points."""
    if not contributions:
        raise ValueError("没有可汇总的项目指标")
    first = contributions[0].row
    level1 = level1 or clean_label(first.level1)
    level2 = level2 or clean_label(first.level2)
    name = name or (first.name or "").strip()
    projects = tuple(dict.fromkeys(c.project for c in contributions))
    base = {"goal": goal, "level1": level1, "level2": level2, "name": name, "weight": weight}

    def finish(target: str, actual: str, judged: float | None, method: str, reason: str) -> UnitRow:
        # What the form's score formula will show for these texts: the rule's score when the rule
        # gives one, else the 评定得分 written beside them.
        score = score_indicator(target, actual, weight, category=level2, rules=rules)
        if score.points is not None:
            return UnitRow(
                **base,
                target=target,
                actual=actual,
                points=score.points,
                judged=None,
                method=method,  # type: ignore[arg-type]
                reason=f"{reason}；{score.reason}" if reason else score.reason,
                projects=projects,
            )
        return UnitRow(
            **base,
            target=target,
            actual=actual,
            points=judged,
            judged=judged,
            method=method,  # type: ignore[arg-type]
            reason=reason or score.reason,
            projects=projects,
        )

    if len(contributions) == 1:
        row = first
        target_value = _value(row.target)
        target, actual = cell_text(row.target), cell_text(row.actual, target_value)
        fraction = _fraction(row, rules)
        judged = None if fraction is None else excel_round(weight * fraction, rules.decimals)
        reason = "" if judged is not None else "项目未填该指标得分，规则也无法评分"
        return finish(target, actual, judged, "single", reason)

    combined = _combine_values(contributions, level2, rules)
    if isinstance(combined, tuple):
        target, actual, how = combined
        score = score_indicator(target, actual, weight, category=level2, rules=rules)
        if score.points is not None:
            return finish(target, actual, None, "values", how)
        failure = f"汇总后的完成数无法评分（{score.reason}）"
    else:
        failure = combined
    # Qualitative rows, and rows whose 完成数 cannot be added up: the scores, weighted by funds.
    funds = _funds(contributions)
    fractions = [_fraction(c.row, rules) for c in contributions]
    points = [None if f is None else weight * f for f in fractions]
    judged = roll_up_scores(points, funds, rules) if any(p is not None for p in points) else None
    shown = "、".join(
        f"{c.project} {format_number(excel_round(f * 100, 2))}%"
        for c, f in zip(contributions, fractions, strict=True)
        if f is not None
    )
    how = "定性指标" if failure is None else failure
    reason = f"{how}：各项目得分率（{shown}）按资金额加权平均" if shown else f"{how}：各项目均未填得分"
    target = _joined([cell_text(c.row.target) for c in contributions])
    actual = _joined([cell_text(c.row.actual, _value(c.row.target)) for c in contributions])
    return finish(target, actual, judged, "scores", reason)


def _combine_values(
    contributions: Sequence[Contribution], level2: str, rules: RuleSet
) -> tuple[str, str, str] | str | None:
    """(target, actual, how) when the 完成数 can be rolled up; else why not (None: qualitative)."""
    targets = [_directed(_value(c.row.target), level2, rules) for c in contributions]
    if any(t.is_text or t.kind is ValueKind.DEADLINE for t in targets):
        return None  # qualitative and deadline rows roll up by their scores
    actuals = [_value(c.row.actual) for c in contributions]
    if any(v.kind is not ValueKind.QUANTITY for v in (*targets, *actuals)):
        odd = next(
            cell_text(raw)
            for raw, v in zip(
                [c.row.target for c in contributions] + [c.row.actual for c in contributions],
                (*targets, *actuals),
                strict=True,
            )
            if v.kind is not ValueKind.QUANTITY
        )
        return f"「{quote(odd)}」不是可累加的数值"
    # A cell that held a number (0.95 in a percent cell) is read as the core reads it.
    actuals = [
        _value(cell_text(c.row.actual, t)) if a.numeric_cell else a
        for c, t, a in zip(contributions, targets, actuals, strict=True)
    ]
    signs = {a.comparator for a in actuals}
    if len(signs) > 1:
        # "≥90%" beside "95%": a bound on the target's side is a conservative reading of itself.
        agreeing = _AGREEING.get(targets[0].comparator or Comparator.AT_LEAST, ())
        if any(a.comparator is not None and a.comparator not in agreeing for a in actuals):
            return "各项目实际完成值的比较符号不一致"
        actuals = [_undirected(a) if a.comparator is not None else a for a in actuals]
    funds = _funds(contributions)
    try:
        target = _rounded(roll_up(targets, funds))
        actual = _rounded(roll_up(actuals, funds))
    except ValueError as error:
        return str(error)
    if target.unit == "%":
        parts = " + ".join(
            f"{format_number(a.numbers[0])}%×{format_number(f)}" for a, f in zip(actuals, funds, strict=True)
        )
        how = (
            f"比率按资金额加权平均：实际 ({parts}) ÷ {format_number(excel_round(sum(funds), 6))} = "
            f"{actual.display}，目标 {target.display}"
        )
    else:
        how = (
            f"绝对值累加：目标 {' + '.join(t.display for t in targets)} = {target.display}，"
            f"实际 {' + '.join(a.display for a in actuals)} = {actual.display}"
        )
    return target.display, actual.display, how


# ---------------------------------------------------------------------------------------------
# The unit


def project_figures(project: ProjectForm) -> ProjectFigures:
    form = project.form
    budget, actual = project.budget, project.actual
    try:
        rate = execution_rate(budget, actual)
    except ValueError:
        rate = None
    reported = form.total.reported if form.total else None
    note = ""
    if reported is not None:
        total: float | None = reported
        grade_text = (form.total.grade if form.total else None) or grade(reported, form.rules)
    else:
        summary = summarize(form)
        total = summary.rule_low if summary.rule_low == summary.rule_high else None
        if total is not None:
            note = "表中总分为空，按规则计算"
        elif summary.rule_low is not None:
            note = f"表中总分为空；按规则总分在 {format_number(summary.rule_low)}–{format_number(summary.rule_high or 0)} 之间（定性指标待评分）"
        grade_text = grade(total, form.rules) if total is not None else None
    return ProjectFigures(
        name=project.name,
        file=form.file,
        sheet=form.sheet,
        budget=budget,
        actual=actual,
        rate=rate,
        total=total,
        total_reported=reported is not None,
        grade=grade_text,
        findings=project.findings,
        note=note,
    )


def _rows_of(form: FilledForm) -> list[Row]:
    """The rows a project puts into the roll-up: filled in, scorable by the rules, with a name."""
    return [
        row
        for row in form.rows
        if row.applicable and row.scorable and ((row.name or "").strip() or (row.level2 or "").strip())
    ]


def _row_key(row: Row, tree: Mapping[str, Sequence[str]]) -> tuple[str, str]:
    """Rows are matched across projects by 二级 + 三级 name."""
    _, level2 = place(clean_label(row.level1), clean_label(row.level2), tree)
    return _clean(level2), _clean(row.name)


def roll_up_unit(
    unit: str,
    projects: Sequence[ProjectForm],
    *,
    rules: RuleSet,
    execution_weight: float = 20.0,
    indicator_weight: float = 80.0,
    grouping: Grouping = "project",
    goal_weights: GoalWeights = "equal",
    tree: Mapping[str, Sequence[str]] | None = None,
    year: int | None = None,
) -> UnitRollup:
    """The unit's figures from its project forms.

    ``grouping="project"``: one 年度目标 per project (seeds 002 and 003; forms with the same project
    name make one goal). ``"indicator"``: rows with the same 二级 + 三级 name across all projects
    become one row, grouped into goals by 一级指标. ``tree`` is the unit form's indicator tree
    (一级 → 二级 names); ``rules`` and the two weights are the unit form's.
    """
    if grouping not in ("project", "indicator"):
        raise ValueError(f"grouping 只能是 project 或 indicator，收到 {grouping!r}")
    if goal_weights not in ("equal", "funds"):
        raise ValueError(f"goal_weights 只能是 equal 或 funds，收到 {goal_weights!r}")
    tree = dict(tree or {})
    notes: list[str] = []
    figures = tuple(project_figures(p) for p in projects)

    # -- 预算执行率 from the sums ----------------------------------------------------------------
    budgets = [p.budget for p in projects if p.budget is not None]
    actuals = [p.actual for p in projects if p.actual is not None]
    budget = excel_round(sum(budgets), 6) if budgets else None
    actual = excel_round(sum(actuals), 6) if actuals else None
    missing = [p.name for p in projects if p.budget is None or p.actual is None]
    if missing:
        notes.append(f"{'、'.join(missing)} 的预算数或执行数为空，未计入部门整体支出")
    try:
        rate = execution_rate(budget, actual)
        execution_points = (
            execution_score(budget, actual, execution_weight, rules) if rate is not None else None
        )
    except ValueError as error:
        rate, execution_points = None, None
        notes.append(f"无法计算部门整体执行率：{error}")

    # -- which project rows feed which unit row, and with what share of the weight --------------
    usable = [(p, _rows_of(p.form)) for p in projects]
    for p, rows in usable:
        if not rows:
            notes.append(f"{p.name}：没有已填写的绩效指标，未列入年度目标")
    usable = [(p, rows) for p, rows in usable if rows]
    goal_of: dict[str, list[tuple[ProjectForm, list[Row]]]] = {}
    goal_totals: dict[str, float] = {}
    if grouping == "project":
        # Goals in the order the projects come; forms naming the same project make one goal.
        for p, rows in usable:
            goal_of.setdefault(p.name, []).append((p, rows))
        goal_names = list(goal_of)
        goal_share = [
            sum(p.fund for p, _ in goal_of[name]) if goal_weights == "funds" else 1.0 for name in goal_names
        ]
        goal_totals = dict(zip(goal_names, allocate(indicator_weight, goal_share, 6), strict=True))
        members = [
            (name, p, rows, goal_totals[name] * share)
            for name in goal_names
            for (p, rows), share in zip(
                goal_of[name], _shares([p.fund for p, _ in goal_of[name]]), strict=True
            )
        ]
    else:
        project_share = [p.fund if goal_weights == "funds" else 1.0 for p, _ in usable]
        members = [
            ("", p, rows, total)
            for (p, rows), total in zip(usable, allocate(indicator_weight, project_share, 6), strict=True)
        ]

    slots: dict[tuple[str, str, str, int], list[tuple[Contribution, float]]] = {}
    for goal, p, rows, project_total in members:
        row_shares = _shares([row.weight or 0.0 for row in rows])
        seen: dict[tuple[str, str], int] = {}
        for row, share in zip(rows, row_shares, strict=True):
            level1, _ = place(clean_label(row.level1), clean_label(row.level2), tree)
            label = goal or level1 or "其他指标"
            # A project listing "经济效益" twice keeps both rows: the n-th of a name meets the n-th.
            match = _row_key(row, tree)
            seen[match] = seen.get(match, 0) + 1
            key = (label, *match, seen[match])
            slots.setdefault(key, []).append((Contribution(p.name, p.fund, row), project_total * share))
    keys = [key for key, items in slots.items() if sum(w for _, w in items) > 0] or list(slots)
    raw = {key: sum(w for _, w in slots[key]) for key in keys}
    weight_of: dict[tuple[str, str, str, int], float] = {}
    if grouping == "project":
        # Each goal keeps the weight it was given (80 ÷ 9 → 8.89, the last 8.88); its rows share it.
        rounded_goals = dict(
            zip(goal_totals, allocate(indicator_weight, list(goal_totals.values())), strict=True)
        )
        for name, goal_total in rounded_goals.items():
            in_goal = [key for key in keys if key[0] == name]
            weight_of.update(zip(in_goal, allocate(goal_total, [raw[key] for key in in_goal]), strict=True))
    else:
        weight_of.update(zip(keys, allocate(indicator_weight, [raw[key] for key in keys]), strict=True))

    rows_by_goal: dict[str, list[UnitRow]] = {}
    for key in keys:
        row_weight = weight_of[key]
        contributions = [c for c, _ in slots[key]]
        first = contributions[0].row
        level1, level2 = place(clean_label(first.level1), clean_label(first.level2), tree)
        unit_row = combine(
            contributions,
            row_weight,
            rules,
            goal=key[0],
            level1=level1,
            level2=level2,
            name=(first.name or "").strip() or level2,
        )
        rows_by_goal.setdefault(key[0], []).append(unit_row)
    if grouping == "indicator":
        order = {name: index for index, name in enumerate(tree)}
        labels = sorted(rows_by_goal, key=lambda label: order.get(label, len(order)))
    else:
        labels = list(rows_by_goal)
    budget_of = {
        name: excel_round(sum(p.budget or 0.0 for p, _ in forms), 6) for name, forms in goal_of.items()
    }
    goals = tuple(UnitGoal(label, tuple(rows_by_goal[label]), budget_of.get(label)) for label in labels)

    unscored = [row.name for goal in goals for row in goal.rows if row.points is None]
    if unscored:
        notes.append(
            f"{'、'.join(unscored[:5])}{'等' if len(unscored) > 5 else ''}无法得出得分，按 0 计入总分"
        )
    total = excel_round((execution_points or 0.0) + sum(goal.points for goal in goals), rules.decimals)
    years = [p.year for p in projects if p.year is not None]
    chosen = year if year is not None else (max(set(years), key=years.count) if years else None)
    notes += _other_years(projects, chosen)
    return UnitRollup(
        unit=unit,
        year=chosen,
        projects=figures,
        goals=goals,
        budget=budget,
        actual=actual,
        rate=rate,
        execution_weight=execution_weight,
        execution_points=execution_points,
        indicator_weight=indicator_weight,
        total=total,
        grade=grade(total, rules),
        findings=sum(p.findings for p in projects),
        notes=tuple(notes),
    )


def _other_years(projects: Sequence[ProjectForm], chosen: int | None) -> list[str]:
    """A form of another year among the unit's (last year's file left in the folder) is named: it is
    summed with the others all the same, so the user can take it out and run again."""
    others = [p for p in projects if p.year is not None and chosen is not None and p.year != chosen]
    if not others:
        return []
    named = "、".join(f"{p.form.file} · {p.form.sheet}（{p.year}年度）" for p in others[:5])
    more = f"等 {len(others)} 张" if len(others) > 5 else ""
    return [f"按 {chosen} 年度汇总，但其中有其他年度的表：{named}{more}；若不应计入，请移出后重新汇总"]


def _shares(weights: Sequence[float]) -> list[float]:
    """Fractions proportional to ``weights`` (equal when they are all 0)."""
    positive = [max(w, 0.0) for w in weights]
    total = sum(positive)
    if total <= 0:
        return [1.0 / len(weights)] * len(weights) if weights else []
    return [w / total for w in positive]


def shared_rows(rollup: UnitRollup) -> tuple[UnitRow, ...]:
    """The rows more than one project fed (the roll-up rules at work), for the summary sheet."""
    return tuple(row for row in rollup.rows if len(row.projects) > 1)


def is_unit_form(form: FilledForm, unit_rubrics: frozenset[str] = frozenset()) -> bool:
    """A 部门整体 form (a unit's own form, or one this command wrote) is not one of its projects."""
    if form.rubric is not None and form.rubric in unit_rubrics:
        return True
    return any(group.kind in (GroupKind.GOAL, GroupKind.COMMON) for group in form.groups)
