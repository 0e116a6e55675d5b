"""Reviewing a target form (绩效目标表) before submission: plain functions over a TargetForm.

Each check is a function ``TargetForm → Iterable[Finding]`` listed in :data:`CHECKS` (the way
Beancount lists its validations); :func:`check_target_form` runs them in order. What the checks
require — the framework's 一级 / 二级, the quantified share, which 二级 need numbers or money — is
the rubric's ``review`` data (:class:`jixiao.rubric.model.TargetReview`), never code. Two checks
need more than one form: :func:`check_previous` (last year's self-evaluations, ``--previous``)
and :func:`check_unit_budget` (a unit form against its project forms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from jixiao.check.checks import FormSummary
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.target_forms import (
    Amount,
    PreviousForm,
    PreviousIndicator,
    TargetForm,
    TargetIndicator,
    blank_text,
    level_key,
    name_key,
)
from jixiao.core.phrases import ACHIEVED_MARKERS
from jixiao.core.rounding import excel_round
from jixiao.core.values import Comparator, Value, ValueKind, format_number, parse_value

# How many names a form-wide finding lists before "等".
NAMED = 5


def _n(x: float | None) -> str:
    return "空白" if x is None else format_number(excel_round(x, 6))


def _finding(
    form: TargetForm,
    cell: str,
    label: str,
    kind: FindingKind,
    reason: str,
    reported: float | None = None,
    low: float | None = None,
    high: float | None = None,
) -> Finding:
    prefix = f"{form.part} · " if form.part else ""
    return Finding(form.file, form.sheet, cell, prefix + label, kind, reported, low, high, reason)


def _names(items: Sequence[str]) -> str:
    shown = "、".join(f"「{item}」" for item in items[:NAMED])
    return shown + (f"等 {len(items)} 个" if len(items) > NAMED else "")


# -- reading a 指标值 ---------------------------------------------------------------------------


class Measure(str, Enum):
    QUANTIFIED = "quantified"  # a number or a date: ≥95%, 3000册, 1-2次/30天, 25名之前, 12月底前
    QUALITATIVE = "qualitative"  # a recognised qualitative target: 有所提升, 达标, 审议通过
    REFERENCE = "reference"  # a comparison with an amount not written here: 不超支
    MISSING = "missing"  # empty, a dash, or 无
    UNREADABLE = "unreadable"  # text that is neither a number nor a recognised qualitative target


@dataclass(frozen=True, slots=True)
class Reading:
    measure: Measure
    value: Value
    note: str = ""


def read_target(target: object, qualitative_words: Sequence[str] = ()) -> Reading:
    """How measurable a 指标值 is, by the core's parser and the recognised qualitative words."""
    value = parse_value(target)
    if value.is_empty:
        return Reading(Measure.MISSING, value)
    if value.is_numeric:
        return Reading(Measure.QUANTIFIED, value)
    if value.kind is ValueKind.REFERENCE:
        return Reading(Measure.REFERENCE, value)
    if value.kind is ValueKind.DEADLINE:
        # A date can be checked against the actual; 「按期完成」 names none and is judged like 达标.
        return Reading(Measure.QUANTIFIED if value.dates else Measure.QUALITATIVE, value)
    if value.is_text:
        words = (*ACHIEVED_MARKERS, *qualitative_words)
        options = value.options or (value.source,)
        if any(word in option for option in options for word in words):
            return Reading(Measure.QUALITATIVE, value)
        return Reading(
            Measure.UNREADABLE,
            value,
            f"「{value.source.strip()}」既不是数值，也不是可考核的定性目标（如 有所提升、达标、审议通过）",
        )
    return Reading(Measure.UNREADABLE, value, value.note or f"无法识别「{value.source.strip()}」")


def _in(indicator: TargetIndicator, names: Sequence[str]) -> bool:
    keys = {level_key(name) for name in names}
    return level_key(indicator.level2) in keys or level_key(indicator.level1) in keys


# -- completeness -------------------------------------------------------------------------------


def check_levels(form: TargetForm) -> Iterator[Finding]:
    """The framework's 一级 and 二级 are there, each required 二级 with at least one 三级."""
    review = form.review
    written = form.written
    for required in review.required:
        key1 = level_key(required.level1)
        under = [i for i in written if level_key(i.level1) == key1]
        if not under:
            needs = required.all_of or required.any_of
            what = f"（其下应有{'、'.join(needs)}）" if needs else ""
            # Older layouts put 满意度指标 under 效益指标; 2020 layouts put 成本指标 under 产出指标.
            keys = {key1, *(level_key(name) for name in needs)}
            elsewhere = next((i for i in written if level_key(i.level2) in keys), None)
            where = (
                f"；表中把「{elsewhere.level2}」写在「{elsewhere.level1}」下，按此体系「{required.level1}」是一级指标"
                if elsewhere is not None
                else ""
            )
            yield _finding(
                form,
                elsewhere.level_cell if elsewhere is not None else form.table_cell,
                required.level1,
                FindingKind.TARGET_MISSING_LEVEL1,
                f"按{review.framework}，目标表应设「{required.level1}」{what}，但表中没有该一级指标下的指标{where}",
            )
            continue
        named = {level_key(i.level2) for i in under if not blank_text(i.name)}
        unnamed = {level_key(i.level2) for i in under if blank_text(i.name)}
        cell = under[0].level_cell or form.table_cell
        for level2 in required.all_of:
            key2 = level_key(level2)
            if key2 in named:
                continue
            found = next((i for i in under if level_key(i.level2) == key2), None)
            reason = (
                f"「{level2}」下填了指标值，但没有写三级指标名称"
                if key2 in unnamed
                else f"按{review.framework}，「{required.level1}」下应有「{level2}」（至少一个三级指标），表中没有"
            )
            yield _finding(
                form,
                found.name_cell if found else cell,
                f"{required.level1} · {level2}",
                FindingKind.TARGET_MISSING_LEVEL2,
                reason,
            )
        if required.any_of:
            present = [name for name in required.any_of if level_key(name) in named]
            if len(present) < required.at_least:
                yield _finding(
                    form,
                    cell,
                    required.level1,
                    FindingKind.TARGET_MISSING_LEVEL2,
                    f"按{review.framework}，「{required.level1}」下应至少有 {required.at_least} 个二级指标"
                    f"（{'、'.join(required.any_of)}之一，且写明三级指标），表中有 {len(present)} 个",
                    float(len(present)),
                    float(required.at_least),
                )


# -- measurability --------------------------------------------------------------------------------


def check_values(form: TargetForm) -> Iterator[Finding]:
    """Each 指标值 is a number or a recognised qualitative target; 数量 / 成本 ones are numbers;
    成本 ones are money."""
    review = form.review
    for indicator in form.written:
        reading = read_target(indicator.target, review.qualitative_words)
        shown = reading.value.source.strip()
        cell = indicator.target_cell or indicator.name_cell
        if reading.measure is Measure.MISSING:
            basis = "，指标值确定依据也未填" if review.basis_required and blank_text(indicator.basis) else ""
            written = f"写的是「{shown}」" if shown else "为空"
            yield _finding(
                form,
                cell,
                indicator.label,
                FindingKind.TARGET_VALUE_MISSING,
                f"指标值{written}，无法考核{basis}",
            )
            continue
        if reading.measure is Measure.UNREADABLE:
            yield _finding(form, cell, indicator.label, FindingKind.TARGET_VALUE_UNREADABLE, reading.note)
            continue
        if reading.measure in (Measure.QUALITATIVE, Measure.REFERENCE) and _in(
            indicator, review.numeric_only
        ):
            what = indicator.level2 or indicator.level1
            extra = "，没有写出金额" if reading.measure is Measure.REFERENCE else ""
            yield _finding(
                form,
                cell,
                indicator.label,
                FindingKind.TARGET_QUALITATIVE_IN_QUANTITY,
                f"「{what}」的指标值应为数值，写的是定性目标「{shown}」{extra}",
            )
            continue
        if reading.measure is Measure.QUANTIFIED and _in(indicator, review.money):
            unit = reading.value.unit
            if unit not in review.money_units:
                if unit == "%":
                    what = "是百分比（执行率、完成率之类），不是花多少钱（如 ≤10万元、≤450元/人）"
                else:
                    what = f"的单位是「{unit}」" if unit else "没有写金额单位"
                yield _finding(
                    form,
                    cell,
                    indicator.label,
                    FindingKind.TARGET_COST_NOT_MONEY,
                    f"成本指标应写金额（{'、'.join(review.money_units)}），「{shown}」{what}",
                )


def check_quantified_share(form: TargetForm) -> Iterator[Finding]:
    """At least the rubric's share of the indicators have a numeric 指标值."""
    review = form.review
    # Indicators with no 指标值 are findings of their own (check_values); the share is of the others.
    measures = [read_target(i.target, review.qualitative_words).measure for i in form.written]
    written = [m for m in measures if m is not Measure.MISSING]
    if not written:
        return
    quantified = [m for m in written if m is Measure.QUANTIFIED]
    share = len(quantified) / len(written)
    if share + 1e-9 >= review.quantified_share:
        return
    yield _finding(
        form,
        form.table_cell,
        "量化指标比例",
        FindingKind.TARGET_NOT_QUANTIFIED,
        f"{len(written)} 个指标中 {len(quantified)} 个的指标值是数值（{_n(share * 100)}%），"
        f"应不少于 {_n(review.quantified_share * 100)}%",
        excel_round(share * 100, 2),
        review.quantified_share * 100,
        100.0,
    )


def check_basis(form: TargetForm) -> Iterator[Finding]:
    """Every indicator with a 指标值 says where the value comes from (指标值确定依据)."""
    if not form.review.basis_required:
        return
    for indicator in form.written:
        if blank_text(indicator.basis) and read_target(indicator.target).measure is not Measure.MISSING:
            yield _finding(
                form,
                indicator.basis_cell or indicator.name_cell,
                indicator.label,
                FindingKind.TARGET_BASIS_MISSING,
                "指标值确定依据为空（可填 计划标准、行业标准、历史标准、其他标准，或如 年度工作计划）",
            )


def check_goal_text(form: TargetForm) -> Iterator[Finding]:
    """The form states its 绩效目标 (project) or 总体绩效目标 (unit)."""
    goal = form.goal_text
    if goal is not None and not goal.text.strip():
        yield _finding(form, goal.cell, goal.label, FindingKind.TARGET_GOAL_MISSING, f"「{goal.label}」为空")


def check_goals_have_indicators(form: TargetForm) -> Iterator[Finding]:
    """Unit forms: every 分项目标 written has at least one indicator."""
    used = {indicator.goal for indicator in form.written}
    for index, goal in enumerate(form.goals):
        if goal.placeholder or not goal.text.strip() or index in used:
            continue
        yield _finding(
            form,
            goal.cell,
            goal.text.strip()[:40],
            FindingKind.TARGET_GOAL_WITHOUT_INDICATORS,
            f"分项目标「{goal.text.strip()[:40]}」下没有任何绩效指标",
        )


# -- money ------------------------------------------------------------------------------------------


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance + 1e-9


def check_funds(form: TargetForm) -> Iterator[Finding]:
    """预算数 = 财政资金 + 其他资金 (project); 部门预算数 = 基本支出 + 项目支出 (unit)."""
    tolerance = form.review.tolerance
    funds = form.funds
    if funds is not None:
        budget, fiscal, other = funds.budget, funds.fiscal, funds.other
        if budget.value is None:
            yield _finding(
                form,
                budget.cell,
                "预算数",
                FindingKind.TARGET_FUNDS_MISMATCH,
                "预算数为空，目标表应写明预算规模",
            )
        elif fiscal.value is not None or other.value is not None:
            parts = (fiscal.value or 0.0) + (other.value or 0.0)
            if not _close(budget.value, parts, tolerance):
                yield _finding(
                    form,
                    budget.cell,
                    "预算数",
                    FindingKind.TARGET_FUNDS_MISMATCH,
                    f"预算数 {_n(budget.value)}，财政资金 {_n(fiscal.value)} + 其他资金 {_n(other.value)}"
                    f" = {_n(parts)}，两者不等",
                    budget.value,
                    excel_round(parts, 6),
                    excel_round(parts, 6),
                )
    unit = form.unit_budget
    if unit is not None and None not in (unit.total.value, unit.basic.value, unit.projects.value):
        total, basic, projects = unit.total.value, unit.basic.value, unit.projects.value
        assert total is not None and basic is not None and projects is not None
        if not _close(total, basic + projects, tolerance):
            yield _finding(
                form,
                unit.total.cell,
                "部门预算数",
                FindingKind.TARGET_FUNDS_MISMATCH,
                f"部门预算数 {_n(total)}，基本支出 {_n(basic)} + 项目支出 {_n(projects)}"
                f" = {_n(basic + projects)}，两者不等",
                total,
                excel_round(basic + projects, 6),
                excel_round(basic + projects, 6),
            )


def check_plan(form: TargetForm) -> Iterator[Finding]:
    """资金支出计划: cumulative, never falling, the last month at the rubric's total (100 %)."""
    plan = form.plan
    if not plan:
        return
    total = form.review.plan_total
    last = plan[-1]
    if all(point.percent is None for point in plan):
        written = [point.text for point in plan if point.text.strip()]
        reason = "资金支出计划未填写" if not written else f"资金支出计划不是百分比：{'、'.join(written)}"
        yield _finding(form, plan[0].cell, "资金支出计划", FindingKind.TARGET_PLAN_NOT_FULL, reason)
        return
    values = [point.percent for point in plan]
    numbers = [x for x in values if x is not None]
    if (
        None not in values
        and last.percent is not None
        and not _close(last.percent, total, 0.005)
        and _close(sum(numbers), total, 0.005)
    ):
        shown = " + ".join(f"{_n(x)}%" for x in numbers)
        yield _finding(
            form,
            last.cell,
            "资金支出计划",
            FindingKind.TARGET_PLAN_NOT_CUMULATIVE,
            f"各期 {shown} = {_n(sum(numbers))}%：填的是每期支出比例，应填截至各月底的累计比例"
            f"（{last.month}为 {_n(total)}%）",
            last.percent,
            total,
            total,
        )
        return
    previous = None
    for point in plan:
        if point.percent is None:
            yield _finding(
                form,
                point.cell,
                f"资金支出计划 {point.month}",
                FindingKind.TARGET_PLAN_NOT_CUMULATIVE,
                f"{point.month}未填"
                + (f"（写的是「{point.text}」）" if point.text.strip() else "")
                + "：累计支出比例应逐期填写",
            )
            continue
        if previous is not None and previous.percent is not None and point.percent < previous.percent - 1e-9:
            yield _finding(
                form,
                point.cell,
                f"资金支出计划 {point.month}",
                FindingKind.TARGET_PLAN_NOT_CUMULATIVE,
                f"{point.month} {_n(point.percent)}% 低于{previous.month} {_n(previous.percent)}%：累计支出比例不会减少",
                point.percent,
                previous.percent,
                total,
            )
        previous = point
    if last.percent is not None and not _close(last.percent, total, 0.005):
        yield _finding(
            form,
            last.cell,
            f"资金支出计划 {last.month}",
            FindingKind.TARGET_PLAN_NOT_FULL,
            f"{last.month}累计支出比例为 {_n(last.percent)}%，应为 {_n(total)}%",
            last.percent,
            total,
            total,
        )


def money_amount(value: Value, form: TargetForm) -> float | None:
    """A total amount of money in the form's amount unit; None for per-unit costs (元/人) or others."""
    units = form.review.money_units
    if value.kind is not ValueKind.QUANTITY or value.unit not in units or value.period:
        return None
    if value.comparator in (Comparator.AT_LEAST, Comparator.MORE):
        return None  # a floor on spending is not a cost ceiling
    assert value.unit is not None and value.number is not None
    return value.number * units[value.unit] / units[form.amount_unit]


def check_cost_over_budget(form: TargetForm) -> Iterator[Finding]:
    """A 成本指标 amount (a total, not a per-unit cost) is not above the form's budget."""
    budget = form.budget
    if budget is None or budget.value is None:
        return
    review = form.review
    for indicator in form.written:
        if not _in(indicator, review.money):
            continue
        value = parse_value(indicator.target)
        amount = money_amount(value, form)
        if amount is None or amount <= budget.value + review.tolerance + 1e-9:
            continue
        yield _finding(
            form,
            indicator.target_cell or indicator.name_cell,
            indicator.label,
            FindingKind.TARGET_COST_OVER_BUDGET,
            f"成本指标「{value.source.strip()}」折合 {_n(amount)}{form.amount_unit}，"
            f"超过本表预算数 {_n(budget.value)}{form.amount_unit}",
            excel_round(amount, 6),
            0.0,
            budget.value,
        )


Check = Callable[[TargetForm], Iterable[Finding]]

# In the order a reviewer reads the form: funds and plan at the top, then goals, then indicators.
CHECKS: tuple[Check, ...] = (
    check_funds,
    check_plan,
    check_goal_text,
    check_goals_have_indicators,
    check_levels,
    check_values,
    check_basis,
    check_quantified_share,
    check_cost_over_budget,
)


def check_target_form(form: TargetForm, checks: Sequence[Check] = CHECKS) -> list[Finding]:
    """Every finding on one target form, check by check."""
    return [finding for check in checks for finding in check(form)]


def summarize_target(form: TargetForm) -> FormSummary:
    """One reviewed target form, for the report: no score, so no total on either side."""
    return FormSummary(
        file=form.file,
        sheet=form.sheet,
        title=form.title,
        rubric=form.rubric,
        rules_source=f"目标表审核：{form.review.framework}",
        rows=len(form.written),
        reported_total=None,
        rule_low=None,
        rule_high=None,
    )


# -- across forms -----------------------------------------------------------------------------------


def pair_previous(form: TargetForm, previous: Sequence[PreviousForm]) -> PreviousForm | None:
    """Last year's self-evaluation of the same project (by name), or of the same unit.

    With no name in common, a lone form of the same kind on each side still pairs.
    """
    wanted = name_key(form.project or form.title) if form.scope == "project" else ""
    same_kind = [p for p in previous if p.unit == (form.scope == "unit")]
    if wanted:
        for candidate in same_kind:
            if wanted in {name_key(candidate.title), name_key(candidate.part), name_key(candidate.sheet)}:
                return candidate
    return same_kind[0] if len(same_kind) == 1 else None


def _comparable(target: Value, actual: Value, form: TargetForm) -> tuple[float, float] | None:
    """(this year's target, last year's actual) in one unit, when the target is a floor."""
    if target.kind is not ValueKind.QUANTITY or actual.kind is not ValueKind.QUANTITY:
        return None
    if target.comparator in (Comparator.AT_MOST, Comparator.LESS):
        return None
    if actual.comparator in (Comparator.AT_MOST, Comparator.LESS):
        return None  # "≤80%" says nothing about how high it was
    if (target.period or actual.period) and target.period != actual.period:
        return None
    assert target.number is not None and actual.number is not None
    number, unit = actual.number, actual.unit
    if target.unit == "%" and actual.numeric_cell and unit is None and abs(number) <= 2:
        number, unit = number * 100, "%"  # a cell showing 98% holds 0.98
    units = form.review.money_units
    if unit and target.unit and unit != target.unit:
        if unit not in units or target.unit not in units:
            return None
        number = number * units[unit] / units[target.unit]
    return target.number, number


def check_previous(form: TargetForm, previous: Sequence[PreviousForm]) -> list[Finding]:
    """Against last year's self-evaluation: targets below last year's actual, indicators dropped."""
    last = pair_previous(form, previous)
    if last is None:
        return []
    findings: list[Finding] = []
    now = {name_key(i.name): i for i in form.written if not blank_text(i.name)}
    where = f"上年自评表 {last.file}（{last.sheet}）"
    dropped: list[PreviousIndicator] = []
    for old in last.indicators:
        key = name_key(old.name)
        if not key:
            continue
        indicator = now.get(key)
        if indicator is None:
            dropped.append(old)
            continue
        if (
            not _has_floor(indicator)
            and form.rules.bare_direction(indicator.level2 or indicator.level1 or None) != "at_least"
        ):
            continue  # a bare amount under 成本指标 is a ceiling: lower is better
        pair = _comparable(parse_value(indicator.target), parse_value(old.actual), form)
        if pair is None:
            continue
        target, actual = pair
        if target < actual - 1e-9:
            unit = parse_value(indicator.target).unit or ""
            findings.append(
                _finding(
                    form,
                    indicator.target_cell or indicator.name_cell,
                    indicator.label,
                    FindingKind.TARGET_BELOW_LAST_ACTUAL,
                    f"目标值「{parse_value(indicator.target).display}」低于上年实际完成值 {_n(actual)}{unit}"
                    f"（{where} {old.cell}）：目标应不低于已经达到的水平，或说明下调的原因",
                    target,
                    actual,
                    None,
                )
            )
    for old in dropped:
        actual = parse_value(old.actual)
        shown = f"（上年实际 {actual.display}）" if not actual.is_empty else ""
        findings.append(
            _finding(
                form,
                form.table_cell,
                old.name,
                FindingKind.TARGET_DROPPED_INDICATOR,
                f"{where}有指标「{old.name}」{shown}，今年的目标表中没有：已完成或不再适用的，请在报送时说明",
            )
        )
    return findings


def _has_floor(indicator: TargetIndicator) -> bool:
    return parse_value(indicator.target).comparator in (
        Comparator.AT_LEAST,
        Comparator.MORE,
        Comparator.EQUAL,
    )


def check_unit_budget(unit: TargetForm, projects: Sequence[TargetForm]) -> list[Finding]:
    """A unit form's 项目支出 (or 部门预算数 with no 基本支出) against its project forms' 预算数."""
    budget = unit.unit_budget
    amounts = [
        p.funds.budget.value for p in projects if p.funds is not None and p.funds.budget.value is not None
    ]
    if budget is None or not amounts:
        return []
    stated: Amount | None = None
    if budget.projects.value is not None:
        stated, what = budget.projects, "项目支出"
    elif budget.total.value is not None and not budget.basic.value:
        stated, what = budget.total, "部门预算数"
    if stated is None or stated.value is None:
        return []
    total = excel_round(sum(amounts), 6)
    if _close(stated.value, total, unit.review.tolerance):
        return []
    named = _names([p.project or p.title for p in projects])
    return [
        _finding(
            unit,
            stated.cell,
            what,
            FindingKind.TARGET_UNIT_BUDGET_MISMATCH,
            f"{what} {_n(stated.value)}{unit.amount_unit}，{len(amounts)} 张项目绩效目标表"
            f"（{named}）的预算数合计 {_n(total)}{unit.amount_unit}",
            stated.value,
            total,
            total,
        )
    ]
