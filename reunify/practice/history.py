"""The audit trail read back from git: `history` (who recorded what and when, from
``git log`` of the case folder), `uncommitted` (the case's files that differ from the
last commit), and `changed_by_hand` (each decision and risk classification recorded
through reunify compared with what the working copy says now, for `reunify check`).
Every git call goes through `reunify.practice.audit`'s runner, with its time limit.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from pathlib import PurePosixPath
from typing import Any

from reunify.core.files import TEMPORARY_GLOB
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.core.yamlio import MAX_BYTES
from reunify.core.yamlio import load_file
from reunify.core.yamlio import load_text
from reunify.practice.audit import ACTION_TRAILER
from reunify.practice.audit import AUDITED
from reunify.practice.audit import BY_TRAILER
from reunify.practice.audit import SYNC_ACTION
from reunify.practice.audit import Change
from reunify.practice.audit import GitError
from reunify.practice.audit import NoRepository
from reunify.practice.audit import _first_line
from reunify.practice.audit import _may_be_in_git
from reunify.practice.audit import _relative
from reunify.practice.audit import _run
from reunify.practice.audit import _text
from reunify.practice.audit import work_tree

# Later commands that change only their own fields of a recorded entry, like a confirmation:
# 'classify RC1 for-child' adds or changes what the child is told.
AMENDS = {("classify", "for-child"): ("for_child",)}

# One record per commit: fields apart by US, records apart by RS; trailers unfolded.
_FORMAT = "%x1e%H%x1f%h%x1f%aI%x1f%an%x1f%s%x1f%(trailers:only,unfold)"
# Output settings a user's configuration could otherwise change under our parsing.
_LOG = ("-c", "log.showSignature=false", "--literal-pathspecs", "log", "--no-color", "--encoding=UTF-8",
        f"--format={_FORMAT}")


# -- reading the history ---------------------------------------------------------------


def _trailers(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _log(root: Path, *args: str) -> list[Change]:
    result = _run(root, *_LOG, *args)
    if result.returncode:
        reason = _first_line(result)
        if "does not have any commits" in reason:
            return []
        raise GitError(reason)
    changes = []
    for record in _text(result.stdout).split("\x1e")[1:]:
        parts = record.split("\x1f")
        if len(parts) < 6:
            continue
        commit, short, date, author, subject, trailer_text = parts[:6]
        trailers = _trailers(trailer_text)
        changes.append(Change(commit, short, date, author, subject,
                              trailers.get(ACTION_TRAILER.lower()) or None, trailers.get(BY_TRAILER.lower()) or None))
    return changes


def history(case: Path) -> list[Change]:
    """Every commit that touched the case folder, newest first; for a child of a sibling
    group, the family's own files too (what the children share)."""
    from reunify.records.family import family_of

    root = work_tree(case)
    family = family_of(case)
    shared = sorted(p for p in family.iterdir() if p.is_file()) if family is not None else []
    changes = _log(root, "--", _relative(case, root), *(_relative(p, root) for p in shared))
    # A merge `reunify sync` made holds only what the commits it joins recorded, each shown.
    return [change for change in changes if change.action != SYNC_ACTION]


def uncommitted(case: Path) -> list[str]:
    """The case's files that differ from the last commit (or are not in git), by name."""
    root = work_tree(case)
    folder = _relative(case, root)
    result = _run(root, "--literal-pathspecs", "status", "--porcelain=v1", "-z", "--untracked-files=all",
                  "--", folder)
    if result.returncode:
        raise GitError(_first_line(result))
    names: list[str] = []
    items = iter(_text(result.stdout).split("\0"))
    for item in items:
        if len(item) < 4:
            continue
        status, path = item[:2], item[3:]
        if "R" in status or "C" in status:
            next(items, None)  # the name it had before
        if fnmatch.fnmatch(PurePosixPath(path).name, TEMPORARY_GLOB):
            continue  # a killed writer's leftover, not a record
        names.append(path if folder == "." else str(PurePosixPath(path).relative_to(folder)))
    return sorted(names)


# -- decisions and classifications changed by hand -------------------------------------


def _plain(value: Any) -> Any:
    """A value as compared: scalars as they are, a list of scalars as a tuple."""
    if isinstance(value, float):
        return repr(value)  # .nan is never equal to itself
    if value is None or isinstance(value, str | int | dt.date):
        return value
    if isinstance(value, list):
        return tuple(_plain(item) if not isinstance(item, list | dict) else "<nested>" for item in value)
    return "<nested>"  # never in a valid entry; not walked, so an alias nest costs nothing


def _entries(data: Any, key: str) -> dict[str, tuple[int, dict[str, Any]]]:
    """The entries of the list under `key` by id, with their position (the first of an id)."""
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    items = data.get(key) if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in found:
            found[item["id"]] = (index, {str(k): _plain(v) for k, v in item.items()})
    return found


def _parse(blob: bytes, path: Path) -> Any:
    """A committed version of a record file, or None when it cannot be read.

    A broken old version is simply not compared.
    """
    if len(blob) > MAX_BYTES:
        return None
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    loaded = load_text(text, path)
    return loaded.data if loaded.ok else None


def _blobs(root: Path, names: list[str]) -> dict[str, bytes | None]:
    """The content of each 'commit:path' (None where the file is not in that commit)."""
    result = _run(root, "cat-file", "--batch", stdin=batch_request(names))
    if result.returncode:
        raise GitError(_first_line(result))
    return batch_blobs(result.stdout, names)


def batch_request(names: Sequence[str]) -> bytes:
    """What `git cat-file --batch` reads: one object name a line."""
    return "".join(f"{name}\n" for name in names).encode("utf-8")


def batch_blobs(out: bytes, names: Sequence[str]) -> dict[str, bytes | None]:
    """`git cat-file --batch` output read back: each name's blob (None where missing or
    not a blob)."""
    position = 0
    found: dict[str, bytes | None] = {}
    for name in names:
        end = out.index(b"\n", position)
        header = out[position:end]
        position = end + 1
        found[name] = None
        if header.endswith((b" missing", b" ambiguous")):
            continue
        _, kind, size = header.split(b" ")
        if kind == b"blob":
            found[name] = out[position:position + int(size)]
        position += int(size) + 1
    return found


@dataclass
class _Recorded:
    """An entry as reunify last committed it, and the first commit that changed it otherwise."""

    fields: dict[str, Any]
    commit: Change
    changed_in: Change | None = None


@dataclass
class _Audit:
    case: Path
    folder: str
    problems: list[Problem] = field(default_factory=list)

    def path(self, name: str) -> str:
        return name if self.folder == "." else f"{self.folder}/{name}"


def _differs(before: dict[str, Any], after: dict[str, Any], ignore: Sequence[str] = ()) -> str | None:
    """The first field whose value differs (in the order of `after`, then `before`)."""
    for name in [*after, *(k for k in before if k not in after)]:
        if name not in ignore and before.get(name) != after.get(name):
            return name
    return None


def _walk(commits: list[Change], versions: dict[str, Any], list_key: str, command: str, later: str,
          own_fields: Sequence[str]) -> dict[str, _Recorded]:
    """Follow the file's versions, oldest first, keeping each recorded entry's baseline."""
    recorded: dict[str, _Recorded] = {}
    for commit in commits:
        data = versions.get(commit.commit)
        if data is None:
            continue
        entries = _entries(data, list_key)
        words = (commit.action or "").split()
        own = words[1] if len(words) >= 2 and words[0] == command else None
        for entry_id, known in recorded.items():
            now = entries.get(entry_id)
            if entry_id != own and known.changed_in is None and (now is None or now[1] != known.fields):
                known.changed_in = commit
        if own is None or own not in entries:
            continue
        fields = entries[own][1]
        known_own = recorded.get(own)
        amends = AMENDS.get((command, words[2])) if len(words) >= 3 else None
        if len(words) >= 3 and (words[2] == later or amends) and known_own is not None:
            # A ratification or confirmation adds its own fields and changes nothing else.
            extra = amends or own_fields
            if known_own.changed_in is None and _differs(known_own.fields, fields, extra):
                known_own.changed_in = commit
            kept = {k: v for k, v in known_own.fields.items() if k not in extra}
            known_own.fields = kept | {k: v for k, v in fields.items() if k in extra}
            known_own.commit = commit
        else:
            recorded[own] = _Recorded(dict(fields), commit)
    return recorded


def _by_hand(case: Path, root: Path) -> list[Problem]:
    folder = _relative(case, root)
    audit = _Audit(case, folder)
    if "\n" in folder:
        return []
    commits = _log(root, "--topo-order", "--reverse", "--", *(audit.path(name) for name, *_ in AUDITED))
    commands = {command for _, _, command, _, _ in AUDITED}
    first = next((i for i, c in enumerate(commits) if c.command in commands), None)
    if first is None:
        return []  # nothing recorded through reunify: nothing to compare
    commits = commits[first:]
    names = [f"{c.commit}:{audit.path(name)}" for c in commits for name, *_ in AUDITED]
    blobs = _blobs(root, names)
    for name, list_key, command, later, extra in AUDITED:
        versions: dict[str, Any] = {}
        parsed: dict[bytes, Any] = {}
        for commit in commits:
            blob = blobs.get(f"{commit.commit}:{audit.path(name)}")
            if blob is None:
                versions[commit.commit] = {}
            else:
                if blob not in parsed:
                    parsed[blob] = _parse(blob, case / name)
                versions[commit.commit] = parsed[blob]
        recorded = _walk(commits, versions, list_key, command, later, extra)
        if recorded:
            _compare(audit, case / name, list_key, recorded)
    return audit.problems


def _compare(audit: _Audit, path: Path, list_key: str, recorded: dict[str, _Recorded]) -> None:
    """A warning for each recorded entry the working copy no longer holds as recorded."""
    loaded = load_file(path)
    if loaded.problems:
        return  # 'check' reports the file itself
    now = _entries(loaded.data if loaded.exists else None, list_key)
    for entry_id, known in recorded.items():
        when = f"commit {known.commit.short} on {known.commit.day} by {known.commit.author}"
        if known.changed_in is not None:
            hint = (f"first changed in commit {known.changed_in.short} on {known.changed_in.day} "
                    f"by {known.changed_in.author}")
        else:
            hint = "the change is not committed"
        if entry_id not in now:
            audit.problems.append(Problem(path, (list_key,), f"{entry_id} was removed by hand after it was "
                                          f"recorded ({when})", Severity.WARNING, hint, "audit"))
            continue
        index, fields = now[entry_id]
        differing = _differs(known.fields, fields)
        if differing is None:
            continue
        location: tuple[str | int, ...] = (list_key, index, differing) if differing in fields else (list_key, index)
        if known.changed_in is None:
            audit.problems.append(Problem(path, location, f"{entry_id} has changed since reunify recorded it "
                                          f"({when}), and the change is not committed", Severity.WARNING,
                                          "commit it ('git diff' shows it), or undo it", "audit"))
            continue
        audit.problems.append(Problem(path, location, f"{entry_id} was changed by hand after it was recorded "
                                      f"({when})", Severity.WARNING, hint, "audit"))


def changed_by_hand(case: Path) -> list[Problem]:
    """Warnings for decisions and classifications changed since reunify recorded them.

    Silent outside git (or without git); a history git cannot read gives one note.
    """
    if not _may_be_in_git(case):
        return []
    try:
        return _by_hand(case, work_tree(case))
    except NoRepository:
        return []
    except GitError as exc:
        return [Problem(case / AUDITED[0][0], (), f"the git history could not be read: {exc}",
                        Severity.NOTE, code="audit")]
