"""Files → the project forms of each unit, through the checker's readers (never a reader of its own).

Each file is read by :func:`jixiao.check.read_forms` (jixiao workbooks by their names, hand-made
ones by their labels) and checked by :func:`jixiao.check.check_form`, so the 问题数 in the
summary is what ``jixiao check`` reports. The only thing looked up beside the forms is the 单位名称 and
the 年度, in the first rows of the sheet grid the reader already loaded.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.check import check_form, describe_error, read_forms
from jixiao.summary.rollup import ProjectForm, is_unit_form
from jixiao.workbook.contract import SUMMARY_TITLE
from jixiao.workbook.discovery import collect
from jixiao.workbook.sheets import Grid

# The title and header fields of every layout are in the first rows.
_HEADER_ROWS = 12
_UNIT_LABEL = "单位名称"
_YEAR = re.compile(r"(20\d\d)\s*年度")
_GAP = re.compile(r"\s")
_TITLE = re.compile(rb"<dc:title>([^<]*)</dc:title>")


@dataclass
class Collected:
    """The project forms found, grouped by unit in the order first seen, and what was left aside."""

    units: dict[str, list[ProjectForm]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # forms skipped on purpose (unit forms, target forms)
    problems: list[str] = field(default_factory=list)  # files that could not be read
    files: int = 0


def is_summary(path: Path) -> bool:
    """A workbook ``jixiao summary`` wrote (its tables look like forms to the label reader)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:  # a document's properties are a few hundred bytes
                return False
            match = _TITLE.search(archive.read(info))
    except (OSError, KeyError, ValueError, EOFError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return False  # a damaged file is not a summary; reading it says what is wrong with it
    return match is not None and match.group(1).decode("utf-8", "replace") == SUMMARY_TITLE


def unit_in(grid: Grid | None) -> str:
    """单位名称 as the form writes it: "单位名称：洪山街道办事处　　填报日期：…" or a label cell beside its value."""
    if grid is None:
        return ""
    for row in range(1, min(grid.n_rows, _HEADER_ROWS) + 1):
        for col in range(1, grid.n_cols + 1):
            if grid.is_tail(row, col):
                continue
            text = unicodedata.normalize("NFKC", grid.text(row, col)).strip()
            if not text.startswith(_UNIT_LABEL):
                continue
            rest = text[len(_UNIT_LABEL) :].lstrip(" :：")
            if rest:
                return _GAP.split(rest, maxsplit=1)[0].strip()
            beside = grid.right_of(row, col)
            if beside is not None:
                return grid.text(row, beside).strip()
    return ""


def year_in(grid: Grid | None) -> int | None:
    """The 年度 of the title ("2020年度教育支出项目自评表")."""
    if grid is None:
        return None
    for row in range(1, min(grid.n_rows, _HEADER_ROWS) + 1):
        for col in range(1, grid.n_cols + 1):
            match = _YEAR.search(grid.text(row, col))
            if match:
                return int(match.group(1))
    return None


def collect_projects(
    paths: Sequence[Path],
    *,
    exclude: Iterable[Path] = (),
    unit: str | None = None,
    unit_rubrics: frozenset[str] = frozenset(),
) -> Collected:
    """Read every workbook under ``paths`` (files and folders, as ``jixiao check`` takes them).

    ``unit`` puts every project into that unit; otherwise each form's 单位名称 decides, and a form
    that does not name its unit belongs to the folder it is in.
    """
    skip = {path.resolve() for path in exclude}
    files = [path for path in collect(tuple(paths)) if path.resolve() not in skip]
    found = Collected(files=len(files))
    for path in files:
        if is_summary(path):
            found.notes.append(f"{path}：jixiao 汇总工作簿，跳过")
            continue
        try:
            forms, result = read_forms(path, keep_grids=True)
        except Exception as error:  # a damaged or hostile file: say why, go on with the others
            found.problems.append(f"{path}：{describe_error(error)}")
            continue
        found.notes += result.notes
        found.problems += [f"{path}：{finding.reason}" for finding in result.findings]
        grids = {grid.title: grid for grid in result.grids}
        for form in forms:
            where = f"{path} · {form.sheet}" + (f" · {form.part}" if form.part else "")
            if is_unit_form(form, unit_rubrics):
                found.notes.append(f"{where}：部门整体表，不作为项目汇总")
                continue
            grid = grids.get(form.sheet)
            name = unit or unit_in(grid) or path.parent.resolve().name or "未注明单位"
            project = ProjectForm(form, name, findings=len(check_form(form)), year=year_in(grid))
            found.units.setdefault(name, []).append(project)
    return found
