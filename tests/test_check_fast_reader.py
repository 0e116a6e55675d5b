"""``jixiao check`` reads jixiao workbooks without openpyxl, and reads them exactly as openpyxl does.

jixiao workbooks go through :mod:`jixiao.workbook.xlsx`'s zip/regex parser (:class:`StoredBook`);
openpyxl remains the reader of everything else and the fallback for anything that parser does not
expect. Every test here reads the same file both ways and compares what comes out: the filled forms
and their findings, and beneath them each sheet's grid, names and the ``_jixiao`` notes.
"""

from __future__ import annotations

import datetime
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from filled_forms import fill_form, make_form
from jixiao.check.checks import check_form
from jixiao.check.read import REVIEW_TITLE, check_path, read_forms, read_stored
from jixiao.check.read_jixiao import jixiao_meta, names_for, stored_meta, stored_names_for
from jixiao.generate.layout import META_SHEET
from jixiao.recalc import recalc_file
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import FormKind
from jixiao.workbook import xlsx
from jixiao.workbook.sheets import SheetTooLarge, StoredBook, load_grid
from test_check_builders import insert_row_like_excel, legacy_workbook, seed003_unit

RUBRICS = builtin_rubrics()
DIALECTS = ("native", "xlwings")
FORM_SHEETS = ("填表说明", META_SHEET)


def _by_openpyxl(path: Path) -> tuple:
    # keep_grids: the review workbook needs the cells' styles, which only openpyxl reads.
    forms, result = read_forms(path, keep_grids=True)
    return forms, result.findings, result.notes, result.targets


def _by_zip(path: Path) -> tuple:
    stored = read_stored(path, str(path))
    assert stored is not None, f"{path.name} was not read by the zip/regex parser"
    forms, result = stored
    return forms, result.findings, result.notes, result.targets


def _grid_or_error(read: Callable[[], object]) -> object:
    try:
        return read()
    except SheetTooLarge as error:
        return f"SheetTooLarge: {error}"


def assert_read_alike(path: Path) -> list:
    """Both readers give the same forms, findings and notes; and, sheet by sheet, the same grid,
    names and meta. Returns the forms."""
    by_zip = _by_zip(path)
    assert by_zip == _by_openpyxl(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        with zipfile.ZipFile(path) as archive:
            book = StoredBook(archive)
            assert stored_meta(book) == jixiao_meta(workbook)
            sheets = list(book.worksheets())
            assert [part.name for _, part in sheets] == [ws.title for ws in workbook.worksheets]
            for (index, part), ws in zip(sheets, workbook.worksheets, strict=True):
                stored = _grid_or_error(lambda part=part: book.grid(part))
                assert stored == _grid_or_error(lambda ws=ws: load_grid(ws, archive))
                assert stored_names_for(book, index, part.name) == names_for(workbook, ws)
    finally:
        workbook.close()
    return by_zip[0]


def _rewrite(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the workbook with one part's XML changed (or dropped, when ``change`` gives b"")."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = change(data)
                if not data:
                    continue
            new.writestr(item, data)
    return target


def _form_sheet_part(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        book = StoredBook(archive)
        return next(part.path for _, part in book.worksheets() if part.name not in FORM_SHEETS)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def hubei(tmp_path_factory) -> Path:
    """A hubei-project form (two project sheets, sheet-scoped names) filled through its names."""
    folder = tmp_path_factory.mktemp("hubei")
    blank = make_form(RUBRICS["hubei-project"], "native", folder)
    return fill_form_copy(blank, folder / "filled.xlsx")


def fill_form_copy(blank: Path, out: Path, dialect: str = "native", variant: int = 1) -> Path:
    fill_form(blank, out, dialect, variant=variant)  # type: ignore[arg-type]
    return out


# -- every built-in rubric, both dialects ---------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("rubric", sorted(RUBRICS))
def test_every_rubric_reads_alike_blank_filled_and_with_inserted_rows(tmp_path, rubric, dialect):
    blank = make_form(RUBRICS[rubric], dialect, tmp_path)  # type: ignore[arg-type]
    filled = fill_form_copy(blank, tmp_path / "filled.xlsx", dialect)
    inserted = Path(shutil.copy(filled, tmp_path / "inserted.xlsx"))
    for title in [ws.title for ws in load_workbook(inserted).worksheets if ws.title not in FORM_SHEETS]:
        insert_row_like_excel(inserted, title, 12)  # inside the form
        insert_row_like_excel(inserted, title, 2)  # above the form
    assert_read_alike(blank)
    forms = assert_read_alike(filled)
    moved = assert_read_alike(inserted)
    if RUBRICS[rubric].kind is FormKind.TARGET:
        # Target forms are read into TargetForm records (alike by both readers, checked above).
        targets, shifted = _by_zip(filled)[3], _by_zip(inserted)[3]
        assert forms == [] and targets and len(shifted) == len(targets)
        assert [i.name for t in shifted for i in t.written] == [i.name for t in targets for i in t.written]
        return
    assert forms and len(moved) == len(forms)
    # The inserted rows moved every cell the forms point at, not what the forms say.
    assert [len(form.rows) for form in moved] == [len(form.rows) for form in forms]
    assert [row.name for form in moved for row in form.rows] == [
        row.name for form in forms for row in form.rows
    ]


def test_check_path_takes_the_zip_reader_and_finds_what_openpyxl_finds(hubei):
    forms, *_ = _by_openpyxl(hubei)
    expected = [finding for form in forms for finding in check_form(form)]
    result = check_path(hubei)
    assert result.findings == expected and len(result.forms) == len(forms) == 2


# -- values as openpyxl types them -----------------------------------------------------------------


def test_cached_results_of_formula_cells_are_read(hubei, tmp_path):
    """Saved by openpyxl, formula cells have no cached value (None); after ``jixiao recalc`` they do."""
    [before, _] = assert_read_alike(hubei)
    assert before.execution is not None and before.execution.reported is None
    computed = recalc_file(hubei, tmp_path / "computed.xlsx").output
    [after, _] = assert_read_alike(computed)
    assert after.execution is not None and isinstance(after.execution.reported, float)


def test_odd_values_read_as_openpyxl_reads_them(hubei, tmp_path):
    book = load_workbook(hubei)
    ws = next(ws for ws in book.worksheets if ws.title not in FORM_SHEETS)
    row = ws.max_row + 3  # below the form, within the rows a sheet is read to
    odd = {
        "A": datetime.datetime(2021, 3, 4, 5, 6),
        "B": datetime.date(2021, 3, 4),
        "C": True,
        "D": "第一行\r\n第二行\r",
        "E": "_x000D_ and x005F_ stay as written",
        "F": "   ",
        "G": 1.5e20,
        "H": "#DIV/0!",
        "I": datetime.time(12, 30),
        "J": datetime.timedelta(hours=30),
        "K": "<b> & \"引号\" '单引号'",
        "CD": "beyond the columns a form has",
    }
    for column, value in odd.items():
        ws[f"{column}{row}"] = value
    ws[f"A{row + 1}"], ws[f"B{row + 1}"], ws[f"C{row + 1}"] = 12, 0.5, 7
    ws[f"A{row + 1}"].number_format = "0.00%"
    ws[f"B{row + 1}"].number_format = "#,##0.000"
    ws[f"C{row + 1}"].number_format = "0.0"
    book.save(tmp_path / "odd.xlsx")
    assert_read_alike(tmp_path / "odd.xlsx")
    with zipfile.ZipFile(tmp_path / "odd.xlsx") as archive:
        stored = StoredBook(archive)
        grid = stored.grid(next(part for _, part in stored.worksheets() if part.name == ws.title))
    assert grid.values[(row, 1)] == odd["A"] and grid.values[(row, 4)] == "第一行\n第二行\n"
    assert grid.formats[(row + 1, 1)] == "0.00%" and (row, 6) not in grid.values
    book.epoch = CALENDAR_MAC_1904  # dates counted from 1904 (old Mac Excel)
    book.save(tmp_path / "mac.xlsx")
    assert_read_alike(tmp_path / "mac.xlsx")


def test_rich_inline_text_and_cells_without_r(hubei, tmp_path):
    part = _form_sheet_part(hubei)

    def rich(xml: bytes) -> bytes:
        return re.sub(
            rb"<is><t>([^<]*)</t></is>",
            rb'<is><r><rPr><b/></rPr><t xml:space="preserve">\1</t></r><rPh sb="0" eb="1"><t>ZH</t></rPh>'
            rb"<r><t>!</t></r></is>",
            xml,
            count=5,
        )

    assert_read_alike(_rewrite(hubei, tmp_path / "rich.xlsx", part, rich))

    def without_r(xml: bytes) -> bytes:  # from row 8 on, cells say nothing of their place
        cut = xml.index(b'<row r="8"')
        return xml[:cut] + re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml[cut:])

    assert_read_alike(_rewrite(hubei, tmp_path / "without_r.xlsx", part, without_r))


def test_cells_without_r_keep_their_places_in_the_shared_parser(hubei):
    """recalc's parser (lazy since check stops early) counts places from the first cell without r."""
    with zipfile.ZipFile(hubei) as archive:
        xml = archive.read(_form_sheet_part(hubei))
    cut = xml.index(b'<row r="8"')
    stripped = xml[:cut] + re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml[cut:])

    def places(data: bytes) -> list[tuple[int, int, bytes]]:
        _, start, end, _ = xlsx.sheet_sections(data)
        return [(row, col, m.group(6)) for row, col, m in xlsx.cell_matches(data, start, end)]

    assert places(stripped) == places(xml)


# -- bounds: the same sheets are too large, the same empty rows end a sheet ---------------------------


def _rows_xml(numbers) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in numbers)


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(lambda last: _rows_xml(range(last + 1, last + 5_100)), id="too-many-rows"),
        pytest.param(lambda last: _rows_xml([last + 2_001, last + 4_002, last + 6_004]), id="gap-limit"),
        pytest.param(lambda last: _rows_xml([*range(last + 1_000, 50_000, 1_500), 50_000]), id="scan-limit"),
        pytest.param(
            lambda last: _rows_xml([*range(last + 1_000, 50_000, 1_500), 50_001]), id="past-scan-limit"
        ),
        pytest.param(
            lambda last: _rows_xml([*range(last + 1_000, 50_000, 1_500), 49_999]), id="at-scan-limit"
        ),
        pytest.param(
            lambda last: _rows_xml([*range(last + 1_000, 48_500, 1_500), 48_700]) + b'<row r="50002"/>',
            id="scan-limit-empty-row",
        ),
        pytest.param(
            lambda last: _rows_xml([*range(last + 1_000, 48_500, 1_500), 48_700]), id="under-scan-limit"
        ),
    ],
)
def test_row_limits_are_openpyxls(hubei, tmp_path, extra):
    part = _form_sheet_part(hubei)
    with zipfile.ZipFile(hubei) as archive:
        last = xlsx.last_row(archive.read(part), 0, len(archive.read(part)))
    path = _rewrite(
        hubei,
        tmp_path / "long.xlsx",
        part,
        lambda xml: xml.replace(b"</sheetData>", extra(last) + b"</sheetData>"),
    )
    assert_read_alike(path)


# -- what the zip/regex parser leaves to openpyxl ---------------------------------------------------


def test_unexpected_files_fall_back_on_openpyxl(hubei, tmp_path):
    # A <sheet> without a relationship: openpyxl drops it, the zip/regex parser declines the file.
    odd = _rewrite(
        hubei,
        tmp_path / "odd.xlsx",
        "xl/workbook.xml",
        lambda xml: re.sub(rb"(<sheets>)", rb'\1<sheet name="lost" sheetId="99"/>', xml, count=1),
    )
    assert read_stored(odd, str(odd)) is None
    forms, result = read_forms(odd)
    assert forms and (forms, result.findings, result.notes, result.targets) == _by_openpyxl(odd)
    # Without a style sheet openpyxl cannot read the cells' formats: unreadable, as before.
    no_styles = _rewrite(hubei, tmp_path / "no_styles.xlsx", "xl/styles.xml", lambda xml: b"")
    assert read_stored(no_styles, str(no_styles)) is None
    assert check_path(no_styles).unreadable
    # A file openpyxl refuses by its name is refused as before.
    renamed = Path(shutil.copy(hubei, tmp_path / "filled.zip"))
    assert read_stored(renamed, str(renamed)) is None
    assert check_path(renamed).unreadable


def test_other_workbooks_are_left_to_openpyxl(hubei, tmp_path):
    legacy = legacy_workbook(tmp_path / "legacy.xlsx", {"自评表": seed003_unit})
    assert read_stored(legacy, str(legacy)) is None
    assert read_forms(legacy)[0]
    book = load_workbook(hubei)
    book.properties.title = REVIEW_TITLE
    book.save(tmp_path / "review.xlsx")
    assert read_stored(tmp_path / "review.xlsx", "review") is None
    assert "检查结果工作簿" in check_path(tmp_path / "review.xlsx").notes[0]


def test_workbooks_saved_by_libreoffice(calc, tmp_path):
    """LibreOffice writes shared strings, cached results and its own styles and names."""
    for rubric, dialect in (
        ("hubei-project", "native"),
        ("shanxi-unit-common", "native"),
        ("hubei-unit", "xlwings"),
    ):
        folder = tmp_path / f"{rubric}-{dialect}"
        blank = make_form(RUBRICS[rubric], dialect, folder)  # type: ignore[arg-type]
        filled = fill_form_copy(blank, folder / "filled.xlsx", dialect)
        saved = calc.save_as_xlsx(filled, folder / "saved.xlsx")
        forms = assert_read_alike(saved)
        assert forms and all(form.rubric == rubric for form in forms)
