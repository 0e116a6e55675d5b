"""Hubei blocks scored as a whole: 项目绩效总目标 (a hand score within its weight) and the
年度目标N（X分） groups of the unit form."""

from __future__ import annotations

from jixiao.check.forms import GroupKind, HandScore
from jixiao.check.legacy.draft import FormDraft, GroupDraft
from jixiao.check.legacy.labels import GOAL_GROUP, strip_weight, weight_in
from jixiao.workbook.sheets import Grid


def read_goal_pair(grid: Grid, form: FormDraft, header: int, end: int) -> int:
    """年初设定目标 | 全年实际完成情况 | 得分, with its weight in the label on the left."""
    score_col = next((col for col, text in grid.labels(header) if text.startswith("得分")), None)
    target_col = next(col for col, text in grid.labels(header) if "年初设定目标" in text)
    weight = None
    label = "项目绩效总目标"
    for row in (header, header + 1):
        for col in range(1, target_col):
            text = grid.key(row, col)
            if "目标" in text and weight_in(text) is not None:
                weight, label = weight_in(text), strip_weight(text) or label
                break
        if weight is not None:
            break
    reported, cell, last = None, "", header
    if score_col is not None:
        cell = grid.address(min(header + 1, end), score_col)
        for row in range(header + 1, min(header + 3, end) + 1):
            value = grid.number(row, score_col)
            if value is not None:
                reported, cell, last = value, grid.address(row, score_col), row
                break
    form.goal = HandScore(label, weight, reported, cell)
    form.layout.add("goal_pair")
    return max(last, header + 1) + 1


def goal_without_header(grid: Grid, form: FormDraft, row: int, labels: list[tuple[int, str]]) -> bool:
    """ "项目绩效总目标（20分） | 目标 | 完成情况 | 20" with no header row above it."""
    col, text = labels[0]
    if form.goal is not None or "总目标" not in text or weight_in(text) is None:
        return False
    numbers = [
        (c, grid.number(row, c))
        for c in range(col + 1, grid.n_cols + 1)
        if not grid.is_tail(row, c) and grid.number(row, c) is not None
    ]
    if not numbers:
        return False
    c, value = numbers[-1]
    form.goal = HandScore(strip_weight(text), weight_in(text), value, grid.address(row, c))
    form.layout.add("goal_pair")
    return True


def read_goal_group(grid: Grid, form: FormDraft, row: int) -> int:
    """ "年度目标3（11分）": a group of the unit form; returns its index."""
    col, text = grid.labels(row)[0]
    match = GOAL_GROUP.match(text)
    assert match is not None
    group = GroupDraft(GroupKind.GOAL, match.group(1), float(match.group(2)), None, grid.address(row, col))
    numbers = [
        c
        for c in range(col + 1, grid.n_cols + 1)
        if not grid.is_tail(row, c) and grid.number(row, c) is not None
    ]
    if numbers:
        # Seed 003: "年度绩效目标1：（8分） | 7" — the goal's reported subtotal beside its label.
        group.reported = grid.number(row, numbers[-1])
        group.reported_cell = grid.address(row, numbers[-1])
    form.groups.append(group)
    form.layout.add("goals")
    return len(form.groups) - 1
