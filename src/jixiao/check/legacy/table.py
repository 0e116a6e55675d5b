"""Indicator tables (一级 / 二级 / 三级 / 目标 / 实际 / 分值 / 得分 …) and 共性指标 tables, row by row.

Rows are kept as drafts (:class:`RowDraft`): whether a "（X分）" in a 二级 label is the row's own
weight or the total of several rows is only known once the label's rows have all been read
(:func:`jixiao.check.legacy.rows.settle`).
"""

from __future__ import annotations

from jixiao.check.forms import GroupKind, Row
from jixiao.check.legacy.draft import FormDraft, GroupDraft, RowDraft, TableState
from jixiao.check.legacy.labels import (
    SUBHEADERS,
    RowKind,
    header_roles,
    indicator_role,
    key,
    placeholder,
    strip_weight,
    weight_in,
)
from jixiao.core.names import target_in_name
from jixiao.core.values import ValueKind, parse_value
from jixiao.workbook.sheets import Grid, label_key, scoring_value

EMPTY_ROWS_END_TABLE = 3
# A 预算执行率 row inside the indicator table is scored from the funds block above it.
_FUNDS_ROWS = ("预算执行率", "资金执行率", "项目预算执行率", "资金预算执行率")
_NATURES = {"≥": "≥", "≤": "≤", "=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def open_table(
    grid: Grid,
    kinds: dict[int, RowKind | None],
    form: FormDraft,
    header: int,
    goal_group: int | None,
    previous: TableState | None,
    *,
    common: bool,
) -> tuple[TableState, int]:
    """Start reading the table whose header is at ``header``; returns it and the header's height."""
    roles, consumed = header_roles(grid, header)
    first = min(roles.values())
    left: list[tuple[int, str]] = []
    seen: set[tuple[int, int]] = set()
    for col in range(1, first):
        here = grid.anchor(header, col)
        if here not in seen and grid.key(header, col):
            left.append((col, grid.key(header, col)))
        seen.add(here)
    anchor = grid.anchor(header, left[0][0]) if left else None
    if previous is not None and previous.roles == roles and anchor is not None and anchor == previous.anchor:
        return previous, consumed  # the header repeated after a page break: same table
    label_col, label = left[-1] if left else (first, "")
    weight = weight_in(label) if label else None
    above = grid.labels(header - 1) if header > 1 and kinds.get(header - 1) is None else []
    if weight is None and len(above) == 1 and _block_label(above[0][1]):
        # "年度绩效指标（80分）" on its own row just above the header (a label, not a sentence that
        # mentions weights: "注：产出指标（50分）、效益指标（30分）……" is no section).
        label_col, label = above[0]
        weight = weight_in(label)
        header_row = header - 1
    else:
        header_row = header
    block = GroupDraft(
        GroupKind.BLOCK,
        strip_weight(label) or ("共性指标" if common else "绩效指标"),
        weight,
        goal_group,
        grid.address(header_row, label_col),
    )
    form.groups.append(block)
    if "explanation" in roles:
        form.row_explanations = True
    if common:
        form.layout.add("common")
    if "nature" in roles or "unit" in roles:
        form.layout.add("sichuan")
    if "weight" in roles or "reference" in roles:
        form.layout.add("weights")
    return TableState(roles, len(form.groups) - 1, common=common, anchor=anchor), consumed


def _block_label(text: str) -> bool:
    bare = strip_weight(text)
    return weight_in(text) is not None and bare.endswith("指标") and len(bare) <= 12


def read_table_row(grid: Grid, form: FormDraft, table: TableState, row: int) -> None:
    """Read one row of the current table (an empty row only counts towards its end)."""
    labels = grid.labels(row)
    numbers = any(grid.number(row, c) is not None for c in table.roles.values())
    if not labels and not numbers:
        table.empty_rows += 1
        return
    table.empty_rows = 0
    score_col = table.score_col
    unscored = score_col is None or grid.number(row, score_col) is None
    if unscored and any(indicator_role(text) or text in SUBHEADERS for _, text in labels):
        return  # the second line of a two-line header: "(A)" | "(B)" under 目标值 | 完成值
    if table.common:
        _common_row(grid, form, table, row)
    else:
        _indicator_row(grid, form, table, row)


def _text(grid: Grid, table: TableState, row: int, role: str) -> str:
    col = table.roles.get(role)
    return grid.text(row, col) if col else ""


def _level2(grid: Grid, form: FormDraft, table: TableState, row: int) -> str:
    """The row's 二级 label; a new label cell starts a new run of rows that share it."""
    col = table.roles.get("level2")
    text = grid.text(row, col) if col else ""
    anchor = grid.anchor(row, col) if col else None
    if col is None or (text and anchor != table.level2_anchor):
        form.next_run += 1
        table.run = form.next_run
        table.level2_anchor = anchor
        table.run_label_cell = grid.address(row, col) if col else ""
        table.last_level2 = text
    return text or table.last_level2


def _indicator_row(grid: Grid, form: FormDraft, table: TableState, row: int) -> None:
    roles = table.roles
    level1 = _text(grid, table, row, "level1") or table.last_level1
    table.last_level1 = level1
    level2 = _level2(grid, form, table, row)
    name = _text(grid, table, row, "level3") or _text(grid, table, row, "name")
    unit = _text(grid, table, row, "unit")
    target = _value(grid, row, roles.get("target"), _text(grid, table, row, "nature"), unit)
    named = target_in_name(name) if placeholder(target) and name else None
    if named is not None:
        target = named.text  # 「年度资金支付完成率100%」 with an empty target cell: the target is 100%
    actual = _value(grid, row, roles.get("actual"), "", unit)
    score_col, weight_col = table.score_col, table.weight_col
    funds = None
    if key(name) in _FUNDS_ROWS and form.execution is not None:
        ex = form.execution
        if ex.budget is not None and ex.actual is not None:
            funds = (ex.budget, ex.actual)
    section = _section(grid, form, table, row, level1)
    explanation_col = roles.get("explanation")
    label_col = (
        roles.get("level3") or roles.get("name") or roles.get("level2") or score_col or min(roles.values())
    )
    form.rows.append(
        RowDraft(
            level1=strip_weight(key(level1)),
            level2=level2,
            name=name,
            target=target,
            actual=actual,
            reported=grid.number(row, score_col) if score_col else None,
            own_weight=grid.number(row, weight_col) if weight_col else None,
            label_weight=weight_in(key(level2)),
            name_weight=weight_in(key(name)),
            run=table.run,
            run_label_cell=table.run_label_cell,
            parent=section if section is not None else table.block,
            explanation=grid.text(row, explanation_col) if explanation_col else None,
            score_cell=grid.address(row, score_col) if score_col else "",
            label_cell=grid.address(row, label_col),
            explanation_cell=grid.address(row, explanation_col) if explanation_col else None,
            scored_table=score_col is not None,
            funds=funds,
            target_from_name=named is not None,
        )
    )


def _section(grid: Grid, form: FormDraft, table: TableState, row: int, level1: str) -> int | None:
    """The 一级指标 section a row is in: "产出指标（17分）" declares the section's weight."""
    if not level1 or "level1" not in table.roles:
        return None
    text = key(level1)
    if table.section is not None and text == table.section_key:
        return table.section
    group = GroupDraft(
        GroupKind.SECTION,
        strip_weight(text),
        weight_in(text),
        table.block,
        grid.address(row, table.roles["level1"]),
    )
    form.groups.append(group)
    table.section, table.section_key = len(form.groups) - 1, text
    return table.section


def _common_row(grid: Grid, form: FormDraft, table: TableState, row: int) -> None:
    """A row of the 共性指标 table: a group line (投入 | | 16 | 16 | — | 16.00) or an indicator
    judged by hand against its standard."""
    roles = table.roles
    level2 = _text(grid, table, row, "level2")
    name = _text(grid, table, row, "level3") or _text(grid, table, row, "name")
    reference = grid.number(row, roles["reference"]) if "reference" in roles else None
    weight = grid.number(row, roles["weight"]) if "weight" in roles else None
    score_col = roles["score"]
    score = grid.number(row, score_col)
    if not name and level2 and (reference is not None or weight is not None):
        group = GroupDraft(
            GroupKind.COMMON,
            level2,
            reference if reference is not None else weight,
            table.block,
            grid.address(row, roles["level2"]),
            score,
            grid.address(row, score_col),
        )
        form.groups.append(group)
        table.section = len(form.groups) - 1
        return
    if not name:
        return
    level2 = level2 or table.last_level2
    table.last_level2 = level2
    parent = table.section if table.section is not None else table.block
    form.rows.append(
        Row(
            level1=form.groups[parent].label,
            level2=level2 or None,
            name=name,
            target=None,
            actual=None,
            weight=weight if weight is not None else reference,
            reported=score,
            explanation=None,
            score_cell=grid.address(row, score_col),
            label_cell=grid.address(row, roles.get("level3") or roles.get("name") or score_col),
            group=parent,
            scorable=False,
        )
    )


def _value(grid: Grid, row: int, col: int | None, nature: str, unit: str) -> object:
    if col is None:
        return ""
    value = scoring_value(grid.value(row, col), grid.number_format(row, col))
    if not (nature or unit):
        return value
    # 指标性质 | 指标值 | 度量单位 in three columns (Sichuan, Yunnan).
    text = value if isinstance(value, str) else grid.text(row, col)
    prefix = _NATURES.get(label_key(nature), "")
    if placeholder(text):
        return text
    parsed = parse_value(text)
    if parsed.kind is not ValueKind.QUANTITY or parsed.comparator is not None:
        return text
    if text.endswith("%") and unit.strip() == "%":
        unit = ""
    return f"{prefix}{text}{unit.strip()}"
