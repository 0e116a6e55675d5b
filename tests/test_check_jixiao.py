"""Generated jixiao workbooks, filled through their workbook names, read back through the same names.

The 得分 cells are overwritten with the unit's reported numbers (as the samples do), so the checker
compares what the unit wrote with what the rules give.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.check import FindingKind
from jixiao.check.read import check_path, read_forms
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import ProjectInfo
from jixiao.rubric import builtin_rubrics
from test_check_builders import fill_names, insert_row_like_excel

RUBRICS = builtin_rubrics()
ONE_PROJECT = (ProjectInfo(name="其他支出"),)

# Seed 002 其他支出, structured for the native dialect (性质 + number + 度量单位).
OTHER = {
    "预算数": 1069.34,
    "执行数": 939.9,
    "执行率得分": 17.6,  # rule: 20 × 939.9 / 1069.34 = 17.58 → rounding only
    "总目标得分": 18,
    "指标_一级": ["产出指标", "产出指标", "产出指标", "效益指标", "效益指标"],
    "指标_二级": ["质量指标", "时效指标", "成本指标", "满意度指标", "社会效益指标"],
    "指标_三级": ["项目完成率", "完成及时率", "不超过预算总金额", "社会群众满意度", "社会效益"],
    "指标_性质": ["≥", "≥", "≤", "≥", "定性"],
    "指标_目标值": [100, 100, 1069.34, 80, "有所提升"],
    "指标_单位": ["%", "%", "万元", "%", None],
    "指标_实际值": [100, 100, 939.9, 70, "明显提升"],
    "指标_分值": [15, 15, 10, 10, 10],
    # 15 ✓; 14 for a met target ✗; 10 ✓ (939.9 ≤ 1069.34); 6 × … : 10 × 70/80 = 8.75 ✓; 定性 9 in [8, 10] ✓
    "指标_得分": [15, 14, 10, 8.75, 9],
    "指标_偏差原因": [None, None, None, "疫情影响，满意度调查样本少", "部分社区活动未开展"],
}


def _generate(tmp_path: Path, rubric: str, dialect: str = "native", projects=ONE_PROJECT) -> Path:
    [path] = generate(
        Request(RUBRICS[rubric], 2021, "洪山街道办事处", projects=projects, dialect=dialect), tmp_path
    )
    return path


def _by_cell(findings):
    return {f.cell: f for f in findings}


def test_hubei_project_reported_scores_beside_rule(tmp_path):
    path = _generate(tmp_path, "hubei-project")
    fill_names(path, OTHER)
    result = check_path(path)
    found = _by_cell(result.findings)
    execution = found["K6"]
    assert (execution.kind, execution.reported, execution.rule_low) == (FindingKind.ROUNDING, 17.6, 17.58)
    wrong = found["K12"]
    assert (wrong.kind, wrong.reported, wrong.rule_low, wrong.label) == (
        FindingKind.SUBSTANTIVE,
        14,
        15,
        "时效指标 · 完成及时率",
    )
    # The row that lost a point has no 偏差原因; the 满意度 row that lost points has one.
    assert found["L12"].kind is FindingKind.MISSING_EXPLANATION
    assert "L14" not in found
    assert set(found) == {"K6", "K12", "L12"}  # nothing on the rows that follow the rules
    [summary] = result.forms
    assert summary.rubric == "hubei-project" and summary.rules_source.startswith("工作簿内置规则")


def test_xlwings_dialect_reads_the_same(tmp_path):
    path = _generate(tmp_path, "hubei-project", "xlwings")
    values = {k: v for k, v in OTHER.items() if k not in ("指标_性质", "指标_单位")}
    values["指标_目标值"] = ["≥100%", "100%", "≤1069.34万元", "≥80%", "有所提升"]
    values["指标_实际值"] = ["100%", "100%", "939.9万元", "70%", "明显提升"]
    fill_names(path, values)
    found = _by_cell(check_path(path).findings)
    assert {cell: f.kind.value for cell, f in found.items()} == {
        "H6": "rounding",
        "H12": "substantive",
        "I12": "missing_explanation",
    }


def test_inserted_rows_are_read_through_the_names(tmp_path):
    path = _generate(tmp_path, "hubei-project")
    fill_names(path, OTHER)
    first_row = 11  # 指标_得分 starts at K11 on this rubric
    # A user inserts a row inside the table (after 完成及时率, row 12) and another above the form.
    insert_row_like_excel(path, "其他支出", first_row + 2)
    insert_row_like_excel(path, "其他支出", 2)
    book = load_workbook(path)
    ws = book["其他支出"]
    new = first_row + 3  # 11 + 2 → 13, then +1 for the row inserted at the top
    for col, value in zip(
        "ABCDEFGHK", ["产出指标", "数量指标", "新增指标", "≥", 10, "个", 8, 5, 4], strict=True
    ):
        ws[f"{col}{new}"] = value
    book.save(path)
    [form], _ = read_forms(path)
    names = [row.name for row in form.rows if row.applicable]
    assert names[:4] == ["项目完成率", "完成及时率", "新增指标", "不超过预算总金额"]
    found = _by_cell(check_path(path).findings)
    # Every finding moved down with its row; the inserted row (5 × 8/10 = 4) follows the rule.
    assert {cell: f.kind.value for cell, f in found.items()} == {
        "K7": "rounding",
        "K13": "substantive",
        "L13": "missing_explanation",
        "L14": "missing_explanation",  # the inserted row scored 4 of 5 without a reason
        "H32": "weights",  # 15 + 15 + 5 + 10 + 10 + 10 = 65 ≠ 60 now (合计 row 30, two rows inserted)
        "K32": "over_weight",  # and the scores add up to 60.75 > 60
    }


def test_unit_form_goal_subtotals_and_weights(tmp_path):
    projects = (ProjectInfo(name="工程尾款"), ProjectInfo(name="办公大楼租金"))
    path = _generate(tmp_path, "hubei-unit", "xlwings", projects)
    fill_names(
        path,
        {
            "预算数": 16728.52,
            "执行数": 15892.41,
            "执行率": 0.95,
            "执行率得分": 19,  # 20 × 0.950018 = 19.0 ✓
            "指标_一级": ["产出指标", "效益指标", None, None, None, "产出指标", "满意度指标"],
            "指标_二级": ["数量指标", "社会效益指标", None, None, None, "数量指标", "服务对象满意度指标"],
            "指标_三级": ["项目数", "信息化总体成果", None, None, None, "项目数", "总体满意率"],
            "指标_目标值": ["3项", "有所提升", None, None, None, "3", "≥95%"],
            "指标_实际值": ["2项", "有所提升", None, None, None, "2", "≥95%"],
            "指标_分值": [30, 10, None, None, None, 30, 10],
            "指标_得分": [20, 10, None, None, None, 20, 10],  # 30 × 2/3 = 20 ✓
        },
    )
    book = load_workbook(path)
    ws = book.worksheets[0]
    assert str(ws["A14"].value).startswith("年度目标2")
    ws["C14"] = 25  # the unit typed 目标得分 25 for 年度目标2, whose rows add up to 30
    ws["C9"] = 30
    book.save(path)
    found = _by_cell(check_path(path).findings)
    goal2 = found["C14"]
    assert (goal2.kind, goal2.reported, goal2.rule_low, goal2.label) == (
        FindingKind.TOTAL,
        25,
        30,
        "年度目标2：办公大楼租金 合计",
    )
    assert "C9" not in found
    # 项目数 lost points and the form's 偏差原因 box is empty; 30 + 10 + 30 + 10 = 80: weights add up.
    assert {cell: f.kind.value for cell, f in found.items()} == {"C14": "total", "C21": "missing_explanation"}


def test_national_execution_from_its_parts_on_scoped_sheets(tmp_path):
    projects = (ProjectInfo(name="甲项目"), ProjectInfo(name="乙项目"))
    path = _generate(tmp_path, "national-project", "native", projects)
    fill_names(path, {"执行率得分": 9.5}, sheet="甲项目")
    book = load_workbook(path)
    ws = book["甲项目"]
    # 年度资金总额 = Σ 其中: 100 + 20 budgeted, 95 + 20 executed → 115 / 120 = 95.83 % → 9.58.
    ws["E7"], ws["F7"], ws["E8"], ws["F8"] = 100, 95, 20, 20
    book.save(path)
    fill_names(path, {"执行率得分": 10}, sheet="乙项目")
    result = check_path(path)
    sheets = {(f.sheet, f.cell): f for f in result.findings}
    execution = sheets[("甲项目", "K6")]
    assert (execution.kind, execution.rule_low) == (FindingKind.SUBSTANTIVE, 9.58)
    # 乙项目 reports 10 without any budget figures: the rules cannot say whether that is right.
    [other] = [f for f in result.findings if f.sheet == "乙项目"]
    assert (other.cell, other.kind) == ("K6", FindingKind.UNDECIDABLE)
    assert {s.sheet for s in result.forms} == {"甲项目", "乙项目"}


def test_common_indicators_funds_and_zero_total(tmp_path):
    path = _generate(tmp_path, "shanxi-unit-common", "native", ())
    scores = [None, 3, 3, 3, 3, 4, None, 3, 3, 4, 2.7, 2, 2, 0, 3, 3, 3, 3, 3, 3, 4]
    scores += [None, 8, 8, 6, None, 5, 5, 5, 6]  # 社会公众满意度 6 of 5
    fill_names(
        path,
        {
            "上年结转": 14.56,
            "年初预算": 1086.45,
            "预算调整": -64.60,
            "其他调整": 0,
            "预算执行": 1031.73,
            "年末结余": 4.86,  # 14.56 + 1086.45 − 64.60 − 1031.73 = 4.68
            "指标_得分": scores,
            "总分": 0,
        },
    )
    found = check_path(path).findings
    kinds = {(f.cell, f.kind.value) for f in found}
    assert ("G7", "funds_identity") in kinds
    assert ("H48", "over_weight") in kinds
    assert ("H44", "over_weight") in kinds  # 效果: 21 of 20
    assert ("F49", "empty_total") in kinds  # 总分 left at 0 while the rows are filled
    assert not [f for f in found if f.kind is FindingKind.SUBSTANTIVE]  # 共性指标 are judged, not ruled


def test_target_forms_are_reviewed(tmp_path):
    # A blank target form: no 预算数, no 资金支出计划, no 绩效目标, no indicator (test_check_target.py
    # has the filled ones).
    path = _generate(tmp_path, "target-project", "native")
    result = check_path(path)
    assert result.notes == [] and len(result.targets) == 1
    assert {f.kind.value for f in result.findings} == {
        "target_funds_mismatch",
        "target_plan_not_full",
        "target_goal_missing",
        "target_missing_level1",
    }


@pytest.mark.parametrize("dialect", ["native", "xlwings"])
def test_rule_following_form_is_clean(tmp_path, dialect):
    path = _generate(tmp_path, "hubei-project", dialect)
    values = dict(OTHER, 执行率得分=17.58)
    values["指标_得分"] = [15, 15, 10, 8.75, 9]
    if dialect == "xlwings":
        values = {k: v for k, v in values.items() if k not in ("指标_性质", "指标_单位")}
        values["指标_目标值"] = ["≥100%", "100%", "≤1069.34万元", "≥80%", "有所提升"]
        values["指标_实际值"] = ["100%", "100%", "939.9万元", "70%", "明显提升"]
    fill_names(path, values)
    assert check_path(path).findings == []


def test_a_form_that_lost_its_names_reads_by_its_labels(tmp_path):
    """Copied into another workbook (no _jixiao sheet, no names): the legacy reader finds the same."""
    path = _generate(tmp_path, "hubei-project")
    fill_names(path, OTHER)
    by_names = {(f.cell, f.kind) for f in check_path(path).findings}
    book = load_workbook(path)
    del book["_jixiao"]
    for name in list(book.defined_names):
        del book.defined_names[name]
    for ws in book.worksheets:
        for name in list(ws.defined_names):
            del ws.defined_names[name]
    book.save(path)
    [form], _ = read_forms(path)
    assert form.rubric is None and form.rules_source == "hubei-project（按版式推断）"
    assert {(f.cell, f.kind) for f in check_path(path).findings} == by_names


# -- blank forms are noted, not scored (issue 12) ---------------------------------------------------


SCORED = [name for name, rubric in RUBRICS.items() if rubric.kind.value != "目标表"]


@pytest.mark.parametrize("dialect", ["xlwings", "native"])
@pytest.mark.parametrize("name", SCORED)
def test_blank_form_is_not_filled_in(tmp_path, name, dialect):
    path = _generate(tmp_path, name, dialect)
    result = check_path(path)
    # No 总分 0 and 「差」 for a form nobody filled in: one note per sheet, nothing judged.
    assert result.findings == []
    assert result.forms == []
    [note] = result.notes
    assert "尚未填写" in note and "未评分" in note


def test_one_figure_makes_a_form_filled_in(tmp_path):
    # The same blank form with only its 执行数 typed is read and checked.
    path = _generate(tmp_path, "hubei-project")
    fill_names(path, {"预算数": 100, "执行数": 90})
    result = check_path(path)
    assert result.notes == []
    [form] = result.forms
    assert form.title == "其他支出"


def test_summary_leaves_blank_forms_out(tmp_path):
    # Two projects, one filled in (执行数 typed), one blank: only the first is summed up.
    from jixiao.summary.collect import collect_projects

    projects = (ProjectInfo(name="甲项目"), ProjectInfo(name="乙项目"))
    path = _generate(tmp_path / "forms", "hubei-project", "native", projects)
    fill_names(path, {"预算数": 100, "执行数": 90}, sheet="甲项目")
    found = collect_projects([tmp_path / "forms"], unit="洪山街道办事处")
    assert list(found.units) == ["洪山街道办事处"]
    forms = found.units["洪山街道办事处"]
    assert [project.form.sheet for project in forms] == ["甲项目"]
    assert any("乙项目" in note and "尚未填写" in note for note in found.notes)


def test_merged_level1_cells_are_read_for_every_row(tmp_path):
    # national-project: 一级 cells merged over their rows and labelled 「产出指标（50分）」; rows 1 and 6
    # of the table (数量指标, 社会效益指标) filled in without touching the 一级 column.
    path = _generate(tmp_path, "national-project", "native")
    fill_names(
        path,
        {
            "指标_三级": ["道路清扫数量", None, None, None, None, "群众满意度"],
            "指标_性质": ["≥", None, None, None, None, "≥"],
            "指标_目标值": [87, None, None, None, None, 80],
            "指标_实际值": [94, None, None, None, None, 75],
        },
    )
    [form], _ = read_forms(path)
    filled = {row.name: row for row in form.rows if row.applicable}
    assert filled["道路清扫数量"].level1 == "产出指标（50分）"
    assert filled["群众满意度"].level1 == "效益指标（30分）"  # a row under the merge, not its first
    sections = {group.label: group.weight for group in form.groups if group.kind.value == "section"}
    assert sections == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
