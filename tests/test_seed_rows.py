"""Seed rows, scored by hand: real rows from the five seed forms in /work/shared/seeds.

Every expected number below was worked out by hand from the scoring rules (DOMAIN.md §2 and
the project's rule choices), never copied from the code. The comment on or above each row shows
the arithmetic. ``reported`` is the score the form itself wrote down; it is documentation only —
where it differs from the rule, the test asserts the rule value (DOMAIN.md: keep the reported
score beside the rule score, never overwrite it).

Weights: seed 002 writes them in the 二级 label ("数量指标7（0.5分）" → 0.5). Seeds 000 and 003 do
not; there the 得分 the form reports for a met row is taken as the weight, and a comment says so
where that is an assumption.

Seed ids: 000 Wuhan 政协洪山区 (unit + project forms), 001 Jinzhong 政协 (layout C), 002 Wuhan
洪山街道 (unit + project forms), 003 Wuhan 东西湖区机关事务服务中心 (unit form), 004 Hebei 北戴河
政协 target form. "假设" rows keep a seed target but change the actual, to reach the branches of
the rules (over-target 反向, interval edges, partial / failed 定性 bands) the seeds never hit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jixiao import (
    Comparator,
    ScoreKind,
    ValueKind,
    excel_round,
    execution_rate,
    execution_score,
    grade,
    parse_value,
    score_indicator,
)

AT_LEAST = ScoreKind.AT_LEAST
AT_MOST = ScoreKind.AT_MOST
EQUAL = ScoreKind.EQUAL
RANGE = ScoreKind.RANGE
RANK = ScoreKind.RANK
QUAL = ScoreKind.QUALITATIVE
NONE = ScoreKind.UNSCORABLE

COST = "成本指标"


# ---------------------------------------------------------------------------------------------
# Indicator rows


@dataclass(frozen=True)
class Row:
    seed: str
    where: str  # section / 二级 label, makes the test id unique
    label: str  # 三级指标 (指标名称) as written in the seed
    target: str | None
    actual: str | None
    weight: float
    kind: ScoreKind
    points: float | None = None  # rule score for quantitative rows
    band: tuple[float, float] | None = None  # [low, high] for qualitative rows
    category: str | None = None  # 二级指标, passed only where it changes the reading
    reported: float | None = None  # the form's own 得分 — documentation, not asserted

    @property
    def id(self) -> str:
        return f"{self.seed}-{self.where}"


def pts(seed, where, label, target, actual, weight, points, kind, *, category=None, reported=None):
    return Row(
        seed, where, label, target, actual, weight, kind, points=points, category=category, reported=reported
    )


def band(seed, where, label, target, actual, weight, low, high, *, reported=None):
    return Row(seed, where, label, target, actual, weight, QUAL, band=(low, high), reported=reported)


def unscorable(seed, where, label, target, actual, weight, *, category=None, reported=None):
    return Row(seed, where, label, target, actual, weight, NONE, category=category, reported=reported)


# The tables keep one row per line (or two) on purpose, hence fmt: off.
# fmt: off
SEED_000 = [
    # --- 部门整体绩效自评表 (年度绩效指标, weights = reported 得分 4 each) ---
    # bare 100% → 正向; 100 ≥ 100 → w = 4
    pts("000", "整体-数量-调研专报", "组织委员调研并形成专报", "100%", "100%", 4, 4, AT_LEAST, reported=4),
    # bare 100% → 正向; 100 ≥ 100 → 4
    pts("000", "整体-质量指标", "委员履职能力明显提升", "100%", "100%", 4, 4, AT_LEAST, reported=4),
    # 成本指标: bare 100% is a ceiling (反向); 100 ≤ 100 → 4
    pts("000", "整体-成本指标", "经费支出是否严格按预算执行", "100%", "100%", 4, 4, AT_MOST,
        category=COST, reported=4),
    # actual repeats "≥95%": settles it → full 4
    pts("000", "整体-满意度指标", "管理或服务对象满意率", "≥95%", "≥95%", 4, 4, AT_LEAST, reported=4),
    # target "_" (nothing written) → unscorable; the form leaves 得分 blank too (weight 4 assumed)
    unscorable("000", "整体-经济效益指标", "经济效益指标", "_", "", 4),
    # --- 委员视察、专委会活动 project (weights = reported 得分) ---
    # "≥8 篇次" vs "≥8 篇次": repeated comparator → full 4
    pts("000", "视察-数量-调研报告", "组织委员调研并形成专报、调研报告", "≥8 篇次", "≥8 篇次", 4, 4, AT_LEAST,
        reported=4),
    # bare "3 次" → 正向; 3 ≥ 3 → 4
    pts("000", "视察-数量-建议案视察", "组织建议案视察、督查", "3 次", "3 次", 4, 4, AT_LEAST, reported=4),
    # bare "20 次"; 20 ≥ 20 → 4
    pts("000", "视察-数量-提案视察", "组织重点提案视察、督查", "20 次", "20 次", 4, 4, AT_LEAST, reported=4),
    # 100 ≥ 100 → w = 3
    pts("000", "视察-质量-调研报告质量", "调研报告质量", "100%", "100%", 3, 3, AT_LEAST, reported=3),
    # "不低于 30%" vs "不低于 30%": repeated comparator → full 4
    pts("000", "视察-社会效益", "公共服务水平和质量显著提高", "不低于 30%", "不低于 30%", 4, 4, AT_LEAST,
        reported=4),
    # target "-" → unscorable (weight not written; 4 assumed)
    unscorable("000", "视察-经济效益指标", "经济效益指标", "-", "", 4),
    # --- 文明创建工作经费 ---
    # "≥4 次" repeated → full 9
    pts("000", "文明-数量-文明创建", "组织文明创建", "≥4 次", "≥4 次", 9, 9, AT_LEAST, reported=9),
    # menu target, actual is one of its options → achieved band [0.8 × 10, 10] = [8, 10]
    band("000", "文明-可持续影响", "干部职工作风形象", "有所提升/ 大幅提升/ 明显提升", "明显提升", 10, 8, 10,
         reported=10),
    # --- 委员学习、培训等 ---
    # "不低于 30%" repeated → full 10
    pts("000", "学习-社会效益", "辖区群众对洪山区政协委员的政治素养和履职能力的满意率", "不低于 30%",
        "不低于 30%", 10, 10, AT_LEAST, reported=10),
    # --- 政协全会、常委会议等 ---
    # "≥12 次" repeated → full 6
    pts("000", "全会-数量-主席会议", "举办主席会议", "≥12 次", "≥12 次", 6, 6, AT_LEAST, reported=6),
    # 定性 "审议通过", actual equal → achieved band [0.8 × 5, 5] = [4, 5]
    band("000", "全会-质量-审议通过", "决议、常委会工作报告、提案", "审议通过", "审议通过", 5, 4, 5, reported=5),
    # bare 0 → 反向, target 0: actual 0 → w = 5
    pts("000", "全会-质量-安保事故率", "会议安保工作事故率", "0%", "0%", 5, 5, AT_MOST, reported=5),
    # bare 0 → 反向, target 0: actual 0 → 5
    pts("000", "全会-质量-后勤事故率", "会议后勤工作事故率", "0%", "0%", 5, 5, AT_MOST, reported=5),
    # "≥99%" repeated → full 6
    pts("000", "全会-满意度", "参会人员满意度", "≥99%", "≥99%", 6, 6, AT_LEAST, reported=6),
    # --- 办公设备购置、政协网站维护 ---
    # bare "3000 册"; 3000 ≥ 3000 → 10
    pts("000", "设备-数量-洪山文史", "编辑出版《洪山文史》数量", "3000 册", "3000 册", 10, 10, AT_LEAST,
        reported=10),
    # "≥98%" repeated → full 8
    pts("000", "设备-质量-运行稳定率", "政协委员管理系统运行稳定率", "≥98%", "≥98%", 8, 8, AT_LEAST, reported=8),
    # target and actual both empty → unscorable; the form nevertheless reports 10 (weight 10 assumed)
    unscorable("000", "设备-社会效益", "以史为鉴、服务社会", "", "", 10, reported=10),
    # --- 党建(纪检)工作经费 ---
    # "≥12 次" repeated → full 10
    pts("000", "党建-数量-活动次数", "党组、党总支、党支部活动开展次数", "≥12 次", "≥12 次", 10, 10, AT_LEAST,
        reported=10),
    # 100 ≥ 100 → 15
    pts("000", "党建-社会效益", "掌握国家政策方针，宣传国策", "100%", "100%", 15, 15, AT_LEAST, reported=15),
    # --- 购买服务支出 ---
    # bare "6人"; 6 ≥ 6 → 8
    pts("000", "购买服务-数量-派遣人员", "聘请劳务派遣人员", "6人", "6人", 8, 8, AT_LEAST, reported=8),
    # "<1%" vs "<1%": 反向, repeated comparator → full 8
    pts("000", "购买服务-质量-差错率", "法务咨询等差错率", "<1%", "<1%", 8, 8, AT_MOST, reported=8),
    # 成本指标 bare 100% → 反向; 100 ≤ 100 → 9
    pts("000", "购买服务-成本指标", "经费支出是否严格按预算执行", "100%", "100%", 9, 9, AT_MOST, category=COST,
        reported=9),
]

SEED_002 = [
    # ===== 洪山街道办事处整体绩效自评表, 年度目标1 (weights in the 二级 label) =====
    # "15人/次" vs "15人/次": same unit and period; 15 ≥ 15 → 0.5
    pts("002", "整体1-数量指标6", "民兵训练人数", "15人/次", "15人/次", 0.5, 0.5, AT_LEAST, reported=0.5),
    # interval "1-2次/30天", actual the same interval: inside → w = 0.5
    pts("002", "整体1-数量指标7", "民兵训练次数", "1-2次/30天", "1-2次/30天", 0.5, 0.5, RANGE, reported=0.5),
    # actual "---" → unscorable; the form reports 0.4
    unscorable("002", "整体1-数量指标19", "办公大楼装修面积", "1712平方", "---", 0.5, reported=0.4),
    # 0.5 × 60 / 80 = 0.375 → 0.38 (Excel half-up); form reports 0.3
    pts("002", "整体1-质量指标2", "招商引资完成率(内资)", "80%", "60%", 0.5, 0.38, AT_LEAST, reported=0.3),
    # 0.5 × 50 / 60 = 0.41666… → 0.42; form reports 0.3
    pts("002", "整体1-质量指标3", "招商引资完成率(外资)", "60%", "50%", 0.5, 0.42, AT_LEAST, reported=0.3),
    # 定性, actual equal to target → [0.8 × 0.5, 0.5] = [0.4, 0.5]
    band("002", "整体1-质量指标7", "审计单位资质合格率", "有正规资质资历", "有正规资质资历", 0.5, 0.4, 0.5,
         reported=0.5),
    # "平稳增长" (增长) → achieved [0.4, 0.5]
    band("002", "整体1-经济效益指标1", "经济效益", "招商引资平稳增长", "平稳增长", 0.5, 0.4, 0.5, reported=0.5),
    # "逐步规范" (规范) → achieved [0.4, 0.5]
    band("002", "整体1-经济效益指标2", "经济效益", "规范财务管理,减少错漏", "逐步规范", 0.5, 0.4, 0.5,
         reported=0.5),
    # actual equals target → achieved [0.4, 0.5]
    band("002", "整体1-社会效益指标6", "社会效益", "巩固国防", "巩固国防", 0.5, 0.4, 0.5, reported=0.5),
    # "较大改善" (改善) → achieved [0.4, 0.5]
    band("002", "整体1-社会效益指标8", "社会效益", "减低社会安全隐患", "较大改善", 0.5, 0.4, 0.5, reported=0.5),
    # "逐步稳定" (稳定) → achieved [0.4, 0.5]
    band("002", "整体1-社会效益指标12", "社会效益", "帮助群众解决纠纷，维持社会稳定", "逐步稳定", 0.5, 0.4, 0.5,
         reported=0.5),
    # "较丰富" (丰富) → achieved [0.4, 0.5]
    band("002", "整体1-社会效益指标14", "社会效益", "丰富辖区内居民精神文化生活", "较丰富", 0.5, 0.4, 0.5,
         reported=0.5),
    # "逐步优化" (优化) → achieved [0.4, 0.5]
    band("002", "整体1-生态效益指标", "环境效益", "优化街道发展环境", "逐步优化", 0.5, 0.4, 0.5, reported=0.5),
    # "≥80%" repeated → full 0.5
    pts("002", "整体1-满意度指标8", "民兵对训练满意度", "≥80%", "≥80%", 0.5, 0.5, AT_LEAST, reported=0.5),
    # label says （1分）: 90 ≥ 90 → 1; form reports 0.5
    pts("002", "整体1-满意度指标9", "群众对办事流程的满意度", "90%", "90%", 1, 1, AT_LEAST, reported=0.5),
    # "稳步提升" (提升) → achieved [0.4, 0.5]
    band("002", "整体1-经济效益指标4", "经济效益", "企业改制遗留问题,减少企业负担,经济绩效提升", "稳步提升",
         0.5, 0.4, 0.5, reported=0.5),
    # "逐步解决" (解决) → achieved [0.4, 0.5]
    band("002", "整体1-社会效益指标1", "社会效益", "聚焦解决群众诉求的实际问题,不断化解社会矛盾", "逐步解决",
         0.5, 0.4, 0.5, reported=0.5),
    # "逐步完善" (完善) → achieved [0.4, 0.5]
    band("002", "整体1-社会效益指标4", "社会效益", "营商环境不断改善、筑巢引凤", "逐步完善", 0.5, 0.4, 0.5,
         reported=0.5),
    # ===== 整体 年度目标2 =====
    # numeric target vs text actual → unscorable; form reports 0.5
    unscorable("002", "整体2-数量指标", "活动举办率", "1次/月", "不定期举行", 1, reported=0.5),
    # "比较丰富" → achieved [0.8, 1]
    band("002", "整体2-社会效益指标", "社会效益", "丰富居民的社区文化活动", "比较丰富", 1, 0.8, 1, reported=1),
    # （2分）: "≥80%" repeated → full 2; form reports 1.5
    pts("002", "整体2-满意度指标", "居民对活动满意度", "≥80%", "≥80%", 2, 2, AT_LEAST, reported=1.5),
    # ===== 整体 年度目标3 =====
    # target "无环境效益" → no target → unscorable; form reports 1
    unscorable("002", "整体3-环境效益指标", "环境效益", "无环境效益", "逐步提升", 1, reported=1),
    # （1分）: 95 ≥ 95 → 1; form reports 0.5
    pts("002", "整体3-满意度指标", "群众满意度", "95%", "95%", 1, 1, AT_LEAST, reported=0.5),
    # ===== 整体 年度目标4 =====
    # （1分）: 4 ≥ 4 → 1
    pts("002", "整体4-数量指标", "完成第三方督查整改回复次数（环境整治）", "4次", "4次", 1, 1, AT_LEAST, reported=1),
    # （1分）: 90 ≥ 90 → 1; form reports 0.5
    pts("002", "整体4-满意度指标", "群众对环境卫生的满意度", "90%", "90%", 1, 1, AT_LEAST, reported=0.5),
    # ===== 整体 年度目标5 =====
    # bare 87 → 正向; 94 ≥ 87 → 0.5
    pts("002", "整体5-数量指标1", "道路清扫数量", "87", "94", 0.5, 0.5, AT_LEAST, reported=0.5),
    # "25名之前" vs "25名之前": repeated → full 0.5
    pts("002", "整体5-质量指标2", "城市综合管理考核评比排名", "25名之前", "25名之前", 0.5, 0.5, RANK,
        reported=0.5),
    # two-tier rank target vs text actual → unscorable; form reports 0.5
    unscorable("002", "整体5-质量指标5", "城市综合考核评比排名", "85名奋斗目标，90名必达目标", "逐步提升", 0.5,
               reported=0.5),
    # ===== 整体 年度目标6 =====
    # （1分）: 100 ≥ 100 → 1; form reports 0.8
    pts("002", "整体6-质量指标", "工程完成率", "100%", "100%", 1, 1, AT_LEAST, reported=0.8),
    # （1分）: 100 ≥ 100 → 1; form reports 0.7
    pts("002", "整体6-时效指标", "完成及时率", "100%", "100%", 1, 1, AT_LEAST, reported=0.7),
    # ===== 整体 年度目标7 =====
    # （1分）: 100 ≥ 100 → 1; form reports 0.5
    pts("002", "整体7-时效指标", "完成及时率", "100%", "100%", 1, 1, AT_LEAST, reported=0.5),
    # ===== 一般公共服务支出 project =====
    # （1分）: interval inside → 1
    pts("002", "一般公共-数量指标7", "民兵训练次数", "1-2次/30天", "1-2次/30天", 1, 1, RANGE, reported=1),
    # actual "----" → unscorable; form reports 0.5
    unscorable("002", "一般公共-数量指标19", "办公大楼装修面积", "1712平方", "----", 1, reported=0.5),
    # target 80%, actual "≤80%" leaves it open (anything from 0 to 80) → unscorable; form reports 0.5
    unscorable("002", "一般公共-质量指标2", "招商引资完成率（内资）", "80%", "≤80%", 1, reported=0.5),
    # target 60%, actual "≤60%" → unscorable; form reports 0.5
    unscorable("002", "一般公共-质量指标3", "招商引资完成率（外资）", "60%", "≤60%", 1, reported=0.5),
    # 成本指标 bare amount → ceiling; 4591.73 ≤ 4591.73 → 2
    pts("002", "一般公共-成本指标", "不超过预算总金额", "4,591.73万元", "4,591.73万元", 2, 2, AT_MOST,
        category=COST, reported=2),
    # (1分) "较丰富" → achieved [0.8, 1]; form reports 0.5 (below the band)
    band("002", "一般公共-社会效益指标14", "社会效益", "丰富辖区内居民精神文化生活", "较丰富", 1, 0.8, 1,
         reported=0.5),
    # (2分) "逐步优化" → achieved [1.6, 2]; form reports 1.5 (below the band)
    band("002", "一般公共-生态效益指标", "环境效益", "优化街道发展环境", "逐步优化", 2, 1.6, 2, reported=1.5),
    # （1分）: 90 ≥ 90 → 1; form reports 0.5
    pts("002", "一般公共-满意度指标1", "信访群众满意度", "90%", "90%", 1, 1, AT_LEAST, reported=0.5),
    # ===== 教育支出 =====
    # 10 × 80 / 100 = 8
    pts("002", "教育-时效指标", "项目实施及时率", "100%", "80%", 10, 8, AT_LEAST, reported=8),
    # 成本指标: 23.55 ≤ 23.55 → 10
    pts("002", "教育-成本指标", "不超过预算金额", "23.55万元", "23.55万元", 10, 10, AT_MOST, category=COST,
        reported=10),
    # target "无" → unscorable; form reports 5
    unscorable("002", "教育-经济效益指标", "经济效益", "无", "逐步提升", 6, reported=5),
    # 6 × 75 / 80 = 5.625 → 5.63 (Excel half-up; Python round gives 5.62); form reports 5
    pts("002", "教育-满意度指标", "社会群众满意度", "≥80%", "75%", 6, 5.63, AT_LEAST, reported=5),
    # ===== 科学技术支出 =====
    # 成本指标: 11.10 ≤ 11.10 → 10
    pts("002", "科技-成本指标", "年投入不少于5万，且不超过预算总金额", "11.10万元", "11.10万元", 10, 10, AT_MOST,
        category=COST, reported=10),
    # 6 × 60 / 80 = 4.5
    pts("002", "科技-满意度指标", "社会群众满意度", "80%", "60%", 6, 4.5, AT_LEAST, reported=4.5),
    # ===== 文化旅游体育与传媒支出 =====
    # numeric target vs text actual → unscorable; form reports 6
    unscorable("002", "文化-数量指标", "活动举办率", "1次/月", "不定期举办", 8, reported=6),
    # 成本指标: 15.3 ≤ 20 → 7
    pts("002", "文化-成本指标", "不超过预算金额", "20万元", "15.3万元", 7, 7, AT_MOST, category=COST, reported=7),
    # "社区文化活动较丰富" → achieved [0.8 × 6, 6] = [4.8, 6]; form reports 5
    band("002", "文化-社会效益指标", "社会效益", "丰富居民的社区文化活动", "社区文化活动较丰富", 6, 4.8, 6,
         reported=5),
    # 80 ≥ 80 → 6
    pts("002", "文化-满意度指标", "居民对活动满意度", "≥80%", "80%", 6, 6, AT_LEAST, reported=6),
    # ===== 社会保障和就业支出 =====
    # （3分）: 80 ≥ 80 → 3; form reports 2
    pts("002", "社保-质量指标1", "减少伤残退役军人上访", "80%", "80%", 3, 3, AT_LEAST, reported=2),
    # 成本指标: 5561.54 ≤ 5561.54 → 2
    pts("002", "社保-成本指标", "不超过预算资金", "5561.54万元", "5561.54万元", 2, 2, AT_MOST, category=COST,
        reported=2),
    # target "无经济效益" → unscorable; form reports 3
    unscorable("002", "社保-经济效益指标", "经济效益", "无经济效益", "逐步提升", 4, reported=3),
    # ===== 卫生健康支出 =====
    # （8分）: 100 ≥ 100 → 8; form reports 7
    pts("002", "卫生-质量指标", "达到国家规定的四害密度", "100%", "100%", 8, 8, AT_LEAST, reported=7),
    # "逐步提升" (提升) → achieved [4.8, 6]
    band("002", "卫生-生态效益指标", "生态效益", "生态环境舒适优良", "逐步提升", 6, 4.8, 6, reported=6),
    # ===== 城乡社区支出 =====
    # （3分）bare 87 → 正向; 94 ≥ 87 → 3
    pts("002", "城乡-数量指标1", "道路清扫数量", "87", "94", 3, 3, AT_LEAST, reported=3),
    # （2分）"25名之前" repeated → full 2; form reports 1.5
    pts("002", "城乡-质量指标2", "城市综合管理考核评比排名", "25名之前", "25名之前", 2, 2, RANK, reported=1.5),
    # 2 × 95 / 100 = 1.9; form reports 1.5
    pts("002", "城乡-质量指标3", "清扫完成率", "100%", "95%", 2, 1.9, AT_LEAST, reported=1.5),
    # two-tier rank vs text → unscorable; form reports 1.5
    unscorable("002", "城乡-质量指标5", "城市综合考核评比排名", "85名奋斗目标，90名必达目标", "逐步提升", 2,
               reported=1.5),
    # 3 × 95 / 100 = 2.85; form reports 2.5
    pts("002", "城乡-时效指标", "完成及时率", "100%", "95%", 3, 2.85, AT_LEAST, reported=2.5),
    # 6 × 80 / 90 = 5.333… → 5.33; form reports 5
    pts("002", "城乡-满意度指标", "社会公众对市容满意度", "90%", "80%", 6, 5.33, AT_LEAST, reported=5),
    # ===== 农林水支出 =====
    # 7 × 95 / 100 = 6.65; form reports 6
    pts("002", "农林水-时效指标", "完成及时率", "100%", "95%", 7, 6.65, AT_LEAST, reported=6),
    # 成本指标: 100 ≤ 100 → 7
    pts("002", "农林水-成本指标", "不超过预算", "100万元", "100万元", 7, 7, AT_MOST, category=COST, reported=7),
    # actual equals target → achieved [4.8, 6]
    band("002", "农林水-社会效益指标", "社会效益", "利国利民", "利国利民", 6, 4.8, 6, reported=6),
    # ===== 其他支出 =====
    # 成本指标 bare amount → ceiling; 939.9 ≤ 1069.34 → 10; form reports 8.8
    pts("002", "其他-成本指标", "不超过预算总金额", "1069.34万元", "939.9万元", 10, 10, AT_MOST, category=COST,
        reported=8.8),
    # 6 × 70 / 80 = 5.25; form reports 5
    pts("002", "其他-满意度指标", "社会群众满意度", "80%", "70%", 6, 5.25, AT_LEAST, reported=5),
]

SEED_003 = [
    # ===== 年度绩效目标1 工程尾款 (8分) =====
    # weight 1 assumed (the reported 得分; the goal's other rows report 2+2+2):
    # 1 × 2 / 3 = 0.666… → 0.67; form reports 1
    pts("003", "目标1-数量-项目数", "项目数", "3项", "2项", 1, 0.67, AT_LEAST, reported=1),
    # target ≥95%, actual "≥90%" could be 90 (→ 1.89) or 100 (→ 2): open → unscorable; form reports 2
    unscorable("003", "目标1-时效-按期完成率", "按期完成率", "≥95%", "≥90%", 2, reported=2),
    # equal to target → achieved [0.8 × 2, 2] = [1.6, 2]
    band("003", "目标1-社会效益", "信息化总体成果", "有所提升", "有所提升", 2, 1.6, 2, reported=2),
    # "≥95%" repeated → full 2
    pts("003", "目标1-满意度", "总体满意率", "≥95%", "≥95%", 2, 2, AT_LEAST, reported=2),
    # ===== 年度绩效目标2 党校费用 (8分) =====
    # bare "12个月"; 12 ≥ 12 → 1
    pts("003", "目标2-时效-按月份", "按月份", "12个月", "12个月", 1, 1, AT_LEAST, reported=1),
    # "不超支" vs "不超支" → w = 1, 反向
    pts("003", "目标2-成本-成本控制", "成本控制", "不超支", "不超支", 1, 1, AT_MOST, category=COST, reported=1),
    # "≥95%" repeated → 1
    pts("003", "目标2-质量-服务覆盖面", "服务覆盖面", "≥95%", "≥95%", 1, 1, AT_LEAST, reported=1),
    # equal to target → achieved [0.8 × 1.5, 1.5] = [1.2, 1.5]
    band("003", "目标2-社会效益-服务水平", "服务水平及管理质量", "逐步提高", "逐步提高", 1.5, 1.2, 1.5,
         reported=1.5),
    # ===== 年度目标3 党政机关办公用房培训管理费 (8分) =====
    # "≥1" vs bare 1: 1 ≥ 1 → 1
    pts("003", "目标3-数量-系统维护次数", "系统维护次数", "≥1", "1", 1, 1, AT_LEAST, reported=1),
    # "≤48小时" repeated → 1, 反向
    pts("003", "目标3-时效-修复响应时间", "系统故障修复响应时间", "≤48小时", "≤48小时", 1, 1, AT_MOST, reported=1),
    # "≤8%" repeated → 1, 反向
    pts("003", "目标3-成本-维护成本增加率", "年度维护成本增加率", "≤8%", "≤8%", 1, 1, AT_MOST, category=COST,
        reported=1),
    # equal to target → [0.8, 1]
    band("003", "目标3-可持续影响", "规范机关办公用房", "有效提升", "有效提升", 1, 0.8, 1, reported=1),
    # ===== 年度目标4 物业管理费 (8分) =====
    # bare 12; 12 ≥ 12 → 1
    pts("003", "目标4-时效-按月份", "按月份", "12", "12", 1, 1, AT_LEAST, reported=1),
    # "≥100%" repeated → 1
    pts("003", "目标4-时效-物业服务完成率", "物业服务完成率", "≥100%", "≥100%", 1, 1, AT_LEAST, reported=1),
    # ===== 年度目标5 食堂托管费 (8分) =====
    # "达标" equal → [0.8 × 1.5, 1.5] = [1.2, 1.5]
    band("003", "目标5-质量-环境卫生状况", "环境卫生状况", "达标", "达标", 1.5, 1.2, 1.5, reported=1.5),
    # "≥5" repeated → 1
    pts("003", "目标5-数量-托管食堂数量", "餐饮公司托管理食堂数量", "≥5", "≥5", 1, 1, AT_LEAST, reported=1),
    # ===== 年度目标6 后勤服务费 (8分) =====
    # "≤10%" repeated → 1
    pts("003", "目标6-成本-维修护成本增加率", "年度维修护成本增加率", "≤10%", "≤10%", 1, 1, AT_MOST,
        category=COST, reported=1),
    # "≥6" repeated → 1
    pts("003", "目标6-数量-服务种类", "后勤管理服务种类", "≥6", "≥6", 1, 1, AT_LEAST, reported=1),
    # ===== 年度目标7 办公大楼租金费用 (7分; rows 1+2+2+1+1 = 7, goal reported 6) =====
    # bare 3 → 正向; weight 1 (reported 得分): 1 × 2 / 3 = 0.666… → 0.67; form reports 1
    pts("003", "目标7-数量-项目数", "项目数", "3", "2", 1, 0.67, AT_LEAST, reported=1),
    # "≤5%" repeated → 2
    pts("003", "目标7-成本-租金增加率", "租金增加率", "≤5%", "≤5%", 2, 2, AT_MOST, category=COST, reported=2),
    # ===== 年度目标8 党建经费 (7分) =====
    # "≥2" vs bare 2: 2 ≥ 2 → 2
    pts("003", "目标8-数量-学习活动次数", "开展党员学习活动次数", "≥2", "2", 2, 2, AT_LEAST, reported=2),
    # target ≥100%, actual "≥90%" open (90 → 1.8, 100 → 2) → unscorable; form reports 2
    unscorable("003", "目标8-时效-学习活动完成率", "学习活动完成率", "≥100%", "≥90%", 2, reported=2),
    # ===== 年度目标9 会议室使用费 (8分) =====
    # "≥350" repeated → 1
    pts("003", "目标9-数量-承办会议次数", "承办会议次数", "≥350", "≥350", 1, 1, AT_LEAST, reported=1),
    # equal → [1.6, 2]
    band("003", "目标9-质量-会务服务水平", "会务服务水平", "有所提升", "有所提升", 2, 1.6, 2, reported=2),
    # ===== 年度目标10 防疫经费 (10分) =====
    # 100 ≥ 100 → 2
    pts("003", "目标10-时效-按期完成率", "按期完成率", "100%", "100%", 2, 2, AT_LEAST, reported=2),
    # "不超支" vs "不超支" → 2, 反向
    pts("003", "目标10-成本", "按实际发生额结算", "不超支", "不超支", 2, 2, AT_MOST, category=COST, reported=2),
    # "≥100%" repeated → 1
    pts("003", "目标10-满意度", "总体满意度", "≥100%", "≥100%", 1, 1, AT_LEAST, reported=1),
]

# Seed targets with a changed actual ("假设"), for the branches the seeds never reach.
VARIANTS = [
    # 反向 over target: 1 × 8 / 10 = 0.8
    pts("假设", "003-维护成本增加率-超标", "年度维护成本增加率", "≤8%", "10%", 1, 0.8, AT_MOST, category=COST),
    # 成本指标 bare amount overspent: 10 × 1069.34 / 1200 = 8.91116… → 8.91
    pts("假设", "002-其他-成本指标-超支", "不超过预算总金额", "1069.34万元", "1200万元", 10, 8.91, AT_MOST,
        category=COST),
    # bare 0 → 反向, target 0: actual 2 > 0 → 0
    pts("假设", "000-安保事故率-非零", "会议安保工作事故率", "0%", "2%", 5, 0, AT_MOST),
    # interval above the high end: 1 × 2 / 3 = 0.666… → 0.67
    pts("假设", "002-民兵训练次数-超上限", "民兵训练次数", "1-2次/30天", "3次/30天", 1, 0.67, RANGE),
    # interval below the low end: 1 × 0 / 1 = 0
    pts("假设", "002-民兵训练次数-低于下限", "民兵训练次数", "1-2次/30天", "0次/30天", 1, 0, RANGE),
    # rank 30 against "25名之前": 2 × 25 / 30 = 1.666… → 1.67
    pts("假设", "002-排名-第30名", "城市综合管理考核评比排名", "25名之前", "30名", 2, 1.67, RANK),
    # two-tier: 88 ≤ 90 (必达) → full 2
    pts("假设", "002-两档排名-第88名", "城市综合考核评比排名", "85名奋斗目标，90名必达目标", "88名", 2, 2, RANK),
    # "=8个" scored like 正向: 1 × 6 / 8 = 0.75
    pts("假设", "DOMAIN-等于-不足", "(DOMAIN §3 =8个)", "=8个", "6个", 1, 0.75, EQUAL),
    # "=8个" met: 8 ≥ 8 → 1
    pts("假设", "DOMAIN-等于-达到", "(DOMAIN §3 =8个)", "=8个", "8个", 1, 1, EQUAL),
    # "部分达成…" → [0.5 × 6, 0.8 × 6] = [3, 4.8]
    band("假设", "002-文化-社会效益-部分达成", "社会效益", "丰富居民的社区文化活动", "部分达成预期指标并具有一定效果",
         6, 3, 4.8),
    # "未达成…" → [0, 0.5 × 6] = [0, 3]
    band("假设", "002-文化-社会效益-未达成", "社会效益", "丰富居民的社区文化活动", "未达成预期指标", 6, 0, 3),
    # "效果较差" → [0, 3]
    band("假设", "002-文化-社会效益-效果较差", "社会效益", "丰富居民的社区文化活动", "效果较差", 6, 0, 3),
    # qualitative target vs numeric actual → unscorable
    unscorable("假设", "003-信息化成果-数值实际", "信息化总体成果", "有所提升", "95%", 2),
    # target None (nothing in the cell) → unscorable
    unscorable("假设", "000-空目标None", "以史为鉴、服务社会", None, "100%", 10),
    # target "—" (em dash placeholder) → unscorable
    unscorable("假设", "000-目标—", "生态效益指标", "—", "100%", 4),
]

# fmt: on

ROWS = SEED_000 + SEED_002 + SEED_003 + VARIANTS


def _params(rows):
    return [pytest.param(row, id=row.id) for row in rows]


@pytest.mark.parametrize("row", _params(ROWS))
def test_seed_row(row: Row) -> None:
    score = score_indicator(row.target, row.actual, row.weight, category=row.category)
    assert score.kind is row.kind, score.reason
    assert isinstance(score.reason, str)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in score.reason), "reason should be a Chinese sentence"
    if row.kind is NONE:
        assert score.scorable is False
        assert score.points is None
        assert score.low is None
        assert score.high is None
    elif row.kind is QUAL:
        assert score.scorable is True
        assert score.points is None
        assert (score.low, score.high) == row.band, score.reason
    else:
        assert score.scorable is True
        assert score.points == row.points, score.reason
        assert 0 <= score.points <= row.weight


def test_row_ids_are_unique() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------------------------------------
# 预算执行率 rows


@dataclass(frozen=True)
class ExecRow:
    seed: str
    label: str
    budget: object  # 预算数 (A)
    actual: object  # 执行数 (B)
    weight: float | None  # None: the layout has no 执行率 score for this row
    rate: float  # B / A worked by hand to 7 decimals
    rate_pct: float  # the rate as the form shows it, ROUND(100 × B/A, 2)
    points: float | None
    reported: float | None = None


EXEC_ROWS = [
    # 28.94 / 1609.99 = 0.0179753 → rate 0.9820247 → 98.20 %; 20 × 0.9820247 = 19.6405 → 19.64; form: 18
    ExecRow("000", "部门整体支出总额", 1609.99, 1581.05, 20, 0.9820247, 98.20, 19.64, reported=18),
    # the same row as OCR'd text, "1609. 99" → 1609.99
    ExecRow("000", "部门整体支出总额(OCR)", "1609. 99", "1581.05", 20, 0.9820247, 98.20, 19.64, reported=18),
    # 4.5 / 4.5 = 1 → 20
    ExecRow("000", "委员视察、专委会活动", 4.5, 4.5, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("000", "文明创建工作经费", 0.5, 0.5, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("000", "委员学习、培训等", 5, 5, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("000", "政协全会、常委会议等", 40, 40, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("000", "办公设备购置、政协网站维护", 16, 16, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("000", "党建(纪检)工作经费", 2.96, 2.96, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("000", "购买服务支出", 41.24, 41.24, 20, 1.0, 100.00, 20, reported=20),
    # 预算完成率 (layout C) = (14.56 + 1086.45 − 64.60 − 4.68) / (14.56 + 1086.45 − 64.60) = 1031.73 / 1036.41;
    # 4.68 / 1036.41 = 0.0045156 → 0.9954844 → 99.55 %. Shanxi's scoring of it (3.00 of 3) is not the
    # 20 × rate rule, so only the rate is checked.
    ExecRow("001", "预算完成率", 1036.41, 1031.73, None, 0.9954844, 99.55, None, reported=3.00),
    # 129.44 / 20640.80 = 0.0062711 → 0.9937289 → 99.37 %; 20 × 0.9937289 = 19.8746 → 19.87; form: 19.87
    ExecRow("002", "部门整体支出总额", 20640.80, 20511.36, 20, 0.9937289, 99.37, 19.87, reported=19.87),
    # thousands separator as written: "4,591.73" → 4591.73; rate 1 → 20
    ExecRow("002", "一般公共服务支出", "4,591.73", "4,591.73", 20, 1.0, 100.00, 20, reported=20),
    ExecRow("002", "教育支出", 23.55, 23.55, 20, 1.0, 100.00, 20, reported=20.0),
    ExecRow("002", "科学技术支出", 11.1, 11.1, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("002", "文化旅游体育与传媒支出", 15.3, 15.3, 20, 1.0, 100.00, 20, reported=20.0),
    ExecRow("002", "社会保障和就业支出", 5561.54, 5561.54, 20, 1.0, 100.00, 20, reported=20.0),
    ExecRow("002", "卫生健康支出", 4617.2, 4617.2, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("002", "城乡社区支出", 2266.25, 2266.25, 20, 1.0, 100.00, 20, reported=20),
    ExecRow("002", "农林水支出", 100, 100, 20, 1.0, 100.00, 20, reported=20.0),
    # 129.44 / 1069.34 = 0.1210468 → 0.8789532 → 87.90 %; 20 × 0.8789532 = 17.5791 → 17.58;
    # form: 17.6 (one decimal)
    ExecRow("002", "其他支出", 1069.34, 939.9, 20, 0.8789532, 87.90, 17.58, reported=17.6),
    # 836.11 / 16728.52 = 0.0499811 → 0.9500189 → 95.00 %; 20 × 0.9500189 = 19.0004 → 19.00; form: 19
    ExecRow("003", "部门整体支出总额", 16728.52, 15892.41, 20, 0.9500189, 95.00, 19.00, reported=19),
    # 假设: executed more than budgeted, 4.6 / 4.5 = 1.0222222; 20 × 1.0222 = 20.44 → capped at 20
    ExecRow("假设", "超预算执行(封顶)", 4.5, 4.6, 20, 1.0222222, 102.22, 20),
]


@pytest.mark.parametrize("row", [pytest.param(r, id=f"{r.seed}-{r.label}") for r in EXEC_ROWS])
def test_execution_row(row: ExecRow) -> None:
    rate = execution_rate(row.budget, row.actual)
    assert rate == pytest.approx(row.rate, abs=2e-7)
    assert excel_round(rate * 100, 2) == row.rate_pct
    if row.weight is not None:
        assert execution_score(row.budget, row.actual, row.weight) == row.points


# 001: 投入 16 + 过程 38.70 + 产出 22 + 效果 20 = 96.70 → 优 (≥ 90)
def test_001_grade() -> None:
    # 过程: 3+3+4+2.70+2+2+0+3+3+3+3+3+3+4 = 38.70
    process = excel_round(3 + 3 + 4 + 2.70 + 2 + 2 + 0 + 3 + 3 + 3 + 3 + 3 + 3 + 4, 2)
    assert process == 38.70
    total = excel_round(16 + process + 22 + 20, 2)
    assert total == 96.70
    assert grade(total) == "优"


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (5.625, 2, 5.63),  # 002 教育 满意度 6 × 75 / 80; Python round → 5.62
        (0.375, 2, 0.38),  # 002 质量指标2 0.5 × 60 / 80 (Python's half-to-even happens to agree here)
        (2.675, 2, 2.68),  # binary 2.67499999…; Excel rounds the 15-digit 2.675 → 2.68
        (1.005, 2, 1.01),  # binary 1.00499999…; Excel → 1.01
        (-0.375, 2, -0.38),  # half away from zero
        (19.6404943, 2, 19.64),  # 000 执行率得分
        (17.5790637, 1, 17.6),  # 002 其他支出, as the form shows it (one decimal)
    ],
)
def test_excel_round(x: float, digits: int, expected: float) -> None:
    assert excel_round(x, digits) == expected


# ---------------------------------------------------------------------------------------------
# parse_value

_ANY = object()


@dataclass(frozen=True)
class ParseCase:
    seed: str
    text: object
    kind: ValueKind
    comparator: object = _ANY  # Comparator or None
    numbers: object = _ANY
    unit: object = _ANY
    period: object = _ANY
    options: object = _ANY
    display: object = _ANY


# fmt: off
PARSE_CASES = [
    # --- 004: merged-cell artefact "≥9595及以上" = ≥95 % ---
    ParseCase("004", "≥9595及以上", ValueKind.QUANTITY, Comparator.AT_LEAST, (95.0,), "%", display="≥95%"),
    ParseCase("004", "≥8080及以上", ValueKind.QUANTITY, Comparator.AT_LEAST, (80.0,), "%", display="≥80%"),
    ParseCase("004", "≥5050及以上", ValueKind.QUANTITY, Comparator.AT_LEAST, (50.0,), "%", display="≥50%"),
    ParseCase("004", "≥9090及以上", ValueKind.QUANTITY, Comparator.AT_LEAST, (90.0,), "%", display="≥90%"),
    # --- 004: 资金支出计划（%）3月底 / 6月底 / 10月底 / 12月底 ---
    ParseCase("004", "25.00%", ValueKind.QUANTITY, None, (25.0,), "%"),
    ParseCase("004", "50.00%", ValueKind.QUANTITY, None, (50.0,), "%"),
    ParseCase("004", "75.00%", ValueKind.QUANTITY, None, (75.0,), "%"),
    ParseCase("004", "100.00%", ValueKind.QUANTITY, None, (100.0,), "%", display="100%"),
    # --- 正向 spellings ---
    ParseCase("000", "≥95%", ValueKind.QUANTITY, Comparator.AT_LEAST, (95.0,), "%", display="≥95%"),
    ParseCase("000", "≥8 篇次", ValueKind.QUANTITY, Comparator.AT_LEAST, (8.0,), "篇次"),
    ParseCase("000", "不低于 30%", ValueKind.QUANTITY, Comparator.AT_LEAST, (30.0,), "%"),
    ParseCase("003", "≥350", ValueKind.QUANTITY, Comparator.AT_LEAST, (350.0,), None),
    ParseCase("DOMAIN", "不少于3次", ValueKind.QUANTITY, Comparator.AT_LEAST, (3.0,), "次"),
    ParseCase("DOMAIN", "90%及以上", ValueKind.QUANTITY, Comparator.AT_LEAST, (90.0,), "%"),
    ParseCase("DOMAIN", "≧95％", ValueKind.QUANTITY, Comparator.AT_LEAST, (95.0,), "%", display="≥95%"),
    ParseCase("DOMAIN", "＞=95%", ValueKind.QUANTITY, Comparator.AT_LEAST, (95.0,), "%"),
    ParseCase("DOMAIN", "１００％", ValueKind.QUANTITY, None, (100.0,), "%", display="100%"),
    # --- 等于 ---
    ParseCase("DOMAIN", "=8个", ValueKind.QUANTITY, Comparator.EQUAL, (8.0,), "个"),
    ParseCase("DOMAIN", "＝8个", ValueKind.QUANTITY, Comparator.EQUAL, (8.0,), "个"),
    ParseCase("DOMAIN", "═8个", ValueKind.QUANTITY, Comparator.EQUAL, (8.0,), "个"),
    # --- 反向 ---
    ParseCase("003", "≤48小时", ValueKind.QUANTITY, Comparator.AT_MOST, (48.0,), "小时"),
    ParseCase("003", "≤8%", ValueKind.QUANTITY, Comparator.AT_MOST, (8.0,), "%"),
    ParseCase("DOMAIN", "≦8％", ValueKind.QUANTITY, Comparator.AT_MOST, (8.0,), "%"),
    ParseCase("000", "<1%", ValueKind.QUANTITY, Comparator.LESS, (1.0,), "%"),
    ParseCase("000", "0%", ValueKind.QUANTITY, None, (0.0,), "%"),
    ParseCase("DOMAIN", "48小时以内", ValueKind.QUANTITY, Comparator.AT_MOST, (48.0,), "小时"),
    ParseCase("DOMAIN", "不超过20万元", ValueKind.QUANTITY, Comparator.AT_MOST, (20.0,), "万元"),
    ParseCase("003", "不超支", ValueKind.REFERENCE, Comparator.AT_MOST),
    ParseCase("002", "不超过预算总金额", ValueKind.REFERENCE, Comparator.AT_MOST),
    # --- bare values with units ---
    ParseCase("000", "100%", ValueKind.QUANTITY, None, (100.0,), "%"),
    ParseCase("000", "3000 册", ValueKind.QUANTITY, None, (3000.0,), "册"),
    ParseCase("000", "6人", ValueKind.QUANTITY, None, (6.0,), "人"),
    ParseCase("002", "1712平方", ValueKind.QUANTITY, None, (1712.0,), "平方米"),
    ParseCase("003", "12个月", ValueKind.QUANTITY, None, (12.0,), "个月"),
    ParseCase("003", "3项", ValueKind.QUANTITY, None, (3.0,), "项"),
    ParseCase("002", "87", ValueKind.QUANTITY, None, (87.0,), None),
    # thousands separator and OCR spaces
    ParseCase("002", "4,591.73万元", ValueKind.QUANTITY, None, (4591.73,), "万元", display="4591.73万元"),
    ParseCase("000", "1609. 99", ValueKind.QUANTITY, None, (1609.99,), None),
    ParseCase("000", "110. 2", ValueKind.QUANTITY, None, (110.2,), None),
    # --- ranges and frequencies ---
    ParseCase("002", "1-2次/30天", ValueKind.RANGE, None, (1.0, 2.0), "次", "30天", display="1-2次/30天"),
    ParseCase("002", "1次/月", ValueKind.QUANTITY, None, (1.0,), "次", "月"),
    ParseCase("002", "15人/次", ValueKind.QUANTITY, None, (15.0,), "人", "次"),
    # --- ranks ---
    ParseCase("002", "25名之前", ValueKind.RANK, numbers=(25.0,)),
    ParseCase("002", "85名奋斗目标，90名必达目标", ValueKind.RANK_TIERS, numbers=(85.0, 90.0)),
    # --- qualitative and menus ---
    ParseCase("003", "有所提升", ValueKind.QUALITATIVE, None, (), options=("有所提升",)),
    ParseCase("003", "逐步提高", ValueKind.QUALITATIVE, None, ()),
    ParseCase("003", "达标", ValueKind.QUALITATIVE, None, ()),
    ParseCase("000", "审议通过", ValueKind.QUALITATIVE, None, (), options=("审议通过",)),
    ParseCase("002", "有正规资质资历", ValueKind.QUALITATIVE, None, ()),
    ParseCase("002", "不定期举行", ValueKind.QUALITATIVE, None, ()),
    ParseCase("002", "较丰富", ValueKind.QUALITATIVE, None, ()),
    ParseCase("000", "有所提升/ 大幅提升/ 明显提升", ValueKind.MENU, None, (),
              options=("有所提升", "大幅提升", "明显提升"), display="有所提升/大幅提升/明显提升"),
    # --- placeholders and "无" ---
    ParseCase("002", "---", ValueKind.PLACEHOLDER, None, ()),
    ParseCase("002", "----", ValueKind.PLACEHOLDER, None, ()),
    ParseCase("000", "—", ValueKind.PLACEHOLDER, None, ()),
    ParseCase("000", "-", ValueKind.PLACEHOLDER, None, ()),
    ParseCase("000", "_", ValueKind.PLACEHOLDER, None, ()),
    ParseCase("000", "", ValueKind.PLACEHOLDER, None, ()),
    ParseCase("000", None, ValueKind.PLACEHOLDER, None, ()),
    ParseCase("002", "无", ValueKind.NONE, None, ()),
    ParseCase("002", "无经济效益", ValueKind.NONE, None, ()),
    ParseCase("002", "无环境效益", ValueKind.NONE, None, ()),
]
# fmt: on


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c.seed}-{c.text!r}-{i}") for i, c in enumerate(PARSE_CASES)]
)
def test_parse_value(case: ParseCase) -> None:
    value = parse_value(case.text)
    assert value.kind is case.kind
    for field in ("comparator", "numbers", "unit", "period", "options", "display"):
        expected = getattr(case, field)
        if expected is not _ANY:
            assert getattr(value, field) == expected, field
