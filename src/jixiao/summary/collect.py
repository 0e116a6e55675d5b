"""Files → the project forms of each unit, through the checker's readers (never a reader of its own).

Each file is read by :func:`jixiao.check.read_forms` (jixiao workbooks by their names, hand-made
ones by their labels) and checked by :func:`jixiao.check.check_form`, so the 问题数 in the
summary is what ``jixiao check`` reports. The 单位名称 and 年度 come with the forms (the reader takes
them from a jixiao workbook's names, or from a hand-made form's first rows); a form read twice (a form
and its 「（已计算）」 copy) is counted once.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.check import (
    FormIdentity,
    check_form,
    describe_error,
    duplicate_note,
    find_duplicates,
    identity_of,
    read_forms,
)
from jixiao.summary.rollup import ProjectForm, is_unit_form
from jixiao.workbook.contract import SUMMARY_TITLE
from jixiao.workbook.discovery import collect

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
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return match is not None and match.group(1).decode("utf-8", "replace") == SUMMARY_TITLE


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
    projects: list[ProjectForm] = []
    for path in files:
        if is_summary(path):
            found.notes.append(f"{path}：jixiao 汇总工作簿，跳过")
            continue
        try:
            forms, result = read_forms(path)
        except Exception as error:  # a damaged or hostile file: say why, go on with the others
            found.problems.append(f"{path}：{describe_error(error)}")
            continue
        found.notes += result.notes
        if result.targets:  # target forms have no scores to roll up
            found.notes.append(f"{path}：绩效目标表，不参与汇总")
        found.problems += [f"{path}：{finding.reason}" for finding in result.findings]
        for form in forms:
            where = f"{path} · {form.sheet}" + (f" · {form.part}" if form.part else "")
            if is_unit_form(form, unit_rubrics):
                found.notes.append(f"{where}：部门整体表，不作为项目汇总")
                continue
            name = unit or form.unit or path.parent.resolve().name or "未注明单位"
            projects.append(ProjectForm(form, name, findings=len(check_form(form)), year=form.year))
    _count_once(found, projects)
    return found


def _count_once(found: Collected, projects: list[ProjectForm]) -> None:
    """Group the projects by unit, each form once: of a form read twice (a form and its 「（已计算）」
    copy) the one whose 总分 is filled in is kept (the calculated copy), else the first; a note names
    both files."""
    repeats = find_duplicates([_identity(p) for p in projects])
    kept = list(projects)
    for index, first in sorted(repeats.items()):
        earlier, again = projects[first], projects[index]
        if _total(again) is not None and _total(kept[first]) is None:
            kept[first] = again
        note = duplicate_note(_where(earlier), _where(again))
        found.notes.append(f"{note}；汇总采用「{_where(kept[first])}」")
    for index, project in enumerate(kept):
        if index not in repeats:
            found.units.setdefault(project.unit, []).append(project)


def _identity(project: ProjectForm) -> FormIdentity:
    # The unit the summary files the project under (a form that does not name its unit belongs to
    # its folder, so a copy beside it matches).
    found = identity_of(project.form)
    return FormIdentity(project.unit, found.year, found.title, found.code)


def _total(project: ProjectForm) -> float | None:
    return project.form.total.reported if project.form.total else None


def _where(project: ProjectForm) -> str:
    form = project.form
    return f"{form.file} · {form.sheet}" + (f" · {form.part}" if form.part else "")
