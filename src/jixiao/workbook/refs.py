"""A1 references, without a spreadsheet library (the layout is pure data)."""

from __future__ import annotations


def column_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    if col < 0:
        raise ValueError(f"列号不能为负：{col}")
    letters = ""
    col += 1
    while col:
        col, remainder = divmod(col - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell(row: int, col: int, *, absolute: bool = False) -> str:
    """Zero-based (row, col) → "B3" (or "$B$3")."""
    dollar = "$" if absolute else ""
    return f"{dollar}{column_letter(col)}{dollar}{row + 1}"


def area(first_row: int, first_col: int, last_row: int, last_col: int, *, absolute: bool = False) -> str:
    start = cell(first_row, first_col, absolute=absolute)
    end = cell(last_row, last_col, absolute=absolute)
    return start if start == end else f"{start}:{end}"


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear in a formula or defined name."""
    return "'" + name.replace("'", "''") + "'"
