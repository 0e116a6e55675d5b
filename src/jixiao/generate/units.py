"""Amount units: a rubric's amounts are in 元 or 万元, a project list may say which it uses; the
amounts are converted to the rubric's unit and every conversion (or assumption) is said out loud —
never a silent factor of 10,000."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from jixiao.core.values import format_number
from jixiao.generate.layout import ProjectInfo

# How many 元 one unit is.
_YUAN = {"元": 1.0, "万元": 10_000.0}


def convert(amount: float | None, source: str, target: str) -> float | None:
    """``amount`` in ``source`` units as ``target`` units (元 ↔ 万元)."""
    if amount is None or source == target:
        return amount
    return amount * _YUAN[source] / _YUAN[target]


def to_rubric_unit(projects: Sequence[ProjectInfo], unit: str) -> tuple[tuple[ProjectInfo, ...], list[str]]:
    """The projects with their amounts in ``unit`` (the rubric's), and one message per kind of change.

    A project whose list named no unit is taken as already in ``unit``, and the message says so.
    """
    converted: list[ProjectInfo] = []
    changed: dict[str, int] = {}
    assumed = 0
    for project in projects:
        amounts = (project.budget, project.fiscal, project.other)
        if all(amount is None for amount in amounts):
            converted.append(project)
            continue
        source = project.amount_unit
        if not source:
            assumed += 1
            converted.append(replace(project, amount_unit=unit))
            continue
        if source != unit:
            changed[source] = changed.get(source, 0) + 1
        converted.append(
            replace(
                project,
                budget=convert(project.budget, source, unit),
                fiscal=convert(project.fiscal, source, unit),
                other=convert(project.other, source, unit),
                amount_unit=unit,
            )
        )
    notes = []
    for source, count in changed.items():
        factor = _YUAN[source] / _YUAN[unit]
        how = f"×{format_number(factor)}" if factor > 1 else f"÷{format_number(1 / factor)}"
        notes.append(f"项目清单中 {count} 个项目的金额以{source}计，已换算为表样的{unit}（{how}）后填入。")
    if assumed:
        notes.append(
            f"项目清单中 {assumed} 个项目的金额没有注明单位，按表样的{unit}填入；"
            f"如不是{unit}，请在表头写明（如「预算数（元）」）或加一列「金额单位」。"
        )
    return tuple(converted), notes


__all__ = ["convert", "to_rubric_unit"]
