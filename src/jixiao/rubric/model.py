"""The rubric definition: a form described completely as data (see docs/表样定义.md).

A rubric is a vertical stack of blocks — title, header fields, the 预算执行率 table, the 总目标
pair, the indicator table, totals, free-text boxes — plus the scoring rules and the 填表说明.
The generator lays the blocks out on one grid whose columns are the indicator table's columns.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jixiao.core.rules import RuleSet


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormKind(str, Enum):
    TARGET = "目标表"
    PROJECT_SELF = "项目自评表"
    UNIT_SELF = "部门整体自评表"


class Rules(_Strict):
    """The scoring rules of the form; every field maps onto :class:`jixiao.RuleSet`."""

    reverse: Literal["ratio", "linear"] = "ratio"
    qualitative_bands: tuple[float, float] = (0.8, 0.5)
    decimals: int = 2
    execution_cap: bool = True
    grade_bands: list[tuple[str, float]] = Field(
        default_factory=lambda: [("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0)]
    )
    bare_reading: dict[str, Literal["at_least", "at_most", "equal"]] = Field(
        default_factory=lambda: {"成本指标": "at_most"}
    )
    bare_default: Literal["at_least", "at_most", "equal"] = "at_least"
    zero_target: Literal["all_or_nothing", "unscorable"] = "all_or_nothing"
    equal: Literal["at_least", "exact"] = "at_least"

    def to_rule_set(self) -> RuleSet:
        return RuleSet(
            reverse=self.reverse,
            qualitative_bands=self.qualitative_bands,
            decimals=self.decimals,
            execution_cap=self.execution_cap,
            grade_bands=tuple(self.grade_bands),
            bare_reading=tuple(self.bare_reading.items()),
            bare_default=self.bare_default,
            zero_target=self.zero_target,
            equal=self.equal,
        )

    @model_validator(mode="after")
    def _valid_as_rule_set(self) -> Rules:
        self.to_rule_set()  # RuleSet raises ValueError with a Chinese message
        return self


# -- blocks ---------------------------------------------------------------------------------------

ContextKey = Literal[
    "年度",
    "单位名称",
    "单位编码",
    "项目名称",
    "项目编码",
    "主管部门",
    "实施单位",
    "预算数",
    "财政资金",
    "其他资金",
    "资金用途",
    "绩效目标",
    "填报日期",
    # target forms (issue 12)
    "项目属性",
    "项目负责人",
    "联系电话",
    "实施期",
    "长期目标",
    "填报人",
    "单位负责人",
]


class FieldSpec(_Strict):
    """A label and its value cell in a header grid."""

    label: str
    key: ContextKey | None = None  # filled from the project list / command line when known
    name: str | None = None  # workbook name of the value cell (e.g. 预算数)
    # signed_amount: an amount that may be negative (预算调整 −64.60 in seed 001).
    type: Literal["text", "amount", "signed_amount", "percent", "integer", "date"] = "text"
    span: int | None = Field(default=None, ge=1)  # grid columns of the value cell
    label_span: int | None = Field(default=None, ge=1)
    # A formula over other fields' names, e.g. "上年结转+年初预算+预算调整-预算执行" (a locked cell).
    compute: str | None = None
    options: list[str] = Field(default_factory=list)  # a dropdown, e.g. 项目属性 [新增, 延续]


class FieldsBlock(_Strict):
    type: Literal["fields"]
    rows: list[list[FieldSpec]] = Field(min_length=1)


class TitleBlock(_Strict):
    type: Literal["title"]
    template: str  # jinja2, e.g. "{{ 年度 }}年度{{ 项目名称 }}项目支出绩效自评表"
    subtitle: str | None = None  # jinja2, e.g. "单位名称：{{ 单位名称 }}　　填报日期："
    # -- printed forms (issue 12) --
    # Right-aligned on the subtitle's row, above the table's right edge, e.g. "单位：{{ 金额单位 }}".
    unit_note: str | None = None


class TextBlock(_Strict):
    """A labelled free-text box (资金用途, 绩效目标, 偏差原因分析 …)."""

    type: Literal["text"]
    label: str
    key: ContextKey | None = None
    name: str | None = None
    lines: int = Field(default=3, ge=1, le=30)
    carry_forward: bool = False  # kept by `jixiao new --from` (targets), cleared otherwise


class PlanBlock(_Strict):
    """资金支出计划（%）: cumulative percentages by month end, non-decreasing, the last = 100 %."""

    type: Literal["plan"]
    label: str
    months: list[str] = Field(min_length=2)
    name: str = "支出计划"


class ExecutionColumn(_Strict):
    # reason: one free-text 原因 box beside all the fund rows (四川).
    key: Literal["initial_budget", "budget", "actual", "weight", "rate", "score", "reason"]
    label: str


class FundRow(_Strict):
    label: str
    # The first row is the total; with parts (其中：…) its amounts are the sum of the others.
    part: bool = False
    # Which project-list figure fills this row's 全年预算数 (财政资金 for 当年财政拨款 …).
    key: Literal["预算数", "财政资金", "其他资金"] | None = None


class ExecutionBlock(_Strict):
    type: Literal["execution"]
    label: str  # e.g. "预算执行情况（万元）（20分）"
    weight: float = Field(gt=0)
    columns: list[ExecutionColumn]
    rows: list[FundRow] = Field(min_length=1)
    # -- printed forms (issue 12) --
    corner: str = ""  # the header above the fund-row labels, e.g. 「年度预算数（万元）」
    rate_per_row: bool = False  # 执行率 on every fund row (四川), not only on the total
    part_mark: str = "—"  # shown in the 其中 rows' columns that hold nothing (分值, 得分 …)

    @model_validator(mode="after")
    def _has_core_columns(self) -> ExecutionBlock:
        keys = [column.key for column in self.columns]
        for needed in ("budget", "actual", "rate", "score"):
            if needed not in keys:
                raise ValueError(
                    f"预算执行情况缺少「{needed}」列（budget 预算数、actual 执行数、rate 执行率、score 得分）"
                )
        if len(set(keys)) != len(keys):
            raise ValueError("预算执行情况的列有重复")
        if self.rows[0].part:
            raise ValueError("预算执行情况的第一行应为资金总额，不能是「其中」行")
        return self


class GoalPairBlock(_Strict):
    """项目绩效总目标: 年初设定目标 beside 全年实际完成情况, scored by hand within its weight."""

    type: Literal["goal_pair"]
    label: str
    weight: float = Field(gt=0)
    target_label: str = "年初设定目标"
    actual_label: str = "全年实际完成情况"
    score_label: str = "得分"
    lines: int = Field(default=4, ge=1, le=30)


IndicatorColumnKey = Literal[
    "goal",  # 年度目标 / 分项目标 (grouping column, unit forms)
    "goal_weight",  # the goal's weight: the sum of its rows' weights
    "goal_score",  # the goal's score: the sum of its rows' scores
    "level1",
    "level2",
    "level3",
    "description",  # 绩效指标描述
    "nature",  # 指标性质: ≥ ≤ = 定性
    "target",  # 年初目标值 / 指标值
    "unit",  # 度量单位
    "actual",  # 实际完成值
    "weight",  # 分值
    "band",  # 定性档位 (native dialect: the band the scorer picks)
    "judged",  # 评定得分 (定性 rows and rows the rule leaves open)
    "score",  # 得分
    "basis",  # 指标值确定依据
    "explanation",  # 偏差原因分析及改进措施
]


class IndicatorColumn(_Strict):
    key: IndicatorColumnKey
    label: str
    width: float = Field(default=12, gt=0, le=120)
    # Columns only one formula dialect needs (e.g. 指标性质 for native formulas).
    dialects: list[Literal["xlwings", "native"]] = Field(default_factory=lambda: ["xlwings", "native"])


class Level1(_Strict):
    name: str
    weight: float | None = Field(default=None, ge=0)
    level2: list[str] = Field(min_length=1)


class RowTemplate(_Strict):
    level1: str
    level2: str
    level3: str = ""
    weight: float | None = Field(default=None, ge=0)
    target: str = ""
    description: str = ""
    basis: str = ""
    nature: Literal["≥", "≤", "=", "定性", ""] = ""
    unit: str = ""


class GoalGroups(_Strict):
    """Unit forms: the indicator table is divided into 年度目标 1..n, each with its own weight."""

    label: str = "年度目标{{ 序号 }}"  # jinja2
    count: int = Field(default=5, ge=1, le=50)
    rows_per_goal: int = Field(default=5, ge=1, le=60)
    weight_total: float | None = Field(default=None, gt=0)  # e.g. 80: the goals' weights sum to it
    from_projects: bool = True  # with a project list, one goal per project


class IndicatorsBlock(_Strict):
    type: Literal["indicators"]
    label: str  # e.g. "项目年度绩效指标（60分）"
    weight: float | None = Field(default=None, gt=0)
    columns: list[IndicatorColumn] = Field(min_length=3)
    tree: list[Level1] = Field(min_length=1)
    rows: list[RowTemplate] = Field(default_factory=list)
    blank_rows: int = Field(default=0, ge=0, le=500)  # empty rows after the default ones
    goals: GoalGroups | None = None
    basis_options: list[str] = Field(default_factory=lambda: ["计划标准", "行业标准", "历史标准", "其他标准"])
    # -- printed forms (issue 12) --
    # Rows per 二级 of the tree, laid out in tree order (default rows fill them first; 一级 and
    # 二级 cells merged over their rows as on the official forms). None: ``rows`` then ``blank_rows``.
    rows_per_level2: int | None = Field(default=None, ge=1, le=20)
    # Hidden rows at the end of the table, formulas, names and checks in place: unhidden when more
    # rows are needed (a way to add rows that works the same in Excel, WPS and LibreOffice).
    spare_rows: int = Field(default=0, ge=0, le=200)
    subtotal: bool = True  # a 合计 row under the table (false: the total block's row takes its place)
    level1_weights: bool = False  # 一级 cells show their weight: 「产出指标（50分）」 (财预〔2020〕10号)

    def level2_rows(self, rows: list[RowTemplate]) -> list[RowTemplate]:
        """The table's rows with ``rows_per_level2`` (spare rows not included). Rows in the tree's
        order (the rubric's defaults, a form jixiao laid out last year) are laid out by the tree:
        each 二级 gets its rows, padded with empty rows of that 二级. Other rows (a hand-made form's
        「数量指标7（0.5分）」) keep their order, and the 二级 they leave short follow as empty rows.
        Then ``blank_rows`` empty rows."""
        per = self.rows_per_level2 or 0
        order = [(level1.name, level2) for level1 in self.tree for level2 in level1.level2]
        position = {pair: index for index, pair in enumerate(order)}
        places = [position.get((row.level1, row.level2)) for row in rows]
        in_order = all(place is not None for place in places) and places == sorted(places)  # type: ignore[type-var]
        laid: list[RowTemplate] = [] if in_order else list(rows)
        for level1, level2 in order:
            if in_order:
                mine = [row for row in rows if (row.level1, row.level2) == (level1, level2)]
                laid += mine
            else:
                # 「数量指标7（0.5分）」 and 「满意度\n指标」 are rows of 数量指标 and 满意度指标.
                mine = [row for row in rows if _same_level2(row, level1, level2)]
            laid += [RowTemplate(level1=level1, level2=level2)] * max(per - len(mine), 0)
        return laid + [RowTemplate(level1="", level2="")] * self.blank_rows

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorsBlock:
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError("指标表的列有重复")
        for needed in ("level1", "level2", "level3"):
            if needed not in keys:
                raise ValueError(f"指标表缺少「{needed}」列")
        if self.goals is not None and "goal" not in keys:
            raise ValueError("指标表按年度目标分组时需要「goal」列")
        level2_of = {level1.name: level1.level2 for level1 in self.tree}
        for index, row in enumerate(self.rows, start=1):
            if row.level1 not in level2_of:
                raise ValueError(f"第 {index} 个默认指标的一级指标「{row.level1}」不在指标体系中")
            if row.level2 not in level2_of[row.level1]:
                raise ValueError(
                    f"第 {index} 个默认指标的二级指标「{row.level2}」不属于一级指标「{row.level1}」"
                )
        if self.weight is not None:
            weighted = [level1.weight for level1 in self.tree if level1.weight is not None]
            if weighted and len(weighted) == len(self.tree) and abs(sum(weighted) - self.weight) > 1e-9:
                raise ValueError(
                    f"一级指标分值合计 {_fmt(sum(weighted))}，与指标表分值 {_fmt(self.weight)} 不符"
                )
            row_weights = [row.weight for row in self.rows]
            if self.rows and all(w is not None for w in row_weights) and not self._adds_empty_rows():
                total = sum(w for w in row_weights if w is not None)
                if abs(total - self.weight) > 1e-9:
                    raise ValueError(f"默认指标分值合计 {_fmt(total)}，与指标表分值 {_fmt(self.weight)} 不符")
        for level1 in self.tree:
            if level1.weight is None:
                continue
            weights = [row.weight for row in self.rows if row.level1 == level1.name]
            if weights and all(w is not None for w in weights) and not self._adds_empty_rows():
                total = sum(w for w in weights if w is not None)
                if abs(total - level1.weight) > 1e-9:
                    raise ValueError(
                        f"一级指标「{level1.name}」下默认指标分值合计 {_fmt(total)}，与其分值 {_fmt(level1.weight)} 不符"
                    )
        goals_total = self.goals.weight_total if self.goals is not None else None
        if goals_total is not None and self.weight is not None and abs(goals_total - self.weight) > 1e-9:
            raise ValueError("年度目标分值合计与指标表分值不符")
        return self

    def _adds_empty_rows(self) -> bool:
        """Whether the laid-out table has rows beyond the default ones (then weights are left open)."""
        if self.rows_per_level2 is None:
            return self.blank_rows > 0
        return len(self.level2_rows(list(self.rows))) > len(self.rows)


class CommonRow(_Strict):
    level2: str
    level3: str
    weight: float = Field(ge=0)
    formula: str = ""  # 计算方法, shown to the user
    # A native formula over the block's named inputs, e.g. "在职人员数/编制数" (shown as the 计算结果).
    compute: str | None = None
    compute_format: Literal["percent", "number"] = "percent"


class CommonGroup(_Strict):
    label: str  # 投入 / 过程 / 产出 / 效果
    weight: float = Field(gt=0)
    rows: list[CommonRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_add_up(self) -> CommonGroup:
        total = sum(row.weight for row in self.rows)
        if abs(total - self.weight) > 1e-9:
            raise ValueError(
                f"「{self.label}」下各指标分值合计 {_fmt(total)}，与其分值 {_fmt(self.weight)} 不符"
            )
        return self


class CommonInput(_Strict):
    """A figure the common indicators' formulas use (在职人员数, 编制数, 三公经费 …)."""

    label: str
    name: str
    type: Literal["amount", "integer", "percent"] = "amount"


class CommonBlock(_Strict):
    """部门整体支出绩效 common indicators (seed 001): 投入 / 过程 / 产出 / 效果."""

    type: Literal["common"]
    label: str
    columns: dict[
        Literal["level1", "level2", "level3", "reference", "weight", "analysis", "result", "score"], str
    ]
    inputs: list[CommonInput] = Field(default_factory=list)
    groups: list[CommonGroup] = Field(min_length=1)


class PairCell(_Strict):
    """One side of a :class:`TextPairBlock`: a header over a free-text cell."""

    label: str
    key: ContextKey | None = None
    name: str | None = None
    carry_forward: bool = False


class TextPairBlock(_Strict):
    """Two free-text boxes side by side under their headers, not scored (年度总体目标: 预期目标 |
    实际完成情况 on the national form; 年度目标 | 长期目标 on target forms)."""

    type: Literal["text_pair"]
    label: str
    left: PairCell
    right: PairCell
    lines: int = Field(default=3, ge=1, le=30)


class TotalBlock(_Strict):
    type: Literal["total"]
    label: str = "总分"
    grade_label: str | None = "等级"
    # -- printed forms (issue 12) --
    # The total as the indicator table's last row (四川 「合计」): the form's full weight under 分值,
    # 总分 under 得分 — use with the indicators block's ``subtotal: false``.
    under_columns: bool = False


class NoteBlock(_Strict):
    """Fixed text printed on the form (备注, signatures)."""

    type: Literal["note"]
    text: str
    lines: int = Field(default=1, ge=1, le=30)


Block = Annotated[
    TitleBlock
    | FieldsBlock
    | TextBlock
    | PlanBlock
    | ExecutionBlock
    | GoalPairBlock
    | IndicatorsBlock
    | CommonBlock
    | TotalBlock
    | NoteBlock
    | TextPairBlock,
    Field(discriminator="type"),
]


# -- review of target forms (`jixiao check` on a 目标表) ---------------------------------------------
# Everything the target-form review needs from a rubric, kept together: which 一级 / 二级 the
# framework requires, how many indicators must be quantified, which 二级 need numbers or money.


class RequiredLevel(_Strict):
    """A 一级指标 the framework requires, and which of its 二级 must carry at least one 三级."""

    level1: str
    all_of: list[str] = Field(default_factory=list)  # every one of these (产出: 数量, 质量, 时效 …)
    any_of: list[str] = Field(default_factory=list)  # at least ``at_least`` of these (效益: one of four)
    at_least: int = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> RequiredLevel:
        if self.at_least > len(self.any_of) and self.any_of:
            raise ValueError(
                f"「{self.level1}」要求至少 {self.at_least} 个二级指标，但 any_of 只列了 {len(self.any_of)} 个"
            )
        if set(self.all_of) & set(self.any_of):
            raise ValueError(f"「{self.level1}」的同一个二级指标不能既在 all_of 又在 any_of 中")
        return self


class TargetReview(_Strict):
    """How `jixiao check` reviews a target form of this rubric before it is submitted."""

    framework: str  # shown in findings, e.g. "2020 年通用指标体系"
    required: list[RequiredLevel] = Field(min_length=1)
    # The share of indicators whose 指标值 is a number (≥95%, 3000册, 1-2次/30天 …), at least.
    quantified_share: float = Field(default=0.5, ge=0, le=1)
    # 二级 (or 一级) names whose 指标值 must be a number: a qualitative target there is a finding.
    numeric_only: list[str] = Field(default_factory=lambda: ["数量指标", "成本指标"])
    # 二级 (or 一级) names whose 指标值 must be an amount of money (one of money_units).
    money: list[str] = Field(default_factory=lambda: ["成本指标"])
    # Money units and their size in 元; the rubric's amount_unit (the unit of 预算数) is one of them.
    money_units: dict[str, float] = Field(
        default_factory=lambda: {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}
    )
    # Words that make a written target a recognised qualitative one, beyond the core's markers
    # (提升, 达标, 完成, 通过 …).
    qualitative_words: list[str] = Field(default_factory=list)
    basis_required: bool = True
    plan_total: float = Field(default=100.0, gt=0)  # the last month of 资金支出计划, in %
    # Amounts (in the rubric's amount_unit) within this are equal: 21.00 = 21 + 0.
    tolerance: float = Field(default=0.005, ge=0)

    @model_validator(mode="after")
    def _money_unit_known(self) -> TargetReview:
        if any(size <= 0 for size in self.money_units.values()):
            raise ValueError("money_units 中每个单位折合的元数应大于 0")
        return self


class Rubric(_Strict):
    """One form, completely: what the generator writes and the checker reads."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    kind: FormKind
    scope: Literal["project", "unit"]
    summary: str
    sources: list[str] = Field(default_factory=list)
    sheet_name: str = Field(default="{{ 项目名称 or 单位名称 or '表' }}", max_length=200)
    total_weight: float = 100.0
    rules: Rules = Field(default_factory=Rules)
    blocks: list[Block] = Field(min_length=2)
    instructions: str
    review: TargetReview | None = None  # target forms: what `jixiao check` requires of them
    # -- printed forms (issue 12) --
    # The unit of every amount on the form (shown as {{ 金额单位 }}); project lists are converted to it.
    amount_unit: Literal["元", "万元"] = "万元"

    @field_validator("blocks")
    @classmethod
    def _one_of_each(cls, blocks: list[Block]) -> list[Block]:
        for kind in ("title", "execution", "indicators", "total", "common", "plan", "goal_pair"):
            if sum(1 for block in blocks if block.type == kind) > 1:
                raise ValueError(f"表样中「{kind}」块只能有一个")
        if blocks[0].type != "title":
            raise ValueError("表样的第一块应为标题（type: title）")
        return blocks

    @model_validator(mode="after")
    def _review_matches_tree(self) -> Rubric:
        if self.review is None:
            return self
        if self.amount_unit not in self.review.money_units:
            raise ValueError(f"amount_unit「{self.amount_unit}」不在 review.money_units 中")
        if self.kind is not FormKind.TARGET:
            raise ValueError("review（目标表审核规则）只用于目标表（kind: 目标表）")
        table = self.indicators
        tree = {level1.name: level1.level2 for level1 in table.tree} if table else {}
        for required in self.review.required:
            if required.level1 not in tree:
                raise ValueError(f"review.required 中的一级指标「{required.level1}」不在指标体系（tree）中")
            for level2 in (*required.all_of, *required.any_of):
                if level2 not in tree[required.level1]:
                    raise ValueError(
                        f"review.required 中的二级指标「{level2}」不属于一级指标「{required.level1}」"
                    )
        known = set(tree) | {level2 for names in tree.values() for level2 in names}
        for field in ("numeric_only", "money"):
            for name in getattr(self.review, field):
                if name not in known:
                    raise ValueError(f"review.{field} 中的「{name}」不是指标体系中的一级或二级指标")
        return self

    @model_validator(mode="after")
    def _weights_add_up(self) -> Rubric:
        if self.kind is FormKind.TARGET:
            return self
        scored = [
            block.weight
            for block in self.blocks
            if block.type in ("execution", "goal_pair", "indicators") and block.weight is not None
        ]
        commons = [group.weight for block in self.blocks if block.type == "common" for group in block.groups]
        total = sum(scored) + sum(commons)
        if abs(total - self.total_weight) > 1e-9:
            raise ValueError(f"各部分分值合计 {_fmt(total)}，与总分 {_fmt(self.total_weight)} 不符")
        return self

    def block(self, kind: str) -> Block | None:
        return next((block for block in self.blocks if block.type == kind), None)

    @property
    def indicators(self) -> IndicatorsBlock | None:
        block = self.block("indicators")
        return block if isinstance(block, IndicatorsBlock) else None

    @property
    def execution(self) -> ExecutionBlock | None:
        block = self.block("execution")
        return block if isinstance(block, ExecutionBlock) else None

    @property
    def rule_set(self) -> RuleSet:
        return self.rules.to_rule_set()


def _same_level2(row: RowTemplate, level1: str, level2: str) -> bool:
    def plain(text: str) -> str:
        return "".join(text.split())

    return plain(row.level1) == level1 and plain(row.level2).startswith(level2)


def _fmt(x: float) -> str:
    from jixiao.core.values import format_number

    return format_number(x)
