"""``jixiao check`` on target forms (绩效目标表), end to end: generated workbooks in both formula
dialects and both frameworks, hand-made forms read by their labels, the unit form against its
projects, ``--previous`` against last year's self-evaluation, the review workbook, and seed 004's
samples. The finding kinds one by one are in test_target_checks.py; here the cells they point at.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import get_column_letter

from jixiao.check.cli import check
from jixiao.check.read import check_path
from jixiao.check.target_batch import read_previous
from jixiao.cli import main
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import ProjectInfo
from jixiao.libreoffice import find_soffice
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import RowTemplate
from seed_workbooks import M, legacy_workbook, names_on, write_rows

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "xlsx_samples"
UNIT = "政协某区委员会办公室"
YEAR = 2027


def rows_2020() -> tuple[RowTemplate, ...]:
    """Measurable indicators under the 2020 framework (成本指标 under 产出指标)."""
    return (
        RowTemplate(
            level1="产出指标", level2="数量指标", level3="召开会议次数", nature="≥", target="4", unit="次"
        ),
        RowTemplate(
            level1="产出指标", level2="质量指标", level3="委员到会率", nature="≥", target="95", unit="%"
        ),
        RowTemplate(
            level1="产出指标", level2="时效指标", level3="按期召开率", nature="=", target="100", unit="%"
        ),
        RowTemplate(
            level1="产出指标", level2="成本指标", level3="会议经费", nature="≤", target="10", unit="万元"
        ),
        RowTemplate(
            level1="效益指标", level2="社会效益指标", level3="协商水平", nature="定性", target="有所提升"
        ),
        RowTemplate(
            level1="满意度指标",
            level2="服务对象满意度指标",
            level3="委员满意度",
            nature="≥",
            target="90",
            unit="%",
        ),
    )


def rows_2021() -> tuple[RowTemplate, ...]:
    rows = list(rows_2020())
    rows[3] = RowTemplate(
        level1="成本指标", level2="经济成本指标", level3="会议经费", nature="≤", target="10", unit="万元"
    )
    return tuple(rows)


def _with_text_targets(rows: tuple[RowTemplate, ...]) -> tuple[RowTemplate, ...]:
    """The xlwings dialect has one 指标值 column: "≥4次", "有所提升"."""
    out = []
    for row in rows:
        sign = row.nature if row.nature in ("≥", "≤", "=") else ""
        out.append(
            row.model_copy(update={"target": f"{sign}{row.target}{row.unit}", "nature": "", "unit": ""})
        )
    return tuple(out)


def project_workbook(
    folder: Path,
    *,
    rubric: str = "target-project",
    dialect: str = "xlwings",
    rows: tuple[RowTemplate, ...] | None = None,
    name: str = "政协会议",
    budget: tuple[float, float, float] = (10.0, 10.0, 0.0),
    plan: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0),
    basis: str = "年度工作计划",
) -> Path:
    """A generated target form filled in: project list fields, indicator rows, 资金支出计划."""
    rows = rows if rows is not None else (rows_2021() if rubric.endswith("2021") else rows_2020())
    if dialect == "xlwings":
        rows = _with_text_targets(rows)
    rows = tuple(row.model_copy(update={"basis": basis}) for row in rows)
    project = ProjectInfo(
        name=name,
        code="13030421DGDD9TGV0MA7O",
        budget=budget[0],
        fiscal=budget[1],
        other=budget[2],
        purpose="各类会议的支出",
        goals="1.完善各项会议制度，规范会议程序",
        rows=rows,
    )
    folder.mkdir(parents=True, exist_ok=True)
    request = Request(builtin_rubrics()[rubric], YEAR, UNIT, "131001", projects=(project,), dialect=dialect)  # type: ignore[arg-type]
    [path] = generate(request, folder)
    book = load_workbook(path)
    ws = book.worksheets[0]
    for address, share in zip(plan_cells(path), plan, strict=True):
        ws[address].value = share
    book.save(path)
    return path


def plan_cells(path: Path) -> list[str]:
    """The 资金支出计划 value cells (each month may span several merged columns)."""
    book = load_workbook(path)
    ws = book.worksheets[0]
    min_col, min_row, max_col, _ = names_on(book, ws)["支出计划"]
    cells = [ws.cell(min_row, col) for col in range(min_col, max_col + 1)]
    return [cell.coordinate for cell in cells if not isinstance(cell, MergedCell)]


def _names(path: Path) -> dict[str, str]:
    """Each single-cell name's address, and 支出计划 / column names' first cell, from the generator."""
    book = load_workbook(path)
    ws = book.worksheets[0]
    return {
        name: f"{get_column_letter(min_col)}{min_row}"
        for name, (min_col, min_row, _, _) in names_on(book, ws).items()
    }


def _cells(result) -> list[tuple[str, str]]:
    return [(f.cell, f.kind.value) for f in result.findings]


# -- generated forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("rubric", ["target-project", "target-project-2021"])
@pytest.mark.parametrize("dialect", ["xlwings", "native"])
def test_clean_generated_form_has_no_finding(tmp_path, rubric, dialect):
    path = project_workbook(tmp_path, rubric=rubric, dialect=dialect)
    result = check_path(path)
    assert result.findings == []
    [summary] = result.forms
    assert summary.rows == 6  # the six filled rows; the template's blank rows are not indicators
    framework = builtin_rubrics()[rubric].review.framework  # type: ignore[union-attr]
    assert summary.rules_source == f"目标表审核：{framework}"


@pytest.mark.parametrize("dialect", ["xlwings", "native"])
def test_defects_are_found_in_their_cells(tmp_path, dialect):
    rows = list(rows_2020())
    rows[3] = rows[3].model_copy(update={"nature": "≥", "target": "95", "unit": "%"})  # seed 004's cost
    path = project_workbook(
        tmp_path, dialect=dialect, rows=tuple(rows), budget=(10.0, 9.0, 0.0), plan=(0.25, 0.5, 0.4, 1.0)
    )
    names = _names(path)
    first = int(names["指标_一级"][1:])  # the first indicator row
    target_col = names["指标_目标值"][0]
    assert _cells(check_path(path)) == [
        (names["预算数"], "target_funds_mismatch"),  # 10 ≠ 9 + 0
        (plan_cells(path)[2], "target_plan_not_cumulative"),  # 10月底 40 % < 6月底 50 %
        (f"{target_col}{first + 3}", "target_cost_not_money"),  # 成本指标 ≥95%
    ]


def test_native_dialect_reads_nature_number_and_unit(tmp_path):
    # 指标性质 ≤ | 指标值 12 | 度量单位 万元 is "≤12万元": a cost above the 10 万元 budget.
    rows = list(rows_2020())
    rows[3] = rows[3].model_copy(update={"target": "12"})
    path = project_workbook(tmp_path, dialect="native", rows=tuple(rows))
    [finding] = check_path(path).findings
    assert (finding.kind.value, finding.reported, finding.rule_high) == (
        "target_cost_over_budget",
        12.0,
        10.0,
    )
    assert "≤12万元" in finding.reason


def test_basis_left_blank(tmp_path):
    path = project_workbook(tmp_path, basis="")
    result = check_path(path)
    basis_col = _names(path)["指标_依据"][0]
    first = int(_names(path)["指标_一级"][1:])
    # The form lays the six rows out by 二级 (数量 质量 时效 成本 | 经济 社会 生态 可持续 | 满意度): the
    # 二级 they leave empty (经济, 生态, 可持续) are rows 4, 6 and 7, without an indicator to check.
    placed = [0, 1, 2, 3, 5, 8]
    assert _cells(result) == [(f"{basis_col}{first + n}", "target_basis_missing") for n in placed]


def test_2020_rows_in_a_2021_form(tmp_path):
    # 成本指标 under 产出指标 in a target-project-2021 form: the 2021 framework's 成本指标 is missing.
    path = project_workbook(tmp_path, rubric="target-project-2021", rows=rows_2020())
    [finding] = check_path(path).findings
    assert finding.kind.value == "target_missing_level1" and finding.label == "成本指标"
    assert "写在「产出指标」下" in finding.reason


def test_generate_print_and_check_the_2021_rubric_from_the_command_line(tmp_path):
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["new", "--rubric", "target-project-2021", "--year", "2027", "--unit", UNIT, "-o", str(tmp_path)],
    )
    assert made.exit_code == 0, made.output
    [path] = tmp_path.glob("*.xlsx")
    book = load_workbook(path)
    ws = book.worksheets[0]
    texts = {cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {"经济成本指标", "成本指标", "服务对象满意度指标"} <= texts
    # A blank form: no 预算数, no plan, no 绩效目标, and the default rows carry no 三级 indicator yet.
    result = runner.invoke(check, [str(path), "--format", "json"])
    assert result.exit_code == 1
    kinds = Counter(f["kind"] for f in json.loads(result.stdout)["findings"])
    assert kinds == {
        "target_funds_mismatch": 1,  # 预算数 blank
        "target_plan_not_full": 1,  # 资金支出计划 blank
        "target_goal_missing": 1,  # 绩效目标 blank
        "target_missing_level1": 4,  # 产出、成本、效益、满意度: no indicator written yet
    }


@pytest.mark.libreoffice
def test_the_2021_rubric_prints(tmp_path):
    """`jixiao render` exports the filled 2021 form through LibreOffice: a PDF and a PNG per page."""
    if find_soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required when CI=true")
        pytest.skip("LibreOffice not available")
    path = project_workbook(tmp_path / "表", rubric="target-project-2021", dialect="native")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "预览")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "预览" / f"{path.stem}.pdf").stat().st_size > 0
    first = tmp_path / "预览" / f"{path.stem}-1.png"
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- unit forms ---------------------------------------------------------------------------------------


def unit_workbook(folder: Path, budget: tuple[float | None, float | None, float | None]) -> Path:
    rows = tuple(row.model_copy(update={"basis": "年度工作计划"}) for row in _with_text_targets(rows_2020()))
    goals = (
        ProjectInfo(name="（一）政治协商：保障会议顺利召开", rows=rows[:3]),
        ProjectInfo(name="（二）民主监督：畅通民主监督渠道", rows=rows[3:]),
        ProjectInfo(name="（三）参政议政：提高委员履职能力"),
    )
    folder.mkdir(parents=True, exist_ok=True)
    request = Request(builtin_rubrics()["target-unit"], YEAR, UNIT, "131001", projects=goals)
    [path] = generate(request, folder)
    book = load_workbook(path)
    ws = book.worksheets[0]
    names = names_on(book, ws)
    for name, value in zip(("部门预算数", "部门基本支出", "部门项目支出"), budget, strict=True):
        min_col, min_row, _, _ = names[name]
        ws.cell(min_row, min_col).value = value
    min_col, min_row, _, _ = names["总体绩效目标"]
    ws.cell(min_row, min_col).value = "把协商民主贯穿政治协商、民主监督、参政议政全过程"
    book.save(path)
    return path


def test_unit_form_goals_and_budget_against_projects(tmp_path):
    unit = unit_workbook(tmp_path / "部门", (100.0, 60.0, 40.0))
    # Goal 3 names a 分项目标 but lists no indicator.
    result = check_path(unit)
    names = _names(unit)
    goal_col = names["指标_年度目标"][0]
    first = int(names["指标_年度目标"][1:])
    rows_per_goal = 3  # target-unit: rows_per_goal 3; goal 2 has three rows as well
    assert _cells(result) == [(f"{goal_col}{first + 2 * rows_per_goal}", "target_goal_without_indicators")]
    # With the unit's projects: 项目支出 40 against 10 + 21 = 31 万元.
    project_workbook(tmp_path / "项目" / "a", name="政协会议", budget=(10.0, 10.0, 0.0))
    project_workbook(tmp_path / "项目" / "b", name="政协综合事务管理", budget=(21.0, 21.0, 0.0))
    output = CliRunner().invoke(check, [str(tmp_path), "--format", "json"])
    assert output.exit_code == 1
    found = [f for f in json.loads(output.stdout)["findings"] if f["kind"] == "target_unit_budget_mismatch"]
    assert [(f["cell"], f["reported"], f["rule_low"]) for f in found] == [(names["部门项目支出"], 40.0, 31.0)]
    assert "2 张项目绩效目标表" in found[0]["reason"]


def test_unit_budget_adds_up(tmp_path):
    unit = unit_workbook(tmp_path, (100.0, 60.0, 30.0))
    kinds = [kind for _, kind in _cells(check_path(unit))]
    assert kinds.count("target_funds_mismatch") == 1  # 100 ≠ 60 + 30


# -- hand-made forms ------------------------------------------------------------------------------------


def test_handmade_form_2021_is_recognised_by_its_cost_level1(tmp_path):
    def sheet(ws):
        write_rows(
            ws,
            [
                ["项目名称", M("政协会议", 2), "项目编码", M("13030421DGDD9TGV0MA7O", 2)],
                ["预算规模及资金用途", "预算数", 10, "其中：财政资金", 10, "其他资金", 0],
                [M("资金支出计划（%）", down=2), "3月底", "6月底", "10月底", "12月底"],
                [M(0.25, fmt="0%"), M(0.5, fmt="0%"), M(0.75, fmt="0%"), M(1, fmt="0%")],
                ["绩效目标", M("完善各项会议制度", 5)],
                ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
                [M("产出指标", down=3), "数量指标", "召开会议次数", "≥4次", "计划标准"],
                ["质量指标", "委员到会率", "≥95%", "计划标准"],
                ["时效指标", "按期召开率", "100%", "计划标准"],
                ["成本指标", "经济成本指标", "会议经费", "≤12万元", "计划标准"],
                ["效益指标", "社会效益指标", "协商水平", "有所提升", "计划标准"],
                ["满意度指标", "服务对象满意度指标", "委员满意度", "≥90%", "计划标准"],
            ],
        )

    path = legacy_workbook(tmp_path / "手工.xlsx", {"政协会议": sheet})
    result = check_path(path)
    [summary] = result.forms
    assert "2021年核心绩效指标体系" in summary.rules_source
    # ≤12万元 against the 10 万元 budget in C2; the value is in D10.
    assert _cells(result) == [("D10", "target_cost_over_budget")]


def test_handmade_form_with_nature_and_unit_columns(tmp_path):
    # 指标性质 | 指标值 | 度量单位: "≤ | 12 | 万元" is ≤12万元, above the 10 万元 budget.
    def sheet(ws):
        write_rows(
            ws,
            [
                ["项目名称", "政协会议", "预算数", 10, "其中：财政资金", 10, "其他资金", 0],
                [M("资金支出计划（%）", down=2), "3月底", "6月底", "10月底", "12月底"],
                ["25%", "50%", "75%", "100%"],
                ["绩效目标", "完善各项会议制度"],
                ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标值确定依据"],
                [M("产出指标", down=4), "数量指标", "召开会议次数", "≥", 4, "次", "计划标准"],
                ["质量指标", "委员到会率", "≥", 95, "%", "计划标准"],
                ["时效指标", "按期召开率", "=", 100, "%", "计划标准"],
                ["成本指标", "会议经费", "≤", 12, "万元", "计划标准"],
                ["效益指标", "社会效益指标", "协商水平", "定性", "有所提升", "", "计划标准"],
                ["满意度指标", "服务对象满意度指标", "委员满意度", "≥", 90, "%", "计划标准"],
            ],
        )

    result = check_path(legacy_workbook(tmp_path / "三列.xlsx", {"政协会议": sheet}))
    [finding] = result.findings
    assert (finding.cell, finding.kind.value, finding.reported) == ("E9", "target_cost_over_budget", 12.0)
    # The plan typed as text ("25%") reads as percentages.
    assert [point.percent for point in result.targets[0].plan] == [25.0, 50.0, 75.0, 100.0]


def test_handmade_form_naming_its_indicators_in_a_指标名称_column(tmp_path):
    def sheet(ws):
        write_rows(
            ws,
            [
                ["一级指标", "二级指标", "指标名称", "指标值", "指标值确定依据"],
                [M("产出指标", down=4), "数量指标", "召开会议次数", "≥4次", "计划标准"],
                ["质量指标", "委员到会率", "≥95%", "计划标准"],
                ["时效指标", "按期召开率", "100%", "计划标准"],
                ["成本指标", "会议经费", "≤10万元", ""],
                ["效益指标", "社会效益指标", "协商水平", "有所提升", "计划标准"],
                ["满意度指标", "服务对象满意度指标", "委员满意度", "≥90%", "计划标准"],
            ],
        )

    result = check_path(legacy_workbook(tmp_path / "名称.xlsx", {"表": sheet}))
    [form] = result.targets
    assert [i.name for i in form.written][:2] == ["召开会议次数", "委员到会率"]
    # No 预算数 / 资金支出计划 / 绩效目标 on this sheet: only the blank 依据 of 会议经费 (E5) is found.
    assert _cells(result) == [("E5", "target_basis_missing")]


def test_handmade_sheet_with_scores_is_a_self_evaluation(tmp_path):
    # A table with 实际完成值 / 得分 columns is never read as a target form.
    def sheet(ws):
        write_rows(
            ws,
            [
                ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                ["产出指标", "数量指标", "召开会议次数", "≥4次", "4次", 10, 10],
            ],
        )

    result = check_path(legacy_workbook(tmp_path / "自评.xlsx", {"自评": sheet}))
    assert not result.targets and result.forms and "目标表审核" not in result.forms[0].rules_source


# -- last year --------------------------------------------------------------------------------------


def test_previous_year_through_the_command_line(tmp_path):
    """Seed 002's self-evaluation as last year; this year's forms rolled forward from it (new --from).

    城乡社区支出 · 道路清扫数量: target 87 (carried over), last year's actual 94 → below last year.
    一般公共服务支出: the row 打非宣传率 is deleted from this year's form → dropped since last year.
    """
    last = SAMPLES / "002-洪山街道办事处-项目支出绩效自评表.xlsx"
    runner = CliRunner()
    out = str(tmp_path / "今年")
    new = ["new", "--rubric", "target-project", "--year", "2021", "--unit", "洪山街道办事处"]
    made = runner.invoke(main, [*new, "--from", str(last), "-o", out])
    assert made.exit_code == 0, made.output
    [path] = Path(out).glob("*.xlsx")
    book = load_workbook(path)
    ws = book["一般公共服务支出"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "打非宣传率":
                for other in row:
                    if isinstance(other, MergedCell):
                        continue  # the 一级 merged over its rows stays: it labels the others too
                    if not isinstance(other.value, str) or not other.value.startswith("="):
                        other.value = None
    book.save(path)
    result = runner.invoke(check, [str(path), "--previous", str(last), "--format", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    below = [f for f in findings if f["kind"] == "target_below_last_actual"]
    assert [(f["sheet"], f["label"], f["reported"], f["rule_low"]) for f in below] == [
        ("城乡社区支出", "数量指标1 · 道路清扫数量", 87.0, 94.0)
    ]
    dropped = [f for f in findings if f["kind"] == "target_dropped_indicator"]
    assert [(f["sheet"], f["label"]) for f in dropped] == [("一般公共服务支出", "打非宣传率")]
    # Without --previous there is nothing to compare with.
    alone = runner.invoke(check, [str(path), "--format", "json"])
    kinds = {f["kind"] for f in json.loads(alone.stdout)["findings"]}
    assert not kinds & {"target_below_last_actual", "target_dropped_indicator"}


def test_previous_that_is_not_a_self_evaluation_is_noted(tmp_path):
    target = project_workbook(tmp_path / "今年")
    result = CliRunner().invoke(check, [str(target), "--previous", str(target), "--format", "json"])
    assert result.exit_code == 0
    notes = json.loads(result.stdout)["notes"]
    assert any("不是上年的自评表" in note for note in notes)
    assert any("没有找到上年的自评表" in note for note in notes)
    # --previous with only self-evaluations to check: said, not silently ignored.
    last = SAMPLES / "002-洪山街道办事处-项目支出绩效自评表.xlsx"
    alone = CliRunner().invoke(check, [str(last), "--previous", str(last), "--format", "json"])
    assert any("只用于审核绩效目标表" in note for note in json.loads(alone.stdout)["notes"])


def test_last_years_unit_forms_pair_with_unit_targets():
    # 部门整体 self-evaluations (Hubei 年度目标 groups, Shanxi 共性指标) are set against unit target forms,
    # project ones against project target forms.
    cases = {
        "002-洪山街道办事处-部门整体-手工版式.xlsx": True,
        "001-政协晋中市委员会-部门整体支出-手工版式.xlsx": True,
        "002-洪山街道办事处-其他支出-手工版式.xlsx": False,
    }
    for name, unit in cases.items():
        previous, notes = read_previous((SAMPLES / name,))
        assert notes == [] and [form.unit for form in previous] == [unit], name


# -- the review workbook -------------------------------------------------------------------------------


def test_review_workbook_marks_target_cells(tmp_path):
    sample = SAMPLES / "004-政协北戴河区委员会办公室-项目支出绩效目标-手工版式.xlsx"
    report = tmp_path / "审阅.xlsx"
    result = CliRunner().invoke(check, [str(sample), "--report", str(report)])
    assert result.exit_code == 1
    book = load_workbook(report)
    results = book["检查结果"]
    row = next(r for r in results.iter_rows(min_row=2) if r[2].value == "政协会议")
    assert (row[3].value, row[5].value) == ("E14", "成本指标不是金额")
    copy, cell = row[3].hyperlink.location.rsplit("!", 1)
    marked = book[copy.strip("'")][cell]
    assert marked.value == "≥9595及以上"
    assert marked.fill.fgColor.rgb.endswith("FFC7CE")  # red
    assert marked.comment.text.startswith("成本指标不是金额：")


# -- seed 004's samples -----------------------------------------------------------------------------------


def _sample_findings(name: str) -> Counter:
    result = check_path(SAMPLES / name)
    assert not result.unreadable
    return Counter((f.sheet, f.cell, f.kind.value) for f in result.findings)


PROJECTS = ("政协综合事务管理", "政协会议", "民主监督", "参政议政")


def test_seed004_project_forms():
    # Each of the four projects writes its 成本指标 as "≥9595及以上" (≥95 %): a rate, not money.
    # Everything else holds: 预算数 = 财政资金 (21 / 10 / 2 / 7, 其他资金 0), the plan 25 / 50 / 75 / 100 %,
    # all nine 二级 of the 2020 framework, every 指标值 a number, every 依据 年度工作计划.
    jixiao = _sample_findings("004-政协北戴河区委员会办公室-项目支出绩效目标表.xlsx")
    # The jixiao form: 1 title, 2 subtitle, 3–6 fields (编码/名称, 属性/实施期, 负责人/电话, 预算数),
    # 7 资金用途, 8–9 资金支出计划, 10–11 年度目标 | 长期目标, 12 header, 13–16 产出 数量 质量 时效 成本.
    assert jixiao == Counter({(p, "E16", "target_cost_not_money"): 1 for p in PROJECTS})
    handmade = _sample_findings("004-政协北戴河区委员会办公室-项目支出绩效目标-手工版式.xlsx")
    assert handmade == Counter({(p, "E14", "target_cost_not_money"): 1 for p in PROJECTS})


def test_seed004_unit_form():
    # The seed's 部门整体 part lists twelve indicator names under four 分项目标 — no 一级 / 二级, no
    # values, no 依据: the three 一级 of the framework are missing and each indicator has no 指标值.
    found = _sample_findings("004-政协北戴河区委员会办公室-部门整体绩效目标表.xlsx")
    sheet = "政协秦皇岛市北戴河区委员会办公室(本级)"
    path = SAMPLES / "004-政协北戴河区委员会办公室-部门整体绩效目标表.xlsx"
    book = load_workbook(path)
    names = names_on(book, book[sheet])
    target_col, first, _, last = names["指标_目标值"]
    level1_col, _, _, _ = names["指标_一级"]
    header = f"{get_column_letter(level1_col)}{first - 1}"
    expected = Counter({(sheet, header, "target_missing_level1"): 3})
    expected.update(
        (sheet, f"{get_column_letter(target_col)}{r}", "target_value_missing") for r in range(first, last + 1)
    )
    assert last - first + 1 == 12
    assert found == expected
