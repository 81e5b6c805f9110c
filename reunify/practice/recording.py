"""Recording what happened: the core every recording command shares (the case's lock,
the case opened or refused, the team member, the date, what stops a step, an entry
appended, the steps a recording completes), steps and exits. Decisions and risk
classifications are in `decisions`; chronology entries, meetings, visits, goal reviews,
SDQ scores and police checks in `routine`.

Each function checks everything first and writes once, round-trip and atomically, or
raises `Refused`/`ReunifyError` saying exactly what is wrong and changes nothing. Each
holds the case's lock from reading to writing, so two recorders never lose an entry.
Every function here is what the matching CLI command calls, and everything it writes
can be written by hand in the YAML just as well.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Concatenate
from typing import ParamSpec
from typing import TypeVar

from reunify.core.errors import FieldError
from reunify.core.errors import Refused
from reunify.core.errors import ReunifyError
from reunify.core.files import LockTimeout
from reunify.core.files import folder_lock
from reunify.core.files import remove_leftover_temporaries
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.schema import SchemaError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import Locator
from reunify.core.yamlio import add_entry as add_entry  # for the editing commands
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import write_new_file
from reunify.engine.facts import Facts
from reunify.engine.judged import Reasons
from reunify.engine.judged import facts_on
from reunify.engine.judged import judging_day
from reunify.engine.judged import record_findings
from reunify.practice.in_force import workflow_for
from reunify.practice.skeleton import EVENTS_HEADER
from reunify.records import Case
from reunify.records import find_case_folder
from reunify.records import load_case
from reunify.records import models as m
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.records.family import target
from reunify.records.family import unit_of
from reunify.records.validation import did_you_mean
from reunify.workflow import Step
from reunify.workflow import Workflow

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Recorded:
    """What a recording command wrote, for the CLI to confirm."""

    file: Path
    summary: str
    hint: str | None = None
    also: tuple[Path, ...] = ()  # other files written (steps a recording completed)

    @property
    def files(self) -> list[Path]:
        return list(dict.fromkeys((self.file, *self.also)))


def locked(function: Callable[Concatenate[Path, P], R]) -> Callable[Concatenate[Path, P], R]:
    """Run a recording function holding the case folder's lock, from reading to writing."""

    @functools.wraps(function)
    def wrapper(folder: Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if not is_family_folder(folder):
            find_case_folder(folder)
        try:
            with folder_lock(unit_of(folder)):
                # No other recording runs here now: a temporary file is a killed one's.
                remove_leftover_temporaries(folder)
                return function(folder, *args, **kwargs)
        except LockTimeout:
            raise ReunifyError("another recording on this case is still running; try again") from None

    return wrapper


def describe_problem(problem: Problem, locator: Locator | None = None, folder: Path | None = None) -> str:
    """'events.yaml:12:5: message' with the file relative to the case folder."""
    located = (locator or Locator()).locate(problem)
    name = problem.file.name if folder is None else str(_relative(problem.file, folder))
    return f"{name}:{located.line}:{located.column}: {problem.message}"


def _relative(path: Path, folder: Path) -> Path:
    try:
        return path.relative_to(folder)
    except ValueError:
        return path


def one_child(folder: Path, what: str = "this") -> None:
    """Refuse a family folder for what is each child's own (a step, a decision, a visit)."""
    if is_family_folder(folder):
        raise ReunifyError(f"{folder}: a family folder; {what} is each child's own: give the child's folder")


def open_case(folder: Path, today: dt.date) -> tuple[Case, Workflow]:
    """The case and its workflow, or `Refused` when the records have errors. For a family
    folder: its first child's (what the children share reads the same in each)."""
    if is_family_folder(folder):
        children = children_of(folder)
        if not children:
            raise ReunifyError(f"{folder}: the family has no child's folder yet (add one with 'reunify new')")
        folder = children[0]
    case, problems = load_case(folder)
    locator = Locator()
    errors = [p for p in problems if p.is_error]
    if case is None or errors:
        raise Refused("the case records have errors; fix them first (see 'reunify check')",
                      [describe_problem(p, locator, folder) for p in errors])
    workflow, workflow_problems = workflow_for(case)
    if workflow is None:
        raise ReunifyError("the workflow cannot be used: " + "; ".join(
            describe_problem(p, locator) for p in workflow_problems if p.is_error))
    return case, workflow


def team_member(case: Case, who: str, field: str = "by") -> m.TeamMember:
    """A team member by id or by name (any case); `field` is the field given it."""
    for member in case.case.team:
        if who == member.id or who.casefold() == member.name.casefold():
            return member
    # The team's ids are not offered: an id from the records is never repeated in a message.
    where = "family.yaml" if case.family is not None else "case.yaml"
    raise FieldError(field, f" '{who}' is not in the case team (give the id or the name of a team "
                     f"member in {where}, or add one with 'reunify team add'; ids are case-sensitive)"
                     if case.case.team else f" '{who}' is not in the case team: {where} has no team yet "
                     "(add one with 'reunify team add NAME --role ROLE')")


def check_date(case: Case, date: dt.date, today: dt.date) -> None:
    if date > today:
        raise FieldError("date", f" {date.isoformat()} is in the future (today is {today.isoformat()})")
    child = case.child
    if child is not None and child.born is not None and date < child.born:
        raise FieldError("date", " is before the child was born")


def _step(workflow: Workflow, step_id: str) -> Step:
    step = workflow.steps.get(step_id)
    if step is None:
        raise ReunifyError(f"unknown step '{step_id}'" + did_you_mean(step_id, list(workflow.steps))
                           + " ('reunify status' lists the steps)")
    return step


def _blockers(case: Case, workflow: Workflow, step: Step, folder: Path, date: dt.date, today: dt.date, *,
              gates: bool = True, by: str | None = None, outcome: str | None = None) -> Reasons:
    """Everything that stops `step` being recorded on `date`, one line each: the step is
    judged on the records as they stood that day, the same way 'check' judges it later."""
    facts = Facts(case, workflow, today)
    on_day = facts_on(facts, judging_day(facts, step, date))
    findings = record_findings(on_day, step, date, by=by, outcome=outcome, gates=gates, trace=True)
    locator = Locator()
    reasons = Reasons()
    reasons.ruled_out = any(finding.not_applicable is not None for finding in findings)
    for finding in findings:
        if finding.problem is not None:
            where = describe_problem(finding.problem, locator, folder)
            reasons.append(f"which still needs: {where}" if finding.cause else where)
            continue
        reasons.append(finding.message)
    # Say so when what comes first is recorded, but on a later day than the one given.
    for before_id in step.after if reasons else ():
        before = facts.done_steps.get(before_id)
        if before is not None and before.date > date:
            reasons.append(f"'{before_id}', which comes first, is dated {before.date.isoformat()}: "
                           "the date given is earlier")
    return reasons


def _append(path: Path, key: str, entry: dict[str, Any], header: str, *, by_date: bool = False) -> None:
    """Add an entry to the list under `key` in `path` (made from `header` if missing)."""
    if not path.exists():
        write_new_file(path, header)
    with edit_file(path) as edit:
        add_entry(edit.data, key, entry, by_date=by_date)


def _set_fields(where: tuple[Path, FieldPath], values: dict[str, Any]) -> None:
    """Add fields (a ratification, a confirmation) to one recorded entry of a list."""
    path, (key, index) = where
    with edit_file(path) as edit:
        item = edit.data[key][index]
        for name, value in values.items():
            item[name] = value


@locked
def record_step(folder: Path, step_id: str, *, date: dt.date, by: str, today: dt.date,
                note: str | None = None, override: str | None = None) -> Recorded:
    if is_family_folder(folder) and override is None:
        return _step_for_each_child(folder, step_id, date=date, by=by, today=today)
    one_child(folder)
    case, workflow = open_case(folder, today)
    step = _step(workflow, step_id)
    kind, record_id = step.kind
    if kind == "decision":
        raise ReunifyError(f"'{step_id}' is a decision: record it with 'reunify decide {record_id}'")
    if kind == "classification":
        raise ReunifyError(f"'{step_id}' is a risk classification: record it with "
                           f"'reunify classify {record_id}'")
    member = team_member(case, by)
    check_date(case, date, today)
    done = Facts(case, workflow, today).done_steps.get(step_id)
    if done is not None:
        raise Refused(f"'{step_id}' is already recorded as done on {done.date.isoformat()}")
    if override is not None:
        if not override.strip():
            raise FieldError("override", " needs the reason for the professional judgement")
        if member.role not in workflow.managers():
            role = workflow.roles.get(member.role)
            raise Refused("only a manager can override a gate; `by` is "
                          + (f"a {role.title.lower()}" if role else "not a manager"))
    # An override stands in for missing artefacts, never for the steps that come first.
    reasons = _blockers(case, workflow, step, folder, date, today, gates=override is None)
    if reasons:
        raise Refused(f"'{step_id}' cannot be marked done yet; nothing was changed", reasons)
    entry = {"step": step_id, "date": date, "by": member.id, "note": note,
             "override": override.strip() if override else None}
    path = target(folder, "events.yaml", "steps")
    _append(path, "steps", entry, EVENTS_HEADER)
    how = "done by a manager's override" if override else "done"
    return Recorded(path, f"recorded '{step_id}' ({step.title}) as {how} on {date.isoformat()}")


def _step_for_each_child(folder: Path, step_id: str, *, date: dt.date, by: str, today: dt.date) -> Recorded:
    """A step done once for the family (the chronology, the genogram): recorded for each
    child it applies to whose gates pass; refused, changing nothing, when none."""
    case, workflow = open_case(folder, today)
    step = _step(workflow, step_id)
    if step.kind[0] != "date":
        raise ReunifyError(f"'{step_id}' is recorded for one child: give the child's folder")
    team_member(case, by)
    check_date(case, date, today)
    done = complete_steps(folder, [step_id], date=date, by=by, today=today)
    if not done.done:
        raise Refused(f"'{step_id}' cannot be marked done for any child yet; nothing was changed", done.hints)
    return Recorded(done.files[0], "recorded " + "; ".join(done.done) + f" on {date.isoformat()}",
                    "\n".join(done.hints) or None, done.files[1:])


@locked
def record_exit(folder: Path, *, reason: str, date: dt.date, by: str, today: dt.date,
                note: str | None = None) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    if reason not in workflow.exit_reasons:
        raise ReunifyError(f"unknown exit reason '{reason}'" + did_you_mean(reason, list(workflow.exit_reasons))
                           + " (reasons: " + ", ".join(workflow.exit_reasons) + ")")
    if reason == "other" and not note:
        raise ReunifyError("an exit for another reason needs `note` saying which")
    member = team_member(case, by)
    check_date(case, date, today)
    if case.events.exit is not None:
        raise Refused(f"the case already ended part way on {case.events.exit.date.isoformat()}")
    path = target(folder, "events.yaml", "exit")
    if not path.exists():
        write_new_file(path, EVENTS_HEADER)
    with edit_file(path) as edit:
        edit.data["exit"] = CommentedMap(
            (k, v) for k, v in {"date": date, "reason": reason, "by": member.id, "note": note}.items()
            if v is not None
        )
    return Recorded(path, f"recorded the end of the process on {date.isoformat()}: "
                          f"{workflow.exit_reasons[reason].lower()}")


@dataclass(frozen=True)
class Completed:
    """Steps a recording completed, and for the rest why not (with the command to finish)."""

    done: list[str]
    hints: list[str]
    files: tuple[Path, ...]


def _cases_of(folder: Path) -> list[Path]:
    return children_of(folder) if is_family_folder(folder) else [folder]


def complete_steps(folder: Path, steps: list[str], *, date: dt.date, by: str | None, today: dt.date,
                   among: list[str] | None = None) -> Completed:
    """Mark `steps` done on `date` for the case in `folder` (each child, for a family
    folder) where the step applies and nothing stops it: what was just recorded stands for
    the step, so it is never typed twice. `by` is who did it; without it, the one team
    member `among` (or in the team) whose role the step names. The caller holds the lock."""
    done: list[str] = []
    hints: list[str] = []
    files: list[Path] = []
    for case_folder in _cases_of(folder):
        case, workflow = open_case(case_folder, today)
        facts = Facts(case, workflow, today)
        label = f"{case.child.name}: " if case.family is not None and case.child is not None else ""
        for step_id in steps:
            step = workflow.steps.get(step_id)
            if step is None or step_id in facts.done_steps:
                continue
            member = _doer(case, step, by, among, date)
            command = f"reunify done {step_id} --date {date.isoformat()} --by NAME"
            if member is None:
                hints.append(f"{label}'{step_id}' is not marked done yet (no one to record it by): {command}")
                continue
            reasons = _blockers(case, workflow, step, case_folder, date, today, by=member.id)
            if reasons:
                if not reasons.ruled_out:
                    hints.append(f"{label}'{step_id}' is not marked done yet: " + "; ".join(reasons[:3])
                                 + f"; then {command.replace('NAME', member.id)}")
                continue
            path = target(case_folder, "events.yaml", "steps")
            _append(path, "steps", {"step": step_id, "date": date, "by": member.id}, EVENTS_HEADER)
            files.append(path)
            done.append(f"{label}'{step_id}' ({step.title}) done")
    return Completed(done, hints, tuple(files))


def _doer(case: Case, step: Step, by: str | None, among: list[str] | None, date: dt.date) -> m.TeamMember | None:
    """Who a completed step is recorded by: `by`, else the one member with the step's role
    (among those present, when given)."""
    if by is not None:
        return team_member(case, by)
    holders = [t for t in case.case.team if t.role == step.role and t.active_on(date)]
    present = [t for t in holders if among is not None and t.id in among]
    found = present or holders
    return found[0] if len(found) == 1 else None


def validated(model: type[m.Record], entry: dict[str, Any], fields: dict[str, str] | None = None) -> None:
    """Refuse an entry its record model would refuse, naming the field at fault: the
    caller's name for it, from `fields` (the record's key -> the field) where the two differ."""
    try:
        model.model_validate({k: v for k, v in entry.items() if v is not None})
    except SchemaError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        message = first["msg"]
        raise FieldError((fields or {}).get(field, field), f": {message[:1].lower()}{message[1:]}") from None


def text_or_none(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None
