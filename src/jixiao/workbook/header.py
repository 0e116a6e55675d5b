"""Whose form a sheet is, as its first rows say: the 单位名称 and the 年度 of its title.

jixiao workbooks say it in their hidden sheet and named cells too; hand-made forms say it only here.
Shared by ``jixiao check`` (to recognise the same form twice) and ``jixiao summary`` (to group
projects by unit).
"""

from __future__ import annotations

import re
import unicodedata

from jixiao.workbook.cells import label_key
from jixiao.workbook.sheets import Grid
from jixiao.workbook.vocabulary import vocabulary

# The title and header fields of every layout are in the first rows.
HEADER_ROWS = 12
_UNIT_LABEL = "单位名称"
# 「2020年度…」, or a year alone in brackets: 「（2021年）」 (not 「2021年12月完成」).
_YEAR = re.compile(r"(20\d\d)\s*年(?:度|\s*[)）])")
_GAP = re.compile(r"\s")
# The budget unit's code before its name: 「219001-池州市贵池区棠溪镇人民政府」.
_CODE = re.compile(r"^\d{4,}\s*[-－—_]?\s*")


def unit_in(grid: Grid | None) -> str:
    """单位名称 as the form writes it: "单位名称：洪山街道办事处　　填报日期：…" or a label cell beside its value.

    A project form without one (the national layout) names its unit as 实施单位: that is whose
    project it is (a code before the name is left off)."""
    if grid is None:
        return ""
    return _named_unit(grid) or _CODE.sub("", _implementer(grid))


def _named_unit(grid: Grid) -> str:
    for row in range(1, min(grid.n_rows, HEADER_ROWS) + 1):
        for col in range(1, grid.n_cols + 1):
            if grid.is_tail(row, col):
                continue
            text = unicodedata.normalize("NFKC", grid.text(row, col)).strip()
            if not text.startswith(_UNIT_LABEL):
                continue
            rest = text[len(_UNIT_LABEL) :].lstrip(" :：")
            if rest:
                return _GAP.split(rest, maxsplit=1)[0].strip()
            beside = grid.right_of(row, col)
            if beside is not None:
                return grid.text(row, beside).strip()
    return ""


def _implementer(grid: Grid) -> str:
    """The value beside a 实施单位 label (「实施单位（盖章）」 too), unless that is another label."""
    fields = vocabulary().project_fields
    labels = {label_key(word) for words in fields.values() for word in words}
    spellings = tuple(label_key(word) for word in fields["implementer"])
    for row in range(1, min(grid.n_rows, HEADER_ROWS) + 1):
        for col in range(1, grid.n_cols + 1):
            if grid.is_tail(row, col) or not label_key(grid.text(row, col)).startswith(spellings):
                continue
            beside = grid.right_of(row, col)
            if beside is None:
                continue
            value = grid.text(row, beside).strip()
            if label_key(value) not in labels and not label_key(value).startswith(_UNIT_LABEL):
                return value
    return ""


def year_in(grid: Grid | None) -> int | None:
    """The 年度 of the title ("2020年度教育支出项目自评表")."""
    if grid is None:
        return None
    for row in range(1, min(grid.n_rows, HEADER_ROWS) + 1):
        for col in range(1, grid.n_cols + 1):
            match = _YEAR.search(grid.text(row, col))
            if match:
                return int(match.group(1))
    return None
