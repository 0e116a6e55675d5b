"""How a spreadsheet cell reads as text: shared by every reader of filled workbooks
(``jixiao check``, ``jixiao new --from``), so they see the same labels, values and references."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import range_boundaries

from jixiao.core.rounding import excel_round
from jixiao.core.values import format_number


def label_key(value: object) -> str:
    """A label as compared: NFKC (（）：→ ():), no whitespace, no trailing colon."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).rstrip(":")


def display(value: object, number_format: str = "General") -> str:
    """A cell as the user sees it: 0.95 formatted as a percentage → "95%", 12.0 → "12"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            # 0.07 × 100 is 7.000000000000001 in binary: show what Excel shows.
            return f"{format_number(excel_round(float(value) * 100, 10))}%"
        return format_number(float(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def split_sheet_ref(text: str) -> tuple[str, str] | None:
    """A defined name's reference split: 'Sheet ''1'''!$A$3:$A$9 → ("Sheet '1'", "$A$3:$A$9"), else None."""
    text = (text or "").strip().lstrip("=")
    if "!" not in text:
        return None
    sheet, ref = text.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'") and len(sheet) >= 2:
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, ref


@dataclass(frozen=True)
class Area:
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    @property
    def single(self) -> bool:
        return self.min_col == self.max_col and self.min_row == self.max_row


def names_for(workbook: Any, sheet: Any) -> dict[str, Area]:
    """The names pointing into ``sheet``: its own (sheet-scoped) names first, then workbook names."""
    scoped = getattr(sheet, "defined_names", {}) or {}
    texts = [
        (name, getattr(defined, "attr_text", "") or "")
        for name, defined in [*scoped.items(), *workbook.defined_names.items()]
    ]
    return areas_in(texts, sheet.title)


def areas_in(texts: Iterable[tuple[Any, str]], title: str) -> dict[str, Area]:
    """The (name, reference) pairs that point into the sheet ``title``, as areas; the first wins."""
    found: dict[str, Area] = {}
    for name, text in texts:
        if name in found or not isinstance(name, str):
            continue
        parts = split_sheet_ref(text)
        if parts is None or parts[0] != title:
            continue
        try:
            min_col, min_row, max_col, max_row = range_boundaries(parts[1].replace("$", ""))
        except (ValueError, TypeError):
            continue
        if None in (min_col, min_row, max_col, max_row):
            continue
        found[name] = Area(min_col, min_row, max_col, max_row)  # type: ignore[arg-type]
    return found
