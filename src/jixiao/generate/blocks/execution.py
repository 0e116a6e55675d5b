"""The execution block: 预算执行情况, the fund rows with 预算数 / 执行数 and the 执行率 and its score."""

from __future__ import annotations

from jixiao.core.values import format_number
from jixiao.generate.blocks.state import FIELD_HEIGHT, HEADER_HEIGHT, SheetState
from jixiao.generate.formulas import total_sum
from jixiao.generate.layout import Validation
from jixiao.rubric.model import ExecutionBlock, FundRow
from jixiao.workbook.refs import area, cell


def lay_out(state: SheetState, block: ExecutionBlock) -> None:
    label_span = 2 if state.width >= 8 else 1
    row_label_span = 2 if state.width - label_span - len(block.columns) >= 2 + len(block.columns) else 1
    spans = state.spans([None] * len(block.columns), state.width - label_span - row_label_span)
    top = state.row
    last = top + len(block.rows)
    state.put(top, 0, "label", block.label, last_row=last, last_col=label_span - 1)
    state.put(top, label_span, "header", block.corner, last_col=label_span + row_label_span - 1)
    starts: dict[str, tuple[int, int]] = {}
    col = label_span + row_label_span
    for column, span in zip(block.columns, spans, strict=True):
        state.put(top, col, "header", column.label, last_col=col + span - 1)
        starts[column.key] = (col, col + span - 1)
        col += span
    state.height(top, HEADER_HEIGHT)
    has_parts = any(row.part for row in block.rows)
    weight_text = format_number(block.weight)
    for index, fund in enumerate(block.rows):
        r = top + 1 + index
        state.put(r, label_span, "label", fund.label, last_col=label_span + row_label_span - 1)
        state.height(r, FIELD_HEIGHT)
        total_row = index == 0
        for key, (first, end) in starts.items():
            ref_of = {k: cell(r, v[0]) for k, v in starts.items()}
            if key in ("budget", "actual", "initial_budget"):
                if total_row and has_parts:
                    parts = area(top + 2, first, last, first)
                    state.put(r, first, "formula_amount", None, total_sum([parts]), last_col=end)
                else:
                    prefill = _fund_prefill(fund, key, total_row, state.values)
                    state.put(r, first, "input_amount", prefill, last_col=end)
                    state.sheet.validations.append(
                        Validation(
                            r,
                            first,
                            r,
                            first,
                            "decimal",
                            minimum=0,
                            maximum=1e12,
                            input_title=fund.label,
                            input_message="金额（单位见本栏标题），不小于 0。",
                            error_message="金额应为不小于 0 的数字。",
                        )
                    )
            elif key == "reason":
                # One 原因 box beside all the fund rows (四川: why 执行率 < 90 %, why the budget changed).
                if total_row:
                    state.put(r, first, "input_text", None, last_row=last, last_col=end)
                    state.name("执行偏差原因", r, first)
            elif key == "rate" and block.rate_per_row and not total_row:
                formula = state.formulas.execution_rate(ref_of["budget"], ref_of["actual"])
                state.put(r, first, "formula_percent", None, formula, last_col=end)
            elif key == "weight" and total_row:
                state.put(r, first, "fixed_number", block.weight, last_col=end)
            elif not total_row:
                state.put(r, first, "fixed_text", block.part_mark, last_col=end)
            elif key == "rate":
                formula = state.formulas.execution_rate(ref_of["budget"], ref_of["actual"])
                state.put(r, first, "formula_percent", None, formula, last_col=end)
            elif key == "score":
                weight_ref = ref_of.get("weight", weight_text)
                formula = state.formulas.execution_score(ref_of["budget"], ref_of["actual"], weight_ref)
                state.put(r, first, "formula_number", None, formula, last_col=end)
        if total_row:
            state.name("预算数", r, starts["budget"][0])
            state.name("执行数", r, starts["actual"][0])
            state.name("执行率", r, starts["rate"][0])
            state.name("执行率得分", r, starts["score"][0])
            if "initial_budget" in starts:
                state.name("年初预算数", r, starts["initial_budget"][0])
            state.score_parts.append(cell(r, starts["score"][0]))
            state.score_cells.append(cell(r, starts["score"][0]))
    state.row = last + 1


def _fund_prefill(fund: FundRow, key: str, total_row: bool, values: dict[str, object]) -> object:
    """A fund row's 预算数 from the project list: the row's own key, or 预算数 on the total row."""
    if key != "budget":
        return None
    source = fund.key or ("预算数" if total_row else None)
    value = values.get(source) if source else None
    if source == "财政资金" and value is None and values.get("其他资金") is None:
        # A list that gives only 预算数 means all of it is 财政资金 (seed 004: 预算数 21 = 财政资金 21).
        value = values.get("预算数")
    return value if isinstance(value, (int, float)) else None
