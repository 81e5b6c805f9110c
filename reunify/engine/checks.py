"""Checks across records: references, dates, order, codes, overrides and the seed's rules.

Each check is a function ``(facts) -> problems``; `check_case` runs them all. Problems
point at a field by its path; `reunify check` turns paths into lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from collections.abc import Iterator

from reunify import codes
from reunify.dates import add
from reunify.engine import gates
from reunify.engine.facts import LEVEL_RANK
from reunify.engine.facts import Facts
from reunify.problems import FieldPath
from reunify.problems import Problem
from reunify.problems import Severity
from reunify.records.validation import did_you_mean
from reunify.workflow.model import gate_spec

Check = Callable[[Facts], Iterator[Problem]]
CHECKS: list[Check] = []

ERROR = Severity.ERROR
WARNING = Severity.WARNING
NOTE = Severity.NOTE

# Files whose dates may lie before the child's birth: family history and dates of birth.
BEFORE_BIRTH_ALLOWED = {"people.yaml", "chronology.yaml"}


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def _p(facts: Facts, file: str, path: FieldPath, message: str, severity: Severity = ERROR,
       hint: str = "", code: str = "check") -> Problem:
    return Problem(facts.file(file), path, message, severity, hint, code)


def check_case(facts: Facts) -> list[Problem]:
    problems: list[Problem] = []
    for function in CHECKS:
        problems.extend(function(facts))
    return problems


@check
def check_references(facts: Facts) -> Iterator[Problem]:
    case = facts.case
    known = {
        "person": [p.id for p in case.people.people],
        "team": [t.id for t in case.case.team],
        "household": [h.id for h in case.people.households],
    }
    where = {"person": "people.yaml", "team": "the team in case.yaml", "household": "people.yaml households"}
    for name, found in facts.marked.items():
        for marked in found:
            if marked.ref and marked.value not in known[marked.ref]:
                yield _p(facts, name, marked.path, f"unknown {marked.ref} id '{marked.value}'"
                         + did_you_mean(str(marked.value), known[marked.ref]),
                         hint=f"ids must be defined in {where[marked.ref]}")
    for kind, ids, file, key in (("person", known["person"], "people.yaml", "people"),
                                 ("household", known["household"], "people.yaml", "households"),
                                 ("team member", known["team"], "case.yaml", "team")):
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                yield _p(facts, file, (key, index, "id"), f"{kind} id '{item}' is used twice")
            seen.add(item)


@check
def check_dates(facts: Facts) -> Iterator[Problem]:
    born = facts.child_born
    for name, found in facts.marked.items():
        for marked in found:
            if marked.date is None:
                continue
            if marked.date in ("happened", "born") and marked.value > facts.today:
                yield _p(facts, name, marked.path, "date is in the future",
                         hint="record what has happened; planned dates belong in the timetable")
            elif (born is not None and marked.date == "happened" and marked.value < born
                  and name not in BEFORE_BIRTH_ALLOWED):
                yield _p(facts, name, marked.path, "date is before the child was born")


@check
def check_codes(facts: Facts) -> Iterator[Problem]:
    record = facts.case.case
    for index, status in enumerate(record.legal_status):
        if status.code not in codes.LEGAL_STATUS:
            yield _p(facts, "case.yaml", ("legal_status", index, "code"),
                     "unknown SSDA903 legal status code" + did_you_mean(status.code, list(codes.LEGAL_STATUS)),
                     hint="codes: " + ", ".join(codes.LEGAL_STATUS))
    for index, placement in enumerate(record.placements):
        if placement.code not in codes.PLACEMENT:
            yield _p(facts, "case.yaml", ("placements", index, "code"),
                     "unknown SSDA903 placement code" + did_you_mean(placement.code, list(codes.PLACEMENT)),
                     hint="codes: " + ", ".join(codes.PLACEMENT))
        if placement.code == codes.PLACED_WITH_PARENTS:
            in_force = [s for s in record.legal_status if s.since <= placement.since]
            current = max(in_force, key=lambda s: s.since) if in_force else None
            if current is not None and current.code in codes.SECTION_20:
                yield _p(facts, "case.yaml", ("placements", index, "code"),
                         f"placement P1 (placed with parents) while the legal status is {current.code} "
                         "(section 20)",
                         hint="a child accommodated under section 20 who goes home leaves care: "
                              "record left_care instead")
    if record.left_care is not None and record.left_care.reason not in codes.EPISODE_ENDED:
        yield _p(facts, "case.yaml", ("left_care", "reason"), "unknown SSDA903 reason episode ceased"
                 + did_you_mean(record.left_care.reason, list(codes.EPISODE_ENDED)),
                 hint="codes: " + ", ".join(codes.EPISODE_ENDED))
    roles = list(facts.workflow.roles)
    for index, member in enumerate(record.team):
        if member.role not in roles:
            yield _p(facts, "case.yaml", ("team", index, "role"), f"unknown role '{member.role}'"
                     + did_you_mean(member.role, roles), hint="roles: " + ", ".join(roles))


@check
def check_events(facts: Facts) -> Iterator[Problem]:
    steps = list(facts.workflow.steps)
    managers = facts.workflow.managers()
    events = facts.case.events
    for index, entry in enumerate(events.steps):
        step = facts.workflow.steps.get(entry.step)
        if step is None:
            yield _p(facts, "events.yaml", ("steps", index, "step"),
                     f"unknown step '{entry.step}'" + did_you_mean(entry.step, steps),
                     hint="'reunify status' lists the steps")
            continue
        if step.kind[0] in ("decision", "classification"):
            yield _p(facts, "events.yaml", ("steps", index, "step"),
                     f"step '{entry.step}' is recorded in {step.kind[0]}s, not here",
                     hint=f"run 'reunify {'decide' if step.kind[0] == 'decision' else 'classify'} "
                          f"{step.kind[1]}'")
        if entry.override is not None:
            member = facts.case.member(entry.by)
            if member is not None and member.role not in managers:
                yield _p(facts, "events.yaml", ("steps", index, "by"),
                         "only a manager can override a gate",
                         hint="managers: " + ", ".join(sorted(managers)))
            else:
                yield _p(facts, "events.yaml", ("steps", index, "override"),
                         f"step '{entry.step}' marked done by a manager's override on "
                         f"{entry.date.isoformat()}", NOTE)
    kinds = list(facts.workflow.meetings)
    known = {p.id for p in facts.case.people.people} | {t.id for t in facts.case.case.team}
    for index, meeting in enumerate(events.meetings):
        if meeting.meeting not in facts.workflow.meetings:
            yield _p(facts, "events.yaml", ("meetings", index, "meeting"),
                     f"unknown meeting '{meeting.meeting}'" + did_you_mean(meeting.meeting, kinds),
                     hint="meetings: " + ", ".join(kinds))
        for at, who in enumerate(meeting.attendees):
            if who not in known:
                yield _p(facts, "events.yaml", ("meetings", index, "attendees", at),
                         f"unknown attendee id '{who}'" + did_you_mean(who, sorted(known)),
                         hint="attendees are ids from people.yaml or the team in case.yaml; "
                              "put anyone else under 'others'")
    for key in events.timetable:
        if key not in facts.workflow.steps:
            yield _p(facts, "events.yaml", ("timetable", key), f"unknown step '{key}'"
                     + did_you_mean(key, steps))
    if events.exit is not None and events.exit.reason not in facts.workflow.exit_reasons:
        reasons = list(facts.workflow.exit_reasons)
        yield _p(facts, "events.yaml", ("exit", "reason"), f"unknown exit reason '{events.exit.reason}'"
                 + did_you_mean(events.exit.reason, reasons), hint="reasons: " + ", ".join(reasons))


@check
def check_decisions(facts: Facts) -> Iterator[Problem]:
    wf = facts.workflow
    for decision_id, (index, decision) in facts.decisions.items():
        at: FieldPath = ("decisions", index)
        definition = wf.decisions.get(decision_id)
        if definition is None:
            yield _p(facts, "decisions.yaml", (*at, "id"), f"unknown decision '{decision_id}'"
                     + did_you_mean(decision_id, list(wf.decisions)))
            continue
        outcome = definition.outcomes.get(decision.outcome)
        if outcome is None:
            yield _p(facts, "decisions.yaml", (*at, "outcome"), f"unknown outcome for {decision_id}"
                     + did_you_mean(decision.outcome, list(definition.outcomes)),
                     hint="outcomes: " + ", ".join(definition.outcomes))
        elif outcome.condition is not None and facts.condition(outcome.condition) is False:
            yield _p(facts, "decisions.yaml", (*at, "outcome"),
                     f"{decision_id} outcome '{decision.outcome}' needs {outcome.when}")
        if (decision.ratified is None) != (decision.ratified_by is None):
            yield _p(facts, "decisions.yaml", at, "ratified and ratified_by go together")
        if decision.ratified is not None and decision.ratified < decision.date:
            yield _p(facts, "decisions.yaml", (*at, "ratified"), "ratified before the decision was made")
        if definition.ratified_by and decision.ratified is None:
            role = wf.roles[definition.ratified_by].title
            yield _p(facts, "decisions.yaml", at, f"{decision_id} awaits ratification by the {role.lower()}",
                     NOTE)
        needs = {gate_spec(item)[0] for item in outcome.needs} if outcome is not None else set()
        if "sustained_risk" in needs and facts.was_ever("high"):
            rule = wf.rules.sustained_before_return
            start = facts.sustained(set(rule.levels), rule.span, decision.date)
            if start is None or add(start, rule.span.amount, rule.span.unit) > decision.date:
                yield _p(facts, "decisions.yaml", (*at, "outcome"),
                         f"the case was {wf.level_label('high')}: a return needs "
                         f"{' or '.join(wf.level_label(x) for x in rule.levels)} sustained for "
                         f"{rule.span} before {decision_id}", WARNING)


@check
def check_classifications(facts: Facts) -> Iterator[Problem]:
    wf = facts.workflow
    ids = list(wf.classifications)
    seen: set[str] = set()
    for index, item in enumerate(facts.case.risk.classifications):
        at: FieldPath = ("classifications", index)
        if item.id not in wf.classifications:
            yield _p(facts, "risk.yaml", (*at, "id"), f"unknown classification '{item.id}'"
                     + did_you_mean(item.id, ids), hint="classifications: " + ", ".join(ids))
        if item.id in seen:
            yield _p(facts, "risk.yaml", (*at, "id"), f"{item.id} is recorded twice")
        seen.add(item.id)
        if (item.confirmed is None) != (item.confirmed_by is None):
            yield _p(facts, "risk.yaml", at, "confirmed and confirmed_by go together")
        if item.confirmed is not None and item.confirmed < item.date:
            yield _p(facts, "risk.yaml", (*at, "confirmed"), "confirmed before it was recommended")
        if item.confirmed_by is not None:
            member = facts.case.member(item.confirmed_by)
            if member is not None and member.role not in wf.managers():
                yield _p(facts, "risk.yaml", (*at, "confirmed_by"), "confirmed by someone who is not a manager")


@check
def check_order(facts: Facts) -> Iterator[Problem]:
    """Steps done before the steps that must come first; decisions out of order."""
    wf = facts.workflow
    done = facts.done_steps
    for step in wf.steps.values():
        mine = done.get(step.id)
        if mine is None:
            continue
        for before_id in step.after:
            before = done.get(before_id)
            if before is None or before.date <= mine.date:
                continue
            strict = {step.kind[0], wf.steps[before_id].kind[0]} & {"decision", "classification"}
            yield _p(facts, mine.file, (*mine.path, "date"),
                     f"'{step.id}' is dated before '{before_id}', which comes first",
                     ERROR if strict else WARNING)


@check
def check_done_gates(facts: Facts) -> Iterator[Problem]:
    """A step recorded as done whose artefacts no longer pass its gates."""
    for step_id, done in facts.done_steps.items():
        if done.override is not None:
            continue
        step = facts.workflow.steps[step_id]
        failing = [p for name, args in step.gate_specs() for p in gates.run_gate(facts, name, args)]
        if failing:
            yield _p(facts, done.file, done.path,
                     f"'{step_id}' is recorded as done but {len(failing)} of its requirements now fail",
                     WARNING, hint="run 'reunify done " + step_id + "' to see them")


@check
def check_police(facts: Facts) -> Iterator[Problem]:
    started = facts.case.assessment.started is not None or "police_checks" in facts.done_steps
    if not started:
        return
    for problem in gates.check_police_checks(facts, None):
        yield Problem(problem.file, problem.path, problem.message, WARNING, problem.hint, "check")


@check
def check_risk_rules(facts: Facts) -> Iterator[Problem]:
    wf = facts.workflow
    history = facts.risk_history
    if not history:
        return
    latest = history[-1]
    index = facts.case.risk.classifications.index(latest)
    span = wf.rules.high_becomes_severe.span
    since = facts.level_since()
    if latest.level == "high" and since is not None and add(since, span.amount, span.unit) <= facts.today:
        yield _p(facts, "risk.yaml", ("classifications", index, "level"),
                 f"risk has been {wf.level_label('high')} since {since.isoformat()}: after {span} the "
                 f"framework says classify it as {wf.level_label('severe')}", WARNING,
                 hint="hold a risk classification meeting; record it with 'reunify classify'"
                 + (f" ({wf.rules.high_becomes_severe.source})" if wf.rules.high_becomes_severe.source else ""))
    returned = facts.return_date
    if returned is not None:
        for previous, current in itertools.pairwise(history):
            if current.date >= returned and LEVEL_RANK[current.level] > LEVEL_RANK[previous.level]:
                at = facts.case.risk.classifications.index(current)
                yield _p(facts, "risk.yaml", ("classifications", at, "level"),
                         f"risk rose after the return ({wf.level_label(previous.level)} to "
                         f"{wf.level_label(current.level)}): discuss with the service manager", WARNING)
