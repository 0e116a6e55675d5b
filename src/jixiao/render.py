"""Workbooks → PDF and PNG pages through headless LibreOffice (print preview, docs pictures).

LibreOffice recalculates every workbook on load (the private profile says so), so a workbook with
jixiao's add-in functions (``--formulas xlwings``) needs the JX_* functions in that profile: the
caller passes ``prepare_profile`` — the command line passes the LibreOffice bridge's installer
(:func:`jixiao.addin.libreoffice.prepare_private_profile`) — and the score cells show numbers
instead of #NAME?.

Every workbook is inspected by the safe opener first: LibreOffice parses whatever it is given (DTDs,
zip bombs, damaged archives), so a file the opener refuses is never handed to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from jixiao.libreoffice import PDF_FILTER, Calc, LibreOfficeUnavailable
from jixiao.workbook.opener import UnreadableFile, inspect_xlsx


def use_cjk_fonts() -> None:
    """Map the forms' 宋体 / 仿宋 onto the Noto CJK fonts Debian ships (LibreOffice otherwise falls
    back to a font without Chinese glyphs). Must run before LibreOffice starts."""
    if "FONTCONFIG_FILE" not in os.environ:
        os.environ["FONTCONFIG_FILE"] = str(resources.files("jixiao").joinpath("data/fonts.conf"))


def readable(workbooks: list[Path]) -> tuple[list[Path], list[str]]:
    """The workbooks safe to hand to LibreOffice, and one Chinese line (file: reason) for each other."""
    good: list[Path] = []
    refused: list[str] = []
    for workbook in workbooks:
        try:
            inspect_xlsx(workbook, label=str(workbook))
        except UnreadableFile as error:
            refused.append(f"无法导出：{error}")
        else:
            good.append(workbook)
    return good, refused


def render(
    workbooks: list[Path],
    outdir: Path,
    *,
    png: bool = True,
    dpi: int = 80,
    prepare_profile: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Export each workbook to PDF (and its pages to PNG); returns the files written, under ``outdir``
    as given. Pass only workbooks :func:`readable` accepted.

    ``prepare_profile`` is called with LibreOffice's fresh private profile before it starts (see the
    module's docstring)."""
    if not workbooks:
        return []
    if png and shutil.which("pdftoppm") is None:
        raise LibreOfficeUnavailable("找不到 pdftoppm（apt-get install poppler-utils）")
    use_cjk_fonts()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with Calc(prepare_profile=prepare_profile) as calc:
        for workbook in workbooks:
            pdf = outdir / f"{workbook.stem}.pdf"
            calc.convert(workbook, pdf, PDF_FILTER)
            written.append(pdf)
            if png:
                written += _pages(pdf, outdir / workbook.stem, dpi)
    return written


def _pages(pdf: Path, prefix: Path, dpi: int) -> list[Path]:
    """The PDF's pages as ``prefix-N.png``: exactly the pages of this PDF (drawn in a folder of their
    own, so neither another workbook's pages nor an earlier, longer run's are listed as written)."""
    with tempfile.TemporaryDirectory(dir=prefix.parent, prefix=".~jixiao-pages-") as scratch:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(Path(scratch) / "p")], check=True, timeout=120
        )
        pages = sorted(Path(scratch).glob("p-*.png"), key=lambda page: int(page.stem.rsplit("-", 1)[1]))
        moved = []
        for page in pages:
            target = prefix.with_name(f"{prefix.name}-{page.stem.rsplit('-', 1)[1]}.png")
            page.replace(target)
            moved.append(target)
    return moved
