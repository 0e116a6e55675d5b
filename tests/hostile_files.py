"""Builders of the hostile and odd files every command that reads a file must survive (issue 9).

Each builder writes one file into a folder and returns its path. Workbooks are written by hand
(a handful of zip parts) or derived from a workbook jixiao generated, so the damage is exactly
the one named: a DTD in one part, one member's bytes flipped, one part missing. The big ones (a
zip bomb, a million rows) are written as raw XML streams, in about a second.
"""

from __future__ import annotations

import codecs
import random
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

# The parts of a jixiao workbook a DTD is put into (sheet1 is the form sheet).
XML_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
)
SHEET_PART = "xl/worksheets/sheet1.xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PADDING = 8 * 1024  # more than the 4 KB the old check looked at

XXE_DTD = '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
XXE_USE = "&xxe;"
LAUGHS_DTD = (
    '<!DOCTYPE {root} [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)
LAUGHS_USE = "&lol9;"

# -- workbooks written part by part -----------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{ns}">{dimension}<sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook_xml(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def column_letters(index: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_xml(row: int, col: int, value: object) -> str:
    ref = f"{column_letters(col)}{row}"
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: Iterable[Iterable[object]], start: int = 1) -> Iterator[str]:
    for number, values in enumerate(rows, start=start):
        cells = "".join(cell_xml(number, col, value) for col, value in enumerate(values, start=1))
        yield f'<row r="{number}">{cells}</row>'


def sheet_workbook(
    path: Path, rows: Iterable[str | bytes], sheet: str = "Sheet1", dimension: str | None = None
) -> Path:
    """A one-sheet .xlsx whose <sheetData> is the given row XML, streamed into the zip; ``dimension``
    is the used range Excel records (A1:C9), left out when None as some writers do."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook_xml(sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open(SHEET_PART, "w", force_zip64=True) as member:
            recorded = f'<dimension ref="{dimension}"/>' if dimension else ""
            member.write(_SHEET_HEAD.format(ns=_MAIN, dimension=recorded).encode())
            batch: list[bytes] = []
            for row in rows:
                batch.append(row.encode() if isinstance(row, str) else row)
                if len(batch) >= 10_000:
                    member.write(b"".join(batch))
                    batch.clear()
            member.write(b"".join(batch))
            member.write(_SHEET_TAIL.encode())
    return path


PROJECT_HEADER = ("项目名称", "项目编码", "预算数", "绩效目标")
PROJECT_ROWS = (
    ("办公楼维修改造", "42010001", 120.5, "完成办公楼屋面防水维修"),
    ("信息系统运维", "42010002", 35, ""),
)


def project_list_xlsx(path: Path, rows: Iterable[Iterable[object]] = PROJECT_ROWS) -> Path:
    """A small, valid project list (项目清单) workbook."""
    return sheet_workbook(path, rows_xml([PROJECT_HEADER, *rows]), sheet="项目清单")


def million_rows(path: Path, count: int = 1_000_000, *, dimension: bool = True) -> Path:
    """A sheet 数据 headed 项目名称 over ``count`` numbered rows (~35 MB of XML: under the size
    limits, so whatever reads the sheet has to bound its own reading). Without its recorded
    dimension, openpyxl's read-only mode parses the whole sheet before giving the first row."""

    def body() -> Iterator[bytes]:
        yield next(rows_xml([PROJECT_HEADER[:1]])).encode()
        for n in range(2, count + 2):
            yield f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'.encode()

    return sheet_workbook(path, body(), sheet="数据", dimension=f"A1:A{count + 1}" if dimension else None)


def wide_sheet(path: Path, columns: int = 16_384) -> Path:
    """A project list whose header and one data row fill every column Excel has (A … XFD)."""
    header = [*PROJECT_HEADER, *(f"备注{n}" for n in range(len(PROJECT_HEADER) + 1, columns + 1))]
    data = [*PROJECT_ROWS[0], *range(len(PROJECT_ROWS[0]) + 1, columns + 1)]
    return sheet_workbook(path, rows_xml([header, data]), sheet="项目清单")


BIG_CELL_BYTES = 1024 * 1024


def big_text(size: int = BIG_CELL_BYTES) -> str:
    """``size`` bytes of UTF-8 Chinese text that does not repeat (so it compresses as text does, ~2:1)."""
    rng = random.Random(11)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(size // 3))


def big_cell_list(path: Path) -> Path:
    """A valid project list whose 绩效目标 cell holds 1 MB of text (more than Excel lets one type)."""
    return project_list_xlsx(path, [(PROJECT_ROWS[0][0], PROJECT_ROWS[0][1], 120.5, big_text())])


# -- derived from a real workbook -------------------------------------------------------------------


def rewrite(
    source: Path,
    target: Path,
    parts: Mapping[str, bytes | None] = {},
    *,
    stored: Iterable[str] = (),
) -> Path:
    """Copy an .xlsx with some parts replaced (bytes) or left out (None); ``stored`` parts uncompressed."""
    keep_stored = set(stored)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename in parts and parts[item.filename] is None:
                continue
            data = parts.get(item.filename) or old.read(item.filename)
            method = zipfile.ZIP_STORED if item.filename in keep_stored else zipfile.ZIP_DEFLATED
            new.writestr(item.filename, data, compress_type=method)
    return target


def part_of(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part)


_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_ROOT = re.compile(rb"<([\w:]+)")


def with_dtd(xml: bytes, dtd: str, use: str, padding: int = 0) -> bytes:
    """The part with ``dtd`` before its root element (after ``padding`` bytes of comment), and the
    entity used in the first <t> element where the part has one (shared strings, inline text)."""
    declaration = _DECLARATION.match(xml)
    head = declaration.group(0) if declaration else b""
    body = xml[len(head) :]
    root = _ROOT.search(body)
    assert root is not None, "no root element"
    filler = b"<!--" + b"x" * padding + b"-->\n" if padding else b""
    body = (
        body[: root.start()]
        + filler
        + dtd.format(root=root.group(1).decode()).encode()
        + body[root.start() :]
    )
    body = re.sub(rb"<t>[^<]*</t>", f"<t>{use}</t>".encode(), body, count=1)
    return head + body


def entity_workbook(source: Path, target: Path, part: str, kind: str, padding: int = 0) -> Path:
    """``source`` with an XXE (``kind`` "xxe") or billion-laughs ("laughs") DTD in ``part``."""
    dtd, use = (XXE_DTD, XXE_USE) if kind == "xxe" else (LAUGHS_DTD, LAUGHS_USE)
    return rewrite(source, target, {part: with_dtd(part_of(source, part), dtd, use, padding)})


def zip_bomb(source: Path, target: Path, inflated: int = 400 << 20) -> Path:
    """``source`` whose form sheet inflates to ``inflated`` bytes: whitespace inside <sheetData>
    (well-formed XML, so a parser that is let in reads all of it), ~1000:1 on disk."""
    xml = part_of(source, SHEET_PART)
    cut = xml.index(b"<sheetData>") + len(b"<sheetData>")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != SHEET_PART:
                new.writestr(item.filename, old.read(item.filename))
                continue
            with new.open(SHEET_PART, "w", force_zip64=True) as member:
                member.write(xml[:cut])
                spaces = b" " * (1 << 20)
                for _ in range(inflated >> 20):
                    member.write(spaces)
                member.write(xml[cut:])
    return target


def ratio_bomb(path: Path) -> Path:
    """Below every size limit (40 MB) but inflating 1000:1."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(SHEET_PART, b" " * (40 << 20))
    return path


def zeros_bomb(path: Path) -> Path:
    """400 KB on disk, a 400 MB member of zero bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(SHEET_PART, "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(400):
                member.write(zeros)
    return path


def random_sheet(source: Path, target: Path) -> Path:
    """The form sheet's part replaced by random bytes (the same bytes every run)."""
    return rewrite(source, target, {SHEET_PART: random.Random(9).randbytes(20_000)})


def missing_part(source: Path, target: Path, part: str) -> Path:
    return rewrite(source, target, {part: None})


def bad_crc(source: Path, target: Path) -> Path:
    """The form sheet stored uncompressed with one byte changed after it was written: it inflates
    fine but its CRC-32 no longer matches."""
    rewrite(source, target, stored=[SHEET_PART])
    data = bytearray(target.read_bytes())
    at = data.index(b"<sheetData>")
    data[at + 1] = ord("S")  # <SheetData>: the same length, another checksum
    target.write_bytes(bytes(data))
    return target


def bad_deflate(source: Path, target: Path) -> Path:
    """The compressed bytes of the form sheet overwritten in the middle: inflating fails."""
    rewrite(source, target)
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo(SHEET_PART)
    data = bytearray(target.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = random.Random(3).randbytes(64)
    target.write_bytes(bytes(data))
    return target


def bad_local_header(source: Path, target: Path) -> Path:
    """The form sheet's local file header signature damaged (the central directory still lists it)."""
    rewrite(source, target)
    with zipfile.ZipFile(target) as archive:
        offset = archive.getinfo(SHEET_PART).header_offset
    data = bytearray(target.read_bytes())
    data[offset : offset + 4] = b"PK\x00\x00"
    target.write_bytes(bytes(data))
    return target


def truncated(source: Path, target: Path) -> Path:
    """The last half of the file gone (a download cut short): no central directory."""
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def corrupt_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    return path


def zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def xls_renamed(path: Path) -> Path:
    """An old binary .xls (an OLE compound file) saved under a name ending in .xlsx."""
    path.write_bytes(OLE_MAGIC + b"\0" * 512)
    return path


# -- text files -------------------------------------------------------------------------------------

CSV_TEXT = "项目名称,项目编码,预算数,绩效目标\r\n办公楼维修改造,42010001,120.5,完成办公楼屋面防水维修\r\n信息系统运维,42010002,35,\r\n"


def text_file(path: Path, text: str, encoding: str, bom: bytes = b"", extra: bytes = b"") -> Path:
    path.write_bytes(bom + text.encode(encoding) + extra)
    return path


CSV_KINDS: dict[str, Callable[[Path], Path]] = {
    "utf8": lambda p: text_file(p, CSV_TEXT, "utf-8"),
    "utf8-bom": lambda p: text_file(p, CSV_TEXT, "utf-8", codecs.BOM_UTF8),
    "gbk": lambda p: text_file(p, CSV_TEXT, "gbk"),
    "utf16-bom": lambda p: text_file(p, CSV_TEXT, "utf-16-le", codecs.BOM_UTF16_LE),
    "utf16be-bom": lambda p: text_file(p, CSV_TEXT, "utf-16-be", codecs.BOM_UTF16_BE),
    "utf16-no-bom": lambda p: text_file(p, CSV_TEXT, "utf-16-le"),
}


def csv_odd_utf16(path: Path) -> Path:
    """UTF-16 with a BOM and one byte more (a file cut short): cannot be UTF-16 text."""
    return text_file(path, CSV_TEXT, "utf-16-le", codecs.BOM_UTF16_LE, extra=b"\x41")


def binary_garbage(path: Path, size: int = 4096) -> Path:
    path.write_bytes(random.Random(5).randbytes(size))
    return path


def million_row_csv(path: Path, count: int = 1_000_000) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("项目名称,预算数\r\n")
        handle.writelines(f"项目{n},{n}\r\n" for n in range(count))
    return path


# -- rubric files (YAML) ----------------------------------------------------------------------------

LAUGHS_YAML = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [{','.join(['*' + chr(ord('a') + n - 1)] * 9)}]\n"
        for n in range(1, 9)
    )
    + "name: i\ntitle: t\nkind: self\nblocks: *i\n"
)


def laughs_yaml(path: Path) -> Path:
    """Billion laughs in YAML: nine levels of aliases, each nine times the one before (9^9 leaves)."""
    path.write_text(LAUGHS_YAML, encoding="utf-8")
    return path


def huge_yaml(path: Path, size: int = 64 << 20) -> Path:
    """A 64 MB "rubric": one valid mapping with a long list, far beyond any form's definition."""
    line = b"  - \xe9\xa1\xb9\xe7\x9b\xae\xe5\x90\x8d\xe7\xa7\xb0\n"  # "  - 项目名称"
    with path.open("wb") as handle:
        handle.write(b"name: huge\ntitle: huge\nkind: self\nblocks:\n")
        handle.write(line * (size // len(line)))
    return path


def gbk_rubric(source: Path, path: Path) -> Path:
    """A valid rubric file saved in GBK (Windows Notepad's "ANSI" on a Chinese system)."""
    text = source.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    return path
