"""The text block: a labelled free-text box across the sheet (资金用途, 绩效目标 …)."""

from __future__ import annotations

from jixiao.generate.blocks.state import LINE_HEIGHT, SheetState
from jixiao.rubric.model import TextBlock


def lay_out(state: SheetState, block: TextBlock) -> None:
    label_span = 2 if state.width >= 6 else 1
    value = state.values.get(block.key) if block.key else None
    state.put(state.row, 0, "label", block.label, last_col=label_span - 1)
    state.put(state.row, label_span, "input_text", value or None, last_col=state.width - 1)
    if block.name:
        state.name(block.name, state.row, label_span)
    elif block.key:
        state.auto_name(block.key, state.row, label_span)
    state.height(state.row, LINE_HEIGHT * block.lines)
    state.row += 1
