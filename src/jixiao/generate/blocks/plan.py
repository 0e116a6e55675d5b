"""The plan block: 资金支出计划（%）, cumulative shares by month end that never decrease and end at 100 %."""

from __future__ import annotations

from jixiao.generate.blocks.state import FIELD_HEIGHT, SheetState
from jixiao.generate.layout import Validation
from jixiao.rubric.model import PlanBlock
from jixiao.workbook.refs import cell


def lay_out(state: SheetState, block: PlanBlock) -> None:
    label_span = 2 if state.width >= 6 else 1
    spans = state.spans([None] * len(block.months), state.width - label_span)
    state.put(state.row, 0, "label", block.label, last_row=state.row + 1, last_col=label_span - 1)
    col = label_span
    first_value_col = col
    starts = []
    for month, span in zip(block.months, spans, strict=True):
        state.put(state.row, col, "header", month, last_col=col + span - 1)
        state.put(state.row + 1, col, "input_percent", None, last_col=col + span - 1)
        starts.append(col)
        col += span
    value_row = state.row + 1
    # Cumulative, non-decreasing, the last month = 100 %.
    for index, start in enumerate(starts):
        here = cell(value_row, start)
        checks = [f"ISNUMBER({here})", f"{here}>=0", f"{here}<=1"]
        if index:
            previous = cell(value_row, starts[index - 1])
            checks.append(f"{here}>={previous}")
        message = "累计支出比例，应不小于上一期"
        if index == len(starts) - 1:
            checks.append(f"ROUND({here},6)=1")
            message = "最后一期应为 100%"
        state.sheet.validations.append(
            Validation(
                value_row,
                start,
                value_row,
                start,
                "custom",
                formula=f"=AND({','.join(checks)})",
                input_title=block.months[index],
                input_message="填累计支出比例，如 25%；逐期不减少，最后一期为 100%。",
                error_message=f"{block.months[index]}：{message}（0%–100%）。",
            )
        )
    state.name(block.name, value_row, first_value_col, value_row, starts[-1])
    state.height(state.row, FIELD_HEIGHT)
    state.height(value_row, FIELD_HEIGHT)
    state.row += 2
