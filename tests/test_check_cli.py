"""``jixiao check`` end to end: exit codes, JSON fields, the table, the review workbook."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.check.cli import check
from test_check_builders import (
    legacy_workbook,
    seed000_project,
    seed000_unit,
    seed002_other,
    seed002_unit,
    seed003_unit,
)

JSON_FIELDS = {"file", "sheet", "cell", "label", "kind", "reported", "rule_low", "rule_high", "reason"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    legacy_workbook(root / "clean.xlsx", {"委员视察": seed000_project})
    sub = root / "单位"
    sub.mkdir()
    legacy_workbook(sub / "洪山.xlsx", {"其他支出": seed002_other, "政协整体": seed000_unit})
    legacy_workbook(sub / "东西湖.xlsx", {"东西湖": seed003_unit, "洪山街": seed002_unit})
    (sub / "~$洪山.xlsx").write_bytes(b"lock file of an open workbook")
    (root / "说明.txt").write_text("not a workbook", encoding="utf-8")
    return root


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str):
    return CliRunner().invoke(check, list(args), catch_exceptions=False)


def test_clean_file_exits_0(folder):
    result = _run(str(folder / "clean.xlsx"))
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.stdout


def test_findings_exit_1_with_json_fields(folder):
    result = _run(str(folder / "单位" / "洪山.xlsx"), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert isinstance(data["findings"], list) and data["findings"]
    for finding in data["findings"]:
        assert finding.keys() >= JSON_FIELDS
    seed000 = next(f for f in data["findings"] if f["sheet"] == "政协整体")
    assert (seed000["cell"], seed000["kind"], seed000["reported"], seed000["rule_low"]) == (
        "F4",
        "substantive",
        18,
        19.64,
    )
    rounding = next(f for f in data["findings"] if f["cell"] == "F6" and f["sheet"] == "其他支出")
    assert (rounding["kind"], rounding["reported"], rounding["rule_high"]) == ("rounding", 17.6, 17.58)
    assert data["summary"]["exit_code"] == 1 and data["summary"]["files"] == 1


def test_unreadable_input_exits_2_and_the_rest_is_still_checked(folder, tmp_path):
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = _run(str(broken), str(folder / "clean.xlsx"), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    kinds = {(Path(f["file"]).name, f["kind"]) for f in data["findings"]}
    assert kinds == {("坏文件.xlsx", "unreadable")}
    assert data["summary"]["files"] == 2 and data["summary"]["clean_files"] == 1


def test_directory_in_parallel_table_output(folder):
    result = _run(str(folder), "--jobs", "2")
    assert result.exit_code == 1
    out = result.stdout
    # The lock file and the text file are not workbooks to check; three workbooks are.
    assert "检查完成：3 个文件" in out
    assert "~$" not in out
    for text in ("实质差异", "仅舍入不同", "合计不符", "年度目标7 合计", "19.64", "0.38"):
        assert text in out, text
    assert "[1] " in out  # reasons as numbered notes


def test_review_workbook(folder, tmp_path):
    inputs = sorted(folder.rglob("*.xlsx"))
    before = {path: _digest(path) for path in inputs}
    report = tmp_path / "审阅.xlsx"
    result = _run(str(folder), "--report", str(report), "--format", "json")
    assert result.exit_code == 1
    assert {path: _digest(path) for path in inputs} == before  # the checked files are untouched
    findings = json.loads(result.stdout)["findings"]
    book = load_workbook(report)
    assert book.sheetnames[0] == "检查结果"
    sheet = book["检查结果"]
    assert [c.value for c in sheet[1]][:6] == ["序号", "文件", "工作表", "单元格", "指标", "问题类别"]
    assert sheet.max_row == len(findings) + 1
    # Each finding links to its cell in the copy of its sheet, which is filled and commented.
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "政协整体" and r[3].value == "F4")
    location = row[3].hyperlink.location
    copy, cell = location.rsplit("!", 1)
    target = book[copy.strip("'")][cell]
    assert target.value == 18
    assert target.fill.fgColor.rgb.endswith("FFC7CE")  # red: a substantive difference
    assert target.comment.text.startswith("规则得分：19.64")
    rounding = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "其他支出" and r[3].value == "F6")
    copy, cell = rounding[3].hyperlink.location.rsplit("!", 1)
    target = book[copy.strip("'")][cell]
    assert target.fill.fgColor.rgb.endswith("FFE0B2")  # orange: rounding only
    assert "17.58" in target.comment.text
    # The copy keeps the form's merged ranges and values.
    copied = book[copy.strip("'")]
    assert "A5:A6" in {str(r) for r in copied.merged_cells.ranges}
    assert copied["C6"].value == 1069.34 and copied["E6"].number_format == "0.0%"
    # Checking the folder again (the report now inside it) skips the report.
    inside = folder / "审阅.xlsx"
    inside.write_bytes(report.read_bytes())
    try:
        again = _run(str(folder), "--format", "json")
        assert json.loads(again.stdout)["summary"]["files"] == 4
        assert any("检查结果工作簿" in note for note in json.loads(again.stdout)["notes"])
    finally:
        inside.unlink()


def test_rubric_option_and_bad_arguments(folder, tmp_path):
    forced = _run(str(folder / "clean.xlsx"), "--rubric", "national-project", "--format", "json")
    assert forced.exit_code == 0
    assert json.loads(forced.stdout)["forms"][0]["rules"] == "national-project（--rubric 指定）"
    assert _run(str(folder / "clean.xlsx"), "--rubric", "no-such").exit_code == 2
    clean = folder / "clean.xlsx"
    assert _run(str(clean), "--report", str(clean)).exit_code == 2  # never overwrite an input
    empty = tmp_path / "空目录"
    empty.mkdir()
    result = _run(str(empty))
    assert result.exit_code == 2 and "没有找到" in result.output
