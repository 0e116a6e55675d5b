"""Reading the parts of an .xlsx that recalculation needs, straight from the zip.

Why not openpyxl's loader: it costs 20 ms (read-only) to 76 ms per small form, more than the whole
budget (LibreOffice needs ~0.13 s; the goal is ten times faster), and the cached values have to be
written back by byte position anyway. One regular-expression pass over each sheet's ``<sheetData>``
finds every cell, keeps constants for the evaluator and remembers where each formula cell's XML
starts and ends, so :mod:`jixiao.recalc.cached_values` can splice the results in without touching a
single other byte.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape

from jixiao.recalc.evaluator import ERROR_CODES, FormulaCell, Scalar, SheetCells, XLError, prepare

__all__ = ["CellXml", "SheetPart", "Workbook", "XlsxError", "read_workbook"]

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_WORKSHEET = "/worksheet"
_REL_SHARED_STRINGS = "/sharedStrings"

_ATTRIBUTE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"|([\w:.-]+)\s*=\s*\'([^\']*)\'')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*?)/?>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*?)/?>")
_DEFINED_NAME = re.compile(rb"<(?:\w+:)?definedName\b([^>]*)>(.*?)</(?:\w+:)?definedName>", re.S)
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
# A cell element with content (cells never nest, so the lazy match is the cell's own end); empty
# cells (<c r="B1" s="3"/>, most of a styled form) are skipped inside the regex engine. The two
# lookaheads pick r and t out of the attributes wherever they stand. Groups: 1 namespace prefix,
# 2 column letters, 3 row, 4 t, 5 all attributes, 6 content.
_CELL = re.compile(
    rb"<((?:\w+:)?)c\b"
    rb'(?=(?:[^>]*?\sr="\$?([A-Za-z]{1,3})\$?([0-9]+)")?)'
    rb'(?=(?:[^>]*?\st="(\w+)")?)'
    rb"([^>]*)(?<!/)>(.*?)</(?:\w+:)?c>",
    re.S,
)
# For files whose cells omit r: row start tags and every cell, empty ones included, to count columns.
_ROW_OR_CELL = re.compile(
    rb"<(?:\w+:)?row\b([^>]*)>|<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)",
    re.S,
)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_INLINE = re.compile(rb"<(?:\w+:)?is\b[^>]*>(.*?)</(?:\w+:)?is>", re.S)
_R_ATTR = re.compile(rb'\br="\$?([A-Za-z]{1,3})\$?([0-9]+)"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")


class XlsxError(ValueError):
    """The file is not a readable .xlsx workbook (Chinese message for the user)."""


@dataclass(frozen=True, slots=True)
class CellXml:
    """Where one formula cell's XML sits in its sheet part, and its pieces for rewriting."""

    start: int
    end: int
    prefix: bytes  # the namespace prefix of <c> ("" or e.g. "x:")
    attributes: bytes
    content: bytes


@dataclass
class SheetPart:
    name: str
    path: str | None  # zip entry of the worksheet (None for chart sheets and the like)
    cells: SheetCells
    xml: bytes = b""
    formula_xml: dict[tuple[int, int], CellXml] = field(default_factory=dict)
    #: Formula cells left alone: array formulas over several cells and data tables.
    skipped: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Workbook:
    sheets: list[SheetPart]
    names: dict[tuple[int | None, str], str]  # (sheet index or None, name) → formula text


def _attributes(raw: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTRIBUTE.finditer(raw):
        if m.group(1) is not None:
            out[m.group(1).decode()] = unescape(m.group(2).decode("utf-8"))
        else:
            out[m.group(3).decode()] = unescape(m.group(4).decode("utf-8"))
    return out


def _text(raw: bytes | None) -> str:
    """XML character data → str: entities, then the OOXML _xHHHH_ escapes for control characters."""
    if not raw:
        return ""
    text = raw.decode("utf-8")
    if "&" in text:
        text = unescape(text)
    if "_x" in text:
        text = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _rich_text(raw: bytes | None) -> str:
    """The text of an <si> or <is> element: every run's <t>, without phonetic (<rPh>) runs."""
    if not raw:
        return ""
    if b"<rPh" in raw or b":rPh" in raw:
        raw = _PHONETIC.sub(b"", raw)
    return "".join(_text(m.group(1)) for m in _TEXT.finditer(raw))


@lru_cache(maxsize=4096)
def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target))


def _relationships(archive: zipfile.ZipFile, part: str) -> list[dict[str, str]]:
    directory, name = posixpath.split(part)
    rels = posixpath.join(directory, "_rels", f"{name}.rels")
    try:
        data = archive.read(rels)
    except KeyError:
        return []
    out = []
    for m in _RELATIONSHIP.finditer(data):
        attributes = _attributes(m.group(1))
        if attributes.get("TargetMode") != "External" and "Target" in attributes:
            attributes["Target"] = _resolve(directory, attributes["Target"])
            out.append(attributes)
    return out


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for rel in _relationships(archive, ""):
        if rel.get("Type", "").endswith(_REL_OFFICE_DOCUMENT):
            return rel["Target"]
    if "xl/workbook.xml" in archive.NameToInfo:
        return "xl/workbook.xml"
    raise XlsxError("不是 Excel 工作簿（缺少 workbook.xml）")


def read_workbook(archive: zipfile.ZipFile) -> Workbook:
    """Sheets (with cells and formula positions), defined names and shared strings of an open .xlsx."""
    workbook_part = _workbook_part(archive)
    rels = {rel.get("Id"): rel for rel in _relationships(archive, workbook_part)}
    book_xml = archive.read(workbook_part)
    shared = _SharedStrings(b"")
    for rel in rels.values():
        if rel.get("Type", "").endswith(_REL_SHARED_STRINGS) and rel["Target"] in archive.NameToInfo:
            shared = _SharedStrings(archive.read(rel["Target"]))

    sheets: list[SheetPart] = []
    for m in _SHEET.finditer(book_xml):
        attributes = _attributes(m.group(1))
        # The relationship id is r:id, whatever prefix the relationships namespace got.
        rid = next((v for k, v in attributes.items() if k.endswith(":id")), None)
        rel = rels.get(rid)
        name = attributes.get("name", "")
        is_worksheet = rel is not None and rel.get("Type", "").endswith(_REL_WORKSHEET)
        path = rel["Target"] if rel is not None and is_worksheet else None
        sheets.append(SheetPart(name, path, SheetCells(name)))

    names: dict[tuple[int | None, str], str] = {}
    for m in _DEFINED_NAME.finditer(book_xml):
        attributes = _attributes(m.group(1))
        local = attributes.get("localSheetId")
        scope = int(local) if local is not None and local.isdigit() else None
        names[(scope, attributes.get("name", ""))] = _text(m.group(2))

    for sheet in sheets:
        if sheet.path is not None and sheet.path in archive.NameToInfo:
            sheet.xml = archive.read(sheet.path)
            _scan(sheet, shared)
    return Workbook(sheets, names)


def _constant(t: bytes | None, content: bytes, shared: _SharedStrings) -> Scalar:
    if t == b"inlineStr":
        m = _INLINE.search(content)
        return _rich_text(m.group(1)) if m else None
    m = _VALUE.search(content)
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
    return _text(raw)  # str, and ISO dates (t="d") kept as their text


class _SharedStrings:
    """The shared string table, each item decoded when first used (most never are)."""

    def __init__(self, xml: bytes) -> None:
        self.items: list[bytes | str | None] = [m.group(1) for m in _SHARED_ITEM.finditer(xml)]

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self.items):
            return ""
        item = self.items[index]
        if not isinstance(item, str):
            item = self.items[index] = _rich_text(item)
        return item


_ABSENT = object()


class _Constants(dict):  # type: ignore[type-arg]
    """A sheet's constant cells, kept as (t, content) XML until the evaluator reads them.

    A form has hundreds of labels and inputs and its formulas read a few dozen; converting only
    those halves the time spent reading a sheet.
    """

    def __init__(self, shared: _SharedStrings) -> None:
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
    return prepare(_text(raw))


def _cells(xml: bytes, start: int, end: int) -> Iterator[tuple[int, int, re.Match[bytes]]]:
    """(row, col, match) for every cell with content (match groups: see _CELL)."""
    found = []
    for m in _CELL.finditer(xml, start, end):
        letters = m.group(2)
        if letters is None:
            break  # a cell without r: count positions the slow way below
        found.append((int(m.group(3)), _column_number(letters), m))
    else:
        yield from found
        return
    row, col = 0, 0
    for m in _ROW_OR_CELL.finditer(xml, start, end):
        if m.group(1) is not None:
            number = _ROW_NUMBER.search(m.group(1))
            row = int(number.group(1)) if number else row + 1
            col = 0
            continue
        ref = _R_ATTR.search(m.group(2))
        if ref:
            col, row = _column_number(ref.group(1)), int(ref.group(2))
        else:
            col += 1  # cells without r follow each other (allowed by the schema)
        if m.group(3):
            yield row, col, _CELL.match(xml, m.start(), m.end())  # type: ignore[misc]


def _scan(sheet: SheetPart, shared: _SharedStrings) -> None:
    xml = sheet.xml
    values = sheet.cells.values = _Constants(shared)
    opening = _SHEET_DATA.search(xml)
    if opening is None or opening.group(1):  # no <sheetData> or an empty <sheetData/>
        return
    closing = _SHEET_DATA_END.search(xml, opening.end())
    end = closing.start() if closing else len(xml)
    formulas = sheet.cells.formulas
    masters: dict[str, tuple[int, int, FormulaCell]] = {}
    children: list[tuple[int, int, str]] = []
    for row, col, m in _cells(xml, opening.end(), end):
        content = m.group(6)
        f = _FORMULA.search(content) if (b"<f" in content or b":f" in content) else None
        if f is None:
            values[(row, col)] = (m.group(4), content)
            continue
        f_attributes = _attributes(f.group(1)) if f.group(1).strip() else {}
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
