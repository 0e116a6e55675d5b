"""`jixiao render` inspects every file with the safe opener before LibreOffice sees it: a hostile or
broken workbook gets one Chinese line and exit 2, the others are still exported."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile_files as hf
import jixiao.render
from filled_forms import make_form
from jixiao.cli import main
from jixiao.libreoffice import find_soffice, uno_python
from jixiao.rubric import find_rubric


class _NoLibreOffice:
    """Stands in for LibreOffice: any attempt to start it fails the test."""

    def __init__(self, **_options: object) -> None:
        raise AssertionError("a refused file was handed to LibreOffice")


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    return make_form(find_rubric("hubei-project"), "native", tmp_path / "空白", projects=1)


def test_hostile_files_are_refused_before_libreoffice(
    blank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jixiao.render, "Calc", _NoLibreOffice)
    bad = tmp_path / "送审 表"
    bad.mkdir()
    xxe = hf.entity_workbook(blank, bad / "带实体.xlsx", "xl/sharedStrings.xml", "xxe")
    broken = hf.corrupt_zip(bad / "损坏.xlsx")
    old = hf.xls_renamed(bad / "旧版.xlsx")
    out = tmp_path / "预览"
    result = CliRunner().invoke(main, ["render", str(xxe), str(broken), str(old), "-o", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    # One line per file, naming it as given and saying what is wrong, in Chinese.
    assert len(lines) == 3, result.stderr
    assert lines[0].startswith(f"无法导出：{xxe}：") and "DTD" in lines[0]
    assert lines[1].startswith(f"无法导出：{broken}：") and "损坏" in lines[1]
    assert lines[2].startswith(f"无法导出：{old}：") and "旧版 .xls" in lines[2]
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.libreoffice
def test_good_files_are_exported_beside_a_refused_one(blank: Path, tmp_path: Path) -> None:
    if find_soffice() is None or uno_python() is None:
        pytest.skip("LibreOffice not available")
    bomb = hf.zip_bomb(blank, tmp_path / "炸弹.xlsx")
    out = tmp_path / "预览"
    # An earlier workbook whose name starts the same way: its pages are not this workbook's.
    out.mkdir()
    (out / "空白表-2-1.png").write_bytes(b"not ours")
    good = blank.with_name("空白表.xlsx")
    blank.rename(good)
    result = CliRunner().invoke(main, ["render", str(bomb), str(good), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"无法导出：{bomb}：")
    exported = [line.removeprefix("已导出：") for line in result.stdout.splitlines()]
    pages = int(
        subprocess.run(["pdfinfo", str(out / "空白表.pdf")], capture_output=True, text=True, check=True)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    # The PDF and exactly its pages, named under the output folder as the user gave it.
    assert exported == [str(out / "空白表.pdf")] + [str(out / f"空白表-{n}.png") for n in range(1, pages + 1)]
    assert (out / "空白表-2-1.png").read_bytes() == b"not ours"
    assert not (out / "炸弹.pdf").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".~jixiao")]
