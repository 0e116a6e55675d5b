"""The target-form review (jixiao.check.target_checks) on hand-built TargetForm records.

One clean form per framework gives no finding; each defect, put into an otherwise clean form,
gives exactly the finding of its kind (and the cell it is in). Expected figures are worked by hand
in the comments.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.check.findings import FindingKind
from jixiao.check.target_checks import (
    CHECKS,
    Measure,
    check_previous,
    check_target_form,
    check_unit_budget,
    read_target,
)
from jixiao.check.target_forms import (
    Amount,
    PlanPoint,
    PreviousForm,
    PreviousIndicator,
    TargetForm,
    TargetFunds,
    TargetGoal,
    TargetIndicator,
    Text,
    UnitBudget,
    level_key,
    name_key,
)
from jixiao.rubric import builtin_rubrics

RUBRICS = builtin_rubrics()
K = FindingKind


def row(
    level1: str, level2: str, name: str, target: object, r: int, basis: str = "年度工作计划"
) -> TargetIndicator:
    """An indicator on sheet row r: 一级 A, 二级 B, 三级 C, 指标值 F, 依据 G."""
    return TargetIndicator(
        level1,
        level2,
        name,
        target,
        basis,
        name_cell=f"C{r}",
        target_cell=f"F{r}",
        basis_cell=f"G{r}",
        level_cell=f"B{r}",
    )


CLEAN_ROWS = (
    row("产出指标", "数量指标", "召开会议次数", "≥4次", 10),
    row("产出指标", "质量指标", "委员到会率", "≥95%", 11),
    row("产出指标", "时效指标", "会议按期召开率", "100%", 12),
    row("产出指标", "成本指标", "会议经费", "≤10万元", 13),
    row("效益指标", "社会效益指标", "政治协商水平", "有所提升", 14),
    row("满意度指标", "服务对象满意度指标", "与会委员满意度", "≥90%", 15),
)


def plan(*percents: float | None) -> tuple[PlanPoint, ...]:
    months = ("3月底", "6月底", "10月底", "12月底")
    return tuple(PlanPoint(m, p, f"{c}5") for m, p, c in zip(months, percents, "CDEF", strict=True))


def project(**changes: object) -> TargetForm:
    """A clean target-project form (seed 004's 政协会议, with measurable indicators)."""
    form = TargetForm(
        file="会议.xlsx",
        sheet="政协会议",
        title="政协会议",
        scope="project",
        review=RUBRICS["target-project"].review,  # type: ignore[arg-type]
        rubric="target-project",
        rules=RUBRICS["target-project"].rule_set,
        project="政协会议",
        goal_text=Text("绩效目标", "1.完善各项会议制度，规范会议程序", "C7"),
        funds=TargetFunds(Amount(10.0, "B3"), Amount(10.0, "D3"), Amount(0.0, "F3")),
        plan=plan(25.0, 50.0, 75.0, 100.0),
        indicators=CLEAN_ROWS,
        table_cell="A9",
    )
    return replace(form, **changes)


def with_row(form: TargetForm, index: int, **changes: object) -> TargetForm:
    rows = list(form.indicators)
    rows[index] = replace(rows[index], **changes)
    return replace(form, indicators=tuple(rows))


def without(form: TargetForm, level2: str) -> TargetForm:
    return replace(form, indicators=tuple(i for i in form.indicators if i.level2 != level2))


def kinds(findings) -> list[tuple[FindingKind, str]]:
    return [(f.kind, f.cell) for f in findings]


# -- clean forms ---------------------------------------------------------------------------------


def test_clean_project_form_has_no_finding():
    assert check_target_form(project()) == []


def test_a_level1_written_as_a_level2_is_pointed_at():
    # Older Hubei forms put 满意度指标 under 效益指标.
    form = with_row(project(), 5, level1="效益指标", level2="满意度指标")
    findings = check_target_form(form)
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL1, "B15")]
    assert "写在「效益指标」下" in findings[0].reason


def test_a_2020_form_under_the_2021_framework():
    # 成本指标 under 产出指标 (2020) is not the 2021 framework's 成本指标 / 经济成本指标.
    rubric = RUBRICS["target-project-2021"]
    form = project(review=rubric.review, rubric=rubric.name, rules=rubric.rule_set)
    findings = check_target_form(form)
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL1, "B13")]
    assert "「成本指标」写在「产出指标」下" in findings[0].reason


def test_clean_form_of_the_2021_framework_has_no_finding():
    rubric = RUBRICS["target-project-2021"]
    rows = (
        row("产出指标", "数量指标", "召开会议次数", "≥4次", 10),
        row("产出指标", "质量指标", "委员到会率", "≥95%", 11),
        row("产出指标", "时效指标", "会议按期召开率", "100%", 12),
        row("成本指标", "经济成本指标", "会议经费", "≤10万元", 13),
        row("效益指标", "社会效益指标", "政治协商水平", "有所提升", 14),
        row("满意度指标", "服务对象满意度指标", "与会委员满意度", "≥90%", 15),
    )
    form = project(review=rubric.review, rubric=rubric.name, rules=rubric.rule_set, indicators=rows)
    assert check_target_form(form) == []


def test_empty_placeholder_rows_are_not_indicators():
    # The generator's default rows keep 一级 / 二级 with nothing else; hand-made forms write "—".
    placeholders = (
        TargetIndicator("效益指标", "生态效益指标", "", "", "", name_cell="C16", target_cell="F16"),
        TargetIndicator("效益指标", "经济效益指标", "—", "—", "", name_cell="C17", target_cell="F17"),
        TargetIndicator("效益指标", "可持续影响指标", "无", "无", "", name_cell="C18", target_cell="F18"),
    )
    form = project(indicators=CLEAN_ROWS + placeholders)
    assert len(form.written) == 6
    assert check_target_form(form) == []


# -- completeness ----------------------------------------------------------------------------------


def test_missing_level1():
    findings = check_target_form(without(project(), "服务对象满意度指标"))
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL1, "A9")]
    assert "满意度指标" in findings[0].reason


def test_missing_required_level2_under_output():
    findings = check_target_form(without(project(), "时效指标"))
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL2, "B10")]  # the 产出指标 group's first 二级 cell
    assert "时效指标" in findings[0].label


def test_level2_with_a_value_but_no_level3_name():
    findings = check_target_form(with_row(project(), 2, name=""))
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL2, "C12")]
    assert "没有写三级指标名称" in findings[0].reason


def test_benefit_needs_one_level2_of_four():
    form = replace(project(), indicators=tuple(i for i in CLEAN_ROWS if i.level1 != "效益指标"))
    findings = check_target_form(form)
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL1, "A9")]
    # An 效益 row whose 二级 is not one of the four counts as no 二级 of the framework.
    odd = with_row(project(), 4, level2="其他效益")
    findings = check_target_form(odd)
    assert kinds(findings) == [(K.TARGET_MISSING_LEVEL2, "B14")]
    assert (findings[0].reported, findings[0].rule_low) == (0.0, 1.0)


def test_weights_and_numbering_in_labels_do_not_hide_a_level():
    # Hubei-style labels: "数量指标7（0.5分）" is 数量指标.
    form = with_row(project(), 0, level2="数量指标7（0.5分）", level1="产出指标（30分）")
    assert check_target_form(form) == []
    assert level_key("数量指标7（0.5分）") == level_key("数量") == "数量"


# -- measurability ---------------------------------------------------------------------------------


def test_not_quantified():
    # Qualitative 质量 / 时效 / 满意度 / 效益 leave 数量 and 成本: 2 of 6 numeric = 33.33 % < 50 %.
    form = with_row(project(), 1, target="质量达标")
    form = with_row(form, 2, target="按时完成")
    form = with_row(form, 5, target="群众满意")
    findings = check_target_form(form)
    assert kinds(findings) == [(K.TARGET_NOT_QUANTIFIED, "A9")]
    assert (findings[0].reported, findings[0].rule_low) == (33.33, 50.0)


def test_half_quantified_is_enough():
    # 3 of 6 numeric = 50 %, the threshold itself.
    form = with_row(project(), 1, target="质量达标")
    form = with_row(form, 2, target="按时完成")
    assert check_target_form(form) == []


def test_threshold_is_rubric_data():
    review = RUBRICS["target-project"].review
    assert review is not None and review.quantified_share == 0.5
    strict = replace(project(), review=review.model_copy(update={"quantified_share": 0.9}))
    # 5 of 6 numeric = 83.33 % < 90 %.
    findings = check_target_form(strict)
    assert kinds(findings) == [(K.TARGET_NOT_QUANTIFIED, "A9")]
    assert findings[0].reported == 83.33


def test_value_missing():
    findings = check_target_form(with_row(project(), 1, target="", basis=""))
    assert kinds(findings) == [(K.TARGET_VALUE_MISSING, "F11")]
    assert "依据也未填" in findings[0].reason


def test_missing_values_are_not_counted_again_in_the_share():
    # Only names, as in seed 004's 部门整体 part: each row is missing its value; no share finding.
    form = project(indicators=tuple(replace(i, target="", basis="") for i in CLEAN_ROWS))
    assert {f.kind for f in check_target_form(form)} == {K.TARGET_VALUE_MISSING}


def test_value_written_as_none_is_missing():
    findings = check_target_form(with_row(project(), 1, target="无"))
    assert kinds(findings) == [(K.TARGET_VALUE_MISSING, "F11")]


def test_value_unreadable():
    findings = check_target_form(with_row(project(), 1, target="见附件"))
    assert kinds(findings) == [(K.TARGET_VALUE_UNREADABLE, "F11")]


def test_qualitative_under_quantity():
    findings = check_target_form(with_row(project(), 0, target="有所增长"))
    assert kinds(findings) == [(K.TARGET_QUALITATIVE_IN_QUANTITY, "F10")]
    assert "数量指标" in findings[0].reason


def test_no_amount_under_cost():
    # "不超支" names no amount: a cost indicator needs one.
    findings = check_target_form(with_row(project(), 3, target="不超支"))
    assert kinds(findings) == [(K.TARGET_QUALITATIVE_IN_QUANTITY, "F13")]
    assert "没有写出金额" in findings[0].reason


@pytest.mark.parametrize(
    ("target", "says"),
    [("≥9595及以上", "是百分比"), ("≤20", "没有写金额单位"), ("≤3次", "的单位是「次」")],
)
def test_cost_not_money(target, says):
    # Seed 004's 成本指标 "预算执行率 ≥9595及以上" is a rate, not a cost.
    findings = check_target_form(with_row(project(), 3, target=target))
    assert kinds(findings) == [(K.TARGET_COST_NOT_MONEY, "F13")]
    assert says in findings[0].reason


def test_per_unit_costs_are_money():
    form = with_row(project(), 3, target="≤450元/人")
    assert check_target_form(form) == []


def test_basis_missing():
    findings = check_target_form(with_row(project(), 5, basis=""))
    assert kinds(findings) == [(K.TARGET_BASIS_MISSING, "G15")]


def test_read_target_kinds():
    assert read_target("≥9595及以上").measure is Measure.QUANTIFIED
    assert read_target("1-2次/30天").measure is Measure.QUANTIFIED
    assert read_target("25名之前").measure is Measure.QUANTIFIED
    assert read_target("有所提升/大幅提升").measure is Measure.QUALITATIVE
    assert read_target("审议通过").measure is Measure.QUALITATIVE
    assert read_target("不超支").measure is Measure.REFERENCE
    assert read_target("—").measure is Measure.MISSING
    assert read_target("见附件").measure is Measure.UNREADABLE
    # A rubric may recognise more words.
    assert read_target("见附件", ["附件"]).measure is Measure.QUALITATIVE


# -- goals -------------------------------------------------------------------------------------------


def test_goal_missing():
    findings = check_target_form(project(goal_text=Text("绩效目标", "  ", "C7")))
    assert kinds(findings) == [(K.TARGET_GOAL_MISSING, "C7")]


# -- money -------------------------------------------------------------------------------------------


def test_funds_mismatch():
    # 10 ≠ 9.5 + 0.
    form = project(funds=TargetFunds(Amount(10.0, "B3"), Amount(9.5, "D3"), Amount(0.0, "F3")))
    findings = check_target_form(form)
    assert kinds(findings) == [(K.TARGET_FUNDS_MISMATCH, "B3")]
    assert (findings[0].reported, findings[0].rule_low) == (10.0, 9.5)


def test_funds_to_the_cent_are_equal():
    # 21.00 = 20.996 + 0.004 within 0.005 万元.
    form = project(funds=TargetFunds(Amount(21.0, "B3"), Amount(20.996, "D3"), Amount(0.004, "F3")))
    assert check_target_form(form) == []


def test_budget_missing():
    form = project(funds=TargetFunds(Amount(None, "B3"), Amount(None, "D3"), Amount(None, "F3")))
    assert kinds(check_target_form(form)) == [(K.TARGET_FUNDS_MISMATCH, "B3")]


def test_plan_falls():
    findings = check_target_form(project(plan=plan(25.0, 50.0, 40.0, 100.0)))
    assert kinds(findings) == [(K.TARGET_PLAN_NOT_CUMULATIVE, "E5")]
    assert (findings[0].reported, findings[0].rule_low) == (40.0, 50.0)


def test_plan_per_period_instead_of_cumulative():
    # 25 + 25 + 25 + 25 = 100: each period's share, not the running total.
    findings = check_target_form(project(plan=plan(25.0, 25.0, 25.0, 25.0)))
    assert kinds(findings) == [(K.TARGET_PLAN_NOT_CUMULATIVE, "F5")]
    assert "累计" in findings[0].reason


def test_plan_not_full():
    findings = check_target_form(project(plan=plan(25.0, 50.0, 75.0, 90.0)))
    assert kinds(findings) == [(K.TARGET_PLAN_NOT_FULL, "F5")]
    assert (findings[0].reported, findings[0].rule_low) == (90.0, 100.0)


def test_plan_blank():
    findings = check_target_form(project(plan=plan(None, None, None, None)))
    assert kinds(findings) == [(K.TARGET_PLAN_NOT_FULL, "C5")]


def test_plan_gap():
    findings = check_target_form(project(plan=plan(25.0, None, 75.0, 100.0)))
    assert kinds(findings) == [(K.TARGET_PLAN_NOT_CUMULATIVE, "D5")]


@pytest.mark.parametrize(("target", "amount"), [("≤12万元", 12.0), ("≤120000元", 12.0), ("12万元", 12.0)])
def test_cost_over_budget(target, amount):
    # Budget 10 万元; 120000 元 = 12 万元.
    findings = check_target_form(with_row(project(), 3, target=target))
    assert kinds(findings) == [(K.TARGET_COST_OVER_BUDGET, "F13")]
    assert (findings[0].reported, findings[0].rule_high) == (amount, 10.0)


def test_per_unit_cost_is_not_compared_with_the_budget():
    # 450000 元/人 is absurd, but it is per person: not a total to set against 10 万元.
    assert check_target_form(with_row(project(), 3, target="≤450000元/人")) == []


# -- unit forms --------------------------------------------------------------------------------------


def unit_form(**changes: object) -> TargetForm:
    rubric = RUBRICS["target-unit"]
    rows = tuple(replace(i, goal=0 if n < 3 else 1) for n, i in enumerate(CLEAN_ROWS))
    form = TargetForm(
        file="部门.xlsx",
        sheet="部门整体",
        title="部门整体绩效目标",
        scope="unit",
        review=rubric.review,  # type: ignore[arg-type]
        rubric=rubric.name,
        rules=rubric.rule_set,
        unit="政协某区委员会办公室",
        goal_text=Text("总体绩效目标", "把协商民主贯穿政治协商、民主监督、参政议政全过程", "C4"),
        unit_budget=UnitBudget(Amount(100.0, "B3"), Amount(60.0, "D3"), Amount(40.0, "F3")),
        indicators=rows,
        goals=(
            TargetGoal("（一）政治协商：保障会议顺利召开", "A8"),
            TargetGoal("（二）民主监督：畅通民主监督渠道", "A11"),
            TargetGoal("分项目标3", "A14", placeholder=True),
        ),
        table_cell="B7",
    )
    return replace(form, **changes)


def test_clean_unit_form_has_no_finding():
    assert check_target_form(unit_form()) == []


def test_goal_without_indicators():
    goals = (*unit_form().goals, TargetGoal("（三）参政议政：提高委员履职能力", "A17"))
    findings = check_target_form(unit_form(goals=goals))
    assert kinds(findings) == [(K.TARGET_GOAL_WITHOUT_INDICATORS, "A17")]


def test_unit_funds_mismatch():
    # 100 ≠ 60 + 30.
    budget = UnitBudget(Amount(100.0, "B3"), Amount(60.0, "D3"), Amount(30.0, "F3"))
    assert kinds(check_target_form(unit_form(unit_budget=budget))) == [(K.TARGET_FUNDS_MISMATCH, "B3")]


def test_unit_budget_against_its_projects():
    # Seed 004's four projects: 21 + 10 + 2 + 7 = 40 万元 = the unit's 项目支出.
    projects = [
        project(project=name, funds=TargetFunds(Amount(b, "B3"), Amount(b, "D3"), Amount(0.0, "F3")))
        for name, b in (("政协综合事务管理", 21.0), ("政协会议", 10.0), ("民主监督", 2.0), ("参政议政", 7.0))
    ]
    assert check_unit_budget(unit_form(), projects) == []
    low = UnitBudget(Amount(99.0, "B3"), Amount(60.0, "D3"), Amount(39.0, "F3"))
    findings = check_unit_budget(unit_form(unit_budget=low), projects)
    assert kinds(findings) == [(K.TARGET_UNIT_BUDGET_MISMATCH, "F3")]
    assert (findings[0].reported, findings[0].rule_low) == (39.0, 40.0)
    # No 基本支出 and no 项目支出: the whole budget is set against the projects.
    whole = UnitBudget(Amount(41.0, "B3"), Amount(None, "D3"), Amount(None, "F3"))
    assert kinds(check_unit_budget(unit_form(unit_budget=whole), projects)) == [
        (K.TARGET_UNIT_BUDGET_MISMATCH, "B3")
    ]
    # A unit budget left blank is not compared.
    blank = UnitBudget(Amount(None, "B3"), Amount(None, "D3"), Amount(None, "F3"))
    assert check_unit_budget(unit_form(unit_budget=blank), projects) == []


def test_unit_cost_over_its_budget():
    # A unit's 成本指标 is set against its 部门预算数 (100 万元).
    form = with_row(unit_form(), 3, target="≤120万元")
    assert kinds(check_target_form(form)) == [(K.TARGET_COST_OVER_BUDGET, "F13")]


# -- last year ---------------------------------------------------------------------------------------


def last_year(*rows: tuple[str, str, object, object], title: str = "政协会议") -> PreviousForm:
    return PreviousForm(
        file="2026年度自评表.xlsx",
        sheet=title,
        title=title,
        unit=False,
        indicators=tuple(
            PreviousIndicator(level2, name, target, actual, f"G{10 + n}")
            for n, (level2, name, target, actual) in enumerate(rows)
        ),
    )


def test_target_below_last_actual():
    # 委员到会率: target ≥95 %, last year 98 % reached → 95 < 98.
    previous = last_year(("质量指标", "委员到会率", "≥95%", "98%"))
    findings = check_previous(project(), [previous])
    assert kinds(findings) == [(K.TARGET_BELOW_LAST_ACTUAL, "F11")]
    assert (findings[0].reported, findings[0].rule_low) == (95.0, 98.0)
    assert findings[0].kind.label == "目标值低于上年实际"
    assert not findings[0].kind.severe


def test_last_actual_from_a_percent_cell():
    # A cell showing 98% holds 0.98.
    previous = last_year(("质量指标", "委员到会率", 0.95, 0.98))
    assert kinds(check_previous(project(), [previous])) == [(K.TARGET_BELOW_LAST_ACTUAL, "F11")]


def test_target_at_or_above_last_actual_and_ceilings_are_fine():
    previous = last_year(
        ("质量指标", "委员到会率", "≥95%", "95%"),  # equal: not below
        ("数量指标", "召开会议次数", "≥4次", "3次"),  # target raised
        ("成本指标", "会议经费", "≤12万元", "9.8万元"),  # a ceiling: lower is better
        ("服务对象满意度指标", "与会委员满意度", "≥90%", "≥90%"),  # repeats the target
    )
    assert check_previous(project(), [previous]) == []


def test_money_is_compared_across_units():
    form = with_row(project(), 0, target="≥5万元", level2="数量指标")
    # 60000 元 = 6 万元 > 5 万元.
    previous = last_year(("数量指标", "召开会议次数", "≥5万元", "60000元"))
    findings = check_previous(form, [previous])
    assert kinds(findings) == [(K.TARGET_BELOW_LAST_ACTUAL, "F10")]
    assert findings[0].rule_low == 6.0


def test_dropped_indicator():
    previous = last_year(
        ("质量指标", "委员到会率（%）", "≥95%", "95%"),  # same name, "（%）" ignored
        ("社会效益指标", "社情民意信息采用数", "≥10篇", "12篇"),
    )
    findings = check_previous(project(), [previous])
    assert kinds(findings) == [(K.TARGET_DROPPED_INDICATOR, "A9")]
    assert findings[0].label == "社情民意信息采用数"
    assert "12篇" in findings[0].reason
    assert not findings[0].kind.severe


def test_previous_forms_pair_by_project_name():
    other = last_year(("社会效益指标", "文史资料收集率", "≥95%", "100%"), title="政协综合事务管理")
    mine = last_year(("质量指标", "委员到会率", "≥95%", "95%"))
    assert check_previous(project(), [other, mine]) == []
    # With two other projects only, nothing pairs.
    assert check_previous(project(), [other, replace(other, title="民主监督", sheet="民主监督")]) == []
    # A lone project form pairs whatever its name.
    assert kinds(check_previous(project(), [other])) == [(K.TARGET_DROPPED_INDICATOR, "A9")]


def test_name_key():
    assert name_key("各项任务完成及时率（%）") == name_key("各项任务完成及时率")
    assert name_key(" 委员 到会率 ") == "委员到会率"


def test_checks_are_a_list_of_plain_functions():
    assert all(callable(check) and check.__name__.startswith("check_") for check in CHECKS)
    # A caller may run only some of them.
    form = project(plan=plan(25.0, 50.0, 75.0, 90.0), goal_text=Text("绩效目标", "", "C7"))
    assert kinds(check_target_form(form, [CHECKS[0]])) == []
    assert len(check_target_form(form)) == 2


def test_every_target_kind_has_a_chinese_label():
    target_kinds = [kind for kind in FindingKind if kind.value.startswith("target_")]
    assert len(target_kinds) == 17
    assert all(kind.label and not kind.label.isascii() for kind in target_kinds)
