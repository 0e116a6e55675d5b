"""The template generator: rubric → layout → workbook.

This module is the generator's public API: other features (``jixiao summary`` writes a unit's form
with it) import from here, never from the submodules. Everything is loaded on first use, so that
``import jixiao.generate`` does not bring in jinja2, pydantic and XlsxWriter before they are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.generate.api import Request, contexts_for, generate, output_name
    from jixiao.generate.formulas import Dialect
    from jixiao.generate.layout import FormContext, ProjectInfo

__all__ = ["Dialect", "FormContext", "ProjectInfo", "Request", "contexts_for", "generate", "output_name"]


def __getattr__(name: str) -> Any:
    if name in ("Request", "contexts_for", "generate", "output_name"):
        from jixiao.generate import api

        return getattr(api, name)
    if name in ("FormContext", "ProjectInfo"):
        from jixiao.generate import layout

        return getattr(layout, name)
    if name == "Dialect":
        from jixiao.generate import formulas

        return formulas.Dialect
    raise AttributeError(f"module 'jixiao.generate' has no attribute {name!r}")
