"""Generated jixiao forms filled with seed figures through their workbook names (openpyxl).

Shared by tests/test_recalc.py and bench/bench_recalc.py: a filled form is what ``jixiao recalc``
gets in real life — a jixiao workbook whose inputs were typed in and which was saved by a program
that does not calculate (openpyxl drops every cached value on save).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from jixiao import score_indicator
from jixiao.generate.api import Request, generate
from jixiao.generate.formulas import Dialect
from jixiao.generate.layout import META_SHEET, ProjectInfo
from jixiao.rubric.model import Rubric
from test_native_libreoffice import BUDGET, EXECUTED, GOAL_SCORE, ROWS, Row

# Seed 001 (政协晋中市委员会 2020): 上年结转 14.56 + 年初预算 1086.45 − 64.60 + 0 − 执行 1031.73 = 结余 4.68.
SHANXI_INPUTS: dict[str, float | str] = {
    "上年结转": 14.56,
    "年初预算": 1086.45,
    "预算调整": "-64.60",  # a text-typed field (negative amounts fail the amount validation)
    "其他调整": 0,
    "预算执行": 1031.73,
    "年末结余": 4.68,
    "在职人员数": 41,
    "编制数": 45,
    "本年三公经费": 12.3,
    "上年三公经费": 15.1,
    "三公经费预算数": 16,
    "实际公用经费": 88.2,
    "预算公用经费": 95,
    "结转结余总额": 4.68,
    "实际采购金额": 230.5,
    "采购预算金额": 260,
    "在用固定资产": 530.2,
    "固定资产总额": 560.9,
}
AMOUNTS = ("基本支出总额", "项目支出总额", "年初预算数", "预算数")


@dataclass(frozen=True)
class FilledSheet:
    """What was typed into one form sheet (for expectations)."""

    title: str
    rows: list[Row]
    budget: float | None
    executed: float | None


def make_form(rubric: Rubric, dialect: Dialect, directory: Path, projects: int = 2) -> Path:
    """One blank workbook: project forms get ``projects`` sheets (sheet-scoped names), unit forms one."""
    infos = tuple(ProjectInfo(name=f"项目{'甲乙丙丁'[i]}") for i in range(projects))
    [path] = generate(Request(rubric, 2021, "洪山街道办事处", projects=infos, dialect=dialect), directory)
    return path


def fill_form(path: Path, out: Path, dialect: Dialect, variant: int = 0) -> list[FilledSheet]:
    """Type the seed rows and amounts into every form sheet of ``path``; save the copy as ``out``.

    Sheet k gets the seed rows rotated by k + ``variant`` and amounts scaled with it, so sheets
    (and workbooks in the benchmark) differ. Formula cells are never overwritten.
    """
    book = load_workbook(path)
    filled: list[FilledSheet] = []
    for index, ws in enumerate(ws for ws in book.worksheets if ws.title not in ("填表说明", META_SHEET)):
        shift = index + variant
        names = dict(_names_on(book, ws))
        common = "指标_参考分值" in names  # 共性指标: fixed rows, only 评价得分 is typed
        length = 0 if common else _rows_of(names.get("指标_得分"))
        rows = (ROWS[shift % len(ROWS) :] + ROWS[: shift % len(ROWS)])[: max(length - 1, 0)]
        scale = 1 + 0.137 * shift
        budget, executed = round(BUDGET * scale, 2), round(EXECUTED * scale, 2)
        _indicator_columns(ws, names, rows, dialect)
        if "执行数" in names:
            _put_amount(ws, names["预算数"], budget)
            _put_amount(ws, names["执行数"], executed)
        else:
            budget = executed = None
        for name in AMOUNTS:
            if name in names and not (name == "预算数" and budget is not None):  # 目标表: 预算数 alone
                _put_amount(ws, names[name], round(1200.5 * scale, 2))
        if "总目标得分" in names:
            _put(ws, names["总目标得分"], GOAL_SCORE - index)
        for name, value in SHANXI_INPUTS.items():
            if name in names:
                _put(ws, names[name], value)
        if common:  # the scorer's 评价得分: 90 % of each 设定分值
            for cell, weight in zip(_cells(names["指标_得分"]), _cells(names["指标_分值"]), strict=True):
                w = ws[weight].value
                if isinstance(w, (int, float)):
                    _put(ws, cell, round(w * 0.9, 2))
        filled.append(FilledSheet(ws.title, rows, budget, executed))
    book.save(out)
    return filled


def expected_points(row: Row, rubric: Rubric) -> float | str:
    """What 得分 shows for a seed row by the core (定性 and open rows: the 评定得分)."""
    if row.nature == "定性":
        return row.judged if row.judged is not None else ""
    score = score_indicator(
        f"{row.nature}{row.target}{row.unit}", f"{row.actual}{row.unit}", row.weight, rules=rubric.rule_set
    )
    return score.points if score.points is not None else ""


# --- helpers -----------------------------------------------------------------------------------------


def _names_on(book, ws: Worksheet) -> Iterator[tuple[str, str]]:
    """(name, "A1:B2") of every name whose cells are on ``ws``: sheet-scoped ones, then workbook-level."""
    seen = set()
    for name, defined in [*ws.defined_names.items(), *book.defined_names.items()]:
        if name in seen:
            continue
        for title, ref in defined.destinations:
            if title == ws.title:
                seen.add(name)
                yield name, ref.replace("$", "")


def _cells(ref: str | None) -> list[str]:
    if ref is None:
        return []
    from openpyxl.utils.cell import get_column_letter

    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return [
        f"{get_column_letter(c)}{r}" for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)
    ]


def _rows_of(ref: str | None) -> int:
    return len(_cells(ref))


def _put(ws: Worksheet, ref: str, value: object) -> None:
    cell = ws[ref.split(":")[0]]
    if isinstance(cell.value, str) and cell.value.startswith("="):
        return  # never overwrite a formula
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "="


def _put_amount(ws: Worksheet, ref: str, value: float) -> None:
    """An amount; where the named cell sums the 其中 rows below it (national layout), the first part."""
    cell = ws[ref.split(":")[0]]
    if isinstance(cell.value, str) and cell.value.startswith("="):
        # The total row sums the 其中 rows right below it: 70 % on the first, the rest on the second.
        ws.cell(cell.row + 1, cell.column).value = round(value * 0.7, 2)
        ws.cell(cell.row + 2, cell.column).value = round(value - round(value * 0.7, 2), 2)
        return
    _put(ws, ref, value)


def _indicator_columns(ws: Worksheet, names: dict[str, str], rows: list[Row], dialect: Dialect) -> None:
    def column(name: str, values: list[object]) -> None:
        ref = names.get(name)
        if ref is not None:
            # 一级 / 二级 merged over their rows: a user typing one per row first unmerges them.
            min_col, min_row, _, max_row = range_boundaries(ref)
            for merged in list(ws.merged_cells.ranges):
                if merged.min_col == min_col and merged.max_row >= min_row and merged.min_row <= max_row:
                    ws.unmerge_cells(str(merged))
        for cell, value in zip(_cells(ref), values, strict=False):
            if value is not None and value != "":
                _put(ws, cell, value)

    column("指标_一级", [r.level1 for r in rows])
    column("指标_二级", [r.level2 for r in rows])
    column("指标_三级", [r.name for r in rows])
    column("指标_分值", [r.weight for r in rows])
    column("指标_评定得分", [r.judged for r in rows])
    if dialect == "native":
        column("指标_性质", [r.nature for r in rows])
        column("指标_目标值", [r.target for r in rows])
        column("指标_单位", [r.unit for r in rows])
        column("指标_实际值", [r.actual for r in rows])
        column("指标_定性档位", [r.band for r in rows])
    else:
        # The add-in reads the written text: "≥87", "95%", "有所提升".
        column(
            "指标_目标值",
            [r.target if r.nature == "定性" else f"{r.nature}{r.target}{r.unit}" for r in rows],
        )
        column("指标_实际值", [r.actual if r.nature == "定性" else f"{r.actual}{r.unit}" for r in rows])
