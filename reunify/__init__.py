"""reunify: the NSPCC Reunification Practice Framework on case folders of YAML records.

Everything the command line does, from Python::

    import datetime as dt
    import reunify

    today = dt.date(2026, 11, 23)
    case, problems = reunify.load_case(folder)          # the records, typed, and their problems
    evaluation = reunify.evaluate(folder, today)        # states, what is next, deadlines
    problems = reunify.check([folder], today)           # every problem, located
    done = reunify.record(folder, "visit", date=today, by="sw1", today=today,
                          announced=True, seen_alone=True, commit=True)
    rendering = reunify.render(folder, out, today, documents=["cpag_pack"])

Errors are `reunify.ReunifyError` (a refusal, with its reasons: `reunify.Refused`); a
message (and a refusal's reason) names a field in backquotes, as it is passed here
("`by` is not one", "no legal status is recorded on `date`"; a command's argument as its
help names it, `MEMBER`), never as a command-line option. A wrong value's error has the
field it begins with as `.field`. Each result has `to_data()`: the plain data `--json` prints.

Importing the package costs nothing: each part is imported where it is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable
    from collections.abc import Iterable
    from contextlib import AbstractContextManager

    from reunify.core.problems import Problem
    from reunify.documents.batch import CaseRendering
    from reunify.engine import Evaluation
    from reunify.practice.checking import Checked
    from reunify.practice.recording import Recorded
    from reunify.practice.session import Recording
    from reunify.practice.session import Session
    from reunify.records import Case

__all__ = ["CaseError", "NotCommitted", "Refused", "ReunifyError", "Unreadable", "check", "check_cases",
           "evaluate", "load_case", "record", "recording_session", "render"]

# The errors, imported when first named (reunify.ReunifyError, ...).
_ERRORS = {"ReunifyError": "reunify.core.errors", "Refused": "reunify.core.errors",
           "CaseError": "reunify.core.errors", "Unreadable": "reunify.practice.checking",
           "NotCommitted": "reunify.practice.session"}


def __getattr__(name: str) -> Any:
    if name in _ERRORS:
        import importlib

        return getattr(importlib.import_module(_ERRORS[name]), name)
    raise AttributeError(f"module 'reunify' has no attribute '{name}'")


def load_case(folder: Path | str) -> tuple[Case | None, list[Problem]]:
    """The case in `folder` (a child's folder) as typed records, or None; and every problem
    found reading it."""
    from reunify.records import load_case as load

    return load(Path(folder))


def evaluate(folder: Path | str, today: dt.date) -> Evaluation:
    """The case in `folder` evaluated on `today` under the workflow in force: each step's
    state, what is next, what is overdue, the deadlines; `.to_data()` is what `status
    --json` prints, `.to_data("next")` what `next --json` prints. Raises `Unreadable`
    (with its `problems`) when the records cannot be read."""
    from reunify.practice.checking import Unreadable
    from reunify.practice.checking import load_evaluation

    evaluation, problems = load_evaluation(Path(folder), today)
    if evaluation is None:
        raise Unreadable(Path(folder), problems)
    return evaluation


def check_cases(paths: Iterable[Path | str], today: dt.date) -> Checked:
    """Every case in `paths` checked as `reunify check` checks them: `.cases` (each folder
    with its problems, located), `.not_in_a_case`, `.to_data()`."""
    from reunify.practice.checking import check_cases as checked

    return checked([Path(path) for path in paths], today, _child_document_warnings)


def check(paths: Iterable[Path | str], today: dt.date) -> list[Problem]:
    """Every problem in the cases in `paths` (case folders, folders of cases, files in
    cases), each with its file, line, column, field and severity."""
    return check_cases(paths, today).problems


def _child_document_warnings(evaluation: Evaluation, today: dt.date) -> list[Problem]:
    from reunify.documents.context import Source
    from reunify.documents.for_child import child_document_warnings

    return child_document_warnings(Source(evaluation.case, evaluation.workflow, today))


def _recordings() -> dict[str, Callable[..., Recorded]]:
    """The recordings by the name of their command."""
    from reunify.practice import decisions
    from reunify.practice import recording
    from reunify.practice import routine
    from reunify.practice.edits import team

    return {"done": recording.record_step, "decide": decisions.record_decision,
            "ratify": decisions.ratify_decision, "classify": decisions.record_classification,
            "confirm": decisions.confirm_classification, "exit": recording.record_exit,
            "chronology": routine.record_chronology, "meeting": routine.record_meeting,
            "visit": routine.record_visit, "goal-review": routine.record_goal_review,
            "sdq": routine.record_sdq, "police-check": routine.record_police_check,
            "team-add": team.add_team_member}


def _action(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """What a recording is called in its commit, as the command line calls it: ids from
    the workflow only, never a name."""
    if name in ("ratify", "confirm"):  # decide D3 ratify, classify RC1 confirm
        return " ".join(("decide" if name == "ratify" else "classify", *map(str, args[:1]), name))
    if name in ("done", "decide", "classify", "meeting"):
        said = {"decide": "outcome", "classify": "level"}.get(name, "")
        return " ".join(map(str, (name, *args[:1], *([kwargs[said]] if said in kwargs else []))))
    if name == "exit" and "reason" in kwargs:
        return f"exit {kwargs['reason']}"
    return name


def record(folder: Path | str, action: str | Callable[..., Recorded], *args: Any,
           commit: bool | None = None, **kwargs: Any) -> Recording:
    """Run one recording on the case in `folder` under the case's lock, and commit what it
    wrote when `commit` is true (None: when the caseload profile's `git.commit` says so).

    `action` is a command's name ("done", "decide", "classify", "exit", "chronology",
    "meeting", "visit", "goal-review", "sdq", "police-check", "team-add", ...) or any
    recording function of reunify.practice; `args` and `kwargs` are its arguments (always
    `today`). Raises `Refused` (nothing written), `ReunifyError`, or `NotCommitted` (the
    record is written and stays; `.finishing` is the git command that commits it).
    """
    from reunify.practice.session import Recording
    from reunify.practice.session import recording_session as session_on

    if isinstance(action, str):
        known = _recordings()
        if action not in known:
            from reunify.core.errors import ReunifyError

            raise ReunifyError(f"unknown recording '{action}' (one of: {', '.join(known)})")
        function, name = known[action], action
    else:
        function, name = action, action.__name__.removeprefix("record_").replace("_", "-")
    by = kwargs.get("by")
    with session_on(Path(folder), _action(name, args, kwargs), commit=commit) as session:
        recorded = session.add(function(Path(folder), *args, **kwargs), [by] if isinstance(by, str) else ())
    made, subject = session.committed or (None, None)
    return Recording(recorded, made, subject)


def recording_session(folder: Path | str, action: str, *, commit: bool | None = None
                      ) -> AbstractContextManager[Session]:
    """Several recordings on one case under its lock, committed together at the end as
    `action` (`commit`, else the caseload profile's `git.commit`): pass each result to
    `session.add(recorded, by=[...])`; `session.committed` is the commit once made."""
    from reunify.practice.session import recording_session as session_on

    return session_on(Path(folder), action, commit=commit)


def render(folder: Path | str, out: Path | str, today: dt.date, documents: Iterable[str] = (), *,
           templates: Path | str | None = None, as_of: dt.date | None = None, issue: bool = False
           ) -> CaseRendering:
    """Render the documents of the case in `folder` into `out` (default: every document
    that applies and is ready): `.written`, `.held_back`, `.not_applying`, `.warned`,
    `.problems`, `.error`. As `reunify render` does, the caseload profile's templates folder
    (unless `templates` is given) and its authority's name and logo apply. Never raises for
    anything in the case or the templates; a bad profile raises `ReunifyError`."""
    from reunify.documents.authority import Authorities
    from reunify.documents.batch import Job
    from reunify.documents.batch import render_job
    from reunify.documents.render import unknown_documents

    wanted = tuple(documents)
    unknown_documents(list(wanted))
    case, authorities = Path(folder), Authorities()
    return render_job(Job(case, Path(out), today, wanted,
                          authorities.templates(case, Path(templates) if templates else None),
                          as_of=as_of, issue=issue, letterhead=authorities.letterhead(case)))
