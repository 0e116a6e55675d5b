"""Structure of the generated blank workbooks, opened with openpyxl.

Every built-in rubric (``builtin_rubrics()``, so new template files are covered without touching this
file) is generated with the API for both formula dialects, as a blank form and with three projects,
and the workbook is checked for what Excel, WPS and the other jixiao tools rely on: calc flags,
sheets and the hidden meta sheet, defined names and the cells they point at, formulas, locking,
protection, validations, print setup, text safety, atomic writes and row-insertion safety.

Generic checks derive their expectations from the rubric (column labels, tree, weights, rules);
the hubei-project checks spell out cell addresses and formula text worked out by hand from the
rubric file and the formula definitions, so a change in placement or wording is noticed.

"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.protection import hash_password
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.generate.api import Request, contexts_for, generate
from jixiao.generate.formulas import DIALECTS, Dialect
from jixiao.generate.layout import INPUT_ROLES, ProjectInfo, SheetLayout, layout_workbook, rules_from_json
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import (
    CommonBlock,
    ExecutionBlock,
    FieldsBlock,
    GoalPairBlock,
    IndicatorsBlock,
    PlanBlock,
    RowTemplate,
    Rubric,
    TextBlock,
    TotalBlock,
)

INSTRUCTIONS = "填表说明"
META = "_jixiao"
RULES_NAME = "评分规则"
LEVEL1_LIST = "一级_列表"
LEVEL2_PREFIX = "二级_"  # "二级_1" holds the 二级 names of the first 一级, and so on
INPUT_FILL = "FFFFF9DB"  # the light yellow of input cells, ARGB
YEAR = 2027
UNIT = "测试单位"

# The workbook names of table columns: the contract other tools (roll-forward, checker) read.
INDICATOR_NAMES = {
    "goal": "指标_年度目标",
    "level1": "指标_一级",
    "level2": "指标_二级",
    "level3": "指标_三级",
    "description": "指标_描述",
    "nature": "指标_性质",
    "target": "指标_目标值",
    "unit": "指标_单位",
    "actual": "指标_实际值",
    "weight": "指标_分值",
    "band": "指标_定性档位",
    "judged": "指标_评定得分",
    "score": "指标_得分",
    "basis": "指标_依据",
    "explanation": "指标_偏差原因",
}
COMMON_NAMES = {
    "level2": "指标_二级",
    "level3": "指标_三级",
    "reference": "指标_参考分值",
    "weight": "指标_分值",
    "analysis": "指标_计算分析",
    "result": "指标_计算结果",
    "score": "指标_得分",
}
NATURE_LIST = '"≥,≤,=,定性"'
BAND_LIST = '"达成预期指标,部分达成预期指标并具有一定效果,未达成预期指标且效果较差"'
# Indicator-table columns the user never types into.
COMPUTED_COLUMNS = frozenset({"score", "goal_weight", "goal_score"})

RUBRICS: dict[str, Rubric] = builtin_rubrics()
PROJECTS = (
    ProjectInfo(name="项目甲", code="P-001", department="区财政局", implementer="区城管局", budget=120.5),
    ProjectInfo(name="项目乙", code="P-002", department="区财政局", implementer="区教育局", budget=80.0),
    ProjectInfo(name="项目丙", code="P-003", department="区卫健委", implementer="区医院", budget=15.25),
)


def rubric_params(predicate: Callable[[Rubric], bool] = lambda rubric: True) -> list[str]:
    return [name for name, rubric in RUBRICS.items() if predicate(rubric)]


def cases(predicate: Callable[[Rubric], bool] = lambda rubric: True, counts: tuple[int, ...] = (0, 3)):
    """Parametrise over the rubrics a check applies to, both dialects, blank and with projects."""
    return pytest.mark.parametrize(
        ("name", "dialect", "count"),
        [
            pytest.param(name, dialect, count, id=f"{name}-{dialect}-{count}")
            for name in rubric_params(predicate)
            for dialect in DIALECTS
            for count in counts
        ],
    )


CASES = cases()


# -- references -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A rectangular range on one sheet, 1-based and inclusive."""

    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    @property
    def single(self) -> bool:
        return self.min_col == self.max_col and self.min_row == self.max_row

    @property
    def a1(self) -> str:
        start = f"{get_column_letter(self.min_col)}{self.min_row}"
        end = f"{get_column_letter(self.max_col)}{self.max_row}"
        return start if start == end else f"{start}:{end}"

    def cells(self) -> Iterator[tuple[int, int]]:
        for row in range(self.min_row, self.max_row + 1):
            for col in range(self.min_col, self.max_col + 1):
                yield row, col

    def contains(self, row: int, col: int) -> bool:
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col


def parse_area(text: str, sheet: str = "") -> Area:
    """ "'Sheet'!$A$1:$B$2", "Sheet!A1" or "A1:B2" (on ``sheet``) → :class:`Area`."""
    where, bang, ref = text.rpartition("!")
    if bang:
        sheet = where
        if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
            sheet = sheet[1:-1].replace("''", "'")
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    assert None not in (min_col, min_row, max_col, max_row), f"not a cell range: {text}"
    return Area(sheet, int(min_col or 0), int(min_row or 0), int(max_col or 0), int(max_row or 0))


def a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def blank_sum(*refs: str) -> str:
    """A SUM that stays blank until one of its cells holds a number (issue 12: a blank form shows
    no 0.00)."""
    joined = ",".join(refs)
    return f'=IF(COUNT({joined})=0,"",SUM({joined}))'


def function_args(formula: str, function: str) -> list[str]:
    """The top-level arguments of the first ``function(...)`` call in ``formula``."""
    match = re.search(rf"(?<![A-Z_.]){function}\(", formula)
    assert match, f"no {function}(...) in {formula}"
    args: list[str] = []
    depth, quoted, current = 0, False, ""
    for char in formula[match.end() :]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            if depth == 0:
                return [*args, current]
            depth -= 1
        elif not quoted and char == "," and depth == 0:
            args.append(current)
            current = ""
            continue
        current += char
    raise AssertionError(f"unbalanced {function}(...) in {formula}")


CELL_REF = re.compile(r"(?<![A-Za-z_\u4e00-\u9fff\"])\$?([A-Z]{1,3})\$?([0-9]+)(?![0-9(])")


def cell_refs(formula: str) -> list[tuple[int, int]]:
    """(row, col) of every A1 cell reference in ``formula`` outside string literals."""
    code = re.sub(r'"[^"]*"', '""', formula)
    return [(int(row), column_index_from_string(col)) for col, row in CELL_REF.findall(code)]


def top_left(ws: Worksheet, row: int, col: int) -> XlCell:
    """The cell that shows the value at (row, col): the top-left of its merged range, or itself."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return ws.cell(merged.min_row, merged.min_col)
    return ws.cell(row, col)


def validations_at(ws: Worksheet, row: int, col: int) -> list[DataValidation]:
    return [dv for dv in ws.data_validations.dataValidation if a1(row, col) in dv.sqref]


def only_validation(ws: Worksheet, row: int, col: int) -> DataValidation:
    found = validations_at(ws, row, col)
    assert len(found) == 1, f"{ws.title}!{a1(row, col)}: expected one validation, found {len(found)}"
    return found[0]


# -- generating -----------------------------------------------------------------------------------


@dataclass
class Generated:
    rubric: Rubric
    dialect: Dialect
    projects: tuple[ProjectInfo, ...]
    path: Path
    book: Workbook
    layouts: dict[str, SheetLayout]
    warnings: list[str]

    @property
    def forms(self) -> list[Worksheet]:
        return [ws for ws in self.book.worksheets if ws.title not in (INSTRUCTIONS, META)]

    @property
    def scoped(self) -> bool:
        return len(self.forms) > 1

    def names(self, ws: Worksheet) -> dict[str, Area]:
        """The names that point at ``ws``: sheet-scoped with several forms, workbook-level with one."""
        source = ws.defined_names if self.scoped else self.book.defined_names
        areas = {name: parse_area(defined.attr_text) for name, defined in source.items()}
        return {name: area for name, area in areas.items() if area.sheet == ws.title}

    def meta(self) -> dict[str, str]:
        return read_meta(self.book)


def read_meta(book: Workbook) -> dict[str, str]:
    """The key / value pairs in columns A:B of the meta sheet."""
    ws = book[META]
    values: dict[str, str] = {}
    for row in range(1, ws.max_row + 1):
        key, value = ws.cell(row, 1).value, ws.cell(row, 2).value
        if key is None:
            break
        values[str(key)] = str(value)
    return values


def build(
    rubric: Rubric, dialect: Dialect, projects: tuple[ProjectInfo, ...], directory: Path, **options: object
) -> Generated:
    request = Request(rubric, YEAR, unit=UNIT, projects=projects, dialect=dialect, **options)  # type: ignore[arg-type]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = generate(request, directory)
    assert len(paths) == 1
    layouts = {
        form.name: form
        for group in contexts_for(request)
        for form in layout_workbook(rubric, group, dialect).forms
    }
    return Generated(
        rubric,
        dialect,
        projects,
        paths[0],
        openpyxl.load_workbook(paths[0]),
        layouts,
        [str(warning.message) for warning in caught],
    )


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Dialect, int], Generated]:
    """Each (rubric, dialect, project count) is generated and loaded once per session."""
    cache: dict[tuple[str, Dialect, int], Generated] = {}

    def get(name: str, dialect: Dialect, count: int) -> Generated:
        key = (name, dialect, count)
        if key not in cache:
            directory = tmp_path_factory.mktemp(f"{name}-{dialect}-{count}")
            cache[key] = build(RUBRICS[name], dialect, PROJECTS[:count], directory)
        return cache[key]

    return get


# -- the form's table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """The indicator (or common-indicator) table of one form sheet, 1-based rows and columns."""

    kind: Literal["indicators", "common"]
    header: int
    first: int
    last: int
    columns: dict[str, int]  # column key → sheet column
    labels: dict[str, str]  # column key → header label

    def name_of(self, key: str) -> str | None:
        return (INDICATOR_NAMES if self.kind == "indicators" else COMMON_NAMES).get(key)

    def column_area(self, sheet: str, key: str) -> Area:
        col = self.columns[key]
        return Area(sheet, col, self.first, col, self.last)


def expected_table_rows(rubric: Rubric, projects: int) -> int:
    block = rubric.indicators
    if block is None:
        common = common_block(rubric)
        assert common is not None
        return sum(1 + len(group.rows) for group in common.groups)
    if block.goals is None:
        # The default rows (by 二级, each 二级 at least ``rows_per_level2`` rows, where the rubric lays
        # rows out by 二级), the blank rows, and the hidden spare rows at the end.
        return len(laid_rows(block)) + block.blank_rows + block.spare_rows
    goals = block.goals
    # Unit forms: with a project list, one goal group per project (the projects carry no rows here).
    count = projects if (rubric.scope == "unit" and goals.from_projects and projects) else goals.count
    return count * goals.rows_per_goal


def laid_rows(block: IndicatorsBlock) -> list[tuple[str, str, RowTemplate | None]]:
    """(一级, 二级, default row or None for an empty one) of a blank form's table, before its blank
    and spare rows: the default rows as written, or — with ``rows_per_level2`` — each 二级 of the
    tree in order with its default rows, padded to ``rows_per_level2`` with empty rows."""
    if block.rows_per_level2 is None:
        return [(row.level1, row.level2, row) for row in block.rows]
    laid: list[tuple[str, str, RowTemplate | None]] = []
    for level1 in block.tree:
        for level2 in level1.level2:
            mine = [row for row in block.rows if (row.level1, row.level2) == (level1.name, level2)]
            laid += [(level1.name, level2, row) for row in mine]
            laid += [(level1.name, level2, None)] * max(block.rows_per_level2 - len(mine), 0)
    return laid


def common_block(rubric: Rubric) -> CommonBlock | None:
    return next((block for block in rubric.blocks if isinstance(block, CommonBlock)), None)


def table_of(g: Generated, ws: Worksheet) -> Table:
    block = g.rubric.indicators
    if block is not None:
        pairs = [(column.key, column.label) for column in block.columns if g.dialect in column.dialects]
        kind: Literal["indicators", "common"] = "indicators"
    else:
        common = common_block(g.rubric)
        assert common is not None, "a rubric without an indicator table"
        pairs = list(common.columns.items())
        kind = "common"
    labels = [label for _, label in pairs]
    headers = [
        row
        for row in range(1, ws.max_row + 1)
        if [ws.cell(row, col).value for col in range(1, len(labels) + 1)] == labels
    ]
    assert len(headers) == 1, f"{ws.title}: the table header {labels} should appear exactly once"
    header = headers[0]
    count = expected_table_rows(g.rubric, len(g.projects))
    return Table(
        kind,
        header,
        header + 1,
        header + count,
        {key: index for index, (key, _) in enumerate(pairs, start=1)},
        dict(pairs),
    )


def score_rows(g: Generated, table: Table) -> list[int]:
    """The table rows holding an indicator's own score (not a common group's subtotal row)."""
    rows = list(range(table.first, table.last + 1))
    common = common_block(g.rubric) if table.kind == "common" else None
    if common is None:
        return rows
    group_rows: set[int] = set()
    row = table.first
    for group in common.groups:
        group_rows.add(row)
        row += 1 + len(group.rows)
    return [row for row in rows if row not in group_rows]


def group_spans(g: Generated, table: Table) -> list[tuple[int, int]]:
    """Common tables: (first, last) row of each group's indicator rows."""
    common = common_block(g.rubric)
    assert common is not None
    spans: list[tuple[int, int]] = []
    row = table.first
    for group in common.groups:
        spans.append((row + 1, row + len(group.rows)))
        row += 1 + len(group.rows)
    return spans


def expected_names(rubric: Rubric, dialect: Dialect) -> set[str]:
    """Every workbook name a form of ``rubric`` must define, from the rubric alone."""
    names: set[str] = set()
    for block in rubric.blocks:
        if isinstance(block, FieldsBlock):
            # A field is named explicitly or after its key (项目名称 …), the first such field wins.
            names |= {name for row in block.rows for spec in row if (name := spec.name or spec.key)}
        elif isinstance(block, TextBlock) and (block.name or block.key):
            names.add(block.name or block.key or "")
        elif isinstance(block, PlanBlock):
            names.add(block.name)
        elif isinstance(block, ExecutionBlock):
            names |= {"预算数", "执行数", "执行率", "执行率得分"}
            if any(column.key == "initial_budget" for column in block.columns):
                names.add("年初预算数")
        elif isinstance(block, GoalPairBlock):
            names.add("总目标得分")
        elif isinstance(block, IndicatorsBlock):
            keys = [column.key for column in block.columns if dialect in column.dialects]
            names |= {INDICATOR_NAMES[key] for key in keys if key in INDICATOR_NAMES}
            if "score" in keys and block.subtotal:
                names.add("指标_得分合计")
            if "weight" in keys and block.subtotal:
                names.add("指标_分值合计")
        elif isinstance(block, CommonBlock):
            names |= {item.name for item in block.inputs}
            names |= {COMMON_NAMES[key] for key in block.columns if key in COMMON_NAMES}
        elif isinstance(block, TotalBlock):
            names.add("总分")
            if block.grade_label:
                names.add("等级")
    return names


def level2_names(rubric: Rubric) -> set[str]:
    block = rubric.indicators
    if block is None:
        return set()
    return {LEVEL1_LIST} | {f"{LEVEL2_PREFIX}{number}" for number in range(1, len(block.tree) + 1)}


def execution_weight_ref(ws: Worksheet, block: ExecutionBlock, total: Area) -> str:
    """The execution score's weight: the 分值 cell of the total row, or the weight itself."""
    labels = {column.key: column.label for column in block.columns}
    if "weight" not in labels:
        return f"{block.weight:g}"
    header = total.min_row - 1
    cols = [col for col in range(1, ws.max_column + 1) if ws.cell(header, col).value == labels["weight"]]
    assert len(cols) == 1
    return a1(total.min_row, cols[0])


# =================================================================================================
# Workbook-level properties


@CASES
def test_calc_properties(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    calculation = generated(name, dialect, count).book.calculation
    assert calculation.fullCalcOnLoad is True
    assert calculation.calcOnSave is True


@CASES
def test_no_writer_warnings(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    # XlsxWriter only *warns* when it drops a defined name (invalid characters, unknown sheet).
    assert generated(name, dialect, count).warnings == []


@CASES
def test_sheets_and_meta(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    rubric = g.rubric
    forms = g.forms
    assert len(forms) == (count if rubric.scope == "project" and count else 1)
    assert g.book.sheetnames == [ws.title for ws in forms] + [INSTRUCTIONS, META]
    assert len({title.lower() for title in g.book.sheetnames}) == len(g.book.sheetnames)
    assert all(ws.sheet_state == "visible" for ws in forms)
    assert g.book[INSTRUCTIONS].sheet_state == "visible"
    assert g.book[META].sheet_state == "veryHidden"

    meta = g.meta()
    assert meta["generator"] == "jixiao"
    assert meta["rubric"] == name
    assert meta["kind"] == rubric.kind.value
    assert meta["year"] == str(YEAR)
    assert meta["unit"] == UNIT
    assert meta["dialect"] == dialect
    assert rules_from_json(meta["rules"]) == rubric.rule_set

    rules = parse_area(g.book.defined_names[RULES_NAME].attr_text)
    assert rules.sheet == META and rules.single
    assert g.book[META].cell(rules.min_row, rules.min_col).value == meta["rules"]

    notes = g.book[INSTRUCTIONS]
    assert notes.cell(1, 1).value == f"{YEAR}年度{rubric.title}填表说明"
    text = "\n".join(str(cell.value) for row in notes.iter_rows() for cell in row if cell.value)
    assert "{{" not in text and "{%" not in text


# =================================================================================================
# Defined names


@CASES
def test_name_scope(generated: Callable[..., Generated], name: str, dialect: Dialect, count: int) -> None:
    g = generated(name, dialect, count)
    workbook_level = set(g.book.defined_names)
    if g.scoped:
        # Per-form names live on their sheet; only the shared ones are workbook-level.
        assert workbook_level == {RULES_NAME} | level2_names(g.rubric)
        for ws in g.forms:
            assert ws.defined_names, f"{ws.title} has no sheet-scoped names"
            for defined in ws.defined_names.values():
                assert parse_area(defined.attr_text).sheet == ws.title
    else:
        assert all(not ws.defined_names for ws in g.book.worksheets)
        assert expected_names(g.rubric, dialect) <= workbook_level
    for ws in g.forms:
        missing = expected_names(g.rubric, dialect) - set(g.names(ws))
        assert not missing, f"{ws.title}: names missing: {sorted(missing)}"


@CASES
def test_table_names_shape_and_headers(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    for ws in g.forms:
        names = g.names(ws)
        table = table_of(g, ws)
        for key, col in table.columns.items():
            column_name = table.name_of(key)
            if column_name is None:
                continue
            area = names[column_name]
            # One column spanning every indicator row, under the header that carries the rubric's label.
            assert area == table.column_area(ws.title, key), column_name
            assert ws.cell(table.header, col).value == table.labels[key]
        for key, total_name in (("score", "指标_得分合计"), ("weight", "指标_分值合计")):
            block = g.rubric.indicators
            if table.kind != "indicators" or key not in table.columns or not (block and block.subtotal):
                continue
            col = table.columns[key]
            assert names[total_name] == Area(ws.title, col, table.last + 1, col, table.last + 1)
            letter = get_column_letter(col)
            assert ws.cell(table.last + 1, col).value == blank_sum(
                f"{letter}{table.first}:{letter}{table.last}"
            )


@CASES
def test_single_cell_names(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    rubric = g.rubric
    for ws in g.forms:
        names = g.names(ws)
        for block in rubric.blocks:
            if isinstance(block, FieldsBlock):
                seen: set[str] = set()
                for spec in (spec for row in block.rows for spec in row):
                    field_name = spec.name or spec.key
                    if not field_name or field_name in seen:
                        continue
                    seen.add(field_name)
                    area = names[field_name]
                    assert area.single, field_name
                    # The label sits immediately to the left of the value cell.
                    assert top_left(ws, area.min_row, area.min_col - 1).value == spec.label
                    if spec.compute:
                        # Blank until one of the fields it uses holds a number, then the expression.
                        value = str(ws.cell(area.min_row, area.min_col).value)
                        assert value.startswith("=IF(COUNT(") and ',"",IFERROR(' in value
            elif isinstance(block, TextBlock) and (block.name or block.key):
                area = names[block.name or block.key or ""]
                assert area.single
                assert top_left(ws, area.min_row, area.min_col - 1).value == block.label
            elif isinstance(block, CommonBlock):
                for item in block.inputs:
                    area = names[item.name]
                    assert area.single
                    assert top_left(ws, area.min_row, area.min_col - 1).value == item.label
            elif isinstance(block, ExecutionBlock):
                for execution_name in ("预算数", "执行数", "执行率", "执行率得分"):
                    assert names[execution_name].single, execution_name
                rows = {names[n].min_row for n in ("预算数", "执行数", "执行率", "执行率得分")}
                assert len(rows) == 1, "the execution names should all be on the total row"
                assert top_left(ws, names["预算数"].min_row, 1).value == block.label
            elif isinstance(block, GoalPairBlock):
                area = names["总目标得分"]
                assert area.single
                header = str(ws.cell(area.min_row - 1, area.min_col).value)
                assert header.startswith(block.score_label)
            elif isinstance(block, TotalBlock):
                total = names["总分"]
                assert total.single
                assert str(ws.cell(total.min_row, total.min_col).value).startswith("=IF(COUNT(") or (
                    ws.cell(total.min_row, total.min_col).value == '=""'
                )
                assert top_left(ws, total.min_row, 1).value == block.label
                if block.grade_label:
                    grade = names["等级"]
                    assert grade.single and grade.min_row == total.min_row
                    assert ws.cell(grade.min_row, grade.min_col - 1).value == block.grade_label
                    assert str(ws.cell(grade.min_row, grade.min_col).value).startswith("=IF(COUNT(")


@cases(lambda r: r.indicators is not None)
def test_level2_lists(generated: Callable[..., Generated], name: str, dialect: Dialect, count: int) -> None:
    g = generated(name, dialect, count)
    block = g.rubric.indicators
    assert block is not None
    meta = g.book[META]

    def values_of(list_name: str) -> list[object]:
        assert list_name in g.book.defined_names, f"{list_name} is not a workbook name"
        area = parse_area(g.book.defined_names[list_name].attr_text)
        assert area.sheet == META
        assert area.min_col == area.max_col
        assert meta.cell(area.min_row - 1, area.min_col).value == list_name
        return [meta.cell(row, col).value for row, col in area.cells()]

    assert values_of(LEVEL1_LIST) == [level1.name for level1 in block.tree]
    for number, level1 in enumerate(block.tree, start=1):
        assert values_of(f"{LEVEL2_PREFIX}{number}") == level1.level2


@cases(lambda r: r.scope == "project", counts=(3,))
def test_project_fields_prefilled(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    for ws, project in zip(g.forms, PROJECTS, strict=True):
        names = g.names(ws)
        if "预算数" not in names:
            continue
        budget = ws.cell(names["预算数"].min_row, names["预算数"].min_col)
        if budget.data_type == "f":
            continue  # the total of 其中 rows: the list's 预算数 is not placed (see the report)
        assert budget.value == project.budget


# =================================================================================================
# Formulas


HUBEI_NATIVE_SCORE_13 = (
    '=IF(NOT(ISNUMBER(H13)),"",IF(D13="定性",IF(ISNUMBER(J13),J13,""),'
    'IF(OR(D13="",NOT(ISNUMBER(E13)),NOT(ISNUMBER(G13))),IF(ISNUMBER(J13),J13,""),'
    'ROUND(MIN(H13,MAX(0,IF(D13="≥",IF(G13>=E13,H13,IF(E13<=0,0,H13*G13/E13)),'
    'IF(D13="≤",IF(G13<=E13,H13,IF(E13<=0,0,H13*E13/G13)),'
    "IF(E13=0,IF(G13<=0,H13,0),IF(G13>=E13,H13,IF(E13<=0,0,H13*G13/E13))))))),2))))"
)

# hubei-project, worked out from templates/04-hubei-project.yaml: rows 1 title, 2 subtitle, 3–4 fields,
# 5–6 execution (header + 年度财政资金总额), 7–8 总目标, 9 section, 10 header, 11–19 one row per 二级 (nine,
# the rubric's default rows among them), 20–29 ten hidden spare rows, 30 合计, 31 自评总分/等级,
# 32–33 text boxes.
# xlwings columns: A 一级 B 二级 C 指标名称 D 目标值 E 实际值 F 分值 G 评定得分 H 得分 I 偏差原因; the
# execution block (9 columns) has budget D, actual E, rate F:G, score H:I; 总目标 score I8.
# native adds 指标性质 D, 度量单位 F, 定性档位 I: A B C D(性质) E(目标) F(单位) G(实际) H(分值) I(档位)
# J(评定) K(得分) L(偏差); execution: budget E:F, actual G:H, rate I:J, score K:L; 总目标 score L8.
HUBEI: dict[str, dict[str, dict[str, object]]] = {
    "xlwings": {
        "cells": {
            "F6": '=IF(OR(D6="",E6=""),"",JX_RATE(D6,E6))',
            "H6": '=IF(OR(D6="",E6=""),"",JX_EXEC_SCORE(D6,E6,20,评分规则))',
            "H13": '=IF(AND(E13="",G13=""),"",JX_SCORE(D13,E13,F13,B13,评分规则,G13))',
            "H19": '=IF(AND(E19="",G19=""),"",JX_SCORE(D19,E19,F19,B19,评分规则,G19))',
            "F30": '=IF(COUNT(F11:F29)=0,"",SUM(F11:F29))',
            "H30": '=IF(COUNT(H11:H29)=0,"",SUM(H11:H29))',
            "G31": '=IF(COUNT(H6,I8,H30)=0,"",SUM(H6,I8,H30))',
            "I31": '=IF(COUNT(H6,H11:H29)=0,"",JX_GRADE(G31,评分规则))',
            "A11": "产出指标",  # merged A11:A14 (产出: 4 二级), 效益 A15:A19 (5 二级)
            "B13": "时效指标",
            "C13": "在规定时间内完成既定工作",
            "D13": "≥100%",  # 目标值 100% with 指标性质 ≥ in the rubric, one text cell here
            "D19": "≥95%",
            "A10": "一级指标",
            "H10": "得分",
            "A30": "合计",
            "A31": "自评总分",
            "H31": "等级",
        },
        "names": {
            "预算数": "D6",
            "执行数": "E6",
            "执行率": "F6",
            "执行率得分": "H6",
            "总目标得分": "I8",
            "指标_一级": "A11:A29",
            "指标_二级": "B11:B29",
            "指标_目标值": "D11:D29",
            "指标_实际值": "E11:E29",
            "指标_分值": "F11:F29",
            "指标_评定得分": "G11:G29",
            "指标_得分": "H11:H29",
            "指标_偏差原因": "I11:I29",
            "指标_分值合计": "F30",
            "指标_得分合计": "H30",
            "总分": "G31",
            "等级": "I31",
        },
        "validations": {
            "D6": ("decimal", "0"),
            "E6": ("decimal", "0"),
            "I8": ("decimal", "0", "20"),
            "A11:A29": ("list", "一级_列表"),
            "B11:B29": ("list", 'INDIRECT("二级_"&MATCH(A11,一级_列表,0))'),
            "F11:F29": ("decimal", "0", "60"),
            "G11:G29": ("custom", "AND(ISNUMBER(G11),G11>=0,G11<=F11)"),
        },
        "print": {"area": "A1:I33", "titles": "$10:$10", "freeze": "A11"},
    },
    "native": {
        "cells": {
            "I6": '=IF(OR(E6="",E6=0,G6=""),"",G6/E6)',
            "K6": '=IF(OR(E6="",E6=0,G6=""),"",ROUND(MAX(0,MIN(20,20*G6/E6)),2))',
            "K13": HUBEI_NATIVE_SCORE_13,
            "H30": '=IF(COUNT(H11:H29)=0,"",SUM(H11:H29))',
            "K30": '=IF(COUNT(K11:K29)=0,"",SUM(K11:K29))',
            "J31": '=IF(COUNT(K6,L8,K30)=0,"",SUM(K6,L8,K30))',
            "L31": '=IF(COUNT(K6,K11:K29)=0,"",IF(J31>=90,"优",IF(J31>=80,"良",IF(J31>=60,"中","差"))))',
            "A11": "产出指标",  # merged A11:A14 (产出: 4 二级), 效益 A15:A19 (5 二级)
            "B13": "时效指标",
            "D13": "≥",
            "E13": 100,
            "F13": "%",
            "D19": "≥",
            "E19": 95,
            "D10": "指标性质",
            "I10": "定性档位",
            "K10": "得分",
        },
        "names": {
            "预算数": "E6",
            "执行数": "G6",
            "执行率": "I6",
            "执行率得分": "K6",
            "总目标得分": "L8",
            "指标_性质": "D11:D29",
            "指标_目标值": "E11:E29",
            "指标_单位": "F11:F29",
            "指标_实际值": "G11:G29",
            "指标_分值": "H11:H29",
            "指标_定性档位": "I11:I29",
            "指标_评定得分": "J11:J29",
            "指标_得分": "K11:K29",
            "指标_得分合计": "K30",
            "总分": "J31",
            "等级": "L31",
        },
        "validations": {
            "E6": ("decimal", "0"),
            "G6": ("decimal", "0"),
            "L8": ("decimal", "0", "20"),
            "A11:A29": ("list", "一级_列表"),
            "B11:B29": ("list", 'INDIRECT("二级_"&MATCH(A11,一级_列表,0))'),
            "D11:D29": ("list", NATURE_LIST),
            "I11:I29": ("list", BAND_LIST),
            "H11:H29": ("decimal", "0", "60"),
            "J11:J29": (
                "custom",
                'AND(AND(ISNUMBER(J11),J11>=0,J11<=H11),IF(I11="达成预期指标",J11>=H11*0.8,'
                'IF(I11="部分达成预期指标并具有一定效果",AND(J11>=H11*0.5,J11<=H11*0.8),'
                'IF(I11="未达成预期指标且效果较差",J11<=H11*0.5,TRUE))))',
            ),
        },
        "print": {"area": "A1:L33", "titles": "$10:$10", "freeze": "A11"},
    },
}


@pytest.mark.parametrize("count", [0, 3])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_hubei_project_by_hand(generated: Callable[..., Generated], dialect: Dialect, count: int) -> None:
    g = generated("hubei-project", dialect, count)
    expected = HUBEI[dialect]
    titles = ["项目甲", "项目乙", "项目丙"] if count else ["项目自评表"]
    assert g.book.sheetnames == [*titles, INSTRUCTIONS, META]
    for ws in g.forms:
        for coordinate, value in expected["cells"].items():
            assert ws[coordinate].value == value, f"{ws.title}!{coordinate}"
        # 一级 merged over its rows as on the official form; one row per 二级, so no 二级 merges.
        merged = {str(rng) for rng in ws.merged_cells.ranges}
        assert {"A11:A14", "A15:A19"} <= merged
        assert [r for r in range(11, 31) if ws.row_dimensions[r].hidden] == list(range(20, 30))
        assert not any(rng.startswith("B1") and ":B" in rng for rng in merged)
        names = {name: area.a1 for name, area in g.names(ws).items()}
        for name, ref in expected["names"].items():
            assert names[name] == ref, name
        for ref, spec in expected["validations"].items():
            first = parse_area(ref, ws.title)
            dv = only_validation(ws, first.min_row, first.min_col)
            assert str(dv.sqref) == ref
            assert dv.type == spec[0]
            assert dv.formula1 == spec[1]
            if len(spec) > 2:
                assert float(str(dv.formula2)) == float(str(spec[2]))
        assert parse_area(str(ws.print_area)) == parse_area(str(expected["print"]["area"]), ws.title)
        assert ws.print_title_rows == expected["print"]["titles"]
        assert ws.freeze_panes == expected["print"]["freeze"]
    if count:
        assert [ws["B3"].value for ws in g.forms] == ["项目甲", "项目乙", "项目丙"]
        budget = "D6" if dialect == "xlwings" else "E6"
        assert [ws[budget].value for ws in g.forms] == [120.5, 80.0, 15.25]
        assert g.forms[0]["A1"].value == f"{YEAR}年度项目甲项目支出绩效自评表"
    else:
        assert g.forms[0]["A1"].value == f"{YEAR}年度项目支出绩效自评表"


@cases(lambda r: r.execution is not None)
def test_execution_formulas(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    block = g.rubric.execution
    assert block is not None
    rules = g.rubric.rule_set
    for ws in g.forms:
        names = g.names(ws)
        b = names["预算数"].a1
        a = names["执行数"].a1
        w = execution_weight_ref(ws, block, names["预算数"])
        rate = ws[names["执行率"].a1].value
        score = ws[names["执行率得分"].a1].value
        if dialect == "xlwings":
            assert rate == f'=IF(OR({b}="",{a}=""),"",JX_RATE({b},{a}))'
            assert score == f'=IF(OR({b}="",{a}=""),"",JX_EXEC_SCORE({b},{a},{w},评分规则))'
        else:
            blank = f'OR({b}="",{b}=0,{a}="")'
            raw = f"{w}*{a}/{b}"
            capped = f"MIN({w},{raw})" if rules.execution_cap else raw
            assert rate == f'=IF({blank},"",{a}/{b})'
            assert score == f'=IF({blank},"",ROUND(MAX(0,{capped}),{rules.decimals}))'
        parts = [row for row in block.rows[1:] if row.part]
        total_row = names["预算数"].min_row
        for key in ("预算数", "执行数", "年初预算数"):
            if key not in names:
                continue
            cell = ws[names[key].a1]
            if parts:
                # The total row adds up the 其中 rows below it; those are the inputs.
                letter = get_column_letter(names[key].min_col)
                assert cell.value == blank_sum(f"{letter}{total_row + 1}:{letter}{total_row + len(parts)}")
            else:
                assert cell.data_type != "f"


@cases(lambda r: r.indicators is not None)
def test_indicator_row_formulas(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    for ws in g.forms:
        table = table_of(g, ws)
        if "score" not in table.columns:
            continue
        letter = {key: get_column_letter(col) for key, col in table.columns.items()}
        for r in range(table.first, table.last + 1):
            formula = ws.cell(r, table.columns["score"]).value
            assert isinstance(formula, str), f"{ws.title}!{letter['score']}{r} has no score formula"
            # Only cells of its own row: Excel shifts them with the row when rows are inserted.
            assert {row for row, _ in cell_refs(formula)} == {r}, formula
            if dialect == "xlwings":
                judged = f"{letter['judged']}{r}" if "judged" in letter else '""'
                level2 = f"{letter['level2']}{r}"
                target = f"{letter['target']}{r}"
                cols = table.columns
                if (
                    "nature" in cols
                    and "unit" in cols
                    and cols["nature"] + 2 == cols["target"] + 1 == cols["unit"]
                ):
                    # 指标性质 | 指标值 | 度量单位 side by side: JX_SCORE reads them as one range.
                    target = f"{letter['nature']}{r}:{letter['unit']}{r}"
                # Blank while neither 实际完成值 nor 评定得分 is filled in.
                empty = f'{letter["actual"]}{r}=""' + (f',{judged}=""' if "judged" in letter else "")
                expected = (
                    f'=IF(AND({empty}),"",JX_SCORE({target},{letter["actual"]}{r},{letter["weight"]}{r},'
                    f"{level2},评分规则,{judged}))"
                )
                assert formula == expected
            else:
                w, n = f"{letter['weight']}{r}", f"{letter['nature']}{r}"
                assert formula.startswith(f'=IF(NOT(ISNUMBER({w})),"",IF({n}="定性",'), formula


@cases(lambda r: isinstance(r.block("total"), TotalBlock))
def test_total_and_grade(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    total_block = g.rubric.block("total")
    assert isinstance(total_block, TotalBlock)
    for ws in g.forms:
        names = g.names(ws)
        parts: list[str] = []
        for block in g.rubric.blocks:
            if isinstance(block, ExecutionBlock):
                parts.append(names["执行率得分"].a1)
            elif isinstance(block, GoalPairBlock):
                parts.append(names["总目标得分"].a1)
            elif isinstance(block, IndicatorsBlock) and "指标_得分合计" in names:
                parts.append(names["指标_得分合计"].a1)
            elif isinstance(block, IndicatorsBlock) and "指标_得分" in names:
                parts.append(names["指标_得分"].a1)  # no 合计 row (四川): the rows' scores themselves
            elif isinstance(block, CommonBlock):
                table = table_of(g, ws)
                row = table.first
                for group in block.groups:
                    parts.append(a1(row, table.columns["score"]))
                    row += 1 + len(group.rows)
        total = ws[names["总分"].a1].value
        # 总分 = 执行率得分 + 总目标得分 + the indicator subtotal (or the common groups), nothing else.
        assert total == (blank_sum(*parts) if parts else '=""')
        if not total_block.grade_label:
            continue
        grade = str(ws[names["等级"].a1].value)
        total_ref = names["总分"].a1
        assert grade.startswith("=IF(COUNT(") and '=0,"",' in grade
        counted = [parse_area(arg, ws.title) for arg in function_args(grade, "COUNT")]
        if "执行率得分" in names:
            assert names["执行率得分"] in counted
        # Every indicator row's own score is counted (so the grade appears once anything is scored).
        table = table_of(g, ws)
        for row in score_rows(g, table):
            assert any(area.contains(row, table.columns["score"]) for area in counted), f"row {row}"
        if dialect == "xlwings":
            assert grade.endswith(f",JX_GRADE({total_ref},评分规则))")
        else:
            bands = g.rubric.rule_set.grade_bands
            expression = f'"{bands[-1][0]}"'
            for grade_name, bound in reversed(bands[:-1]):
                expression = f'IF({total_ref}>={bound:g},"{grade_name}",{expression})'
            assert grade.endswith(f',"",{expression})')


@pytest.mark.parametrize(
    "name",
    rubric_params(lambda r: isinstance(r.block("total"), TotalBlock) and bool(r.block("total").grade_label)),
)
def test_grade_blank_on_blank_form(generated: Callable[..., Generated], name: str) -> None:
    """``IF(COUNT(scores)=0,"",…)`` keeps 等级 blank until something is scored, so it counts the
    rows' own scores, never a sum of them (a subtotal or a group sum)."""
    for dialect in DIALECTS:
        g = generated(name, dialect, 0)
        ws = g.forms[0]
        grade = str(ws[g.names(ws)["等级"].a1].value)
        for arg in function_args(grade, "COUNT"):
            for row, col in parse_area(arg, ws.title).cells():
                value = ws.cell(row, col).value
                assert not (isinstance(value, str) and "SUM(" in value), (
                    f"{dialect}: COUNT({arg}) counts {a1(row, col)} = {value}"
                )


# =================================================================================================
# Locking, shading and protection


@CASES
def test_locking_and_shading(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    for ws in g.forms:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert cell.protection.locked, f"formula cell {ws.title}!{cell.coordinate} is unlocked"
                # openpyxl rebuilds the style of covered merged cells (MergedCell) and loses their fill.
                if not cell.protection.locked and not isinstance(cell, MergedCell):
                    assert cell.fill.fgColor.rgb == INPUT_FILL, f"unlocked {cell.coordinate} is not shaded"
        # Every cell the layout makes an input (and only those) is unlocked and shaded, merged areas too.
        layout = g.layouts[ws.title]
        for item in layout.cells:
            last_row = item.last_row if item.last_row is not None else item.row
            last_col = item.last_col if item.last_col is not None else item.col
            is_input = item.role in INPUT_ROLES
            for r in range(item.row + 1, last_row + 2):
                for c in range(item.col + 1, last_col + 2):
                    cell = ws.cell(r, c)
                    assert cell.protection.locked is not is_input, f"{ws.title}!{cell.coordinate} {item.role}"
                    if is_input and not isinstance(cell, MergedCell):
                        assert cell.fill.fgColor.rgb == INPUT_FILL, f"{ws.title}!{cell.coordinate}"
        # From the rubric alone: every indicator row is typed into except its computed columns.
        if g.rubric.indicators is not None:
            table = table_of(g, ws)
            for key, col in table.columns.items():
                for r in range(table.first, table.last + 1):
                    locked = bool(ws.cell(r, col).protection.locked)
                    assert locked is (key in COMPUTED_COLUMNS), f"{ws.title}!{a1(r, col)} ({key})"


@CASES
def test_protection_without_password(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    for ws in g.book.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert ws.protection.password is None, ws.title
    for ws in g.forms:
        # Rows may be inserted (the ranges grow with them) but not deleted.
        assert ws.protection.insertRows is False
        assert ws.protection.deleteRows is True


@pytest.mark.parametrize("name", rubric_params())
def test_protection_with_password(tmp_path: Path, name: str) -> None:
    g = build(RUBRICS[name], "xlwings", PROJECTS[:2], tmp_path, password="s3cret-密")
    for ws in g.forms:
        assert ws.protection.sheet is True
        assert ws.protection.password == hash_password("s3cret-密")


# =================================================================================================
# Validations


@cases(lambda r: r.indicators is not None)
def test_table_validations(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    block = g.rubric.indicators
    assert block is not None
    for ws in g.forms:
        table = table_of(g, ws)
        cols = table.columns

        def column_validation(key: str, ws: Worksheet = ws, table: Table = table) -> DataValidation:
            dv = only_validation(ws, table.first, table.columns[key])
            # The validation covers the whole column of the table (rows inserted inside inherit it).
            assert str(dv.sqref) == table.column_area(ws.title, key).a1, key
            return dv

        level1 = column_validation("level1")
        assert level1.type == "list"
        assert level1.formula1 == LEVEL1_LIST
        level2 = column_validation("level2")
        assert level2.type == "list"
        level1_cell = a1(table.first, cols["level1"])
        assert level2.formula1 == f'INDIRECT("{LEVEL2_PREFIX}"&MATCH({level1_cell},{LEVEL1_LIST},0))'
        if "nature" in cols:
            nature = column_validation("nature")
            assert (nature.type, nature.formula1) == ("list", NATURE_LIST)
            assert nature.errorStyle in (None, "stop")  # only the four values
        if "band" in cols:
            band = column_validation("band")
            assert (band.type, band.formula1) == ("list", BAND_LIST)
        if "basis" in cols:
            basis = column_validation("basis")
            assert (basis.type, basis.formula1) == ("list", '"' + ",".join(block.basis_options) + '"')
            assert basis.errorStyle == "information"  # free text such as 年度工作计划 stays allowed
        if "weight" in cols:
            weight = column_validation("weight")
            top = block.weight if block.weight is not None else g.rubric.total_weight
            assert weight.type == "decimal" and weight.operator in (None, "between")
            assert float(str(weight.formula1)) == 0 and float(str(weight.formula2)) == top
        if "judged" in cols:
            judged = column_validation("judged")
            assert judged.type == "custom"
            j, w = a1(table.first, cols["judged"]), a1(table.first, cols["weight"])
            assert str(judged.formula1).startswith("AND(") and f"{j}>=0" in str(judged.formula1)
            assert f"{j}<={w}" in str(judged.formula1)


@CASES
def test_amount_validations(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    for ws in g.forms:
        names = g.names(ws)
        amounts: list[tuple[int, int]] = []
        for block in g.rubric.blocks:
            if isinstance(block, FieldsBlock):
                for spec in (s for row in block.rows for s in row if s.name and not s.compute):
                    if spec.type in ("amount", "integer"):
                        amounts.append((names[spec.name].min_row, names[spec.name].min_col))
            elif isinstance(block, ExecutionBlock):
                parts = sum(1 for row in block.rows if row.part)
                for key in ("预算数", "执行数", "年初预算数"):
                    if key not in names:
                        continue
                    area = names[key]
                    rows = range(area.min_row + 1, area.min_row + parts + 1) if parts else [area.min_row]
                    amounts += [(r, area.min_col) for r in rows]
            elif isinstance(block, GoalPairBlock):
                area = names["总目标得分"]
                dv = only_validation(ws, area.min_row, area.min_col)
                assert dv.type == "decimal"
                assert (float(str(dv.formula1)), float(str(dv.formula2))) == (0, block.weight)
        for row, col in amounts:
            dv = only_validation(ws, row, col)
            assert dv.type in ("decimal", "whole"), a1(row, col)
            assert dv.operator in (None, "between", "greaterThanOrEqual")
            assert float(str(dv.formula1)) == 0, f"{a1(row, col)} should be ≥ 0"
            assert not ws.cell(row, col).protection.locked


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", rubric_params(lambda r: r.block("plan") is not None))
def test_spending_plan_validations(generated: Callable[..., Generated], name: str, dialect: Dialect) -> None:
    g = generated(name, dialect, 0)
    block = g.rubric.block("plan")
    assert isinstance(block, PlanBlock)
    ws = g.forms[0]
    area = g.names(ws)[block.name]
    assert area.min_row == area.max_row, "the plan is one row of percentages"
    row = area.min_row
    starts = sorted({top_left(ws, row, col).column for col in range(area.min_col, area.max_col + 1)})
    assert len(starts) == len(block.months)
    assert [top_left(ws, row - 1, col).value for col in starts] == block.months
    assert top_left(ws, row, 1).value == block.label
    for index, col in enumerate(starts):
        here = a1(row, col)
        dv = only_validation(ws, row, col)
        assert dv.type == "custom"
        formula = str(dv.formula1)
        checks = function_args(formula, "AND")
        expected = [f"ISNUMBER({here})", f"{here}>=0", f"{here}<=1"]
        if index:
            expected.append(f"{here}>={a1(row, starts[index - 1])}")  # never below the month before
        if index == len(starts) - 1:
            expected.append(f"ROUND({here},6)=1")  # the last month is 100 %
        assert checks == expected, formula
        assert not ws.cell(row, col).protection.locked


def test_spending_plan_by_hand(generated: Callable[..., Generated]) -> None:
    """target-project: rows 1 title, 2 subtitle, 3–6 fields (编码/名称, 属性/实施期, 负责人/电话,
    预算数), 7 资金用途, 8–9 资金支出计划 (months on 8, percentages on 9 in C–F; xlwings, six columns)."""
    if "target-project" not in RUBRICS:
        pytest.skip("no target-project rubric")
    ws = generated("target-project", "xlwings", 0).forms[0]
    formulas = {a1(9, col): str(only_validation(ws, 9, col).formula1) for col in range(3, 7)}
    assert formulas == {
        "C9": "AND(ISNUMBER(C9),C9>=0,C9<=1)",
        "D9": "AND(ISNUMBER(D9),D9>=0,D9<=1,D9>=C9)",
        "E9": "AND(ISNUMBER(E9),E9>=0,E9<=1,E9>=D9)",
        "F9": "AND(ISNUMBER(F9),F9>=0,F9<=1,F9>=E9,ROUND(F9,6)=1)",
    }


# =================================================================================================
# Print setup


@CASES
def test_print_setup(generated: Callable[..., Generated], name: str, dialect: Dialect, count: int) -> None:
    g = generated(name, dialect, count)
    for ws in g.forms:
        table = table_of(g, ws)
        setup = ws.page_setup
        assert setup.orientation == "landscape"
        assert int(setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert int(setup.fitToWidth or 1) == 1  # an absent fitToWidth is 1 (ECMA-376 default)
        assert setup.fitToHeight == 0  # as many pages tall as needed
        assert ws.print_title_rows == f"${table.header}:${table.header}"
        printed = parse_area(str(ws.print_area))
        assert printed == Area(ws.title, 1, 1, ws.max_column, ws.max_row)
        assert ws.freeze_panes == f"A{table.first}"


# =================================================================================================
# User text stays text


INJECTED = {"=1+1", "@x", "=2+2", "+区财政局", "-区城管局", "=SUM(A1:A2)", "@目标"}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", rubric_params())
def test_user_text_stays_text(tmp_path: Path, name: str, dialect: Dialect) -> None:
    rubric = RUBRICS[name]
    project = ProjectInfo(
        name="=1+1",
        code="=2+2",
        department="+区财政局",
        implementer="-区城管局",
        purpose="=SUM(A1:A2)",
        goals="@目标",
    )
    request = Request(rubric, YEAR, unit="@x", projects=(project,), dialect=dialect)
    (path,) = generate(request, tmp_path)
    book = openpyxl.load_workbook(path)
    found: set[str] = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                text = str(cell.value)
                if text in INJECTED:
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate} = {text!r} is not text"
                if cell.data_type == "s":
                    found |= {item for item in INJECTED if item in text}
                if cell.data_type == "f":
                    assert "1+1" not in text and "2+2" not in text, text  # no user text inside a formula
    assert read_meta(book)["unit"] == "@x"
    assert "@x" in found
    keyed = {
        spec.key
        for block in rubric.blocks
        if isinstance(block, FieldsBlock)
        for r in block.rows
        for spec in r
    }
    if rubric.scope == "project" and "项目名称" in keyed:
        assert "=1+1" in found
    if name == "hubei-project":
        ws = book.worksheets[0]
        assert ws.title == "=1+1"
        assert (ws["A1"].value, ws["A1"].data_type) == (f"{YEAR}年度=1+1项目支出绩效自评表", "s")
        assert (ws["B3"].value, ws["B3"].data_type) == ("=1+1", "s")
        assert (ws["B4"].value, ws["B4"].data_type) == ("+区财政局", "s")
        assert str(ws["A2"].value).startswith("单位名称：@x")


# =================================================================================================
# Atomic write, no overwrite


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.glob(".jixiao-*"))


@pytest.mark.parametrize("name", rubric_params())
def test_no_overwrite_and_no_temporary_files(tmp_path: Path, name: str) -> None:
    request = Request(RUBRICS[name], YEAR, unit=UNIT, projects=PROJECTS, split=True)
    first = generate(request, tmp_path)
    before = {path: path.read_bytes() for path in first}
    with pytest.raises(FileExistsError):
        generate(request, tmp_path)
    assert {path: path.read_bytes() for path in first} == before, "an existing file was touched"
    replaced = Request(
        RUBRICS[name], YEAR, unit=UNIT, projects=PROJECTS, split=True, password="pw", overwrite=True
    )
    again = generate(replaced, tmp_path)
    assert again == first
    assert leftovers(tmp_path) == []
    assert sorted(tmp_path.iterdir()) == sorted(first)
    assert openpyxl.load_workbook(again[0]).worksheets[0].protection.password == hash_password("pw")


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jixiao.generate.writer as writer

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_write_meta", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        generate(Request(RUBRICS["hubei-project"], YEAR, unit=UNIT), tmp_path)
    assert list(tmp_path.iterdir()) == []


# =================================================================================================
# Inserting a row inside the indicator table


@CASES
def test_ranges_span_the_whole_table(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    """Excel grows a range when a row is inserted strictly inside it. So every column name, subtotal,
    validation and conditional format over the table must span from its first to its last row, and
    the totals must refer to the subtotal cells, not to indicator rows."""
    g = generated(name, dialect, count)
    for ws in g.forms:
        table = table_of(g, ws)
        names = g.names(ws)
        inside = range(table.first, table.last + 1)
        assert table.last - table.first + 1 == expected_table_rows(g.rubric, count)
        for key in table.columns:
            column_name = table.name_of(key)
            if column_name:
                area = names[column_name]
                assert (area.min_row, area.max_row) == (table.first, table.last), column_name
        # Validations and conditional formats that touch the table cover all of it.
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                if table.kind == "indicators" and (rng.min_row in inside or rng.max_row in inside):
                    assert (rng.min_row, rng.max_row) == (table.first, table.last), str(rng)
        for conditional in ws.conditional_formatting:
            for rng in conditional.sqref.ranges:
                if table.kind == "indicators" and (rng.min_row in inside or rng.max_row in inside):
                    assert (rng.min_row, rng.max_row) == (table.first, table.last), str(rng)
        spans = [(table.first, table.last)] if table.kind == "indicators" else group_spans(g, table)
        if table.kind == "indicators" and {"weight", "score"} & table.columns.keys():
            subtotal = table.last + 1
            assert top_left(ws, subtotal, 1).value == "合计"
            for col in range(1, ws.max_column + 1):
                value = ws.cell(subtotal, col).value
                if isinstance(value, str) and value.startswith("="):
                    # A range sums a whole column of the table (四川's 合计 adds the 执行 score cell too).
                    ranges = [parse_area(arg, ws.title) for arg in function_args(value, "SUM")]
                    ranges = [area for area in ranges if not area.single]
                    assert ranges
                    for area in ranges:
                        assert (area.min_row, area.max_row, area.min_col) == (table.first, table.last, col)
        elif table.kind == "indicators":
            # Nothing to total (target forms): no empty 合计 row either.
            assert top_left(ws, table.last + 1, 1).value != "合计"
        else:
            # Common tables: each group row sums exactly its own indicator rows.
            for first, last in spans:
                for key in ("weight", "score"):
                    letter = get_column_letter(table.columns[key])
                    assert ws[f"{letter}{first - 1}"].value == blank_sum(f"{letter}{first}:{letter}{last}")
        goals = g.rubric.indicators.goals if g.rubric.indicators else None
        if goals is not None:
            # Each 年度目标 group: its label / 目标分值 / 目标得分 cells are merged over its rows and
            # the sums cover exactly those rows, so a row inserted inside a group joins it.
            size = goals.rows_per_goal
            for top in range(table.first, table.last + 1, size):
                bottom = top + size - 1
                for key, source in (("goal_weight", "weight"), ("goal_score", "score")):
                    if key in table.columns and source in table.columns:
                        letter = get_column_letter(table.columns[source])
                        assert ws.cell(top, table.columns[key]).value == blank_sum(
                            f"{letter}{top}:{letter}{bottom}"
                        )
                if "goal" in table.columns:
                    merged = {str(rng) for rng in ws.merged_cells.ranges}
                    column = get_column_letter(table.columns["goal"])
                    assert size == 1 or f"{column}{top}:{column}{bottom}" in merged
        # Totals below the table read subtotal cells and ranges spanning whole tables (or groups) only.
        for key in ("总分", "等级"):
            if key not in names:
                continue
            formula = str(ws[names[key].a1].value)
            refs = re.findall(
                r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?", re.sub(r'"[^"]*"', "", formula)
            )
            for arg in refs:
                area = parse_area(arg, ws.title)
                if area.single:
                    assert not any(first <= area.min_row <= last for first, last in spans), f"{key}: {arg}"
                else:
                    assert (area.min_row, area.max_row) in spans, f"{key}: {arg}"


@cases(lambda r: r.indicators is not None and r.indicators.goals is None)
def test_default_and_blank_rows(
    generated: Callable[..., Generated], name: str, dialect: Dialect, count: int
) -> None:
    g = generated(name, dialect, count)
    block = g.rubric.indicators
    assert block is not None
    for ws in g.forms:
        table = table_of(g, ws)
        cols = table.columns
        rows = list(range(table.first, table.last + 1))
        laid = laid_rows(block)
        defaults, blanks = rows[: len(laid)], rows[len(laid) :]
        assert len(blanks) == block.blank_rows + block.spare_rows
        # The spare rows are the last ones, hidden (unhidden by the user when more rows are needed).
        hidden = [r for r in rows if ws.row_dimensions[r].hidden]
        assert hidden == rows[len(rows) - block.spare_rows :] if block.spare_rows else hidden == []
        weights = {level1.name: level1.weight for level1 in block.tree}
        for r, (level1, level2, template) in zip(defaults, laid, strict=True):
            if block.level1_weights and weights.get(level1) is not None:
                level1 = f"{level1}（{weights[level1]:g}分）"  # 产出指标（50分）
            # Read through merges: 一级 (and 二级) are merged over their rows.
            assert top_left(ws, r, cols["level1"]).value == level1
            assert top_left(ws, r, cols["level2"]).value == level2
            assert ws.cell(r, cols["level3"]).value == ((template.level3 if template else "") or None)
        for r in blanks:
            typed = [ws.cell(r, col).value for key, col in cols.items() if key not in COMPUTED_COLUMNS]
            assert typed == [None] * len(typed), f"blank row {r} is not blank"
            if "score" in cols:
                assert ws.cell(r, cols["score"]).data_type == "f"


# =================================================================================================
# The command line


def cli_main() -> object:
    # `jixiao new` imports the project-list and roll-forward readers whatever the options.
    pytest.importorskip("jixiao.generate.projects")
    pytest.importorskip("jixiao.generate.rollforward")
    return importlib.import_module("jixiao.cli").main


@pytest.mark.parametrize("name", rubric_params())
def test_cli_new(tmp_path: Path, name: str) -> None:
    main = cli_main()
    args = ["new", "--rubric", name, "--year", "2027", "--unit", UNIT, "-o", str(tmp_path)]
    result = CliRunner().invoke(main, args)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output
    files = sorted(tmp_path.glob("*.xlsx"))
    assert len(files) == 1
    assert str(files[0]) in result.output
    values = read_meta(openpyxl.load_workbook(files[0]))
    # Without --formulas: native formulas, which every spreadsheet program computes.
    assert (values["rubric"], values["year"], values["unit"], values["dialect"]) == (
        name,
        "2027",
        UNIT,
        "native",
    )
    # A second run refuses to overwrite.
    again = CliRunner().invoke(main, args)  # type: ignore[arg-type]
    assert again.exit_code != 0
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", rubric_params())
def test_cli_split_with_project_csv(tmp_path: Path, name: str) -> None:
    pytest.importorskip("jixiao.generate.projects")
    main = cli_main()
    csv = tmp_path / "项目清单.csv"
    csv.write_text(
        "项目名称,项目编码,主管部门,实施单位,预算数\n"
        "道路维护,P-001,区财政局,区城管局,120.5\n"
        "校舍修缮,P-002,区财政局,区教育局,80\n"
        "义诊下乡,P-003,区卫健委,区医院,15.25\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["new", "--rubric", name, "--year", "2027", "--unit", UNIT, "--projects", str(csv), "--split"]
    result = CliRunner().invoke(main, [*args, "--formulas", "native", "-o", str(out)])  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.xlsx"))
    assert result.output.count("已生成") == len(files)
    if RUBRICS[name].scope == "project":
        assert len(files) == 3
        for project in ("道路维护", "校舍修缮", "义诊下乡"):
            assert sum(project in file.name for file in files) == 1
    else:
        assert len(files) == 1  # a unit form: the projects become its 年度目标 / 分项目标 groups
    assert leftovers(out) == []


# =================================================================================================
# Sheet names that once broke generation


def test_project_named_like_the_meta_sheet(tmp_path: Path) -> None:
    # Excel compares sheet names case-insensitively: "_JIXIAO" must not take the meta sheet's name.
    g = build(RUBRICS["hubei-project"], "xlwings", (ProjectInfo(name="_JIXIAO"),), tmp_path)
    assert g.book[META].sheet_state == "veryHidden"
    assert len(g.forms) == 1
    assert g.forms[0].title.lower() != META.lower()


@pytest.mark.parametrize("sheet", ["a'b", "a!b"])
def test_scoped_names_on_a_sheet_with_quote_or_bang(tmp_path: Path, sheet: str) -> None:
    # ' and ! would break "'sheet'!name" references: the sheet name replaces them with "_".
    projects = (ProjectInfo(name=sheet), ProjectInfo(name="c"))
    g = build(RUBRICS["hubei-project"], "xlwings", projects, tmp_path)
    assert [ws.title for ws in g.forms] == ["a_b", "c"]
    assert "总分" in g.names(g.forms[0])
