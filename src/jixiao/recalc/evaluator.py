"""A small, pure formula evaluator for the formulas jixiao writes (both dialects).

Why not a general engine: the pure-Python engines measured in TECH-NOTES are either wrong on ROUND,
break on defined names, lack IFERROR, or cost ~0.65 s per small workbook. jixiao writes a closed set of
formula shapes (see :mod:`jixiao.generate.formulas`), so a restricted evaluator can be exact and fast.

Semantics are Excel's: text sorts above every number, a blank cell is 0 in arithmetic and "" in text
comparisons, errors propagate left to right and IFERROR catches them, ``-2^2`` is 4 (negation binds
tighter than ^), SUM skips text and logicals in ranges but reads them when typed in. Where a result
could differ in the last bit, LibreOffice's arithmetic is followed, since it is the reference the
tests compare with: comparisons and ``+``/``-`` treat values equal to ~14 significant digits as equal
(``rtl::math::approxEqual``) and SUM is compensated. Where LibreOffice departs from Excel (it stores
TRUE as the number 1; it writes 1.5E-07 as 0.00000015) Excel is followed; jixiao's forms never meet
those cases, and the tests list them.

The JX_* functions call :mod:`jixiao.udfs`, the code the Excel add-in and the LibreOffice bridge run.

Speed: tokenising a long score formula with openpyxl's tokenizer costs ~0.4 ms, and a form holds
dozens that differ only in their row numbers. So every A1 reference is first cut out of the text with
one regular expression (:func:`split_references`); what remains — the *shape* — is tokenised, parsed
and compiled once per process (LRU cache) and evaluated with each cell's own reference tuple.
A shared formula's children reuse the master's shape with shifted references, exactly as Excel
defines them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, TypeAlias

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

from jixiao.core.rounding import excel_round

__all__ = [
    "FUNCTIONS",
    "Area",
    "Evaluator",
    "FormulaCell",
    "Ref",
    "Scalar",
    "Shape",
    "SheetCells",
    "XLError",
    "evaluate",
    "prepare",
    "split_references",
]

MAX_ROW = 1_048_576
MAX_COL = 16_384
_NAME_DEPTH = 16


class XLError:
    """An Excel error value (#DIV/0!, #VALUE! …). Compared by code; propagates through arithmetic."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, XLError) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return f"XLError({self.code!r})"

    def __str__(self) -> str:
        return self.code


DIV0 = XLError("#DIV/0!")
VALUE = XLError("#VALUE!")
NAME = XLError("#NAME?")
NA = XLError("#N/A")
REF = XLError("#REF!")
NUM = XLError("#NUM!")
NULL = XLError("#NULL!")
ERROR_CODES = frozenset(
    ("#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#REF!", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!")
)

#: A cell value: float for numbers, str, bool, an error, or None for a blank cell.
Scalar: TypeAlias = float | str | bool | XLError | None


@dataclass(frozen=True, slots=True)
class Area:
    """A resolved reference: sheet index and 1-based inclusive bounds."""

    sheet: int
    row1: int
    col1: int
    row2: int
    col2: int

    @property
    def size(self) -> int:
        return (self.row2 - self.row1 + 1) * (self.col2 - self.col1 + 1)


#: One A1 reference cut out of a formula: (row, col, row has "$", col has "$"), 1-based. A plain
#: tuple, not a NamedTuple: thousands are made per workbook and construction time shows.
Ref: TypeAlias = tuple[int, int, bool, bool]


def shift_ref(ref: Ref, rows: int, cols: int) -> Ref:
    """The reference as a shared formula's child sees it (relative parts move, "$" parts stay)."""
    row, col, row_abs, col_abs = ref
    return (row if row_abs else row + rows, col if col_abs else col + cols, row_abs, col_abs)


# --- coercions -------------------------------------------------------------------------------------

_E48 = 2.0**-48
_E44 = 2.0**-44
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _is_integer(x: float) -> bool:
    return abs(x) < 2.0**53 and x == math.trunc(x)


def approx_equal(a: float, b: float) -> bool:
    """LibreOffice's ``rtl::math::approxEqual``: equal to about 14 significant digits."""
    if a == b:
        return True
    if a == 0.0 or b == 0.0:
        return False
    d = abs(a - b)
    if not math.isfinite(d):
        return False
    a, b = abs(a), abs(b)
    if d > a * _E44 or d > b * _E44:
        return False
    if _is_integer(d) and _is_integer(a) and _is_integer(b):
        return False
    return d < a * _E48 and d < b * _E48


def text_number(text: str) -> float | None:
    """Numeric text as Excel reads it in arithmetic: " 3 ", "1e2", "1,000.5", "50%" (dates not)."""
    s = text.strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if "," in s:
        if not _GROUPED_NUMBER.fullmatch(s):
            return None
        s = s.replace(",", "")
    elif not _PLAIN_NUMBER.fullmatch(s):
        return None
    x = float(s)
    return x / 100.0 if percent else x


def to_number(v: Scalar) -> float | XLError:
    """A value in arithmetic: blank → 0, TRUE → 1, numeric text → its number, other text → #VALUE!."""
    if type(v) is float:
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, str):
        x = text_number(v)
        return VALUE if x is None else x
    if isinstance(v, XLError):
        return v
    return float(v)  # int from a caller


def to_bool(v: Scalar) -> bool | XLError:
    if isinstance(v, bool):
        return v
    if type(v) is float:
        return v != 0.0
    if v is None:
        return False
    if isinstance(v, str):
        upper = v.strip().upper()
        if upper in ("TRUE", "FALSE"):
            return upper == "TRUE"
        return VALUE
    if isinstance(v, XLError):
        return v
    return bool(v)


def number_text(x: float) -> str:
    """A number as Excel shows it in text context (General format, 15 significant digits)."""
    if x == 0:
        return "0"
    if _is_integer(x) and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.15g}"
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        return f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').rjust(2, '0')}"
    return text


def to_text(v: Scalar) -> str | XLError:
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, XLError):
        return v
    return number_text(v)


def _rank(v: Scalar) -> int:
    # Excel's sort order across types: numbers < text < logical values.
    if isinstance(v, bool):
        return 2
    if isinstance(v, str):
        return 1
    return 0


def compare(a: Scalar, b: Scalar) -> int | XLError:
    """-1, 0 or 1 as Excel compares two values (text is greater than any number)."""
    if isinstance(a, XLError):
        return a
    if isinstance(b, XLError):
        return b
    # A blank takes the other side's type: 0, "" or FALSE.
    if a is None:
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0.0)
    if b is None:
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0.0)
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 0:
        x, y = float(a), float(b)  # type: ignore[arg-type]
        if approx_equal(x, y):
            return 0
        return -1 if x < y else 1
    if ra == 1:
        x_text, y_text = a.casefold(), b.casefold()  # type: ignore[union-attr]
        return 0 if x_text == y_text else (-1 if x_text < y_text else 1)
    return 0 if a == b else (-1 if a < b else 1)  # type: ignore[operator]


def _finite(x: float) -> float | XLError:
    return x if math.isfinite(x) else NUM


def _add(a: float, b: float) -> float | XLError:
    # LibreOffice's approxAdd: a + (-a') that cancels to ~14 digits is exactly 0.
    if ((a < 0.0 < b) or (b < 0.0 < a)) and approx_equal(a, -b):
        return 0.0
    return _finite(a + b)


def _sub(a: float, b: float) -> float | XLError:
    if ((a < 0.0 and b < 0.0) or (a > 0.0 and b > 0.0)) and approx_equal(a, b):
        return 0.0
    return _finite(a - b)


def _mul(a: float, b: float) -> float | XLError:
    return _finite(a * b)


def _div(a: float, b: float) -> float | XLError:
    if b == 0.0:
        return DIV0
    return _finite(a / b)


def _pow(a: float, b: float) -> float | XLError:
    if a == 0.0 and b <= 0.0:
        return DIV0 if b < 0.0 else NUM
    try:
        result = a**b
    except (OverflowError, ZeroDivisionError):
        return NUM
    if isinstance(result, complex):
        return NUM
    return _finite(result)


_ARITHMETIC: dict[str, Callable[[float, float], float | XLError]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "^": _pow,
}
_COMPARISONS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    ">": lambda c: c > 0,
    "<=": lambda c: c <= 0,
    ">=": lambda c: c >= 0,
}
# Excel's binary operator precedence (all left-associative); negation and % bind tighter than all.
_PRECEDENCE = {**dict.fromkeys(_COMPARISONS, 1), "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}


# --- evaluation context ----------------------------------------------------------------------------


class Source(Protocol):
    """What a compiled formula needs from its workbook (implemented by :class:`Evaluator`)."""

    def sheet_index(self, name: str) -> int | None: ...

    def value(self, sheet: int, row: int, col: int) -> Scalar: ...

    def area_values(self, area: Area) -> Iterator[Scalar]:
        """The non-blank values of an area (blank cells are skipped: every caller ignores them)."""
        ...

    def name(self, sheet: int, scope: str | None, name: str) -> FormulaCell | None: ...

    def unsupported(self, reason: str) -> None:
        """An unsupported function or syntax was evaluated for the cell being computed."""
        ...


class Env:
    """One evaluation: the workbook, the host cell and the host's reference tuple."""

    __slots__ = ("col", "depth", "refs", "row", "sheet", "src")

    def __init__(
        self, src: Source, sheet: int, row: int, col: int, refs: Sequence[Ref], depth: int = 0
    ) -> None:
        self.src, self.sheet, self.row, self.col, self.refs = src, sheet, row, col, refs
        self.depth = depth  # names resolved through names: bounded, so a name cycle cannot recurse forever


def _sheet_of(env: Env, name: str | None) -> int | None:
    return env.sheet if name is None else env.src.sheet_index(name)


def deref(env: Env, target: Area | Scalar) -> Scalar:
    """A reference used as a value: its one cell, or Excel's implicit intersection with the host."""
    if not isinstance(target, Area):
        return target
    if target.row1 == target.row2 and target.col1 == target.col2:
        return env.src.value(target.sheet, target.row1, target.col1)
    if target.col1 == target.col2 and target.row1 <= env.row <= target.row2:
        return env.src.value(target.sheet, env.row, target.col1)
    if target.row1 == target.row2 and target.col1 <= env.col <= target.col2:
        return env.src.value(target.sheet, target.row1, env.col)
    return VALUE


# --- the syntax tree -------------------------------------------------------------------------------


class Node:
    """A compiled formula node. ``is_ref`` nodes can also give a reference (:meth:`ref`)."""

    __slots__ = ()
    is_ref = False

    def value(self, env: Env) -> Scalar:  # pragma: no cover - abstract
        raise NotImplementedError

    def ref(self, env: Env) -> Area | Scalar:  # pragma: no cover - only is_ref nodes
        raise NotImplementedError

    def children(self) -> Iterable[Node]:
        return ()


class Const(Node):
    __slots__ = ("v",)

    def __init__(self, v: Scalar) -> None:
        self.v = v

    def value(self, env: Env) -> Scalar:
        return self.v


class Missing(Const):
    """An omitted argument (``IF(A1,,1)``): blank."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(None)


class CellRef(Node):
    __slots__ = ("index", "sheet")
    is_ref = True

    def __init__(self, sheet: str | None, index: int) -> None:
        self.sheet, self.index = sheet, index

    def ref(self, env: Env) -> Area | Scalar:
        sheet = _sheet_of(env, self.sheet)
        if sheet is None:
            return REF
        r = env.refs[self.index]
        return Area(sheet, r[0], r[1], r[0], r[1])

    def value(self, env: Env) -> Scalar:
        # The hottest path: no Area object for a plain cell.
        sheet = env.sheet if self.sheet is None else env.src.sheet_index(self.sheet)
        if sheet is None:
            return REF
        r = env.refs[self.index]
        return env.src.value(sheet, r[0], r[1])


class AreaRef(Node):
    __slots__ = ("first", "last", "sheet")
    is_ref = True

    def __init__(self, sheet: str | None, first: int, last: int) -> None:
        self.sheet, self.first, self.last = sheet, first, last

    def ref(self, env: Env) -> Area | Scalar:
        sheet = _sheet_of(env, self.sheet)
        if sheet is None:
            return REF
        (r1, c1, _, _), (r2, c2, _, _) = env.refs[self.first], env.refs[self.last]
        return Area(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))

    def value(self, env: Env) -> Scalar:
        return deref(env, self.ref(env))


class LiteralArea(Node):
    """Whole columns or rows (``A:A``, ``3:5``): written out in the shape itself."""

    __slots__ = ("bounds", "sheet")
    is_ref = True

    def __init__(self, sheet: str | None, bounds: tuple[int, int, int, int]) -> None:
        self.sheet, self.bounds = sheet, bounds

    def ref(self, env: Env) -> Area | Scalar:
        sheet = _sheet_of(env, self.sheet)
        if sheet is None:
            return REF
        return Area(sheet, *self.bounds)

    def value(self, env: Env) -> Scalar:
        return deref(env, self.ref(env))


class NameRef(Node):
    """A defined name, resolved when evaluated (sheet-scoped first, then workbook-level)."""

    __slots__ = ("name", "sheet")
    is_ref = True

    def __init__(self, sheet: str | None, name: str) -> None:
        self.sheet, self.name = sheet, name

    def ref(self, env: Env) -> Area | Scalar:
        if env.depth > _NAME_DEPTH:
            return REF
        target = env.src.name(env.sheet, self.sheet, self.name)
        if target is None:
            return NAME
        inner = Env(env.src, env.sheet, env.row, env.col, target.refs, env.depth + 1)
        root = target.shape.root
        return root.ref(inner) if root.is_ref else root.value(inner)

    def value(self, env: Env) -> Scalar:
        return deref(env, self.ref(env))


class Negate(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node) -> None:
        self.operand = operand

    def value(self, env: Env) -> Scalar:
        x = to_number(self.operand.value(env))
        return x if isinstance(x, XLError) else -x

    def children(self) -> Iterable[Node]:
        return (self.operand,)


class Percent(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node) -> None:
        self.operand = operand

    def value(self, env: Env) -> Scalar:
        x = to_number(self.operand.value(env))
        return x if isinstance(x, XLError) else x / 100.0

    def children(self) -> Iterable[Node]:
        return (self.operand,)


class Arithmetic(Node):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: Callable[[float, float], float | XLError], left: Node, right: Node) -> None:
        self.op, self.left, self.right = op, left, right

    def value(self, env: Env) -> Scalar:
        a = to_number(self.left.value(env))
        if isinstance(a, XLError):
            return a
        b = to_number(self.right.value(env))
        if isinstance(b, XLError):
            return b
        return self.op(a, b)

    def children(self) -> Iterable[Node]:
        return (self.left, self.right)


class Comparison(Node):
    __slots__ = ("left", "right", "test")

    def __init__(self, test: Callable[[int], bool], left: Node, right: Node) -> None:
        self.test, self.left, self.right = test, left, right

    def value(self, env: Env) -> Scalar:
        c = compare(self.left.value(env), self.right.value(env))
        return c if isinstance(c, XLError) else self.test(c)

    def children(self) -> Iterable[Node]:
        return (self.left, self.right)


class Concat(Node):
    __slots__ = ("left", "right")

    def __init__(self, left: Node, right: Node) -> None:
        self.left, self.right = left, right

    def value(self, env: Env) -> Scalar:
        a = to_text(self.left.value(env))
        if isinstance(a, XLError):
            return a
        b = to_text(self.right.value(env))
        if isinstance(b, XLError):
            return b
        return a + b

    def children(self) -> Iterable[Node]:
        return (self.left, self.right)


class Call(Node):
    __slots__ = ("args", "function", "name")

    def __init__(
        self, name: str, function: Callable[[Env, tuple[Node, ...]], Scalar], args: tuple[Node, ...]
    ):
        self.name, self.function, self.args = name, function, args

    def value(self, env: Env) -> Scalar:
        return self.function(env, self.args)

    def children(self) -> Iterable[Node]:
        return self.args


class Unsupported(Node):
    """Syntax or a function the evaluator does not implement: #NAME?, as in Excel without an add-in."""

    __slots__ = ("children_", "reason")

    def __init__(self, reason: str, children: tuple[Node, ...] = ()) -> None:
        self.reason, self.children_ = reason, children

    def value(self, env: Env) -> Scalar:
        env.src.unsupported(self.reason)
        return NAME

    def children(self) -> Iterable[Node]:
        return self.children_


# --- functions -------------------------------------------------------------------------------------

Function: TypeAlias = Callable[[Env, tuple[Node, ...]], Scalar]


def _items(env: Env, args: Iterable[Node]) -> Iterator[tuple[Scalar, bool]]:
    """Each argument's values with whether they came from a reference (which skips text and logicals)."""
    for arg in args:
        if arg.is_ref:
            target = arg.ref(env)
            if isinstance(target, Area):
                for v in env.src.area_values(target):
                    yield v, True
                continue
            yield target, False
        else:
            yield arg.value(env), False


def _numbers(env: Env, args: Iterable[Node]) -> list[float] | XLError:
    """The numbers SUM/MIN/MAX see: referenced numbers; typed-in numbers, logicals and numeric text."""
    out: list[float] = []
    for v, from_ref in _items(env, args):
        if type(v) is float:
            out.append(v)
        elif isinstance(v, XLError):
            return v
        elif from_ref or v is None:
            continue
        else:
            x = to_number(v)
            if isinstance(x, XLError):
                return x
            out.append(x)
    return out


def _fn_sum(env: Env, args: tuple[Node, ...]) -> Scalar:
    numbers = _numbers(env, args)
    if isinstance(numbers, XLError):
        return numbers
    # LibreOffice sums with compensation (KahanSum); fsum gives the correctly rounded sum it aims at.
    return _finite(math.fsum(numbers))


def _fn_min(env: Env, args: tuple[Node, ...]) -> Scalar:
    numbers = _numbers(env, args)
    if isinstance(numbers, XLError):
        return numbers
    return min(numbers) if numbers else 0.0


def _fn_max(env: Env, args: tuple[Node, ...]) -> Scalar:
    numbers = _numbers(env, args)
    if isinstance(numbers, XLError):
        return numbers
    return max(numbers) if numbers else 0.0


def _fn_count(env: Env, args: tuple[Node, ...]) -> Scalar:
    # Referenced cells count when they hold numbers; typed-in logicals and numeric text count too.
    count = 0
    for v, from_ref in _items(env, args):
        typed = not from_ref and (isinstance(v, bool) or (isinstance(v, str) and text_number(v) is not None))
        count += type(v) is float or typed
    return float(count)


def _logicals(env: Env, args: tuple[Node, ...]) -> list[bool] | XLError:
    out: list[bool] = []
    for v, from_ref in _items(env, args):
        if isinstance(v, XLError):
            return v
        if v is None or (from_ref and isinstance(v, str)):
            continue
        b = to_bool(v)
        if isinstance(b, XLError):
            return b
        out.append(b)
    return out if out else VALUE


def _fn_and(env: Env, args: tuple[Node, ...]) -> Scalar:
    values = _logicals(env, args)
    return values if isinstance(values, XLError) else all(values)


def _fn_or(env: Env, args: tuple[Node, ...]) -> Scalar:
    values = _logicals(env, args)
    return values if isinstance(values, XLError) else any(values)


def _fn_not(env: Env, args: tuple[Node, ...]) -> Scalar:
    b = to_bool(args[0].value(env))
    return b if isinstance(b, XLError) else not b


def _fn_if(env: Env, args: tuple[Node, ...]) -> Scalar:
    # Lazy, like Excel: the branch not taken is never evaluated (its errors do not matter).
    condition = to_bool(args[0].value(env))
    if isinstance(condition, XLError):
        return condition
    if condition:
        return args[1].value(env)
    return args[2].value(env) if len(args) > 2 else False


def _fn_iferror(env: Env, args: tuple[Node, ...]) -> Scalar:
    v = args[0].value(env)
    return args[1].value(env) if isinstance(v, XLError) else v


def _fn_isnumber(env: Env, args: tuple[Node, ...]) -> Scalar:
    return type(args[0].value(env)) is float


def _fn_round(env: Env, args: tuple[Node, ...]) -> Scalar:
    x = to_number(args[0].value(env))
    if isinstance(x, XLError):
        return x
    digits = to_number(args[1].value(env))
    if isinstance(digits, XLError):
        return digits
    return excel_round(x, math.trunc(digits))


def _fn_abs(env: Env, args: tuple[Node, ...]) -> Scalar:
    x = to_number(args[0].value(env))
    return x if isinstance(x, XLError) else abs(x)


def _fn_len(env: Env, args: tuple[Node, ...]) -> Scalar:
    text = to_text(args[0].value(env))
    return text if isinstance(text, XLError) else float(len(text))


# --- the jixiao add-in functions -------------------------------------------------------------------


def _udf_argument(env: Env, node: Node) -> object:
    """An argument as the add-in receives it from xlwings: blank → None, a range → rows of values,
    an error → its literal (``err_to_str``)."""
    if node.is_ref:
        target = node.ref(env)
        if isinstance(target, Area) and target.size > 1:
            return [
                [_udf_scalar(env.src.value(target.sheet, r, c)) for c in range(target.col1, target.col2 + 1)]
                for r in range(target.row1, target.row2 + 1)
            ]
        return _udf_scalar(deref(env, target))
    return _udf_scalar(node.value(env))


def _udf_scalar(v: Scalar) -> object:
    return v.code if isinstance(v, XLError) else v


def _udf_result(result: object) -> Scalar:
    """What the add-in returns, as a cell value: error literals are errors, None is ""."""
    if result is None:
        return ""
    if isinstance(result, str):
        return XLError(result) if result in ERROR_CODES else result
    if isinstance(result, bool):
        return result
    if isinstance(result, (int, float)):
        return _finite(float(result))
    return VALUE  # a column (array) result: not a single cell's value


def _add_in_functions() -> dict[str, tuple[Function, int, int]]:
    """The JX_* functions, calling :mod:`jixiao.udfs` — the very code the Excel add-in and the
    LibreOffice bridge run, so a recalculated file shows what Excel with the add-in shows.

    Functions returning a column (JX_*_COL, JX_CHECK) are left out: an array formula is not a cell.
    """
    import inspect

    from jixiao import udfs

    functions: dict[str, tuple[Function, int, int]] = {}
    for udf in udfs.REGISTRY:
        if udf.column:
            continue
        parameters = inspect.signature(inspect.unwrap(udf.function)).parameters.values()
        required = sum(p.default is inspect.Parameter.empty for p in parameters)
        functions[udf.name] = (_add_in_call(udf.function), required, len(udf.args))
    return functions


def _add_in_call(function: Callable[..., object]) -> Function:
    def call(env: Env, args: tuple[Node, ...]) -> Scalar:
        return _udf_result(function(*(_udf_argument(env, a) for a in args)))

    return call


#: name → (implementation, fewest arguments, most arguments).
FUNCTIONS: dict[str, tuple[Function, int, int]] = {
    "IF": (_fn_if, 2, 3),
    "AND": (_fn_and, 1, 255),
    "OR": (_fn_or, 1, 255),
    "NOT": (_fn_not, 1, 1),
    "ISNUMBER": (_fn_isnumber, 1, 1),
    "ROUND": (_fn_round, 2, 2),
    "MIN": (_fn_min, 1, 255),
    "MAX": (_fn_max, 1, 255),
    "SUM": (_fn_sum, 1, 255),
    "COUNT": (_fn_count, 1, 255),
    "IFERROR": (_fn_iferror, 2, 2),
    "LEN": (_fn_len, 1, 1),
    "ABS": (_fn_abs, 1, 1),
    **_add_in_functions(),
}


# --- references in the text ------------------------------------------------------------------------

# Strings, quoted sheet names and [bracketed] parts are copied as they are; an A1 reference elsewhere
# (not part of a longer word, not a function name, not a sheet name before "!") is cut out.
_PIECES = re.compile(
    r""""(?:[^"]|"")*"|'(?:[^']|'')*'|\[[^\]]*\]"""
    r"|(?<![\w.$\ue000\ue001])(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![\w.(!\ue000\ue001])"
)
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: cannot occur in a real formula


@lru_cache(maxsize=4096)
def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def split_references(text: str) -> tuple[str, tuple[Ref, ...]]:
    """``IF(A1>0,$B$2,"C3")`` → (``IF(\\ue0000\\ue001>0,\\ue0001\\ue001,"C3")``, (A1, $B$2))."""
    refs: list[Ref] = []

    def cut(m: re.Match[str]) -> str:
        letters = m.group(2)
        if letters is None:
            return m.group(0)
        col, row = _column_number(letters), int(m.group(4))
        if col > MAX_COL or not 1 <= row <= MAX_ROW:
            return m.group(0)  # e.g. a name such as "ABCD1" is not a reference
        refs.append((row, col, m.group(3) == "$", m.group(1) == "$"))
        return f"{_OPEN}{len(refs) - 1}{_CLOSE}"

    return _PIECES.sub(cut, text), tuple(refs)


# --- parsing ---------------------------------------------------------------------------------------


class _ParseError(Exception):
    pass


_PLACEHOLDER = re.compile(f"{_OPEN}([0-9]+){_CLOSE}")
_PLACEHOLDER_AREA = re.compile(f"{_OPEN}([0-9]+){_CLOSE}:{_OPEN}([0-9]+){_CLOSE}")
_WHOLE_COLUMNS = re.compile(r"\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})")
_WHOLE_ROWS = re.compile(r"\$?([0-9]{1,7}):\$?([0-9]{1,7})")
_NAME = re.compile(r"[^\s!\"'()\[\]{},;:+\-*/^&=<>%$#@~`|\\?]+")
_FUNCTION_PREFIXES = ("_xlfn.", "_xlws.", "_xll.")


def _split_sheet(text: str) -> tuple[str | None, str]:
    if text.startswith("'"):
        end = 1
        while True:
            end = text.find("'", end)
            if end < 0:
                raise _ParseError(f"未闭合的工作表名：{text}")
            if text[end + 1 : end + 2] == "'":
                end += 2
                continue
            break
        if text[end + 1 : end + 2] != "!":
            raise _ParseError(f"无法识别的引用：{text}")
        return text[1:end].replace("''", "'"), text[end + 2 :]
    if "!" in text:
        sheet, _, local = text.partition("!")
        return sheet, local
    return None, text


def _reference(text: str) -> Node:
    sheet, local = _split_sheet(text)
    if sheet is not None and (":" in sheet or "[" in sheet or not sheet):
        return Unsupported(f"外部或三维引用 {text}")
    m = _PLACEHOLDER.fullmatch(local)
    if m:
        return CellRef(sheet, int(m.group(1)))
    m = _PLACEHOLDER_AREA.fullmatch(local)
    if m:
        return AreaRef(sheet, int(m.group(1)), int(m.group(2)))
    m = _WHOLE_COLUMNS.fullmatch(local)
    if m:
        a, b = sorted((_column_number(m.group(1)), _column_number(m.group(2))))
        return LiteralArea(sheet, (1, a, MAX_ROW, b))
    m = _WHOLE_ROWS.fullmatch(local)
    if m:
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        return LiteralArea(sheet, (a, 1, b, MAX_COL))
    if local.upper() == "#REF!":
        return Const(REF)
    if _NAME.fullmatch(local) and _OPEN not in local:
        return NameRef(sheet, local)
    return Unsupported(f"无法识别的引用 {text}")


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        # Spaces only matter as Excel's intersection operator, which jixiao never writes; an operand
        # directly followed by another then fails to parse and the formula counts as unsupported.
        self.tokens = [t for t in tokens if t.type != Token.WSPACE]
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise _ParseError("公式不完整")
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.expression(0)
        if self.peek() is not None:
            raise _ParseError(f"多余的内容：{self.peek().value}")  # type: ignore[union-attr]
        return node

    def expression(self, min_precedence: int) -> Node:
        left = self.primary()
        while True:
            token = self.peek()
            if token is None or token.type != Token.OP_IN:
                return left
            op = token.value
            precedence = _PRECEDENCE.get(op)
            if precedence is None:
                raise _ParseError(f"不支持的运算符 {op}")
            if precedence < min_precedence:
                return left
            self.pos += 1
            right = self.expression(precedence + 1)
            if op in _ARITHMETIC:
                left = Arithmetic(_ARITHMETIC[op], left, right)
            elif op == "&":
                left = Concat(left, right)
            else:
                left = Comparison(_COMPARISONS[op], left, right)

    def primary(self) -> Node:
        token = self.take()
        node: Node
        if token.type == Token.OP_PRE:
            operand = self.primary()
            # Excel: negation binds tighter than ^ (=-2^2 is 4); unary plus changes nothing.
            return Negate(operand) if token.value == "-" else operand
        if token.type == Token.OPERAND:
            node = self.operand(token)
        elif token.type == Token.FUNC and token.subtype == Token.OPEN:
            node = self.call(token.value[:-1])
        elif token.type == Token.PAREN and token.subtype == Token.OPEN:
            node = self.expression(0)
            closing = self.take()
            if closing.type != Token.PAREN:
                raise _ParseError("括号不匹配")
        else:
            raise _ParseError(f"不支持的语法：{token.value}")
        while (following := self.peek()) is not None and following.type == Token.OP_POST:
            self.pos += 1
            node = Percent(node)
        return node

    def operand(self, token: Token) -> Node:
        text = token.value
        if token.subtype == Token.NUMBER:
            return Const(float(text))
        if token.subtype == Token.TEXT:
            return Const(text[1:-1].replace('""', '"'))
        if token.subtype == Token.LOGICAL:
            return Const(text.upper() == "TRUE")
        if token.subtype == Token.ERROR:
            code = text.upper()
            return Const(XLError(code)) if code in ERROR_CODES else Unsupported(f"未知错误值 {text}")
        return _reference(text)

    def call(self, raw_name: str) -> Node:
        args: list[Node] = []
        while True:
            token = self.peek()
            if token is None:
                raise _ParseError("函数缺少右括号")
            if token.type == Token.FUNC and token.subtype == Token.CLOSE:
                self.pos += 1
                if args:  # only reached right after a bare separator: "F(1,)" or "F(,)"
                    args.append(Missing())
                break
            if token.type == Token.SEP and token.subtype == Token.ARG:
                self.pos += 1
                args.append(Missing())
                continue
            args.append(self.expression(0))
            following = self.take()
            if following.type == Token.SEP and following.subtype == Token.ARG:
                if (
                    (after := self.peek()) is not None
                    and after.type == Token.FUNC
                    and after.subtype == Token.CLOSE
                ):
                    self.pos += 1
                    args.append(Missing())
                    break
                continue
            if following.type == Token.FUNC and following.subtype == Token.CLOSE:
                break
            raise _ParseError(f"函数参数有误：{following.value}")
        return _function(raw_name, tuple(args))


def _function(raw_name: str, args: tuple[Node, ...]) -> Node:
    # An add-in function saved by Excel may carry its add-in's path: 'C:\…\jixiao.xlam'!JX_SCORE.
    name = raw_name.rsplit("!", 1)[-1].upper()
    for prefix in _FUNCTION_PREFIXES:
        if name.startswith(prefix.upper()):
            name = name[len(prefix) :]
    entry = FUNCTIONS.get(name)
    if entry is None:
        return Unsupported(f"函数 {name}", args)
    function, fewest, most = entry
    if not fewest <= len(args) <= most:
        return Unsupported(f"{name} 的参数个数 {len(args)}", args)
    return Call(name, function, args)


@dataclass(frozen=True, eq=False)
class Shape:
    """A compiled formula with its references cut out; shared by every cell of the same shape."""

    text: str
    root: Node
    #: The nodes that refer to cells or names, for the static dependency order.
    references: tuple[Node, ...]


@lru_cache(maxsize=4096)
def compile_shape(text: str) -> Shape:
    """Tokenise, parse and compile a formula whose A1 references were cut out (no leading "=")."""
    try:
        root = _Parser(Tokenizer("=" + text).items).parse()
    except (_ParseError, TokenizerError, ValueError, IndexError) as error:
        root = Unsupported(f"无法解析：{error}")
    references: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_ref:
            references.append(node)
        stack.extend(node.children())
    return Shape(text, root, tuple(references))


class FormulaCell(NamedTuple):
    """One formula: its shape and its own references."""

    shape: Shape
    refs: tuple[Ref, ...]

    def shifted(self, rows: int, cols: int) -> FormulaCell:
        return FormulaCell(self.shape, tuple(shift_ref(r, rows, cols) for r in self.refs))


@lru_cache(maxsize=16384)
def prepare(formula: str) -> FormulaCell:
    """A formula's text (with or without the leading "=") → its compiled shape and references.

    Cached by text too: forms made from one template repeat the same formulas file after file.
    """
    text = formula[1:] if formula.startswith("=") else formula
    shape_text, refs = split_references(text)
    return FormulaCell(compile_shape(shape_text), refs)


# --- a workbook's worth of evaluation --------------------------------------------------------------


@dataclass
class SheetCells:
    """The cells of one sheet as the evaluator sees them (1-based (row, col) keys)."""

    name: str
    values: dict[tuple[int, int], Scalar] = field(default_factory=dict)
    formulas: dict[tuple[int, int], FormulaCell] = field(default_factory=dict)


_PENDING = object()  # not evaluated yet
_ACTIVE = object()  # being evaluated: meeting it again means a circular reference

Cell: TypeAlias = tuple[int, int, int]  # (sheet index, row, col)


class Evaluator(Source):
    """Evaluates every formula of a workbook, lazily, with cycle detection.

    ``names`` maps (sheet index or None for workbook-level, name) to the name's formula text.

    A cell is *uncomputable* when its evaluation used something this evaluator does not implement
    (an unknown function, unsupported syntax) or read an uncomputable cell. This is tracked while
    evaluating, so only what was really used counts: ``IF(FALSE,VLOOKUP(…),0)`` is exactly 0, but
    ``IFERROR(VLOOKUP(…),"")`` is uncomputable even though it shows "" here.
    """

    def __init__(self, sheets: Sequence[SheetCells], names: Mapping[tuple[int | None, str], str]) -> None:
        self.sheets = list(sheets)
        self._index = {sheet.name.casefold(): i for i, sheet in enumerate(self.sheets)}
        self._names = {(scope, name.casefold()): text for (scope, name), text in names.items()}
        self._compiled_names: dict[tuple[int | None, str], FormulaCell | None] = {}
        self._reset()

    def _reset(self) -> None:
        self._results: list[dict[tuple[int, int], Any]] = [{} for _ in self.sheets]
        self._stack: list[Cell] = []  # the formula cells being evaluated, innermost last
        #: Formula cells that could not be computed, and why (distinct reasons, in order met).
        self.uncomputable: set[Cell] = set()
        self.reasons: dict[str, None] = {}
        #: Formula cells met again while being evaluated (a circular reference; their value is #REF!).
        self.cycles: set[Cell] = set()

    # Source -------------------------------------------------------------------------------------

    def sheet_index(self, name: str) -> int | None:
        return self._index.get(name.casefold())

    def value(self, sheet: int, row: int, col: int) -> Scalar:
        key = (row, col)
        results = self._results[sheet]
        v = results.get(key, _PENDING)
        if v is not _PENDING:
            if v is _ACTIVE:
                self.cycles.add((sheet, row, col))
                return REF
            if self.uncomputable and (sheet, row, col) in self.uncomputable and self._stack:
                self.uncomputable.add(self._stack[-1])
            return v  # type: ignore[no-any-return]
        formula = self.sheets[sheet].formulas.get(key)
        if formula is None:
            return self.sheets[sheet].values.get(key)
        cell = (sheet, row, col)
        results[key] = _ACTIVE
        self._stack.append(cell)
        try:
            v = formula.shape.root.value(Env(self, sheet, row, col, formula.refs))
        except BaseException:
            del results[key]
            raise
        finally:
            self._stack.pop()
        if v is None:
            v = 0.0  # a formula showing a blank cell shows 0
        results[key] = v
        if self._stack and cell in self.uncomputable:
            self.uncomputable.add(self._stack[-1])
        return v

    def unsupported(self, reason: str) -> None:
        """Called by an unsupported node when it is evaluated: the cell being computed is not exact."""
        self.reasons[reason] = None
        if self._stack:
            self.uncomputable.add(self._stack[-1])

    def area_values(self, area: Area) -> Iterator[Scalar]:
        sheet = self.sheets[area.sheet]
        if area.size <= len(sheet.values) + len(sheet.formulas):
            for row in range(area.row1, area.row2 + 1):
                for col in range(area.col1, area.col2 + 1):
                    v = self.value(area.sheet, row, col)
                    if v is not None:
                        yield v
            return
        # A whole column or row: visit only the cells that exist, in reading order.
        keys = sorted(
            k
            for k in (*sheet.values, *sheet.formulas)
            if area.row1 <= k[0] <= area.row2 and area.col1 <= k[1] <= area.col2
        )
        for row, col in keys:
            v = self.value(area.sheet, row, col)
            if v is not None:
                yield v

    def name(self, sheet: int, scope: str | None, name: str) -> FormulaCell | None:
        folded = name.casefold()
        if scope is not None:
            index = self.sheet_index(scope)
            keys = [(index, folded), (None, folded)] if index is not None else []
        else:
            keys = [(sheet, folded), (None, folded)]
        for key in keys:
            if key in self._names:
                if key not in self._compiled_names:
                    self._compiled_names[key] = prepare(self._names[key])
                return self._compiled_names[key]
        return None

    # the whole workbook ------------------------------------------------------------------------------

    def run(self) -> dict[Cell, Scalar]:
        """Every formula cell's value (see :attr:`uncomputable`, :attr:`reasons`, :attr:`cycles`).

        Cells are evaluated in reading order, each pulling in what it reads. A chain of formulas
        deeper than Python's recursion limit (never in a jixiao form) is evaluated again in static
        dependency order, where every cell finds what it reads already computed.
        """
        cells = [(index, row, col) for index, sheet in enumerate(self.sheets) for row, col in sheet.formulas]
        try:
            return {cell: self.value(*cell) for cell in cells}
        except RecursionError:
            self._reset()
        return {cell: self.value(*cell) for cell in self.order()}

    def order(self) -> list[Cell]:
        """Formula cells, each after the formula cells it may read (both branches of every IF).

        Iterative depth-first search, so a long chain cannot overflow the stack; on a cycle the
        order is arbitrary and evaluation reports the cycle.
        """
        order: list[Cell] = []
        state: dict[Cell, int] = {}  # 1 = on the stack, 2 = done
        for index, sheet in enumerate(self.sheets):
            for row, col in sheet.formulas:
                start = (index, row, col)
                if start in state:
                    continue
                state[start] = 1
                stack = [(start, list(self.dependencies(*start)), 0)]
                while stack:
                    cell, deps, i = stack[-1]
                    if i < len(deps):
                        stack[-1] = (cell, deps, i + 1)
                        dep = deps[i]
                        if dep not in state:
                            state[dep] = 1
                            stack.append((dep, list(self.dependencies(*dep)), 0))
                        continue
                    stack.pop()
                    state[cell] = 2
                    order.append(cell)
        return order

    def dependencies(self, sheet: int, row: int, col: int) -> Iterator[Cell]:
        """The formula cells a formula cell may read."""
        formula = self.sheets[sheet].formulas[(row, col)]
        env = Env(self, sheet, row, col, formula.refs)
        yield from self._formula_cells_of(env, formula.shape.references)

    def _formula_cells_of(self, env: Env, nodes: Iterable[Node]) -> Iterator[Cell]:
        for node in nodes:
            if isinstance(node, NameRef):
                target = self.name(env.sheet, node.sheet, node.name)
                if target is None or env.depth > _NAME_DEPTH:
                    continue
                inner = Env(self, env.sheet, env.row, env.col, target.refs, env.depth + 1)
                yield from self._formula_cells_of(inner, target.shape.references)
                continue
            area = node.ref(env)
            if not isinstance(area, Area):
                continue
            formulas = self.sheets[area.sheet].formulas
            if area.size <= len(formulas):
                for r in range(area.row1, area.row2 + 1):
                    for c in range(area.col1, area.col2 + 1):
                        if (r, c) in formulas:
                            yield area.sheet, r, c
            else:
                for r, c in formulas:
                    if area.row1 <= r <= area.row2 and area.col1 <= c <= area.col2:
                        yield area.sheet, r, c


def evaluate(
    formula: str,
    cells: Mapping[str, Scalar | int] | None = None,
    names: Mapping[str, str] | None = None,
    sheet: str = "Sheet1",
) -> Scalar:
    """Evaluate one formula against literal cells ({"A1": 3, "B2": "=A1*2"}) — for tests and the REPL.

    Cells whose text starts with "=" are formulas; the formula itself is evaluated as if in a cell
    of its own outside the given ones.
    """
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    sheets: dict[str, SheetCells] = {sheet: SheetCells(sheet)}
    for address, value in (cells or {}).items():
        sheet_name, _, local = address.rpartition("!")
        sheet_name = sheet_name.strip("'") or sheet
        target = sheets.setdefault(sheet_name, SheetCells(sheet_name))
        letters, row = coordinate_from_string(local.replace("$", ""))
        key = (row, column_index_from_string(letters))
        if isinstance(value, str) and value.startswith("="):
            target.formulas[key] = prepare(value)
        else:
            target.values[key] = (
                float(value) if isinstance(value, int) and not isinstance(value, bool) else value
            )
    host = (MAX_ROW, MAX_COL)
    sheets[sheet].formulas[host] = prepare(formula)
    ordered = list(sheets.values())
    evaluator = Evaluator(ordered, {(None, k): v for k, v in (names or {}).items()})
    return evaluator.value(ordered.index(sheets[sheet]), *host)
