"""The indicators block: the 绩效指标 table — header, one row per indicator (grouped by 年度目标 on
unit forms), each row's score formula, and the 合计 row. Its input checks live in
:mod:`jixiao.generate.blocks.indicator_checks`."""

from __future__ import annotations

from jixiao.core.values import ValueKind, format_number, parse_value
from jixiao.generate.blocks import indicator_checks
from jixiao.generate.blocks.state import FIELD_HEIGHT, HEADER_HEIGHT, INDICATOR_HEIGHT, SheetState
from jixiao.generate.formulas import RowRefs, total_sum
from jixiao.generate.layout import ConditionalFormat, render
from jixiao.rubric.model import IndicatorColumn, IndicatorsBlock, RowTemplate
from jixiao.workbook.contract import COLUMN_NAMES
from jixiao.workbook.refs import area, cell


def lay_out(state: SheetState, block: IndicatorsBlock) -> None:
    columns = [column for column in block.columns if state.dialect in column.dialects]
    col_of = {column.key: index for index, column in enumerate(columns)}
    if block.label:
        state.put(state.row, 0, "section", block.label, last_col=state.width - 1)
        state.height(state.row, FIELD_HEIGHT)
        state.row += 1
    header = state.row
    for index, column in enumerate(columns):
        state.put(header, index, "header", column.label)
    state.height(header, HEADER_HEIGHT)
    state.sheet.repeat_rows = (header, header)
    state.sheet.freeze = (header + 1, 0)
    first = header + 1
    state.hidden = set()
    groups = _groups(state, block)
    state.sheet.hidden_rows |= {first + index for index in state.hidden}
    r = first
    for group_label, rows in groups:
        group_first = r
        merges = _merges(block, col_of, rows, r)
        for template in rows:
            _row(state, block, columns, col_of, r, template, merges)
            r += 1
        if group_label is not None:
            _goal_group(state, col_of, group_label, group_first, r - 1)
    last = r - 1
    for key, index in col_of.items():
        if key in COLUMN_NAMES:
            state.name(COLUMN_NAMES[key], first, index, last, index)
    indicator_checks.add(state, block, col_of, first, last)
    state.table_columns = col_of
    if {"weight", "score"} & col_of.keys() and block.subtotal:
        _subtotal(state, block, col_of, first, last)
        return
    if "score" in col_of:
        # No 合计 row: the total adds up the rows' scores itself.
        scores = area(first, col_of["score"], last, col_of["score"])
        state.score_parts.append(scores)
        state.score_cells.append(scores)
    state.row = last + 1


def _groups(state: SheetState, block: IndicatorsBlock) -> list[tuple[str | None, list[RowTemplate]]]:
    project = state.context.project
    if block.goals is None:
        rows = list(project.rows) if project and project.rows is not None else list(block.rows)
        laid = (
            block.level2_rows(rows) if block.rows_per_level2 is not None else rows + _blank(block.blank_rows)
        )
        # Spare rows: laid out like the others (formulas, names, checks), hidden until needed.
        state.hidden = set(range(len(laid), len(laid) + block.spare_rows))
        return [(None, laid + _blank(block.spare_rows))]
    goals = block.goals
    groups: list[tuple[str | None, list[RowTemplate]]] = []
    sources = list(state.context.goals) if (goals.from_projects and state.context.goals) else []
    count = len(sources) or goals.count
    for number in range(1, count + 1):
        label = render(goals.label, {**state.values, "序号": number})
        rows: list[RowTemplate] = []
        if sources:
            source = sources[number - 1]
            label = f"{label}：{source.name}" if source.name else label
            rows = list(source.rows or ())
        rows += [RowTemplate(level1="", level2="")] * max(goals.rows_per_goal - len(rows), 0)
        groups.append((label, rows))
    return groups


def _blank(count: int) -> list[RowTemplate]:
    return [RowTemplate(level1="", level2="")] * count


def _row(
    state: SheetState,
    block: IndicatorsBlock,
    columns: list[IndicatorColumn],
    col_of: dict[str, int],
    r: int,
    template: RowTemplate,
    merges: dict[tuple[str, int], int],
) -> None:
    ref = {key: cell(r, index) for key, index in col_of.items()}
    native = state.dialect == "native"
    prefill: dict[str, object] = {
        "level1": _level1_label(block, template.level1),
        "level2": template.level2,
        "level3": template.level3,
        "description": template.description,
        "basis": template.basis,
        "nature": template.nature,
        "unit": template.unit,
        "weight": template.weight,
    }
    if "unit" in col_of:
        # A 度量单位 column holds the unit, so the 指标值 cell holds the bare number.
        number = _target_number(template)
        prefill["target"] = number if number is not None else template.target
    else:
        prefill["target"] = _target_text(template)
    for key, index in col_of.items():
        if key in ("goal", "goal_weight", "goal_score"):
            continue
        if key == "score":
            refs = RowRefs(
                target=_target_argument(col_of, r) if not native else ref["target"],
                actual=ref["actual"],
                weight=ref["weight"],
                level2=ref.get("level2"),
                nature=ref.get("nature"),
                judged=ref.get("judged"),
                band=ref.get("band"),
            )
            state.put(r, index, "formula_number", None, state.formulas.indicator_score(refs))
            continue
        value = prefill.get(key)
        if key in ("weight", "judged", "target", "actual"):
            # Pre-filled and typed figures alike: one role, one alignment (centred) per column.
            state.put(r, index, "input_number", value if value not in ("", None) else None)
        elif (key, r) in merges:
            state.put(r, index, "input_text", value or None, last_row=merges[(key, r)])
        else:
            state.put(r, index, "input_text", value or None)
    state.height(r, INDICATOR_HEIGHT)


def _merges(
    block: IndicatorsBlock, col_of: dict[str, int], rows: list[RowTemplate], first: int
) -> dict[tuple[str, int], int]:
    """(column key, first row) → last row of each run of equal 一级 (and 二级) cells to merge, as
    the official forms print them; only for tables laid out by 二级 (``rows_per_level2``).

    The rows below a run's first keep their own value under the merge (hidden while merged): a
    row's 二级 dropdown reads its own row's 一级, and a user who unmerges gets every label back.
    """
    if block.rows_per_level2 is None:
        return {}
    runs: dict[tuple[str, int], int] = {}
    for key in ("level1", "level2"):
        if key not in col_of:
            continue
        start = 0
        for index in range(1, len(rows) + 1):
            here = _run_key(rows, start, key)
            if index < len(rows) and here and _run_key(rows, index, key) == here:
                continue
            if index - 1 > start and here:
                runs[(key, first + start)] = first + index - 1
            start = index
    return runs


def _run_key(rows: list[RowTemplate], index: int, key: str) -> tuple[str, ...]:
    """What must be equal for two rows to share a merged cell: the 一级, and for 二级 the 一级 too."""
    row = rows[index]
    if key == "level1":
        return (row.level1,) if row.level1 else ()
    return (row.level1, row.level2) if row.level2 else ()


def _goal_group(state: SheetState, col_of: dict[str, int], label: str, first: int, last: int) -> None:
    if "goal" in col_of:
        state.put(first, col_of["goal"], "input_text", label, last_row=last)
    if "goal_weight" in col_of and "weight" in col_of:
        weights = area(first, col_of["weight"], last, col_of["weight"])
        state.put(first, col_of["goal_weight"], "formula_number", None, total_sum([weights]), last_row=last)
    if "goal_score" in col_of and "score" in col_of:
        scores = area(first, col_of["score"], last, col_of["score"])
        state.put(first, col_of["goal_score"], "formula_number", None, total_sum([scores]), last_row=last)


def _subtotal(
    state: SheetState, block: IndicatorsBlock, col_of: dict[str, int], first: int, last: int
) -> None:
    r = last + 1
    label_end = min(col_of.get("weight", state.width) - 1, state.width - 1)
    state.put(r, 0, "label", "合计", last_col=max(label_end, 0))
    expected = (
        block.weight if block.weight is not None else (block.goals.weight_total if block.goals else None)
    )
    for key, index in col_of.items():
        if index <= label_end:
            continue
        if key not in ("weight", "score"):
            state.put(r, index, "total", None)
            continue
        column = area(first, index, last, index)
        state.put(r, index, "total", None, total_sum([column]))
        if key == "weight" and expected is not None:
            here = cell(r, index)
            # Only once weights are being entered: a blank form is not an error.
            state.sheet.conditional_formats.append(
                ConditionalFormat(
                    r,
                    index,
                    r,
                    index,
                    formula=f"=AND(COUNT({column})>0,ROUND({here},6)<>{format_number(expected)})",
                    role="problem",
                )
            )
    if "score" in col_of:
        state.score_parts.append(cell(r, col_of["score"]))
        state.score_cells.append(area(first, col_of["score"], last, col_of["score"]))
        state.name("指标_得分合计", r, col_of["score"])
    if "weight" in col_of:
        state.name("指标_分值合计", r, col_of["weight"])
    state.height(r, FIELD_HEIGHT)
    state.row = r + 1


def _level1_label(block: IndicatorsBlock, name: str) -> str:
    """The 一级 cell's text: 「产出指标（50分）」 where the rubric shows the 一级 weights."""
    weight = next((level1.weight for level1 in block.tree if level1.name == name), None)
    if not block.level1_weights or weight is None:
        return name
    return f"{name}（{format_number(weight)}分）"


def _target_text(template: RowTemplate) -> str:
    """A default target as free text: "100%" with 指标性质 ≥ becomes "≥100%"."""
    if template.nature in ("≥", "≤", "=") and template.target:
        value = parse_value(template.target)
        if value.kind is ValueKind.QUANTITY and value.comparator is None:
            return f"{template.nature}{template.target}"
    return template.target


def _target_argument(col_of: dict[str, int], r: int) -> str:
    """JX_SCORE's target: the 指标性质 | 指标值 | 度量单位 cells as one range when the form splits the
    target into three adjacent columns (the function joins them), else the 指标值 cell."""
    nature, target, unit = col_of.get("nature"), col_of["target"], col_of.get("unit")
    if nature is not None and unit is not None and nature + 1 == target and target + 1 == unit:
        return area(r, nature, r, unit)
    return cell(r, target)


def _target_number(template: RowTemplate) -> float | None:
    """A default target as the number the native dialect's 指标值 column holds ("≥95%" → 95)."""
    if not template.target:
        return None
    value = parse_value(template.target)
    if value.kind is ValueKind.QUANTITY:
        return value.numbers[0]
    return None
