"""Excel's ROUND, reproduced exactly.

Excel (and LibreOffice) round the value *as displayed to 15 significant digits*, half away
from zero. Python's ``round`` works on the binary value with half-to-even, so 5.625 -> 5.62
in Python but 5.63 in Excel. Every score jixiao reports goes through :func:`excel_round`.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

# Beyond this magnitude a double has no digits after the 15th significant one to round.
_NO_FRACTION_LEFT = 1e15


def excel_round(x: float, digits: int = 0) -> float:
    """Round like Excel's ``ROUND(x, digits)``."""
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
        raise ValueError(f"excel_round 需要一个数值，收到的是 {type(x).__name__}：{x!r}")
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise ValueError(f"excel_round 的小数位数需要整数，收到的是 {digits!r}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"excel_round 不能处理非有限数值：{x!r}")
    if value == 0.0:
        return 0.0
    if abs(value) >= _NO_FRACTION_LEFT and digits >= 0:
        return value
    shown = f"{value:.15g}"
    if digits >= 0 and "e" not in shown:
        # Every score goes through here (several times per JX_SCORE cell), so round the decimal
        # text with integer arithmetic: the digit after the last kept one decides, half goes up.
        negative = shown.startswith("-")
        whole, _, fraction = shown.lstrip("-").partition(".")
        if len(fraction) <= digits:
            return float(shown) or 0.0
        kept = int(whole + fraction[:digits])
        if fraction[digits] >= "5":
            kept += 1
        result = kept / 10**digits
        return -result if negative else result
    # Decimal's ROUND_HALF_UP rounds half away from zero for negatives too, as Excel does.
    return float(Decimal(shown).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
