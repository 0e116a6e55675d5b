"""The built-in rubrics (templates/*.yaml) and the rubric loader's messages.

Every built-in rubric loads, lays out in both formula dialects, and carries the workbook names its
kind promises. The section weights of each form are written out by hand below from the form it
reproduces (seed 000–004, DOMAIN.md §1), never read back from the files. Broken rubric files must
give a message with the file name, the line (「第 N 行」) and a Chinese explanation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.generate.layout import FormContext, ProjectInfo, SheetLayout, layout_workbook
from jixiao.rubric import RubricError, builtin_rubrics, load_rubric, parse_rubric, rubric_files
from jixiao.rubric.model import CommonBlock, FormKind, Rubric
from jixiao.workbook.refs import cell, quote_sheet

DIALECTS = ("xlwings", "native")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "表样定义.md"

BUILTIN = [
    "target-project",
    "target-unit",
    "national-project",
    "hubei-project",
    "hubei-unit",
    "shanxi-unit-common",
    "sichuan-project",
    "target-project-2021",
]

# What every scored form promises other tools (checker, roll-up) by workbook name.
SELF_NAMES = {
    "预算数",
    "执行数",
    "执行率",
    "执行率得分",
    "指标_一级",
    "指标_二级",
    "指标_三级",
    "指标_目标值",
    "指标_实际值",
    "指标_分值",
    "指标_得分",
    "总分",
    "等级",
}
TARGET_PROJECT_NAMES = {
    "预算数",
    "财政资金",
    "其他资金",
    "支出计划",
    "指标_一级",
    "指标_二级",
    "指标_三级",
    "指标_描述",
    "指标_目标值",
    "指标_依据",
    "资金用途",
    "绩效目标",
}
TARGET_UNIT_NAMES = {
    "指标_年度目标",
    "指标_一级",
    "指标_二级",
    "指标_三级",
    "指标_描述",
    "指标_目标值",
    "指标_依据",
}
SHANXI_FUNDS = {"上年结转", "年初预算", "预算调整", "其他调整", "预算执行", "年末结余", "年末结余核算"}
SHANXI_INPUTS = {
    "在职人员数",
    "编制数",
    "本年三公经费",
    "上年三公经费",
    "三公经费预算数",
    "结转结余总额",
    "实际公用经费",
    "预算公用经费",
    "实际采购金额",
    "采购预算金额",
    "在用固定资产",
    "固定资产总额",
}
SHANXI_NAMES = {
    "指标_二级",
    "指标_三级",
    "指标_参考分值",
    "指标_分值",
    "指标_计算分析",
    "指标_计算结果",
    "指标_得分",
    "总分",
    "等级",
}
NOT_SCORED = {"总分", "等级", "指标_分值", "指标_得分", "执行率", "执行率得分"}

# name → (names that must exist, names that must not), in both dialects.
EXPECTED_NAMES: dict[str, tuple[set[str], set[str]]] = {
    "target-project": (TARGET_PROJECT_NAMES, NOT_SCORED),
    # The unit's budget has names of its own: 预算数 would read as a project's funds.
    "target-unit": (
        TARGET_UNIT_NAMES | {"部门预算数", "部门基本支出", "部门项目支出"},
        NOT_SCORED | {"预算数"},
    ),
    "target-project-2021": (TARGET_PROJECT_NAMES, NOT_SCORED),
    "national-project": (SELF_NAMES | {"年初预算数", "指标_偏差原因", "指标_评定得分"}, set()),
    "hubei-project": (SELF_NAMES | {"总目标得分", "指标_评定得分"}, set()),
    "hubei-unit": (SELF_NAMES | {"指标_年度目标", "指标_评定得分", "基本支出总额", "项目支出总额"}, set()),
    # The common-indicator form has no 预算执行率 block and no 一级 column (投入 / 过程 … are group rows).
    "shanxi-unit-common": (
        SHANXI_NAMES | SHANXI_FUNDS | SHANXI_INPUTS,
        {"预算数", "执行数", "执行率", "执行率得分", "指标_一级", "指标_目标值"},
    ),
    # 四川: one 「合计」 row (总分, no 等级) instead of an indicator subtotal; the form's text boxes and
    # signatures are named for the readers.
    "sichuan-project": (
        (SELF_NAMES - {"等级"})
        | {"年初预算数", "指标_性质", "指标_单位", "指标_偏差原因", "指标_评定得分", "执行偏差原因"}
        | {"绩效目标", "年度目标完成情况", "实施内容及过程", "评价结论", "存在问题", "改进措施"}
        | {"项目负责人", "财务负责人"},
        {"等级", "指标_得分合计", "指标_分值合计"},
    ),
}


def _rubric(name: str) -> Rubric:
    return builtin_rubrics()[name]


def _context(rubric: Rubric) -> FormContext:
    if rubric.scope == "unit":
        return FormContext(2027, "测试单位", "131001", goals=(ProjectInfo(name="物业管理费"),))
    project = ProjectInfo(
        name="政协会议",
        code="13030421DGDD9TGV0MA7O",
        department="政协办公室",
        implementer="政协办公室",
        budget=10.0,
        fiscal=10.0,
        other=0.0,
        purpose="各类会议的支出",
        goals="1.完善各项会议制度，规范会议程序",
    )
    return FormContext(2027, "测试单位", "131001", project=project)


def _sheet(name: str, dialect: str, context: FormContext | None = None) -> SheetLayout:
    rubric = _rubric(name)
    layout = layout_workbook(rubric, [context or FormContext(2027, "测试单位")], dialect)  # type: ignore[arg-type]
    [sheet] = layout.forms
    return sheet


def _names(sheet: SheetLayout) -> set[str]:
    return {named.name for named in sheet.names}


def _values(sheet: SheetLayout) -> list[object]:
    return [item.value for item in sheet.cells]


# -- the built-in set ---------------------------------------------------------------------------


def test_builtin_rubrics_in_file_order():
    assert list(builtin_rubrics()) == BUILTIN


def test_file_names_carry_number_and_rubric_name():
    for name, path in rubric_files().items():
        number, _, rest = path.stem.partition("-")
        assert number.isdigit() and len(number) == 2, path
        assert rest == name, path


@pytest.mark.parametrize("name", BUILTIN)
def test_rubric_loads_from_its_file(name):
    rubric = load_rubric(rubric_files()[name])
    assert rubric == _rubric(name)
    assert rubric.blocks[0].type == "title"
    assert rubric.sources and rubric.summary and rubric.instructions.strip()
    assert re.search(r"[\u4e00-\u9fff]", rubric.title)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", BUILTIN)
def test_rubric_lays_out_in_both_dialects(name, dialect):
    rubric = _rubric(name)
    for context in (FormContext(2027, ""), _context(rubric)):
        layout = layout_workbook(rubric, [context], dialect)
        [sheet] = layout.forms
        assert sheet.rows > 5 and sheet.width >= 6
        # Every template variable in the 填表说明 was known (jinja StrictUndefined would raise).
        assert layout.instructions and not any("{{" in line for line in layout.instructions)
        # No name was left unresolved in a compute formula.
        for item in sheet.cells:
            if item.formula and "IFERROR(" in item.formula:
                assert not re.search(r"[\u4e00-\u9fff]", item.formula), item


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", BUILTIN)
def test_rubric_has_the_names_its_kind_promises(name, dialect):
    present, absent = EXPECTED_NAMES[name]
    names = _names(_sheet(name, dialect))
    assert present <= names, present - names
    assert not (absent & names), absent & names
    rubric = _rubric(name)
    if dialect == "native" and rubric.indicators is not None and rubric.kind is not FormKind.TARGET:
        # Native formulas score from 指标性质 + number + 度量单位.
        assert {"指标_性质", "指标_单位", "指标_评定得分"} <= names


def test_project_context_is_filled_in():
    sheet = _sheet("target-project", "native", _context(_rubric("target-project")))
    values = _values(sheet)
    assert "13030421DGDD9TGV0MA7O" in values
    assert "政协会议" in values
    assert "各类会议的支出" in values
    assert 10.0 in values  # 预算数 and 财政资金
    assert any(isinstance(v, str) and v.startswith("2027年度政协会议") for v in values)


# -- section weights, by hand from the forms ------------------------------------------------------


def _section_weights(rubric: Rubric) -> dict[str, float]:
    weights: dict[str, float] = {}
    for block in rubric.blocks:
        if block.type in ("execution", "goal_pair", "indicators") and block.weight is not None:
            weights[block.type] = block.weight
        if isinstance(block, CommonBlock):
            weights.update({group.label: group.weight for group in block.groups})
    return weights


def _level1_weights(rubric: Rubric) -> dict[str, float | None]:
    assert rubric.indicators is not None
    return {level1.name: level1.weight for level1 in rubric.indicators.tree}


def _default_row_weights(rubric: Rubric) -> dict[str, list[float | None]]:
    assert rubric.indicators is not None
    rows: dict[str, list[float | None]] = {}
    for row in rubric.indicators.rows:
        rows.setdefault(row.level1, []).append(row.weight)
    return rows


@pytest.mark.parametrize("name", ["national-project", "sichuan-project"])
def test_national_layout_weights(name):
    # 财预〔2020〕10号: 预算执行率 10 + 绩效指标 90 = 100; 产出 50 / 效益 30 / 满意度 10.
    rubric = _rubric(name)
    assert _section_weights(rubric) == {"execution": 10, "indicators": 90}
    assert _level1_weights(rubric) == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    # Editable defaults: 产出 4 × 12.5 = 50; 效益 5 + 10 + 5 + 10 = 30; 满意度 10. Sum 90.
    # (四川 writes the subtotal nowhere: its 合计 row shows 100 = 10 + 90.)
    assert _default_row_weights(rubric) == {
        "产出指标": [12.5, 12.5, 12.5, 12.5],
        "效益指标": [5, 10, 5, 10],
        "满意度指标": [10],
    }
    # One row per 二级 as on the official form (the defaults fill them; weights then redistributed).
    assert rubric.indicators.rows_per_level2 == 1


def test_hubei_project_weights():
    # Seeds 000 / 002: 预算执行率 20 + 项目绩效总目标 20 + 年度绩效指标 60.
    assert _section_weights(_rubric("hubei-project")) == {"execution": 20, "goal_pair": 20, "indicators": 60}


def test_hubei_unit_weights():
    # Seeds 000 / 002 / 003: 预算执行率 20 + 年度目标 1..n whose weights sum to 80.
    rubric = _rubric("hubei-unit")
    assert _section_weights(rubric) == {"execution": 20, "indicators": 80}
    goals = rubric.indicators.goals
    assert goals is not None
    assert (goals.label, goals.count, goals.rows_per_goal, goals.weight_total) == (
        "年度目标{{ 序号 }}",
        5,
        5,
        80,
    )
    assert goals.from_projects
    assert [column.label for column in rubric.execution.columns] == [
        "预算数（A）",
        "执行数（B）",
        "执行率（B/A）",
        "得分（20分×执行率）",
    ]
    assert [row.label for row in rubric.execution.rows] == ["部门整体支出总额"]


# Seed 001 (晋中), row by row: 三级指标 → 设定分值.
SEED_001 = {
    "投入": {
        "工作规划合理性": 3,
        "工作目标明确性": 3,
        "在职人员控制率": 3,
        "“三公经费”变动率": 3,
        "重点支出安排率": 4,
    },  # 3 + 3 + 3 + 3 + 4 = 16
    "过程": {
        "预算完成率": 3,
        "预算调整率": 3,
        "支付进度": 4,
        "结转结余率": 3,
        "公用经费控制率": 2,
        "“三公经费”控制率": 2,
        "政府采购执行率": 3,
        "财务管理制度健全性": 3,
        "资金使用合规性": 3,
        "预决算信息公开性": 3,
        "基础信息完善性": 3,
        "资产管理制度健全性": 3,
        "资产管理安全性": 3,
        "固定资产利用率": 4,
    },  # 20 + 12 + 10 = 42
    "产出": {"完成实绩情况": 8, "质量达标情况": 8, "重点工作完成情况": 6},  # 22
    "效果": {"经济效益": 5, "社会效益": 5, "生态效益": 5, "社会公众或服务对象满意度": 5},  # 20
}


def test_shanxi_common_weights_are_seed_001():
    rubric = _rubric("shanxi-unit-common")
    assert _section_weights(rubric) == {"投入": 16, "过程": 42, "产出": 22, "效果": 20}
    assert rubric.execution is None and rubric.indicators is None
    [common] = [block for block in rubric.blocks if isinstance(block, CommonBlock)]
    got = {group.label: {row.level3: row.weight for row in group.rows} for group in common.groups}
    assert got == SEED_001
    assert all(row.formula for group in common.groups for row in group.rows)
    total = rubric.block("total")
    assert (total.label, total.grade_label) == ("综合得分", "评价结果等次")


@pytest.mark.parametrize("name", ["target-project", "target-unit"])
def test_target_forms_are_not_scored(name):
    rubric = _rubric(name)
    assert rubric.kind is FormKind.TARGET
    assert _section_weights(rubric) == {}
    assert rubric.execution is None and rubric.block("total") is None
    keys = {column.key for column in rubric.indicators.columns}
    assert not keys & {"weight", "score", "actual", "judged", "band"}
    assert _level1_weights(rubric) == {"产出指标": None, "效益指标": None, "满意度指标": None}


def test_target_project_follows_seed_004():
    rubric = _rubric("target-project")
    labels = [column.label for column in rubric.indicators.columns if "xlwings" in column.dialects]
    assert labels == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    plan = rubric.block("plan")
    assert (plan.label, plan.months, plan.name) == (
        "资金支出计划（%）",
        ["3月底", "6月底", "10月底", "12月底"],
        "支出计划",
    )
    # 绩效目标 (年度目标) beside 长期目标, both kept by `new --from`.
    goals = next(b for b in rubric.blocks if b.type == "text_pair")
    assert (goals.left.key, goals.right.key) == ("绩效目标", "长期目标")
    assert goals.left.carry_forward and goals.right.carry_forward
    # One default row per 二级, as in seed 004: 4 产出 + 4 效益 + 1 满意度.
    assert [(row.level1, row.level2) for row in rubric.indicators.rows] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "生态效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


# -- layouts ----------------------------------------------------------------------------------


def _goal_cells(sheet: SheetLayout) -> list[tuple[str, int]]:
    col = sheet.name_of("指标_年度目标").first_col
    return [
        (str(item.value), (item.last_row or item.row) - item.row + 1)
        for item in sheet.cells
        if item.col == col and item.role == "input_text" and item.value
    ]


def test_hubei_unit_goal_groups():
    assert _goal_cells(_sheet("hubei-unit", "native")) == [(f"年度目标{n}", 5) for n in range(1, 6)]
    context = FormContext(
        2027, "测试单位", goals=(ProjectInfo(name="物业管理费"), ProjectInfo(name="食堂托管费"))
    )
    assert _goal_cells(_sheet("hubei-unit", "xlwings", context)) == [
        ("年度目标1：物业管理费", 5),
        ("年度目标2：食堂托管费", 5),
    ]


def test_target_unit_goal_groups():
    assert _goal_cells(_sheet("target-unit", "xlwings")) == [(f"分项目标{n}", 3) for n in range(1, 5)]


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("national-project", ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")),
        ("sichuan-project", ("总额", "其中：财政资金", "财政专户管理资金", "单位资金", "其他资金")),
    ],
)
def test_national_fund_rows(name, labels):
    sheet = _sheet(name, "native")
    budget = sheet.name_of("预算数")
    total = next(c for c in sheet.cells if (c.row, c.col) == (budget.first_row, budget.first_col))
    # The total row = the 其中 rows right below it (3 on the national form, 4 on the 四川 one).
    count = len(labels) - 1
    parts = (
        f"{cell(budget.first_row + 1, budget.first_col)}:{cell(budget.first_row + count, budget.first_col)}"
    )
    assert total.formula == f'=IF(COUNT({parts})=0,"",SUM({parts}))'  # blank on a blank form
    values = _values(sheet)
    for label in labels:
        assert label in values
    assert 10 in values  # 分值 on the total row


def test_sichuan_splits_the_target_in_both_dialects():
    for dialect in DIALECTS:
        headers = [c.value for c in _sheet("sichuan-project", dialect).cells if c.role == "header"]
        at = headers.index("指标性质")
        assert headers[at : at + 4] == ["指标性质", "指标值", "度量单位", "完成值"]
        assert ("定性档位" in headers) == (dialect == "native")


def test_sichuan_follows_the_published_form():
    # 四川 部门预算项目支出绩效自评表 (510000_0013zp), in 万元.
    rubric = _rubric("sichuan-project")
    assert rubric.amount_unit == "万元"
    sheet = _sheet("sichuan-project", "native")
    headers = [c.value for c in sheet.cells if c.role == "header"]
    assert headers[:3] == ["项目年度目标", "年度目标完成情况", "年度预算数（万元）"]
    assert headers[3:10] == ["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"]
    assert headers[10:] == [
        *("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重"),
        *("定性档位", "评定得分", "得分", "未完成原因分析"),
    ]
    labels = [c.value for c in sheet.cells if c.role == "label"]
    for label in (
        "项目名称",
        "主管部门",
        "实施单位（盖章）",
        "项目实施内容及过程概述",
        "预算执行情况（10分）",
    ):
        assert label in labels
    for label in ("总额", "其中：财政资金", "财政专户管理资金", "单位资金", "其他资金", "合计"):
        assert label in labels
    for label in ("评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人"):
        assert label in labels
    # Each fund row has its own 执行率; 权重 and 得分 only on 总额 (the others show 「/」).
    budget = sheet.name_of("预算数")
    rate = sheet.name_of("执行率")
    rates = [
        c
        for c in sheet.cells
        if c.col == rate.first_col and budget.first_row <= c.row <= budget.first_row + 4
    ]
    assert all(c.formula and c.role == "formula_percent" for c in rates) and len(rates) == 5
    # 「合计」: the form's 100 under 权重, the total under 得分; no separate indicator subtotal.
    total = sheet.name_of("总分")
    weights = sheet.name_of("指标_分值")
    on_total_row = {c.col: c.value for c in sheet.cells if c.row == total.first_row}
    assert on_total_row[weights.first_col] == 100
    assert total.first_col == sheet.name_of("指标_得分").first_col


def test_national_target_is_one_column_in_xlwings():
    headers = [c.value for c in _sheet("national-project", "xlwings").cells if c.role == "header"]
    assert "指标性质" not in headers and "度量单位" not in headers
    assert "年度指标值" in headers and "偏差原因分析及改进措施" in headers


def _formula_at(sheet: SheetLayout, row: int, col: int) -> str | None:
    return next(c.formula for c in sheet.cells if (c.row, c.col) == (row, col))


def _ref(sheet: SheetLayout, name: str) -> str:
    named = sheet.name_of(name)
    return cell(named.first_row, named.first_col)


def test_shanxi_compute_formulas_use_the_named_cells():
    sheet = _sheet("shanxi-unit-common", "native")
    r = {name: _ref(sheet, name) for name in SHANXI_FUNDS | SHANXI_INPUTS}
    balance = sheet.name_of("年末结余核算")
    funds = [r["上年结转"], r["年初预算"], r["预算调整"], r["其他调整"], r["预算执行"]]
    assert _formula_at(sheet, balance.first_row, balance.first_col) == (
        f'=IF(COUNT({",".join(funds)})=0,"",'
        f'IFERROR({r["上年结转"]}+{r["年初预算"]}+{r["预算调整"]}+{r["其他调整"]}-{r["预算执行"]},""))'
    )
    results = _result_cells(sheet)
    expected = {
        "在职人员控制率": f"{r['在职人员数']}/{r['编制数']}",
        "“三公经费”变动率": f"({r['本年三公经费']}-{r['上年三公经费']})/{r['上年三公经费']}",
        "预算完成率": (
            f"({r['上年结转']}+{r['年初预算']}+{r['预算调整']}-{r['年末结余']})"
            f"/({r['上年结转']}+{r['年初预算']}+{r['预算调整']})"
        ),
        "结转结余率": f"{r['结转结余总额']}/({r['年初预算']})",
        "政府采购执行率": f"{r['实际采购金额']}/{r['采购预算金额']}",
        "公用经费控制率": f"{r['实际公用经费']}/{r['预算公用经费']}",
        "固定资产利用率": f"{r['在用固定资产']}/{r['固定资产总额']}",
    }
    for level3, expression in expected.items():
        row, col = results[level3]
        # Blank until one of the cells it uses (in order of appearance) holds a number.
        used = ",".join(dict.fromkeys(re.findall(r"[A-Z]+[0-9]+", expression)))
        assert _formula_at(sheet, row, col) == f'=IF(COUNT({used})=0,"",IFERROR({expression},""))', level3


def _result_cells(sheet: SheetLayout) -> dict[str, tuple[int, int]]:
    """三级指标 → (row, col) of its 计算结果 cell."""
    level3_col = sheet.name_of("指标_三级").first_col
    result_col = sheet.name_of("指标_计算结果").first_col
    rows = {
        c.row: str(c.value) for c in sheet.cells if c.col == level3_col and c.role == "fixed_text" and c.value
    }
    return {label: (row, result_col) for row, label in rows.items()}


# -- the documentation's example ------------------------------------------------------------------


def test_documented_example_is_a_valid_rubric():
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example is not None
    rubric = parse_rubric(example.group(1), "表样定义.md 的示例")
    assert _section_weights(rubric) == {"execution": 20, "indicators": 80}
    for dialect in DIALECTS:
        layout_workbook(rubric, [FormContext(2027, "某某单位")], dialect)
    for name in BUILTIN:
        assert f"`{name}`" in text, name


# -- loader messages ------------------------------------------------------------------------------

GOOD = """\
# 测试用表样
name: test-form
title: 测试自评表
kind: 项目自评表
scope: project
summary: 预算执行率 20 + 绩效指标 80。
blocks:
  - type: title
    template: "{{ 年度 }}年度测试自评表"
  - type: execution
    label: 预算执行情况（20分）
    weight: 20
    columns:
      - {key: budget, label: 预算数}
      - {key: actual, label: 执行数}
      - {key: rate, label: 执行率}
      - {key: score, label: 得分}
    rows:
      - {label: 年度财政资金总额}
  - type: indicators
    label: 绩效指标（80分）
    weight: 80
    columns:
      - {key: level1, label: 一级指标}
      - {key: level2, label: 二级指标}
      - {key: level3, label: 三级指标}
      - {key: nature, label: 指标性质, dialects: [native]}
      - {key: target, label: 目标值}
      - {key: actual, label: 实际值}
      - {key: weight, label: 分值}
      - {key: score, label: 得分}
    tree:
      - name: 产出指标
        weight: 50
        level2: [数量指标, 质量指标]
      - name: 效益指标
        weight: 30
        level2: [社会效益指标]
  - type: text
    label: 偏差原因分析
  - type: total
    label: 总分
instructions: 按规则填写。
"""


def _line(text: str, needle: str) -> int:
    """1-based line of the only line containing ``needle``."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def _broken(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _load_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = tmp_path / "本地区表样.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    return path, str(caught.value)


def test_good_fixture_loads(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    rubric = load_rubric(path)
    assert rubric.name == "test-form"
    for dialect in DIALECTS:
        layout_workbook(rubric, [FormContext(2027, "某某单位")], dialect)


def test_error_weights_do_not_add_up(tmp_path):
    # 20 + 70 = 90 ≠ 100: a whole-file error, reported at the file's first key (name:, line 2).
    text = _broken(GOOD, "    weight: 80\n", "    weight: 70\n")
    text = _broken(text, "        weight: 30\n", "        weight: 20\n")
    path, message = _load_error(tmp_path, text)
    assert str(path) in message
    assert _line(text, "name: test-form") == 2
    assert "第 2 行" in message
    assert "各部分分值合计 90，与总分 100 不符" in message


def test_error_level1_weights_do_not_add_up(tmp_path):
    # 产出 50 + 效益 20 = 70 ≠ 80: reported at the indicators block.
    text = _broken(GOOD, "        weight: 30\n", "        weight: 20\n")
    path, message = _load_error(tmp_path, text)
    assert str(path) in message
    assert f"第 {_line(text, '- type: indicators')} 行" in message
    assert "一级指标分值合计 70，与指标表分值 80 不符" in message


def test_error_misspelt_key(tmp_path):
    text = _broken(GOOD, "    label: 偏差原因分析\n", "    lable: 偏差原因分析\n")
    path, message = _load_error(tmp_path, text)
    assert str(path) in message
    assert f"第 {_line(text, 'lable:')} 行（blocks/3/lable）：不认识的项（拼写是否有误？）" in message
    # The label the block now lacks is reported at the block itself.
    assert f"第 {_line(text, 'lable:') - 1} 行（blocks/3/label）：缺少必填项" in message


def test_error_bad_block_type(tmp_path):
    text = _broken(GOOD, "  - type: total\n", "  - type: totl\n")
    path, message = _load_error(tmp_path, text)
    assert str(path) in message
    assert f"第 {_line(text, 'type: totl')} 行（blocks/4）：type 不是已知的块类型" in message


def test_error_yaml_syntax(tmp_path):
    text = _broken(GOOD, "    label: 总分\n", "    label: 总分: 合计\n")
    path, message = _load_error(tmp_path, text)
    assert str(path) in message
    assert f"第 {_line(text, '总分: 合计')} 行" in message
    assert "YAML 格式错误" in message


def test_error_duplicate_key(tmp_path):
    text = _broken(GOOD, "title: 测试自评表\n", "title: 测试自评表\ntitle: 另一个标题\n")
    path, message = _load_error(tmp_path, text)
    assert str(path) in message
    assert f"第 {_line(text, 'title: 另一个标题')} 行" in message
    assert "「title」重复出现" in message


def test_error_names_the_missing_file(tmp_path):
    with pytest.raises(RubricError, match="找不到表样定义文件"):
        load_rubric(tmp_path / "没有这个文件.yaml")


# -- command line ---------------------------------------------------------------------------------


def test_cli_lists_all_builtin_rubrics():
    result = CliRunner().invoke(main, ["rubrics"])
    assert result.exit_code == 0, result.output
    listed = [line.split("\t")[0] for line in result.output.splitlines() if line.strip()]
    assert listed == BUILTIN


@pytest.mark.parametrize("name", BUILTIN)
def test_cli_check_accepts_builtin_files(name):
    result = CliRunner().invoke(main, ["rubrics", "check", str(rubric_files()[name])])
    assert result.exit_code == 0, result.output
    assert f"表样「{name}」" in result.output and "有效" in result.output


def test_cli_check_rejects_a_bad_file(tmp_path):
    text = _broken(GOOD, "  - type: total\n", "  - type: totl\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["rubrics", "check", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output
    assert f"第 {_line(text, 'type: totl')} 行" in result.output


# -- the Shanxi formulas in a real spreadsheet ------------------------------------------------------


def _shanxi_workbook(tmp_path: Path) -> tuple[Path, SheetLayout]:
    from jixiao.generate.api import Request, generate

    rubric = _rubric("shanxi-unit-common")
    [path] = generate(Request(rubric, 2020, "政协晋中市委员会", dialect="native"), tmp_path)
    sheet = _sheet("shanxi-unit-common", "native", FormContext(2020, "政协晋中市委员会"))
    return path, sheet


@pytest.mark.libreoffice
def test_shanxi_seed_001_in_libreoffice(calc, tmp_path):
    path, sheet = _shanxi_workbook(tmp_path)
    at = quote_sheet(sheet.name)
    results = _result_cells(sheet)
    score_col = sheet.name_of("指标_得分").first_col
    # Seed 001's 评价得分; the rows it did not give full marks: 结转结余率 2.70, 政府采购执行率 0.
    scores = {label: weight for group in SEED_001.values() for label, weight in group.items()}
    scores["结转结余率"] = 2.7
    scores["政府采购执行率"] = 0
    inputs: dict[str, object] = {
        "上年结转": 14.56,
        "年初预算": 1086.45,
        "预算调整": -64.60,
        "其他调整": 0,
        "预算执行": 1031.73,
        "年末结余": 4.68,
        "在职人员数": 42,
        "编制数": 48,
        "本年三公经费": 0,
        "上年三公经费": 2,  # 假设: seed 001 shows 本年 0 万元 but cuts off 上年
        "结转结余总额": 4.68,
    }
    for label, points in scores.items():
        row, _ = results[label]
        inputs[f"{at}!{cell(row, score_col)}"] = points
    read = ["年末结余核算", "总分", "等级"] + [f"{at}!{cell(*results[label])}" for label in results]
    values = calc.recalc(path, inputs=inputs, read=read)
    computed = {label: values[f"{at}!{cell(*results[label])}"] for label in results}
    # 14.56 + 1086.45 − 64.60 + 0 − 1031.73 = 4.68 (seed 001's 年末结余)
    assert values["年末结余核算"] == pytest.approx(4.68)
    assert computed["在职人员控制率"] == pytest.approx(0.875)  # 42 / 48
    assert computed["“三公经费”变动率"] == pytest.approx(-1.0)  # (0 − 2) / 2
    # (14.56 + 1086.45 − 64.60 − 4.68) / (14.56 + 1086.45 − 64.60) = 1031.73 / 1036.41
    assert computed["预算完成率"] == pytest.approx(1031.73 / 1036.41)
    assert computed["预算调整率"] == pytest.approx(-64.60 / 1086.45)
    assert computed["结转结余率"] == pytest.approx(4.68 / 1086.45)
    assert computed["政府采购执行率"] == ""  # 0 / 0 → blank, not #DIV/0!
    # 16 + (42 − 0.3 − 3) + 22 + 20 = 96.70 → 优 (seed 001)
    assert values["总分"] == pytest.approx(96.7)
    assert values["等级"] == "优"


@pytest.mark.libreoffice
def test_shanxi_blank_form_has_no_grade(calc, tmp_path):
    path, _ = _shanxi_workbook(tmp_path)
    assert calc.recalc(path, read=["等级"])["等级"] == ""


# -- printed-form options (issue 12) ----------------------------------------------------------------


def _two_per_level2():
    from jixiao.rubric.model import IndicatorsBlock

    return IndicatorsBlock.model_validate(
        {
            "type": "indicators",
            "label": "",
            "columns": [
                {"key": "level1", "label": "一级"},
                {"key": "level2", "label": "二级"},
                {"key": "level3", "label": "三级"},
            ],
            "tree": [
                {"name": "产出指标", "level2": ["数量指标", "质量指标"]},
                {"name": "效益指标", "level2": ["社会效益指标"]},
            ],
            "rows_per_level2": 2,
            "blank_rows": 1,
        }
    )


def test_rows_per_level2_lays_rows_in_tree_order_out_by_the_tree():
    # 2 rows per 二级 over 产出(数量, 质量) + 效益(社会): given rows (in tree order) go under their
    # 二级, each 二级 padded with empty rows of its own, then blank_rows.
    from jixiao.rubric.model import RowTemplate

    given = [
        RowTemplate(level1="产出指标", level2="数量指标", level3="丙"),
        RowTemplate(level1="产出指标", level2="数量指标", level3="丁"),
        RowTemplate(level1="产出指标", level2="数量指标", level3="戊"),
        RowTemplate(level1="效益指标", level2="社会效益指标", level3="甲"),
    ]
    laid = [(r.level1, r.level2, r.level3) for r in _two_per_level2().level2_rows(given)]
    assert laid == [
        ("产出指标", "数量指标", "丙"),
        ("产出指标", "数量指标", "丁"),
        ("产出指标", "数量指标", "戊"),  # three given: none dropped, none added
        ("产出指标", "质量指标", ""),
        ("产出指标", "质量指标", ""),
        ("效益指标", "社会效益指标", "甲"),
        ("效益指标", "社会效益指标", ""),
        ("", "", ""),
    ]


def test_rows_per_level2_keeps_other_rows_in_their_order():
    # Rows not in tree order (or outside the tree) stay as given; a 「数量指标7（0.5分）」 row counts
    # for 数量指标; the 二级 left short follow as empty rows (数量 1 more, 质量 2, 社会 2).
    from jixiao.rubric.model import RowTemplate

    given = [
        RowTemplate(level1="效益指标", level2="社会效益指标", level3="甲"),
        RowTemplate(level1="其他", level2="自定", level3="乙"),
        RowTemplate(level1="产出指标", level2="数量指标7（0.5分）", level3="丙"),
    ]
    laid = [(r.level1, r.level2, r.level3) for r in _two_per_level2().level2_rows(given)]
    assert laid == [
        ("效益指标", "社会效益指标", "甲"),
        ("其他", "自定", "乙"),
        ("产出指标", "数量指标7（0.5分）", "丙"),
        ("产出指标", "数量指标", ""),
        ("产出指标", "质量指标", ""),
        ("产出指标", "质量指标", ""),
        ("效益指标", "社会效益指标", ""),
        ("", "", ""),
    ]


@pytest.mark.parametrize(
    ("name", "pair"),
    [
        ("national-project", ("绩效目标", "实际完成情况", "预期目标")),
        ("sichuan-project", ("绩效目标", "年度目标完成情况", "项目年度目标")),
    ],
)
def test_overall_goal_is_side_by_side(name, pair):
    # 财预〔2020〕10号: 年度总体目标 | 预期目标 | 实际完成情况 on one row pair, not stacked (四川 alike).
    sheet = _sheet(name, "native")
    names = {n.name: n for n in sheet.names}
    expected, done = names[pair[0]], names[pair[1]]
    assert expected.first_row == done.first_row
    assert expected.first_col < done.first_col
    headers = {c.value: (c.row, c.col) for c in sheet.cells if c.role == "header"}
    assert headers[pair[2]] == (expected.first_row - 1, expected.first_col)
    assert headers[pair[1]] == (done.first_row - 1, done.first_col)


def test_target_forms_carry_the_usual_declaration_fields():
    # 项目属性 (新增 / 延续, a dropdown), 实施期, 项目负责人, 联系电话 on the project target form;
    # 填报人 / 单位负责人 / 填报日期 on both target forms — each a block a region can delete.
    sheet = _sheet("target-project", "native")
    names = _names(sheet)
    assert {
        "项目属性",
        "实施期",
        "项目负责人",
        "联系电话",
        "长期目标",
        "填报人",
        "单位负责人",
        "填报日期",
    } <= names
    attribute = sheet.name_of("项目属性")
    [dropdown] = [
        v
        for v in sheet.validations
        if (v.first_row, v.first_col) == (attribute.first_row, attribute.first_col)
    ]
    assert (dropdown.kind, dropdown.values) == ("list", ("新增", "延续"))
    assert {"填报人", "单位负责人", "填报日期"} <= _names(_sheet("target-unit", "native"))


@pytest.mark.parametrize("name", ["target-project", "national-project", "hubei-project", "sichuan-project"])
def test_unit_note_right_of_the_subtitle_and_amounts_aligned(name):
    sheet = _sheet(name, "native")
    [note] = [c for c in sheet.cells if c.role == "unit_note"]
    # 「单位：万元」 on the row above the table, ending at the sheet's right edge.
    assert note.value == "单位：万元"
    assert (note.row, note.last_col) == (1, sheet.width - 1)
    # A sum of amounts (the national / 四川 total row) is an amount like the typed ones beside it.
    rubric = _rubric(name)
    if rubric.execution is not None and any(row.part for row in rubric.execution.rows):
        budget = sheet.name_of("预算数")
        total = next(c for c in sheet.cells if (c.row, c.col) == (budget.first_row, budget.first_col))
        below = next(c for c in sheet.cells if (c.row, c.col) == (budget.first_row + 1, budget.first_col))
        assert (total.role, below.role) == ("formula_amount", "input_amount")


def test_typed_and_prefilled_figures_share_a_role():
    # The 指标值 column: the pre-filled 90 and an empty row's cell are both input_number (centred).
    sheet = _sheet("national-project", "native")
    target = sheet.name_of("指标_目标值")
    roles = {
        c.role
        for c in sheet.cells
        if c.col == target.first_col and target.first_row <= c.row <= target.last_row
    }
    assert roles == {"input_number"}


def test_review_money_units_must_hold_the_forms_amount_unit(tmp_path):
    # target-project's amounts are in 万元; a review that knows only 元 could not compare a cost with 预算数.
    text = _broken(
        rubric_files()["target-project"].read_text(encoding="utf-8"),
        "money_units: {元: 1, 千元: 1000, 万元: 10000, 亿元: 100000000}",
        "money_units: {元: 1}",
    )
    _path, message = _load_error(tmp_path, text)
    assert "amount_unit「万元」不在 review.money_units 中" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Line and column of where PyYAML stops, counted by hand; the reason in Chinese, never PyYAML's English.
        ("title: 总分: 合计\n", "第 1 行第 10 列：YAML 格式错误：这里不能再有冒号「:」"),
        ("blocks:\n  a: 1\n b: 2\n", "第 3 行第 2 列：YAML 格式错误：缩进不一致"),
        ("title: '测试\n", "第 2 行第 1 列：YAML 格式错误：引号没有闭合"),
        ("sources: [种子表\n", "第 2 行第 1 列：YAML 格式错误：方括号「[」没有闭合"),
        # A tab after a colon is legal to libyaml; a tab that indents is not, in any parser.
        ("blocks:\n\t- 测试\n", "第 2 行第 1 列：YAML 格式错误：用了 Tab 字符"),
        ("title: *x\n", "第 1 行第 8 列：YAML 格式错误：引用了未定义的锚点"),
        ("a: &x 1\nb: &x 2\n", "第 2 行第 4 列：YAML 格式错误：锚点（&名称）重复定义"),
        ("title: !!python/object:os.system x\n", "第 1 行第 8 列：YAML 格式错误：有不支持的标签"),
    ],
)
def test_yaml_syntax_errors_are_explained_in_chinese(text, expected):
    with pytest.raises(RubricError) as raised:
        parse_rubric(text, "我的表样.yaml")
    message = str(raised.value)
    assert message.startswith("我的表样.yaml ") and expected in message
    reason = message.removeprefix("我的表样.yaml ").replace("YAML", "")
    assert not re.search(r"[A-Za-z]{4,}", reason), message
