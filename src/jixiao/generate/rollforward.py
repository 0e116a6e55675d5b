"""Reading last year's filled jixiao workbook back, to start next year's forms from it.

What carries over is what a unit would write again: the projects (name, code, departments, goals)
and their indicator rows with targets and weights as suggestions. What happened last year — the
budget, actuals, judged scores, scores, explanations — stays behind.

The workbook is found by the names jixiao defines (指标_一级 … in :data:`COLUMN_NAMES`), so rows a
user inserted inside the indicator table are read too; header fields are read by name where the
rubric gave them one, otherwise found by their labels. The file is opened and never saved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.core.scoring import to_number
from jixiao.core.values import Comparator, ValueKind, format_number, parse_value
from jixiao.generate.layout import ProjectInfo
from jixiao.rubric import RubricError, builtin_rubrics
from jixiao.rubric.model import FormKind, RowTemplate, Rubric
from jixiao.workbook.cells import Area, display, label_key, names_for
from jixiao.workbook.contract import COLUMN_NAMES, GENERATOR, INSTRUCTIONS_SHEET, META_SHEET, NATURE_SPELLINGS
from jixiao.workbook.opener import UnreadableFile, load_workbook
from jixiao.workbook.vocabulary import vocabulary

# Names read back, by RowTemplate field (plus "goal" for unit forms grouped by 年度目标).
_READ = ("goal", "level1", "level2", "level3", "description", "nature", "target", "unit", "weight", "basis")
_COMMON_ONLY = "指标_参考分值"  # only the common-indicator table (部门整体 共性指标) has it
# Header labels → ProjectInfo field (or unit_code), from the header vocabulary's project_fields; the
# value is the cell right of the label (after its merge).
_HEADER_LABELS = vocabulary().field_of(("name", "code", "department", "implementer", "purpose", "unit_code"))
_HEADER_ROWS = 12
# The goal text: under the 年初设定目标 header of the 总目标 pair, or right of a 绩效目标 text box.
_GOAL_BELOW = ("年初设定目标",)
_GOAL_RIGHT = ("绩效目标", "年度绩效目标", "项目绩效目标", "年度总体目标", "年度总体目标：预期目标")
# Header cells a rubric gave a workbook name (FieldSpec.name / TextBlock.name): read by name first.
_NAMED_FIELDS = {
    "项目名称": "name",
    "项目编码": "code",
    "主管部门": "department",
    "实施单位": "implementer",
    "资金用途": "purpose",
    "绩效目标": "goals",
    "年初设定目标": "goals",
    "单位编码": "unit_code",
    "项目属性": "attribute",
    "项目负责人": "leader",
    "联系电话": "phone",
    "实施期": "period",
    "长期目标": "long_goals",
    "填报人": "preparer",
    "单位负责人": "unit_head",
}
_GOAL_ROWS = 40
_COMPARATOR_NATURE = {Comparator.AT_LEAST: "≥", Comparator.AT_MOST: "≤", Comparator.EQUAL: "="}
# A goal label still reading "年度目标3" names no project (the rubric's numbered placeholder).
_NUMBERED_LABEL = re.compile(r"[^\d：:]{1,8}\d{1,3}")
_NUMBERED_PREFIX = re.compile(r"[^\d：:\s]{1,8}\s*\d{1,3}\s*[：:]")


# The weight a national form writes after its 一级 name: 「产出指标（50分）」 → 产出指标.
_WEIGHT_SUFFIX = re.compile(r"\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


class RollForwardError(ValueError):
    """A workbook that cannot be rolled forward; the message names the file and the problem."""


@dataclass(frozen=True)
class PreviousYear:
    year: int | None
    unit: str
    unit_code: str
    rubric: str
    dialect: str
    projects: tuple[ProjectInfo, ...]
    # "project" or "unit" (部门整体); "" when the workbook does not say (a rubric file of the user's).
    scope: str = ""


_SCOPE_WORDS = {"project": "项目支出表", "unit": "部门整体表"}
# The self-evaluation kinds say their scope; a 目标表 exists for both, so its rubric is looked up.
_KIND_SCOPE = {FormKind.PROJECT_SELF.value: "project", FormKind.UNIT_SELF.value: "unit"}


def _scope(meta: dict[str, str]) -> str:
    scope = _KIND_SCOPE.get(meta.get("kind", ""))
    if scope:
        return scope
    try:
        rubric = builtin_rubrics().get(meta.get("rubric", ""))
    except RubricError:
        return ""
    return rubric.scope if rubric is not None else ""


def refuse_other_scope(previous: PreviousYear, rubric: Rubric, label: str) -> None:
    """A 部门整体 form's 年度目标 groups read as projects of a project rubric (and a project form's
    projects as 年度目标 of a unit rubric) make forms nobody asked for: refuse the pair."""
    if previous.scope and previous.scope != rubric.scope:
        raise RollForwardError(
            f"{label}：是{_SCOPE_WORDS[previous.scope]}（表样 {previous.rubric}），而表样「{rubric.name}」"
            f"是{_SCOPE_WORDS[rubric.scope]}，不能沿用；请选用{_SCOPE_WORDS[previous.scope]}的表样"
        )


# -- cells ------------------------------------------------------------------------------------


# -- names ------------------------------------------------------------------------------------


def _names_of(workbook: Any, sheet: Any) -> dict[str, Area]:
    """The single-column names pointing into ``sheet``: its own names first, then workbook names."""
    return {name: area for name, area in names_for(workbook, sheet).items() if area.min_col == area.max_col}


# -- the indicator table ----------------------------------------------------------------------


def _target(value: object, number_format: str, nature: str, unit: str) -> str:
    """The target as text either dialect can reuse: the native form's 95 with ≥ and % → "≥95%"."""
    number: str | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = display(value, number_format)
    elif isinstance(value, str) and (nature or unit):
        # "90" typed (or generated) as text beside 性质 ≥ and 单位 %: the same as the number 90.
        parsed = parse_value(value)
        bare = parsed.comparator is None and parsed.unit is None and parsed.period is None
        if parsed.kind is ValueKind.QUANTITY and bare and len(parsed.numbers) == 1:
            number = format_number(parsed.numbers[0])
    if number is not None:
        if number.endswith("%") and unit == "%":
            unit = ""  # typed as 95% in a % cell: the sign is already there
        prefix = nature if nature in ("≥", "≤", "=") else ""
        return f"{prefix}{number}{unit}"
    return display(value, number_format)


def _inferred(target: str) -> tuple[str, str]:
    """性质 and 度量单位 read from a target text: "≥95%" → ("≥", "%"), "明显提升" → ("定性", "")."""
    if not target:
        return "", ""
    value = parse_value(target)
    if value.kind in (ValueKind.QUALITATIVE, ValueKind.DEADLINE):
        return "定性", ""  # a deadline (「12月底前」, 「按期完成」) is judged by band in a native form
    if value.kind is not ValueKind.QUANTITY:
        return "", ""
    nature = _COMPARATOR_NATURE.get(value.comparator, "") if value.comparator is not None else ""
    unit = value.unit or ""
    if value.period:
        unit = f"{unit}/{value.period}"
    return nature, unit


def _weight(value: object) -> float | None:
    try:
        number = to_number(value, "分值")
    except ValueError:
        return None  # a weight that is not a number is not worth suggesting
    return number if number is not None and number >= 0 else None


def _indicator_rows(sheet: Any, names: dict[str, Area]) -> Iterator[tuple[str | None, RowTemplate | None]]:
    """(goal label or None, row) for every indicator row, top to bottom; the row is None when its
    一级/二级/三级/目标值 are all blank (kept so that a goal with no rows is still seen)."""
    columns = {key: names[COLUMN_NAMES[key]] for key in _READ if COLUMN_NAMES[key] in names}
    if "level1" not in columns and "level3" not in columns:
        return
    first = min(column.min_row for column in columns.values())
    # Clipped to the rows the sheet has: a name stretched over a whole column (B11:B1048576) must
    # not make a million cells.
    last = min(max(column.max_row for column in columns.values()), sheet.max_row)
    # 一级 / 二级 merged over their rows (official layout): every row reads its range's first cell.
    # Only the table's rows and read columns are mapped, so a huge merged range costs nothing.
    read_cols = {column.min_col for column in columns.values()}
    anchor = {
        (row, col): (merged.min_row, merged.min_col)
        for merged in sheet.merged_cells.ranges
        for row in range(max(merged.min_row, first), min(merged.max_row, last) + 1)
        for col in read_cols
        if merged.min_col <= col <= merged.max_col
    }
    goal: str | None = None
    for row in range(first, last + 1):
        cells = {
            key: sheet.cell(*anchor.get((row, column.min_col), (row, column.min_col)))
            for key, column in columns.items()
        }
        if "goal" in cells:
            # The goal cell is merged down its group: only the group's first row holds the text.
            label = display(cells["goal"].value)
            if label:
                goal = label
        text = {key: display(c.value, c.number_format) for key, c in cells.items() if key != "target"}
        nature = NATURE_SPELLINGS.get(text.get("nature", "").replace(" ", ""), "")
        unit = text.get("unit", "")
        target_cell = cells.get("target")
        target = (
            _target(target_cell.value, target_cell.number_format, nature, unit)
            if target_cell is not None
            else ""
        )
        weight = _weight(cells["weight"].value) if "weight" in cells else None
        # 一级 and 二级 alone are the table's structure (the rubric lays them out again); a row
        # carries something once it names an indicator, a target or a weight.
        if not any((text.get("level3"), text.get("description"), target)) and weight is None:
            yield goal, None
            continue
        if not nature or not unit:
            # xlwings forms have no 性质/单位 columns (and natives may leave them blank): read them
            # from the target text so a native form made from this row gets them too.
            inferred_nature, inferred_unit = _inferred(target)
            nature, unit = nature or inferred_nature, unit or inferred_unit
        template = RowTemplate(
            level1=_WEIGHT_SUFFIX.sub("", text.get("level1", "")),  # 「产出指标（50分）」
            level2=text.get("level2", ""),
            level3=text.get("level3", ""),
            description=text.get("description", ""),
            target=target,
            weight=weight,
            basis=text.get("basis", ""),
            nature=nature,  # type: ignore[arg-type]  # one of NATURE_SPELLINGS' values or ""
            unit=unit,
        )
        yield goal, template


def _goal_name(label: str) -> str:
    """The project a goal group was made for: "年度目标1：某某项目" → "某某项目"; an untouched
    "年度目标1" → ""; a label the user rewrote ("（一）政治协商：保障会议召开") is kept whole."""
    text = label.strip()
    prefix = _NUMBERED_PREFIX.match(text)
    if prefix:
        return text[prefix.end() :].strip()
    return "" if _NUMBERED_LABEL.fullmatch(text.replace(" ", "")) else text


# -- header fields ----------------------------------------------------------------------------


def _right_of(sheet: Any, row: int, col: int) -> object:
    """The value cell beside a label: the first cell after the label's merged range."""
    end = col
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            end = merged.max_col
            break
    return sheet.cell(row=row, column=end + 1).value


def _header(sheet: Any, limit: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in sheet.iter_rows(min_row=1, max_row=max(limit, _HEADER_ROWS, _GOAL_ROWS)):
        for item in row:
            key = label_key(item.value)
            if not key:
                continue
            r, c = item.row, item.column
            if r <= _HEADER_ROWS and key in _HEADER_LABELS and _HEADER_LABELS[key] not in found:
                found[_HEADER_LABELS[key]] = display(_right_of(sheet, r, c))
            elif r < limit and "goals" not in found:
                if key in _GOAL_BELOW:
                    found["goals"] = display(sheet.cell(row=r + 1, column=c).value)
                elif key in _GOAL_RIGHT:
                    found["goals"] = display(_right_of(sheet, r, c))
    return found


# -- the workbook -----------------------------------------------------------------------------


def _meta(workbook: Any, label: str) -> dict[str, str]:
    if META_SHEET not in workbook.sheetnames:
        raise RollForwardError(
            f"{label}：不是 jixiao 生成的工作簿（没有隐藏的「{META_SHEET}」工作表），无法沿用上年数据；"
            "请用 jixiao new 生成的表格"
        )
    meta: dict[str, str] = {}
    for key, value in workbook[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(key, str) and key and key not in meta:
            meta[key] = display(value)
    if meta.get("generator") != GENERATOR:
        raise RollForwardError(
            f"{label}：不是 jixiao 生成的工作簿（「{META_SHEET}」中没有 generator=jixiao）"
        )
    return meta


def _year(text: str) -> int | None:
    try:
        year = int(float(text))
    except ValueError:
        return None
    return year if 1900 <= year <= 2999 else None


def _open(file: Path, label: str) -> Any:
    if not file.is_file():
        raise RollForwardError(f"找不到上年工作簿：{file}")
    if file.suffix.lower() in (".xls", ".et", ".ods"):
        raise RollForwardError(f"{label}：不支持 {file.suffix} 格式，请用 jixiao 生成的 .xlsx 工作簿")
    try:
        # Not read_only: defined names and merged ranges are needed (the opener bounds the cells a
        # full load builds). data_only: a user who typed a formula into an input cell (=60/4) gets
        # its value, as Excel last computed it.
        return load_workbook(file, read_only=False, label=label)
    except UnreadableFile as error:
        raise RollForwardError(str(error)) from None


def _sheet_projects(workbook: Any, sheet: Any) -> tuple[list[ProjectInfo], str] | None:
    """The projects on one form sheet and its 单位编码; None for a sheet that is not a form."""
    names = _names_of(workbook, sheet)
    if _COMMON_ONLY in names:
        names = {}  # 共性指标 rows are fixed by the rubric, not the user's to carry
    table = names.get(COLUMN_NAMES["level1"]) or names.get(COLUMN_NAMES["level3"])
    header = _header(sheet, table.min_row - 1 if table else _GOAL_ROWS)
    for name, field in _NAMED_FIELDS.items():
        column = names.get(name)
        if column is not None and column.min_row == column.max_row:
            header[field] = display(sheet.cell(row=column.min_row, column=column.min_col).value)
    if not names and not header:
        return None
    rows = list(_indicator_rows(sheet, names))
    unit_code = header.pop("unit_code", "")
    if COLUMN_NAMES["goal"] in names:
        # A unit form: each 年度目标 group was one project of the list it was made from.
        groups: dict[str, list[RowTemplate]] = {}
        for goal, template in rows:
            group = groups.setdefault(goal or "", [])
            if template is not None:
                group.append(template)
        projects = [
            ProjectInfo(name=_goal_name(goal), rows=tuple(templates) or None)
            for goal, templates in groups.items()
            if _goal_name(goal) or templates
        ]
        return projects, unit_code
    if "name" not in header:
        # A unit form without goal groups (or the 共性指标 table): no project to name. Its rows, if
        # any, still make one nameless project so a goal-grouped form next year can start from them.
        carried = tuple(template for _, template in rows if template is not None)
        return ([ProjectInfo(rows=carried)] if carried else []), unit_code
    project = ProjectInfo(
        name=header["name"],
        code=header.get("code", ""),
        department=header.get("department", ""),
        implementer=header.get("implementer", ""),
        budget=None,  # last year's budget says nothing about next year's
        purpose=header.get("purpose", ""),
        goals=header.get("goals", ""),
        # A project already on last year's form continues: 新增 then, 延续 now.
        attribute="延续" if header.get("attribute") else "",
        leader=header.get("leader", ""),
        phone=header.get("phone", ""),
        period=header.get("period", ""),
        long_goals=header.get("long_goals", ""),
        preparer=header.get("preparer", ""),
        unit_head=header.get("unit_head", ""),
        # No rows read: None lets next year's form start from the rubric's default rows.
        rows=tuple(template for _, template in rows if template is not None) or None,
    )
    return [project], unit_code


def read_previous(path: str | os.PathLike[str]) -> PreviousYear:
    """Read a previous year's filled jixiao workbook (never modified).

    Raises :class:`RollForwardError` with a Chinese message for files jixiao did not write.
    """
    file = Path(path)
    label = file.name
    workbook = _open(file, label)
    try:
        meta = _meta(workbook, label)
        projects: list[ProjectInfo] = []
        unit_code = meta.get("unit_code", "")
        for sheet in workbook.worksheets:
            if sheet.title in (INSTRUCTIONS_SHEET, META_SHEET):
                continue
            found = _sheet_projects(workbook, sheet)
            if found is None:
                continue
            projects += found[0]
            unit_code = unit_code or found[1]
    finally:
        workbook.close()
    return PreviousYear(
        year=_year(meta.get("year", "")),
        unit=meta.get("unit", ""),
        unit_code=unit_code,
        rubric=meta.get("rubric", ""),
        dialect=meta.get("dialect", ""),
        projects=tuple(projects),
        scope=_scope(meta),
    )


__all__ = ["PreviousYear", "RollForwardError", "read_previous", "refuse_other_scope"]
