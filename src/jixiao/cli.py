"""The ``jixiao`` command line (Chinese help; see README)."""

from __future__ import annotations

import datetime
import importlib
import sys
from pathlib import Path
from typing import ClassVar

import click

from jixiao import __version__


class LazyGroup(click.Group):
    """Commands that live beside the code they drive are imported only when used, so `jixiao demo`
    or `jixiao new` does not pay for the checker's or the add-in's imports (click's documented
    lazy-loading pattern). `jixiao --help` shows their one-line help from ``lazy_help`` instead of
    importing them (importing all four took 0.2 s, longer than the whole demo); a test keeps the
    lines equal to the commands' own."""

    lazy_commands: ClassVar[dict[str, str]] = {
        "addin": "jixiao.addin.cli:addin",
        "check": "jixiao.check.cli:check",
        "recalc": "jixiao.recalc.cli:recalc",
        "summary": "jixiao.summary.cli:summary",
    }
    lazy_help: ClassVar[dict[str, str]] = {
        "addin": "安装 JX_* 函数：Excel 加载项或 LibreOffice Calc 桥接。",
        "check": "检查已填写的自评表：重算得分，与填报得分对照，找出差异和结构问题。",
        "recalc": "用 jixiao 计算工作簿中的全部公式，把结果存为缓存值（公式与格式不变）。",
        "summary": "汇总：项目自评表 → 部门整体自评表、汇总工作簿（带图表）和 PNG 图。",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module_name, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in self.lazy_commands and name not in self.commands:
                commands.append((name, click.Command(name, short_help=self.lazy_help[name])))
            elif (command := self.get_command(ctx, name)) is not None and not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


def _fail(message: str, code: int = 2) -> None:
    click.echo(message, err=True)
    raise SystemExit(code)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="jixiao（绩效）：预算绩效目标表、自评表的评分、生成与检查。不带子命令时运行演示。",
)
@click.version_option(__version__, "-V", "--version", message="jixiao %(version)s")
@click.pass_context
def main(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(demo)


@main.command(help="用内置样例（种子表 002 的两张项目自评表）演示评分：填报得分与规则得分并列。")
def demo() -> None:
    from jixiao.demo import run_demo

    raise SystemExit(run_demo())


# -- rubrics ----------------------------------------------------------------------------------


@main.group(
    invoke_without_command=True, help="列出、查看、检查表样定义（评分细则）。不带子命令时列出内置表样。"
)
@click.pass_context
def rubrics(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is None:
        from jixiao.rubric import builtin_rubrics

        for name, rubric in builtin_rubrics().items():
            sources = "、".join(rubric.sources)
            click.echo(f"{name}\t{rubric.kind.value}\t{rubric.title}\t{sources}")


@rubrics.command("show", help="显示一个表样定义：名称或 YAML 文件路径。")
@click.argument("name")
def rubrics_show(name: str) -> None:
    from jixiao.rubric import RubricError, find_rubric, rubric_files

    try:
        rubric = find_rubric(name)
    except RubricError as error:
        _fail(str(error))
    path = rubric_files().get(name) or Path(name)
    click.echo(f"# {rubric.title}（{rubric.name}，{rubric.kind.value}）")
    click.echo(f"# 文件：{path}")
    click.echo(path.read_text(encoding="utf-8"))


@rubrics.command("check", help="检查自己编写的表样定义文件：格式、分值合计、能否生成表格。")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def rubrics_check(file: Path) -> None:
    from jixiao.generate.layout import FormContext, LayoutError, layout_workbook
    from jixiao.rubric import RubricError, load_rubric

    try:
        rubric = load_rubric(file)
        for dialect in ("xlwings", "native"):
            layout_workbook(rubric, [FormContext(2000, "检查")], dialect)
    except (RubricError, LayoutError) as error:
        _fail(str(error), 1)
    click.echo(f"{file}：表样「{rubric.name}」（{rubric.title}）有效。")


# -- new --------------------------------------------------------------------------------------


@main.command(
    "new",
    help=(
        "生成空白的绩效目标表或自评表工作簿。\n\n"
        "例：jixiao new --rubric hubei-project --year 2027 --unit 某某单位 --projects 项目清单.xlsx -o 输出目录"
    ),
)
@click.option(
    "--rubric", "rubric_name", required=True, help="表样名称（见 jixiao rubrics）或表样定义文件路径。"
)
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="预算年度，默认为明年。")
@click.option("--unit", default="", help="单位名称。")
@click.option("--unit-code", default="", help="单位编码（可选）。")
@click.option(
    "--projects",
    "projects_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="项目清单（CSV 或 xlsx，列名：项目名称、项目编码、主管部门、实施单位、预算数 …）。",
)
@click.option(
    "--from",
    "previous_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="上一年度由 jixiao 生成并已填写的工作簿：沿用其项目和指标（目标值作为建议，实际值、得分和说明清空）。",
)
@click.option(
    "--formulas",
    type=click.Choice(["xlwings", "native"]),
    default="xlwings",
    show_default=True,
    help="公式写法：xlwings 使用 jixiao 加载项函数；native 只用 Excel 原生公式（WPS、LibreOffice 可用）。",
)
@click.option("--split", is_flag=True, help="每个项目单独一个文件（默认每个项目一个工作表）。")
@click.option("--password", default=None, help="工作表保护密码（默认无密码保护）。")
@click.option("--overwrite", is_flag=True, help="输出文件已存在时覆盖（默认不覆盖）。")
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="输出目录。",
)
def new(
    rubric_name: str,
    year: int | None,
    unit: str,
    unit_code: str,
    projects_file: Path | None,
    previous_file: Path | None,
    formulas: str,
    split: bool,
    password: str | None,
    overwrite: bool,
    outdir: Path,
) -> None:
    from jixiao.generate.api import Request, merge_projects
    from jixiao.generate.layout import LayoutError
    from jixiao.generate.projects import ProjectListError, read_projects
    from jixiao.generate.rollforward import RollForwardError, read_previous
    from jixiao.rubric import RubricError, find_rubric

    try:
        rubric = find_rubric(rubric_name)
        listed = read_projects(projects_file) if projects_file else []
        carried = []
        if previous_file:
            previous = read_previous(previous_file)
            carried = list(previous.projects)
            unit = unit or previous.unit
            unit_code = unit_code or previous.unit_code
            if year is None and previous.year:
                year = previous.year + 1
    except (RubricError, ProjectListError, RollForwardError) as error:
        _fail(str(error))
    year = year or datetime.date.today().year + 1
    request = Request(
        rubric=rubric,
        year=year,
        unit=unit,
        unit_code=unit_code,
        projects=merge_projects(listed, carried),
        dialect=formulas,  # type: ignore[arg-type]
        split=split,
        password=password,
        overwrite=overwrite,
    )
    try:
        paths = _generate_with_progress(request, outdir)
    except FileExistsError as error:
        _fail(str(error))
    except LayoutError as error:
        _fail(f"表样「{rubric.name}」无法生成：{error}")
    for path in paths:
        click.echo(f"已生成：{path}")


@main.command(
    help="把工作簿导出为 PDF，并把每页转为 PNG 图片（需要 LibreOffice 和 pdftoppm），便于打印和预览。"
)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="输出目录。",
)
@click.option("--no-png", is_flag=True, help="只导出 PDF。")
@click.option("--dpi", type=click.IntRange(30, 300), default=80, show_default=True, help="PNG 分辨率。")
def render(files: tuple[Path, ...], outdir: Path, no_png: bool, dpi: int) -> None:
    from jixiao.libreoffice import LibreOfficeError
    from jixiao.render import render as render_files

    try:
        for path in render_files(list(files), outdir, png=not no_png, dpi=dpi):
            click.echo(f"已导出：{path}")
    except LibreOfficeError as error:
        _fail(str(error))


def _generate_with_progress(request, outdir: Path) -> list[Path]:
    from rich.progress import Progress

    from jixiao.generate.api import contexts_for, generate

    count = len(contexts_for(request))
    if count < 20 or not sys.stderr.isatty():
        return generate(request, outdir)
    with Progress(transient=True) as progress:
        task = progress.add_task("生成工作簿", total=count)
        return generate(request, outdir, lambda done, total: progress.update(task, completed=done))


if __name__ == "__main__":
    main()
