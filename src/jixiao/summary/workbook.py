"""The summary workbook (XlsxWriter): one sheet across units, one sheet per unit, native Excel charts.

Made to be looked at: weak rows stand out (总分 < 80 or 执行率 < 90 % tinted, the cell itself red;
等级 差 red and 中 orange), every table has an autofilter so it can be sorted, and each sheet carries
column charts of 总分, bar charts of 执行率 and a chart of the 等级 distribution. The distribution is
counted by COUNTIF formulas over the 等级 column, so it follows edits; their values are cached too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.core.rules import RuleSet
from jixiao.core.values import format_number
from jixiao.summary.rollup import UnitRollup, UnitRow
from jixiao.workbook.contract import SUMMARY_TITLE
from jixiao.workbook.files import replace_atomically

ACROSS_SHEET = "各单位汇总"
SHARED_SHEET = "共有指标"
WEAK_TOTAL = 80.0  # 总分 below this is 良 at best: tinted
WEAK_RATE = 0.9  # 执行率 below 90 % needs an explanation in several regions (DOMAIN.md §2)
_RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
_ORANGE = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
_TINT = {"bg_color": "#FDECEA"}
_GRADE_COLOURS = {"优": "#4E9A06", "良": "#73A9D8", "中": "#F5A623", "差": "#D0021B"}
_HEADER_ROW = 3  # rows 0–2: title, the unit's own figures, a blank line
_INVALID_SHEET = re.compile(r"[\[\]:*?/\\']")


@dataclass(frozen=True)
class UnitEntry:
    """One unit as the summary shows it: its roll-up and where its 部门整体 form was written."""

    rollup: UnitRollup
    unit_form: str = ""  # file name of the written unit form ("" when none was written)
    shared: tuple[UnitRow, ...] = ()  # indicators several projects share, combined by the roll-up rules


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (≤ 31 characters, none of []:*?/\\')."""
    base = _INVALID_SHEET.sub("_", text).strip("' ") or "单位"
    base = base[:31]
    name, number = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def _col(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


class _Writer:
    def __init__(self, workbook: Any, rules: RuleSet):
        self.book = workbook
        self.rules = rules
        add = workbook.add_format
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1}
        self.title = add({"font_name": "黑体", "font_size": 14, "bold": True})
        self.subtitle = add({"font_name": "宋体", "font_size": 10, "font_color": "#444444"})
        self.header = add({**base, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True})
        self.text = add({**base, "text_wrap": True})
        self.plain = add(base)  # file names and notes: one line, overflowing into empty cells
        self.amount = add({**base, "num_format": "#,##0.00"})
        self.rate = add({**base, "num_format": "0.00%"})
        self.score = add({**base, "num_format": "0.00"})
        self.count = add({**base, "num_format": "0", "align": "center"})
        self.grade = add({**base, "align": "center"})
        self.link = add({**base, "font_color": "#1F4E79", "underline": 1})
        self.red = add(_RED)
        self.orange = add(_ORANGE)
        self.tint = add(_TINT)

    # -- shared pieces ------------------------------------------------------------------------

    def table(
        self,
        ws: Any,
        columns: Sequence[tuple[str, float, Any]],
        rows: Sequence[Sequence[object]],
        *,
        total_col: int,
        rate_col: int,
        grade_col: int,
        count_col: int,
        header_row: int = _HEADER_ROW,
        sortable: bool = True,
    ) -> tuple[int, int]:
        """Header row, data below, conditional formats; the autofilter (one per sheet) when
        ``sortable``. Returns the (first, last) data row."""
        for index, (label, width, _) in enumerate(columns):
            ws.write(header_row, index, label, self.header)
            ws.set_column(index, index, width)
        ws.set_row(header_row, 30)
        first = header_row + 1
        for offset, values in enumerate(rows):
            r = first + offset
            for index, value in enumerate(values):
                fmt = columns[index][2]
                if value is None or value == "":
                    ws.write_blank(r, index, None, fmt)
                elif isinstance(value, tuple):  # (file name, shown text): a link to a workbook beside it
                    ws.write_url(r, index, f"external:{value[0]}", fmt, value[1])
                elif isinstance(value, (int, float)):
                    ws.write_number(r, index, value, fmt)
                else:
                    ws.write_string(r, index, str(value), fmt)
        last = first + max(len(rows), 1) - 1
        if sortable:
            ws.autofilter(header_row, 0, last, len(columns) - 1)
            ws.freeze_panes(first, 1)
        if not rows:
            return first, last
        total, rate = f"${_col(total_col)}{first + 1}", f"${_col(rate_col)}{first + 1}"
        span = (first, 0, last, len(columns) - 1)
        # The weak cell itself in red, then the whole row tinted (the first rule that applies wins).
        ws.conditional_format(
            first, total_col, last, total_col,
            {"type": "formula", "criteria": f"=AND(ISNUMBER({total}),{total}<{format_number(WEAK_TOTAL)})",
             "format": self.red, "stop_if_true": True},
        )  # fmt: skip
        ws.conditional_format(
            first, rate_col, last, rate_col,
            {"type": "formula", "criteria": f"=AND(ISNUMBER({rate}),{rate}<{format_number(WEAK_RATE)})",
             "format": self.red, "stop_if_true": True},
        )  # fmt: skip
        worst, poor = self.rules.grade_bands[-1][0], self.rules.grade_bands[-2][0]
        grade = f"${_col(grade_col)}{first + 1}"
        ws.conditional_format(
            first, grade_col, last, grade_col,
            {"type": "formula", "criteria": f'={grade}="{worst}"', "format": self.red, "stop_if_true": True},
        )  # fmt: skip
        ws.conditional_format(
            first, grade_col, last, grade_col,
            {"type": "formula", "criteria": f'={grade}="{poor}"', "format": self.orange, "stop_if_true": True},
        )  # fmt: skip
        ws.conditional_format(
            *span,
            {"type": "formula",
             "criteria": f"=OR(AND(ISNUMBER({total}),{total}<{format_number(WEAK_TOTAL)}),"
                         f"AND(ISNUMBER({rate}),{rate}<{format_number(WEAK_RATE)}))",
             "format": self.tint},
        )  # fmt: skip
        ws.conditional_format(first, count_col, last, count_col, {"type": "data_bar", "bar_color": "#F4B183"})
        return first, last

    def grade_counts(
        self, ws: Any, sheet: str, at: tuple[int, int], series: Sequence[tuple[str, int, int, int, list[str]]]
    ) -> tuple[int, int]:
        """等级 | 数量 … counted by COUNTIF over each series' 等级 column; returns (first, last) row."""
        row, col = at
        ws.write(row, col, "等级", self.header)
        for index, (label, *_rest) in enumerate(series, start=1):
            ws.write(row, col + index, label, self.header)
        ws.set_column(col, col + len(series), 9)
        names = [name for name, _ in self.rules.grade_bands]
        for offset, name in enumerate(names, start=1):
            ws.write(row + offset, col, name, self.grade)
            for index, (_, grade_col, first, last, grades) in enumerate(series, start=1):
                span = f"${_col(grade_col)}${first + 1}:${_col(grade_col)}${last + 1}"
                ws.write_formula(
                    row + offset, col + index, f'=COUNTIF({span},"{name}")', self.count, grades.count(name)
                )
        return row + 1, row + len(names)

    def column_chart(
        self,
        sheet: str,
        title: str,
        categories: tuple[int, int, int],
        values: tuple[int, int, int],
        **extra: Any,
    ) -> Any:
        first, last, col = values
        cat_first, cat_last, cat_col = categories
        kind = extra.pop("kind", "column")
        chart = self.book.add_chart({"type": kind})
        chart.add_series(
            {
                "name": title,
                "categories": [sheet, cat_first, cat_col, cat_last, cat_col],
                "values": [sheet, first, col, last, col],
                "data_labels": {"value": True, "num_format": extra.pop("label_format", "0.00")},
                "fill": {"color": extra.pop("colour", "#4472C4")},
                "gap": 60,
            }
        )
        chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
        chart.set_legend({"none": True})
        # A bar chart's value axis is its x axis.
        value_axis, category_axis = (
            (chart.set_x_axis, chart.set_y_axis) if kind == "bar" else (chart.set_y_axis, chart.set_x_axis)
        )
        value_axis(extra.pop("axis", {}))
        category_axis({"num_font": {"size": 9}, **({"reverse": True} if kind == "bar" else {})})
        chart.set_size({"width": 640, "height": 300})
        return chart

    def grade_chart(self, sheet: str, title: str, first: int, last: int, col: int, series: int) -> Any:
        if series == 1:
            chart = self.book.add_chart({"type": "pie"})
            colours = [_GRADE_COLOURS.get(name, "#999999") for name, _ in self.rules.grade_bands]
            chart.add_series(
                {
                    "name": title,
                    "categories": [sheet, first, col, last, col],
                    "values": [sheet, first, col + 1, last, col + 1],
                    "data_labels": {"category": True, "value": True, "separator": "\n"},
                    "points": [{"fill": {"color": colour}} for colour in colours],
                }
            )
        else:
            chart = self.book.add_chart({"type": "column"})
            for index, colour in zip(range(1, series + 1), ("#4472C4", "#A5A5A5"), strict=False):
                chart.add_series(
                    {
                        "name": [sheet, first - 1, col + index],
                        "categories": [sheet, first, col, last, col],
                        "values": [sheet, first, col + index, last, col + index],
                        "data_labels": {"value": True},
                        "fill": {"color": colour},
                    }
                )
            chart.set_y_axis({"min": 0, "major_unit": 1, "name": "个数"})
        chart.set_title({"name": title, "name_font": {"size": 12, "bold": True}})
        chart.set_size({"width": 480, "height": 300})
        return chart

    # -- sheets -------------------------------------------------------------------------------

    @staticmethod
    def page(ws: Any) -> None:
        """Printed on A4 landscape, one page wide (tables and charts side by side)."""
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(_HEADER_ROW)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)

    def across(self, ws: Any, sheet: str, entries: Sequence[UnitEntry], year: int | None) -> None:
        self.page(ws)
        when = f"{year}年度" if year else ""
        ws.write(0, 0, f"{when}各单位预算绩效自评汇总", self.title)
        projects = [p for entry in entries for p in entry.rollup.projects]
        ws.write(
            1, 0,
            f"共 {len(entries)} 个单位、{len(projects)} 个项目。总分低于 {format_number(WEAK_TOTAL)} 或执行率低于 "
            f"{format_number(WEAK_RATE * 100)}% 的行标色；点表头的筛选按钮可排序。",
            self.subtitle,
        )  # fmt: skip
        columns = [
            ("单位名称", 28, self.text),
            ("项目数", 8, self.count),
            ("预算数（万元）", 14, self.amount),
            ("执行数（万元）", 14, self.amount),
            ("执行率", 10, self.rate),
            ("总分", 9, self.score),
            ("等级", 7, self.grade),
            ("问题数", 8, self.count),
            ("部门整体表", 44, self.link),
        ]
        rows = [
            [
                e.rollup.unit,
                len(e.rollup.projects),
                e.rollup.budget,
                e.rollup.actual,
                e.rollup.rate,
                e.rollup.total,
                e.rollup.grade,
                e.rollup.findings,
                (e.unit_form, e.unit_form) if e.unit_form else "",
            ]
            for e in entries
        ]
        first, last = self.table(ws, columns, rows, total_col=5, rate_col=4, grade_col=6, count_col=7)
        # Every project below, unit by unit: the project 等级 count reads its 等级 column.
        listed = last + 3
        ws.write(listed - 1, 0, "各项目一览", self.title)
        project_columns = [
            ("单位名称", 28, self.text),
            ("项目名称", 8, self.text),
            ("预算数（万元）", 14, self.amount),
            ("执行数（万元）", 14, self.amount),
            ("执行率", 10, self.rate),
            ("总分", 9, self.score),
            ("等级", 7, self.grade),
            ("问题数", 8, self.count),
        ]
        project_rows = [
            [e.rollup.unit, p.name, p.budget, p.actual, p.rate, p.total, p.grade or "", p.findings]
            for e in entries
            for p in e.rollup.projects
        ]  # fmt: skip
        p_first, p_last = self.table(
            ws, project_columns, project_rows,
            total_col=5, rate_col=4, grade_col=6, count_col=7, header_row=listed, sortable=False,
        )  # fmt: skip
        ws.set_column(1, 1, 22)  # 项目数 above, 项目名称 below: wide enough for the names
        side = len(columns) + 1
        g_first, g_last = self.grade_counts(
            ws,
            sheet,
            (_HEADER_ROW, side),
            [
                ("单位", 6, first, last, [e.rollup.grade for e in entries]),
                ("项目", 6, p_first, p_last, [p.grade or "" for p in projects]),
            ],
        )
        charts_at = _HEADER_ROW + len(self.rules.grade_bands) + 3
        ws.insert_chart(
            charts_at, side,
            self.column_chart(sheet, "各单位总分", (first, last, 0), (first, last, 5),
                              axis={"min": 0, "max": 100, "major_gridlines": {"visible": True}}),
        )  # fmt: skip
        ws.insert_chart(
            charts_at + 16, side,
            self.column_chart(sheet, "各单位预算执行率", (first, last, 0), (first, last, 4), kind="bar",
                              label_format="0.0%", colour="#70AD47", axis={"min": 0, "num_format": "0%"}),
        )  # fmt: skip
        ws.insert_chart(charts_at + 32, side, self.grade_chart(sheet, "等级分布", g_first, g_last, side, 2))

    def unit(self, ws: Any, sheet: str, entry: UnitEntry) -> None:
        u = entry.rollup
        self.page(ws)
        when = f"{u.year}年度" if u.year else ""
        ws.write(0, 0, f"{when}{u.unit} 项目绩效自评汇总", self.title)
        rate = "—" if u.rate is None else f"{format_number(round(u.rate * 100, 2))}%"
        figures = (
            f"部门整体：预算数 {format_number(u.budget or 0)} 万元，执行数 {format_number(u.actual or 0)} 万元，"
            f"执行率 {rate}；总分 {format_number(u.total)}（{u.grade}）"
        )
        if entry.unit_form:
            figures += f"；部门整体表：{entry.unit_form}"
        ws.write(1, 0, figures, self.subtitle)
        columns = [
            ("项目名称", 26, self.text),
            ("预算数（万元）", 14, self.amount),
            ("执行数（万元）", 14, self.amount),
            ("执行率", 10, self.rate),
            ("总分", 9, self.score),
            ("等级", 7, self.grade),
            ("问题数", 8, self.count),
            ("文件 · 工作表", 40, self.plain),
            ("说明", 30, self.plain),
        ]
        rows = [
            [
                p.name,
                p.budget,
                p.actual,
                p.rate,
                p.total,
                p.grade or "",
                p.findings,
                f"{Path(p.file).name} · {p.sheet}",
                p.note,
            ]
            for p in u.projects
        ]
        first, last = self.table(ws, columns, rows, total_col=4, rate_col=3, grade_col=5, count_col=6)
        side = len(columns) + 1
        g_first, g_last = self.grade_counts(
            ws, sheet, (_HEADER_ROW, side), [("项目数", 5, first, last, [p.grade or "" for p in u.projects])]
        )
        charts_at = _HEADER_ROW + len(self.rules.grade_bands) + 3
        ws.insert_chart(
            charts_at, side,
            self.column_chart(sheet, "各项目总分", (first, last, 0), (first, last, 4),
                              axis={"min": 0, "max": 100, "major_gridlines": {"visible": True}}),
        )  # fmt: skip
        ws.insert_chart(
            charts_at + 16, side,
            self.column_chart(sheet, "各项目预算执行率", (first, last, 0), (first, last, 3), kind="bar",
                              label_format="0.0%", colour="#70AD47", axis={"min": 0, "num_format": "0%"}),
        )  # fmt: skip
        ws.insert_chart(
            charts_at + 32, side, self.grade_chart(sheet, "项目等级分布", g_first, g_last, side, 1)
        )

    def shared(self, ws: Any, entries: Sequence[UnitEntry]) -> None:
        """The indicators several projects of a unit share, combined by the roll-up rules."""
        self.page(ws)
        weight = entries[0].rollup.indicator_weight if entries else 80.0
        ws.write(0, 0, "多个项目共有的指标（按汇总规则合并）", self.title)
        ws.write(
            1, 0,
            "同一单位中二级指标、三级指标名称相同的行：绝对值累加，比率按各项目预算数加权平均，"
            "定性指标的得分率按预算数加权平均；定量指标先汇总完成数，再计算得分。"
            f"分值为各项目平均分配 {format_number(weight)} 分时该指标所得的分值。",
            self.subtitle,
        )  # fmt: skip
        columns = [
            ("单位名称", 22, self.text),
            ("二级指标", 14, self.text),
            ("三级指标", 22, self.text),
            ("项目数", 7, self.count),
            ("年初目标值（汇总）", 22, self.text),
            ("实际完成值（汇总）", 22, self.text),
            ("分值", 7, self.score),
            ("得分", 7, self.score),
            ("得分率", 9, self.rate),
            ("汇总方法", 70, self.text),
        ]
        for index, (label, width, _) in enumerate(columns):
            ws.write(_HEADER_ROW, index, label, self.header)
            ws.set_column(index, index, width)
        ws.set_row(_HEADER_ROW, 30)
        r = _HEADER_ROW
        for entry in entries:
            for row in entry.shared:
                r += 1
                rate = row.points / row.weight if row.points is not None and row.weight else None
                values = [entry.rollup.unit, row.level2, row.name, len(row.projects), row.target, row.actual,
                          row.weight, row.points, rate, row.reason]  # fmt: skip
                for index, value in enumerate(values):
                    fmt = columns[index][2]
                    if value is None:
                        ws.write_blank(r, index, None, fmt)
                    elif isinstance(value, (int, float)):
                        ws.write_number(r, index, value, fmt)
                    else:
                        ws.write_string(r, index, value, fmt)
                # Wrapped text does not grow the row by itself in every viewer: size it.
                lines = max(_lines(row.reason, 70), _lines(row.target, 22), _lines(row.actual, 22), 1)
                ws.set_row(r, 14 * lines + 4)
        if r == _HEADER_ROW:
            ws.write(_HEADER_ROW + 1, 0, "各单位的项目之间没有同名的指标。", self.subtitle)
            return
        ws.autofilter(_HEADER_ROW, 0, r, len(columns) - 1)
        ws.freeze_panes(_HEADER_ROW + 1, 0)
        ws.conditional_format(
            _HEADER_ROW + 1,
            8,
            r,
            8,
            {
                "type": "data_bar",
                "bar_color": "#9DC3E6",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 1,
            },
        )


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a CJK character is two)."""
    units = sum(2 if ord(char) > 0x2E80 else 1 for char in text)
    return -(-units // int(width * 1.1)) if units else 1


def write_summary(
    path: Path,
    entries: Sequence[UnitEntry],
    *,
    rules: RuleSet,
) -> Path:
    """Write the summary workbook atomically (a temporary file beside ``path``, then renamed)."""
    import xlsxwriter

    def write(temporary: str) -> None:
        book = xlsxwriter.Workbook(temporary, {"strings_to_numbers": False, "strings_to_urls": False})
        book.set_properties(
            {"title": SUMMARY_TITLE, "author": "jixiao", "comments": "由 jixiao summary 生成"}
        )
        writer = _Writer(book, rules)
        taken = {ACROSS_SHEET, SHARED_SHEET}
        years = [e.rollup.year for e in entries if e.rollup.year]
        writer.across(book.add_worksheet(ACROSS_SHEET), ACROSS_SHEET, entries, max(years) if years else None)
        for entry in entries:
            name = sheet_name(entry.rollup.unit, taken)
            writer.unit(book.add_worksheet(name), name, entry)
        writer.shared(book.add_worksheet(SHARED_SHEET), entries)
        book.close()

    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(write, path)
    return path
