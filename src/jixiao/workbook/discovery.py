"""Finding the workbooks a command was given: files as named, folders searched."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SUFFIXES", "collect"]

SUFFIXES = (".xlsx", ".xlsm")


def collect(paths: tuple[Path, ...], exclude: Path | None = None) -> list[Path]:
    """The files to read: files as given, directories searched for .xlsx / .xlsm (lock files skipped)."""
    found: list[Path] = []
    skip = exclude.resolve() if exclude is not None else None
    for path in paths:
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")) and p.is_file()
            )
        else:
            candidates = [path]
        found += [p for p in candidates if skip is None or p.resolve() != skip]
    return list(dict.fromkeys(found))
