"""``jixiao recalc``: the evaluator on its own, the cached-value writer, and the proof against LibreOffice.

The proof (issue 5): every built-in rubric is generated in both dialects, filled through its names and
saved by openpyxl (no cached values), recalculated by jixiao, read back with openpyxl
``data_only=True`` and compared cell by cell with LibreOffice's hard recalculation of the same filled
file. Nothing but the formula cells' cached values may change. Expected numbers in the unit tests are
worked by hand in the comments.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName

import jixiao.recalc
from filled_forms import expected_points, fill_form, make_form
from jixiao import execution_score
from jixiao.core.rounding import excel_round
from jixiao.core.rules import rules_json
from jixiao.generate.formulas import Formulas, RowRefs
from jixiao.generate.layout import META_SHEET
from jixiao.recalc import NotJixiaoWorkbook, RecalcError, default_output, recalc_file
from jixiao.recalc.cli import recalc
from jixiao.recalc.evaluator import (
    DIV0,
    NAME,
    REF,
    VALUE,
    Evaluator,
    SheetCells,
    XLError,
    evaluate,
    prepare,
    split_references,
)
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import FormKind, Rubric

# --- the evaluator on its own ----------------------------------------------------------------------


def test_round_is_excels_round():
    assert evaluate("=ROUND(5.625,2)") == 5.63  # Python's round gives 5.62
    assert evaluate("=ROUND(0.375,2)") == 0.38  # 0.5 × 0.75 = 0.375 (seed 002 招商引资)
    assert evaluate("=ROUND(2.675,2)") == 2.68
    assert evaluate("=ROUND(-2.5,0)") == -3  # half away from zero
    assert evaluate("=ROUND(1234.5678,-2)") == 1200
    assert evaluate("=ROUND(A1,1.9)", {"A1": 0.25}) == 0.3  # digits truncate to 1


def test_text_and_number_comparisons():
    assert evaluate('=""<1') is False  # text sorts above every number
    assert evaluate('="a">1') is True
    assert evaluate('=""=0') is False
    assert evaluate('="A"="a"') is True  # case-insensitive
    assert evaluate("=TRUE>1") is True  # logicals above text and numbers (Excel)
    # A blank cell is 0 against numbers and "" against text.
    assert evaluate('=A1=""') is True
    assert evaluate("=A1=0") is True
    assert evaluate('=A1="定性"') is False
    assert evaluate('=A1="≥"', {"A1": "≥"}) is True
    # Equal to ~14 significant digits, as LibreOffice (and Excel) compare.
    assert evaluate("=1=1.0000000000000002") is True
    assert evaluate("=0.1+0.2-0.3") == 0  # LibreOffice's approxSub: not 5.55e-17


def test_errors_propagate_and_iferror_catches():
    assert evaluate("=1/0") == DIV0
    assert evaluate("=(1/0)+1") == DIV0
    assert evaluate('=IFERROR(1/0,"")') == ""
    assert evaluate('="a"*1') == VALUE
    assert evaluate('=IF("",1,2)') == VALUE
    assert evaluate("=SUM(A1:A2)", {"A1": 1.0, "A2": "=1/0"}) == DIV0
    assert evaluate("=COUNT(A1:A2)", {"A1": 1.0, "A2": "=1/0"}) == 1  # COUNT skips errors
    assert evaluate("=1E+300*1E+300") == XLError("#NUM!")
    assert evaluate("=NOSUCH(1)") == NAME  # as in Excel without the add-in
    assert evaluate("=未定义的名称+1") == NAME
    assert evaluate("=#N/A") == XLError("#N/A")
    # The branch not taken is not evaluated.
    assert evaluate("=IF(TRUE,1,1/0)") == 1


def test_precedence_like_excel():
    assert evaluate("=1+2*3") == 7
    assert evaluate("=-2^2") == 4  # negation binds tighter than ^ in Excel
    assert evaluate("=2^3^2") == 64  # left to right
    assert evaluate("=2*-3^2") == 18
    assert evaluate("=50%*2") == 1
    assert evaluate('="a"&1+1') == "a2"  # & below +
    assert evaluate('=1+1&"b"') == "2b"
    assert evaluate('=1&2="12"') is True  # comparison lowest


def test_coercions():
    assert evaluate('=1+"2"') == 3
    assert evaluate('=" 3 "*2') == 6
    assert evaluate('="50%"+0') == 0.5
    assert evaluate('="1,000"+0') == 1000
    assert evaluate("=A1+0") == 0  # blank
    assert evaluate("=A1") == 0  # a formula showing a blank cell shows 0
    assert evaluate("=1&TRUE") == "1TRUE"
    assert evaluate('=1.5E-7&""') == "1.5E-07"
    assert evaluate("=LEN(12.5)") == 4
    assert evaluate("=LEN(1/3)") == 17  # 0.333333333333333: 15 significant digits
    assert evaluate("=LEN(A1)") == 0
    assert evaluate("=ABS(-3)") == 3
    assert evaluate('=--"3"') == 3


def test_aggregates_skip_text_in_references_but_read_typed_arguments():
    cells = {"A1": 1.5, "A2": "text", "A3": True, "A4": 2.0, "A5": "3"}
    assert evaluate("=SUM(A1:A5)", cells) == 3.5  # text and logicals in ranges are skipped
    assert evaluate('=SUM(1,"2",TRUE)') == 4  # typed in, they count
    assert evaluate("=COUNT(A1:A5)", cells) == 2
    assert evaluate('=COUNT(1,"2",TRUE,"x")') == 3
    assert evaluate("=MIN(B1:B3)") == 0  # no numbers
    assert evaluate("=MAX(A1:A5)", cells) == 2
    assert evaluate("=SUM(A1,A4)", cells) == 3.5
    assert evaluate('=SUM(A1,"")', cells) == VALUE
    # A score column: "" from formulas is skipped, as SUM(指标_得分) needs.
    assert evaluate("=SUM(A1:A3)", {"A1": 3.0, "A2": '=IF(TRUE,"")', "A3": 1.9}) == 4.9
    assert evaluate("=SUM(A:A)", {"A1": 1.0, "A900": 2.0}) == 3


def test_logical_functions():
    assert evaluate("=AND(A1:A3)", {"A1": 1.0, "A2": "x", "A3": True}) is True
    assert evaluate("=OR(B1:B3)") == VALUE  # nothing to test
    assert evaluate("=NOT(A1)") is True
    assert evaluate("=OR(A1,0)") is False
    assert evaluate('=ISNUMBER("1")') is False
    assert evaluate("=ISNUMBER(A1)", {"A1": 2.0}) is True
    assert evaluate("=ISNUMBER(A1)", {"A1": True}) is False
    assert evaluate('=IF(1<0,"yes")') is False
    assert evaluate('=IF(1<0,"yes",)') == 0  # an omitted argument is blank: 0
    assert evaluate("=IF(1>0,,1)") == 0


def test_references_names_and_sheets():
    cells = {"A1": 2.0, "B2": 3.0, "'明 细'!A1": 10.0, "'明 细'!A2": 20.5}
    assert evaluate("=$A$1*B$2", cells) == 6
    assert evaluate("=SUM(A1:B2)", cells) == 5
    assert evaluate("=SUM('明 细'!A1:A2)", cells) == 30.5
    assert evaluate("='明 细'!A1*权重", cells, names={"权重": "0.6"}) == 6
    assert evaluate("=SUM(金额)", cells, names={"金额": "'明 细'!$A$1:$A$2"}) == 30.5
    assert evaluate("=SUM(A1:A2)+nosheet!A1", cells) == REF


def test_sheet_scoped_names_win_over_workbook_names():
    one, two = SheetCells("一"), SheetCells("二")
    one.values[(1, 1)], two.values[(1, 1)] = 1.0, 2.0
    one.formulas[(2, 1)] = prepare("=总分*10")
    two.formulas[(2, 1)] = prepare("=总分*10")
    names = {(1, "总分"): "'二'!$A$1", (None, "总分"): "'一'!$A$1"}
    values = Evaluator([one, two], names).run()
    assert values[(0, 2, 1)] == 10  # workbook-level name
    assert values[(1, 2, 1)] == 20  # the sheet's own name


def test_split_references_leaves_strings_sheets_and_functions_alone():
    text, refs = split_references("IF(A1>=$B$2,\"C3\",'S1'!D$4&LOG10(E5)&ABCD1&x1y)")
    assert text == "IF(\ue0000\ue001>=\ue0001\ue001,\"C3\",'S1'!\ue0002\ue001&LOG10(\ue0003\ue001)&ABCD1&x1y)"
    assert refs == ((1, 1, False, False), (2, 2, True, True), (4, 4, True, False), (5, 5, False, False))
    # Rows of one column share one compiled shape.
    assert prepare("=SUM(H11,H12)").shape is prepare("=SUM(H12,H13)").shape


def test_shared_formula_children_shift_like_excel():
    master = prepare("=A1*$B$1+A$1")
    child = master.shifted(2, 1)  # two rows down, one column right
    assert child.refs == ((3, 2, False, False), (1, 2, True, True), (1, 2, True, False))


def test_circular_reference_is_ref_not_recursion():
    sheet = SheetCells("表")
    sheet.formulas[(1, 1)] = prepare("=B1+1")
    sheet.formulas[(1, 2)] = prepare("=A1+1")
    sheet.formulas[(1, 3)] = prepare("=C1")
    evaluator = Evaluator([sheet], {})
    values = evaluator.run()
    assert REF in (values[(0, 1, 1)], values[(0, 1, 2)])
    assert values[(0, 1, 3)] == REF
    assert evaluator.cycles


def test_a_chain_deeper_than_the_stack_is_computed():
    sheet = SheetCells("表")
    sheet.values[(1, 1)] = 1.0
    for row in range(2, 5001):
        # Written bottom-up, so evaluation in reading order would recurse 5,000 cells deep.
        sheet.formulas[(row, 1)] = prepare(f"=A{row - 1}+1")
    sheet.formulas = dict(reversed(list(sheet.formulas.items())))
    values = Evaluator([sheet], {}).run()
    assert values[(0, 5000, 1)] == 5000


def test_unsupported_functions_make_cells_uncomputable_only_when_used():
    sheet = SheetCells("表")
    sheet.values[(1, 1)] = 1.0
    sheet.formulas[(2, 1)] = prepare('=IFERROR(VLOOKUP(1,A1:A1,1),"")')  # shows "" here, not in Excel
    sheet.formulas[(3, 1)] = prepare('=A2&"x"')  # reads an uncomputable cell
    sheet.formulas[(4, 1)] = prepare("=IF(FALSE,VLOOKUP(1,A1:A1,1),7)")  # exactly 7 anyway
    evaluator = Evaluator([sheet], {})
    values = evaluator.run()
    assert evaluator.uncomputable == {(0, 2, 1), (0, 3, 1)}
    assert values[(0, 4, 1)] == 7
    assert evaluator.reasons == {"函数 VLOOKUP": None}


# --- jixiao's formulas, worked by hand ----------------------------------------------------------------


def _native(rubric_rules=None) -> Formulas:
    return Formulas("native", rubric_rules or builtin_rubrics()["hubei-project"].rule_set)


def test_native_execution_score_by_hand():
    formula = _native().execution_score("E6", "G6", "20")
    # 20 × 939.9 / 1069.34 = 17.579… → 17.58; rate 87.90 %.
    assert evaluate(formula, {"E6": 1069.34, "G6": 939.9}) == 17.58
    assert evaluate(_native().execution_rate("E6", "G6"), {"E6": 1069.34, "G6": 939.9}) == 939.9 / 1069.34
    assert evaluate(formula, {"E6": 1069.34}) == ""  # nothing executed yet
    assert evaluate(formula, {"E6": 100.0, "G6": 130.0}) == 20  # capped at the weight


def test_native_indicator_score_by_hand():
    refs = RowRefs(target="E11", actual="G11", weight="H11", nature="D11", judged="J11")
    formula = _native().indicator_score(refs)
    row = {"D11": "≥", "E11": 80.0, "G11": 75.0, "H11": 6.0}
    assert evaluate(formula, row) == 5.63  # 6 × 75/80 = 5.625 → 5.63
    assert evaluate(formula, {**row, "D11": "≤", "E11": 48.0, "G11": 60.0, "H11": 5.0}) == 4  # 5 × 48/60
    assert evaluate(formula, {**row, "D11": "定性", "J11": 9.0}) == 9
    assert evaluate(formula, {"D11": "≥", "E11": 80.0, "G11": 75.0}) == ""  # no weight: nothing


def test_jx_functions_follow_the_core():
    rules = rules_json(builtin_rubrics()["hubei-project"].rule_set)
    cells = {"Z1": rules}
    assert evaluate('=JX_SCORE("≥80%","75%",6,"满意度指标",Z1,"")', cells) == 5.63
    assert evaluate('=JX_SCORE("有所提升","明显提升",10,"",Z1,9)', cells) == 9  # 定性: the judged score
    assert evaluate('=JX_SCORE("有所提升","明显提升",10,"",Z1,"")', cells) == ""
    assert evaluate('=JX_SCORE("≥80%","75%","",A9,Z1,A9)', cells) == ""  # no weight yet
    assert evaluate("=JX_RATE(1069.34,939.9)") == 939.9 / 1069.34
    assert evaluate("=JX_RATE(A9,939.9)") == ""
    assert evaluate("=JX_EXEC_SCORE(1069.34,939.9,20,Z1)", cells) == 17.58
    assert evaluate("=JX_EXEC_SCORE(A9,A9,20,Z1)", cells) == ""
    assert evaluate("=JX_GRADE(85.5,Z1)", cells) == "良"
    assert evaluate("=JX_RATE(-1,2)") == VALUE  # a negative budget is refused, as the add-in does
    # Saved by Excel with the add-in path in front of the name.
    assert evaluate("='C:\\加载项\\jixiao.xlam'!JX_RATE(4,3)") == 0.75


# --- the recalc proof: every built-in rubric, both dialects ------------------------------------------


def _formula_cells(path: Path) -> list[tuple[str, str]]:
    book = load_workbook(path)
    return [
        (ws.title, cell.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _cached(path: Path) -> dict[tuple[str, str], object]:
    book = load_workbook(path, data_only=True)
    return {
        (ws.title, c.coordinate): c.value for ws in book.worksheets for row in ws.iter_rows() for c in row
    }


def _comparable(value: object) -> object:
    """openpyxl reads an empty-text result as None and TRUE as True; LibreOffice says "" / None and 1.0."""
    if value == "":
        return None
    if isinstance(value, bool):
        return float(value)
    return value


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# A formula cell: <c …> (not <c …/>) holding an <f>, with or without a namespace prefix (x:c).
_FORMULA_CELL = re.compile(
    rb"(<(?:x:)?c\b[^>]*(?<!/)>)((?:(?!</(?:x:)?c>).)*<(?:x:)?f[ >/](?:(?!</(?:x:)?c>).)*</(?:x:)?c>)", re.S
)


def _without_cached_values(xml: bytes) -> bytes:
    """The sheet XML with every formula cell's t attribute and <v> element removed."""

    def strip(m: re.Match[bytes]) -> bytes:
        start = re.sub(rb'\st="[^"]*"', b"", m.group(1))
        return start + re.sub(rb"<(x:)?v>[^<]*</(x:)?v>|<(x:)?v\s*/>", b"", m.group(2))

    return _FORMULA_CELL.sub(strip, xml)


def assert_only_cached_values_changed(before: Path, after: Path) -> None:
    old, new = _entries(before), _entries(after)
    assert list(old) == list(new), "zip entries (and their order) must be kept"
    for name, data in old.items():
        if name.startswith("xl/worksheets/sheet"):
            assert _without_cached_values(new[name]) == _without_cached_values(data), name
        else:
            assert new[name] == data, name  # styles, names, validations, workbook.xml (calcPr) …


@pytest.fixture(scope="module")
def xlwings_calc(start_calc):
    """A LibreOffice computing the JX_* functions through jixiao's Basic bridge (jixiao.addin)."""
    from jixiao.addin.libreoffice import prepare_test_profile

    instance = start_calc(prepare_profile=prepare_test_profile)
    try:
        yield instance
    finally:
        instance.close()


CASES = [(rubric, dialect) for rubric in builtin_rubrics().values() for dialect in ("native", "xlwings")]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Path, list]]:
    """Each (rubric, dialect): the filled form, its recalculated copy and what was filled in."""
    out = {}
    for rubric, dialect in CASES:
        directory = tmp_path_factory.mktemp(f"{rubric.name}-{dialect}")
        filled = directory / "已填写.xlsx"
        sheets = fill_form(make_form(rubric, dialect, directory), filled, dialect)
        report = recalc_file(filled)
        assert report.output == directory / "已填写（已计算）.xlsx"
        assert not report.kept and not report.cycles
        out[(rubric.name, dialect)] = (filled, report.output, sheets)
    return out


def _case_id(case: tuple[Rubric, str]) -> str:
    return f"{case[0].name}-{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_recalc_changes_only_cached_values(recalculated, case):
    rubric, dialect = case
    filled, output, _ = recalculated[(rubric.name, dialect)]
    with zipfile.ZipFile(output) as archive:
        assert archive.testzip() is None  # every entry's CRC checks, copied or rewritten
    assert_only_cached_values_changed(filled, output)
    assert _formula_cells(output) == _formula_cells(filled)
    # Frozen panes and protection, read back (they are also inside the byte comparison above).
    book_in, book_out = load_workbook(filled), load_workbook(output)
    for ws_in, ws_out in zip(book_in.worksheets, book_out.worksheets, strict=True):
        assert ws_out.freeze_panes == ws_in.freeze_panes
        assert ws_out.protection.sheet == ws_in.protection.sheet
        assert len(ws_out.data_validations.dataValidation) == len(ws_in.data_validations.dataValidation)
    assert book_out.calculation.fullCalcOnLoad == book_in.calculation.fullCalcOnLoad


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_recalc_scores_equal_the_core(recalculated, case):
    """Both dialects: every filled indicator row and the execution score show the core's numbers."""
    rubric, dialect = case
    filled, output, sheets = recalculated[(rubric.name, dialect)]
    cached = _cached(output)
    book = load_workbook(filled)
    checked = 0
    for sheet in sheets:
        ws = book[sheet.title]
        names = {**dict(book.defined_names.items()), **dict(ws.defined_names.items())}
        if "指标_得分" not in names or "指标_参考分值" in names:
            continue
        [(_, ref)] = list(names["指标_得分"].destinations)
        column = [row[0].coordinate for row in ws[ref.replace("$", "")]]
        for row, address in zip(sheet.rows, column, strict=False):
            expected = expected_points(row, rubric)
            assert _comparable(cached[(sheet.title, address)]) == _comparable(expected), (sheet.title, row)
            checked += 1
        if sheet.budget is not None and "执行率得分" in names:
            [(_, exec_ref)] = list(names["执行率得分"].destinations)
            got = cached[(sheet.title, exec_ref.replace("$", ""))]
            weight = rubric.execution.weight if rubric.execution else 0
            assert got == execution_score(sheet.budget, sheet.executed, weight, rubric.rule_set)
            checked += 1
    if rubric.kind is not FormKind.TARGET and rubric.indicators is not None:
        assert checked > len(sheets)  # indicator rows of every sheet, not just the execution score


def test_recalc_by_hand_on_the_hubei_form(recalculated):
    """执行率得分 20 × 939.9/1069.34 = 17.58; 满意度 6 × 75/80 = 5.625 → 5.63; 招商 0.5 × 60/80 → 0.38."""
    _, output, sheets = recalculated[("hubei-project", "native")]
    book = load_workbook(output, data_only=True)
    ws = book[sheets[0].title]
    names = dict(ws.defined_names.items())

    def at(name: str):
        [(_, ref)] = list(names[name].destinations)
        return ws[ref.replace("$", "")]

    assert at("执行率得分").value == 17.58
    assert at("执行率").value == pytest.approx(0.87895, abs=1e-5)
    scores = [row[0].value for row in at("指标_得分")]
    assert scores[4] == 0.38 and scores[5] == 5.63
    # 合计 and 总分: 17.58 + 18 (总目标) + the row scores, rounded for the comparison only.
    total = at("总分").value
    assert excel_round(total, 2) == excel_round(17.58 + 18 + sum(s for s in scores if s), 2)
    assert at("等级").value == ("良" if total >= 80 else "中" if total >= 60 else "差")


# 目标表 forms hold no formulas at all: nothing to compare.
SCORED_RUBRICS = [r for r in builtin_rubrics().values() if r.kind is not FormKind.TARGET]


@pytest.mark.libreoffice
@pytest.mark.parametrize("rubric", SCORED_RUBRICS, ids=lambda r: r.name)
def test_recalc_equals_libreoffice_native(calc, recalculated, rubric):
    """The proof: openpyxl data_only on the recalc output == LibreOffice's hard recalc, every cell."""
    filled, output, _ = recalculated[(rubric.name, "native")]
    _compare_with_libreoffice(calc, filled, output)
    # LibreOffice also opens the rewritten file itself and computes the same.
    _compare_with_libreoffice(calc, output, output)


@pytest.mark.libreoffice
@pytest.mark.parametrize("rubric", SCORED_RUBRICS, ids=lambda r: r.name)
def test_recalc_equals_libreoffice_xlwings(xlwings_calc, recalculated, rubric):
    _compare_with_libreoffice(xlwings_calc, *recalculated[(rubric.name, "xlwings")][:2])


def _compare_with_libreoffice(calc, filled: Path, output: Path) -> None:
    cells = _formula_cells(filled)
    assert cells, "a scored form has formulas"
    addresses = [f"'{title}'!{coordinate}" for title, coordinate in cells]
    theirs = calc.recalc(filled, read=addresses)
    mine = _cached(output)
    differences = [
        (address, mine[cell], theirs[address])
        for cell, address in zip(cells, addresses, strict=True)
        if _comparable(mine[cell]) != _comparable(theirs[address])
    ]
    assert not differences, differences[:10]
    assert any(isinstance(mine[cell], (int, float)) and mine[cell] for cell in cells)  # real numbers


# --- Excel semantics against LibreOffice, on the edges -------------------------------------------------

# Formulas where Excel and LibreOffice agree. Where they do not, jixiao follows Excel and the unit tests
# above say so: LibreOffice stores TRUE as the number 1 (so SUM/COUNT/ISNUMBER/LEN/& see a number),
# refuses typed text in SUM, and writes 1.5E-07 as 0.00000015.
EDGE_FORMULAS = [
    "=-2^2",
    "=2^3^2",
    "=-2%",
    "=2*-3^2",
    '="a"&1+1',
    '=1+1&"b"',
    '=""<1',
    '="a">1',
    '=""=0',
    '=A10=""',
    "=A10=0",
    '="A"="a"',
    '="b">"A"',
    "=1/0",
    '=IFERROR(1/0,"x")',
    '="a"*1',
    '=1+"2"',
    '=" 3 "*2',
    '="50%"+0',
    '="1,000"+0',
    "=SUM(A1:A5)",
    "=COUNT(A1:A5)",
    "=MIN(C1:C3)",
    "=MAX(A1:A5)",
    "=OR(C1:C3)",
    "=NOT(A10)",
    '=ISNUMBER("1")',
    "=ROUND(5.625,2)",
    "=ROUND(0.375,2)",
    "=ROUND(-2.5,0)",
    "=ROUND(1234.5678,-2)",
    "=ROUND(1.005,2)",
    "=LEN(12.5)",
    "=LEN(1/3)",
    "=0.1+0.2-0.3",
    "=1=1.0000000000000002",
    '=IF("",1,2)',
    "=IF(A10,1,2)",
    '=IF(1<0,"yes")',
    '=IF(1<0,"yes",)',
    "=1E+300*1E+300",
    "=SUM(金额)",
    "=权重",
    "=SUM(本表名称)",
    "=SUM('明 细'!A1:A2)*2",
    "='明 细'!A1:A2",
    "=SUM(D1:D2)",
    "=COUNT(D1:D2)",
    "=IFERROR(D1,0)",
    "=4.35*100",
    "=17.58+18+3+1.9+2.85+3+0.38+5.63+0.67+5+0+3.2+4+3+9+3",
    '=IF(OR(E1="",E1=0,E2=""),"",ROUND(MAX(0,MIN(20,20*E2/E1)),2))',
]


def _edge_workbook(path: Path) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "表"
    ws["A1"], ws["A2"], ws["A4"] = 1.5, "text", 2
    ws["A5"] = "3"
    ws["E1"], ws["E2"] = 1069.34, 939.9
    ws["D1"], ws["D2"] = "=1/0", 5
    detail = book.create_sheet("明 细")
    detail["A1"], detail["A2"] = 10, 20.5
    book.create_sheet("_jixiao")
    book.defined_names["金额"] = DefinedName("金额", attr_text="'表'!$A$1:$A$5")
    book.defined_names["权重"] = DefinedName("权重", attr_text="0.6")
    ws.defined_names["本表名称"] = DefinedName("本表名称", attr_text="'明 细'!$A$1:$A$2")
    for row, formula in enumerate(EDGE_FORMULAS, start=1):
        ws.cell(row=row, column=8, value=formula)
    book.save(path)
    return path


@pytest.mark.libreoffice
def test_edge_semantics_equal_libreoffice(calc, tmp_path):
    path = _edge_workbook(tmp_path / "边界.xlsx")
    report = recalc_file(path)
    assert report.written == len(EDGE_FORMULAS) + 1 and not report.kept
    _compare_with_libreoffice(calc, path, report.output)


# --- the writer on a hand-made file: prefixes, shared formulas, inline strings, cells without r -------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HAND_MADE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/worksheets/sheet2.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{_MAIN}" xmlns:rel="{_RELS}">'
        '<x:sheets><x:sheet name="表" sheetId="1" rel:id="rId1"/>'
        '<x:sheet name="_jixiao" sheetId="2" state="veryHidden" rel:id="rId2"/></x:sheets>'
        "<x:definedNames><x:definedName name=\"合计\">'表'!$C$4</x:definedName></x:definedNames>"
        "</x:workbook>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{_MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1"><x:v>2</x:v></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t>≥</x:t></x:is></x:c>'
        '<x:c r="C1"><x:f t="shared" ref="C1:C3" si="0">A1*10</x:f><x:v>0</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="A2"><x:v>3.5</x:v></x:c><x:c r="C2"><x:f t="shared" si="0"/><x:v>0</x:v></x:c>'
        "</x:row>"
        '<x:row r="3"><x:c><x:v>4</x:v></x:c><x:c/><x:c><x:f t="shared" si="0"/></x:c></x:row>'
        '<x:row r="4"><x:c r="C4" s="0"><x:f>SUM(C1:C3)</x:f><x:v>999</x:v></x:c>'
        '<x:c r="D4" t="str"><x:f>IF(B1="≥","是&amp;否",1)</x:f><x:v>stale</x:v></x:c>'
        '<x:c r="E4"><x:f>VLOOKUP(1,A1:A3,1)</x:f><x:v>42</x:v></x:c>'
        '<x:c r="F4"><x:f>合计*2</x:f></x:c><x:c r="G4" t="e"><x:f>1/0</x:f><x:v>#N/A</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    ),
    "xl/worksheets/sheet2.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData/></worksheet>'
    ),
}


def _hand_made(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in HAND_MADE.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def test_hand_made_file_keeps_prefixes_and_computes_shared_formulas(tmp_path):
    path = _hand_made(tmp_path / "手工.xlsx")
    report = recalc_file(path)
    assert report.written == 7  # C1:C3 (one shared formula), C4, D4, F4, G4; not E4
    assert report.kept == ["'表'!E4"] and report.reasons == ["函数 VLOOKUP"]
    sheet = _entries(report.output)["xl/worksheets/sheet1.xml"]
    # Shared children are written by address; A3 (a cell without r) is 4: 40.
    assert b'<x:c r="C2"><x:f t="shared" si="0"/><x:v>35</x:v></x:c>' in sheet
    assert b'<x:c><x:f t="shared" si="0"/><x:v>40</x:v></x:c>' in sheet
    assert b'<x:c r="C4" s="0"><x:f>SUM(C1:C3)</x:f><x:v>95</x:v></x:c>' in sheet  # 20 + 35 + 40
    assert b'<x:c r="D4" t="str"><x:f>IF(B1="\xe2\x89\xa5","\xe6\x98\xaf&amp;\xe5\x90\xa6",1)</x:f>' in sheet
    assert "<x:v>是&amp;否</x:v>".encode() in sheet
    assert b'<x:c r="E4"><x:f>VLOOKUP(1,A1:A3,1)</x:f><x:v>42</x:v></x:c>' in sheet  # kept as it was
    assert b'<x:c r="F4"><x:f>\xe5\x90\x88\xe8\xae\xa1*2</x:f><x:v>190</x:v></x:c>' in sheet
    assert b'<x:c r="G4" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>' in sheet
    assert_only_cached_values_changed(path, report.output)
    values = _cached(report.output)
    assert values[("表", "C3")] == 40 and values[("表", "D4")] == "是&否" and values[("表", "E4")] == 42


@pytest.mark.libreoffice
def test_hand_made_file_equals_libreoffice(calc, tmp_path):
    path = _hand_made(tmp_path / "手工.xlsx")
    report = recalc_file(path)
    theirs = calc.recalc(path, read=["'表'!C1:C4", "'表'!D4", "'表'!F4", "'表'!G4"])
    assert theirs["'表'!C1:C4"] == [[20.0], [35.0], [40.0], [95.0]]
    assert theirs["'表'!D4"] == "是&否" and theirs["'表'!F4"] == 190.0 and theirs["'表'!G4"] == "#DIV/0!"
    mine = _cached(report.output)
    assert [mine[("表", f"C{r}")] for r in range(1, 5)] == [20, 35, 40, 95]


# --- files, atomicity and the command ------------------------------------------------------------------


@pytest.fixture()
def filled_form(tmp_path) -> Path:
    rubric = builtin_rubrics()["hubei-project"]
    filled = tmp_path / "湖北.xlsx"
    fill_form(make_form(rubric, "native", tmp_path, projects=1), filled, "native")
    return filled


def test_in_place_replaces_atomically_and_keeps_permissions(filled_form):
    os.chmod(filled_form, 0o644)
    before = filled_form.read_bytes()
    report = recalc_file(filled_form, in_place=True)
    assert report.output == filled_form and report.written > 0
    assert filled_form.read_bytes() != before
    assert os.stat(filled_form).st_mode & 0o777 == 0o644
    assert not list(filled_form.parent.glob(".jixiao-*"))
    again = recalc_file(filled_form, in_place=True)  # idempotent
    assert again.written == report.written


def test_in_place_keeps_the_original_on_failure(filled_form, monkeypatch):
    before = filled_form.read_bytes()

    def broken(source, target, parts):
        Path(target).write_bytes(b"PK half a file")
        raise OSError("磁盘已满")

    monkeypatch.setattr(jixiao.recalc, "write_parts", broken)
    with pytest.raises(OSError):
        recalc_file(filled_form, in_place=True)
    assert filled_form.read_bytes() == before
    assert not list(filled_form.parent.glob(".jixiao-*"))


def test_output_names_and_refusals(filled_form, tmp_path):
    assert jixiao.recalc.META_SHEET == META_SHEET
    assert default_output(filled_form).name == "湖北（已计算）.xlsx"
    recalc_file(filled_form)
    with pytest.raises(RecalcError, match="已存在"):
        recalc_file(filled_form)
    recalc_file(filled_form, overwrite=True)
    other = tmp_path / "另存.xlsx"
    assert recalc_file(filled_form, other).output == other
    with pytest.raises(RecalcError, match="文件不是 zip 格式"):
        (tmp_path / "坏.xlsx").write_bytes(b"not a zip")
        recalc_file(tmp_path / "坏.xlsx")
    plain = tmp_path / "普通.xlsx"
    Workbook().save(plain)
    with pytest.raises(NotJixiaoWorkbook, match="不是 jixiao 生成的工作簿"):
        recalc_file(plain)
    assert not default_output(plain).exists()


def test_running_again_on_a_folder_does_not_calculate_the_copy(filled_form):
    """`jixiao recalc *.xlsx` twice: the second run is given 湖北.xlsx and 湖北（已计算）.xlsx. The copy
    is the original's output, made again from it; never 湖北（已计算）（已计算）.xlsx."""
    folder = filled_form.parent
    runner = CliRunner()
    assert runner.invoke(recalc, [str(filled_form)]).exit_code == 0
    copy = folder / "湖北（已计算）.xlsx"
    result = runner.invoke(recalc, [str(filled_form), str(copy), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert f"跳过 {copy}：它是 {filled_form} 的计算结果" in result.stderr
    assert not list(folder.glob("*（已计算）（已计算）*"))
    # The copy alone is not recalculated over itself unless asked (--in-place).
    before = copy.read_bytes()
    alone = runner.invoke(recalc, [str(copy)])
    assert alone.exit_code == 1 and "已是计算结果" in alone.stderr and "--in-place" in alone.stderr
    assert copy.read_bytes() == before
    assert runner.invoke(recalc, [str(copy), "--in-place"]).exit_code == 0
    assert not list(folder.glob("*（已计算）（已计算）*"))


def test_command(filled_form, tmp_path):
    runner = CliRunner()
    result = runner.invoke(recalc, [str(filled_form)])
    assert result.exit_code == 0, result.output
    assert "已计算" in result.output and default_output(filled_form).exists()
    out = tmp_path / "指定.xlsx"
    assert runner.invoke(recalc, [str(filled_form), "-o", str(out)]).exit_code == 0 and out.exists()
    assert runner.invoke(recalc, [str(filled_form), "--in-place"]).exit_code == 0
    assert runner.invoke(recalc, [str(filled_form), "--in-place", "-o", str(out)]).exit_code == 2
    plain = tmp_path / "普通.xlsx"
    Workbook().save(plain)
    refused = runner.invoke(recalc, [str(plain)])
    assert refused.exit_code == 2 and "不是 jixiao 生成的工作簿" in refused.output


def test_command_warns_about_cells_it_cannot_compute(tmp_path):
    result = CliRunner().invoke(recalc, [str(_hand_made(tmp_path / "手工.xlsx"))])
    assert result.exit_code == 0
    assert "'表'!E4" in result.output and "VLOOKUP" in result.output


def test_a_file_recalc_cannot_read_exits_2_as_check_does(filled_form, tmp_path):
    """Exit codes (recalc --help): 2 for a file that cannot be read, as check and render give for the
    same file; 1 stays for a readable workbook whose output is not written."""
    from jixiao.cli import main

    fake = tmp_path / "假表.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(filled_form.read_bytes()[:2000])  # a zip with its central directory missing
    runner = CliRunner()
    for path in (fake, cut):
        result = runner.invoke(main, ["recalc", str(path)])
        assert result.exit_code == 2, result.output
        assert path.name in result.stderr and "Traceback" not in result.output
        assert runner.invoke(main, ["check", str(path)]).exit_code == 2
        assert not default_output(path).exists()
    # Readable, but the output is already there: 1, not 2.
    default_output(filled_form).write_bytes(b"kept")
    kept = runner.invoke(main, ["recalc", str(filled_form)])
    assert kept.exit_code == 1 and "已存在" in kept.stderr
    assert default_output(filled_form).read_bytes() == b"kept"
