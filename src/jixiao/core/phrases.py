"""How a qualitative actual says whether its target was reached.

DOMAIN.md §2 gives three bands — 达成预期指标, 部分达成并具有一定效果, 未达成且效果较差 — but real
forms rarely use those words: they write "逐步提升", "较丰富", "审议通过". These marker lists map what
is written to a band; order matters (a failure marker such as "未达成" contains "达成").
"""

from __future__ import annotations

from enum import Enum


class Outcome(str, Enum):
    ACHIEVED = "achieved"
    PARTIAL = "partial"
    FAILED = "failed"


FAILED_MARKERS = (
    "未达成",
    "未完成",
    "未达到",
    "未达标",
    "未实现",
    "未通过",
    "未落实",
    "没有完成",
    "没有达到",
    "没有实现",
    "不达标",
    "不合格",
    "效果较差",
    "效果差",
    "较差",
    "未开展",
)

PARTIAL_MARKERS = (
    "部分达成",
    "部分完成",
    "部分实现",
    "部分达到",
    "部分达标",
    "一定效果",
    "有待提高",
    "有待提升",
    "有待加强",
    "有待改进",
    "尚未全部",
    "未全部",
)

# "基本完成" / "基本达标" count as achieved: the achieved band starts at 80 % inclusive, which is
# where the national notes put 基本完成.
ACHIEVED_MARKERS = (
    "达成",
    "完成",
    "实现",
    "达到",
    "达标",
    "通过",
    "提升",
    "提高",
    "改善",
    "完善",
    "规范",
    "增长",
    "稳定",
    "解决",
    "丰富",
    "优化",
    "加强",
    "增强",
    "巩固",
    "显著",
    "明显",
    "良好",
    "到位",
    "有效",
    "满意",
    "合格",
    "落实",
    "保障",
    "推进",
    "促进",
    "好转",
    "健全",
    "正常",
    "有正规",
)


def outcome_of(actual: str, target_options: tuple[str, ...]) -> Outcome | None:
    """The band a qualitative actual claims, or None when the text does not say."""
    text = actual.replace(" ", "")
    if text in {option.replace(" ", "") for option in target_options}:
        return Outcome.ACHIEVED
    if any(marker in text for marker in FAILED_MARKERS):
        return Outcome.FAILED
    if any(marker in text for marker in PARTIAL_MARKERS):
        return Outcome.PARTIAL
    if any(marker in text for marker in ACHIEVED_MARKERS):
        return Outcome.ACHIEVED
    return None
