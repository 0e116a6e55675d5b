"""Single cells around the tables: totals and subtotals, the 偏差原因 box, and header fields
(项目名称, 自评得分, 评价等级, the funds of the unit form)."""

from __future__ import annotations

from jixiao.check.forms import Text, Total
from jixiao.check.legacy.draft import FormDraft, TableState
from jixiao.check.legacy.goals import goal_without_header
from jixiao.check.legacy.labels import INLINE_TOTAL, WORDS
from jixiao.workbook.sheets import Grid

_FUNDS = dict(WORDS.funds)


def read_total(grid: Grid, form: FormDraft, row: int, table: TableState | None) -> None:
    """总分 / 综合得分: the reported total; a 分值 printed on the same row is the form's maximum."""
    col, text = grid.labels(row)[0]
    if table is not None and table.weight_col and grid.number(row, table.weight_col) is not None:
        form.total_weight = grid.number(row, table.weight_col)
    if table is not None and table.score_col and grid.number(row, table.score_col) is not None:
        value_col: int | None = table.score_col
    else:
        numbers = [
            c
            for c in range(col + 1, grid.n_cols + 1)
            if not grid.is_tail(row, c) and grid.number(row, c) is not None
        ]
        value_col = numbers[-1] if numbers else None
    if value_col is None:
        form.total = Total(text, grid.address(row, grid.after(row, col)), None)
        return
    form.total = Total(text, grid.address(row, value_col), grid.number(row, value_col))


def read_subtotal(grid: Grid, form: FormDraft, row: int, table: TableState) -> None:
    """合计 / 小计 under a table: the table's reported subtotal (and its declared weight)."""
    block = form.groups[table.block]
    if table.score_col:
        block.reported = grid.number(row, table.score_col)
        block.reported_cell = grid.address(row, table.score_col)
    if table.weight_col and block.weight is None:
        # 合计 | … | 60 | … : the table's declared weight is its 分值 total.
        block.weight = grid.number(row, table.weight_col)


def read_footer(grid: Grid, form: FormDraft, row: int) -> None:
    col, text = grid.labels(row)[0]
    if not text.startswith("偏差"):
        return
    value_col = grid.after(row, col)
    found = grid.right_of(row, col)
    content = grid.text(row, found) if found else ""
    form.explanation = Text(grid.text(row, col), content, grid.address(row, found or value_col))


def read_header_fields(grid: Grid, form: FormDraft, row: int) -> None:
    labels = grid.labels(row)
    if not labels:
        return
    if goal_without_header(grid, form, row, labels):
        return
    for col, text in labels:
        if text == "项目名称":
            found = grid.right_of(row, col)
            if found:
                form.project = grid.text(row, found)
        elif "自评表" in text and not form.title:
            form.title = grid.text(row, col)
        for stem, field_name in _FUNDS.items():
            if text.startswith(stem):
                found = grid.right_of(row, col)
                value = grid.number(row, found) if found else None
                if value is not None:
                    form.funds[field_name] = (value, grid.address(row, found))  # type: ignore[arg-type]
        if text.startswith(WORDS.grades):
            inline = text.split(":", 1)[1] if ":" in text else ""
            found = grid.right_of(row, col)
            grade = inline or (grid.text(row, found) if found else "")
            if grade:
                cell = grid.address(row, found) if found and not inline else grid.address(row, col)
                form.grade = (grade, cell)
        _header_total(grid, form, row, col, text)


def _header_total(grid: Grid, form: FormDraft, row: int, col: int, text: str) -> None:
    if form.header_total is not None:
        return
    match = INLINE_TOTAL.search(text)
    if match:
        form.header_total = Total(match.group(1), grid.address(row, col), float(match.group(2)))
    elif text.rstrip(":").endswith(WORDS.header_totals):
        # "单位名称：…　填报日期：…　自评得分：" in one merged cell, the score in the next one.
        found = grid.right_of(row, col)
        value = grid.number(row, found) if found else None
        if value is not None:
            label = next(t for t in WORDS.header_totals if text.rstrip(":").endswith(t))
            form.header_total = Total(label, grid.address(row, found), value)  # type: ignore[arg-type]
