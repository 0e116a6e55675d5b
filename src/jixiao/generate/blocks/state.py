"""The sheet being laid out: its grid, the row cursor, and what the blocks tell each other.

Every block function takes one :class:`SheetState`, writes its cells from ``state.row`` down and
leaves ``state.row`` on the first free row. Blocks talk to each other only through this object:
the workbook names already given (so a computed field can refer to 预算数), and the score cells the
closing 总分 block adds up.
"""

from __future__ import annotations

import re

from jixiao.generate.formulas import Dialect, Formulas, unless_no_number
from jixiao.generate.layout import Cell, FormContext, LayoutError, NamedRange, Role, SheetLayout
from jixiao.rubric.model import CommonBlock, Rubric
from jixiao.workbook.refs import cell

# Grid widths of the common-indicator table's columns (a rubric without an indicator table).
_COMMON_WIDTHS = {
    "level1": 8,
    "level2": 14,
    "level3": 22,
    "reference": 8,
    "weight": 8,
    "analysis": 40,
    "result": 12,
    "score": 9,
}

# Row heights (points). With them every project-level form fits one A4 landscape page at its
# default rows (tests/test_print.py exports each one to PDF and counts the pages).
TITLE_HEIGHT = 30
SUBTITLE_HEIGHT = 18
FIELD_HEIGHT = 20  # a label | value row, a fund row, a 合计 row
HEADER_HEIGHT = 28  # a column-header row (labels wrap onto two lines)
INDICATOR_HEIGHT = 24  # an indicator row: two lines of 10-point text
LINE_HEIGHT = 15  # per line of a free-text box

_INPUT_ROLES: dict[str, Role] = {
    "amount": "input_amount",
    "signed_amount": "input_amount",
    "percent": "input_percent",
    "integer": "input_integer",
    "date": "input_text",
}


def grid_columns(rubric: Rubric, dialect: Dialect) -> list[tuple[str, float]]:
    """The sheet's columns (key, width): the indicator table's, else the common-indicator table's."""
    indicators = rubric.indicators
    if indicators is not None:
        return [(column.key, column.width) for column in indicators.columns if dialect in column.dialects]
    common = rubric.block("common")
    if isinstance(common, CommonBlock):
        return [(key, float(_COMMON_WIDTHS.get(key, 12))) for key in common.columns]
    raise LayoutError(f"表样「{rubric.name}」没有指标表（indicators 或 common 块）")


class SheetState:
    """One form sheet under construction."""

    def __init__(self, rubric: Rubric, context: FormContext, dialect: Dialect, sheet_name: str):
        self.rubric = rubric
        self.context = context
        self.values = {**context.values(), "金额单位": rubric.amount_unit}
        self.dialect = dialect
        self.rules = rubric.rule_set
        self.formulas = Formulas(dialect, self.rules)
        self.columns = grid_columns(rubric, dialect)
        self.width = len(self.columns)
        self.sheet = SheetLayout(sheet_name, self.width, [column[1] for column in self.columns])
        self.row = 0
        self.named_cells: dict[str, str] = {}  # workbook name → A1 of its cell (for compute formulas)
        self.computed: list[tuple[int, int, str, Role]] = []  # cells whose formula uses names
        self.score_parts: list[str] = []  # cells summed into the total
        self.score_cells: list[str] = []  # ranges whose count says "something was scored"
        self.auto_names: set[str] = set()  # names given after a field's key, not claimed by the rubric
        self.table_columns: dict[str, int] = {}  # the indicator table's column key → grid column
        self.hidden: set[int] = set()  # the indicator table's spare rows (indices into its rows)

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
    ) -> NamedRange:
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

    @staticmethod
    def input_role(kind: str) -> Role:
        return _INPUT_ROLES.get(kind, "input_text")

    def resolve_computed(self) -> None:
        """Turn the compute expressions of fields ("上年结转+年初预算") into formulas over the cells
        their names point to; done last, when every name on the sheet is known."""
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
            used = (
                list(dict.fromkeys(self.named_cells[name] for name in pattern.findall(expression)))
                if pattern
                else []
            )
            shown = unless_no_number(f'=IFERROR({formula},"")', used) if used else f'=IFERROR({formula},"")'
            resolved.append(Cell(item.row, item.col, role, None, shown, item.last_row, item.last_col))
        self.sheet.cells = resolved
