"""Reading a jixiao-generated workbook through its workbook names (robust to inserted rows).

The generator names every part of a form (see :data:`jixiao.workbook.contract.COLUMN_NAMES`):
names are scoped to their sheet when a workbook holds several forms, workbook-wide otherwise. The
rubric named on the hidden ``_jixiao`` sheet gives the weights of the blocks; the rules are the
JSON written beside it, so a workbook is checked by the rules it was generated with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from jixiao.check.forms import (
    Execution,
    FilledForm,
    Funds,
    Group,
    GroupKind,
    HandScore,
    Row,
    Subtotal,
    Text,
    Total,
)
from jixiao.core.rules import DEFAULT_RULES, RuleSet, rules_from_json
from jixiao.core.values import ValueKind, parse_value
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import FormKind, Rubric
from jixiao.workbook.cells import Area, areas_in, names_for
from jixiao.workbook.contract import (
    COLUMN_NAMES,
    COMMON_COLUMN_NAMES,
    GENERATOR,
    INSTRUCTIONS_SHEET,
    META_ROWS,
    META_SHEET,
    NATURE_SPELLINGS,
)
from jixiao.workbook.sheets import Grid, StoredBook, display, label_key, rate_of, scoring_value

_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)分")
_WEIGHT_SUFFIX = re.compile(r"\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_FUNDS = ("上年结转", "年初预算", "预算调整", "其他调整", "预算执行", "年末结余")


def jixiao_meta(workbook: Any) -> dict[str, str] | None:
    """The generator's notes from the hidden sheet, or None when the workbook is not jixiao's."""
    if META_SHEET not in workbook.sheetnames:
        return None
    rows = workbook[META_SHEET].iter_rows(min_col=1, max_col=2, max_row=META_ROWS, values_only=True)
    return meta_of(rows)


def stored_meta(book: StoredBook) -> dict[str, str] | None:
    """:func:`jixiao_meta` of a workbook read without openpyxl."""
    sheet = book.worksheet(META_SHEET)
    if sheet is None:
        return None
    rows = book.rows(sheet, META_ROWS, 2)
    return meta_of((cells.get(1, (None,))[0], cells.get(2, (None,))[0]) for _, cells in rows)


def meta_of(rows: Iterable[tuple[Any, ...]]) -> dict[str, str] | None:
    """The notes from the (key, value) rows of the meta sheet, or None when not jixiao's."""
    meta: dict[str, str] = {}
    for key, value in rows:
        if isinstance(key, str) and key and key not in meta:
            meta[key] = display(value)
    return meta if meta.get("generator") == GENERATOR else None


def stored_names_for(book: StoredBook, index: int, title: str) -> dict[str, Area]:
    """:func:`names_for` of the loaded sheet ``index`` (titled ``title``) of a workbook read without
    openpyxl."""
    scoped, workbook = book.names(index)
    return areas_in([*scoped, *workbook], title)


def rules_of(meta: dict[str, str], rubric: Rubric | None) -> RuleSet:
    text = meta.get("rules", "")
    if text:
        try:
            return rules_from_json(text)
        except (ValueError, TypeError, json.JSONDecodeError):
            pass  # a damaged rules cell: fall back to the rubric's rules
    return rubric.rule_set if rubric is not None else DEFAULT_RULES


def rubric_of(meta: dict[str, str]) -> Rubric | None:
    return builtin_rubrics().get(meta.get("rubric", ""))


def is_target_form(meta: dict[str, str]) -> bool:
    return meta.get("kind") == FormKind.TARGET.value


class _Sheet:
    """One form sheet of a jixiao workbook."""

    def __init__(
        self, grid: Grid, names: dict[str, Area], meta: dict[str, str], rubric: Rubric | None, file: str
    ):
        self.grid = grid
        self.names = names
        self.meta = meta
        self.rubric = rubric
        self.file = file
        self.rules = rules_of(meta, rubric)
        self.groups: list[Group] = []
        self.rows: list[Row] = []
        self.subtotals: list[Subtotal] = []

    # -- names --------------------------------------------------------------------------------

    def cell(self, name: str) -> tuple[int, int] | None:
        area = self.names.get(name)
        return (area.min_row, area.min_col) if area is not None and area.single else None

    def number(self, name: str) -> float | None:
        at = self.cell(name)
        return self.grid.number(*at) if at else None

    def address(self, name: str) -> str:
        at = self.cell(name)
        return self.grid.address(*at) if at else ""

    def column(self, name: str) -> Area | None:
        area = self.names.get(name)
        return area if area is not None and area.min_col == area.max_col else None

    # -- blocks -------------------------------------------------------------------------------

    def execution(self) -> Execution | None:
        score_at, budget_at = self.cell("执行率得分"), self.cell("预算数")
        if score_at is None and budget_at is None:
            return None
        grid = self.grid
        figures: dict[str, float | None] = {}
        block = self.rubric.execution if self.rubric else None
        parts = sum(1 for row in block.rows if row.part) if block else 0
        for name in ("预算数", "执行数"):
            at = self.cell(name)
            figures[name] = grid.number(*at) if at else None
            if at and parts:
                # National layout: the total row sums the 其中 rows below it.
                found = [grid.number(at[0] + i, at[1]) for i in range(1, parts + 1)]
                numbers = tuple(x for x in found if x is not None)
                if numbers:
                    label = f"{block.rows[0].label if block else '资金总额'}（{name}）"
                    self.subtotals.append(Subtotal(label, grid.address(*at), figures[name], numbers))
                    if not figures[name]:
                        figures[name] = sum(numbers)
        rate_at = self.cell("执行率")
        reported_rate, decimals = (
            rate_of(grid.value(*rate_at), grid.number_format(*rate_at)) if rate_at else (None, None)
        )
        weight = block.weight if block else None
        if weight is None and score_at and score_at[0] > 1:
            match = _WEIGHT.search(label_key(grid.value(score_at[0] - 1, score_at[1])))
            weight = float(match.group(1)) if match else None
        return Execution(
            label="预算执行率",
            budget=figures["预算数"],
            actual=figures["执行数"],
            weight=weight,
            reported_rate=reported_rate,
            rate_decimals=decimals,
            reported=self.number("执行率得分"),
            budget_cell=self.address("预算数"),
            actual_cell=self.address("执行数"),
            rate_cell=self.address("执行率"),
            score_cell=self.address("执行率得分"),
        )

    def goal(self) -> HandScore | None:
        if self.cell("总目标得分") is None:
            return None
        block = self.rubric.block("goal_pair") if self.rubric else None
        label = getattr(block, "label", "项目绩效总目标")
        label = re.sub(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]", "", label) or "项目绩效总目标"
        return HandScore(
            label, getattr(block, "weight", None), self.number("总目标得分"), self.address("总目标得分")
        )

    def _value(self, area: Area | None, row: int) -> Any:
        return self.grid.value(row, area.min_col) if area else None

    def _text(self, area: Area | None, row: int) -> str:
        return self.grid.text(row, area.min_col) if area else ""

    def _number(self, area: Area | None, row: int) -> float | None:
        return self.grid.number(row, area.min_col) if area else None

    def _format(self, area: Area | None, row: int) -> str:
        return self.grid.number_format(row, area.min_col) if area else "General"

    def indicators(self) -> None:
        cols = {key: self.column(name) for key, name in COLUMN_NAMES.items()}
        anchor = cols["score"] or cols["level3"] or cols["level1"]
        if anchor is None:
            return
        table = self.rubric.indicators if self.rubric else None
        grid = self.grid
        total_at = self.cell("指标_得分合计")
        block = len(self.groups)
        self.groups.append(
            Group(
                GroupKind.BLOCK,
                re.sub(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]", "", table.label) if table else "年度绩效指标",
                table.weight if table else None,
                self.number("指标_得分合计"),
                None,
                self.address("指标_分值合计") or self.address("指标_得分合计"),
                grid.address(*total_at) if total_at else None,
            )
        )
        sections = {
            level1.name: level1.weight
            for level1 in (table.tree if table else [])
            if level1.weight is not None
        }
        section_of: dict[str, int] = {}
        goal_score_col = self._goal_score_column(anchor)
        goal_anchor: tuple[int, int] | None = None
        goal_group: int | None = None
        first = min(area.min_row for area in cols.values() if area)
        last = max(area.max_row for area in cols.values() if area)
        for r in range(first, min(last, grid.n_rows) + 1):
            if cols["goal"] is not None:
                here = grid.anchor(r, cols["goal"].min_col)
                text = self._text(cols["goal"], r)
                if text and here != goal_anchor:
                    goal_anchor = here
                    score = grid.number(r, goal_score_col) if goal_score_col else None
                    goal_group = len(self.groups)
                    self.groups.append(
                        Group(
                            GroupKind.GOAL,
                            text,
                            None,  # the goal's weight is a SUM of its rows: nothing declared apart
                            score,
                            block,
                            grid.address(r, cols["goal"].min_col),
                            grid.address(r, goal_score_col) if goal_score_col else None,
                        )
                    )
            row = self._row(cols, r)
            if row is None:
                continue
            group = goal_group if goal_group is not None else block
            # 「产出指标（50分）」: the 一级 cell may carry its weight (national form).
            level1 = _WEIGHT_SUFFIX.sub("", (row.level1 or "").strip())
            if goal_group is None and level1 in sections:
                if level1 not in section_of:
                    section_of[level1] = len(self.groups)
                    self.groups.append(
                        Group(GroupKind.SECTION, level1, sections[level1], None, block, row.label_cell)
                    )
                group = section_of[level1]
            self.rows.append(_with_group(row, group))
        # Goals the unit left empty are not part of the form.
        used = {row.group for row in self.rows}
        self.groups = [
            g if (g.kind is not GroupKind.GOAL or i in used) else _empty_goal(g)
            for i, g in enumerate(self.groups)
        ]

    def _goal_score_column(self, anchor: Area) -> int | None:
        """目标得分 is not named: find its header above the table (or its place in the rubric)."""
        goal = self.column(COLUMN_NAMES["goal"])
        if goal is None or self.rubric is None or self.rubric.indicators is None:
            return None
        dialect = self.meta.get("dialect", "native")
        columns = [c for c in self.rubric.indicators.columns if dialect in c.dialects]
        labels = {c.key: label_key(c.label) for c in columns}
        if "goal_score" not in labels:
            return None
        header = goal.min_row - 1
        for col in range(1, self.grid.n_cols + 1):
            if header >= 1 and self.grid.key(header, col) == labels["goal_score"]:
                return col
        keys = [c.key for c in columns]
        return goal.min_col + keys.index("goal_score") - keys.index("goal")

    def _row(self, cols: dict[str, Area | None], r: int) -> Row | None:
        grid = self.grid
        nature = NATURE_SPELLINGS.get(self._text(cols["nature"], r).replace(" ", ""), "")
        unit = self._text(cols["unit"], r)
        target = _compose(self._value(cols["target"], r), self._format(cols["target"], r), nature, unit)
        actual = _compose(self._value(cols["actual"], r), self._format(cols["actual"], r), "", unit)
        name = self._text(cols["level3"], r)
        score = self._number(cols["score"], r)
        judged = self._number(cols["judged"], r)
        weight = self._number(cols["weight"], r)
        # Names, targets and 性质 may be pre-filled from the rubric or last year: a row counts as
        # filled in once it has an actual value or a score.
        filled = _written(actual) or score is not None or judged is not None
        if not filled and weight is None:
            return None
        explanation_col = cols["explanation"]
        score_col = (cols["score"] or cols["judged"] or cols["level3"] or cols["level1"]).min_col  # type: ignore[union-attr]
        return Row(
            level1=self._text(cols["level1"], r) or None,
            level2=self._text(cols["level2"], r) or None,
            name=name,
            target=target,
            actual=actual,
            weight=weight,
            reported=score if score is not None else judged,
            explanation=self._text(explanation_col, r) or None,
            score_cell=grid.address(r, score_col),
            label_cell=grid.address(r, (cols["level3"] or cols["level1"] or cols["score"]).min_col),  # type: ignore[union-attr]
            explanation_cell=grid.address(r, explanation_col.min_col) if explanation_col else None,
            applicable=filled,
            band=self._text(cols["band"], r) or None,
            qualitative=nature == "定性",
        )

    def common(self) -> None:
        cols = {key: self.column(name) for key, name in COMMON_COLUMN_NAMES.items() if key != "level1"}
        level3 = cols.get("level3")
        if level3 is None or cols.get("reference") is None:
            return
        grid = self.grid
        current: int | None = None
        level2_col = cols["level2"].min_col if cols.get("level2") else level3.min_col
        for r in range(level3.min_row, min(level3.max_row, grid.n_rows) + 1):
            name = self._text(level3, r)
            reference = self._number(cols.get("reference"), r)
            if not name and reference is not None:
                label_col = next(
                    (c for c in range(1, level2_col + 1) if grid.text(r, c) and not grid.is_tail(r, c)),
                    level2_col,
                )
                score_col = cols["score"].min_col if cols.get("score") else None
                current = len(self.groups)
                self.groups.append(
                    Group(
                        GroupKind.COMMON,
                        grid.text(r, label_col),
                        reference,
                        grid.number(r, score_col) if score_col else None,
                        None,
                        grid.address(r, label_col),
                        grid.address(r, score_col) if score_col else None,
                    )
                )
                continue
            if not name:
                continue
            weight = self._number(cols.get("weight"), r)
            score_area = cols.get("score") or level3
            self.rows.append(
                Row(
                    level1=self.groups[current].label if current is not None else None,
                    level2=self._text(cols.get("level2"), r) or None,
                    name=name,
                    target=None,
                    actual=None,
                    weight=weight if weight is not None else reference,
                    reported=self._number(cols.get("score"), r),
                    explanation=None,
                    score_cell=grid.address(r, score_area.min_col),
                    label_cell=grid.address(r, level3.min_col),
                    group=current,
                    scorable=False,
                )
            )

    def funds(self) -> Funds | None:
        figures = {name: self.number(name) for name in _FUNDS}
        needed = ("上年结转", "年初预算", "预算执行", "年末结余")
        if any(figures[name] is None for name in needed):
            return None
        return Funds(
            carry=figures["上年结转"] or 0.0,
            initial=figures["年初预算"] or 0.0,
            adjust=figures["预算调整"] or 0.0,
            other=figures["其他调整"] or 0.0,
            executed=figures["预算执行"] or 0.0,
            balance=figures["年末结余"] or 0.0,
            balance_cell=self.address("年末结余"),
        )

    def total(self) -> Total | None:
        at = self.cell("总分")
        if at is None:
            return None
        block = self.rubric.block("total") if self.rubric else None
        grade = self.grid.text(*self.cell("等级")) if self.cell("等级") else ""
        return Total(
            getattr(block, "label", "总分"),
            self.grid.address(*at),
            self.grid.number(*at),
            grade or None,
            self.address("等级") or None,
        )

    def explanation_box(self) -> Text | None:
        grid = self.grid
        for r in range(1, grid.n_rows + 1):
            for col, key in grid.labels(r):
                if key.startswith("偏差大或目标未完成原因分析") or key == "偏差原因分析":
                    value_col = grid.after(r, col)
                    text = grid.text(r, value_col) if value_col <= grid.n_cols else ""
                    return Text(grid.text(r, col), text, grid.address(r, value_col))
        return None

    def form(self) -> FilledForm | None:
        execution = self.execution()
        goal = self.goal()
        if "指标_参考分值" in self.names:
            self.common()
        else:
            self.indicators()
        total = self.total()
        if execution is None and goal is None and not self.rows and total is None:
            return None
        title = self._field("项目名称")
        rubric_name = self.meta.get("rubric") or None
        return FilledForm(
            file=self.file,
            sheet=self.grid.title,
            title=title or self.grid.title,
            rubric=rubric_name,
            rules=self.rules,
            rules_source=f"工作簿内置规则（表样 {rubric_name or '未知'}）",
            execution=execution,
            goal=goal,
            rows=tuple(self.rows),
            groups=tuple(self.groups),
            subtotals=tuple(self.subtotals),
            total=total,
            funds=self.funds(),
            explanation=self.explanation_box(),
            row_explanations=COLUMN_NAMES["explanation"] in self.names,
            total_weight=self.rubric.total_weight if self.rubric else 100.0,
            unit=self._field("单位名称") or self.meta.get("unit", "").strip(),
            year=_year(self._field("年度")) or _year(self.meta.get("year", "")),
            code=self._field("项目编码"),
        )

    def _field(self, name: str) -> str:
        """A header field the generator named after its key (项目名称, 项目编码, 单位名称, 年度)."""
        at = self.cell(name)
        return self.grid.text(*at).strip() if at else ""


def _year(text: str) -> int | None:
    """「2021」, 「2021年」, 「2021年度」 → 2021."""
    match = re.match(r"\s*(\d{4})\s*(?:年度?)?\s*$", text or "")
    return int(match.group(1)) if match else None


def _with_group(row: Row, group: int) -> Row:
    return replace(row, group=group)


def _empty_goal(group: Group) -> Group:
    """A goal group with no rows: keep its place (indices) but make it declare nothing."""
    return replace(group, reported=None, reported_cell=None, weight=None)


def _written(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def _compose(value: object, number_format: str, nature: str, unit: str) -> object:
    """The cell as the core reads it; native forms split "≥95%" into 性质 ≥, 95 and 单位 %."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    prefix = nature if nature in ("≥", "≤", "=") else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not prefix and not unit:
            return scoring_value(value, number_format)
        number = display(value, number_format)
    else:
        text = display(value, number_format)
        parsed = parse_value(text)
        bare = parsed.comparator is None and parsed.unit is None and parsed.period is None
        if not (prefix or unit) or parsed.kind is not ValueKind.QUANTITY or not bare:
            return text
        number = text
    if number.endswith("%") and unit == "%":
        unit = ""  # typed as 95% in a % cell: the sign is already there
    return f"{prefix}{number}{unit}"


def read_jixiao_sheet(
    workbook: Any, sheet: Any, grid: Grid, meta: dict[str, str], file: str
) -> FilledForm | None:
    """The form on one sheet of a jixiao workbook, or None when the sheet holds no form."""
    if sheet.title in (META_SHEET, INSTRUCTIONS_SHEET):
        return None
    return read_jixiao_grid(grid, names_for(workbook, sheet), meta, file)


def read_jixiao_grid(
    grid: Grid, names: dict[str, Area], meta: dict[str, str], file: str
) -> FilledForm | None:
    """The form on one sheet of a jixiao workbook, from its grid and names (see :func:`names_for`)."""
    return _Sheet(grid, names, meta, rubric_of(meta), file).form()
