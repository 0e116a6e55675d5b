"""The xlwings-dialect forms, computed end to end by LibreOffice Calc through the jixiao bridge.

For every built-in 自评表 rubric with an indicator table: generate the ``--formulas xlwings``
workbook (JX_* formulas), fill it with seed-like figures, hard-recalculate it in a headless
LibreOffice whose profile has the bridge installed, and read the computed cells. Each score equals
the core's (and the hand-worked number under the default rules); the same figures in the native
dialect give the same numbers, cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jixiao import RuleSet, execution_rate, execution_score, grade, score_indicator
from jixiao.addin.libreoffice import prepare_test_profile
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import ProjectInfo
from jixiao.libreoffice import Calc
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import FormKind, Rubric

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="session")
def bridge_calc(start_calc: Callable[..., Calc]) -> Iterator[Calc]:
    """A headless LibreOffice whose private profile has the jixiao Basic bridge installed."""
    instance = start_calc(prepare_profile=prepare_test_profile)
    try:
        yield instance
    finally:
        instance.close()


@dataclass(frozen=True)
class Row:
    level2: str
    target: str  # as typed in the xlwings form
    actual: str
    weight: float
    native: tuple[str, float | str, str | None, float | str]  # 指标性质, 指标值, 度量单位, 实际完成值
    judged: float | None = None
    hand: float | None = None  # worked by hand under the default rules


ROWS = [
    Row("满意度指标", "≥80%", "75%", 6, ("≥", 80, "%", 75), hand=5.63),  # 6 × 75/80 = 5.625 → 5.63
    Row("质量指标", "80%", "60%", 0.5, ("≥", 80, "%", 60), hand=0.38),  # bare = 正向: 0.375 → 0.38
    # 成本指标: 939.9 ≤ 1069.34 → full 10
    Row("成本指标", "不超过预算总金额 1069.34万元", "939.9万元", 10, ("≤", 1069.34, "万元", 939.9), hand=10),
    Row("数量指标", "1-2次/30天", "1-2次/30天", 5, ("≥", 1, "次/30天", 2), hand=5),  # in the interval → full
    Row("社会效益指标", "有所提升", "明显提升", 10, ("定性", "有所提升", None, "明显提升"), judged=9, hand=9),
    Row("时效指标", "≤48小时", "60小时", 5, ("≤", 48, "小时", 60), hand=4),  # 反向: 5 × 48/60 = 4
    Row("数量指标", "≥3项", "2项", 1, ("≥", 3, "项", 2), hand=0.67),  # 1 × 2/3 = 0.666… → 0.67
    Row(
        "可持续影响指标", "逐步提高", "部分达成", 6, ("定性", "逐步提高", None, "部分达成"), judged=3, hand=3
    ),
]
BUDGET, EXECUTED = 1069.34, 939.9  # 执行率 87.90 %; 20 × 0.878953 = 17.58, 10 × 0.878953 = 8.79
GOAL_SCORE = 18


def _self_assessment_rubrics() -> list[Rubric]:
    return [
        rubric
        for rubric in builtin_rubrics().values()
        if rubric.kind in (FormKind.PROJECT_SELF, FormKind.UNIT_SELF) and rubric.indicators is not None
    ]


def _core_points(row: Row, rubric: Rubric) -> float | None:
    score = score_indicator(row.target, row.actual, row.weight, category=row.level2, rules=rubric.rule_set)
    return score.points if score.points is not None else row.judged


def _length(book, name: str) -> int:
    ref = book.defined_names[name].attr_text.split("!")[1].replace("$", "")
    first, _, last = ref.partition(":")

    def row_of(cell: str) -> int:
        return int("".join(ch for ch in cell if ch.isdigit()))

    return row_of(last or first) - row_of(first) + 1


def _below(book, name: str) -> str:
    """The cell under a named cell ("Sheet!E7"): the first 其中 row under a summed total."""
    from openpyxl.utils.cell import coordinate_from_string

    sheet, ref = book.defined_names[name].attr_text.split("!")
    column, row = coordinate_from_string(ref.replace("$", ""))
    return f"{sheet.strip(chr(39))}!{column}{row + 1}"


def _inputs(rubric: Rubric, path: Path, dialect: str, rows: list[Row]) -> dict[str, object]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    length = _length(book, "指标_得分")
    rows = rows[:length]

    def column(values: list[object]) -> list[list[object]]:
        return [[value] for value in values + [None] * (length - len(values))]

    inputs: dict[str, object] = {
        "指标_二级": column([r.level2 for r in rows]),
        "指标_分值": column([r.weight for r in rows]),
        "指标_评定得分": column([r.judged for r in rows]),
    }
    if dialect == "xlwings":
        inputs["指标_目标值"] = column([r.target for r in rows])
        inputs["指标_实际值"] = column([r.actual for r in rows])
    else:
        inputs["指标_性质"] = column([r.native[0] for r in rows])
        inputs["指标_目标值"] = column([r.native[1] for r in rows])
        inputs["指标_单位"] = column([r.native[2] for r in rows])
        inputs["指标_实际值"] = column([r.native[3] for r in rows])
    execution = rubric.execution
    if execution is not None and any(row.part for row in execution.rows):
        # The total row sums its 其中 rows: put the figures on the first one.
        inputs[_below(book, "预算数")] = BUDGET
        inputs[_below(book, "执行数")] = EXECUTED
    elif execution is not None:
        inputs["预算数"] = BUDGET
        inputs["执行数"] = EXECUTED
    if "总目标得分" in book.defined_names:
        inputs["总目标得分"] = GOAL_SCORE
    return inputs


def _generate(rubric: Rubric, dialect: str, directory: Path) -> Path:
    projects = (ProjectInfo(name="其他支出"),) if rubric.scope == "project" else ()
    [path] = generate(
        Request(rubric, 2021, "洪山街道办事处", projects=projects, dialect=dialect), directory / dialect
    )
    return path


READ = ["指标_得分", "总分", "等级", "执行率", "执行率得分"]


@pytest.mark.parametrize("rubric", _self_assessment_rubrics(), ids=lambda r: r.name)
def test_xlwings_dialect_computes_the_core_in_libreoffice(bridge_calc, tmp_path, rubric):
    xl_path = _generate(rubric, "xlwings", tmp_path)
    xl_inputs = _inputs(rubric, xl_path, "xlwings", ROWS)
    graded = rubric.block("total").grade_label is not None  # 四川's 合计 row has no 等级
    read = READ if graded else [name for name in READ if name != "等级"]
    got = bridge_calc.recalc(xl_path, inputs=xl_inputs, read=read)

    rows = ROWS[: len(got["指标_得分"])]
    scores = [cell[0] for cell in got["指标_得分"]]
    for row, value in zip(rows, scores, strict=False):
        assert value == _core_points(row, rubric), f"{row.target}: LibreOffice {value!r}"
        if rubric.rule_set == RuleSet():
            assert value == row.hand, f"{row.target}: {value!r} vs hand {row.hand!r}"
    assert all(value in ("", None) for value in scores[len(rows) :])  # blank rows show nothing

    weight = rubric.execution.weight if rubric.execution is not None else 0
    exec_points = execution_score(BUDGET, EXECUTED, weight, rubric.rule_set)
    assert got["执行率"] == execution_rate(BUDGET, EXECUTED)
    assert got["执行率得分"] == exec_points
    assert exec_points == {20: 17.58, 10: 8.79}[weight]  # 20 × 0.8789534 = 17.579; 10 × … = 8.790
    goal = GOAL_SCORE if "总目标得分" in xl_inputs else 0
    expected_total = exec_points + goal + sum(_core_points(row, rubric) or 0 for row in rows)
    assert got["总分"] == pytest.approx(expected_total, abs=1e-9)
    if graded:
        assert got["等级"] == grade(got["总分"], rubric.rule_set)

    # The same figures in the native dialect (three columns, plain Excel formulas): the same numbers.
    native_path = _generate(rubric, "native", tmp_path)
    native = bridge_calc.recalc(native_path, inputs=_inputs(rubric, native_path, "native", ROWS), read=read)
    assert native["指标_得分"] == got["指标_得分"]
    for name in read[1:]:
        assert native[name] == got[name], name


def test_function_shapes_and_errors_in_calc(bridge_calc, tmp_path):
    """Blank cells, a 1×3 range, an error cell, unusable input and a column (array) formula in Calc."""
    from openpyxl import Workbook
    from openpyxl.worksheet.formula import ArrayFormula

    book = Workbook()
    sheet = book.active
    sheet.title = "表"
    for r, (target, actual, weight) in enumerate(
        [("≥80%", "75%", 6), (None, None, None), ("80%", "60%", 0.5)], 1
    ):
        sheet.cell(r, 1, target)
        sheet.cell(r, 2, actual)
        sheet.cell(r, 3, weight)
    sheet["G1"], sheet["H1"], sheet["I1"] = "≥", 95, "%"
    sheet["F4"] = "=1/0"
    formulas = {
        "E1": "=JX_SCORE(A1,B1,C1)",  # 6 × 75/80 = 5.625 → 5.63
        "E2": "=JX_SCORE(A2,B2,C2)",  # a blank row
        "E3": '=JX_SCORE(A1,B1,"abc")',  # unusable weight
        "E4": "=JX_RATE(100,F4)",  # an error cell as input
        "E5": "=JX_SCORE(A1,B1,C1,D1)",  # a blank 二级指标 cell
        "E6": "=JX_GRADE(95)",
        "E7": "=JX_SCORE(G1:I1,90,4)",  # 指标性质 | 指标值 | 度量单位: 4 × 90/95 = 3.79
        "E8": '=JX_PARSE("≥9595及以上")',
        "E9": "=JX_RATE(1069.34,939.9)",
        "E10": "=ISERROR(E3)",
    }
    for ref, formula in formulas.items():
        sheet[ref] = formula
    sheet["K1"] = ArrayFormula("K1:K3", "=JX_SCORE_COL(A1:A3,B1:B3,C1:C3)")
    path = tmp_path / "shapes.xlsx"
    book.save(path)

    got = bridge_calc.recalc(path, read=["表!E1:E10", "表!K1:K3"])
    values = [row[0] for row in got["表!E1:E10"]]
    assert values[0] == 5.63
    assert values[1] in ("", None)
    assert values[2] == "#VALUE!"  # a real Calc error: ISERROR sees it
    assert values[3] == "#VALUE!"
    assert values[4] == 5.63
    assert values[5] == "优"
    assert values[6] == 3.79
    assert values[7] == "≥95%"
    assert values[8] == pytest.approx(939.9 / 1069.34, abs=1e-15)
    assert values[9] == 1.0
    assert [row[0] for row in got["表!K1:K3"]] == [5.63, "", 0.38]  # 0.5 × 60/80 = 0.375 → 0.38
