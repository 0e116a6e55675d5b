"""Reading hand-made forms (Excel / WPS layouts made by hand) by their header labels.

No names here: the reader finds the blocks by their labels — the 预算执行率 header (预算数 /
执行数 / 执行率 / 得分), the 项目绩效总目标 pair, 年度目标N（X分） group rows, the indicator header
(一级 / 二级 / 三级 or 指标名称 / 目标值 / 实际完成值 / 分值 under any of its names / 得分, in any
order, on one or two rows), the 共性指标 header, totals and the unit form's funds fields. The
words are data (``jixiao.workbook`` vocabulary.yaml). Merged cells read as their anchor, so a 一级
label merged down its rows labels each of them; blank cells under a label carry it down too.

Modules, in reading order: :mod:`.labels` (what a row or header cell is), :mod:`.sheet` (forms on
a sheet, block by block), :mod:`.execution`, :mod:`.goals`, :mod:`.table` and :mod:`.fields` (the
blocks), :mod:`.rows` (settling row weights), :mod:`.draft` (the mutable state while reading).

A row's weight comes from its weight column or its label ("数量指标7（0.5分）"); a weight the form
does not give is never guessed: the row's score is then only added up, not compared with a rule.
"""

from jixiao.check.legacy.labels import RowKind, classify, execution_role, indicator_role
from jixiao.check.legacy.sheet import read_legacy_sheet

__all__ = ["RowKind", "classify", "execution_role", "indicator_role", "read_legacy_sheet"]
