"""One hand-made sheet: where its forms start and end, each form read block by block, and the
result frozen into :class:`FilledForm` with the rules its layout implies."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from jixiao.check.forms import FilledForm, Funds, Total
from jixiao.check.legacy.draft import FormDraft, TableState
from jixiao.check.legacy.execution import read_execution
from jixiao.check.legacy.fields import read_footer, read_header_fields, read_subtotal, read_total
from jixiao.check.legacy.goals import read_goal_group, read_goal_pair
from jixiao.check.legacy.labels import RowKind, classify
from jixiao.check.legacy.rows import settle
from jixiao.check.legacy.table import EMPTY_ROWS_END_TABLE, open_table, read_table_row
from jixiao.core.rules import DEFAULT_RULES, RuleSet
from jixiao.rubric import builtin_rubrics
from jixiao.workbook.sheets import Grid

_HEADERS = (RowKind.INDICATORS, RowKind.COMMON, RowKind.GOAL_PAIR)


def segments(kinds: dict[int, RowKind | None], n_rows: int) -> list[tuple[int, int]]:
    """Row spans of the forms on a sheet: a new form starts at the title above each 预算执行率
    block after the first."""
    executions = [row for row, kind in kinds.items() if kind is RowKind.EXECUTION]
    starts = [1]
    for previous, current in pairwise(executions):
        headers = [row for row, kind in kinds.items() if previous < row < current and kind in _HEADERS]
        after = max(headers, default=previous)
        titles = [row for row, kind in kinds.items() if after < row < current and kind is RowKind.TITLE]
        starts.append(min(titles, default=current))
    ends = [start - 1 for start in starts[1:]] + [n_rows]
    return list(zip(starts, ends, strict=True))


def read_segment(
    grid: Grid, kinds: dict[int, RowKind | None], notes: list[str], start: int, end: int
) -> FormDraft:
    """Read the rows start..end as one form."""
    form = FormDraft()
    table: TableState | None = None
    goal_group: int | None = None
    row = start
    while row <= end:
        kind = kinds.get(row)
        if kind is RowKind.EXECUTION:
            row, table = read_execution(grid, form, row, end), None
            continue
        if kind is RowKind.GOAL_PAIR:
            row, table = read_goal_pair(grid, form, row, end), None
            continue
        if kind in (RowKind.INDICATORS, RowKind.COMMON):
            table, consumed = open_table(
                grid, kinds, form, row, goal_group, table, common=kind is RowKind.COMMON
            )
            row += consumed
            continue
        if kind is RowKind.GOAL_GROUP:
            goal_group, table = read_goal_group(grid, form, row), None
        elif kind is RowKind.TARGET_TABLE:
            notes.append(f"工作表「{grid.title}」第 {row} 行起是绩效目标表（没有得分列），未检查")
            table = None
        elif kind is RowKind.TOTAL:
            read_total(grid, form, row, table)
            table = None
        elif kind is RowKind.SUBTOTAL and table is not None:
            read_subtotal(grid, form, row, table)
        elif kind is RowKind.FOOTER:
            read_footer(grid, form, row)
            table = None
        elif kind is RowKind.TITLE:
            read_header_fields(grid, form, row)
            table = None
        elif table is not None:
            read_table_row(grid, form, table, row)
            if table.empty_rows >= EMPTY_ROWS_END_TABLE:
                table = None  # a run of empty rows ends the table
        else:
            read_header_fields(grid, form, row)
        row += 1
    return form


def pick_rules(form: FormDraft, forced: str | None) -> tuple[str | None, RuleSet, str]:
    """The built-in rules the layout implies (or those --rubric names), and how they were chosen."""
    rubrics = builtin_rubrics()
    if forced:
        rubric = rubrics[forced]
        return rubric.name, rubric.rule_set, f"{rubric.name}（--rubric 指定）"
    layout = form.layout
    if "common" in layout:
        name = "shanxi-unit-common"
    elif "goals" in layout:
        name = "hubei-unit"
    elif "goal_pair" in layout:
        name = "hubei-project"  # only the Hubei form scores a 项目绩效总目标
    elif "sichuan" in layout:
        name = "sichuan-project"
    elif "national" in layout or "weights" in layout:
        name = "national-project"
    elif form.execution is not None:
        name = "hubei-project"
    else:
        return None, DEFAULT_RULES, "默认规则（未识别版式）"
    rubric = rubrics.get(name)
    if rubric is None:
        return None, DEFAULT_RULES, "默认规则"
    return name, rubric.rule_set, f"{name}（按版式推断）"


def freeze(form: FormDraft, grid: Grid, file: str, forced: str | None) -> FilledForm:
    _, rules, source = pick_rules(form, forced)
    rows = settle(form)  # may add groups: settle before freezing them
    total = form.total or form.header_total
    if total is not None and form.grade is not None:
        total = Total(total.label, total.cell, total.reported, form.grade[0], form.grade[1])
    funds = None
    if {"carry", "initial", "executed", "balance"} <= form.funds.keys():
        f = {name: value for name, (value, _) in form.funds.items()}
        funds = Funds(
            carry=f["carry"],
            initial=f["initial"],
            adjust=f.get("adjust", 0.0),
            other=f.get("other", 0.0),
            executed=f["executed"],
            balance=f["balance"],
            balance_cell=form.funds["balance"][1],
        )
    return FilledForm(
        file=file,
        sheet=grid.title,
        title=form.project or form.title or grid.title,
        rubric=None,
        rules=rules,
        rules_source=source,
        execution=form.execution,
        goal=form.goal,
        rows=tuple(rows),
        groups=tuple(group.freeze() for group in form.groups),
        subtotals=tuple(form.subtotals),
        total=total,
        funds=funds,
        explanation=form.explanation,
        row_explanations=form.row_explanations,
        total_weight=form.total_weight if form.total_weight is not None else 100.0,
    )


def read_legacy_sheet(grid: Grid, file: str, rubric: str | None = None) -> tuple[list[FilledForm], list[str]]:
    """The forms on one hand-made sheet, and notes on what was seen but not checked."""
    kinds = {row: classify(grid, row) for row in range(1, grid.n_rows + 1)}
    notes: list[str] = []
    forms = []
    for start, end in segments(kinds, grid.n_rows):
        draft = read_segment(grid, kinds, notes, start, end)
        if not draft.empty:
            forms.append(freeze(draft, grid, file, rubric))
    if len(forms) > 1:
        # Several forms on one sheet: findings name the form they are on.
        forms = [replace(form, part=form.title) for form in forms]
    return forms, notes
