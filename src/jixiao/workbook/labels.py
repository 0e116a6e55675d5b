"""A label cell's text as one line (no Excel library: the form records and the roll-up use it)."""

from __future__ import annotations

import re

# Han characters and full-width punctuation: no space between them when a wrapped label is joined.
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def one_line(text: str) -> str:
    """A label as one line: a narrow cell's wrapping ("经济\n效益\n指标") is layout, not words, so
    the lines are joined without a space next to a Han character and with one space elsewhere."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return text.strip()
    joined = lines[0]
    for line in lines[1:]:
        wide = _WIDE.match(joined[-1]) or _WIDE.match(line[0])
        joined += ("" if wide else " ") + line
    return joined
