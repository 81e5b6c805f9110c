"""Writing files safely: atomically, and readable by their owner only.

Case folders hold special category personal data about children, so everything the
tool creates (records, documents, pictures) is owner-only, and a write either happens
whole or not at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write `data` to `path` through a temporary file, fsync and rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and its parents) owner-only; leave an existing one as it is."""
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


class LockTimeout(Exception):
    """Another process held the lock for longer than the wait allowed."""


_held: dict[tuple[int, int], int] = {}


@contextlib.contextmanager
def folder_lock(folder: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (flock on the folder itself: no lock file to leave).

    Every recording command takes it for the whole read, check, write and commit, so two
    of them on one case never lose an entry. It is re-entrant within a process; the lock
    goes when the process does, even if killed.
    """
    fd = os.open(folder, os.O_RDONLY)
    stat = os.fstat(fd)
    key = (stat.st_dev, stat.st_ino)
    if key in _held:
        os.close(fd)
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        waited_until = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > waited_until:
                    raise LockTimeout(folder) from None
                time.sleep(0.01)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)
