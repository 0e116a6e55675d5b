"""The header vocabulary: which labels name which column or field, read from ``vocabulary.yaml``.

Every reader that finds columns by their header text — the hand-made-layout reader of ``jixiao
check``, roll-forward (``new --from``) and the project-list reader (``new --projects``) — asks here,
so a new spelling is one line in the data file, not a change to three readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["ColumnRule", "Vocabulary", "vocabulary"]

DATA_FILE = "vocabulary.yaml"


@dataclass(frozen=True)
class ColumnRule:
    """One rule of a column vocabulary: a label it matches names the column ``role`` (None: not read)."""

    role: str | None
    equals: tuple[str, ...] = ()
    starts_with: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    def matches(self, key: str) -> bool:
        return (
            key in self.equals
            or key.startswith(self.starts_with)
            or any(part in key for part in self.contains)
        )


@dataclass(frozen=True)
class Vocabulary:
    indicator_columns: tuple[ColumnRule, ...]
    execution_columns: tuple[ColumnRule, ...]
    funds: tuple[tuple[str, str], ...]  # (label stem, Funds field), in the data file's order
    totals: tuple[str, ...]
    header_totals: tuple[str, ...]
    subtotals: tuple[str, ...]
    grades: tuple[str, ...]
    footers: tuple[str, ...]
    project_fields: dict[str, tuple[str, ...]]

    def indicator_role(self, key: str) -> str | None:
        """Which column of an indicator (or 共性指标) table a normalised header label names."""
        return _role(self.indicator_columns, key)

    def execution_role(self, key: str) -> str | None:
        """Which column of the 预算执行率 block a normalised header label names."""
        return _role(self.execution_columns, key)

    def field_of(self, fields: tuple[str, ...]) -> dict[str, str]:
        """Spelling → project field, for the project fields a reader knows."""
        return {spelling: field for field in fields for spelling in self.project_fields[field]}


def _role(rules: tuple[ColumnRule, ...], key: str) -> str | None:
    for rule in rules:
        if rule.matches(key):
            return rule.role
    return None


def _words(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{DATA_FILE}：{where} 应为非空文字的列表")
    return tuple(value)


def _rules(value: Any, where: str) -> tuple[ColumnRule, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{DATA_FILE}：{where} 应为规则的列表")
    rules = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict) or "role" not in item or set(item) - {"role", *_MATCHERS}:
            raise ValueError(f"{DATA_FILE}：{where} 第 {index} 条规则应有 role 和 {'、'.join(_MATCHERS)}")
        rules.append(
            ColumnRule(
                item["role"], *(_words(item.get(m), f"{where} 第 {index} 条的 {m}") for m in _MATCHERS)
            )
        )
    return tuple(rules)


_MATCHERS = ("equals", "starts_with", "contains")


def parse(data: dict[str, Any]) -> Vocabulary:
    """The vocabulary from the data file's mapping; raises ValueError naming what is wrong."""
    funds = data.get("funds")
    fields = data.get("project_fields")
    if not isinstance(funds, dict) or not isinstance(fields, dict):
        raise ValueError(f"{DATA_FILE}：funds 与 project_fields 应为映射")
    return Vocabulary(
        indicator_columns=_rules(data.get("indicator_columns"), "indicator_columns"),
        execution_columns=_rules(data.get("execution_columns"), "execution_columns"),
        funds=tuple((str(label), str(field)) for label, field in funds.items()),
        totals=_words(data.get("totals"), "totals"),
        header_totals=_words(data.get("header_totals"), "header_totals"),
        subtotals=_words(data.get("subtotals"), "subtotals"),
        grades=_words(data.get("grades"), "grades"),
        footers=_words(data.get("footers"), "footers"),
        project_fields={
            str(field): _words(words, f"project_fields.{field}") for field, words in fields.items()
        },
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary shipped with jixiao (read once)."""
    text = resources.files("jixiao.workbook").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse(yaml.safe_load(text))
