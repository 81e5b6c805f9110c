"""Every recorded step, decision and classification judged as of its own day.

One rule: a record is right or wrong by what the records said on its date, never by
what they say today. The recording commands and `check` ask the same questions here, so
that a hand edit or an import gets no further than the command would have let it:

- did the step apply that day (its path, its condition), and was what comes first done;
- did its artefacts pass its gates that day (unless a manager overrode them);
- was it made by the role the workflow names (a decision, its ratification, a
  classification's confirmation), and did the decision's outcome hold that day;
- was it recorded late (after its time limit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import msgspec

from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine.asof import case_as_of
from reunify.engine.asof import case_without
from reunify.engine.evaluate import StepState
from reunify.engine.evaluate import judge
from reunify.engine.evaluate import root_causes
from reunify.engine.facts import Facts
from reunify.engine.gates import run_gate
from reunify.engine.states import NotApplicable
from reunify.records import models as m
from reunify.workflow import Step
from reunify.workflow.model import gate_spec

ERROR = Severity.ERROR
WARNING = Severity.WARNING
NOTE = Severity.NOTE
STRICT_KINDS = ("decision", "classification")  # named by their record id in messages


class Finding(msgspec.Struct, frozen=True):
    """One reason a record could not have been made as it was: `strict` ones are errors."""

    message: str
    strict: bool
    problem: Problem | None = None  # the gate problem behind it, with its place
    cause: bool = False  # what a step it waits on still needs ("which still needs: ...")
    not_applicable: NotApplicable | None = None  # the step did not apply, and why


class Reasons(list[str]):
    """Why a record cannot be made, one line each; `ruled_out`: its step did not apply at all."""

    ruled_out: bool = False


def judging_day(facts: Facts, step: Step, day: dt.date) -> dt.date:
    """The day a record is judged on: its own; but a step of a path that a later decision
    set (the return of a child already placed with parents, dated when the placement
    began, before Decision 1) is judged on the day of that decision."""
    later = [decision.date for decision_id, (_, decision) in facts.decisions.items()
             if decision.date > day and (definition := facts.workflow.decisions.get(decision_id)) is not None
             and (outcome := definition.outcomes.get(decision.outcome)) is not None
             and outcome.path is not None and outcome.path in step.paths and outcome.path != "return"]
    return min(later) if later else day


def facts_on(facts: Facts, day: dt.date, kind: str | None = None, index: int = -1) -> Facts:
    """The facts as the records stood on `day`, without the record being judged (the entry
    at `index` of the steps, decisions or classifications, for `kind`)."""
    if kind is None:
        return Facts(case_as_of(facts.case, day), facts.workflow, day, _is_as_of=True)
    # One view of the records per day, shared by every record of that day; the record
    # itself is then left out of its list (steps by identity, the others by id).
    on_day = facts.as_of(day).case
    if kind == "step":
        record = facts.case.events.steps[index]
        position = next((i for i, s in enumerate(on_day.events.steps) if s is record), -1)
    elif kind == "decision":
        wanted = facts.case.decisions.decisions[index].id
        position = next((i for i, d in enumerate(on_day.decisions.decisions) if d.id == wanted), -1)
    else:
        wanted = facts.case.risk.classifications[index].id
        position = next((i for i, c in enumerate(on_day.risk.classifications) if c.id == wanted), -1)
    case = case_without(on_day, kind, position) if position >= 0 else on_day
    return Facts(case, facts.workflow, day, _is_as_of=True)


def step_findings(state: StepState, *, gates: bool = True) -> list[Finding]:
    """Why `state` (a step judged on a day) could not be recorded as done that day."""
    # What the command refuses, 'check' reports as an error: a hand edit or an import
    # gets no further than the command would have let it.
    strict = True
    if state.state == "not_applicable":
        return [Finding(f"it did not apply: {state.reason}", strict, not_applicable=state.not_applicable)]
    found: list[Finding] = []
    for item in state.waiting_on:
        found.append(Finding(f"waiting: {item}", strict))
    if found and state.lookup is not None:
        for cause in root_causes(state)[:5]:
            if isinstance(cause, Problem):
                found.append(Finding(f"which still needs: {cause.message}", False, cause, cause=True))
            else:
                found.append(Finding(f"which still needs: {cause}", False, cause=True))
    if gates:
        found += [Finding(p.message, strict, p) for p in state.missing if p.code == "gate"]
    return found


def record_findings(facts: Facts, step: Step, day: dt.date, *, by: str | None = None,
                    outcome: str | None = None, gates: bool = True, trace: bool = False) -> list[Finding]:
    """Everything that stops `step` being recorded on `day` by team member `by` (with
    `outcome`, for a decision). `facts` must hold the records as of `day` without it."""
    wf = facts.workflow
    found = step_findings(judge(facts, step.id, trace=trace), gates=gates)
    kind, record_id = step.kind
    if kind == "decision":
        found += decision_findings(facts, record_id, outcome, by)
    elif by is not None:
        member = facts.case.member(by)
        role = wf.roles.get(step.role)
        if (member is not None and kind == "classification" and member.role != step.role
                and member.role not in wf.managers() and role is not None):
            found.append(Finding(f"{record_id} is recommended at a meeting the {role.title.lower()} holds; "
                                 "no one who recommended it is one", False))
    return found


def decision_findings(facts: Facts, decision_id: str, outcome: str | None, by: str | None) -> list[Finding]:
    """A decision's own rules on its day: who makes it, and whether its outcome held."""
    wf = facts.workflow
    definition = wf.decisions.get(decision_id)
    found: list[Finding] = []
    if definition is None:
        return found
    member = facts.case.member(by) if by else None
    if member is not None and member.role != definition.by:
        found.append(Finding(f"{decision_id} is made by the {wf.roles[definition.by].title.lower()}; "
                             f"it was recorded by {_a_role(facts, member.role)}", True))
    chosen = definition.outcomes.get(outcome) if outcome else None
    if chosen is not None:
        if chosen.condition is not None and facts.condition(chosen.condition) is not True:
            found.append(Finding(f"outcome '{outcome}' needs {chosen.when}{_risk_then(facts, chosen.when)}", True))
        for item in chosen.requires:
            name, args = gate_spec(item)
            found += [Finding(p.message, True, p) for p in run_gate(facts, name, args)]
    return found


def _a_role(facts: Facts, role: str) -> str:
    found = facts.workflow.roles.get(role)
    if found is None:
        return "someone whose role the workflow does not know"
    title = found.title.lower()
    return ("an " if title[:1] in "aeiou" else "a ") + title


def _risk_then(facts: Facts, when: str | None) -> str:
    if when and when.startswith("risk") and facts.level is not None:
        return f" (on {facts.today.isoformat()} it was {facts.workflow.level_label(facts.level)})"
    return ""


# -- check: every record, judged on its day ------------------------------------------------


def check_records(facts: Facts) -> Iterator[Problem]:
    """Every recorded step, decision and classification judged as of its own day."""
    wf = facts.workflow
    for index, entry in facts.events.values():
        step = wf.steps.get(entry.step)
        if step is None or step.kind[0] not in ("date", "meeting"):
            continue  # an unknown step, or one recorded in the wrong file: check_events reports it
        on_day = facts_on(facts, judging_day(facts, step, entry.date), "step", index)
        findings = record_findings(on_day, step, entry.date, gates=entry.override is None)
        yield from _report(facts, step, entry.date, "events.yaml", ("steps", index), findings)
        yield from _late(facts, on_day, step, entry.date, "events.yaml", ("steps", index, "date"))
    for index, decision in enumerate(facts.case.decisions.decisions):
        definition = wf.decisions.get(decision.id)
        if definition is None or facts.decisions.get(decision.id, (index, None))[0] != index:
            continue
        on_day = facts_on(facts, decision.date, "decision", index)
        step = wf.step_for("decision", decision.id)
        at: FieldPath = ("decisions", index)
        if step is not None:
            findings = record_findings(on_day, step, decision.date, by=decision.by, outcome=decision.outcome)
        else:
            findings = decision_findings(on_day, decision.id, decision.outcome, decision.by)
        yield from _report(facts, step, decision.date, "decisions.yaml", at, findings, decision.id)
        if decision.ratified_by is not None and definition.ratified_by is not None:
            member = facts.case.member(decision.ratified_by)
            if member is not None and member.role != definition.ratified_by:
                yield _problem(facts, "decisions.yaml", (*at, "ratified_by"),
                               f"{decision.id} is ratified by the {wf.roles[definition.ratified_by].title.lower()}; "
                               f"this was {_a_role(facts, member.role)}", ERROR)
    for index, item in enumerate(facts.case.risk.classifications):
        if wf.classification(item.id) is None or facts.classifications.get(item.id, (index, None))[0] != index:
            continue
        step = wf.step_for("classification", item.id)
        at = ("classifications", index)
        if step is not None:
            on_day = facts_on(facts, item.date, "classification", index)
            yield from _report(facts, step, item.date, "risk.yaml", at, record_findings(on_day, step, item.date))
            yield from _late(facts, on_day, step, item.date, "risk.yaml", (*at, "date"))
        yield from _confirmation(facts, item, at)


def _confirmation(facts: Facts, item: m.Classification, at: FieldPath) -> Iterator[Problem]:
    wf = facts.workflow
    definition = wf.classification(item.id)
    assert definition is not None
    wanted = definition.confirmed_by
    who = (f"the {wf.roles[wanted].title.lower()}" if wanted in wf.roles else "a manager") if wanted else "a manager"
    if item.confirmed_by is None:
        yield _problem(facts, "risk.yaml", at, f"{item.id} awaits confirmation by {who}", NOTE,
                       f"reunify classify {item.id} --confirm --date YYYY-MM-DD"
                       + ("" if facts.case.only_member({wanted} if wanted else wf.managers()) != "NAME"
                          else " --by NAME"),
                       # After the return no step asks for it: 'next' lists it to be done.
                       "awaits" if facts.return_date is not None and item.date >= facts.return_date else "check")
        return
    member = facts.case.member(item.confirmed_by)
    if member is None:
        return  # an unknown id: check_references reports it
    allowed = {wanted} if wanted else wf.managers()
    if member.role not in allowed:
        yield _problem(facts, "risk.yaml", (*at, "confirmed_by"),
                       f"{item.id} is confirmed by {who}; this was {_a_role(facts, member.role)}", ERROR)


def _report(facts: Facts, step: Step | None, day: dt.date, file: str, at: FieldPath,
            findings: list[Finding], label: str | None = None) -> Iterator[Problem]:
    if not findings:
        return
    name = label or (f"'{step.id}'" if step is not None else "this record")
    if step is not None and step.kind[0] in STRICT_KINDS and label is None:
        name = step.kind[1]
    own = [f for f in findings if not f.cause]
    strict = any(f.strict for f in own)
    first = own[0] if own else findings[0]
    more = f" (and {len(own) - 1} more)" if len(own) > 1 else ""
    hint = "; ".join(f.message for f in own[1:4])
    yield _problem(facts, file, (*at, "date"), f"{name} was recorded on {day.isoformat()}, but then "
                   f"{_then(first.message)}{more}", ERROR if strict else WARNING, hint)


def _then(message: str) -> str:
    """A finding as the end of 'but then ...': 'it did not apply: ...', "'rc2' was not done"."""
    text = message.removeprefix("waiting: ")
    return text.replace(" is not done", " was not done").replace(" is not confirmed", " was not confirmed")


def _late(facts: Facts, on_day: Facts, step: Step, day: dt.date, file: str, at: FieldPath) -> Iterator[Problem]:
    """A step with a time limit recorded after it: 'held 12 days after it was due'."""
    if step.deadline is None or step.optional:
        return
    due = on_day.deadline_date(step.deadline)
    if due is None or day <= due:
        return
    verb = "held" if step.kind[0] == "meeting" else "recorded"
    source = f" ({step.source})" if step.source else ""
    yield _problem(facts, file, at, f"'{step.id}' {verb} {(day - due).days} days after it was due "
                   f"({due.isoformat()})", WARNING, f"{step.title}: {step.due}{source}", "time")


def _problem(facts: Facts, file: str, path: FieldPath, message: str, severity: Severity, hint: str = "",
             code: str = "check") -> Problem:
    return Problem(facts.file(file), path, message, severity, hint, code)

