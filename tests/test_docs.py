"""Every command in the accountant's guide runs: the ```bash blocks of README.md, docs/*.md and
docs/表样/*.md, each line through the real command line (click's CliRunner on jixiao.cli.main).

A doc runs top to bottom in its own temporary folder, prepared with the files its examples name
(项目清单.csv, the filled forms in 已填报/, …), so an example that depends on an earlier one sees
its output. ``./jx X`` is ``jixiao X`` (``./jx`` alone is the demo). A line must exit 0 unless its
comment documents another code ("# 发现问题时退出码为 1"). Lines that cannot run here are skipped
only through the explicit lists below, each with its reason.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from jixiao.cli import main
from summary_samples import SEED_002, write_samples

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "docs" / "表样").glob("*.md")],
    key=lambda path: str(path.relative_to(ROOT)),
)
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)
EXIT_CODE = re.compile(r"退出码(?:为|是)?\s*(\d+)")

# jixiao commands that are not run here, by their leading words.
SKIPPED = {
    ("test",): "./jx test 运行的就是这些测试本身",
    ("addin", "install"): "仅 Windows：需要桌面版 Excel 和 COM",
    ("addin", "status"): "仅 Windows：需要桌面版 Excel 和 COM",
    ("addin", "uninstall"): "仅 Windows：需要桌面版 Excel 和 COM",
    ("kit",): "联网下载约 50 MB 的 Windows 组件；tests/test_kit.py 完整运行它",
}
# Other programs a guide may show (installing jixiao itself): not run.
OTHER_PROGRAMS = {"pip": "安装 jixiao 本身；测试环境已经装好"}
# Commands that change the user's configuration run with HOME in the temporary folder.
ISOLATED_HOME = ("addin",)


@dataclass(frozen=True)
class Line:
    doc: str
    text: str
    args: tuple[str, ...]  # the jixiao arguments; () for a skipped line
    expected: int
    skipped: str = ""


def _comment(line: str) -> str:
    """The comment of a shell line: after a # that is outside quotes."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[index + 1 :]
    return ""


def parse(doc: Path) -> list[Line]:
    name = str(doc.relative_to(ROOT))
    lines: list[Line] = []
    for block in BLOCK.findall(doc.read_text(encoding="utf-8")):
        for raw in block.replace("\\\n", " ").splitlines():
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            words = shlex.split(text, comments=True)
            match = EXIT_CODE.search(_comment(text))
            expected = int(match.group(1)) if match else 0
            program, rest = words[0], tuple(words[1:])
            if program == "./jx":
                program, rest = "jixiao", rest or ("demo",)
            if program != "jixiao":
                reason = OTHER_PROGRAMS.get(program)
                assert reason, (
                    f"{name}：「{text}」不是 jixiao 命令，测试无法运行（如确需保留，请加入 OTHER_PROGRAMS）"
                )
                lines.append(Line(name, text, (), expected, reason))
                continue
            reason = next((why for lead, why in SKIPPED.items() if rest[: len(lead)] == lead), "")
            lines.append(Line(name, text, rest, expected, reason))
    return lines


# --- the files the examples name ---------------------------------------------------------------


def _project_list() -> list[list[object]]:
    """Seed 002's projects as a project list (项目清单)."""
    implementers = {"教育支出": "成教中心", "科学技术支出": "综合发展办", "卫生健康支出": "卫健服务中心"}
    rows: list[list[object]] = [["项目名称", "主管部门", "实施单位", "预算数"]]
    for project in SEED_002:
        rows.append(
            [project.name, "洪山街道办事处", implementers.get(project.name, "党政办公室"), project.budget]
        )
    return rows


YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)
# "# 某区项目自评表.yaml 的开头（blocks: 以下照抄 templates/04-hubei-project.yaml）"
HEAD_OF = re.compile(r"^# (\S+\.yaml) 的开头（blocks: 以下照抄 (templates/\S+\.yaml)）")


def _rubric_files() -> dict[str, str]:
    """The rubric files the docs show: 表样定义.md §1's complete example, and files shown by their
    head only ("… 的开头（blocks: 以下照抄 templates/…）"), completed with the template's blocks."""
    text = (ROOT / "docs" / "表样定义.md").read_text(encoding="utf-8")
    files = {"某市项目自评表.yaml": YAML_BLOCK.findall(text)[0]}
    for doc in DOCS:
        for block in YAML_BLOCK.findall(doc.read_text(encoding="utf-8")):
            match = HEAD_OF.match(block)
            if match:
                template = (ROOT / match.group(2)).read_text(encoding="utf-8")
                files[match.group(1)] = block + template[template.index("\nblocks:") :]
    return files


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder with everything the docs' examples use; each doc gets a copy."""
    root = tmp_path_factory.mktemp("docs-files")
    rows = _project_list()
    (root / "项目清单.csv").write_text(
        "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n", encoding="utf-8"
    )
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(root / "项目清单.xlsx")
    write_samples(root / "已填报", year=2026, folders=False)
    # README: the seed samples shipped with the project.
    shutil.copytree(ROOT / "xlsx_samples", root / "xlsx_samples")
    # README: last year's filled workbook (a jixiao workbook) to carry forward.
    shutil.copyfile(root / "已填报" / "洪山街道办事处项目自评表.xlsx", root / "2026年度自评表.xlsx")
    mine = (ROOT / "templates" / "04-hubei-project.yaml").read_text(encoding="utf-8")
    (root / "我的表样.yaml").write_text(
        mine.replace("name: hubei-project", "name: my-project"), encoding="utf-8"
    )
    for name, text in _rubric_files().items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _expand(args: tuple[str, ...]) -> list[str]:
    """Shell globbing, as bash would do it (a pattern without matches stays as written)."""
    expanded: list[str] = []
    for arg in args:
        matches = sorted(glob.glob(arg)) if any(c in arg for c in "*?[") else []
        expanded += matches or [arg]
    return expanded


def _needs_libreoffice(args: tuple[str, ...]) -> bool:
    return bool(args) and args[0] == "render"


def test_every_doc_has_been_found() -> None:
    names = {str(doc.relative_to(ROOT)) for doc in DOCS}
    assert {"README.md", "docs/快速开始.md", "docs/汇总.md", "docs/常见问题.md", "docs/README.md"} <= names
    assert len([n for n in names if n.startswith("docs/表样/")]) == 8  # one page per built-in rubric


def test_skips_are_only_the_listed_ones() -> None:
    skipped = {line.text: line.skipped for doc in DOCS for line in parse(doc) if line.skipped}
    # Every skipped line is Windows-only, an install, or the test runner itself.
    assert all(reason in {*SKIPPED.values(), *OTHER_PROGRAMS.values()} for reason in skipped.values())


# Docs without a command block (函数参考.md, 加载项安装.md) have nothing to run.
DOCS_WITH_COMMANDS = [doc for doc in DOCS if parse(doc)]


@pytest.mark.parametrize(
    "doc", DOCS_WITH_COMMANDS, ids=[str(doc.relative_to(ROOT)) for doc in DOCS_WITH_COMMANDS]
)
def test_doc_commands_run(doc: Path, prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = parse(doc)
    runnable = [line for line in lines if not line.skipped]
    work = tmp_path / "工作目录"
    shutil.copytree(prepared, work)
    monkeypatch.chdir(work)
    runner = CliRunner()
    for line in runnable:
        if _needs_libreoffice(line.args) and shutil.which("soffice") is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{line.doc}：「{line.text}」需要 LibreOffice，CI 中必须安装")
            continue
        env = None
        if line.args[:1] and line.args[0] in ISOLATED_HOME:
            env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config")}
        result = runner.invoke(main, _expand(line.args), env=env, catch_exceptions=True)
        detail = (
            f"{line.doc}：「{line.text}」退出码 {result.exit_code}，应为 {line.expected}\n{result.output}"
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(detail) from result.exception
        assert result.exit_code == line.expected, detail


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=[str(doc.relative_to(ROOT)) for doc in DOCS])
def test_links_and_pictures_exist(doc: Path) -> None:
    """Every relative link and picture of the guide points at a file (or folder) in the repository."""
    missing = [
        target
        for target in LINK.findall(doc.read_text(encoding="utf-8"))
        if "://" not in target and not (doc.parent / target).exists()
    ]
    assert not missing, f"{doc.relative_to(ROOT)}：找不到 {missing}"


def _message_strings() -> list[tuple[str, str]]:
    """(module, text) of every string literal in src/jixiao except docstrings and comments: what a
    user can be shown."""
    import ast

    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "src" / "jixiao").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found += [
            (path.name, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        ]
    return found


def test_messages_name_guide_pages_users_have() -> None:
    """A user of the wheel or the Windows kit has no docs/ folder: messages name a page of the guide
    the kit carries as 使用指南/ (「见使用指南《安装》」), and that page exists."""
    strings = _message_strings()
    assert not [(module, text) for module, text in strings if "docs/" in text]
    pages = {page for _, text in strings for page in re.findall(r"使用指南《([^》]+)》", text)}
    # excel.py names 加载项安装 and 安装; charts.py names 安装.
    assert {"安装", "加载项安装"} <= pages
    assert [page for page in pages if not (ROOT / "docs" / f"{page}.md").is_file()] == []
