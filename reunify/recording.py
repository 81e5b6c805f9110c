"""Recording what happened: steps, decisions, risk classifications and exits.

Each function checks everything first and writes once, round-trip and atomically, or
raises `Refused` listing exactly what is missing and changes nothing. Every function here
is what the matching CLI command calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reunify.engine import evaluate
from reunify.engine import workflow_for
from reunify.engine.evaluate import Evaluation
from reunify.engine.facts import Facts
from reunify.engine.gates import run_gate
from reunify.problems import Problem
from reunify.problems import Refused
from reunify.problems import ReunifyError
from reunify.records import Case
from reunify.records import load_case
from reunify.records import models as m
from reunify.records.validation import did_you_mean
from reunify.skeleton import DECISIONS_HEADER
from reunify.skeleton import EVENTS_HEADER
from reunify.skeleton import RISK_HEADER
from reunify.workflow import Step
from reunify.workflow import Workflow
from reunify.workflow.model import gate_spec
from reunify.yamlio import CommentedMap
from reunify.yamlio import CommentedSeq
from reunify.yamlio import Locator
from reunify.yamlio import append_entry
from reunify.yamlio import edit_file
from reunify.yamlio import write_new_file


@dataclass(frozen=True)
class Recorded:
    """What a recording command wrote, for the CLI to confirm."""

    file: Path
    summary: str


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


def open_case(folder: Path, today: dt.date) -> tuple[Case, Workflow]:
    """The case and its workflow, or `Refused` when the records have errors."""
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


def team_member(case: Case, who: str) -> m.TeamMember:
    """A team member by id or by name (any case)."""
    for member in case.case.team:
        if who == member.id or who.casefold() == member.name.casefold():
            return member
    ids = [member.id for member in case.case.team]
    raise ReunifyError(f"'{who}' is not in the case team" + did_you_mean(who, ids)
                       + (" (team: " + ", ".join(ids) + ")" if ids else ""))


def _check_date(case: Case, date: dt.date, today: dt.date) -> None:
    if date > today:
        raise ReunifyError(f"--date {date.isoformat()} is in the future (today is {today.isoformat()})")
    child = case.child
    if child is not None and child.born is not None and date < child.born:
        raise ReunifyError("--date is before the child was born")


def _step(workflow: Workflow, step_id: str) -> Step:
    step = workflow.steps.get(step_id)
    if step is None:
        raise ReunifyError(f"unknown step '{step_id}'" + did_you_mean(step_id, list(workflow.steps))
                           + " ('reunify status' lists the steps)")
    return step


def _blockers(evaluation: Evaluation, step: Step, folder: Path, date: dt.date,
              *, gates: bool = True) -> list[str]:
    """Everything that stops `step` being recorded as done on `date`, one line each."""
    state = evaluation.state(step.id)
    if state.state == "not_applicable":
        return [f"it does not apply: {state.reason}"]
    reasons = [f"waiting: {item}" for item in state.waiting_on]
    for before_id in step.after:
        before = evaluation.state(before_id).done
        if before is not None and before.date > date:
            reasons.append(f"'{before_id}', which comes first, is dated {before.date.isoformat()}: "
                           "the date given is earlier")
    if gates:
        locator = Locator()
        reasons += [describe_problem(p, locator, folder) for p in state.missing if p.code == "gate"]
    return reasons


def _append(path: Path, key: str, entry: dict[str, Any], header: str) -> None:
    if not path.exists():
        write_new_file(path, header)
    with edit_file(path) as edit:
        items = edit.data.get(key)
        if items is None or (not items and items.fa.flow_style()):
            # An empty `[]` would keep flow style and put every entry on one line.
            items = CommentedSeq()
            edit.data[key] = items
        append_entry(items, CommentedMap((k, v) for k, v in entry.items() if v is not None))


def _set_fields(path: Path, key: str, index: int, values: dict[str, Any]) -> None:
    """Add fields (a ratification, a confirmation) to one recorded entry of a list."""
    with edit_file(path) as edit:
        item = edit.data[key][index]
        for name, value in values.items():
            item[name] = value


def record_step(folder: Path, step_id: str, *, date: dt.date, by: str, today: dt.date,
                note: str | None = None, override: str | None = None) -> Recorded:
    case, workflow = open_case(folder, today)
    step = _step(workflow, step_id)
    kind, record_id = step.kind
    if kind == "decision":
        raise ReunifyError(f"'{step_id}' is a decision: record it with 'reunify decide {record_id}'")
    if kind == "classification":
        raise ReunifyError(f"'{step_id}' is a risk classification: record it with "
                           f"'reunify classify {record_id}'")
    member = team_member(case, by)
    _check_date(case, date, today)
    evaluation = evaluate(case, workflow, today)
    state = evaluation.state(step_id)
    if state.done is not None:
        raise Refused(f"'{step_id}' is already recorded as done on {state.done.date.isoformat()}")
    if override is not None:
        if not override.strip():
            raise ReunifyError("--override needs the reason for the professional judgement")
        if member.role not in workflow.managers():
            raise Refused(f"only a manager can override a gate; '{member.id}' is a "
                          f"{workflow.roles[member.role].title.lower() if member.role in workflow.roles else member.role}")
    # An override stands in for missing artefacts, never for the steps that come first.
    reasons = _blockers(evaluation, step, folder, date, gates=override is None)
    if reasons:
        raise Refused(f"'{step_id}' cannot be marked done yet; nothing was changed", reasons)
    entry = {"step": step_id, "date": date, "by": member.id, "note": note,
             "override": override.strip() if override else None}
    path = case.file("events.yaml")
    _append(path, "steps", entry, EVENTS_HEADER)
    how = "done by a manager's override" if override else "done"
    return Recorded(path, f"recorded '{step_id}' ({step.title}) as {how} on {date.isoformat()}")


def record_decision(folder: Path, decision_id: str, *, outcome: str, date: dt.date, by: str,
                    today: dt.date, reason: str | None = None) -> Recorded:
    case, workflow = open_case(folder, today)
    definition = workflow.decisions.get(decision_id)
    if definition is None:
        raise ReunifyError(f"unknown decision '{decision_id}'" + did_you_mean(decision_id, list(workflow.decisions)))
    chosen = definition.outcomes.get(outcome)
    if chosen is None:
        raise ReunifyError(f"unknown outcome for {decision_id}" + did_you_mean(outcome, list(definition.outcomes))
                           + " (outcomes: " + ", ".join(definition.outcomes) + ")")
    member = team_member(case, by)
    _check_date(case, date, today)
    required = workflow.roles[definition.by]
    if member.role != definition.by:
        raise Refused(f"{decision_id} is made by the {required.title.lower()}; '{member.id}' is not one")
    facts = Facts(case, workflow, today)
    if decision_id in facts.decisions:
        raise Refused(f"{decision_id} is already recorded; change decisions.yaml by hand if it was wrong")
    reasons: list[str] = []
    step = workflow.step_for("decision", decision_id)
    if step is not None:
        reasons += _blockers(evaluate(case, workflow, today), step, folder, date)
    if chosen.condition is not None and facts.condition(chosen.condition) is not True:
        reasons.append(f"outcome '{outcome}' needs {chosen.when}")
    locator = Locator()
    on_the_day = Facts(case, workflow, date)  # the outcome's rules apply on the decision's date
    for item in chosen.needs:
        name, args = gate_spec(item)
        reasons += [describe_problem(p, locator, folder) for p in run_gate(on_the_day, name, args)]
    if reasons:
        raise Refused(f"{decision_id} cannot be recorded as '{outcome}' yet; nothing was changed", reasons)
    entry = {"id": decision_id, "date": date, "by": member.id, "outcome": outcome, "reason": reason}
    path = case.file("decisions.yaml")
    _append(path, "decisions", entry, DECISIONS_HEADER)
    summary = f"recorded {decision_id}: {chosen.title} ({date.isoformat()})"
    if definition.ratified_by:
        summary += f"; it needs ratifying by the {workflow.roles[definition.ratified_by].title.lower()}"
    return Recorded(path, summary)


def ratify_decision(folder: Path, decision_id: str, *, date: dt.date, by: str, today: dt.date) -> Recorded:
    case, workflow = open_case(folder, today)
    definition = workflow.decisions.get(decision_id)
    if definition is None or definition.ratified_by is None:
        raise ReunifyError(f"{decision_id} is not ratified in this workflow")
    member = team_member(case, by)
    _check_date(case, date, today)
    if member.role != definition.ratified_by:
        raise Refused(f"{decision_id} is ratified by the {workflow.roles[definition.ratified_by].title.lower()}")
    facts = Facts(case, workflow, today)
    found = facts.decisions.get(decision_id)
    if found is None:
        raise Refused(f"{decision_id} is not recorded yet")
    if found[1].ratified is not None:
        raise Refused(f"{decision_id} was already ratified on {found[1].ratified.isoformat()}")
    if date < found[1].date:
        raise ReunifyError("--date is before the decision was made")
    path = case.file("decisions.yaml")
    _set_fields(path, "decisions", found[0], {"ratified_by": member.id, "ratified": date})
    return Recorded(path, f"recorded the ratification of {decision_id} on {date.isoformat()}")


def record_classification(folder: Path, classification_id: str, *, level: str, rationale: str,
                          recommended_by: list[str], date: dt.date, today: dt.date) -> Recorded:
    case, workflow = open_case(folder, today)
    if classification_id not in workflow.classifications:
        raise ReunifyError(f"unknown classification '{classification_id}'"
                           + did_you_mean(classification_id, list(workflow.classifications)))
    level = level.strip().lower()
    labels = {v.label.casefold(): k for k, v in workflow.risk_levels.items()}
    level = labels.get(level.casefold(), level)
    if level not in workflow.risk_levels:
        raise ReunifyError("--level must be one of: " + ", ".join(v.label for v in workflow.risk_levels.values()))
    if not rationale.strip():
        raise ReunifyError("--rationale must say why this level was chosen")
    members = [team_member(case, who).id for who in recommended_by]
    if not members:
        raise ReunifyError("--recommended-by must name who recommended the level")
    _check_date(case, date, today)
    facts = Facts(case, workflow, today)
    if classification_id in facts.classifications:
        raise Refused(f"{classification_id} is already recorded; change risk.yaml by hand if it was wrong")
    step = workflow.step_for("classification", classification_id)
    if step is not None:
        reasons = _blockers(evaluate(case, workflow, today), step, folder, date)
        if reasons:
            raise Refused(f"{classification_id} cannot be recorded yet; nothing was changed", reasons)
    entry = {"id": classification_id, "date": date, "level": level, "rationale": rationale.strip(),
             "recommended_by": CommentedSeq(members)}
    path = case.file("risk.yaml")
    _append(path, "classifications", entry, RISK_HEADER)
    return Recorded(path, f"recorded {classification_id}: {workflow.level_label(level)} ({date.isoformat()})")


def confirm_classification(folder: Path, classification_id: str, *, by: str, date: dt.date,
                           today: dt.date) -> Recorded:
    case, workflow = open_case(folder, today)
    member = team_member(case, by)
    _check_date(case, date, today)
    if member.role not in workflow.managers():
        raise Refused("a risk classification is confirmed by a manager")
    facts = Facts(case, workflow, today)
    found = facts.classifications.get(classification_id)
    if found is None:
        raise Refused(f"{classification_id} is not recorded yet")
    if found[1].confirmed is not None:
        raise Refused(f"{classification_id} was already confirmed on {found[1].confirmed.isoformat()}")
    if date < found[1].date:
        raise ReunifyError("--date is before the classification was recommended")
    path = case.file("risk.yaml")
    _set_fields(path, "classifications", found[0], {"confirmed_by": member.id, "confirmed": date})
    return Recorded(path, f"recorded the confirmation of {classification_id} on {date.isoformat()}")


def record_exit(folder: Path, *, reason: str, date: dt.date, by: str, today: dt.date,
                note: str | None = None) -> Recorded:
    case, workflow = open_case(folder, today)
    if reason not in workflow.exit_reasons:
        raise ReunifyError(f"unknown exit reason '{reason}'" + did_you_mean(reason, list(workflow.exit_reasons))
                           + " (reasons: " + ", ".join(workflow.exit_reasons) + ")")
    if reason == "other" and not note:
        raise ReunifyError("an exit for another reason needs --note saying which")
    member = team_member(case, by)
    _check_date(case, date, today)
    if case.events.exit is not None:
        raise Refused(f"the case already ended part way on {case.events.exit.date.isoformat()}")
    path = case.file("events.yaml")
    if not path.exists():
        write_new_file(path, EVENTS_HEADER)
    with edit_file(path) as edit:
        edit.data["exit"] = CommentedMap(
            (k, v) for k, v in {"date": date, "reason": reason, "by": member.id, "note": note}.items()
            if v is not None
        )
    return Recorded(path, f"recorded the end of the process on {date.isoformat()}: "
                          f"{workflow.exit_reasons[reason].lower()}")
