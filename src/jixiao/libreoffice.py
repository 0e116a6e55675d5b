"""Recalculate .xlsx workbooks in a headless LibreOffice and read the computed values back.

Why this shape:

* openpyxl writes formulas without cached values and LibreOffice does not recalculate .xlsx on load by
  default, so every request ends in ``doc.calculateAll()``.
* The ``uno`` module exists only for Debian's ``/usr/bin/python3`` (package python3-uno), not for the
  project's interpreter. So this module never imports ``uno``: it runs ``_lo_worker.py`` under the uno
  Python and talks to it over stdin/stdout in JSON lines.
* Starting soffice costs ~1 s; one :class:`Calc` keeps one soffice and one worker alive for many
  workbooks. Each soffice gets a private temporary profile (concurrent instances sharing a profile
  block each other) that is deleted on exit.
* A hung soffice (modal dialog, runaway calculation) must never hang the caller: every request has a
  timeout, after which both processes are killed and restarted once.

Usage::

    with Calc() as calc:
        out = calc.recalc("表.xlsx", inputs={"Sheet1!B3": 12.5}, read=["Sheet1!D3", "总分"])
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import itertools
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypeAlias

__all__ = [
    "PDF_FILTER",
    "XLSX_FILTER",
    "Calc",
    "CellValue",
    "LibreOfficeError",
    "LibreOfficeUnavailable",
    "ReadValue",
    "WorkbookError",
    "find_soffice",
    "recalc_once",
    "uno_python",
]

#: A computed cell: float for numbers (booleans come back as 1.0/0.0), str for text, None for an empty
#: cell, and an Excel error literal such as "#DIV/0!" for error results.
CellValue: TypeAlias = float | str | None
#: What one ``read`` entry returns: a single cell, or a list of rows for a range.
ReadValue: TypeAlias = CellValue | list[list[CellValue]]
#: What ``inputs`` accepts per target: a scalar for a cell, a list of rows for a range.
InputValue: TypeAlias = float | int | str | bool | list[list[float | int | str | bool | None]] | None

XLSX_FILTER = "Calc MS Excel 2007 XML"
PDF_FILTER = "calc_pdf_Export"

_WORKER = Path(__file__).with_name("_lo_worker.py")

# Settings written into the private profile before soffice first starts. Paths and names were checked
# against LibreOffice 7.4's schema (share/registry/main.xcd).
_PROFILE_SETTINGS: list[tuple[str, str, str]] = [
    # 0 = always recalculate on load (default 1 = never for OOXML / prompt for ODF).
    ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0"),
    ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "0"),
    # 1 = never update external links (no network, no prompt).
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "1"),
    # First-start and informational dialogs.
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
    ("/org.openoffice.Office.Common/Misc", "ShowTipOfTheDay", "false"),
    ("/org.openoffice.Office.Common/Misc", "CrashReport", "false"),
    ("/org.openoffice.Office.Common/Misc", "ShowLinkWarningDialog", "false"),
    ("/org.openoffice.Office.Common/Save/Document", "WarnAlienFormat", "false"),
    # No lock files next to the workbooks we open.
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
    # Macros never run: a Basic runtime error opens a modal dialog that hangs headless soffice.
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    # No document recovery / autosave work (and no recovery dialog after a killed instance).
    ("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
    ("/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"),
]

# Environment variables that point a Python at the project's interpreter; LibreOffice's embedded
# Python and the uno worker must use Debian's own.
_PYTHON_ENV_VARS = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONUSERBASE",
    "PYTHONEXECUTABLE",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "PYENV_VERSION",
    "__PYVENV_LAUNCHER__",
)


class LibreOfficeError(RuntimeError):
    """LibreOffice could not do the work (crashed, hung, or refused after a restart)."""


class LibreOfficeUnavailable(LibreOfficeError):
    """No usable LibreOffice (soffice) or no Python that can ``import uno`` on this machine."""

    def __init__(self, detail: str = "") -> None:
        msg = (
            "未找到可用的 LibreOffice：需要 soffice 和能 import uno 的 Python"
            "（Debian/Ubuntu: apt-get install libreoffice-calc-nogui python3-uno）"
        )
        super().__init__(f"{msg}；{detail}" if detail else msg)


class WorkbookError(LibreOfficeError):
    """The workbook or the request is at fault (unknown sheet or name, unloadable file, bad input)."""


class _InfraFailure(Exception):
    """Internal: soffice/worker died or timed out — worth one restart."""


# --- discovery ------------------------------------------------------------------------------------


def find_soffice() -> str | None:
    """Path of the soffice executable, or None. ``JIXIAO_SOFFICE`` overrides the search."""
    override = os.environ.get("JIXIAO_SOFFICE")
    if override:
        return override if _is_executable(override) else None
    candidates = [shutil.which("soffice"), shutil.which("libreoffice"), "/usr/bin/soffice"]
    candidates += ["/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"]
    candidates += sorted(str(p) for p in Path("/opt").glob("libreoffice*/program/soffice"))
    candidates.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)"):  # Windows: the installer's default folder
        if os.environ.get(variable):
            candidates.append(str(Path(os.environ[variable]) / "LibreOffice" / "program" / "soffice.exe"))
    for c in candidates:
        if c and _is_executable(c):
            return c
    return None


@functools.cache
def _can_import_uno(python: str) -> bool:
    try:
        r = subprocess.run(
            [python, "-I", "-c", "import uno"],
            env=_child_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def uno_python() -> str | None:
    """A Python interpreter that can ``import uno``, or None. ``JIXIAO_UNO_PYTHON`` overrides.

    Debian's python3-uno serves ``/usr/bin/python3``; the official LibreOffice builds ship their own
    ``program/python``. The project's (virtualenv/pyenv) Python is tried last and usually fails.
    """
    override = os.environ.get("JIXIAO_UNO_PYTHON")
    if override:
        return override if _is_executable(override) and _can_import_uno(override) else None
    candidates = [
        "/usr/bin/python3",
        "/usr/lib/libreoffice/program/python",
        "/opt/libreoffice/program/python",
    ]
    candidates += sorted(str(p) for p in Path("/opt").glob("libreoffice*/program/python"))
    candidates.append("/Applications/LibreOffice.app/Contents/Resources/python")
    candidates.append(sys.executable)
    for c in candidates:
        if c and _is_executable(c) and _can_import_uno(c):
            return c
    return None


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _child_env() -> dict[str, str]:
    """The environment for soffice and the worker, without the project's Python on it.

    A virtualenv's ``bin/`` first on PATH breaks LibreOffice's embedded Python, and PYTHONPATH /
    PYTHONHOME from the project would leak into Debian's interpreter.
    """
    env = {k: v for k, v in os.environ.items() if k not in _PYTHON_ENV_VARS}
    bad_dirs = set()
    if sys.prefix != sys.base_prefix:  # running inside a virtualenv
        bad_dirs.add(os.path.realpath(os.path.join(sys.prefix, "bin")))
    if os.environ.get("VIRTUAL_ENV"):
        bad_dirs.add(os.path.realpath(os.path.join(os.environ["VIRTUAL_ENV"], "bin")))

    def keep(entry: str) -> bool:
        if not entry:
            return False
        real = os.path.realpath(entry)
        if real in bad_dirs or os.path.exists(os.path.join(os.path.dirname(real), "pyvenv.cfg")):
            return False
        # pyenv shims / versions and conda envs put another python3 first on PATH.
        return "/.pyenv/" not in real + "/" and "/conda" not in real and "/miniconda" not in real

    parts = [p for p in env.get("PATH", "").split(os.pathsep) if keep(p)]
    for needed in ("/usr/local/bin", "/usr/bin", "/bin"):
        if needed not in parts:
            parts.append(needed)
    env["PATH"] = os.pathsep.join(parts)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _write_profile(profile: Path) -> None:
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, value in _PROFILE_SETTINGS
    )
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )


def _kill_group(proc: subprocess.Popen[Any] | None, grace: float = 3.0) -> None:
    """Terminate a child started with ``start_new_session`` together with its whole process group.

    /usr/bin/soffice is a shell script that execs oosplash, which spawns soffice.bin; killing only the
    direct child would leave soffice.bin running. Everything stays in the child's process group.
    """
    if proc is None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
            if sig == signal.SIGTERM:
                os.killpg(proc.pid, signal.SIGCONT)  # a stopped process only acts on SIGTERM once resumed
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; give stragglers in the group the same signal, then stop.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        return


def _remove_pipe_sockets(pipe: str, profile: Path) -> None:
    """Delete the socket files a killed soffice leaves behind (a clean exit removes them itself).

    LibreOffice's osl layer creates them as OSL_PIPE_<uid>_<name> in the hard-coded /tmp (falling back
    to /var/tmp), ignoring TMPDIR: one for ``--accept=pipe,name=<pipe>`` and one single-instance pipe
    named SingleOfficeIPC_<md5 of the UTF-16LE profile URL, bytes in unpadded hex> (checked on 7.4).
    Both names are unique to this instance.
    """
    if not hasattr(os, "getuid"):
        return
    digest = hashlib.md5(profile.as_uri().encode("utf-16-le")).digest()
    ipc = "SingleOfficeIPC_" + "".join(format(b, "x") for b in digest)
    for base in ("/tmp", "/var/tmp"):
        for name in (pipe, ipc):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(base, f"OSL_PIPE_{os.getuid()}_{name}"))


# --- the harness ----------------------------------------------------------------------------------


class Calc:
    """One long-lived headless LibreOffice plus one uno worker, used as a context manager.

    Not for concurrent use from several threads at once (calls are serialised by a lock); start one
    ``Calc`` per process or thread pool slot for parallelism — each has its own profile.
    """

    def __init__(
        self,
        *,
        soffice: str | None = None,
        python: str | None = None,
        startup_timeout: float = 60.0,
        prepare_profile: Callable[[Path], None] | None = None,
    ) -> None:
        self._soffice_exe = soffice
        #: Called with the fresh profile directory before every soffice (re)start, e.g. to install the
        #: jixiao Basic bridge (jixiao.addin.libreoffice.install_bridge).
        self._prepare_profile = prepare_profile
        self._python_exe = python
        self.startup_timeout = startup_timeout
        #: Filled on start: LibreOffice version, effective OOXMLRecalcMode, start-up seconds.
        self.info: dict[str, Any] = {}
        #: How many times soffice was (re)started; more than 1 means it crashed or hung at some point.
        self.launches = 0
        self._lock = threading.RLock()
        self._tmp: Path | None = None
        self._soffice: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=50)
        self._ids = itertools.count(1)
        self._pipe: str | None = None
        self._profile: Path | None = None

    # --- lifecycle --------------------------------------------------------------------------------

    def __enter__(self) -> Calc:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Last resort for a forgotten close(): no request round-trip here (this may run during
        # interpreter shutdown), just kill the processes and remove the profile.
        with contextlib.suppress(Exception):
            self._stop_processes()
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def running(self) -> bool:
        return (
            self._soffice is not None
            and self._soffice.poll() is None
            and self._worker is not None
            and self._worker.poll() is None
        )

    @property
    def soffice_pid(self) -> int | None:
        """Process id (and process-group id) of the soffice launcher, for diagnostics."""
        return self._soffice.pid if self._soffice is not None else None

    def start(self) -> None:
        """Start soffice and the worker (idempotent). Raises LibreOfficeUnavailable / LibreOfficeError."""
        with self._lock:
            if self.running:
                return
            soffice = self._soffice_exe or find_soffice()
            if not soffice:
                raise LibreOfficeUnavailable("找不到 soffice")
            python = self._python_exe or uno_python()
            if not python:
                raise LibreOfficeUnavailable("找不到能 import uno 的 Python（需要 python3-uno）")
            self._stop_processes()
            if self._tmp is None:
                self._tmp = Path(tempfile.mkdtemp(prefix="jixiao-lo-"))
            try:
                self._launch(soffice, python)
            except BaseException:
                self._stop_processes()
                raise

    def close(self) -> None:
        """Stop soffice and the worker and delete the temporary profile. Safe to call twice."""
        with self._lock:
            if self.running:
                # Ask soffice to terminate cleanly (no recovery data); kill below regardless.
                with contextlib.suppress(Exception):
                    self._roundtrip({"op": "quit"}, timeout=5.0)
                if self._soffice is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self._soffice.wait(timeout=5.0)
            self._stop_processes()
            if self._tmp is not None:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None

    def _launch(self, soffice: str, python: str) -> None:
        assert self._tmp is not None
        t0 = time.monotonic()
        # A fresh profile for every (re)start: a killed soffice can leave a profile lock behind.
        self.launches += 1
        profile = self._tmp / f"profile-{self.launches}"
        shutil.rmtree(profile, ignore_errors=True)
        _write_profile(profile)
        if self._prepare_profile is not None:
            self._prepare_profile(profile)
        pipe = f"jixiao-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._pipe, self._profile = pipe, profile
        env = _child_env()
        # soffice output goes to a file, not a pipe: nobody has to drain it.
        with open(self._tmp / "soffice.log", "ab") as log:
            self._soffice = subprocess.Popen(
                [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--invisible",
                    "--nologo",
                    "--norestore",
                    "--nodefault",
                    "--nolockcheck",
                    f"--accept=pipe,name={pipe};urp;",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # own process group, so _kill_group gets soffice.bin too
            )
        self._replies = queue.Queue()
        self._stderr_tail.clear()
        self._worker = subprocess.Popen(
            # -I: ignore PYTHON* variables and the user site; the worker needs only stdlib + uno.
            [python, "-I", str(_WORKER), "--pipe", pipe, "--connect-timeout", str(self.startup_timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        assert self._worker.stdout is not None and self._worker.stderr is not None
        threading.Thread(target=_pump_replies, args=(self._worker.stdout, self._replies), daemon=True).start()
        threading.Thread(
            target=_pump_lines, args=(self._worker.stderr, self._stderr_tail), daemon=True
        ).start()
        try:
            hello = self._wait_reply(None, self.startup_timeout + 5.0)
        except _InfraFailure as exc:
            raise LibreOfficeError(f"LibreOffice 启动失败: {exc}{self._diagnostics()}") from exc
        if not hello.get("ready"):
            raise LibreOfficeError(f"LibreOffice 启动失败: {hello.get('error')}{self._diagnostics()}")
        self.info = {
            "version": hello.get("version"),
            "ooxml_recalc_mode": hello.get("ooxml_recalc_mode"),
            "startup_seconds": round(time.monotonic() - t0, 3),
            "soffice": soffice,
            "python": python,
        }

    def _stop_processes(self) -> None:
        worker, soffice = self._worker, self._soffice
        self._worker = self._soffice = None
        if worker is not None and worker.stdin is not None:
            with contextlib.suppress(OSError):
                worker.stdin.close()
        _kill_group(worker, grace=1.0)
        _kill_group(soffice, grace=3.0)
        if self._pipe is not None and self._profile is not None and soffice is not None:
            _remove_pipe_sockets(self._pipe, self._profile)
        self._pipe = self._profile = None

    # --- transport --------------------------------------------------------------------------------

    def _roundtrip(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        worker = self._worker
        if worker is None or worker.stdin is None or not self.running:
            raise _InfraFailure("LibreOffice 进程已退出")
        rid = next(self._ids)
        line = json.dumps({"id": rid, **payload}, ensure_ascii=False) + "\n"
        try:
            worker.stdin.write(line.encode("utf-8"))
            worker.stdin.flush()
        except OSError as exc:
            raise _InfraFailure(f"无法向 uno 进程发送请求: {exc}") from exc
        return self._wait_reply(rid, timeout)

    def _wait_reply(self, rid: int | None, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _InfraFailure(f"超时（{timeout:g} 秒无响应）")
            try:
                # Short slices so a dead soffice is noticed before the full timeout.
                reply = self._replies.get(timeout=min(remaining, 0.25))
            except queue.Empty:
                if self._soffice is not None and self._soffice.poll() is not None:
                    # Let a worker still holding a reply (e.g. from quit) deliver it first.
                    with contextlib.suppress(queue.Empty):
                        reply = self._replies.get(timeout=0.5)
                        if reply is not None and (rid is None or reply.get("id") == rid):
                            return reply
                    raise _InfraFailure(f"soffice 意外退出（退出码 {self._soffice.returncode}）") from None
                continue
            if reply is None:
                raise _InfraFailure("uno 进程意外退出")
            if rid is None or reply.get("id") == rid:
                return reply
            # A reply to an older, abandoned request cannot occur (we kill on timeout); skip it anyway.

    def _call(self, payload: dict[str, Any], timeout: float) -> Any:
        """Send one request; on a crash or hang restart soffice once and retry, then give up."""
        with self._lock:
            failure: _InfraFailure | None = None
            for _attempt in (1, 2):
                if not self.running:
                    # Covers both the retry after a failure and an instance that died between calls.
                    self.start()
                try:
                    reply = self._roundtrip(payload, timeout)
                except _InfraFailure as exc:
                    failure = exc
                    self._stop_processes()  # kill the hung/dead pair; the next attempt starts afresh
                    continue
                if reply.get("ok"):
                    return reply.get("result")
                kind, error = reply.get("kind"), reply.get("error", "")
                if kind == "bridge":
                    failure = _InfraFailure(f"与 soffice 的连接断开: {error}")
                    self._stop_processes()
                    continue
                if kind == "document":
                    raise WorkbookError(error)
                raise LibreOfficeError(f"LibreOffice 处理出错: {error}")
            raise LibreOfficeError(
                f"LibreOffice 重启后仍然失败: {failure}；文件: {payload.get('path')}{self._diagnostics()}"
            )

    def _scratch_dir(self) -> Path:
        if self._tmp is None:
            self.start()
        assert self._tmp is not None
        scratch = self._tmp / "docs"
        scratch.mkdir(exist_ok=True)
        return scratch

    def _diagnostics(self) -> str:
        parts = []
        if self._stderr_tail:
            parts.append("uno 进程输出:\n" + "\n".join(list(self._stderr_tail)[-15:]))
        if self._tmp is not None and (self._tmp / "soffice.log").exists():
            tail = (self._tmp / "soffice.log").read_text(encoding="utf-8", errors="replace")[-1500:]
            if tail.strip():
                parts.append("soffice 输出:\n" + tail)
        return ("\n" + "\n".join(parts)) if parts else ""

    # --- public operations ------------------------------------------------------------------------

    def recalc(
        self,
        path: str | os.PathLike[str],
        inputs: Mapping[str, InputValue] | None = None,
        read: Sequence[str] | str | None = None,
        timeout: float = 60.0,
    ) -> dict[str, ReadValue]:
        """Load ``path`` hidden, apply ``inputs``, recalculate everything and return the ``read`` values.

        ``inputs`` maps "Sheet1!B3" (or a defined name referring to cells) to a value: numbers are set
        as numbers, strings as literal text (never parsed as formulas), None clears the cell; a range
        target takes a list of rows. ``read`` lists cells ("Sheet1!B3", "'My Sheet'!B3"), ranges
        ("Sheet1!B3:D10" → list of rows) or defined names ("总分", or "Sheet2!本表名" for a
        sheet-scoped name; an unqualified name falls back to the one sheet that defines it).
        The file itself is never modified.
        """
        return self._run(path, inputs, read, None, timeout)

    def convert(
        self,
        path: str | os.PathLike[str],
        out_path: str | os.PathLike[str],
        filter_name: str,
        *,
        inputs: Mapping[str, InputValue] | None = None,
        filter_data: Mapping[str, bool | int | float | str] | None = None,
        timeout: float = 120.0,
    ) -> Path:
        """Recalculate (with optional ``inputs``) and export with a LibreOffice filter.

        E.g. ``PDF_FILTER`` ("calc_pdf_Export") or ``XLSX_FILTER``; ``filter_data`` becomes the
        filter's FilterData (for PDF e.g. {"SinglePageSheets": True}). Returns the output path.
        """
        out = Path(out_path).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        store: dict[str, Any] = {"path": str(out), "filter": filter_name}
        if filter_data:
            store["filter_data"] = dict(filter_data)
        self._run(path, inputs, None, store, timeout)
        if not out.exists():
            raise LibreOfficeError(f"LibreOffice 未生成输出文件: {out}")
        return out

    def save_as_xlsx(
        self,
        path: str | os.PathLike[str],
        out_path: str | os.PathLike[str],
        inputs: Mapping[str, InputValue] | None = None,
        timeout: float = 120.0,
    ) -> Path:
        """Recalculate with ``inputs`` and store as .xlsx with cached values.

        LibreOffice's save drops frozen panes and calc properties and may remap fonts; to keep an
        original file intact, read values with :meth:`recalc` and write them into it instead.
        """
        return self.convert(path, out_path, XLSX_FILTER, inputs=inputs, timeout=timeout)

    def _run(
        self,
        path: str | os.PathLike[str],
        inputs: Mapping[str, InputValue] | None,
        read: Sequence[str] | str | None,
        store: dict[str, Any] | None,
        timeout: float,
    ) -> dict[str, ReadValue]:
        src = Path(path).resolve()
        if not src.is_file():
            raise FileNotFoundError(f"文件不存在: {src}")
        if isinstance(read, str):  # a lone address, not a sequence of one-character addresses
            read = [read]
        payload: dict[str, Any] = {
            "op": "run",
            "path": str(src),
            "inputs": dict(inputs or {}),
            "read": list(read or []),
            "store": store,
            # The worker copies the workbook here; inside our temp dir so close() always cleans it up.
            "scratch": str(self._scratch_dir()),
        }
        result = self._call(payload, timeout)
        values: dict[str, ReadValue] = result["values"]
        return values


def _pump_replies(stream: IO[bytes], replies: queue.Queue[dict[str, Any] | None]) -> None:
    """Reader thread: worker stdout lines → parsed replies; None marks end of stream."""
    try:
        for raw in stream:
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            try:
                replies.put(json.loads(text))
            except json.JSONDecodeError:
                continue  # cannot happen (fd 1 is redirected in the worker); never fatal
    except (OSError, ValueError):
        pass
    finally:
        replies.put(None)


def _pump_lines(stream: IO[bytes], tail: collections.deque[str]) -> None:
    """Reader thread: keep the last lines of worker stderr for error messages (and drain the pipe)."""
    with contextlib.suppress(OSError, ValueError):
        for raw in stream:
            tail.append(raw.decode("utf-8", errors="replace").rstrip())


def recalc_once(
    path: str | os.PathLike[str],
    inputs: Mapping[str, InputValue] | None = None,
    read: Sequence[str] | str | None = None,
    timeout: float = 60.0,
) -> dict[str, ReadValue]:
    """Start LibreOffice, recalc one workbook, stop. Use :class:`Calc` for more than one file."""
    with Calc() as calc:
        return calc.recalc(path, inputs=inputs, read=read, timeout=timeout)
