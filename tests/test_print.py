"""Printed forms: every project-level form, generated blank with its rubric's defaults, prints on one
A4 landscape page; with more rows it goes on to more pages with the header row repeated.

Pages are counted in the PDF LibreOffice exports; a page belongs to the form unless it is the
填表说明 sheet's (the only sheet whose text holds 「填表说明」).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from jixiao.generate.api import Request, generate
from jixiao.generate.formulas import DIALECTS
from jixiao.generate.layout import ProjectInfo
from jixiao.libreoffice import PDF_FILTER
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import RowTemplate

PROJECT_FORMS = [
    "target-project",
    "target-project-2021",
    "national-project",
    "hubei-project",
    "sichuan-project",
]


def _pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    return [
        subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for page in range(1, count + 1)
    ]


def _form_pages(calc, path: Path) -> list[str]:
    pdf = calc.convert(path, path.with_suffix(".pdf"), PDF_FILTER)
    return [text for text in _pages(pdf) if "填表说明" not in text]


@pytest.mark.libreoffice
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", PROJECT_FORMS)
def test_blank_project_form_prints_on_one_page(calc, tmp_path, name, dialect):
    [path] = generate(Request(builtin_rubrics()[name], 2027, "某某单位", dialect=dialect), tmp_path)
    pages = _form_pages(calc, path)
    assert len(pages) == 1, f"{name} ({dialect}) prints on {len(pages)} pages"
    # The whole form is on that page: its title and its last row.
    assert "一级指标" in pages[0]


@pytest.mark.libreoffice
def test_long_form_repeats_the_header_row(calc, tmp_path):
    # 40 indicator rows (4 per 二级 of the 9, plus 4 outside the tree) cannot fit one page.
    rubric = builtin_rubrics()["national-project"]
    rows = tuple(
        RowTemplate(level1=level1.name, level2=level2, level3=f"指标{index}")
        for level1 in rubric.indicators.tree
        for level2 in level1.level2
        for index in range(4)
    )
    project = ProjectInfo(name="长表项目", rows=rows)
    [path] = generate(Request(rubric, 2027, "某某单位", projects=(project,), dialect="native"), tmp_path)
    pages = _form_pages(calc, path)
    assert len(pages) >= 2
    # Every page carries the indicator header (print titles); the totals are on the last page.
    assert all("三级指标" in page for page in pages)
    assert "总分" in pages[-1] and "总分" not in pages[0]


@pytest.mark.parametrize("name", PROJECT_FORMS)
def test_print_setup(tmp_path, name):
    [path] = generate(Request(builtin_rubrics()[name], 2027, "某某单位"), tmp_path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    setup = ws.page_setup
    # One page wide (XlsxWriter leaves out fitToWidth's default of 1), as many pages down as needed.
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    # Black on white: the fills are for the screen only.
    assert setup.blackAndWhite
    # Page numbers per form: each sheet starts at page 1, and the footer names the sheet.
    assert setup.useFirstPageNumber and (setup.firstPageNumber or 1) == 1  # 1 is the default
    assert ws.oddFooter.center.text == "&A　第 &P 页，共 &N 页"
    assert ws.print_title_rows  # the indicator header row repeats on every page


# -- adding rows: the spare rows ---------------------------------------------------------------------

TYPED_COLUMNS = (
    *("指标_一级", "指标_二级", "指标_三级", "指标_性质", "指标_目标值"),
    *("指标_单位", "指标_实际值", "指标_分值", "指标_得分"),
)


@pytest.mark.libreoffice
@pytest.mark.parametrize("dialect", ["native"])
def test_spare_rows_score_once_unhidden_and_filled(calc, tmp_path, dialect):
    """The hidden rows at the end of the table carry every formula: a row typed into one of them is
    scored and counted in the totals (LibreOffice hard recalc), no formula to copy by hand."""
    rubric = builtin_rubrics()["national-project"]
    [path] = generate(Request(rubric, 2027, "某某单位", dialect=dialect), tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    hidden = [r for r in range(1, ws.max_row + 1) if ws.row_dimensions[r].hidden]
    assert len(hidden) == rubric.indicators.spare_rows == 10
    # Unhiding is a row format: allowed by the sheet protection (formatRows not protected).
    assert ws.protection.sheet and not ws.protection.formatRows
    # The column letter of each named indicator column (national native: all single letters).
    columns = {
        name: next(iter(book.defined_names[name].destinations))[1].replace("$", "")[0]
        for name in TYPED_COLUMNS
    }
    r = hidden[0]
    sheet = "'" + ws.title + "'"
    typed = {
        "指标_一级": "产出指标",
        "指标_二级": "数量指标",
        "指标_三级": "新增培训场次",
        "指标_性质": "≥",
        "指标_目标值": 100,
        "指标_单位": "%",
        "指标_实际值": 95,
        "指标_分值": 10,
    }
    inputs = {f"{sheet}!{columns[name]}{r}": value for name, value in typed.items()}
    values = calc.recalc(
        path, inputs=inputs, read=[f"{sheet}!{columns['指标_得分']}{r}", "指标_得分合计", "总分"]
    )
    # 10 × 95 ÷ 100 = 9.5; the only score on the form, so the subtotal and the total are 9.5 too.
    assert values[f"{sheet}!{columns['指标_得分']}{r}"] == 9.5
    assert values["指标_得分合计"] == 9.5
    assert values["总分"] == 9.5
