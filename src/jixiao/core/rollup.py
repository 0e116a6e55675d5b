"""Rolling project figures up into the unit's form (DOMAIN.md §2, seed 003 备注 2–3).

Absolute values are summed; rates are averaged weighted by each project's fund amount;
qualitative rows are rolled up through their scores, weighted by funds. Quantitative rows are
rolled up first and scored after ("定量指标先汇总完成数，再计算得分").
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.core.rounding import excel_round
from jixiao.core.rules import RuleSet, resolve_rules
from jixiao.core.scoring import _conversion, to_number
from jixiao.core.values import Value, ValueKind, format_number, parse_value


def weighted_average(values: Sequence[object], weights: Sequence[object]) -> float | None:
    """Σ(value × weight) ÷ Σweight over the pairs whose value is not blank; None when no weight."""
    if isinstance(values, (str, bytes)) or isinstance(weights, (str, bytes)):
        raise ValueError("weighted_average 需要两列数值（列表），收到的是文字")
    try:
        pairs = list(zip(values, weights, strict=True))
    except TypeError as error:
        raise ValueError("weighted_average 需要两列数值（列表或元组）") from error
    except ValueError as error:
        raise ValueError(f"数值与权重的个数不同：{len(values)} 个数值，{len(weights)} 个权重") from error
    total = 0.0
    weight_sum = 0.0
    for index, (value, weight) in enumerate(pairs, start=1):
        v = to_number(value, f"第 {index} 个数值")
        if v is None:
            continue
        w = to_number(weight, f"第 {index} 个权重")
        if w is None:
            raise ValueError(f"第 {index} 个数值有值，但它的权重为空白")
        if w < 0:
            raise ValueError(f"第 {index} 个权重不能为负数，收到 {format_number(w)}")
        total += v * w
        weight_sum += w
    if weight_sum == 0:
        return None
    return total / weight_sum


def roll_up(values: Sequence[object], funds: Sequence[object]) -> Value:
    """The unit-level figure for one quantitative indicator across projects.

    Rates (unit %) are averaged weighted by ``funds``; every other quantity is summed. All the
    values must share a comparator (or none) and a convertible unit; blanks are skipped.
    """
    if len(values) != len(funds):
        raise ValueError(f"数值与资金额的个数不同：{len(values)} 个数值，{len(funds)} 个资金额")
    parsed: list[tuple[Value, object]] = []
    for index, (raw, fund) in enumerate(zip(values, funds, strict=True), start=1):
        value = raw if isinstance(raw, Value) else parse_value(raw)
        if value.kind is ValueKind.PLACEHOLDER:
            continue
        if value.kind is not ValueKind.QUANTITY:
            raise ValueError(
                f"第 {index} 个值「{value.source}」不是可汇总的数值；定性指标请按资金额加权汇总得分（roll_up_scores）"
            )
        parsed.append((value, fund))
    if not parsed:
        raise ValueError("没有可汇总的数值")
    first = parsed[0][0]
    unit = first.unit
    comparators = {value.comparator for value, _ in parsed}
    if len(comparators) > 1:
        shown = "、".join(sorted(c.value if c else "无" for c in comparators))
        raise ValueError(f"各项目的比较符号不一致（{shown}），无法汇总")
    periods = {value.period for value, _ in parsed}
    if len(periods) > 1:
        raise ValueError("各项目的统计周期不一致，无法汇总")
    numbers: list[float] = []
    for value, _ in parsed:
        x = value.numbers[0]
        if value.unit != unit and value.unit is not None and unit is not None:
            factor = _conversion(value.unit, unit)
            if factor is None:
                raise ValueError(f"单位不一致（{unit} 与 {value.unit}），无法汇总")
            x *= factor
        numbers.append(x)
    if unit == "%":
        combined = weighted_average(numbers, [fund for _, fund in parsed])
        if combined is None:
            raise ValueError("各项目的资金额合计为 0，无法按资金加权平均比率")
    else:
        combined = sum(numbers)
    return Value(
        ValueKind.QUANTITY,
        source=f"{first.comparator.value if first.comparator else ''}{format_number(combined)}{unit or ''}",
        comparator=first.comparator,
        numbers=(combined,),
        unit=unit,
        period=first.period,
    )


def roll_up_scores(
    points: Sequence[object], funds: Sequence[object], rules: RuleSet | None = None
) -> float | None:
    """Qualitative rows: the projects' scores averaged weighted by their fund amounts, rounded."""
    rules = resolve_rules(rules)
    average = weighted_average(points, funds)
    return None if average is None else excel_round(average, rules.decimals)
