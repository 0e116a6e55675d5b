"""The JX_* functions called the way xlwings (and the LibreOffice bridge) call them.

Every expected number is worked by hand in the comment beside it. The argument shapes are the ones a
spreadsheet passes: None for a blank cell (COM), 0 for a blank cell (Office.js), floats for whole
numbers, numbers stored as text, error literals (xlwings ``err_to_str``), 1×1 ranges, rows and
columns as lists.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import RuleSet, execution_score, score_indicator
from jixiao.addin import lo_runtime
from jixiao.core.rules import rules_from_json, rules_json
from jixiao.rubric import builtin_rubrics
from jixiao.udfs import (
    ERROR_NA,
    ERROR_VALUE,
    JX_BAND,
    JX_BAND_COL,
    JX_CHECK,
    JX_EXEC_SCORE,
    JX_GRADE,
    JX_PARSE,
    JX_PARSE_COL,
    JX_RATE,
    JX_REASON,
    JX_REASON_COL,
    JX_SCORE,
    JX_SCORE_COL,
    JX_WAVG,
    REGISTRY,
    parse_rules,
)

DEFAULT_JSON = rules_json(RuleSet())
LINEAR_ONE_DECIMAL = rules_json(RuleSet(reverse="linear", decimals=1))
STRICT_GRADES = rules_json(RuleSet(grade_bands=(("优", 95.0), ("良", 85.0), ("中", 70.0), ("差", 0.0))))


# ---------------------------------------------------------------------------------------------
# JX_SCORE: the seed-like rows, by hand


@pytest.mark.parametrize(
    ("target", "actual", "weight", "level2", "expected"),
    [
        ("≥80%", "75%", 6.0, "满意度指标", 5.63),  # 6 × 75/80 = 5.625 → 5.63 (Excel rounds half up)
        ("80%", "60%", 0.5, "质量指标", 0.38),  # bare = 正向: 0.5 × 60/80 = 0.375 → 0.38
        ("不超过预算总金额 1069.34万元", "939.9万元", 10.0, "成本指标", 10.0),  # 939.9 ≤ 1069.34 → full
        ("1-2次/30天", "1-2次/30天", 5.0, "数量指标", 5.0),  # inside the interval → full
        ("≥95%", "90%", 4.0, "", 3.79),  # 4 × 90/95 = 3.789… → 3.79
        ("≤48小时", "60小时", 5.0, "时效指标", 4.0),  # 反向: 5 × 48/60 = 4
        ("100%", 0.95, 2.0, "", 1.9),  # a cell showing 95% holds 0.95: 2 × 95/100 = 1.9
    ],
)
def test_score_matches_hand_and_core(target, actual, weight, level2, expected):
    got = JX_SCORE(target, actual, weight, level2, DEFAULT_JSON)
    assert got == expected
    assert got == score_indicator(target, actual, weight, category=level2 or None).points


def test_score_optional_arguments_may_be_left_out():
    assert JX_SCORE("≥80%", "75%", 6) == 5.63  # xlwings passes the Python defaults for missing args


def test_cost_category_reads_a_bare_amount_as_a_ceiling():
    # 成本指标: "100万元" is a ceiling, 120 over it: 10 × 100/120 = 8.33; elsewhere a floor: full.
    assert JX_SCORE("100万元", "120万元", 10, "成本指标") == 8.33
    assert JX_SCORE("100万元", "120万元", 10, "数量指标") == 10.0


def test_qualitative_row_takes_the_judged_score_or_shows_nothing():
    assert JX_SCORE("有所提升", "明显提升", 10, "社会效益指标", DEFAULT_JSON) == ""
    assert JX_SCORE("有所提升", "明显提升", 10, "社会效益指标", DEFAULT_JSON, 9.0) == 9.0
    assert JX_SCORE("有所提升", "明显提升", 10, "", "", "9") == 9.0  # judged typed as text
    assert JX_SCORE("≥80%", "75%", 6, "", "", 2.0) == 5.63  # the rule's number wins over a judged one


def test_unscorable_row_takes_the_judged_score():
    # Target "无" leaves the row to the assessor.
    assert JX_SCORE("无", "已完成", 5) == ""
    assert JX_SCORE("无", "已完成", 5, "", "", 4.5) == 4.5


def test_rules_from_the_workbook_change_the_score():
    # linear 反向, 1 decimal: 4 × (1 − (10 − 8)/8) = 3.0; ratio: 4 × 8/10 = 3.2
    assert JX_SCORE("≤8%", "10%", 4, "", LINEAR_ONE_DECIMAL) == 3.0
    assert JX_SCORE("≤8%", "10%", 4, "", DEFAULT_JSON) == 3.2
    # 1 decimal: 6 × 75/80 = 5.625 → 5.6
    assert JX_SCORE("≥80%", "75%", 6, "", LINEAR_ONE_DECIMAL) == 5.6


# ---------------------------------------------------------------------------------------------
# Argument shapes


def test_blank_rows_show_nothing():
    assert JX_SCORE(None, None, None) == ""  # COM blanks
    assert JX_SCORE("", " ", None, None, None, None) == ""
    assert JX_SCORE(0, 0, 0) == ""  # Office.js passes blank cells as 0
    assert JX_SCORE([[None]], [[None]], [[None]]) == ""


def test_row_without_a_weight_shows_nothing_yet():
    assert JX_SCORE("≥80%", "75%", None) == ""


def test_numbers_as_text_floats_and_one_by_one_ranges():
    assert JX_SCORE("≥80%", "75%", "6") == 5.63
    assert JX_SCORE([["≥80%"]], ["75%"], [[6.0]], [["满意度指标"]], [[DEFAULT_JSON]]) == 5.63
    assert JX_SCORE("≥80", 75.0, 6.0) == 5.63


def test_three_column_target_rows_and_columns():
    # 指标性质 | 指标值 | 度量单位 = ≥ | 95 | %; actual 90 in the same unit: 4 × 90/95 = 3.79
    assert JX_SCORE(["≥", 95.0, "%"], 90.0, 4.0) == 3.79
    assert JX_SCORE([["≥", 95.0, "%"]], [[90.0]], [[4.0]]) == 3.79  # a 1×3 row range
    assert JX_SCORE([["≥"], [95.0], ["%"]], 90.0, 4.0) == 3.79  # the same three cells as a column
    # 反向 in 万元: 10 × 1000/1250 = 8
    assert JX_SCORE(["≤", 1000, "万元"], 1250, 10) == 8.0
    # 定性 in the three-column form: the judged score
    assert JX_SCORE(["定性", "有所提升", None], "明显提升", 10, "", "", 8) == 8.0
    # the value column may hold the whole phrase
    assert JX_SCORE([None, "≥80%", None], "75%", 6) == 5.63


def test_unusable_input_gives_an_excel_error_not_a_traceback():
    assert JX_SCORE("≥80%", "75%", "abc") == ERROR_VALUE
    assert JX_SCORE("≥80%", "75%", -1) == ERROR_VALUE
    assert JX_SCORE("≥80%", "75%", True) == ERROR_VALUE
    assert JX_SCORE("≥80%", "75%", [6, 7]) == ERROR_VALUE  # two cells for one weight
    assert JX_SCORE(["x", 1, "%"], "75%", 6) == ERROR_VALUE  # 指标性质 must be ≥ ≤ = 定性
    assert JX_SCORE("≥80%", "75%", 6, "", "{not json") == ERROR_VALUE
    assert JX_RATE("abc", 5) == ERROR_VALUE
    assert JX_GRADE("很好") == ERROR_VALUE


def test_error_cells_are_passed_on():
    assert JX_SCORE("#N/A", "75%", 6) == "#N/A"
    assert JX_SCORE("≥80%", "#DIV/0!", 6) == "#DIV/0!"
    assert JX_RATE(1000, "#REF!") == "#REF!"
    assert JX_SCORE("≥80%", "75%", 6, "#N/A") == "#N/A"  # the 二级指标 cell too
    assert JX_SCORE("≥80%", "75%", "Err:502") == ERROR_VALUE  # LibreOffice's error text


# ---------------------------------------------------------------------------------------------
# The other functions


def test_rate_and_execution_score():
    # 939.9 / 1069.34 = 0.878953…; 20 × 0.878953 = 17.579 → 17.58
    assert JX_RATE(1069.34, 939.9) == pytest.approx(0.8789533731086465, abs=1e-15)
    assert JX_EXEC_SCORE(1069.34, 939.9, 20, DEFAULT_JSON) == 17.58
    assert JX_EXEC_SCORE(1069.34, 939.9, 20) == execution_score(1069.34, 939.9, 20)
    # 10 × 1200/1000 = 12, capped at the weight
    assert JX_EXEC_SCORE(1000, 1200, 10) == 10.0
    assert JX_EXEC_SCORE("1,069.34", "939.9", "20") == 17.58  # numbers stored as text


def test_rate_blanks_like_the_native_formula():
    assert JX_RATE(None, 5) == ""
    assert JX_RATE(0, 5) == ""  # budget 0: no rate
    assert JX_RATE(100, None) == ""
    assert JX_RATE(100, 0) == 0.0
    assert JX_EXEC_SCORE(None, None, 20) == ""
    assert JX_EXEC_SCORE(100, 80, None) == ""
    assert JX_RATE(-5, 1) == ERROR_VALUE  # a negative budget is not a budget


def test_grade_bands_default_and_from_the_workbook():
    assert [JX_GRADE(x) for x in (90, 89.99, 80, 60, 59.99)] == ["优", "良", "良", "中", "差"]
    assert JX_GRADE(90, STRICT_GRADES) == "良"  # 优 needs 95 here
    assert JX_GRADE(None) == ""
    assert JX_GRADE("91") == "优"


def test_weighted_average_of_rows_and_columns():
    # (80 × 1 + 90 × 3) / 4 = 87.5
    assert JX_WAVG([80, 90], [1, 3]) == 87.5
    assert JX_WAVG([[80], [90]], [[1], [3]]) == 87.5  # columns as 2-D ranges
    assert JX_WAVG([[80, 90]], [[1], [3]]) == 87.5  # a row against a column: cell by cell
    assert JX_WAVG([80, None, 90], [1, 5, 3]) == 87.5  # a blank value is skipped with its weight
    assert JX_WAVG([None], [0]) == ""
    assert JX_WAVG([1, 2], [1]) == ERROR_NA


def test_parse_shows_the_normalised_value():
    assert JX_PARSE("≥9595及以上") == "≥95%"  # the merged-cell artefact
    assert JX_PARSE("1-2 次 / 30天") == "1-2次/30天"
    assert JX_PARSE("不低于95%") == "≥95%"
    assert JX_PARSE(["≥", 95, "%"]) == "≥95%"
    assert JX_PARSE(None) == ""
    assert JX_PARSE("—") == ""
    assert JX_PARSE(12.0) == "12"


def test_band_and_reason():
    # 达成 band: [0.8 × 10, 10] = 8–10; 部分达成 [0.5 × 6, 0.8 × 6] = 3–4.8
    assert JX_BAND("有所提升", "明显提升", 10) == "8–10"
    assert JX_BAND("逐步提高", "部分达成", 6) == "3–4.8"
    assert JX_BAND("≥80%", "75%", 6) == "5.63"
    assert JX_BAND("无", "已完成", 5) == ""
    assert JX_REASON("≥80%", "75%", 6) == "正向指标：6 × 75% ÷ 80% = 5.63"
    assert "由评分人确定" in JX_REASON("有所提升", "明显提升", 10)
    assert JX_REASON(None, None, None) == ""
    assert JX_REASON("≥80%", "75%", None) == "分值为空，填写分值后评分"


# ---------------------------------------------------------------------------------------------
# Column variants


SEED = [
    ("≥80%", "75%", 6.0, "满意度指标", None),
    ("80%", "60%", 0.5, "质量指标", None),
    ("不超过预算总金额 1069.34万元", "939.9万元", 10.0, "成本指标", None),
    ("1-2次/30天", "1-2次/30天", 5.0, "数量指标", None),
    ("有所提升", "明显提升", 10.0, "社会效益指标", 9.0),
    (None, None, None, None, None),
]


def test_score_column_equals_the_single_cell_function_row_by_row():
    rows = SEED * 40  # a 240-row table in one call
    column = JX_SCORE_COL(
        [[r[0]] for r in rows],
        [[r[1]] for r in rows],
        [[r[2]] for r in rows],
        [[r[3]] for r in rows],
        DEFAULT_JSON,
        [[r[4]] for r in rows],
    )
    assert column == [[JX_SCORE(*r[:4], DEFAULT_JSON, r[4])] for r in rows]
    assert [c[0] for c in column[:6]] == [5.63, 0.38, 10.0, 5.0, 9.0, ""]


def test_column_variants_broadcast_a_single_weight_and_isolate_bad_rows():
    assert JX_SCORE_COL(["≥80%", "≥80%"], ["75%", "80%"], 6) == [[5.63], [6.0]]
    assert JX_SCORE_COL(["≥80%", "≥80%"], ["75%", "80%"], [6, "abc"]) == [[5.63], [ERROR_VALUE]]
    assert JX_SCORE_COL(["≥80%", "≥80%"], ["75%"], [6, 6]) == [[5.63], [5.63]]  # one actual for every row
    assert JX_SCORE_COL(["≥80%", "≥80%", "≥1"], ["75%", "80%"], [6, 6, 6]) == ERROR_VALUE  # 3 vs 2 rows
    # three-column targets, N×3
    assert JX_SCORE_COL([["≥", 95, "%"], ["≤", 1000, "万元"]], [[90], [1250]], [[4], [10]]) == [[3.79], [8.0]]


def test_band_reason_and_parse_columns():
    assert JX_BAND_COL(["有所提升", "≥80%"], ["明显提升", "75%"], [10, 6]) == [["8–10"], ["5.63"]]
    assert JX_REASON_COL(["≥80%"], ["75%"], [6]) == [["正向指标：6 × 75% ÷ 80% = 5.63"]]
    assert JX_PARSE_COL([["≥9595及以上"], ["1-2 次 / 30天"], [None]]) == [["≥95%"], ["1-2次/30天"], [""]]


# ---------------------------------------------------------------------------------------------
# JX_CHECK

HEADER = [
    "二级指标",
    "三级指标",
    "年初目标值（A）",
    "实际完成值（B）",
    "分值",
    "评定得分",
    "得分",
    "偏差原因分析",
]


def test_check_is_empty_when_all_is_well():
    table = [
        HEADER,
        ["满意度指标", "满意度", "≥80%", "85%", 6, None, 6, None],
        ["质量指标", "达标率", "≥90%", "85%", 4, None, 3.78, "资金到位晚"],  # 4 × 85/90 = 3.777… → 3.78
        ["社会效益指标", "服务水平", "有所提升", "明显提升", 10, 9, 9, "尚有改进空间"],
        [None] * 8,
    ]
    assert JX_CHECK(table, 20) == ""


def test_check_lists_each_problem():
    table = [
        HEADER,
        ["满意度指标", "满意度", "≥80%", "75%", 6, None, 5.63, None],  # lost points, no 偏差原因
        ["社会效益指标", "服务水平", "有所提升", "明显提升", 10, None, None, "x"],  # qualitative, no judged
        ["质量指标", "合格率", "≥80%", "90%", 4, None, 5, None],  # 5 > 4, and the rule says 4
        ["质量指标", "事项", "无", "已完成", 3, None, None, None],  # unscorable, nobody scored it
        ["质量指标", "评定", "有所提升", "明显提升", 5, 2, 2, "原因"],  # 2 outside 达成 band 4–5
    ]
    problems = [row[0] for row in JX_CHECK(table, 30)]
    assert problems[0] == "分值合计为 28，应为 30"  # 6 + 10 + 4 + 3 + 5
    assert "第 1 行「满意度」：扣分（5.63/6）但未填写偏差原因" in problems
    assert "第 2 行「服务水平」：定性指标，请在 8–10 分之间填写评定得分" in problems
    assert "第 3 行「合格率」：得分 5 超过分值 4" in problems
    assert "第 3 行「合格率」：得分 5 与规则得分 4 不一致" in problems
    assert any(p.startswith("第 4 行「事项」：") and p.endswith("请由评分人填写评定得分") for p in problems)
    assert "第 5 行「评定」：评定得分 2 不在规则允许的 4–5 分之间" in problems


def test_check_needs_the_header_row():
    assert JX_CHECK([["a", "b"], [1, 2]]) == [
        ["表头中找不到「年初目标值、实际完成值、分值」列，请连同表头一起选中指标表"]
    ]
    assert JX_CHECK([HEADER]) == ""
    assert JX_CHECK("x")[0][0].startswith("表头中找不到")
    assert JX_CHECK("#REF!") == "#REF!"


# ---------------------------------------------------------------------------------------------
# Rules


def test_rules_json_of_every_built_in_rubric_round_trips():
    for rubric in builtin_rubrics().values():
        text = rules_json(rubric.rule_set)
        assert parse_rules(text) == rubric.rule_set
        assert rules_from_json(text) == rubric.rule_set


@pytest.mark.parametrize(
    "rules",
    [
        RuleSet(reverse="linear", decimals=1, equal="exact"),
        RuleSet(qualitative_bands=(0.8, 0.6), zero_target="unscorable", execution_cap=False),
        RuleSet(bare_reading=(("成本指标", "at_most"), ("时效指标", "at_most")), bare_default="equal"),
    ],
)
def test_rules_json_round_trips_every_field(rules):
    text = rules_json(rules)
    assert rules_from_json(text) == parse_rules(text) == rules
    # Fields left out take the defaults.
    assert rules_from_json(json.dumps({"decimals": 0})) == RuleSet(decimals=0)


def test_blank_rules_are_the_defaults():
    assert parse_rules(None) == parse_rules("") == parse_rules([[None]]) == RuleSet()


# ---------------------------------------------------------------------------------------------
# Never a traceback, whatever the cells hold

_CELL = st.one_of(
    st.none(),
    st.just(""),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["≥80%", "75%", "#N/A", "Err:502", "有所提升", "1-2次/30天", "≤0", "无", "6"]),
)
_ARG = st.one_of(
    _CELL, st.lists(_CELL, max_size=4), st.lists(st.lists(_CELL, min_size=1, max_size=3), max_size=3)
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REGISTRY), st.lists(_ARG, min_size=0, max_size=6))
def test_any_arguments_give_a_value_a_cell_can_show(udf, args):
    args = args[: len(udf.args)]
    try:
        result = udf.function(*args)
    except TypeError:  # fewer arguments than required: Excel rejects such a formula before calling
        return
    allowed = (float, int, str, list)
    assert isinstance(result, allowed) and not isinstance(result, bool)
    if isinstance(result, str):
        assert "Traceback" not in result
    if isinstance(result, list):
        assert all(isinstance(cell, (float, int, str)) for row in result for cell in row)


# ---------------------------------------------------------------------------------------------
# The registry and the import contract


def test_registry_covers_every_function_with_chinese_descriptions():
    import jixiao.udfs as udfs

    names = {name for name in udfs.__all__ if name.startswith("JX_")}
    assert {udf.name for udf in REGISTRY} == names
    for udf in REGISTRY:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in udf.description), udf.name
        for arg in udf.args:
            assert arg.name.isascii() and arg.name.isidentifier(), (udf.name, arg.name)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in arg.doc + arg.label), (udf.name, arg.name)
        params = list(inspect.signature(udf.function).parameters)
        assert params == [arg.name for arg in udf.args], udf.name


def test_importing_the_functions_does_not_import_xlwings_off_windows():
    code = "import sys, jixiao.udfs, jixiao.addin.lo_runtime; print('xlwings' in sys.modules, 'click' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_lo_runtime_shapes_arguments_like_xlwings():
    call = lo_runtime.call
    missing = lo_runtime.MISSING
    assert call("JX_SCORE", ("≥80%", "75%", 6, "满意度指标", missing, missing)) == 5.63
    assert call("JX_SCORE", ((("≥80%",),), (("75%",),), ((6,),))) == 5.63  # 1×1 ranges
    assert call("JX_SCORE", ((("≥", 95, "%"),), 90, 4)) == 3.79  # a 1×3 row range
    assert call("JX_SCORE", ("有所提升", "明显提升", 10, None, missing, 9)) == 9.0  # a gap in the middle
    assert call("JX_SCORE", ("≥80%", "75%", "abc")) == f"{lo_runtime.ERROR_MARK}#VALUE!"
    assert call("JX_SCORE", ("≥80%",)) == f"{lo_runtime.ERROR_MARK}#VALUE!"  # required args left out
    assert call("JX_RATE", (100, "Err:502")) == f"{lo_runtime.ERROR_MARK}#VALUE!"
    assert call("JX_RATE", (None, 5)) == ""
    assert call("NOPE", ()) == f"{lo_runtime.ERROR_MARK}#VALUE!"
    # columns come back as row tuples of floats and text
    assert call("JX_SCORE_COL", ((("≥80%",), ("80%",)), (("75%",), ("60%",)), ((6,), (0.5,)))) == (
        (5.63,),
        (0.38,),
    )
    assert call("JX_CHECK", ((("年初目标值", "实际完成值", "分值"), ("≥80%", "75%", 6)), 7)) == (
        ("分值合计为 6，应为 7",),
    )


def test_stdlib_only_import_path_works_in_debian_python(tmp_path):
    """LibreOffice runs Debian's /usr/bin/python3 with no pip packages: the bridge's imports must work there."""
    python = Path("/usr/bin/python3")
    if not python.exists():
        pytest.skip("no /usr/bin/python3")
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version_info >= (3, 10))"], capture_output=True, text=True
    )
    if version.stdout.strip() != "True":
        pytest.skip("system Python older than 3.10")
    src = Path(__file__).resolve().parents[1] / "src"
    code = (
        f"import sys; sys.path.insert(0, {str(src)!r});"
        "from jixiao.addin.lo_runtime import call;"
        f"print(call('JX_SCORE', ('≥80%', '75%', 6, '', {DEFAULT_JSON!r})));"
        "print(sorted(m for m in ('pydantic', 'jinja2', 'yaml', 'click', 'xlwings') if m in sys.modules))"
    )
    done = subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["5.63", "[]"]
