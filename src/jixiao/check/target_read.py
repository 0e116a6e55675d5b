"""Reading target forms (绩效目标表) into :class:`TargetForm` records.

Two ways, like the self-evaluation readers: a jixiao workbook through its workbook names (the
rubric on its ``_jixiao`` sheet says which review applies), and a hand-made form — a sheet laid out
like seed 004 — through its header labels. The table's column labels (一级指标 … 指标值 / 指标值确定依据)
and 资金支出计划（%）with its months come from the built-in target rubrics, other spellings of the
columns and the header fields (项目名称, 预算数, 其中：财政资金 …) from the shared header vocabulary
(``jixiao.workbook.vocabulary``): no label is written in this module. Last year's self-evaluation
forms (``--previous``) are reduced to :class:`PreviousForm` here as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from jixiao.check.forms import FilledForm, GroupKind
from jixiao.check.target_forms import (
    Amount,
    PlanPoint,
    PreviousForm,
    PreviousIndicator,
    TargetForm,
    TargetFunds,
    TargetGoal,
    TargetIndicator,
    Text,
    UnitBudget,
    blank_value,
    level_key,
)
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import FormKind, PlanBlock, Rubric, TextBlock
from jixiao.workbook.cells import Area, display, label_key
from jixiao.workbook.contract import COLUMN_NAMES, NATURE_SPELLINGS
from jixiao.workbook.sheets import Grid, as_number, rate_of, scoring_value
from jixiao.workbook.vocabulary import vocabulary

# The built-in rubrics a form is reviewed by when its own rubric has no review section.
PROJECT_RUBRIC = "target-project"
UNIT_RUBRIC = "target-unit"
_UNIT_NAMES = ("部门预算数", "部门基本支出", "部门项目支出")


def review_rubric(name: str | None, scope: str) -> Rubric:
    """The rubric whose ``review`` applies: the form's own when it has one, else the built-in one."""
    rubrics = builtin_rubrics()
    rubric = rubrics.get(name or "")
    if rubric is not None and rubric.review is not None:
        return rubric
    return rubrics[UNIT_RUBRIC if scope == "unit" else PROJECT_RUBRIC]


def _written(value: object) -> str:
    return display(value).strip()


# -- jixiao workbooks -----------------------------------------------------------------------------


def _goal_pattern(rubric: Rubric) -> re.Pattern[str] | None:
    """The generator's own label of an empty 分项目标 ("分项目标3"), as a pattern."""
    table = rubric.indicators
    if table is None or table.goals is None:
        return None
    parts = re.split(r"\{\{\s*序号\s*\}\}", table.goals.label)
    return re.compile(r"\d+".join(re.escape(part) for part in parts))


class _Named:
    """One target sheet of a jixiao workbook, read through its names."""

    def __init__(self, grid: Grid, names: dict[str, Area], rubric: Rubric | None):
        self.grid = grid
        self.names = names
        self.rubric = rubric

    def at(self, name: str) -> tuple[int, int] | None:
        area = self.names.get(name)
        return (area.min_row, area.min_col) if area is not None else None

    def amount(self, name: str) -> Amount:
        at = self.at(name)
        return Amount(self.grid.number(*at), self.grid.address(*at)) if at else Amount(None)

    def text(self, name: str) -> Text | None:
        """A named text box, labelled as its rubric labels it (绩效目标, 总体绩效目标)."""
        at = self.at(name)
        if at is None:
            return None
        blocks = self.rubric.blocks if self.rubric else []
        label = next((b.label for b in blocks if isinstance(b, TextBlock) and name in (b.name, b.key)), name)
        return Text(label, self.grid.text(*at), self.grid.address(*at))

    def plan(self) -> tuple[PlanPoint, ...]:
        area = self.names.get("支出计划")
        block = self.rubric.block("plan") if self.rubric else None
        if area is None:
            return ()
        months = list(block.months) if isinstance(block, PlanBlock) else []
        grid, r = self.grid, area.min_row
        points: list[PlanPoint] = []
        seen: set[tuple[int, int]] = set()
        for col in range(area.min_col, area.max_col + 1):
            anchor = grid.anchor(r, col)
            if anchor in seen:
                continue
            seen.add(anchor)
            month = months[len(points)] if len(points) < len(months) else grid.text(r - 1, col)
            points.append(_plan_point(grid, r, col, month))
        return tuple(points)

    def column(self, key: str) -> Area | None:
        area = self.names.get(COLUMN_NAMES[key])
        return area if area is not None and area.min_col == area.max_col else None

    def indicators(self) -> tuple[tuple[TargetIndicator, ...], tuple[TargetGoal, ...], str]:
        cols = {key: self.column(key) for key in COLUMN_NAMES}
        anchor = cols["level3"] or cols["level1"]
        if anchor is None:
            return (), (), ""
        grid = self.grid
        pattern = _goal_pattern(self.rubric) if self.rubric else None
        rows: list[TargetIndicator] = []
        goals: list[TargetGoal] = []
        goal_anchor: tuple[int, int] | None = None
        for r in range(anchor.min_row, min(anchor.max_row, grid.n_rows) + 1):
            goal_col = cols["goal"]
            if goal_col is not None:
                here = grid.anchor(r, goal_col.min_col)
                text = grid.text(r, goal_col.min_col)
                if here != goal_anchor:
                    goal_anchor = here
                    placeholder = not text or bool(pattern and pattern.fullmatch(label_key(text)))
                    goals.append(TargetGoal(text, grid.address(r, goal_col.min_col), placeholder))
            rows.append(_indicator(grid, r, cols, len(goals) - 1 if goals else None))
        header = (cols["level1"] or anchor).min_row - 1
        return tuple(rows), tuple(goals), grid.address(max(header, 1), (cols["level1"] or anchor).min_col)


def _cell(grid: Grid, area: Area | None, r: int) -> Any:
    return grid.value(r, area.min_col) if area is not None else None


def _text(grid: Grid, area: Area | None, r: int) -> str:
    return grid.text(r, area.min_col) if area is not None else ""


def _indicator(grid: Grid, r: int, cols: dict[str, Area | None], goal: int | None) -> TargetIndicator:
    nature = NATURE_SPELLINGS.get(_text(grid, cols["nature"], r).replace(" ", ""), "")
    unit = _text(grid, cols["unit"], r)
    target_area = cols["target"]
    value = _cell(grid, target_area, r)
    fmt = grid.number_format(r, target_area.min_col) if target_area is not None else "General"
    target = _compose(value, fmt, nature, unit)
    level_area = cols["level2"] or cols["level1"]
    return TargetIndicator(
        level1=_text(grid, cols["level1"], r),
        level2=_text(grid, cols["level2"], r),
        name=_text(grid, cols["level3"], r),
        target=target,
        basis=_text(grid, cols["basis"], r),
        description=_text(grid, cols["description"], r),
        name_cell=grid.address(r, cols["level3"].min_col) if cols["level3"] else "",
        target_cell=grid.address(r, target_area.min_col) if target_area else "",
        basis_cell=grid.address(r, cols["basis"].min_col) if cols["basis"] else "",
        level_cell=grid.address(r, level_area.min_col) if level_area else "",
        goal=goal,
    )


def _compose(value: object, number_format: str, nature: str, unit: str) -> object:
    """The 指标值 as the core reads it; native forms split "≥95%" into 性质 ≥, 95 and 单位 %."""
    if blank_value(value):
        return "" if value is None else value
    prefix = nature if nature in ("≥", "≤", "=") else ""
    if not (prefix or unit):
        return scoring_value(value, number_format)
    text = display(value, number_format)
    if text.endswith("%") and unit == "%":
        unit = ""  # typed as 95% in a % cell: the sign is already there
    if isinstance(value, str) and (text[:1] in "≥≤=<>" or not re.match(r"^-?\d", text)):
        return text  # already a whole target ("≥95%", "有所提升"): 性质 and 单位 add nothing
    return f"{prefix}{text}{unit}"


def _plan_point(grid: Grid, r: int, col: int, month: str) -> PlanPoint:
    value = grid.value(r, col)
    fraction, _ = rate_of(value, grid.number_format(r, col))
    percent = None if fraction is None else round(fraction * 100, 10)
    text = "" if percent is not None else grid.text(r, col)
    return PlanPoint(month, percent, grid.address(r, col), text)


def read_jixiao_target(
    grid: Grid, names: dict[str, Area], meta: dict[str, str], file: str
) -> TargetForm | None:
    """The target form on one sheet of a jixiao workbook, or None when the sheet holds none."""
    own = builtin_rubrics().get(meta.get("rubric", ""))
    sheet = _Named(grid, names, own)
    indicators, goals, table_cell = sheet.indicators()
    scope = own.scope if own is not None else ("unit" if sheet.at("部门预算数") or goals else "project")
    if not indicators and sheet.at("预算数") is None and sheet.at("部门预算数") is None:
        return None
    rubric = review_rubric(meta.get("rubric"), scope)
    assert rubric.review is not None
    funds = None
    if sheet.at("预算数") is not None:
        funds = TargetFunds(sheet.amount("预算数"), sheet.amount("财政资金"), sheet.amount("其他资金"))
    unit_budget = None
    if any(sheet.at(name) for name in _UNIT_NAMES):
        unit_budget = UnitBudget(*(sheet.amount(name) for name in _UNIT_NAMES))
    project = grid.text(*sheet.at("项目名称")) if sheet.at("项目名称") else ""
    goal_text = sheet.text("绩效目标") or sheet.text("总体绩效目标")
    return TargetForm(
        file=file,
        sheet=grid.title,
        title=project or grid.title,
        scope=scope,  # type: ignore[arg-type]
        review=rubric.review,
        amount_unit=rubric.amount_unit,
        rubric=meta.get("rubric") or None,
        rules=own.rule_set if own is not None else rubric.rule_set,
        project=project,
        code=grid.text(*sheet.at("项目编码")) if sheet.at("项目编码") else "",
        unit=meta.get("unit", ""),
        goal_text=goal_text,
        funds=funds,
        unit_budget=unit_budget,
        plan=sheet.plan(),
        indicators=indicators,
        goals=goals,
        table_cell=table_cell,
    )


# -- hand-made forms ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    """Header labels of the built-in target rubrics (keys as compared): the indicator columns by
    role, the 资金支出计划 label with its months, and the header fields' spellings by project field
    (the shared header vocabulary's ``project_fields``)."""
    columns: dict[str, str] = {}
    plans: list[tuple[str, tuple[str, ...]]] = []
    for rubric in builtin_rubrics().values():
        if rubric.kind is not FormKind.TARGET:
            continue
        table = rubric.indicators
        for column in table.columns if table else ():
            if column.key != "goal":
                columns.setdefault(label_key(column.label), column.key)
        for block in rubric.blocks:
            if isinstance(block, PlanBlock):
                plans.append((label_key(block.label), tuple(label_key(m) for m in block.months)))
    fields = {
        label_key(spelling): field
        for field, spellings in vocabulary().project_fields.items()
        for spelling in spellings
    }
    return {"columns": columns, "plans": plans, "fields": fields}


# Columns only a self-evaluation has: a table with one of them is not a target form.
_SCORED_ROLES = frozenset({"actual", "weight", "score", "reference"})


# Header labels are short ("指标值确定依据", "年初目标值(A)"); longer cells are names and descriptions,
# never looked up (every sheet that is not a jixiao workbook is probed, so this stays cheap).
_HEADER_LABEL_MAX = 20


@lru_cache(maxsize=4096)
def _role(key: str) -> str | None:
    return _labels()["columns"].get(key) or vocabulary().indicator_role(key)


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The indicator table's header row and its columns by role, when the sheet has a target table."""
    for r in range(1, grid.n_rows + 1):
        found: dict[str, int] = {}
        for col, key in grid.labels(r):
            role = _role(key) if len(key) <= _HEADER_LABEL_MAX else None
            if role is not None:
                found.setdefault(role, col)
        if "level3" not in found and "name" in found:
            found["level3"] = found.pop("name")  # 指标名称 / 指标内容 for 三级指标
        if {"level1", "target"} <= found.keys() and found.keys() & {"level2", "level3"}:
            # Two-row headers put 实际完成值 / 分值 / 得分 on the row above or below the levels.
            scored = set(found) | _roles_on(grid, r - 1) | _roles_on(grid, r + 1)
            return None if _SCORED_ROLES & scored else (r, found)
    return None


def _roles_on(grid: Grid, r: int) -> set[str]:
    if not 1 <= r <= grid.n_rows:
        return set()
    return {role for _, key in grid.labels(r) if len(key) <= _HEADER_LABEL_MAX and (role := _role(key))}


def _field(grid: Grid, field: str, above: int) -> Text | None:
    """A header field above the table (项目名称, 预算数 …): its label, the value right of it, its cell."""
    spellings = _labels()["fields"]
    for r in range(1, above):
        for col, key in grid.labels(r):
            if spellings.get(key) == field:
                value_col = grid.right_of(r, col)
                if value_col is None:
                    return Text(grid.text(r, col), "", grid.address(r, grid.after(r, col)))
                return Text(grid.text(r, col), grid.text(r, value_col), grid.address(r, value_col))
    return None


def _amount(grid: Grid, field: str, above: int) -> Amount:
    found = _field(grid, field, above)
    return Amount(None) if found is None else Amount(as_number(found.text), found.cell)


def _plan(grid: Grid, above: int) -> tuple[PlanPoint, ...]:
    for label, months in _labels()["plans"]:
        stem = label.split("(")[0]  # "资金支出计划(%)" or "资金支出计划"
        for r in range(1, above):
            for col, key in grid.labels(r):
                if not key.startswith(stem):
                    continue
                # Months on this row (or the next), their values on the row below them.
                for month_row in (r, r + 1):
                    found = [(c, k) for c, k in grid.labels(month_row) if k in months and c > col]
                    if found:
                        return tuple(
                            _plan_point(grid, month_row + 1, c, grid.text(month_row, c)) for c, _ in found
                        )
    return ()


def _framework(rows: list[TargetIndicator]) -> str:
    """The built-in project target rubric whose 一级 / 二级 tree the rows follow best (the 2021
    framework has 成本指标 at the top, the 2020 one under 产出指标); ties go to the first."""
    best, best_score = PROJECT_RUBRIC, -1
    for name, rubric in builtin_rubrics().items():
        table = rubric.indicators
        if rubric.review is None or rubric.scope != "project" or table is None:
            continue
        tree = {level_key(l1.name): {level_key(l2) for l2 in l1.level2} for l1 in table.tree}
        score = sum(1 for row in rows if level_key(row.level2) in tree.get(level_key(row.level1), ()))
        if score > best_score:
            best, best_score = name, score
    return best


def read_handmade_target(grid: Grid, file: str, rubric: str | None = None) -> TargetForm | None:
    """A target form laid out by hand (seed 004): found by its header labels, None when absent."""
    header = _header(grid)
    if header is None:
        return None
    top, cols = header
    rows: list[TargetIndicator] = []
    level1 = level2 = ""
    for r in range(top + 1, grid.n_rows + 1):
        values = {role: grid.text(r, col) for role, col in cols.items()}
        if not any(values.values()):
            if rows:
                break  # the table has ended
            continue
        # Hand-made tables merge 一级 / 二级 down their rows, or leave them blank below the first.
        level1 = values.get("level1") or level1
        level2 = values.get("level2") or (level2 if not values.get("level1") else "")
        target_col = cols["target"]
        # Some layouts split the target into 指标性质 | 指标值 | 度量单位 (≥ | 95 | %).
        nature = NATURE_SPELLINGS.get(values.get("nature", "").replace(" ", ""), "")
        target = _compose(
            grid.value(r, target_col), grid.number_format(r, target_col), nature, values.get("unit", "")
        )
        rows.append(
            TargetIndicator(
                level1=level1,
                level2=level2,
                name=values.get("level3", ""),
                target=target,
                basis=values.get("basis", ""),
                description=values.get("description", ""),
                name_cell=grid.address(r, cols.get("level3", cols["target"])),
                target_cell=grid.address(r, target_col),
                basis_cell=grid.address(r, cols["basis"]) if "basis" in cols else "",
                level_cell=grid.address(r, cols.get("level2", cols["level1"])),
            )
        )
    chosen = review_rubric(rubric if rubric in builtin_rubrics() else _framework(rows), "project")
    assert chosen.review is not None
    name = _field(grid, "name", top)
    code = _field(grid, "code", top)
    budget = _amount(grid, "budget", top)
    project = name.text if name else ""
    funds = None
    if budget.cell:
        funds = TargetFunds(budget, _amount(grid, "fiscal", top), _amount(grid, "other", top))
    return TargetForm(
        file=file,
        sheet=grid.title,
        title=project or grid.title,
        scope="project",
        review=chosen.review,
        amount_unit=chosen.amount_unit,
        rubric=None,
        rules=chosen.rule_set,
        project=project,
        code=code.text if code else "",
        unit=_unit_line(grid, top),
        goal_text=_field(grid, "goals", top),
        funds=funds,
        plan=_plan(grid, top),
        indicators=tuple(rows),
        table_cell=grid.address(top, cols["level1"]),
    )


def _unit_line(grid: Grid, above: int) -> str:
    """The unit's name from the line over the form ("131001政协…办公室(本级)  单位：万元")."""
    for r in range(1, above):
        for _, key in grid.labels(r):
            if re.match(r"^\d{4,}\D", key):
                return re.sub(r"^\d+", "", key)
    return ""


# -- last year's self-evaluations ---------------------------------------------------------------------


def previous_forms(forms: Iterable[FilledForm]) -> list[PreviousForm]:
    """Last year's self-evaluations, reduced to what the target review compares."""
    found: list[PreviousForm] = []
    for form in forms:
        # 部门整体: 年度目标 groups (Hubei), 共性指标 groups (Shanxi), or a unit rubric.
        unit = any(g.kind in (GroupKind.GOAL, GroupKind.COMMON) for g in form.groups) or "unit" in (
            form.rubric or ""
        )
        rows = tuple(
            PreviousIndicator(row.level2 or "", row.name, row.target, row.actual, row.label_cell)
            for row in form.rows
            if row.scorable and row.name and _written(row.actual)
        )
        found.append(PreviousForm(form.file, form.sheet, form.title, unit, rows, form.part))
    return found
