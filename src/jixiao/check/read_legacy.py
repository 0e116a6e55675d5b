"""Reading hand-made forms laid out like the seed tables (Excel / WPS), by their header labels.

No names here: the reader finds the blocks by their labels — the 预算执行率 header (预算数 /
执行数 / 执行率 / 得分), the 项目绩效总目标 pair, 年度目标N（X分） group rows, the indicator header
(一级指标 / 二级指标 / 指标名称 / 年初目标值 / 实际完成值 / 分值 / 得分), the 共性指标 header
(二级 / 三级 / 参考分值 / 设定分值 / 评价得分), totals (总分 / 综合得分 / 自评得分) and the funds
fields of seed 001. Merged cells read as their anchor, so a 一级 label merged down its rows labels
each of them; blank cells under a label that was not merged carry the label down too.

Weights come from a 分值 / 权重 column or from the label ("数量指标7（0.5分）"); a row whose weight
the form does not give is never guessed: its score is only added up, not compared with a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from itertools import pairwise

from jixiao.check.forms import (
    Execution,
    FilledForm,
    Funds,
    Group,
    GroupKind,
    HandScore,
    Row,
    Subtotal,
    Text,
    Total,
)
from jixiao.core.rules import DEFAULT_RULES, RuleSet
from jixiao.core.values import ValueKind, parse_value
from jixiao.rubric import builtin_rubrics
from jixiao.workbook.sheets import Grid, label_key, rate_of, scoring_value
from jixiao.workbook.vocabulary import vocabulary

# On label keys (NFKC, no spaces): "（0.5分）" has become "(0.5分)".
_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)分\)")
_ANY_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)分")
_GOAL_GROUP = re.compile(r"^(年度(?:绩效)?目标\d*)[:]?\(?(\d+(?:\.\d+)?)分\)?")
_INLINE_TOTAL = re.compile(r"(自评得分|自评总分|总分|综合得分)[:]?(\d+(?:\.\d+)?)")
# Labels of totals, subtotals, grades, footers and funds: the header vocabulary (vocabulary.yaml).
_WORDS = vocabulary()
_TOTAL_LABELS = _WORDS.totals
_HEADER_TOTAL_LABELS = _WORDS.header_totals
_SUBTOTAL_LABELS = _WORDS.subtotals
_FOOTERS = _WORDS.footers
_GRADE_LABELS = _WORDS.grades
_FUNDS = dict(_WORDS.funds)
_EMPTY_ROWS_END_TABLE = 3
_SUBHEADERS = ("(A)", "(B)", "(B/A)", "A", "B")
_PLACEHOLDERS = ("", "-", "—", "_", "--", "---", "——", "－", "/")


class RowKind(str, Enum):
    EXECUTION = "execution"
    GOAL_PAIR = "goal_pair"
    GOAL_GROUP = "goal_group"
    INDICATORS = "indicators"
    COMMON = "common"
    TARGET_TABLE = "target_table"  # a 绩效目标表: targets, no scores
    TOTAL = "total"
    SUBTOTAL = "subtotal"
    FOOTER = "footer"
    TITLE = "title"


def _strip_weight(key: str) -> str:
    return _WEIGHT.sub("", key).strip(":")


def _weight_in(key: str) -> float | None:
    match = _WEIGHT.search(key)
    return float(match.group(1)) if match else None


@lru_cache(maxsize=4096)
def indicator_role(key: str) -> str | None:
    """Which column of an indicator (or 共性指标) table a header label names (see vocabulary.yaml)."""
    return vocabulary().indicator_role(key)


@lru_cache(maxsize=4096)
def execution_role(key: str) -> str | None:
    """Which column of the 预算执行率 block a header label names (see vocabulary.yaml)."""
    return vocabulary().execution_role(key)


def _roles(grid: Grid, row: int, role_of) -> dict[str, int]:
    roles: dict[str, int] = {}
    for col, key in grid.labels(row):
        role = role_of(key)
        if role and role not in roles:
            roles[role] = col
    return roles


def classify(grid: Grid, row: int) -> RowKind | None:
    labels = grid.labels(row)
    if not labels:
        return None
    keys = [key for _, key in labels]
    if {"budget", "actual"} <= {execution_role(key) for key in keys}:
        return RowKind.EXECUTION
    targets = [i for i, key in enumerate(keys) if "年初设定目标" in key]
    actuals = [i for i, key in enumerate(keys) if "实际完成情况" in key]
    if targets and actuals and set(targets) != set(actuals):
        return RowKind.GOAL_PAIR  # two header cells, not a sentence that mentions both
    first = keys[0]
    if _GOAL_GROUP.match(first):
        return RowKind.GOAL_GROUP
    roles = {indicator_role(key) for key in keys}
    if "score" in roles and "level2" in roles and roles & {"level1", "level3", "name"}:
        if "level1" not in roles and not roles & {"target", "actual"}:
            return RowKind.COMMON
        return RowKind.INDICATORS
    if {"level1", "level2", "target"} <= roles:
        return RowKind.TARGET_TABLE
    if first in _TOTAL_LABELS:
        return RowKind.TOTAL
    if first in _SUBTOTAL_LABELS:
        return RowKind.SUBTOTAL
    if first.startswith(_FOOTERS):
        return RowKind.FOOTER
    if "自评表" in first or "目标表" in first or first == "项目名称":
        return RowKind.TITLE
    return None


@dataclass
class _MutableGroup:
    kind: GroupKind
    label: str
    weight: float | None
    parent: int | None
    label_cell: str
    reported: float | None = None
    reported_cell: str | None = None

    def freeze(self) -> Group:
        return Group(
            self.kind,
            self.label,
            self.weight,
            self.reported,
            self.parent,
            self.label_cell,
            self.reported_cell,
        )


@dataclass
class _Table:
    """The indicator (or 共性指标) table being read: its columns and what carries down."""

    roles: dict[str, int]
    block: int  # the table's own group
    common: bool = False
    last_level1: str = ""
    last_level2: str = ""
    anchor: tuple[int, int] | None = None  # the label cell left of the header (a table's identity)
    section: int | None = None
    section_key: str = ""
    empty_rows: int = 0


@dataclass
class _Form:
    """One form being read (a sheet may hold several, one under the other)."""

    title: str = ""
    project: str = ""
    execution: Execution | None = None
    goal: HandScore | None = None
    rows: list[Row] = field(default_factory=list)
    groups: list[_MutableGroup] = field(default_factory=list)
    subtotals: list[Subtotal] = field(default_factory=list)
    total: Total | None = None
    header_total: Total | None = None
    grade: tuple[str, str] | None = None
    funds: dict[str, tuple[float, str]] = field(default_factory=dict)
    explanation: Text | None = None
    row_explanations: bool = False
    layout: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return self.execution is None and self.goal is None and not self.rows and not self.groups


class _LegacySheet:
    def __init__(self, grid: Grid, file: str, rubric: str | None):
        self.grid = grid
        self.file = file
        self.forced = rubric
        self.kinds = {row: classify(grid, row) for row in range(1, grid.n_rows + 1)}
        self.notes: list[str] = []

    # -- segmentation -------------------------------------------------------------------------

    def segments(self) -> list[tuple[int, int]]:
        """Row spans of the forms on the sheet: a new form starts at the title above each
        预算执行率 block after the first."""
        executions = [row for row, kind in self.kinds.items() if kind is RowKind.EXECUTION]
        starts = [1]
        for previous, current in pairwise(executions):
            headers = [
                row
                for row, kind in self.kinds.items()
                if previous < row < current
                and kind in (RowKind.INDICATORS, RowKind.COMMON, RowKind.GOAL_PAIR)
            ]
            after = max(headers, default=previous)
            titles = [
                row for row, kind in self.kinds.items() if after < row < current and kind is RowKind.TITLE
            ]
            starts.append(min(titles, default=current))
        ends = [start - 1 for start in starts[1:]] + [self.grid.n_rows]
        return list(zip(starts, ends, strict=True))

    # -- reading ------------------------------------------------------------------------------

    def read(self) -> list[FilledForm]:
        forms = []
        for start, end in self.segments():
            form = self._read_segment(start, end)
            if form.empty:
                continue
            forms.append(self._freeze(form))
        if len(forms) > 1:
            # Several forms on one sheet: findings name the form they are on.
            forms = [replace(form, part=form.title) for form in forms]
        return forms

    def _read_segment(self, start: int, end: int) -> _Form:
        grid = self.grid
        form = _Form()
        table: _Table | None = None
        goal_group: int | None = None
        row = start
        while row <= end:
            kind = self.kinds.get(row)
            if kind is RowKind.EXECUTION:
                row = self._execution(form, row, end)
                table = None
                continue
            if kind is RowKind.GOAL_PAIR:
                row = self._goal_pair(form, row, end)
                table = None
                continue
            if kind is RowKind.GOAL_GROUP:
                goal_group = self._goal_group(form, row)
                table = None
            elif kind in (RowKind.INDICATORS, RowKind.COMMON):
                table, consumed = self._table(form, row, goal_group, table, common=kind is RowKind.COMMON)
                row += consumed
                continue
            elif kind is RowKind.TARGET_TABLE:
                self.notes.append(f"工作表「{grid.title}」第 {row} 行起是绩效目标表（没有得分列），未检查")
                table = None
            elif kind is RowKind.TOTAL:
                self._total(form, row, table)
                table = None
            elif kind is RowKind.SUBTOTAL and table is not None:
                self._subtotal(form, row, table)
            elif kind is RowKind.FOOTER:
                self._footer(form, row)
                table = None
            elif kind is RowKind.TITLE:
                self._header_fields(form, row)
                table = None
            elif table is not None:
                self._table_row(form, table, row)
                if table.empty_rows >= _EMPTY_ROWS_END_TABLE:
                    table = None  # a run of empty rows ends the table
            else:
                self._header_fields(form, row)
            row += 1
        return form

    # -- 预算执行率 ----------------------------------------------------------------------------

    def _execution(self, form: _Form, header: int, end: int) -> int:
        grid = self.grid
        roles = _roles(grid, header, execution_role)
        data: list[int] = []
        for row in range(header + 1, min(header + 8, end) + 1):
            numbers = [grid.number(row, roles[key]) for key in ("budget", "actual") if key in roles]
            if any(number is not None for number in numbers):
                data.append(row)
            elif data:
                break
        if not data:
            if "score" in roles and header < end and grid.number(header + 1, roles["score"]) is not None:
                data = [header + 1]  # a score reported without the budget figures it comes from
            else:
                return header + 1
        total = data[0]

        def number(key: str) -> float | None:
            return grid.number(total, roles[key]) if key in roles else None

        def address(key: str) -> str:
            return grid.address(total, roles[key]) if key in roles else ""

        weight = number("weight")
        if weight is None:
            weight = self._execution_weight(header, data, roles)
        rate, decimals = (
            rate_of(grid.value(total, roles["rate"]), grid.number_format(total, roles["rate"]))
            if "rate" in roles
            else (None, None)
        )
        if "initial" in roles or "weight" in roles:
            form.layout.add("national")
        form.execution = Execution(
            label="预算执行率",
            budget=number("budget"),
            actual=number("actual"),
            weight=weight,
            reported_rate=rate,
            rate_decimals=decimals,
            reported=number("score"),
            budget_cell=address("budget"),
            actual_cell=address("actual"),
            rate_cell=address("rate"),
            score_cell=address("score"),
        )
        parts = data[1:]
        for key in ("budget", "actual", "initial"):
            if key not in roles or not parts:
                continue
            values = tuple(x for x in (grid.number(row, roles[key]) for row in parts) if x is not None)
            if values:
                label = f"{grid.text(total, self._label_col(total, roles)) or '资金总额'}（{grid.text(header, roles[key])}）"
                form.subtotals.append(Subtotal(label, address(key), number(key), values))
        return data[-1] + 1

    def _label_col(self, row: int, roles: dict[str, int]) -> int:
        first = min(roles.values())
        for col in range(first - 1, 0, -1):
            if self.grid.text(row, col):
                return col
        return first

    def _execution_weight(self, header: int, data: list[int], roles: dict[str, int]) -> float | None:
        grid = self.grid
        if "score" in roles:
            match = _ANY_WEIGHT.search(grid.key(header, roles["score"]))
            if match:
                return float(match.group(1))  # 得分（20分*执行率）
        first = min(roles.values())
        for row in (header, *data):
            for col in range(1, first):
                weight = _weight_in(grid.key(row, col))
                if weight is not None:
                    return weight  # 预算执行情况（万元）（20分）
        return None

    # -- 项目绩效总目标 --------------------------------------------------------------------------

    def _goal_pair(self, form: _Form, header: int, end: int) -> int:
        grid = self.grid
        score_col = next((col for col, key in grid.labels(header) if key.startswith("得分")), None)
        target_col = next(col for col, key in grid.labels(header) if "年初设定目标" in key)
        weight = None
        label = "项目绩效总目标"
        for row in (header, header + 1):
            for col in range(1, target_col):
                key = grid.key(row, col)
                if "目标" in key and _weight_in(key) is not None:
                    weight, label = _weight_in(key), _strip_weight(key) or label
                    break
            if weight is not None:
                break
        reported, cell, last = None, "", header
        if score_col is not None:
            cell = grid.address(min(header + 1, end), score_col)
            for row in range(header + 1, min(header + 3, end) + 1):
                value = grid.number(row, score_col)
                if value is not None:
                    reported, cell, last = value, grid.address(row, score_col), row
                    break
        form.goal = HandScore(label, weight, reported, cell)
        form.layout.add("goal_pair")
        return max(last, header + 1) + 1

    def _goal_fallback(self, form: _Form, row: int, labels: list[tuple[int, str]]) -> bool:
        """ "项目绩效总目标（20分） | 目标 | 完成情况 | 20" with no header row above it."""
        col, key = labels[0]
        if form.goal is not None or "总目标" not in key or _weight_in(key) is None:
            return False
        numbers = [
            (c, self.grid.number(row, c))
            for c in range(col + 1, self.grid.n_cols + 1)
            if not self.grid.is_tail(row, c) and self.grid.number(row, c) is not None
        ]
        if not numbers:
            return False
        c, value = numbers[-1]
        form.goal = HandScore(_strip_weight(key), _weight_in(key), value, self.grid.address(row, c))
        form.layout.add("goal_pair")
        return True

    # -- 年度目标 groups and indicator tables -----------------------------------------------------

    def _goal_group(self, form: _Form, row: int) -> int:
        grid = self.grid
        col, key = grid.labels(row)[0]
        match = _GOAL_GROUP.match(key)
        assert match is not None
        group = _MutableGroup(
            GroupKind.GOAL, match.group(1), float(match.group(2)), None, grid.address(row, col)
        )
        numbers = [
            c
            for c in range(col + 1, grid.n_cols + 1)
            if not grid.is_tail(row, c) and grid.number(row, c) is not None
        ]
        if numbers:
            # Seed 003: "年度绩效目标1：（8分） | 7" — the goal's reported subtotal beside its label.
            group.reported = grid.number(row, numbers[-1])
            group.reported_cell = grid.address(row, numbers[-1])
        form.groups.append(group)
        form.layout.add("goals")
        return len(form.groups) - 1

    def _table(
        self, form: _Form, header: int, goal_group: int | None, previous: _Table | None, *, common: bool
    ) -> tuple[_Table, int]:
        grid = self.grid
        roles = _roles(grid, header, indicator_role)
        consumed = 1
        below = _roles(grid, header + 1, indicator_role) if header < grid.n_rows else {}
        if below.keys() & {"reference", "weight"} and not below.keys() & {"level1", "level2", "level3"}:
            # Seed 001: 指标分值 over two sub-columns 参考分值 | 设定分值.
            roles.update(below)
            consumed = 2
        if "score" not in roles:
            roles["score"] = max(roles.values()) + 1
        first = min(roles.values())
        left: list[tuple[int, str]] = []
        seen: set[tuple[int, int]] = set()
        for col in range(1, first):
            here = grid.anchor(header, col)
            if here not in seen and grid.key(header, col):
                left.append((col, grid.key(header, col)))
            seen.add(here)
        anchor = grid.anchor(header, left[0][0]) if left else None
        if (
            previous is not None
            and previous.roles == roles
            and anchor is not None
            and anchor == previous.anchor
        ):
            return previous, consumed  # the header repeated after a page break: same table
        label_col, label = left[-1] if left else (first, "")
        weight = _weight_in(label) if label else None
        above = grid.labels(header - 1) if header > 1 and self.kinds.get(header - 1) is None else []
        if weight is None and len(above) == 1 and "指标" in above[0][1] and _weight_in(above[0][1]):
            # "年度绩效指标（80分）" on its own row just above the header.
            label_col, label = above[0]
            weight = _weight_in(label)
            header_row = header - 1
        else:
            header_row = header
        block = _MutableGroup(
            GroupKind.BLOCK,
            _strip_weight(label) or ("共性指标" if common else "绩效指标"),
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
        if "weight" in roles:
            form.layout.add("weights")
        return _Table(roles, len(form.groups) - 1, common=common, anchor=anchor), consumed

    def _table_row(self, form: _Form, table: _Table, row: int) -> None:
        """Read one row of the current table (an empty row only counts towards its end)."""
        grid = self.grid
        labels = grid.labels(row)
        numbers = any(grid.number(row, c) is not None for c in table.roles.values())
        if not labels and not numbers:
            table.empty_rows += 1
            return
        table.empty_rows = 0
        if grid.number(row, table.roles["score"]) is None and any(
            indicator_role(key) or key in _SUBHEADERS for _, key in labels
        ):
            return  # the second line of a two-line header: "(A)" | "(B)" under 目标值 | 完成值
        if table.common:
            self._common_row(form, table, row)
        else:
            self._indicator_row(form, table, row)

    def _cell_text(self, table: _Table, row: int, role: str) -> str:
        col = table.roles.get(role)
        return self.grid.text(row, col) if col else ""

    def _indicator_row(self, form: _Form, table: _Table, row: int) -> None:
        grid = self.grid
        roles = table.roles
        level1 = self._cell_text(table, row, "level1") or table.last_level1
        level2 = self._cell_text(table, row, "level2") or table.last_level2
        table.last_level1, table.last_level2 = level1, level2
        name = self._cell_text(table, row, "level3") or self._cell_text(table, row, "name")
        target = self._value(
            row,
            roles.get("target"),
            self._cell_text(table, row, "nature"),
            self._cell_text(table, row, "unit"),
        )
        actual = self._value(row, roles.get("actual"), "", self._cell_text(table, row, "unit"))
        score = grid.number(row, roles["score"])
        weight = grid.number(row, roles["weight"]) if "weight" in roles else None
        key2 = _key(level2)
        if weight is None:
            weight = _weight_in(key2) if _weight_in(key2) is not None else _weight_in(_key(name))
        empty = _placeholder(target) and _placeholder(actual) and score is None
        if empty and weight is None:
            return  # "经济效益指标 | — | —": not applicable, and nothing declared
        section = self._section(form, table, row, level1)
        explanation_col = roles.get("explanation")
        form.rows.append(
            Row(
                level1=_strip_weight(_key(level1)) or None,
                level2=level2 or None,
                name=name if not _placeholder(name) else "",
                target=target,
                actual=actual,
                weight=weight,
                reported=score,
                explanation=grid.text(row, explanation_col) if explanation_col else None,
                score_cell=grid.address(row, roles["score"]),
                label_cell=grid.address(
                    row, roles.get("level3") or roles.get("name") or roles.get("level2") or roles["score"]
                ),
                explanation_cell=grid.address(row, explanation_col) if explanation_col else None,
                group=section if section is not None else table.block,
                applicable=not empty,
            )
        )

    def _section(self, form: _Form, table: _Table, row: int, level1: str) -> int | None:
        """The 一级指标 section a row is in: "产出指标（17分）" declares the section's weight."""
        if not level1 or "level1" not in table.roles:
            return None
        col = table.roles["level1"]
        key = _key(level1)
        if table.section is not None and key == table.section_key:
            return table.section
        group = _MutableGroup(
            GroupKind.SECTION,
            _strip_weight(_key(level1)),
            _weight_in(_key(level1)),
            table.block,
            self.grid.address(row, col),
        )
        form.groups.append(group)
        table.section, table.section_key = len(form.groups) - 1, key
        return table.section

    def _common_row(self, form: _Form, table: _Table, row: int) -> None:
        grid = self.grid
        roles = table.roles
        level2 = self._cell_text(table, row, "level2")
        name = self._cell_text(table, row, "level3") or self._cell_text(table, row, "name")
        reference = grid.number(row, roles["reference"]) if "reference" in roles else None
        weight = grid.number(row, roles["weight"]) if "weight" in roles else None
        score = grid.number(row, roles["score"])
        if not name and level2 and (reference is not None or weight is not None):
            # 投入 | | 16 | 16 | — | 16.00: a group row with its weight and reported subtotal.
            group = _MutableGroup(
                GroupKind.COMMON,
                level2,
                reference if reference is not None else weight,
                table.block,
                grid.address(row, roles["level2"]),
                score,
                grid.address(row, roles["score"]),
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
                score_cell=grid.address(row, roles["score"]),
                label_cell=grid.address(row, roles.get("level3") or roles.get("name") or roles["score"]),
                group=parent,
                scorable=False,
            )
        )

    def _value(self, row: int, col: int | None, nature: str, unit: str) -> object:
        if col is None:
            return ""
        value = scoring_value(self.grid.value(row, col), self.grid.number_format(row, col))
        if not (nature or unit):
            return value
        # Sichuan layout: 指标性质 | 指标值 | 度量单位 in three columns.
        text = value if isinstance(value, str) else self.grid.text(row, col)
        prefix = {"≥": "≥", "≤": "≤", "=": "=", ">=": "≥", "<=": "≤"}.get(nature.strip(), "")
        parsed = parse_value(text)
        if parsed.kind is not ValueKind.QUANTITY or parsed.comparator is not None:
            return text
        if text.endswith("%") and unit.strip() == "%":
            unit = ""
        return f"{prefix}{text}{unit.strip()}"

    # -- totals and the rest ------------------------------------------------------------------

    def _total(self, form: _Form, row: int, table: _Table | None) -> None:
        grid = self.grid
        col, key = grid.labels(row)[0]
        value_col = None
        if table is not None and grid.number(row, table.roles["score"]) is not None:
            value_col = table.roles["score"]
        else:
            numbers = [
                c
                for c in range(col + 1, grid.n_cols + 1)
                if not grid.is_tail(row, c) and grid.number(row, c) is not None
            ]
            value_col = numbers[-1] if numbers else None
        if value_col is None:
            form.total = Total(key, grid.address(row, grid.after(row, col)), None)
            return
        form.total = Total(key, grid.address(row, value_col), grid.number(row, value_col))

    def _subtotal(self, form: _Form, row: int, table: _Table) -> None:
        score = self.grid.number(row, table.roles["score"])
        block = form.groups[table.block]
        block.reported = score
        block.reported_cell = self.grid.address(row, table.roles["score"])
        if "weight" in table.roles and block.weight is None:
            # 合计 | … | 60 | … : the table's declared weight is its 分值 total.
            block.weight = self.grid.number(row, table.roles["weight"])

    def _footer(self, form: _Form, row: int) -> None:
        grid = self.grid
        col, key = grid.labels(row)[0]
        if not key.startswith("偏差"):
            return
        value_col = grid.after(row, col)
        found = grid.right_of(row, col)
        text = grid.text(row, found) if found else ""
        form.explanation = Text(grid.text(row, col), text, grid.address(row, found or value_col))

    def _header_fields(self, form: _Form, row: int) -> None:
        grid = self.grid
        labels = grid.labels(row)
        if not labels:
            return
        if self._goal_fallback(form, row, labels):
            return
        for col, key in labels:
            if key == "项目名称":
                found = grid.right_of(row, col)
                if found:
                    form.project = grid.text(row, found)
            elif "自评表" in key and not form.title:
                form.title = grid.text(row, col)
            for stem, field_name in _FUNDS.items():
                if key.startswith(stem):
                    found = grid.right_of(row, col)
                    value = grid.number(row, found) if found else None
                    if value is not None:
                        form.funds[field_name] = (value, grid.address(row, found))  # type: ignore[index]
            if key.startswith(_GRADE_LABELS):
                inline = key.split(":", 1)[1] if ":" in key else ""
                found = grid.right_of(row, col)
                grade = inline or (grid.text(row, found) if found else "")
                if grade:
                    form.grade = (
                        grade,
                        grid.address(row, found) if found and not inline else grid.address(row, col),
                    )
            match = _INLINE_TOTAL.search(key)
            if match and form.header_total is None:
                form.header_total = Total(match.group(1), grid.address(row, col), float(match.group(2)))
            elif key.rstrip(":").endswith(_HEADER_TOTAL_LABELS) and form.header_total is None:
                # "单位名称：…　填报日期：…　自评得分：" in one merged cell, the score in the next one.
                found = grid.right_of(row, col)
                value = grid.number(row, found) if found else None
                if value is not None:
                    label = next(t for t in _HEADER_TOTAL_LABELS if key.rstrip(":").endswith(t))
                    form.header_total = Total(label, grid.address(row, found), value)  # type: ignore[arg-type]

    # -- the result ---------------------------------------------------------------------------

    def _rules(self, form: _Form) -> tuple[str | None, RuleSet, str]:
        rubrics = builtin_rubrics()
        if self.forced:
            rubric = rubrics[self.forced]
            return rubric.name, rubric.rule_set, f"{rubric.name}（--rubric 指定）"
        layout = form.layout
        if "common" in layout:
            name = "shanxi-unit-common"
        elif "goals" in layout:
            name = "hubei-unit"
        elif "goal_pair" in layout:
            name = "hubei-project"  # only the Hubei form scores a 项目绩效总目标
        elif "sichuan" in layout:
            name = "sichuan-project"
        elif "national" in layout or ("weights" in layout and "goal_pair" not in layout):
            name = "national-project"
        elif form.execution is not None or "goal_pair" in layout:
            name = "hubei-project"
        else:
            return None, DEFAULT_RULES, "默认规则（未识别版式）"
        rubric = rubrics.get(name)
        if rubric is None:
            return None, DEFAULT_RULES, "默认规则"
        return name, rubric.rule_set, f"{name}（按版式推断）"

    def _freeze(self, form: _Form) -> FilledForm:
        _, rules, source = self._rules(form)
        total = form.total or form.header_total
        if total is not None and form.grade is not None:
            total = Total(total.label, total.cell, total.reported, form.grade[0], form.grade[1])
        funds = None
        if {"carry", "initial", "executed", "balance"} <= form.funds.keys():
            f = {key: value for key, (value, _) in form.funds.items()}
            funds = Funds(
                carry=f["carry"],
                initial=f["initial"],
                adjust=f.get("adjust", 0.0),
                other=f.get("other", 0.0),
                executed=f["executed"],
                balance=f["balance"],
                balance_cell=form.funds["balance"][1],
            )
        return FilledForm(
            file=self.file,
            sheet=self.grid.title,
            title=form.project or form.title or self.grid.title,
            rubric=None,
            rules=rules,
            rules_source=source,
            execution=form.execution,
            goal=form.goal,
            rows=tuple(form.rows),
            groups=tuple(group.freeze() for group in form.groups),
            subtotals=tuple(form.subtotals),
            total=total,
            funds=funds,
            explanation=form.explanation,
            row_explanations=form.row_explanations,
        )


def _key(text: str | None) -> str:
    return label_key(text or "")


def _placeholder(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return text in _PLACEHOLDERS or parse_value(text).kind is ValueKind.PLACEHOLDER
    return False


def read_legacy_sheet(grid: Grid, file: str, rubric: str | None = None) -> tuple[list[FilledForm], list[str]]:
    """The forms on one hand-made sheet, and notes on what was seen but not checked."""
    sheet = _LegacySheet(grid, file, rubric)
    return sheet.read(), sheet.notes
