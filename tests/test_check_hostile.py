"""Unreadable and hostile files are reported and skipped, in bounded time and memory; the batch
goes on. Also the sandbox itself: a worker that crashes, hangs or eats memory blames one file."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import hostile_files
from jixiao.check import FindingKind
from jixiao.check import batch as batch_module
from jixiao.check.batch import Limits, run_batch
from jixiao.check.read import check_path, describe_error
from jixiao.workbook import opener
from test_check_builders import legacy_workbook, seed003_unit


@pytest.fixture(scope="session")
def million_rows(tmp_path_factory) -> Path:
    """1,000,000 rows in a sheet 数据, written once per session."""
    return hostile_files.million_rows(tmp_path_factory.mktemp("big") / "million.xlsx")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    plain = folder / "plain.xlsx"
    book = Workbook()
    book.active["A1"] = "一级指标"
    book.save(plain)
    return {
        "corrupt": hostile_files.corrupt_zip(folder / "corrupt.xlsx"),
        "xls": hostile_files.xls_renamed(folder / "old.xls"),
        # A zip bomb: 400 KB on disk, 400 MB once inflated.
        "bomb": hostile_files.zeros_bomb(folder / "bomb.xlsx"),
        # Below the size limits but inflating 1000:1.
        "ratio": hostile_files.ratio_bomb(folder / "ratio.xlsx"),
        # A valid workbook whose sheet XML declares an external entity.
        "xxe": hostile_files.entity_workbook(plain, folder / "xxe.xlsx", hostile_files.SHEET_PART, "xxe"),
        "good": legacy_workbook(folder / "good.xlsx", {"东西湖": seed003_unit}),
    }


def _only(path: Path):
    [finding] = check_path(path).findings
    assert finding.kind is FindingKind.UNREADABLE
    return finding


def test_corrupt_zip_and_old_xls(hostile):
    assert "已损坏" in _only(hostile["corrupt"]).reason
    assert ".xls" in _only(hostile["xls"]).reason


def test_zip_bomb_is_refused_from_the_directory_alone(hostile):
    started = time.perf_counter()
    assert "100 MB" in _only(hostile["bomb"]).reason
    assert "压缩比" in _only(hostile["ratio"]).reason
    assert time.perf_counter() - started < 2  # nothing was inflated


def test_total_size_limit(hostile, monkeypatch):
    monkeypatch.setattr(opener, "MAX_TOTAL_BYTES", 1024)
    monkeypatch.setattr(opener, "RATIO_FLOOR", 1 << 40)
    assert "上限" in _only(hostile["good"]).reason


def test_external_entity_is_refused(hostile):
    finding = _only(hostile["xxe"])
    assert "XXE" in finding.reason
    assert "root:" not in finding.reason


def test_openpyxl_alone_refuses_the_entity_through_defusedxml(hostile):
    """The second line of defence: even past our pre-check, openpyxl parses through defusedxml."""
    import openpyxl

    assert openpyxl.DEFUSEDXML
    with pytest.raises(Exception) as caught:
        book = load_workbook(hostile["xxe"], read_only=True)
        list(book.active.iter_rows(values_only=True))
    assert "XXE" in describe_error(caught.value)


def test_million_rows_is_skipped_quickly(million_rows):
    started = time.perf_counter()
    finding = _only(million_rows)
    assert finding.sheet == "数据" and "表格过大" in finding.reason
    assert time.perf_counter() - started < 10


def test_batch_reports_and_skips_hostile_files(hostile, million_rows):
    files = [hostile[name] for name in ("corrupt", "bomb", "xxe", "ratio")] + [million_rows, hostile["good"]]
    started = time.perf_counter()
    results = run_batch(files, jobs=2, limits=Limits(timeout=30))
    assert time.perf_counter() - started < 30
    assert [r.unreadable for r in results] == [True, True, True, True, True, False]
    good = results[-1]
    assert [(f.cell, f.kind) for f in good.findings] == [("G60", FindingKind.TOTAL)]  # seed 003 年度目标7


# -- the sandbox ----------------------------------------------------------------------------------


def _misbehave(path: Path, **kwargs):
    name = path.name
    if name.startswith("crash"):
        os._exit(3)  # a worker dying in C code, or killed by the kernel
    if name.startswith("slow"):
        time.sleep(30)  # interrupted by the per-file timer
    if name.startswith("stuck"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # the timer cannot interrupt it
        time.sleep(30)
    if name.startswith("hog"):
        hoard = bytearray(8 << 30)  # more than the worker's address-space limit
        return hoard
    return check_path(path, **kwargs)


@pytest.fixture
def misbehaving(monkeypatch, hostile):
    monkeypatch.setattr(batch_module, "check_path", _misbehave)
    folder = hostile["good"].parent
    return lambda name: folder / name


def test_a_crashing_worker_blames_only_its_file(misbehaving, hostile):
    files = [hostile["good"], misbehaving("crash.xlsx"), hostile["good"], hostile["good"]]
    results = run_batch(files, jobs=2, limits=Limits(timeout=20))
    assert [r.unreadable for r in results] == [False, True, False, False]
    assert "异常退出" in results[1].findings[0].reason


def test_slow_stuck_and_memory_hungry_files_are_skipped(misbehaving, hostile):
    files = [misbehaving("slow.xlsx"), misbehaving("stuck.xlsx"), misbehaving("hog.xlsx"), hostile["good"]]
    started = time.perf_counter()
    results = run_batch(files, jobs=2, limits=Limits(timeout=1, grace=1, memory_mb=512))
    assert time.perf_counter() - started < 20
    reasons = [r.findings[0].reason for r in results[:3]]
    assert "处理超时" in reasons[0]
    assert "无法中断" in reasons[1]
    assert "内存" in reasons[2]
    assert not results[3].unreadable
