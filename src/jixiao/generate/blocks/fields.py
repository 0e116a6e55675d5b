"""The fields block: rows of label | value pairs (项目名称, 主管部门, 预算数 …) on the sheet's grid."""

from __future__ import annotations

from jixiao.core.values import format_number
from jixiao.generate.blocks.state import FIELD_HEIGHT, SheetState
from jixiao.generate.layout import Validation
from jixiao.rubric.model import FieldsBlock, FieldSpec


def lay_out(state: SheetState, block: FieldsBlock) -> None:
    for fields in block.rows:
        weights: list[int | None] = []
        for spec in fields:
            weights += [spec.label_span or 1, spec.span]
        spans = state.spans(weights, state.width)
        col = 0
        for index, spec in enumerate(fields):
            label_span, value_span = spans[2 * index], spans[2 * index + 1]
            state.put(state.row, col, "label", spec.label, last_col=col + label_span - 1)
            col += label_span
            _field_value(state, spec, col, col + value_span - 1)
            col += value_span
        state.height(state.row, FIELD_HEIGHT)
        state.row += 1


def _field_value(state: SheetState, spec: FieldSpec, first: int, last: int) -> None:
    value = state.values.get(spec.key) if spec.key else None
    if spec.compute:
        state.computed.append((state.row, first, spec.compute, "formula_number"))
        state.put(state.row, first, "formula_number", None, "", last_col=last)
    else:
        role = state.input_role(spec.type)
        shown = value if value not in (None, "") else None
        if isinstance(shown, (int, float)) and role == "input_text":
            shown = format_number(float(shown))
        state.put(state.row, first, role, shown, last_col=last)
        if spec.options:
            state.sheet.validations.append(
                Validation(
                    state.row,
                    first,
                    state.row,
                    first,
                    "list",
                    values=tuple(spec.options),
                    input_title=spec.label,
                    input_message="从下拉列表选择：" + "、".join(spec.options) + "。",
                    error_message=f"「{spec.label}」请从下拉列表选择。",
                )
            )
        if spec.type in ("amount", "integer", "signed_amount"):
            signed = spec.type == "signed_amount"
            state.sheet.validations.append(
                Validation(
                    state.row,
                    first,
                    state.row,
                    first,
                    "integer" if spec.type == "integer" else "decimal",
                    minimum=-1e12 if signed else 0,
                    maximum=1e12,
                    input_title=spec.label,
                    input_message=(
                        "请填写数字，调减填负数（单位见表头）。"
                        if signed
                        else "请填写不小于 0 的数字（单位见表头）。"
                    ),
                    error_message=f"「{spec.label}」应为数字。"
                    if signed
                    else f"「{spec.label}」应为不小于 0 的数字。",
                )
            )
    # Keyed fields are named after their key (项目名称 …) so readers find them without labels.
    if spec.name:
        state.name(spec.name, state.row, first)
    elif spec.key:
        state.auto_name(spec.key, state.row, first)
