"""The demo: score a built-in sample (seed 002's project forms) and print the table."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from jixiao.core.grading import grade
from jixiao.core.records import (
    Agreement,
    ExecutionRecord,
    ExecutionVerdict,
    IndicatorRecord,
    RowVerdict,
    judge_execution,
    judge_rows,
    rule_total,
)
from jixiao.core.rounding import excel_round
from jixiao.core.rules import DEFAULT_RULES
from jixiao.core.values import format_number

_STYLE = {
    Agreement.MATCH: "green",
    Agreement.ROUNDING: "yellow",
    Agreement.SUBSTANTIVE: "bold red",
    Agreement.UNDECIDABLE: "magenta",
    Agreement.NOT_REPORTED: "dim",
}


@dataclass(frozen=True)
class ProjectSample:
    name: str
    execution: ExecutionRecord
    rows: tuple[IndicatorRecord, ...]
    reported_total: float | None


def load_sample() -> tuple[str, str, list[ProjectSample]]:
    text = resources.files("jixiao").joinpath("data/demo_sample.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    projects = []
    for item in data["projects"]:
        rows = tuple(
            IndicatorRecord(level1, level2, name, target, actual, float(weight), float(reported))
            for level1, level2, name, target, actual, weight, reported in item["rows"]
        )
        execution = ExecutionRecord(**item["execution"])
        projects.append(ProjectSample(item["name"], execution, rows, item.get("reported_total")))
    return data["title"], data["source"], projects


def _band_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    if low == high:
        return format_number(low)
    return f"{format_number(low)}–{format_number(high)}"


def _project_table(
    project: ProjectSample, execution: ExecutionVerdict, verdicts: list[RowVerdict]
) -> tuple[Table, list[str]]:
    """The scores side by side, and the rule's reason for each numbered row."""
    table = Table(title=f"项目：{project.name}")
    table.add_column("#", justify="right")
    table.add_column("指标")
    table.add_column("目标值 → 实际值")
    table.add_column("分值", justify="right")
    table.add_column("填报", justify="right")
    table.add_column("规则", justify="right")
    table.add_column("判定", no_wrap=True)
    rec = execution.record
    table.add_row(
        "1",
        "预算执行率",
        f"{format_number(rec.budget or 0)} → {format_number(rec.actual or 0)}",
        format_number(rec.weight),
        format_number(rec.reported) if rec.reported is not None else "",
        _band_text(execution.points, execution.points),
        f"[{_STYLE[execution.agreement]}]{execution.agreement.label}[/]",
    )
    notes = [f"[1] {execution.reason}"]
    for number, verdict in enumerate(verdicts, start=2):
        r, s = verdict.record, verdict.score
        table.add_row(
            str(number),
            r.name,
            f"{r.target} → {r.actual}",
            format_number(r.weight),
            format_number(r.reported) if r.reported is not None else "",
            _band_text(s.low, s.high),
            f"[{_STYLE[verdict.agreement]}]{verdict.agreement.label}[/]",
        )
        notes.append(f"[{number}] {s.reason}")
    return table, notes


def run_demo(console: Console | None = None) -> int:
    console = console or Console()
    rules = DEFAULT_RULES
    title, source, projects = load_sample()
    console.print(f"[bold]{title}[/]（{source}，默认评分规则：正向 w×B÷A，反向 w×A÷B，定性 80%/50% 三档）\n")
    for project in projects:
        execution = judge_execution(project.execution, rules)
        verdicts = judge_rows(project.rows, rules)
        table, notes = _project_table(project, execution, verdicts)
        console.print(table)
        for note_line in notes:
            console.print(f"  {note_line}", highlight=False)
        band, as_reported = rule_total(verdicts, rules)
        exec_points = execution.points or 0.0
        low = excel_round(band.low + exec_points, rules.decimals)
        high = excel_round(band.high + exec_points, rules.decimals)
        grades = {grade(low, rules), grade(high, rules)}
        note = f"；其中 {as_reported} 行规则无法判定，按填报得分计入" if as_reported else ""
        reported = format_number(project.reported_total) if project.reported_total is not None else "未填"
        console.print(
            f"  [bold]填报总分 {reported}；按规则 {_band_text(low, high)}（等级 {'/'.join(sorted(grades))}）{note}[/]\n",
            highlight=False,
        )
    return 0
