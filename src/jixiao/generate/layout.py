"""Rubric → layout: every cell, merge, name, validation and formula of a form, as plain data.

The layout knows nothing about file formats; :mod:`jixiao.generate.writer` turns it into a
workbook. Blocks are laid out top to bottom on one grid whose columns are the indicator table's
columns (or the common-indicator table's), so a new region's form is a new rubric file only.
This module holds the layout's data types and the workbook around the forms; each kind of block
is laid out by its own module in :mod:`jixiao.generate.blocks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import jinja2

from jixiao.core.rules import RuleSet, rules_from_json, rules_json
from jixiao.core.values import format_number
from jixiao.generate.formulas import Dialect
from jixiao.rubric.model import FormKind, IndicatorsBlock, RowTemplate, Rubric
from jixiao.workbook.contract import (
    COLUMN_NAMES,
    INSTRUCTIONS_SHEET,
    LEVEL1_LIST,
    LEVEL2_LIST_PREFIX,
    META_SHEET,
    RULES_NAME,
)
from jixiao.workbook.refs import area

Role = Literal[
    "title",
    "subtitle",
    "unit_note",
    "section",
    "label",
    "header",
    "input_text",
    "input_amount",
    "input_number",
    "input_percent",
    "input_integer",
    "formula_number",
    "formula_amount",
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
        """What the formula shows on a blank form, stored for viewers that do not recalculate: every
        computed cell is blank until something is filled in (see jixiao.generate.formulas)."""
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
    hidden_rows: set[int] = field(default_factory=set)  # spare rows, unhidden by the user when needed
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
    amount_unit: str = ""  # 元 / 万元: the unit the list gave budget / fiscal / other in ("" not said)
    # Target forms' project facts (carried into next year by `new --from`).
    attribute: str = ""  # 项目属性: 新增 / 延续
    leader: str = ""  # 项目负责人
    phone: str = ""  # 联系电话
    period: str = ""  # 实施期 (起止时间)
    long_goals: str = ""  # 长期目标
    preparer: str = ""  # 填报人
    unit_head: str = ""  # 单位负责人


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
            "项目属性": p.attribute,
            "项目负责人": p.leader,
            "联系电话": p.phone,
            "实施期": p.period,
            "长期目标": p.long_goals,
            "填报人": p.preparer,
            "单位负责人": p.unit_head,
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
    # The block modules build on this module's data types, so they are imported when first used.
    from jixiao.generate.blocks import build_sheet

    if not contexts:
        raise LayoutError("至少需要一张表")
    taken: set[str] = set()
    forms = [
        build_sheet(rubric, context, dialect, sheet_title(rubric, context, taken)) for context in contexts
    ]
    rules = rubric.rule_set
    lists: dict[str, list[str]] = {}
    for block in rubric.blocks:
        if isinstance(block, IndicatorsBlock):
            lists[LEVEL1_LIST] = [level1.name for level1 in block.tree]
            for number, level1 in enumerate(block.tree, start=1):
                lists[f"{LEVEL2_LIST_PREFIX}{number}"] = list(level1.level2)
    first = contexts[0]
    variables = {**first.values(), "金额单位": rubric.amount_unit, **rules_context(rules)}
    instructions = [line.rstrip() for line in render(rubric.instructions, variables).splitlines()]
    instructions += [
        "",
        "本表使用的评分规则（来自表样定义，生成时写入本工作簿）：",
        f"· 反向指标计分：{rules_context(rules)['反向计分']}；得分不超过分值。",
        f"· 定性指标档位：达成 {rules_context(rules)['达成']}，部分达成 {rules_context(rules)['部分']}，"
        f"未达成 {rules_context(rules)['未达成']}。",
        f"· 得分保留 {rules.decimals} 位小数（与 Excel ROUND 一致）；等级：{rules_context(rules)['等级']}。",
        "· 浅黄色单元格为填写区；其余单元格含公式或固定文字，已锁定（工作表保护无密码，可在「审阅」中撤销）。",
        *(
            [
                f"· 指标表末尾有 {table.spare_rows} 行隐藏的备用行，公式、名称和下拉列表齐全：行数不够时，选中"
                "指标表最后一行和「合计」行（或其下一行），右键「取消隐藏」即可使用。Excel 和 WPS 中可直接操作；"
                "LibreOffice 中需先撤销工作表保护（「工具 → 保护工作表」，无密码）。"
                "不用的空行可以右键「隐藏」，打印时不出现。自行插入的行没有得分公式。"
            ]
            if (table := rubric.indicators) is not None and table.spare_rows
            else []
        ),
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
