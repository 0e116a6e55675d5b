"""Rubric definitions: forms described as data files under templates/."""

from jixiao.rubric.loader import (
    RubricError,
    builtin_rubrics,
    find_rubric,
    load_rubric,
    parse_rubric,
    rubric_files,
    templates_dir,
)
from jixiao.rubric.model import FormKind, Rubric

__all__ = [
    "FormKind",
    "Rubric",
    "RubricError",
    "builtin_rubrics",
    "find_rubric",
    "load_rubric",
    "parse_rubric",
    "rubric_files",
    "templates_dir",
]
