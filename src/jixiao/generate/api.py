"""Generating blank forms: rubric + year + unit + projects → workbooks on disk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao.generate.formulas import Dialect
from jixiao.generate.layout import FormContext, ProjectInfo, layout_workbook
from jixiao.generate.writer import write_workbook
from jixiao.rubric.model import Rubric
from jixiao.workbook.files import fit_file_name, safe_file_name


@dataclass(frozen=True)
class Request:
    rubric: Rubric
    year: int
    unit: str = ""
    unit_code: str = ""
    projects: tuple[ProjectInfo, ...] = ()
    dialect: Dialect = "xlwings"
    split: bool = False  # one file per project instead of one sheet per project
    password: str | None = None
    overwrite: bool = False


def contexts_for(request: Request) -> list[list[FormContext]]:
    """The forms to write, grouped by output file."""
    rubric, year, unit = request.rubric, request.year, request.unit
    if rubric.scope == "unit":
        # A unit form: its projects become the 年度目标 / 分项目标 groups.
        return [[FormContext(year, unit, request.unit_code, project=None, goals=request.projects)]]
    projects = request.projects or (ProjectInfo(),)
    contexts = [FormContext(year, unit, request.unit_code, project=project) for project in projects]
    if request.split:
        return [[context] for context in contexts]
    return [contexts]


def output_name(request: Request, group: list[FormContext]) -> str:
    title = request.rubric.title
    project = group[0].project
    if request.split and project is not None and project.name:
        return fit_file_name(safe_file_name(f"{request.year}年度{project.name}{title}"), ".xlsx")
    return fit_file_name(safe_file_name(f"{request.year}年度{request.unit}{title}"), ".xlsx")


def generate(
    request: Request,
    outdir: str | Path,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write the workbooks; returns their paths. Existing files are kept unless ``overwrite``."""
    groups = contexts_for(request)
    directory = Path(outdir)
    names: list[str] = [output_name(request, group) for group in groups]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(
            f"多个项目会写到同一个文件名：{'、'.join(sorted(duplicates))}；请检查项目名称是否重复"
        )
    if not request.overwrite:
        # Refuse before writing anything, so a batch never stops halfway on an existing file.
        existing = [directory / name for name in names if (directory / name).exists()]
        if existing:
            shown = "、".join(str(path) for path in existing[:3]) + ("…" if len(existing) > 3 else "")
            raise FileExistsError(f"{shown} 已存在；如确需覆盖，请加 --overwrite")
    written: list[Path] = []
    for index, (group, name) in enumerate(zip(groups, names, strict=True), start=1):
        layout = layout_workbook(request.rubric, group, request.dialect)
        written.append(
            write_workbook(layout, directory / name, password=request.password, overwrite=request.overwrite)
        )
        if progress is not None:
            progress(index, len(groups))
    return written


def merge_projects(listed: Sequence[ProjectInfo], carried: Sequence[ProjectInfo]) -> tuple[ProjectInfo, ...]:
    """A project list and last year's projects: the list decides which projects exist and their funds;
    last year's indicators and goals fill in what the list does not give."""
    if not listed:
        return tuple(carried)
    by_key = {p.code or p.name: p for p in carried}
    merged = []
    for project in listed:
        previous = by_key.get(project.code or project.name) or by_key.get(project.name)
        if previous is None:
            merged.append(project)
            continue
        merged.append(
            ProjectInfo(
                name=project.name or previous.name,
                code=project.code or previous.code,
                department=project.department or previous.department,
                implementer=project.implementer or previous.implementer,
                budget=project.budget,
                fiscal=project.fiscal,
                other=project.other,
                purpose=project.purpose or previous.purpose,
                goals=project.goals or previous.goals,
                rows=project.rows if project.rows is not None else previous.rows,
                amount_unit=project.amount_unit,
                attribute=project.attribute or previous.attribute,
                leader=project.leader or previous.leader,
                phone=project.phone or previous.phone,
                period=project.period or previous.period,
                long_goals=project.long_goals or previous.long_goals,
                preparer=project.preparer or previous.preparer,
                unit_head=project.unit_head or previous.unit_head,
            )
        )
    return tuple(merged)
