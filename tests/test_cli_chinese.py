"""The command line speaks Chinese, click's own words included, and writes native formulas by default."""

from __future__ import annotations

import ast
import re
import string
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from jixiao import cli_zh
from jixiao.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "xlsx_samples"
ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Error:",
    "Missing",
    "Show this message",
    "[default:",
    "[required]",
)


def run(*args: str, cwd: Path | None = None) -> click.testing.Result:
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), prog_name="jixiao")
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(main, list(args), prog_name="jixiao")


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def test_missing_option_is_chinese() -> None:
    result = run("new")
    assert result.exit_code == 2
    assert "用法：jixiao new [选项]" in result.output
    assert "运行「jixiao new --help」查看帮助。" in result.output
    assert "错误：缺少选项 '--rubric'。" in result.output
    assert _english(result.output) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("render", "没有这个文件.xlsx"), "错误：'文件...' 的值无效：文件「没有这个文件.xlsx」不存在。"),
        (
            ("new", "--rubric", "hubei-project", "--year", "明年"),
            "错误：'--year' 的值无效：'明年' 不是有效的数字。",
        ),
        (("new", "--rubric", "hubei-project", "--year", "1999"), "1999 不在范围 2000<=x<=2100 内。"),
        (("new", "--rubric", "x", "--formulas", "wps"), "'wps' 不是可选值 'native', 'xlwings' 之一。"),
        (("new", "--rubric", "x", "--colour"), "错误：没有选项 --colour。"),
        (("nosuch",), "错误：没有子命令「nosuch」。"),
        (("rubrics", "show"), "错误：缺少参数 '名称'。"),
        (("new", "--rubric"), "错误：选项 --rubric 后面需要 1 个值。"),
    ],
)
def test_usage_errors_are_chinese(args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert _english(result.output) == []


def _all_commands(
    group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    found = [path]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _all_commands(command, ctx, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_every_help_page_is_chinese() -> None:
    with click.Context(main, info_name="jixiao") as ctx:
        commands = _all_commands(main, ctx)
    assert ("kit",) in commands and ("addin", "libreoffice", "install") in commands
    for path in commands:
        result = run(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        assert result.output.startswith("用法：jixiao"), path
        assert "选项：" in result.output and "显示本帮助并退出。" in result.output, path
        assert _english(result.output) == [], (path, result.output)
        # click's metavars (TEXT, INTEGER RANGE, DIRECTORY …) are named in Chinese too.
        assert not re.search(r"\b(TEXT|INTEGER|FLOAT|DIRECTORY|FILE|PATH|COMMAND)\b", result.output), path


# The project's own names for its reference material: users have neither the seed forms nor DOMAIN.md.
INTERNAL = ("种子表", "DOMAIN", "seed")


def test_help_and_demo_name_nothing_users_do_not_have() -> None:
    with click.Context(main, info_name="jixiao") as ctx:
        commands = _all_commands(main, ctx)
    pages = {path: run(*path, "--help").output for path in [(), *commands]}
    pages[("demo",)] += run("demo").output
    leaks = {path: word for path, text in pages.items() for word in INTERNAL if word in text}
    assert leaks == {}


def test_help_lines_fit_the_terminal() -> None:
    """Chinese characters take two columns: every help line fits 80 columns (click counts characters)."""
    result = CliRunner().invoke(main, ["new", "--help"], prog_name="jixiao", terminal_width=80)
    assert max(cli_zh.width(line) for line in result.output.splitlines()) <= 80
    # ... and the option text is still all there, wrapped: 默认 native is said once.
    assert result.output.count("[默认：native]") == 1


def test_wrap_keeps_chinese_punctuation_off_line_starts() -> None:
    # 12 columns: "一二三四五六" fills a line; "，" must not start the next one, so it stays (one over).
    assert cli_zh.wrap("一二三四五六，七八", 12) == ["一二三四五六，", "七八"]
    assert cli_zh.wrap("选项 --formulas 的值", 12) == ["选项", "--formulas", "的值"]
    # An opening bracket does not end a line: it moves down with what it opens.
    assert cli_zh.wrap("请打开文件「说明」", 12) == ["请打开文件", "「说明」"]
    assert cli_zh.width("Excel 加载项") == 6 + 6


def _click_messages() -> set[tuple[str, ...]]:
    """Every literal passed to ``_()`` / ``ngettext()`` in the installed click."""
    found: set[tuple[str, ...]] = set()
    for file in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                texts = tuple(
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                )
                if texts:
                    found.add(texts)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalog_covers_click() -> None:
    """Every message click can show a user has a translation (a click upgrade adding one fails here)."""
    untranslated = []
    for texts in _click_messages():
        if len(texts) == 1 and texts[0] not in cli_zh.CATALOG and texts[0] not in cli_zh.DEVELOPER_ONLY:
            untranslated.append(texts[0])
        if len(texts) == 2 and texts not in cli_zh.PLURALS:
            untranslated.append(texts[0])
    assert untranslated == []


def test_translations_use_only_clicks_placeholders() -> None:
    for message, translated in cli_zh.CATALOG.items():
        assert _fields(translated) <= _fields(message), message
    for (singular, plural), translated in cli_zh.PLURALS.items():
        assert _fields(translated) <= _fields(singular) | _fields(plural), singular


def _formulas(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "".join(
            book.read(name).decode("utf-8") for name in book.namelist() if name.startswith("xl/worksheets/")
        )


def test_new_writes_native_formulas_by_default(tmp_path: Path) -> None:
    result = run("new", "--rubric", "hubei-project", "--unit", "洪山街道办事处", "-o", str(tmp_path / "默认"))
    assert result.exit_code == 0, result.output
    [default] = (tmp_path / "默认").glob("*.xlsx")
    sheets = _formulas(default)
    assert "<f>" in sheets  # scores are formulas …
    assert "JX_" not in sheets  # … native ones: nothing that needs the add-in
    result = run("new", "--rubric", "hubei-project", "--formulas", "xlwings", "-o", str(tmp_path / "加载项"))
    assert result.exit_code == 0, result.output
    [addin] = (tmp_path / "加载项").glob("*.xlsx")
    assert "JX_SCORE" in _formulas(addin)


def test_summary_unit_form_is_native_by_default(tmp_path: Path) -> None:
    sample = SAMPLES / "002-洪山街道办事处-项目支出绩效自评表.xlsx"
    result = run("summary", str(sample), "-o", str(tmp_path / "汇总.xlsx"), "--no-png")
    assert result.exit_code == 0, result.output
    [unit_form] = tmp_path.glob("*部门整体绩效自评表*.xlsx")
    sheets = _formulas(unit_form)
    assert "<f>" in sheets and "JX_" not in sheets


def test_python_dash_m_jixiao_runs_the_command_line(tmp_path: Path) -> None:
    """`python -m jixiao …` is `jixiao …`: same output, same exit codes, usage named jixiao."""
    import os
    import subprocess
    import sys

    import jixiao

    src = str(Path(jixiao.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src, "PYTHONIOENCODING": "utf-8"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jixiao", *args],
            capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120,
        )  # fmt: skip

    version = run("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"jixiao {jixiao.__version__}")
    listed = run("rubrics")
    assert listed.returncode == 0 and "hubei-project\t项目自评表" in listed.stdout
    (tmp_path / "假表.xlsx").write_text("不是工作簿", encoding="utf-8")
    refused = run("recalc", "假表.xlsx")
    assert refused.returncode == 2 and "假表.xlsx" in refused.stderr
    usage = run("new")
    assert usage.returncode == 2 and "jixiao new" in usage.stderr and "__main__" not in usage.stderr
