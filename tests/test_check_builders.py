"""Workbooks for the checker's tests: hand-made (legacy) forms laid out like the seed tables, and
generated jixiao forms filled through their workbook names.

The legacy builders transcribe the seeds' figures (DOMAIN.md and /work/shared/seeds): merged
一级 cells down their rows, weights inside labels ("数量指标7（0.5分）"), "年度目标N（X分）" group
rows, 执行率 as a percentage-formatted number. The tests at the bottom check the builders
themselves, so a broken fixture is not mistaken for a broken reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries

# The legacy builders live in seed_workbooks.py, beside the seed transcription they lay out (the
# samples in xlsx_samples/ are built from them too); re-exported here for the checker's tests.
from seed_workbooks import (
    SEED001_GROUPS,
    SEED002_GOALS,
    SEED003_GOALS,
    M,
    legacy_workbook,
    seed000_project,
    seed000_unit,
    seed001_common,
    seed002_other,
    seed002_unit,
    seed003_unit,
    write_rows,
)

__all__ = [
    "M",
    "fill_names",
    "insert_row_like_excel",
    "legacy_workbook",
    "seed000_project",
    "seed000_unit",
    "seed001_common",
    "seed002_other",
    "seed002_unit",
    "seed003_unit",
    "write_rows",
]


# -- workbooks ------------------------------------------------------------------------------------


def fill_names(path: Path, values: dict[str, Any], sheet: str | None = None) -> None:
    """Fill a generated workbook through its names, as a user (or a sample generator) would.

    ``values``: name → a value for single-cell names, or a list for a column name (filled from
    its first row). Scores written into 指标_得分 replace the formulas with the unit's numbers.
    """
    book = load_workbook(path)
    for name, value in values.items():
        target_sheet, ref = _resolve(book, name, sheet)
        ws = book[target_sheet]
        first = ref.split(":")[0]
        column, row = coordinate_from_string(first)
        if isinstance(value, list):
            min_col, min_row, _, max_row = range_boundaries(ref)
            assert len(value) <= max_row - min_row + 1, f"{name}: {len(value)} values for {ref}"
            # 一级 / 二级 merged over their rows: a user typing one per row first unmerges them.
            for merged in list(ws.merged_cells.ranges):
                if (
                    merged.min_col <= min_col <= merged.max_col
                    and merged.max_row >= min_row
                    and merged.min_row <= max_row
                ):
                    ws.unmerge_cells(str(merged))
            for offset, item in enumerate(value):
                ws.cell(min_row + offset, min_col).value = item
        else:
            ws[f"{column}{row}"].value = value
    book.save(path)


def _resolve(book: Any, name: str, sheet: str | None) -> tuple[str, str]:
    if sheet is not None and name in book[sheet].defined_names:
        text = book[sheet].defined_names[name].attr_text
    else:
        text = book.defined_names[name].attr_text
    target, ref = text.rsplit("!", 1)
    return target.strip("'"), ref.replace("$", "")


# -- the builders' own checks ---------------------------------------------------------------------


def test_merged_one_level_cells_span_their_rows(tmp_path):
    path = legacy_workbook(tmp_path / "seed003.xlsx", {"自评表": seed003_unit})
    ws = load_workbook(path)["自评表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A5:A6" in merged  # 预算执行情况（万元）（20分） over the header and the total row
    assert ws["C6"].value == 16728.52 and ws["E6"].number_format == "0.0%"
    # 年度目标7 reports 6 beside its label; its rows add up to 7 (the seed's deviation).
    goal7 = next(g for g in SEED003_GOALS if g[0].startswith("年度目标7"))
    assert goal7[3] == 6 and sum(item[5] for item in goal7[4]) == 7


def test_seed002_unit_goal_weights_add_up_like_the_seed():
    for goal, sections in SEED002_GOALS:
        declared = float(goal.split("（")[1].split("分")[0])
        weights = [
            float(level2.replace("(", "（").split("（")[1].split("分")[0])
            for _, items in sections
            for level2, *_ in items
        ]
        assert abs(sum(weights) - declared) < 1e-9, goal
    reported = sum(score for _, sections in SEED002_GOALS for _, items in sections for *_, score in items)
    assert abs(19.87 + reported - 94.87) < 1e-9  # the seed's 总分


def test_seed001_groups_add_up_to_96_70():
    assert abs(sum(group[2] for group in SEED001_GROUPS) - 96.70) < 1e-9
    for label, weight, subtotal, items in SEED001_GROUPS:
        assert sum(item[2] for item in items) == weight, label
        assert abs(sum(item[4] for item in items) - subtotal) < 1e-9, label


def insert_row_like_excel(path: Path, sheet: str, at: int) -> None:
    """Insert an empty row before row ``at`` and move names and merged ranges as Excel does
    (openpyxl's insert_rows moves only the cells): a range that spans ``at`` grows by one row."""
    book = load_workbook(path)
    ws = book[sheet]
    merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    for ref in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(ref))
    ws.insert_rows(at)

    def shift(row: int) -> int:
        return row + 1 if row >= at else row

    for min_row, min_col, max_row, max_col in merged:
        ws.merge_cells(
            start_row=shift(min_row), start_column=min_col, end_row=shift(max_row), end_column=max_col
        )
    scopes = [book.defined_names, *(w.defined_names for w in book.worksheets)]
    for names in scopes:
        for defined in names.values():
            target, _, ref = defined.attr_text.rpartition("!")
            if target.strip("'") != sheet:
                continue
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
            first = f"${get_column_letter(min_col)}${shift(min_row)}"
            last = f"${get_column_letter(max_col)}${shift(max_row)}"
            defined.attr_text = f"{target}!{first}" + (
                f":{last}" if (min_row, min_col) != (max_row, max_col) else ""
            )
    book.save(path)
