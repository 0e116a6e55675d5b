"""The JX_* spreadsheet functions: thin wrappers over :mod:`jixiao.core` for Excel and LibreOffice.

An accountant keeps formulas such as ``=JX_SCORE(E7,F7,G7,B7,评分规则,K7)`` in the form and sees the
score follow what she types. Each function here gives exactly the core's numbers; all they add is
reading what a spreadsheet hands over and answering in a shape a cell can show.

Why it looks the way it does:

* **Arguments arrive in every shape a spreadsheet has.** Blank cells are None (Excel through COM)
  or 0 (Office.js), whole numbers are floats, numbers may be stored as text, a 1×1 range is a
  scalar, other ranges are lists (rows or columns, 1-D or 2-D), and with ``err_to_str`` an error
  cell is its literal ("#N/A"). Every function first brings its arguments to one shape.
* **A cell never shows a traceback.** Each public function is wrapped by ``_guard``: an input error
  value is passed on (as Excel's own functions do), anything unusable becomes ``#VALUE!``.
* **Errors are returned as their literal text.** Classic xlwings cannot hand a real error value
  back through its VBA wrapper (xlwings issue #776: a VT_ERROR variant does not survive), so
  ``#VALUE!`` / ``#N/A`` are returned as text, which Excel shows the same way. The LibreOffice
  bridge turns them into real Calc errors.
* **Nothing to show is "".** Numbers are returned for scores, "" for an empty row or a row the rule
  leaves to the assessor, so SUM and COUNT over the score column behave.
* **The rule set travels with the workbook.** Functions take the JSON text of the cell the workbook
  name 评分规则 points to (written by the generator); blank means the default rules. Parsed rule
  sets are cached by their text.
* **xlwings is optional.** On Windows the functions are registered with ``xlwings.func/arg`` so its
  COM server and wrapper generator see them; elsewhere xlwings is not imported at all (its
  decorators are no-ops off Windows), so the core package never needs it.

:data:`REGISTRY` lists every function with its Chinese description and argument descriptions; the
Excel add-in's VBA wrappers, the LibreOffice Basic bridge and the docs are all derived from it.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jixiao.core.grading import grade
from jixiao.core.rollup import weighted_average
from jixiao.core.rules import DEFAULT_RULES, RuleSet, rules_from_json
from jixiao.core.scoring import (
    Score,
    ScoreKind,
    execution_rate,
    execution_score,
    score_indicator,
    to_number,
)
from jixiao.core.values import ValueKind, format_number, parse_value

__all__ = [
    "CATEGORY",
    "ERROR_NA",
    "ERROR_VALUE",
    "EXCEL_ERRORS",
    "JX_BAND",
    "JX_BAND_COL",
    "JX_CHECK",
    "JX_EXEC_SCORE",
    "JX_GRADE",
    "JX_PARSE",
    "JX_PARSE_COL",
    "JX_RATE",
    "JX_REASON",
    "JX_REASON_COL",
    "JX_SCORE",
    "JX_SCORE_COL",
    "JX_WAVG",
    "REGISTRY",
    "Arg",
    "Udf",
    "expose",
    "is_error",
    "parse_rules",
]

#: What these functions return for unusable input (shown by Excel exactly like its own error value).
ERROR_VALUE = "#VALUE!"
#: Returned where a required value is not available (e.g. JX_WAVG over lists of different lengths).
ERROR_NA = "#N/A"
#: Error literals a cell can hold, as xlwings passes them with ``err_to_str=True``.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
#: The Excel function-wizard category the functions are listed under.
CATEGORY = "jixiao 绩效评分"

# Three-column target form: 指标性质 | 指标值 | 度量单位 (the native dialect's columns).
_NATURES = ("≥", "≤", "=", ">", "<")
_QUALITATIVE_NATURE = "定性"


def is_error(value: object) -> bool:
    """True for a spreadsheet error literal: Excel's ("#N/A") or LibreOffice's ("Err:502")."""
    return isinstance(value, str) and (value in EXCEL_ERRORS or value.startswith("Err:5"))


class _Unusable(Exception):
    """An argument no score can be computed from: the cell shows #VALUE!."""


class _ErrorInput(Exception):
    """An argument is itself an error value: the cell shows that error, as Excel's functions do."""

    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal if literal in EXCEL_ERRORS else ERROR_VALUE


# ---------------------------------------------------------------------------------------------
# Reading arguments


def _flatten(value: object) -> list[object]:
    """Every cell of a range (any nesting of lists/tuples), row by row; a scalar is one cell."""
    if isinstance(value, (list, tuple)):
        cells: list[object] = []
        for item in value:
            if isinstance(item, (list, tuple)):
                cells.extend(_flatten(item))
            else:
                cells.append(item)
        return cells
    return [value]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check(value: object) -> object:
    """One cell's value, with error literals raised and blank text made None."""
    if is_error(value):
        raise _ErrorInput(str(value))
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _cell(value: object, what: str) -> object:
    """The value of an argument that must be one cell (a 1×1 range counts)."""
    cells = _flatten(value)
    if len(cells) != 1:
        raise _Unusable(f"{what}只能是一个单元格，收到 {len(cells)} 个")
    return _check(cells[0])


def _number(value: object, what: str) -> float | None:
    """A number from one cell: floats, ints, numbers stored as text ("6", "1,069.34"); None if blank."""
    try:
        return to_number(_cell(value, what), what)
    except ValueError as error:  # the core's own message says what was expected
        raise _Unusable(str(error)) from error


def _text(value: object, what: str) -> str | None:
    value = _cell(value, what)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return format_number(value)
    return str(value).strip()


def _weight(value: object) -> float | None:
    weight = _number(value, "分值")
    if weight is not None and weight < 0:
        raise _Unusable("分值不能为负数")
    return weight


def _indicator_value(value: object, what: str, unit: str | None = None) -> object:
    """A target or actual as the core reads it: free text, a number, or the three-column form.

    ``unit`` is the 度量单位 of a three-column target: a bare number in the actual cell is in that
    unit (the native dialect's convention: 96 with unit % means 96%, never 9600%).
    """
    cells = _flatten(value)
    if len(cells) == 3:
        return _three_columns(cells, what)
    if len(cells) != 1:
        raise _Unusable(
            f"{what}只能是一个单元格，或「指标性质 | 指标值 | 度量单位」三列，收到 {len(cells)} 个"
        )
    cell = _check(cells[0])
    if unit and isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return f"{format_number(float(cell))}{unit}"
    return cell


def _three_columns(cells: list[object], what: str) -> object:
    """指标性质 | 指标值 | 度量单位 → the text the core reads ("≥" | 95 | "%" → "≥95%")."""
    nature, number, unit = (_check(cell) for cell in cells)
    nature_text = str(nature).strip() if nature is not None else ""
    unit_text = str(unit).strip() if unit is not None else ""
    if number is None:
        return None
    if nature_text == _QUALITATIVE_NATURE or isinstance(number, bool):
        return number
    if isinstance(number, (int, float)):
        shown = format_number(float(number))
    else:
        shown = str(number).strip()
        parsed = parse_value(shown)
        if parsed.kind is not ValueKind.QUANTITY or parsed.comparator is not None:
            return shown  # the value column holds a whole phrase ("≥95%"): read it as written
    if nature_text and nature_text not in _NATURES:
        raise _Unusable(f"{what}的指标性质只能是 ≥、≤、=、定性，收到「{nature_text}」")
    return f"{nature_text}{shown}{unit_text}"


def _target_unit(target: object) -> str | None:
    """The 度量单位 of a three-column target, which a bare-number actual is measured in."""
    cells = _flatten(target)
    if len(cells) != 3 or is_error(cells[2]) or _blank(cells[2]) or is_error(cells[0]):
        return None
    if str(cells[0]).strip() == _QUALITATIVE_NATURE:
        return None
    return str(cells[2]).strip()


# ---------------------------------------------------------------------------------------------
# Rules


@functools.lru_cache(maxsize=64)
def _rules_from_text(text: str) -> RuleSet:
    return rules_from_json(text)


def parse_rules(value: object) -> RuleSet:
    """The rule set named by a 规则 argument: the 评分规则 cell's JSON, a RuleSet, or blank (default)."""
    if isinstance(value, RuleSet):
        return value
    # The cell's text arrives as a plain string (the common case) or as a 1×1 range.
    text = _scalar(value) if type(value) is str else _cell(value, "评分规则")
    if text is None:
        return DEFAULT_RULES
    if not isinstance(text, str):
        raise _Unusable("评分规则应为工作簿「_jixiao」表中的规则文字（JSON）")
    try:
        return _rules_from_text(text.strip())
    except (ValueError, TypeError, KeyError) as error:  # json.JSONDecodeError is a ValueError
        raise _Unusable(f"评分规则无法读取：{error}") from error


# ---------------------------------------------------------------------------------------------
# Scoring one row (shared by the single-cell and column functions)


@functools.lru_cache(maxsize=8192)
def _cached_score(
    target: object, actual: object, weight: float, category: str | None, rules: RuleSet
) -> Score:
    # A recalculation scores mostly the same rows again: the cache makes those calls nearly free.
    return score_indicator(target, actual, weight, category=category, rules=rules)


def _score(target: object, actual: object, weight: float, category: str | None, rules: RuleSet) -> Score:
    if isinstance(target, bool) or isinstance(actual, bool):
        # True == 1 as a cache key; a logical value is not a number here, so bypass the cache.
        return score_indicator(target, actual, weight, category=category, rules=rules)
    try:
        return _cached_score(target, actual, weight, category, rules)
    except TypeError:  # an unhashable value (a date object, say): score it uncached
        return score_indicator(target, actual, weight, category=category, rules=rules)


@dataclass(frozen=True)
class _Row:
    """One indicator row as read from its cells."""

    empty: bool  # nothing filled in: the form's blank row
    score: Score | None  # None when there is no weight yet


def _is_zero(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


_RANGE_TYPES = (list, tuple)


def _scalar(value: object) -> object:
    """One cell passed as a plain value (the common case): blank text → None, error literal raised."""
    if type(value) is str:
        if not value or value.isspace():
            return None
        if value[0] in "#E" and is_error(value):
            raise _ErrorInput(value)
    return value


def _row(target: object, actual: object, weight: object, level2: object, rules: object) -> _Row:
    """Read one indicator row. Plain values take a short path: it runs for every cell on every recalc."""
    if type(target) in _RANGE_TYPES or type(actual) in _RANGE_TYPES or type(weight) in _RANGE_TYPES:
        return _row_of_ranges(target, actual, weight, level2, rules)
    t, a, w = _scalar(target), _scalar(actual), _scalar(weight)
    if t is None and a is None and w is None:
        return _Row(True, None)
    if _is_zero(t) and _is_zero(a) and _is_zero(w):
        return _Row(True, None)  # Office.js passes blank cells as 0: a 0 | 0 | 0 row is an empty row
    rule_set = rules if type(rules) is RuleSet else parse_rules(rules)
    if type(w) is float or type(w) is int:
        if w < 0 or w != w or w in (math.inf, -math.inf):
            raise _Unusable("分值需要不小于 0 的有限数值")
        weight_number: float | None = float(w)
    else:
        weight_number = _weight(w)
    if type(level2) is str:
        name = _scalar(level2)  # an error value in the 二级指标 cell is passed on like any other
        category = name.strip() if isinstance(name, str) else None
    else:
        category = _text(level2, "二级指标")
    if weight_number is None:
        return _Row(False, None)
    return _Row(False, _score(t, a, weight_number, category, rule_set))


def _row_of_ranges(target: object, actual: object, weight: object, level2: object, rules: object) -> _Row:
    t_cells, a_cells, w_cells = _flatten(target), _flatten(actual), _flatten(weight)
    if all(_blank(c) for c in t_cells + a_cells + w_cells):
        return _Row(True, None)
    if len(t_cells) == len(a_cells) == len(w_cells) == 1 and all(
        _is_zero(c) for c in (t_cells[0], a_cells[0], w_cells[0])
    ):
        return _Row(True, None)  # Office.js passes blank cells as 0: a 0 | 0 | 0 row is an empty row
    rule_set = parse_rules(rules)
    t = _indicator_value(target, "年初目标值")
    a = _indicator_value(actual, "实际完成值", _target_unit(target))
    w = _weight(weight)
    category = _text(level2, "二级指标")
    if w is None:
        return _Row(False, None)
    return _Row(False, _score(t, a, w, category, rule_set))


def _judged(value: object) -> float | None:
    return _number(value, "评定得分")


def _points(row: _Row, judged: object) -> float | str:
    """The score a row shows: the rule's points, else the assessor's judged score, else ""."""
    if row.empty or row.score is None:
        return ""
    if row.score.points is not None:
        return row.score.points
    judged_number = _judged(judged)
    return "" if judged_number is None else judged_number


def _band_text(score: Score) -> str:
    if score.low is None or score.high is None:
        return ""
    if score.low == score.high:
        return format_number(score.low)
    return f"{format_number(score.low)}–{format_number(score.high)}"


def _reason_text(row: _Row) -> str:
    if row.empty:
        return ""
    if row.score is None:
        return "分值为空，填写分值后评分"
    return row.score.reason


# ---------------------------------------------------------------------------------------------
# The guard every public function goes through


def _guard(function: Callable[..., Any]) -> Callable[..., Any]:
    """Never let an exception reach a cell: pass input errors on, turn anything else into #VALUE!."""

    @functools.wraps(function)
    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except _ErrorInput as error:
            return error.literal
        except Exception:  # a cell must show an error value, never a Python traceback
            return ERROR_VALUE

    return guarded


# ---------------------------------------------------------------------------------------------
# The functions. Parameter names are ASCII because they become VBA parameter names (a VBA module
# is read in the system code page); the Chinese names are in REGISTRY. Parameters are annotated
# ``Any``: xlwings turns an annotation into a converter and knows ``Any`` (not ``object`` or unions).


@_guard
def JX_RATE(budget: Any, actual: Any) -> Any:
    """预算执行率 = 执行数 ÷ 预算数（不舍入）；预算数为 0 或空白、执行数空白时返回空。"""
    b = _number(budget, "预算数")
    a = _number(actual, "执行数")
    rate = execution_rate(b, a)
    return "" if rate is None else rate


@_guard
def JX_EXEC_SCORE(budget: Any, actual: Any, weight: Any, rules: Any = "") -> Any:
    """预算执行率得分 = 分值 × 执行率，不超过分值，按规则舍入；预算数为 0 或空白、执行数或分值空白时返回空。"""
    b = _number(budget, "预算数")
    a = _number(actual, "执行数")
    w = _weight(weight)
    rule_set = parse_rules(rules)
    if b is None or b == 0 or a is None or w is None:
        return ""
    return execution_score(b, a, w, rule_set)


@_guard
def JX_SCORE(
    target: Any, actual: Any, weight: Any, level2: Any = "", rules: Any = "", judged: Any = None
) -> Any:
    """指标得分：按评分规则比较年初目标值与实际完成值；定性或规则无法判定的行返回评定得分（未填则为空）。"""
    return _points(_row(target, actual, weight, level2, rules), judged)


@_guard
def JX_BAND(target: Any, actual: Any, weight: Any, level2: Any = "", rules: Any = "") -> Any:
    """规则允许的得分区间：定性指标如“8–10”，定量指标即得分；无法判定时为空。"""
    row = _row(target, actual, weight, level2, rules)
    return "" if row.score is None else _band_text(row.score)


@_guard
def JX_REASON(target: Any, actual: Any, weight: Any, level2: Any = "", rules: Any = "") -> Any:
    """得分的中文说明：用了哪条规则、怎样算出，或为什么无法评分。"""
    return _reason_text(_row(target, actual, weight, level2, rules))


@_guard
def JX_PARSE(text_value: Any) -> Any:
    """指标值的规范写法：如“≥9595及以上”→“≥95%”、“1-2 次 / 30天”→“1-2次/30天”。"""
    value = _indicator_value(text_value, "指标值")
    if value is None:
        return ""
    parsed = parse_value(value)
    if parsed.kind is ValueKind.PLACEHOLDER:
        return ""
    return parsed.display


@_guard
def JX_GRADE(total: Any, rules: Any = "") -> Any:
    """等级：总分达到的最高档（默认 优 ≥ 90、良 ≥ 80、中 ≥ 60，其余为差）；总分空白时返回空。"""
    score = _number(total, "总分")
    rule_set = parse_rules(rules)
    if score is None:
        return ""
    return grade(score, rule_set)


@_guard
def JX_WAVG(values: Any, weights: Any) -> Any:
    """加权平均 = Σ(数值 × 权重) ÷ Σ权重，跳过空白数值；两列个数须相同，权重合计为 0 时返回空。"""
    numbers = [_check(cell) for cell in _flatten(values)]
    factors = [_check(cell) for cell in _flatten(weights)]
    if len(numbers) != len(factors):
        return ERROR_NA
    average = weighted_average(numbers, factors)
    return "" if average is None else average


# -- whole columns: one call for a 200-row table ---------------------------------------------


def _rows_of(value: object) -> list[list[object]]:
    """A range as rows of cells (a scalar is a 1×1 range, a flat list one column)."""
    if not isinstance(value, (list, tuple)):
        return [[value]]
    rows: list[list[object]] = []
    for item in value:
        rows.append(list(item) if isinstance(item, (list, tuple)) else [item])
    return rows


def _column(value: object, count: int, what: str) -> list[object]:
    """One entry per row: a column of ``count`` cells, or a single cell repeated for every row."""
    rows = _rows_of(value)
    if len(rows) == 1 and len(rows[0]) == 1:
        return [rows[0][0]] * count
    if len(rows) == 1 and len(rows[0]) == count:  # a row of cells given for a column
        return list(rows[0])
    if len(rows) != count:
        raise _Unusable(f"{what}的行数（{len(rows)}）与年初目标值的行数（{count}）不同")
    return [row[0] if len(row) == 1 else row for row in rows]


def _each_row(
    targets: Any,
    actuals: Any,
    weights: Any,
    level2s: Any,
    rules: Any,
    extra: Any,
    cell: Callable[..., object],
) -> list[list[object]]:
    rule_set = parse_rules(rules)
    target_rows = [row[0] if len(row) == 1 else row for row in _rows_of(targets)]
    count = len(target_rows)
    columns = zip(
        target_rows,
        _column(actuals, count, "实际完成值"),
        _column(weights, count, "分值"),
        _column(level2s, count, "二级指标"),
        _column(extra, count, "评定得分"),
        strict=True,
    )
    out: list[list[object]] = []
    for target, actual, weight, level2, more in columns:
        try:
            out.append([cell(_row(target, actual, weight, level2, rule_set), more)])
        except _ErrorInput as error:
            out.append([error.literal])
        except Exception:  # one bad row shows #VALUE! in its own cell, the rest still score
            out.append([ERROR_VALUE])
    return out


@_guard
def JX_SCORE_COL(
    targets: Any, actuals: Any, weights: Any, level2s: Any = "", rules: Any = "", judged: Any = None
) -> Any:
    """整列指标得分（一次计算整张表）：各参数为同样行数的列，返回一列得分，规则同 JX_SCORE。"""
    return _each_row(targets, actuals, weights, level2s, rules, judged, _points)


@_guard
def JX_BAND_COL(targets: Any, actuals: Any, weights: Any, level2s: Any = "", rules: Any = "") -> Any:
    """整列得分区间：返回一列，规则同 JX_BAND。"""
    return _each_row(targets, actuals, weights, level2s, rules, None, lambda row, _: _band_of(row))


@_guard
def JX_REASON_COL(targets: Any, actuals: Any, weights: Any, level2s: Any = "", rules: Any = "") -> Any:
    """整列得分说明：返回一列，规则同 JX_REASON。"""
    return _each_row(targets, actuals, weights, level2s, rules, None, lambda row, _: _reason_text(row))


@_guard
def JX_PARSE_COL(text_values: Any) -> Any:
    """整列指标值的规范写法：返回一列，规则同 JX_PARSE。"""
    return [[JX_PARSE(row[0] if len(row) == 1 else row)] for row in _rows_of(text_values)]


def _band_of(row: _Row) -> str:
    return "" if row.score is None else _band_text(row.score)


# -- JX_CHECK ---------------------------------------------------------------------------------

# Header words that identify the columns of an indicator table (any form's wording).
_HEADER_KEYS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("level2", lambda h: h.startswith("二级指标")),
    ("name", lambda h: h.startswith("三级指标") or h.startswith("指标名称")),
    ("nature", lambda h: h.startswith("指标性质")),
    ("unit", lambda h: h.startswith("度量单位")),
    ("target", lambda h: "目标值" in h or h.startswith("指标值") or h.startswith("年度指标值")),
    ("actual", lambda h: h.startswith("实际完成值") or h.startswith("实际值") or h.startswith("完成值")),
    ("weight", lambda h: h.startswith("分值") or h.startswith("权重")),
    ("judged", lambda h: h.startswith("评定得分")),
    ("score", lambda h: h.startswith("得分")),
    ("explanation", lambda h: "偏差原因" in h),
)
_TOLERANCE = 1e-9


def _columns_of(header: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = str(cell).strip() if cell is not None and not is_error(cell) else ""
        for key, matches in _HEADER_KEYS:
            if text and key not in found and matches(text):
                found[key] = index
                break
    return found


@_guard
def JX_CHECK(table: Any, expected_total: Any = "", rules: Any = "") -> Any:
    """检查指标表（含表头行）：分值合计不符、得分超过分值、无法评分且未打分、扣分未写偏差原因等；无问题时为空。"""
    if not isinstance(table, (list, tuple)):
        _check(table)  # a deleted range arrives as one error value (#REF!): pass it on
    rows = _rows_of(table)
    columns = _columns_of(rows[0])
    missing = [
        name
        for key, name in (("target", "年初目标值"), ("actual", "实际完成值"), ("weight", "分值"))
        if key not in columns
    ]
    if missing:
        return [[f"表头中找不到「{'、'.join(missing)}」列，请连同表头一起选中指标表"]]
    rule_set = parse_rules(rules)
    expected = _number(expected_total, "应合计分值")
    problems: list[str] = []
    weight_sum = 0.0
    for number, cells in enumerate(rows[1:], start=1):
        problems += _row_problems(number, cells, columns, rule_set)
        weight = _number_or_none(cells[columns["weight"]] if columns["weight"] < len(cells) else None)
        weight_sum += weight or 0.0
    if expected is not None and abs(weight_sum - expected) > 1e-6:
        problems.insert(
            0, f"分值合计为 {format_number(round(weight_sum, 6))}，应为 {format_number(expected)}"
        )
    if not problems:
        return ""
    return [[problem] for problem in problems]


def _row_problems(number: int, cells: list[object], columns: dict[str, int], rules: RuleSet) -> list[str]:
    def get(key: str) -> object:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    target: object = get("target")
    if "nature" in columns and "unit" in columns:
        target = [get("nature"), get("target"), get("unit")]
    name = get("name")
    where = f"第 {number} 行" + (
        f"「{str(name).strip()}」" if not _blank(name) and not is_error(name) else ""
    )
    for key, label in (
        ("target", "年初目标值"),
        ("actual", "实际完成值"),
        ("weight", "分值"),
        ("score", "得分"),
    ):
        if is_error(get(key)):
            return [f"{where}：{label}为错误值 {get(key)}"]
    try:
        row = _row(target, get("actual"), get("weight"), get("level2"), rules)
    except (_Unusable, _ErrorInput, ValueError) as error:
        return [f"{where}：{error}"]
    if row.empty:
        return []
    if row.score is None:
        return [f"{where}：未填写分值"]
    score, weight = row.score, row.score.weight
    problems: list[str] = []
    judged = _number_or_none(get("judged"))
    shown = _number_or_none(get("score"))
    if shown is None and "score" not in columns:
        points = _points(row, judged)
        shown = points if isinstance(points, float) else None
    if shown is not None and shown > weight + _TOLERANCE:
        problems.append(f"{where}：得分 {format_number(shown)} 超过分值 {format_number(weight)}")
    if score.kind is ScoreKind.UNSCORABLE and judged is None:
        problems.append(f"{where}：{score.reason}；请由评分人填写评定得分")
    elif score.kind is ScoreKind.QUALITATIVE and judged is None:
        problems.append(f"{where}：定性指标，请在 {_band_text(score)} 分之间填写评定得分")
    elif score.points is None and judged is not None and not score.allows(judged) and score.low is not None:
        problems.append(
            f"{where}：评定得分 {format_number(judged)} 不在规则允许的 {_band_text(score)} 分之间"
        )
    if score.points is not None and shown is not None and abs(shown - score.points) > _TOLERANCE:
        problems.append(
            f"{where}：得分 {format_number(shown)} 与规则得分 {format_number(score.points)} 不一致"
        )
    lost = shown if shown is not None else score.points
    if (
        "explanation" in columns
        and lost is not None
        and lost < weight - _TOLERANCE
        and _blank(get("explanation"))
    ):
        problems.append(f"{where}：扣分（{format_number(lost)}/{format_number(weight)}）但未填写偏差原因")
    return problems


def _number_or_none(value: object) -> float | None:
    try:
        return _number(value, "数值")
    except (_Unusable, _ErrorInput):
        return None


# ---------------------------------------------------------------------------------------------
# Registry


@dataclass(frozen=True)
class Arg:
    """One argument: its VBA/Python name, its Chinese name and the function wizard's description."""

    name: str
    label: str
    doc: str
    table: bool = False  # read as rows (xlwings ndim=2): a range whose shape matters


@dataclass(frozen=True)
class Udf:
    """One JX_* function as the add-ins and the docs see it."""

    function: Callable[..., Any]
    args: tuple[Arg, ...]
    returns: str  # what the cell shows, in Chinese (for the docs)
    column: bool = False  # returns a column (an array formula / spilled range)

    @property
    def name(self) -> str:
        return self.function.__name__

    @property
    def description(self) -> str:
        return (self.function.__doc__ or "").strip()


_RULES = Arg(
    "rules", "规则", "评分规则：工作簿名称「评分规则」所指单元格（生成的表已填好）；省略则用默认规则"
)
_LEVEL2 = Arg(
    "level2", "二级指标", "二级指标名称，如“成本指标”（决定无比较符号的数值按上限还是下限读）；可省略"
)
_TARGET = Arg("target", "目标值", "年初目标值：自由文字如“≥95%”，或「指标性质 | 指标值 | 度量单位」三列")
_ACTUAL = Arg("actual", "实际值", "实际完成值：如“96%”“3000册”“明显提升”；三列目标时可填与目标同单位的数字")
_WEIGHT = Arg("weight", "分值", "该指标的分值（权重），数字")
_TARGETS = Arg("targets", "目标值列", "年初目标值一列（或「指标性质 | 指标值 | 度量单位」三列）", table=True)
_ACTUALS = Arg("actuals", "实际值列", "实际完成值一列，行数与目标值列相同", table=True)
_WEIGHTS = Arg("weights", "分值列", "分值一列（或一个对每行都适用的分值）", table=True)
_LEVEL2S = Arg("level2s", "二级指标列", "二级指标一列（或一个对每行都适用的名称）；可省略", table=True)

REGISTRY: tuple[Udf, ...] = (
    Udf(
        JX_RATE,
        (
            Arg("budget", "预算数", "预算数（调整后全年预算，万元）"),
            Arg("actual", "执行数", "执行数（全年实际支出，万元）"),
        ),
        "执行率（小数，单元格设为百分比格式显示）；无法计算时为空",
    ),
    Udf(
        JX_EXEC_SCORE,
        (
            Arg("budget", "预算数", "预算数（调整后全年预算，万元）"),
            Arg("actual", "执行数", "执行数（全年实际支出，万元）"),
            Arg("weight", "分值", "预算执行率的分值，如 10 或 20"),
            _RULES,
        ),
        "执行率得分（数字）；无法计算时为空",
    ),
    Udf(
        JX_SCORE,
        (
            _TARGET,
            _ACTUAL,
            _WEIGHT,
            _LEVEL2,
            _RULES,
            Arg("judged", "评定得分", "评分人打的分（定性指标和规则无法判定的行使用）；可省略"),
        ),
        "得分（数字）；空行、定性且未评定的行为空",
    ),
    Udf(JX_BAND, (_TARGET, _ACTUAL, _WEIGHT, _LEVEL2, _RULES), "得分区间文字，如“8–10”；定量指标即得分"),
    Udf(JX_REASON, (_TARGET, _ACTUAL, _WEIGHT, _LEVEL2, _RULES), "中文说明文字"),
    Udf(
        JX_PARSE,
        (Arg("text_value", "指标值", "一个目标值或实际值（文字或数字），或三列形式"),),
        "规范写法文字",
    ),
    Udf(JX_GRADE, (Arg("total", "总分", "自评总分"), _RULES), "等级文字：优、良、中、差；总分空白时为空"),
    Udf(
        JX_WAVG,
        (
            Arg("values", "数值", "一列（或一行）数值；空白的跳过", table=True),
            Arg("weights", "权重", "与数值一一对应的权重", table=True),
        ),
        "加权平均（数字）；权重合计为 0 时为空",
    ),
    Udf(
        JX_CHECK,
        (
            Arg(
                "table",
                "指标表",
                "整张指标表，含表头行（按表头文字找到目标值、实际完成值、分值、得分等列）",
                table=True,
            ),
            Arg("expected_total", "应合计分值", "各指标分值之和应为多少，如 90；省略则不检查合计"),
            _RULES,
        ),
        "一列问题说明；没有问题时为空",
        column=True,
    ),
    Udf(
        JX_SCORE_COL,
        (
            _TARGETS,
            _ACTUALS,
            _WEIGHTS,
            _LEVEL2S,
            _RULES,
            Arg("judged", "评定得分列", "评定得分一列；可省略", table=True),
        ),
        "一列得分",
        column=True,
    ),
    Udf(JX_BAND_COL, (_TARGETS, _ACTUALS, _WEIGHTS, _LEVEL2S, _RULES), "一列得分区间", column=True),
    Udf(JX_REASON_COL, (_TARGETS, _ACTUALS, _WEIGHTS, _LEVEL2S, _RULES), "一列说明", column=True),
    Udf(
        JX_PARSE_COL,
        (Arg("text_values", "指标值列", "一列目标值或实际值", table=True),),
        "一列规范写法",
        column=True,
    ),
)


def expose(
    udf: Udf, func: Callable[..., Any], arg: Callable[..., Any], target: Callable[..., Any] | None = None
) -> Any:
    """Register one function with xlwings-style decorators (``xlwings.func`` / ``xlwings.arg``).

    ``target`` is the function object to decorate (default: the registry's own). Every argument gets
    its Chinese description and ``err_to_str`` (so an error cell arrives as "#N/A", not None); table
    arguments are read as rows (``ndim=2``) so a one-row table is still a table.
    """
    decorated = udf.function if target is None else target
    for item in reversed(udf.args):
        options: dict[str, Any] = {"doc": item.doc, "err_to_str": True}
        if item.table:
            options["ndim"] = 2
        decorated = arg(item.name, **options)(decorated)
    return func(category=CATEGORY)(decorated)


def _register_with_xlwings() -> None:
    """On Windows, attach xlwings' UDF metadata so its COM server and import_udfs see the functions."""
    if not sys.platform.startswith("win"):
        return  # xlwings' decorators are no-ops elsewhere: do not import it for nothing
    try:
        import xlwings
    except ImportError:  # the Excel extra is not installed; the functions still work from Python
        return
    for udf in REGISTRY:
        expose(udf, xlwings.func, xlwings.arg)


_register_with_xlwings()
