"""Benchmark: ``jixiao recalc`` and ``jixiao check`` against LibreOffice's hard recalc.

Run on demand (not part of the test suite):

    .venv/bin/python bench/bench_recalc.py                 # --count 100
    .venv/bin/python bench/bench_recalc.py --count 1000    # the issue's figure (~5 minutes, mostly setup)
    .venv/bin/python bench/bench_recalc.py --dialect xlwings   # JX_* formulas (LibreOffice via the bridge)

Setup (untimed): one form is generated (default: hubei-project with two project sheets, ~60 rows)
and N copies are filled through its names with different figures and saved by openpyxl, so none has
cached values — what ``recalc`` meets in real life.

Timed, in the same run, on the same N files:

* ``recalc``  :func:`jixiao.recalc.recalc_file` on each file, writing the computed copy;
* ``check``   the whole of ``jixiao check`` for one file, :func:`jixiao.check.read.check_path`:
  reading (jixiao.workbook.xlsx's zip/regex parser), the rules, the findings. Loading the built-in
  rubrics (once per process) is reported apart;
* ``check/openpyxl``  (``--check-openpyxl``) the same with openpyxl reading the workbook, as check
  did before it read jixiao workbooks with the zip/regex parser;
* ``LibreOffice``  one long-lived headless soffice (:class:`jixiao.libreoffice.Calc`): load, one
  hard recalc (``calculateAll``) and one cell read back, per file. jixiao's Calc profile also asks
  LibreOffice to recalculate every .xlsx *on load* (so that users' files never show stale values);
  here that setting is switched off, so each file is recalculated exactly once, as jixiao does.
  Start-up is reported apart.

Goal (issue 5): recalc and check each ≥ 10× faster than LibreOffice, memory flat as N grows — the
RSS of the process doing the work is printed after 1/4, 1/2 and all of the files, with its peak so
far: it must not grow with N. For recalc and check that is this process; for LibreOffice it is
LibreOffice's own processes (soffice.bin and the uno worker, read from /proc), not this harness.
``--verify K`` compares the first K recalc outputs with LibreOffice cell by cell (openpyxl
``data_only``; untimed, a second pass over those K files only) and checks that ``check`` reads the
first K files as openpyxl reads them.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from openpyxl import load_workbook

from filled_forms import fill_form, make_form
from jixiao.recalc import recalc_file
from jixiao.rubric import builtin_rubrics, loader

GOAL = 10.0


def rss_mb() -> float:
    """Current resident set size (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def tree_memory_mb(root: int) -> tuple[float, float]:
    """(current RSS, sum of each process's peak RSS) of ``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    status: dict[int, dict[str, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        status[pid] = fields
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
    current = peak = 0.0
    todo = [root]
    while todo:
        pid = todo.pop()
        fields = status.get(pid, {})
        current += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
        peak += int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
        todo += children.get(pid, [])
    return current, peak


def tree_cpu_seconds(roots: list[int]) -> float:
    """User + system CPU seconds used so far by ``roots`` and their descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime, stime
    total, todo = 0, list(roots)
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def timed(
    label: str,
    files: list[Path],
    work: Callable[[int, Path], object],
    memory: Callable[[], tuple[float, float]] | None = None,
    cpu_clock: Callable[[], float] = time.process_time,
) -> tuple[float, float]:
    """Run ``work`` over the files; print the working processes' RSS (and peak so far) at 1/4, 1/2
    and all — ``memory`` gives (current, peak) MB, this process's by default; return (wall, CPU)
    seconds per file, CPU as ``cpu_clock`` counts it (this process's by default)."""
    marks = {max(len(files) // 4, 1): "1/4", max(len(files) // 2, 1): "1/2", len(files): "all"}
    gc.collect()
    start, start_cpu = time.perf_counter(), cpu_clock()
    shown = []
    for index, path in enumerate(files, start=1):
        work(index, path)
        if index in marks:
            if memory is None:
                current = rss_mb()  # the kernel's high-water mark can lag behind the current RSS
                peak = max(peak_mb(), current)
            else:
                current, peak = memory()
            shown.append(f"{marks[index]} {current:.0f} MB (peak {peak:.0f})")
    seconds, cpu = time.perf_counter() - start, cpu_clock() - start_cpu
    per = seconds / len(files)
    print(
        f"{label:<14} {per * 1000:8.2f} ms/workbook  ({seconds:.2f} s wall, {cpu:.2f} s CPU)"
        f"   RSS: {', '.join(shown)}"
    )
    return per, cpu / len(files)


def recalc_once_profile(bridge: Callable[[Path], None] | None) -> Callable[[Path], None]:
    """A Calc profile that does not recalculate on load (calculateAll then recalculates once)."""

    def prepare(profile: Path) -> None:
        if bridge is not None:
            bridge(profile)
        registry = profile / "user" / "registrymodifications.xcu"
        text = registry.read_text(encoding="utf-8")
        always = 'oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value>'
        if always not in text:
            raise SystemExit("bench: jixiao's Calc profile no longer sets OOXMLRecalcMode; update the bench")
        # 1 = never recalculate on load (LibreOffice's own default for OOXML files).
        registry.write_text(text.replace(always, always.replace("<value>0<", "<value>1<")), encoding="utf-8")

    return prepare


def check_by_openpyxl(path: Path) -> object:
    """``jixiao check`` of one file with openpyxl reading it (the zip/regex reader switched off)."""
    from jixiao.check import read

    stored = read.read_stored
    read.read_stored = lambda path, label: None  # type: ignore[assignment]
    try:
        return read.check_path(path)
    finally:
        read.read_stored = stored


def check_reads_alike(files: list[Path]) -> int:
    """Files whose forms the zip/regex reader and openpyxl read differently (should be none)."""
    from jixiao.check.read import read_forms, read_stored

    differing = 0
    for path in files:
        stored = read_stored(path, str(path))
        forms, result = read_forms(path, keep_grids=True)  # the review's copies: openpyxl reads
        if stored is None or stored[0] != forms or stored[1].findings != result.findings:
            differing += 1
    return differing


def make_files(rubric_name: str, dialect: str, projects: int, count: int, work: Path) -> list[Path]:
    """Generate one form and fill ``count`` copies (runs in a child process: openpyxl's memory stays there)."""
    blank = make_form(builtin_rubrics()[rubric_name], dialect, work, projects=projects)  # type: ignore[arg-type]
    filled_dir = work / "filled"
    filled_dir.mkdir()
    files = []
    for index in range(count):
        path = filled_dir / f"{index:05d}.xlsx"
        fill_form(blank, path, dialect, variant=index)  # type: ignore[arg-type]
        files.append(path)
    return files


def formula_addresses(path: Path) -> list[str]:
    book = load_workbook(path)
    return [
        f"'{ws.title}'!{cell.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100, help="filled workbooks (issue figure: 1000)")
    parser.add_argument("--rubric", default="hubei-project")
    parser.add_argument("--projects", type=int, default=2, help="project sheets per workbook")
    parser.add_argument("--dialect", choices=("native", "xlwings"), default="native")
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace recalc's Python heap (untimed)"
    )
    parser.add_argument(
        "--verify", type=int, default=10, metavar="K", help="compare K outputs with LibreOffice"
    )
    parser.add_argument(
        "--check-openpyxl", action="store_true", help="also time check with openpyxl reading (as before)"
    )
    args = parser.parse_args()

    rubric = builtin_rubrics()[args.rubric]
    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-recalc-"))
    try:
        t0 = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            files = pool.apply(make_files, (rubric.name, args.dialect, args.projects, args.count, work))
        out_dir = work / "out"
        out_dir.mkdir()
        addresses = formula_addresses(files[0])
        rows = sum(
            ws.max_row for ws in load_workbook(files[0]).worksheets if ws.title not in ("填表说明", "_jixiao")
        )
        print(
            f"{args.count} × {rubric.name} ({args.dialect}, {args.projects} sheets, {rows} form rows, "
            f"{len(addresses)} formula cells); setup {time.perf_counter() - t0:.1f} s; Python {sys.version.split()[0]}"
        )
        print(f"start RSS {rss_mb():.0f} MB")

        recalc_per, recalc_cpu = timed(
            "recalc", files, lambda i, p: recalc_file(p, out_dir / p.name, overwrite=True)
        )
        if args.tracemalloc:
            traced_heap(files, out_dir)

        check_per = check_cpu = None
        try:
            from jixiao.check.read import check_path
        except ImportError:
            print("check        (skipped: jixiao.check is not importable)")
        else:
            started = time.perf_counter()
            builtin_rubrics.cache_clear()
            loader._PARSED.clear()  # parse them for real: what check loads once per process
            builtin_rubrics()
            print(
                f"check start-up (built-in rubrics) {time.perf_counter() - started:.2f} s (not counted below)"
            )
            check_per, check_cpu = timed("check", files, lambda i, p: check_path(p))
            if args.check_openpyxl:
                openpyxl_per, _ = timed("check/openpyxl", files, lambda i, p: check_by_openpyxl(p))
                print(f"{'':<14} check is {openpyxl_per / check_per:.1f}× faster than with openpyxl reading")
            differing = check_reads_alike(files[: args.verify])
            print(
                f"check read {min(args.verify, len(files))} files as openpyxl reads them: {differing} differing"
            )

        if args.no_libreoffice:
            return 0
        from jixiao.libreoffice import Calc, LibreOfficeUnavailable

        bridge = None
        if args.dialect == "xlwings":
            from jixiao.addin.libreoffice import prepare_test_profile as bridge
        try:
            calc = Calc(prepare_profile=recalc_once_profile(bridge))
            started = time.perf_counter()
            calc.start()
        except LibreOfficeUnavailable as error:
            print(f"LibreOffice  (skipped: {error})")
            return 0
        try:
            print(
                f"LibreOffice {calc.info.get('version')} start-up {time.perf_counter() - started:.2f} s"
                f" (not counted below); OOXMLRecalcMode {calc.info.get('ooxml_recalc_mode')}"
                " (1: no recalculation on load, so calculateAll is the only one)"
            )

            # Both soffice (the launcher's process tree: oosplash, soffice.bin) and the uno worker.
            lo_pids = [pid for pid in (calc.soffice_pid, getattr(calc._worker, "pid", None)) if pid]

            def lo_memory() -> tuple[float, float]:
                totals = [tree_memory_mb(pid) for pid in lo_pids]
                return sum(t[0] for t in totals), sum(t[1] for t in totals)

            # Timed: load + one calculateAll + one cell read back (reading all cells one UNO call at
            # a time would triple LibreOffice's time and measure the harness, not the recalculation).
            # CPU: LibreOffice's own processes, so that the CPU ratio holds on a busy machine too.
            lo_per, lo_cpu = timed(
                "LibreOffice",
                files,
                lambda i, p: calc.recalc(p, read=addresses[-1:]),
                lo_memory,
                lambda: tree_cpu_seconds(lo_pids),
            )
            results = {path: calc.recalc(path, read=addresses) for path in files[: args.verify]}
            mismatches = verify(results, out_dir)
        finally:
            calc.close()
        for label, per, cpu in (("recalc", recalc_per, recalc_cpu), ("check", check_per, check_cpu)):
            if per is None or cpu is None:
                continue
            ratio, cpu_ratio = lo_per / per, lo_cpu / cpu
            verdict = "met" if ratio >= GOAL else "NOT met"
            print(
                f"{label}: {ratio:.1f}× faster than LibreOffice in wall time, {cpu_ratio:.1f}× in CPU time"
                f" — goal ≥ {GOAL:g}× ({verdict} on wall time)"
            )
        print(f"verified {len(results)} outputs against LibreOffice: {mismatches} differing cells")
        print(f"harness peak RSS {peak_mb():.0f} MB (recalc and check ran here; setup in a child process)")
        return 1 if mismatches else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def traced_heap(files: list[Path], out_dir: Path) -> None:
    """recalc once more under tracemalloc: the Python heap in use after 1/4, 1/2 and all files."""
    marks = {max(len(files) // 4, 1): "1/4", max(len(files) // 2, 1): "1/2", len(files): "all"}
    tracemalloc.start()
    heap = []
    for index, path in enumerate(files, start=1):
        recalc_file(path, out_dir / path.name, overwrite=True)
        if index in marks:
            current, peak = tracemalloc.get_traced_memory()
            heap.append(f"{marks[index]} {current / 2**20:.1f} MB (peak {peak / 2**20:.1f})")
    tracemalloc.stop()
    print(f"{'':<12} traced Python heap in use: {', '.join(heap)}")


def verify(results: dict[Path, dict], out_dir: Path) -> int:
    """Cells where recalc's cached value (openpyxl data_only) differs from LibreOffice's."""

    def comparable(value: object) -> object:
        if value == "":
            return None
        return float(value) if isinstance(value, bool) else value

    differing = 0
    for path, theirs in results.items():
        book = load_workbook(out_dir / path.name, data_only=True)
        for address, value in theirs.items():
            sheet, _, cell = address.rpartition("!")
            if comparable(book[sheet.strip("'")][cell].value) != comparable(value):
                differing += 1
    return differing


if __name__ == "__main__":
    sys.exit(main())
