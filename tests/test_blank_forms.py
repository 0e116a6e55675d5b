"""A blank form shows blanks: after a LibreOffice hard recalculation no score, total, rate or grade
cell of a freshly generated form shows a value — no 0.00, no 0.00 %, no 「差」 — in every built-in
rubric and both formula dialects.

The only computed cells allowed a value are the 分值 sums of weights the rubric pre-fills (worked
out by hand below); everything a user has not typed stays empty.
"""

from __future__ import annotations

import openpyxl
import pytest

from jixiao.generate.api import Request, generate
from jixiao.generate.formulas import DIALECTS
from jixiao.rubric import builtin_rubrics

pytestmark = pytest.mark.libreoffice

# Pre-filled 分值 sums on a blank form, by rubric: national default rows 4 × 12.5 + 5 + 10 + 5 + 10
# + 10 = 90; shanxi (seed 001) groups 投入 16, 过程 42, 产出 22, 效果 20. (四川 has no subtotal: its
# 合计 row prints the fixed 100.)
WEIGHT_SUMS = {
    "national-project": [90.0],
    "shanxi-unit-common": [16.0, 42.0, 22.0, 20.0],
}


def _formula_cells(path) -> tuple[str, list[tuple[str, int]], int | None]:
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    found = [
        (cell.coordinate, cell.column)
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    weights = ws.defined_names.get("指标_分值") or book.defined_names.get("指标_分值")
    weight_col = None
    if weights is not None:
        ((_, ref),) = list(weights.destinations)
        weight_col = openpyxl.utils.cell.coordinate_from_string(ref.replace("$", "").split(":")[0])[0]
        weight_col = openpyxl.utils.column_index_from_string(weight_col)
    return ws.title, found, weight_col


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", list(builtin_rubrics()))
def test_blank_form_shows_no_score_total_or_grade(calc, tmp_path, name, dialect):
    rubric = builtin_rubrics()[name]
    [path] = generate(Request(rubric, 2027, "某某单位", dialect=dialect), tmp_path)
    sheet, cells, weight_col = _formula_cells(path)
    quoted = "'" + sheet.replace("'", "''") + "'"
    values = calc.recalc(path, read=[f"{quoted}!{coordinate}" for coordinate, _ in cells])
    shown = {}
    weight_sums = []
    for coordinate, column in cells:
        value = values[f"{quoted}!{coordinate}"]
        if value in ("", None):
            continue
        if column == weight_col:
            weight_sums.append(value)
        else:
            shown[coordinate] = value
    assert shown == {}, f"{name} ({dialect}): computed cells show values on a blank form"
    assert weight_sums == WEIGHT_SUMS.get(name, [])
