"""The common block: 部门整体支出 common indicators (投入 / 过程 / 产出 / 效果), their input figures,
the group sums, and the rows' computed 计算结果."""

from __future__ import annotations

from jixiao.generate.blocks.state import SheetState
from jixiao.generate.formulas import total_sum
from jixiao.generate.layout import Role, Validation
from jixiao.rubric.model import CommonBlock, CommonRow
from jixiao.workbook.contract import COMMON_COLUMN_NAMES
from jixiao.workbook.refs import area, cell


def lay_out(state: SheetState, block: CommonBlock) -> None:
    keys = list(block.columns)
    col_of = {key: index for index, key in enumerate(keys)}
    if block.inputs:
        per_row = max(state.width // 2, 1)
        for start in range(0, len(block.inputs), per_row):
            chunk = block.inputs[start : start + per_row]
            spans = state.spans([1, None] * len(chunk), state.width)
            col = 0
            for index, item in enumerate(chunk):
                state.put(state.row, col, "label", item.label, last_col=col + spans[2 * index] - 1)
                col += spans[2 * index]
                end = col + spans[2 * index + 1] - 1
                state.put(state.row, col, state.input_role(item.type), None, last_col=end)
                state.name(item.name, state.row, col)
                col = end + 1
            state.height(state.row, 22)
            state.row += 1
    state.put(state.row, 0, "section", block.label, last_col=state.width - 1)
    state.row += 1
    header = state.row
    for key, label in block.columns.items():
        state.put(header, col_of[key], "header", label)
    state.height(header, 32)
    state.sheet.repeat_rows = (header, header)
    state.sheet.freeze = (header + 1, 0)
    r = header + 1
    first = r
    group_rows: list[int] = []
    for group in block.groups:
        group_row = r
        group_rows.append(group_row)
        r += 1
        rows_first = r
        for item in group.rows:
            _row(state, block, col_of, r, item)
            r += 1
        rows_last = r - 1
        state.put(group_row, col_of.get("level1", 0), "label", group.label)
        for key in keys:
            index = col_of[key]
            if key == "level1":
                continue
            if key == "reference":
                state.put(group_row, index, "fixed_number", group.weight)
            elif key in ("weight", "score"):
                state.put(
                    group_row, index, "total", None, total_sum([area(rows_first, index, rows_last, index)])
                )
            else:
                state.put(group_row, index, "fixed_text", "—" if key == "analysis" else None)
        state.height(group_row, 22)
    last = r - 1
    for key, index in col_of.items():
        name = COMMON_COLUMN_NAMES.get(key)
        if name and key not in ("level1",):
            state.name(name, first, index, last, index)
    if "score" in col_of:
        index = col_of["score"]
        state.score_parts += [cell(row, index) for row in group_rows]
        # Only the rows' own 评价得分 say whether anything was scored (the group sums are numbers even on a blank form).
        state.score_cells += [
            area(group_row + 1, index, next_group - 1, index)
            for group_row, next_group in zip(group_rows, [*group_rows[1:], last + 1], strict=True)
        ]
    state.row = r


def _row(state: SheetState, block: CommonBlock, col_of: dict[str, int], r: int, item: CommonRow) -> None:
    for key, index in col_of.items():
        if key == "level1":
            state.put(r, index, "fixed_text", None)
        elif key == "level2":
            state.put(r, index, "fixed_text", item.level2)
        elif key == "level3":
            state.put(r, index, "fixed_text", item.level3)
        elif key == "reference":
            state.put(r, index, "fixed_number", item.weight)
        elif key == "weight":
            state.put(r, index, "input_number", item.weight)
        elif key == "analysis":
            state.put(r, index, "input_text", None)
        elif key == "result":
            if item.compute:
                role: Role = "formula_percent" if item.compute_format == "percent" else "formula_number"
                state.computed.append((r, index, item.compute, role))
                state.put(r, index, role, None, "")
            else:
                state.put(r, index, "fixed_text", item.formula or None)
        elif key == "score":
            state.put(r, index, "input_number", None)
            if "weight" in col_of:
                weight = cell(r, col_of["weight"])
                state.sheet.validations.append(
                    Validation(
                        r,
                        index,
                        r,
                        index,
                        "custom",
                        formula=f"=AND(ISNUMBER({cell(r, index)}),{cell(r, index)}>=0,{cell(r, index)}<={weight})",
                        input_title=item.level3,
                        input_message=(item.formula or "按评分标准打分") + "；不超过设定分值。",
                        error_message="评价得分应在 0 到设定分值之间。",
                    )
                )
    state.height(r, 30)
