"""Checking many files: worker processes on all cores, each file sandboxed.

A worker limits its own address space (``RLIMIT_AS``) and arms a timer per file, so a file that
explodes in memory or time becomes an unreadable finding and the worker carries on. Should a worker
die anyway (killed by the kernel, a crash in C code), the files it may have been holding are retried
one at a time, so only the culprit is blamed; a worker stuck past the timer (in C code that never
returns to Python) is killed by the parent. One file never stops the batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import time
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from jixiao.check.findings import unreadable
from jixiao.check.read import FileResult, check_path, describe_error
from jixiao.rubric import builtin_rubrics

try:  # POSIX only; on Windows the parent's watchdog is the only bound on a file
    import resource
except ImportError:  # pragma: no cover - exercised on Windows
    resource = None  # type: ignore[assignment]
_TIMER = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")


@dataclass(frozen=True)
class Limits:
    timeout: float = 60.0  # seconds per file
    memory_mb: int = 1536  # address space a worker may add on top of what it started with
    grace: float = 20.0  # after timeout + grace the parent kills a worker that did not answer


class _Timeout(BaseException):
    """Raised by the per-file timer; a BaseException so no ``except Exception`` swallows it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _address_space() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _init_worker(memory_mb: int) -> None:
    # Ctrl-C is the parent's to handle; a worker interrupted mid-file would only print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _TIMER:
        signal.signal(signal.SIGALRM, _on_alarm)
    current = _address_space()
    if resource is not None and current is not None and memory_mb > 0:
        limit = current + memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _work(path: str, rubric: str | None, keep_grids: bool, timeout: float) -> FileResult:
    """One file inside a worker: bounded in time by SIGALRM, in memory by RLIMIT_AS."""
    started = time.perf_counter()
    try:
        if _TIMER:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = check_path(Path(path), rubric=rubric, keep_grids=keep_grids)
        finally:
            if _TIMER:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:
        result = FileResult(path, [unreadable(path, f"处理超时（超过 {timeout:g} 秒），已跳过")])
    except MemoryError as error:
        result = FileResult(path, [unreadable(path, describe_error(error))])
    result.seconds = time.perf_counter() - started
    return result


def _context() -> multiprocessing.context.BaseContext:
    # fork: workers start in milliseconds with jixiao already imported.
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class PackedPaths(Sequence[str]):
    """Many file names in one string (and one array of offsets): tens of thousands of paths cost
    the parent — and every worker forked from it, which shares its pages — one block of memory
    instead of one small object each."""

    def __init__(self, paths: Iterable[Path | str]) -> None:
        self._index(_joined(paths))

    @classmethod
    def from_joined(cls, text: str) -> PackedPaths:
        """Paths already joined by ``\\0`` (as a child process sends them)."""
        packed = cls.__new__(cls)
        packed._index(text)
        return packed

    def _index(self, text: str) -> None:
        self._text = text
        self._starts = array("q")
        position = 0
        while self._text:
            self._starts.append(position)
            position = self._text.find("\0", position) + 1
            if not position:
                break
        self._starts.append(len(self._text) + 1)

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._text[self._starts[index] : self._starts[index + 1] - 1]


def _joined(paths: Iterable[Path | str]) -> str:
    return "\0".join(map(str, paths))


def _listed(find: Callable[[], Iterable[Path | str]]) -> str:
    return _joined(find())


def find_files(find: Callable[[], Iterable[Path | str]]) -> PackedPaths:
    """``find()``'s paths, packed. Where workers are forked, ``find`` runs in a short-lived child:
    walking a folder of 20,000 files creates (and frees) 15 MB of small objects, and what the
    allocator keeps of them would stay in the parent — and in every worker forked from it."""
    if _context().get_start_method() != "fork":
        return PackedPaths(find())
    with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
        return PackedPaths.from_joined(pool.submit(_listed, find).result())


def release_free_memory() -> None:
    """Hand memory freed so far back to the system (glibc only), so that workers forked next do not
    start with the parent's garbage: listing 20,000 files leaves 12 MB of it behind."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _kill(pool: ProcessPoolExecutor) -> None:
    # _processes is private, but the only handle on a worker stuck in C code.
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, AttributeError):
            process.kill()


def run_batch(
    paths: Sequence[Path | str],
    *,
    jobs: int | None = None,
    rubric: str | None = None,
    limits: Limits = Limits(),
    keep_grids: Callable[[int], bool] = lambda index: False,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Check ``paths`` in worker processes; results in the order of ``paths``."""
    return list(
        iter_batch(paths, jobs=jobs, rubric=rubric, limits=limits, keep_grids=keep_grids, on_result=on_result)
    )


def iter_batch(
    paths: Sequence[Path | str],
    *,
    jobs: int | None = None,
    rubric: str | None = None,
    limits: Limits = Limits(),
    keep_grids: Callable[[int], bool] = lambda index: False,
    on_result: Callable[[FileResult], None] | None = None,
    window: int | None = None,
) -> Iterator[FileResult]:
    """Check ``paths`` in worker processes, yielding each result as soon as it and every result
    before it are done — in the order of ``paths``, so a report can be written while the batch runs
    and nobody has to keep the results.

    ``on_result`` sees each result as it finishes (in any order: a progress bar). At most ``window``
    files (default 32 per worker) are started beyond the first one not yet yielded, so a slow file
    holds back a bounded number of finished results, not the rest of the batch.
    """
    count = len(paths)
    if count == 0:
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, count))
    window = max(window or 32 * workers, workers)
    # Parsed once here, before the workers fork, instead of once in every worker. Should a built-in
    # rubric not load, each worker meets the same error and reports its file unreadable, as before.
    with contextlib.suppress(Exception):
        builtin_rubrics()
    ready: dict[int, FileResult] = {}  # finished, waiting for an earlier file
    next_out = 0  # the first index not yet yielded
    pending: deque[int] = deque(range(count))
    attempts: Counter[int] = Counter()  # times a file was in flight when a worker died
    in_flight: dict[Future[FileResult], tuple[int, float]] = {}
    pool: ProcessPoolExecutor | None = None

    def finish(index: int, result: FileResult) -> None:
        ready[index] = result
        if on_result is not None:
            on_result(result)

    def fail(index: int, reason: str) -> None:
        finish(index, FileResult(str(paths[index]), [unreadable(str(paths[index]), reason)]))

    release_free_memory()
    try:
        while pending or in_flight:
            if pool is None:
                pool = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=_context(),
                    initializer=_init_worker,
                    initargs=(limits.memory_mb,),
                )
            # Keep at most one file per worker in flight, so a file's start time is known. A file
            # suspected of killing a worker runs alone.
            while pending and len(in_flight) < workers and pending[0] < next_out + window:
                index = pending[0]
                if attempts[index] and in_flight:
                    break
                pending.popleft()
                future = pool.submit(_work, str(paths[index]), rubric, keep_grids(index), limits.timeout)
                in_flight[future] = (index, time.monotonic())
                if attempts[index]:
                    break
            done, _ = wait(list(in_flight), timeout=1.0, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                index, _ = in_flight.pop(future)
                try:
                    finish(index, future.result())
                except BrokenProcessPool:
                    broken = True
                    attempts[index] += 1
                    if attempts[index] >= 2:
                        fail(
                            index, "处理该文件时工作进程异常退出（可能内存超限或文件触发了程序崩溃），已跳过"
                        )
                    else:
                        pending.appendleft(index)
                except Exception as error:  # a result that could not be sent back, for instance
                    fail(index, describe_error(error))
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
            now = time.monotonic()
            stuck = [
                f for f, (_, started) in in_flight.items() if now - started > limits.timeout + limits.grace
            ]
            if not (broken or stuck):
                continue
            for future in stuck:
                index, _ = in_flight.pop(future)
                fail(index, f"处理超时（超过 {limits.timeout:g} 秒且无法中断），已跳过")
            for _, (index, _) in in_flight.items():
                # Lost with the pool: run again; after a crash each of them is a suspect.
                if broken:
                    attempts[index] += 1
                pending.appendleft(index)
            # Retried files go back in path order (appendleft above reversed them).
            pending = deque(sorted(pending))
            in_flight.clear()
            _kill(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
    finally:
        if pool is not None:
            if in_flight:
                _kill(pool)
            pool.shutdown(wait=True, cancel_futures=True)
