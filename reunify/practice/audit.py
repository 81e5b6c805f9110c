"""Git as the audit trail of a caseload kept in a git repository.

Three things, and every git call of the tool is here (run as a process, never through
a shell, always with a time limit):

- `commit_record` commits exactly the files a recording command wrote, with a message
  naming the case folder, the action and the practitioner's team id (never the child
  or anyone's name) and the same again as trailers (``Reunify-Case``,
  ``Reunify-Action``, ``Reunify-By``). The git author is whoever runs it.
- `history` reads who recorded what and when from ``git log`` of the case folder.
- `changed_by_hand` compares each decision and risk classification recorded through
  reunify with what the working copy says now, for `reunify check`.

Outside a git work tree this costs one look for a ``.git`` in the case folder and the
folders above it, and no process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import functools
import os
import shlex
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from pathlib import PurePosixPath
from typing import Any

from reunify.core.files import TEMPORARY_GLOB
from reunify.core.files import LockTimeout
from reunify.core.files import file_lock
from reunify.core.files import folder_lock
from reunify.core.problems import Problem
from reunify.core.problems import ReunifyError
from reunify.core.problems import Severity
from reunify.core.yamlio import MAX_BYTES
from reunify.core.yamlio import load_file
from reunify.core.yamlio import load_text

TIMEOUT = 10.0  # seconds: reading the history
COMMIT_TIMEOUT = 120.0  # the user's hooks and commit signing run inside a commit
INDEX_LOCK_WAIT = 5.0  # seconds to let another git command finish with the index
STALE_INDEX_LOCK = 60.0  # seconds: an index.lock this old, with no git running, was left by a killed git
REPOSITORY_LOCK = "reunify-commit.lock"  # in the git folder: one commit at a time per repository

CASE_TRAILER = "Reunify-Case"
ACTION_TRAILER = "Reunify-Action"
BY_TRAILER = "Reunify-By"
SYNC_ACTION = "sync"  # the action of a merge made by `reunify sync` (reunify/sync/run.py)

# Each audited file: its list of entries, the command that records an entry, the word of
# the later command that completes one (decide D3 ratify), and the fields that one adds.
AUDITED = (
    ("decisions.yaml", "decisions", "decide", "ratify", ("ratified", "ratified_by")),
    ("risk.yaml", "classifications", "classify", "confirm", ("confirmed", "confirmed_by")),
)
# Later commands that change only their own fields of a recorded entry, like a confirmation:
# 'classify RC1 for-child' adds or changes what the child is told.
AMENDS = {("classify", "for-child"): ("for_child",)}

# One record per commit: fields apart by US, records apart by RS; trailers unfolded.
_FORMAT = "%x1e%H%x1f%h%x1f%aI%x1f%an%x1f%s%x1f%(trailers:only,unfold)"
# Output settings a user's configuration could otherwise change under our parsing.
_LOG = ("-c", "log.showSignature=false", "--literal-pathspecs", "log", "--no-color", "--encoding=UTF-8",
        f"--format={_FORMAT}")


class GitError(ReunifyError):
    """Git could not do what was asked (exit status 2 where a command depends on it)."""


class NoRepository(GitError):
    """The case is not in a git work tree, or git is not installed."""


@dataclass(frozen=True)
class Committed:
    """A commit made for a recording."""

    commit: str  # abbreviated
    subject: str


@dataclass(frozen=True)
class Change:
    """One commit that touched a case: a recording through reunify, or an edit by hand."""

    commit: str
    short: str
    date: str  # ISO 8601 with the author's offset
    author: str
    subject: str
    action: str | None = None  # from the Reunify-Action trailer; None when edited by hand
    by: str | None = None

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def command(self) -> str | None:
        """The recording command, 'decide' of 'decide D2 proceed'."""
        words = (self.action or "").split()
        return words[0] if words else None


# -- running git ------------------------------------------------------------------------


def _run(cwd: Path, *args: str, stdin: bytes = b"", timeout: float = TIMEOUT) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")  # never wait for a password
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                              env=env, check=False)
    except FileNotFoundError:
        raise NoRepository("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git did not finish within {timeout:.0f} seconds") from None
    except OSError as exc:
        raise GitError(f"git could not be run ({(exc.strerror or 'error').lower()})") from None


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _first_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """Git's own explanation, shortened to one line."""
    for line in (_text(result.stderr) + "\n" + _text(result.stdout)).splitlines():
        line = line.strip()
        if line and not line.startswith(("hint:", "***")):
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return f"exit status {result.returncode}, nothing said"


def _holder(folder: Path) -> Path | None:
    """The nearest folder, `folder` or above, holding a `.git`: spares a process outside git."""
    here = folder.resolve()
    return next((place for place in (here, *here.parents) if (place / ".git").exists()), None)


def _may_be_in_git(folder: Path) -> bool:
    return bool(os.environ.get("GIT_DIR")) or _holder(folder) is not None


def work_tree(folder: Path) -> Path:
    """The top folder of the git work tree holding `folder`; `NoRepository` if none."""
    if os.environ.get("GIT_DIR"):
        return _top(folder)
    holder = _holder(folder)
    if holder is None:
        raise NoRepository("not a git repository")
    return _top_of_holder(holder)


@functools.cache
def _top_of_holder(holder: Path) -> Path:
    # Asked once per repository, however many of its cases are checked.
    return _top(holder)


def _top(folder: Path) -> Path:
    result = _run(folder, "rev-parse", "--show-toplevel")
    if result.returncode:
        reason = _first_line(result)
        raise NoRepository("not a git repository" if "not a git repository" in reason.lower() else reason)
    return Path(_text(result.stdout).strip())


def _relative(path: Path, root: Path) -> str:
    """`path` relative to the work tree's top, as git writes paths ('.' for the top)."""
    try:
        return PurePosixPath(path.resolve().relative_to(root.resolve())).as_posix()
    except ValueError:
        raise GitError(f"{path} is outside the git work tree") from None


# -- committing a recording ------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def commit_message(case: str, action: str, by: Sequence[str] = ()) -> str:
    """'cases/ab-0147: done planning_review by tm' and the same as trailers."""
    case, action = _one_line(case), _one_line(action)
    who = ", ".join(_one_line(b) for b in by if b.strip())
    subject = f"{case}: {action}" + (f" by {who}" if who else "")
    trailers = [f"{CASE_TRAILER}: {case}", f"{ACTION_TRAILER}: {action}"]
    if who:
        trailers.append(f"{BY_TRAILER}: {who}")
    return subject + "\n\n" + "\n".join(trailers) + "\n"


def _commit_failure(result: subprocess.CompletedProcess[bytes]) -> str:
    said = (_text(result.stderr) + _text(result.stdout)).lower()
    if any(mark in said for mark in ("identity unknown", "tell me who you are", "empty ident",
                                     "no email was given", "unable to auto-detect email")):
        return "git does not know who you are (set user.name and user.email with 'git config')"
    if "nothing to commit" in said or "no changes added" in said:
        return "git found no change to commit"
    if not said.strip():
        return f"git commit failed (exit status {result.returncode}; a hook may have stopped it)"
    return f"git commit failed: {_first_line(result)}"


def commit_record(case: Path, files: Sequence[Path], action: str, by: Sequence[str] = ()) -> Committed:
    """Stage and commit exactly `files`, and nothing else the user has staged.

    `git commit --only` takes the named paths from the working tree and leaves the rest
    of the index as it was. The commit is made holding the case folder's lock, so that
    another recording on the case cannot slip into it half-written, and the repository's
    lock, so that recordings on other cases of the same repository wait their turn for
    git's index instead of failing on it.
    """
    root = work_tree(case)
    paths = [_relative(path, root) for path in files]
    folder = _relative(case, root)
    # A repository of one case: the folder's name says which case better than '.'.
    message = commit_message(folder if folder != "." else root.name, action, by)
    git_dir = _git_dir(root)
    try:
        with folder_lock(case), file_lock(git_dir / REPOSITORY_LOCK, timeout=COMMIT_TIMEOUT):
            _clear_stale_index_lock(git_dir)
            added = _run(root, "--literal-pathspecs", "add", "--", *paths)
            if added.returncode:
                reason = _first_line(added)
                raise GitError("the case files are ignored by git (.gitignore)" if "ignored" in reason
                               else f"git add failed: {reason}")
            made = _run(root, "--literal-pathspecs", "commit", "--only", "--quiet", "--file=-", "--", *paths,
                        stdin=message.encode("utf-8"), timeout=COMMIT_TIMEOUT)
            if made.returncode:
                raise GitError(_commit_failure(made))
    except LockTimeout:
        raise GitError("another recording is still committing to this repository") from None
    except OSError as exc:
        raise GitError(f"cannot lock the repository ({(exc.strerror or 'error').lower()})") from None
    head = _run(root, "rev-parse", "--short", "HEAD")
    return Committed(_text(head.stdout).strip(), message.splitlines()[0])


def finishing_command(case: Path, files: Sequence[Path], action: str, by: Sequence[str] = ()) -> str:
    """The git commands that commit what a recording wrote, when its own commit failed:
    with the same message and trailers, so that history and check know it as reunify's."""
    names = " ".join(shlex.quote(str(path.relative_to(case)) if path.is_relative_to(case) else str(path))
                     for path in files)
    try:
        root = work_tree(case)
        folder = _relative(case, root)
        name = folder if folder != "." else root.name
    except GitError:
        name = case.name
    subject, trailers = commit_message(name, action, by).split("\n\n", 1)
    where = shlex.quote(str(case))
    added = " ".join(f"--trailer {shlex.quote(line)}" for line in trailers.splitlines() if line.strip())
    return (f"git -C {where} add -- {names} && git -C {where} commit -m {shlex.quote(subject)} {added} "
            f"-- {names}")


def _git_dir(root: Path) -> Path:
    found = _run(root, "rev-parse", "--git-dir")
    if found.returncode:
        raise GitError(_first_line(found))
    path = Path(_text(found.stdout).strip())
    return path if path.is_absolute() else root / path


def _clear_stale_index_lock(git_dir: Path) -> None:
    """Wait for git's own index lock to go; remove it when no git command is running.

    Every reunify commit holds the repository lock, so an index.lock seen while holding
    it is another git command's, or was left by one that was killed. Only when it is a
    minute old and no git process runs on the machine is it taken to be left over.
    """
    lock = git_dir / "index.lock"
    deadline = time.monotonic() + INDEX_LOCK_WAIT
    while lock.exists():
        if time.monotonic() > deadline:
            with contextlib.suppress(FileNotFoundError):
                # A git out of sight of /proc (another container or machine sharing the
                # folder) may hold a young lock: only an old one is taken to be left over.
                young = time.time() - lock.stat().st_mtime < STALE_INDEX_LOCK
            if young or _git_running():
                raise GitError("git's index is locked by another git command (.git/index.lock); "
                               "try again when it has finished")
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
            return
        time.sleep(0.05)


def _git_running() -> bool:
    """Whether any git process is running (Linux /proc; elsewhere assume one is)."""
    proc = Path("/proc")
    if not (proc / "self").is_dir():
        return True
    for entry in proc.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text(encoding="utf-8", errors="replace").strip() == "git":
                    return True
    return False


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
