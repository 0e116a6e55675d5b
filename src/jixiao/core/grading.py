"""优 / 良 / 中 / 差 from a total score."""

from __future__ import annotations

from jixiao.core.rules import RuleSet, resolve_rules
from jixiao.core.scoring import to_number


def grade(total: object, rules: RuleSet | None = None) -> str:
    """The grade whose lower bound the total reaches (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below, by default)."""
    rules = resolve_rules(rules)
    score = to_number(total, "总分")
    if score is None:
        raise ValueError("总分为空白，无法评定等级")
    for name, bound in rules.grade_bands:
        if score >= bound:
            return name
    return rules.grade_bands[-1][0]
