"""`reunify sync`: share a caseload through its git remote without losing a record.

1. Commit what is recorded and not committed yet (tracked changes, and new YAML files).
2. Fetch the remote's branch.
3. Merge it in memory (`reunify.sync.tree`): record files by meaning. A clash stops
   here, with the clone unchanged.
4. Move the work tree to the merge in one fast-forward, holding the lock of every case
   it changes (recordings wait; a recording made meanwhile stops it, never lost).
5. Check every case that changed (arrived, or about to leave); errors stop the push.
6. Push; if someone pushed meanwhile, from 2 again. A hook's refusal is reported in the
   remote's own words.

Whatever fails, everything recorded here is in a commit before anything is fetched, and
the work tree changes only by a fast-forward to a commit that holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from pathlib import PurePosixPath

from msgspec.structs import replace

from reunify.core.errors import Refused
from reunify.core.errors import ReunifyError
from reunify.core.files import TEMPORARY_GLOB
from reunify.core.files import LockTimeout
from reunify.core.files import _signals_held
from reunify.core.files import file_lock
from reunify.core.files import folder_lock
from reunify.core.parallel import chunked
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import relocated
from reunify.practice.audit import REPOSITORY_LOCK
from reunify.practice.audit import SYNC_ACTION
from reunify.practice.audit import NoRepository
from reunify.practice.audit import _clear_stale_index_lock
from reunify.records.case import is_case_folder
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.records.family import unit_of
from reunify.sync.git import Repository
from reunify.sync.git import Unreachable
from reunify.sync.git import first_line
from reunify.sync.tree import merge_commits

SYNC_LOCK = "reunify-sync.lock"  # in the git folder: one sync at a time per clone
ATTEMPTS = 5  # fetch, merge and push again when someone pushed in between
LOCK_WAIT = 60.0  # seconds for a recording on a case to finish
SHARED_UNTRACKED = (".gitattributes", ".gitignore")

Checker = Callable[[list[Path]], list[Problem]]


class Status(enum.StrEnum):
    SYNCED = "synced"
    UP_TO_DATE = "up to date"
    CLASH = "clash"  # nothing merged: the clone is as it was
    ERRORS = "errors"  # merged here, not pushed: the check found errors
    REFUSED = "refused"  # the remote refused the push (a hook)


class SyncError(ReunifyError):
    """The sync could not run or finish (exit status 2); what is recorded here stays committed."""


@dataclass
class SyncResult:
    remote: str
    branch: str
    status: Status = Status.UP_TO_DATE
    committed: list[str] = field(default_factory=list)  # files committed first
    left: list[str] = field(default_factory=list)  # new files that are not records: not shared
    received: int = 0  # commits that arrived
    authors: list[str] = field(default_factory=list)
    by_meaning: list[str] = field(default_factory=list)
    as_text: list[str] = field(default_factory=list)
    checked: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the clashes, or what the check found
    pushed: int = 0
    remote_said: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, object]:
        """The result as plain data (sync --json)."""
        from reunify.engine.report import problem_data

        return {"status": str(self.status), "remote": self.remote, "branch": self.branch,
                "committed": self.committed, "not_shared": self.left, "received": self.received,
                "authors": self.authors, "merged_by_meaning": self.by_meaning, "merged_as_text": self.as_text,
                "checked": [str(p) for p in self.checked], "pushed": self.pushed,
                "problems": [problem_data(p) for p in self.problems], "remote_said": self.remote_said}


def _repository(folder: Path) -> Repository:
    if not folder.is_dir():
        raise SyncError(f"{folder}: no such folder")
    try:
        return Repository(folder)
    except NoRepository as exc:
        why = "" if str(exc) == "not a git repository" else f" ({exc})"
        raise SyncError(f"{folder}: not in a git repository{why}; 'reunify init' makes a caseload that is "
                        "one") from None


def _remote(repo: Repository, branch: str, asked: str | None) -> tuple[str, str, bool]:
    """The remote, its branch, and whether this branch has no upstream set yet."""
    remotes = repo.remotes()
    configured = repo.config(f"branch.{branch}.remote")
    name = asked or configured or ("origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else None)
    if name is None:
        raise SyncError("no remote to sync with: add the caseload's shared repository with "
                        "'reunify share --remote URL' (or 'git remote add origin URL')")
    if name not in remotes:
        raise SyncError(f"no remote called '{name}' (git remote -v lists them)")
    merge = repo.config(f"branch.{branch}.merge") if configured == name else None
    return name, (merge or f"refs/heads/{branch}").removeprefix("refs/heads/"), configured is None


def _folders(paths: list[str]) -> str:
    names = sorted({str(PurePosixPath(p).parent) for p in paths})
    names = [n for n in names if n != "."] or ["the caseload"]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _commit_pending(repo: Repository) -> tuple[list[str], list[str]]:
    """Commit what is recorded and not committed: (files committed, new files left alone)."""
    tracked, new, left = [], [], []
    for status, path in repo.status():
        name = PurePosixPath(path).name
        if status != "??":
            tracked.append(path)
        elif PurePosixPath(name).match(TEMPORARY_GLOB):
            continue
        elif name.endswith((".yaml", ".yml")) or path in SHARED_UNTRACKED:
            new.append(path)
        else:
            left.append(path)
    if not tracked and not new:
        return [], left
    try:
        with file_lock(repo.git_dir / REPOSITORY_LOCK, timeout=LOCK_WAIT):
            _clear_stale_index_lock(repo.git_dir)
            repo.output("add", "--update")
            if new:
                repo.output("add", "--", *new)
            staged = [p for p in repo.output("diff", "--cached", "--name-only", "-z").split("\0") if p]
            if not staged:
                return [], left
            message = f"{_folders(staged)}: changes not committed before sync\n"
            made = repo.run("commit", "--quiet", "--file=-", stdin=message.encode("utf-8"))
            if made.returncode:
                raise Refused("what is recorded here could not be committed, so nothing was fetched or pushed; "
                              "every record is as it was", [f"git commit: {first_line(made)}"])
    except LockTimeout:
        raise SyncError("a recording is still committing to this caseload; try again when it has finished") from None
    return staged, left


def _units(repo: Repository, paths: list[str]) -> list[Path]:
    """The folders whose locks a change to `paths` needs: each case's, a family's for its children."""
    found: set[Path] = set()
    for path in paths:
        for folder in (repo.root / path).parents:
            if folder == repo.root or repo.root not in folder.parents:
                break
            if is_case_folder(folder) or is_family_folder(folder):
                found.add(unit_of(folder))
                break
    return sorted(found)


def _fast_forward(repo: Repository, head: str | None, new: str) -> bool:
    """Move the work tree and branch to `new`; False when HEAD moved meanwhile (start again)."""
    paths = repo.files_changed(head, new)
    try:
        with contextlib.ExitStack() as locks:
            for unit in _units(repo, paths):
                locks.enter_context(folder_lock(unit, timeout=LOCK_WAIT))
            locks.enter_context(file_lock(repo.git_dir / REPOSITORY_LOCK, timeout=LOCK_WAIT))
            if repo.commit_of("HEAD") != head:
                return False
            _clear_stale_index_lock(repo.git_dir)
            with _signals_held():  # a stop waits for the fast-forward: never half a work tree
                moved = repo.run("merge", "--ff-only", "--quiet", "--no-stat", new, private=True)
    except LockTimeout:
        raise SyncError("a recording on a case that changed is still running; try again when it has "
                        "finished (everything is committed here)") from None
    if moved.returncode:
        raise SyncError("the caseload could not be brought up to date, because a file changed here while "
                        f"syncing ({first_line(moved)}); nothing is lost: run reunify sync again")
    return True


def cases_of(root: Path, paths: list[str]) -> list[Path]:
    """The case folders a change to `paths` bears on: a profile or workflow, every case."""
    from reunify.practice.caseload import find_cases

    found: dict[Path, None] = {}
    for path in paths:
        file = root / path
        if not file.parent.is_dir():
            continue  # a case removed whole
        owner = next((f for f in file.parents if f == root or is_case_folder(f) or is_family_folder(f)), root)
        if owner != root and owner.is_dir():
            found.update(dict.fromkeys(children_of(owner) if is_family_folder(owner) else [owner]))
        elif owner == root and path.endswith((".yaml", ".yml")):
            return find_cases([root])  # the profile, a local workflow: they bear on every case
    return sorted(found)


def _check_chunk(folders: list[Path], today: dt.date) -> list[Problem]:
    from reunify.engine import evaluate
    from reunify.practice.in_force import workflow_for
    from reunify.records import load_case

    found: list[Problem] = []
    for folder in folders:
        case, problems = load_case(folder)
        if case is not None:
            workflow, more = workflow_for(case)
            problems += more if workflow is None else evaluate(case, workflow, today).problems
        # a family's file is the same for each child: named by the file that holds it, to be listed once
        found += [relocated(problem) for problem in problems]
    return found


def check_cases(folders: list[Path], today: dt.date) -> list[Problem]:
    """Every problem `reunify check` finds in these cases, each once; errors located.

    What git's history says of decisions changed by hand is only ever a warning: it is
    left to `reunify check`. A large change is checked in parallel processes, as
    `reunify caseload` reads cases.
    """
    from reunify.engine import report
    from reunify.practice.caseload import PARALLEL_FROM

    problems = list(chunked(functools.partial(_check_chunk, today=today), folders, least=PARALLEL_FROM,
                            per_worker=2))
    found: dict[tuple[str, FieldPath, str], Problem] = {}
    for problem in problems:
        found.setdefault((str(problem.file), problem.path, problem.message), problem)
    errors = [p for p in found.values() if p.is_error]
    return report.located(errors) + [p for p in found.values() if not p.is_error]  # only errors are shown


def sync(folder: Path, today: dt.date, remote: str | None = None, checker: Checker | None = None) -> SyncResult:
    """Commit, fetch, merge, check and push the caseload holding `folder`."""
    repo = _repository(folder)
    check = checker or (lambda folders: check_cases(folders, today))
    try:
        with file_lock(repo.git_dir / SYNC_LOCK, timeout=1.0):
            result = _sync(repo, remote, check)
    except LockTimeout:
        raise SyncError("another sync of this caseload is running") from None
    result.problems = [replace(p, file=_shown(p.file)) for p in result.problems]
    result.checked = [_shown(folder) for folder in result.checked]
    return result


def _shown(path: Path) -> Path:
    """A path as the user would write it: relative to the current folder when inside it."""
    relative = os.path.relpath(path)
    return Path(relative) if not relative.startswith("..") else path


def _sync(repo: Repository, asked: str | None, check: Checker) -> SyncResult:
    doing = repo.in_progress()
    if doing:
        raise SyncError(f"{doing} is in progress in this caseload (git status says more): finish it or abort "
                        "it, then sync")
    branch = repo.branch()
    if branch is None:
        raise SyncError("no branch is checked out (HEAD is detached): 'git switch' to the caseload's branch")
    remote, their_branch, upstream = _remote(repo, branch, asked)
    result = SyncResult(remote, their_branch)
    result.committed, result.left = _commit_pending(repo)
    other = f"on the remote ({remote})"
    for _ in range(ATTEMPTS):
        head = repo.commit_of("HEAD")
        try:
            theirs = repo.fetch(remote, their_branch)
        except Unreachable as exc:
            raise SyncError(f"could not reach the remote '{remote}' ({exc}); everything recorded here is "
                            "committed: run reunify sync again when it can be reached") from None
        new = head
        if theirs is not None and theirs != head:
            if head is None or repo.is_ancestor(head, theirs):
                new = theirs
            elif not repo.is_ancestor(theirs, head):
                base = repo.merge_base(head, theirs)
                if base is None:
                    raise SyncError(f"this caseload and the remote '{remote}' share no history: clone the "
                                    "remote instead (git clone URL) and record there")
                merged = merge_commits(repo, base, head, theirs, other)
                if merged.clashes:
                    result.status, result.problems = Status.CLASH, merged.clashes
                    return result
                assert merged.tree is not None
                result.by_meaning += merged.by_meaning
                result.as_text += merged.as_text
                message = f"Sync with {remote}/{their_branch}\n\nReunify-Action: {SYNC_ACTION}\n"
                new = repo.commit_tree(merged.tree, [head, theirs], message)
            arrived = f"{head}..{theirs}" if head is not None else theirs
            result.received += repo.count(arrived)
            result.authors = sorted({*result.authors, *repo.authors(arrived)})
        if new is None:
            return result  # nothing here and nothing there
        if new != head and not _fast_forward(repo, head, new):
            continue
        changed = set(repo.files_changed(head, new)) if head is not None and head != new else set()
        outgoing = theirs != new and (theirs is None or not repo.is_ancestor(new, theirs))
        if outgoing:
            changed |= set(repo.files_changed(theirs, new))
        folders = cases_of(repo.root, sorted(changed))
        result.checked = sorted({*result.checked, *folders})
        result.problems = check(folders) if folders else []
        if any(p.is_error for p in result.problems):
            result.status = Status.ERRORS
            return result
        if not outgoing:
            result.status = Status.SYNCED if result.received or result.committed else Status.UP_TO_DATE
            return result
        outcome, said = repo.push(remote, new, their_branch)
        if outcome == "pushed" and upstream:  # as 'git push -u' would: git pull and status know it now
            repo.output("config", f"branch.{branch}.remote", remote)
            repo.output("config", f"branch.{branch}.merge", f"refs/heads/{their_branch}")
        if outcome == "refused":
            result.status, result.remote_said = Status.REFUSED, said
            return result
        if outcome == "pushed":
            result.pushed = repo.count(f"{theirs}..{new}" if theirs else new)
            result.status = Status.SYNCED
            return result
    raise SyncError("others kept pushing while this sync ran; run reunify sync again")
