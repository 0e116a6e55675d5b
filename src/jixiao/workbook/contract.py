"""The workbook contract: every name a jixiao workbook carries that another part of jixiao reads.

``jixiao new`` writes these sheets, names and titles; ``jixiao check``, ``jixiao recalc``,
``jixiao summary`` and ``new --from`` (roll-forward) find the workbook's parts by them. Changing a
value here changes the file format: workbooks written before would no longer be recognised.
"""

from __future__ import annotations

# -- sheets -----------------------------------------------------------------------------------

#: The very-hidden sheet holding the generator's meta data, the rules JSON and the dropdown lists.
META_SHEET = "_jixiao"
#: The instructions sheet every generated workbook has after its forms.
INSTRUCTIONS_SHEET = "填表说明"
#: Sheets of a generated workbook that are not forms.
SUPPORT_SHEETS = (META_SHEET, INSTRUCTIONS_SHEET)

# -- the meta sheet ---------------------------------------------------------------------------

#: The meta sheet holds key/value rows (column A → column B): generator, rubric, kind, year, unit,
#: unit_code, dialect, rules. The value of ``generator`` that marks a workbook jixiao wrote.
GENERATOR = "jixiao"
#: The meta sheet's key/value rows are read no further than this (the notes are in its first rows).
META_ROWS = 60

# -- workbook names ---------------------------------------------------------------------------

#: The name of the cell holding the rule set as JSON (read by the JX_* functions and by check).
RULES_NAME = "评分规则"

#: Names of the indicator table's columns, by RowTemplate field (plus goal, band, judged, score …).
COLUMN_NAMES = {
    "goal": "指标_年度目标",
    "level1": "指标_一级",
    "level2": "指标_二级",
    "level3": "指标_三级",
    "description": "指标_描述",
    "nature": "指标_性质",
    "target": "指标_目标值",
    "unit": "指标_单位",
    "actual": "指标_实际值",
    "weight": "指标_分值",
    "band": "指标_定性档位",
    "judged": "指标_评定得分",
    "score": "指标_得分",
    "basis": "指标_依据",
    "explanation": "指标_偏差原因",
}
#: Names of the common-indicator table's columns (部门整体 共性指标).
COMMON_COLUMN_NAMES = {
    "level1": "指标_一级",
    "level2": "指标_二级",
    "level3": "指标_三级",
    "reference": "指标_参考分值",
    "weight": "指标_分值",
    "analysis": "指标_计算分析",
    "result": "指标_计算结果",
    "score": "指标_得分",
}
# Dropdown sources on the meta sheet: the 一级 names, and the 二级 names of the n-th 一级 in "二级_n"
# (by position, so a 一级 name with spaces or brackets still gives a valid defined name).
LEVEL1_LIST = "一级_列表"
LEVEL2_LIST_PREFIX = "二级_"

# -- cell vocabularies ------------------------------------------------------------------------

#: The three 定性 bands as offered in the 定性档位 dropdown.
BAND_ACHIEVED = "达成预期指标"
BAND_PARTIAL = "部分达成预期指标并具有一定效果"
BAND_FAILED = "未达成预期指标且效果较差"
BANDS = (BAND_ACHIEVED, BAND_PARTIAL, BAND_FAILED)
#: The 指标性质 dropdown.
NATURES = ("≥", "≤", "=", "定性")
#: How a typed 指标性质 reads (spaces removed first): the dropdown's values and what people type instead.
NATURE_SPELLINGS = {
    "≥": "≥",
    ">=": "≥",
    "≧": "≥",
    "≤": "≤",
    "<=": "≤",
    "≦": "≤",
    "=": "=",
    "＝": "=",
    "定性": "定性",
}

# -- document titles --------------------------------------------------------------------------

#: The document title of the review workbook ``check --report`` writes (never checked as a form).
REVIEW_TITLE = "jixiao 检查结果"
#: The document title of the workbook ``jixiao summary`` writes (never read as a form).
SUMMARY_TITLE = "jixiao 绩效汇总"
