"""Reading a project list (项目清单) from CSV or .xlsx into :class:`ProjectInfo` records.

Project lists come from budget systems, colleagues' spreadsheets and Excel's "save as CSV", so the
reader is forgiving about the shape (a title above the header, synonyms, units in headers, GBK
encoding, amounts written as text) and strict about content: an amount that is not a number, a row
with money but no project name, or the same project twice is an error naming the file and row.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.core.scoring import to_number
from jixiao.core.values import format_number
from jixiao.generate.layout import ProjectInfo
from jixiao.workbook.opener import UnreadableFile, load_workbook, quote, read_text, sheet_rows
from jixiao.workbook.refs import column_letter
from jixiao.workbook.vocabulary import vocabulary


class ProjectListError(ValueError):
    """A project list that cannot be used; the message names the file and, where known, the row."""


# The ProjectInfo fields a list may give; their header spellings (compared after :func:`_header_key`)
# are the header vocabulary's project_fields, so a recognised column maps straight onto the dataclass.
_FIELDS = ("name", "code", "department", "implementer", "budget", "fiscal", "other", "purpose", "goals")
_FIELD_OF = vocabulary().field_of(_FIELDS)
_AMOUNTS = ("budget", "fiscal", "other")
_NAME_SPELLING = vocabulary().project_fields["name"][0]
_HEADER_ROWS = 10
# A unit lists tens of projects, a province a few thousand: more rows is not a project list (a
# million-row sheet is refused here instead of becoming a million forms).
MAX_LIST_ROWS = 10_000
MAX_LIST_COLS = 200
_HEAD_CHARS = 64 * 1024
# Rows that sum the list rather than name a project: skipped, not read as a project called 合计.
_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计"})


@dataclass(frozen=True)
class _Row:
    number: int  # 1-based row as the user sees it (the spreadsheet row or the CSV record)
    values: tuple[object, ...]


def _header_key(value: object) -> str:
    """A header cell reduced to what identifies the column: no spaces, no trailing unit."""
    text = re.sub(r"\s+", "", str(value)) if value is not None else ""
    text = text.replace(":", "：")
    # "预算数（万元）", "预算金额(元)": the unit in brackets says nothing about which column it is.
    return re.sub(r"[（(][^（()）]*[)）]$", "", text)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text: 42010001.0 (a code Excel stored as a number) → "42010001", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# -- CSV --------------------------------------------------------------------------------------


def _csv_rows(path: Path, label: str) -> list[_Row]:
    # UTF-8 with or without BOM, UTF-16 ("Unicode 文本") with or without BOM, GBK ("CSV (逗号分隔)").
    text = read_text(path, label=label)
    lines = _head(text)
    delimiter = None
    # Excel honours (and some tools write) a first line "sep=;" naming the delimiter.
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:
        delimiter = lines[0][4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if delimiter is None:
        delimiter = _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[_Row] = []
    # The csv module refuses a field over 128 KB; no field can be longer than the (bounded) text.
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    try:
        for number, record in enumerate(reader, start=1):
            rows.append(_Row(number, tuple(record)))
            if len(rows) > MAX_LIST_ROWS:
                raise ProjectListError(_too_long(label))
    except csv.Error as error:
        raise ProjectListError(f"{label}：CSV 格式有误（{quote(error)}）") from None
    finally:
        csv.field_size_limit(limit)
    return rows


def _too_long(label: str) -> str:
    return f"{label}：超过 {MAX_LIST_ROWS} 行，不像一份项目清单，已拒绝读取（请分成几份）"


def _head(text: str) -> list[str]:
    """The first lines, without splitting the whole text (a long list is millions of lines)."""
    return text[:_HEAD_CHARS].splitlines()[:_HEADER_ROWS]


def _guess_delimiter(text: str) -> str:
    """Comma unless the header line is plainly split by tabs (Excel "Unicode 文本") or semicolons."""
    sample = _head(text)
    header = next((line for line in sample if _NAME_SPELLING in line), sample[0] if sample else "")
    counts = {delimiter: header.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


# -- xlsx -------------------------------------------------------------------------------------


def _xlsx_rows(path: Path, label: str) -> list[_Row]:
    workbook = load_workbook(path, read_only=True, label=label)
    try:
        names = workbook.sheetnames
        if not names:
            raise ProjectListError(f"{label}：工作簿中没有工作表")
        sheet = workbook["项目清单"] if "项目清单" in names else workbook[names[0]]
        # Some writers record a wrong used range (e.g. A1:A1); read-only mode would stop there.
        sheet.reset_dimensions()
        rows = sheet_rows(sheet, label=label, max_rows=MAX_LIST_ROWS, max_cols=MAX_LIST_COLS, what="项目清单")
        return [_Row(number, values) for number, values in rows]
    finally:
        workbook.close()


# -- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    field_of: dict[int, str]  # column index → ProjectInfo field
    header: dict[int, str]  # column index → the header as written (for messages)
    data_start: int  # index into the rows of the first data row
    # Amount units: per amount column from its header (「预算数（万元）」), a 金额单位 column, or a
    # 「单位：万元」 line above the header for the whole list.
    units: dict[int, str] = dataclasses.field(default_factory=dict)
    unit_col: int | None = None
    list_unit: str = ""


# -- amount units -------------------------------------------------------------------------------

AMOUNT_UNITS = ("元", "万元")
_UNIT_COLUMNS = frozenset({"金额单位", "资金单位", "计量单位"})
_UNIT_IN_HEADER = re.compile(r"[（(]\s*(万元|元)\s*[)）]$")
_UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)(?![\w])")


def _header_unit(value: object) -> str:
    """「预算数（万元）」→ 万元; "" when the header names no unit."""
    match = _UNIT_IN_HEADER.search(re.sub(r"\s+", "", str(value))) if value is not None else None
    return match.group(1) if match else ""


def _unit_above(rows: Sequence[_Row]) -> str:
    """A 「单位：万元」 written in a title line above the header (as budget systems export lists)."""
    for row in rows:
        for value in row.values:
            match = _UNIT_LINE.search(_text(value)) if not _is_blank(value) else None
            if match:
                return match.group(1)
    return ""


def _find_header(rows: Sequence[_Row], label: str) -> _Columns:
    for index, row in enumerate(rows[:_HEADER_ROWS]):
        keys = [_header_key(value) for value in row.values]
        if _NAME_SPELLING not in keys:
            continue
        field_of: dict[int, str] = {}
        header: dict[int, str] = {}
        _add_columns(row, field_of, header, label)
        data_start = index + 1
        # A two-row header ("资金来源" above "财政资金 | 其他资金"): take the sub-headers too.
        if index + 1 < len(rows):
            below = rows[index + 1]
            found = {
                col: _FIELD_OF[_header_key(value)]
                for col, value in enumerate(below.values)
                if _header_key(value) in _FIELD_OF and col not in field_of
            }
            if found and _NAME_SPELLING not in [_header_key(value) for value in below.values]:
                _add_columns(below, field_of, header, label, only=found.keys())
                data_start = index + 2
        heads = rows[index:data_start]
        units = {
            col: unit
            for head in heads
            for col, value in enumerate(head.values)
            if field_of.get(col) in _AMOUNTS and (unit := _header_unit(value))
        }
        unit_col = next(
            (
                col
                for head in heads
                for col, value in enumerate(head.values)
                if _header_key(value) in _UNIT_COLUMNS
            ),
            None,
        )
        return _Columns(field_of, header, data_start, units, unit_col, _unit_above(rows[:index]))
    seen = next(
        (
            [_text(value) for value in row.values if not _is_blank(value)]
            for row in rows[:_HEADER_ROWS]
            if any(not _is_blank(value) for value in row.values)
        ),
        [],
    )
    # A message stays one short line, whatever the row holds (16,384 columns, a 1 MB cell).
    found = quote("、".join(seen)) if seen else "（前 10 行都是空行）"
    raise ProjectListError(f"{label}：前 {_HEADER_ROWS} 行中找不到「项目名称」列。找到的列：{found}")


def _add_columns(
    row: _Row,
    field_of: dict[int, str],
    header: dict[int, str],
    label: str,
    only: Iterable[int] | None = None,
) -> None:
    wanted = set(only) if only is not None else None
    taken = {field: col for col, field in field_of.items()}
    for col, value in enumerate(row.values):
        if wanted is not None and col not in wanted:
            continue
        field = _FIELD_OF.get(_header_key(value))
        if field is None:
            continue
        if field in taken:
            # Two columns meaning the same thing (预算数 and 年度预算数): guessing would be wrong.
            raise ProjectListError(
                f"{label} 第 {row.number} 行：「{quote(header[taken[field]])}」和「{quote(_text(value))}」是同一项，请只保留一列"
            )
        taken[field] = col
        field_of[col] = field
        header[col] = _text(value)


def _where(label: str, row: _Row, col: int, xlsx: bool) -> str:
    return (
        f"{label} 第 {row.number} 行（{column_letter(col)}{row.number}）"
        if xlsx
        else f"{label} 第 {row.number} 行"
    )


def _project(row: _Row, columns: _Columns, label: str, xlsx: bool) -> ProjectInfo | None:
    """One data row → a project; None for rows that carry no project (blank, 合计)."""
    values: dict[str, object] = {}
    for col, field in columns.field_of.items():
        value = row.values[col] if col < len(row.values) else None
        if not _is_blank(value):
            values[field] = value
    if not values:
        return None
    name_value = values.get("name")
    # The name is kept exactly as written (bar surrounding spaces): "=SUM(A1)" is a name, not a formula.
    name = name_value.strip() if isinstance(name_value, str) else _text(name_value)
    if name.replace(" ", "").replace("\u3000", "") in _TOTAL_WORDS:
        return None
    if not name:
        texts = {_text(v).replace(" ", "").replace("\u3000", "") for v in row.values if not _is_blank(v)}
        if texts & _TOTAL_WORDS:
            return None
        name_col = next(col for col, field in columns.field_of.items() if field == "name")
        raise ProjectListError(f"{_where(label, row, name_col, xlsx)}：填了项目信息但没有项目名称")
    amounts: dict[str, float | None] = {}
    for col, field in columns.field_of.items():
        if field not in _AMOUNTS:
            continue
        raw = values.get(field)
        where = _where(label, row, col, xlsx)
        try:
            number = to_number(raw, columns.header[col])
        except ValueError:
            shown = _text(raw) if not isinstance(raw, str) else raw.strip()
            raise ProjectListError(
                f"{where}：{quote(columns.header[col])}「{quote(shown)}」不是数字"
            ) from None
        if number is not None and number < 0:
            raise ProjectListError(
                f"{where}：{quote(columns.header[col])}不能为负数（{format_number(number)}）"
            )
        amounts[field] = number
    unit = _row_unit(row, columns, label, xlsx) if amounts else ""
    return ProjectInfo(
        name=name,
        code=_text(values.get("code")),
        department=_text(values.get("department")),
        implementer=_text(values.get("implementer")),
        budget=amounts.get("budget"),
        fiscal=amounts.get("fiscal"),
        other=amounts.get("other"),
        purpose=_text(values.get("purpose")),
        goals=_text(values.get("goals")),
        amount_unit=unit,
    )


def _row_unit(row: _Row, columns: _Columns, label: str, xlsx: bool) -> str:
    """The unit of a row's amounts: its 金额单位 cell, else the amount headers', else the list's."""
    if columns.unit_col is not None:
        value = row.values[columns.unit_col] if columns.unit_col < len(row.values) else None
        text = _text(value).replace(" ", "")
        if text:
            if text not in AMOUNT_UNITS:
                raise ProjectListError(
                    f"{_where(label, row, columns.unit_col, xlsx)}：金额单位「{text}」应为「元」或「万元」"
                )
            return text
    found = {unit for unit in columns.units.values()}
    if len(found) > 1:
        named = "、".join(f"{columns.header[col]}" for col in sorted(columns.units))
        raise ProjectListError(f"{label}：各金额列的单位不一致（{named}），请统一为元或万元")
    return next(iter(found), "") or columns.list_unit


def _projects(rows: Sequence[_Row], label: str, xlsx: bool) -> Iterator[tuple[_Row, ProjectInfo]]:
    columns = _find_header(rows, label)
    for row in rows[columns.data_start :]:
        project = _project(row, columns, label, xlsx)
        if project is not None:
            yield row, project


def read_projects(path: str | os.PathLike[str]) -> list[ProjectInfo]:
    """Read a project list (.csv/.txt or .xlsx/.xlsm) in file order.

    Raises :class:`ProjectListError` with a Chinese message naming the file (and row) on any problem.
    """
    file = Path(path)
    label = file.name
    suffix = file.suffix.lower()
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise ProjectListError(f"{label}：不支持 {suffix} 格式，请在 Excel/WPS 中另存为 .xlsx 或 CSV")
    if not file.is_file():
        raise ProjectListError(f"找不到项目清单文件：{file}")
    xlsx = suffix in (".xlsx", ".xlsm") or (
        suffix not in (".csv", ".txt", ".tsv") and zipfile.is_zipfile(file)
    )
    try:
        rows = _xlsx_rows(file, label) if xlsx else _csv_rows(file, label)
    except UnreadableFile as error:
        raise ProjectListError(str(error)) from None
    result: list[ProjectInfo] = []
    seen: dict[str, list[tuple[int, str]]] = {}  # name → [(row, code)]
    for row, project in _projects(rows, label, xlsx):
        for number, code in seen.get(project.name, []):
            # Two rows with one name are the same project unless both have different codes.
            if not code or not project.code or code == project.code:
                raise ProjectListError(
                    f"{label} 第 {row.number} 行：项目「{quote(project.name)}」与第 {number} 行重复"
                )
        seen.setdefault(project.name, []).append((row.number, project.code))
        result.append(project)
    if not result:
        raise ProjectListError(f"{label}：没有读到任何项目（「项目名称」列下都是空的）")
    return result


__all__ = ["ProjectListError", "read_projects"]
