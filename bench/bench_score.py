"""Time per score_indicator call over every seed row (run on demand: .venv/bin/python bench/bench_score.py).

Every spreadsheet cell with a JX_SCORE formula calls the core, so the goal is ≤ 20 µs per call with
parsing cached. The baseline, measured in the same run, is the bare arithmetic a spreadsheet does
for the same rows (float() of pre-split numbers and w × B ÷ A): the ratio says what reading real
phrasings costs on top of it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from jixiao import parse_value, score_indicator
from jixiao.core.values import _parse_text
from test_seed_rows import ROWS

GOAL_SECONDS = 20e-6  # per score_indicator call with parsing cached


def _time(function, rounds: int, repeats: int = 5) -> float:
    """Best of ``repeats`` timings: the least disturbed by whatever else the machine is doing."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(rounds):
            function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    rows = [(r.target, r.actual, r.weight, r.category) for r in ROWS]
    calls = len(rows) * args.rounds

    def scored() -> None:
        for target, actual, weight, category in rows:
            score_indicator(target, actual, weight, category=category)

    numbers = []
    for target, actual, weight, _ in rows:
        t, a = parse_value(target), parse_value(actual)
        if t.numbers and a.numbers and t.numbers[0]:
            numbers.append((str(t.numbers[0]), str(a.numbers[0]), weight))

    def baseline() -> None:
        for _ in range(len(rows) // max(len(numbers), 1) + 1):
            for t, a, w in numbers:
                min(w, round(w * float(a) / float(t), 2))

    baseline_calls = (len(rows) // max(len(numbers), 1) + 1) * len(numbers) * args.rounds
    _parse_text.cache_clear()
    cold = _time(scored, 1, repeats=1) / len(rows)
    warm = _time(scored, args.rounds) / calls
    base = _time(baseline, args.rounds) / baseline_calls
    print(f"seed rows: {len(rows)}; calls: {calls}")
    print(f"score_indicator, first call per row (parsing): {cold * 1e6:8.2f} µs")
    print(f"score_indicator, parsing cached:               {warm * 1e6:8.2f} µs   (goal ≤ 20 µs)")
    print(f"baseline, bare float arithmetic:               {base * 1e6:8.2f} µs")
    print(f"ratio cached / baseline:                       {warm / base:8.1f} ×")
    verdict = "met" if warm <= GOAL_SECONDS else "NOT met"
    print(
        f"goal: ≤ {GOAL_SECONDS * 1e6:g} µs per cached call — {verdict} ({warm * 1e6:.2f} µs, {warm / base:.1f}× the baseline)"
    )


if __name__ == "__main__":
    main()
