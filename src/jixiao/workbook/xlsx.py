"""Reading an .xlsx straight from the zip, with regular expressions instead of an XML parser.

Why not openpyxl's loader: it costs 20 ms (read-only) to 76 ms per small form, more than
``jixiao recalc``'s whole budget, and ``jixiao check`` reads hundreds of files. :func:`read_workbook`
gives the sheets, their parts and the defined names; :func:`cell_matches` finds every cell of a
sheet's ``<sheetData>`` in one pass (the formula scan of :mod:`jixiao.recalc.scan` builds on it);
:func:`stored_cells` gives each cell's value as it is stored — a formula cell's cached result, text
as openpyxl's ``data_only`` reading gives it — with :func:`cell_styles`, :func:`merged_ranges`,
:func:`column_widths` and :func:`core_title` for the rest of what a check needs.

No entity is ever expanded: the only entities decoded are XML's five and character references.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

__all__ = [
    "FORMULA",
    "INLINE",
    "VALUE",
    "SharedStrings",
    "SheetPart",
    "StoredStrings",
    "Workbook",
    "XlsxError",
    "attributes",
    "cell_matches",
    "cell_styles",
    "column_widths",
    "core_title",
    "last_row",
    "merged_ranges",
    "read_workbook",
    "rich_text",
    "shared_strings",
    "sheet_sections",
    "stored_cells",
    "stored_strings",
    "xml_text",
]

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_WORKSHEET = "/worksheet"
_REL_SHARED_STRINGS = "/sharedStrings"
# Where openpyxl looks for these (fixed paths, not relationships): check reads what openpyxl would.
STYLES_PART = "xl/styles.xml"
CORE_PART = "docProps/core.xml"

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
FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
INLINE = re.compile(rb"<(?:\w+:)?is\b[^>]*>(.*?)</(?:\w+:)?is>", re.S)
_PLAIN_INLINE = re.compile(rb"<is><t>([^<]*)</t></is>")
_R_ATTR = re.compile(rb'\br="\$?([A-Za-z]{1,3})\$?([0-9]+)"')
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_XML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);")
_STYLE_ATTR = re.compile(rb'\ss="([^"]*)"')
_WORKBOOK_PR = re.compile(rb"<(?:\w+:)?workbookPr\b([^>]*?)/?>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?cellXfs>)", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*?)/?>")
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*?)/?>")
_NUM_FMT_ID = re.compile(rb"""\snumFmtId\s*=\s*["']([^"']*)["']""")
_TITLE = re.compile(rb"<(?:\w+:)?title\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?title>)", re.S)
# What follows the cell data: merged ranges; what precedes it: column widths.
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Za-z]{1,3})(\d+)(?::([A-Za-z]{1,3})(\d+))?"')
_COL = re.compile(rb"<(?:\w+:)?col\s([^>]*)/?>")
_COL_ATTR = re.compile(rb'(\w+)="([^"]*)"')


class XlsxError(ValueError):
    """The file is not a readable .xlsx workbook (Chinese message for the user)."""


@dataclass
class SheetPart:
    name: str
    path: str | None  # zip entry of the worksheet (None for chart sheets and the like)
    xml: bytes = b""  # the part's text, once a reader has read it
    #: The sheet's relationship: its type (…/worksheet, …/chartsheet) and target part, whatever it is.
    rel_type: str = ""
    target: str | None = None


@dataclass
class Workbook:
    sheets: list[SheetPart]
    names: dict[tuple[int | None, str], str]  # (sheet index or None, name) → formula text
    date1904: bool = False
    strings_part: str | None = None  # zip entry of the shared string table


def attributes(raw: bytes) -> dict[str, str]:
    """The attributes of a start tag's raw text, entities decoded."""
    return dict(_attribute_pairs(raw))


@lru_cache(maxsize=4096)
def _attribute_pairs(raw: bytes) -> tuple[tuple[str, str], ...]:
    # Cached by the raw text: the files of one template repeat their sheets, names and relationships.
    out = []
    for m in _ATTRIBUTE.finditer(raw):
        if m.group(1) is not None:
            out.append((m.group(1).decode(), unescape(m.group(2).decode("utf-8"))))
        else:
            out.append((m.group(3).decode(), unescape(m.group(4).decode("utf-8"))))
    return tuple(out)


def xml_text(raw: bytes | None, escapes: bool = True) -> str:
    """XML character data → str: line ends as an XML parser reports them, entities, then (unless
    ``escapes`` is false, as openpyxl reads) the OOXML _xHHHH_ escapes for control characters."""
    if not raw:
        return ""
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        if not escapes and "&" in _XML_ENTITY.sub("", text):
            raise XlsxError("XML 中有未定义的实体")  # an XML parser would refuse the part
        text = unescape(text)
    if escapes and "_x" in text:
        text = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def rich_text(raw: bytes | None, escapes: bool = True) -> str:
    """The text of an <si> or <is> element: every run's <t>, without phonetic (<rPh>) runs."""
    if not raw:
        return ""
    if b"<rPh" in raw or b":rPh" in raw:
        raw = _PHONETIC.sub(b"", raw)
    return "".join(xml_text(m.group(1), escapes) for m in _TEXT.finditer(raw))


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
        found = attributes(m.group(1))
        if found.get("TargetMode") != "External" and "Target" in found:
            found["Target"] = _resolve(directory, found["Target"])
            out.append(found)
    return out


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for rel in _relationships(archive, ""):
        if rel.get("Type", "").endswith(_REL_OFFICE_DOCUMENT):
            return rel["Target"]
    if "xl/workbook.xml" in archive.NameToInfo:
        return "xl/workbook.xml"
    raise XlsxError("不是 Excel 工作簿（缺少 workbook.xml）")


def read_workbook(archive: zipfile.ZipFile) -> Workbook:
    """Sheets (names and parts), defined names and date system of an open .xlsx: the workbook part
    only; a reader then reads the sheets it wants (see :func:`stored_cells`)."""
    workbook_part = _workbook_part(archive)
    rels = {rel.get("Id"): rel for rel in _relationships(archive, workbook_part)}
    book_xml = archive.read(workbook_part)
    strings_part = None
    for rel in rels.values():
        if rel.get("Type", "").endswith(_REL_SHARED_STRINGS) and rel["Target"] in archive.NameToInfo:
            strings_part = rel["Target"]

    sheets: list[SheetPart] = []
    for m in _SHEET.finditer(book_xml):
        found = attributes(m.group(1))
        # The relationship id is r:id, whatever prefix the relationships namespace got.
        rid = next((v for k, v in found.items() if k.endswith(":id")), None)
        rel = rels.get(rid)
        name = found.get("name", "")
        rel_type = rel.get("Type", "") if rel is not None else ""
        target = rel["Target"] if rel is not None else None
        path = target if rel_type.endswith(_REL_WORKSHEET) else None
        sheets.append(SheetPart(name, path, rel_type=rel_type, target=target))

    names: dict[tuple[int | None, str], str] = {}
    for m in _DEFINED_NAME.finditer(book_xml):
        found = attributes(m.group(1))
        local = found.get("localSheetId")
        scope = int(local) if local is not None and local.isdigit() else None
        names[(scope, found.get("name", ""))] = xml_text(m.group(2))

    properties = _WORKBOOK_PR.search(book_xml)
    date1904 = attributes(properties.group(1)).get("date1904", "") if properties else ""
    return Workbook(sheets, names, date1904 not in ("", "false", "f", "0"), strings_part)


def shared_strings(archive: zipfile.ZipFile, book: Workbook) -> SharedStrings:
    """The shared string table as a calculating reader sees it (escapes decoded)."""
    return SharedStrings(archive.read(book.strings_part) if book.strings_part else b"")


class SharedStrings:
    """The shared string table, each item decoded when first used (most never are)."""

    def __init__(self, xml: bytes) -> None:
        self.items: list[bytes | str | None] = [m.group(1) for m in _SHARED_ITEM.finditer(xml)]

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self.items):
            return ""
        item = self.items[index]
        if not isinstance(item, str):
            item = self.items[index] = rich_text(item)
        return item


class StoredStrings(SharedStrings):
    """The shared string table as openpyxl reads it, for ``jixiao check``.

    openpyxl leaves _xHHHH_ escapes as written (dropping only "x005F_") and indexes the table as a
    list: a bad index raises, as it does there.
    """

    def __init__(self, xml: bytes) -> None:
        super().__init__(xml)
        self.memo: dict[tuple[bytes | None, bytes], object] = {}  # see stored_cells

    def __getitem__(self, index: int) -> str:
        item = self.items[index]
        if not isinstance(item, str):
            item = self.items[index] = rich_text(item, escapes=False).replace("x005F_", "")
        return item


def stored_strings(archive: zipfile.ZipFile, book: Workbook) -> StoredStrings:
    return StoredStrings(archive.read(book.strings_part) if book.strings_part else b"")


_ABSENT = object()


def cell_matches(xml: bytes, start: int, end: int) -> Iterator[tuple[int, int, re.Match[bytes]]]:
    """(row, col, match) for every cell with content, in document order (match groups: see _CELL).

    Lazy, so a reader can stop early. Cells name their place (r="B7") in every file Excel, WPS,
    LibreOffice or openpyxl writes; from the first that does not, positions are counted instead:
    rows from <row r>, columns one after another.
    """
    for m in _CELL.finditer(xml, start, end):
        letters = m.group(2)
        if letters is None:
            first = m.start()
            break
        yield int(m.group(3)), _column_number(letters), m
    else:
        return
    # Count positions from the start (cells before the first one without r were already given).
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
        if m.group(3) and m.start() >= first:
            yield row, col, _CELL.match(xml, m.start(), m.end())  # type: ignore[misc]


def sheet_sections(xml: bytes) -> tuple[bytes, int, int, bytes]:
    """(what precedes <sheetData>, start and end of the cell data, what follows it).

    A sheet without <sheetData> has nothing: (b"", 0, 0, b"").
    """
    opening = _SHEET_DATA.search(xml)
    if opening is None:
        return b"", 0, 0, b""
    if opening.group(1):  # an empty <sheetData/>
        return xml[: opening.start()], opening.end(), opening.end(), xml[opening.end() :]
    closing = _SHEET_DATA_END.search(xml, opening.end())
    if closing is None:
        return xml[: opening.start()], opening.end(), len(xml), b""
    return xml[: opening.start()], opening.end(), closing.start(), xml[closing.end() :]


# -- what jixiao check reads -------------------------------------------------------------------


StoredValue = str | bool | int | float | None


def stored_cells(
    xml: bytes, start: int, end: int, strings: StoredStrings
) -> Iterator[tuple[int, int, int, bytes | None, StoredValue]]:
    """(row, col, style index, t, value) of every cell with content, lazily, in document order.

    The value is what the file stores, typed as openpyxl's ``data_only`` reading types it: a formula
    cell's cached result (None when it has none), numbers as int or float by their text, shared and
    inline strings, booleans, error codes as text ("#DIV/0!"). Dates stay numbers (t="d": ISO
    text); the style index says which to read as dates (see :func:`cell_styles`).
    """
    memo = strings.memo
    for row, col, m in cell_matches(xml, start, end):
        t, content = m.group(4), m.group(6)
        style = _STYLE_ATTR.search(m.group(5))
        # Forms repeat their labels from sheet to sheet: each distinct cell is converted once.
        value = memo.get((t, content), _ABSENT)
        if value is _ABSENT:
            value = memo[(t, content)] = _stored(t, content, strings)
        yield row, col, int(style.group(1)) if style and style.group(1) else 0, t, value  # type: ignore[misc]


def _stored(t: bytes | None, content: bytes, strings: StoredStrings) -> StoredValue:
    if t == b"inlineStr":
        m = _PLAIN_INLINE.fullmatch(content)
        if m:  # one run of plain text, as most writers write it
            return xml_text(m.group(1), escapes=False)
        m = INLINE.search(content)
        return rich_text(m.group(1), escapes=False) if m else None
    m = VALUE.search(content)
    if m is None or not m.group(1):
        return None
    text = xml_text(m.group(1), escapes=False)
    if not text:
        return None
    if t is None or t == b"n":
        return float(text) if ("." in text or "E" in text or "e" in text) else int(text)
    if t == b"s":
        return strings[int(text)]
    if t == b"b":
        return bool(int(text))
    return text  # str, e (the error code), d (ISO date text)


def cell_styles(archive: zipfile.ZipFile) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
    """The number format id of each cell style (the cells' s="…" index), and the file's own formats
    as (id, format code) pairs.

    Read from xl/styles.xml, where openpyxl reads it; raises :class:`XlsxError` when the file has no
    cell styles (openpyxl then falls back on its own defaults).
    """
    try:
        xml = archive.read(STYLES_PART)
    except KeyError:
        raise XlsxError("没有样式表") from None
    return _cell_styles(xml)


@lru_cache(maxsize=32)
def _cell_styles(xml: bytes) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
    # Cached by the part's text: the files of one template share their style sheet.
    start = xml.find(b"cellXfs")
    xfs = _CELL_XFS.search(xml, max(start - 16, 0)) if start >= 0 else None
    ids = []
    for m in _XF.finditer(xfs.group(1) or b"") if xfs else ():
        number = _NUM_FMT_ID.search(m.group(1))
        ids.append(int(number.group(1)) if number else 0)
    if not ids:
        raise XlsxError("样式表中没有单元格样式")
    custom = []
    for m in _NUM_FMT.finditer(xml):
        found = attributes(m.group(1))
        custom.append((int(found["numFmtId"]), found.get("formatCode", "")))
    return tuple(ids), tuple(custom)


def merged_ranges(tail: bytes, limit: int) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of the first ``limit`` merged ranges, as written
    (what follows a sheet's cell data, see :func:`sheet_sections`)."""
    merged = []
    for m in _MERGE.finditer(tail):
        if len(merged) >= limit:
            break
        first_col, first_row = _column_number(m.group(1)), int(m.group(2))
        if m.group(3) is None:
            merged.append((first_row, first_col, first_row, first_col))
        else:
            merged.append((first_row, first_col, int(m.group(4)), _column_number(m.group(3))))
    return merged


def column_widths(head: bytes, max_col: int) -> dict[int, float]:
    """Column → width from the <col> elements (what precedes a sheet's cell data), up to ``max_col``."""
    widths: dict[int, float] = {}
    for m in _COL.finditer(head):
        attrs = {k.decode(): v.decode("ascii", "replace") for k, v in _COL_ATTR.findall(m.group(1))}
        try:
            first, last, width = int(attrs["min"]), int(attrs["max"]), float(attrs["width"])
        except (KeyError, ValueError):
            continue
        for col in range(first, min(last, max_col) + 1):
            widths[col] = width
    return widths


def core_title(archive: zipfile.ZipFile) -> str | None:
    """The document title (docProps/core.xml, where openpyxl reads it), or None."""
    try:
        xml = archive.read(CORE_PART)
    except KeyError:
        return None
    m = _TITLE.search(xml)
    return xml_text(m.group(1), escapes=False) if m and m.group(1) else None


def last_row(xml: bytes, start: int, end: int) -> int:
    """The highest row number among the <row> elements between ``start`` and ``end``."""
    row = highest = 0
    for m in _ROW_TAG.finditer(xml, start, end):
        number = _ROW_NUMBER.search(m.group(1))
        row = int(number.group(1)) if number else row + 1
        highest = max(highest, row)
    return highest
