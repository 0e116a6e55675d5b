"""The configurable scoring rules (DOMAIN.md §2).

Defaults are the rules stated in seed 003's 备注 and the national form notes; every variant
seen in a deployed system is a field here, so a region's rules are data, not code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Direction = Literal["at_least", "at_most", "equal"]

DEFAULT_GRADE_BANDS: tuple[tuple[str, float], ...] = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", 0.0))

# How a value written without a comparator ("100%", "3000 册") is read, per 二级指标.
DEFAULT_BARE_READING: tuple[tuple[str, Direction], ...] = (("成本指标", "at_most"),)

_DIRECTIONS = ("at_least", "at_most", "equal")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """How indicators are scored. Immutable and hashable, so scores can be cached per rule set.

    reverse
        ``"ratio"``: 反向 score = w × A ÷ B (B ≤ A → w; B = 0 → w).
        ``"linear"``: B ≤ A → w; A < B < 2A → w × (1 − (B − A) ÷ A); B ≥ 2A → 0.
    qualitative_bands
        (achieved_floor, partial_floor) as fractions of the weight: 达成 [0.8w, w],
        部分达成 [0.5w, 0.8w], 未达成 [0, 0.5w]. Some regions use (0.8, 0.6).
    decimals
        digits every score is rounded to with Excel's ROUND (2, 1 and 0 are seen in real forms).
    execution_cap
        cap the 预算执行率 score at its weight (an overspent budget never scores above w).
    grade_bands
        (grade, lower bound) from best to worst; a total gets the first grade whose bound it reaches.
    bare_reading / bare_default
        how a value without a comparator is read, per 二级指标 name (成本指标 → at_most), and for
        every other category. A bare 0 ("0%" 事故率) is always read as at_most.
    zero_target
        反向 (or 等于) target of 0: ``"all_or_nothing"`` gives w when the actual is 0 (or less), else 0;
        ``"unscorable"`` leaves such rows to judgement.
    equal
        ``"at_least"``: "=8个" is scored like 正向 (the only written rule); ``"exact"``: w when equal, else 0.
    """

    reverse: Literal["ratio", "linear"] = "ratio"
    qualitative_bands: tuple[float, float] = (0.8, 0.5)
    decimals: int = 2
    execution_cap: bool = True
    grade_bands: tuple[tuple[str, float], ...] = DEFAULT_GRADE_BANDS
    bare_reading: tuple[tuple[str, Direction], ...] = DEFAULT_BARE_READING
    bare_default: Direction = "at_least"
    zero_target: Literal["all_or_nothing", "unscorable"] = "all_or_nothing"
    equal: Literal["at_least", "exact"] = "at_least"
    _bare_lookup: Mapping[str, Direction] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.reverse not in ("ratio", "linear"):
            raise ValueError(f"reverse（反向计分方式）只能是 ratio 或 linear，收到 {self.reverse!r}")
        bands = tuple(self.qualitative_bands)
        if len(bands) != 2 or not all(isinstance(b, (int, float)) for b in bands):
            raise ValueError(f"qualitative_bands（定性档位）需要两个比例，如 (0.8, 0.5)，收到 {bands!r}")
        achieved, partial = float(bands[0]), float(bands[1])
        if not 0 < partial < achieved < 1:
            raise ValueError(f"qualitative_bands 需满足 0 < 部分达成下限 < 达成下限 < 1，收到 {bands!r}")
        object.__setattr__(self, "qualitative_bands", (achieved, partial))
        if (
            isinstance(self.decimals, bool)
            or not isinstance(self.decimals, int)
            or not 0 <= self.decimals <= 6
        ):
            raise ValueError(f"decimals（得分小数位数）需要 0 到 6 的整数，收到 {self.decimals!r}")
        grades = tuple((str(name), float(bound)) for name, bound in self.grade_bands)
        if not grades:
            raise ValueError("grade_bands（等级划分）不能为空")
        bounds = [bound for _, bound in grades]
        if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
            raise ValueError(f"grade_bands 的分数线需从高到低排列且互不相同，收到 {self.grade_bands!r}")
        object.__setattr__(self, "grade_bands", grades)
        reading = tuple((str(name), direction) for name, direction in dict(self.bare_reading).items())
        for name, direction in reading:
            if direction not in _DIRECTIONS:
                raise ValueError(
                    f"bare_reading 中「{name}」的读法只能是 at_least、at_most 或 equal，收到 {direction!r}"
                )
        if self.bare_default not in _DIRECTIONS:
            raise ValueError(f"bare_default 只能是 at_least、at_most 或 equal，收到 {self.bare_default!r}")
        if self.zero_target not in ("all_or_nothing", "unscorable"):
            raise ValueError(f"zero_target 只能是 all_or_nothing 或 unscorable，收到 {self.zero_target!r}")
        if self.equal not in ("at_least", "exact"):
            raise ValueError(f"equal（等于指标计分）只能是 at_least 或 exact，收到 {self.equal!r}")
        object.__setattr__(self, "bare_reading", reading)
        object.__setattr__(self, "_bare_lookup", dict(reading))

    def bare_direction(self, category: str | None) -> Direction:
        """How a value without a comparator is read for this 二级指标 (e.g. 成本指标 → at_most)."""
        if category:
            name = category.strip()
            for key, direction in self._bare_lookup.items():
                # "成本指标（2分）" and "成本指标1" are the same category as "成本指标".
                if name.startswith(key):
                    return direction
        return self.bare_default

    def with_changes(self, **changes: Any) -> RuleSet:
        return replace(self, **changes)


DEFAULT_RULES = RuleSet()


def resolve_rules(rules: RuleSet | None) -> RuleSet:
    if rules is None:
        return DEFAULT_RULES
    if not isinstance(rules, RuleSet):
        raise ValueError(f"rules 需要一个 RuleSet（评分规则），收到的是 {type(rules).__name__}")
    return rules


def rules_json(rules: RuleSet) -> str:
    """The rule set as JSON text: what a generated workbook carries in its 评分规则 cell."""
    data = {
        "reverse": rules.reverse,
        "qualitative_bands": list(rules.qualitative_bands),
        "decimals": rules.decimals,
        "execution_cap": rules.execution_cap,
        "grade_bands": [list(band) for band in rules.grade_bands],
        "bare_reading": dict(rules.bare_reading),
        "bare_default": rules.bare_default,
        "zero_target": rules.zero_target,
        "equal": rules.equal,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def rules_from_json(text: str) -> RuleSet:
    """The rule set back from :func:`rules_json` text; missing fields take the defaults.

    Standard library only: LibreOffice's own Python (the Calc bridge) has nothing else.
    """
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("评分规则需要一个 JSON 对象")
    return RuleSet(
        reverse=data.get("reverse", "ratio"),
        qualitative_bands=tuple(data.get("qualitative_bands", (0.8, 0.5))),
        decimals=int(data.get("decimals", 2)),
        execution_cap=bool(data.get("execution_cap", True)),
        grade_bands=tuple((str(n), float(b)) for n, b in data.get("grade_bands", [])) or DEFAULT_GRADE_BANDS,
        bare_reading=tuple(dict(data.get("bare_reading", dict(DEFAULT_BARE_READING))).items()),
        bare_default=data.get("bare_default", "at_least"),
        zero_target=data.get("zero_target", "all_or_nothing"),
        equal=data.get("equal", "at_least"),
    )
