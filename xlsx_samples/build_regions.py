"""Rebuild the regional samples (xlsx_samples/regions/) from their transcription.

    .venv/bin/python xlsx_samples/build_regions.py            # rewrite xlsx_samples/regions/
    .venv/bin/python xlsx_samples/build_regions.py 输出目录    # or write them elsewhere

The transcription (tests/regional_data.py: each form's rows, labels and merges as published) lives
beside tests/test_regional_samples.py, which says what `jixiao check` must find in each file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from regional_data import SAMPLES  # noqa: E402  (needs the tests folder on the path)
from seed_workbooks import legacy_workbook  # noqa: E402

REGIONS = HERE / "regions"


def build_regions(outdir: Path) -> Iterator[Path]:
    """Write every regional sample into ``outdir`` (replacing files of the same name)."""
    outdir.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        yield legacy_workbook(outdir / sample.file, {sample.sheet: sample.build})


def main(argv: list[str]) -> int:
    outdir = Path(argv[0]) if argv else REGIONS
    for path in build_regions(outdir):
        print(f"{path.stat().st_size // 1024:>4} KB  {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
