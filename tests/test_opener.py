"""The safe opener on its own: what it refuses and why, what text it decodes, how it quotes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import hostile_files as hf
from jixiao.workbook.opener import UnreadableFile, decode_text, inspect_xlsx, load_workbook, quote, read_text


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return hf.project_list_xlsx(tmp_path_factory.mktemp("plain") / "清单.xlsx")


def test_a_plain_workbook_is_inspected_and_mapped(plain):
    found = inspect_xlsx(plain)
    assert found.workbook == "xl/workbook.xml"
    assert found.sheets == {"项目清单": hf.SHEET_PART}
    # 3 rows × 4 columns (the second project's empty 绩效目标 is written as an empty string).
    assert found.sheet_cells == 12
    assert hf.SHEET_PART not in found.dimensioned  # the builder leaves <dimension> out


def test_message_names_the_file_and_the_part(plain, tmp_path):
    xml = hf.part_of(plain, hf.SHEET_PART)
    # Padding beyond anything a peek at the head of a part would see: 64 KB of comment.
    hostile = hf.rewrite(
        plain, tmp_path / "x.xlsx", {hf.SHEET_PART: hf.with_dtd(xml, hf.XXE_DTD, "", 64 * 1024)}
    )
    with pytest.raises(UnreadableFile) as caught:
        inspect_xlsx(hostile, label="某人的表.xlsx")
    assert caught.value.file == "某人的表.xlsx"
    assert str(caught.value).startswith("某人的表.xlsx：部件 xl/worksheets/sheet1.xml 含有 XML 实体")
    assert "\n" not in str(caught.value)


def test_a_dtd_in_utf16_is_found(plain, tmp_path):
    """A part may be UTF-16 (XML allows it); a byte search for "<!DOCTYPE" would not see the DTD."""
    xml = (
        hf.part_of(plain, "xl/workbook.xml").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    )
    utf16 = hf.with_dtd(xml.encode("utf-8"), hf.XXE_DTD, "", 0).decode("utf-8").encode("utf-16")
    assert b"<!DOCTYPE" not in utf16
    hostile = hf.rewrite(plain, tmp_path / "u.xlsx", {"xl/workbook.xml": utf16})
    with pytest.raises(UnreadableFile, match="DTD"):
        inspect_xlsx(hostile)


def test_a_full_load_is_bounded_by_cells(plain):
    with pytest.raises(UnreadableFile, match="约 12 个单元格"):
        load_workbook(plain, read_only=False, max_cells=10)
    assert load_workbook(plain, read_only=True).sheetnames == ["项目清单"]


def test_a_chartsheet_or_other_sheet_kind_is_not_a_worksheet(plain, tmp_path):
    with zipfile.ZipFile(plain) as archive:
        rels = archive.read("xl/_rels/workbook.xml.rels").replace(b"/worksheet", b"/chartsheet")
    odd = hf.rewrite(plain, tmp_path / "c.xlsx", {"xl/_rels/workbook.xml.rels": rels})
    assert inspect_xlsx(odd).sheets == {}


@pytest.mark.parametrize("kind", sorted(hf.CSV_KINDS))
def test_every_encoding_an_office_writes_is_decoded(tmp_path, kind):
    assert read_text(hf.CSV_KINDS[kind](tmp_path / "list.csv")) == hf.CSV_TEXT


def test_utf16_with_an_odd_byte_count(tmp_path):
    with pytest.raises(UnreadableFile, match="奇数（155）"):
        # after the BOM: 77 characters × 2 bytes + the stray byte = 155
        read_text(hf.csv_odd_utf16(tmp_path / "odd.csv"))
    with pytest.raises(UnreadableFile, match="奇数"):
        decode_text("项目名称,预算数\r\n".encode("utf-16-le") + b"A", "x.csv")


def test_binary_data_is_not_text(tmp_path):
    with pytest.raises(UnreadableFile, match="不是文本文件"):
        read_text(hf.binary_garbage(tmp_path / "g.csv"))
    with pytest.raises(UnreadableFile, match="不是文本文件"):
        decode_text(b"\x01\x02abc", "g.csv")  # no zero byte, but control characters


def test_a_text_file_too_big_is_refused_unread(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(UnreadableFile, match="上限"):
        read_text(path, max_bytes=1024)


def test_quote_keeps_a_message_to_one_short_line():
    assert quote("  一级\n指标 ") == "一级 指标"
    long = "维" * 1_000_000
    shown = quote(long)
    assert shown == "维" * 100 + "…（共 1000000 字）"
    assert quote("x" * 100) == "x" * 100
