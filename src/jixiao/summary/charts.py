"""The summary's figures as PNG pictures (matplotlib), for the docs and for a printed report.

matplotlib is optional (the ``charts`` extra; ``jixiao kit --charts`` puts it in the Windows kit). Figures are drawn with the object API on
an Agg canvas — no pyplot, no global backend switch, nothing left behind in a caller's process —
with a CJK font looked up by name, so Chinese labels render instead of boxes. The files carry no
date or version in their metadata: drawing the same summary twice gives the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.core.rules import RuleSet
from jixiao.summary.workbook import WEAK_RATE, WEAK_TOTAL, UnitEntry
from jixiao.workbook.files import MAX_NAME_BYTES, fit_file_name, replace_atomically, safe_file_name

# Simplified-Chinese fonts in the order they are tried: Linux (Noto / Source Han / WenQuanYi),
# Windows (Microsoft YaHei, SimHei), macOS (PingFang).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)
_BAR = "#4472C4"
_WEAK = "#D0021B"
_GOOD = "#70AD47"
_GRADE_COLOURS = {"优": "#4E9A06", "良": "#73A9D8", "中": "#F5A623", "差": "#D0021B"}
DPI = 110


class ChartsUnavailable(RuntimeError):
    """matplotlib is not installed (the message says how to install it)."""


@dataclass(frozen=True)
class Drawn:
    files: list[Path]
    font: str | None  # the CJK font used; None: none found, Chinese may show as boxes


def _known_cjk_font() -> str | None:
    from matplotlib import font_manager

    for family in CJK_FONTS:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return family
    return None


def refresh_font_cache() -> int:
    """Teach matplotlib the system fonts its cache does not list; returns how many files were added.

    matplotlib scans the system's fonts once and keeps the list (``fontlist-v*.json`` in its cache
    folder); a font installed later — typically the CJK font — stays invisible, and every Chinese
    character is drawn as a box with a warning. The missing files are added to the running font
    manager (public ``FontManager.addfont``) and the cache is saved, so later runs see them at once.
    """
    import matplotlib
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {os.path.normcase(os.path.realpath(entry.fname)) for entry in manager.ttflist}
    added = 0
    for path in sorted(font_manager.findSystemFonts()):
        if os.path.normcase(os.path.realpath(path)) in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a file FreeType cannot read: matplotlib skips those too
        added += 1
    if added:
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        with contextlib.suppress(OSError):
            font_manager.json_dump(manager, cache)
    return added


def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS`, after refreshing a font cache that predates it."""
    found = _known_cjk_font()
    if found is None and refresh_font_cache():
        found = _known_cjk_font()
    return found


def _require() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ChartsUnavailable(
            "画 PNG 图表需要 matplotlib（jixiao 的 charts 组件）：Windows 请用含画图组件的安装包"
            "（jixiao kit --charts 制作，见使用指南《安装》）；源代码目录中 ./jx 的环境已含它"
        ) from error


def _figure(width: float, height: float) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _save(figure: Any, path: Path) -> Path:
    def write(temporary: str) -> None:
        figure.savefig(temporary, format="png", metadata={"Software": None})

    replace_atomically(write, path)
    return path


def _height(count: int) -> float:
    return max(2.6, 0.9 + 0.38 * count)


def totals_chart(title: str, names: Sequence[str], totals: Sequence[float | None], path: Path) -> Path:
    """Horizontal bars of 总分 (0–100), weak ones red, with the 80 and 90 lines."""
    figure, axes = _figure(7.2, _height(len(names)))
    values = [t or 0.0 for t in totals]
    colours = [_WEAK if t is not None and t < WEAK_TOTAL else _BAR for t in totals]
    positions = range(len(names))
    axes.barh(positions, values, color=colours, height=0.6)
    for y, total in zip(positions, totals, strict=True):
        axes.text((total or 0) + 1, y, "—" if total is None else f"{total:.2f}", va="center", fontsize=9)
    axes.set_yticks(list(positions), list(names), fontsize=9)
    axes.invert_yaxis()  # first item on top, as in the table
    axes.set_xlim(0, 108)
    for line, label in ((WEAK_TOTAL, "80 良"), (90.0, "90 优")):
        axes.axvline(line, color="#888888", linestyle="--", linewidth=0.8)
        axes.text(line, 1.0, label, transform=axes.get_xaxis_transform(), ha="center", va="bottom",
                  fontsize=8, color="#666666")  # fmt: skip
    axes.set_xlabel("总分")
    axes.set_title(title, fontsize=12, fontweight="bold", pad=16)
    axes.spines[["top", "right"]].set_visible(False)
    return _save(figure, path)


def rates_chart(title: str, names: Sequence[str], rates: Sequence[float | None], path: Path) -> Path:
    """Horizontal bars of 执行率 in %, below 90 % red, with the 90 % line."""
    figure, axes = _figure(7.2, _height(len(names)))
    percents = [None if r is None else r * 100 for r in rates]
    colours = [_WEAK if p is not None and p < WEAK_RATE * 100 else _GOOD for p in percents]
    positions = range(len(names))
    axes.barh(positions, [p or 0.0 for p in percents], color=colours, height=0.6)
    top = max([100.0, *[p for p in percents if p is not None]])
    for y, percent in zip(positions, percents, strict=True):
        shown = "—" if percent is None else f"{percent:.2f}%"
        axes.text((percent or 0) + top * 0.01, y, shown, va="center", fontsize=9)
    axes.set_yticks(list(positions), list(names), fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.12)
    axes.axvline(WEAK_RATE * 100, color="#888888", linestyle="--", linewidth=0.8)
    axes.text(WEAK_RATE * 100, 1.0, "90%", transform=axes.get_xaxis_transform(), ha="center", va="bottom",
              fontsize=8, color="#666666")  # fmt: skip
    axes.set_xlabel("预算执行率（%）")
    axes.set_title(title, fontsize=12, fontweight="bold", pad=16)
    axes.spines[["top", "right"]].set_visible(False)
    return _save(figure, path)


def grades_chart(
    title: str, series: Sequence[tuple[str, Sequence[str | None]]], rules: RuleSet, path: Path
) -> Path:
    """Columns: how many projects (and units) got each 等级."""
    names = [name for name, _ in rules.grade_bands]
    figure, axes = _figure(6.0, 3.4)
    width = 0.8 / max(len(series), 1)
    peak = 1
    for index, (label, grades) in enumerate(series):
        counts = [sum(1 for g in grades if g == name) for name in names]
        peak = max(peak, *counts)
        offsets = [x + (index - (len(series) - 1) / 2) * width for x in range(len(names))]
        colours = [_GRADE_COLOURS.get(name, _BAR) for name in names] if len(series) == 1 else None
        bars = axes.bar(
            offsets, counts, width=width * 0.9, label=label, color=colours, alpha=1 - 0.35 * index
        )
        axes.bar_label(bars, fontsize=9)
    axes.set_xticks(range(len(names)), names)
    axes.set_ylim(0, peak * 1.25 + 0.5)
    axes.set_ylabel("个数")
    axes.yaxis.get_major_locator().set_params(integer=True)
    if len(series) > 1:
        axes.legend(frameon=False)
    axes.set_title(title, fontsize=12, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    return _save(figure, path)


def draw_charts(directory: Path, entries: Sequence[UnitEntry], rules: RuleSet) -> Drawn:
    """各单位_总分/执行率/等级.png across units, and 〈单位〉_总分/执行率/等级.png for each unit."""
    _require()
    from matplotlib import rc_context

    directory.mkdir(parents=True, exist_ok=True)
    font = cjk_font()
    style = {
        "font.family": [font] if font else ["sans-serif"],
        "axes.unicode_minus": False,  # CJK fonts lack U+2212
    }
    files: list[Path] = []
    with rc_context(style), warnings.catch_warnings():
        # Without a CJK font every Chinese character would warn ("Glyph … missing from font(s)"):
        # the command says once, in Chinese, what to install instead.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from")
        units = [e.rollup for e in entries]
        names = [u.unit for u in units]
        files.append(
            totals_chart("各单位总分", names, [u.total for u in units], directory / "各单位_总分.png")
        )
        files.append(
            rates_chart("各单位预算执行率", names, [u.rate for u in units], directory / "各单位_执行率.png")
        )
        projects = [p.grade for u in units for p in u.projects]
        files.append(
            grades_chart(
                "等级分布",
                [("单位", [u.grade for u in units]), ("项目", projects)],
                rules,
                directory / "各单位_等级.png",
            )
        )
        for unit in units:
            stem = _stem(unit.unit)
            labels = [p.name for p in unit.projects]
            files.append(
                totals_chart(
                    f"{unit.unit} 各项目总分",
                    labels,
                    [p.total for p in unit.projects],
                    directory / f"{stem}_总分.png",
                )
            )
            files.append(
                rates_chart(
                    f"{unit.unit} 各项目预算执行率",
                    labels,
                    [p.rate for p in unit.projects],
                    directory / f"{stem}_执行率.png",
                )
            )
            files.append(
                grades_chart(
                    f"{unit.unit} 项目等级分布",
                    [("项目", [p.grade for p in unit.projects])],
                    rules,
                    directory / f"{stem}_等级.png",
                )
            )
    return Drawn(files, font)


def _stem(unit: str) -> str:
    """The unit's part of its chart files' names, short enough for the longest of them."""
    return fit_file_name(safe_file_name(unit), limit=MAX_NAME_BYTES - len("_执行率.png".encode()))


def chart_files(directory: Path, units: Sequence[str]) -> list[Path]:
    """The files :func:`draw_charts` writes, to refuse overwriting them before anything is written."""
    files = [directory / f"各单位_{kind}.png" for kind in ("总分", "执行率", "等级")]
    for unit in units:
        stem = _stem(unit)
        files += [directory / f"{stem}_{kind}.png" for kind in ("总分", "执行率", "等级")]
    return files
