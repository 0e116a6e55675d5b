"""Hand-made workbooks laid out like the seed forms, read by their labels.

The seeds' known deviations (DOMAIN.md §2) must be found, at the right cell, with hand-worked
rule scores; rows that follow the rules must give nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.check import FindingKind
from jixiao.check.read import check_path, read_forms
from test_check_builders import (
    M,
    legacy_workbook,
    seed000_project,
    seed000_unit,
    seed001_common,
    seed002_other,
    seed002_unit,
    seed003_unit,
    write_rows,
)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    return legacy_workbook(
        tmp_path_factory.mktemp("legacy") / "seeds.xlsx",
        {
            "其他支出": seed002_other,
            "政协整体": seed000_unit,
            "委员视察": seed000_project,
            "东西湖": seed003_unit,
            "洪山街": seed002_unit,
            "晋中": seed001_common,
        },
    )


@pytest.fixture(scope="module")
def result(seeds):
    return check_path(seeds)


def _at(result, sheet: str, cell: str):
    found = [f for f in result.findings if f.sheet == sheet and f.cell == cell]
    assert len(found) == 1, (sheet, cell, found)
    return found[0]


def test_seed000_execution_scored_18_for_98_20_percent(result):
    # 20 × 1581.05 / 1609.99 = 19.640… → 19.64; the form says 18.
    finding = _at(result, "政协整体", "F4")
    assert finding.kind is FindingKind.SUBSTANTIVE
    assert (finding.reported, finding.rule_low, finding.rule_high) == (18, 19.64, 19.64)
    assert finding.label == "预算执行率得分"
    # 98.20 % is 1581.05 / 1609.99 to two decimals: the rate itself is right.
    assert not [f for f in result.findings if f.sheet == "政协整体" and f.kind is FindingKind.EXECUTION_RATE]


def test_seed000_rows_without_weights_are_not_scored(result):
    assert [f for f in result.findings if f.sheet == "政协整体"] == [_at(result, "政协整体", "F4")]
    # 委员视察: 100 % executed → 20, 总目标 20, rows 56, 自评得分 96: nothing to say.
    assert [f for f in result.findings if f.sheet == "委员视察"] == []


def test_seed002_招商引资_scored_0_3_for_rule_0_38(result):
    finding = _at(result, "洪山街", "G31")
    assert "招商引资完成率(内资)" in finding.label and "质量指标2" in finding.label
    assert finding.kind is FindingKind.SUBSTANTIVE
    assert (finding.reported, finding.rule_low) == (0.3, 0.38)  # 0.5 × 60 / 80 = 0.375 → 0.38
    assert _at(result, "洪山街", "G32").rule_low == 0.42  # 外资: 0.5 × 50 / 60 = 0.4167 → 0.42


def test_seed002_unit_weights_totals_and_placeholders(result):
    sheet = [f for f in result.findings if f.sheet == "洪山街"]
    # Weights in labels add up (产出 17 + 效益 20 = 37 …; goals 80 + 执行率 20 = 100), and the
    # total 94.87 = 19.87 + the rows' scores: no structural finding.
    assert not [
        f for f in sheet if f.kind in (FindingKind.WEIGHTS, FindingKind.TOTAL, FindingKind.OVER_WEIGHT)
    ]
    undecidable = _at(result, "洪山街", "G26")  # 办公大楼装修面积 1712平方 → "---"
    assert undecidable.kind is FindingKind.UNDECIDABLE and undecidable.reported == 0.4
    # 19.87 for 20 × 20511.36 / 20640.80 = 19.8746 → 19.87: right.
    assert not [f for f in sheet if "执行率" in f.label]


def test_seed002_other_execution_17_6_is_rounding(result):
    finding = _at(result, "其他支出", "F6")
    assert finding.kind is FindingKind.ROUNDING
    assert (finding.reported, finding.rule_low) == (17.6, 17.58)  # 20 × 939.9 / 1069.34 = 17.579


def test_seed002_other_rows_and_empty_explanation(result):
    assert _at(result, "其他支出", "G10").kind is FindingKind.SUBSTANTIVE  # 100 % → 100 % scored 9 of 10
    cost = _at(result, "其他支出", "G12")  # 成本指标: 939.9 ≤ 1069.34 万元 → full 10, not 8.8
    assert (cost.kind, cost.reported, cost.rule_low) == (FindingKind.SUBSTANTIVE, 8.8, 10)
    assert _at(result, "其他支出", "G13").kind is FindingKind.UNDECIDABLE  # target 无
    box = _at(result, "其他支出", "C18")
    assert box.kind is FindingKind.MISSING_EXPLANATION and "项目完成率" in box.reason
    # 自评得分 91.4 = 17.6 + 18 + 55.8: the total is right.
    assert not [f for f in result.findings if f.sheet == "其他支出" and f.kind is FindingKind.TOTAL]


def test_seed003_goal7_reports_6_while_rows_add_up_to_7(result):
    finding = _at(result, "东西湖", "G60")
    assert finding.kind is FindingKind.TOTAL
    assert (finding.reported, finding.rule_low, finding.rule_high) == (6, 7, 7)
    assert finding.label == "年度目标7 合计"
    # Everything else on seed 003 holds: 19 = 20 × 15892.41 / 16728.52 (19.0005), 总分 95 = 19 + 76.
    assert [f for f in result.findings if f.sheet == "东西湖"] == [finding]


def test_seed001_common_indicators_and_funds(result, tmp_path):
    assert [f for f in result.findings if f.sheet == "晋中"] == []
    [summary] = [s for s in result.forms if s.sheet == "晋中"]
    assert summary.reported_total == 96.70 and summary.rules_source.startswith("shanxi-unit-common")
    path = legacy_workbook(
        tmp_path / "funds.xlsx", {"晋中": lambda ws: seed001_common(ws, balance=4.86, overall=97.7)}
    )
    found = check_path(path).findings
    funds = [f for f in found if f.kind is FindingKind.FUNDS_IDENTITY]
    assert [(f.cell, f.reported, f.rule_low) for f in funds] == [("F6", 4.86, 4.68)]
    total = [f for f in found if f.kind is FindingKind.TOTAL and f.label == "综合得分"]
    assert [(f.reported, f.rule_low) for f in total] == [(97.7, 96.7)]


def test_layouts_pick_the_builtin_rules(seeds):
    forms, _ = read_forms(seeds)
    sources = {form.sheet: form.rules_source for form in forms}
    assert sources["其他支出"] == "hubei-project（按版式推断）"
    assert sources["东西湖"] == "hubei-unit（按版式推断）"
    assert sources["晋中"] == "shanxi-unit-common（按版式推断）"
    forced, _ = read_forms(seeds, rubric="national-project")
    assert {form.rules_source for form in forced} == {"national-project（--rubric 指定）"}


def test_merged_level1_cells_and_weights_in_labels(seeds):
    forms, _ = read_forms(seeds)
    other = next(form for form in forms if form.sheet == "其他支出")
    rows = {row.name: row for row in other.rows}
    assert rows["完成及时率"].level1 == "产出指标"  # the merged 产出指标 (30分) labels its rows
    assert rows["完成及时率"].weight == 10  # from "时效指标 (10分)"
    assert rows["社会群众满意度"].level1 == "效益指标"
    sections = {g.label: g.weight for g in other.groups}
    assert sections == {"项目年度绩效指标": 60, "产出指标": 30, "效益指标": 30}
    unit = next(form for form in forms if form.sheet == "洪山街")
    goals = [g for g in unit.groups if g.kind.value == "goal"]
    assert [g.weight for g in goals] == [37, 6, 11, 6, 10, 4, 6]
    assert unit.total is not None and unit.total.reported == 94.87  # "总分： 94.87" in the header


def test_two_forms_on_one_sheet_are_read_apart(tmp_path):
    def both(ws):
        seed002_other(ws)
        start = ws.max_row + 3
        rows = [
            [M("2020年度教育支出项目自评表", 7)],
            [M("项目名称", 2), M("教育支出", 5)],
            [
                M("预算执行情况 (万元) (20分)", down=2),
                None,
                "预算数 (A)",
                "执行数 (B)",
                "执行率 (B/A)",
                M("得分 (20分*执行率)", 2),
            ],
            ["年度财政资金总额", 23.55, 23.55, M(1.0, fmt="0.0%"), M(20.0, 2)],
            [M("项目绩效总目标 (20分)", down=2), M("年初设定目标", 2), M("全年实际完成情况", 3), "得分"],
            [M("着力推进成人教育", 2), M("普及成人教育", 3), 18],
            [
                M("项目年度绩效指标 (60分)", down=2),
                "一级指标",
                "二级指标",
                "指标名称",
                "年初目标值 (A)",
                "实际完成值 (B)",
                "得分",
            ],
            ["产出指标 (30分)", "时效指标 (10分)", "项目实施及时率", "100%", "80%", 8],
        ]
        write_rows(ws, rows, start=start)

    path = legacy_workbook(tmp_path / "two.xlsx", {"项目": both})
    forms, _ = read_forms(path)
    assert [form.title for form in forms] == ["其他支出", "教育支出"]
    assert forms[1].execution is not None and forms[1].execution.reported == 20.0
    found = check_path(path).findings
    assert any(f.label.startswith("教育支出 · ") for f in found)  # findings say which form
    assert any(f.label.startswith("其他支出 · ") for f in found)


def test_target_forms_and_other_sheets(tmp_path):
    def target(ws):
        write_rows(
            ws,
            [
                [M("政协综合事务管理绩效目标表", 6)],
                ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
                ["产出指标", "数量指标", "综合事务管理工作完成率", "完成情况", "≥9595及以上", "年度工作计划"],
            ],
        )

    path = legacy_workbook(tmp_path / "target.xlsx", {"目标表": target})
    result = check_path(path)
    # Read as a target form and reviewed (test_check_target.py): only 产出 · 数量 is there.
    [form] = result.targets
    assert result.notes == [] and [i.name for i in form.written] == ["综合事务管理工作完成率"]
    assert {f.kind.value for f in result.findings} == {"target_missing_level1", "target_missing_level2"}
    book = Workbook()
    book.active["A1"] = "随便写的内容"
    book.save(tmp_path / "other.xlsx")
    [finding] = check_path(tmp_path / "other.xlsx").findings
    assert finding.kind is FindingKind.UNREADABLE and "未找到可识别的绩效自评表" in finding.reason


def test_percent_text_and_numbers_read_alike(tmp_path):
    """执行率 typed as text "87.9%" reads like the number 0.879 formatted as a percentage."""

    def typed(ws):
        seed002_other(ws)
        ws["E6"] = "87.9%"

    path = legacy_workbook(tmp_path / "typed.xlsx", {"其他支出": typed})
    [form], _ = read_forms(path)
    assert form.execution is not None
    assert (form.execution.reported_rate, form.execution.rate_decimals) == (pytest.approx(0.879), 1)


def test_two_line_header_and_national_layout(tmp_path):
    """A national-style form typed by hand: header on two lines, 分值 column, 其中 rows, 总分 row."""

    def national(ws):
        write_rows(
            ws,
            [
                [M("项目支出绩效自评表", 9)],
                ["项目名称", M("社区教育", 8)],
                [
                    M("项目资金（万元）", down=5),
                    "",
                    "年初预算数",
                    "全年预算数",
                    "全年执行数",
                    "分值",
                    "执行率",
                    "得分",
                    "",
                ],
                ["年度资金总额", 100, 120, 110, 10, M(0.9167, fmt="0.00%"), 9.17],
                ["其中：当年财政拨款", 100, 100, 90, None, None, None],
                ["上年结转资金", 0, 20, 20, None, None, None],
                ["其他资金", 0, 0, 5, None, None, None],  # 90 + 20 + 5 = 115, not 110
                [
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    M("偏差原因分析及改进措施", 2),
                ],
                [None, None, None, "(A)", "(B)", None, None, M(None, 2)],
                [
                    M("产出指标", down=2),
                    "数量指标",
                    "培训人次",
                    "≥300人次",
                    "280人次",
                    50,
                    46.67,
                    M("疫情影响", 2),
                ],
                ["质量指标", "合格率", "≥95%", "96%", 40, 40, M(None, 2)],
                [M("总分", 5), 100, 95.84, M(None, 2)],
            ],
        )

    path = legacy_workbook(tmp_path / "national.xlsx", {"社区教育": national})
    [form], _ = read_forms(path)
    assert form.rules_source == "national-project（按版式推断）"
    assert [row.name for row in form.rows] == ["培训人次", "合格率"]  # "(A)" | "(B)" is no row
    found = {(f.cell, f.kind.value) for f in check_path(path).findings}
    # 50 × 280/300 = 46.67 ✓; 9.17 + 46.67 + 40 = 95.84 ✓; 10 + 50 + 40 = 100 ✓.
    assert found == {("E4", "total")}  # 全年执行数 110 while its 其中 rows add up to 115
