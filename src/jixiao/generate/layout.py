"""Rubric → layout: every cell, merge, name, validation and formula of a form, as plain data.

The layout knows nothing about file formats; :mod:`jixiao.generate.writer` turns it into a
workbook. Blocks are laid out top to bottom on one grid whose columns are the indicator table's
columns (or the common-indicator table's), so a new region's form is a new rubric file only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import jinja2

from jixiao.core.rules import RuleSet, rules_from_json, rules_json
from jixiao.core.values import format_number
from jixiao.generate.formulas import Dialect, Formulas, RowRefs
from jixiao.rubric.model import (
    CommonBlock,
    ExecutionBlock,
    FieldsBlock,
    FieldSpec,
    FormKind,
    FundRow,
    GoalPairBlock,
    IndicatorColumn,
    IndicatorsBlock,
    NoteBlock,
    PlanBlock,
    RowTemplate,
    Rubric,
    TextBlock,
    TitleBlock,
    TotalBlock,
)
from jixiao.workbook.contract import (
    BANDS,
    COLUMN_NAMES,
    COMMON_COLUMN_NAMES,
    INSTRUCTIONS_SHEET,
    LEVEL1_LIST,
    LEVEL2_LIST_PREFIX,
    META_SHEET,
    NATURES,
    RULES_NAME,
)
from jixiao.workbook.refs import area, cell

Role = Literal[
    "title",
    "subtitle",
    "section",
    "label",
    "header",
    "input_text",
    "input_amount",
    "input_number",
    "input_percent",
    "input_integer",
    "formula_number",
    "formula_percent",
    "formula_text",
    "fixed_text",
    "fixed_number",
    "total",
    "note",
]

INPUT_ROLES = frozenset(role for role in Role.__args__ if role.startswith("input"))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    role: Role
    value: str | float | None = None
    formula: str | None = None
    last_row: int | None = None
    last_col: int | None = None

    @property
    def cached(self) -> str | float:
        """What the formula shows on a blank form, stored for viewers that do not recalculate."""
        if self.formula and self.formula.startswith("=SUM("):
            return 0.0
        return ""

    @property
    def merged(self) -> bool:
        return (self.last_row or self.row) != self.row or (self.last_col or self.col) != self.col


@dataclass(frozen=True)
class Validation:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    kind: Literal["list", "decimal", "integer", "custom"]
    values: tuple[str, ...] = ()
    source: str | None = None  # a formula for list sources (=INDIRECT(...))
    minimum: float | str | None = None
    maximum: float | str | None = None
    formula: str | None = None
    input_title: str = ""
    input_message: str = ""
    error_title: str = "输入有误"
    error_message: str = ""
    error_type: Literal["stop", "warning", "information"] = "stop"


@dataclass(frozen=True)
class ConditionalFormat:
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    formula: str  # relative to the top-left cell
    role: Literal["warning", "problem"] = "warning"


@dataclass(frozen=True)
class NamedRange:
    name: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def ref(self) -> str:
        return area(self.first_row, self.first_col, self.last_row, self.last_col, absolute=True)


@dataclass
class SheetLayout:
    name: str
    width: int
    column_widths: list[float]
    cells: list[Cell] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    names: list[NamedRange] = field(default_factory=list)
    row_heights: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None
    repeat_rows: tuple[int, int] | None = None
    rows: int = 0

    def name_of(self, name: str) -> NamedRange:
        for named in self.names:
            if named.name == name:
                return named
        raise KeyError(name)


@dataclass
class WorkbookLayout:
    forms: list[SheetLayout]
    instructions_title: str
    instructions: list[str]
    meta: list[tuple[str, str]]
    lists: dict[str, list[str]]  # defined name → values (dropdown sources, on the meta sheet)
    rules_json: str
    dialect: Dialect


@dataclass(frozen=True)
class ProjectInfo:
    """What is known about one project before the form is filled (from a list or last year)."""

    name: str = ""
    code: str = ""
    department: str = ""
    implementer: str = ""
    budget: float | None = None
    fiscal: float | None = None
    other: float | None = None
    purpose: str = ""
    goals: str = ""  # 绩效目标 / 年初设定目标
    rows: tuple[RowTemplate, ...] | None = None  # indicator rows carried over (targets as suggestions)


@dataclass(frozen=True)
class FormContext:
    year: int
    unit: str
    unit_code: str = ""
    project: ProjectInfo | None = None
    goals: tuple[ProjectInfo, ...] = ()  # unit forms: one 年度目标 per project

    def values(self) -> dict[str, object]:
        p = self.project or ProjectInfo()
        return {
            "年度": self.year,
            "单位名称": self.unit,
            "单位编码": self.unit_code,
            "项目名称": p.name,
            "项目编码": p.code,
            "主管部门": p.department,
            "实施单位": p.implementer,
            "预算数": p.budget,
            "财政资金": p.fiscal,
            "其他资金": p.other,
            "资金用途": p.purpose,
            "绩效目标": p.goals,
            "填报日期": "",
        }


_JINJA = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


@lru_cache(maxsize=256)
def _compiled(template: str) -> jinja2.Template:
    return _JINJA.from_string(template)


def render(template: str, context: dict[str, object]) -> str:
    try:
        return _compiled(template).render(**context).strip()
    except jinja2.TemplateError as error:
        known = "、".join(str(key) for key in context)
        raise LayoutError(f"表样模板「{template[:40]}」有误：{error}（可用的变量：{known}）") from None


def rules_context(rules: RuleSet) -> dict[str, object]:
    """Template variables describing the rules in force (for 填表说明)."""
    achieved, partial = rules.qualitative_bands

    def pct(x: float) -> str:
        return f"{format_number(x * 100)}%"

    return {
        "达成": f"{pct(achieved)}–100%",
        "部分": f"{pct(partial)}–{pct(achieved)}",
        "未达成": f"0–{pct(partial)}",
        "小数位数": rules.decimals,
        "反向计分": "线性递减" if rules.reverse == "linear" else "分值 × A ÷ B",
        "等级": "，".join(f"{name} ≥ {format_number(bound)}" for name, bound in rules.grade_bands[:-1])
        + f"，其余为{rules.grade_bands[-1][0]}",
    }


class LayoutError(ValueError):
    """A rubric that cannot be laid out (e.g. more fields in a row than grid columns)."""


# ---------------------------------------------------------------------------------------------


class _SheetBuilder:
    """Lays the blocks of one form out on a sheet, top to bottom."""

    def __init__(self, rubric: Rubric, context: FormContext, dialect: Dialect, sheet_name: str):
        self.rubric = rubric
        self.context = context
        self.values = context.values()
        self.dialect = dialect
        self.rules = rubric.rule_set
        self.formulas = Formulas(dialect, self.rules)
        self.columns = _grid_columns(rubric, dialect)
        self.width = len(self.columns)
        widths = [column[1] for column in self.columns]
        self.sheet = SheetLayout(sheet_name, self.width, widths)
        self.row = 0
        self.named_cells: dict[str, str] = {}  # workbook name → A1 of its cell (for compute formulas)
        self.computed: list[tuple[int, int, str, Role]] = []  # cells whose formula uses names
        self.score_parts: list[str] = []  # cells summed into the total
        self.score_cells: list[str] = []  # ranges whose count says "something was scored"
        self.auto_names: set[str] = set()  # names given after a field's key, not claimed by the rubric

    # -- primitives ---------------------------------------------------------------------------

    def put(
        self,
        row: int,
        col: int,
        role: Role,
        value: str | float | None = None,
        formula: str | None = None,
        *,
        last_row: int | None = None,
        last_col: int | None = None,
    ) -> Cell:
        item = Cell(row, col, role, value, formula, last_row, last_col)
        self.sheet.cells.append(item)
        return item

    def name(
        self,
        name: str,
        first_row: int,
        first_col: int,
        last_row: int | None = None,
        last_col: int | None = None,
    ):
        named = NamedRange(
            name,
            first_row,
            first_col,
            last_row if last_row is not None else first_row,
            last_col if last_col is not None else first_col,
        )
        if name in self.auto_names:
            # A field named only after its key gives way to the block that owns the name (预算数 …).
            self.sheet.names = [existing for existing in self.sheet.names if existing.name != name]
            self.auto_names.discard(name)
            self.named_cells.pop(name, None)
        if any(existing.name == name for existing in self.sheet.names):
            raise LayoutError(f"表样「{self.rubric.name}」中名称「{name}」重复")
        self.sheet.names.append(named)
        if named.first_row == named.last_row and named.first_col == named.last_col:
            self.named_cells[name] = cell(first_row, first_col)
        return named

    def auto_name(self, name: str, row: int, col: int) -> None:
        """Name a cell after its context key unless the name is taken; a block may claim it later."""
        if any(existing.name == name for existing in self.sheet.names):
            return
        self.name(name, row, col)
        self.auto_names.add(name)

    def height(self, row: int, points: float) -> None:
        self.sheet.row_heights[row] = max(points, self.sheet.row_heights.get(row, 0))

    def spans(self, weights: list[int | None], total: int) -> list[int]:
        """Split ``total`` grid columns among cells; fixed spans kept, the rest shared evenly."""
        fixed = sum(w for w in weights if w)
        free = [i for i, w in enumerate(weights) if not w]
        remaining = total - fixed
        if remaining < len(free) or remaining < 0:
            raise LayoutError(
                f"表样「{self.rubric.name}」：一行中的 {len(weights)} 个单元格放不进 {total} 列，请调整 span"
            )
        result = [w or 0 for w in weights]
        if free:
            base, extra = divmod(remaining, len(free))
            for position, index in enumerate(free):
                result[index] = base + (1 if position >= len(free) - extra else 0)
        else:
            result[-1] += remaining
        return result

    def input_role(self, kind: str) -> Role:
        return {
            "amount": "input_amount",
            "signed_amount": "input_amount",
            "percent": "input_percent",
            "integer": "input_integer",
            "date": "input_text",
        }.get(kind, "input_text")  # type: ignore[return-value]

    # -- blocks -------------------------------------------------------------------------------

    def build(self) -> SheetLayout:
        for block in self.rubric.blocks:
            getattr(self, f"_{block.type}")(block)
        self._resolve_computed()
        self.sheet.rows = self.row
        return self.sheet

    def _title(self, block: TitleBlock) -> None:
        self.put(self.row, 0, "title", render(block.template, self.values), last_col=self.width - 1)
        self.height(self.row, 36)
        self.row += 1
        if block.subtitle:
            self.put(self.row, 0, "subtitle", render(block.subtitle, self.values), last_col=self.width - 1)
            self.height(self.row, 20)
            self.row += 1

    def _fields(self, block: FieldsBlock) -> None:
        for fields in block.rows:
            weights: list[int | None] = []
            for spec in fields:
                weights += [spec.label_span or 1, spec.span]
            spans = self.spans(weights, self.width)
            col = 0
            for index, spec in enumerate(fields):
                label_span, value_span = spans[2 * index], spans[2 * index + 1]
                self.put(self.row, col, "label", spec.label, last_col=col + label_span - 1)
                col += label_span
                self._field_value(spec, col, col + value_span - 1)
                col += value_span
            self.height(self.row, 24)
            self.row += 1

    def _field_value(self, spec: FieldSpec, first: int, last: int) -> None:
        value = self.values.get(spec.key) if spec.key else None
        if spec.compute:
            self.computed.append((self.row, first, spec.compute, "formula_number"))
            self.put(self.row, first, "formula_number", None, "", last_col=last)
        else:
            role = self.input_role(spec.type)
            shown = value if value not in (None, "") else None
            if isinstance(shown, (int, float)) and role == "input_text":
                shown = format_number(float(shown))
            self.put(self.row, first, role, shown, last_col=last)
            if spec.type in ("amount", "integer", "signed_amount"):
                signed = spec.type == "signed_amount"
                self.sheet.validations.append(
                    Validation(
                        self.row,
                        first,
                        self.row,
                        first,
                        "integer" if spec.type == "integer" else "decimal",
                        minimum=-1e12 if signed else 0,
                        maximum=1e12,
                        input_title=spec.label,
                        input_message=(
                            "请填写数字，调减填负数（单位见表头）。"
                            if signed
                            else "请填写不小于 0 的数字（单位见表头）。"
                        ),
                        error_message=f"「{spec.label}」应为数字。"
                        if signed
                        else f"「{spec.label}」应为不小于 0 的数字。",
                    )
                )
        # Keyed fields are named after their key (项目名称 …) so readers find them without labels.
        if spec.name:
            self.name(spec.name, self.row, first)
        elif spec.key:
            self.auto_name(spec.key, self.row, first)

    def _text(self, block: TextBlock) -> None:
        label_span = 2 if self.width >= 6 else 1
        value = self.values.get(block.key) if block.key else None
        self.put(self.row, 0, "label", block.label, last_col=label_span - 1)
        self.put(self.row, label_span, "input_text", value or None, last_col=self.width - 1)
        if block.name:
            self.name(block.name, self.row, label_span)
        elif block.key:
            self.auto_name(block.key, self.row, label_span)
        self.height(self.row, 18 * block.lines)
        self.row += 1

    def _note(self, block: NoteBlock) -> None:
        self.put(self.row, 0, "note", render(block.text, self.values), last_col=self.width - 1)
        self.height(self.row, 16 * block.lines)
        self.row += 1

    def _plan(self, block: PlanBlock) -> None:
        label_span = 2 if self.width >= 6 else 1
        spans = self.spans([None] * len(block.months), self.width - label_span)
        self.put(self.row, 0, "label", block.label, last_row=self.row + 1, last_col=label_span - 1)
        col = label_span
        first_value_col = col
        starts = []
        for month, span in zip(block.months, spans, strict=True):
            self.put(self.row, col, "header", month, last_col=col + span - 1)
            self.put(self.row + 1, col, "input_percent", None, last_col=col + span - 1)
            starts.append(col)
            col += span
        value_row = self.row + 1
        # Cumulative, non-decreasing, the last month = 100 %.
        for index, start in enumerate(starts):
            here = cell(value_row, start)
            checks = [f"ISNUMBER({here})", f"{here}>=0", f"{here}<=1"]
            if index:
                previous = cell(value_row, starts[index - 1])
                checks.append(f"{here}>={previous}")
            message = "累计支出比例，应不小于上一期"
            if index == len(starts) - 1:
                checks.append(f"ROUND({here},6)=1")
                message = "最后一期应为 100%"
            self.sheet.validations.append(
                Validation(
                    value_row,
                    start,
                    value_row,
                    start,
                    "custom",
                    formula=f"=AND({','.join(checks)})",
                    input_title=block.months[index],
                    input_message="填累计支出比例，如 25%；逐期不减少，最后一期为 100%。",
                    error_message=f"{block.months[index]}：{message}（0%–100%）。",
                )
            )
        self.name(block.name, value_row, first_value_col, value_row, starts[-1])
        self.height(self.row, 20)
        self.height(value_row, 20)
        self.row += 2

    def _execution(self, block: ExecutionBlock) -> None:
        label_span = 2 if self.width >= 8 else 1
        row_label_span = 2 if self.width - label_span - len(block.columns) >= 2 + len(block.columns) else 1
        spans = self.spans([None] * len(block.columns), self.width - label_span - row_label_span)
        top = self.row
        last = top + len(block.rows)
        self.put(top, 0, "label", block.label, last_row=last, last_col=label_span - 1)
        self.put(top, label_span, "header", "", last_col=label_span + row_label_span - 1)
        starts: dict[str, tuple[int, int]] = {}
        col = label_span + row_label_span
        for column, span in zip(block.columns, spans, strict=True):
            self.put(top, col, "header", column.label, last_col=col + span - 1)
            starts[column.key] = (col, col + span - 1)
            col += span
        self.height(top, 32)
        has_parts = any(row.part for row in block.rows)
        weight_text = format_number(block.weight)
        for index, fund in enumerate(block.rows):
            r = top + 1 + index
            self.put(r, label_span, "label", fund.label, last_col=label_span + row_label_span - 1)
            self.height(r, 24)
            total_row = index == 0
            for key, (first, end) in starts.items():
                ref_of = {k: cell(r, v[0]) for k, v in starts.items()}
                if key in ("budget", "actual", "initial_budget"):
                    if total_row and has_parts:
                        parts = area(top + 2, first, last, first)
                        self.put(r, first, "formula_number", None, f"=SUM({parts})", last_col=end)
                    else:
                        prefill = _fund_prefill(fund, key, total_row, self.values)
                        self.put(r, first, "input_amount", prefill, last_col=end)
                        self.sheet.validations.append(
                            Validation(
                                r,
                                first,
                                r,
                                first,
                                "decimal",
                                minimum=0,
                                maximum=1e12,
                                input_title=fund.label,
                                input_message="金额（单位见本栏标题），不小于 0。",
                                error_message="金额应为不小于 0 的数字。",
                            )
                        )
                elif key == "weight":
                    self.put(r, first, "fixed_number", block.weight if total_row else None, last_col=end)
                elif not total_row:
                    self.put(r, first, "fixed_text", "—", last_col=end)
                elif key == "rate":
                    formula = self.formulas.execution_rate(ref_of["budget"], ref_of["actual"])
                    self.put(r, first, "formula_percent", None, formula, last_col=end)
                elif key == "score":
                    weight_ref = ref_of.get("weight", weight_text)
                    formula = self.formulas.execution_score(ref_of["budget"], ref_of["actual"], weight_ref)
                    self.put(r, first, "formula_number", None, formula, last_col=end)
            if total_row:
                self.name("预算数", r, starts["budget"][0])
                self.name("执行数", r, starts["actual"][0])
                self.name("执行率", r, starts["rate"][0])
                self.name("执行率得分", r, starts["score"][0])
                if "initial_budget" in starts:
                    self.name("年初预算数", r, starts["initial_budget"][0])
                self.score_parts.append(cell(r, starts["score"][0]))
                self.score_cells.append(cell(r, starts["score"][0]))
        self.row = last + 1

    def _goal_pair(self, block: GoalPairBlock) -> None:
        label_span = 2 if self.width >= 8 else 1
        score_span = 1
        target_span, actual_span = self.spans([None, None], self.width - label_span - score_span)
        top = self.row
        self.put(top, 0, "label", block.label, last_row=top + 1, last_col=label_span - 1)
        col = label_span
        self.put(top, col, "header", block.target_label, last_col=col + target_span - 1)
        project = self.context.project
        self.put(
            top + 1,
            col,
            "input_text",
            (project.goals if project else "") or None,
            last_col=col + target_span - 1,
        )
        col += target_span
        self.put(top, col, "header", block.actual_label, last_col=col + actual_span - 1)
        self.put(top + 1, col, "input_text", None, last_col=col + actual_span - 1)
        col += actual_span
        self.put(top, col, "header", f"{block.score_label}（{format_number(block.weight)}分）")
        self.put(top + 1, col, "input_number", None)
        self.sheet.validations.append(
            Validation(
                top + 1,
                col,
                top + 1,
                col,
                "decimal",
                minimum=0,
                maximum=block.weight,
                input_title=block.label,
                input_message=f"由评分人对照目标与完成情况打分，0–{format_number(block.weight)} 分。",
                error_message=f"得分应在 0 到 {format_number(block.weight)} 之间。",
            )
        )
        self.name("年初设定目标", top + 1, label_span)
        self.name("全年实际完成情况", top + 1, label_span + target_span)
        self.name("总目标得分", top + 1, col)
        self.score_parts.append(cell(top + 1, col))
        self.height(top, 24)
        self.height(top + 1, 18 * block.lines)
        self.row = top + 2

    def _indicators(self, block: IndicatorsBlock) -> None:
        columns = [column for column in block.columns if self.dialect in column.dialects]
        col_of = {column.key: index for index, column in enumerate(columns)}
        if block.label:
            self.put(self.row, 0, "section", block.label, last_col=self.width - 1)
            self.height(self.row, 22)
            self.row += 1
        header = self.row
        for index, column in enumerate(columns):
            self.put(header, index, "header", column.label)
        self.height(header, 32)
        self.sheet.repeat_rows = (header, header)
        self.sheet.freeze = (header + 1, 0)
        first = header + 1
        groups = self._indicator_groups(block)
        r = first
        for group_label, rows in groups:
            group_first = r
            for template in rows:
                self._indicator_row(block, columns, col_of, r, template)
                r += 1
            if group_label is not None:
                self._goal_group(col_of, group_label, group_first, r - 1)
        last = r - 1
        for key, index in col_of.items():
            if key in COLUMN_NAMES:
                self.name(COLUMN_NAMES[key], first, index, last, index)
        self._indicator_validations(block, col_of, first, last)
        if {"weight", "score"} & col_of.keys():
            self._indicator_subtotal(block, col_of, first, last)
        else:
            self.row = last + 1

    def _indicator_groups(self, block: IndicatorsBlock) -> list[tuple[str | None, list[RowTemplate]]]:
        project = self.context.project
        if block.goals is None:
            rows = list(project.rows) if project and project.rows is not None else list(block.rows)
            blanks = [RowTemplate(level1="", level2="")] * block.blank_rows
            return [(None, rows + blanks)]
        goals = block.goals
        groups: list[tuple[str | None, list[RowTemplate]]] = []
        sources = list(self.context.goals) if (goals.from_projects and self.context.goals) else []
        count = len(sources) or goals.count
        for number in range(1, count + 1):
            label = render(goals.label, {**self.values, "序号": number})
            rows: list[RowTemplate] = []
            if sources:
                source = sources[number - 1]
                label = f"{label}：{source.name}" if source.name else label
                rows = list(source.rows or ())
            rows += [RowTemplate(level1="", level2="")] * max(goals.rows_per_goal - len(rows), 0)
            groups.append((label, rows))
        return groups

    def _indicator_row(
        self,
        block: IndicatorsBlock,
        columns: list[IndicatorColumn],
        col_of: dict[str, int],
        r: int,
        template: RowTemplate,
    ) -> None:
        ref = {key: cell(r, index) for key, index in col_of.items()}
        native = self.dialect == "native"
        prefill: dict[str, object] = {
            "level1": template.level1,
            "level2": template.level2,
            "level3": template.level3,
            "description": template.description,
            "basis": template.basis,
            "nature": template.nature,
            "unit": template.unit,
            "weight": template.weight,
        }
        if "unit" in col_of:
            # A 度量单位 column holds the unit, so the 指标值 cell holds the bare number.
            number = _target_number(template)
            prefill["target"] = number if number is not None else template.target
        else:
            prefill["target"] = _target_text(template)
        for key, index in col_of.items():
            if key in ("goal", "goal_weight", "goal_score"):
                continue
            if key == "score":
                refs = RowRefs(
                    target=_target_argument(col_of, r) if not native else ref["target"],
                    actual=ref["actual"],
                    weight=ref["weight"],
                    level2=ref.get("level2"),
                    nature=ref.get("nature"),
                    judged=ref.get("judged"),
                    band=ref.get("band"),
                )
                self.put(r, index, "formula_number", None, self.formulas.indicator_score(refs))
                continue
            value = prefill.get(key)
            if key == "weight":
                self.put(r, index, "input_number", value if value is not None else None)
            elif key == "judged":
                self.put(r, index, "input_number", None)
            elif key == "target" and isinstance(value, float):
                self.put(r, index, "input_number", value)
            else:
                self.put(r, index, "input_text", value or None)
        self.height(r, 30)

    def _goal_group(self, col_of: dict[str, int], label: str, first: int, last: int) -> None:
        if "goal" in col_of:
            self.put(first, col_of["goal"], "input_text", label, last_row=last)
        if "goal_weight" in col_of and "weight" in col_of:
            weights = area(first, col_of["weight"], last, col_of["weight"])
            self.put(first, col_of["goal_weight"], "formula_number", None, f"=SUM({weights})", last_row=last)
        if "goal_score" in col_of and "score" in col_of:
            scores = area(first, col_of["score"], last, col_of["score"])
            self.put(first, col_of["goal_score"], "formula_number", None, f"=SUM({scores})", last_row=last)

    def _indicator_validations(
        self, block: IndicatorsBlock, col_of: dict[str, int], first: int, last: int
    ) -> None:
        v = self.sheet.validations

        def column(key: str) -> tuple[int, int, int, int]:
            return first, col_of[key], last, col_of[key]

        v.append(
            Validation(
                *column("level1"),
                "list",
                source=f"={LEVEL1_LIST}",
                input_title="一级指标",
                input_message="从下拉列表选择。",
                error_type="warning",
                error_message="不是本表样的一级指标，仍要使用吗？",
            )
        )
        level1_ref = cell(first, col_of["level1"])
        v.append(
            Validation(
                *column("level2"),
                "list",
                source=f'=INDIRECT("{LEVEL2_LIST_PREFIX}"&MATCH({level1_ref},{LEVEL1_LIST},0))',
                input_title="二级指标",
                input_message="先选一级指标，再从下拉列表选择二级指标。",
                error_type="warning",
                error_message="不是该一级指标下的二级指标，仍要使用吗？",
            )
        )
        if "nature" in col_of:
            v.append(
                Validation(
                    *column("nature"),
                    "list",
                    values=NATURES,
                    input_title="指标性质",
                    input_message="≥ 正向（越大越好）；≤ 反向（越小越好）；= 等于；定性 由评分人按档位打分。",
                    error_message="请从下拉列表选择 ≥、≤、= 或 定性。",
                )
            )
        if "basis" in col_of:
            v.append(
                Validation(
                    *column("basis"),
                    "list",
                    values=tuple(block.basis_options),
                    input_title="指标值确定依据",
                    input_message="可从下拉列表选择，也可填写其他依据（如 年度工作计划）。",
                    error_type="information",
                    error_message="不是常用依据，将按填写内容保留。",
                )
            )
        if "band" in col_of:
            v.append(
                Validation(
                    *column("band"),
                    "list",
                    values=BANDS,
                    input_title="定性档位",
                    input_message="定性指标选择完成档位，评定得分须在该档位区间内。",
                    error_message="请从下拉列表选择档位。",
                )
            )
        if "weight" in col_of:
            top = block.weight if block.weight is not None else self.rubric.total_weight
            v.append(
                Validation(
                    *column("weight"),
                    "decimal",
                    minimum=0,
                    maximum=top,
                    input_title="分值",
                    input_message=f"该指标的分值（权重），各指标分值之和应为 {format_number(top)} 分。",
                    error_message=f"分值应在 0 到 {format_number(top)} 之间。",
                )
            )
        if "target" in col_of and self.dialect == "native":
            v.append(
                Validation(
                    *column("target"),
                    "custom",
                    formula="=TRUE",
                    input_title="指标值",
                    input_message="定量指标填数字（百分数填 95 表示 95%，单位写在「度量单位」列）；定性指标填文字。",
                )
            )
        if "actual" in col_of:
            message = (
                "定量指标填数字（与指标值同一单位）；定性指标填完成情况。"
                if self.dialect == "native"
                else "照实填写，如 96%、≥8篇次、3000册、明显提升。"
            )
            v.append(
                Validation(
                    *column("actual"),
                    "custom",
                    formula="=TRUE",
                    input_title="实际完成值",
                    input_message=message,
                )
            )
        if "judged" in col_of and "weight" in col_of:
            refs = RowRefs(
                target=cell(first, col_of["target"]),
                actual=cell(first, col_of["actual"]),
                weight=cell(first, col_of["weight"]),
                judged=cell(first, col_of["judged"]),
                band=cell(first, col_of["band"]) if "band" in col_of else None,
            )
            achieved, partial = self.rules.qualitative_bands
            v.append(
                Validation(
                    *column("judged"),
                    "custom",
                    formula=self.formulas.judged_validation(refs),
                    input_title="评定得分",
                    input_message=(
                        "定性指标及规则无法判定的行由评分人打分：达成预期 "
                        f"{format_number(achieved * 100)}%–100%，部分达成 {format_number(partial * 100)}%–"
                        f"{format_number(achieved * 100)}%，未达成 0–{format_number(partial * 100)}%（占分值）。"
                    ),
                    error_message="评定得分应在 0 到分值之间，并在所选定性档位的区间内。",
                )
            )
        # A row that lost points needs its 偏差原因.
        if {"explanation", "score", "weight"} <= col_of.keys():
            score, weight = cell(first, col_of["score"]), cell(first, col_of["weight"])
            note = cell(first, col_of["explanation"])
            self.sheet.conditional_formats.append(
                ConditionalFormat(
                    *column("explanation"),
                    formula=f"=AND(ISNUMBER({score}),ISNUMBER({weight}),{score}<{weight},LEN({note})=0)",
                )
            )
        if {"judged", "score", "weight", "actual"} <= col_of.keys():
            score, weight = cell(first, col_of["score"]), cell(first, col_of["weight"])
            actual, judged = cell(first, col_of["actual"]), cell(first, col_of["judged"])
            self.sheet.conditional_formats.append(
                ConditionalFormat(
                    *column("judged"),
                    formula=f'=AND(ISNUMBER({weight}),LEN({actual})>0,{score}="",LEN({judged})=0)',
                )
            )

    def _indicator_subtotal(
        self, block: IndicatorsBlock, col_of: dict[str, int], first: int, last: int
    ) -> None:
        r = last + 1
        label_end = min(col_of.get("weight", self.width) - 1, self.width - 1)
        self.put(r, 0, "label", "合计", last_col=max(label_end, 0))
        expected = (
            block.weight if block.weight is not None else (block.goals.weight_total if block.goals else None)
        )
        for key, index in col_of.items():
            if index <= label_end:
                continue
            if key not in ("weight", "score"):
                self.put(r, index, "total", None)
                continue
            column = area(first, index, last, index)
            self.put(r, index, "total", None, f"=SUM({column})")
            if key == "weight" and expected is not None:
                here = cell(r, index)
                # Only once weights are being entered: a blank form is not an error.
                self.sheet.conditional_formats.append(
                    ConditionalFormat(
                        r,
                        index,
                        r,
                        index,
                        formula=f"=AND(COUNT({column})>0,ROUND({here},6)<>{format_number(expected)})",
                        role="problem",
                    )
                )
        if "score" in col_of:
            self.score_parts.append(cell(r, col_of["score"]))
            self.score_cells.append(area(first, col_of["score"], last, col_of["score"]))
            self.name("指标_得分合计", r, col_of["score"])
        if "weight" in col_of:
            self.name("指标_分值合计", r, col_of["weight"])
        self.height(r, 22)
        self.row = r + 1

    def _common(self, block: CommonBlock) -> None:
        keys = list(block.columns)
        col_of = {key: index for index, key in enumerate(keys)}
        if block.inputs:
            per_row = max(self.width // 2, 1)
            for start in range(0, len(block.inputs), per_row):
                chunk = block.inputs[start : start + per_row]
                spans = self.spans([1, None] * len(chunk), self.width)
                col = 0
                for index, item in enumerate(chunk):
                    self.put(self.row, col, "label", item.label, last_col=col + spans[2 * index] - 1)
                    col += spans[2 * index]
                    end = col + spans[2 * index + 1] - 1
                    self.put(self.row, col, self.input_role(item.type), None, last_col=end)
                    self.name(item.name, self.row, col)
                    col = end + 1
                self.height(self.row, 22)
                self.row += 1
        self.put(self.row, 0, "section", block.label, last_col=self.width - 1)
        self.row += 1
        header = self.row
        for key, label in block.columns.items():
            self.put(header, col_of[key], "header", label)
        self.height(header, 32)
        self.sheet.repeat_rows = (header, header)
        self.sheet.freeze = (header + 1, 0)
        r = header + 1
        first = r
        group_rows: list[int] = []
        for group in block.groups:
            group_row = r
            group_rows.append(group_row)
            r += 1
            rows_first = r
            for item in group.rows:
                self._common_row(block, col_of, r, item)
                r += 1
            rows_last = r - 1
            self.put(group_row, col_of.get("level1", 0), "label", group.label)
            for key in keys:
                index = col_of[key]
                if key == "level1":
                    continue
                if key == "reference":
                    self.put(group_row, index, "fixed_number", group.weight)
                elif key in ("weight", "score"):
                    self.put(
                        group_row, index, "total", None, f"=SUM({area(rows_first, index, rows_last, index)})"
                    )
                else:
                    self.put(group_row, index, "fixed_text", "—" if key == "analysis" else None)
            self.height(group_row, 22)
        last = r - 1
        for key, index in col_of.items():
            name = COMMON_COLUMN_NAMES.get(key)
            if name and key not in ("level1",):
                self.name(name, first, index, last, index)
        if "score" in col_of:
            index = col_of["score"]
            self.score_parts += [cell(row, index) for row in group_rows]
            # Only the rows' own 评价得分 say whether anything was scored (the group sums are numbers even on a blank form).
            self.score_cells += [
                area(group_row + 1, index, next_group - 1, index)
                for group_row, next_group in zip(group_rows, [*group_rows[1:], last + 1], strict=True)
            ]
        self.row = r

    def _common_row(self, block: CommonBlock, col_of: dict[str, int], r: int, item) -> None:
        for key, index in col_of.items():
            if key == "level1":
                self.put(r, index, "fixed_text", None)
            elif key == "level2":
                self.put(r, index, "fixed_text", item.level2)
            elif key == "level3":
                self.put(r, index, "fixed_text", item.level3)
            elif key == "reference":
                self.put(r, index, "fixed_number", item.weight)
            elif key == "weight":
                self.put(r, index, "input_number", item.weight)
            elif key == "analysis":
                self.put(r, index, "input_text", None)
            elif key == "result":
                if item.compute:
                    role: Role = "formula_percent" if item.compute_format == "percent" else "formula_number"
                    self.computed.append((r, index, item.compute, role))
                    self.put(r, index, role, None, "")
                else:
                    self.put(r, index, "fixed_text", item.formula or None)
            elif key == "score":
                self.put(r, index, "input_number", None)
                if "weight" in col_of:
                    weight = cell(r, col_of["weight"])
                    self.sheet.validations.append(
                        Validation(
                            r,
                            index,
                            r,
                            index,
                            "custom",
                            formula=f"=AND(ISNUMBER({cell(r, index)}),{cell(r, index)}>=0,{cell(r, index)}<={weight})",
                            input_title=item.level3,
                            input_message=(item.formula or "按评分标准打分") + "；不超过设定分值。",
                            error_message="评价得分应在 0 到设定分值之间。",
                        )
                    )
        self.height(r, 30)

    def _total(self, block: TotalBlock) -> None:
        r = self.row
        grade_cols = 2 if block.grade_label else 0
        label_end = self.width - 2 - grade_cols
        self.put(r, 0, "label", block.label, last_col=max(label_end, 0))
        total_col = label_end + 1
        total_formula = self.formulas.total(self.score_parts) if self.score_parts else "=0"
        self.put(r, total_col, "total", None, total_formula)
        self.name("总分", r, total_col)
        if block.grade_label:
            self.put(r, total_col + 1, "label", block.grade_label)
            any_score = ",".join(self.score_cells) or cell(r, total_col)
            self.put(
                r, total_col + 2, "formula_text", None, self.formulas.grade(cell(r, total_col), any_score)
            )
            self.name("等级", r, total_col + 2)
        self.height(r, 26)
        self.row += 1

    # -- names in compute expressions ------------------------------------------------------------

    def _resolve_computed(self) -> None:
        if not self.computed:
            return
        names = sorted(self.named_cells, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(name) for name in names)) if names else None
        resolved: list[Cell] = []
        pending = {(r, c): (expression, role) for r, c, expression, role in self.computed}
        for item in self.sheet.cells:
            key = (item.row, item.col)
            if key not in pending:
                resolved.append(item)
                continue
            expression, role = pending[key]
            formula = (
                pattern.sub(lambda m: self.named_cells[m.group(0)], expression) if pattern else expression
            )
            if re.search(r"[\u4e00-\u9fff]", formula):
                raise LayoutError(f"表样「{self.rubric.name}」的计算式「{expression}」引用了未定义的名称")
            resolved.append(
                Cell(item.row, item.col, role, None, f'=IFERROR({formula},"")', item.last_row, item.last_col)
            )
        self.sheet.cells = resolved


def _fund_prefill(fund: FundRow, key: str, total_row: bool, values: dict[str, object]) -> object:
    """A fund row's 预算数 from the project list: the row's own key, or 预算数 on the total row."""
    if key != "budget":
        return None
    source = fund.key or ("预算数" if total_row else None)
    value = values.get(source) if source else None
    if source == "财政资金" and value is None and values.get("其他资金") is None:
        # A list that gives only 预算数 means all of it is 财政资金 (seed 004: 预算数 21 = 财政资金 21).
        value = values.get("预算数")
    return value if isinstance(value, (int, float)) else None


def _target_text(template: RowTemplate) -> str:
    """A default target as free text: "100%" with 指标性质 ≥ becomes "≥100%"."""
    from jixiao.core.values import ValueKind, parse_value

    if template.nature in ("≥", "≤", "=") and template.target:
        value = parse_value(template.target)
        if value.kind is ValueKind.QUANTITY and value.comparator is None:
            return f"{template.nature}{template.target}"
    return template.target


def _target_argument(col_of: dict[str, int], r: int) -> str:
    """JX_SCORE's target: the 指标性质 | 指标值 | 度量单位 cells as one range when the form splits the
    target into three adjacent columns (the function joins them), else the 指标值 cell."""
    nature, target, unit = col_of.get("nature"), col_of["target"], col_of.get("unit")
    if nature is not None and unit is not None and nature + 1 == target and target + 1 == unit:
        return area(r, nature, r, unit)
    return cell(r, target)


def _target_number(template: RowTemplate) -> float | None:
    """A default target as the number the native dialect's 指标值 column holds ("≥95%" → 95)."""
    from jixiao.core.values import ValueKind, parse_value

    if not template.target:
        return None
    value = parse_value(template.target)
    if value.kind is ValueKind.QUANTITY:
        return value.numbers[0]
    return None


def _grid_columns(rubric: Rubric, dialect: Dialect) -> list[tuple[str, float]]:
    indicators = rubric.indicators
    if indicators is not None:
        return [(column.key, column.width) for column in indicators.columns if dialect in column.dialects]
    common = rubric.block("common")
    if isinstance(common, CommonBlock):
        widths = {
            "level1": 8,
            "level2": 14,
            "level3": 22,
            "reference": 8,
            "weight": 8,
            "analysis": 40,
            "result": 12,
            "score": 9,
        }
        return [(key, float(widths.get(key, 12))) for key in common.columns]
    raise LayoutError(f"表样「{rubric.name}」没有指标表（indicators 或 common 块）")


# ---------------------------------------------------------------------------------------------


def sheet_title(rubric: Rubric, context: FormContext, taken: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters, none of []:*?/\\'!)."""
    raw = render(rubric.sheet_name, context.values()) or rubric.title
    # Besides Excel's forbidden characters, ' and ! would break sheet-scoped name references.
    cleaned = re.sub(r"[\[\]:*?/\\'!]", "_", raw).strip() or "表"
    base = cleaned[:31]
    name = base
    number = 2
    reserved = {INSTRUCTIONS_SHEET, META_SHEET.lower()}
    while name.lower() in {t.lower() for t in taken} or name.lower() in reserved:
        suffix = f"({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def layout_workbook(rubric: Rubric, contexts: list[FormContext], dialect: Dialect) -> WorkbookLayout:
    """One sheet per context (project), plus 填表说明 and the hidden meta sheet."""
    if not contexts:
        raise LayoutError("至少需要一张表")
    taken: set[str] = set()
    forms = [
        _SheetBuilder(rubric, context, dialect, sheet_title(rubric, context, taken)).build()
        for context in contexts
    ]
    rules = rubric.rule_set
    lists: dict[str, list[str]] = {}
    for block in rubric.blocks:
        if isinstance(block, IndicatorsBlock):
            lists[LEVEL1_LIST] = [level1.name for level1 in block.tree]
            for number, level1 in enumerate(block.tree, start=1):
                lists[f"{LEVEL2_LIST_PREFIX}{number}"] = list(level1.level2)
    first = contexts[0]
    variables = {**first.values(), **rules_context(rules)}
    instructions = [line.rstrip() for line in render(rubric.instructions, variables).splitlines()]
    instructions += [
        "",
        "本表使用的评分规则（来自表样定义，生成时写入本工作簿）：",
        f"· 反向指标计分：{rules_context(rules)['反向计分']}；得分不超过分值。",
        f"· 定性指标档位：达成 {rules_context(rules)['达成']}，部分达成 {rules_context(rules)['部分']}，"
        f"未达成 {rules_context(rules)['未达成']}。",
        f"· 得分保留 {rules.decimals} 位小数（与 Excel ROUND 一致）；等级：{rules_context(rules)['等级']}。",
        "· 浅黄色单元格为填写区；其余单元格含公式或固定文字，已锁定（工作表保护无密码，可在「审阅」中撤销）。",
        (
            "· 本工作簿的得分公式使用 jixiao 加载项函数（JX_SCORE 等）；在 WPS 或未安装加载项的 Excel 中"
            "会显示 #NAME?，请改用 `jixiao new --formulas native` 生成的版本。"
            if dialect == "xlwings"
            else "· 本工作簿只用 Excel 原生公式，可在 WPS、LibreOffice 和未安装加载项的 Excel 中计算。"
        ),
    ]
    meta = [
        ("generator", "jixiao"),
        ("rubric", rubric.name),
        ("kind", rubric.kind.value),
        ("year", str(first.year)),
        ("unit", first.unit),
        ("unit_code", first.unit_code),
        ("dialect", dialect),
        ("rules", ""),  # filled with the rules JSON by the writer's caller
    ]
    return WorkbookLayout(
        forms=forms,
        instructions_title=f"{first.year}年度{rubric.title}填表说明",
        instructions=instructions,
        meta=meta,
        lists=lists,
        rules_json=rules_json(rules),
        dialect=dialect,
    )


__all__ = [
    "COLUMN_NAMES",
    "INPUT_ROLES",
    "META_SHEET",
    "RULES_NAME",
    "Cell",
    "ConditionalFormat",
    "FormContext",
    "FormKind",
    "LayoutError",
    "NamedRange",
    "ProjectInfo",
    "SheetLayout",
    "Validation",
    "WorkbookLayout",
    "layout_workbook",
    "render",
    "rules_from_json",
    "rules_json",
]
