"""``jixiao recalc``: compute every formula of a jixiao workbook and store the results as cached values.

Viewers that do not calculate (file previews, phones, pandas, openpyxl ``data_only=True``) show a
formula cell's cached value. jixiao's writer can only cache what a blank form shows, and openpyxl
drops cached values when it saves a filled form; this module computes the formulas with the Python
core (:mod:`jixiao.recalc.evaluator`) and writes the values into a copy of the file
(:mod:`jixiao.recalc.cached_values`), leaving formulas, styles, names, validations, protection and
frozen panes byte for byte as they were.

Cells that cannot be computed here — a function outside the set jixiao writes, or a formula reading
such a cell — keep whatever cached value the file had, and are listed in the report.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.recalc.cached_values import splice, write_parts
from jixiao.recalc.evaluator import Evaluator, Scalar
from jixiao.recalc.scan import CellXml, FormulaBook, scan_workbook
from jixiao.workbook.contract import META_SHEET
from jixiao.workbook.files import fit_file_name, replace_atomically
from jixiao.workbook.opener import MAX_FULL_LOAD_CELLS, UnreadableFile, inspect_xlsx
from jixiao.workbook.refs import cell as a1
from jixiao.workbook.refs import quote_sheet
from jixiao.workbook.xlsx import XlsxError

__all__ = [
    "NotJixiaoWorkbook",
    "RecalcError",
    "RecalcReport",
    "UnreadableWorkbook",
    "compute",
    "default_output",
    "recalc_file",
]

OUTPUT_SUFFIX = "（已计算）"


class RecalcError(Exception):
    """Recalculation refused or failed; the message is for the user (Chinese)."""

    exit_code = 1


class UnreadableWorkbook(RecalcError):
    """The file cannot be read as a workbook (as check and render, exit code 2)."""

    exit_code = 2


class NotJixiaoWorkbook(RecalcError):
    exit_code = 2


@dataclass
class RecalcReport:
    source: Path
    output: Path
    written: int = 0  # formula cells whose cached value was written
    #: Formula cells left with their previous cached value, as 'Sheet'!A1, and why.
    kept: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    #: Formula cells on a circular reference (written as #REF!).
    cycles: list[str] = field(default_factory=list)


def default_output(source: Path) -> Path:
    """表.xlsx → 表（已计算）.xlsx, next to the original (shortened if the name gets too long).

    A file already named so is its own output (never 表（已计算）（已计算）.xlsx)."""
    if is_output(source):
        return source
    return source.with_name(fit_file_name(f"{source.stem}{OUTPUT_SUFFIX}", source.suffix or ".xlsx"))


def is_output(path: Path) -> bool:
    """A name recalc gives its output: 表（已计算）.xlsx."""
    return path.stem.endswith(OUTPUT_SUFFIX)


def _address(book: FormulaBook, sheet: int, row: int, col: int) -> str:
    return f"{quote_sheet(book.sheets[sheet].name)}!{a1(row - 1, col - 1)}"


def compute(book: FormulaBook, report: RecalcReport) -> dict[str, bytes]:
    """Evaluate the workbook; the rewritten sheet parts by zip entry name. Fills ``report``."""
    evaluator = Evaluator([sheet.cells for sheet in book.sheets], book.names)
    values = evaluator.run()
    reasons = dict(evaluator.reasons)
    parts: dict[str, bytes] = {}
    for index, sheet in enumerate(book.sheets):
        if sheet.path is None or not sheet.formula_xml:
            continue
        cells: list[tuple[CellXml, Scalar]] = []
        for (row, col), xml in sheet.formula_xml.items():
            key = (index, row, col)
            if key in evaluator.uncomputable:
                report.kept.append(_address(book, index, row, col))
                continue
            cells.append((xml, values[key]))
        for row, col in sheet.skipped:
            report.kept.append(_address(book, index, row, col))
            reasons["多单元格数组公式或模拟运算表"] = None
        report.written += len(cells)
        parts[sheet.path] = splice(sheet.xml, cells)
    report.reasons = list(reasons)
    report.cycles = sorted(_address(book, *key) for key in evaluator.cycles)
    return parts


def _not_jixiao(src: Path) -> NotJixiaoWorkbook:
    return NotJixiaoWorkbook(
        f"{src.name} 不是 jixiao 生成的工作簿（没有「{META_SHEET}」工作表），未作处理。"
        "recalc 只计算 jixiao 表格使用的函数；其他工作簿请在 Excel 或 WPS 中打开并保存。"
    )


def recalc_file(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    overwrite: bool = False,
) -> RecalcReport:
    """Compute a jixiao workbook's formulas and write them as cached values.

    Writes ``output`` (default: 表（已计算）.xlsx beside the source), or replaces the source with
    ``in_place``. The target is replaced atomically; on failure nothing is left behind.
    """
    src = Path(source)
    if not src.is_file():
        raise UnreadableWorkbook(f"文件不存在：{src}")
    if in_place and output is not None and Path(output).resolve() != src.resolve():
        raise RecalcError("--in-place 与 -o/--output 只能选一个")
    target = src if in_place else Path(output) if output is not None else default_output(src)
    same = target.exists() and target.resolve() == src.resolve()
    if same and not (in_place or overwrite):
        raise RecalcError(
            f"{src.name} 已是计算结果（文件名以「{OUTPUT_SUFFIX}」结尾）；"
            "要重新计算并替换它，请加 --in-place，或对原文件运行 jixiao recalc"
        )
    if target.exists() and not same and not overwrite:
        raise RecalcError(f"{target} 已存在；如确需覆盖，请加 --overwrite")
    if not target.parent.is_dir():
        raise RecalcError(f"输出目录不存在：{target.parent}")
    try:
        # Zip bombs, DTDs, damaged parts, encrypted or legacy .xls files: refused before reading.
        inspected = inspect_xlsx(src)
    except UnreadableFile as error:
        raise UnreadableWorkbook(str(error)) from None
    if META_SHEET not in inspected.sheets:
        raise _not_jixiao(src)
    if inspected.sheet_cells > MAX_FULL_LOAD_CELLS:  # the scan holds every cell: bounded like a load
        raise UnreadableWorkbook(
            f"{src.name}：工作表共有约 {inspected.sheet_cells} 个单元格，超过 {MAX_FULL_LOAD_CELLS} 个的上限，"
            "不像 jixiao 的表格，未作处理。"
        )
    report = RecalcReport(src, target)
    try:
        with zipfile.ZipFile(src) as archive:
            try:
                book = scan_workbook(archive)
            except (XlsxError, KeyError, ValueError, UnicodeDecodeError) as error:
                raise UnreadableWorkbook(f"{src.name}：无法读取工作簿内容（{error}）") from error
            if not any(sheet.name == META_SHEET for sheet in book.sheets):
                raise _not_jixiao(src)
            try:
                parts = compute(book, report)
            except RecursionError as error:  # a circular chain of thousands of formulas
                raise RecalcError(f"{src.name}：公式之间的引用层级过深，无法计算，文件未改动。") from error
            replace_atomically(lambda path: write_parts(archive, path, parts), target, mode_from=src)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:  # e.g. a damaged member (bad CRC)
        raise UnreadableWorkbook(f"{src.name} 已损坏，无法作为 .xlsx 读取（{error}）") from error
    return report
