"""The native formula dialect, computed by a real spreadsheet application, equals the Python core.

Each generated native form is filled with seed figures (structured as 指标性质 + number + 度量单位),
hard-recalculated in headless LibreOffice, and every computed cell is compared with the core.
The expected numbers are also worked by hand in the comments, so a bug shared by the formulas and
the core cannot hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from jixiao import execution_rate, execution_score, grade, score_indicator
from jixiao.core.rounding import excel_round
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import ProjectInfo
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import RowTemplate, Rubric, Rules

pytestmark = pytest.mark.libreoffice


@dataclass(frozen=True)
class Row:
    level1: str
    level2: str
    name: str
    nature: str
    target: float | str
    unit: str
    actual: float | str
    weight: float
    band: str = ""
    judged: float | None = None
    hand: float | None = None  # the score worked by hand under the default rules


# Seed rows (seed 002 城乡社区 / 教育 / 整体, seed 003, seed 000) and a few that reach the other rules.
ROWS = [
    Row("产出指标", "数量指标", "道路清扫数量", "≥", 87, "", 94, 3, hand=3),  # 94 ≥ 87 → 3
    Row("产出指标", "质量指标", "清扫完成率", "≥", 100, "%", 95, 2, hand=1.9),  # 2 × 95/100
    Row("产出指标", "时效指标", "完成及时率", "≥", 100, "%", 95, 3, hand=2.85),  # 3 × 95/100
    Row("产出指标", "成本指标", "不超过预算总金额", "≤", 2266.25, "万元", 2266.25, 3, hand=3),
    Row("产出指标", "质量指标", "招商引资完成率（内资）", "≥", 80, "%", 60, 0.5, hand=0.38),  # 0.375 → 0.38
    Row("效益指标", "满意度指标", "社会群众满意度", "≥", 80, "%", 75, 6, hand=5.63),  # 5.625 → 5.63
    Row("产出指标", "数量指标", "项目数", "≥", 3, "项", 2, 1, hand=0.67),  # seed 003
    Row("产出指标", "质量指标", "会议安保工作事故率", "≤", 0, "%", 0, 5, hand=5),  # seed 000, target 0
    Row("产出指标", "质量指标", "差错率", "≤", 0, "%", 1, 5, hand=0),  # target 0, actual > 0
    Row("产出指标", "成本指标", "年度维护成本增加率", "≤", 8, "%", 10, 4, hand=3.2),  # 4 × 8/10
    Row("产出指标", "时效指标", "故障修复响应时间", "≤", 48, "小时", 60, 5, hand=4),  # 5 × 48/60
    Row("产出指标", "数量指标", "工装数量", "=", 8, "套", 6, 4, hand=3),  # = scored like ≥
    Row(
        "效益指标",
        "社会效益指标",
        "服务水平",
        "定性",
        "有所提升",
        "",
        "明显提升",
        10,
        "达成预期指标",
        9,
        hand=9,
    ),
    Row(
        "效益指标",
        "可持续影响指标",
        "长效机制",
        "定性",
        "逐步提高",
        "",
        "部分达成",
        6,
        "部分达成预期指标并具有一定效果",
        3,
        hand=3,
    ),
]
BUDGET, EXECUTED = 1069.34, 939.9  # seed 002 其他支出: rate 87.90 %, score 20 × 0.878952 = 17.58
GOAL_SCORE = 18


def _core_points(row: Row, rubric: Rubric) -> float | None:
    if row.nature == "定性":
        return row.judged
    target = f"{row.nature}{row.target}{row.unit}"
    actual = f"{row.actual}{row.unit}"
    return score_indicator(target, actual, row.weight, category=row.level2, rules=rubric.rule_set).points


def _native_rubrics() -> list[Rubric]:
    found = []
    for rubric in builtin_rubrics().values():
        table = rubric.indicators
        if table is None or table.goals is not None:
            continue
        keys = {column.key for column in table.columns if "native" in column.dialects}
        if {"nature", "target", "actual", "weight", "score"} <= keys:
            found.append(rubric)
    return found


def _column(values: list[object], length: int) -> list[list[object]]:
    padded = values + [None] * (length - len(values))
    return [[value] for value in padded]


def _fill(rubric: Rubric, path: Path, rows: list[Row]) -> dict[str, object]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    length = _name_length(book, "指标_得分")
    names = set(book.defined_names)
    inputs: dict[str, object] = {
        "指标_一级": _column([r.level1 for r in rows], length),
        "指标_二级": _column([r.level2 for r in rows], length),
        "指标_三级": _column([r.name for r in rows], length),
        "指标_性质": _column([r.nature for r in rows], length),
        "指标_目标值": _column([r.target for r in rows], length),
        "指标_单位": _column([r.unit or None for r in rows], length),
        "指标_实际值": _column([r.actual for r in rows], length),
        "指标_分值": _column([r.weight for r in rows], length),
        "指标_评定得分": _column([r.judged for r in rows], length),
    }
    if "指标_定性档位" in names:
        inputs["指标_定性档位"] = _column([r.band or None for r in rows], length)
    if rubric.execution is not None:
        parts = any(row.part for row in rubric.execution.rows)
        if parts:
            # National layout: the total row sums the parts; put everything on the first part.
            sheet, first = _first_part(book)
            inputs[f"{sheet}!{first[0]}"] = BUDGET
            inputs[f"{sheet}!{first[1]}"] = EXECUTED
        else:
            inputs["预算数"] = BUDGET
            inputs["执行数"] = EXECUTED
    if "总目标得分" in names:
        inputs["总目标得分"] = GOAL_SCORE
    return inputs


def _name_length(book, name: str) -> int:
    ref = book.defined_names[name].attr_text.split("!")[1].replace("$", "")
    first, _, last = ref.partition(":")
    return (
        int("".join(ch for ch in last or first if ch.isdigit()))
        - int("".join(ch for ch in first if ch.isdigit()))
        + 1
    )


def _first_part(book) -> tuple[str, tuple[str, str]]:
    """The budget and actual cells of the first 其中 row (the row under the named total)."""
    from openpyxl.utils.cell import coordinate_from_string

    def below(name: str) -> tuple[str, str]:
        sheet, ref = book.defined_names[name].attr_text.split("!")
        column, row = coordinate_from_string(ref.replace("$", ""))
        return sheet.strip("'"), f"{column}{row + 1}"

    sheet, budget = below("预算数")
    _, actual = below("执行数")
    return sheet, (budget, actual)


@pytest.mark.parametrize("rubric", _native_rubrics(), ids=lambda r: r.name)
def test_native_formulas_equal_core_on_seed_rows(calc, tmp_path, rubric):
    assert rubric.name in builtin_rubrics()
    # Room for every seed row and two more: rows outside the rubric's tree keep their order (the
    # tree's own 二级 rows follow them).
    room = tuple(RowTemplate(level1="", level2="") for _ in range(len(ROWS) + 2))
    [path] = generate(
        Request(
            rubric,
            2021,
            "洪山街道办事处",
            projects=(ProjectInfo(name="其他支出", rows=room),),
            dialect="native",
        ),
        tmp_path,
    )
    inputs = _fill(rubric, path, ROWS)
    graded = rubric.block("total").grade_label is not None  # 四川's 合计 has no 等级
    read = ["指标_得分", "总分", "执行率", "执行率得分", *(["等级"] if graded else [])]
    values = calc.recalc(path, inputs=inputs, read=read)

    scores = [row[0] for row in values["指标_得分"]]
    for row, got in zip(ROWS, scores, strict=False):
        core = _core_points(row, rubric)
        assert got == core, f"{row.name}: LibreOffice {got!r}, core {core!r}"
        if rubric.rules == Rules():
            assert got == row.hand, f"{row.name}: {got!r} vs hand {row.hand!r}"
    # Rows left blank compute to nothing, not 0.
    assert all(value in ("", None) for value in scores[len(ROWS) :])

    rate = execution_rate(BUDGET, EXECUTED)
    assert values["执行率"] == pytest.approx(rate, abs=1e-12)
    weight = rubric.execution.weight if rubric.execution else 0
    exec_points = execution_score(BUDGET, EXECUTED, weight, rubric.rule_set)
    assert values["执行率得分"] == exec_points
    if weight == 20:
        assert exec_points == 17.58  # 20 × 939.9 / 1069.34 = 17.579
    if weight == 10:
        assert exec_points == 8.79  # 10 × 939.9 / 1069.34 = 8.7895

    goal = GOAL_SCORE if "总目标得分" in inputs else 0
    expected_total = excel_round(
        exec_points + goal + sum(p for p in map(lambda r: _core_points(r, rubric), ROWS) if p), 2
    )
    assert values["总分"] == pytest.approx(expected_total, abs=1e-9)
    if graded:
        assert values["等级"] == grade(values["总分"], rubric.rule_set)


def test_native_variant_rules_equal_core(calc, tmp_path):
    """Linear 反向, one decimal, exact 等于: the formulas follow the rubric's rules."""
    base = builtin_rubrics()["hubei-project"]
    rubric = base.model_copy(update={"rules": Rules(reverse="linear", decimals=1, equal="exact")})
    rows = [
        Row("产出指标", "成本指标", "增加率", "≤", 8, "%", 10, 4, hand=3.0),  # 4 × (1 − 2/8) = 3
        Row("产出指标", "成本指标", "增加率", "≤", 8, "%", 12, 4, hand=2.0),  # 4 × (1 − 4/8) = 2
        Row("产出指标", "成本指标", "增加率", "≤", 8, "%", 16, 4, hand=0.0),  # B = 2A → 0
        Row("产出指标", "质量指标", "满意度", "≥", 80, "%", 75, 6, hand=5.6),  # 5.625 → 5.6
        Row("产出指标", "数量指标", "工装数量", "=", 8, "套", 6, 4, hand=0.0),  # exact: 6 ≠ 8
        Row("产出指标", "数量指标", "工装数量", "=", 8, "套", 8, 4, hand=4.0),
    ]
    [path] = generate(Request(rubric, 2021, "测试单位", dialect="native"), tmp_path)
    values = calc.recalc(path, inputs=_fill(rubric, path, rows), read=["指标_得分"])
    scores = [row[0] for row in values["指标_得分"]]
    for row, got in zip(rows, scores, strict=False):
        assert got == row.hand == _core_points(row, rubric), row
