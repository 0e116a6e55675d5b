"""What `jixiao check` finds in the eight regional samples (xlsx_samples/regions/), worked by hand.

Each form's indicator rows are listed with what the form prints (weight, target, actual, reported
score) and the rule's score worked out in a comment; the findings a careful reviewer expects follow.
The rules are the national defaults (DOMAIN.md §2): 正向 w × B / A capped at w, 反向 w × A / B, a met
target scores w; a 定性 row whose actual says the target was reached (「达成预期指标」, or the target's
own words) lies in the band 80 %–100 % of w; a row without a target or an actual cannot be scored
("unscorable", with the reason); an empty 「指标2：」 / 「……」 line of the template is no row at all.

Figures closing the work on issue 10, per sample — rows the transcription prints in its indicator
table / rows read (placeholders dropped) / scored exactly / scored as a band / unscorable or not
applicable / deviations from the rule / findings caused only by a copy that stops early:

    101 天长    27 / 9  / 3 / 0 / 6  / 0 / 0
    102 委托    10 / 9  / 3 / 6 / 0  / 1 (执行率得分 0, 规则 10) / 1
    103 村级     6 / 6  / 3 / 3 / 0  / 1 (执行率得分 0, 规则 10) / 1
    104 银川    24 / 16 / 6 / 3 / 7  / 2 (预算执行率 9 对 10; 完成时间 4 对 5) / 0
    105 丽江     4 / 4  / 4 / 0 / 0  / 4 (9, 19, 19, 27 对 10, 20, 20, 30) / 0
    106 青神     2 / 2  / 0 / 0 / 2  / 0 / 0
    107 中江    11 / 9  / 8 / 1 / 0  / 0 (but 110 points on a 100-point form) / 0
    108 衡山    16 / 16 / 0 / 0 / 16 / 0 / 0
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from regional_data import SAMPLES, RegionalSample
from seed_workbooks import cell_values

HERE = Path(__file__).resolve().parent
REGIONS = HERE.parent / "xlsx_samples" / "regions"
README = HERE.parent / "xlsx_samples" / "README.md"
ROW_FIELDS = {"file", "sheet", "row", "label", "weight", "target", "actual", "reported"}
ROW_FIELDS |= {"rule_low", "rule_high", "status", "reason"}
STATUSES = {"scored", "band", "unscorable", "not_applicable"}

SCORED, BAND, UNSCORABLE, NA = "scored", "band", "unscorable", "not_applicable"


@dataclass(frozen=True)
class R:
    """One indicator row: where it is, what the form prints, what the rule gives."""

    row: int
    name: str  # the 三级 label as printed; the JSON label ends with it
    weight: float | None
    target: object  # the printed target (None: empty)
    actual: object
    reported: float | None
    low: float | None
    high: float | None
    status: str


@dataclass(frozen=True)
class F:
    """One finding: cell (None: not pinned here), kind, reported, rule band."""

    cell: str | None
    kind: str
    reported: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Expected:
    printed: int  # rows the indicator table prints, placeholders included
    rows: tuple[R, ...]
    findings: tuple[F, ...]


def _band(row: int, name: str, weight: float, target: object, actual: object, reported: float) -> R:
    # 定性, reached: 80 %–100 % of the weight (80 % included).
    return R(row, name, weight, target, actual, reported, round(0.8 * weight, 10), weight, BAND)


def _unscorable(row: int, name: str, weight: float | None, target: object, actual: object, reported) -> R:
    return R(row, name, weight, target, actual, reported, None, None, UNSCORABLE)


def _undecidable(cell: str, reported: float) -> F:
    return F(cell, "undecidable", reported, None, None)


MET = "达成预期指标"

EXPECTED: dict[str, Expected] = {
    # -- 101 天长市水利局 · 水旱灾害防御经费 -------------------------------------------------------
    # Funds D6:F6 880 / 880 / 880, 分值 10, 执行率 empty, 得分 10: 10 × 880 ÷ 880 = 10 — agrees.
    # Groups: 产出 50 = 10 + 10 + 10 + 10 + 10; 效益 30 = 10 + 10 + 10 (生态 「指标1：/」 has no
    # weight); 满意度 10. Total 100 = 10 + 90 reported, 分值 100 = 10 + 50 + 30 + 10. The 18
    # 「指标2：」 / 「……」 / 「指标1：/」 lines are the template's empty slots.
    "101-安徽天长-水利局-水旱灾害防御经费.xlsx": Expected(
        27,
        (
            R(13, "指标1：完成中型灌区节水改造项目数量", 10, 1, 1, 10, 10, 10, SCORED),  # 1 ≥ 1 → 10
            R(14, "指标2：完成农业综合水价改革项目", 10, 1, 1, 10, 10, 10, SCORED),  # 1 ≥ 1 → 10
            _unscorable(16, "指标1：工程质量合格", 10, None, None, 10),  # no target, no actual
            # The target is only in the name (100%); the actual is empty all the same.
            _unscorable(19, "指标1：年度资金支付完成率100%", 10, "100%", None, 10),
            _unscorable(22, "指标1：资金执行在预算范围内", 10, None, None, 10),
            _unscorable(25, "指标1：全市安全度汛", 10, None, None, 10),
            _unscorable(28, "指标1：保护全市人口财产不受损失", 10, None, None, 10),
            _unscorable(34, "指标1：已建工程良性运行", 10, None, None, 10),
            R(37, "指标1：服务对象满意度", 10, "90%", "100%", 10, 10, 10, SCORED),  # 100 % ≥ 90 % → 10
        ),
        # Six full scores the rule cannot verify (nothing to compare them with); nothing else.
        tuple(_undecidable(cell, 10) for cell in ("H16", "H19", "H22", "H25", "H28", "H34")),
    ),
    # -- 102 棠溪镇 · 委托业务项目 -----------------------------------------------------------------
    # Funds: 年度资金总额 D7:I7 0 / 0 / 0 / 10 / 0 / 0; 其中：本年财政拨款 90 / 89.974 / 89.974. The total
    # row was never filled; from its parts 89.974 ÷ 89.974 = 100 % → 10 × 1 = 10, reported 0.
    "102-安徽池州棠溪镇-委托业务项目.xlsx": Expected(
        10,
        (
            R(14, "基建工程委托业务项目数量", 8, "≥50个", 50, 8, 8, 8, SCORED),  # 50 ≥ 50 → 8
            R(15, "委托业务报告合格率", 8, "≥100百分比", 100, 8, 8, 8, SCORED),  # 100 % ≥ 100 % → 8
            _band(16, "经费支出合规性", 8, "严格执行相关制度规定", MET, 8),  # 6.4–8
            _band(17, "提交报告及时性", 8, "在项目计划完成时间内完成", MET, 8),  # 6.4–8
            R(18, "项目总成本", 8, "≤90万元", 90, 8, 8, 8, SCORED),  # 90 ≤ 90 → 8
            _band(19, "单项业务成本", 10, "符合相关规定", MET, 10),  # 8–10
            _band(20, "对维护基建市场公平的影响程度", 10, "效果明显", MET, 10),
            _band(21, "对控制基建项目成本影响程度", 10, "效果明显", MET, 10),
            _band(22, "对推动基建项目“四项制度”健全和落实的持续性影响", 10, "效果明显", MET, 10),
        ),
        (
            # The total row left at 0 beside parts that add up to 90 / 89.974 / 89.974.
            F("D7", "empty_total", 0, 90, 90),
            F("E7", "empty_total", 0, 89.974, 89.974),
            F("F7", "empty_total", 0, 89.974, 89.974),
            F("H7", "execution_rate", 0, 100, 100),  # 0 % written, 89.974 ÷ 89.974 = 100 %
            F("I7", "substantive", 0, 10, 10),  # 10 × 100 % = 10, reported 0
            # Cut copy: 执行率 10 + 产出 50 + 效益 30 = 90 (the 满意度 10 is not in the copy).
            F(None, "weights", 90, 100, 100),
        ),
    ),
    # -- 103 棠溪镇 · 村级补助及运转经费 -------------------------------------------------------------
    # Funds: total row 0 … 0; 其中 202.64 / 132.912 / 132.912 → 132.912 ÷ 132.912 = 100 % → 10.
    "103-安徽池州棠溪镇-村级补助及运转经费.xlsx": Expected(
        6,
        (
            R(14, "补助村（社区）数量", 8, "=8个", 8, 8, 8, 8, SCORED),  # = 8 met → 8
            R(15, "保障村干部人数", 8, "=42个", 42, 8, 8, 8, SCORED),  # = 42 met → 8
            _band(16, "补助资格合规性", 8, "合规", MET, 8),
            _band(17, "经费审批流程规范性", 8, "严格执行相关制度规定", MET, 8),
            _band(18, "补助经费到位及时性", 8, "及时", MET, 8),
            R(19, "项目总成本", 10, "≤202.6万元", 132.9, 10, 10, 10, SCORED),  # 132.9 ≤ 202.6 → 10
        ),
        (
            F("D7", "empty_total", 0, 202.64, 202.64),
            F("E7", "empty_total", 0, 132.912, 132.912),
            F("F7", "empty_total", 0, 132.912, 132.912),
            F("H7", "execution_rate", 0, 100, 100),
            F("I7", "substantive", 0, 10, 10),
            F(None, "weights", 60, 100, 100),  # cut copy: 执行率 10 + 产出 50
        ),
    ),
    # -- 104 银川市第六中学 · 初中公用经费 ----------------------------------------------------------
    # Weights in the 参考分值 column (D). Funds C6:F6 64.8 / 64.8 / 64.8 / 100 % and no score: the
    # 预算执行率 row 14 (参考分值 10, 得分 9) is scored from them: 10 × 64.8 ÷ 64.8 = 10.
    # 「成本指标（10分）」 spans rows weighted 4, 3, 3 (= 10): each keeps its own weight.
    # Groups: 决策 10 = 4+2+2+2; 管理 25 = 10+7+2+6; 产出 30 = 10+5+5+10; 效益 (35分) = 15+10 = 25.
    "104-宁夏银川-第六中学-初中公用经费.xlsx": Expected(
        24,
        (
            _unscorable(10, "完整性", 4, "—", "目标明确、内容细化、目标量化", 4),
            _unscorable(11, "相关性", 2, "—", "按照学校管理标准对学校进行管理", 2),
            _unscorable(12, "可行性", 2, None, "实际工作需求", 2),
            _unscorable(13, "适当性", 2, None, "有资金测算标准", 2),
            R(14, "预算执行率", 10, "—", "100%", 9, 10, 10, SCORED),  # from the funds block
            _unscorable(15, "财务管理制度有效性", 7, "—", "财务制度健全，严格执行制度，会计核算规范", 7),
            _unscorable(16, "绩效监控有效性", 2, "—", "持续有效", 2),
            _unscorable(17, "管理制度有效性", 6, "-", "严格执行相关管理制度", 6),
            R(18, "保障人数", 10, "2370人", "2370人", 10, 10, 10, SCORED),  # 2370 ≥ 2370 → 10
            _band(20, "公用经费标准", 5, "符合相关文件要求", "符合相关文件要求", 5),  # 4–5
            # A deadline met on the day: full marks, 5; reported 4.
            R(22, "公用经费完成时间", 5, "2021年12月完成", "2021年12月完成", 4, 5, 5, SCORED),
            R(24, "办公所需成本", 4, "15万元", "15万元", 4, 4, 4, SCORED),  # 成本 15 ≤ 15 → 4
            R(25, "维修（维护）所需成本", 3, "35万元", "35万元", 3, 3, 3, SCORED),  # → 3
            R(26, "绿化、水电费等成本", 3, "14.8万元", "14.8万元", 3, 3, 3, SCORED),  # → 3
            _band(29, "效果显著", 15, "改善学校的办学条件", "改善学校的办学条件", 13),  # 12–15
            _band(
                32,
                "使学生和老师有个更好的学习和工作环境，做到",
                10,
                "社会认可的办学环境。",
                "社会认可的办学环境。",
                8,
            ),  # 8–10
        ),
        (
            F("G14", "substantive", 9, 10, 10),  # 预算执行率: 10 × 100 % = 10, reported 9
            F("G22", "substantive", 4, 5, 5),  # deadline met, reported 4 of 5
            # Below full marks with the 未完成原因 column empty: 9/10, 4/5, 13/15, 8/10.
            F("H14", "missing_explanation", 9, None, 10),
            F("H22", "missing_explanation", 4, None, 5),
            F("H29", "missing_explanation", 13, None, 15),
            F("H32", "missing_explanation", 8, None, 10),
            # Reported scores with no target to check them against.
            *(_undecidable(f"G{row}", points) for row, points in ((10, 4), (11, 2), (12, 2), (13, 2))),
            *(_undecidable(f"G{row}", points) for row, points in ((15, 7), (16, 2), (17, 6))),
            F("A27", "weights", 35, 25, 25),  # 「项目效益（35分）」 over 15 + 10
        ),
    ),
    # -- 105 丽江市古城区自然资源局 · 卫片执法补助经费 -------------------------------------------------
    # Target = 指标性质 + 指标值 + 度量单位. Funds 7.29 / 7.29 → 100 % → 10, reported 10: agrees.
    "105-云南丽江古城区-自然资源局-卫片执法补助经费.xlsx": Expected(
        4,
        (
            # The 度量单位 column applies to the actual too: 72890 → 72890元, 100 → 100%.
            R(13, "卫片执法补助经费", 10, "=72890元", "72890元", 9, 10, 10, SCORED),  # met → 10
            R(14, "项目验收合格率", 20, "=100%", "100%", 19, 20, 20, SCORED),  # 100 % = 100 % → 20
            R(15, "项目完成及时率", 20, "=100%", "100%", 19, 20, 20, SCORED),  # → 20
            R(16, "违法行为责停率", 30, "≥95%", "95%", 27, 30, 30, SCORED),  # 95 % ≥ 95 % → 30
        ),
        (
            F("I13", "substantive", 9, 10, 10),
            F("I14", "substantive", 19, 20, 20),
            F("I15", "substantive", 19, 20, 20),
            F("I16", "substantive", 27, 30, 30),
            F("J13", "missing_explanation", 9, None, 10),
            F("J14", "missing_explanation", 19, None, 20),
            F("J15", "missing_explanation", 19, None, 20),
            F("J16", "missing_explanation", 27, None, 30),
            # The form declares no section weights: the missing 满意度 row leaves no trace.
        ),
    ),
    # -- 106 青神县发展和改革局 · 工资性支出 -----------------------------------------------------------
    # Published unscored: 完成值 and 得分 empty, 执行率得分 empty. 251.89 ÷ 251.89 = 100 % as written.
    # Weights 10 + 60 + 30 = 100 = 合计. Nothing reported, so nothing to contradict.
    "106-四川青神-发展和改革局-工资性支出.xlsx": Expected(
        2,
        (
            _unscorable(15, "发放（缴纳）覆盖率", 60, "=100%", None, None),
            _unscorable(16, "足额保障率（参保率）", 30, "=100%", None, None),
        ),
        (),
    ),
    # -- 107 中江县水利局 · 水标尺制作安装 -------------------------------------------------------------
    # Weight column (分值) before the target. Every row reports its full weight.
    # Sections 产出 70 + 效益 20 + 满意度 10 = 100 = 总分 分值, plus 执行率 10: 110 points on a
    # 100-point form (its own 注 says 产出50、效益30、满意度10、执行率10). Reported total 100, the
    # parts add up to 10 + 100 = 110.
    "107-四川中江-水利局-水标尺制作安装.xlsx": Expected(
        11,
        (
            R(12, "安装坡面水标尺", 10, "≥266米", "≥266米", 10, 10, 10, SCORED),  # actual repeats ≥: met
            R(13, "水标尺宽度", 10, "≥50厘米", "≥50厘米", 10, 10, 10, SCORED),
            R(14, "项目（工程）验收合格率", 20, "100%", "100%", 20, 20, 20, SCORED),
            R(15, "及时（按期）开工率", 10, "≥90%", "≥90%", 10, 10, 10, SCORED),
            R(16, "及时（按期）完工率", 10, "≥90%", "≥90%", 10, 10, 10, SCORED),
            R(17, "项目计划总投资", 10, "20万元", "20万元", 10, 10, 10, SCORED),  # 成本 20 ≤ 20
            R(19, "受益脱贫（含监测对象）户人口数", 10, "≥1000人", "≥1000人", 10, 10, 10, SCORED),
            _band(20, "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10),  # 8–10
            R(21, "受益脱贫（含监测对象）户满意度", 10, "≥95%", "≥95%", 10, 10, 10, SCORED),
        ),
        (
            F("H23", "total", 100, 110, 110),  # 总分 100; 执行率 10 + rows 100 = 110
            F(None, "weights", 110, 100, 100),  # 10 + 70 + 20 + 10 = 110 on a 100-point form
        ),
    ),
    # -- 108 衡山县商务和粮食局 · 县级储备粮 -----------------------------------------------------------
    # No 分值, no 得分 column: every row is listed, none is scored. 194.9 ÷ 194.9 = 100 % as written.
    "108-湖南衡山-商务和粮食局-县级储备粮.xlsx": Expected(
        16,
        tuple(
            R(row, name, None, target, actual, None, None, None, NA)
            for row, name, target, actual in (
                (11, "5000吨稻谷、500吨成品粮储备到位率", "100%", "100%"),
                (12, "库存数量真实率", "100%", "100%"),
                (13, "县级储备粮管理制度严格执行率", "100%", "100%"),
                (14, "储备粮管理专户管理率", "100%", "100%"),
                (15, "县级储备粮库存粮食明显变质比例", "0", "0"),
                (16, "县级储备粮贷款付息及时率", "100%", "100%"),
                (17, "县级储备粮应急保障率", "100%", "100%"),
                (18, "国家政策性粮收购价格执行率", "100%", "100%"),
                (19, "县级储备粮库存成本核算率", "100%", "100%"),
                (20, "利息费用保障率", "100%", "100%"),
                (21, "政策性挂账利息补贴保障率", "100%", "无"),
                (22, "低温、低氧、低剂量科学保粮率", "100%", "100%"),
                (23, "食品安全指标达标率", "100%", "100%"),
                (24, "粮食储备设备维护及安全性", "高", "高"),
                (25, "因粮食市场波动引起的粮食安全事件发生数", "0起", "0起"),
                (26, "市民满意度调查", "≥90%", "100%"),
            )
        ),
        (),
    ),
}


# -- running the checker once -------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", str(REGIONS), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # findings, every file readable
    return json.loads(result.stdout)


def _of(items: list[dict[str, Any]], file: str) -> list[dict[str, Any]]:
    return [item for item in items if Path(item["file"]).name == file]


def _same(got: object, expected: object) -> bool:
    """A printed value against what the JSON carries: numbers as numbers, text as text."""
    if expected is None:
        return got is None or got == ""
    if isinstance(expected, (int, float)):
        try:
            return abs(float(got) - float(expected)) < 1e-9  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    return isinstance(got, str) and got.strip() == expected


def _near(got: object, expected: float | None) -> bool:
    if expected is None:
        return got is None
    return isinstance(got, (int, float)) and abs(got - expected) < 1e-6


# -- the files ----------------------------------------------------------------------------------


def test_every_sample_is_built_and_listed():
    assert sorted(p.name for p in REGIONS.glob("*.xlsx")) == sorted(s.file for s in SAMPLES)
    assert set(EXPECTED) == {s.file for s in SAMPLES}
    assert len({s.place for s in SAMPLES}) >= 7 and len(SAMPLES) >= 8
    assert not {s.province for s in SAMPLES} & {"湖北", "山西", "河北"}  # the seeds' provinces


def test_samples_match_the_transcription(tmp_path):
    """xlsx_samples/build_regions.py rebuilds the committed files cell for cell."""
    import sys

    sys.path.insert(0, str(REGIONS.parent))
    try:
        from build_regions import build_regions
    finally:
        sys.path.remove(str(REGIONS.parent))
    for path in build_regions(tmp_path):
        assert cell_values(REGIONS / path.name) == cell_values(path), path.name


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.file[:3])
def test_readme_names_the_source(sample: RegionalSample):
    readme = README.read_text(encoding="utf-8")
    assert sample.file in readme
    assert sample.title in readme
    if sample.address:
        assert sample.address in readme
    if sample.cut:
        assert sample.cut in readme


# -- every row accounted for ---------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.file[:3])
def test_rows(report, sample: RegionalSample):
    expected = EXPECTED[sample.file]
    got = _of(report["rows"], sample.file)
    assert [r["row"] for r in got] == [r.row for r in expected.rows]
    for entry, want in zip(got, expected.rows, strict=True):
        where = (sample.file, want.row)
        assert set(entry) >= ROW_FIELDS, where
        assert entry["sheet"] == sample.sheet, where
        assert entry["label"].endswith(want.name), (where, entry["label"])
        assert _near(entry["weight"], want.weight), (where, entry["weight"])
        assert _same(entry["target"], want.target), (where, entry["target"])
        assert _same(entry["actual"], want.actual), (where, entry["actual"])
        assert _near(entry["reported"], want.reported), (where, entry["reported"])
        assert entry["status"] == want.status, (where, entry["status"], entry["reason"])
        assert _near(entry["rule_low"], want.low), (where, entry["rule_low"])
        assert _near(entry["rule_high"], want.high), (where, entry["rule_high"])
        assert entry["status"] in STATUSES
        if entry["status"] in (UNSCORABLE, NA):
            assert entry["reason"].strip(), where


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.file[:3])
def test_findings(report, sample: RegionalSample):
    def key(cell: object, kind: object, *numbers: object) -> tuple[object, ...]:
        return (cell, kind, *(round(n, 6) if isinstance(n, (int, float)) else n for n in numbers))

    got = [
        key(f["cell"], f["kind"], f["reported"], f["rule_low"], f["rule_high"])
        for f in _of(report["findings"], sample.file)
    ]
    unmatched = []
    for want in EXPECTED[sample.file].findings:
        wanted = key(want.cell, want.kind, want.reported, want.low, want.high)
        match = next((g for g in got if g == wanted or (want.cell is None and g[1:] == wanted[1:])), None)
        if match is None:
            unmatched.append(wanted)
        else:
            got.remove(match)
    assert (unmatched, got) == ([], []), "expected but not found / found but not expected"


# -- the reasons a reader sees ------------------------------------------------------------------


def test_reasons_say_why(report):
    rows = {(Path(r["file"]).name, r["row"]): r for r in report["rows"]}
    tianchang = "101-安徽天长-水利局-水旱灾害防御经费.xlsx"
    assert "实际完成值" in rows[(tianchang, 16)]["reason"]  # empty actual
    assert "指标名称" in rows[(tianchang, 19)]["reason"]  # the target read from the name
    yinchuan = "104-宁夏银川-第六中学-初中公用经费.xlsx"
    assert "—" in rows[(yinchuan, 10)]["reason"]  # the printed dash is quoted
    assert "64.8" in rows[(yinchuan, 14)]["reason"]  # 预算执行率 scored from the funds block
    hengshan = "108-湖南衡山-商务和粮食局-县级储备粮.xlsx"
    assert "分值" in rows[(hengshan, 11)]["reason"]  # no weight column at all
