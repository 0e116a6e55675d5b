"""A filled form as read from a workbook: what it says, where it says it, and nothing judged yet.

Both readers (jixiao workbooks through their names, hand-made ones through their header labels)
produce a :class:`FilledForm`; :mod:`jixiao.check.checks` judges it. Every figure keeps the A1
address of the cell it came from, so a finding can point at it. Numbers are what the form
*reports* — never corrected here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from jixiao.core.records import IndicatorRecord
from jixiao.core.rules import RuleSet
from jixiao.workbook.labels import one_line


@dataclass(frozen=True, slots=True)
class Execution:
    """The 预算执行率 block's total row."""

    label: str
    budget: float | None
    actual: float | None
    weight: float | None  # None: the form does not say (then the score is not compared)
    reported_rate: float | None  # as a fraction, as a spreadsheet holds 98.20 %: 0.982
    rate_decimals: int | None  # decimals the rate is shown with as a percentage, when the format says
    reported: float | None
    budget_cell: str = ""
    actual_cell: str = ""
    rate_cell: str = ""
    score_cell: str = ""


@dataclass(frozen=True, slots=True)
class HandScore:
    """项目绩效总目标: scored by hand within its weight; only the weight can be checked."""

    label: str
    weight: float | None
    reported: float | None
    cell: str


@dataclass(frozen=True, slots=True)
class Row:
    """One indicator row as filled in."""

    level1: str | None
    level2: str | None
    name: str
    target: object
    actual: object
    weight: float | None  # None: neither a 分值 column nor "（X分）" in a label says
    reported: float | None
    explanation: str | None
    score_cell: str
    label_cell: str
    explanation_cell: str | None = None
    group: int | None = None  # index into FilledForm.groups (the innermost group)
    scorable: bool = True  # False: judged by hand against a standard (共性指标), no target/actual
    applicable: bool = True  # False: left empty ("经济效益指标 | — | —") but its weight still counts
    band: str | None = None  # the 定性档位 the scorer picked (native jixiao forms)
    qualitative: bool = False  # 指标性质 is 定性 (native jixiao forms): the band decides, not the target
    target_from_name: bool = False  # the target cell was empty; the target is the one in the name
    funds: tuple[float, float] | None = None  # a 预算执行率 row: (预算数, 执行数) of the funds block
    scored_table: bool = True  # False: the table has no 得分 column at all (values only)

    @property
    def label(self) -> str:
        parts = [one_line(part) for part in (self.level2, self.name) if part]
        return " · ".join(dict.fromkeys(parts)) or (one_line(self.level1) or "指标")

    def record(self) -> IndicatorRecord | None:
        if self.weight is None:
            return None
        return IndicatorRecord(
            self.level1,
            self.level2,
            self.name,
            self.target,
            self.actual,
            self.weight,
            self.reported,
            self.explanation,
        )


class GroupKind(str, Enum):
    BLOCK = "block"  # a whole indicator table (项目年度绩效指标（60分）)
    GOAL = "goal"  # 年度目标N（X分）
    SECTION = "section"  # a 一级指标 with its own weight (产出指标（30分）)
    COMMON = "common"  # 投入 / 过程 / 产出 / 效果 of the 共性指标 table


@dataclass(frozen=True, slots=True)
class Group:
    """Rows that belong together, with the weight the form declares and the subtotal it reports.

    ``reported_cell`` is None when the form has no subtotal cell for the group; a cell with
    ``reported`` None is a subtotal left blank (a formula never computed, for instance).
    """

    kind: GroupKind
    label: str
    weight: float | None
    reported: float | None
    parent: int | None
    label_cell: str
    reported_cell: str | None = None


@dataclass(frozen=True, slots=True)
class Subtotal:
    """A total the form derives from listed parts (年度资金总额 = 其中 rows)."""

    label: str
    cell: str
    reported: float | None
    parts: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Total:
    label: str
    cell: str
    reported: float | None
    grade: str | None = None
    grade_cell: str | None = None


@dataclass(frozen=True, slots=True)
class Funds:
    """Seed 001's funds: 上年结转 + 年初预算 + 预算调整 + 其他调整 − 预算执行 = 年末结余."""

    carry: float
    initial: float
    adjust: float
    other: float
    executed: float
    balance: float
    balance_cell: str


@dataclass(frozen=True, slots=True)
class Text:
    label: str
    text: str
    cell: str


@dataclass(frozen=True)
class FilledForm:
    file: str
    sheet: str
    title: str
    rubric: str | None  # the jixiao rubric the workbook was generated from; None for legacy forms
    rules: RuleSet
    rules_source: str  # shown to the user: where the rules came from
    execution: Execution | None = None
    goal: HandScore | None = None
    rows: tuple[Row, ...] = ()
    groups: tuple[Group, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    total: Total | None = None
    funds: Funds | None = None
    explanation: Text | None = None  # the form's 偏差大或目标未完成原因分析 box
    row_explanations: bool = False  # the indicator table has its own 偏差原因 column
    total_weight: float | None = 100.0
    part: str = ""  # which form of a sheet holding several (its project name); "" when alone
    # Whose form it is, to recognise the same form read twice (a form and its 「（已计算）」 copy):
    # jixiao workbooks say it in their hidden sheet and named cells, hand-made ones in their header.
    unit: str = ""
    year: int | None = None
    code: str = ""  # 项目编码, when the form has one

    @property
    def filled_in(self) -> bool:
        """Whether anyone has started filling the form in: an 执行数, a score typed by hand, an
        indicator's actual value or score. A blank form is noted, not scored (its totals would be 0)."""
        execution = self.execution
        if execution is not None and (execution.actual is not None or execution.reported is not None):
            return True
        if self.total is not None and self.total.reported is not None:
            return True
        if self.goal is not None and self.goal.reported is not None:
            return True
        if self.funds is not None:
            return True
        return any(row.reported is not None or (row.applicable and row.scorable) for row in self.rows)
