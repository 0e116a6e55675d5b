"""Writing computed results into an .xlsx as the formula cells' cached values, and nothing else.

openpyxl cannot write cached values (and drops existing ones on load + save), and re-serialising the
XML through ElementTree renames namespace prefixes. So the zip is copied entry by entry; in each
worksheet only the ``<c>`` elements that contain an ``<f>`` are replaced: their ``t`` attribute and
their ``<v>`` element. Every other byte of every part — styles, names, validations, protection,
frozen panes, calculation properties — is copied as it was.

The output is written to a temporary file in the target's directory and renamed into place
(:func:`jixiao.workbook.files.replace_atomically`): a reader never sees a half-written file, and
``--in-place`` leaves the original as it was if anything fails.
"""

from __future__ import annotations

import math
import os
import re
import struct
import zipfile
from collections.abc import Mapping

from jixiao.recalc.evaluator import Scalar, XLError
from jixiao.recalc.scan import CellXml

__all__ = ["cell_xml", "encode_value", "splice", "write_parts"]

_T_ATTRIBUTE = re.compile(rb'\s+t="[^"]*"')
_VALUE_ELEMENT = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>.*?</(?:\w+:)?v>)", re.S)
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)", re.S)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
# Characters XML 1.0 cannot carry; OOXML writes them as _xHHHH_.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _number(x: float) -> bytes:
    if x == 0:
        return b"0"  # also for -0.0
    if x == math.trunc(x) and abs(x) < 1e15:
        return str(int(x)).encode()
    return repr(x).encode()  # shortest text that reads back as the same double


def _escape(text: str) -> bytes:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _INVALID_XML.search(text):
        text = _INVALID_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.encode("utf-8")


def encode_value(value: Scalar) -> tuple[bytes | None, bytes]:
    """(t attribute or None for numbers, <v> text) as Excel writes a formula's cached result."""
    if isinstance(value, bool):
        return b"b", b"1" if value else b"0"
    if isinstance(value, XLError):
        return b"e", value.code.encode("ascii")
    if isinstance(value, str):
        return b"str", _escape(value)
    if value is None:
        return None, b"0"
    if not math.isfinite(value):
        return b"e", b"#NUM!"
    # Numbers omit t, as Excel writes them (the schema's default is n).
    return None, _number(value)


def cell_xml(cell: CellXml, value: Scalar) -> bytes:
    """The cell element with its t attribute and <v> replaced; the formula and the rest kept."""
    t, text = encode_value(value)
    attributes = _T_ATTRIBUTE.sub(b"", cell.attributes)
    if t is not None:
        attributes = attributes.rstrip() + b' t="' + t + b'"'
    prefix = cell.prefix
    v = b"<" + prefix + b"v>" + text + b"</" + prefix + b"v>"
    content = _VALUE_ELEMENT.sub(b"", cell.content, count=1)
    formula = _FORMULA_ELEMENT.search(content)
    # <v> follows <f> (CT_Cell: f, v, is, extLst).
    at = formula.end() if formula else 0
    content = content[:at] + v + content[at:]
    return b"<" + prefix + b"c" + attributes + b">" + content + b"</" + prefix + b"c>"


def splice(xml: bytes, cells: list[tuple[CellXml, Scalar]]) -> bytes:
    """The sheet XML with the given cells rewritten (cells in any order; spans never overlap)."""
    pieces: list[bytes] = []
    position = 0
    for cell, value in sorted(cells, key=lambda item: item[0].start):
        pieces.append(xml[position : cell.start])
        pieces.append(cell_xml(cell, value))
        position = cell.end
    pieces.append(xml[position:])
    return b"".join(pieces)


def write_parts(source: zipfile.ZipFile, target: str | os.PathLike[str], parts: Mapping[str, bytes]) -> None:
    """Copy ``source`` entry by entry to ``target``, with the entries named in ``parts`` replaced.

    Entry order, names, timestamps, permissions and compression method are kept. Unchanged entries
    are copied still compressed (decompressing and recompressing them was a quarter of the time).
    """
    with zipfile.ZipFile(target, "w", allowZip64=True) as out:
        out.comment = source.comment
        for info in source.infolist():
            data = parts.get(info.filename)
            if data is None and _copy_compressed(source, info, out):
                continue
            out.writestr(_entry(info), source.read(info) if data is None else data)


def _entry(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A new entry with the original's name, time, attributes and compression method."""
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type = info.compress_type
    entry.external_attr = info.external_attr
    entry.internal_attr = info.internal_attr
    entry.create_system = info.create_system
    entry.comment = info.comment
    return entry


def _copy_compressed(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> bool:
    """Copy an entry's compressed bytes as they are; False (nothing written) when that is not safe.

    zipfile has no public raw copy. This writes the local header with ``ZipInfo.FileHeader`` and
    registers the entry as ``ZipFile.writestr`` does (``filelist``, ``NameToInfo``, ``start_dir``),
    so ``close()`` writes the central directory. Encrypted or ZIP64-sized entries and unexpected
    headers are left to the ordinary decompress-and-recompress copy.
    """
    fp = source.fp
    if (
        fp is None
        or out.fp is None
        or info.flag_bits & 0x1  # encrypted
        or max(info.file_size, info.compress_size, info.header_offset) >= zipfile.ZIP64_LIMIT
        or not hasattr(out, "start_dir")
    ):
        return False
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return False
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    fp.seek(name_length + extra_length, os.SEEK_CUR)
    data = fp.read(info.compress_size)
    if len(data) != info.compress_size:
        return False
    entry = _entry(info)
    # Sizes and CRC go in the local header, so no data descriptor (bit 3) follows the data.
    entry.flag_bits = info.flag_bits & ~0x08
    entry.CRC, entry.compress_size, entry.file_size = info.CRC, info.compress_size, info.file_size
    entry.header_offset = out.fp.tell()
    out.fp.write(entry.FileHeader(zip64=False))
    out.fp.write(data)
    out.filelist.append(entry)
    out.NameToInfo[entry.filename] = entry
    out.start_dir = out.fp.tell()  # type: ignore[attr-defined]
    out._didModify = True  # type: ignore[attr-defined]
    return True
