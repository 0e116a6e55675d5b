"""Benchmark: how long the ``jixiao`` command takes to start (run on demand, not in the test suite).

    .venv/bin/python bench/bench_startup.py              # 20 runs of each
    .venv/bin/python bench/bench_startup.py --runs 50

Each command is run as a fresh process (``python -m jixiao.cli …``, output discarded), the commands
alternating so a busy moment of a shared machine hits both alike; the minimum over the runs is the
figure (the least disturbed), the median is printed beside it. Wall time and the child's CPU time
(user + system, from ``os.wait4``) are both reported.

* ``--help``  must start no slower than 1.5 × ``demo`` (the baseline, measured in the same run):
  the help lists every command without importing the lazily loaded ones;
* ``demo``    scores the built-in sample (imports the core and rich);
* ``rubrics`` lists the built-in rubrics: imports pydantic and parses the seven rubric files once.

It also counts how often the rubric YAML is parsed when one process asks for every built-in rubric
and every rubric file, as the commands do: the goal is once per file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

GOAL = 1.5
COMMANDS = {"help": ["--help"], "demo": ["demo"], "rubrics": ["rubrics"]}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float


def run_once(arguments: Sequence[str]) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "jixiao.cli", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100"},
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"jixiao {' '.join(arguments)} exited with {process.returncode}")
    return Run(wall, usage.ru_utime + usage.ru_stime)


def parses_per_process() -> tuple[int, int]:
    """(YAML parses, rubric files) when one process loads every built-in rubric the ways commands do."""
    from jixiao.rubric import loader

    counted = 0
    parse = loader.parse_rubric

    def counting(text: str, label: str = "表样定义"):  # type: ignore[no-untyped-def]
        nonlocal counted
        counted += 1
        return parse(text, label)

    loader.parse_rubric = counting  # type: ignore[assignment]
    try:
        files = loader.rubric_files()
        loader.builtin_rubrics()
        for name, path in files.items():
            loader.find_rubric(name)
            loader.load_rubric(path)
    finally:
        loader.parse_rubric = parse  # type: ignore[assignment]
    return counted, len(files)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (minimum reported)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    runs: dict[str, list[Run]] = {name: [] for name in COMMANDS}
    for arguments in COMMANDS.values():
        run_once(arguments)  # warm the file cache and the byte-code cache
    for _ in range(args.runs):
        for name, arguments in COMMANDS.items():
            runs[name].append(run_once(arguments))

    print(
        f"jixiao start-up: {args.runs} runs of each, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"{'command':<8} {'min s':>7} {'median s':>9} {'min cpu s':>10}")
    best = {name: min(r.wall for r in timed) for name, timed in runs.items()}
    best_cpu = {name: min(r.cpu for r in timed) for name, timed in runs.items()}
    for name, timed in runs.items():
        median = statistics.median(r.wall for r in timed)
        print(f"{name:<8} {best[name]:>7.3f} {median:>9.3f} {best_cpu[name]:>10.3f}")
    ratio, cpu_ratio = best["help"] / best["demo"], best_cpu["help"] / best_cpu["demo"]
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"--help / demo: {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU — goal ≤ {GOAL}× ({verdict})")

    parses, files = parses_per_process()
    verdict = "met" if parses <= files else "NOT met"
    print(f"rubric YAML parses in one process: {parses} for {files} files — goal ≤ {files} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
