"""Shared fixtures. ``calc``: one headless LibreOffice for the whole test session.

LibreOffice is optional on developer machines (tests skip with the reason), but CI installs it, so
there (CI=true) its absence is a failure instead of a silent skip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from jixiao.libreoffice import Calc, LibreOfficeUnavailable, find_soffice, uno_python


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"LibreOffice is required when CI=true: {reason}", pytrace=False)
    pytest.skip(f"LibreOffice not available: {reason}")


def started_calc(**options: object) -> Calc:
    """A started :class:`Calc`; skips (or fails under CI) when LibreOffice is not available."""
    if find_soffice() is None:
        _unavailable("no soffice executable (apt-get install libreoffice-calc-nogui)")
    if uno_python() is None:
        _unavailable("no Python that can `import uno` (apt-get install python3-uno)")
    instance = Calc(**options)  # type: ignore[arg-type]
    try:
        instance.start()
    except LibreOfficeUnavailable as exc:
        _unavailable(str(exc))
    return instance


@pytest.fixture(scope="session")
def start_calc() -> Callable[..., Calc]:
    """Start a :class:`Calc` with options (e.g. ``prepare_profile``); the caller closes it."""
    return started_calc


@pytest.fixture(scope="session")
def calc() -> Iterator[Calc]:
    """A started :class:`Calc` shared by the session; skips (or fails under CI) without LibreOffice."""
    instance = started_calc()
    try:
        yield instance
    finally:
        instance.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``kit`` build wheels and download from PyPI: run them after everything else."""
    items.sort(key=lambda item: item.get_closest_marker("kit") is not None)
