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
}
_MILD = frozenset({FindingKind.ROUNDING, FindingKind.UNDECIDABLE, FindingKind.MISSING_EXPLANATION})


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
