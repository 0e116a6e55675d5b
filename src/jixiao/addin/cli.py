"""``jixiao addin …``: install the Excel add-in (Windows) or the LibreOffice bridge (any system).

Registered in :mod:`jixiao.cli` with ``main.add_command(addin)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao.addin import excel
from jixiao.addin import libreoffice as lo


def _echo(text: str) -> None:
    click.echo(text)


def _windows_only(action: str) -> None:
    """Off Windows: explain what works instead and stop with a non-zero exit code."""
    if sys.platform.startswith("win"):
        return
    click.echo(excel.unsupported_message(sys.platform), err=True)
    click.echo(f"（jixiao addin {action} 未执行。）", err=True)
    sys.exit(excel.UNSUPPORTED)


@click.group(
    "addin",
    short_help="安装 JX_* 函数：Excel 加载项或 LibreOffice Calc 桥接。",
    help="安装 JX_* 函数：Windows Excel 加载项（xlwings），或 LibreOffice Calc 桥接（libreoffice 子命令）。",
)
def addin() -> None:
    pass


@addin.command("install", help="创建并安装 jixiao.xlam 加载项，写入 xlwings 配置（仅 Windows）。")
def install() -> None:
    _windows_only("install")
    sys.exit(excel.install_windows(_echo))


@addin.command("uninstall", help="删除 jixiao.xlam 加载项及其配置（仅 Windows）。")
def uninstall() -> None:
    _windows_only("uninstall")
    sys.exit(excel.uninstall_windows(_echo))


@addin.command("status", help="查看加载项是否安装、配置与 xlwings 版本是否一致（仅 Windows）。")
def status() -> None:
    _windows_only("status")
    sys.exit(excel.status_windows(_echo))


_PROFILE = click.option(
    "--profile",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="LibreOffice 用户配置文件夹（含 user 子文件夹的那一层），默认为本机的标准位置。",
)


@addin.group("libreoffice", help="让 LibreOffice Calc 也能计算 JX_* 公式（安装到 LibreOffice 用户配置）。")
def libreoffice() -> None:
    pass


@libreoffice.command("install", help="安装桥接模块（Basic 模块 + Python 组件）；安装前请关闭 LibreOffice。")
@_PROFILE
@click.option("--force", is_flag=True, help="即使检测到 LibreOffice 正在运行也安装。")
def lo_install(profile: Path | None, force: bool) -> None:
    folder = profile or lo.default_profile()
    try:
        installed = lo.install_bridge(folder, force=force)
    except lo.BridgeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"已安装 LibreOffice 桥接：{installed.module}")
    click.echo(f"Python 组件：{installed.component}（jixiao 位置见 {installed.settings.name}）")
    click.echo("重新打开 LibreOffice 后，JX_* 公式即可计算；若仍显示 #NAME?，按 Ctrl+Shift+F9 重新计算。")
    click.echo("注意：在 LibreOffice 中所有错误值都显示为 #VALUE!（Basic 函数只能返回这一种错误）。")


@libreoffice.command("uninstall", help="从 LibreOffice 用户配置中删除桥接。")
@_PROFILE
@click.option("--force", is_flag=True, help="即使检测到 LibreOffice 正在运行也删除。")
def lo_uninstall(profile: Path | None, force: bool) -> None:
    folder = profile or lo.default_profile()
    try:
        removed = lo.uninstall_bridge(folder, force=force)
    except lo.BridgeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    if not removed:
        click.echo(f"{folder} 中没有安装 jixiao 桥接。")
    for path in removed:
        click.echo(f"已删除：{path}")


@libreoffice.command("status", help="查看桥接是否安装、能否找到 jixiao。")
@_PROFILE
def lo_status(profile: Path | None) -> None:
    lines, ok = lo.status(profile or lo.default_profile())
    for line in lines:
        click.echo(line)
    sys.exit(0 if ok else 1)
