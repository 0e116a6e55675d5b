"""``jixiao check`` writes each file's result as it comes: the streamed outputs equal the batch ones.

On xlsx_samples/ (jixiao forms, hand-made layouts, target forms): the streamed ``--format json``
document is byte for byte the document built at once from all results, the ``--format jsonl`` lines
parse and add up to the same findings, forms and notes, and the exit code is the same in every
format. The batch yields in path order however the workers finish, and a slow file holds back only
a bounded number of finished ones.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.check import batch as batch_module
from jixiao.check import cli as cli_module
from jixiao.check.accounting import RowStatus, Status
from jixiao.check.batch import PackedPaths, iter_batch, run_batch
from jixiao.check.checks import FormSummary
from jixiao.check.cli import check
from jixiao.check.duplicates import DuplicateMarker, mark_duplicates
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.read import FileResult, check_path
from jixiao.check.report import SECTIONS, Summary, Tally, file_block, file_json, summarize, to_json
from jixiao.check.target_batch import review_across_files
from jixiao.workbook.discovery import collect

SAMPLES = Path(__file__).resolve().parents[1] / "xlsx_samples"
CLEAN = SAMPLES / "000-政协洪山区委员会办公室-项目支出绩效自评表.xlsx"  # seven forms, all as the rules say
FOUND = SAMPLES / "002-洪山街道办事处-其他支出-手工版式.xlsx"  # 17.6 for 17.58, among others
TARGET = SAMPLES / "004-政协北戴河区委员会办公室-项目支出绩效目标表.xlsx"  # a target form, audited


def _run(*args: str):
    return CliRunner().invoke(check, [*args, "--jobs", "2"], catch_exceptions=False)


@pytest.fixture(scope="module")
def streamed() -> dict[str, object]:
    runs = {name: _run(str(SAMPLES), "--format", name) for name in ("json", "jsonl", "table")}
    # What the command does around the batch: repeated forms marked, and the results with target
    # forms reviewed across files and written after the others (they wait for the whole batch).
    results = run_batch(collect((SAMPLES,)), jobs=2)
    mark_duplicates(results)
    targets = [result for result in results if result.targets]
    review_across_files(targets)
    return {"runs": runs, "results": [r for r in results if not r.targets] + targets}


def _seconds(summary: dict) -> float:
    return summary["seconds"]


def test_streamed_json_is_the_batch_document_byte_for_byte(streamed):
    text = streamed["runs"]["json"].stdout
    document = json.loads(text)
    results = streamed["results"]
    batch = summarize(results, _seconds(document["summary"]))  # the only figure that differs by run
    assert text == json.dumps(to_json(results, batch), ensure_ascii=False, indent=2) + "\n"
    # The document's shape: the lists in their old order, then the summary (fields are only added).
    assert list(document)[:3] == ["findings", "forms", "notes"] and list(document)[-1] == "summary"
    assert list(document)[:-1] == list(SECTIONS)
    files = collect((SAMPLES,))
    assert document["summary"]["files"] == len(files) == 23  # find xlsx_samples -name '*.xlsx' | wc -l
    assert len(document["findings"]) == document["summary"]["findings"] > 0
    assert {f["file"] for f in document["findings"]} < {str(p) for p in files}
    # The target forms (004 北戴河) are audited, not scored: their rules say so.
    assert any(form["rules"].startswith("目标表审核") for form in document["forms"])


def test_jsonl_lines_add_up_to_the_document(streamed):
    lines = streamed["runs"]["jsonl"].stdout.splitlines()
    records = [json.loads(line) for line in lines]
    *per_file, last = records
    document = json.loads(streamed["runs"]["json"].stdout)
    # One line per file, in the order the files were found (those with target forms last), then the summary.
    found = [str(p) for p in collect((SAMPLES,))]
    with_targets = {r.file for r in streamed["results"] if r.targets}
    assert with_targets and [r["file"] for r in per_file] == [f for f in found if f not in with_targets] + [
        f for f in found if f in with_targets
    ]
    for section in SECTIONS:
        assert [item for r in per_file for item in r[section]] == document[section], section
    summary = {k: v for k, v in last["summary"].items() if k != "seconds"}
    assert summary == {k: v for k, v in document["summary"].items() if k != "seconds"}
    assert list(last) == ["summary"]
    # Each line is one file's JSON, the same function every format is made of.
    by_file = {r.file: r for r in streamed["results"]}
    for record in per_file:
        assert record == file_json(by_file[record["file"]])


def test_table_lists_files_with_findings_and_counts_by_kind(streamed):
    out = streamed["runs"]["table"].stdout
    document = json.loads(streamed["runs"]["json"].stdout)
    # 23 files > 20: clean ones are only counted; each file with findings has its own block.
    for result in streamed["results"]:
        if result.findings:
            assert f"\n{result.file}\n" in out
        else:
            assert result.file not in out
    # 002 其他支出: 执行率得分 20 × 939.9 ÷ 1069.34 = 17.579 → 17.58, reported 17.6.
    assert re.search(r"F6 +仅舍入不同 +17\.6 +17\.58 +预算执行率得分", out)
    # The closing table: one line per kind with its count, as in the JSON summary.
    for kind, count in document["summary"]["by_kind"].items():
        label = {"rounding": "仅舍入不同", "substantive": "实质差异", "undecidable": "规则无法判定"}.get(kind)
        if label:
            assert re.search(rf"\n{label} +{count}\n", out), kind
    assert f"检查完成：23 个文件、{document['summary']['forms']} 张表" in out


@pytest.mark.parametrize(
    ("files", "code"),
    # The target form's 成本指标 at E16 reads 「≥9595及以上」, a percentage, not an amount: a finding.
    [((CLEAN,), 0), ((CLEAN, FOUND), 1), ((TARGET,), 1), ((CLEAN, "broken"), 2)],
)
def test_exit_codes_are_the_same_in_every_format(files, code, tmp_path):
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    paths = [str(broken) if f == "broken" else str(f) for f in files]
    for output_format in ("table", "json", "jsonl"):
        assert _run(*paths, "--format", output_format).exit_code == code, output_format


def test_large_batches_list_only_files_with_findings(tmp_path, monkeypatch):
    monkeypatch.setattr("jixiao.check.report.LIST_CLEAN_UP_TO", 1)
    out = _run(str(CLEAN), str(FOUND)).stdout
    assert str(CLEAN) not in out and f"\n{FOUND}\n" in out
    assert "2 个文件" in out and "1 个文件未发现问题" in out


def test_review_copies_sheets_of_the_first_files_only(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_module, "REPORT_FILES", 1)
    report = tmp_path / "审阅.xlsx"
    result = _run(
        str(FOUND), str(SAMPLES / "002-洪山街道办事处-部门整体-手工版式.xlsx"), "--report", str(report)
    )
    assert result.exit_code == 1
    book = load_workbook(report)
    # Sheet 1 lists the findings of both files, then the rows the rules could not score; only the
    # first file's sheet is copied.
    listed = {row[1] for row in book["检查结果"].iter_rows(min_row=2, values_only=True)}
    assert listed == {str(FOUND), str(SAMPLES / "002-洪山街道办事处-部门整体-手工版式.xlsx")}
    assert book.sheetnames == ["检查结果", "无法评分的行", "1-其他支出"]


# -- the batch: order and back-pressure -----------------------------------------------------------


def _slow_first(path: Path, **kwargs):
    if path.name.startswith("0-"):
        time.sleep(3)
    return check_path(path, **kwargs)


@pytest.fixture
def files(tmp_path) -> list[Path]:
    made = []
    for index in range(8):
        path = tmp_path / f"{index}-表.xlsx"
        path.write_bytes(FOUND.read_bytes())
        made.append(path)
    return made


@pytest.mark.parametrize("window", [2, None])
def test_results_come_in_path_order_and_a_slow_file_holds_back_few(files, window, monkeypatch):
    monkeypatch.setattr(batch_module, "check_path", _slow_first)
    finished: list[str] = []
    yielded = [
        r.file for r in iter_batch(files, jobs=2, window=window, on_result=lambda r: finished.append(r.file))
    ]
    assert yielded == [str(p) for p in files]
    ahead = finished.index(str(files[0]))  # files done while the first one slept
    if window == 2:
        # Only files 0 and 1 may start before file 0 is yielded: one file can finish ahead of it.
        assert ahead <= 1
    else:
        # Without a tight window the other worker runs ahead through the rest (32 per worker).
        assert ahead == len(files) - 1


def test_summary_exit_code():
    assert Summary(2, 2, 1, 0, 3, {"rounding": 3}, 0.1).exit_code == 1
    assert Summary(2, 2, 2, 0, 0, {}, 0.1).exit_code == 0
    assert Summary(2, 1, 1, 1, 1, {"unreadable": 1}, 0.1).exit_code == 2


def test_a_reader_that_goes_away_stops_the_check_quietly(tmp_path):
    # More output than a pipe holds (64 KiB): the check is still writing when the reader leaves.
    for index in range(60):
        (tmp_path / f"{index:02d}.xlsx").hardlink_to(FOUND)
    process = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", "check", str(tmp_path), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )
    assert process.stdout.read(100).startswith(b'{\n  "findings": [')
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in error and "Error" not in error


def test_packed_paths_give_back_every_path_in_order():
    names = ["/a/1.xlsx", "/单位/洪山 街道.xlsx", "b.xlsm", "/a/1.xlsx"]
    packed = PackedPaths(Path(name) for name in names)
    assert len(packed) == 4 and list(packed) == names
    assert packed[-1] == "/a/1.xlsx" and packed[1:3] == names[1:3]
    with pytest.raises(IndexError):
        packed[4]
    assert len(PackedPaths([])) == 0 and not PackedPaths([])


# -- what the stream adds to each result ---------------------------------------------------------


def _form(
    file: str,
    sheet: str,
    title: str,
    *,
    unit: str = "洪山街道办事处",
    year: int | None = 2021,
    code: str = "",
):
    return FormSummary(
        file, sheet, title, None, "hubei", 5, 100.0, 100.0, 100.0, unit=unit, year=year, code=code
    )


def test_duplicates_are_marked_as_each_result_arrives():
    marker = DuplicateMarker()
    first = FileResult(
        "a.xlsx", forms=[_form("a.xlsx", "项目甲", "项目甲"), _form("a.xlsx", "项目乙", "项目乙")]
    )
    marker.add(first)
    assert [form.duplicate_of for form in first.forms] == ["", ""] and first.notes == []
    # b.xlsx holds 项目甲 again (its 「（已计算）」 copy) and a form of another year, which is another form.
    again = FileResult(
        "b.xlsx",
        forms=[
            _form("b.xlsx", "项目甲（已计算）", " 项目甲 "),
            _form("b.xlsx", "项目乙", "项目乙", year=2022),
        ],
    )
    marker.add(again)
    assert [form.duplicate_of for form in again.forms] == ["a.xlsx · 项目甲", ""]
    assert again.notes == [
        "「b.xlsx · 项目甲（已计算）」与「a.xlsx · 项目甲」是同一张表（单位、年度、项目相同），只计一次"
    ]
    # A form without its year is never taken for another; the repeat is counted once.
    unknown = FileResult("c.xlsx", forms=[_form("c.xlsx", "项目甲", "项目甲", year=None)])
    marker.add(unknown)
    assert unknown.forms[0].duplicate_of == "" and marker.repeats == 1
    tally = Tally()
    for result in (first, again, unknown):
        tally.add(result)
    assert tally.summary(1.0).forms == 4  # 5 forms, one of them a repeat


def test_table_shows_unscorable_rows_and_no_total_for_target_forms():
    rows = [
        RowStatus(
            "a.xlsx",
            "表",
            7,
            "E7",
            "产出指标 · 数量",
            10.0,
            "≥5",
            "",
            None,
            None,
            None,
            Status.UNSCORABLE,
            "实际完成值为空",
        ),
        RowStatus(
            "a.xlsx", "表", 8, "E8", "满意度", 10.0, "", "", None, None, None, Status.NOT_APPLICABLE, "未填写"
        ),
    ]
    finding = Finding(
        "a.xlsx", "目标", "E16", "成本指标 · 预算执行率", FindingKind.SUBSTANTIVE, None, None, None, "原因"
    )
    target = FormSummary("a.xlsx", "目标", "目标表", None, "目标表审核：通用", 3, None, None, None)
    result = FileResult("a.xlsx", [finding], forms=[target], rows=rows)
    block = file_block(result, show_clean=True, colour=False)
    assert "    目标表：目标表审核：通用\n" in block and "填报总分" not in block
    # The sheet 表 has no findings: its rows are listed after the findings' sheets.
    assert "    无法按规则评分的行（1）：\n      E7 产出指标 · 数量：实际完成值为空\n" in block
    assert "另有 1 行不评分" in block
