"""The total block: 总分 (the sum of every scored part) and its 等级."""

from __future__ import annotations

from jixiao.generate.blocks.state import FIELD_HEIGHT, SheetState
from jixiao.rubric.model import TotalBlock
from jixiao.workbook.refs import cell


def lay_out(state: SheetState, block: TotalBlock) -> None:
    columns = state.table_columns
    if block.under_columns and "score" in columns:
        _under_columns(state, block, columns)
        return
    r = state.row
    grade_cols = 2 if block.grade_label else 0
    label_end = state.width - 2 - grade_cols
    state.put(r, 0, "label", block.label, last_col=max(label_end, 0))
    total_col = label_end + 1
    _total_and_grade(state, block, r, total_col, total_col + 1)
    state.height(r, FIELD_HEIGHT + 2)
    state.row += 1


def _under_columns(state: SheetState, block: TotalBlock, columns: dict[str, int]) -> None:
    """「合计」 as the table's last row: the form's full weight under 分值, 总分 under 得分."""
    r = state.row
    score_col = columns["score"]
    weight_col = columns.get("weight")
    label_end = (weight_col if weight_col is not None else score_col) - 1
    state.put(r, 0, "label", block.label, last_col=max(label_end, 0))
    for col in range(label_end + 1, state.width):
        if col == weight_col:
            state.put(r, col, "fixed_number", state.rubric.total_weight)
        elif col != score_col and not (block.grade_label and col in (score_col + 1, score_col + 2)):
            state.put(r, col, "total", None)
    _total_and_grade(state, block, r, score_col, score_col + 1)
    state.height(r, FIELD_HEIGHT + 2)
    state.row += 1


def _total_and_grade(state: SheetState, block: TotalBlock, r: int, total_col: int, grade_col: int) -> None:
    total_formula = state.formulas.total(state.score_parts) if state.score_parts else '=""'
    state.put(r, total_col, "total", None, total_formula)
    state.name("总分", r, total_col)
    if block.grade_label:
        state.put(r, grade_col, "label", block.grade_label)
        any_score = ",".join(state.score_cells) or cell(r, total_col)
        state.put(r, grade_col + 1, "formula_text", None, state.formulas.grade(cell(r, total_col), any_score))
        state.name("等级", r, grade_col + 1)
