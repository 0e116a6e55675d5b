"""What the checker reports: one :class:`Finding` per problem, with the cell it is about.

The JSON fields of a finding (``file``, ``sheet``, ``cell``, ``label``, ``kind``, ``reported``,
``rule_low``, ``rule_high``, ``reason``) are a contract other tools read; ``kind`` is the stable
English value of :class:`FindingKind`, its Chinese label is added as ``kind_label``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class FindingKind(str, Enum):
    ROUNDING = "rounding"
    SUBSTANTIVE = "substantive"
    UNDECIDABLE = "undecidable"
    WEIGHTS = "weights"
    OVER_WEIGHT = "over_weight"
    TOTAL = "total"
    EXECUTION_RATE = "execution_rate"
    FUNDS_IDENTITY = "funds_identity"
    MISSING_EXPLANATION = "missing_explanation"
    EMPTY_TOTAL = "empty_total"
    UNREADABLE = "unreadable"
    # Target forms (绩效目标表), reviewed before submission: see jixiao.check.target_checks.
    TARGET_MISSING_LEVEL1 = "target_missing_level1"
    TARGET_MISSING_LEVEL2 = "target_missing_level2"
    TARGET_NOT_QUANTIFIED = "target_not_quantified"
    TARGET_VALUE_MISSING = "target_value_missing"
    TARGET_VALUE_UNREADABLE = "target_value_unreadable"
    TARGET_QUALITATIVE_IN_QUANTITY = "target_qualitative_in_quantity"
    TARGET_COST_NOT_MONEY = "target_cost_not_money"
    TARGET_BASIS_MISSING = "target_basis_missing"
    TARGET_GOAL_MISSING = "target_goal_missing"
    TARGET_FUNDS_MISMATCH = "target_funds_mismatch"
    TARGET_PLAN_NOT_CUMULATIVE = "target_plan_not_cumulative"
    TARGET_PLAN_NOT_FULL = "target_plan_not_full"
    TARGET_COST_OVER_BUDGET = "target_cost_over_budget"
    TARGET_BELOW_LAST_ACTUAL = "target_below_last_actual"
    TARGET_DROPPED_INDICATOR = "target_dropped_indicator"
    TARGET_GOAL_WITHOUT_INDICATORS = "target_goal_without_indicators"
    TARGET_UNIT_BUDGET_MISMATCH = "target_unit_budget_mismatch"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def severe(self) -> bool:
        """Red in the review workbook and the table; the others (orange) may well be acceptable."""
        return self not in _MILD


_LABELS = {
    FindingKind.ROUNDING: "仅舍入不同",
    FindingKind.SUBSTANTIVE: "实质差异",
    FindingKind.UNDECIDABLE: "规则无法判定",
    FindingKind.WEIGHTS: "分值合计不符",
    FindingKind.OVER_WEIGHT: "得分超过分值",
    FindingKind.TOTAL: "合计不符",
    FindingKind.EXECUTION_RATE: "执行率不符",
    FindingKind.FUNDS_IDENTITY: "资金不平衡",
    FindingKind.MISSING_EXPLANATION: "缺少偏差原因",
    FindingKind.EMPTY_TOTAL: "合计未填",
    FindingKind.UNREADABLE: "无法读取",
    FindingKind.TARGET_MISSING_LEVEL1: "缺少一级指标",
    FindingKind.TARGET_MISSING_LEVEL2: "缺少二级指标",
    FindingKind.TARGET_NOT_QUANTIFIED: "量化指标不足",
    FindingKind.TARGET_VALUE_MISSING: "指标值未填",
    FindingKind.TARGET_VALUE_UNREADABLE: "指标值无法识别",
    FindingKind.TARGET_QUALITATIVE_IN_QUANTITY: "应为数值的指标写了定性目标",
    FindingKind.TARGET_COST_NOT_MONEY: "成本指标不是金额",
    FindingKind.TARGET_BASIS_MISSING: "缺少指标值确定依据",
    FindingKind.TARGET_GOAL_MISSING: "绩效目标未填",
    FindingKind.TARGET_FUNDS_MISMATCH: "预算资金不平衡",
    FindingKind.TARGET_PLAN_NOT_CUMULATIVE: "支出计划不是累计数",
    FindingKind.TARGET_PLAN_NOT_FULL: "支出计划未到100%",
    FindingKind.TARGET_COST_OVER_BUDGET: "成本超过预算",
    FindingKind.TARGET_BELOW_LAST_ACTUAL: "目标值低于上年实际",
    FindingKind.TARGET_DROPPED_INDICATOR: "上年指标未延续",
    FindingKind.TARGET_GOAL_WITHOUT_INDICATORS: "分项目标没有指标",
    FindingKind.TARGET_UNIT_BUDGET_MISMATCH: "部门预算与项目合计不符",
}
# Orange, not red: worth a look, often acceptable (a lowered target can be explained; an
# indicator dropped since last year may have been finished).
_MILD = frozenset(
    {
        FindingKind.ROUNDING,
        FindingKind.UNDECIDABLE,
        FindingKind.MISSING_EXPLANATION,
        FindingKind.TARGET_BELOW_LAST_ACTUAL,
        FindingKind.TARGET_DROPPED_INDICATOR,
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one cell (``cell`` is "" when it concerns a whole file or form)."""

    file: str
    sheet: str
    cell: str
    label: str
    kind: FindingKind
    reported: float | None
    rule_low: float | None
    rule_high: float | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "label": self.label,
            "kind": self.kind.value,
            "reported": self.reported,
            "rule_low": self.rule_low,
            "rule_high": self.rule_high,
            "reason": self.reason,
            "kind_label": self.kind.label,
        }


def unreadable(file: str, reason: str, sheet: str = "") -> Finding:
    return Finding(file, sheet, "", sheet or "整个文件", FindingKind.UNREADABLE, None, None, None, reason)
