"""The offline kit's installer: what ``安装.bat`` and ``卸载.bat`` run (copied into the kit as ``install.py``).

It runs under whichever Python the batch file found, before jixiao exists on the machine, so it uses
the standard library only. Installing means:

1. check that this Python can use the kit's wheels (its version is one the kit was built for, 64-bit)
   and that the kit is complete (every wheel listed in ``kit.json`` is there, unchanged);
2. create a virtual environment in the user's profile (``%LOCALAPPDATA%\\jixiao\\venv``). A venv, not
   ``pip install --user``: the Excel add-in loads xlwings' DLL from the folder of the configured
   ``pythonw.exe`` or its parent, which in a venv is where pip puts it (``<venv>``); a ``--user``
   install puts it under ``%APPDATA%\\Python`` where it is not found;
3. install offline with the pip wheel in the kit (``--no-index --find-links``), so neither the
   user's pip version nor ``ensurepip`` matters, and no pip configuration (``PIP_*``, pip.ini) can
   send it to an index;
4. run ``jixiao addin install`` (the Excel add-in) and put a ``jixiao`` command on the user's PATH.

Uninstalling removes the add-in, the PATH entry and the folder. Exit codes: 0 done; 1 failed;
2 this Python or this kit cannot be used; 3 jixiao installed, but the Excel add-in is not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import venv
from collections.abc import Callable, Sequence
from pathlib import Path

MANIFEST = "kit.json"
WHEELS = "wheels"
#: The kit's folder with the user's guide; copied beside the venv so it outlives the unzipped kit.
GUIDE = "使用指南"
WINDOWS = sys.platform.startswith("win")

OK, FAILED, UNUSABLE, NO_ADDIN = 0, 1, 2, 3
#: ``jixiao addin install``'s exit code off Windows (jixiao.addin.excel.UNSUPPORTED).
ADDIN_UNSUPPORTED = 3

Echo = Callable[[str], None]
#: Captured output of jixiao and pip: child_env() makes them write UTF-8 whatever the console's code page.
UTF8: dict = {"encoding": "utf-8", "errors": "replace"}


def default_target() -> Path:
    """Where jixiao goes: the user's own profile, so no administrator rights are needed."""
    if WINDOWS:
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "jixiao"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "jixiao"


def read_manifest(kit: Path) -> dict:
    return json.loads((kit / MANIFEST).read_text(encoding="utf-8"))


def python_problem(
    manifest: dict, version: tuple[int, int] | None = None, executable: str = ""
) -> str | None:
    """Why this Python cannot install the kit, in Chinese; None when it can."""
    version = version or sys.version_info[:2]
    executable = executable or sys.executable
    shown = f"{version[0]}.{version[1]}"
    wanted = manifest["python"]
    listed = "、".join(wanted)
    if shown not in wanted:
        return (
            f"这台电脑上找到的 Python 是 {shown}，本安装包只含 Python {listed} 用的组件。"
            f"请安装其中任一版本的 64 位 Python（python.org 的 Windows installer (64-bit)）后重试，"
            "或请信息中心重新制作含此版本的安装包（jixiao kit --python " + shown + "）。"
        )
    if WINDOWS and struct.calcsize("P") != 8:
        return (
            f"这台电脑上的 Python {shown} 是 32 位的，本安装包的组件是 64 位的。"
            "请安装 64 位的 Python（python.org 的 Windows installer (64-bit)）后重试。"
        )
    if WINDOWS and "WindowsApps" in executable:
        return (
            "找到的是 Microsoft Store 版的 Python：它把写入 AppData 的文件转存到别处，Excel 加载项会找不到 Python。"
            "请改装 python.org 的 Windows installer (64-bit)，再运行安装。"
        )
    return None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def kit_problem(kit: Path, manifest: dict) -> str | None:
    """Missing or damaged wheels (a partly extracted or corrupted download), in Chinese."""
    bad = []
    for name, digest in manifest["wheels"].items():
        path = kit / WHEELS / name
        if not path.is_file() or sha256(path) != digest:
            bad.append(name)
    if not bad:
        return None
    return (
        f"安装包不完整：{len(bad)} 个组件缺失或已损坏（如 {bad[0]}）。"
        "请把压缩包重新完整解压（右键 > 全部解压缩）；仍不行时请重新获取安装包。"
    )


def venv_paths(venv_dir: Path) -> tuple[Path, Path]:
    """The venv's python and its jixiao command."""
    scripts = venv_dir / ("Scripts" if WINDOWS else "bin")
    suffix = ".exe" if WINDOWS else ""
    return scripts / f"python{suffix}", scripts / f"jixiao{suffix}"


def child_env() -> dict[str, str]:
    """The environment for pip and jixiao: no pip settings or Python paths of the user's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith("PIP_")
        and key.upper() not in ("PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE")
    }
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.ini / pip.conf: nothing may point pip at an index
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _remove(folder: Path, echo: Echo) -> bool:
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        return True
    except OSError as error:
        echo(f"无法删除 {folder}（{error.strerror or error}）。")
        echo(
            "请关闭所有 Excel 窗口（Excel 加载项在使用其中的 Python），必要时在任务管理器中结束 pythonw.exe，再重试。"
        )
        return False
    return True


def _pip_install(kit: Path, manifest: dict, venv_dir: Path, echo: Echo) -> bool:
    python, _ = venv_paths(venv_dir)
    wheels = kit / WHEELS
    [pip_wheel] = [name for name in manifest["wheels"] if name.startswith("pip-")]
    command = [
        str(python),
        str(wheels / pip_wheel / "pip"),  # pip runs from its own wheel: no ensurepip, no old pip
        "install",
        "--no-index",
        "--find-links",
        str(wheels),
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-warn-script-location",
        "--quiet",
        manifest["requirement"],
        "pip",
    ]
    done = subprocess.run(command, capture_output=True, env=child_env(), stdin=subprocess.DEVNULL)
    if done.returncode == 0:
        return True
    output = (done.stdout + done.stderr).decode("utf-8", errors="replace").strip()
    echo("安装组件失败。pip 的输出如下：")
    echo("\n".join(output.splitlines()[-25:]))
    return False


def _windows_path(folder: Path, add: bool) -> None:  # pragma: no cover - Windows registry
    """Add or remove ``folder`` in the user's PATH (HKCU\\Environment), then tell Windows."""
    import ctypes
    import winreg

    with winreg.OpenKey(
        winreg.HKEY_CURRENT_USER, "Environment", 0, winreg.KEY_READ | winreg.KEY_WRITE
    ) as key:
        try:
            value, kind = winreg.QueryValueEx(key, "Path")
        except FileNotFoundError:
            value, kind = "", winreg.REG_EXPAND_SZ
        new = path_with(value, str(folder), add)
        if new != value:
            winreg.SetValueEx(key, "Path", 0, kind, new)
    result = ctypes.c_ulong()
    # WM_SETTINGCHANGE to all windows, so new command windows see the PATH (SMTO_ABORTIFHUNG, 5 s).
    ctypes.windll.user32.SendMessageTimeoutW(0xFFFF, 0x1A, 0, "Environment", 0x2, 5000, ctypes.byref(result))


def path_with(value: str, folder: str, add: bool) -> str:
    """A PATH value (";"-separated) with ``folder`` appended once, or with every copy of it removed."""

    def same(entry: str) -> bool:
        return os.path.normcase(entry.strip().rstrip("\\/")) == os.path.normcase(folder.rstrip("\\/"))

    parts = [part for part in value.split(";") if part.strip()]
    kept = [part for part in parts if not same(part)]
    if add:
        if len(kept) != len(parts):
            return value
        kept.append(folder)
    return ";".join(kept)


def _command_shim(target: Path) -> Path:
    """``<target>\\bin\\jixiao.cmd``: only this folder goes on PATH, not the venv's Scripts (whose
    python.exe would shadow the user's own Python)."""
    folder = target / "bin"
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "jixiao.cmd"
    shim.write_bytes(b'@"%~dp0..\\venv\\Scripts\\jixiao.exe" %*\r\n')
    return folder


def install(kit: Path, target: Path, *, addin: bool = True, path: bool = True, echo: Echo = print) -> int:
    try:
        manifest = read_manifest(kit)
    except (OSError, ValueError, KeyError):
        echo(f"在 {kit} 中找不到安装包的清单 {MANIFEST}：请把压缩包完整解压后，运行解压出的「安装.bat」。")
        return UNUSABLE
    problem = python_problem(manifest) or kit_problem(kit, manifest)
    if problem:
        echo(problem)
        return UNUSABLE
    echo(f"jixiao {manifest['jixiao']} 离线安装（Python {sys.version.split()[0]}：{sys.executable}）")
    venv_dir = target / "venv"
    if venv_dir.exists():
        echo(f"删除以前安装的版本：{venv_dir}")
        if not _remove(venv_dir, echo):
            return FAILED
    echo(f"正在建立 jixiao 专用的 Python 环境：{venv_dir}")
    target.mkdir(parents=True, exist_ok=True)
    venv.EnvBuilder(with_pip=False, symlinks=not WINDOWS).create(venv_dir)
    echo("正在安装 jixiao 及其组件（不联网，约需 1 分钟）……")
    if not _pip_install(kit, manifest, venv_dir, echo):
        return FAILED
    _, jixiao = venv_paths(venv_dir)
    version = subprocess.run([str(jixiao), "--version"], capture_output=True, env=child_env(), **UTF8)
    if version.returncode != 0:
        echo("jixiao 装好后无法运行：")
        echo((version.stdout + version.stderr).strip())
        return FAILED
    echo(f"已安装：{version.stdout.strip()}（{venv_dir}）")
    if (kit / GUIDE).is_dir():
        if (target / GUIDE).exists() and not _remove(target / GUIDE, echo):
            return FAILED
        shutil.copytree(kit / GUIDE, target / GUIDE)
        echo(f"使用指南：{target / GUIDE}")
    status = OK
    if addin:
        echo("正在安装 Excel 加载项（jixiao addin install）……")
        code = subprocess.run(
            [str(jixiao), "addin", "install"], env=child_env(), stdin=subprocess.DEVNULL
        ).returncode
        if code == ADDIN_UNSUPPORTED:
            echo("本机不是 Windows：没有安装 Excel 加载项。")
        elif code != 0:
            echo("Excel 加载项没有装好（原因见上）。jixiao 命令已可以使用；处理后再运行一次安装即可。")
            status = NO_ADDIN
    if path and WINDOWS:  # pragma: no cover - Windows only
        folder = _command_shim(target)
        _windows_path(folder, add=True)
        echo(f"已把 {folder} 加入当前用户的 PATH：新开一个「命令提示符」窗口即可输入 jixiao 命令。")
    elif not WINDOWS:
        echo(f"jixiao 命令：{jixiao}")
    record = {
        "jixiao": manifest["jixiao"],
        "python": sys.version.split()[0],
        "base_python": sys.executable,
        "venv": str(venv_dir),
        "addin": status == OK and addin,
    }
    (target / "install.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    echo("安装完成。" if status == OK else "安装基本完成（Excel 加载项除外）。")
    return status


def uninstall(target: Path, *, echo: Echo = print) -> int:
    venv_dir = target / "venv"
    _, jixiao = venv_paths(venv_dir)
    if jixiao.exists():
        code = subprocess.run(
            [str(jixiao), "addin", "uninstall"], env=child_env(), stdin=subprocess.DEVNULL
        ).returncode
        if code not in (0, ADDIN_UNSUPPORTED):
            echo("Excel 加载项没有删除（原因见上）：请关闭所有 Excel 窗口后重试。")
            return FAILED
        bridge = subprocess.run(
            [str(jixiao), "addin", "libreoffice", "uninstall"],
            capture_output=True,
            env=child_env(),
            **UTF8,
        )
        if bridge.returncode == 0 and "已删除" in bridge.stdout:
            echo(bridge.stdout.strip())
    if WINDOWS:  # pragma: no cover - Windows only
        _windows_path(target / "bin", add=False)
    if not target.exists():
        echo(f"没有找到已安装的 jixiao（{target}）。")
        return OK
    if not _remove(target, echo):
        return FAILED
    echo(f"已卸载 jixiao：删除了 {target}。")
    return OK


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        print(
            f"不认识的参数：{' '.join(sys.argv[1:])}。可用：/quiet（不暂停）、--target 文件夹、--no-addin、--no-path。"
        )
        raise SystemExit(UNUSABLE)


#: Windows-style switches (安装.bat /quiet) → the parser's own. Paths are never switches, so only
#: these exact words are translated (a Linux path also starts with "/").
_SWITCHES = {
    "/quiet": "--quiet",
    "/q": "--quiet",
    "/uninstall": "--uninstall",
    "/target": "--target",
    "/no-addin": "--no-addin",
    "/no-path": "--no-path",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="install.py", add_help=False)
    parser.add_argument("--quiet", "-q", action="store_true")  # only the batch file acts on it (no pause)
    parser.add_argument("--uninstall", action="store_true")
    parser.add_argument("--target", type=Path, default=None)
    parser.add_argument("--no-addin", action="store_true")
    parser.add_argument("--no-path", action="store_true")
    arguments = sys.argv[1:] if argv is None else list(argv)
    options = parser.parse_args([_SWITCHES.get(argument.lower(), argument) for argument in arguments])
    target = (options.target or default_target()).resolve()
    if options.uninstall:
        return uninstall(target)
    return install(
        Path(__file__).resolve().parent, target, addin=not options.no_addin, path=not options.no_path
    )


if __name__ == "__main__":
    sys.exit(main())
