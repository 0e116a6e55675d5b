"""Checking filled forms (``jixiao check``): read, recompute by the rules, report differences.

The pure part — :mod:`findings`, :mod:`forms`, :mod:`checks` — never touches a file; the readers
(:mod:`read_jixiao`, :mod:`legacy`, over :mod:`jixiao.workbook.sheets`), :mod:`batch`,
:mod:`report`, :mod:`review` and :mod:`cli` are the edges.

This module is the checker's public API: other features (``jixiao summary``) import from here,
never from the submodules. The readers are loaded on first use (they bring openpyxl and the rubric
models), so importing the pure part stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jixiao.check.checks import FormSummary, check_form, summarize
from jixiao.check.duplicates import FormIdentity, duplicate_note, find_duplicates, identity_of, where
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.forms import FilledForm, GroupKind, Row

if TYPE_CHECKING:
    from jixiao.check.read import describe_error, read_forms

__all__ = [
    "FilledForm",
    "Finding",
    "FindingKind",
    "FormIdentity",
    "FormSummary",
    "GroupKind",
    "Row",
    "check_form",
    "describe_error",
    "duplicate_note",
    "find_duplicates",
    "identity_of",
    "read_forms",
    "summarize",
    "where",
]


def __getattr__(name: str) -> Any:
    if name in ("describe_error", "read_forms"):
        from jixiao.check import read

        return getattr(read, name)
    raise AttributeError(f"module 'jixiao.check' has no attribute {name!r}")
