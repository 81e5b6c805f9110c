"""Recording what happened: steps, decisions, risk classifications, exits, chronology
entries, meetings, visits, goal reviews, SDQ scores and police checks.

Each function checks everything first and writes once, round-trip and atomically, or
raises `Refused`/`ReunifyError` saying exactly what is wrong and changes nothing. Each
holds the case's lock from reading to writing, so two recorders never lose an entry.
Every function here is what the matching CLI command calls, and everything it writes
can be written by hand in the YAML just as well.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Concatenate
from typing import ParamSpec
from typing import TypeVar

from pydantic import ValidationError

from reunify.core.files import LockTimeout
from reunify.core.files import folder_lock
from reunify.core.files import remove_leftover_temporaries
from reunify.core.problems import FieldError
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import Refused
from reunify.core.problems import ReunifyError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import Locator
from reunify.core.yamlio import add_entry as add_entry  # for the editing commands
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import write_new_file
from reunify.engine.deadlines import sdq_band
from reunify.engine.facts import Facts
from reunify.engine.judged import Reasons
from reunify.engine.judged import decision_findings
from reunify.engine.judged import facts_on
from reunify.engine.judged import judging_day
from reunify.engine.judged import record_findings
from reunify.practice.in_force import workflow_for
from reunify.practice.skeleton import ASSESSMENT_HEADER
from reunify.practice.skeleton import CHRONOLOGY_HEADER
from reunify.practice.skeleton import DECISIONS_HEADER
from reunify.practice.skeleton import EVENTS_HEADER
from reunify.practice.skeleton import RISK_HEADER
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


def team_member(case: Case, who: str, option: str = "by") -> m.TeamMember:
    """A team member by id or by name (any case); `option` is the field given it."""
    for member in case.case.team:
        if who == member.id or who.casefold() == member.name.casefold():
            return member
    # The team's ids are not offered: an id from the records is never repeated in a message.
    where = "family.yaml" if case.family is not None else "case.yaml"
    raise FieldError(option, f" '{who}' is not in the case team (give the id or the name of a team "
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
            raise Refused("only a manager can override a gate; --by is "
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
def record_decision(folder: Path, decision_id: str, *, outcome: str, date: dt.date, by: str,
                    today: dt.date, reason: str | None = None, confirm: bool = False) -> Recorded:
    """Record a decision; with `confirm`, first the same manager's confirmation, that day,
    of the risk classification it rests on (one command for what happens at one meeting)."""
    one_child(folder)
    case, workflow = open_case(folder, today)
    definition = workflow.decisions.get(decision_id)
    if definition is None:
        raise ReunifyError(f"unknown decision '{decision_id}'" + did_you_mean(decision_id, list(workflow.decisions)))
    chosen = definition.outcomes.get(outcome)
    if chosen is None:
        raise ReunifyError(f"unknown outcome for {decision_id}" + did_you_mean(outcome, list(definition.outcomes))
                           + " (outcomes: " + ", ".join(definition.outcomes) + ")")
    member = team_member(case, by)
    check_date(case, date, today)
    required = workflow.roles[definition.by]
    if member.role != definition.by:
        raise Refused(f"{decision_id} is made by the {required.title.lower()}; --by is not one")
    facts = Facts(case, workflow, today)
    if decision_id in facts.decisions:
        raise Refused(f"{decision_id} is already recorded; change decisions.yaml by hand if it was wrong")
    confirming = _confirming(case, workflow, member, date) if confirm else None
    if confirming is not None:
        case = confirming[2]
        facts = Facts(case, workflow, today)
    step = workflow.step_for("decision", decision_id)
    if step is not None:
        reasons: list[str] = _blockers(case, workflow, step, folder, date, today, by=member.id, outcome=outcome)
    else:
        locator = Locator()
        reasons = [describe_problem(f.problem, locator, folder) if f.problem is not None else f.message
                   for f in decision_findings(facts_on(facts, date), decision_id, outcome, member.id)]
    if reasons:
        raise Refused(f"{decision_id} cannot be recorded as '{outcome}' yet; nothing was changed", reasons)
    also: tuple[Path, ...] = ()
    if confirming is not None:
        where = case.source("risk.yaml", ("classifications", confirming[0]))
        _set_fields(where, {"confirmed_by": member.id, "confirmed": date})
        also = (where[0],)
    entry = {"id": decision_id, "date": date, "by": member.id, "outcome": outcome, "reason": reason}
    path = target(folder, "decisions.yaml", "decisions")
    _append(path, "decisions", entry, DECISIONS_HEADER)
    summary = f"recorded {decision_id}: {chosen.title} ({date.isoformat()})"
    if confirming is not None:
        summary = f"recorded the confirmation of {confirming[1]} and " + summary.removeprefix("recorded ")
    if definition.ratified_by:
        summary += f"; it needs ratifying by the {workflow.roles[definition.ratified_by].title.lower()}"
    return Recorded(path, summary, also=also)


def _confirming(case: Case, workflow: Workflow, member: m.TeamMember,
                date: dt.date) -> tuple[int, str, Case]:
    """The latest classification not yet confirmed, as `member` confirming it on `date`
    would leave the case: its index, its id, and the case with the confirmation."""
    items = list(case.risk.classifications)
    open_ = [(i, c) for i, c in enumerate(items) if c.confirmed is None and c.date <= date]
    if not open_:
        raise Refused("--confirm: there is no risk classification waiting for confirmation on that date")
    index, item = max(open_, key=lambda pair: (pair[1].date, pair[0]))
    definition = workflow.classification(item.id)
    wanted = definition.confirmed_by if definition is not None else None
    if wanted in workflow.roles and member.role != wanted:
        raise Refused(f"{item.id} is confirmed by the {workflow.roles[wanted].title.lower()}; --by is not one")
    if wanted is None and member.role not in workflow.managers():
        raise Refused("a risk classification is confirmed by a manager")
    items[index] = item.model_copy(update={"confirmed_by": member.id, "confirmed": date})
    changed = dataclasses.replace(case, risk=case.risk.model_copy(update={"classifications": items}))
    return index, item.id, changed


@locked
def ratify_decision(folder: Path, decision_id: str, *, date: dt.date, by: str, today: dt.date) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    definition = workflow.decisions.get(decision_id)
    if definition is None or definition.ratified_by is None:
        raise ReunifyError(f"{decision_id} is not ratified in this workflow")
    member = team_member(case, by)
    check_date(case, date, today)
    if member.role != definition.ratified_by:
        raise Refused(f"{decision_id} is ratified by the {workflow.roles[definition.ratified_by].title.lower()}")
    facts = Facts(case, workflow, today)
    found = facts.decisions.get(decision_id)
    if found is None:
        raise Refused(f"{decision_id} is not recorded yet")
    if found[1].ratified is not None:
        raise Refused(f"{decision_id} was already ratified on {found[1].ratified.isoformat()}")
    if date < found[1].date:
        raise FieldError("date", " is before the decision was made")
    path, keys = case.source("decisions.yaml", ("decisions", found[0]))
    _set_fields((path, keys), {"ratified_by": member.id, "ratified": date})
    return Recorded(path, f"recorded the ratification of {decision_id} on {date.isoformat()}")


@locked
def record_classification(folder: Path, classification_id: str, *, level: str, rationale: str,
                          recommended_by: list[str], date: dt.date, today: dt.date,
                          factors: list[str] | None = None, for_child: str | None = None) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    if workflow.classification(classification_id) is None:
        raise ReunifyError(f"unknown classification '{classification_id}'"
                           + did_you_mean(classification_id, list(workflow.classifications)))
    level = level.strip().lower()
    labels = {v.label.casefold(): k for k, v in workflow.risk_levels.items()}
    level = labels.get(level.casefold(), level)
    if level not in workflow.risk_levels:
        raise FieldError("level", " must be one of: " + ", ".join(v.label for v in workflow.risk_levels.values()))
    if not rationale.strip():
        raise FieldError("rationale", " must say why this level was chosen")
    members = [team_member(case, who, "--recommended-by").id for who in recommended_by]
    if not members:
        raise FieldError("recommended_by", " must name who recommended the level")
    found = _risk_factors(workflow, factors or [])
    check_date(case, date, today)
    facts = Facts(case, workflow, today)
    if classification_id in facts.classifications:
        raise Refused(f"{classification_id} is already recorded; change risk.yaml by hand if it was wrong "
                      "(--for-child on its own adds or changes what the child is told)")
    step = workflow.step_for("classification", classification_id)
    if step is not None:
        reasons = _blockers(case, workflow, step, folder, date, today)
        if reasons:
            raise Refused(f"{classification_id} cannot be recorded yet; nothing was changed", reasons)
    entry = {"id": classification_id, "date": date, "level": level, "rationale": rationale.strip(),
             "recommended_by": CommentedSeq(members)}
    if found:
        entry["factors"] = CommentedSeq(found)
    said = text_or_none(for_child)
    if said is not None:  # what the child is told, after the rationale
        items = list(entry.items())
        entry = dict([*items[:4], ("for_child", said), *items[4:]])
    path = target(folder, "risk.yaml", "classifications")
    _append(path, "classifications", entry, RISK_HEADER)
    return Recorded(path, f"recorded {classification_id}: {workflow.level_label(level)} ({date.isoformat()})")


def _risk_factors(workflow: Workflow, given: list[str]) -> list[str]:
    """The factor ids of the risk classification table given with --factor, each once."""
    from reunify.workflow.domains import factor_levels

    known = factor_levels(workflow.risk_levels)
    found = list(dict.fromkeys(f.strip() for f in given if f.strip()))
    for factor in found:
        if factor not in known:
            raise FieldError("factor", f": unknown risk factor '{factor}'" + did_you_mean(factor, list(known))
                               + ("; 'reunify workflow show' lists each level's factors" if known
                                  else "; the workflow's risk levels define no factors"))
    return found


@locked
def confirm_classification(folder: Path, classification_id: str, *, by: str, date: dt.date,
                           today: dt.date) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    member = team_member(case, by)
    check_date(case, date, today)
    facts = Facts(case, workflow, today)
    found = facts.classifications.get(classification_id)
    if found is None:
        raise Refused(f"{classification_id} is not recorded yet")
    definition = workflow.classification(classification_id)
    wanted = definition.confirmed_by if definition is not None else None
    if wanted in workflow.roles and member.role != wanted:
        raise Refused(f"{classification_id} is confirmed by the {workflow.roles[wanted].title.lower()}; "
                      "--by is not one")
    if wanted is None and member.role not in workflow.managers():
        raise Refused("a risk classification is confirmed by a manager")
    if found[1].confirmed is not None:
        raise Refused(f"{classification_id} was already confirmed on {found[1].confirmed.isoformat()}")
    if date < found[1].date:
        raise FieldError("date", " is before the classification was recommended")
    path, keys = case.source("risk.yaml", ("classifications", found[0]))
    _set_fields((path, keys), {"confirmed_by": member.id, "confirmed": date})
    return Recorded(path, f"recorded the confirmation of {classification_id} on {date.isoformat()}")


@locked
def record_exit(folder: Path, *, reason: str, date: dt.date, by: str, today: dt.date,
                note: str | None = None) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    if reason not in workflow.exit_reasons:
        raise ReunifyError(f"unknown exit reason '{reason}'" + did_you_mean(reason, list(workflow.exit_reasons))
                           + " (reasons: " + ", ".join(workflow.exit_reasons) + ")")
    if reason == "other" and not note:
        raise ReunifyError("an exit for another reason needs --note saying which")
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


# -- the rhythm of practice: chronology, meetings, visits, goal reviews, SDQ, police --------


def validated(model: type[m.Record], entry: dict[str, Any], options: dict[str, str]) -> None:
    """Refuse an entry its record model would refuse, naming the option at fault."""
    try:
        model.model_validate({k: v for k, v in entry.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        option = options.get(field, f"--{field.replace('_', '-')}")
        message = first["msg"]
        raise FieldError(option, f": {message[:1].lower()}{message[1:]}") from None


def text_or_none(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None


@locked
def record_chronology(folder: Path, *, date: dt.date, event: str, source: str, today: dt.date,
                      factors: list[str] | None = None, impact: str | None = None,
                      response: str | None = None, analysis: str | None = None) -> Recorded:
    open_case(folder, today)
    if date > today:
        raise FieldError("date", f" {date.isoformat()} is in the future (today is {today.isoformat()})")
    entry: dict[str, Any] = {"date": date, "event": text_or_none(event), "source": text_or_none(source),
                             "factors": CommentedSeq(f.strip() for f in factors or [] if f.strip()) or None,
                             "impact": text_or_none(impact), "response": text_or_none(response), "analysis": text_or_none(analysis)}
    validated(m.ChronologyEntry, entry, {"event": "--event", "source": "--source", "factors": "--factor"})
    path = target(folder, "chronology.yaml", "entries")
    _append(path, "entries", entry, CHRONOLOGY_HEADER, by_date=True)
    return Recorded(path, f"added a chronology entry dated {date.isoformat()}")


def _attendee(case: Case, who: str) -> str:
    """A team member's or a person's id, found by id or by name (any case)."""
    for member in case.case.team:
        if who == member.id or who.casefold() == member.name.casefold():
            return member.id
    for person in case.people.people:
        if who == person.id or who.casefold() == person.name.casefold():
            return person.id
    raise FieldError("attendee", f" '{who}' is neither in the case team nor in people.yaml "
                       "(give an id or a name from either; use --other for anyone else)")


@locked
def record_meeting(folder: Path, kind: str, *, date: dt.date, today: dt.date, attendees: list[str] | None = None,
                   others: list[str] | None = None, decided: str | None = None) -> Recorded:
    case, workflow = open_case(folder, today)
    definition = workflow.meetings.get(kind)
    if definition is None:
        raise ReunifyError(f"unknown meeting '{kind}'" + did_you_mean(kind, list(workflow.meetings))
                           + " (meetings: " + ", ".join(workflow.meetings) + ")")
    check_date(case, date, today)
    ids = list(dict.fromkeys(_attendee(case, who.strip()) for who in attendees or [] if who.strip()))
    entry: dict[str, Any] = {"meeting": kind, "date": date, "attendees": CommentedSeq(ids) or None,
                             "others": CommentedSeq(o.strip() for o in others or [] if o.strip()) or None,
                             "decided": text_or_none(decided)}
    validated(m.Meeting, entry, {"others": "--other", "decided": "--decided"})
    path = target(folder, "events.yaml", "meetings")
    _append(path, "meetings", entry, EVENTS_HEADER, by_date=True)
    summary = f"recorded the {definition.title.lower()} on {date.isoformat()}"
    if definition.step is None:
        return Recorded(path, summary)
    # The meeting stands for its step: the step is done, for each child it applies to,
    # when its gates pass; done by the attendee whose role the step names.
    done = complete_steps(unit_of(folder), [definition.step], date=date, by=None, today=today, among=ids)
    return Recorded(path, "; ".join([summary, *done.done]), "\n".join(done.hints) or None, done.files)


@locked
def record_visit(folder: Path, *, date: dt.date, by: str, announced: bool, seen_alone: bool, today: dt.date,
                 note: str | None = None) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    member = team_member(case, by)
    check_date(case, date, today)
    entry: dict[str, Any] = {"date": date, "by": member.id, "announced": announced, "seen_alone": seen_alone,
                             "note": text_or_none(note)}
    validated(m.Visit, entry, {"note": "--note"})
    path = target(folder, "events.yaml", "visits")
    _append(path, "visits", entry, EVENTS_HEADER, by_date=True)
    how = ("announced" if announced else "unannounced") + ", child " + ("seen alone" if seen_alone else "NOT seen alone")
    hint = None
    if not seen_alone and workflow.rules.seen_alone is not None:
        hint = "a visit without the child seen alone is flagged: see the child alone at every visit"
    return Recorded(path, f"recorded the visit on {date.isoformat()} ({how})", hint)


def _parent_agreement(case: Case, parent: str) -> tuple[int, m.ParentAgreement]:
    for index, item in enumerate(case.agreement.parents):
        person = case.person(item.person)
        if parent == item.person or (person is not None and parent.casefold() == person.name.casefold()):
            return index, item
    count = len(case.agreement.parents)
    raise FieldError("parent", f" '{parent}' has no parental agreement "
                       + (f"(agreement.yaml has agreements with {count} parent{'s' if count != 1 else ''}: "
                          "give the id or the name of one)" if count else "(agreement.yaml has no parents yet)"))


def goals_of(case: Case, parent: str) -> list[m.Goal]:
    """The goals of one parent's agreement, for the CLI to offer."""
    return list(_parent_agreement(case, parent)[1].goals)


@locked
def record_goal_review(folder: Path, *, parent: str, goal: int, rating: str, date: dt.date, today: dt.date,
                       evidence: str | None = None) -> Recorded:
    case, _ = open_case(folder, today)
    index, agreement = _parent_agreement(case, parent)
    if not 1 <= goal <= len(agreement.goals):
        raise FieldError("goal", f" must be a goal number from 1 to {len(agreement.goals)}"
                           if agreement.goals else "this parent's agreement has no goals yet")
    check_date(case, date, today)
    if agreement.signed is not None and date < agreement.signed:
        raise FieldError("date", " is before the agreement was signed")
    entry: dict[str, Any] = {"date": date, "rating": rating.strip().lower(), "evidence": text_or_none(evidence)}
    validated(m.GoalReview, entry, {"rating": "--rating", "evidence": "--evidence"})
    path, (_, at) = case.source("agreement.yaml", ("parents", index))
    with edit_file(path) as edit:
        add_entry(edit.data["parents"][at]["goals"][goal - 1], "reviews", entry)
    return Recorded(path, f"recorded goal {goal} as {entry['rating'].upper()} on {date.isoformat()}")


@locked
def record_sdq(folder: Path, *, total: int, date: dt.date, today: dt.date, informant: str = "parent",
               by: str | None = None) -> Recorded:
    one_child(folder)
    case, workflow = open_case(folder, today)
    member = team_member(case, by) if by else None
    check_date(case, date, today)
    informant = informant.strip().lower()
    if informant not in m.SDQ_INFORMANTS:
        raise FieldError("informant", " must be one of: " + ", ".join(m.SDQ_INFORMANTS))
    entry: dict[str, Any] = {"date": date, "total": total, "informant": informant,
                             "by": member.id if member else None}
    validated(m.SdqScore, entry, {"total": "--total"})
    path = target(folder, "events.yaml", "sdq")
    _append(path, "sdq", entry, EVENTS_HEADER, by_date=True)
    band = sdq_band(Facts(case, workflow, today), m.SdqScore.model_validate(entry))
    return Recorded(path, f"recorded an SDQ total of {total} ({band}) on {date.isoformat()}")


@locked
def record_police_check(folder: Path, person: str, *, date: dt.date, result: str, today: dt.date) -> Recorded:
    case, _ = open_case(folder, today)
    found = next((p for p in case.people.people
                  if person == p.id or person.casefold() == p.name.casefold()), None)
    if found is None:
        raise ReunifyError(f"'{person}' is not in people.yaml (give the id or the name of someone there; "
                           "ids are case-sensitive)")
    if date > today:
        raise FieldError("date", f" {date.isoformat()} is in the future (today is {today.isoformat()})")
    entry: dict[str, Any] = {"person": found.id, "date": date, "result": text_or_none(result)}
    validated(m.PoliceCheck, entry, {"result": "--result"})
    path = target(folder, "assessment.yaml", "police_checks")
    _append(path, "police_checks", entry, ASSESSMENT_HEADER, by_date=True)
    return Recorded(path, f"recorded a police check dated {date.isoformat()}")
