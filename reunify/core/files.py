"""Writing files safely: atomically, and readable by their owner only.

Case folders hold special category personal data about children, so everything the
tool creates (records, documents, pictures) is owner-only, and a write either happens
whole or not at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import stat
import tempfile
import time
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Generic
from typing import TypeVar

from reunify.core.errors import ReunifyError

T = TypeVar("T")

FILE_MODE = 0o600
DIR_MODE = 0o700


# Temporary files are named so that a leftover one (from a process killed outright) is
# known for what it is: `.chronology.yaml.reunify-k3j2x9.tmp`. init's .gitignore lists
# the pattern; `check` notes one, and the next recording on the case removes it.
TEMPORARY_PREFIX = ".reunify-"
TEMPORARY_GLOB = ".*.reunify-*.tmp"


class UnsafeFile(ReunifyError):
    """A record path that is not a regular file of its own (a link, pipe, device or folder),
    or one that is read-only: it is never read through, written through or replaced."""


def _kind(mode: int) -> str | None:
    """What is wrong with a file of this mode for a record, or None."""
    if stat.S_ISLNK(mode):
        return "is a symbolic link, not a file of its own"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is a pipe, device or socket, not a regular file"
    return None


def refuse_unsafe_target(path: Path) -> None:
    """Refuse to write over anything but a writable regular file (or nothing)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    wrong = _kind(info.st_mode)
    if wrong is not None:
        raise UnsafeFile(f"{path}: {wrong}; nothing was written")
    if not info.st_mode & stat.S_IWUSR:
        raise UnsafeFile(f"{path}: is read-only; nothing was written (make it writable to record into it)")


class TooLarge(ReunifyError):
    """A file larger than the limit for its kind."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, never through a link and never more than `limit`.

    A pipe or device is refused before it is opened for long (a FIFO would block, and
    /dev/zero never ends); a link is refused, wherever it points.
    """
    wrong = _kind(os.lstat(path).st_mode)
    if wrong is not None:
        raise UnsafeFile(f"{path}: {wrong}")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        wrong = _kind(info.st_mode)
        if wrong is not None:  # it changed between the look and the open
            raise UnsafeFile(f"{path}: {wrong}")
        if info.st_size > limit:
            raise TooLarge(f"{path}: larger than {limit // 1024 // 1024} MB")
        chunks = []
        remaining = limit + 1
        while remaining > 0 and (chunk := os.read(fd, min(remaining, 1 << 20))):
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise TooLarge(f"{path}: larger than {limit // 1024 // 1024} MB")
        return data
    finally:
        os.close(fd)


_HELD = {getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back the signals that stop a command for a moment that must not be cut."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Write `data` to `path` through a temporary file, fsync and rename.

    Only a regular, writable file is ever replaced (see `refuse_unsafe_target`). The temporary
    file is removed on any exception, and on SIGTERM and SIGHUP too, which the command
    line turns into one.
    """
    refuse_unsafe_target(path)
    tmp: str | None = None
    try:
        with _signals_held():  # so that the name is known the moment the file exists
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{TEMPORARY_PREFIX}", suffix=".tmp")
    except OSError as exc:  # say which file could not be written, not the temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
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


def leftover_temporaries(folder: Path) -> list[Path]:
    """Temporary files a killed writer left in `folder`."""
    try:
        return sorted(p for p in folder.glob(TEMPORARY_GLOB) if p.is_file() and not p.is_symlink())
    except OSError:
        return []


def remove_leftover_temporaries(folder: Path) -> None:
    """Remove what a killed writer left; call it holding the folder's lock."""
    for leftover in leftover_temporaries(folder):
        with contextlib.suppress(OSError):
            leftover.unlink()


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and any parents it needs) owner-only, whatever the umask; leave an
    existing folder as it is."""
    missing = []
    here = Path(os.path.abspath(folder))
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=DIR_MODE)
            os.chmod(created, DIR_MODE)  # mkdir's mode is filtered by the umask


class LockTimeout(Exception):
    """Another process held the lock for longer than the wait allowed."""


_held: dict[tuple[int, int], int] = {}


def _wait_for_lock(fd: int, timeout: float, what: Path) -> None:
    """flock `fd` exclusively, waiting up to `timeout` seconds; `LockTimeout` after that."""
    waited_until = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > waited_until:
                raise LockTimeout(what) from None
            time.sleep(0.01)


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created owner-only if missing), such as
    one lock for every commit to a git repository. It goes when the process does."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, FILE_MODE)
    try:
        _wait_for_lock(fd, timeout, path)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def folder_lock(folder: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (flock on the folder itself: no lock file to leave).

    Every recording command takes it for the whole read, check, write and commit, so two
    of them on one case never lose an entry. It is re-entrant within a process; the lock
    goes when the process does, even if killed.
    """
    fd = os.open(folder, os.O_RDONLY)
    info = os.fstat(fd)
    key = (info.st_dev, info.st_ino)
    if key in _held:
        os.close(fd)
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        _wait_for_lock(fd, timeout, folder)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)


class FileCache(Generic[T]):
    """What `make` made of each file, kept for this process while the file is unchanged
    (the same size and modification time); a changed file is made again."""

    def __init__(self, make: Callable[[Path], T]) -> None:
        self._make = make
        self._held: dict[Path, tuple[tuple[int, int], T]] = {}

    def get(self, path: Path) -> T:
        """Raises OSError when the file cannot be looked at."""
        where = path.resolve()
        info = where.stat()
        version = (info.st_mtime_ns, info.st_size)
        held = self._held.get(where)
        if held is None or held[0] != version:
            held = self._held[where] = (version, self._make(path))
        return held[1]
