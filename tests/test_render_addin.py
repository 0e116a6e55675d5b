"""LibreOffice without the user's help: `jixiao render` computes add-in formulas, and
`jixiao addin libreoffice install` sets up a profile LibreOffice never created."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from filled_forms import fill_form, make_form
from jixiao.addin import libreoffice as lo
from jixiao.cli import main
from jixiao.libreoffice import find_soffice, uno_python
from jixiao.rubric import find_rubric

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def soffice() -> str:
    found = find_soffice()
    if found is None or uno_python() is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice, python3-uno and pdftotext are required when CI=true", pytrace=False)
        pytest.skip("LibreOffice or pdftotext not available")
    return found


def test_render_of_an_addin_workbook_shows_scores(soffice: str, tmp_path: Path) -> None:
    form = make_form(find_rubric("hubei-project"), "xlwings", tmp_path / "空白", projects=1)
    filled = tmp_path / "已填.xlsx"
    fill_form(form, filled, "xlwings")
    result = CliRunner().invoke(main, ["render", str(filled), "-o", str(tmp_path / "预览"), "--no-png"])
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "预览" / "已填.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "#NAME?" not in text
    # Seed 002's amounts: 执行率 939.9 ÷ 1069.34 = 87.90 %, 执行率得分 20 × 0.878952 = 17.58.
    assert "17.58" in text and "87.90%" in text
    # JX_SCORE rows: 清扫完成率 ≥100 %, actual 95 %, weight 2 → 2 × 95/100 = 1.90;
    # 完成及时率 ≥100 %, actual 95 %, weight 3 → 3 × 95/100 = 2.85.
    assert re.search(r"清扫完成率\s+≥100%\s+95%\s+2\s+1\.90", text)
    assert re.search(r"完成及时率\s+≥100%\s+95%\s+3\s+2\.85", text)


def test_libreoffice_install_creates_a_profile_never_started(soffice: str, tmp_path: Path) -> None:
    profile = tmp_path / "从未启动" / "4"
    result = CliRunner().invoke(main, ["addin", "libreoffice", "install", "--profile", str(profile)])
    assert result.exit_code == 0, result.output
    assert "已在后台启动一次 LibreOffice（无窗口）" in result.output
    module = profile / "user" / "basic" / "Standard" / lo.BASIC_FILE
    assert module.read_text(encoding="utf-8") == lo.basic_module_xml()
    # LibreOffice's own first start wrote the profile (its Standard library has Module1), and a later
    # start keeps the bridge: it is listed in the library and still on disk.
    assert (profile / "user" / "basic" / "Standard" / "Module1.xba").exists()
    assert lo.first_start(profile)
    assert module.exists()
    lines, ok = lo.status_lines(profile)
    assert ok, lines
