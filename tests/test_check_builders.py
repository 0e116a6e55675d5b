"""Workbooks for the checker's tests: hand-made (legacy) forms laid out like the seed tables, and
generated jixiao forms filled through their workbook names.

The legacy builders transcribe the seeds' figures (DOMAIN.md and /work/shared/seeds): merged
一级 cells down their rows, weights inside labels ("数量指标7（0.5分）"), "年度目标N（X分）" group
rows, 执行率 as a percentage-formatted number. The tests at the bottom check the builders
themselves, so a broken fixture is not mistaken for a broken reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class M:
    """A cell spanning ``across`` columns and ``down`` rows (merged), with a number format."""

    value: object
    across: int = 1
    down: int = 1
    fmt: str | None = None


def write_rows(ws: Worksheet, rows: Sequence[Sequence[object]], start: int = 1) -> int:
    """Write rows left to right the way the seed text reads: cells covered by a merge from a
    row above are skipped. Returns the next free row."""
    occupied: set[tuple[int, int]] = set()
    for offset, row in enumerate(rows):
        r = start + offset
        c = 1
        for item in row:
            while (r, c) in occupied:
                c += 1
            cell = item if isinstance(item, M) else M(item)
            target = ws.cell(r, c)
            target.value = cell.value
            if cell.fmt:
                target.number_format = cell.fmt
            if cell.across > 1 or cell.down > 1:
                ws.merge_cells(
                    start_row=r, start_column=c, end_row=r + cell.down - 1, end_column=c + cell.across - 1
                )
                for rr in range(r, r + cell.down):
                    for cc in range(c, c + cell.across):
                        occupied.add((rr, cc))
            c += cell.across
    return start + len(rows)


def pct(x: float, fmt: str = "0.00%") -> M:
    return M(x, fmt=fmt)


# -- seed 002: 其他支出 project form (Hubei) ---------------------------------------------------


def seed002_other(ws: Worksheet) -> None:
    """2020年度其他支出项目自评表: 执行率 87.9 % scored 17.6 (rule 17.58), 偏差原因 left empty."""
    write_rows(
        ws,
        [
            [M("2020年度其他支出项目自评表", 7)],
            [
                M(
                    "单位名称：武汉市洪山区人民政府洪山街道办事处      填报日期：2021年2月25日      自评得分：",
                    6,
                ),
                91.4,
            ],
            [M("项目名称", 2), M("其他支出", 5)],
            [
                M("主管部门", 2),
                M("武汉市洪山区人民政府洪山街道办事处", 2),
                "项目实施单位",
                M("社会事务办、综合发展办", 2),
            ],
            [
                M("预算执行情况 (万元) (20分)", down=2),
                None,
                "预算数 (A)",
                "执行数 (B)",
                "执行率 (B/A)",
                M("得分 (20分*执行率)", 2),
            ],
            ["年度财政资金总额", 1069.34, 939.9, pct(0.879, "0.0%"), M(17.6, 2)],
            [M("项目绩效总目标 (20分)", down=2), M("年初设定目标", 2), M("全年实际完成情况", 3), "得分"],
            [M("保障项目进度如期达成, 质量达标", 2), M("项目进度如期达成, 质量基本达标", 3), 18],
            [
                M("项目年度绩效指标 (60分)", down=9),
                "一级指标",
                "二级指标",
                "指标名称",
                "年初目标值 (A)",
                "实际完成值 (B)",
                "得分",
            ],
            [M("产出指标 (30分)", down=3), "质量指标 (10分)", "项目完成率", "100%", "100%", 9],
            ["时效指标 (10分)", "完成及时率", "100%", "100%", 10],
            ["成本指标 (10分)", "不超过预算总金额", "1069.34万元", "939.9万元", 8.8],
            [M("效益指标 (30分)", down=5), "经济效益指标 (6分)", "经济效益", "无", "逐步提升", 5],
            ["社会效益指标 (6分)", "社会效益", "无", "逐步提升", 6],
            ["生态效益指标 (6分)", "生态效益", "无", "逐步提升", 6],
            ["可持续影响指标 (6分)", "可持续影响", "无", "逐步提升", 6],
            ["满意度指标 (6分)", "社会群众满意度", "80%", "70%", 5],
            [M("偏差大或目标未完成原因分析", 2), M(None, 5)],
            [M("改进措施及结果应用方案", 2), M("一、本项目下辖的分项目较多，涉及的实施单位也较多。", 5)],
        ],
    )


# -- seed 000: the unit form's 执行率 (18 for 98.20 %) and a project form that follows its rules ---


def seed000_unit(ws: Worksheet) -> None:
    """2020 年度政协洪山区委员会办公室整体绩效自评表 (execution block and indicator table)."""
    rows: list[list[object]] = [
        [M("2020 年度政协洪山区委员会办公室整体绩效自评表", 7)],
        ["单位名称", M("政协洪山区委员会办公室", 6)],
        [
            M("预算执行情况 (万元) (20 分)", down=2),
            None,
            "预算数 (A)",
            "执行数 (B)",
            "执行率 (B/A)",
            M("得分 (20 分*执行率)", 2),
        ],
        ["部门整体支出 总额", 1609.99, 1581.05, pct(0.982), M(18, 2)],
        [M("年度绩效指标", down=12), "一级指标", "二级指标", "指标名称", "年初目 标值", "实际完成值", "得分"],
        [M("产出指标", down=9), M("数量指标", down=6), "组织委员调研并形成专报", "100%", "100%", 4],
        ["组织重大协商、对口协商活动", "100%", "100%", 4],
        ["组织建议案视察、督查", "100%", "100%", 4],
        ["常委会会议、政协全会", "100%", "100%", 4],
        ["开展专项培训", "100%", "100%", 4],
        ["全年绩效目标", "100%", "100%", 4],
        ["质量指标", "委员履职能力明显提升", "100%", "100%", 4],
        ["时效指标", "在规定时间内完成既定工作", "100%", "100%", 4],
        ["成本指标", "经费支出是否严格按预算执行", "100%", "100%", 4],
        [M("效益 指标", down=2), "经济效益指标", "_", None, None, None],
        ["满意度指标", "管理或服务对象满意率", "≥95%", "≥95%", 4],
        [M("偏差大或目标 未完成原因分 析", 2), M("绩效目标有待进一步补充完善。", 5)],
    ]
    write_rows(ws, rows)


def seed000_project(ws: Worksheet) -> None:
    """委员视察、专委会活动、常委调研视察等: weights nowhere on the form, 96 = 20 + 20 + 56."""
    items = [
        ("数量指标", "组织委员调研并形成专报、调研报告", "≥8 篇次", "≥8 篇次", 4),
        ("数量指标", "开展民主监督", "≥3 次", "≥3 次", 4),
        ("数量指标", "组织重大协商、对口协商活动", "≥3 次", "≥3 次", 4),
        ("数量指标", "组织建议案视察、督查", "3 次", "3 次", 4),
        ("数量指标", "组织重点提案视察、督查", "20 次", "20 次", 4),
        ("数量指标", "建议案和提案督办率", "100%", "100%", 4),
        ("质量指标", "调研报告质量", "100%", "100%", 3),
        ("质量指标", "民主监督落到实处", "100%", "100%", 3),
        ("质量指标", "专题协商重点突出", "100%", "100%", 3),
        ("质量指标", "对口协商效果明显", "100%", "100%", 3),
        ("时效指标", "在规定时间内完成既定工作", "100%", "100%", 4),
        ("成本指标", "经费支出是否严格按预算执行", "100%", "100%", 4),
    ]
    benefit = [
        ("经济效益指标", "-", None, None, None),
        ("社会效益指标", "公共服务水平和质量显著提高", "不低于 30%", "不低于 30%", 4),
        ("生态效益指标", "-", None, None, None),
        ("可持续影响 指标", "委员参政议政能力", "100%", "100%", 4),
        ("满意度指标", "服务对象满意率", "≥95%", "≥95%", 4),
    ]
    rows: list[list[object]] = [
        [M("单位名称：政协洪山区委员会办公室    填报日期：2021.2.25    自评得分：96", 7)],
        ["项目名称", M("委员视察、专委会活动、常委调研视察等", 6)],
        [
            M("预算执行情况 (万元) (20分)", down=2),
            None,
            "预算数 (A)",
            "执行数 (B)",
            "执行率 (B/A)",
            M("得分 (20 分*执行率)", 2),
        ],
        ["年度财政资金 总额", 4.5, 4.5, pct(1.0), M(20, 2)],
        [M("项目绩效总目标 (20分)", down=2), M("年初设定目标", 2), M("全年实际完成情况", 3), "得分"],
        [M("1. 委员视察; 2. 专委会活动", 2), M("1. 委员视察; 2. 专委会活动", 3), 20],
        [
            M("项目年度绩效指标 (60分)", down=1 + len(items) + len(benefit)),
            "一级指标",
            "二级指标",
            "指标名称",
            "年初目标值 (A)",
            "实际完成值 (B)",
            "得分",
        ],
    ]
    for index, (level2, name, target, actual, score) in enumerate(items):
        head = [M("产出指标", down=len(items))] if index == 0 else []
        rows.append([*head, level2, name, target, actual, score])
    for index, (level2, name, target, actual, score) in enumerate(benefit):
        head = [M("效益指标", down=len(benefit))] if index == 0 else []
        rows.append([*head, level2, name, target, actual, score])
    rows.append([M("偏差大或目标 未完成原因分析", 2), M("年初申报的绩效目标定性指标覆盖不够全面。", 5)])
    write_rows(ws, rows)


# -- seed 003: a unit form with 年度绩效目标N（X分） groups and their reported subtotals -----------

SEED003_GOALS: list[tuple[str, str, float, float, list[tuple[str, str, str, str, str, float]]]] = [
    ("年度绩效目标1：（8分）", "工程尾款年度绩效指标", 8, 7, [
        ("产出指标", "数量指标", "项目数", "3项", "2项", 1),
        ("产出指标", "时效指标", "按期完成率", "≥95%", "≥90%", 2),
        ("效益指标", "社会效益指标", "信息化总体成果", "有所提升", "有所提升", 2),
        ("满意度\n指标", "服务对象满意度指标", "总体满意率", "≥95%", "≥95%", 2),
    ]),
    ("年度绩效目标2：（8分）", "党校费用年度绩效指标", 8, 8, [
        ("产出指标", "时效指标", "按月份", "12个月", "12个月", 1),
        ("产出指标", "成本指标", "成本控制", "不超支", "不超支", 1),
        ("产出指标", "质量指标", "服务覆盖面", "≥95%", "≥95%", 1),
        ("产出指标", "", "服务完成率", "100%", "100%", 1),
        ("效益指标", "社会效益指标", "后勤保障影响力", "有所提升", "有所提升", 1.5),
        ("效益指标", "", "服务水平及管理质量", "逐步提高", "逐步提高", 1.5),
        ("满意度\n指标", "服务对象满意度指标", "单位满意度", "≥90%", "≥90%", 1),
    ]),
    ("年度目标3：\n（8分）", "党政机关办公用房培训管理费年度绩效指标", 8, 7, [
        ("产出指标", "数量指标", "系统维护次数", "≥1", "1", 1),
        ("产出指标", "质量指标", "正常运行", "≥95%", "≥95%", 1),
        ("产出指标", "时效指标", "系统故障修复响应时间", "≤48小时", "≤48小时", 1),
        ("产出指标", "成本指标", "年度维护成本增加率", "≤8%", "≤8%", 1),
        ("效益指标", "社会效益指标", "简约绿色办公", "有所提升", "有所提升", 1),
        ("效益指标", "可持续影响指标", "规范机关办公用房", "有效提升", "有效提升", 1),
        ("满意度\n指标", "服务对象满意度指标", "各机关事业单位满意度", "≥90%", "≥90%", 1),
    ]),
    ("年度目标4： （8分）", "物业管理费年度绩效指标", 8, 8, [
        ("产出指标", "时效指标", "按月份", "12", "12", 1),
        ("产出指标", "质量指标", "物业服务覆盖面", "≥95%", "≥95%", 1),
        ("产出指标", "", "物业达标率", "≥95%", "≥95%", 1),
        ("产出指标", "时效指标", "物业服务完成率", "≥100%", "≥100%", 1),
        ("产出指标", "成本指标", "成本控制", "不超支", "不超支", 1),
        ("效益指标", "社会效益指标", "物业管理服务影响力", "有所提升", "有所提升", 1),
        ("效益指标", "可持续影响指标", "物业服务管理水平", "逐步提高", "逐步提高", 1),
        ("满意度\n指标", "服务对象满意度指标", "各单位满意率", "≥90%", "≥90%", 1),
    ]),
    ("年度目标5： （8分）", "食堂托管费年度绩效指标", 8, 8, [
        ("产出指标", "时效指标", "按月份", "12", "12", 1),
        ("产出指标", "质量指标", "菜品新鲜度", "≥95%", "≥95%", 1.5),
        ("产出指标", "", "环境卫生状况", "达标", "达标", 1.5),
        ("产出指标", "数量指标", "餐饮公司托管理食堂数量", "≥5", "≥5", 1),
        ("产出指标", "成本指标", "托管服务费", "不超支", "不超支", 1),
        ("效益指标", "社会效益指标", "厉行节约反对浪费执行力", "有所提升", "有所提升", 1),
        ("满意度\n指标", "服务对象满意度指标", "各机关用餐单位满意率", "≥90%", "≥90%", 1),
    ]),
    ("年度目标6： （8分）", "后勤服务费年度绩效指标", 8, 8, [
        ("产出指标", "时效指标", "后勤管理服务完成率", "12", "12", 1),
        ("产出指标", "质量指标", "各项设施设备正常使用", "≥98%", "≥98%", 1),
        ("产出指标", "", "后勤管理服务达标率", "≥95%", "≥95%", 1),
        ("产出指标", "数量指标", "后勤管理服务种类", "≥6", "≥6", 1),
        ("产出指标", "成本指标", "年度维修护成本增加率", "≤10%", "≤10%", 1),
        ("效益指标", "社会效益指标", "后勤保障服务影响力", "有所提升", "有所提升", 1),
        ("效益指标", "可持续影响指标", "倡导节电节水", "逐步提高", "逐步提高", 1),
        ("满意度\n指标", "服务对象满意度指标", "各机关单位满意率", "≥90%", "≥90%", 1),
    ]),
    ("年度目标7： （7分）", "办公大楼租金费用年度绩效指标", 7, 6, [
        ("产出指标", "数量指标", "项目数", "3", "2", 1),
        ("产出指标", "质量指标", "正常使用", "≥98%", "≥98%", 2),
        ("产出指标", "成本指标", "租金增加率", "≤5%", "≤5%", 2),
        ("效益指标", "社会效益指标", "简约绿色办公", "有所提升", "有所提升", 1),
        ("满意度\n指标", "服务对象满意度指标", "总体满意率", "≥95%", "≥95%", 1),
    ]),
    ("年度目标8： （7分）", "党建经费年度绩效指标", 7, 7, [
        ("产出指标", "数量指标", "开展党员学习活动次数", "≥2", "2", 2),
        ("产出指标", "质量指标", "党员学习覆盖面", "≥100%", "≥100%", 1),
        ("产出指标", "时效指标", "学习活动完成率", "≥100%", "≥90%", 2),
        ("效益指标", "社会效益指标", "党员党性修养", "逐步提高", "逐步提高", 1),
        ("满意度\n指标", "服务对象满意度指标", "参与党员满意率", "≥95%", "≥95%", 1),
    ]),
    ("年度目标9： （8分）", "会议室使用费年度绩效指标", 8, 7, [
        ("产出指标", "数量指标", "承办会议次数", "≥350", "≥350", 1),
        ("产出指标", "质量指标", "会务服务水平", "有所提升", "有所提升", 2),
        ("产出指标", "时效指标", "重大活动承办完成率", "≥100%", "≥100%", 2),
        ("效益指标", "社会效益指标", "会议精神传达率", "逐步提高", "逐步提高", 1),
        ("满意度\n指标", "服务对象满意度指标", "参与单位满意率", "≥95%", "≥95%", 1),
    ]),
    ("年度目标10： （10分）", "防疫经费年度绩效指标", 10, 10, [
        ("产出指标", "时效指标", "按期完成率", "100%", "100%", 2),
        ("产出指标", "质量指标", "物资送达率", "100%", "100%", 2),
        ("产出指标", "", "补助发放率", "100%", "100%", 2),
        ("产出指标", "成本指标", "按实际发生额结算", "不超支", "不超支", 2),
        ("效益指标", "社会效益指标", "防疫后勤保障影响力", "有所提升", "有所提升", 1),
        ("满意度指标", "服务对象满意度指标", "总体满意度", "≥100%", "≥100%", 1),
    ]),
]  # fmt: skip


def _merged_runs(values: list[str]) -> list[int]:
    """For each row, how many rows its label cell spans (0: covered by the label above)."""
    spans = [0] * len(values)
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or (values[index] and values[index] != values[start]):
            spans[start] = index - start
            start = index
    return spans


def indicator_rows(rows: list[tuple[str, str, str, str, str, float]]) -> list[list[object]]:
    """Rows with the 一级 cells merged down their runs and blank 二级 cells merged into the one above."""
    level1 = _merged_runs([r[0] for r in rows])
    level2 = _merged_runs([r[1] if r[1] else "" for r in rows])
    out: list[list[object]] = []
    for index, (l1, l2, name, target, actual, score) in enumerate(rows):
        cells: list[object] = []
        if level1[index]:
            cells.append(M(l1, down=level1[index]))
        if level2[index]:
            cells.append(M(l2, down=level2[index]))
        cells += [name, target, actual, score]
        out.append(cells)
    return out


def seed003_unit(ws: Worksheet) -> None:
    """2020年度区机关事务服务中心部门整体绩效自评表: 年度目标7 reports 6, its rows add up to 7."""
    rows: list[list[object]] = [
        [M("2020年度区机关事务服务中心部门整体绩效自评表", 7)],
        [M("单位名称：武汉市东西湖区机关事务服务中心    填报日期：2021年4月27日", 7)],
        ["单位名称", M("武汉市东西湖区机关事务服务中心", 6)],
        ["基本支出总额", M(1329.86, 2), "项目支出总额", M(14562.55, 3)],
        [
            M("预算执行情况（万元）\n（20分）", down=2),
            None,
            "预算数（A）",
            "执行数（B）",
            "执行率（B/A）",
            M("得分\n（20分*执行率）", 2),
        ],
        ["部门整体支出总额", 16728.52, 15892.41, pct(0.95, "0.0%"), M(19, 2)],
    ]
    for label, block, _, reported, items in SEED003_GOALS:
        rows.append([M(label, 6), reported])
        rows.append(
            [
                M(block, down=len(items) + 1),
                "一级指标",
                "二级指标",
                "三级指标",
                "年初目标值（A）",
                "实际完成值（B）",
                "得分",
            ]
        )
        rows += indicator_rows(items)
    rows += [
        [M("总分", 6), 95.00],
        [M("偏差大或\n目标未完成\n原因分析", 2), M("造成偏差的主要原因是因为：1、工程尾款项目……", 5)],
        [M("改进措施及\n结果应用方案", 2), M("1.进一步优化和完善指标体系。", 5)],
    ]
    write_rows(ws, rows)


# -- seed 002: the unit form of 洪山街道办事处 (7 年度目标, weights in every 二级 label) ---------------


def _numbered(prefix: str, weight: float, items: list[tuple[str, str, str, float]], start: int = 1) -> list:
    return [
        (f"{prefix}{index}（{weight:g}分）", name, target, actual, score)
        for index, (name, target, actual, score) in enumerate(items, start=start)
    ]


_QUANTITY = [
    ("企业一套表培训次数", "1次", "1次", 0.5), ("统计补助人员数量", "80人", "80人", 0.5),
    ("除公务员外就餐人员数量", "116人", "116人", 0.5), ("就业援助宣传进社区活动", "2场", "2场", 0.5),
    ("就业人员培训", "1场", "1场", 0.5), ("民兵训练人数", "15人/次", "15人/次", 0.5),
    ("民兵训练次数", "1-2次/30天", "1-2次/30天", 0.5), ("开展民兵工作社区数量", "23个", "23个", 0.5),
    ("网格人员数量", "6人", "6人", 0.5), ("安全生产宣传活动", "1次", "1次", 0.5),
    ("应急消防演练", "1次", "1次", 0.5), ("财务外包服务人员数量", "8人", "8人", 0.5),
    ("被审计单位数量", "28个", "28个", 0.5), ("普法宣传活动", "2场", "2场", 0.5),
    ("法律顾问人数", "1人", "1人", 0.5), ("精准扶贫工作队驻村人员数量", "4名", "4名", 0.5),
    ("设备数量", "6台", "6台", 0.5), ("企业改制补助人员数量", "6人", "6人", 0.5),
    ("办公大楼装修面积", "1712平方", "---", 0.4), ("工装数量", "8套", "8套", 0.5),
    ("政务网的覆盖社区数量", "26个", "26个", 0.5), ("文明创建社区和街道数量", "26个", "26个", 0.5),
]  # fmt: skip
_QUALITY = [
    ("统计工作培训达标率", "95%", "95%", 0.5), ("招商引资完成率(内资)", "80%", "60%", 0.3),
    ("招商引资完成率(外资)", "60%", "50%", 0.3), ("民兵工作开展率", "90%", "90%", 0.5),
    ("网格人员到岗率", "100%", "100%", 0.5), ("安全生产隐患整改率", "95%", "95%", 0.5),
    ("审计单位资质合格率", "有正规资质资历", "有正规资质资历", 0.5), ("环境整改达标率", "100%", "100%", 0.5),
    ("政务网维护工作覆盖率", "100%", "100%", 0.5), ("监控系统安装改造达标率", "100%", "100%", 0.5),
    ("打非宣传率", "90%", "90%", 0.5),
]  # fmt: skip
_ECONOMIC = [
    ("经济效益", "招商引资平稳增长", "平稳增长", 0.5), ("经济效益", "规范财务管理,减少错漏", "逐步规范", 0.5),
    ("经济效益", "推动发展集体经济", "平稳增长", 0.5), ("经济效益", "企业改制遗留问题,经济绩效提升", "稳步提升", 0.5),
    ("经济效益", "提高对不法活动的举证效率", "逐步提高", 0.5),
]  # fmt: skip
_SOCIAL = [
    ("社会效益", "不断化解社会矛盾", "逐步解决", 0.5), ("社会效益", "促进青少年形成正确的价值观", "逐步提升", 0.5),
    ("社会效益", "解决民众就业困难", "逐步解决", 0.5), ("社会效益", "营商环境不断改善", "逐步完善", 0.5),
    ("社会效益", "提高民兵素质", "逐步提高", 0.5), ("社会效益", "巩固国防", "巩固国防", 0.5),
    ("社会效益", "促进综治、信访等网格化工作", "逐步提高", 0.5), ("社会效益", "减低社会安全隐患", "较大改善", 0.5),
    ("社会效益", "解决部门经费短缺", "逐步解决", 0.5), ("社会效益", "提高民众法律意识", "逐步提高", 0.5),
    ("社会效益", "社区居民的生活获得感得到提升", "逐步提升", 0.5), ("社会效益", "帮助群众解决纠纷", "逐步稳定", 0.5),
    ("社会效益", "创建平安社区", "逐步提升", 0.5), ("社会效益", "丰富辖区内居民精神文化生活", "较丰富", 0.5),
]  # fmt: skip
_LASTING = [
    ("可持续影响", "形成长效管理机制；促进社会组织健康发展，激发社会组织活力；提升妇女素质", "逐步提升", 0.5),
    ("可持续影响", "有效推进社区青少年向前向好发展", "逐步提升", 0.5),
    ("可持续影响", "实施长效管理、改善营商环境", "逐步提升", 0.5),
    ("可持续影响", "增强预备役人员素质", "逐步提升", 0.5),
    ("可持续影响", "建立财务管理机制、保障资金有效使用", "逐步提升", 0.5),
    ("可持续影响", "提高法务意识，促进和谐发展", "逐步提升", 0.5),
    ("可持续影响", "激发贫困群众摆脱贫困的内生动力", "逐步提升", 0.5),
    ("可持续影响", "有利于政府和企业关系和谐稳定", "逐步提升", 0.5),
    ("可持续影响", "长期对区域活动人员行为起到震慑作用", "逐步提升", 0.5),
    ("可持续影响", "提高市民文明素质和文明程度", "逐步提高", 0.5),
]
_SATISFACTION = [
    ("信访群众满意度", "90%", "90%", 0.5), ("群众对我办工作满意，认可度高", "100%", "100%", 0.5),
    ("党员满意度", "90%", "90%", 0.5), ("妇女满意度", "90%", "90%", 0.5), ("社会公众的满意度", "90%", "90%", 0.5),
    ("社会公众对统计工作满意度", "90%", "90%", 0.5), ("企业满意度", "90%", "90%", 0.5),
    ("民兵对训练满意度", "≥80%", "≥80%", 0.5),
]  # fmt: skip

SEED002_GOALS: list[tuple[str, list[tuple[str, list[tuple[str, str, str, str, float]]]]]] = [
    ("年度目标1（37分）：开展信访维稳工作、做好各部门党政党建工作、做好统计工作……", [
        ("产出指标 (17分)", [
            *_numbered("数量指标", 0.5, _QUANTITY),
            *_numbered("质量指标", 0.5, _QUALITY),
            ("时效指标 (0.5分)", "完成及时率", "100%", "100%", 0.5),
        ]),
        ("效益指标 (20分)", [
            *[(f"经济效益指标{i} (0.5分)", n, t, a, s) for i, (n, t, a, s) in enumerate(_ECONOMIC, 1)],
            *[(f"社会效益指标{i}（0.5分）", n, t, a, s) for i, (n, t, a, s) in enumerate(_SOCIAL, 1)],
            ("生态效益指标（0.5分）", "环境效益", "优化街道发展环境", "逐步优化", 0.5),
            *[(f"可持续影响指标{i}（0.5分）", n, t, a, s) for i, (n, t, a, s) in enumerate(_LASTING, 1)],
            *_numbered("满意度指标", 0.5, _SATISFACTION),
            ("满意度指标9（1分）", "群众对办事流程的满意度", "90%", "90%", 0.5),
        ]),
    ]),
    ("年度目标2（6分）：办公及培训、网吧管理和各类比赛活动及服务。", [
        ("产出指标 (3分)", [
            ("数量指标（1分）", "活动举办率", "1次/月", "不定期举行", 0.5),
            ("质量指标（1分）", "活动参与率", "80%", "80%", 1),
            ("时效指标（1分）", "活动完成率", "100%", "100%", 1),
        ]),
        ("效益指标 (3分)", [
            ("社会效益指标（1分）", "社会效益", "丰富居民的社区文化活动", "比较丰富", 1),
            ("满意度指标（2分）", "居民对活动满意度", "≥80%", "≥80%", 1.5),
        ]),
    ]),
    ("年度目标3（11分）：社区人员外聘、支付社区办公用房的租金……", [
        ("产出指标 (6分)", [
            *_numbered("数量指标", 0.5, [
                ("开展党建工作社区数", "26个", "26个", 0.5), ("社区数量", "26个", "26个", 0.5),
                ("党员培训社区个数", "26个", "26个", 0.5), ("服务站人员数量", "2人", "2人", 0.5),
                ("精准扶贫人数", "10人", "10人", 0.5)]),
            *_numbered("质量指标", 0.5, [
                ("减少伤残退役军人上访", "80%", "80%", 0.5), ("党建工作开展完成率", "95%", "95%", 0.5),
                ("工作覆盖率", "100%", "100%", 0.5), ("工作验收合格率", "100%", "100%", 0.5),
                ("党员知晓率", "95%", "95%", 0.5), ("社区宜居率", "90%", "90%", 0.5)]),
            ("时效指标（0.5分）", "完成及时率", "100%", "100%", 0.5),
        ]),
        ("效益指标 (5分)", [
            ("社会效益指标（1分）", "社会效益", "加强机关党的思想、组织、作风建设", "逐步提升", 1),
            ("经济效益指标（1分）", "经济效益", "企业改制遗留问题，对减少企业负担", "逐步提升", 1),
            ("环境效益指标（1分）", "环境效益", "无环境效益", "逐步提升", 1),
            ("可持续影响指标（1分）", "可持续影响", "创建和谐社区", "逐步提升", 1),
            ("满意度指标（1分）", "群众满意度", "95%", "95%", 0.5),
        ]),
    ]),
    ("年度目标4（6分）：创建卫生单位长效管理、日常督查……", [
        ("产出指标（3分）", [
            ("数量指标（1分）", "完成第三方督查整改回复次数（环境整治）", "4次", "4次", 1),
            ("质量指标（1分）", "达到国家规定的四害密度", "100%", "100%", 1),
            ("时效指标（1分）", "完成及时率", "100%", "100%", 1),
        ]),
        ("效益指标（3分）", [
            ("社会效益指标（0.5分）", "社会效益", "提升公民健康素养", "逐步提升", 0.5),
            ("生态效益指标（0.5分）", "生态效益", "生态环境舒适优良", "逐步提升", 0.5),
            ("可持续影响指标（1分）", "可持续影响", "建立长效管理机制", "逐步提升", 1),
            ("满意度指标（1分）", "群众对环境卫生的满意度", "90%", "90%", 0.5),
        ]),
    ]),
    ("年度目标5（10分）：道路清扫保洁、城镇垃圾处理……", [
        ("产出指标（6分）", [
            *_numbered("数量指标", 0.5, [
                ("道路清扫数量", "87", "94", 0.5), ("清理区域数", "16个", "16个", 0.5),
                ("外包服务市容保障数量（门店总数）", "3058户", "3058户", 0.5), ("补贴小区数量", "6", "6", 0.5),
                ("试点社区数量", "11个", "11个", 0.5), ("试点单位数量", "20个", "20个", 0.5)]),
            *_numbered("质量指标", 0.5, [
                ("生活垃圾分类试点社区覆盖率", "100%", "100%", 0.5), ("城市综合管理考核评比排名", "25名之前", "25名之前", 0.5),
                ("清扫完成率", "100%", "100%", 0.5), ("垃圾处理完成度", "95%", "95%", 0.5),
                ("城市综合考核评比排名", "85名奋斗目标，90名必达目标", "逐步提升", 0.5)]),
            ("时效指标（0.5分）", "完成及时率", "100%", "100%", 0.5),
        ]),
        ("效益指标（4分）", [
            ("社会效益指标（1分）", "社会效益", "美化市容环境", "逐步提升", 1),
            ("生态效益指标（1分）", "环境效益", "城市综合管理环境综合整治提升", "逐步提升", 1),
            ("可持续影响指标（1分）", "可持续影响", "落实长效管理", "逐步提升", 1),
            ("满意度指标（1分）", "社会公众对市容满意度", "90%", "90%", 0.5),
        ]),
    ]),
    ("年度目标6（4分）：妥善解决全市“城中村”改造还建房项目规划建设手续……", [
        ("产出指标（2分）", [
            ("质量指标（1分）", "工程完成率", "100%", "100%", 0.8),
            ("时效指标（1分）", "完成及时率", "100%", "100%", 0.7),
        ]),
        ("效益指标（2分）", [
            ("社会效益指标（1分）", "社会效益", "促进街道的发展", "逐步提升", 1),
            ("满意度指标（1分）", "社会群众满意度", "80%", "80%", 0.5),
        ]),
    ]),
    ("年度目标7（6分）：农业生产设施建设。", [
        ("产出指标（3分）", [
            ("数量指标（1分）", "管理维护的水利设施数量", "2个", "2个", 1),
            ("质量指标（1分）", "维护管理工作覆盖率", "100%", "100%", 1),
            ("时效指标（1分）", "完成及时率", "100%", "100%", 0.5),
        ]),
        ("效益指标（3分）", [
            ("经济效益指标（1分）", "经济效益", "稳定和提高洪山农业经济收入", "逐步提升", 1),
            ("社会效益指标（0.5分）", "社会效益", "利国利民", "逐步提升", 0.5),
            ("生态效益指标（0.5分）", "环境效益", "优化环境", "逐步提升", 0.5),
            ("可持续影响指标（0.5分）", "可持续影响", "排涝抗旱防洪", "逐步提升", 0.5),
            ("满意度指标（0.5分）", "社会公众满意度", "90%", "90%", 0.5),
        ]),
    ]),
]  # fmt: skip


def seed002_unit(ws: Worksheet) -> None:
    """2020年度洪山街道办事处整体绩效自评表: 0.3 for 80 % → 60 % of 0.5 (rule 0.38); total 94.87."""
    rows: list[list[object]] = [
        [M("2020年度洪山街道办事处整体绩效自评表", 7)],
        [M("填报日期： 总分： 94.87", 7)],
        [M("单位名称", 2), M("武汉市洪山区人民政府洪山街道办事处", 5)],
        [
            M("预算执行情况 (万元) (20分)", down=2),
            None,
            "预算数（A）",
            "执行数（B）",
            "执行率（B/A）",
            M("得分（20分*执行率）", 2),
        ],
        ["部门整体支出总额", 20640.80, 20511.36, pct(0.9937), M(19.87, 2)],
    ]
    for number, (goal, sections) in enumerate(SEED002_GOALS, start=1):
        rows.append([M(goal, 7)])
        count = sum(len(items) for _, items in sections)
        rows.append(
            [
                M(f"年度绩效指标{number}", down=count + 1),
                "一级指标",
                "二级指标",
                "指标名称",
                "指标值",
                "实际完成值",
                "得分",
            ]
        )
        for level1, items in sections:
            for index, (level2, name, target, actual, score) in enumerate(items):
                head = [M(level1, down=len(items))] if index == 0 else []
                rows.append([*head, level2, name, target, actual, score])
    rows += [
        [
            None,
            M("偏差大或目标未完成原因分析", 2),
            M("1、在经济发展方面，楼宇经济对全街的贡献率和支撑力不高……", 4),
        ],
        [M("改进措施及结果应用方案", 2), M("1、扎实做好常态化疫情防控工作。", 5)],
    ]
    write_rows(ws, rows)


# -- seed 001: Shanxi common indicators with the funds identity ------------------------------------

SEED001_GROUPS: list[tuple[str, float, float, list[tuple[str, str, float, str, float]]]] = [
    ("投入", 16, 16.00, [
        ("工作目标设定", "工作规划合理性", 3, "制定了总体规划", 3.00),
        ("工作目标设定", "工作目标明确性", 3, "细化分解的具体目标", 3.00),
        ("预算配置", "在职人员控制率", 3, "在职人员42人/编制数48人", 3.00),
        ("预算配置", "“三公经费”变动率", 3, "“三公经费”支出0万元", 3.00),
        ("预算配置", "重点支出安排率", 4, "按规定安排", 4.00),
    ]),
    ("过程", 42, 38.70, [
        ("预算执行", "预算完成率", 3, "(14.56+1086.45-64.60-4.68)/(14.56+1086.45-64.60)", 3.00),
        ("预算执行", "预算调整率", 3, "未调整预算", 3.00),
        ("预算执行", "支付进度", 4, "支出进度达标。", 4.00),
        ("预算执行", "结转结余率", 3, "结转结余/支出预算数1086.45", 2.70),
        ("预算执行", "公用经费控制率", 2, "实际公用经费/预算安排公用经费", 2.00),
        ("预算执行", "“三公经费”控制率", 2, "“三公经费”/“三公经费”预算", 2.00),
        ("预算执行", "政府采购执行率", 3, "实际采购/政府采购预算数", 0.00),
        ("预算管理", "财务管理制度健全性", 3, "有完整的预算、财务管理制度", 3.00),
        ("预算管理", "资金使用合规性", 3, "基本符合预算批复用途", 3.00),
        ("预算管理", "预决算信息公开性", 3, "按要求规定公开预决算", 3.00),
        ("预算管理", "基础信息完善性", 3, "信息和会计信息资料真实", 3.00),
        ("资产管理", "资产管理制度健全性", 3, "资产管理制度健全并得到执行", 3.00),
        ("资产管理", "资产管理安全性", 3, "资产账务管理合规", 3.00),
        ("资产管理", "固定资产利用率", 4, "在用固定资产总额/固定资产总额", 4.00),
    ]),
    ("产出", 22, 22.00, [
        ("职责履行", "完成实绩情况", 8, "各项工作任务全部完成。", 8.00),
        ("职责履行", "质量达标情况", 8, "工作达到各项目标责任", 8.00),
        ("职责履行", "重点工作完成情况", 6, "圆满完成重点工作任务", 6.00),
    ]),
    ("效果", 20, 20.00, [
        ("履职效益", "经济效益", 5, "达到年初目标", 5.00),
        ("履职效益", "社会效益", 5, "达到年初目标", 5.00),
        ("履职效益", "生态效益", 5, "达到年初目标", 5.00),
        ("履职效益", "社会公众或服务对象满意度", 5, "满意度为98%", 5.00),
    ]),
]  # fmt: skip


def seed001_common(ws: Worksheet, *, balance: float = 4.68, overall: float = 96.70) -> None:
    """晋中市部门整体支出绩效自评表: 14.56 + 1086.45 − 64.60 − 1031.73 = 4.68; 96.70 → 优."""
    rows: list[list[object]] = [
        [M("晋中市部门整体支出绩效自评表", 7)],
        [M("(2020 年度)", 7)],
        [M("单位负责人", 2), "王怀民", M("单位联系电话", 2), M("2638001", 2)],
        [M("上年结转金额 (万元)", 2), 14.56, M("年初预算金额(万元)", 2), M(1086.45, 2)],
        [M("预算调整金额 (万元)", 2), -64.60, M("其他调整资金(万元)", 2), M(0.00, 2)],
        [M("预算执行金额 (万元)", 2), 1031.73, M("年末结余金额(万元)", 2), M(balance, 2)],
        [M("单位职能概况", 2), M("1.负责市政协全体会议、常务委员会会议等会务工作。", 5)],
        [None, "二级指标", "三级指标", M("指标分值", 2), "计算分析情况", "评价得分"],
        [None, None, None, "参考分值", "设定分值"],
    ]
    body: list[list[object]] = []
    for label, weight, subtotal, items in SEED001_GROUPS:
        body.append([label, None, weight, weight, "—", subtotal])
        spans = _merged_runs([item[0] for item in items])
        for index, (level2, level3, w, analysis, score) in enumerate(items):
            head = [M(level2, down=spans[index])] if spans[index] else []
            body.append([*head, level3, w, M(float(w), fmt="0.00"), analysis, M(score, fmt="0.00")])
    total_rows = len(body)
    body[0] = [M("绩效情况", down=total_rows), *body[0]]
    rows += body
    rows += [
        [None, "综合得分", None, 100, None, M(overall, fmt="0.00")],
        [M("评价结果等次:", 3), M("优", 4)],
    ]
    write_rows(ws, rows)


# -- workbooks ------------------------------------------------------------------------------------


def legacy_workbook(path: Path, sheets: dict[str, Callable[[Worksheet], None]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, build in sheets.items():
        build(book.create_sheet(title))
    book.save(path)
    return path


def fill_names(path: Path, values: dict[str, Any], sheet: str | None = None) -> None:
    """Fill a generated workbook through its names, as a user (or a sample generator) would.

    ``values``: name → a value for single-cell names, or a list for a column name (filled from
    its first row). Scores written into 指标_得分 replace the formulas with the unit's numbers.
    """
    book = load_workbook(path)
    for name, value in values.items():
        target_sheet, ref = _resolve(book, name, sheet)
        ws = book[target_sheet]
        first = ref.split(":")[0]
        column, row = coordinate_from_string(first)
        if isinstance(value, list):
            min_col, min_row, _, max_row = range_boundaries(ref)
            assert len(value) <= max_row - min_row + 1, f"{name}: {len(value)} values for {ref}"
            for offset, item in enumerate(value):
                ws.cell(min_row + offset, min_col).value = item
        else:
            ws[f"{column}{row}"].value = value
    book.save(path)


def _resolve(book: Any, name: str, sheet: str | None) -> tuple[str, str]:
    if sheet is not None and name in book[sheet].defined_names:
        text = book[sheet].defined_names[name].attr_text
    else:
        text = book.defined_names[name].attr_text
    target, ref = text.rsplit("!", 1)
    return target.strip("'"), ref.replace("$", "")


# -- the builders' own checks ---------------------------------------------------------------------


def test_merged_one_level_cells_span_their_rows(tmp_path):
    path = legacy_workbook(tmp_path / "seed003.xlsx", {"自评表": seed003_unit})
    ws = load_workbook(path)["自评表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A5:A6" in merged  # 预算执行情况（万元）（20分） over the header and the total row
    assert ws["C6"].value == 16728.52 and ws["E6"].number_format == "0.0%"
    # 年度目标7 reports 6 beside its label; its rows add up to 7 (the seed's deviation).
    goal7 = next(g for g in SEED003_GOALS if g[0].startswith("年度目标7"))
    assert goal7[3] == 6 and sum(item[5] for item in goal7[4]) == 7


def test_seed002_unit_goal_weights_add_up_like_the_seed():
    for goal, sections in SEED002_GOALS:
        declared = float(goal.split("（")[1].split("分")[0])
        weights = [
            float(level2.replace("(", "（").split("（")[1].split("分")[0])
            for _, items in sections
            for level2, *_ in items
        ]
        assert abs(sum(weights) - declared) < 1e-9, goal
    reported = sum(score for _, sections in SEED002_GOALS for _, items in sections for *_, score in items)
    assert abs(19.87 + reported - 94.87) < 1e-9  # the seed's 总分


def test_seed001_groups_add_up_to_96_70():
    assert abs(sum(group[2] for group in SEED001_GROUPS) - 96.70) < 1e-9
    for label, weight, subtotal, items in SEED001_GROUPS:
        assert sum(item[2] for item in items) == weight, label
        assert abs(sum(item[4] for item in items) - subtotal) < 1e-9, label


def insert_row_like_excel(path: Path, sheet: str, at: int) -> None:
    """Insert an empty row before row ``at`` and move names and merged ranges as Excel does
    (openpyxl's insert_rows moves only the cells): a range that spans ``at`` grows by one row."""
    book = load_workbook(path)
    ws = book[sheet]
    merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    for ref in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(ref))
    ws.insert_rows(at)

    def shift(row: int) -> int:
        return row + 1 if row >= at else row

    for min_row, min_col, max_row, max_col in merged:
        ws.merge_cells(
            start_row=shift(min_row), start_column=min_col, end_row=shift(max_row), end_column=max_col
        )
    scopes = [book.defined_names, *(w.defined_names for w in book.worksheets)]
    for names in scopes:
        for defined in names.values():
            target, _, ref = defined.attr_text.rpartition("!")
            if target.strip("'") != sheet:
                continue
            min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
            first = f"${get_column_letter(min_col)}${shift(min_row)}"
            last = f"${get_column_letter(max_col)}${shift(max_row)}"
            defined.attr_text = f"{target}!{first}" + (
                f":{last}" if (min_row, min_col) != (max_row, max_col) else ""
            )
    book.save(path)
