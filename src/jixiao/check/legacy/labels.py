"""What the labels of a hand-made form say: which block a row starts, which column a header names,
the weight a label carries ("数量指标7（0.5分）"), and which cells are only placeholders.

The words themselves are data (``jixiao.workbook`` vocabulary.yaml); this module applies them.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from jixiao.core.values import ValueKind, parse_value
from jixiao.workbook.sheets import Grid, label_key
from jixiao.workbook.vocabulary import vocabulary

# On label keys (NFKC, no spaces): "（0.5分）" has become "(0.5分)".
_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)分\)")
_ANY_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)分")
GOAL_GROUP = re.compile(r"^(年度(?:绩效)?目标\d*)[:]?\(?(\d+(?:\.\d+)?)分\)?")
INLINE_TOTAL = re.compile(r"(自评得分|自评总分|总分|综合得分)[:]?(\d+(?:\.\d+)?)")
WORDS = vocabulary()
SUBHEADERS = ("(A)", "(B)", "(B/A)", "A", "B")
_PLACEHOLDERS = ("", "-", "—", "_", "--", "---", "——", "－", "/", "……", "…", "...")
# The national template's empty slots: "指标1：", "指标2：", "指标L：" (an OCR'd 1) and the like.
_SLOT = re.compile(r"^指标\w?[:]?$")
# The row roles that name a weight column, in order of preference: a 共性指标 table keeps both.
WEIGHT_ROLES = ("weight", "reference")


class RowKind(str, Enum):
    EXECUTION = "execution"
    GOAL_PAIR = "goal_pair"
    GOAL_GROUP = "goal_group"
    INDICATORS = "indicators"
    COMMON = "common"
    TARGET_TABLE = "target_table"  # a 绩效目标表: targets, no actuals, no scores
    TOTAL = "total"
    SUBTOTAL = "subtotal"
    FOOTER = "footer"
    TITLE = "title"


def key(text: object) -> str:
    return label_key(text if isinstance(text, str) else "")


def strip_weight(text: str) -> str:
    return _WEIGHT.sub("", text).strip(":")


def weight_in(text: str) -> float | None:
    """The weight a label key declares: "成本指标(10分)" → 10."""
    match = _WEIGHT.search(text)
    return float(match.group(1)) if match else None


def any_weight_in(text: str) -> float | None:
    """A weight written anywhere in a header: "得分(20分*执行率)" → 20."""
    match = _ANY_WEIGHT.search(text)
    return float(match.group(1)) if match else None


def placeholder(value: object) -> bool:
    """An empty cell or one that only marks "nothing here": "—", "/", "……", "指标2："."""
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        if text in _PLACEHOLDERS or _SLOT.match(label_key(text)):
            return True
        return parse_value(text).kind is ValueKind.PLACEHOLDER
    return False


@lru_cache(maxsize=4096)
def indicator_role(text: str) -> str | None:
    """Which column of an indicator (or 共性指标) table a header label names (see vocabulary.yaml)."""
    return WORDS.indicator_role(text)


@lru_cache(maxsize=4096)
def execution_role(text: str) -> str | None:
    """Which column of the 预算执行率 block a header label names (see vocabulary.yaml)."""
    return WORDS.execution_role(text)


def roles(grid: Grid, row: int, role_of) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, text in grid.labels(row):
        role = role_of(text)
        if role and role not in found:
            found[role] = col
    return found


_LEVELS = {"level1", "level2", "level3", "name"}


def header_roles(grid: Grid, row: int) -> tuple[dict[str, int], int]:
    """The columns an indicator header names, and how many rows the header takes.

    Two-row headers are read as one: "绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分" over
    "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位" (Yunnan), or 指标分值 over the
    sub-columns 参考分值 | 设定分值 (Shanxi). The lower row names the columns it spans.
    """
    upper = roles(grid, row, indicator_role)
    if row >= grid.n_rows:
        return upper, 1
    lower = roles(grid, row + 1, indicator_role)
    if lower.keys() & set(WEIGHT_ROLES) and not lower.keys() & _LEVELS and upper.keys() & _LEVELS:
        return {**upper, **lower}, 2  # 指标分值 over 参考分值 | 设定分值
    values_below = any(grid.number(row + 1, col) is not None for col in lower.values())
    if (
        lower.keys() & _LEVELS
        and not upper.keys() & _LEVELS
        and upper.keys() & {"score", "actual"}
        and not values_below
    ):
        return {**upper, **lower}, 2  # 绩效指标 / 年度指标值 over 一级 … 度量单位
    return upper, 1


def classify(grid: Grid, row: int) -> RowKind | None:
    labels = grid.labels(row)
    if not labels:
        return None
    keys = [text for _, text in labels]
    if {"budget", "actual"} <= {execution_role(text) for text in keys}:
        return RowKind.EXECUTION
    targets = [i for i, text in enumerate(keys) if "年初设定目标" in text]
    actuals = [i for i, text in enumerate(keys) if "实际完成情况" in text]
    if targets and actuals and set(targets) != set(actuals):
        return RowKind.GOAL_PAIR  # two header cells, not a sentence that mentions both
    first = keys[0]
    if GOAL_GROUP.match(first):
        return RowKind.GOAL_GROUP
    header, _ = header_roles(grid, row)
    found = set(header)
    if "level2" in found and found & {"level1", "level3", "name"}:
        if "score" in found:
            if "level1" not in found and not found & {"target", "actual"}:
                return RowKind.COMMON
            return RowKind.INDICATORS
        if {"target", "actual"} <= found:
            return RowKind.INDICATORS  # a self-evaluation that lists values but gives no scores
    if {"level1", "level2", "target"} <= found:
        return RowKind.TARGET_TABLE
    if first in WORDS.totals:
        return RowKind.TOTAL
    if first in WORDS.subtotals:
        return RowKind.SUBTOTAL
    if first.startswith(WORDS.footers):
        return RowKind.FOOTER
    if "自评表" in first or "目标表" in first or first == "项目名称":
        return RowKind.TITLE
    return None
