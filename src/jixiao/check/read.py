"""One file → its filled forms, or the reason it cannot be read. Never raises for a bad file.

jixiao workbooks (with the hidden ``_jixiao`` sheet) are read through their names; any other
workbook is read as a legacy layout by its labels. The file is opened read-only and never saved.

jixiao workbooks are read with :mod:`jixiao.workbook.xlsx`'s zip/regex parser (:class:`StoredBook`,
~10× faster than openpyxl); other workbooks, copies kept for the review workbook (their styles), and
any file that parser does not expect are read with openpyxl, which gives the same forms.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao.check.accounting import RowStatus, account_rows
from jixiao.check.checks import FormSummary, check_form, summarize
from jixiao.check.findings import Finding, unreadable
from jixiao.check.forms import FilledForm
from jixiao.check.legacy import read_legacy_sheet
from jixiao.check.read_jixiao import (
    is_target_form,
    jixiao_meta,
    read_jixiao_grid,
    read_jixiao_sheet,
    stored_meta,
    stored_names_for,
)
from jixiao.check.target_checks import check_target_form, summarize_target
from jixiao.check.target_forms import TargetForm
from jixiao.check.target_read import read_handmade_target, read_jixiao_target
from jixiao.workbook.cells import names_for
from jixiao.workbook.contract import INSTRUCTIONS_SHEET, META_SHEET, REVIEW_TITLE, SUMMARY_TITLE
from jixiao.workbook.header import unit_in, year_in
from jixiao.workbook.opener import UnreadableFile, describe, inspect_xlsx, load_workbook
from jixiao.workbook.sheets import Grid, SheetTooLarge, StoredBook, load_grid
from jixiao.workbook.xlsx import core_title

# The review workbook `--report` writes carries REVIEW_TITLE, so checking a folder twice skips it;
# the one `jixiao summary` writes carries SUMMARY_TITLE (its tables are no form either).
__all__ = ["REVIEW_TITLE", "FileResult", "check_path", "describe_error", "read_forms", "read_stored"]
_OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_CONTENT_TYPES = "[Content_Types].xml"
_OWN_OUTPUTS = {REVIEW_TITLE: "jixiao 检查结果工作簿", SUMMARY_TITLE: "jixiao 汇总工作簿"}
NOT_A_FORM = "未找到可识别的绩效自评表（找不到「预算数 / 执行数」「一级指标 / 得分」等表头）"


@dataclass
class FileResult:
    """What checking one file found; small and picklable (it crosses process boundaries)."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    forms: list[FormSummary] = field(default_factory=list)
    rows: list[RowStatus] = field(default_factory=list)  # every indicator row read, with its status
    notes: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)  # the checked sheets, for the review workbook
    seconds: float = 0.0
    targets: list[TargetForm] = field(default_factory=list)  # target forms (checked by target_checks)

    @property
    def unreadable(self) -> bool:
        return any(f.kind.value == "unreadable" for f in self.findings)


def read_forms(
    path: Path, *, rubric: str | None = None, keep_grids: bool = False
) -> tuple[list[FilledForm], FileResult]:
    """The forms in one workbook, and a result holding any unreadable findings and notes."""
    label = str(path)
    result = FileResult(label)
    try:
        inspected = inspect_xlsx(path, label=label)
    except UnreadableFile as error:
        result.findings.append(unreadable(label, error.reason))
        return [], result
    if not keep_grids:  # the review workbook's copies need the cells' styles: openpyxl
        stored = read_stored(path, label)
        if stored is not None:
            return stored

    forms: list[FilledForm] = []
    with warnings.catch_warnings():
        # openpyxl warns about parts it would drop on saving; nothing is saved here.
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, read_only=True, label=label, inspected=inspected)
        try:
            with zipfile.ZipFile(path) as archive:
                title = workbook.properties.title if workbook.properties is not None else None
                if title in _OWN_OUTPUTS:
                    result.notes.append(f"{label}：{_OWN_OUTPUTS[title]}，跳过")
                    return [], result
                meta = jixiao_meta(workbook)
                for sheet in workbook.worksheets:
                    if meta is not None and sheet.title in (META_SHEET, INSTRUCTIONS_SHEET):
                        continue  # the generator's own sheets hold no form
                    try:
                        grid = load_grid(sheet, archive, styles=keep_grids)
                    except SheetTooLarge as error:
                        result.findings.append(unreadable(label, str(error), sheet=sheet.title))
                        continue
                    target = None
                    if meta is not None and is_target_form(meta):
                        target = read_jixiao_target(grid, names_for(workbook, sheet), meta, label)
                        found = []
                    elif meta is not None:
                        form = read_jixiao_sheet(workbook, sheet, grid, meta, label)
                        found = _filled_in(form, label, result)
                    elif (target := read_handmade_target(grid, label, rubric)) is not None:
                        found = []
                    else:
                        found, notes = read_legacy_sheet(grid, label, rubric)
                        found = [with_header(form, grid) for form in found]
                        result.notes += [f"{label}：{note}" for note in notes]
                    forms += found
                    if target is not None:
                        result.targets.append(target)
                    if (found or target is not None) and keep_grids:
                        result.grids.append(grid)
        finally:
            workbook.close()
    return _not_a_form(forms, result)


def _filled_in(form: FilledForm | None, label: str, result: FileResult) -> list[FilledForm]:
    """A jixiao form as a list of itself, or nothing (with a note) when nobody has filled it in."""
    if form is None:
        return []
    if not form.filled_in:
        result.notes.append(
            f"{label}：工作表「{form.sheet}」尚未填写（没有执行数、实际完成值或得分），未评分"
        )
        return []
    return [form]


def with_header(form: FilledForm, grid: Grid) -> FilledForm:
    """A hand-made form's 单位名称 and 年度 from its first rows, when its reader did not set them."""
    if form.unit and form.year is not None:
        return form
    return replace(
        form, unit=form.unit or unit_in(grid), year=form.year if form.year is not None else year_in(grid)
    )


def _not_a_form(forms: list[FilledForm], result: FileResult) -> tuple[list[FilledForm], FileResult]:
    if not forms and not result.targets and not result.findings and not result.notes:
        result.findings.append(unreadable(result.file, NOT_A_FORM))
    return forms, result


def read_stored(path: Path, label: str) -> tuple[list[FilledForm], FileResult] | None:
    """:func:`read_forms` of a jixiao workbook without openpyxl; None for any other workbook.

    None too for anything the zip/regex parser does not expect (the caller then reads the file with
    openpyxl, which says what is wrong with it in the usual words).
    """
    if path.suffix.lower() not in _OPENPYXL_SUFFIXES:
        return None  # openpyxl refuses the file by its name: say so as before
    result = FileResult(label)
    forms: list[FilledForm] = []
    try:
        with zipfile.ZipFile(path) as archive:
            if _CONTENT_TYPES not in archive.NameToInfo:
                return None
            book = StoredBook(archive)
            if core_title(archive) == REVIEW_TITLE:
                return None
            meta = stored_meta(book)
            if meta is None:
                return None
            for index, sheet in book.worksheets():
                if sheet.name in (META_SHEET, INSTRUCTIONS_SHEET):
                    continue
                try:
                    grid = book.grid(sheet)
                except SheetTooLarge as error:
                    result.findings.append(unreadable(label, str(error), sheet=sheet.name))
                    continue
                names = stored_names_for(book, index, sheet.name)
                if is_target_form(meta):
                    target = read_jixiao_target(grid, names, meta, label)
                    if target is not None:
                        result.targets.append(target)
                    continue
                form = read_jixiao_grid(grid, names, meta, label)
                forms += _filled_in(form, label, result)
    except Exception:
        return None
    return _not_a_form(forms, result)


def describe_error(error: BaseException) -> str:
    """Why reading failed, in words for the user (the exception type stays for the curious)."""
    return describe(error)


def check_path(path: Path, *, rubric: str | None = None, keep_grids: bool = False) -> FileResult:
    """Read and check one file in this process (the batch runs this inside a sandboxed worker).

    Any error a broken or hostile file provokes becomes an unreadable finding; only
    BaseExceptions (interrupts, the batch's timeout) pass through.
    """
    try:
        forms, result = read_forms(path, rubric=rubric, keep_grids=keep_grids)
    except Exception as error:
        return FileResult(str(path), [unreadable(str(path), describe_error(error))])
    for form in forms:
        result.findings += check_form(form)
        result.forms.append(summarize(form))
        result.rows += account_rows(form)
    for target in result.targets:
        result.findings += check_target_form(target)
        result.forms.append(summarize_target(target))
    return result
