"""The wheel and the offline Windows kit (``jixiao kit``), built for real.

Tests marked ``kit`` build the wheel once per session (pip, PyPI for the build backend), build one
Windows kit from it (``pip download`` for CPython 3.10–3.13; pip's cache keeps re-runs fast) and one
kit for this machine, which the kit's own installer installs into a fresh venv; jixiao's commands then
run from that venv in a temporary folder. They skip without PyPI, except in CI (CI=true), and run
after the rest of the suite (tests/conftest.py). What only Windows can show (cmd.exe running the
scripts, Excel loading the add-in) is in docs/安装.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.kit import installer
from jixiao.kit.build import DEFAULT_PYTHONS, KitOptions, build_wheel, download, stage

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "xlsx_samples" / "002-洪山街道办事处-项目支出绩效自评表.xlsx"
DOCS = ROOT / "docs"


def _guide() -> set[str]:
    """The guide as the kit should carry it, relative to docs/: every page, and each picture of
    docs/images/ that some page names."""
    pages = [*DOCS.glob("*.md"), *DOCS.glob("表样/*.md")]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    pictures = [p for p in (DOCS / "images").iterdir() if f"images/{p.name})" in text]
    return {p.relative_to(DOCS).as_posix() for p in [*pages, *pictures]}


HERE = f"{sys.version_info[0]}.{sys.version_info[1]}"


def _index_reachable() -> bool:
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple")
    url = urlparse(index)
    try:
        with socket.create_connection((url.hostname or "pypi.org", url.port or 443), timeout=5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def index() -> None:
    if not _index_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("the kit tests need PyPI when CI=true", pytrace=False)
        pytest.skip("PyPI is not reachable")


@pytest.fixture(scope="session")
def wheel(index: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The jixiao wheel, built once per session from this checkout."""
    return build_wheel(tmp_path_factory.mktemp("wheel"), progress=lambda _: None)


@pytest.fixture(scope="session")
def windows_zip(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kit")
    result = CliRunner().invoke(main, ["kit", "-o", str(out), "--wheel", str(wheel)], prog_name="jixiao")
    assert result.exit_code == 0, result.output
    [kit] = out.glob("*.zip")
    return kit


@pytest.fixture(scope="session")
def windows_kit(windows_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(windows_zip) as archive:
        archive.extractall(target)
    [kit] = target.iterdir()
    return kit


def _clean_env() -> dict[str, str]:
    """No PYTHONPATH: the installed jixiao must not see this checkout's src/."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}


@dataclass(frozen=True)
class Installed:
    jixiao: Path
    venv: Path
    output: str


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A kit for this machine (same code path, this platform's wheels), installed by the kit's installer
    into a folder whose name has Chinese characters and a space."""
    base = tmp_path_factory.mktemp("local")
    kit = base / "本机 安装包"
    options = KitOptions(pythons=(HERE,), platform=None)
    download(wheel, kit / "wheels", options, progress=lambda _: None)
    stage(kit, wheel, kit / "wheels", options)
    home = base / "用户 目录" / "jixiao"
    done = subprocess.run(
        [sys.executable, str(kit / "install.py"), "/quiet", "--target", str(home)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=base,
        timeout=600,
    )
    assert done.returncode == installer.OK, done.stdout + done.stderr
    jixiao = home / "venv" / "bin" / "jixiao"
    return Installed(jixiao, home / "venv", done.stdout)


def _jixiao(installed: Installed, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed.jixiao), *args], capture_output=True, text=True, env=_clean_env(), cwd=cwd, timeout=300
    )


# -- the wheel ----------------------------------------------------------------------------------


@pytest.mark.kit
def test_wheel_holds_rubrics_addin_files_and_data(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    for rubric in (ROOT / "templates").glob("*.yaml"):
        assert f"jixiao/templates/{rubric.name}" in names
    for file in ("jixiao_udfs.bas", "libreoffice/JixiaoBridge.xba", "libreoffice/jixiao_lo_bridge.py"):
        assert f"jixiao/addin/files/{file}" in names
    for file in (
        "data/fonts.conf",
        "data/demo_sample.yaml",
        "kit/installer.py",
        "kit/templates/install.bat.j2",
    ):
        assert f"jixiao/{file}" in names
    # The guide, for `jixiao kit` run from an installed jixiao (no docs/ folder there).
    assert {n.removeprefix("jixiao/guide/") for n in names if n.startswith("jixiao/guide/")} == _guide()
    assert not [
        n for n in names if n.startswith(("tests/", "templates/", "addin/", "xlsx_samples/", "docs/"))
    ]
    assert re.search(r"(?m)^Requires-Dist: xlwings.*extra == \"excel\"", metadata)


@pytest.mark.kit
def test_installer_installs_the_wheel_into_a_venv(installed: Installed, wheel: Path) -> None:
    assert "安装完成。" in installed.output
    assert "本机不是 Windows：没有安装 Excel 加载项。" in installed.output
    record = json.loads((installed.venv.parent / "install.json").read_text(encoding="utf-8"))
    assert record["jixiao"] == wheel.name.split("-")[1] and record["venv"] == str(installed.venv)
    # The guide is kept beside the venv: the unzipped kit may be deleted after installing.
    guide = installed.venv.parent / "使用指南"
    assert {p.relative_to(guide).as_posix() for p in guide.rglob("*") if p.is_file()} == _guide()
    assert f"使用指南：{guide}" in installed.output
    # The venv is built from the kit alone: its pip came from the kit's pip wheel.
    assert list(installed.venv.glob("lib/python*/site-packages/pip/__init__.py"))


@pytest.mark.kit
def test_installed_rubrics_come_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    names = [
        yaml.safe_load(f.read_text(encoding="utf-8"))["name"]
        for f in sorted((ROOT / "templates").glob("*.yaml"))
    ]
    listed = _jixiao(installed, "rubrics", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == names
    shown = _jixiao(installed, "rubrics", "show", "hubei-project", cwd=tmp_path)
    [file] = re.findall(r"# 文件：(.*)", shown.stdout)
    assert Path(file).is_relative_to(installed.venv) and file.endswith(
        "jixiao/templates/04-hubei-project.yaml"
    )


@pytest.mark.kit
def test_installed_commands_work_from_any_folder(installed: Installed, tmp_path: Path) -> None:
    from filled_forms import fill_form, make_form
    from jixiao.rubric import find_rubric

    made = _jixiao(
        installed,
        "new",
        "--rubric",
        "hubei-project",
        "--unit",
        "洪山街道办事处",
        "-o",
        "空白表",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    [blank] = (tmp_path / "空白表").glob("*.xlsx")
    with zipfile.ZipFile(blank) as book:
        assert "JX_" not in book.read("xl/worksheets/sheet1.xml").decode()  # native by default

    checked = _jixiao(installed, "check", str(SAMPLE), "--format", "json", cwd=tmp_path)
    assert checked.returncode == 1 and checked.stderr == "", checked.stderr  # the sample's known findings
    assert json.loads(checked.stdout)

    # An add-in form filled with seed 002's amounts: 执行率得分 = ROUND(20 × 939.9 ÷ 1069.34, 2) = 17.58.
    form = make_form(find_rubric("hubei-project"), "xlwings", tmp_path / "表", projects=1)
    fill_form(form, tmp_path / "已填.xlsx", "xlwings")
    recalculated = _jixiao(installed, "recalc", "已填.xlsx", "-o", "已计算.xlsx", cwd=tmp_path)
    assert recalculated.returncode == 0, recalculated.stderr
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "已计算.xlsx", data_only=True)
    sheet, cell = next(iter(book.defined_names["执行率得分"].destinations))
    assert book[sheet][cell.replace("$", "")].value == pytest.approx(17.58)

    summary = _jixiao(installed, "summary", str(SAMPLE), "-o", "汇总.xlsx", "--no-png", cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    assert (tmp_path / "汇总.xlsx").is_file()

    addin = _jixiao(installed, "addin", "install", cwd=tmp_path)
    assert addin.returncode == 3 and "只能安装在 Windows 的桌面版 Excel 上" in addin.stdout + addin.stderr


@pytest.mark.kit
@pytest.mark.libreoffice
def test_installed_render_computes_addin_formulas(installed: Installed, tmp_path: Path) -> None:
    from filled_forms import fill_form, make_form
    from jixiao.libreoffice import find_soffice
    from jixiao.rubric import find_rubric

    if find_soffice() is None:
        pytest.skip("no LibreOffice")
    form = make_form(find_rubric("hubei-project"), "xlwings", tmp_path / "表", projects=1)
    fill_form(form, tmp_path / "已填.xlsx", "xlwings")
    rendered = _jixiao(installed, "render", "已填.xlsx", "-o", "预览", "--no-png", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "预览" / "已填.pdf"), "-"], capture_output=True, text=True
    )
    assert "17.58" in text.stdout and "#NAME?" not in text.stdout
    profile = _jixiao(installed, "addin", "libreoffice", "install", "--profile", "LO配置", cwd=tmp_path)
    assert profile.returncode == 0, profile.stderr
    settings = json.loads(
        (tmp_path / "LO配置" / "user" / "jixiao" / "jixiao_lo_bridge.json").read_text("utf-8")
    )
    assert [Path(p) for p in settings["python_path"]] == [
        next(installed.venv.glob("lib/python*/site-packages"))
    ]


@pytest.mark.kit
def test_installed_jixiao_repacks_its_own_wheel(installed: Installed, wheel: Path, tmp_path: Path) -> None:
    """`jixiao kit` run from an installed jixiao (no checkout) packs the installed files as a wheel."""
    python = installed.jixiao.with_name("python")
    code = "import sys; from pathlib import Path; from jixiao.kit.build import repack_installed; "
    code += "print(repack_installed(Path(sys.argv[1])))"
    done = subprocess.run(
        [str(python), "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    repacked = Path(done.stdout.strip())
    assert repacked.name == wheel.name
    with zipfile.ZipFile(wheel) as original, zipfile.ZipFile(repacked) as copy:
        assert sorted(original.namelist()) == sorted(copy.namelist())
        for name in original.namelist():
            if not name.endswith(".dist-info/RECORD"):
                assert original.read(name) == copy.read(name), name
        # RECORD lists every file with its sha256 (urlsafe base64, no padding) and size.
        record = next(n for n in copy.namelist() if n.endswith(".dist-info/RECORD"))
        for line in copy.read(record).decode().splitlines():
            name, digest, size = line.rsplit(",", 2)
            if name == record:
                continue
            data = copy.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (f"sha256={expected}", len(data)), name
    # pip installs it.
    target = tmp_path / "装到这里"
    check = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(target),
         str(repacked)],
        capture_output=True, text=True, env=_clean_env(), timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert (target / "jixiao" / "templates" / "04-hubei-project.yaml").is_file()


# -- the Windows kit ----------------------------------------------------------------------------


@pytest.mark.kit
def test_kit_holds_only_what_it_should(windows_zip: Path, wheel: Path) -> None:
    with zipfile.ZipFile(windows_zip) as archive:
        names = archive.namelist()
        # Chinese file names carry the zip's UTF-8 flag (bit 11), which Windows' own unzip honours.
        assert all(info.flag_bits & 0x800 for info in archive.infolist() if not info.filename.isascii())
    top = windows_zip.stem
    assert top == f"jixiao-{wheel.name.split('-')[1]}-windows-x64"
    assert {n for n in names if not n.startswith((f"{top}/wheels/", f"{top}/使用指南/"))} == {
        f"{top}/{name}" for name in ("安装.bat", "卸载.bat", "说明.txt", "install.py", "kit.json")
    }
    assert {n.removeprefix(f"{top}/使用指南/") for n in names if n.startswith(f"{top}/使用指南/")} == _guide()
    wheels = [n.rsplit("/", 1)[1] for n in names if n.startswith(f"{top}/wheels/")]
    assert all(name.endswith(".whl") for name in wheels)
    assert wheel.name in wheels
    # Compiled wheels are Windows 64-bit ones, one per supported CPython.
    compiled = [n for n in wheels if not n.endswith(("-none-any.whl", "py2.py3-none-any.whl"))]
    assert compiled and all(n.endswith("-win_amd64.whl") for n in compiled)
    for python in DEFAULT_PYTHONS:
        tag = "cp" + python.replace(".", "")
        assert any(n.startswith("pywin32-") and f"-{tag}-{tag}-" in n for n in wheels), python
        assert any(n.startswith("pydantic_core-") and f"-{tag}-{tag}-" in n for n in wheels), python


@pytest.mark.kit
def test_kit_manifest_matches_its_wheels(windows_kit: Path) -> None:
    manifest = json.loads((windows_kit / "kit.json").read_text(encoding="utf-8"))
    assert manifest["python"] == list(DEFAULT_PYTHONS)
    assert manifest["requirement"] == "jixiao[excel]"
    assert sorted(manifest["wheels"]) == sorted(p.name for p in (windows_kit / "wheels").iterdir())
    assert installer.kit_problem(windows_kit, manifest) is None


@pytest.mark.kit
@pytest.mark.parametrize("python", DEFAULT_PYTHONS)
def test_kit_resolves_offline_for_windows(windows_kit: Path, python: str, tmp_path: Path) -> None:
    """What the installer's pip does on the PC, resolved here for win_amd64 (no index, kit only)."""
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index",
         "--find-links", str(windows_kit / "wheels"), "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", python, "--implementation", "cp", "--target", str(tmp_path / "t"),
         "--report", str(report), "--quiet", "--disable-pip-version-check", "jixiao[excel]", "pywin32"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # pywin32 is named: pip evaluates xlwings' `platform_system == "Windows"` for this machine, not the
    # target (on the PC, jixiao[excel] alone brings it in).
    assert done.returncode == 0, done.stderr
    resolved = {
        re.sub(r"[-_.]+", "-", item["metadata"]["name"].lower()): item
        for item in json.loads(report.read_text())["install"]
    }
    assert {"jixiao", "xlwings", "pywin32", "pydantic-core", "pyyaml", "openpyxl"} <= set(resolved)
    tag = "cp" + python.replace(".", "")
    assert resolved["pywin32"]["download_info"]["url"].endswith(f"-{tag}-{tag}-win_amd64.whl")


@pytest.mark.kit
def test_xlwings_dll_lands_beside_the_venvs_pythonw(windows_kit: Path) -> None:
    """xlwings' DLL is wheel *data*: pip puts it in the venv's root, the parent of Scripts\\pythonw.exe,
    where the add-in looks for it (a ``pip install --user`` would put it under %APPDATA%\\Python)."""
    xlwings = sorted((windows_kit / "wheels").glob("xlwings-*-win_amd64.whl"))
    assert len(xlwings) == len(DEFAULT_PYTHONS)
    for path in xlwings:
        version = path.name.split("-")[1]
        with zipfile.ZipFile(path) as archive:
            assert f"xlwings-{version}.data/data/xlwings64-{version}.dll" in archive.namelist()


def _labels(text: str) -> tuple[set[str], set[str]]:
    defined = {m.lower() for m in re.findall(r"(?m)^:(\w+)", text)}
    used = {m.lower() for m in re.findall(r"(?i)\b(?:goto|call)\s+:(\w+)", text)}
    return defined, used


@pytest.mark.kit
@pytest.mark.parametrize("script", ["安装.bat", "卸载.bat"])
def test_kit_scripts_are_what_cmd_reads(windows_kit: Path, script: str) -> None:
    data = (windows_kit / script).read_bytes()
    # CRLF everywhere: cmd.exe misreads labels and long lines in LF-only batch files.
    assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n") and b"\r\r" not in data
    lines = data.split(b"\r\n")
    # ASCII until the code page is set; GBK (code page 936, Chinese Windows' console) after it.
    assert lines[0] == b"@echo off" and lines[1] == b"chcp 936 >nul"
    text = data.decode("gbk")  # strict: every byte sequence is valid GBK
    assert "jixiao" in text and re.search("[\u4e00-\u9fff]", text)
    defined, used = _labels(text)
    assert used <= defined | {"eof"}
    # cmd.exe would treat these as redirections or command separators in a message line.
    assert not [
        line for line in text.splitlines() if line.startswith("echo ") and re.search(r"(?<!\^)[<>|&]", line)
    ]
    # Every file of the kit a script names is in the kit.
    for reference in re.findall(r'%KIT%([^"%\s]+)', text):
        assert (windows_kit / reference.replace("\\", "/").rstrip("/")).exists(), reference
    # The Python versions it looks for are the kit's own.
    if script == "安装.bat":
        assert "for %%V in (3.13 3.12 3.11 3.10)" in text
        assert "python.org" in text and "64" in text  # which installer to ask IT for


@pytest.mark.kit
def test_kit_readme(windows_kit: Path) -> None:
    data = (windows_kit / "说明.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    text = data.decode("utf-8-sig")
    for needed in (
        "安装.bat",
        "卸载.bat",
        "/quiet",
        "kit.json",
        "%LOCALAPPDATA%\\jixiao",
        "--formulas xlwings",
        "「使用指南」文件夹",
    ):
        assert needed in text, needed


@pytest.mark.kit
def test_kit_without_network_says_so(wheel: Path, tmp_path: Path) -> None:
    env = {
        **_clean_env(),
        "PYTHONPATH": str(ROOT / "src"),
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",  # nothing listens on the discard port
        "PIP_NO_CACHE_DIR": "1",
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "2",
        "PIP_CONFIG_FILE": os.devnull,  # no extra index or find-links from this machine's pip.conf
    }
    env.pop("PIP_FIND_LINKS", None)
    done = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "kit", "-o", str(tmp_path), "--wheel", str(wheel), "--python", HERE],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "无法连接 Python 软件包索引" in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("*.zip"))


# -- the installer's checks (no network) --------------------------------------------------------


def _fake_kit(folder: Path, manifest: dict) -> Path:
    folder.mkdir(parents=True)
    (folder / "install.py").write_bytes(Path(installer.__file__).read_bytes())
    (folder / "kit.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "wheels").mkdir()
    return folder


def _run_installer(kit: Path, target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(kit / "install.py"), "/quiet", "--target", str(target)],
        capture_output=True, text=True, env=_clean_env(), timeout=60,
    )  # fmt: skip


def test_installer_names_the_python_versions_it_needs(tmp_path: Path) -> None:
    kit = _fake_kit(
        tmp_path / "kit", {"jixiao": "0.1.0", "python": ["3.98", "3.99"], "requirement": "x", "wheels": {}}
    )
    done = _run_installer(kit, tmp_path / "home")
    assert done.returncode == installer.UNUSABLE
    assert f"找到的 Python 是 {HERE}，本安装包只含 Python 3.98、3.99 用的组件" in done.stdout
    assert not (tmp_path / "home").exists()


def test_installer_refuses_an_incomplete_kit(tmp_path: Path) -> None:
    kit = _fake_kit(
        tmp_path / "kit",
        {
            "jixiao": "0.1.0",
            "python": [HERE],
            "requirement": "x",
            "wheels": {"pip-1-py3-none-any.whl": "0" * 64},
        },
    )
    (kit / "wheels" / "pip-1-py3-none-any.whl").write_bytes(b"damaged")
    done = _run_installer(kit, tmp_path / "home")
    assert done.returncode == installer.UNUSABLE
    assert "安装包不完整：1 个组件缺失或已损坏（如 pip-1-py3-none-any.whl）" in done.stdout
    assert not (tmp_path / "home").exists()


def test_installer_rejects_unknown_arguments(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(Path(installer.__file__)), "/silent"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == installer.UNUSABLE and "不认识的参数：/silent" in done.stdout


def test_user_path_entry_is_added_once_and_removed() -> None:
    base = r"C:\Windows;C:\Tools"
    added = installer.path_with(base, r"C:\Users\张三\AppData\Local\jixiao\bin", add=True)
    assert added == r"C:\Windows;C:\Tools;C:\Users\张三\AppData\Local\jixiao\bin"
    assert installer.path_with(added, r"C:\Users\张三\AppData\Local\jixiao\bin", add=True) == added
    assert installer.path_with(added + "\\", r"C:\Users\张三\AppData\Local\jixiao\bin", add=False) == base
    assert installer.path_with("", r"C:\jx\bin", add=True) == r"C:\jx\bin"


def _fake_installation(target: Path, addin_exit: int) -> None:
    """An installed jixiao whose add-in and bridge uninstall commands answer as on a PC."""
    jixiao = target / "venv" / "bin" / "jixiao"
    jixiao.parent.mkdir(parents=True)
    jixiao.write_text(
        "#!/bin/sh\n"
        'if [ "$2" = "libreoffice" ]; then echo "已删除：/配置/JixiaoBridge.xba"; exit 0; fi\n'
        f'echo "加载项：$1 $2"; exit {addin_exit}\n',
        encoding="utf-8",
    )
    jixiao.chmod(0o755)


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script stands in for jixiao")
def test_uninstall_removes_the_add_in_bridge_and_folder(tmp_path: Path) -> None:
    target = tmp_path / "用户" / "jixiao"
    _fake_installation(target, addin_exit=0)
    done = subprocess.run(
        [sys.executable, str(Path(installer.__file__)), "/uninstall", "/quiet", "--target", str(target)],
        capture_output=True, text=True, env=_clean_env(), timeout=60,
    )  # fmt: skip
    assert done.returncode == installer.OK, done.stdout
    assert "加载项：addin uninstall" in done.stdout  # `jixiao addin uninstall` ran first
    assert "已删除：/配置/JixiaoBridge.xba" in done.stdout
    assert f"已卸载 jixiao：删除了 {target}。" in done.stdout
    assert not target.exists()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script stands in for jixiao")
def test_uninstall_keeps_everything_while_excel_holds_the_add_in(tmp_path: Path) -> None:
    target = tmp_path / "jixiao"
    _fake_installation(target, addin_exit=1)  # jixiao addin uninstall: 无法删除 … Excel 正在使用它
    done = subprocess.run(
        [sys.executable, str(Path(installer.__file__)), "--uninstall", "--target", str(target)],
        capture_output=True, text=True, env=_clean_env(), timeout=60,
    )  # fmt: skip
    assert done.returncode == installer.FAILED
    assert "请关闭所有 Excel 窗口后重试" in done.stdout
    assert (target / "venv" / "bin" / "jixiao").exists()


def test_staged_kit_carries_the_guide_with_working_links(tmp_path: Path) -> None:
    """Offline: the kit folder stage() writes has 使用指南/ with every page and picture, and every
    relative link of a page points at a file inside 使用指南/ (the messages name its pages)."""
    wheels = tmp_path / "downloaded"
    wheels.mkdir()
    wheel = wheels / "jixiao-9.9.9-py3-none-any.whl"
    wheel.write_bytes(b"not installed here")
    kit = tmp_path / "kit"
    stage(kit, wheel, wheels, KitOptions(pythons=(HERE,), platform=None))
    guide = kit / "使用指南"
    assert {p.relative_to(guide).as_posix() for p in guide.rglob("*") if p.is_file()} == _guide()
    for page in guide.rglob("*.md"):
        for link in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in link:
                continue
            target = (page.parent / link).resolve()
            assert target.exists() and guide.resolve() in target.parents, (page.name, link)
