"""Start-up costs: `jixiao --help` imports no lazily loaded command, rubric files are parsed once.

The timings themselves live in bench/bench_startup.py; these tests pin the causes (what is imported,
how often a file is parsed), which do not depend on how busy the machine is.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import LazyGroup, main
from jixiao.rubric import loader

SRC = Path(__file__).resolve().parents[1] / "src"


def test_help_imports_no_lazy_command_and_no_heavy_library():
    # A fresh interpreter: this test process has long imported everything.
    probe = (
        "import sys\n"
        "from jixiao.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), "COLUMNS": "100"},
    )
    modules = set(done.stdout.split("\n")[-2].split())
    assert "Commands:" in done.stdout
    for name in ("check", "recalc", "summary", "addin"):
        assert f"jixiao.{name}" not in modules, name
    for heavy in ("rich", "pydantic", "yaml", "openpyxl", "xlsxwriter"):
        assert heavy not in modules, heavy


@pytest.mark.parametrize("name", sorted(LazyGroup.lazy_commands))
def test_lazy_help_line_is_the_commands_own(name):
    module, attribute = LazyGroup.lazy_commands[name].split(":")
    command = getattr(importlib.import_module(module), attribute)
    assert LazyGroup.lazy_help[name] == command.get_short_help_str(limit=1000)


def test_help_lists_every_command_with_its_line():
    from click.testing import CliRunner

    shown = CliRunner().invoke(main, ["--help"], terminal_width=200).output
    for name, line in LazyGroup.lazy_help.items():
        assert f"  {name} " in shown
        assert line in shown
    assert "用内置样例" in shown  # an eagerly defined command (demo) is listed too


@pytest.fixture
def counted_parses(monkeypatch):
    calls: list[str] = []
    parse = loader.parse_rubric

    def counting(text, label="表样定义"):
        calls.append(label)
        return parse(text, label)

    monkeypatch.setattr(loader, "parse_rubric", counting)
    monkeypatch.setattr(loader, "_PARSED", {})
    loader.rubric_files.cache_clear()
    loader.builtin_rubrics.cache_clear()
    yield calls
    loader.rubric_files.cache_clear()
    loader.builtin_rubrics.cache_clear()


def test_builtin_rubrics_are_parsed_once_per_process(counted_parses):
    files = loader.rubric_files()
    rubrics = loader.builtin_rubrics()
    for name, path in files.items():
        assert loader.find_rubric(name) is rubrics[name]
        assert loader.load_rubric(path) is rubrics[name]
    # rubric_files() reads each file for its name; nothing after that parses again.
    assert sorted(counted_parses) == sorted(str(path) for path in files.values())
    assert len(counted_parses) == 7


def test_an_edited_rubric_file_is_parsed_again(counted_parses, tmp_path):
    source = loader.rubric_files()["target-project"].read_text(encoding="utf-8")
    file = tmp_path / "mine.yaml"
    file.write_text(source, encoding="utf-8")
    first = loader.load_rubric(file)
    assert loader.load_rubric(file) is first
    # Same length and (on coarse file systems) possibly the same mtime: only the content differs.
    file.write_text(
        source.replace("title: 项目支出绩效目标表", "title: 项目支出绩效目标甲"), encoding="utf-8"
    )
    second = loader.load_rubric(file)
    assert first.title == "项目支出绩效目标表"
    assert second.title == "项目支出绩效目标甲"
    assert counted_parses.count(str(file)) == 2


def test_a_broken_rubric_is_not_cached(counted_parses, tmp_path):
    file = tmp_path / "broken.yaml"
    file.write_text("name: x\nname: y\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(loader.RubricError, match="第 2 行：「name」重复出现"):
            loader.load_rubric(file)
    assert counted_parses.count(str(file)) == 2
