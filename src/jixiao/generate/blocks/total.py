"""The total block: 总分 (the sum of every scored part) and its 等级."""

from __future__ import annotations

from jixiao.generate.blocks.state import FIELD_HEIGHT, SheetState
from jixiao.rubric.model import TotalBlock
from jixiao.workbook.refs import cell


def lay_out(state: SheetState, block: TotalBlock) -> None:
    r = state.row
    grade_cols = 2 if block.grade_label else 0
    label_end = state.width - 2 - grade_cols
    state.put(r, 0, "label", block.label, last_col=max(label_end, 0))
    total_col = label_end + 1
    total_formula = state.formulas.total(state.score_parts) if state.score_parts else '=""'
    state.put(r, total_col, "total", None, total_formula)
    state.name("总分", r, total_col)
    if block.grade_label:
        state.put(r, total_col + 1, "label", block.grade_label)
        any_score = ",".join(state.score_cells) or cell(r, total_col)
        state.put(r, total_col + 2, "formula_text", None, state.formulas.grade(cell(r, total_col), any_score))
        state.name("等级", r, total_col + 2)
    state.height(r, FIELD_HEIGHT + 2)
    state.row += 1
