"""Showing what the checker found, one file at a time: a Chinese table for people, JSON for machines.

Every output is written while the batch runs: each file's part as soon as the file is checked, then
a closing summary. Nothing here keeps a file's result after writing it, so a province's tens of
thousands of forms cost no more memory than a handful.

* :func:`file_json` is the one place that turns a file's result into JSON; all three formats are
  made of it, so a field added there reaches the JSON document, the JSON lines and the batch
  document alike.
* ``--format json``: one document ``{"findings": [...], "forms": [...], "notes": [...],
  "rows": [...], "summary": {...}}`` — each list the files' lists in order. The first list is written as files
  come; the others wait in temporary files (not memory) until it is closed.
* ``--format jsonl``: one line per file, ``{"file": ..., "findings": [...], "forms": [...],
  "notes": [...], "rows": [...]}``, then a last line ``{"summary": {...}}``.
* ``table``: for each file with findings, its forms and a narrow table (number, cell, kind, reported,
  rule, indicator) with each reason in a numbered note below it, then the rows the rules could not
  score (target forms, which have no score, show their rules instead of totals); clean files are listed one by one
  only in small batches; then a table of findings by kind and the summary line. Plain text with
  colour codes only on a terminal: a rich table per file cost more than checking the file.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from rich.cells import cell_len

from jixiao.check.accounting import RowStatus, Status
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.read import FileResult
from jixiao.core.values import format_number
from jixiao.workbook.opener import quote

STYLES = {
    FindingKind.ROUNDING: "yellow",
    FindingKind.SUBSTANTIVE: "bold red",
    FindingKind.UNDECIDABLE: "magenta",
    FindingKind.WEIGHTS: "red",
    FindingKind.OVER_WEIGHT: "bold red",
    FindingKind.TOTAL: "red",
    FindingKind.EXECUTION_RATE: "red",
    FindingKind.FUNDS_IDENTITY: "red",
    FindingKind.MISSING_EXPLANATION: "cyan",
    FindingKind.EMPTY_TOTAL: "red",
    FindingKind.UNREADABLE: "bold red",
}
UNSCORABLE_STYLE = "blue"
# Files listed one by one even when clean, up to this many; beyond it only the summary counts them.
LIST_CLEAN_UP_TO = 20


@dataclass(frozen=True)
class Summary:
    files: int
    forms: int
    clean: int
    unreadable: int
    findings: int
    by_kind: dict[str, int]
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 clean, 1 something found, 2 some input could not be read."""
        if self.unreadable:
            return 2
        return 1 if self.findings else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "forms": self.forms,
            "clean_files": self.clean,
            "unreadable_files": self.unreadable,
            "findings": self.findings,
            "by_kind": self.by_kind,
            "seconds": round(self.seconds, 3),
            "exit_code": self.exit_code,
        }


@dataclass
class Tally:
    """The summary's counts, kept up to date file by file (the results themselves are not kept)."""

    files: int = 0
    forms: int = 0
    clean: int = 0
    unreadable: int = 0
    kinds: Counter[FindingKind] = field(default_factory=Counter)

    def add(self, result: FileResult) -> None:
        self.files += 1
        # A repeated form (marked with duplicate_of before it gets here) is counted once.
        self.forms += sum(1 for form in result.forms if not form.duplicate_of)
        self.clean += not result.findings
        self.unreadable += result.unreadable
        self.kinds.update(f.kind for f in result.findings)

    def summary(self, seconds: float) -> Summary:
        return Summary(
            files=self.files,
            forms=self.forms,
            clean=self.clean,
            unreadable=self.unreadable,
            findings=sum(self.kinds.values()),
            by_kind={kind.value: self.kinds[kind] for kind in FindingKind if self.kinds[kind]},
            seconds=seconds,
        )


def summarize(results: Iterable[FileResult], seconds: float) -> Summary:
    tally = Tally()
    for result in results:
        tally.add(result)
    return tally.summary(seconds)


def _n(x: float | None) -> str:
    return "" if x is None else format_number(round(x, 6))


def band(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return _n(low) if low == high else f"{_n(low)}–{_n(high)}"


# -- JSON ---------------------------------------------------------------------------------------


def file_json(result: FileResult) -> dict[str, Any]:
    """One file's part of every JSON output: its name, then one list per section of the document."""
    return {
        "file": result.file,
        "findings": [f.to_json() for f in result.findings],
        "forms": [
            {
                "file": form.file,
                "sheet": form.sheet,
                "title": form.title,
                "rubric": form.rubric,
                "rules": form.rules_source,
                "rows": form.rows,
                "reported_total": form.reported_total,
                "rule_total_low": form.rule_low,
                "rule_total_high": form.rule_high,
            }
            for form in result.forms
        ],
        "notes": list(result.notes),
        "rows": [row.to_json() for row in result.rows],
    }


# The document's lists, in order: whatever lists file_json gives.
SECTIONS = tuple(key for key, value in file_json(FileResult("")).items() if isinstance(value, list))


def to_json(results: Iterable[FileResult], summary: Summary) -> dict[str, Any]:
    """The whole ``--format json`` document at once (what :class:`JsonDocument` streams)."""
    document: dict[str, Any] = {section: [] for section in SECTIONS}
    for result in results:
        part = file_json(result)
        for section in SECTIONS:
            document[section] += part[section]
    document["summary"] = summary.to_json()
    return document


def _dumps(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(..., indent=2)`` writes it ``depth`` levels deep in a document
    (JSON text never holds a raw line break, so indenting every line is exact)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


class JsonDocument:
    """Writes the ``--format json`` document file by file, byte for byte what
    ``json.dumps(to_json(results, summary), ensure_ascii=False, indent=2)`` gives for the same results."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self._count = dict.fromkeys(SECTIONS, 0)
        # The first list goes straight out; the others wait on disk until their turn.
        # Closed by close() or discard(); the file system removes them on exit in any case.
        self._spools: dict[str, IO[str]] = {
            section: tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
            for section in SECTIONS[1:]
        }
        self._write('{\n  "' + SECTIONS[0] + '": [')

    def add(self, result: FileResult) -> None:
        part = file_json(result)
        for section in SECTIONS:
            items = part[section]
            if not items:
                continue
            text = "".join(
                ("," if self._count[section] + index else "") + "\n    " + _dumps(item, 2)
                for index, item in enumerate(items)
            )
            self._count[section] += len(items)
            if section == SECTIONS[0]:
                self._write(text)
            else:
                self._spools[section].write(text)

    def close(self, summary: Summary) -> None:
        for section in SECTIONS:
            if section != SECTIONS[0]:
                self._write(f',\n  "{section}": [')
                spool = self._spools.pop(section)
                spool.seek(0)
                while chunk := spool.read(1 << 16):
                    self._write(chunk)
                spool.close()
            self._write("\n  ]" if self._count[section] else "]")
        self._write(',\n  "summary": ' + _dumps(summary.to_json(), 1) + "\n}\n")

    def discard(self) -> None:
        for spool in self._spools.values():
            spool.close()
        self._spools.clear()


class JsonLines:
    """``--format jsonl``: one JSON object per file as soon as it is checked, a summary line last
    (a reader following the stream sees each file when it is done: the CLI's writer flushes)."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write

    def add(self, result: FileResult) -> None:
        self._write(json.dumps(file_json(result), ensure_ascii=False) + "\n")

    def close(self, summary: Summary) -> None:
        self._write(json.dumps({"summary": summary.to_json()}, ensure_ascii=False) + "\n")

    def discard(self) -> None:
        pass


# -- the table ----------------------------------------------------------------------------------

_ANSI = {"blue": 34, "red": 31, "yellow": 33, "magenta": 35, "cyan": 36, "green": 32}


def _paint(text: str, style: str, colour: bool) -> str:
    if not colour:
        return text
    codes = [str(_ANSI[word]) for word in style.split() if word in _ANSI]
    codes += ["1"] * ("bold" in style.split()) + ["2"] * ("dim" in style.split())
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


def _style(kind: FindingKind) -> str:
    return STYLES.get(kind, "red" if kind.severe else "cyan")


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * (width - cell_len(text))
    return gap + text if right else text + gap


_HEADINGS = ("#", "单元格", "问题", "填报", "规则", "指标")
_RIGHT = (True, False, False, True, True, False)


def _finding_rows(findings: Sequence[Finding], colour: bool) -> list[str]:
    rows = [
        (
            str(number),
            f.cell or "—",
            f.kind.label,
            _n(f.reported),
            band(f.rule_low, f.rule_high),
            quote(f.label),
        )
        for number, f in enumerate(findings, start=1)
    ]
    # The indicator's name goes last and unpadded: long names run on instead of widening the table.
    widths = [max(cell_len(row[i]) for row in [_HEADINGS, *rows]) for i in range(len(_HEADINGS) - 1)]
    heading = [_pad(h, w, r) for h, w, r in zip(_HEADINGS[:-1], widths, _RIGHT[:-1], strict=True)]
    lines = ["    " + "  ".join(heading) + "  " + _HEADINGS[-1]]
    for row, f in zip(rows, findings, strict=True):
        cells = [_pad(text, w, right) for text, w, right in zip(row[:-1], widths, _RIGHT[:-1], strict=True)]
        cells[2] = _paint(cells[2], _style(f.kind), colour)
        lines.append("    " + "  ".join(cells) + "  " + row[-1])
    lines += [f"    [{number}] {f.reason}" for number, f in enumerate(findings, start=1)]
    return lines


def file_block(result: FileResult, *, show_clean: bool, colour: bool) -> str:
    """What the table shows for one file ("" for a clean file in a large batch)."""
    lines: list[str] = []
    if not result.findings:
        if show_clean:
            checked = f"{len(result.forms)} 张表" if result.forms else "无可检查的表"
            lines.append(f"{_paint('✓', 'green', colour)} {result.file}：未发现问题（{checked}）")
            lines += unscorable_lines(result.rows, colour)
    else:
        lines += ["", _paint(result.file, "bold", colour)]
        for f in result.findings:
            if f.kind is FindingKind.UNREADABLE:
                where = f"工作表「{f.sheet}」：" if f.sheet else ""
                lines.append(f"  {_paint('✗ 无法读取', 'bold red', colour)} {where}{f.reason}")
        by_sheet: dict[str, list[Finding]] = {}
        for f in result.findings:
            if f.kind is not FindingKind.UNREADABLE:
                by_sheet.setdefault(f.sheet, []).append(f)
        for sheet, findings in by_sheet.items():
            lines.append(f"  工作表「{sheet}」")
            for form in (s for s in result.forms if s.sheet == sheet):
                if form.rules_source.startswith("目标表审核"):  # target forms have no score
                    lines.append(f"    {form.title}：{form.rules_source}")
                    continue
                reported = _n(form.reported_total) if form.reported_total is not None else "未填"
                lines.append(
                    f"    {form.title}：规则 {form.rules_source}；"
                    f"填报总分 {reported}，按规则 {band(form.rule_low, form.rule_high)}"
                )
            lines += _finding_rows(findings, colour)
            lines += unscorable_lines([r for r in result.rows if r.sheet == sheet], colour)
        lines += unscorable_lines([r for r in result.rows if r.sheet not in by_sheet], colour)
    lines += [_paint(f"注：{note}", "dim", colour) for note in result.notes]
    return "".join(line + "\n" for line in lines)


class Table:
    """The default output: each file's block as it comes, then findings by kind and the summary."""

    def __init__(self, write: Callable[[str], object], *, files: int, colour: bool) -> None:
        self._write, self._colour = write, colour
        self._show_clean = files <= LIST_CLEAN_UP_TO

    def add(self, result: FileResult) -> None:
        block = file_block(result, show_clean=self._show_clean, colour=self._colour)
        if block:
            self._write(block)

    def close(self, summary: Summary) -> None:
        lines = [""]
        kinds = [(FindingKind(kind), count) for kind, count in summary.by_kind.items()]
        if kinds:
            width = max(cell_len(kind.label) for kind, _ in kinds)
            digits = max(cell_len("数量"), *(len(str(count)) for _, count in kinds))
            lines.append(f"{_pad('问题类别', width)}  {_pad('数量', digits, right=True)}")
            for kind, count in kinds:
                label = _paint(_pad(kind.label, width), _style(kind), self._colour)
                lines.append(f"{label}  {str(count).rjust(digits)}")
            lines.append("")
        lines.append(summary_line(summary))
        self._write("".join(line + "\n" for line in lines))

    def discard(self) -> None:
        pass


def unscorable_lines(rows: Sequence[RowStatus], colour: bool) -> list[str]:
    """The rows the rules could not score, each with its reason; rows not scored by design counted."""
    unscorable = [r for r in rows if r.status is Status.UNSCORABLE]
    skipped = sum(1 for r in rows if r.status is Status.NOT_APPLICABLE)
    lines: list[str] = []
    if unscorable:
        lines.append(f"    {_paint(f'无法按规则评分的行（{len(unscorable)}）', UNSCORABLE_STYLE, colour)}：")
        lines += [f"      {r.cell or '—'} {r.label}：{r.reason}" for r in unscorable]
    if skipped:
        lines.append(
            "    "
            + _paint(f"另有 {skipped} 行不评分（未填写、按标准人工评分或表中没有得分栏）", "dim", colour)
        )
    return lines


def summary_line(summary: Summary) -> str:
    kinds = "，".join(
        f"{FindingKind(kind).label} {count}"
        for kind, count in summary.by_kind.items()
        if kind != "unreadable"
    )
    speed = summary.files / summary.seconds if summary.seconds > 0 else 0.0
    text = (
        f"检查完成：{summary.files} 个文件、{summary.forms} 张表；{summary.clean} 个文件未发现问题"
        f"，{summary.unreadable} 个文件无法读取"
    )
    problems = summary.findings - summary.by_kind.get("unreadable", 0)
    text += f"；共 {problems} 处问题" + (f"（{kinds}）" if kinds else "")
    text += f"；用时 {summary.seconds:.1f} 秒（{speed:.1f} 个文件/秒）。"
    return text
