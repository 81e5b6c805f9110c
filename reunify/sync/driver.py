"""The merge driver git runs for record files, and setting it up in a caseload.

`.gitattributes` (written by `reunify init`, or `reunify share` for a caseload that
exists) names the record files; git's configuration of the clone says what runs for
them: ``reunify merge-driver %O %A %B %P``. Git runs it for a record file changed on
both sides of a merge (``git pull``, ``git merge``); it writes the merge to the %A file
and exits 0, or leaves git's usual conflict markers there, says which record and field
clash, and exits 1. Anything that is not a record, or not YAML, is merged line by line
as git would. `reunify sync` merges the same way in memory and needs neither.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from pathlib import PurePosixPath

from reunify.core.errors import ReunifyError
from reunify.core.files import FILE_MODE
from reunify.core.files import read_regular
from reunify.core.files import write_atomic
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.core.yamlio import MAX_BYTES
from reunify.core.yamlio import Locator
from reunify.records.family import FAMILY_FILE
from reunify.records.models import FILE_MODELS
from reunify.sync.merge import merge_record

DRIVER = "reunify"
ATTRIBUTES_FILE = ".gitattributes"
ATTRIBUTES_HEADER = ("# Case records are merged by meaning, entry by entry, when two people record on one case\n"
                     "# ('reunify share' sets this up in a clone; 'reunify sync' merges this way itself).\n")


def attribute_lines() -> list[str]:
    return [f"{name} merge={DRIVER}" for name in (*FILE_MODELS, FAMILY_FILE)]


def driver_command() -> str:
    """What git runs: this Python, so that the driver is the reunify that set it up."""
    return f"{shlex.quote(sys.executable)} -m reunify merge-driver %O %A %B %P"


def attributes_text(existing: str) -> str | None:
    """`.gitattributes` with every record file's line added; None when none was missing."""
    have = {line.strip() for line in existing.splitlines()}
    missing = [line for line in attribute_lines() if line not in have]
    if not missing:
        return None
    text = existing if not existing or existing.endswith("\n") else existing + "\n"
    return text + ("\n" if text else "") + ATTRIBUTES_HEADER + "".join(f"{line}\n" for line in missing)


def write_attributes(root: Path) -> bool:
    """Add the record files' lines to the caseload's `.gitattributes`; whether it changed."""
    path = root / ATTRIBUTES_FILE
    existing = read_regular(path, MAX_BYTES).decode("utf-8", errors="replace") if path.exists() else ""
    text = attributes_text(existing)
    if text is None:
        return False
    mode = path.stat().st_mode & 0o777 if path.exists() else FILE_MODE
    write_atomic(path, text.encode("utf-8"), mode)
    return True


def configure(root: Path) -> None:
    """Set the driver in the clone's own git configuration (it is not shared by cloning)."""
    for key, value in (("merge.reunify.name", "case records merged by meaning (reunify)"),
                       ("merge.reunify.driver", driver_command())):
        done = subprocess.run(["git", "-C", str(root), "config", key, value], capture_output=True, check=False,
                              timeout=30, env=dict(os.environ, GIT_TERMINAL_PROMPT="0"))
        if done.returncode:
            raise ReunifyError(f"{root}: cannot set up the merge driver in git's configuration")


# -- the driver ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DriverResult:
    merged: bool
    clashes: list[Problem]


def _read(path: Path) -> bytes:
    try:
        return read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise ReunifyError(f"{path}: cannot read a version to merge ({(exc.strerror or 'error').lower()})") from None
    except ReunifyError as exc:  # a link, a pipe, a file too large
        raise ReunifyError(f"{path}: cannot read a version to merge ({str(exc).removeprefix(f'{path}: ')})") from None


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _as_text(base: Path, ours: Path, theirs: Path) -> bool:
    """Git's own line-by-line merge into `ours`, with conflict markers: whether it merged."""
    done = subprocess.run(["git", "merge-file", "-L", "here", "-L", "base", "-L", "the other version",
                           str(ours), str(base), str(theirs)], capture_output=True, check=False, timeout=60)
    return done.returncode == 0


def run_driver(base: Path, ours: Path, theirs: Path, shown: str | None) -> DriverResult:
    """Merge `theirs` into `ours` (rewritten in place) against `base`, as git asks."""
    name = PurePosixPath(shown).name if shown else ours.name
    texts = [_decode(_read(path)) for path in (base, ours, theirs)]
    raw_ours = _read(ours)
    if (name in FILE_MODELS or name == FAMILY_FILE) and None not in texts:
        before, mine, yours = texts
        assert mine is not None and yours is not None
        record = merge_record(name, before or None, mine, yours)
        if record.text is not None:
            merged = record.text.encode("utf-8")
            if raw_ours.startswith(b"\xef\xbb\xbf"):
                merged = b"\xef\xbb\xbf" + merged
            write_atomic(ours, merged, ours.stat().st_mode & 0o777)
            return DriverResult(True, [])
        if record.clashes:
            locator = Locator()  # the lines of the clashing fields in this side's version
            clashes = [locator.locate(Problem(ours, clash.path, clash.message("in the other version"),
                                              Severity.ERROR, code="merge")) for clash in record.clashes]
            _as_text(base, ours, theirs)
            where = Path(shown) if shown else ours
            return DriverResult(False, [Problem(where, c.path, c.message, c.severity, code=c.code,
                                                line=c.line, column=c.column) for c in clashes])
    return DriverResult(_as_text(base, ours, theirs), [])
