"""Writing files safely: a temporary file beside the target, renamed into place; and file names
made from user text (unit and project names) that every file system accepts."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["replace_atomically", "safe_file_name"]


def safe_file_name(text: str) -> str:
    """User text as a file name: characters Windows forbids become "_", at most 150 characters."""
    cleaned = re.sub(r'[\\/:*?"<>|\r\n\t]+', "_", text).strip(" ._")
    return cleaned[:150] or "jixiao"


def replace_atomically(
    write: Callable[[str], None],
    target: Path,
    *,
    mode_from: Path | None = None,
    overwrite: bool = True,
) -> None:
    """Call ``write(temporary_path)`` for a temporary file beside ``target``, then rename it into place.

    On any failure the temporary file is removed and ``target`` is untouched. ``mode_from`` gives the
    permissions to copy (mkstemp's 0600 would otherwise make the output private). Without
    ``overwrite``, a file that appeared at ``target`` meanwhile is kept and :class:`FileExistsError`
    raised.
    """
    handle, temporary = tempfile.mkstemp(
        prefix=".jixiao-", suffix=target.suffix or ".xlsx", dir=target.parent
    )
    os.close(handle)
    try:
        write(temporary)
        if mode_from is not None:
            shutil.copymode(mode_from, temporary)
        if overwrite:
            os.replace(temporary, target)
        else:
            _rename_no_clobber(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rename_no_clobber(temporary: str, target: Path) -> None:
    """Move into place unless a file appeared there meanwhile (a hard link fails if it exists)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise FileExistsError(f"{target} 已存在；如确需覆盖，请加 --overwrite") from None
    except OSError:
        # File systems without hard links: the existence check before writing is the best we have.
        if target.exists():
            raise FileExistsError(f"{target} 已存在；如确需覆盖，请加 --overwrite") from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)
