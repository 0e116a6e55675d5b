"""What runs inside LibreOffice's Python for each JX_* call from a Calc cell.

The Basic module (see :mod:`jixiao.addin.libreoffice`) reads the cells and hands this module a
function name and its arguments; the answer goes back the same way. This module imports only
:mod:`jixiao.udfs` and the standard library: LibreOffice runs its own Python (Debian's
``/usr/bin/python3``), where none of the project's other dependencies are installed.

Shapes across the bridge (measured with LibreOffice 7.4):

* a blank cell arrives as None, a number as int or float, text as str;
* a range arrives as a tuple of row tuples (the Basic 2-D array, row by row);
* an error cell arrives as its shown text ("#DIV/0!", "Err:502"): the Basic side looks it up,
  because Calc's range object reads an error cell as 0;
* an argument left out of the formula arrives as :data:`MISSING`.

Arguments are then shaped the way xlwings shapes them for Excel (a 1×1 range is a scalar, a single
row or column a flat list, table arguments always rows), so both spreadsheets call exactly the same
Python with the same values. Results go back as float, str or a tuple of row tuples; an error result
is marked with :data:`ERROR_MARK` so the Basic side can turn it into a real Calc error.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from jixiao.udfs import ERROR_VALUE, REGISTRY, Udf, is_error

#: What the Basic module passes for an argument left out of the formula.
MISSING = "__jx_missing__"
#: Prefix of a result that must become a Calc error (followed by the Excel literal, e.g. "#VALUE!").
ERROR_MARK = "__jx_error__"

_BY_NAME: dict[str, Udf] = {udf.name: udf for udf in REGISTRY}
_DEFAULTS: dict[str, list[Any]] = {
    udf.name: [p.default for p in inspect.signature(udf.function).parameters.values()] for udf in REGISTRY
}
_REQUIRED: dict[str, int] = {
    name: sum(1 for default in defaults if default is inspect.Parameter.empty)
    for name, defaults in _DEFAULTS.items()
}


def _rows(value: Sequence[Any]) -> list[list[Any]]:
    return [list(row) if isinstance(row, (list, tuple)) else [row] for row in value]


def _shape(value: Any, table: bool) -> Any:
    """A Basic value as xlwings would pass it: ranges squeezed unless the argument is a table."""
    if is_error(value):
        return value if not str(value).startswith("Err:") else ERROR_VALUE
    if not isinstance(value, (list, tuple)):
        return [[value]] if table else value
    rows = _rows(value)
    if table:
        return rows
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    if len(rows) == 1:
        return rows[0]
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    return rows


def _to_basic(result: Any) -> Any:
    """A result Basic can hand to Calc: numbers as float, "" for nothing, rows as tuples."""
    if isinstance(result, bool):
        return result
    if isinstance(result, (int, float)):
        return float(result)
    if result is None:
        return ""
    if isinstance(result, str):
        return f"{ERROR_MARK}{result}" if is_error(result) else result
    if isinstance(result, (list, tuple)):
        rows = _rows(result) or [[""]]
        width = max(len(row) for row in rows)
        # A Calc matrix cannot hold an error value from Basic: an error cell inside shows its literal.
        return tuple(tuple(_cell(row[i]) if i < len(row) else "" for i in range(width)) for row in rows)
    return str(result)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return value if isinstance(value, (str, bool)) else str(value)


def call(name: str, args: Sequence[Any]) -> Any:
    """Run one JX_* function for the Basic module; never raises."""
    try:
        udf = _BY_NAME[name]
        defaults = _DEFAULTS[name]
        given = len(args)
        while given and _missing(args[given - 1]):
            given -= 1  # arguments left out at the end: the function's defaults apply
        if given > len(udf.args):
            return f"{ERROR_MARK}{ERROR_VALUE}"
        values = [
            defaults[index] if _missing(args[index]) else _shape(args[index], udf.args[index].table)
            for index in range(given)
        ]
        if any(value is inspect.Parameter.empty for value in values) or given < _REQUIRED[name]:
            return f"{ERROR_MARK}{ERROR_VALUE}"  # a required argument is missing: Excel shows #VALUE!
        return _to_basic(udf.function(*values))
    except Exception:  # a Basic runtime error would open a modal dialog: never let one through
        return f"{ERROR_MARK}{ERROR_VALUE}"


def _missing(value: Any) -> bool:
    return isinstance(value, str) and value == MISSING
