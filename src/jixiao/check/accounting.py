"""Every indicator row accounted for: what the checker did with each row it read.

One :class:`RowStatus` per indicator row: ``scored`` (the rule gives one score), ``band`` (the
rule allows a band: a 定性 row), ``unscorable`` (the rule cannot score it — no target, no actual,
no weight, text against a number …) or ``not_applicable`` (nothing for the rule to do: an empty
row whose weight still counts, a 共性指标 row judged by hand, a table without scores). The reason
is Chinese and never empty for the last two. The JSON field names are a contract (``rows`` in
``jixiao check --format json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jixiao.check.checks import CheckContext
from jixiao.check.forms import FilledForm, Row
from jixiao.core.values import ValueKind, format_number, parse_value


class Status(str, Enum):
    SCORED = "scored"
    BAND = "band"
    UNSCORABLE = "unscorable"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.SCORED: "按规则得分",
    Status.BAND: "按规则为区间",
    Status.UNSCORABLE: "无法按规则评分",
    Status.NOT_APPLICABLE: "不评分",
}
_ROW = re.compile(r"(\d+)$")


@dataclass(frozen=True, slots=True)
class RowStatus:
    file: str
    sheet: str
    row: int
    cell: str  # the row's 得分 cell ("" when the table has none); else its label cell
    label: str
    weight: float | None
    target: object
    actual: object
    reported: float | None
    rule_low: float | None
    rule_high: float | None
    status: Status
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "cell": self.cell,
            "label": self.label,
            "weight": self.weight,
            "target": _plain(self.target),
            "actual": _plain(self.actual),
            "reported": self.reported,
            "rule_low": self.rule_low,
            "rule_high": self.rule_high,
            "status": self.status.value,
            "status_label": self.status.label,
            "reason": self.reason,
        }


def _plain(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    return str(value)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or parse_value(value).kind is ValueKind.PLACEHOLDER
    return False


def _shown(value: object) -> str:
    return format_number(value) if isinstance(value, (int, float)) else str(value).strip()


def _why_not(row: Row, core_reason: str) -> str:
    """The reason a row cannot be scored, in the reader's words where the cells say it plainly."""
    if _blank(row.target) and _blank(row.actual):
        if row.target in (None, "") and row.actual in (None, ""):
            return "年度指标值和实际完成值都为空，无法按规则评分"
        return f"年度指标值为「{_shown(row.target)}」，实际完成值为「{_shown(row.actual)}」，无法按规则评分"
    if _blank(row.actual):
        where = "（目标取自指标名称）" if row.target_from_name else ""
        # A placeholder the form shows ("---") is quoted, as the finding on the same row quotes it.
        shown = _shown(row.actual) if row.actual is not None else ""
        what = f"为「{shown}」" if shown else "为空"
        return f"实际完成值{what}{where}，无法按规则评分"
    if _blank(row.target):
        shown = _shown(row.target)
        return f"年度指标值为「{shown}」，没有可比较的目标，无法按规则评分" if shown else core_reason
    return core_reason


def _status(ctx: CheckContext, row: Row) -> tuple[Status, float | None, float | None, str]:
    if not row.scored_table:
        return Status.NOT_APPLICABLE, None, None, "表中没有分值和得分栏：只列出指标值与完成值，不评分"
    if not row.scorable:
        return Status.NOT_APPLICABLE, None, None, "按评分标准由评价人打分（共性指标），规则不计算，只核对合计"
    if not row.applicable:
        counted = f"，分值 {format_number(row.weight)} 仍计入合计" if row.weight is not None else ""
        return Status.NOT_APPLICABLE, None, None, f"该指标未填写（不适用）{counted}"
    if row.weight is None:
        return Status.UNSCORABLE, None, None, "表中没有给出该行的分值（分值列和标签中都没有），无法按规则评分"
    score = ctx.judge(row)
    if score is None:
        return Status.UNSCORABLE, None, None, f"分值「{row.weight}」无法识别，无法按规则评分"
    reason = score.reason
    if row.target_from_name:
        reason += "（年度指标值为空，目标取自指标名称）"
    if not score.scorable or score.low is None or score.high is None:
        why = _why_not(row, score.reason)
        if row.target_from_name and "指标名称" not in why:
            why += "（目标取自指标名称）"
        return Status.UNSCORABLE, None, None, why
    if score.points is not None:
        return Status.SCORED, score.low, score.high, reason
    return Status.BAND, score.low, score.high, reason


def account_rows(form: FilledForm) -> list[RowStatus]:
    """One status per indicator row the form was read with, in the form's order."""
    ctx = CheckContext.of(form)
    prefix = f"{form.part} · " if form.part else ""
    statuses = []
    for row in form.rows:
        status, low, high, reason = _status(ctx, row)
        cell = row.score_cell or row.label_cell
        match = _ROW.search(cell or row.label_cell)
        statuses.append(
            RowStatus(
                file=form.file,
                sheet=form.sheet,
                row=int(match.group(1)) if match else 0,
                cell=cell,
                label=prefix + row.label,
                weight=row.weight,
                target=row.target,
                actual=row.actual,
                reported=row.reported,
                rule_low=low,
                rule_high=high,
                status=status,
                reason=reason,
            )
        )
    return statuses
