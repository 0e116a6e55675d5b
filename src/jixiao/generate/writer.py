"""Layout → .xlsx with XlsxWriter: formats, merges, names, validations, protection, print setup.

User text is always written as text (a project name starting with "=" never becomes a formula);
the file is written to a temporary name beside the target and renamed into place.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellBlankTuple, CellStringTuple, Worksheet

from jixiao.generate.layout import Cell, SheetLayout, WorkbookLayout
from jixiao.workbook.contract import INSTRUCTIONS_SHEET, META_SHEET, RULES_NAME
from jixiao.workbook.files import replace_atomically
from jixiao.workbook.refs import area, cell, quote_sheet

BODY_FONT = "宋体"
INPUT_FONT = "仿宋"
INPUT_FILL = "#FFF9DB"
LABEL_FILL = "#F2F2F2"
HEADER_FILL = "#DDEBF7"

_BORDERED = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": BODY_FONT, "font_size": 10}

ROLE_FORMATS: dict[str, dict[str, Any]] = {
    "title": {"font_name": BODY_FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"},
    "subtitle": {"font_name": BODY_FONT, "font_size": 10, "align": "left", "valign": "vcenter"},
    "section": {**_BORDERED, "bold": True, "align": "left", "bg_color": LABEL_FILL},
    "label": {**_BORDERED, "align": "center", "bg_color": LABEL_FILL},
    "header": {**_BORDERED, "bold": True, "align": "center", "bg_color": HEADER_FILL},
    "input_text": {**_BORDERED, "font_name": INPUT_FONT, "locked": False, "bg_color": INPUT_FILL},
    "input_amount": {
        **_BORDERED,
        "font_name": INPUT_FONT,
        "locked": False,
        "bg_color": INPUT_FILL,
        "num_format": "#,##0.00",
        "align": "right",
    },
    "input_number": {
        **_BORDERED,
        "font_name": INPUT_FONT,
        "locked": False,
        "bg_color": INPUT_FILL,
        "num_format": "General",
        "align": "center",
    },
    "input_percent": {
        **_BORDERED,
        "font_name": INPUT_FONT,
        "locked": False,
        "bg_color": INPUT_FILL,
        "num_format": "0.00%",
        "align": "center",
    },
    "input_integer": {
        **_BORDERED,
        "font_name": INPUT_FONT,
        "locked": False,
        "bg_color": INPUT_FILL,
        "num_format": "0",
        "align": "center",
    },
    "formula_number": {**_BORDERED, "num_format": "0.00", "align": "center"},
    "formula_percent": {**_BORDERED, "num_format": "0.00%", "align": "center"},
    "formula_text": {**_BORDERED, "align": "center", "bold": True},
    "fixed_text": {**_BORDERED, "align": "left"},
    "fixed_number": {**_BORDERED, "num_format": "General", "align": "center"},
    "total": {**_BORDERED, "bold": True, "num_format": "0.00", "align": "center"},
    "note": {"font_name": BODY_FONT, "font_size": 10, "text_wrap": True, "valign": "top"},
}
CONDITIONAL_FORMATS = {
    "warning": {"bg_color": "#FCE4D6", "font_color": "#9C3D00"},
    "problem": {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True},
}


_PREPARER = Worksheet()  # _prepare_formula reads no worksheet state; any instance will do


class _FormWorksheet(Worksheet):
    """The same validation and conditional-format formulas recur on every sheet of a workbook, and
    XlsxWriter scans each one against its whole future-function list; the scan is a pure function
    of the text, so it is memoised (a fifth of the time of a 1,000-sheet workbook)."""

    @staticmethod
    @lru_cache(maxsize=4096)
    def _prepared(formula: str, expand_future_functions: bool) -> str:
        return Worksheet._prepare_formula(_PREPARER, formula, expand_future_functions)

    def _prepare_formula(self, formula, expand_future_functions=False):  # type: ignore[override]
        return self._prepared(formula, bool(expand_future_functions))

    def _write_cell(self, row, col, cell):  # type: ignore[override]
        # Three cells in four of a form are formatted blanks (the padding of merged ranges, empty
        # inputs) and most others shared strings: write their elements directly, byte for byte
        # what XlsxWriter's generic path writes (<c r="B3" s="5"/>, <c r="B3" s="5" t="s"><v>7</v></c>)
        # without its attribute list and escaping, which an A1 reference and integers never need.
        # A sixth of the time of writing a 1,000-sheet workbook.
        kind = cell.__class__
        if cell.format is not None:
            if kind is CellBlankTuple:
                self.fh.write(
                    f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"/>'
                )
                return
            if kind is CellStringTuple and not self.constant_memory:
                self.fh.write(
                    f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}" t="s">'
                    f"<v>{cell.string}</v></c>"
                )
                return
        super()._write_cell(row, col, cell)


class _JixiaoWorkbook(Workbook):
    """XlsxWriter writes fullCalcOnLoad; Excel should also recalculate before every save."""

    worksheet_class = _FormWorksheet

    def _write_calc_pr(self) -> None:
        self._xml_empty_tag(
            "calcPr", [("calcId", self.calc_id), ("calcOnSave", "1"), ("fullCalcOnLoad", "1")]
        )


class Formats(dict):
    """One XlsxWriter format per role, made when first used (a plain dict lookup per cell after that)."""

    def __init__(self, workbook: Workbook):
        super().__init__()
        self._workbook = workbook

    def __missing__(self, role: str) -> Any:
        options = ROLE_FORMATS.get(role) or CONDITIONAL_FORMATS[role]
        made = self[role] = self._workbook.add_format(options)
        return made


def _write_cell(ws: Worksheet, item: Cell, fmt: Any) -> None:
    # Called for every cell of every form (80 % of them blank padding of merged ranges): the
    # worksheet's undecorated writers skip XlsxWriter's A1-notation argument check, which the
    # integer coordinates here never need.
    row, col, value = item.row, item.col, item.value
    last_row = item.last_row or row
    last_col = item.last_col or col
    merged = last_row != row or last_col != col
    if merged:
        ws.merge_range(row, col, last_row, last_col, None, fmt)
    if item.formula:
        ws._write_formula(row, col, item.formula, fmt, item.cached)
    elif isinstance(value, str):
        ws._write_string(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws._write_number(row, col, float(value), fmt)
    elif not merged:
        ws._write_blank(row, col, None, fmt)


@lru_cache(maxsize=4096)
def _absolute_area(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    """A name's range; the same few dozen recur on every sheet of a workbook."""
    return area(first_row, first_col, last_row, last_col, absolute=True)


def _validation_options(v) -> dict[str, Any]:
    options: dict[str, Any] = {"ignore_blank": True}
    if v.kind == "list":
        options.update({"validate": "list", "source": v.source or list(v.values)})
    elif v.kind in ("decimal", "integer"):
        options.update(
            {"validate": v.kind, "criteria": "between", "minimum": v.minimum, "maximum": v.maximum}
        )
    else:
        options.update({"validate": "custom", "value": v.formula})
    if v.input_message:
        options["input_title"] = v.input_title[:32]
        options["input_message"] = v.input_message[:255]
    if v.error_message:
        options["error_title"] = v.error_title[:32]
        options["error_message"] = v.error_message[:255]
        options["error_type"] = v.error_type
    else:
        options["show_error"] = False
    return options


def _write_form(
    workbook: Workbook, formats: Formats, sheet: SheetLayout, *, scoped: bool, password: str | None
) -> None:
    ws = workbook.add_worksheet(sheet.name)
    for index, width in enumerate(sheet.column_widths):
        ws.set_column(index, index, width)
    for row, height in sheet.row_heights.items():
        ws.set_row(row, height)
    for item in sheet.cells:
        _write_cell(ws, item, formats[item.role])
    for v in sheet.validations:
        ws.data_validation(v.first_row, v.first_col, v.last_row, v.last_col, _validation_options(v))
    for c in sheet.conditional_formats:
        ws.conditional_format(
            c.first_row,
            c.first_col,
            c.last_row,
            c.last_col,
            {"type": "formula", "criteria": c.formula, "format": formats[c.role]},
        )
    quoted = quote_sheet(sheet.name)
    for named in sheet.names:
        defined = f"{quoted}!{named.name}" if scoped else named.name
        ref = _absolute_area(named.first_row, named.first_col, named.last_row, named.last_col)
        workbook.define_name(defined, f"={quoted}!{ref}")
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    if sheet.repeat_rows:
        ws.repeat_rows(*sheet.repeat_rows)
    ws.print_area(0, 0, max(sheet.rows - 1, 0), sheet.width - 1)
    ws.protect(
        password or "",
        {
            "insert_rows": True,
            "delete_rows": False,
            "format_columns": True,
            "format_rows": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )


def _write_instructions(workbook: Workbook, layout: WorkbookLayout) -> None:
    ws = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 110)
    title = workbook.add_format(ROLE_FORMATS["title"] | {"align": "left"})
    body = workbook.add_format({"font_name": BODY_FONT, "font_size": 11, "text_wrap": True, "valign": "top"})
    ws.write_string(0, 0, layout.instructions_title, title)
    ws.set_row(0, 30)
    for index, line in enumerate(layout.instructions, start=2):
        ws.write_string(index, 0, line, body)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True})


def _write_meta(workbook: Workbook, layout: WorkbookLayout) -> None:
    ws = workbook.add_worksheet(META_SHEET)
    for row, (key, value) in enumerate(layout.meta):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, layout.rules_json if key == "rules" else value)
        if key == "rules":
            workbook.define_name(RULES_NAME, f"={quote_sheet(META_SHEET)}!{cell(row, 1, absolute=True)}")
    for offset, (name, values) in enumerate(layout.lists.items()):
        col = 3 + offset
        ws.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            ws.write_string(row, col, value)
        workbook.define_name(
            name, f"={quote_sheet(META_SHEET)}!{area(1, col, len(values), col, absolute=True)}"
        )
    ws.protect("")
    ws.very_hidden()


def write_workbook(
    layout: WorkbookLayout,
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the workbook atomically; refuses to replace an existing file unless ``overwrite``."""
    target = Path(path)
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} 已存在；如确需覆盖，请加 --overwrite")
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(temporary: str) -> None:
        workbook = _JixiaoWorkbook(
            temporary,
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "in_memory": True,  # no temporary file per XML part
            },
        )
        workbook.set_properties(
            {"title": layout.instructions_title, "author": "jixiao", "comments": "由 jixiao 生成"}
        )
        formats = Formats(workbook)
        scoped = len(layout.forms) > 1
        for sheet in layout.forms:
            _write_form(workbook, formats, sheet, scoped=scoped, password=password)
        _write_instructions(workbook, layout)
        _write_meta(workbook, layout)
        workbook.worksheets()[0].activate()
        workbook.close()

    replace_atomically(write, target, overwrite=overwrite)
    return target
