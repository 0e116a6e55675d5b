"""The pure checks: FilledForm → findings, on forms built by hand (no files involved).

Expected numbers are worked by hand in the comments.
"""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from jixiao.check import FindingKind, check_form, summarize
from jixiao.check.findings import Finding
from jixiao.check.forms import Execution, FilledForm, Funds, Group, GroupKind, HandScore, Row, Text, Total
from jixiao.core.rules import DEFAULT_RULES

JSON_FIELDS = ["file", "sheet", "cell", "label", "kind", "reported", "rule_low", "rule_high", "reason"]


def _form(**parts) -> FilledForm:
    return FilledForm(
        file="f.xlsx", sheet="表", title="表", rubric=None, rules=DEFAULT_RULES, rules_source="默认", **parts
    )


def _row(name, target, actual, weight, reported, cell="G1", group=None, **extra) -> Row:
    return Row(
        "产出指标", "质量指标", name, target, actual, weight, reported, None, cell, "D1", group=group, **extra
    )


def _kinds(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.cell, f.kind.value) for f in findings]


def test_finding_has_exactly_the_contract_fields_in_json():
    finding = Finding("a.xlsx", "表", "F6", "预算执行率得分", FindingKind.ROUNDING, 17.6, 17.58, 17.58, "…")
    assert [f.name for f in fields(Finding)] == JSON_FIELDS
    data = finding.to_json()
    assert list(data)[: len(JSON_FIELDS)] == JSON_FIELDS
    assert data["kind"] == "rounding" and data["kind_label"] == "仅舍入不同"


def test_kind_labels_are_the_contract():
    assert {k.value: k.label for k in FindingKind} == {
        "rounding": "仅舍入不同",
        "substantive": "实质差异",
        "undecidable": "规则无法判定",
        "weights": "分值合计不符",
        "over_weight": "得分超过分值",
        "total": "合计不符",
        "execution_rate": "执行率不符",
        "funds_identity": "资金不平衡",
        "missing_explanation": "缺少偏差原因",
        "empty_total": "合计未填",
        "unreadable": "无法读取",
        "target_missing_level1": "缺少一级指标",
        "target_missing_level2": "缺少二级指标",
        "target_not_quantified": "量化指标不足",
        "target_value_missing": "指标值未填",
        "target_value_unreadable": "指标值无法识别",
        "target_qualitative_in_quantity": "应为数值的指标写了定性目标",
        "target_cost_not_money": "成本指标不是金额",
        "target_basis_missing": "缺少指标值确定依据",
        "target_goal_missing": "绩效目标未填",
        "target_funds_mismatch": "预算资金不平衡",
        "target_plan_not_cumulative": "支出计划不是累计数",
        "target_plan_not_full": "支出计划未到100%",
        "target_cost_over_budget": "成本超过预算",
        "target_below_last_actual": "目标值低于上年实际",
        "target_dropped_indicator": "上年指标未延续",
        "target_goal_without_indicators": "分项目标没有指标",
        "target_unit_budget_mismatch": "部门预算与项目合计不符",
    }


def test_rows_following_the_rule_give_nothing():
    rows = (
        _row("完成率", "100%", "100%", 10, 10, "G1"),
        _row("满意度", "≥80%", "75%", 6, 5.63, "G2"),  # 6 × 75/80 = 5.625 → 5.63
        _row("社会效益", "有所提升", "明显提升", 6, 5, "G3"),  # 达成: [4.8, 6]
    )
    assert check_form(_form(rows=rows)) == []


def test_reported_beside_rule_with_band_and_reason():
    rows = (
        _row("招商引资完成率(内资)", "80%", "60%", 0.5, 0.3, "G31"),  # 0.5 × 60/80 = 0.375 → 0.38
        _row("满意度", "80%", "70%", 6, 5.3, "G32"),  # 6 × 70/80 = 5.25; 5.3 has one decimal → 0.05 away
        _row("装修面积", "1712平方", "---", 0.5, 0.4, "G33"),
    )
    found = {f.cell: f for f in check_form(_form(rows=rows))}
    assert (found["G31"].kind, found["G31"].reported, found["G31"].rule_low) == (
        FindingKind.SUBSTANTIVE,
        0.3,
        0.38,
    )
    assert "0.5 × 60% ÷ 80% = 0.38" in found["G31"].reason
    assert found["G32"].kind is FindingKind.ROUNDING and found["G32"].rule_low == 5.25
    assert found["G33"].kind is FindingKind.UNDECIDABLE
    assert found["G33"].rule_low is None and "空缺" in found["G33"].reason


def test_qualitative_band_outside():
    # 未达成 → [0, 50 %] of 10; 8 reported is outside the band.
    [finding] = check_form(_form(rows=(_row("长效机制", "有所提升", "未达成", 10, 8, "G5"),)))
    assert (finding.kind, finding.rule_low, finding.rule_high) == (FindingKind.SUBSTANTIVE, 0.0, 5.0)


def test_rows_without_weight_are_never_scored():
    rows = (_row("专报", "≥8 篇次", "≥8 篇次", None, 4), _row("满意率", "≥95%", "90%", None, 4))
    assert check_form(_form(rows=rows)) == []


def test_score_above_weight_is_one_finding_with_the_rule():
    [finding] = check_form(_form(rows=(_row("数量", "≥87", "94", 3, 5, "G7"),)))
    assert finding.kind is FindingKind.OVER_WEIGHT
    assert (finding.reported, finding.rule_low, finding.rule_high) == (5, 3, 3)


def test_execution_rate_and_score():
    # Seed 002 其他支出: 939.9 / 1069.34 = 87.895 % shown as 87.9 %; 20 × 0.878952 = 17.58 vs 17.6.
    ex = Execution("预算执行率", 1069.34, 939.9, 20, 0.879, 1, 17.6, "C6", "D6", "E6", "F6")
    [finding] = check_form(_form(execution=ex))
    assert (finding.cell, finding.kind, finding.rule_low) == ("F6", FindingKind.ROUNDING, 17.58)
    # Seed 000: 1581.05 / 1609.99 = 98.20 %, scored 18 instead of 19.64.
    ex = Execution("预算执行率", 1609.99, 1581.05, 20, 0.982, 2, 18, "C4", "D4", "E4", "F4")
    [finding] = check_form(_form(execution=ex))
    assert (finding.kind, finding.reported, finding.rule_low) == (FindingKind.SUBSTANTIVE, 18, 19.64)
    # A rate that is not 执行数 ÷ 预算数: 95 % written for 87.9 %.
    ex = Execution("预算执行率", 1069.34, 939.9, 20, 0.95, 0, 17.58, "C6", "D6", "E6", "F6")
    [finding] = check_form(_form(execution=ex))
    assert (finding.cell, finding.kind, finding.reported, finding.rule_low) == (
        "E6",
        FindingKind.EXECUTION_RATE,
        95,
        87.9,
    )


def test_groups_weights_subtotals_and_totals():
    # Seed 003's 年度目标7: declared 7, reports 6, rows add up to 1 + 2 + 2 + 1 + 1 = 7.
    goal = Group(GroupKind.GOAL, "年度目标7", 7, 6, None, "A60", "G60")
    rows = tuple(
        _row(name, "≥98%", "≥98%", None, score, f"G{61 + i}", group=0)
        for i, (name, score) in enumerate(
            [("项目数", 1), ("正常使用", 2), ("租金", 2), ("绿色办公", 1), ("满意率", 1)]
        )
    )
    found = check_form(_form(rows=rows, groups=(goal,)))
    assert [(f.cell, f.kind, f.reported, f.rule_low) for f in found] == [("G60", FindingKind.TOTAL, 6, 7)]


def test_section_weights_must_add_up():
    block = Group(GroupKind.BLOCK, "项目年度绩效指标", 60, None, None, "A9")
    output = Group(GroupKind.SECTION, "产出指标", 30, None, 0, "B10")
    benefit = Group(GroupKind.SECTION, "效益指标", 30, None, 0, "B13")
    rows = (
        _row("完成率", "100%", "100%", 10, 10, "G10", group=1),
        _row("及时率", "100%", "100%", 10, 10, "G11", group=1),  # 产出: 20 of 30 declared
        _row("效益", "有所提升", "明显提升", 30, 30, "G13", group=2),
    )
    found = check_form(_form(rows=rows, groups=(block, output, benefit)))
    [weights] = [f for f in found if f.kind is FindingKind.WEIGHTS]
    assert (weights.cell, weights.reported, weights.rule_low) == ("B10", 30, 20)
    # The block checks its sections (30 + 30 = 60: fine), not the rows again.
    assert all(f.cell != "A9" for f in found)


def test_total_left_at_zero_and_overall_total():
    rows = (_row("完成率", "100%", "100%", 10, 10, "G1"), _row("及时率", "100%", "100%", 10, 10, "G2"))
    found = check_form(_form(rows=rows, total=Total("总分", "G9", 0)))
    assert _kinds(found) == [("G9", "empty_total")]
    found = check_form(_form(rows=rows, total=Total("总分", "G9", 25)))
    assert [(f.kind, f.reported, f.rule_low) for f in found] == [(FindingKind.TOTAL, 25, 20)]
    assert check_form(_form(rows=rows, total=Total("总分", "G9", None))) == []  # blank: not computed
    goal = HandScore("项目绩效总目标", 20, 18, "G8")
    assert check_form(_form(rows=rows, goal=goal, total=Total("总分", "G9", 38))) == []


def test_grade_must_match_total():
    found = check_form(_form(total=Total("综合得分", "F40", 96.7, "良", "D41")))
    assert [(f.cell, f.kind) for f in found] == [("D41", FindingKind.TOTAL)]
    assert "优" in found[0].reason


def test_funds_identity_seed_001():
    funds = Funds(14.56, 1086.45, -64.60, 0.0, 1031.73, 4.68, "F6")  # = 4.68 exactly
    assert check_form(_form(funds=funds)) == []
    [finding] = check_form(_form(funds=replace(funds, balance=4.86)))
    assert (finding.cell, finding.kind, finding.reported, finding.rule_low) == (
        "F6",
        FindingKind.FUNDS_IDENTITY,
        4.86,
        4.68,
    )


def test_missing_explanation_per_row_or_in_the_box():
    lost = _row("完成率", "100%", "90%", 10, 9, "G1", explanation_cell="L1")
    full = _row("及时率", "100%", "100%", 10, 10, "G2", explanation_cell="L2")
    found = check_form(_form(rows=(lost, full), row_explanations=True))
    assert _kinds(found) == [("L1", "missing_explanation")]
    explained = replace(lost, explanation="疫情影响")
    assert check_form(_form(rows=(explained, full), row_explanations=True)) == []
    box = Text("偏差大或目标未完成原因分析", "", "C18")
    assert _kinds(check_form(_form(rows=(lost, full), explanation=box))) == [("C18", "missing_explanation")]
    filled = replace(box, text="年初申报的绩效目标覆盖不够全面。")
    assert check_form(_form(rows=(lost, full), explanation=filled)) == []
    assert check_form(_form(rows=(lost, full))) == []  # no place for an explanation on this layout


def test_top_level_weights_add_up_to_100():
    ex = Execution("预算执行率", 100, 100, 20, 1.0, 2, 20, "C6", "D6", "E6", "F6")
    goal = HandScore("项目绩效总目标", 20, 20, "G8")
    block = Group(GroupKind.BLOCK, "项目年度绩效指标", 50, None, None, "A9")
    found = check_form(_form(execution=ex, goal=goal, groups=(block,)))
    [weights] = [f for f in found if f.kind is FindingKind.WEIGHTS]
    assert (weights.reported, weights.rule_low) == (90, 100)


def test_summary_rule_total():
    ex = Execution("预算执行率", 1069.34, 939.9, 20, None, None, 17.6)
    rows = (_row("完成率", "100%", "100%", 10, 9), _row("社会效益", "无", "逐步提升", 6, 5))
    summary = summarize(_form(execution=ex, rows=rows, total=Total("总分", "G9", 31.6)))
    # 17.58 + 10 + 5 (undecidable: as reported) = 32.58
    assert (summary.reported_total, summary.rule_low, summary.rule_high) == (31.6, 32.58, 32.58)


@pytest.mark.parametrize("reported", [None, 0.0])
def test_unreported_rows_are_not_findings(reported):
    rows = (_row("完成率", "100%", "100%", 10, reported),)
    found = check_form(_form(rows=rows))
    assert all(f.kind is not FindingKind.SUBSTANTIVE for f in found) if reported is None else found
