"""The sheets of an .xlsx as the evaluator needs them: constants, formulas and where each formula
cell's XML sits.

One regular-expression pass over each sheet's ``<sheetData>`` (:func:`jixiao.workbook.xlsx.cell_matches`)
finds every cell, keeps constants for the evaluator and remembers where each formula cell's XML starts
and ends, so :mod:`jixiao.recalc.cached_values` can splice the results in without touching a single
other byte.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.recalc.evaluator import ERROR_CODES, FormulaCell, Scalar, SheetCells, XLError, prepare
from jixiao.workbook.xlsx import (
    FORMULA,
    INLINE,
    VALUE,
    SharedStrings,
    SheetPart,
    attributes,
    cell_matches,
    read_workbook,
    rich_text,
    shared_strings,
    sheet_sections,
    xml_text,
)

__all__ = ["CellXml", "FormulaBook", "FormulaSheet", "scan_workbook"]


@dataclass(frozen=True, slots=True)
class CellXml:
    """Where one formula cell's XML sits in its sheet part, and its pieces for rewriting."""

    start: int
    end: int
    prefix: bytes  # the namespace prefix of <c> ("" or e.g. "x:")
    attributes: bytes
    content: bytes


@dataclass
class FormulaSheet(SheetPart):
    """A worksheet with its cells read for the evaluator."""

    cells: SheetCells = field(default_factory=lambda: SheetCells(""))
    formula_xml: dict[tuple[int, int], CellXml] = field(default_factory=dict)
    #: Formula cells left alone: array formulas over several cells and data tables.
    skipped: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class FormulaBook:
    sheets: list[FormulaSheet]
    names: dict[tuple[int | None, str], str]  # (sheet index or None, name) → formula text


def scan_workbook(archive: zipfile.ZipFile) -> FormulaBook:
    """Sheets (with cells and formula positions) and defined names of an open .xlsx."""
    book = read_workbook(archive)
    shared = shared_strings(archive, book)
    sheets = [
        FormulaSheet(
            part.name, part.path, rel_type=part.rel_type, target=part.target, cells=SheetCells(part.name)
        )
        for part in book.sheets
    ]
    for sheet in sheets:
        if sheet.path is not None and sheet.path in archive.NameToInfo:
            sheet.xml = archive.read(sheet.path)
            _scan(sheet, shared)
    return FormulaBook(sheets, book.names)


def _constant(t: bytes | None, content: bytes, shared: SharedStrings) -> Scalar:
    if t == b"inlineStr":
        m = INLINE.search(content)
        return rich_text(m.group(1)) if m else None
    m = VALUE.search(content)
    if m is None or m.group(1) is None:
        return "" if t == b"str" and m is not None else None
    raw = m.group(1)
    if t is None or t == b"n":
        return float(raw)
    if t == b"s":
        return shared[int(raw)]
    if t == b"b":
        return raw.strip() in (b"1", b"true")
    if t == b"e":
        code = raw.decode("ascii", "replace").strip()
        return XLError(code if code in ERROR_CODES else "#VALUE!")
    return xml_text(raw)  # str, and ISO dates (t="d") kept as their text


_ABSENT = object()


class _Constants(dict):  # type: ignore[type-arg]
    """A sheet's constant cells, kept as (t, content) XML until the evaluator reads them.

    A form has hundreds of labels and inputs and its formulas read a few dozen; converting only
    those halves the time spent reading a sheet.
    """

    def __init__(self, shared: SharedStrings) -> None:
        super().__init__()
        self.shared = shared

    def get(self, key: object, default: object = None) -> object:
        value = dict.get(self, key, _ABSENT)
        if value is _ABSENT:
            return default
        if type(value) is tuple:
            value = _constant(value[0], value[1], self.shared)
            self[key] = value
        return value

    def __getitem__(self, key: object) -> object:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value


@lru_cache(maxsize=16384)
def _formula(raw: bytes) -> FormulaCell:
    # By the raw XML text: forms of one template repeat their formulas, escaped the same way.
    return prepare(xml_text(raw))


def _scan(sheet: FormulaSheet, shared: SharedStrings) -> None:
    xml = sheet.xml
    values = sheet.cells.values = _Constants(shared)
    # No <sheetData> or an empty <sheetData/>: start == end, no cells.
    _, start, end, _ = sheet_sections(xml)
    formulas = sheet.cells.formulas
    masters: dict[str, tuple[int, int, FormulaCell]] = {}
    children: list[tuple[int, int, str]] = []
    for row, col, m in cell_matches(xml, start, end):
        content = m.group(6)
        f = FORMULA.search(content) if (b"<f" in content or b":f" in content) else None
        if f is None:
            values[(row, col)] = (m.group(4), content)
            continue
        f_attributes = attributes(f.group(1)) if f.group(1).strip() else {}
        kind = f_attributes.get("t", "normal")
        if kind == "dataTable" or (kind == "array" and _spans_cells(f_attributes.get("ref", ""))):
            # Multi-cell array formulas and data tables are not jixiao's; keep their cached values.
            sheet.skipped.append((row, col))
            values[(row, col)] = (m.group(4), content)
            continue
        sheet.formula_xml[(row, col)] = CellXml(m.start(), m.end(), m.group(1), m.group(5), content)
        if kind == "shared":
            si = f_attributes.get("si", "")
            if f.group(2):  # the master holds the text; children only carry si
                formula = _formula(f.group(2))
                masters[si] = (row, col, formula)
                formulas[(row, col)] = formula
            else:
                children.append((row, col, si))
            continue
        formulas[(row, col)] = _formula(f.group(2) or b"")
    for row, col, si in children:
        master = masters.get(si)
        if master is None:
            # A child without its master cannot be computed: keep what the file says.
            del sheet.formula_xml[(row, col)]
            sheet.skipped.append((row, col))
            continue
        master_row, master_col, formula = master
        formulas[(row, col)] = formula.shifted(row - master_row, col - master_col)


def _spans_cells(ref: str) -> bool:
    if ":" not in ref:
        return False
    first, _, last = ref.partition(":")
    return first.replace("$", "").upper() != last.replace("$", "").upper()
