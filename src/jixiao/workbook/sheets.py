"""Worksheets as bounded grids of values: the edge both readers share.

Sheets are read in openpyxl's read-only (streaming) mode so that a sheet with a million rows costs
no more than its first few thousand: reading stops after :data:`MAX_ROWS` rows with content (the
sheet is then reported as too large) or after a long run of empty rows. Read-only mode does not
give merged ranges or column widths, so those are scanned from the sheet's XML text directly —
with a regular expression over a bounded stream, never an XML parser (no entity can be expanded).

jixiao workbooks are read without openpyxl, several times faster: :class:`StoredBook` takes the
cells from :mod:`jixiao.workbook.xlsx`'s zip/regex parser (the one ``jixiao recalc`` uses), typed as
openpyxl's ``data_only`` reading types them, and :meth:`StoredBook.grid` applies the same bounds,
so both ways give the same :class:`Grid`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    BUILTIN_FORMATS_REVERSE,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from jixiao.core.scoring import to_number
from jixiao.workbook import xlsx
from jixiao.workbook.cells import display, label_key

MAX_ROWS = 5_000  # rows with content per sheet; a form has at most a few hundred
MAX_SCAN_ROWS = 50_000  # physical rows looked at, content or not
MAX_COLS = 80
TRAILING_EMPTY = 2_000  # this many empty rows after the last content: the sheet has ended
MAX_MERGED = 20_000
_TAIL_BYTES = 8 * 1024 * 1024  # what follows </sheetData> (merged ranges …) is small

_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\s*/>|<(?:\w+:)?sheetData[\s>]")
_SHEET_DATA_END = re.compile(rb"<(?:\w+:)?sheetData\s*/>|</(?:\w+:)?sheetData>")

Cell = tuple[int, int]


class SheetTooLarge(Exception):
    """A sheet with more rows than a form can have (the message is Chinese, for the user)."""


@dataclass(frozen=True)
class BasicStyle:
    """What the review copy keeps of a cell's look."""

    font_name: str | None = None
    font_size: float | None = None
    bold: bool = False
    italic: bool = False
    font_color: str | None = None
    fill: str | None = None
    border: bool = False
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    number_format: str = "General"


@dataclass
class Grid:
    """One sheet's values, 1-based (row, column) like openpyxl; merged cells read as their anchor."""

    title: str
    values: dict[Cell, Any]
    formats: dict[Cell, str]
    anchors: dict[Cell, Cell]  # every non-anchor cell of a merged range → its anchor
    merged: list[tuple[int, int, int, int]]  # (min_row, min_col, max_row, max_col)
    n_rows: int
    n_cols: int
    widths: dict[int, float] = field(default_factory=dict)
    styles: dict[Cell, BasicStyle] | None = None

    def anchor(self, row: int, col: int) -> Cell:
        return self.anchors.get((row, col), (row, col))

    def value(self, row: int, col: int) -> Any:
        return self.values.get(self.anchor(row, col))

    def number_format(self, row: int, col: int) -> str:
        return self.formats.get(self.anchor(row, col), "General")

    def address(self, row: int, col: int) -> str:
        r, c = self.anchor(row, col)
        return f"{get_column_letter(c)}{r}"

    def text(self, row: int, col: int) -> str:
        return display(self.value(row, col), self.number_format(row, col))

    def key(self, row: int, col: int) -> str:
        return label_key(self.value(row, col))

    def number(self, row: int, col: int) -> float | None:
        return as_number(self.value(row, col))

    def is_tail(self, row: int, col: int) -> bool:
        """A merged cell other than its range's anchor (its value is the anchor's)."""
        return (row, col) in self.anchors

    def labels(self, row: int) -> list[tuple[int, str]]:
        """(column, label key) of the row's non-empty text cells, each merged range once."""
        found = []
        for col in range(1, self.n_cols + 1):
            if self.is_tail(row, col):
                continue
            value = self.values.get((row, col))
            if isinstance(value, str):
                key = label_key(value)
                if key:
                    found.append((col, key))
        return found

    def after(self, row: int, col: int) -> int:
        """The column just right of the merged range (row, col) belongs to."""
        start = self.anchor(row, col)
        c = col + 1
        while c <= self.n_cols and self.anchor(row, c) == start:
            c += 1
        return c

    def right_of(self, row: int, col: int) -> int | None:
        """The first non-empty cell right of a label, past the label's own merged range."""
        start = self.anchor(row, col)
        for c in range(col + 1, self.n_cols + 1):
            if self.anchor(row, c) == start:
                continue
            if self.value(row, c) not in (None, ""):
                return c
        return None


# -- cell values ------------------------------------------------------------------------------


def as_number(value: object) -> float | None:
    """A score or amount as a number: 17.6, "17.6", "4,591.73", "18分"; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return to_number(value, "数值")
    except ValueError:
        return None


def percent_decimals(number_format: str) -> int | None:
    """Decimals a percentage format shows: "0.00%" → 2, "0%" → 0; None when not a percentage."""
    if "%" not in number_format:
        return None
    match = re.search(r"0\.(0+)%", number_format)
    return len(match.group(1)) if match else 0


_RATE_TEXT = re.compile(r"^(-?\d+(?:\.(\d+))?)%$")


def rate_of(value: object, number_format: str = "General") -> tuple[float | None, int | None]:
    """A reported 执行率 as (fraction, decimals shown as a percentage): 0.982 in a "0.00%" cell →
    (0.982, 2); the text "87.9%" → (0.879, 1); 98.2 typed in a plain cell → (0.982, 1)."""
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, (int, float)):
        decimals = percent_decimals(number_format)
        if decimals is not None:
            return float(value), decimals
        if abs(value) > 2:  # a percentage typed as a plain number
            return float(value) / 100, None
        return float(value), None
    if isinstance(value, str):
        match = _RATE_TEXT.match(label_key(value))
        if match:
            return float(match.group(1)) / 100, len(match.group(2) or "")
        number = as_number(value)
        if number is not None:
            return (number / 100 if abs(number) > 2 else number), None
    return None, None


def scoring_value(value: object, number_format: str = "General") -> object:
    """A target or actual as the scoring core should see it: numbers stay numbers (the core knows a
    cell showing 95% holds 0.95) unless the format says percent, text is shown text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return display(value, number_format) if "%" in number_format else float(value)
    return display(value, number_format)


# -- loading ----------------------------------------------------------------------------------


def load_grid(sheet: Any, archive: zipfile.ZipFile | None, *, styles: bool = False) -> Grid:
    """Read a read-only openpyxl worksheet into a :class:`Grid`; raises :class:`SheetTooLarge`."""
    values: dict[Cell, Any] = {}
    formats: dict[Cell, str] = {}
    looks: dict[Cell, BasicStyle] | None = {} if styles else None
    style_cache: dict[int, BasicStyle] = {}
    content_rows = 0
    last_content = 0
    row_index = 0
    n_cols = 0
    for row_index, row in enumerate(
        sheet.iter_rows(min_row=1, max_row=MAX_SCAN_ROWS, max_col=MAX_COLS), start=1
    ):
        has_content = False
        for col_index, cell in enumerate(row, start=1):
            value = cell.value
            if looks is not None and getattr(cell, "has_style", False):
                looks[(row_index, col_index)] = _style_of(cell, style_cache)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            has_content = True
            values[(row_index, col_index)] = value
            n_cols = max(n_cols, col_index)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                number_format = cell.number_format or "General"
                if number_format != "General":
                    formats[(row_index, col_index)] = number_format
        if has_content:
            content_rows += 1
            last_content = row_index
            if content_rows > MAX_ROWS:
                raise SheetTooLarge(f"表格过大：超过 {MAX_ROWS} 行有内容，不像一张绩效自评表，未检查")
        elif row_index - last_content > TRAILING_EMPTY:
            break
    if row_index >= MAX_SCAN_ROWS and last_content > MAX_SCAN_ROWS - TRAILING_EMPTY:
        # Content still turning up at the scan limit: a sheet this long is not a form.
        raise SheetTooLarge(f"表格过大：超过 {MAX_SCAN_ROWS} 行，未检查")
    merged, widths = _xml_extras(sheet, archive)
    return _grid(sheet.title, values, formats, last_content, n_cols, merged, widths, looks)


def _grid(
    title: str,
    values: dict[Cell, Any],
    formats: dict[Cell, str],
    n_rows: int,
    n_cols: int,
    merged: list[tuple[int, int, int, int]],
    widths: dict[int, float],
    looks: dict[Cell, BasicStyle] | None = None,
) -> Grid:
    anchors: dict[Cell, Cell] = {}
    kept: list[tuple[int, int, int, int]] = []
    for min_row, min_col, max_row, max_col in merged:
        # Clip to what was read: a hostile A1:XFD1048576 must not expand to billions of cells.
        max_row, max_col = min(max_row, n_rows), min(max_col, MAX_COLS)
        if min_row > max_row or min_col > max_col:
            continue
        kept.append((min_row, min_col, max_row, max_col))
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    anchors[(r, c)] = (min_row, min_col)
        n_cols = max(n_cols, max_col)
    if looks is not None:
        looks = {
            cell: look for cell, look in looks.items() if cell[0] <= n_rows and cell[1] <= max(n_cols, 1)
        }
    return Grid(title, values, formats, anchors, kept, n_rows, n_cols, widths, looks)


def _style_of(cell: Any, cache: dict[int, BasicStyle]) -> BasicStyle:
    style_id = getattr(cell, "_style_id", None)
    if style_id is not None and style_id in cache:
        return cache[style_id]
    font, fill, border, alignment = cell.font, cell.fill, cell.border, cell.alignment
    sides = (border.left, border.right, border.top, border.bottom) if border is not None else ()
    look = BasicStyle(
        font_name=font.name if font is not None else None,
        font_size=float(font.sz) if font is not None and font.sz else None,
        bold=bool(font is not None and font.b),
        italic=bool(font is not None and font.i),
        font_color=_rgb(font.color) if font is not None else None,
        fill=_rgb(fill.fgColor) if fill is not None and getattr(fill, "fill_type", None) == "solid" else None,
        border=any(side is not None and side.style for side in sides),
        horizontal=alignment.horizontal if alignment is not None else None,
        vertical=alignment.vertical if alignment is not None else None,
        wrap=bool(alignment is not None and alignment.wrap_text),
        number_format=cell.number_format or "General",
    )
    if style_id is not None:
        cache[style_id] = look
    return look


def _rgb(color: Any) -> str | None:
    if color is None or getattr(color, "type", None) != "rgb":
        return None
    rgb = color.rgb
    return rgb if isinstance(rgb, str) and re.fullmatch(r"[0-9A-Fa-f]{6,8}", rgb) else None


def _xml_extras(
    sheet: Any, archive: zipfile.ZipFile | None
) -> tuple[list[tuple[int, int, int, int]], dict[int, float]]:
    """Merged ranges and column widths, scanned from the sheet XML without parsing it."""
    path = getattr(sheet, "_worksheet_path", None)
    if archive is None or not path:
        return [], {}
    head, tail = _split_sheet_xml(archive, path.lstrip("/"))
    return xlsx.merged_ranges(tail, MAX_MERGED), xlsx.column_widths(head, MAX_COLS)


def _split_sheet_xml(archive: zipfile.ZipFile, path: str) -> tuple[bytes, bytes]:
    """What precedes <sheetData> (column widths) and what follows it (merged ranges).

    The cell data between them is streamed past, keeping only enough bytes for a tag split
    across two chunks, so memory stays small whatever the sheet's size.
    """
    head: bytes | None = None
    buffer = b""
    with archive.open(path) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            buffer += chunk
            if head is None:
                start = _SHEET_DATA.search(buffer)
                if start is None:
                    if len(buffer) > _TAIL_BYTES:
                        return b"", b""  # no cell data where a sheet has it: nothing to scan
                    continue
                head, buffer = buffer[: start.start()], buffer[start.start() :]
            end = _SHEET_DATA_END.search(buffer)
            if end is None:
                buffer = buffer[-64:]
                continue
            tail = buffer[end.end() :]
            while len(tail) < _TAIL_BYTES:
                more = stream.read(1 << 20)
                if not more:
                    break
                tail += more
            return head, tail
    return head or b"", b""


# -- jixiao workbooks, without openpyxl ----------------------------------------------------------

Values = dict[int, tuple[Any, int]]  # column → (value, style index) of one row


class StoredBook:
    """An open .xlsx read by :mod:`jixiao.workbook.xlsx`, its cells typed as openpyxl types them.

    Reading follows openpyxl's read-only ``data_only`` loading (what :func:`load_grid` reads), down
    to its quirks: formula cells read as their cached result, numbers as int or float by their
    text, numbers in a date format as datetimes, _xHHHH_ escapes left as written. Anything this
    reader does not expect in a jixiao workbook raises, so the caller can fall back on openpyxl.
    """

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.book = xlsx.read_workbook(archive)
        self.strings = xlsx.stored_strings(archive, self.book)
        self.epoch = CALENDAR_MAC_1904 if self.book.date1904 else WINDOWS_EPOCH
        self._formats: tuple[str, ...] | None = None
        self._dates: frozenset[int] = frozenset()
        self._durations: frozenset[int] = frozenset()
        # openpyxl's sheets: those whose part is in the archive (what localSheetId counts).
        self.loaded: list[xlsx.SheetPart] = []
        for sheet in self.book.sheets:
            if sheet.target is None:
                raise xlsx.XlsxError(f"工作表「{sheet.name}」缺少关系")
            if sheet.target in archive.NameToInfo:
                self.loaded.append(sheet)

    def worksheets(self) -> Iterator[tuple[int, xlsx.SheetPart]]:
        """(index among the loaded sheets, sheet) of every worksheet, in workbook order."""
        for index, sheet in enumerate(self.loaded):
            if "chartsheet" in sheet.rel_type:
                continue
            if sheet.path is None:
                raise xlsx.XlsxError(f"工作表「{sheet.name}」不是普通工作表")
            yield index, sheet

    def worksheet(self, title: str) -> xlsx.SheetPart | None:
        return next((sheet for _, sheet in self.worksheets() if sheet.name == title), None)

    def names(self, index: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(name, text) of the names scoped to the loaded sheet ``index``, and of workbook names."""
        scoped, workbook = [], []
        for (scope, name), text in self.book.names.items():
            if scope is None:
                if name not in _GLOBAL_SKIPPED:
                    workbook.append((name, text))
            elif scope == index and not _RESERVED.match(name):
                scoped.append((name, text))
        return scoped, workbook

    def rows(self, sheet: xlsx.SheetPart, max_row: int, max_col: int) -> Iterator[tuple[int, Values]]:
        """(row, column → (value, style)) of each row with cells up to ``max_row``, in order."""
        xml = self.archive.read(sheet.path)  # type: ignore[arg-type]
        _, start, end, _ = xlsx.sheet_sections(xml)
        yield from self._rows(xml, start, end, max_row, max_col)

    def _rows(
        self, xml: bytes, start: int, end: int, max_row: int, max_col: int
    ) -> Iterator[tuple[int, Values]]:
        if self._formats is None:
            self._load_styles()
        dates = self._dates
        current = 0
        cells: Values = {}
        for row, col, style, t, value in xlsx.stored_cells(xml, start, end, self.strings):
            if row != current:
                if row < current:
                    continue  # a row out of order: openpyxl skips it
                if cells:
                    yield current, cells
                if row > max_row:
                    return
                current, cells = row, {}
            if col > max_col:
                continue
            if t == b"d" and value is not None:
                value = from_ISO8601(value)
            elif style in dates and (t is None or t == b"n") and value is not None:
                try:
                    value = from_excel(value, self.epoch, timedelta=style in self._durations)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
            cells[col] = (value, style)
        if cells:
            yield current, cells

    def number_format(self, style: int) -> str:
        if self._formats is None:
            self._load_styles()
        return self._formats[style]  # type: ignore[index]

    def _load_styles(self) -> None:
        self._formats, self._dates, self._durations = _number_formats(*xlsx.cell_styles(self.archive))

    def grid(self, sheet: xlsx.SheetPart) -> Grid:
        """The sheet as :func:`load_grid` reads it (without styles); raises :class:`SheetTooLarge`."""
        xml = self.archive.read(sheet.path)  # type: ignore[arg-type]
        head, start, end, tail = xlsx.sheet_sections(xml)
        values: dict[Cell, Any] = {}
        formats: dict[Cell, str] = {}
        content_rows = 0
        last_content = 0
        n_cols = 0
        for row, cells in self._rows(xml, start, end, MAX_SCAN_ROWS, MAX_COLS):
            content = [
                (col, value, style)
                for col, (value, style) in sorted(cells.items())
                if not (value is None or (isinstance(value, str) and not value.strip()))
            ]
            if not content:
                continue
            if row - last_content > TRAILING_EMPTY + 1:
                break  # openpyxl's reading stopped at the empty rows before this one
            for col, value, style in content:
                values[(row, col)] = value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    number_format = self.number_format(style) or "General"
                    if number_format != "General":
                        formats[(row, col)] = number_format
            n_cols = max(n_cols, content[-1][0])
            content_rows += 1
            last_content = row
            if content_rows > MAX_ROWS:
                raise SheetTooLarge(f"表格过大：超过 {MAX_ROWS} 行有内容，不像一张绩效自评表，未检查")
        if last_content > MAX_SCAN_ROWS - TRAILING_EMPTY and xlsx.last_row(xml, start, end) >= MAX_SCAN_ROWS:
            raise SheetTooLarge(f"表格过大：超过 {MAX_SCAN_ROWS} 行，未检查")
        merged = xlsx.merged_ranges(tail, MAX_MERGED)
        return _grid(
            sheet.name, values, formats, last_content, n_cols, merged, xlsx.column_widths(head, MAX_COLS)
        )


@lru_cache(maxsize=32)
def _number_formats(
    ids: tuple[int, ...], custom_formats: tuple[tuple[int, str], ...]
) -> tuple[tuple[str, ...], frozenset[int], frozenset[int]]:
    """Each cell style's number format, and the styles openpyxl reads as dates and as durations,
    resolved as openpyxl's stylesheet reader resolves them."""
    custom = dict(custom_formats)
    added: list[str] = []  # openpyxl's workbook number formats
    resolved = []
    dates, durations = set(), set()
    for index, number in enumerate(ids):
        if number in custom:
            code: str | None = custom[number]
            if code in BUILTIN_FORMATS_REVERSE:
                number = BUILTIN_FORMATS_REVERSE[code]
            else:
                if code not in added:
                    added.append(code)  # type: ignore[arg-type]
                number = added.index(code) + BUILTIN_FORMATS_MAX_SIZE  # type: ignore[arg-type]
        else:
            code = BUILTIN_FORMATS.get(number)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
        resolved.append(number)
    formats = []
    for number in resolved:
        if number < BUILTIN_FORMATS_MAX_SIZE:
            formats.append(BUILTIN_FORMATS.get(number, "General"))
        elif number - BUILTIN_FORMATS_MAX_SIZE < len(added):
            formats.append(added[number - BUILTIN_FORMATS_MAX_SIZE])
        else:
            raise xlsx.XlsxError(f"未定义的数字格式 {number}")
    return tuple(formats), frozenset(dates), frozenset(durations)


# Names openpyxl does not keep among a sheet's names or the workbook's.
_RESERVED = re.compile(
    r"^_xlnm\.(Print_Area|Print_Titles|Criteria|_FilterDatabase|Extract|Consolidate_Area|Sheet_Title)"
)
_GLOBAL_SKIPPED = frozenset(("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase"))
