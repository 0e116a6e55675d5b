"""A target written in the indicator's name instead of its own cell.

Real forms often leave 年度指标值 empty and write the target into the 三级指标 name:
「年度资金支付完成率100%」, 「满意度≥90%」, 「科目调整次数≤10次」, 「按时发放率=100%」,
「群众满意度（≥90%）」, 「项目完成时间12月底前」. :func:`target_in_name` finds it: a comparator or a
number with a unit (or a deadline) that ends the name. A number that is part of the name itself
(「PM2.5浓度」, 「5G基站」, 「2021年度资金」) or a weight (「（10分）」) is not a target.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.values import (
    MAX_CELL_CHARS,
    Comparator,
    Value,
    ValueKind,
    comparator_phrases,
    normalise_text,
    parse_value,
)

# Units a bare number in a name may carry to count as a target (「新建公厕5座」). A number with
# another word after it (「2.5浓度」) is part of the name.
TARGET_UNITS = frozenset(
    (
        "%",
        "个",
        "人",
        "人次",
        "次",
        "篇",
        "篇次",
        "台",
        "台次",
        "套",
        "户",
        "户次",
        "册",
        "份",
        "项",
        "家",
        "所",
        "场",
        "场次",
        "期",
        "座",
        "处",
        "条",
        "件",
        "本",
        "批",
        "辆",
        "张",
        "间",
        "部",
        "棵",
        "株",
        "亩",
        "公顷",
        "平方米",
        "平方公里",
        "公里",
        "千米",
        "米",
        "吨",
        "元",
        "千元",
        "万元",
        "亿元",
        "天",
        "日",
        "小时",
        "分钟",
        "个月",
        "年",
        "周",
        "个工作日",
        "工作日",
        "课时",
        "学时",
        "班",
        "名",
    )
)

# Only the end of a name is searched: a target is short, and this keeps the search linear.
_TAIL_CHARS = 40
_NOT_BEFORE_A_NUMBER = set("0123456789.-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True, slots=True)
class NamedTarget:
    """A target found in an indicator's name."""

    value: Value  # the target as parse_value reads it
    text: str  # the target as written in the name: "100%"
    label: str  # the name without it: "年度资金支付完成率"


def _is_target(value: Value, text: str) -> bool:
    if value.kind is ValueKind.QUANTITY:
        if value.unit in ("分", "分值"):
            return False  # 「（10分）」 is a weight
        return value.comparator is not None or value.unit in TARGET_UNITS
    if value.kind is ValueKind.RANGE:
        return value.unit in TARGET_UNITS
    if value.kind in (ValueKind.RANK, ValueKind.RANK_TIERS):
        return True
    if value.kind is ValueKind.DEADLINE:
        # 「…时间12月底前」 or 「…2021年11月完成」; a bare year ending a name (「2021年」) is part of it.
        return value.dates is not None and (value.comparator is Comparator.AT_MOST or "完成" in text)
    return False


def _starts(text: str, phrases: tuple[str, ...]) -> list[int]:
    """Where a target may begin: a comparator, or the first digit of a number."""
    starts = []
    for i, ch in enumerate(text):
        if i == 0:
            continue  # a target needs a name before it
        number = ch.isdigit() and text[i - 1] not in _NOT_BEFORE_A_NUMBER
        if number or any(text.startswith(phrase, i) for phrase in phrases):
            starts.append(i)
    return starts


def target_in_name(name: object) -> NamedTarget | None:
    """The target written at the end of an indicator's name, or None.

    >>> target_in_name("年度资金支付完成率100%").text
    '100%'
    """
    if not isinstance(name, str):
        return None
    text = normalise_text(name[:MAX_CELL_CHARS])
    # 「群众满意度(≥90%)」: a target in brackets at the end.
    if text.endswith(")") and "(" in text:
        opening = text.rindex("(")
        inner = text[opening + 1 : -1].strip()
        label = text[:opening].strip()
        if inner and label and len(inner) <= _TAIL_CHARS:
            value = parse_value(inner)
            if _is_target(value, inner):
                return NamedTarget(value, inner, label)
    offset = max(0, len(text) - _TAIL_CHARS)
    tail = text[offset:]
    for i in _starts(tail, comparator_phrases()):
        if offset + i == 0:
            continue
        written = tail[i:].strip()
        value = parse_value(written)
        if _is_target(value, written):
            label = text[: offset + i].rstrip(" :")
            if label:
                return NamedTarget(value, written, label)
    return None
