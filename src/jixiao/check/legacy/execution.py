"""The 预算执行率 block: 预算数 / 执行数 / 执行率 / 得分 on its total row, the 其中 rows under it."""

from __future__ import annotations

from jixiao.check.forms import Execution, Subtotal
from jixiao.check.legacy.draft import FormDraft
from jixiao.check.legacy.labels import any_weight_in, execution_role, weight_in
from jixiao.workbook.sheets import Grid, rate_of

_AMOUNTS = ("budget", "actual", "initial")
_MAX_PARTS = 8


def _columns(grid: Grid, header: int) -> dict[str, list[int]]:
    """Every column each role is named in, left to right ("年度预算数（万元）" heads the labels'
    column in the Sichuan form, "调整后预算数" the amounts': both say 预算数)."""
    found: dict[str, list[int]] = {}
    for col, text in grid.labels(header):
        role = execution_role(text)
        if role:
            found.setdefault(role, []).append(col)
    return found


def _data_rows(grid: Grid, columns: dict[str, list[int]], header: int, end: int) -> list[int]:
    amounts = [col for role in ("budget", "actual") for col in columns.get(role, [])]
    data: list[int] = []
    for row in range(header + 1, min(header + _MAX_PARTS, end) + 1):
        if any(grid.number(row, col) is not None for col in amounts):
            data.append(row)
        elif data:
            break
    return data


def read_execution(grid: Grid, form: FormDraft, header: int, end: int) -> int:
    """Read the block whose header is at ``header``; returns the first row after it."""
    columns = _columns(grid, header)
    data = _data_rows(grid, columns, header, end)
    if not data:
        score_cols = columns.get("score", [])
        if score_cols and header < end and grid.number(header + 1, score_cols[0]) is not None:
            data = [header + 1]  # a score reported without the budget figures it comes from
        else:
            return header + 1
    total, parts = data[0], data[1:]
    roles = {
        role: next((c for c in cols if any(grid.number(r, c) is not None for r in data)), cols[0])
        for role, cols in columns.items()
    }

    def number(role: str, row: int = total) -> float | None:
        return grid.number(row, roles[role]) if role in roles else None

    def address(role: str) -> str:
        return grid.address(total, roles[role]) if role in roles else ""

    def parts_sum(role: str) -> float | None:
        values = [x for x in (number(role, row) for row in parts) if x is not None]
        return round(sum(values), 10) if values else None

    budget, actual = number("budget"), number("actual")
    if not budget and not actual and (parts_sum("budget") or parts_sum("actual")):
        # The total row left at 0 (or blank) while its 其中 rows hold the amounts: the form's
        # figures are those rows' (the zeros are reported as a subtotal left unfilled).
        budget, actual = parts_sum("budget"), parts_sum("actual")
    weight = number("weight")
    if weight is None:
        weight = _declared_weight(grid, header, data, roles)
    rate, decimals = (
        rate_of(grid.value(total, roles["rate"]), grid.number_format(total, roles["rate"]))
        if "rate" in roles
        else (None, None)
    )
    if "initial" in roles or "weight" in roles:
        form.layout.add("national")
    form.execution = Execution(
        label="预算执行率",
        budget=budget,
        actual=actual,
        weight=weight,
        reported_rate=rate,
        rate_decimals=decimals,
        reported=number("score"),
        budget_cell=address("budget"),
        actual_cell=address("actual"),
        rate_cell=address("rate"),
        score_cell=address("score"),
    )
    for role in _AMOUNTS:
        values = tuple(x for x in (number(role, row) for row in parts) if x is not None)
        if role in roles and values:
            name = grid.text(total, _label_col(grid, total, roles)) or "资金总额"
            label = f"{name}（{grid.text(header, roles[role])}）"
            form.subtotals.append(Subtotal(label, address(role), number(role), values))
    return data[-1] + 1


def _label_col(grid: Grid, row: int, roles: dict[str, int]) -> int:
    first = min(roles.values())
    for col in range(first - 1, 0, -1):
        if grid.text(row, col):
            return col
    return first


def _declared_weight(grid: Grid, header: int, data: list[int], roles: dict[str, int]) -> float | None:
    """The block's weight where no 分值 column gives it: "得分（20分*执行率）", or a label on the
    left ("预算执行情况（10分）")."""
    if "score" in roles:
        found = any_weight_in(grid.key(header, roles["score"]))
        if found is not None:
            return found
    first = min(roles.values())
    for row in (header, *data):
        for col in range(1, first):
            found = weight_in(grid.key(row, col))
            if found is not None:
                return found
    return None
