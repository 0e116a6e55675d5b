"""The writer's fast cell path writes exactly what XlsxWriter's own path writes.

jixiao.generate.writer writes formatted blank and string cells straight into the sheet XML (three
cells in four of a form); every part of the package must be byte-for-byte what XlsxWriter's generic
``Worksheet._write_cell`` produces, for every built-in rubric in both formula dialects.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from xlsxwriter.worksheet import Worksheet

from jixiao.generate import writer
from jixiao.generate.layout import FormContext, ProjectInfo, layout_workbook
from jixiao.rubric import builtin_rubrics

PROJECTS = (
    ProjectInfo(name="项目甲", code="420100-1", budget=120.5),
    ProjectInfo(name="<&\"'> 项目乙", code="420100-2", budget=80.0),  # characters XML must escape
)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        # core.xml holds the creation time, which differs between any two writes.
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}


@pytest.mark.parametrize("dialect", ["xlwings", "native"])
@pytest.mark.parametrize("rubric_name", sorted(builtin_rubrics()))
def test_fast_cell_path_writes_what_xlsxwriter_writes(rubric_name, dialect, tmp_path, monkeypatch):
    rubric = builtin_rubrics()[rubric_name]
    contexts = [FormContext(2027, "某某单位", project=project) for project in PROJECTS]
    if rubric.scope == "unit":
        contexts = [FormContext(2027, "某某单位", goals=PROJECTS)]
    layout = layout_workbook(rubric, contexts, dialect)
    fast = writer.write_workbook(layout, tmp_path / "fast.xlsx")
    monkeypatch.setattr(writer._FormWorksheet, "_write_cell", Worksheet._write_cell)
    generic = writer.write_workbook(layout, tmp_path / "generic.xlsx")

    fast_parts, generic_parts = _parts(fast), _parts(generic)
    assert list(fast_parts) == list(generic_parts)
    for name, content in generic_parts.items():
        assert fast_parts[name] == content, name
    # The comparison covered what the fast path writes: formatted blanks and shared strings.
    sheet = generic_parts["xl/worksheets/sheet1.xml"].decode()
    assert '" s="' in sheet and 't="s"><v>' in sheet and "/>" in sheet
