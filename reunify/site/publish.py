"""A site is written whole or not at all: into a private folder beside `--out`, then
renamed into place. An existing folder is replaced only when it is an earlier site (it
holds the marker file) or empty; anything else is refused and left as it is."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from reunify.core.errors import ReunifyError
from reunify.core.files import DIR_MODE
from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic

MARKER = ".reunify-site"  # in every site's top folder: what may be replaced by the next


class NotASite(ReunifyError):
    """--out names something that is not a site written by reunify."""


def check_out(out: Path) -> Path:
    """The absolute folder to write the site to; refused unless it is missing, empty, or an earlier site."""
    target = Path(os.path.abspath(out))
    if target.is_symlink():
        raise NotASite(f"{out}: is a symbolic link; give a folder of its own")
    if not target.exists():
        return target
    if not target.is_dir():
        raise NotASite(f"{out}: is a file, not a folder; nothing was written")
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        raise NotASite(f"{out}: cannot be read ({(exc.strerror or 'error').lower()})") from None
    if not empty and not (target / MARKER).is_file():
        raise NotASite(f"{out}: holds files that are not a site written by reunify; give a new or empty folder "
                       "(nothing was written)")
    return target


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A private folder beside `target` to write the site into; renamed to `target` when
    the block ends without error, removed (and `target` left as it was) when it does not."""
    try:
        make_private_folder(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ReunifyError(f"{target}: the site cannot be written here "
                           f"({(exc.strerror or type(exc).__name__).lower()})") from None
    try:
        os.chmod(staging, DIR_MODE)
        yield staging
        write_atomic(staging / MARKER, b"A site written by reunify: 'reunify site --out' replaces it whole.\n")
        _fsync_folder(staging)
        _swap(staging, target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ReunifyError(f"{target}: the site could not be written "
                               f"({(exc.strerror or type(exc).__name__).lower()}); nothing was changed") from None
        raise


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is; an earlier site there is removed once the new one is in place."""
    if not target.exists():
        os.replace(staging, target)
        _fsync_folder(target.parent)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.replace(target, old / "site")
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(old / "site", target)
        shutil.rmtree(old, ignore_errors=True)
        raise
    _fsync_folder(target.parent)
    shutil.rmtree(old, ignore_errors=True)
