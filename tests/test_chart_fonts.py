"""`jixiao summary`'s PNG charts find a CJK font installed after matplotlib built its font cache.

matplotlib lists the system's fonts once (fontlist-v*.json in its cache folder). A cache written before
the CJK font was installed made every Chinese character a box and printed one English warning per
character. Each run here uses its own matplotlib cache folder (MPLCONFIGDIR), made stale on purpose.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "xlsx_samples" / "002-洪山街道办事处-项目支出绩效自评表.xlsx"

STALE = """
from pathlib import Path
import matplotlib
from matplotlib import font_manager as fm
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if "CJK" not in f.name]
fm.json_dump(fm.fontManager, Path(matplotlib.get_cachedir(), f"fontlist-v{fm.FontManager.__version__}.json"))
"""
KNOWS_CJK = (
    "from matplotlib import font_manager as fm; print(any('CJK' in f.name for f in fm.fontManager.ttflist))"
)


def _python(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *code_or_args], capture_output=True, text=True, env=env, timeout=300
    )


def test_stale_font_cache_is_refreshed_without_warnings(tmp_path: Path) -> None:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True)
    if "Noto Sans CJK SC" not in listed.stdout:
        if os.environ.get("CI") == "true":
            pytest.fail("fonts-noto-cjk is required when CI=true", pytrace=False)
        pytest.skip("no Noto Sans CJK SC font installed")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "PYTHONPATH": str(ROOT / "src")}
    assert _python(["-c", STALE], env).returncode == 0
    assert _python(["-c", KNOWS_CJK], env).stdout.strip() == "False"  # the stale cache: no CJK font

    done = _python(
        [
            "-m",
            "jixiao.cli",
            "summary",
            str(SAMPLE),
            "-o",
            str(tmp_path / "汇总.xlsx"),
            "--png",
            str(tmp_path / "图"),
        ],
        env,
    )
    assert done.returncode == 0, done.stderr
    assert "Glyph" not in done.stderr and "missing from font" not in done.stderr
    assert "未找到中文字体" not in done.stderr
    assert (tmp_path / "图" / "各单位_总分.png").is_file()
    # The cache was saved with the font: the next run knows it without scanning.
    assert _python(["-c", KNOWS_CJK], env).stdout.strip() == "True"
