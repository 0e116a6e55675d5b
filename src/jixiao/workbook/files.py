"""Writing files safely: a temporary file beside the target, renamed into place; and file names
made from user text (unit and project names) that every file system accepts.

Every file jixiao writes goes through :func:`replace_atomically`, so all of them share what a
careful writer does: a reader never sees half a file; a failure leaves the target as it was; the
result gets the permissions any new file gets (0644 under the usual umask, not mkstemp's 0600); a
symbolic link is written through (the file it points to is updated, the link stays a link); and
the temporary file has a name that says whose it is (``.~jixiao-XXXXXXXX.tmp.xlsx``), so one left
by a killed run is removed by the next write into that folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["fit_file_name", "replace_atomically", "safe_file_name"]

#: The longest file name (in bytes, UTF-8) ext4, XFS, APFS and NTFS all accept.
MAX_NAME_BYTES = 255
TEMPORARY_PREFIX = ".~jixiao-"
#: A temporary file this old is not being written any more: its run was killed.
STALE_SECONDS = 30 * 60
# mkstemp's names: the prefix, 8 random characters, then our ".tmp" and the target's suffix.
_TEMPORARY = re.compile(r"\.~jixiao-[a-z0-9_]{8}\.tmp(\.[A-Za-z0-9]+)?")


def safe_file_name(text: str) -> str:
    """User text as a file name: characters Windows forbids become "_", at most 150 characters
    (a longer text ends in "…" and a digest of the whole, so two long names stay two names)."""
    cleaned = re.sub(r'[\\/:*?"<>|\r\n\t]+', "_", text).strip(" ._")
    if len(cleaned) > 150:
        cleaned = f"{cleaned[:141]}…{_digest(cleaned)}"
    return cleaned or "jixiao"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def fit_file_name(stem: str, suffix: str = "", *, limit: int = MAX_NAME_BYTES) -> str:
    """``stem + suffix`` in at most ``limit`` bytes of UTF-8: a longer stem is cut at a character
    and marked with "…" and a digest of the whole, so two long names stay two names."""
    if len((stem + suffix).encode("utf-8")) <= limit:
        return stem + suffix
    tail = f"…{_digest(stem)}{suffix}"
    budget = limit - len(tail.encode("utf-8"))
    return stem.encode("utf-8")[: max(budget, 0)].decode("utf-8", errors="ignore") + tail


def replace_atomically(
    write: Callable[[str], None],
    target: Path,
    *,
    mode_from: Path | None = None,
    overwrite: bool = True,
) -> None:
    """Call ``write(temporary_path)`` for a temporary file beside ``target``, then rename it into place.

    On any failure the temporary file is removed and ``target`` is untouched. The new file gets the
    permissions of ``mode_from`` when given, else those of any new file under the process's umask.
    A ``target`` that is a symbolic link is written through: the file it points to is replaced.
    Without ``overwrite``, a file that appeared at ``target`` meanwhile is kept and
    :class:`FileExistsError` raised.
    """
    target = Path(os.path.realpath(target)) if target.is_symlink() else target
    _remove_stale(target.parent)
    handle, temporary = tempfile.mkstemp(
        prefix=TEMPORARY_PREFIX, suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(handle)
    try:
        write(temporary)
        if mode_from is not None:
            shutil.copymode(mode_from, temporary)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        if overwrite:
            os.replace(temporary, target)
        else:
            _rename_no_clobber(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    # The only portable way to read the umask is to set it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_stale(folder: Path) -> None:
    """Remove jixiao temporary files a killed run left in ``folder`` (only ours, only old ones)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not _TEMPORARY.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_SECONDS:
                os.unlink(entry.path)


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
