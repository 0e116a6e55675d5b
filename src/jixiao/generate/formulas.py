"""Spreadsheet formulas for every computed cell, in two dialects.

``xlwings``: the JX_* functions of the jixiao add-in, which call the Python core.
``native``: plain Excel formulas that WPS, LibreOffice and Excel without the add-in compute;
they mirror the core exactly on structured inputs (指标性质 + number + 度量单位), including
Excel's ROUND. Each function takes A1 references and returns formula text starting with "=".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from jixiao.core.rules import RuleSet
from jixiao.core.values import format_number
from jixiao.workbook.contract import BAND_ACHIEVED, BAND_FAILED, BAND_PARTIAL, RULES_NAME

Dialect = Literal["xlwings", "native"]
DIALECTS: tuple[Dialect, ...] = ("xlwings", "native")


def _n(x: float) -> str:
    return format_number(x)


@dataclass(frozen=True)
class RowRefs:
    """The cells of one indicator row that formulas read."""

    target: str
    actual: str
    weight: str
    level2: str | None = None
    nature: str | None = None
    judged: str | None = None
    band: str | None = None


# -- blanks on a blank form ---------------------------------------------------------------------
# Every computed score, sum, total and grade is written through one of these two guards, so a form
# nobody has filled in shows blank cells — no 0.00, no 「差」 — in both dialects and every rubric.


def unless_no_number(formula: str, cells: Sequence[str]) -> str:
    """``formula`` once one of ``cells`` (cells or ranges) holds a number; blank until then."""
    return f'=IF(COUNT({",".join(cells)})=0,"",{formula.removeprefix("=")})'


def unless_empty(formula: str, cells: Sequence[str], *, every: bool = False) -> str:
    """``formula`` unless one of ``cells`` (single cells, text or number) is empty — or, with
    ``every``, unless all of them are."""
    test = "AND" if every else "OR"
    empty = ",".join(f'{ref}=""' for ref in cells)
    return f'=IF({test}({empty}),"",{formula.removeprefix("=")})'


def total_sum(cells: Sequence[str]) -> str:
    """SUM of cells or ranges, blank while none of them holds a number (a 合计 of empty rows)."""
    return unless_no_number(f"=SUM({','.join(cells)})", cells)


class Formulas:
    def __init__(self, dialect: Dialect, rules: RuleSet):
        if dialect not in DIALECTS:
            raise ValueError(f"公式方言只能是 xlwings 或 native，收到 {dialect!r}")
        self.dialect = dialect
        self.rules = rules

    # -- 预算执行率 --------------------------------------------------------------------------

    def execution_rate(self, budget: str, actual: str) -> str:
        if self.dialect == "xlwings":
            return unless_empty(f"=JX_RATE({budget},{actual})", [budget, actual])
        return f'=IF(OR({budget}="",{budget}=0,{actual}=""),"",{actual}/{budget})'

    def execution_score(self, budget: str, actual: str, weight: str) -> str:
        if self.dialect == "xlwings":
            return unless_empty(f"=JX_EXEC_SCORE({budget},{actual},{weight},{RULES_NAME})", [budget, actual])
        d = self.rules.decimals
        raw = f"{weight}*{actual}/{budget}"
        capped = f"MIN({weight},{raw})" if self.rules.execution_cap else raw
        return f'=IF(OR({budget}="",{budget}=0,{actual}=""),"",ROUND(MAX(0,{capped}),{d}))'

    # -- indicator rows ----------------------------------------------------------------------

    def indicator_score(self, refs: RowRefs) -> str:
        if self.dialect == "xlwings":
            level2 = refs.level2 or '""'
            judged = refs.judged or '""'
            score = f"=JX_SCORE({refs.target},{refs.actual},{refs.weight},{level2},{RULES_NAME},{judged})"
            return unless_empty(score, [refs.actual, *([refs.judged] if refs.judged else [])], every=True)
        return self._native_indicator_score(refs)

    def _native_indicator_score(self, refs: RowRefs) -> str:
        if refs.nature is None:
            raise ValueError("原生公式需要「指标性质」列")
        t, a, w, n = refs.target, refs.actual, refs.weight, refs.nature
        judged = f'IF(ISNUMBER({refs.judged}),{refs.judged},"")' if refs.judged else '""'
        d = self.rules.decimals
        at_least = f"IF({a}>={t},{w},IF({t}<=0,0,{w}*{a}/{t}))"
        zero = f"IF({a}<=0,{w},0)"
        if self.rules.reverse == "linear":
            at_most = f"IF({a}<={t},{w},IF(OR({t}<=0,{a}>=2*{t}),0,{w}*(1-({a}-{t})/{t})))"
        else:
            at_most = f"IF({a}<={t},{w},IF({t}<=0,0,{w}*{t}/{a}))"
        if self.rules.zero_target == "unscorable":
            at_most = f'IF({t}=0,"",{at_most})'
            zero = '""'
        equal = f"IF({a}={t},{w},0)" if self.rules.equal == "exact" else f"IF({t}=0,{zero},{at_least})"
        raw = f'IF({n}="≥",{at_least},IF({n}="≤",{at_most},{equal}))'
        rounded = f"ROUND(MIN({w},MAX(0,{raw})),{d})"
        if self.rules.zero_target == "unscorable":
            rounded = f"IF(ISNUMBER({raw}),{rounded},{judged})"
        return (
            f'=IF(NOT(ISNUMBER({w})),"",IF({n}="定性",{judged},'
            f'IF(OR({n}="",NOT(ISNUMBER({t})),NOT(ISNUMBER({a}))),{judged},{rounded})))'
        )

    def judged_validation(self, refs: RowRefs) -> str:
        """A custom validation formula for the 评定得分 cell: 0 ≤ x ≤ w, inside the chosen band."""
        j, w = refs.judged, refs.weight
        base = f"AND(ISNUMBER({j}),{j}>=0,{j}<={w})"
        if refs.band is None:
            return f"={base}"
        achieved, partial = self.rules.qualitative_bands
        b = refs.band
        band_check = (
            f'IF({b}="{BAND_ACHIEVED}",{j}>={w}*{_n(achieved)},'
            f'IF({b}="{BAND_PARTIAL}",AND({j}>={w}*{_n(partial)},{j}<={w}*{_n(achieved)}),'
            f'IF({b}="{BAND_FAILED}",{j}<={w}*{_n(partial)},TRUE)))'
        )
        return f"=AND({base},{band_check})"

    # -- totals and grade --------------------------------------------------------------------

    @staticmethod
    def total(parts: list[str]) -> str:
        return total_sum(parts)

    def grade(self, total: str, any_score: str) -> str:
        if self.dialect == "xlwings":
            return f'=IF(COUNT({any_score})=0,"",JX_GRADE({total},{RULES_NAME}))'
        bands = self.rules.grade_bands
        expression = f'"{bands[-1][0]}"'
        for name, bound in reversed(bands[:-1]):
            expression = f'IF({total}>={_n(bound)},"{name}",{expression})'
        return f'=IF(COUNT({any_score})=0,"",{expression})'
