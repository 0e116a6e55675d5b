"""Benchmark: ``jixiao check`` over many files — time and peak memory of the whole process tree.

Run on demand (not part of the test suite):

    .venv/bin/python bench/bench_check.py                         # 1,000 files, every format
    .venv/bin/python bench/bench_check.py --counts 1000,10000,20000   # the issue's figures (~30 min)

The corpus is the workbooks of xlsx_samples/ (jixiao forms, hand-made layouts, target forms; some
clean, most with findings) repeated as hard links in a temporary folder, so 20,000 files take no
disk space and every file is a real form. Each run is ``python -m jixiao.cli check DIR`` as a fresh
process with its output sent to a file (the table is rendered as for a pipe), measured from here:

* wall time, and CPU time of the check process and its workers (``os.wait4``'s rusage includes the
  children it waited for) — on a shared machine CPU time is the steadier figure;
* peak memory of the whole process tree, sampled from /proc (Linux): the sum of the resident set
  sizes of the check process and all its descendants every 20 ms, and the sum of their proportional
  set sizes (PSS, /proc/PID/smaps_rollup) every 200 ms. The RSS sum counts every page a worker
  shares with the parent it was forked from once per process; PSS splits shared pages among the
  processes sharing them, so its sum is the memory the tree really holds.

Goals (issue 14): the default table output costs at most 1.2 × the JSON output at 10,000 files (the
largest count run, if smaller), and for each format the peak memory at the largest count is within
±10 % of the peak at the smallest count. ``--rounds N`` repeats every run and keeps the minimum of
each figure. Exit codes and finding counts must agree between formats.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "xlsx_samples"
FORMATS = ("table", "json", "jsonl")
TABLE_GOAL = 1.2  # table / json at 10,000 files
MEMORY_GOAL = 0.10  # ± of the peak at the smallest count


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float  # sum of RSS
    pss_mb: float  # sum of PSS
    exit_code: int
    output_bytes: int


def make_corpus(root: Path, count: int) -> Path:
    samples = sorted(SAMPLES.glob("*.xlsx"))
    if not samples:
        raise SystemExit(f"no workbooks in {SAMPLES}")
    folder = root / f"files-{count}"
    folder.mkdir()
    for index in range(count):
        source = samples[index % len(samples)]
        os.link(source, folder / f"{index:05d}-{source.name}")
    return folder


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields follow the last ")".
        parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry))
    return children


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0.0


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


class TreeSampler(threading.Thread):
    """The largest sum of RSS over ``root`` and its descendants, sampled until stopped."""

    def __init__(self, root: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak = self.peak_pss = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        tree: list[int] = [self.root]
        rescanned = 0.0
        samples = 0
        while not self._done.is_set():
            now = time.monotonic()
            if now - rescanned > 0.25:  # workers come and go rarely; a full /proc scan is dearer
                children, tree, todo = _children_map(), [], [self.root]
                while todo:
                    pid = todo.pop()
                    tree.append(pid)
                    todo += children.get(pid, [])
                rescanned = now
            self.peak = max(self.peak, sum(_rss_mb(pid) for pid in tree))
            if samples % 10 == 0:  # smaps_rollup walks the page tables: dearer than statm
                self.peak_pss = max(self.peak_pss, sum(_pss_mb(pid) for pid in tree))
            samples += 1
            self._done.wait(self.interval)

    def stop(self) -> tuple[float, float]:
        self._done.set()
        self.join()
        return self.peak, self.peak_pss


def run_check(folder: Path, output_format: str, out: Path, jobs: int | None) -> Run:
    command = [sys.executable, "-m", "jixiao.cli", "check", str(folder)]
    if output_format != "table":
        command += ["--format", output_format]
    if jobs:
        command += ["--jobs", str(jobs)]
    with open(out, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    peak, pss = sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, pss, process.returncode, out.stat().st_size)


def findings_in(path: Path, output_format: str) -> int | None:
    """How many findings an output reports (None for the table, which is for people)."""
    if output_format == "json":
        return json.loads(path.read_text(encoding="utf-8"))["summary"]["findings"]
    if output_format == "jsonl":
        total = 0
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                total += len(record.get("findings", ()))
        return total
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--counts", default="1000", help="comma-separated file counts (issue: 1000,10000,20000)"
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated output formats")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every run, keep the minimum")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="check's --jobs (default: all CPUs)")
    args = parser.parse_args(argv)
    counts = sorted(int(c) for c in args.counts.split(","))
    formats = [f for f in args.formats.split(",") if f]
    if min(counts) < 1 or args.rounds < 1 or not set(formats) <= set(FORMATS):
        parser.error("counts and rounds must be positive; formats among " + ", ".join(FORMATS))

    print(
        f"jixiao check benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; rounds {args.rounds}"
    )
    results: dict[tuple[int, str], Run] = {}
    failed = False
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-check-") as tmp:
        root = Path(tmp)
        for count in counts:
            folder = make_corpus(root, count)
            for output_format in formats:
                runs = [
                    run_check(folder, output_format, root / f"out-{count}.{output_format}", args.jobs)
                    for _ in range(args.rounds)
                ]
                found = findings_in(root / f"out-{count}.{output_format}", output_format)
                best = Run(
                    min(r.wall for r in runs),
                    min(r.cpu for r in runs),
                    min(r.peak_mb for r in runs),
                    min(r.pss_mb for r in runs),
                    runs[0].exit_code,
                    runs[0].output_bytes,
                )
                if any(r.exit_code != best.exit_code for r in runs):
                    failed = True
                results[(count, output_format)] = best
                extra = f", {found} findings" if found is not None else ""
                print(
                    f"{count:>6} files {output_format:<5}: {best.wall:8.2f} s wall {best.cpu:8.2f} s CPU "
                    f"peak RSS {best.peak_mb:4.0f} MB PSS {best.pss_mb:4.0f} MB  exit {best.exit_code}"
                    f"  output {best.output_bytes / 2**20:.1f} MB"
                    f"{extra}",
                    flush=True,
                )

    print()
    print(f"{'files':>6} {'format':<6} {'wall s':>8} {'CPU s':>8} {'RSS MB':>7} {'PSS MB':>7} {'exit':>4}")
    for (count, output_format), run in results.items():
        print(
            f"{count:>6} {output_format:<6} {run.wall:>8.2f} {run.cpu:>8.2f} {run.peak_mb:>7.0f}"
            f" {run.pss_mb:>7.0f} {run.exit_code:>4}"
        )
    codes = {run.exit_code for run in results.values()}
    if len(codes) > 1:
        print(f"exit codes differ between runs: {sorted(codes)}")
        failed = True
    goal_count = 10000 if 10000 in counts else counts[-1]
    if (goal_count, "table") in results and (goal_count, "json") in results:
        table, doc = results[(goal_count, "table")], results[(goal_count, "json")]
        wall, cpu = table.wall / doc.wall, table.cpu / doc.cpu
        verdict = "met" if cpu <= TABLE_GOAL else "NOT met"
        print(
            f"table / json at {goal_count} files: {wall:.2f}× wall, {cpu:.2f}× CPU"
            f" — goal ≤ {TABLE_GOAL}× ({verdict}, judged on CPU time)"
        )
    if len(counts) > 1:
        for output_format in formats:
            low, high = results[(counts[0], output_format)], results[(counts[-1], output_format)]
            for label, before, after in (
                ("RSS", low.peak_mb, high.peak_mb),
                ("PSS", low.pss_mb, high.pss_mb),
            ):
                change = after / before - 1
                verdict = "met" if abs(change) <= MEMORY_GOAL else "NOT met"
                print(
                    f"{output_format}: peak {label} sum {before:.0f} MB at {counts[0]} files, {after:.0f} MB at "
                    f"{counts[-1]} ({change:+.1%}) — goal within ±{MEMORY_GOAL:.0%} ({verdict})"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
