"""``jixiao check``: the command line of the checker (registered by jixiao.cli)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
from pathlib import Path

import click

from jixiao.workbook.discovery import collect

# Copies of checked sheets in the review workbook come from at most this many files.
REPORT_FILES = 200


def _same_terminal(first: object, second: object) -> bool:
    try:
        return (
            first.isatty()  # type: ignore[attr-defined]
            and second.isatty()  # type: ignore[attr-defined]
            and os.path.samestat(os.fstat(first.fileno()), os.fstat(second.fileno()))  # type: ignore[attr-defined]
        )
    except (AttributeError, OSError, ValueError):
        return False


def _rubric(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from jixiao.rubric import builtin_rubrics

    names = builtin_rubrics()
    if value not in names:
        raise click.BadParameter(f"没有名为「{value}」的内置表样；可选：{'、'.join(sorted(names))}")
    return value


@click.command(
    "check",
    short_help="检查已填写的自评表和目标表：重算得分、对照填报得分，审核目标表，找出差异和结构问题。",
    help=(
        "检查已填写的绩效自评表：按评分规则重算每个得分，与填报得分并列，说明差异是仅舍入不同、"
        "实质差异还是规则无法判定；并检查分值合计、得分超分值、小计与总分、执行率、资金平衡、"
        "偏差原因和未填合计。\n\n"
        "绩效目标表在报送前审核：指标体系的一级、二级指标是否齐全，指标值能否量化考核，成本指标是否为金额，"
        "指标值确定依据，预算数与资金来源、资金支出计划，部门整体表的分项目标与项目预算合计；"
        "加 --previous 上年自评表 时再与上年实际完成值对比。\n\n"
        "文件可以是 jixiao 生成的工作簿（按工作簿名称读取），也可以是按湖北、山西、全国等版式"
        "手工制作的 Excel / WPS 表格（按表头文字读取）；给出目录时检查其中所有 .xlsx。\n\n"
        "退出码：0 未发现问题，1 发现问题，2 有文件无法读取。\n\n"
        "例：jixiao check 自评表目录 --report 检查结果.xlsx"
    ),
)
@click.argument(
    "paths", nargs=-1, required=True, metavar="FILE|DIR...", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "jsonl"]),
    default="table",
    show_default=True,
    help="输出格式：table 为中文表格；json 为一个 JSON 文档，jsonl 为每个文件一行 JSON（最后一行为汇总），供其他程序读取。",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="另存一个审阅工作簿（.xlsx）：每个问题一行，附被检查工作表的副本，问题单元格标色并加批注。原文件不会被修改。",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 512),
    default=None,
    help="并行进程数，默认为全部 CPU 核数。",
)
@click.option(
    "--rubric",
    "rubric_name",
    default=None,
    callback=_rubric,
    help="手工制作的表格按此内置表样的规则评分（见 jixiao rubrics）；默认按表格版式自动选择。",
)
@click.option(
    "--previous",
    "previous_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="FILE|DIR",
    help="上年的自评表（文件或文件夹，可多次给出）：目标表的指标值低于上年实际完成值、上年的指标今年没有了，都会指出。",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    default=60.0,
    show_default=True,
    help="单个文件的处理时限（秒）；超时的文件报告为无法读取并跳过。",
)
@click.option("--overwrite", is_flag=True, help="--report 的审阅工作簿已存在时覆盖（默认不覆盖）。")
def check(
    paths: tuple[Path, ...],
    output_format: str,
    report_path: Path | None,
    jobs: int | None,
    rubric_name: str | None,
    previous_paths: tuple[Path, ...],
    timeout: float,
    overwrite: bool,
) -> None:
    from rich.console import Console

    from jixiao.check.accounting import Status
    from jixiao.check.batch import Limits, find_files, iter_batch
    from jixiao.check.duplicates import DuplicateMarker
    from jixiao.check.read import FileResult
    from jixiao.check.report import JsonDocument, JsonLines, Table, Tally

    if report_path is not None:
        if report_path.suffix.lower() != ".xlsx":
            raise click.BadParameter("审阅工作簿须为 .xlsx 文件", param_hint="--report")
        given = {p.resolve() for p in paths if p.is_file()}
        if report_path.resolve() in given:
            raise click.BadParameter("审阅工作簿不能覆盖被检查的文件", param_hint="--report")
        if report_path.exists() and not overwrite:
            click.echo(f"{report_path} 已存在；如确需覆盖，请加 --overwrite", err=True)
            raise SystemExit(2)
    # Packed into one string and found in a short-lived child: 20,000 files cost the parent (and
    # each worker, which shares its pages) 3 MB instead of 15 MB.
    files = find_files(functools.partial(collect, paths, exclude=report_path))
    if not files:
        click.echo("没有找到要检查的 .xlsx / .xlsm 文件。", err=True)
        raise SystemExit(2)

    errors = Console(stderr=True)
    started = time.perf_counter()
    progress = None
    if len(files) > 1 and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # No auto-refresh thread: the workers are forked, and forking beside a thread is unsafe.
        progress = Progress(
            TextColumn("检查"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=errors,
            transient=True,
            auto_refresh=False,
            # Results are written while the bar is shown: never let it capture standard output.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        task = progress.add_task("检查", total=len(files))

    def advance(_result: object) -> None:
        if progress is not None:
            progress.advance(task)
            progress.refresh()

    def write(text: str) -> None:
        click.echo(text, nl=False, color=True)

    if progress is not None and _same_terminal(sys.stdout, sys.stderr):
        # Results and the bar share one screen: print results through the bar's console, which
        # draws them above the bar instead of letting the bar's redraw overwrite them.
        def write(text: str) -> None:
            progress.console.out(text, end="", highlight=False)

    # Each file's result is written as soon as it and the files before it are checked, and then
    # dropped: memory stays flat however many files there are.
    if output_format == "json":
        output = JsonDocument(write)
    elif output_format == "jsonl":
        output = JsonLines(write)
    else:
        console = Console()
        colour = console.is_terminal and not console.legacy_windows and console.color_system is not None
        output = Table(write, files=len(files), colour=colour)
    tally = Tally()
    duplicates = DuplicateMarker()
    held: list[FileResult] = []  # results with target forms, reviewed together after the stream

    emitted = 0

    def emit(result: FileResult) -> None:
        nonlocal emitted
        emitted += 1
        tally.add(result)
        output.add(result)
        # The review workbook lists findings and unscorable rows (the only rows it uses) and copies
        # the kept sheets.
        unscorable = [row for row in result.rows if row.status is Status.UNSCORABLE] if want_grids else []
        if want_grids and (result.findings or result.grids or unscorable):
            reviewed.append(FileResult(result.file, result.findings, grids=result.grids, rows=unscorable))

    reviewed: list[FileResult] = []  # for --report: the copied sheets (≤ REPORT_FILES files) and findings
    limits = Limits(timeout=timeout)
    want_grids = report_path is not None
    try:
        if progress is not None:
            progress.start()
        for result in iter_batch(
            files,
            jobs=jobs or os.cpu_count() or 1,
            rubric=rubric_name,
            limits=limits,
            keep_grids=lambda index: want_grids and index < REPORT_FILES,
            on_result=advance,
        ):
            duplicates.add(result)  # a form and its 「（已计算）」 copy: noted, counted once
            # --previous without target forms is noted on the first file, so that file waits too.
            if result.targets or (previous_paths and not held and not emitted):
                held.append(result)
            else:
                emit(result)
    except KeyboardInterrupt:
        output.discard()
        click.echo("已中断。", err=True)
        raise SystemExit(130) from None
    except BrokenPipeError:
        output.discard()
        _reader_gone()
    finally:
        if progress is not None:
            progress.stop()
    if held:
        # Target forms are reviewed across files (a unit's budget against its projects, last
        # year's forms): the few results that have them wait for the end of the stream.
        from jixiao.check.target_batch import review_across_files

        review_across_files(held, previous_paths)
        try:
            for result in held:
                emit(result)
        except BrokenPipeError:
            output.discard()
            _reader_gone()
    summary = tally.summary(time.perf_counter() - started)

    if report_path is not None:
        from jixiao.check.review import write_review

        try:
            written = write_review(report_path, reviewed, overwrite=overwrite)
        except FileExistsError as error:  # appeared while the files were being checked
            click.echo(str(error), err=True)
            raise SystemExit(2) from None
        errors.print(f"审阅工作簿已写入：{written}", highlight=False)
    try:
        output.close(summary)
    except BrokenPipeError:
        _reader_gone()
    raise SystemExit(summary.exit_code)


def _reader_gone() -> None:
    """The reader of our output went away (`jixiao check … | head`): stop quietly, as command-line
    tools do, without Python complaining about the unflushed rest at exit; 141 is what a shell
    reports for a program stopped by SIGPIPE."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(141) from None
