"""jixiao.workbook: the header vocabulary as data, the shared file helpers."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml

from jixiao.workbook.cells import label_key
from jixiao.workbook.discovery import collect
from jixiao.workbook.files import replace_atomically, safe_file_name
from jixiao.workbook.labels import one_line
from jixiao.workbook.vocabulary import DATA_FILE, parse, vocabulary


def _data() -> dict:
    path = Path(__file__).parents[1] / "src" / "jixiao" / "workbook" / DATA_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("label", "role"),
    [
        # Headers of the seed forms (湖北 001/002, 全国 004), normalised as the reader normalises them.
        ("一级指标", "level1"),
        ("二级指标", "level2"),
        ("三级指标", "level3"),
        ("年度指标值", "target"),  # contains 指标值
        ("实际完成值", "actual"),
        ("分值", "weight"),
        ("得分", "score"),
        ("偏差原因分析及改进措施", "explanation"),
        ("指标值确定依据", None),  # 确定依据 comes before 指标值: the column is not read
        ("参考分值", "reference"),
    ],
)
def test_indicator_columns_by_label(label, role):
    assert vocabulary().indicator_role(label_key(label)) == role


def test_execution_columns_by_label():
    words = vocabulary()
    # 得分（20分*执行率） names the score although it mentions 执行率: the 得分 rule comes first.
    assert words.execution_role(label_key("得分（20分*执行率）")) == "score"
    assert words.execution_role(label_key("全年预算数（A）")) == "budget"
    assert words.execution_role(label_key("全年执行数（B）")) == "actual"
    assert words.execution_role(label_key("执行率（B/A）")) == "rate"


def test_a_new_spelling_is_one_line_of_data():
    data = _data()
    assert vocabulary().indicator_role("考核分值") is None
    changed = copy.deepcopy(data)
    weight = next(rule for rule in changed["indicator_columns"] if rule["role"] == "weight")
    weight["starts_with"].append("考核分值")
    assert parse(changed).indicator_role("考核分值") == "weight"
    changed["project_fields"]["code"].append("项目编号")
    assert parse(changed).field_of(("code",)) == {"项目编码": "code", "项目代码": "code", "项目编号": "code"}


def test_a_broken_vocabulary_is_named():
    data = _data()
    data["indicator_columns"][0] = {"role": "level1", "startswith": ["一级"]}  # misspelt key
    with pytest.raises(ValueError, match="indicator_columns 第 1 条规则"):
        parse(data)


def test_safe_file_name():
    assert safe_file_name('2026年度洪山街道/办事处:项目*?"') == "2026年度洪山街道_办事处_项目"
    assert safe_file_name(" .. ") == "jixiao"
    assert len(safe_file_name("长" * 400)) == 150


def test_replace_atomically_keeps_the_target_on_failure(tmp_path):
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")

    def broken(path: str) -> None:
        Path(path).write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        replace_atomically(broken, target)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["表.xlsx"]  # no temporary file left behind


def test_replace_atomically_without_overwrite_refuses_a_file_that_appeared(tmp_path):
    target = tmp_path / "表.xlsx"

    def write(path: str) -> None:
        Path(path).write_bytes(b"new")
        target.write_bytes(b"someone else's")  # appears while we write

    with pytest.raises(FileExistsError, match="已存在"):
        replace_atomically(write, target, overwrite=False)
    assert target.read_bytes() == b"someone else's"
    assert os.listdir(tmp_path) == ["表.xlsx"]


def test_collect_searches_folders_and_skips_lock_files(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/二.xlsx", "a/~$二.xlsx", "a/.隐藏.xlsx", "a/说明.txt", "一.XLSM"):
        (tmp_path / name).write_bytes(b"")
    found = collect((tmp_path,), exclude=tmp_path / "一.XLSM")
    assert found == [tmp_path / "a" / "二.xlsx"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经济\n效益\n指标", "经济效益指标"),  # a narrow cell's wrapping: no space between Han characters
        ("时效指标\n（5分）", "时效指标（5分）"),  # nor before full-width punctuation
        ("成本指标\n10 分", "成本指标10 分"),
        ("Level\n2", "Level 2"),  # between two Latin words the break was a space
        ("  数量指标  ", "数量指标"),
        ("", ""),
    ],
)
def test_one_line(text, expected):
    assert one_line(text) == expected
