"""A form while it is being read: mutable drafts that :mod:`.sheet` freezes into a FilledForm."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.check.forms import Execution, Group, GroupKind, HandScore, Row, Subtotal, Text, Total
from jixiao.check.legacy.labels import placeholder


@dataclass
class GroupDraft:
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
class RowDraft:
    """One indicator row as printed, before its weight is settled (see :func:`.rows.settle`)."""

    level1: str
    level2: str
    name: str
    target: object
    actual: object
    reported: float | None
    own_weight: float | None  # from the weight column
    label_weight: float | None  # "成本指标（10分）": the 二级 label's, shared by its run of rows
    name_weight: float | None  # "指标（2分）" in the name itself
    run: int  # rows under one 二级 label cell share a run
    run_label_cell: str
    parent: int  # the 一级 section, else the table's block
    explanation: str | None
    score_cell: str
    label_cell: str
    explanation_cell: str | None
    scored_table: bool  # the table has a score column
    target_from_name: bool = False
    funds: tuple[float, float] | None = None  # a 预算执行率 row: (budget, executed) of the funds block

    @property
    def empty(self) -> bool:
        """Nothing of its own: no target, actual, score or weight — a template slot."""
        return (
            placeholder(self.target)
            and placeholder(self.actual)
            and self.reported is None
            and self.own_weight is None
        )


@dataclass
class TableState:
    """The indicator (or 共性指标) table being read: its columns and what carries down."""

    roles: dict[str, int]
    block: int  # the table's own group
    common: bool = False
    last_level1: str = ""
    last_level2: str = ""
    level2_anchor: tuple[int, int] | None = None
    run: int = 0
    run_label_cell: str = ""
    anchor: tuple[int, int] | None = None  # the label cell left of the header (a table's identity)
    section: int | None = None
    section_key: str = ""
    empty_rows: int = 0

    @property
    def weight_col(self) -> int | None:
        """The weight column: 分值 / 权重 / 设定分值 …, else 参考分值 (the Yinchuan form's only one)."""
        return self.roles.get("weight") or self.roles.get("reference")

    @property
    def score_col(self) -> int | None:
        return self.roles.get("score")


@dataclass
class FormDraft:
    """One form being read (a sheet may hold several, one under the other)."""

    title: str = ""
    project: str = ""
    execution: Execution | None = None
    goal: HandScore | None = None
    rows: list[RowDraft | Row] = field(default_factory=list)  # 共性指标 rows are final as read
    groups: list[GroupDraft] = field(default_factory=list)
    subtotals: list[Subtotal] = field(default_factory=list)
    total: Total | None = None
    header_total: Total | None = None
    total_weight: float | None = None  # the 分值 a 总分 row prints (the form's maximum)
    grade: tuple[str, str] | None = None
    funds: dict[str, tuple[float, str]] = field(default_factory=dict)
    explanation: Text | None = None
    row_explanations: bool = False
    layout: set[str] = field(default_factory=set)
    next_run: int = 0

    @property
    def empty(self) -> bool:
        return self.execution is None and self.goal is None and not self.rows and not self.groups
