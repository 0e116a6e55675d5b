"""Every indicator row accounted for (issue 10): the `rows` list, the table, the review workbook, and
the hand-made-layout patterns that used to lose rows or invent weights. Numbers worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.check.findings import FindingKind
from jixiao.check.read import check_path, read_forms
from jixiao.cli import main
from seed_workbooks import M, legacy_workbook, pct, write_rows

REGIONS = Path(__file__).resolve().parent.parent / "xlsx_samples" / "regions"
QINGSHEN = REGIONS / "106-四川青神-发展和改革局-工资性支出.xlsx"
YINCHUAN = REGIONS / "104-宁夏银川-第六中学-初中公用经费.xlsx"
TIANCHANG = REGIONS / "101-安徽天长-水利局-水旱灾害防御经费.xlsx"
HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
FUNDS = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def _national(ws, rows: list[list[object]], total: list[object] | None = None) -> None:
    """A national-layout form: funds 100 / 100 → 100 % → 10 of 10, then the indicator table."""
    lines: list[list[object]] = [
        [M("项目支出绩效自评表", 8)],
        FUNDS,
        ["年度资金总额", 100, 100, 100, 10, pct(1.0, "0%"), 10],
        HEADER,
        *rows,
    ]
    if total is not None:
        lines.append(total)
    write_rows(ws, lines)


def test_a_rule_total_above_the_maximum_is_a_finding(tmp_path):
    """No section weights to add up, yet 执行率 10 + rows 50 + 50 = 110 on a 100-point form."""
    rows = [
        [M("产出指标", down=2), "数量指标", "完成数量", "≥10个", "10个", 50, 50],
        ["质量指标", "合格率", "100%", "100%", 50, 50],
    ]
    path = legacy_workbook(
        tmp_path / "110.xlsx", {"表": lambda ws: _national(ws, rows, [M("总分", 5), 100, 110])}
    )
    result = check_path(path)
    # Rules: 10 × 100 / 100 = 10; 10个 ≥ 10个 → 50; 100 % ≥ 100 % → 50: 110 > 100.
    [found] = [f for f in result.findings if f.kind is FindingKind.WEIGHTS]
    assert (found.label, found.reported, found.rule_low, found.rule_high) == ("按规则合计", 110, 100, 100)
    assert "超过本表满分 100" in found.reason
    # The same form with section weights says it through its weights, once.
    rows[0][0] = M("产出指标（100分）", down=2)
    path = legacy_workbook(
        tmp_path / "w.xlsx", {"表": lambda ws: _national(ws, rows, [M("总分", 5), 100, 110])}
    )
    weights = [f for f in check_path(path).findings if f.kind is FindingKind.WEIGHTS]
    assert [(f.label, f.reported, f.rule_low) for f in weights] == [("各部分分值", 110, 100)]


def test_a_group_label_is_not_copied_onto_its_rows(tmp_path):
    """「成本指标（10分）」 over two filled rows and no weight column: 10 is the pair's total, so
    neither row has a weight of its own (unscorable, no false differences); 「时效指标（5分）」 over
    one row is that row's weight (≥ 95 % reached with 96 % → 5)."""
    rows = [
        [
            M("产出指标（15分）", down=3),
            M("成本指标（10分）", down=2),
            "办公成本",
            "≤4万元",
            "4万元",
            None,
            4,
        ],
        ["维修成本", "≤6万元", "6万元", None, 6],
        ["时效指标（5分）", "完成及时率", "≥95%", "96%", None, 5],
    ]
    path = legacy_workbook(tmp_path / "g.xlsx", {"表": lambda ws: _national(ws, rows)})
    result = check_path(path)
    by_row = {r.row: r for r in result.rows}
    assert (by_row[5].weight, by_row[5].status.value) == (None, "unscorable")
    assert (by_row[6].weight, by_row[6].status.value) == (None, "unscorable")
    assert "没有给出该行的分值" in by_row[5].reason
    assert (by_row[7].weight, by_row[7].rule_low, by_row[7].status.value) == (5, 5, "scored")
    rows_found = [f for f in result.findings if f.cell in ("G5", "G6", "G7")]
    assert rows_found == []  # no invented weight 10 for 4 and 6


def test_placeholder_slots_are_not_rows(tmp_path):
    """「指标2：」 and 「……」 under 「数量指标（10分）」 take no weight: the section adds up to 10."""
    rows = [
        [
            M("产出指标（10分）", down=3),
            M("数量指标（10分）", down=3),
            "指标1：培训人数",
            "≥100人",
            "120人",
            None,
            10,
        ],
        ["指标2："],
        ["……"],
    ]
    path = legacy_workbook(tmp_path / "p.xlsx", {"表": lambda ws: _national(ws, rows)})
    result = check_path(path)
    assert [(r.row, r.weight, r.status.value) for r in result.rows] == [(5, 10, "scored")]  # 120 ≥ 100 → 10
    # (This short form lacks its other sections: only the 产出 section's sum is in question here.)
    assert [f for f in result.findings if f.label.startswith("产出指标")] == []


def test_rows_in_json_name_the_contract_fields():
    out = CliRunner().invoke(main, ["check", str(QINGSHEN), "--format", "json"], catch_exceptions=False)
    rows = json.loads(out.stdout)["rows"]
    fields = {"file", "sheet", "row", "label", "weight", "target", "actual", "reported"}
    fields |= {"rule_low", "rule_high", "status", "reason"}
    assert [r["row"] for r in rows] == [15, 16] and all(fields <= set(r) for r in rows)
    assert {r["status"] for r in rows} == {"unscorable"}
    assert all("实际完成值为空" in r["reason"] for r in rows)


def test_labels_wrapped_in_narrow_cells_are_one_line():
    # Sample 101's 二级 cells wrap as 「经济效益\n指标」, 「可持续影\n响指标」 (column width, not words).
    out = CliRunner().invoke(main, ["check", str(TIANCHANG), "--format", "json"], catch_exceptions=False)
    data = json.loads(out.stdout)
    rows = {r["cell"]: r["label"] for r in data["rows"]}
    assert rows["H25"] == "经济效益指标 · 指标1：全市安全度汛"
    assert rows["H34"] == "可持续影响指标 · 指标1：已建工程良性运行"
    assert rows["H37"] == "服务对象满意度指标 · 指标1：服务对象满意度"
    findings = {f["cell"]: f["label"] for f in data["findings"]}
    assert findings["H25"] == "经济效益指标 · 指标1：全市安全度汛"
    assert not [r for r in data["rows"] if "\n" in r["label"]]


def test_a_placeholder_actual_is_quoted_as_the_finding_quotes_it(tmp_path):
    # 完成值 「---」 (seed 002's 办公大楼装修面积): the finding says 为空缺「---」, the row must not say 为空.
    row = ["产出指标", "数量指标", "办公大楼装修面积", "1712平方", "---", 10, 8]
    path = legacy_workbook(tmp_path / "占位.xlsx", {"表": lambda ws: _national(ws, [row])})
    [status] = check_path(path).rows
    assert status.status.value == "unscorable"
    assert status.reason == "实际完成值为「---」，无法按规则评分"


def test_the_table_lists_unscorable_rows_with_their_reason():
    out = CliRunner().invoke(main, ["check", str(QINGSHEN)], catch_exceptions=False, terminal_width=200)
    assert out.exit_code == 0  # nothing reported, so nothing contradicts the rules
    assert "无法按规则评分的行（2）" in out.stdout
    assert "J15 数量指标 · 发放（缴纳）覆盖率：实际完成值为空" in out.stdout


def test_the_review_workbook_shows_unscorable_rows(tmp_path):
    report = tmp_path / "审阅.xlsx"
    CliRunner().invoke(main, ["check", str(YINCHUAN), "--report", str(report)], catch_exceptions=False)
    book = load_workbook(report)
    assert book.sheetnames[:2] == ["检查结果", "无法评分的行"]
    listed = [row for row in book["无法评分的行"].iter_rows(min_row=2, values_only=True)]
    # 完整性, 相关性, 可行性, 适当性, 财务管理制度有效性, 绩效监控有效性, 管理制度有效性: no target.
    assert [row[3] for row in listed] == ["G10", "G11", "G12", "G13", "G15", "G16", "G17"]
    assert listed[0][7].startswith("年度指标值为「—」")
    copy = book[book.sheetnames[2]]
    assert copy["G12"].fill.fgColor.rgb.endswith("E4DFEC")  # lavender: its own colour
    assert "无法按规则评分" in copy["G12"].comment.text
    assert copy["G14"].fill.fgColor.rgb.endswith("FFC7CE")  # 预算执行率 9 of 10: a finding, red


def test_weights_in_free_text_are_no_section(tmp_path):
    """A note above the table that names weights in passing declares nothing: the table's own
    label "年度绩效指标（20分）" does (10 + 10 = 20, no finding)."""
    rows = [
        [M("产出指标", down=2), "数量指标", "完成数量", "≥10个", "10个", 10, 10],
        ["质量指标", "合格率", "100%", "100%", 10, 10],
    ]

    def form(ws, above: str) -> None:
        write_rows(
            ws,
            [
                [M("项目支出绩效自评表", 8)],
                FUNDS,
                ["年度资金总额", 100, 100, 100, 10, pct(1.0, "0%"), 10],
                [M(above, 8)],
                HEADER,
                *rows,
            ],
        )

    note = "注：一级指标分值统一设置为产出指标（50分）、效益指标（30分），各部门据实调整"
    groups = check_path(legacy_workbook(tmp_path / "n.xlsx", {"表": lambda ws: form(ws, note)})).findings
    assert [f for f in groups if f.label.endswith("分值") and f.label != "各部分分值"] == []
    labelled = legacy_workbook(tmp_path / "l.xlsx", {"表": lambda ws: form(ws, "年度绩效指标（20分）")})
    [[filled], _] = read_forms(labelled)
    assert [(g.label, g.weight) for g in filled.groups if g.kind.value == "block"] == [("年度绩效指标", 20)]


def test_the_year_is_the_titles_not_a_deadlines(tmp_path):
    """「（2021年）」 under the title is the form's year; 「2021年12月完成」 in a row is a deadline."""
    deadline = ["产出指标", "时效指标", "完成时间", "2021年12月完成", "2021年12月完成", 10, 10]

    def titled(ws):
        _national(ws, [deadline])
        ws.insert_rows(2)
        ws["A2"] = "（2021年）"

    forms, _ = read_forms(legacy_workbook(tmp_path / "titled.xlsx", {"表": titled}))
    assert [form.year for form in forms] == [2021]
    forms, _ = read_forms(
        legacy_workbook(tmp_path / "bare.xlsx", {"表": lambda ws: _national(ws, [deadline])})
    )
    assert [form.year for form in forms] == [None]
