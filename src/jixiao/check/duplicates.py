"""The same form read twice: a form beside its 「（已计算）」 copy made by ``jixiao recalc``, or one
file copied into two folders. ``jixiao check`` and ``jixiao summary`` both count such a form once.

Two forms are the same when they name the same unit and the same year, and the same project name or
the same project code (compared without spaces and full-width forms). A form that does not say its
unit or its year is never taken for another (two units' 「其他支出」 projects are different forms),
nor is one whose title names no project (「Sheet1」, 「2020年度项目支出绩效自评表」).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

_SPACES = re.compile(r"\s+")
_GENERIC_TITLE = re.compile(r"自评表|目标表|评价表|^(?:sheet|工作表|表)\d*$")


@dataclass(frozen=True, slots=True)
class FormIdentity:
    """Whose form it is, as a form says it (FilledForm and FormSummary both carry these)."""

    unit: str
    year: int | None
    title: str
    code: str = ""


def _key(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def identity_of(form: object) -> FormIdentity:
    """The identity of a :class:`FilledForm` or :class:`FormSummary` (anything with these fields)."""
    title = getattr(form, "title", "") or ""
    if _GENERIC_TITLE.search(_key(title)):
        # A form without a project name is titled after its sheet or its heading ("Sheet1",
        # "2020年度项目支出绩效自评表"): that names no project.
        title = ""
    return FormIdentity(
        getattr(form, "unit", "") or "", getattr(form, "year", None), title, getattr(form, "code", "") or ""
    )


def find_duplicates(forms: Sequence[FormIdentity]) -> dict[int, int]:
    """Index of each form that repeats an earlier one → index of the first form it repeats."""
    first_by_name: dict[tuple[str, int, str], int] = {}
    first_by_code: dict[tuple[str, int, str], int] = {}
    repeats: dict[int, int] = {}
    for index, form in enumerate(forms):
        unit = _key(form.unit)
        if not unit or form.year is None:
            continue
        keys = []
        if _key(form.title):
            keys.append((first_by_name, (unit, form.year, _key(form.title))))
        if _key(form.code):
            keys.append((first_by_code, (unit, form.year, _key(form.code))))
        earlier = [table[key] for table, key in keys if key in table]
        if earlier:
            repeats[index] = min(earlier)
            continue
        for table, key in keys:
            table[key] = index
    return repeats


def duplicate_note(first: str, again: str) -> str:
    """The note a report shows for a repeated form (``first`` and ``again`` say file and sheet)."""
    return f"「{again}」与「{first}」是同一张表（单位、年度、项目相同），只计一次"


def where(form: object) -> str:
    """「file · sheet」 of a form, as notes name it."""
    return f"{getattr(form, 'file', '')} · {getattr(form, 'sheet', '')}"


class DuplicateMarker:
    """:func:`mark_duplicates` one result at a time, for a check that streams its results.

    Remembers, per form seen, only its normalised keys and 「file · sheet」, so that memory grows by
    a few short strings per form however many files are checked; a result's repeated forms are
    marked (``duplicate_of`` and a note) as it arrives, exactly as the whole batch marks them.
    """

    def __init__(self) -> None:
        self._by_name: dict[tuple[str, int, str], tuple[int, str]] = {}
        self._by_code: dict[tuple[str, int, str], tuple[int, str]] = {}
        self._seen = 0
        self.repeats = 0

    def add(self, result: Any) -> None:
        for i, form in enumerate(result.forms):
            index, self._seen = self._seen, self._seen + 1
            identity = identity_of(form)
            unit = _key(identity.unit)
            if not unit or identity.year is None:
                continue
            keys = []
            if _key(identity.title):
                keys.append((self._by_name, (unit, identity.year, _key(identity.title))))
            if _key(identity.code):
                keys.append((self._by_code, (unit, identity.year, _key(identity.code))))
            earlier = [table[key] for table, key in keys if key in table]
            if earlier:
                kept = min(earlier)[1]  # the first form it repeats, as find_duplicates picks it
                result.forms[i] = replace(form, duplicate_of=kept)
                result.notes.append(duplicate_note(kept, where(form)))
                self.repeats += 1
                continue
            for table, key in keys:
                table[key] = (index, where(form))


def mark_duplicates(results: Sequence[Any]) -> int:
    """Mark every checked form that repeats an earlier one, in files checked together.

    ``results`` are :class:`jixiao.check.read.FileResult` (anything with ``forms`` and ``notes``
    lists): a repeated :class:`FormSummary` gets ``duplicate_of`` and its file a note naming both
    files. Returns how many forms repeat another.
    """
    entries = [(result, i, form) for result in results for i, form in enumerate(result.forms)]
    repeats = find_duplicates([identity_of(form) for _, _, form in entries])
    for index, first in sorted(repeats.items()):
        result, i, form = entries[index]
        kept = where(entries[first][2])
        result.forms[i] = replace(form, duplicate_of=kept)
        result.notes.append(duplicate_note(kept, where(form)))
    return len(repeats)
