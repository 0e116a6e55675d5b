"""The note block: fixed text printed on the form (备注, signature lines)."""

from __future__ import annotations

from jixiao.generate.blocks.state import SheetState
from jixiao.generate.layout import render
from jixiao.rubric.model import NoteBlock


def lay_out(state: SheetState, block: NoteBlock) -> None:
    state.put(state.row, 0, "note", render(block.text, state.values), last_col=state.width - 1)
    state.height(state.row, 16 * block.lines)
    state.row += 1
