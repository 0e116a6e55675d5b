"""Workbooks made from the seed transcription (:mod:`seed_data`): hand-made (legacy) sheets laid
out like the seed tables, jixiao workbooks generated from the built-in rubrics and filled in, and
the list of samples in ``xlsx_samples/`` with the function that builds them.

Legacy sheets: merged 一级 / 二级 cells down their rows, weights inside labels ("数量指标7（0.5分）"),
"年度目标N（X分）" group rows, 执行率 as a percentage-formatted number. The checker's tests
(test_check_*.py) use the same builders, so their cell positions are part of those tests.

jixiao workbooks: generated with :func:`jixiao.generate.api.generate` (xlwings formulas, the
generator's default), indicator rows prefilled through :class:`ProjectInfo` rows, then filled through
the workbook names the way a unit fills a form: actual values and the *reported* scores. A reported
score replaces the cell's formula with the plain number — the checker compares what was reported
with what the rules give, never the other way round.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.generate.api import Request, generate
from jixiao.generate.layout import META_SHEET, ProjectInfo
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import RowTemplate
from seed_data import (
    SEED000_PROJECTS,
    SEED000_UNIT,
    SEED001,
    SEED002_PROJECTS,
    SEED002_UNIT,
    SEED003_UNIT,
    SEED004,
    Execution,
    Indicator,
    ProjectForm,
    TargetProject,
    UnitForm,
)

INSTRUCTIONS_SHEET = "填表说明"
YEAR = 2020  # the self-evaluations are for 2020; seed 004's targets are for its own year (2021)
# What a jixiao project form's 偏差原因 column says for a row that lost points when the seed explains
# it in the form's 偏差大或目标未完成原因分析 box (the seed's forms have no per-row column).
SEE_BOX = "见「偏差大或目标未完成原因分析」"


# =================================================================================================
# Legacy (hand-made) sheets
# =================================================================================================


@dataclass(frozen=True)
class M:
    """A cell spanning ``across`` columns and ``down`` rows (merged), with a number format."""

    value: object
    across: int = 1
    down: int = 1
    fmt: str | None = None


def write_rows(ws: Worksheet, rows: Sequence[Sequence[object]], start: int = 1) -> int:
    """Write rows left to right the way the seed text reads: cells covered by a merge from a
    row above are skipped. Returns the next free row."""
    occupied: set[tuple[int, int]] = set()
    for offset, row in enumerate(rows):
        r = start + offset
        c = 1
        for item in row:
            while (r, c) in occupied:
                c += 1
            cell = item if isinstance(item, M) else M(item)
            target = ws.cell(r, c)
            target.value = cell.value
            if cell.fmt:
                target.number_format = cell.fmt
            if cell.across > 1 or cell.down > 1:
                ws.merge_cells(
                    start_row=r, start_column=c, end_row=r + cell.down - 1, end_column=c + cell.across - 1
                )
                for rr in range(r, r + cell.down):
                    for cc in range(c, c + cell.across):
                        occupied.add((rr, cc))
            c += cell.across
    return start + len(rows)


def pct(x: float, fmt: str = "0.00%") -> M:
    return M(x, fmt=fmt)


def rate_cell(written: str) -> M:
    """A rate as a spreadsheet holds it: "87.9%" → 0.879 shown with one decimal ("0.0%")."""
    number = written.rstrip("%")
    decimals = len(number.split(".")[1]) if "." in number else 0
    return pct(round(float(number) / 100, decimals + 2), "0." + "0" * decimals + "%" if decimals else "0%")


def _merged_runs(values: list[str]) -> list[int]:
    """For each row, how many rows its label cell spans (0: covered by the label above)."""
    spans = [0] * len(values)
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            spans[start] = index - start
            start = index
    return spans


def indicator_rows(items: Sequence[Indicator]) -> list[list[object]]:
    """Rows with the 一级 and 二级 cells merged down their runs, as the seeds print them."""
    level1 = _merged_runs([item.level1 for item in items])
    level2 = _merged_runs([item.level2 for item in items])
    out: list[list[object]] = []
    for index, item in enumerate(items):
        cells: list[object] = []
        if level1[index]:
            cells.append(M(item.level1, down=level1[index]))
        if level2[index]:
            cells.append(M(item.level2, down=level2[index]))
        cells += [item.name, item.target or None, item.actual or None, item.score]
        out.append(cells)
    return out


def _execution_rows(label: str, execution: Execution) -> list[list[object]]:
    return [
        [
            M(label, down=2),
            None,
            "预算数 (A)",
            "执行数 (B)",
            "执行率 (B/A)",
            M("得分 (20分*执行率)", 2),
        ],
        [
            execution.label,
            execution.budget,
            execution.actual,
            rate_cell(execution.rate),
            M(execution.score, 2),
        ],
    ]


def hubei_project_sheet(ws: Worksheet, form: ProjectForm) -> None:
    """A Hubei 项目支出绩效自评表 as the seed prints it (seed 002 其他支出: G10, G12, F6, C18 …)."""
    rows: list[list[object]] = []
    if form.title:
        rows.append([M(form.title, 7)])
    header = f"单位名称：{form.unit}      填报日期：{form.date}      自评得分："
    rows += [
        [M(header, 6), form.reported_total],
        [M("项目名称", 2), M(form.name, 5)],
        [M("主管部门", 2), M(form.department, 2), "项目实施单位", M(form.implementer, 2)],
        *_execution_rows("预算执行情况 (万元) (20分)", form.execution),
        [M("项目绩效总目标 (20分)", down=2), M("年初设定目标", 2), M("全年实际完成情况", 3), "得分"],
        [M(form.goal_target, 2), M(form.goal_actual, 3), form.goal_score],
        [
            M("项目年度绩效指标 (60分)", down=1 + len(form.indicators)),
            "一级指标",
            "二级指标",
            "指标名称",
            "年初目标值 (A)",
            "实际完成值 (B)",
            "得分",
        ],
        *indicator_rows(form.indicators),
        [M("偏差大或目标未完成原因分析", 2), M(form.deviation or None, 5)],
        [M("改进措施及结果应用方案", 2), M(form.measures, 5)],
    ]
    write_rows(ws, rows)


def _project(forms: Sequence[ProjectForm], name: str) -> ProjectForm:
    return next(form for form in forms if form.name.startswith(name))


def seed002_other(ws: Worksheet) -> None:
    """2020年度其他支出项目自评表: 执行率 87.9 % scored 17.6 (rule 17.58), 偏差原因 left empty."""
    hubei_project_sheet(ws, _project(SEED002_PROJECTS, "其他支出"))


def seed000_project(ws: Worksheet) -> None:
    """委员视察、专委会活动、常委调研视察等: weights nowhere on the form, 96 = 20 + 20 + 56."""
    hubei_project_sheet(ws, _project(SEED000_PROJECTS, "委员视察"))


def seed000_unit(ws: Worksheet) -> None:
    """2020 年度政协洪山区委员会办公室整体绩效自评表: the execution block (18 for 98.20 %) and the
    indicator table. The 年度目标（38分）block, scored by hand as a whole, and the 总分 it feeds
    are left out: the indicator rows alone cannot add up to them."""
    form = SEED000_UNIT
    [goal] = form.goals
    rows: list[list[object]] = [
        [M(form.title, 7)],
        ["单位名称", M(form.unit, 6)],
        *_execution_rows("预算执行情况 (万元) (20 分)", form.execution),
        [
            M("年度绩效指标", down=1 + len(goal.indicators)),
            "一级指标",
            "二级指标",
            "指标名称",
            "年初目标值",
            "实际完成值",
            "得分",
        ],
        *indicator_rows(goal.indicators),
        [M("偏差大或目标未完成原因分析", 2), M(form.deviation, 5)],
        [M("改进措施及结果应用方案", 2), M(form.measures, 5)],
    ]
    write_rows(ws, rows)


def seed003_unit(ws: Worksheet) -> None:
    """2020年度区机关事务服务中心部门整体绩效自评表: 年度目标7 reports 6, its rows add up to 7."""
    form = SEED003_UNIT
    rows: list[list[object]] = [
        [M(form.title, 7)],
        [M(f"单位名称：{form.unit}    填报日期：{form.date}", 7)],
        ["单位名称", M(form.unit, 6)],
        ["基本支出总额", M(form.basic_total, 2), "项目支出总额", M(form.project_total, 3)],
        *_execution_rows("预算执行情况（万元）\n（20分）", form.execution),
    ]
    for goal in form.goals:
        rows.append([M(goal.label, 6), goal.reported])
        rows.append(
            [
                M(f"{goal.name}年度绩效指标", down=len(goal.indicators) + 1),
                "一级指标",
                "二级指标",
                "三级指标",
                "年初目标值（A）",
                "实际完成值（B）",
                "得分",
            ]
        )
        rows += indicator_rows(goal.indicators)
    rows += [
        [M("总分", 6), form.reported_total],
        [M("偏差大或\n目标未完成\n原因分析", 2), M(form.deviation, 5)],
        [M("改进措施及\n结果应用方案", 2), M(form.measures, 5)],
    ]
    write_rows(ws, rows)


def seed002_unit(ws: Worksheet) -> None:
    """2020年度洪山街道办事处整体绩效自评表: 0.3 for 80 % → 60 % of 0.5 (rule 0.38); total 94.87."""
    form = SEED002_UNIT
    rows: list[list[object]] = [
        [M(form.title, 7)],
        [M(f"填报日期：{form.date} 总分： {form.reported_total}", 7)],
        [M("单位名称", 2), M(form.unit, 5)],
        *_execution_rows("预算执行情况 (万元) (20分)", form.execution),
    ]
    for goal in form.goals:
        rows.append([M(f"{goal.label}：{goal.name}", 7)])
        rows.append(
            [
                M(f"年度绩效指标{goal.number}", down=len(goal.indicators) + 1),
                "一级指标",
                "二级指标",
                "指标名称",
                "指标值",
                "实际完成值",
                "得分",
            ]
        )
        rows += indicator_rows(goal.indicators)
    rows += [
        [None, M("偏差大或目标未完成原因分析", 2), M(form.deviation, 4)],
        [M("改进措施及结果应用方案", 2), M(form.measures, 5)],
    ]
    write_rows(ws, rows)


def seed001_common(ws: Worksheet, *, balance: float | None = None, overall: float | None = None) -> None:
    """晋中市部门整体支出绩效自评表: 14.56 + 1086.45 − 64.60 − 1031.73 = 4.68; 96.70 → 优.

    ``balance`` / ``overall`` replace the reported 年末结余 / 综合得分 (the checker's tests use them
    to make the funds or the total disagree)."""
    form = SEED001
    rows: list[list[object]] = [
        [M(form.title, 7)],
        [M(form.year_line, 7)],
        [M("单位负责人", 2), form.head, M("单位联系电话", 2), M(form.phone, 2)],
        [M("上年结转金额 (万元)", 2), form.carry, M("年初预算金额(万元)", 2), M(form.initial, 2)],
        [M("预算调整金额 (万元)", 2), form.adjust, M("其他调整资金(万元)", 2), M(form.other, 2)],
        [
            M("预算执行金额 (万元)", 2),
            form.executed,
            M("年末结余金额(万元)", 2),
            M(form.balance if balance is None else balance, 2),
        ],
        [M("单位职能概况", 2), M(form.functions, 5)],
        [None, "二级指标", "三级指标", M("指标分值", 2), "计算分析情况", "评价得分"],
        [None, None, None, "参考分值", "设定分值"],
    ]
    body: list[list[object]] = []
    for group in form.groups:
        body.append([group.label, None, group.weight, group.weight, "—", group.reported])
        spans = _merged_runs([row.level2 for row in group.rows])
        for index, row in enumerate(group.rows):
            head = [M(row.level2, down=spans[index])] if spans[index] else []
            body.append(
                [
                    *head,
                    row.level3,
                    row.reference,
                    M(row.weight, fmt="0.00"),
                    row.analysis,
                    M(row.score, fmt="0.00"),
                ]
            )
    body[0] = [M("绩效情况", down=len(body)), *body[0]]
    rows += body
    total = form.reported_total if overall is None else overall
    rows += [
        [None, "综合得分", None, 100, None, M(total, fmt="0.00")],
        [M("评价结果等次:", 3), M(form.grade, 4)],
    ]
    write_rows(ws, rows)


def legacy_workbook(path: Path, sheets: dict[str, Callable[[Worksheet], None]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, build in sheets.items():
        build(book.create_sheet(title))
    book.save(path)
    return path


# -- the transcription in the tuple shapes the builders' own tests check ----------------------------

SEED003_GOALS: list[tuple[str, str, float, float, list[tuple[str, str, str, str, str, float]]]] = [
    (
        goal.label,
        f"{goal.name}年度绩效指标",
        goal.weight or 0.0,
        goal.reported or 0.0,
        [
            # A blank 二级 continues the one above (a merged cell), as the seed prints it.
            (
                item.level1,
                "" if index and item.level2 == goal.indicators[index - 1].level2 else item.level2,
                item.name,
                item.target,
                item.actual,
                item.score or 0.0,
            )
            for index, item in enumerate(goal.indicators)
        ],
    )
    for goal in SEED003_UNIT.goals
]


def _sections(items: Sequence[Indicator]) -> list[tuple[str, list[tuple[str, str, str, str, float]]]]:
    out: list[tuple[str, list[tuple[str, str, str, str, float]]]] = []
    for item in items:
        if not out or out[-1][0] != item.level1:
            out.append((item.level1, []))
        out[-1][1].append((item.level2, item.name, item.target, item.actual, item.score or 0.0))
    return out


SEED002_GOALS: list[tuple[str, list[tuple[str, list[tuple[str, str, str, str, float]]]]]] = [
    (f"{goal.label}：{goal.name}", _sections(goal.indicators)) for goal in SEED002_UNIT.goals
]

SEED001_GROUPS: list[tuple[str, float, float, list[tuple[str, str, float, str, float]]]] = [
    (
        group.label,
        group.weight,
        group.reported,
        [(row.level2, row.level3, row.reference, row.analysis, row.score) for row in group.rows],
    )
    for group in SEED001.groups
]


# =================================================================================================
# jixiao workbooks, filled in through their names
# =================================================================================================


def names_on(book: Workbook, ws: Worksheet) -> dict[str, tuple[int, int, int, int]]:
    """Every name pointing into ``ws`` → (min_col, min_row, max_col, max_row); sheet-scoped first."""
    found: dict[str, tuple[int, int, int, int]] = {}
    for name, defined in [*ws.defined_names.items(), *book.defined_names.items()]:
        if name in found:
            continue
        for title, ref in defined.destinations:
            if title == ws.title:
                found[name] = range_boundaries(ref.replace("$", ""))  # type: ignore[assignment]
    return found


class _Form:
    """One form sheet of a generated workbook, written through its names."""

    def __init__(self, book: Workbook, ws: Worksheet):
        self.ws = ws
        self.names = names_on(book, ws)

    def put(self, name: str, value: object) -> None:
        """A single-cell name; ``None`` leaves the cell (and any formula in it) as generated."""
        if value is None:
            return
        min_col, min_row, _, _ = self.names[name]
        self._set(min_row, min_col, value)

    def column(self, name: str) -> tuple[int, list[int]]:
        min_col, min_row, _, max_row = self.names[name]
        return min_col, list(range(min_row, max_row + 1))

    def put_column(self, name: str, values: Sequence[object], rows: Sequence[int]) -> None:
        col, _ = self.column(name)
        for row, value in zip(rows, values, strict=True):
            if value is not None and value != "":
                self._set(row, col, value)

    def after_label(self, label: str, value: object) -> None:
        """A value cell no name points at: the one right of its label (past the label's merge)."""
        if value is None or value == "":
            return
        for row in self.ws.iter_rows():
            for cell in row:
                if cell.value == label:
                    end = cell.column
                    for merged in self.ws.merged_cells.ranges:
                        if (cell.row, cell.column) == (merged.min_row, merged.min_col):
                            end = merged.max_col
                    self._set(cell.row, end + 1, value)
                    return
        raise KeyError(f"{self.ws.title}: no label {label!r}")

    def date(self, date: str) -> None:
        """填报日期 is part of the subtitle text: put the date after it."""
        if not date:
            return
        for row in self.ws.iter_rows(max_row=3):
            for cell in row:
                if isinstance(cell.value, str) and "填报日期：" in cell.value:
                    cell.value = re.sub(
                        "填报日期：\u3000*", f"填报日期：{date}\u3000\u3000", cell.value, count=1
                    )
                    return

    def _set(self, row: int, col: int, value: object) -> None:
        cell = self.ws.cell(row, col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text as typed, even "100%" or "=8个"


def _row_template(item: Indicator, *, with_weight: bool = True) -> RowTemplate:
    return RowTemplate(
        level1=item.level1_plain,
        level2=item.level2_plain,
        level3=item.name,
        weight=item.form_weight if with_weight else None,
        target=item.target,
    )


def _fill_rows(form: _Form, items: Sequence[Indicator], rows: Sequence[int], *, explain: bool) -> None:
    """Actual values and reported scores of the prefilled rows (the rubric's blank rows stay blank)."""
    form.put_column("指标_实际值", [item.actual for item in items], rows)
    form.put_column("指标_得分", [item.score for item in items], rows)
    if explain and "指标_偏差原因" in form.names:
        lost = [
            SEE_BOX if item.score is not None and item.form_weight and item.score < item.form_weight else None
            for item in items
        ]
        form.put_column("指标_偏差原因", lost, rows)


def _generate(
    rubric: str, year: int, unit: str, projects: tuple[ProjectInfo, ...], unit_code: str = ""
) -> Workbook:
    with tempfile.TemporaryDirectory() as directory:
        request = Request(builtin_rubrics()[rubric], year, unit, unit_code, projects=projects)
        [path] = generate(request, directory)
        return load_workbook(path)


def _forms(book: Workbook) -> list[_Form]:
    return [_Form(book, ws) for ws in book.worksheets if ws.title not in (INSTRUCTIONS_SHEET, META_SHEET)]


def hubei_project_workbook(path: Path, forms: Sequence[ProjectForm], *, weights: bool = True) -> Path:
    """hubei-project, one sheet per project; ``weights`` False where the seed writes none (000)."""
    projects = tuple(
        ProjectInfo(
            name=form.name,
            department=form.department,
            implementer=form.implementer,
            budget=form.execution.budget,
            goals=form.goal_target,
            rows=tuple(_row_template(item, with_weight=weights) for item in form.indicators),
        )
        for form in forms
    )
    book = _generate("hubei-project", YEAR, forms[0].unit, projects)
    table = builtin_rubrics()["hubei-project"].indicators
    assert table is not None
    for sheet, form, project in zip(_forms(book), forms, projects, strict=True):
        sheet.date(form.date)
        sheet.put("执行数", form.execution.actual)
        sheet.put("执行率得分", form.execution.score)
        sheet.put("全年实际完成情况", form.goal_actual)
        sheet.put("总目标得分", form.goal_score)
        first = sheet.column("指标_得分")[1][0]
        # The form lays rows in the tree's order out by 二级 (an empty row for a 二级 the seed lacks):
        # find where each of the seed's rows went.
        laid = table.level2_rows(list(project.rows or ()))
        position = {id(template): index for index, template in enumerate(laid)}
        # A 偏差原因 pointing at the form's own box only where that box says something.
        _fill_rows(
            sheet,
            form.indicators,
            [first + position[id(template)] for template in project.rows or ()],
            explain=bool(form.deviation),
        )
        sheet.put("总分", form.reported_total)
        sheet.after_label("偏差大或目标未完成原因分析", form.deviation)
        sheet.after_label("改进措施及结果应用方案", form.measures)
    book.save(path)
    return path


def _goal_name(weight: float | None, name: str) -> str:
    """The goal cell says what the seed's goal label says: its declared weight, then what it is."""
    return f"（{weight:g}分）{name}" if weight is not None else name


def hubei_unit_workbook(path: Path, form: UnitForm, *, weights: bool = True) -> Path:
    """hubei-unit: one 年度目标 per seed goal, with its rows, its reported score (seed 003) and the total."""
    goals = tuple(
        ProjectInfo(
            name=_goal_name(goal.weight, goal.name),
            rows=tuple(_row_template(item, with_weight=weights) for item in goal.indicators),
        )
        for goal in form.goals
    )
    book = _generate("hubei-unit", YEAR, form.unit, goals)
    [sheet] = _forms(book)
    sheet.date(form.date)
    sheet.put("基本支出总额", form.basic_total)
    sheet.put("项目支出总额", form.project_total)
    sheet.put("预算数", form.execution.budget)
    sheet.put("执行数", form.execution.actual)
    sheet.put("执行率得分", form.execution.score)
    goal_col, _ = sheet.column("指标_年度目标")
    score_col = _header_column(sheet.ws, "目标得分", sheet.column("指标_年度目标")[1][0] - 1)
    for goal, first in zip(form.goals, _goal_rows(sheet.ws, goal_col), strict=True):
        _fill_rows(sheet, goal.indicators, range(first, first + len(goal.indicators)), explain=False)
        if goal.reported is not None:
            sheet._set(first, score_col, goal.reported)  # the goal's own 得分, as reported
    if form.write_total:
        sheet.put("总分", form.reported_total)
    sheet.after_label("偏差大或目标未完成原因分析", form.deviation)
    sheet.after_label("改进措施及结果应用方案", form.measures)
    book.save(path)
    return path


def _header_column(ws: Worksheet, label: str, row: int) -> int:
    for cell in ws[row]:
        if cell.value == label:
            return cell.column
    raise KeyError(f"{ws.title}: no header {label!r} in row {row}")


def _goal_rows(ws: Worksheet, col: int) -> list[int]:
    """The first row of each 年度目标 group: the goal cell is merged down the group's rows."""
    return sorted(
        merged.min_row
        for merged in ws.merged_cells.ranges
        if merged.min_col == col == merged.max_col and ws.cell(merged.min_row, col).value
    )


def shanxi_workbook(path: Path) -> Path:
    """shanxi-unit-common for seed 001: funds, base data, 评价得分 per row, group lines and total."""
    form = SEED001
    book = _generate("shanxi-unit-common", YEAR, form.unit, ())
    [sheet] = _forms(book)
    sheet.after_label("单位负责人", form.head)
    sheet.after_label("单位联系电话", form.phone)
    for name, value in (
        ("上年结转", form.carry),
        ("年初预算", form.initial),
        ("预算调整", form.adjust),
        ("其他调整", form.other),
        ("预算执行", form.executed),
        ("年末结余", form.balance),
        ("在职人员数", form.staff),
        ("编制数", form.posts),
        ("本年三公经费", form.three_costs),
    ):
        sheet.put(name, value)
    for label, text in (
        ("单位职能概况", form.functions),
        ("单位人员情况", form.people),
        ("预算执行情况", form.budget_text),
        ("部门整体支出绩效评价分析", form.analysis),
        ("其他", form.other_text),
    ):
        sheet.after_label(label, text)
    level3_col, table_rows = sheet.column("指标_三级")
    analysis_col, _ = sheet.column("指标_计算分析")
    score_col, _ = sheet.column("指标_得分")
    rows = {row.level3: row for group in form.groups for row in group.rows}
    groups = iter(form.groups)
    for r in table_rows:
        name = sheet.ws.cell(r, level3_col).value
        if name:
            row = rows.pop(name)
            sheet._set(r, analysis_col, row.analysis)
            sheet._set(r, score_col, row.score)
        else:
            sheet._set(r, score_col, next(groups).reported)  # the group line's 评价得分, as reported
    assert not rows, f"rows the rubric does not have: {sorted(rows)}"
    sheet.put("总分", form.reported_total)
    sheet.put("等级", form.grade)
    _evaluators(sheet.ws)
    book.save(path)
    return path


def _evaluators(ws: Worksheet) -> None:
    """The rubric's blank 评价人员 lines, written with seed 001's four evaluators."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("评价人员："):
                people = "\n".join("　　".join(person) for person in SEED001.evaluators)
                cell.value = (
                    f"评价人员：\n姓名　　职称/职务　　科室　　联系电话\n{people}\n\n"
                    "单位负责人（签章）：　　　　　　　　　　　　　　　　　　　　年　　月　　日"
                )
                return


def _target_project_info(project: TargetProject) -> ProjectInfo:
    return ProjectInfo(
        name=project.name,
        code=project.code,
        budget=project.budget,
        fiscal=project.fiscal,
        other=project.other,
        purpose=project.purpose,
        goals=project.goals,
        rows=tuple(
            RowTemplate(
                level1=row.level1,
                level2=row.level2,
                level3=row.level3,
                description=row.description,
                target=row.target,
                basis=row.basis,
            )
            for row in project.rows
        ),
    )


def target_project_workbook(path: Path) -> Path:
    """target-project for seed 004's four 项目绩效目标表: everything comes in with the project list,
    but the 资金支出计划 percentages."""
    seed = SEED004
    projects = tuple(_target_project_info(project) for project in seed.projects)
    book = _generate("target-project", seed.year, seed.unit, projects, seed.unit_code)
    for sheet, project in zip(_forms(book), seed.projects, strict=True):
        min_col, min_row, _, _ = sheet.names["支出计划"]
        for offset, share in enumerate(project.plan):
            sheet._set(min_row, min_col + offset, share)
    book.save(path)
    return path


def target_unit_workbook(path: Path) -> Path:
    """target-unit for seed 004's 部门整体绩效目标: 总体目标, four 分项目标 with their indicator names
    (the seed gives no values for them), 工作保障措施."""
    seed = SEED004
    goals = tuple(
        ProjectInfo(
            name=f"{goal.name}：{goal.goal}",
            rows=tuple(RowTemplate(level1="", level2="", level3=name) for name in goal.indicators),
        )
        for goal in seed.goals
    )
    book = _generate("target-unit", seed.year, seed.unit, goals, seed.unit_code)
    [sheet] = _forms(book)
    sheet.after_label("总体绩效目标", seed.overall)
    sheet.after_label("工作保障措施", seed.measures)
    book.save(path)
    return path


def seed004_target_sheet(ws: Worksheet, project: TargetProject) -> None:
    """One 预算项目绩效目标表 laid out as seed 004 prints it: the unit line, 项目编码 / 名称, 预算规模
    (预算数 in C4), 资金用途, 资金支出计划 (3月底 … 12月底 on row 6, percentages in B7:E7), 绩效目标 (B8),
    then the indicator table (header on row 10, 一级 merged down, 指标值 in column E, 依据 in F)."""
    seed = SEED004
    level1 = _merged_runs([row.level1 for row in project.rows])
    table: list[list[object]] = []
    for index, item in enumerate(project.rows):
        cells: list[object] = [M(item.level1, down=level1[index])] if level1[index] else []
        cells += [item.level2, item.level3, item.description, item.target, item.basis]
        table.append(cells)
    rows: list[list[object]] = [
        [M(f"{seed.unit_code}{seed.unit}", 4), None, "单位：万元"],
        ["项目编码", M(project.code, 2), "项目名称", M(project.name, 2)],
        [
            M("预算规模及资金用途", down=2),
            "预算数",
            M(project.budget, fmt="0.00"),
            "其中：财政资金",
            M(project.fiscal, fmt="0.00"),
            "其他资金",
            project.other,
        ],
        [M(project.purpose, 6)],
        [M("资金支出计划（%）", down=2), "3月底", "6月底", "10月底", "12月底"],
        [pct(share) for share in project.plan],
        ["绩效目标", M(project.goals, 5)],
        [],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
        *table,
    ]
    write_rows(ws, [[M(f"{project.name}绩效目标表", 6)], *rows])


def seed004_targets() -> dict[str, Callable[[Worksheet], None]]:
    """Seed 004's four 项目绩效目标表, one sheet each, as a hand-made workbook."""
    return {
        project.name: (lambda ws, project=project: seed004_target_sheet(ws, project))
        for project in SEED004.projects
    }


# =================================================================================================
# The samples
# =================================================================================================


@dataclass(frozen=True)
class Sample:
    file: str
    seed: str
    form: str
    layout: str  # "jixiao" or "手工版式"
    rubric: str  # the rubric generated from, or the one `jixiao check` picks for a hand-made layout
    build: Callable[[Path], Path]


def _legacy(sheets: dict[str, Callable[[Worksheet], None]]) -> Callable[[Path], Path]:
    return lambda path: legacy_workbook(path, sheets)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "000-政协洪山区委员会办公室-部门整体绩效自评表.xlsx",
        "000",
        "部门整体绩效自评表",
        "jixiao",
        "hubei-unit",
        lambda path: hubei_unit_workbook(path, SEED000_UNIT, weights=False),
    ),
    Sample(
        "000-政协洪山区委员会办公室-项目支出绩效自评表.xlsx",
        "000",
        "7 张项目支出绩效自评表",
        "jixiao",
        "hubei-project",
        lambda path: hubei_project_workbook(path, SEED000_PROJECTS, weights=False),
    ),
    Sample(
        "000-政协洪山区委员会办公室-部门整体-手工版式.xlsx",
        "000",
        "部门整体绩效自评表",
        "手工版式",
        # Without 年度目标N groups the table reads as a project layout; both Hubei rule sets are equal.
        "hubei-project",
        _legacy({"部门整体": seed000_unit}),
    ),
    Sample(
        "000-政协洪山区委员会办公室-委员视察-手工版式.xlsx",
        "000",
        "项目支出绩效自评表「委员视察、专委会活动、常委调研视察等」",
        "手工版式",
        "hubei-project",
        _legacy({"委员视察": seed000_project}),
    ),
    Sample(
        "001-政协晋中市委员会-部门整体支出绩效自评表.xlsx",
        "001",
        "部门整体支出绩效自评表（共性指标）",
        "jixiao",
        "shanxi-unit-common",
        shanxi_workbook,
    ),
    Sample(
        "001-政协晋中市委员会-部门整体支出-手工版式.xlsx",
        "001",
        "部门整体支出绩效自评表（共性指标）",
        "手工版式",
        "shanxi-unit-common",
        _legacy({"部门整体支出": seed001_common}),
    ),
    Sample(
        "002-洪山街道办事处-部门整体绩效自评表.xlsx",
        "002",
        "部门整体绩效自评表（7 个年度目标）",
        "jixiao",
        "hubei-unit",
        lambda path: hubei_unit_workbook(path, SEED002_UNIT),
    ),
    Sample(
        "002-洪山街道办事处-项目支出绩效自评表.xlsx",
        "002",
        "9 张项目支出绩效自评表",
        "jixiao",
        "hubei-project",
        lambda path: hubei_project_workbook(path, SEED002_PROJECTS),
    ),
    Sample(
        "002-洪山街道办事处-部门整体-手工版式.xlsx",
        "002",
        "部门整体绩效自评表（7 个年度目标）",
        "手工版式",
        "hubei-unit",
        _legacy({"部门整体": seed002_unit}),
    ),
    Sample(
        "002-洪山街道办事处-其他支出-手工版式.xlsx",
        "002",
        "项目支出绩效自评表「其他支出」",
        "手工版式",
        "hubei-project",
        _legacy({"其他支出": seed002_other}),
    ),
    Sample(
        "003-东西湖区机关事务服务中心-部门整体绩效自评表.xlsx",
        "003",
        "部门整体绩效自评表（10 个年度目标）",
        "jixiao",
        "hubei-unit",
        lambda path: hubei_unit_workbook(path, SEED003_UNIT),
    ),
    Sample(
        "003-东西湖区机关事务服务中心-部门整体-手工版式.xlsx",
        "003",
        "部门整体绩效自评表（10 个年度目标）",
        "手工版式",
        "hubei-unit",
        _legacy({"部门整体": seed003_unit}),
    ),
    Sample(
        "004-政协北戴河区委员会办公室-项目支出绩效目标表.xlsx",
        "004",
        "4 张项目支出绩效目标表",
        "jixiao",
        "target-project",
        target_project_workbook,
    ),
    Sample(
        "004-政协北戴河区委员会办公室-部门整体绩效目标表.xlsx",
        "004",
        "部门整体绩效目标表",
        "jixiao",
        "target-unit",
        target_unit_workbook,
    ),
    Sample(
        "004-政协北戴河区委员会办公室-项目支出绩效目标-手工版式.xlsx",
        "004",
        "4 张预算项目绩效目标表（每个项目一张工作表）",
        "手工版式",
        "target-project",
        _legacy(seed004_targets()),
    ),
)


def build_samples(outdir: Path) -> Iterator[Path]:
    """Write every sample into ``outdir`` (replacing files of the same name)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        yield sample.build(outdir / sample.file)


def cell_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values (formulas as their text), to compare two builds of a workbook."""
    book = load_workbook(path)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()
