"""Workbooks → PDF and PNG pages through headless LibreOffice (print preview, docs pictures).

LibreOffice recalculates every workbook on load (the private profile says so), so a workbook with
jixiao's add-in functions (``--formulas xlwings``) needs the JX_* functions in that profile: the
caller passes ``prepare_profile`` — the command line passes the LibreOffice bridge's installer
(:func:`jixiao.addin.libreoffice.prepare_private_profile`) — and the score cells show numbers
instead of #NAME?.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from jixiao.libreoffice import PDF_FILTER, Calc, LibreOfficeUnavailable


def use_cjk_fonts() -> None:
    """Map the forms' 宋体 / 仿宋 onto the Noto CJK fonts Debian ships (LibreOffice otherwise falls
    back to a font without Chinese glyphs). Must run before LibreOffice starts."""
    if "FONTCONFIG_FILE" not in os.environ:
        os.environ["FONTCONFIG_FILE"] = str(resources.files("jixiao").joinpath("data/fonts.conf"))


def render(
    workbooks: list[Path],
    outdir: Path,
    *,
    png: bool = True,
    dpi: int = 80,
    prepare_profile: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Export each workbook to PDF (and its pages to PNG); returns the files written.

    ``prepare_profile`` is called with LibreOffice's fresh private profile before it starts (see the
    module's docstring)."""
    if png and shutil.which("pdftoppm") is None:
        raise LibreOfficeUnavailable("找不到 pdftoppm（apt-get install poppler-utils）")
    use_cjk_fonts()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with Calc(prepare_profile=prepare_profile) as calc:
        for workbook in workbooks:
            pdf = calc.convert(workbook, outdir / f"{workbook.stem}.pdf", PDF_FILTER)
            written.append(pdf)
            if png:
                prefix = outdir / workbook.stem
                subprocess.run(
                    ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120
                )
                written += sorted(outdir.glob(f"{workbook.stem}-*.png"))
    return written
