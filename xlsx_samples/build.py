"""Rebuild the sample workbooks of this folder from the seed transcription.

    .venv/bin/python xlsx_samples/build.py            # rewrite the samples here
    .venv/bin/python xlsx_samples/build.py 输出目录    # or write them elsewhere

The transcription (tests/seed_data.py) and the builders (tests/seed_workbooks.py) live beside the
tests that check what `jixiao check` finds in these files, so the samples and the expectations
come from one copy of the seed figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from seed_workbooks import build_samples  # noqa: E402  (needs the tests folder on the path)


def main(argv: list[str]) -> int:
    outdir = Path(argv[0]) if argv else HERE
    for path in build_samples(outdir):
        print(f"{path.stat().st_size // 1024:>4} KB  {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
