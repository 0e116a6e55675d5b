"""Every command that reads a file × every hostile or odd file (issue 9).

A file a command cannot read gets a non-zero exit (2 for ``check``, as documented) and one Chinese
line naming the file and what is wrong — never a traceback, never exit 0. Valid but odd files (a
GBK or UTF-16 CSV, a 1 MB cell, 16,384 columns) keep working. Most cells run in-process through
click's CliRunner; a few run as child processes whose time and peak memory (``os.wait4``) prove
the 10 s / 300 MB bounds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import hostile_files as hf
from jixiao.cli import main
from jixiao.generate.api import Request, generate
from jixiao.generate.layout import ProjectInfo
from jixiao.rubric import builtin_rubrics, rubric_files

LIMIT_SECONDS = 10
LIMIT_MB = 300

# Hostile .xlsx files → a word the reason must contain.
XLSX: dict[str, str] = {
    "bomb": "上限",
    "zeros": "上限",
    "ratio": "压缩比",
    "random": "不是有效的 XML",
    "no-workbook": "缺少工作簿部件",
    "no-sheet": "缺少工作表",
    "crc": "CRC",
    "deflate": "无法解压",
    "header": "文件头",
    "truncated": "已损坏",
    "corrupt": "已损坏",
    "empty": "空的",
    "xls": ".xls",
}
for _part in hf.XML_PARTS:
    for _kind in ("xxe", "laughs"):
        for _padding in (0, hf.PADDING):
            XLSX[f"{_kind}@{_part}+{_padding}"] = "DTD"


@pytest.fixture(scope="session")
def good(tmp_path_factory) -> Path:
    """A blank project form jixiao generated (what recalc, new --from and check accept)."""
    folder = tmp_path_factory.mktemp("good")
    rubric = builtin_rubrics()["hubei-project"]
    request = Request(rubric, 2026, unit="某单位", projects=(ProjectInfo(name="项目甲", budget=100.0),))
    (path,) = generate(request, folder)
    return path


@pytest.fixture(scope="session")
def files(tmp_path_factory, good) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    built: dict[str, Path] = {
        "bomb": hf.zip_bomb(good, folder / "bomb.xlsx"),
        "zeros": hf.zeros_bomb(folder / "zeros.xlsx"),
        "ratio": hf.ratio_bomb(folder / "ratio.xlsx"),
        "random": hf.random_sheet(good, folder / "random.xlsx"),
        "no-workbook": hf.missing_part(good, folder / "no-workbook.xlsx", "xl/workbook.xml"),
        "no-sheet": hf.missing_part(good, folder / "no-sheet.xlsx", hf.SHEET_PART),
        "crc": hf.bad_crc(good, folder / "crc.xlsx"),
        "deflate": hf.bad_deflate(good, folder / "deflate.xlsx"),
        "header": hf.bad_local_header(good, folder / "header.xlsx"),
        "truncated": hf.truncated(good, folder / "truncated.xlsx"),
        "corrupt": hf.corrupt_zip(folder / "corrupt.xlsx"),
        "empty": hf.zero_bytes(folder / "empty.xlsx"),
        "xls": hf.xls_renamed(folder / "old.xlsx"),
        "million": hf.million_rows(folder / "million.xlsx"),
        "million-nodim": hf.million_rows(folder / "million-nodim.xlsx", dimension=False),
        "wide": hf.wide_sheet(folder / "wide.xlsx"),
        "big-cell": hf.big_cell_list(folder / "big-cell.xlsx"),
        "csv-odd": hf.csv_odd_utf16(folder / "odd.csv"),
        "csv-garbage": hf.binary_garbage(folder / "garbage.csv"),
        "csv-million": hf.million_row_csv(folder / "million.csv"),
        "yaml-laughs": hf.laughs_yaml(folder / "laughs.yaml"),
        "yaml-huge": hf.huge_yaml(folder / "huge.yaml"),
        "yaml-garbage": hf.binary_garbage(folder / "garbage.yaml"),
        "yaml-gbk": hf.gbk_rubric(rubric_files()["hubei-project"], folder / "gbk.yaml"),
    }
    for part in hf.XML_PARTS:
        for kind in ("xxe", "laughs"):
            for padding in (0, hf.PADDING):
                name = f"{kind}@{part}+{padding}"
                stem = f"{kind}-{part.replace('/', '_').strip('[]')}-{padding}"
                built[name] = hf.entity_workbook(good, folder / f"{stem}.xlsx", part, kind, padding)
    for name, build in hf.CSV_KINDS.items():
        built[f"csv-{name}"] = build(folder / f"{name}.csv")
    return built


def run(args: list[str], tmp_path: Path):
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    assert "Traceback" not in result.output
    return result


def command(kind: str, path: Path, out: Path) -> list[str]:
    new = ["new", "--rubric", "hubei-project", "--year", "2026", "--unit", "某单位", "-o", str(out)]
    return {
        "check": ["check", "-j", "1", str(path)],
        "recalc": ["recalc", str(path), "-o", str(out / "recalc.xlsx")],
        "summary": ["summary", str(path), "-o", str(out / "summary.xlsx"), "--no-png"],
        "new --projects": [*new, "--projects", str(path)],
        "new --from": ["new", "--rubric", "hubei-project", "-o", str(out), "--from", str(path)],
        "rubrics check": ["rubrics", "check", str(path)],
    }[kind]


def assert_refused(result, path: Path, word: str, code: int | None = None) -> None:
    """Non-zero exit, and a line naming the file and saying what is wrong."""
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if path.name in line and word in line]
    assert lines, f"no line naming {path.name} with {word!r}:\n{result.output}"


# -- the matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(XLSX))
@pytest.mark.parametrize("cmd", ["check", "recalc", "summary", "new --projects", "new --from"])
def test_hostile_workbook(files, tmp_path, cmd, kind):
    path = files[kind]
    args = command(cmd, path, tmp_path)
    if cmd == "check":
        # check's table puts the file on its own line above the reason; JSON keeps them together.
        args = [*args, "--format", "json"]
    result = run(args, tmp_path)
    if cmd == "check":
        assert result.exit_code == 2, result.output
        (finding,) = json.loads(result.stdout)["findings"]
        assert finding["file"] == str(path) and finding["kind"] == "unreadable"
        assert XLSX[kind] in finding["reason"]
    else:
        assert_refused(result, path, XLSX[kind])
    # Nothing is written from a file that could not be read.
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".xlsx"]


def test_check_table_names_the_file_above_its_reason(files, tmp_path):
    result = run(command("check", files["random"], tmp_path), tmp_path)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == str(files["random"]))
    assert "无法读取" in lines[at + 1] and "不是有效的 XML" in lines[at + 1]


@pytest.mark.parametrize(
    "kind, word",
    # (a million rows, in CSV and in a sheet: measured in a child process below)
    [("csv-odd", "奇数"), ("csv-garbage", "不是文本文件")],
)
def test_unreadable_project_lists(files, tmp_path, kind, word):
    path = files[kind]
    started = time.perf_counter()
    result = run(command("new --projects", path, tmp_path), tmp_path)
    assert_refused(result, path, word, code=2)
    assert time.perf_counter() - started < LIMIT_SECONDS


# The two projects of hf.CSV_TEXT / hf.PROJECT_ROWS, one sheet each, in list order.
LISTED = ["办公楼维修改造", "信息系统运维"]


@pytest.mark.parametrize("kind", ["csv-" + name for name in hf.CSV_KINDS] + ["wide"])
def test_odd_but_valid_project_lists_keep_working(files, tmp_path, kind):
    result = run(command("new --projects", files[kind], tmp_path), tmp_path)
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*.xlsx")
    book = load_workbook(written, read_only=True)
    forms = [name for name in book.sheetnames if name not in ("填表说明", "_jixiao")]
    assert forms == (LISTED[:1] if kind == "wide" else LISTED)


def test_a_one_megabyte_cell_keeps_working(files, tmp_path):
    result = run(command("new --projects", files["big-cell"], tmp_path), tmp_path)
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*.xlsx")
    assert load_workbook(written, read_only=True).sheetnames[0] == LISTED[0]


@pytest.mark.parametrize(
    "kind, word, code",
    [("yaml-laughs", "别名", 1), ("yaml-huge", "上限", 1), ("yaml-garbage", "不是文本文件", 1)],
)
def test_unreadable_rubric_files(files, tmp_path, kind, word, code):
    path = files[kind]
    started = time.perf_counter()
    result = run(command("rubrics check", path, tmp_path), tmp_path)
    assert_refused(result, path, word, code=code)
    assert time.perf_counter() - started < LIMIT_SECONDS


def test_a_rubric_saved_in_gbk_is_read(files, tmp_path):
    result = run(command("rubrics check", files["yaml-gbk"], tmp_path), tmp_path)
    assert result.exit_code == 0, result.output
    assert "hubei-project" in result.output and "有效" in result.output


def test_good_workbook_passes_every_reader(good, tmp_path):
    """The control: the file every hostile one is made from is read by each command."""
    assert run(command("recalc", good, tmp_path), tmp_path).exit_code == 0
    assert run(command("new --from", good, tmp_path / "next"), tmp_path).exit_code == 0
    checked = run(command("check", good, tmp_path), tmp_path)
    assert checked.exit_code in (0, 1), checked.output


# -- bounded in time and memory, measured in a child process --------------------------------------


# A process's peak memory counts what it had when it was forked (Linux keeps the pre-exec high-water
# mark), so a child of this test process would report pytest's own size. A small Python in between
# forks the command from a few MB and reports the largest of its descendants (workers included).
_PEAK = "JIXIAO_PEAK_KB="
_LAUNCHER = f"""
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
sys.stderr.write("\\n{_PEAK}%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def measured(args: list[str]) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MB, output) of ``jixiao args`` in a child process and its workers."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, sys.executable, "-m", "jixiao.cli", *args],
            stdout=output,
            stderr=output,
            env=env,
            start_new_session=True,
        )
        try:
            child.wait(timeout=60)  # a hung child fails the test instead of hanging it
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        seconds = time.perf_counter() - started
        output.seek(0)
        text, _, peak = output.read().decode("utf-8", "replace").rpartition(_PEAK)
    return child.returncode, seconds, int(peak or 0) / 1024, text.rstrip("\n")


@pytest.mark.parametrize(
    "cmd, kind, word",
    [
        ("new --projects", "bomb", "100 MB 上限"),
        ("new --from", "bomb", "100 MB 上限"),
        ("new --projects", "million", "超过 10000 行"),
        ("new --projects", "csv-million", "超过 10000 行"),
        ("new --from", "million", "超过 250000 个的上限"),
        ("check", "million", "表格过大"),  # read to its 5,000th row, then left
        ("recalc", "million", "不是 jixiao 生成的工作簿"),  # known before a cell is read
        ("check", "million-nodim", "没有记录使用范围"),
        ("new --projects", "million-nodim", "没有记录使用范围"),
    ],
)
def test_bounded_in_time_and_memory(files, tmp_path, cmd, kind, word):
    code, seconds, peak, output = measured(command(cmd, files[kind], tmp_path))
    assert code == 2 and "Traceback" not in output, output
    assert files[kind].name in output and word in output, output
    assert seconds < LIMIT_SECONDS, seconds
    assert peak < LIMIT_MB, peak


def test_recalc_refuses_a_jixiao_workbook_too_big_to_hold(good, tmp_path, monkeypatch):
    import jixiao.recalc
    from jixiao.workbook.opener import inspect_xlsx

    cells = inspect_xlsx(good).sheet_cells  # a few hundred in a one-project form
    monkeypatch.setattr(jixiao.recalc, "MAX_FULL_LOAD_CELLS", cells - 1)
    result = run(command("recalc", good, tmp_path), tmp_path)
    assert result.exit_code == 2  # a file recalc cannot read, as check and render say it
    assert f"{good.name}：工作表共有约 {cells} 个单元格，超过 {cells - 1} 个的上限" in result.output
    assert not list(tmp_path.iterdir())
