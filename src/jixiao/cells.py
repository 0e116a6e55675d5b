"""How a spreadsheet cell reads as text: shared by every reader of filled workbooks
(``jixiao check``, ``jixiao new --from``), so they see the same labels, values and references."""

from __future__ import annotations

import datetime
import re
import unicodedata

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
