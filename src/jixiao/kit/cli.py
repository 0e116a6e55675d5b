"""``jixiao kit``: build the offline install kit for Windows PCs (registered lazily in :mod:`jixiao.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao.kit.build import DEFAULT_PYTHONS, KitError, KitOptions, build_kit


def _say(text: str) -> None:
    click.echo(text, err=True)


@click.command(
    "kit",
    short_help="制作 Windows 离线安装包（一个 .zip，安装时不需要联网）。",
    help=(
        "制作 Windows 离线安装包（一个 .zip）：jixiao 和全部组件（64 位 Python "
        + "、".join(DEFAULT_PYTHONS)
        + " 用）、安装.bat、卸载.bat、说明.txt。需要联网下载组件；安装时不需要联网。"
    ),
)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="安装包写到这个文件夹。",
)
@click.option(
    "--python",
    "pythons",
    multiple=True,
    metavar="3.X",
    help="安装包适用的 Python 版本，可写多次（默认 " + "、".join(DEFAULT_PYTHONS) + "）。",
)
@click.option(
    "--charts", is_flag=True, help="同时装入画 PNG 图表用的 matplotlib（每个 Python 版本约多 33 MB）。"
)
@click.option(
    "--wheel",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="使用这个 jixiao wheel，而不是打包正在运行的 jixiao。",
)
@click.option("--overwrite", is_flag=True, help="安装包已存在时覆盖（默认不覆盖）。")
def kit(outdir: Path, pythons: tuple[str, ...], charts: bool, wheel: Path | None, overwrite: bool) -> None:
    for python in pythons:
        if not python.count(".") == 1 or not all(part.isdigit() for part in python.split(".")):
            raise click.BadParameter(
                f"「{python}」不是 Python 版本号（应写成 3.12 这样）", param_hint="'--python'"
            )
    if wheel is not None and not wheel.name.startswith("jixiao-"):
        raise click.BadParameter(f"「{wheel.name}」不是 jixiao 的 wheel", param_hint="'--wheel'")
    options = KitOptions(pythons=tuple(dict.fromkeys(pythons)) or DEFAULT_PYTHONS, charts=charts)
    try:
        target = build_kit(outdir, options, wheel=wheel, overwrite=overwrite, progress=_say)
    except (KitError, FileExistsError) as error:
        _say(str(error))
        sys.exit(1)
    size = target.stat().st_size / 1e6
    click.echo(f"已写出安装包：{target}（{size:.1f} MB）")
    click.echo("把它拷到要安装的电脑上，解压后双击其中的「安装.bat」；详见包内的「说明.txt」。")
