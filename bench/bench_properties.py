"""The core's contract at scale (run on demand: .venv/bin/python bench/bench_properties.py).

1. The property of tests/test_core_contract.py — no value makes parse_value or score_indicator raise
   anything but the documented ValueError, points stay in [0, weight], unscorable rows say why in
   Chinese — for ``--examples`` hypothesis examples (default 100,000; the suite runs 300).
2. Parsing time is linear in the text: for adversarial texts (long runs of digits, spaces, comparator
   words, 「奋斗」, dates …) the time at 2,000, 8,000 and 32,000 characters, with the ratio of each
   step (4× the text; linear ≈ 4, quadratic ≈ 16). The old rank-tiers expression grew ≈ 19× per step
   and took 72 s at 32,000 characters. Above ~16,000 characters CPython's string building leaves
   the CPU cache and every step costs somewhat more than 4× even for a single str.translate.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import score_indicator
from jixiao.core.names import target_in_name
from jixiao.core.values import _parse_uncached
from test_core_contract import cell_values, check_contract, names, rule_sets, weights

ADVERSARIAL = {
    "digits": lambda n: "≥" + "1" * n + "以上",
    "doubled digits": lambda n: "≥" + "12" * (n // 2) + "及以上",
    "spaces": lambda n: "1" + " " * n + "x",
    "dots": lambda n: "1." * (n // 2),
    "words then digit": lambda n: "达" * n + "1",
    "range dash": lambda n: "1" * n + "-",
    "comparators": lambda n: "不" * n,
    "mixed": lambda n: "≥1 " * (n // 3),
    "years": lambda n: "2021年" * (n // 5),
    "percent signs": lambda n: "%" * n,
    "slashes": lambda n: "1/" * (n // 2),
    "period": lambda n: "1次/" + "月" * n,
    "rank tiers": lambda n: "1名" + "奋斗" * (n // 2),
    "rank tiers 2": lambda n: "1名奋斗" + "前" * n + "1名" + "必" * n,
    "qualitative": lambda n: "有所提升" + "很" * n,
}


def _time_once(text: str) -> float:
    start = time.perf_counter()
    _parse_uncached(text)
    target_in_name(text)
    score_indicator(text, text, 1)
    return time.perf_counter() - start


def _best(text: str, repeats: int = 3) -> float:
    return min(_time_once(text) for _ in range(repeats))


def linear_time() -> float:
    print("time to parse, find a name target and score, per text length (each step 4× the text):")
    print(f"  {'text':16s} {'2,000':>9s} {'8,000':>9s} {'32,000':>9s}   step ratios")
    worst = 0.0
    for label, make in ADVERSARIAL.items():
        times = [_best(make(n)) for n in (2000, 8000, 32000)]
        ratios = [b / max(a, 1e-6) for a, b in itertools.pairwise(times)]
        worst = max(worst, *ratios)
        shown = " ".join(f"{t * 1e3:7.2f}ms" for t in times)
        print(f"  {label:16s} {shown}   ×{ratios[0]:.1f} ×{ratios[1]:.1f}")
    return worst


def run_property(examples: int) -> tuple[int, float]:
    count = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cell_values, cell_values, weights, rule_sets, names, st.booleans(), st.booleans())
    def prop(target, actual, weight, rules, name, target_percent, actual_percent):
        nonlocal count
        count += 1
        check_contract(target, actual, weight, rules, name, target_percent, actual_percent)

    start = time.perf_counter()
    prop()
    return count, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100_000)
    args = parser.parse_args()
    worst = linear_time()
    count, seconds = run_property(args.examples)
    print(f"contract property: {count:,} examples in {seconds:.0f} s, no failure")
    print(f"worst step ratio (4× the text): ×{worst:.1f} (linear ≈ 4, quadratic ≈ 16)")


if __name__ == "__main__":
    main()
