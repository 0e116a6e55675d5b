"""Target-form checks that need more than one file: run in the parent after the batch.

A unit form is set against the project forms of the same unit found in the same run, and with
``--previous`` every target form against last year's self-evaluation of the same project. The
findings join the results of the files they are about, so the table, the JSON and the review
workbook show them like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jixiao.check.read import FileResult, describe_error, read_forms
from jixiao.check.target_checks import check_previous, check_unit_budget
from jixiao.check.target_forms import PreviousForm, TargetForm, name_key
from jixiao.check.target_read import previous_forms
from jixiao.workbook.discovery import collect


def read_previous(paths: Sequence[Path]) -> tuple[list[PreviousForm], list[str]]:
    """Last year's self-evaluation forms in ``paths``, and notes on the files that gave none."""
    forms = []
    notes: list[str] = []
    for file in collect(paths):
        try:
            filled, result = read_forms(file)
        except Exception as error:
            notes.append(f"上年自评表 {file} 无法读取：{describe_error(error)}")
            continue
        notes += [
            f"上年自评表 {file} 无法读取：{f.reason}" for f in result.findings if f.kind.value == "unreadable"
        ]
        if not filled and result.targets:
            notes.append(f"{file} 是绩效目标表，不是上年的自评表，没有用于对比")
        forms += filled
    return previous_forms(forms), notes


def _same_unit(a: str, b: str) -> bool:
    return not a or not b or name_key(a) == name_key(b)


def _distinct(projects: list[TargetForm]) -> list[TargetForm]:
    """One form per project: the same project in two files (jixiao and hand-made copies) counts once."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for form in projects:
        key = (form.code.strip(), name_key(form.project or form.title))
        if key not in seen:
            seen.add(key)
            kept.append(form)
    return kept


def cross_check(results: Sequence[FileResult], previous: Sequence[PreviousForm] = ()) -> None:
    """Add the findings that compare target forms across files to ``results`` (in place)."""
    targets = [(result, form) for result in results for form in result.targets]
    projects = [form for _, form in targets if form.scope == "project"]
    for result, form in targets:
        if previous:
            result.findings += check_previous(form, previous)
        if form.scope == "unit":
            mine = _distinct([p for p in projects if _same_unit(p.unit, form.unit)])
            result.findings += check_unit_budget(form, mine)


def review_across_files(results: Sequence[FileResult], previous_paths: Sequence[Path] = ()) -> None:
    """What ``jixiao check`` adds after the batch: the cross-file target checks, and notes."""
    if not results:
        return
    if not any(result.targets for result in results):
        if previous_paths:
            results[0].notes.append(
                "--previous 只用于审核绩效目标表；本次检查的文件中没有目标表，未与上年对比"
            )
        return
    previous, notes = read_previous(previous_paths) if previous_paths else ([], [])
    if previous_paths and not previous:
        notes.append("--previous 给出的文件中没有找到上年的自评表，未与上年对比")
    cross_check(results, previous)
    results[0].notes += notes
