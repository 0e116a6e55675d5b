"""What every file jixiao writes, and every message it gives, has in common (issue 9, "Also"):
the usual permissions, symbolic links written through, no stray temporary file for long, file
names that fit, a review workbook that is not overwritten unasked, short quotes of long cells."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import ProjectInfo
from jixiao.rubric import builtin_rubrics
from jixiao.workbook.files import STALE_SECONDS, fit_file_name, replace_atomically
from test_check_builders import legacy_workbook, seed001_common


@pytest.fixture
def umask():
    """Run under the umask most systems start with (022), and put the test runner's back."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def form(tmp_path) -> Path:
    rubric = builtin_rubrics()["hubei-project"]
    (path,) = generate(
        Request(rubric, 2026, unit="某单位", projects=(ProjectInfo(name="项目甲"),)), tmp_path / "gen"
    )
    return path


def jixiao(*args: object):
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert "Traceback" not in result.output and (
        result.exception is None or isinstance(result.exception, SystemExit)
    )
    return result


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- permissions ----------------------------------------------------------------------------------


def test_written_files_get_the_usual_permissions(tmp_path, umask, form):
    # 0666 & ~022 = 0644: what any program's new file gets, not mkstemp's private 0600.
    assert (
        jixiao("new", "--rubric", "hubei-project", "--unit", "某单位", "-o", tmp_path / "new").exit_code == 0
    )
    (made,) = (tmp_path / "new").glob("*.xlsx")
    assert mode(made) == 0o644
    report = tmp_path / "检查结果.xlsx"
    assert jixiao("check", "-j", "1", form, "--report", report).exit_code in (0, 1)
    assert mode(report) == 0o644
    os.chmod(form, 0o640)  # recalc keeps its source's permissions, as before
    assert jixiao("recalc", form, "-o", tmp_path / "算.xlsx").exit_code == 0
    assert mode(tmp_path / "算.xlsx") == 0o640


def test_permissions_follow_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        replace_atomically(lambda path: Path(path).write_bytes(b"x"), tmp_path / "a.xlsx")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "a.xlsx") == 0o640  # 0666 & ~027


# -- symbolic links -------------------------------------------------------------------------------


def test_recalc_in_place_on_a_symlink_updates_the_file_it_points_to(tmp_path, form):
    real = tmp_path / "真" / "表.xlsx"
    real.parent.mkdir()
    form.rename(real)
    link = tmp_path / "链接.xlsx"
    link.symlink_to(real)
    before = real.stat().st_ino
    result = jixiao("recalc", "--in-place", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)  # still the same link
    assert real.stat().st_ino != before  # the file it points to was replaced
    assert zipfile.ZipFile(link).testzip() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen", "真", "链接.xlsx"]
    assert os.listdir(real.parent) == ["表.xlsx"]  # no temporary left beside it


# -- a killed write ---------------------------------------------------------------------------------

_KILLED = """
import os, signal, sys
from pathlib import Path
from jixiao.workbook.files import replace_atomically

def write(path):
    Path(path).write_bytes(b"half a workbook")
    os.kill(os.getpid(), signal.SIGKILL)  # the power goes, the user kills the window

replace_atomically(write, Path(sys.argv[1]))
"""


def test_a_killed_write_leaves_a_temporary_the_next_write_removes(tmp_path):
    target = tmp_path / "表.xlsx"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.run([sys.executable, "-c", _KILLED, str(target)], env=env, check=False)
    assert child.returncode == -signal.SIGKILL
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".~jixiao-") and left.name.endswith(".tmp.xlsx")  # says whose it is
    assert not target.exists()
    mine = tmp_path / ".~jixiao-笔记.txt"  # not a name jixiao makes: never touched
    mine.write_text("keep")

    def write(path: str) -> None:
        Path(path).write_bytes(b"whole")

    replace_atomically(write, target)
    assert left.exists()  # young: it may be another run's write in progress
    old = time.time() - STALE_SECONDS - 60
    os.utime(left, (old, old))
    os.utime(mine, (old, old))
    replace_atomically(write, tmp_path / "另一个.xlsx")
    assert not left.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~jixiao-笔记.txt", "另一个.xlsx", "表.xlsx"]


# -- long names -------------------------------------------------------------------------------------


def _bytes(name: str) -> int:
    return len(name.encode("utf-8"))


def test_a_unit_name_too_long_for_a_file_name_is_shortened(tmp_path):
    unit = "湖北省" + "某某街道办事处" * 40  # 843 bytes of UTF-8: over ext4's 255
    result = jixiao("new", "--rubric", "hubei-project", "--year", 2026, "--unit", unit, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    (made,) = tmp_path.glob("*.xlsx")
    assert _bytes(made.name) <= 255 and made.name.startswith("2026年度湖北省某某街道办事处")
    assert jixiao("recalc", made).exit_code == 0  # 表（已计算）.xlsx is fitted too
    (computed,) = [p for p in tmp_path.glob("*.xlsx") if p != made]
    assert _bytes(computed.name) <= 255


def test_long_project_names_stay_distinct_when_shortened(tmp_path):
    base = "关于" + "某某专项资金" * 30
    listed = tmp_path / "清单.csv"
    listed.write_text(f"项目名称,预算数\n{base}甲,1\n{base}乙,2\n", encoding="utf-8")
    result = jixiao(
        "new", "--rubric", "hubei-project", "--projects", listed, "--split", "-o", tmp_path / "out"
    )
    assert result.exit_code == 0, result.output
    made = sorted((tmp_path / "out").glob("*.xlsx"))
    assert len(made) == 2 and all(_bytes(p.name) <= 255 for p in made)


def test_names_that_make_one_file_name_are_an_error_not_a_crash(tmp_path):
    listed = tmp_path / "清单.csv"
    listed.write_text(
        "项目名称,预算数（万元）\n维修/改造,1\n维修:改造,2\n", encoding="utf-8"
    )  # both → 维修_改造
    result = jixiao(
        "new", "--rubric", "hubei-project", "--year", 2026, "--projects", listed, "--split", "-o", tmp_path
    )
    assert result.exit_code == 2
    assert result.output.strip() == (
        "多个项目会写到同一个文件名：2026年度维修_改造项目支出绩效自评表（湖北版式）.xlsx；请检查项目名称是否重复"
    )


def test_fit_file_name():
    assert fit_file_name("表", ".xlsx") == "表.xlsx"
    fitted = fit_file_name("长" * 100, ".xlsx")  # 300 bytes + 5
    # 255 − (3 for "…" + 8 hex + 5 for ".xlsx") = 239 bytes → 79 whole characters of 3 bytes.
    assert fitted.startswith("长" * 79 + "…") and not fitted.startswith("长" * 80)
    assert fitted.endswith(".xlsx") and _bytes(fitted) <= 255
    assert fit_file_name("长" * 100 + "甲", ".xlsx") != fit_file_name("长" * 100 + "乙", ".xlsx")


# -- check --report ---------------------------------------------------------------------------------


def test_check_report_does_not_overwrite_an_existing_file(tmp_path, form):
    report = tmp_path / "检查结果.xlsx"
    report.write_bytes(b"my own notes")
    refused = jixiao("check", "-j", "1", form, "--report", report)
    assert refused.exit_code == 2
    assert f"{report} 已存在；如确需覆盖，请加 --overwrite" in refused.output
    assert report.read_bytes() == b"my own notes"
    replaced = jixiao("check", "-j", "1", form, "--report", report, "--overwrite")
    assert replaced.exit_code in (0, 1), replaced.output
    assert load_workbook(report).sheetnames[0] == "检查结果"


# -- messages quote a long cell briefly -------------------------------------------------------------

MEGABYTE_NAME = "维修" * 500_000  # a million characters in one cell


def test_a_project_list_message_quotes_a_long_name_briefly(tmp_path):
    listed = tmp_path / "清单.csv"
    listed.write_text(f"项目名称,预算数\n{MEGABYTE_NAME},1\n{MEGABYTE_NAME},2\n", encoding="utf-8")
    result = jixiao("new", "--rubric", "hubei-project", "--projects", listed, "-o", tmp_path)
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    # "清单.csv 第 3 行：项目「" + 100 characters + "…（共 1000000 字）」与第 2 行重复"
    assert line == f"清单.csv 第 3 行：项目「{'维修' * 50}…（共 1000000 字）」与第 2 行重复"


def test_a_check_finding_quotes_a_long_cell_briefly(tmp_path):
    path = legacy_workbook(tmp_path / "共性.xlsx", {"共性指标": seed001_common})
    book = load_workbook(path)
    sheet = book.active
    label = next(c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith("评价结果等次"))
    grade = next(c for c in sheet[label.row] if c.column > label.column and c.value)
    grade.value = "良好" * 500_000  # a million characters where 优 / 良 / 中 / 差 belongs
    book.save(path)  # openpyxl keeps Excel's limit: 32,767 characters in one cell
    result = jixiao("check", "-j", "1", path, "--format", "json")
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["label"] == "等级"]
    assert finding["reason"].startswith(f"等级填报为「{'良好' * 50}…（共 32767 字）」，但总分")
    assert len(finding["reason"]) < 200
