"""The title block: the form's title row and an optional subtitle (单位名称, 单位：万元 …)."""

from __future__ import annotations

from jixiao.generate.blocks.state import SUBTITLE_HEIGHT, TITLE_HEIGHT, SheetState
from jixiao.generate.layout import render
from jixiao.rubric.model import TitleBlock


def lay_out(state: SheetState, block: TitleBlock) -> None:
    state.put(state.row, 0, "title", render(block.template, state.values), last_col=state.width - 1)
    state.height(state.row, TITLE_HEIGHT)
    state.row += 1
    if block.subtitle:
        state.put(state.row, 0, "subtitle", render(block.subtitle, state.values), last_col=state.width - 1)
        state.height(state.row, SUBTITLE_HEIGHT)
        state.row += 1
