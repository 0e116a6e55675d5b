"""The goal_pair block: 项目绩效总目标, 年初设定目标 beside 全年实际完成情况, scored by hand."""

from __future__ import annotations

from jixiao.core.values import format_number
from jixiao.generate.blocks.state import FIELD_HEIGHT, LINE_HEIGHT, SheetState
from jixiao.generate.layout import Validation
from jixiao.rubric.model import GoalPairBlock
from jixiao.workbook.refs import cell


def lay_out(state: SheetState, block: GoalPairBlock) -> None:
    label_span = 2 if state.width >= 8 else 1
    score_span = 1
    target_span, actual_span = state.spans([None, None], state.width - label_span - score_span)
    top = state.row
    state.put(top, 0, "label", block.label, last_row=top + 1, last_col=label_span - 1)
    col = label_span
    state.put(top, col, "header", block.target_label, last_col=col + target_span - 1)
    project = state.context.project
    state.put(
        top + 1,
        col,
        "input_text",
        (project.goals if project else "") or None,
        last_col=col + target_span - 1,
    )
    col += target_span
    state.put(top, col, "header", block.actual_label, last_col=col + actual_span - 1)
    state.put(top + 1, col, "input_text", None, last_col=col + actual_span - 1)
    col += actual_span
    state.put(top, col, "header", f"{block.score_label}（{format_number(block.weight)}分）")
    state.put(top + 1, col, "input_number", None)
    state.sheet.validations.append(
        Validation(
            top + 1,
            col,
            top + 1,
            col,
            "decimal",
            minimum=0,
            maximum=block.weight,
            input_title=block.label,
            input_message=f"由评分人对照目标与完成情况打分，0–{format_number(block.weight)} 分。",
            error_message=f"得分应在 0 到 {format_number(block.weight)} 之间。",
        )
    )
    state.name("年初设定目标", top + 1, label_span)
    state.name("全年实际完成情况", top + 1, label_span + target_span)
    state.name("总目标得分", top + 1, col)
    state.score_parts.append(cell(top + 1, col))
    state.height(top, FIELD_HEIGHT)
    state.height(top + 1, LINE_HEIGHT * block.lines)
    state.row = top + 2
