"""The review workbook (``--report out.xlsx``): the findings, and copies of the checked sheets.

Sheet 检查结果 lists one finding per row, each linked to its cell in a copy of the sheet it is
about. The copies keep values (as last computed), basic styles, merged ranges and column widths;
the cells a finding points at are filled red (or orange for rounding, undecidable and missing
explanations) and carry a comment naming the rule's score and reason; the rows the rules could not
score are listed in sheet 无法评分的行 and filled lavender in the copies, with their reason. The
checked files themselves are only ever read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.check.accounting import RowStatus, Status
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.read import FileResult
from jixiao.check.report import band
from jixiao.workbook.contract import REVIEW_TITLE
from jixiao.workbook.files import replace_atomically
from jixiao.workbook.sheets import BasicStyle, Grid

RESULTS_SHEET = "检查结果"
UNSCORABLE_SHEET = "无法评分的行"
RED = PatternFill("solid", fgColor="FFC7CE")
ORANGE = PatternFill("solid", fgColor="FFE0B2")
LAVENDER = PatternFill("solid", fgColor="E4DFEC")  # rows the rules could not score (their own colour)
HEADER = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_COLUMNS = [
    ("序号", 6),
    ("文件", 36),
    ("工作表", 16),
    ("单元格", 8),
    ("指标", 34),
    ("问题类别", 12),
    ("填报", 9),
    ("规则下限", 9),
    ("规则上限", 9),
    ("说明", 80),
]
_UNSCORABLE_COLUMNS = [
    ("序号", 6),
    ("文件", 36),
    ("工作表", 16),
    ("单元格", 8),
    ("指标", 34),
    ("分值", 8),
    ("填报", 9),
    ("无法按规则评分的原因", 80),
]
_SCORE_KINDS = {
    FindingKind.ROUNDING,
    FindingKind.SUBSTANTIVE,
    FindingKind.UNDECIDABLE,
    FindingKind.OVER_WEIGHT,
}


def comment_text(finding: Finding) -> str:
    if finding.kind in _SCORE_KINDS:
        return f"规则得分：{band(finding.rule_low, finding.rule_high)}（{finding.reason}）"
    return f"{finding.kind.label}：{finding.reason}"


def _sheet_title(prefix: int, title: str, taken: set[str]) -> str:
    base = f"{prefix}-{title}"[:31]
    name, number = base, 2
    while name.lower() in taken:
        suffix = f"({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


class _Styles:
    """openpyxl style objects per BasicStyle, made once."""

    def __init__(self) -> None:
        self._cache: dict[BasicStyle, tuple[Font, PatternFill | None, Border | None, Alignment]] = {}

    def apply(self, cell, look: BasicStyle) -> None:
        if look not in self._cache:
            font = Font(
                name=look.font_name,
                size=look.font_size,
                bold=look.bold,
                italic=look.italic,
                color=look.font_color,
            )
            fill = PatternFill("solid", fgColor=look.fill) if look.fill else None
            alignment = Alignment(horizontal=look.horizontal, vertical=look.vertical, wrap_text=look.wrap)
            self._cache[look] = (font, fill, _BORDER if look.border else None, alignment)
        font, fill, border, alignment = self._cache[look]
        cell.font = font
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        cell.alignment = alignment
        cell.number_format = look.number_format


def _copy(ws: Worksheet, grid: Grid, styles: _Styles) -> None:
    for min_row, min_col, max_row, max_col in grid.merged:
        ws.merge_cells(start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col)
    for (row, col), look in (grid.styles or {}).items():
        if not grid.is_tail(row, col):
            styles.apply(ws.cell(row, col), look)
    for (row, col), value in grid.values.items():
        if grid.is_tail(row, col):
            continue  # a value hidden under a merged range is not shown by Excel either
        cell = ws.cell(row, col)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text such as "=8个", never a formula
        if (row, col) in grid.formats and not grid.styles:
            cell.number_format = grid.formats[(row, col)]
    for col, width in grid.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _mark(ws: Worksheet, findings: Sequence[Finding]) -> None:
    by_cell: dict[str, list[Finding]] = {}
    for f in findings:
        if f.cell:
            by_cell.setdefault(f.cell, []).append(f)
    for address, found in by_cell.items():
        try:
            coordinate_from_string(address)
        except ValueError:
            continue
        cell = ws[address]
        cell.fill = RED if any(f.kind.severe for f in found) else ORANGE
        text = "\n".join(comment_text(f) for f in found)
        comment = Comment(text[:2000], "jixiao")
        comment.width = 320
        comment.height = min(60 + 18 * (len(text) // 24), 400)
        cell.comment = comment


def _mark_unscorable(ws: Worksheet, rows: Sequence[RowStatus], findings: Sequence[Finding]) -> None:
    """Rows the rules could not score: lavender, with the reason. A cell that also carries another
    kind of finding keeps that finding's colour; one that only says 规则无法判定 (the same fact) turns
    lavender."""
    other = {f.cell for f in findings if f.kind is not FindingKind.UNDECIDABLE}
    for status in rows:
        if status.status is not Status.UNSCORABLE or not status.cell:
            continue
        try:
            coordinate_from_string(status.cell)
        except ValueError:
            continue
        cell = ws[status.cell]
        text = f"{status.status.label}：{status.reason}"
        if status.cell not in other:
            cell.fill = LAVENDER
        if cell.comment is not None:
            if text not in cell.comment.text:
                cell.comment = Comment(f"{cell.comment.text}\n{text}"[:2000], "jixiao")
            continue
        comment = Comment(text[:2000], "jixiao")
        comment.width = 320
        comment.height = min(60 + 18 * (len(text) // 24), 400)
        cell.comment = comment


def _header_row(sheet: Worksheet, columns: Sequence[tuple[str, float]]) -> None:
    """A list sheet's bold, shaded, frozen first row, with its column widths."""
    for col, (label, width) in enumerate(columns, start=1):
        cell = sheet.cell(1, col, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"


def _list_unscorable(
    book: Workbook, results: Sequence[FileResult], copies: dict[tuple[str, str], str]
) -> None:
    """Sheet 无法评分的行 (second, after 检查结果): each row the rules could not score, with its reason."""
    rows = [r for result in results for r in result.rows if r.status is Status.UNSCORABLE]
    if not rows:
        return
    sheet = book.create_sheet(UNSCORABLE_SHEET, 1)
    _header_row(sheet, _UNSCORABLE_COLUMNS)
    for number, status in enumerate(rows, start=1):
        values = [
            number,
            status.file,
            status.sheet,
            status.cell,
            status.label,
            status.weight,
            status.reported,
        ]
        for col, value in enumerate([*values, status.reason], start=1):
            cell = sheet.cell(number + 1, col, value)
            cell.alignment = Alignment(vertical="top", wrap_text=col in (2, 5, 8))
        sheet.cell(number + 1, 5).fill = LAVENDER
        copy = copies.get((status.file, status.sheet))
        if copy and status.cell:
            link = sheet.cell(number + 1, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{copy}'!{status.cell}")
            link.style = "Hyperlink"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(_UNSCORABLE_COLUMNS))}{len(rows) + 1}"


def write_review(path: Path, results: Sequence[FileResult], *, overwrite: bool = True) -> Path:
    """Write the review workbook atomically; returns its path."""
    book = Workbook()
    book.properties.title = REVIEW_TITLE
    book.properties.creator = "jixiao"
    sheet = book.active
    sheet.title = RESULTS_SHEET
    _header_row(sheet, _COLUMNS)
    taken = {RESULTS_SHEET.lower(), UNSCORABLE_SHEET.lower()}
    copies: dict[tuple[str, str], str] = {}
    styles = _Styles()
    number = 0
    for result in results:
        for grid in result.grids:
            number += 1
            title = _sheet_title(number, grid.title, taken)
            ws = book.create_sheet(title)
            _copy(ws, grid, styles)
            _mark(ws, [f for f in result.findings if f.sheet == grid.title])
            mine = [f for f in result.findings if f.sheet == grid.title]
            _mark_unscorable(ws, [r for r in result.rows if r.sheet == grid.title], mine)
            copies[(result.file, grid.title)] = title
    row = 1
    for result in results:
        for f in result.findings:
            row += 1
            values = [
                row - 1,
                f.file,
                f.sheet,
                f.cell,
                f.label,
                f.kind.label,
                f.reported,
                f.rule_low,
                f.rule_high,
                f.reason,
            ]
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(row, col, value)
                cell.alignment = Alignment(vertical="top", wrap_text=col in (2, 5, 10))
            kind = sheet.cell(row, 6)
            kind.fill = RED if f.kind.severe else ORANGE
            copy = copies.get((f.file, f.sheet))
            if copy and f.cell:
                link = sheet.cell(row, 4)
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{copy}'!{f.cell}")
                link.style = "Hyperlink"
    if row > 1:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(_COLUMNS))}{row}"
    _list_unscorable(book, results, copies)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(book.save, target, overwrite=overwrite)
    return target
