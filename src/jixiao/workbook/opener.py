"""The one way jixiao opens a user's file: bounded, without DTDs or entities, with one clear message.

Every command that reads a file a user gives it (``check``, ``recalc``, ``summary``, ``new
--projects``, ``new --from``, ``rubrics check``) opens it here, so a zip bomb, an XXE or
billion-laughs part, a damaged archive or a file of the wrong kind gets the same answer
everywhere: :class:`UnreadableFile`, whose message is one Chinese line naming the file and what is
wrong — never a traceback, never hours or gigabytes.

An .xlsx is a zip archive. Its central directory says how big each member becomes once
decompressed, and :mod:`zipfile` never produces more than that (it stops with a CRC error), so
checking the declared sizes and ratios bounds what reading can cost: a zip bomb is refused in
milliseconds, before anything is inflated. Then every XML part is streamed, in chunks, through
expat with a handler that refuses any document type declaration: a DTD (the carrier of XXE and
entity expansion) is found wherever it stands — after any amount of padding, in UTF-16 — and a
part that is not well-formed XML (random bytes, a truncated part) or fails its CRC is found before
any reader trusts it. Expat reads ~80 MB/s; a form's parts are a few hundred kilobytes.

openpyxl is then opened through :func:`load_workbook`, which refuses a full (not read-only) load of
more cells than it can build in seconds, and :func:`sheet_rows` bounds a streaming read. Text files
(CSV project lists, YAML rubrics) are decoded by :func:`read_text`: UTF-8 with or without BOM,
UTF-16 with or without BOM, GBK/GB18030, with a clear message for anything else.
"""

from __future__ import annotations

import codecs
import posixpath
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from defusedxml import ElementTree

__all__ = [
    "Archive",
    "UnreadableFile",
    "decode_text",
    "describe",
    "inspect_xlsx",
    "load_workbook",
    "quote",
    "read_text",
    "sheet_rows",
]

MAX_FILE_BYTES = 200 * 1024 * 1024  # on disk; a workbook of forms is a few megabytes
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all members, decompressed
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # one sheet (or any part), decompressed
MAX_RATIO = 200  # decompressed ÷ compressed, for members large enough to matter
RATIO_FLOOR = 1024 * 1024  # a tiny member may compress 1000:1 legitimately (runs of spaces)
MAX_MEMBERS = 10_000
# Cells openpyxl may build in a full (not read-only) load: it builds ~30,000 a second and ~0.5 KB
# each, so this keeps a load within seconds and ~150 MB. A jixiao form has about a thousand.
MAX_FULL_LOAD_CELLS = 250_000
# openpyxl's read-only mode streams a sheet, but one without a recorded used range (<dimension>)
# is parsed from end to end before the first row is given: bounded like a full load.
MAX_UNDIMENSIONED_CELLS = 100_000
MAX_TEXT_BYTES = 20 * 1024 * 1024  # a CSV project list or a YAML rubric
QUOTE_CHARS = 100  # of a cell's text, in a message
_CHUNK = 1 << 20

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CONTENT_TYPES = "[Content_Types].xml"
_ROOT_RELS = "_rels/.rels"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_STRICT_NS = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_R_ID = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_CELL_TAGS = (b"<c ", b":c ")  # a cell's start tag, bare or prefixed (x:c); <c> alone holds nothing
_MB = 1024 * 1024


class UnreadableFile(ValueError):
    """A file jixiao does not read. ``str()`` is one Chinese line: the file, then what is wrong."""

    def __init__(self, file: str | Path, reason: str):
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}：{reason}")


@dataclass
class Archive:
    """What inspecting an .xlsx found: its parts' sizes and where its workbook and sheets are."""

    path: Path
    sizes: dict[str, int] = field(default_factory=dict)  # part → bytes, decompressed
    cells: dict[str, int] = field(default_factory=dict)  # XML part → cell elements in it
    dimensioned: set[str] = field(default_factory=set)  # sheet parts that record their used range
    workbook: str = "xl/workbook.xml"
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name → its part

    @property
    def sheet_cells(self) -> int:
        return sum(self.cells.get(part, 0) for part in self.sheets.values())


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A cell's text as a message shows it: at most ``limit`` characters, on one line."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 字）"


def _label(path: Path, label: str | None) -> str:
    return label if label is not None else path.name


# -- .xlsx ------------------------------------------------------------------------------------


def inspect_xlsx(path: str | Path, *, label: str | None = None) -> Archive:
    """Raise :class:`UnreadableFile` unless ``path`` is an .xlsx that is safe to open.

    Refuses, in this order: what is not a file, an empty file, an old .xls or encrypted workbook,
    anything that is not a zip archive, a damaged archive, too many members, members that inflate
    beyond the size or ratio limits, a missing workbook or sheet part, and any XML part that
    declares a DTD, is not well-formed or fails its checksum.
    """
    file = Path(path)
    name = _label(file, label)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise UnreadableFile(name, "不是文件")
        with file.open("rb") as handle:
            magic = handle.read(8)
    except FileNotFoundError:
        raise UnreadableFile(name, "找不到文件") from None
    except OSError as error:
        raise UnreadableFile(name, f"无法打开文件（{error.strerror or error}）") from None
    if size == 0:
        raise UnreadableFile(name, "文件是空的（0 字节），不是 .xlsx 工作簿")
    if magic.startswith(_OLE):
        raise UnreadableFile(
            name, "是旧版 .xls 格式或加密的工作簿，无法读取；请在 Excel / WPS 中另存为 .xlsx（不加密）"
        )
    if not magic.startswith(b"PK"):
        raise UnreadableFile(name, "不是 .xlsx 工作簿（文件不是 zip 格式，可能已损坏或是其他类型的文件）")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            name, f"文件有 {size // _MB} MB，超过 {MAX_FILE_BYTES // _MB} MB 上限，已拒绝读取"
        )
    found = Archive(file)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            _check_members(name, members)
            found.sizes = {member.filename: member.file_size for member in members}
            for member in members:
                if member.filename.lower().endswith(_XML_SUFFIXES):
                    found.cells[member.filename], dimension = _scan_xml(name, archive, member)
                    if dimension:
                        found.dimensioned.add(member.filename)
            _find_parts(name, archive, found)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, OSError) as error:
        raise UnreadableFile(
            name, f"文件已损坏，无法作为 .xlsx 打开（zip 结构错误：{quote(error, 60)}）"
        ) from None
    return found


def _check_members(name: str, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile(name, f"压缩包内有 {len(members)} 个部件，远超正常工作簿，已拒绝读取")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UnreadableFile(name, "工作簿部件已加密，无法读取；请在 Excel / WPS 中取消加密后另存")
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES:
            raise UnreadableFile(
                name,
                f"部件 {quote(member.filename, 60)} 解压后 {member.file_size // _MB} MB，超过 "
                f"{MAX_MEMBER_BYTES // _MB} MB 上限（可能是压缩炸弹或超大表格），已拒绝读取",
            )
        if member.file_size >= RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnreadableFile(
                name,
                f"部件 {quote(member.filename, 60)} 压缩比超过 {MAX_RATIO}:1（可能是压缩炸弹），已拒绝读取",
            )
    if total > MAX_TOTAL_BYTES:
        raise UnreadableFile(
            name,
            f"解压后共 {total // _MB} MB，超过 {MAX_TOTAL_BYTES // _MB} MB 上限（可能是压缩炸弹），已拒绝读取",
        )


class _Declaration(Exception):
    """Raised from expat's handler the moment a document type declaration starts."""


def _refuse(*_args: object) -> None:
    raise _Declaration


def _scan_xml(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, bool]:
    """Stream one XML part through expat: refuse a DTD anywhere in it, malformed XML, a bad CRC.

    Returns how many cell elements the part holds (what a full openpyxl load would build) and
    whether a <dimension> comes before its cell data.
    """
    part = quote(member.filename, 60)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    cells = 0
    dimension: bool | None = None
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                if dimension is None:
                    # Before the cell data, where Excel writes it (a plain find: a regular
                    # expression here cost a third of the whole scan).
                    data_at = chunk.find(b"sheetData")
                    dimension = b"dimension" in (chunk if data_at < 0 else chunk[:data_at])
                cells += sum(chunk.count(tag) for tag in _CELL_TAGS)
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Declaration:
        raise UnreadableFile(
            name, f"部件 {part} 含有 XML 实体（DTD）声明，可能是恶意文件（XXE 或实体膨胀攻击），已拒绝读取"
        ) from None
    except expat.ExpatError as error:
        raise UnreadableFile(
            name, f"文件已损坏：部件 {part} 不是有效的 XML（第 {error.lineno} 行第 {error.offset + 1} 列）"
        ) from None
    except zipfile.BadZipFile as error:
        what = "校验失败（CRC 错误）" if "CRC" in str(error) else "的文件头已损坏"
        raise UnreadableFile(name, f"文件已损坏：部件 {part} {what}") from None
    except (zlib.error, EOFError):
        raise UnreadableFile(name, f"文件已损坏：部件 {part} 无法解压") from None
    return cells, bool(dimension)


def _parse(archive: zipfile.ZipFile, part: str) -> Any:
    # Already scanned: no DTD, well-formed. defusedxml all the same, in case a caller skips the scan.
    return ElementTree.fromstring(archive.read(part))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target part) of a part's relationships."""
    directory, base = posixpath.split(part)
    rels = posixpath.join(directory, "_rels", f"{base}.rels")
    if rels not in archive.NameToInfo:
        return {}
    found = {}
    for element in _parse(archive, rels).iter(_RELATIONSHIP):
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            continue
        resolved = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(directory, target))
        )
        found[element.get("Id", "")] = (element.get("Type", ""), resolved)
    return found


def _find_parts(name: str, archive: zipfile.ZipFile, found: Archive) -> None:
    names = archive.NameToInfo
    if _CONTENT_TYPES not in names and "xl/workbook.xml" not in names:
        raise UnreadableFile(name, "不是 Excel 工作簿（压缩包中没有 xl/workbook.xml）")
    workbook = next(
        (target for kind, target in _relationships(archive, "").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    if workbook not in names:
        raise UnreadableFile(name, f"文件已损坏：缺少工作簿部件 {quote(workbook, 60)}")
    found.workbook = workbook
    relationships = _relationships(archive, workbook)
    root = _parse(archive, workbook)
    sheets = [e for e in root.iter() if e.tag in (f"{_MAIN_NS}sheet", f"{_STRICT_NS}sheet")]
    if not sheets:
        raise UnreadableFile(name, "工作簿中没有工作表")
    for sheet in sheets:
        title = sheet.get("name", "")
        rid = next((sheet.get(key) for key in _R_ID if sheet.get(key)), "")
        if rid not in relationships:
            continue  # a <sheet> with no relationship names no part: every reader skips it
        kind, target = relationships[rid]
        if target not in names:  # the relationship is there, the part it names is gone
            raise UnreadableFile(
                name, f"文件已损坏：缺少工作表「{quote(title, 31)}」的部件 {quote(target, 60)}"
            )
        if kind.endswith("/worksheet"):
            found.sheets[title] = target


def load_workbook(
    path: str | Path,
    *,
    read_only: bool = True,
    data_only: bool = True,
    label: str | None = None,
    max_cells: int = MAX_FULL_LOAD_CELLS,
    inspected: Archive | None = None,
) -> Any:
    """openpyxl's workbook of an inspected file; :class:`UnreadableFile` for anything wrong with it.

    A full load (``read_only=False``, for defined names and merged ranges) builds every cell, so it
    is refused for a workbook of more than ``max_cells`` cells; read-only workbooks are streamed —
    read their rows with :func:`sheet_rows`. ``inspected``: what :func:`inspect_xlsx` found, when
    the caller has inspected the file already.
    """
    file = Path(path)
    name = _label(file, label)
    found = inspected if inspected is not None else inspect_xlsx(file, label=name)
    if not read_only and found.sheet_cells > max_cells:
        raise UnreadableFile(
            name,
            f"工作表共有约 {found.sheet_cells} 个单元格，超过 {max_cells} 个的上限，不像 jixiao 的表格，已拒绝读取",
        )
    for title, part in found.sheets.items():
        cells = found.cells.get(part, 0)
        if read_only and part not in found.dimensioned and cells > MAX_UNDIMENSIONED_CELLS:
            raise UnreadableFile(
                name,
                f"工作表「{quote(title, 31)}」有约 {cells} 个单元格，且没有记录使用范围，读取会非常慢，"
                "已拒绝读取；请在 Excel / WPS 中打开后另存",
            )
    from openpyxl import load_workbook as openpyxl_load

    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it would drop on saving; nothing is saved from here.
            warnings.simplefilter("ignore")
            return openpyxl_load(file, read_only=read_only, data_only=data_only, keep_links=False)
    except Exception as error:  # openpyxl's errors are many and undocumented: each says the file is bad
        raise UnreadableFile(name, describe(error)) from None


def sheet_rows(
    sheet: Any, *, label: str, max_rows: int, max_cols: int, what: str = "表格"
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values of the first ``max_cols`` columns) of a sheet, streamed.

    Raises :class:`UnreadableFile` past ``max_rows`` rows with content (a sheet that long is not
    what the caller reads) and for a sheet openpyxl cannot parse.
    """
    content = 0
    try:
        for number, values in enumerate(sheet.iter_rows(max_col=max_cols, values_only=True), start=1):
            if any(value is not None and value != "" for value in values):
                content += 1
                if content > max_rows:
                    raise UnreadableFile(
                        label,
                        f"工作表「{quote(sheet.title, 31)}」超过 {max_rows} 行，不像一份{what}，已拒绝读取",
                    )
            yield number, values
    except UnreadableFile:
        raise
    except Exception as error:  # a sheet the scan let through but openpyxl cannot read
        raise UnreadableFile(label, describe(error)) from None


_ENTITY_ERRORS = ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError")


def describe(error: BaseException) -> str:
    """Why reading a workbook failed, in words for the user (the exception type kept for the curious)."""
    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and cause not in chain:  # openpyxl wraps the parser's error
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(type(e).__name__ in _ENTITY_ERRORS for e in chain):
        return "文件中含有 XML 实体或外部引用声明（可能是恶意文件，如 XXE 攻击），已拒绝读取"
    kind = type(error).__name__
    if isinstance(error, MemoryError):
        return "读取时内存超过上限，已跳过（文件异常庞大）"
    if isinstance(error, UnreadableFile):
        return error.reason
    if kind in ("ParseError", "XMLSyntaxError"):
        return f"文件中的 XML 结构错误，文件可能已损坏（{quote(error, 60)}）"
    if isinstance(error, (KeyError, zipfile.BadZipFile, EOFError, zlib.error)):
        return f"文件已损坏或缺少必要部件（{kind}: {quote(error, 60)}）"
    return f"读取失败，文件可能已损坏（{kind}: {quote(error, 60)}）"


# -- text -------------------------------------------------------------------------------------


def read_text(path: str | Path, *, label: str | None = None, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """A text file (CSV, YAML) as str, whatever encoding a Chinese office writes it in."""
    file = Path(path)
    name = _label(file, label)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise UnreadableFile(name, "不是文件")
        if size > max_bytes:
            raise UnreadableFile(
                name, f"文件有 {size / _MB:.0f} MB，超过 {max_bytes // _MB} MB 上限，已拒绝读取"
            )
        data = file.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(name, "找不到文件") from None
    except OSError as error:
        raise UnreadableFile(name, f"无法读取（{error.strerror or error}）") from None
    return decode_text(data, name)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = frozenset(chr(n) for n in range(32)) - {"\t", "\n", "\r", "\f"}


def decode_text(data: bytes, label: str) -> str:
    """Bytes → text: a BOM decides (UTF-8, UTF-16 LE/BE); without one, UTF-16 is recognised by its
    zero bytes, then UTF-8, then GB18030 (the superset of the GBK that Chinese Excel and Notepad
    write as "ANSI"). Binary data and UTF-16 with an odd number of bytes get a clear message."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        data = data[len(next(bom for bom, name in _BOMS if name == encoding)) :]
    else:
        encoding = _utf16_without_bom(data)
    if encoding is not None and encoding.startswith("utf-16") and len(data) % 2:
        raise UnreadableFile(
            label, f"是 UTF-16 编码，但字节数为奇数（{len(data)}），文件不完整（可能被截断）；请重新导出"
        )
    if encoding is None and b"\0" in data:
        raise UnreadableFile(label, "不是文本文件（含有二进制数据）")
    candidates = [encoding] if encoding is not None else ["utf-8", "gb18030"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if any(char in _CONTROL for char in text):
            raise UnreadableFile(label, "不是文本文件（含有控制字符或二进制数据）")
        return text
    raise UnreadableFile(
        label, "无法识别文件编码（不是 UTF-8、UTF-16 或 GBK），可能不是文本文件；请另存为「UTF-8」编码"
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 LE or BE when most ASCII characters come with a zero byte on one side."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    # UTF-8 and GBK text has no zero bytes at all; UTF-16 has one beside every ASCII character (the
    # commas, digits and line ends of a CSV), and only rarely beside a Chinese one (U+4E00 …).
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd > pairs * 0.1 and even * 4 < odd:
        return "utf-16-le"
    if even > pairs * 0.1 and odd * 4 < even:
        return "utf-16-be"
    return None
