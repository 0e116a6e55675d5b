"""A target form (绩效目标表) as read from a workbook: what it says and where, nothing judged yet.

Target forms carry no scores, so they do not fit :class:`jixiao.check.forms.FilledForm`; this is
their own small record: goals, the indicator table (一级 / 二级 / 三级 / 指标值 / 依据), the funds
(预算数 / 财政资金 / 其他资金) and the 资金支出计划. Readers of jixiao workbooks and of hand-made
forms produce it; :mod:`jixiao.check.target_checks` judges it. Every figure keeps the A1 address
of its cell so a finding can point at it. Last year's self-evaluation forms, compared with
``--previous``, are reduced to :class:`PreviousForm`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from jixiao.core.rules import DEFAULT_RULES, RuleSet
from jixiao.core.values import parse_value
from jixiao.rubric.model import TargetReview
from jixiao.workbook.labels import one_line


@dataclass(frozen=True, slots=True)
class Amount:
    """A figure of the form (万元 unless the rubric says otherwise); ``value`` None when blank."""

    value: float | None
    cell: str = ""


@dataclass(frozen=True, slots=True)
class TargetFunds:
    """预算规模: 预算数 = 财政资金 + 其他资金."""

    budget: Amount
    fiscal: Amount
    other: Amount


@dataclass(frozen=True, slots=True)
class UnitBudget:
    """部门整体: 部门预算数 = 基本支出 + 项目支出; 项目支出 against the project forms."""

    total: Amount
    basic: Amount
    projects: Amount


@dataclass(frozen=True, slots=True)
class PlanPoint:
    """One month end of the 资金支出计划: the cumulative share spent, in % (25.0 for 25 %)."""

    month: str
    percent: float | None
    cell: str
    text: str = ""  # what the cell holds when it is not a number ("约三成")


@dataclass(frozen=True, slots=True)
class Text:
    label: str
    text: str
    cell: str


@dataclass(frozen=True, slots=True)
class TargetGoal:
    """A unit form's 分项目标; ``placeholder`` when it still holds the generator's label."""

    text: str
    cell: str
    placeholder: bool = False


@dataclass(frozen=True, slots=True)
class TargetIndicator:
    level1: str
    level2: str
    name: str  # 三级指标
    target: object  # 指标值 as the core reads it: text ("≥95%") or a number
    basis: str = ""  # 指标值确定依据
    description: str = ""  # 绩效指标描述
    name_cell: str = ""
    target_cell: str = ""
    basis_cell: str = ""
    level_cell: str = ""  # the 二级 cell (or the 一级 one when there is no 二级 column)
    goal: int | None = None  # index into TargetForm.goals (unit forms)

    @property
    def label(self) -> str:
        parts = [one_line(part) for part in (self.level2, self.name) if part]
        return " · ".join(dict.fromkeys(parts)) or one_line(self.level1) or "指标"

    @property
    def written(self) -> bool:
        """An indicator, not an empty placeholder row: a 三级 name or a 指标值 is written.

        The generator pre-fills 一级 / 二级 on its default rows, and hand-made forms keep rows
        such as "经济效益指标 | — | —": neither is an indicator.
        """
        return not blank_text(self.name) or not blank_value(self.target)


@dataclass(frozen=True)
class TargetForm:
    file: str
    sheet: str
    title: str
    scope: Literal["project", "unit"]
    review: TargetReview
    rubric: str | None = None  # the rubric the form was generated from or read by
    rules: RuleSet = DEFAULT_RULES  # how a bare 指标值 reads (成本指标: a ceiling)
    amount_unit: str = "万元"  # the rubric's unit of 预算数 and every amount on the form
    project: str = ""  # 项目名称 (project forms)
    code: str = ""  # 项目编码
    unit: str = ""  # 单位名称, to pair a unit form with its project forms
    goal_text: Text | None = None  # 绩效目标 (project) / 总体绩效目标 (unit)
    funds: TargetFunds | None = None
    unit_budget: UnitBudget | None = None
    plan: tuple[PlanPoint, ...] = ()
    indicators: tuple[TargetIndicator, ...] = ()
    goals: tuple[TargetGoal, ...] = ()
    table_cell: str = ""  # the indicator table's 一级指标 header: where form-wide findings point
    part: str = ""  # which form of a sheet holding several (its project name); "" when alone

    @property
    def written(self) -> tuple[TargetIndicator, ...]:
        return tuple(indicator for indicator in self.indicators if indicator.written)

    @property
    def budget(self) -> Amount | None:
        """The form's own budget: the project's 预算数, or the unit's 部门预算数."""
        if self.funds is not None:
            return self.funds.budget
        if self.unit_budget is not None:
            return self.unit_budget.total
        return None


@dataclass(frozen=True, slots=True)
class PreviousIndicator:
    """One row of last year's self-evaluation: its target and what was actually achieved."""

    level2: str
    name: str
    target: object
    actual: object
    cell: str  # the 实际完成值 cell (or the row's label cell)


@dataclass(frozen=True)
class PreviousForm:
    file: str
    sheet: str
    title: str  # the project's name, or the sheet's title
    unit: bool  # a 部门整体 self-evaluation
    indicators: tuple[PreviousIndicator, ...]
    part: str = ""


# -- matching names ---------------------------------------------------------------------------------

_WEIGHT = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_TRAILING_BRACKETS = re.compile(r"[（(][^（()）]*[)）]$")
_NOISE = re.compile(r"[\s\d.、，,：:；;。·\-—_/]+")


def level_key(text: str) -> str:
    """A 一级 / 二级 label as compared: "数量指标7（0.5分）", "数量" and "数量指标" are one."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _NOISE.sub("", _WEIGHT.sub("", text))
    return text.removesuffix("指标")


def name_key(text: str) -> str:
    """A 三级 name as compared across years: spaces, punctuation and a trailing "（%）" ignored."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    while _TRAILING_BRACKETS.search(text):
        text = _TRAILING_BRACKETS.sub("", text).strip()
    return re.sub(r"[\s、，,：:；;。·\-—_/\"“”]+", "", text)


def blank_text(text: str) -> bool:
    """Nothing written: empty, or only a dash, underscore or "无" placeholder."""
    return parse_value(text).is_empty if text and text.strip() else True


def blank_value(value: object) -> bool:
    """No 指标值: empty, a dash, or "无" (a row kept to say the 二级 does not apply)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or parse_value(value).is_empty
    return False
