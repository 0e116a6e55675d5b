"""``jixiao summary``: a unit's project forms rolled up into its 部门整体 form, plus a summary for review.

The pure part — :mod:`jixiao.summary.rollup` — takes the forms :mod:`jixiao.check`'s readers produce
and returns the unit's figures by the roll-up rules of seed 003's 备注. The edges: :mod:`collect`
(files → forms, through the checker), :mod:`unitform` (the filled 部门整体 form), :mod:`workbook`
(the summary workbook with native Excel charts), :mod:`charts` (PNG pictures) and :mod:`cli`.
"""

from jixiao.summary.rollup import (
    ProjectFigures,
    ProjectForm,
    UnitGoal,
    UnitRollup,
    UnitRow,
    combine,
    roll_up_unit,
    shared_rows,
)

__all__ = [
    "ProjectFigures",
    "ProjectForm",
    "UnitGoal",
    "UnitRollup",
    "UnitRow",
    "combine",
    "roll_up_unit",
    "shared_rows",
]
