"""A recording session: the case folder's lock held from the first read to the commit.

Every recording writes under the case folder's lock (recording.locked); a session holds
the same lock (it is re-entrant) around the write and the commit of exactly what was
written, so no other recording can come between them. Whether to commit is the caller's
choice, else the caseload profile's `git.commit`, else no.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from reunify.core.errors import ReunifyError
from reunify.core.files import LockTimeout
from reunify.core.files import folder_lock
from reunify.practice.profile import load_profile
from reunify.practice.recording import Recorded
from reunify.records import load_case
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.records.family import unit_of


class NotCommitted(ReunifyError):
    """The record is written and stays; its commit could not be made (exit status 1).

    `finishing` is the git command line that makes the commit by hand."""

    exit_code = 1

    def __init__(self, reason: str, finishing: str) -> None:
        super().__init__(f"the record is written but not committed: {reason}")
        self.finishing = finishing


@dataclass(frozen=True)
class Recording:
    """A recording as done: what was written, and the commit made of it (None: not committed)."""

    recorded: Recorded
    commit: str | None = None  # the abbreviated commit id
    subject: str | None = None  # the commit's subject line

    def to_data(self) -> dict[str, Any]:
        return {"summary": self.recorded.summary, "files": [str(path) for path in self.recorded.files],
                "hint": self.recorded.hint, "commit": self.commit, "subject": self.subject}


@contextmanager
def case_locked(folder: Path) -> Iterator[None]:
    """Hold the lock of the case (or family) in `folder`; a folder that is not one is left to
    the recording function to name."""
    if not folder.is_dir():
        yield
        return
    try:
        with folder_lock(unit_of(folder)):
            yield
    except LockTimeout:
        raise ReunifyError("another recording on this case is still running; try again") from None


def commits_by_default(case: Path) -> bool:
    """Whether the caseload profile says to commit each recording (`git: {commit: true}`)."""
    profile, _ = load_profile(case)
    return profile is not None and profile.settings.git.commit


def team_ids(case: Path, who: Sequence[str]) -> list[str]:
    """Team members given by id or name, as their ids: names stay out of commit messages."""
    if is_family_folder(case):  # the family's team is in each child's case, joined
        children = children_of(case)
        case = children[0] if children else case
    loaded, _ = load_case(case) if who else (None, [])
    if loaded is None:
        return []
    ids = []
    for name in who:
        found = next((m for m in loaded.case.team if name == m.id or name.casefold() == m.name.casefold()), None)
        if found is not None:
            ids.append(found.id)
    return ids


def commit_files(case: Path, files: list[Path], action: str, by: Sequence[str] = ()) -> tuple[str, str]:
    """Commit exactly `files` for the recording `action` by team members `by` (ids or names):
    the commit's abbreviated id and subject. Raises NotCommitted, with the git commands that
    finish it, when git cannot."""
    from reunify.practice import audit

    ids = team_ids(case, by)
    try:
        made = audit.commit_record(case, files, action, ids)
    except audit.GitError as exc:
        raise NotCommitted(str(exc), audit.finishing_command(case, files, action, ids)) from None
    return made.commit, made.subject


def finishing(case: Path, files: list[Path], action: str, by: Sequence[str] = ()) -> str:
    """The git commands that commit what a recording wrote, with the message it would have had."""
    from reunify.practice import audit

    return audit.finishing_command(case, files, action, team_ids(case, by))


@dataclass
class Session:
    """What is recorded in one session on a case, committed together at its end."""

    folder: Path
    commit: bool
    recorded: list[Recorded] = field(default_factory=list)
    by: list[str] = field(default_factory=list)
    committed: tuple[str, str] | None = None  # the commit's abbreviated id and subject, once made

    def add(self, recorded: Recorded, by: Sequence[str] = ()) -> Recorded:
        self.recorded.append(recorded)
        self.by += [who for who in by if who not in self.by]
        return recorded

    @property
    def files(self) -> list[Path]:
        return list(dict.fromkeys(path for done in self.recorded for path in done.files))


@contextmanager
def recording_session(folder: Path, action: str, *, commit: bool | None = None) -> Iterator[Session]:
    """Hold the case's lock while recording; at the end, commit what was added to the
    session (`commit`, else the caseload profile's `git.commit`). Nothing is committed when
    the block raises."""
    with case_locked(folder):
        session = Session(folder, commits_by_default(folder) if commit is None else commit)
        yield session
        if session.commit and session.files:
            session.committed = commit_files(folder, session.files, action, session.by)
