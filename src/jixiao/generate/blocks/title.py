"""The title block: the form's title row, an optional subtitle (单位名称, 填报日期 …) and, on the
subtitle's row at the right, the amount unit (「单位：万元」) as the official forms print it."""

from __future__ import annotations

from jixiao.generate.blocks.state import SUBTITLE_HEIGHT, TITLE_HEIGHT, SheetState
from jixiao.generate.layout import render
from jixiao.rubric.model import TitleBlock


def lay_out(state: SheetState, block: TitleBlock) -> None:
    state.put(state.row, 0, "title", render(block.template, state.values), last_col=state.width - 1)
    state.height(state.row, TITLE_HEIGHT)
    state.row += 1
    if not (block.subtitle or block.unit_note):
        return
    # The unit note takes the last two grid columns (one on a narrow grid); the subtitle the rest.
    note_span = (2 if state.width >= 6 else 1) if block.unit_note else 0
    if block.subtitle:
        end = state.width - 1 - note_span
        state.put(state.row, 0, "subtitle", render(block.subtitle, state.values), last_col=max(end, 0))
    if block.unit_note:
        note = render(block.unit_note, state.values)
        state.put(state.row, state.width - note_span, "unit_note", note, last_col=state.width - 1)
    state.height(state.row, SUBTITLE_HEIGHT)
    state.row += 1
