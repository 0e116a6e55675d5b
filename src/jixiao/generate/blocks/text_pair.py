"""The text_pair block: two free-text boxes side by side under their headers, not scored
(年度总体目标 预期目标 | 实际完成情况; 年度目标 | 长期目标)."""

from __future__ import annotations

from jixiao.generate.blocks.state import FIELD_HEIGHT, LINE_HEIGHT, SheetState
from jixiao.rubric.model import PairCell, TextPairBlock


def lay_out(state: SheetState, block: TextPairBlock) -> None:
    label_span = 2 if state.width >= 8 else 1
    left_span, right_span = state.spans([None, None], state.width - label_span)
    top = state.row
    state.put(top, 0, "label", block.label, last_row=top + 1, last_col=label_span - 1)
    col = label_span
    for side, span in ((block.left, left_span), (block.right, right_span)):
        state.put(top, col, "header", side.label, last_col=col + span - 1)
        _value(state, side, top + 1, col, col + span - 1)
        col += span
    state.height(top, FIELD_HEIGHT)
    state.height(top + 1, LINE_HEIGHT * block.lines)
    state.row = top + 2


def _value(state: SheetState, side: PairCell, row: int, first: int, last: int) -> None:
    value = state.values.get(side.key) if side.key else None
    state.put(row, first, "input_text", value or None, last_col=last)
    if side.name:
        state.name(side.name, row, first)
    elif side.key:
        state.auto_name(side.key, row, first)
