"""Checking filled forms (``jixiao check``): read, recompute by the rules, report differences.

The pure part — :mod:`findings`, :mod:`forms`, :mod:`checks` — never touches a file; the readers
(:mod:`read_jixiao`, :mod:`read_legacy`, over :mod:`sheets`), :mod:`batch`, :mod:`report`,
:mod:`review` and :mod:`cli` are the edges.
"""

from jixiao.check.checks import FormSummary, check_form, summarize
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.forms import FilledForm

__all__ = ["FilledForm", "Finding", "FindingKind", "FormSummary", "check_form", "summarize"]
