"""Refusing hostile or broken files before any XML is parsed.

An .xlsx is a zip archive. Its central directory says how big each member becomes once
decompressed, and :mod:`zipfile` never produces more than that (it stops and reports a CRC
error), so checking the declared sizes bounds what reading can cost: a zip bomb is refused here,
in milliseconds. XML entities (XXE, billion laughs) are refused later by defusedxml, which
openpyxl uses for every part it parses.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all members, decompressed
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # one sheet (or any part), decompressed
MAX_RATIO = 200  # decompressed ÷ compressed, for members large enough to matter
RATIO_FLOOR = 1024 * 1024  # a tiny member may compress 1000:1 legitimately (runs of spaces)
MAX_MEMBERS = 10_000
PEEK_BYTES = 4096  # a DTD can only come before the root element, at the very start of a part

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeFile(Exception):
    """A file that is not read; the message (Chinese) says why."""


def inspect_archive(path: Path) -> None:
    """Raise :class:`UnsafeFile` unless ``path`` looks like an .xlsx that is safe to open."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as error:
        raise UnsafeFile(f"无法打开文件：{error.strerror or error}") from None
    if magic.startswith(_OLE):
        raise UnsafeFile(
            "是旧版 .xls 格式或加密的工作簿，无法读取；请在 Excel / WPS 中另存为 .xlsx（不加密）"
        )
    if not magic.startswith(b"PK"):
        raise UnsafeFile("不是 .xlsx 工作簿（文件不是 zip 格式，可能已损坏）")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_members(members)
            _check_declarations(archive, members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeFile(f"文件已损坏，无法作为 .xlsx 打开（{error}）") from None


def _check_declarations(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """No part of a real workbook declares a DTD; one that does is an XXE or entity-expansion attempt.

    (defusedxml would refuse it anyway when openpyxl parses the part; this says so plainly.)
    """
    for member in members:
        if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as stream:
            head = stream.read(PEEK_BYTES)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise UnsafeFile(
                f"部件 {member.filename} 含有 XML 实体（DTD）声明，可能是恶意文件（XXE 攻击），已拒绝读取"
            )


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnsafeFile(f"压缩包内有 {len(members)} 个部件，远超正常工作簿，已拒绝读取")
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        raise UnsafeFile("不是 Excel 工作簿（压缩包中没有 xl/workbook.xml）")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UnsafeFile("工作簿部件已加密，无法读取")
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES:
            raise UnsafeFile(
                f"部件 {member.filename} 解压后 {member.file_size // (1024 * 1024)} MB，超过 "
                f"{MAX_MEMBER_BYTES // (1024 * 1024)} MB 上限（可能是压缩炸弹或超大表格），已拒绝读取"
            )
        if member.file_size >= RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise UnsafeFile(f"部件 {member.filename} 压缩比超过 {MAX_RATIO}:1（可能是压缩炸弹），已拒绝读取")
    if total > MAX_TOTAL_BYTES:
        raise UnsafeFile(
            f"解压后共 {total // (1024 * 1024)} MB，超过 {MAX_TOTAL_BYTES // (1024 * 1024)} MB 上限"
            "（可能是压缩炸弹），已拒绝读取"
        )
