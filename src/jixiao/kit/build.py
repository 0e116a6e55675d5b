"""Building the offline kit: the jixiao wheel, the Windows wheels of its dependencies, the scripts, one .zip.

Facts this relies on (measured, see docs/安装.md for the user's side):

* ``pip download --only-binary=:all: --platform win_amd64 --python-version 3.X`` fetches Windows
  wheels from any machine, but pip evaluates environment markers for the machine that downloads:
  xlwings' ``pywin32; platform_system == "Windows"`` is dropped off Windows, so pywin32 is named
  explicitly. pip itself is downloaded too: the installer runs pip from its wheel.
* The jixiao wheel is passed to pip as a file (``/path/jixiao-….whl[excel]``), never as the name
  ``jixiao``: jixiao is on no package index, and a project registered there under that name must
  never end up in a kit.
* Every kit is checked before it is written: for each Python version, an offline resolution of the
  kit's requirement for win_amd64 (``pip install --dry-run --no-index --find-links``) must succeed.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from base64 import urlsafe_b64encode
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

import jinja2

import jixiao
from jixiao.kit import installer
from jixiao.workbook.files import replace_atomically

#: The CPython versions a kit serves by default (measured: one version 16.3 MB, all four 49.3 MB).
DEFAULT_PYTHONS = ("3.10", "3.11", "3.12", "3.13")
#: The one Python to ask IT for when none is installed.
RECOMMENDED_PYTHON = "3.12"
PLATFORM = "win_amd64"

Progress = Callable[[str], None]


class KitError(RuntimeError):
    """The kit cannot be built; the message says why and what to do, in Chinese."""


@dataclass(frozen=True)
class KitOptions:
    pythons: tuple[str, ...] = DEFAULT_PYTHONS
    #: matplotlib for `jixiao summary`'s PNG charts (measured: +33 MB per Python version).
    charts: bool = False
    #: The wheels' platform; None: the machine running this (tests install such a kit here).
    platform: str | None = PLATFORM
    built: str = field(default_factory=lambda: datetime.date.today().isoformat())

    @property
    def extras(self) -> str:
        return "excel,charts" if self.charts else "excel"

    @property
    def requirement(self) -> str:
        return f"jixiao[{self.extras}]"


# -- the jixiao wheel ---------------------------------------------------------------------------


def source_tree() -> Path | None:
    """The checkout jixiao runs from (pyproject.toml, setup.py and templates/ beside src/), or None."""
    root = Path(jixiao.__file__).resolve().parents[2]
    pyproject = root / "pyproject.toml"
    if not (pyproject.is_file() and (root / "setup.py").is_file() and (root / "templates").is_dir()):
        return None
    return root if re.search(r'(?m)^name\s*=\s*"jixiao"', pyproject.read_text(encoding="utf-8")) else None


def _run(command: Sequence[str], what: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise KitError(_explain(what, done.stdout + done.stderr))
    return done


_OFFLINE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|"
    r"Name or service not known|Network is unreachable|Connection refused|ConnectTimeout|ReadTimeout|"
    r"getaddrinfo failed|No route to host|ProxyError|Could not fetch URL|SSLError"
)


def _index_url() -> str:
    """The index pip downloads from: PIP_INDEX_URL, pip's configured index-url, or PyPI."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"].split()[0]
    done = subprocess.run(
        [*_pip(), "config", "list"], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    found = re.search(r"(?m)^[\w:.-]*\.index-url='([^' ]+)", done.stdout)
    return found[1] if found else "https://pypi.org/simple"


def _reachable(index: str) -> bool:
    """Whether the index answers at all (any HTTP status counts; only a network failure does not)."""
    url = urlparse(index)
    if url.scheme == "file":
        return Path(url.path).exists()
    try:
        with urllib.request.urlopen(index.rstrip("/") + "/pip/", timeout=10):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def _explain(what: str, output: str) -> str:
    """pip's failure as one Chinese message: no network is the common case, so it is named."""
    tail = "\n".join(output.strip().splitlines()[-12:])
    # pip does not always say why an index gave it nothing ("from versions: none"): ask the index.
    unreachable = "from versions: none" in output and not _reachable(_index_url())
    if _OFFLINE.search(output) or unreachable:
        return (
            f"{what}失败：无法连接 Python 软件包索引（PyPI 或 pip 配置的镜像）。"
            "jixiao kit 要联网下载各组件的 Windows 版本：请在能上网的电脑上运行，"
            "或用 PIP_INDEX_URL 指向单位内网的 PyPI 镜像。\npip 的输出：\n" + tail
        )
    return f"{what}失败。pip 的输出：\n{tail}"


def _pip() -> list[str]:
    try:
        import pip  # noqa: F401
    except ImportError:
        raise KitError("当前 Python 环境没有 pip，无法下载组件：python -m ensurepip 后重试。") from None
    return [sys.executable, "-m", "pip", "--disable-pip-version-check"]


def build_wheel(directory: Path, progress: Progress) -> Path:
    """The wheel of the running jixiao: built from the checkout, or repacked from the installed files."""
    root = source_tree()
    if root is None:
        progress(f"正在打包已安装的 jixiao {jixiao.__version__} ……")
        return repack_installed(directory)
    progress(f"正在从源代码 {root} 构建 jixiao {jixiao.__version__} 的 wheel ……")
    with tempfile.TemporaryDirectory(prefix="jixiao-wheel-") as scratch:
        _run([*_pip(), "wheel", "--no-deps", "--wheel-dir", scratch, str(root)], "构建 jixiao 的 wheel")
        [built] = Path(scratch).glob("jixiao-*.whl")
        directory.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(built, directory / built.name))


def _record_hash(data: bytes) -> str:
    return "sha256=" + urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def repack_installed(directory: Path) -> Path:
    """Rebuild ``jixiao-<version>-<tag>.whl`` from an installed distribution's RECORD (as ``wheel pack``
    does): the package files and the .dist-info, without byte code, pip's install markers or scripts."""
    try:
        dist = importlib.metadata.distribution("jixiao")
    except importlib.metadata.PackageNotFoundError:
        raise KitError("找不到已安装的 jixiao 的安装记录，无法打包。") from None
    files = list(dist.files or [])
    info = next((f for f in files if f.parts[0].endswith(".dist-info") and f.name == "WHEEL"), None)
    if info is None:
        raise KitError(
            "已安装的 jixiao 不是由 wheel 安装的（缺少 WHEEL 记录），无法打包：请从源代码运行 jixiao kit。"
        )
    dist_info = info.parts[0]
    tags = [
        line.split(":", 1)[1].strip() for line in info.read_text().splitlines() if line.startswith("Tag:")
    ]
    name = f"jixiao-{dist.version}-{tags[0] if tags else 'py3-none-any'}.whl"
    skipped = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    records: list[str] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in sorted(files, key=str):
            parts = file.parts
            if parts[0] == ".." or "__pycache__" in parts or file.suffix == ".pyc":
                continue
            if parts[0] == dist_info and file.name in skipped:
                continue
            data = Path(str(file.locate())).read_bytes()
            wheel.writestr(file.as_posix(), data)
            records.append(f"{file.as_posix()},{_record_hash(data)},{len(data)}")
        records.append(f"{dist_info}/RECORD,,")
        wheel.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
    return target


# -- the dependencies ---------------------------------------------------------------------------


def _platform_args(options: KitOptions, python: str) -> list[str]:
    if options.platform is None:
        return []
    return [
        "--only-binary=:all:",
        "--platform",
        options.platform,
        "--python-version",
        python,
        "--implementation",
        "cp",
    ]


_WINDOWS_MARKER = re.compile(
    r"""platform_system\s*==\s*["']Windows["']|sys_platform\s*==\s*["']win32["']|os_name\s*==\s*["']nt["']"""
)


def windows_only_requirements(wheels: Path) -> set[str]:
    """Names the wheels in ``wheels`` require only on Windows (outside extras): what pip skips when it
    downloads on another system (xlwings' pywin32)."""
    names: set[str] = set()
    for path in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(path) as archive:
            metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            for line in archive.read(metadata).decode("utf-8", errors="replace").splitlines():
                requirement, _, marker = line.removeprefix("Requires-Dist:").partition(";")
                if (
                    line.startswith("Requires-Dist:")
                    and _WINDOWS_MARKER.search(marker)
                    and "extra" not in marker
                ):
                    names.add(re.split(r"[\s<>=!~\[(]", requirement.strip(), maxsplit=1)[0].lower())
    return names


def download(wheel: Path, wheels: Path, options: KitOptions, progress: Progress) -> None:
    """Every dependency of ``wheel[extras]`` for each Python version (plus pywin32 and pip) into ``wheels``."""
    windows = bool(options.platform and options.platform.startswith("win"))
    for number, python in enumerate(options.pythons, 1):
        progress(f"正在下载 Python {python} 用的组件（{number}/{len(options.pythons)}）……")
        fetch = [
            *_pip(),
            "download",
            "--only-binary=:all:",
            *_platform_args(options, python),
            "--dest",
            str(wheels),
        ]
        requested = {"pywin32"} if windows else set()
        _run(
            [*fetch, f"{wheel.resolve()}[{options.extras}]", *sorted(requested), "pip"],
            f"下载 Python {python} 用的组件",
        )
        # Any other Windows-only requirement a wheel declares (pip dropped it, as it did pywin32).
        missing = windows_only_requirements(wheels) - requested if windows else set()
        if missing:
            _run([*fetch, *sorted(missing)], f"下载 Python {python} 用的组件")


def check_offline(wheels: Path, options: KitOptions, progress: Progress) -> None:
    """Resolve the kit's requirement from ``wheels`` alone, as the installer will, for every version."""
    progress("正在检查安装包能否离线安装 ……")
    for python in options.pythons:
        with tempfile.TemporaryDirectory(prefix="jixiao-check-") as target:
            _run(
                [
                    *_pip(),
                    "install",
                    "--dry-run",
                    "--ignore-installed",
                    "--no-index",
                    "--find-links",
                    str(wheels),
                    "--only-binary=:all:",
                    *_platform_args(options, python),
                    "--target",
                    target,
                    "--quiet",
                    options.requirement,
                    # pip evaluates markers for this machine: ask for the Windows-only ones by name.
                    *sorted(windows_only_requirements(wheels) if options.platform else ()),
                ],
                f"检查 Python {python} 的离线安装",
            )


# -- the kit ------------------------------------------------------------------------------------


#: The scripts: template → (name in the kit, encoding, line ending).
#: cmd.exe reads a batch file in the console's code page: 936 (GBK) on Chinese Windows, set by the
#: script's second line; Notepad reads UTF-8 with a BOM on every Windows version.
SCRIPTS = {
    "install.bat.j2": ("安装.bat", "gbk"),
    "uninstall.bat.j2": ("卸载.bat", "gbk"),
    "readme.txt.j2": ("说明.txt", "utf-8-sig"),
}
INSTALLER = "install.py"
#: The folder of the kit holding the user's guide (messages say 「见使用指南《安装》」).
GUIDE = installer.GUIDE
# A picture a page shows: ![…](images/x.png) or, from docs/表样/, ![…](../images/x.png).
_PICTURE = re.compile(r"\]\(((?:\.\./)?images/[^)\s#]+)\)")


def guide_dir() -> Path:
    """The guide's pages: the checkout's docs/, or the copy the wheel carries (jixiao/guide, setup.py)."""
    root = source_tree()
    packaged = Path(str(resources.files("jixiao").joinpath("guide")))
    for candidate in ([root / "docs"] if root else []) + [packaged]:
        if (candidate / "安装.md").is_file():
            return candidate
    raise KitError(
        "找不到使用指南（docs 文件夹或安装包中的 jixiao/guide），无法制作安装包：请从源代码运行 jixiao kit。"
    )


def guide_files(docs: Path) -> list[Path]:
    """The guide's files relative to ``docs``: every page (docs/*.md, docs/表样/*.md) and the pictures
    they show — no picture that no page shows."""
    pages = [*sorted(docs.glob("*.md")), *sorted(docs.glob("表样/*.md"))]
    pictures = {
        (page.parent / link).resolve().relative_to(docs.resolve())
        for page in pages
        for link in _PICTURE.findall(page.read_text(encoding="utf-8"))
        if (page.parent / link).is_file()
    }
    return [page.relative_to(docs) for page in pages] + sorted(pictures)


def _wheel_version(wheels: Path, project: str) -> str:
    """The project's versions in the kit (xlwings: older Pythons may get an older release)."""
    versions = {
        path.name.split("-")[1]
        for path in wheels.glob("*.whl")
        if path.name.split("-")[0].lower().replace("_", "-") == project
    }
    return (
        "、".join(sorted(versions, key=lambda v: [int(p) if p.isdigit() else 0 for p in v.split(".")])) or "—"
    )


def _versions_text(pythons: Sequence[str]) -> str:
    return "、".join(pythons[:-1]) + f" 或 {pythons[-1]}" if len(pythons) > 1 else pythons[0]


def render_scripts(context: dict[str, object]) -> dict[str, bytes]:
    """The kit's scripts as bytes: CRLF line ends, each in the encoding its reader expects."""
    environment = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: resources.files("jixiao.kit").joinpath("templates", name).read_text(encoding="utf-8")
        ),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    files: dict[str, bytes] = {}
    for template, (name, encoding) in SCRIPTS.items():
        text = environment.get_template(template).render(context)
        files[name] = text.replace("\r\n", "\n").replace("\n", "\r\n").encode(encoding)
    return files


def stage(kit: Path, jixiao_wheel: Path, wheels: Path, options: KitOptions) -> dict[str, object]:
    """Write the kit's folder: wheels/, install.py, kit.json, the scripts and the guide. Returns the manifest."""
    (kit / "wheels").mkdir(parents=True, exist_ok=True)
    for path in sorted(wheels.glob("*.whl")):
        if path.parent != kit / "wheels":
            shutil.copy2(path, kit / "wheels" / path.name)
    if not (kit / "wheels" / jixiao_wheel.name).exists():
        shutil.copy2(jixiao_wheel, kit / "wheels" / jixiao_wheel.name)
    version = jixiao_wheel.name.split("-")[1]
    manifest: dict[str, object] = {
        "jixiao": version,
        "requirement": options.requirement,
        "python": list(options.pythons),
        "platform": options.platform or "本机",
        "built": options.built,
        "wheels": {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((kit / "wheels").glob("*.whl"))
        },
    }
    (kit / "kit.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    installer = resources.files("jixiao.kit").joinpath("installer.py").read_bytes()
    (kit / INSTALLER).write_bytes(installer)
    pythons = list(options.pythons)
    context = {
        "version": version,
        "versions_text": _versions_text(pythons),
        "versions_newest_first": " ".join(
            sorted(pythons, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
        ),
        "version_tuples": ", ".join("({}, {})".format(*v.split(".")) for v in pythons),
        "recommended": RECOMMENDED_PYTHON if RECOMMENDED_PYTHON in pythons else pythons[-1],
        "xlwings": _wheel_version(kit / "wheels", "xlwings"),
        "charts": options.charts,
        "built": options.built,
    }
    for name, data in render_scripts(context).items():
        (kit / name).write_bytes(data)
    docs = guide_dir()
    for file in guide_files(docs):
        (kit / GUIDE / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(docs / file, kit / GUIDE / file)
    return manifest


def kit_name(version: str) -> str:
    return f"jixiao-{version}-windows-x64"


def write_zip(kit: Path, target: Path) -> None:
    """The kit's folder as one .zip with the folder at its top (wheels are stored: already compressed)."""

    def write(temporary: str) -> None:
        with zipfile.ZipFile(temporary, "w") as archive:
            for path in sorted(kit.rglob("*")):
                if path.is_file():
                    method = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                    archive.write(
                        path, f"{kit.name}/{path.relative_to(kit).as_posix()}", compress_type=method
                    )

    replace_atomically(write, target)


def build_kit(
    outdir: Path,
    options: KitOptions = KitOptions(),
    *,
    wheel: Path | None = None,
    overwrite: bool = False,
    progress: Progress = print,
) -> Path:
    """Build the kit .zip in ``outdir``; ``wheel`` uses that jixiao wheel instead of building one."""
    version = wheel.name.split("-")[1] if wheel else jixiao.__version__
    target = outdir / f"{kit_name(version)}.zip"
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} 已存在；如确需覆盖，请加 --overwrite")
    with tempfile.TemporaryDirectory(prefix="jixiao-kit-") as scratch:
        work = Path(scratch)
        jixiao_wheel = wheel if wheel else build_wheel(work / "built", progress)
        kit = work / kit_name(version)
        wheels = kit / "wheels"
        wheels.mkdir(parents=True)
        download(jixiao_wheel, wheels, options, progress)
        check_offline(wheels, options, progress)
        stage(kit, jixiao_wheel, wheels, options)
        outdir.mkdir(parents=True, exist_ok=True)
        write_zip(kit, target)
    return target
