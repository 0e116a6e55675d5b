"""The ``jixiao recalc`` command (registered in jixiao.cli with ``main.add_command(recalc)``)."""

from __future__ import annotations

from pathlib import Path

import click

_SHOWN = 10  # cells listed in a warning before "等 N 个"


def _listing(cells: list[str]) -> str:
    shown = "、".join(cells[:_SHOWN])
    return f"{shown} 等 {len(cells)} 个" if len(cells) > _SHOWN else shown


@click.command(
    short_help="用 jixiao 计算工作簿中的全部公式，把结果存为缓存值（公式与格式不变）。",
    help=(
        "计算 jixiao 工作簿中的全部公式（JX_* 函数和原生公式），把结果写成单元格的缓存值，"
        "使不计算公式的查看方式（文件预览、手机、pandas）也能显示得分。公式、格式、名称、数据验证、"
        "工作表保护和冻结窗格保持不变。默认另存为「原文件名（已计算）.xlsx」；"
        "与原文件一起给出的「（已计算）」文件跳过（由原文件重新生成）。\n\n"
        "退出码：0 全部算完并写出；1 有文件没有写出（输出文件已存在、输出目录不存在、已是计算结果、公式引用层级过深）；"
        "2 有文件无法读取（不是 .xlsx 工作簿、已损坏、过大）或不是 jixiao 生成的工作簿。"
    ),
)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出文件（只处理一个文件时可用）；默认为原文件旁的「原文件名（已计算）.xlsx」。",
)
@click.option("--in-place", is_flag=True, help="直接替换原文件（先写临时文件再整体替换，失败时原文件不变）。")
@click.option("--overwrite", is_flag=True, help="输出文件已存在时覆盖（默认不覆盖）。")
def recalc(files: tuple[Path, ...], output: Path | None, in_place: bool, overwrite: bool) -> None:
    from jixiao.recalc import RecalcError, default_output, is_output, recalc_file

    if output is not None and len(files) > 1:
        raise click.UsageError("-o/--output 只能与单个文件一起使用")
    if output is not None and in_place:
        raise click.UsageError("--in-place 与 -o/--output 只能选一个")
    exit_code = 0
    # `jixiao recalc *.xlsx` run again: 表（已计算）.xlsx is 表.xlsx's output, made again from it.
    outputs = {default_output(path).resolve(): path for path in files if not is_output(path)}
    for path in files:
        if output is None and not in_place and is_output(path) and path.resolve() in outputs:
            click.echo(f"跳过 {path}：它是 {outputs[path.resolve()]} 的计算结果，由原文件重新生成", err=True)
            continue
        try:
            report = recalc_file(path, output, in_place=in_place, overwrite=overwrite)
        except RecalcError as error:
            click.echo(str(error), err=True)
            exit_code = max(exit_code, error.exit_code)
            continue
        click.echo(f"已计算 {report.written} 个公式单元格：{report.output}")
        if report.kept:
            reasons = "、".join(report.reasons)
            click.echo(
                f"  注意：{_listing(report.kept)} 用到了 jixiao 不计算的内容（{reasons}），"
                "保留了文件中原有的缓存值；请在 Excel 或 WPS 中打开并保存以更新。",
                err=True,
            )
        if report.cycles:
            click.echo(f"  注意：{_listing(report.cycles)} 存在循环引用，结果记为 #REF!。", err=True)
    if exit_code:
        raise SystemExit(exit_code)
