"""Settling row weights once a table has been read.

A "（X分）" in a 二级 label means one of two things: the weight of the one row under it
("数量指标7（0.5分）"), or the total of several rows that carry weights of their own
("成本指标（10分）" over rows of 4, 3 and 3). Only the rows under the label tell which: with more
than one real row — or rows whose own weights do not add up to X — the label becomes a group,
checked against the sum of its rows, and is never copied onto each row.

Rows with nothing of their own (no target, actual, score or weight: the template's "指标2：" and
"……" slots) are dropped; one that is the only row of a weighted label is kept as "not applicable"
so its weight still counts.
"""

from __future__ import annotations

from itertools import groupby

from jixiao.check.forms import GroupKind, Row
from jixiao.check.legacy.draft import FormDraft, GroupDraft, RowDraft
from jixiao.check.legacy.labels import key, placeholder, strip_weight

TOLERANCE = 1e-9


def _blank(draft: RowDraft) -> bool:
    return placeholder(draft.target) and placeholder(draft.actual) and draft.reported is None


def _row(draft: RowDraft, weight: float | None, group: int, *, applicable: bool = True) -> Row:
    return Row(
        level1=draft.level1 or None,
        level2=draft.level2 or None,
        name="" if placeholder(draft.name) else draft.name,
        target=draft.target,
        actual=draft.actual,
        weight=weight,
        reported=draft.reported,
        explanation=draft.explanation,
        score_cell=draft.score_cell,
        label_cell=draft.label_cell,
        explanation_cell=draft.explanation_cell,
        group=group,
        applicable=applicable,
        target_from_name=draft.target_from_name,
        funds=draft.funds,
        scored_table=draft.scored_table,
    )


def _settle_run(form: FormDraft, run: list[RowDraft]) -> list[Row]:
    first = run[0]
    declared = first.label_weight
    real = [d for d in run if not d.empty]
    own = [d.own_weight for d in real if d.own_weight is not None]
    if declared is not None and (len(real) > 1 or (own and abs(sum(own) - declared) > TOLERANCE)):
        form.groups.append(
            GroupDraft(
                GroupKind.SECTION,
                strip_weight(key(first.level2)),
                declared,
                first.parent,
                first.run_label_cell,
            )
        )
        group = len(form.groups) - 1
        return [
            _row(
                d,
                d.own_weight if d.own_weight is not None else d.name_weight,
                group,
                applicable=not _blank(d),
            )
            for d in real
        ]
    if declared is not None and not real:
        return [_row(first, declared, first.parent, applicable=False)]  # "经济效益指标（5分） | — | —"
    rows = []
    for d in real:
        weight = (
            d.own_weight if d.own_weight is not None else declared if declared is not None else d.name_weight
        )
        rows.append(_row(d, weight, d.parent, applicable=not _blank(d)))
    return rows


def settle(form: FormDraft) -> list[Row]:
    """The form's rows, weights settled; 共性指标 rows (already final) pass through in order."""
    settled: list[Row] = []
    for is_draft, items in groupby(form.rows, key=lambda item: isinstance(item, RowDraft)):
        if not is_draft:
            settled += items  # type: ignore[arg-type]
            continue
        for _, run in groupby(items, key=lambda d: d.run):  # type: ignore[union-attr]
            settled += _settle_run(form, list(run))  # type: ignore[arg-type]
    return settled
