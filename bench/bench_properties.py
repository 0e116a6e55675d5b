"""The core's contract at scale (run on demand: .venv/bin/python bench/bench_properties.py).

1. The property of tests/test_core_contract.py — no value makes parse_value or score_indicator raise
   anything but the documented ValueError, points stay in [0, weight], unscorable rows say why in
   Chinese — for ``--examples`` hypothesis examples (default 100,000; the suite runs 300).
2. Parsing time is linear in the text: for adversarial texts (long runs of digits, spaces, comparator
   words, 「奋斗」, dates …) at 2,000, 8,000 and 32,000 characters, the time of parse_value +
   target_in_name + score_indicator divided by the time of a plain linear pass over the same text
   (NFKC + translate + whitespace collapse, measured in the same run). Linear code keeps that ratio
   flat as the text grows 16×; quadratic code multiplies it by 16. The old rank-tiers expression
   took 72 s at 32,000 characters (its ratio grew ≈ 180×).
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import score_indicator
from jixiao.core.names import target_in_name
from jixiao.core.values import _LOOKALIKES, _SPACES, _parse_uncached
from test_core_contract import cell_values, check_contract, names, rule_sets, weights

SIZES = (2000, 8000, 32000)
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


def _baseline_once(text: str) -> float:
    """One linear pass over the same text, done three times (parse, name, score each read it once):
    what linear costs on this machine at this length, cache effects included."""
    start = time.perf_counter()
    for _ in range(3):
        _SPACES.sub(" ", unicodedata.normalize("NFKC", text).translate(_LOOKALIKES))
    return time.perf_counter() - start


def _best(function, text: str, repeats: int = 7) -> float:
    return min(function(text) for _ in range(repeats))


def linear_time() -> float:
    print("time per character to parse, find a name target and score; ×: ÷ a linear pass (baseline):")
    print(f"  {'text':16s} {'2,000':>16s} {'8,000':>16s} {'32,000':>16s}   growth of the ratio")
    worst = 0.0
    for label, make in ADVERSARIAL.items():
        ratios = []
        cells = []
        for n in SIZES:
            text = make(n)
            ours, base = _best(_time_once, text), _best(_baseline_once, text)
            ratios.append(ours / max(base, 1e-7))
            cells.append(f"{ours / n * 1e9:5.0f}ns/字 ×{ratios[-1]:5.1f}")
        growth = ratios[-1] / ratios[0]
        worst = max(worst, growth)
        print(f"  {label:16s} {' '.join(cells)}   ×{growth:.2f}")
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
    print(f"worst growth of the ratio over 16× the text: ×{worst:.2f} (linear ≈ 1, quadratic ≈ 16)")


if __name__ == "__main__":
    main()
