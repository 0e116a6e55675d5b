"""Showing what the checker found: a Chinese table on the console, or JSON for machines.

The table stays narrow (cell, indicator, kind, reported, rule) and puts each reason in a numbered
note below it, like ``jixiao demo``, so it reads on an 80-column terminal; colour comes from rich
when the terminal supports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jixiao.check.accounting import RowStatus, Status
from jixiao.check.findings import Finding, FindingKind
from jixiao.check.read import FileResult
from jixiao.core.values import format_number

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


def summarize(results: Sequence[FileResult], seconds: float) -> Summary:
    kinds = Counter(f.kind for result in results for f in result.findings)
    return Summary(
        files=len(results),
        forms=sum(1 for result in results for form in result.forms if not form.duplicate_of),
        clean=sum(1 for result in results if not result.findings),
        unreadable=sum(1 for result in results if result.unreadable),
        findings=sum(len(result.findings) for result in results),
        by_kind={kind.value: kinds[kind] for kind in FindingKind if kinds[kind]},
        seconds=seconds,
    )


def _n(x: float | None) -> str:
    return "" if x is None else format_number(round(x, 6))


def band(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return _n(low) if low == high else f"{_n(low)}–{_n(high)}"


# -- console ------------------------------------------------------------------------------------


def _table(findings: Sequence[Finding], first: int) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("单元格", no_wrap=True)
    table.add_column("指标", overflow="fold", ratio=1)
    table.add_column("问题", no_wrap=True)
    table.add_column("填报", justify="right", no_wrap=True)
    table.add_column("规则", justify="right", no_wrap=True)
    for number, f in enumerate(findings, start=first):
        table.add_row(
            str(number),
            f.cell or "—",
            escape(f.label),
            f"[{STYLES.get(f.kind, 'red' if f.kind.severe else 'cyan')}]{f.kind.label}[/]",
            _n(f.reported),
            band(f.rule_low, f.rule_high),
        )
    return table


def print_results(console: Console, results: Sequence[FileResult], summary: Summary) -> None:
    show_clean = len(results) <= LIST_CLEAN_UP_TO
    for result in results:
        if not result.findings:
            if show_clean:
                checked = f"{len(result.forms)} 张表" if result.forms else "无可检查的表"
                console.print(f"[green]✓[/] {escape(result.file)}：未发现问题（{checked}）", highlight=False)
                print_unscorable(console, result.rows)
            continue
        console.print(f"\n[bold]{escape(result.file)}[/]", highlight=False)
        for f in (f for f in result.findings if f.kind is FindingKind.UNREADABLE):
            where = f"工作表「{escape(f.sheet)}」：" if f.sheet else ""
            console.print(f"  [bold red]✗ 无法读取[/] {where}{escape(f.reason)}", highlight=False)
        sheets = list(dict.fromkeys(f.sheet for f in result.findings if f.kind is not FindingKind.UNREADABLE))
        for sheet in sheets:
            findings = [
                f for f in result.findings if f.sheet == sheet and f.kind is not FindingKind.UNREADABLE
            ]
            forms = [s for s in result.forms if s.sheet == sheet]
            console.print(f"  工作表「{escape(sheet)}」", highlight=False)
            for form in forms:
                if form.rules_source.startswith("目标表审核"):  # target forms have no score
                    console.print(f"    {escape(form.title)}：{escape(form.rules_source)}", highlight=False)
                    continue
                reported = _n(form.reported_total) if form.reported_total is not None else "未填"
                console.print(
                    f"    {escape(form.title)}：规则 {escape(form.rules_source)}；"
                    f"填报总分 {reported}，按规则 {band(form.rule_low, form.rule_high)}",
                    highlight=False,
                )
            console.print(_table(findings, 1))
            for number, f in enumerate(findings, start=1):
                console.print(f"    [{number}] {escape(f.reason)}", highlight=False)
            print_unscorable(console, [r for r in result.rows if r.sheet == sheet])
        print_unscorable(console, [r for r in result.rows if r.sheet not in sheets])
    for note in (note for result in results for note in result.notes):
        console.print(f"[dim]注：{escape(note)}[/]", highlight=False)
    console.print()
    console.print(summary_line(summary), highlight=False)


def print_unscorable(console: Console, rows: Sequence[RowStatus]) -> None:
    """The rows the rules could not score, each with its reason; rows not scored by design counted."""
    unscorable = [r for r in rows if r.status is Status.UNSCORABLE]
    skipped = sum(1 for r in rows if r.status is Status.NOT_APPLICABLE)
    if unscorable:
        console.print(
            f"    [{UNSCORABLE_STYLE}]无法按规则评分的行（{len(unscorable)}）[/]：", highlight=False
        )
        for r in unscorable:
            console.print(f"      {r.cell or '—'} {escape(r.label)}：{escape(r.reason)}", highlight=False)
    if skipped:
        console.print(
            f"    [dim]另有 {skipped} 行不评分（未填写、按标准人工评分或表中没有得分栏）[/]", highlight=False
        )


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


# -- JSON ---------------------------------------------------------------------------------------


def _form_json(form) -> dict[str, Any]:
    return {
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


def file_json(result: FileResult) -> dict[str, Any]:
    """One file's part of the report (findings, forms, notes, every indicator row read), so that a
    streaming writer can emit it as soon as the file is checked."""
    return {
        "file": result.file,
        "findings": [f.to_json() for f in result.findings],
        "forms": [_form_json(form) for form in result.forms],
        "notes": list(result.notes),
        "rows": [row.to_json() for row in result.rows],
    }


def to_json(results: Sequence[FileResult], summary: Summary) -> dict[str, Any]:
    parts = [file_json(result) for result in results]
    return {
        "findings": [f for part in parts for f in part["findings"]],
        "forms": [form for part in parts for form in part["forms"]],
        "notes": [note for part in parts for note in part["notes"]],
        "rows": [row for part in parts for row in part["rows"]],
        "summary": {
            "files": summary.files,
            "forms": summary.forms,
            "clean_files": summary.clean,
            "unreadable_files": summary.unreadable,
            "findings": summary.findings,
            "by_kind": summary.by_kind,
            "seconds": round(summary.seconds, 3),
            "exit_code": summary.exit_code,
        },
    }
