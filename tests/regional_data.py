"""Eight filled 绩效自评表 published by regions the seeds do not come from, transcribed in their own
layouts (labels, merges and column order as the published copy shows them, reported scores as
printed). ``xlsx_samples/build_regions.py`` writes them into ``xlsx_samples/regions/``;
``tests/test_regional_samples.py`` says what ``jixiao check`` must find in each, worked by hand.

Where the copies come from: public web pages (a government site, a document-sharing site, or a
mirror that re-renders government pages), stored as text. The text of a page is all there is, so:

* Rows follow the page's reading order; merges are those the text implies (a 一级 / 二级 label
  printed once above several rows spans them; a label printed beside the whole block spans it).
* Only obvious text-extraction breaks are fixed, each noted in the builder: look-alike glyphs
  ("项Fl资金" → 项目资金, "IO" → 10, "3M.8万元" → 14.8万元 as its own actual cell gives it),
  a label split by a page marker ("社会效益\\n3、指标"), characters of a vertical label lost by the
  extraction but named by the form's own 注 line ("产出指标", "效益指标"). Text lost for good is
  "……", never guessed. Traditional characters of a mirror page are written as the simplified
  original.
* Several stored copies stop before the form ends (the 满意度 section, the total). The
  transcription then stops at the last section the copy shows whole, so that no section, subtotal
  or total is made up or cut in half; ``Sample.cut`` says what is missing, README.md repeats it.
* Personal telephone numbers are left out (the person's name is kept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from seed_workbooks import M, pct, write_rows

TWO = "0.00"


def _write(ws: Worksheet, rows: list[list[object]]) -> None:
    """Lay the rows out; text that starts with "=" (the 指标性质 "=", targets "=8个") stays text, as a
    form typed in Excel keeps it (a leading apostrophe), instead of becoming a formula."""
    write_rows(ws, rows)
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
                cell.quotePrefix = True


# =================================================================================================
# 1. 安徽 天长市水利局 · 水旱灾害防御经费（2022年度）— national layout (财预〔2020〕10号), complete
# =================================================================================================


def tianchang(ws: Worksheet) -> None:
    """Columns A 年度绩效指标完成情况 | B 一级 | C 二级 | D 三级 | E 年度指标值 | F 实际完成值 | G 分值 |
    H 得分 | I 偏差原因. "指标1：…" / "指标2：" / "……" rows as the national template prints them;
    most rows give a weight and a score but neither a target nor an actual."""
    rows: list[list[object]] = [
        [M("项目支出绩效自评表", 9)],
        [M("（2022年度）", 9)],
        ["项目名称", M("水旱灾害防御经费", 8)],
        ["主管部门", M(None, 3), M("实施单位", 2), M("天长市水利局", 3)],
        [
            M("项目资金\n（万元）", down=5),
            M(None, 2),
            "年初预算数",
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
        ],
        # The copy prints "880 880 880 10 10": the 执行率 cell is empty.
        [M("年度资金总额：", 2), 880, 880, 880, 10, None, 10],
        [M("　其中：本年财政拨款", 2), 880, 880, 880, "-", None, "-"],
        [M("　　　　上年结转资金", 2), None, None, None, "-", None, "-"],
        [M("　　　　其他资金", 2), None, None, None, "-", None, "-"],
        [M("年度总体目标完成情况", down=2), M("预期目标", 4), M("实际完成情况", 4)],
        [M("完成年度防汛工作，完成中型灌区节水改造项目和农业综合水价改革项目。", 4), M("完成年度目标。", 4)],
        [
            M("年度绩效指标完成情况", down=28),
            "一级\n指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        # The 一级 labels are vertical in the original; the copy kept only "（50分）" / "（30分）", the
        # form's 注 line names them (产出指标50分、效益指标30分).
        [
            M("产出指标\n（50分）", down=12),
            M("数量指标", down=3),
            "指标1：完成中型灌区节水改造项目数量",
            1,
            1,
            10,
            10,
        ],
        ["指标2：完成农业综合水价改革项目", 1, 1, 10, 10],
        ["……"],
        [M("质量指标", down=3), "指标1：工程质量合格", None, None, 10, 10],
        ["指标2："],
        ["……"],
        [M("时效指标", down=3), "指标1：年度资金支付完成率100%", None, None, 10, 10],
        ["指标2："],
        ["……"],
        [M("成本指标", down=3), "指标1：资金执行在预算范围内", None, None, 10, 10],
        ["指标2："],
        ["……"],
        [
            M("效益指标\n（30分）", down=12),
            M("经济效益\n指标", down=3),
            "指标1：全市安全度汛",
            None,
            None,
            10,
            10,
        ],
        ["指标2："],
        ["……"],
        [M("社会效益\n指标", down=3), "指标1：保护全市人口财产不受损失", None, None, 10, 10],
        ["指标2："],
        ["……"],
        [M("生态效益\n指标", down=3), "指标1：/", "/", "/"],
        ["指标2："],
        ["……"],
        [M("可持续影\n响指标", down=3), "指标1：已建工程良性运行", None, None, 10, 10],
        ["指标2："],
        ["……"],
        [
            M("满意度指标\n（10分）", down=3),
            M("服务对象\n满意度指标", down=3),
            "指标1：服务对象满意度",
            "90%",
            "100%",
            10,
            10,
        ],
        ["指标2："],
        ["……"],
        [M("总分", 6), 100, 100, None],
        [
            M(
                "注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、服务对象满意度指标10分、"
                "预算资金执行率10分。如有……",
                9,
            )
        ],
    ]
    _write(ws, rows)


# =================================================================================================
# 2–3. 安徽 池州市贵池区棠溪镇人民政府 · two 项目支出绩效自评表（2022年度）— national layout, cut
# =================================================================================================

_TANGXI = "219-池州市贵池区棠溪镇人民政府"
_TANGXI_UNIT = "219001-池州市贵池区棠溪镇人民政府"


def _tangxi_head(name: str, budget: tuple[float, float, float], goal: str, done: str) -> list[list[object]]:
    """The copy is a .docx read as text: "年度资金总额: 0 0 0 10 0 0" — the total row was left at
    zero (执行率 0, 得分 0) while the 本年财政拨款 row under it holds the real amounts."""
    return [
        ["附件："],
        [M("项目支出绩效自评表", 9)],
        [M("（2022年度）", 9)],
        ["项目名称", M(name, 8)],
        ["主管部门", M(_TANGXI, 3), M("实施单位", 2), M(_TANGXI_UNIT, 3)],
        [
            M("项目资金\n（万元）", down=5),
            M(None, 2),
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [M("年度资金总额：", 2), 0, 0, 0, 10, 0, 0],
        [M("其中：本年财政拨款", 2), *budget],
        [M("上年结转资金", 2)],
        [M("其他资金", 2)],
        [M("年度总体目标", down=2), M("预期目标", 4), M("实际完成情况", 4)],
        [M(goal, 4), M(done, 4)],
    ]


_HEADER_NATIONAL = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]
_MET = "达成预期指标"
_CLEAR = "效果明显"


def tangxi_commission(ws: Worksheet) -> None:
    """委托业务项目. The copy stops inside the 满意度指标（10分） row ("公众满…"): transcribed up to the
    效益 section, which the copy shows whole (its empty 经济效益指标 row included)."""
    rows = _tangxi_head(
        "委托业务项目",
        (90, 89.974, 89.974),
        "本项目共申请预算资金90万元。其中：30万元用于基建工程项目预算编制；30万元用于基建工程项目审计；"
        "30万元用于基建工程项目设计、规划、测绘。",
        "本项目共完成预算资金89.97万元。其中：30万元用于基建工程项目预算编制；30万元用于基建工程项目审计；"
        "29.99万元用于基建工程项目设计、规划、测绘。",
    )
    rows += [
        [M("绩效指标", down=11), *_HEADER_NATIONAL],
        [M("产出指标（50分）", down=6), "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8],
        [M("质量指标", down=2), "委托业务报告合格率", "≥100百分比", 100, 8, 8],
        ["经费支出合规性", "严格执行相关制度规定", _MET, 8, 8],
        ["时效指标", "提交报告及时性", "在项目计划完成时间内完成", _MET, 8, 8],
        [M("成本指标", down=2), "项目总成本", "≤90万元", 90, 8, 8],
        ["单项业务成本", "符合相关规定", _MET, 10, 10],
        [M("效益指标（30分）", down=4), "社会效益指标", "对维护基建市场公平的影响程度", _CLEAR, _MET, 10, 10],
        ["生态效益指标", "对控制基建项目成本影响程度", _CLEAR, _MET, 10, 10],
        ["可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", _CLEAR, _MET, 10, 10],
        ["经济效益指标"],
    ]
    _write(ws, rows)


def tangxi_villages(ws: Worksheet) -> None:
    """村级补助及运转经费. The copy stops inside the 效益指标（30分） section (after two of its rows):
    transcribed up to the 产出 section. The goal text's run of dots is the copy's own filler."""
    rows = _tangxi_head(
        "村级补助及运转经费",
        (202.64, 132.912, 132.912),
        "本项目共申请预算资金2026400元，其中村级组织运转400000元，村民组长，党小组长基本报酬252000元，"
        "村民监督委员会工资28000元，村级事务补助960000元，村级工作目标奖励100000元。",
        "本项目共完成预算资金1329120.67元，其中村级组织运转439120.67元，村民组长，党小组长基本报酬152000元，"
        "村民监督委员会工资28000元，村级事务补助660000元，村级工作目标奖励50000元。",
    )
    rows += [
        [M("绩效指标", down=7), *_HEADER_NATIONAL],
        [M("产出指标（50分）", down=6), M("数量指标", down=2), "补助村（社区）数量", "=8个", 8, 8, 8],
        ["保障村干部人数", "=42个", 42, 8, 8],
        [M("质量指标", down=2), "补助资格合规性", "合规", _MET, 8, 8],
        ["经费审批流程规范性", "严格执行相关制度规定", _MET, 8, 8],
        ["时效指标", "补助经费到位及时性", "及时", _MET, 8, 8],
        ["成本指标", "项目总成本", "≤202.6万元", 132.9, 10, 10],
    ]
    _write(ws, rows)


# =================================================================================================
# 4. 宁夏 银川市第六中学 · 初中公用经费（2021年）— Yinchuan layout: 参考分值, 预算执行率 in the table
# =================================================================================================


def yinchuan(ws: Worksheet) -> None:
    """Columns A 一级 | B 二级 | C 三级 | D 参考分值 | E 指标值（A） | F 全年实际值（B） | G 得分 | H 未完成
    原因. The funds block has no score: the 预算执行率 row of the indicator table carries it. Group
    labels "成本指标（10分）" sit over rows with weights of their own (4, 3, 3).

    OCR fixes: 项Fl资金 → 项目资金, 万兀 → 万元, 年初预匏数 → 年初预算数, 调整预算将,A、 → 调整预算数（A）,
    考值参分 → 参考分值 (a two-line header read column-wise), 指标值(八) → 指标值（A）, 项Fl实施 →
    项目实施, 顼目产出 → 项目产出, IO → 10, 测第标准 → 测算标准, 指标L → 指标1, 行个 → 有个, 3M.8万元 → 14.8万元
    (its actual cell, same row, reads 14.8万元). The header's 自评得分 (98) is left blank: the copy
    stops before the 服务对象满意度指标（10分） section, so the figure could not be checked against
    rows that are not there. The 年度总体目标完成情况 text is unreadable in the copy ("公,4")."""
    rows: list[list[object]] = [
        [M("银川市本级部门项目支出绩效自评表", 8)],
        [M("（2021年）", 8)],
        ["项目名称", M("初中公用经费", 3), "主管部门", M("银川市教育局", 3)],
        ["实施单位", M("银川市第六中学", 3), "自评得分", None, "财政审核评分", None],
        [
            M("项目资金\n（万元）", down=2),
            M("年度资金总额", down=2),
            "年初预算数",
            "调整预算数（A）",
            "全年执行数（B）",
            "执行率（B/A）",
        ],
        [64.8, 64.8, 64.8, pct(1.0, "0%")],
        [M("年度总体目标", down=2), "年初设定目标", M("保障学校正常工作运行", 6)],
        ["年度总体目标完成情况", M("……", 6)],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "参考分值",
            "指标值（A）",
            "全年实际值（B）",
            "得分",
            "未完成原因分析及改进措施",
        ],
        [M("项目决策\n（10分）", down=4), "项目目标", "完整性", 4, "—", "目标明确、内容细化、目标量化", 4],
        [M("项目立项", down=3), "相关性", 2, "—", "按照学校管理标准对学校进行管理", 2],
        ["可行性", 2, None, "实际工作需求", 2],
        ["适当性", 2, None, "有资金测算标准", 2],
        [M("项目管理\n（25分）", down=4), "投入管理", "预算执行率", 10, "—", "100%", 9],
        ["财务管理", "财务管理制度有效性", 7, "—", "财务制度健全，严格执行制度，会计核算规范", 7],
        [M("项目实施", down=2), "绩效监控有效性", 2, "—", "持续有效", 2],
        ["管理制度有效性", 6, "-", "严格执行相关管理制度", 6],
        [
            M("项目产出\n（30分）", down=9),
            M("数量指标\n（10分）", down=2),
            "保障人数",
            10,
            "2370人",
            "2370人",
            10,
        ],
        ["指标2："],
        [M("质量指标\n（5分）", down=2), "公用经费标准", 5, "符合相关文件要求", "符合相关文件要求", 5],
        ["指标2："],
        [M("时效指标\n（5分）", down=2), "公用经费完成时间", 5, "2021年12月完成", "2021年12月完成", 4],
        ["指标2："],
        [M("成本指标\n（10分）", down=3), "办公所需成本", 4, "15万元", "15万元", 4],
        ["维修（维护）所需成本", 3, "35万元", "35万元", 3],
        ["绿化、水电费等成本", 3, "14.8万元", "14.8万元", 3],
        [M("项目效益\n（35分）", down=7), M("经济效益指标", down=2), "指标1："],
        ["指标2："],
        # "社会效益\n3、指标效果显著": the page marker "3、" split 社会效益指标 | 效果显著.
        ["社会效益指标", "效果显著", 15, "改善学校的办学条件", "改善学校的办学条件", 13],
        [M("生态效益指标", down=2), "指标1："],
        ["指标2："],
        [
            M("可持续影响指标", down=2),
            "使学生和老师有个更好的学习和工作环境，做到",
            10,
            "社会认可的办学环境。",
            "社会认可的办学环境。",
            8,
        ],
        ["指标2："],
    ]
    _write(ws, rows)


# =================================================================================================
# 5. 云南 丽江市古城区自然资源局 · 卫片执法补助经费（2020年度）— Yunnan layout: 指标性质 | 指标值 | 度量单位
# =================================================================================================


def lijiang(ws: Worksheet) -> None:
    """Columns A 一级 | B 二级 | C 三级 | D 指标性质 | E 指标值 | F 度量单位 | G 实际完成值 | H 分值 | I 得分
    | J 偏差原因, under a two-row header (绩效指标 / 年度指标值 spanning three columns each). Every
    target is met and every row lost points. The copy (a mirror in traditional characters) stops at
    the 满意度 row's 得分: that row and the form's end are not transcribed. "﹦" is the copy's own
    small equals sign."""
    rows: list[list[object]] = [
        [M("2020年度项目支出绩效自评表", 10)],
        ["项目名称", M("2020年省级自然资源卫片执法补助经费支出绩效自评表", 9)],
        ["主管部门", M("丽江市自然资源和规划局", 4), "实施单位", M("丽江市古城区自然资源局", 4)],
        [
            M("项目资金\n（万元）", down=5),
            M(None, 2),
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [M("年度资金总额", 2), 7.29, 7.29, 7.29, M(10.0, fmt=TWO), pct(1.0, "0%"), M(10.0, fmt=TWO)],
        [M("其中：当年财政拨款", 2), 7.29, 7.29, 7.29, None, pct(1.0, "0%")],
        [M("上年结转资金", 2)],
        [M("其他资金", 2)],
        [M("年度\n总体\n目标", down=2), M("预期目标", 4), M("实际完成情况", 5)],
        [M("自然资源卫片执法补助经费", 4), M("自然资源卫片执法补助经费", 5)],
        [
            M("绩效指标", 3),
            M("年度指标值", 3),
            M("实际完成值", down=2),
            M("分值", down=2),
            M("得分", down=2),
            M("偏差原因分析及改进措施", down=2),
        ],
        ["一级\n指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        [
            M("产出指标", down=3),
            "数量指标",
            "卫片执法补助经费",
            "﹦",
            72890,
            "元",
            72890,
            M(10.0, fmt=TWO),
            M(9.0, fmt=TWO),
        ],
        ["质量指标", "项目验收合格率", "﹦", 100, "%", 100, 20, 19],
        ["时效指标", "项目完成及时率", "﹦", 100, "%", 100, M(20.0, fmt=TWO), M(19.0, fmt=TWO)],
        ["效益指标", "社会效益指标", "违法行为责停率", "≥", 95, "%", 95, M(30.0, fmt=TWO), M(27.0, fmt=TWO)],
    ]
    _write(ws, rows)


# =================================================================================================
# 6. 四川 青神县发展和改革局 · 工资性支出（2023年度）— Sichuan 2023 layout (权重), published unscored
# =================================================================================================


def qingshen(ws: Worksheet) -> None:
    """Columns A block label | B 一级 / row label | … | I 权重 | J 得分 | K 未完成原因分析. The county
    published the form with the 完成值 and 得分 cells and the 执行率 得分 left empty (the guidance texts
    "（100字以内）" still in place): every row is there, none is scored."""
    note = (
        "1.预算执行率=预算执行数/调整后预算数，预算执行率未达到90%的需说明原因（100字以内）；"
        "2.年中发生预算调整的（追加或调减），应单独说明理由；3.其他资金包括：社会投入资金、银行贷款."
    )
    rows: list[list[object]] = [
        [M("报表编号：510000_0013zp", 11)],
        [M("部门预算项目支出绩效自评表（2023年度）", 11)],
        ["项目名称", M("51000021R000000019951-工资性支出", 10)],
        ["主管部门", M("青神县发展和改革局本级", 4), M("实施单位（盖章）", 2), M("青神县发展和改革局", 4)],
        [
            M("项目基本情况", down=3),
            M("1.项目年度目标完成情况", down=2),
            M("项目年度目标", 4),
            M("年度目标完成情况", 5),
        ],
        [
            M(
                "严格执行相关政策，保障工资及时、足额发放或社保及时、足额缴纳，预算编制科学合理，减少结余资金。",
                4,
            ),
            M("对照年度目标，说明相关任务目标的完成情况（100字以内）", 5),
        ],
        ["2.项目实施内容及过程概述", M(None, 9)],
        [
            M("预算执行情况（10分）", down=6),
            "年度预算数（万元）",
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算执行率",
            "权重",
            "得分",
            M("原因", 3),
        ],
        ["总额", 238.93, 251.89, 251.89, pct(1.0), 10, None, M(note, 3, down=5)],
        ["其中：财政资金", 238.93, 251.89, 251.89, pct(1.0), "/", "/"],
        ["财政专户管理资金", 0, 0, 0, pct(0.0), "/", "/"],
        ["单位资金", 0, 0, 0, pct(0.0), "/", "/"],
        ["其他资金", None, None, None, None, "/", "/"],
        [
            M("绩效指标（90分）", down=3),
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        ],
        ["产出指标", "数量指标", "发放（缴纳）覆盖率", "=", 100, "%", None, 60, None, None],
        ["效益指标", "社会效益指标", "足额保障率（参保率）", "=", 100, "%", None, 30, None, None],
        [M("合计", 8), 100, None, None],
        ["评价结论", M("结合自评情况，说明项目自评总分，说明项目实施取得的成效或成果。（200字以内）", 10)],
        ["存在问题", M("结合自评情况，分析存在的问题及原因。（200字以内）", 10)],
        [
            "改进措施",
            M("针对项目自评中发现的问题，提出下一步改进完善的意见及有关政策性建议。（200字以内）", 10),
        ],
        [M("项目负责人：", 5), M("财务负责人：", 6)],
    ]
    _write(ws, rows)


# =================================================================================================
# 7. 四川 中江县水利局 · 水标尺制作安装（2022年度）— weight column before the target
# =================================================================================================


def zhongjiang(ws: Worksheet) -> None:
    """Columns A 绩效指标 | B 一级 | C 二级 | D 三级 | E 分值 | F 年度指标值 | G 全年实际值 | H 得分 | I 原因.
    The sections weigh 产出 70 + 效益 20 + 满意度 10 = 100 and 总分 is 100, while the funds block adds
    a 执行率 worth 10 more — against the form's own 注 (产出50、效益30、满意度10、执行率10)."""
    rows: list[list[object]] = [
        [M("绩效目标自评表", 9)],
        [M("（2022年度）", 9)],
        [
            "项目名称",
            M("中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装", 4),
            M("项目负责人及电话", 2),
            M("谢凯（电话略）", 2),
        ],
        ["主管部门", M("中江县水利局", 4), M("实施单位", 2), M("中江县水利局", 2)],
        [
            M("资金情况\n（万元）", down=4),
            M(None, 2),
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
        ],
        [M("年度资金总额：", 2), 20, 20, 10, pct(1.0), 10],
        [M("其中：本年财政拨款", 2), 20, 20],
        [M("其他资金", 2)],
        [M("年度总体目标", down=2), M("年初设定目标", 4), M("年度总体目标完成情况综述", 4)],
        [
            M("对农村地区供水计量设施设备进行改进，对项目区农业用水计量，为项目区农业生产夯实基础，", 4),
            M("对项目区农业用水计量，为项目区农业生产夯实基础，", 4),
        ],
        [
            M("绩效指标", down=12),
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "全年实际值",
            "得分",
            "未完成原因及拟采取的改进措施",
        ],
        [
            M("产出指标\n（70分）", down=6),
            M("数量指标", down=2),
            "安装坡面水标尺",
            10,
            "≥266米",
            "≥266米",
            10,
        ],
        ["水标尺宽度", 10, "≥50厘米", "≥50厘米", 10],
        ["质量指标", "项目（工程）验收合格率", 20, "100%", "100%", 20],
        [M("时效指标", down=2), "及时（按期）开工率", 10, "≥90%", "≥90%", 10],
        ["及时（按期）完工率", 10, "≥90%", "≥90%", 10],
        ["成本指标", "项目计划总投资", 10, "20万元", "20万元", 10],
        [M("效益指标\n（20分）", down=3), "经济效益指标"],
        [M("社会效益指标", down=2), "受益脱贫（含监测对象）户人口数", 10, "≥1000人", "≥1000人", 10],
        ["群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10],
        [
            M("满意度指标\n（10分）", down=2),
            M("服务对象满意度指标", down=2),
            "受益脱贫（含监测对象）户满意度",
            10,
            "≥95%",
            "≥95%",
            10,
        ],
        ["……"],
        [M("总分", 4), 100, None, None, 100, None],
        [
            M(
                "注：1.一级指标分值统一设置为：产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分，"
                "各部门根据各项指标重要程度确定三级指标的分值，得分最高不能超过该指标分值上限，……"
                "分别按照该指标对应分值区间100-80%（含80%）、80-60%（含60%）、60-0%合理确定得分，"
                "3.定量指标若为正向……",
                9,
            )
        ],
    ]
    _write(ws, rows)


# =================================================================================================
# 8. 湖南 衡山县商务和粮食局 · 县级储备粮（2020年度）— Hunan county form: no weights, no scores
# =================================================================================================


def hengshan(ws: Worksheet) -> None:
    """县级专项资金绩效目标自评表: targets and actuals only (no 分值, no 得分 column). "290%" in the
    copy is "≥90%" (the ≥ read as 2)."""
    pc = "100%"
    rows: list[list[object]] = [
        [M("2020年度县级专项资金绩效目标自评表", 7)],
        ["专项资金名称", M("县级储备粮", 2), "负责人及电话", M("旷建成、向建军", 3)],
        ["县级主管部门", M("衡山县商务和粮食局", 2), "实施单位", M("粮食调控储备与产业发展股", 3)],
        [M("项目资金\n（万元）", down=4), M(None, 3), "全年预算数（A）", "全年执行数（B）", "执行率（B/A）"],
        [M("年度资金总额", 3), 194.9, 194.9, pct(1.0, "0%")],
        [M("其中：中央、省、市补助县级资金", 3), 194.9, 194.9, pct(1.0, "0%")],
        [M("其他资金", 3)],
        [M("年度\n总体\n目标", down=2), M("年初设定目标", 3), M("全年实际完成情况", 3)],
        [M("保持和稳定地方粮食储备机制", 3), M("地方储备粮食规模达标", 3)],
        [
            M("绩\n效\n指\n标", down=17),
            "一级\n指标",
            "二级\n指标",
            "三级指标",
            "年度指标值",
            "全年\n完成值",
            "未完成原因和\n改进措施",
        ],
        [M("产\n出\n指\n标", down=9), M("数量\n指标", down=2), "5000吨稻谷、500吨成品粮储备到位率", pc, pc],
        ["库存数量真实率", pc, pc],
        [M("质量\n指标", down=3), "县级储备粮管理制度严格执行率", pc, pc],
        ["储备粮管理专户管理率", pc, pc],
        ["县级储备粮库存粮食明显变质比例", "0", "0"],
        [M("时效\n指标", down=2), "县级储备粮贷款付息及时率", pc, pc],
        ["县级储备粮应急保障率", pc, pc],
        [M("成本\n指标", down=2), "国家政策性粮收购价格执行率", pc, pc],
        ["县级储备粮库存成本核算率", pc, pc],
        [M("效\n益\n指\n标", down=5), M("经济\n效益\n指标", down=2), "利息费用保障率", pc, pc],
        ["政策性挂账利息补贴保障率", pc, "无", "没有轮换、动用库存"],
        [M("生态\n效益\n指标", down=2), "低温、低氧、低剂量科学保粮率", pc, pc],
        ["食品安全指标达标率", pc, pc],
        ["可持\n续影\n响指标", "粮食储备设备维护及安全性", "高", "高"],
        [
            M("满意\n度指\n标", down=2),
            M("服务\n对象\n满意\n度指\n标", down=2),
            "因粮食市场波动引起的粮食安全事件发生数",
            "0起",
            "0起",
        ],
        ["市民满意度调查", "≥90%", pc],
        ["说明", M("无", 6)],
        [M("注：1、其他资金包括和中央、省、市补助、地方财政资金共同投入到同一项目的自……", 7)],
    ]
    _write(ws, rows)


# =================================================================================================
# The list
# =================================================================================================


@dataclass(frozen=True)
class RegionalSample:
    file: str
    sheet: str
    province: str
    place: str  # the city / county / town that published it
    unit: str
    form: str
    year: int
    title: str  # the published page's title
    address: str  # where the copy was read ("" when the stored copy has none)
    cut: str  # what the stored copy lacks ("" when it is whole)
    build: Callable[[Worksheet], None]


SAMPLES: tuple[RegionalSample, ...] = (
    RegionalSample(
        "101-安徽天长-水利局-水旱灾害防御经费.xlsx",
        "水旱灾害防御经费",
        "安徽",
        "滁州市天长市",
        "天长市水利局",
        "项目支出绩效自评表",
        2022,
        "天长市水利局水旱灾害防御股项目支出绩效自评（发布时间 2023-12-05）",
        "",
        "",
        tianchang,
    ),
    RegionalSample(
        "102-安徽池州棠溪镇-委托业务项目.xlsx",
        "委托业务项目",
        "安徽",
        "池州市贵池区棠溪镇",
        "池州市贵池区棠溪镇人民政府",
        "项目支出绩效自评表",
        2022,
        "附件：项目支出绩效自评表（2022年度）· 委托业务项目",
        "http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2",
        "存档副本止于「满意度指标（10分）」行（「公众满…」）：满意度一节与总分未转录",
        tangxi_commission,
    ),
    RegionalSample(
        "103-安徽池州棠溪镇-村级补助及运转经费.xlsx",
        "村级补助及运转经费",
        "安徽",
        "池州市贵池区棠溪镇",
        "池州市贵池区棠溪镇人民政府",
        "项目支出绩效自评表",
        2022,
        "附件：项目支出绩效自评表（2022年度）· 村级补助及运转经费",
        "http://www.anthempetcare.com/upload_cz/download?id=502367&siteId=2",
        "存档副本止于「效益指标（30分）」一节中途（两行之后）：效益、满意度两节与总分未转录",
        tangxi_villages,
    ),
    RegionalSample(
        "104-宁夏银川-第六中学-初中公用经费.xlsx",
        "初中公用经费",
        "宁夏",
        "银川市",
        "银川市第六中学",
        "项目支出绩效自评表",
        2021,
        "银川市本级部门项目支出绩效自评表.docx（优知文库）",
        "https://m.yzwku.com/doc/476505.html",
        "存档副本止于「服务对象满意度指标（10分）」一节（「学生和老…」）：该节未转录，表头自评得分 98 留空",
        yinchuan,
    ),
    RegionalSample(
        "105-云南丽江古城区-自然资源局-卫片执法补助经费.xlsx",
        "卫片执法补助经费",
        "云南",
        "丽江市古城区",
        "丽江市古城区自然资源局",
        "项目支出绩效自评表",
        2020,
        "2020年云南省级自然资源卫片执法补助经费（转载，繁体）",
        "http://m.jjiadianqingjie.com.cn/changyong/13241.html",
        "存档副本止于满意度行的得分之前：满意度行与表尾未转录",
        lijiang,
    ),
    RegionalSample(
        "106-四川青神-发展和改革局-工资性支出.xlsx",
        "工资性支出",
        "四川",
        "眉山市青神县",
        "青神县发展和改革局",
        "部门预算项目支出绩效自评表",
        2023,
        "部门预算项目支出绩效自评表（2023年度）· 工资性支出",
        "https://www.scqs.gov.cn/info/13206/211004.htm",
        "",
        qingshen,
    ),
    RegionalSample(
        "107-四川中江-水利局-水标尺制作安装.xlsx",
        "水标尺制作安装",
        "四川",
        "德阳市中江县",
        "中江县水利局",
        "绩效目标自评表（财政衔接资金项目）",
        2022,
        "中江县2022年衔接资金实施项目绩效目标自评（附件：2022年财政衔接资金实施项目绩效自评表）",
        "https://chacewang.com/newsdetail/news242266.html",
        "",
        zhongjiang,
    ),
    RegionalSample(
        "108-湖南衡山-商务和粮食局-县级储备粮.xlsx",
        "县级储备粮",
        "湖南",
        "衡阳市衡山县",
        "衡山县商务和粮食局",
        "县级专项资金绩效目标自评表",
        2020,
        "2020年度县级专项资金绩效目标自评表.docx（淘文阁）",
        "https://taowenge.com/p-72820237.html",
        "",
        hengshan,
    ),
)
