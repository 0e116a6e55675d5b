"""One module per kind of rubric block; each lays its block out on a shared :class:`SheetState`.

A rubric is a stack of blocks; :func:`build_sheet` walks it top to bottom and hands each block to
the ``lay_out`` function of its kind. A new kind of block is a new module here plus one entry in
``LAY_OUT``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.generate.blocks import (
    common,
    execution,
    fields,
    goal_pair,
    indicators,
    note,
    plan,
    text,
    text_pair,
    title,
    total,
)
from jixiao.generate.blocks.state import SheetState
from jixiao.generate.formulas import Dialect
from jixiao.generate.layout import FormContext, SheetLayout
from jixiao.rubric.model import Rubric

LAY_OUT: dict[str, Callable[[SheetState, Any], None]] = {
    "title": title.lay_out,
    "fields": fields.lay_out,
    "text": text.lay_out,
    "note": note.lay_out,
    "plan": plan.lay_out,
    "execution": execution.lay_out,
    "goal_pair": goal_pair.lay_out,
    "indicators": indicators.lay_out,
    "common": common.lay_out,
    "total": total.lay_out,
    "text_pair": text_pair.lay_out,
}


def build_sheet(rubric: Rubric, context: FormContext, dialect: Dialect, sheet_name: str) -> SheetLayout:
    """Lay one form out: every block in rubric order, then the computed fields' formulas."""
    state = SheetState(rubric, context, dialect, sheet_name)
    for block in rubric.blocks:
        LAY_OUT[block.type](state, block)
    state.resolve_computed()
    state.sheet.rows = state.row
    return state.sheet


__all__ = ["LAY_OUT", "SheetState", "build_sheet"]
