"""Git as the audit trail of a caseload kept in a git repository.

Every git call of the tool runs through `_run` here (as a process, never through a
shell, always with a time limit):

- `commit_record` commits exactly the files a recording command wrote, with a message
  naming the case folder, the action and the practitioner's team id (never the child
  or anyone's name) and the same again as trailers (``Reunify-Case``,
  ``Reunify-Action``, ``Reunify-By``). The git author is whoever runs it.
- `reunify.practice.history` reads the trail back: `history` (who recorded what and
  when, from ``git log`` of the case folder) and `changed_by_hand` (each decision and
  risk classification recorded through reunify compared with what the working copy
  says now, for `reunify check`).

Outside a git work tree this costs one look for a ``.git`` in the case folder and the
folders above it, and no process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from pathlib import PurePosixPath

from reunify.core.errors import ReunifyError
from reunify.core.files import LockTimeout
from reunify.core.files import file_lock
from reunify.core.files import folder_lock

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

