"""Benchmark: generating blank forms with jixiao against a bare XlsxWriter baseline.

Run on demand (not part of the test suite):

    .venv/bin/python bench/bench_generate.py              # --count 200, well under 2 minutes
    .venv/bin/python bench/bench_generate.py --count 1000 # the issue's figure

Scenarios, each timed for jixiao and for the baseline:

* ``one``    one blank form (no project), one file; repeated ``--repeat-one`` times, mean reported;
* ``files``  N projects → N files (``Request(split=True)``);
* ``sheets`` N projects → one workbook with N sheets.

The baseline is a plain XlsxWriter script that writes the same cells (same strings, numbers and
formulas, the same merges, the 填表说明 and meta sheet text) with the same cell formats (jixiao's
``ROLE_FORMATS``, one format object per role per workbook, as jixiao does), column widths and row
heights, but no validations, conditional formats, names, protection or print setup — what jixiao
adds on top of a bare writer. Both write real files into the same directory with XlsxWriter's
``in_memory`` mode (jixiao's choice: no temporary file per XML part), so both do the same I/O.
The baseline's cell lists are prepared from jixiao's layout *before* the clock starts, so its time
is only XlsxWriter's, while jixiao's time includes laying the forms out. Goal: jixiao / baseline
≤ 1.5 in the ``sheets`` scenario (the issue's figure); every scenario prints its ratio.

Timing: ``--rounds N`` runs jixiao and the baseline alternately N times and keeps the best of each
(use it on a busy machine; the default is 3). Wall and CPU time (``time.process_time``, steadier
on a shared machine) are both reported, each the minimum over the rounds. Memory: the process's
peak RSS (``resource.getrusage``) after each scenario's first jixiao run; with ``--tracemalloc``
each jixiao scenario is run once more, untimed, under tracemalloc to report its own heap peak.

Profiling one scenario without the baseline:

    .venv/bin/python -m cProfile -s cumtime bench/bench_generate.py --count 200 --only files --no-baseline
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.workbook import Workbook

from jixiao.generate.api import Request, contexts_for, generate, output_name
from jixiao.generate.formulas import Dialect
from jixiao.generate.layout import ProjectInfo, WorkbookLayout, layout_workbook
from jixiao.generate.writer import ROLE_FORMATS
from jixiao.rubric import builtin_rubrics
from jixiao.rubric.model import Rubric
from jixiao.workbook.contract import META_SHEET

RUBRIC = "hubei-project"
GOAL = 1.5

# (row, col, last_row, last_col, kind, payload, role): kind "s" string, "n" number, "f" formula,
# "" blank; role names the cell's format in ROLE_FORMATS ("" for none).
PlainCell = tuple[int, int, int, int, str, str | float | None, str]


@dataclass(frozen=True)
class PlainSheet:
    name: str
    cells: tuple[PlainCell, ...]
    widths: tuple[float, ...] = ()
    heights: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class PlainBook:
    """One workbook's cells, stripped of everything but values, formulas and merges."""

    file_name: str
    sheets: tuple[PlainSheet, ...]


@dataclass(frozen=True)
class Timing:
    label: str
    forms: int
    seconds: float  # wall clock
    cpu: float  # this process's CPU time (steadier than wall time on a shared machine)

    @property
    def ms_per_form(self) -> float:
        return self.seconds * 1000 / self.forms


# -- inputs ---------------------------------------------------------------------------------------


def make_projects(count: int) -> tuple[ProjectInfo, ...]:
    return tuple(
        ProjectInfo(
            name=f"基准测试项目{index:05d}",
            code=f"420100-{index:05d}",
            department="某某区财政局",
            implementer=f"某某街道办事处{index % 17}",
            budget=100.0 + index,
        )
        for index in range(1, count + 1)
    )


def plain_book(layout: WorkbookLayout, file_name: str) -> PlainBook:
    """The same cells as jixiao writes for ``layout``, as plain tuples (computed outside the timing)."""
    sheets: list[PlainSheet] = []
    for form in layout.forms:
        cells: list[PlainCell] = []
        for item in form.cells:
            last_row = item.last_row if item.last_row is not None else item.row
            last_col = item.last_col if item.last_col is not None else item.col
            if item.formula:
                cells.append((item.row, item.col, last_row, last_col, "f", item.formula, item.role))
            elif isinstance(item.value, str):
                cells.append((item.row, item.col, last_row, last_col, "s", item.value, item.role))
            elif isinstance(item.value, (int, float)):
                cells.append((item.row, item.col, last_row, last_col, "n", float(item.value), item.role))
            else:
                cells.append((item.row, item.col, last_row, last_col, "", None, item.role))
        sheets.append(
            PlainSheet(form.name, tuple(cells), tuple(form.column_widths), tuple(form.row_heights.items()))
        )
    notes: list[PlainCell] = [(0, 0, 0, 0, "s", layout.instructions_title, "title")]
    notes += [(row, 0, row, 0, "s", line, "note") for row, line in enumerate(layout.instructions, start=2)]
    sheets.append(PlainSheet("填表说明", tuple(notes), (110,), ((0, 30),)))
    meta: list[PlainCell] = []
    for row, (key, value) in enumerate(layout.meta):
        meta.append((row, 0, row, 0, "s", key, ""))
        meta.append((row, 1, row, 1, "s", layout.rules_json if key == "rules" else value, ""))
    for offset, (name, values) in enumerate(layout.lists.items()):
        col = 3 + offset
        meta.append((0, col, 0, col, "s", name, ""))
        meta += [(row, col, row, col, "s", value, "") for row, value in enumerate(values, start=1)]
    sheets.append(PlainSheet(META_SHEET, tuple(meta)))
    return PlainBook(file_name, tuple(sheets))


def plain_books(request: Request) -> list[PlainBook]:
    return [
        plain_book(layout_workbook(request.rubric, group, request.dialect), output_name(request, group))
        for group in contexts_for(request)
    ]


# -- the two writers ------------------------------------------------------------------------------


def write_plain(book: PlainBook, directory: Path) -> None:
    """The baseline: bare XlsxWriter, same cells, merges and formats, written the way jixiao writes."""
    workbook = Workbook(
        str(directory / book.file_name),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "in_memory": True,
        },
    )
    formats = {role: workbook.add_format(options) for role, options in ROLE_FORMATS.items()}
    formats[""] = None
    for sheet in book.sheets:
        ws = workbook.add_worksheet(sheet.name)
        for col, width in enumerate(sheet.widths):
            ws.set_column(col, col, width)
        for row, height in sheet.heights:
            ws.set_row(row, height)
        for row, col, last_row, last_col, kind, payload, role in sheet.cells:
            fmt = formats[role]
            if last_row != row or last_col != col:
                ws.merge_range(row, col, last_row, last_col, None, fmt)
            if kind == "f":
                ws.write_formula(row, col, str(payload), fmt)
            elif kind == "s":
                ws.write_string(row, col, str(payload), fmt)
            elif kind == "n":
                ws.write_number(row, col, float(payload or 0), fmt)
            elif last_row == row and last_col == col:
                ws.write_blank(row, col, None, fmt)
    workbook.close()


def run_jixiao(request: Request, directory: Path) -> None:
    generate(request, directory)


def run_baseline(books: Sequence[PlainBook], directory: Path) -> None:
    for book in books:
        write_plain(book, directory)


# -- measuring ------------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def seconds(work: Callable[[Path], None], root: Path, label: str, repeat: int = 1) -> tuple[float, float]:
    """(wall, CPU) seconds of ``work`` into fresh directories, the mean of ``repeat`` runs."""
    wall = cpu = 0.0
    for run in range(repeat):
        directory = root / f"{label}-{run}"
        directory.mkdir(parents=True)
        start, start_cpu = time.perf_counter(), time.process_time()
        work(directory)
        wall += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        shutil.rmtree(directory)
    return wall / repeat, cpu / repeat


def traced_peak_mib(work: Callable[[Path], None], root: Path, label: str) -> float:
    directory = root / f"{label}-traced"
    directory.mkdir(parents=True)
    tracemalloc.start()
    try:
        work(directory)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        shutil.rmtree(directory)
    return peak / (1024 * 1024)


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    request: Request
    forms: int
    repeat: int


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    jixiao: Timing
    baseline: Timing | None
    rss_mib: float
    heap_mib: float | None

    @property
    def ratio(self) -> float | None:
        return self.jixiao.seconds / self.baseline.seconds if self.baseline else None

    @property
    def cpu_ratio(self) -> float | None:
        return self.jixiao.cpu / self.baseline.cpu if self.baseline else None


def scenarios(rubric: Rubric, count: int, dialect: Dialect, repeat_one: int) -> list[Scenario]:
    projects = make_projects(count)
    unit = "基准单位"
    return [
        Scenario(
            "one", "1 张空白表（1 个文件）", Request(rubric, 2027, unit=unit, dialect=dialect), 1, repeat_one
        ),
        Scenario(
            "files",
            f"{count} 个项目 → {count} 个文件",
            Request(rubric, 2027, unit=unit, projects=projects, dialect=dialect, split=True),
            count,
            1,
        ),
        Scenario(
            "sheets",
            f"{count} 个项目 → 1 个文件 {count} 个工作表",
            Request(rubric, 2027, unit=unit, projects=projects, dialect=dialect),
            count,
            1,
        ),
    ]


def run_scenario(scenario: Scenario, root: Path, rounds: int, baseline: bool, trace: bool) -> Result:
    books: list[PlainBook] = []
    mine: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    rss = 0.0
    for index in range(rounds):
        label = f"{scenario.key}-{index}"
        mine.append(
            seconds(lambda d: run_jixiao(scenario.request, d), root, f"jixiao-{label}", scenario.repeat)
        )
        if not rss:
            rss = peak_rss_mib()  # measured before the baseline's cell lists exist
            books = plain_books(scenario.request) if baseline else []  # prepared off the clock
        if books:
            base.append(
                seconds(lambda d, b=books: run_baseline(b, d), root, f"baseline-{label}", scenario.repeat)
            )
    heap = None
    if trace:
        heap = traced_peak_mib(lambda d: run_jixiao(scenario.request, d), root, f"jixiao-{scenario.key}")
    return Result(
        scenario,
        Timing("jixiao", scenario.forms, min(w for w, _ in mine), min(c for _, c in mine)),
        Timing("baseline", scenario.forms, min(w for w, _ in base), min(c for _, c in base))
        if base
        else None,
        rss,
        heap,
    )


def describe(result: Result) -> str:
    """One progress line per scenario, printed as soon as it is measured."""
    mine, base = result.jixiao, result.baseline
    line = f"{result.scenario.title}: jixiao {mine.seconds:.3f} s ({mine.ms_per_form:.2f} ms/表)"
    if base is not None:
        line += (
            f"，baseline {base.seconds:.3f} s ({base.ms_per_form:.2f} ms/表)，"
            f"{result.ratio:.2f}× (goal ≤ {GOAL}×)"
        )
    line += f"；peak RSS {result.rss_mib:.0f} MiB"
    if result.heap_mib is not None:
        line += f"，tracemalloc peak {result.heap_mib:.1f} MiB"
    return line


def table(results: Sequence[Result]) -> list[str]:
    lines = [
        f"{'scenario':<8} {'forms':>6} │ {'jixiao s':>9} {'ms/form':>8} {'cpu s':>7} │ "
        f"{'base s':>8} {'ms/form':>8} {'cpu s':>7} │ {'ratio':>6} {'cpu':>6} {'goal':>6}"
    ]
    for result in results:
        mine, base = result.jixiao, result.baseline
        row = (
            f"{result.scenario.key:<8} {result.scenario.forms:>6} │ "
            f"{mine.seconds:>9.3f} {mine.ms_per_form:>8.2f} {mine.cpu:>7.3f} │ "
        )
        if base is not None:
            row += (
                f"{base.seconds:>8.3f} {base.ms_per_form:>8.2f} {base.cpu:>7.3f} │ "
                f"{result.ratio:>5.2f}× {result.cpu_ratio:>5.2f}× ≤{GOAL:>4}×"
            )
        lines.append(row)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--count", type=int, default=200, help="projects per batch (the issue's figure: 1000)"
    )
    parser.add_argument("--dialect", choices=["xlwings", "native"], default="xlwings")
    parser.add_argument("--repeat-one", type=int, default=20, help="repetitions of the single-form case")
    parser.add_argument("--rounds", type=int, default=3, help="best of N alternating rounds (busy machines)")
    parser.add_argument("--only", choices=["one", "files", "sheets"], action="append", help="run these only")
    parser.add_argument("--no-baseline", action="store_true", help="time jixiao only (for profiling)")
    parser.add_argument("--tracemalloc", action="store_true", help="also report each scenario's heap peak")
    args = parser.parse_args(argv)
    if min(args.count, args.rounds, args.repeat_one) < 1:
        parser.error("--count, --rounds and --repeat-one must be at least 1")

    rubric = builtin_rubrics()[RUBRIC]
    chosen = [
        s
        for s in scenarios(rubric, args.count, args.dialect, args.repeat_one)
        if s.key in (args.only or [s.key])
    ]
    print(
        f"jixiao generate benchmark: rubric {RUBRIC}, dialect {args.dialect}, count {args.count}, rounds {args.rounds}"
    )
    print(f"python {sys.version.split()[0]}, peak RSS at start {peak_rss_mib():.0f} MiB")
    print()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        for scenario in chosen:
            result = run_scenario(scenario, Path(tmp), args.rounds, not args.no_baseline, args.tracemalloc)
            results.append(result)
            print(describe(result), flush=True)

    print()
    print("\n".join(table(results)))
    print(f"peak RSS {peak_rss_mib():.0f} MiB (whole run); ratio = jixiao / baseline, wall and CPU time")
    for result in results:
        if result.ratio is not None:
            verdict = "met" if result.ratio <= GOAL else "NOT met"
            print(
                f"{result.scenario.key}: {result.ratio:.2f}× wall, {result.cpu_ratio:.2f}× CPU"
                f" — goal ≤ {GOAL}× ({verdict})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
