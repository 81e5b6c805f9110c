"""Checks across records: references, dates, order, codes, overrides and the seed's rules.

Each check is a function ``(facts) -> problems``; `check_case` runs them all. Problems
point at a field by its path; `reunify check` turns paths into lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from collections.abc import Iterator

from reunify.core import codes
from reunify.core.dates import add
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine import gates
from reunify.engine.facts import Facts
from reunify.records.validation import did_you_mean

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


# What each kind of reference refers to: (its name, the message, where its ids are, the
# file, the list there, what one entry is called). Ids of people, team members and
# households are personal data (an id is often a name), so a message never quotes one,
# not even as a suggestion: it says where the ids are and which entry is close.
REFERENCES = {
    "person": ("person", "no one in people.yaml has this id", "people.yaml", "people", "person", "people"),
    "team": ("team member", "no one in the case team has this id", "case.yaml", "team", "team member",
             "team members"),
    "household": ("household", "no household in people.yaml has this id", "people.yaml", "households",
                  "household", "households"),
}


def _ids_hint(ids: list[str], value: str, file: str, entry: str, entries: str) -> str:
    """'people.yaml lists 8 people; ids are case-sensitive', and which entry is close, by position."""
    count = f"{len(ids)} {entry if len(ids) == 1 else entries}"
    hint = f"{file} lists {count}; ids are case-sensitive"
    folded = [i for i, known in enumerate(ids) if known.casefold() == value.casefold()]
    if folded:
        return hint + f" ({entry} {folded[0] + 1} there has this id in other letter case)"
    close = difflib.get_close_matches(value, ids, n=1, cutoff=0.75)
    if close:
        return hint + f" ({entry} {ids.index(close[0]) + 1} there has a similar id)"
    return hint


@check
def check_references(facts: Facts) -> Iterator[Problem]:
    case = facts.case
    known = {
        "person": [p.id for p in case.people.people],
        "team": [t.id for t in case.case.team],
        "household": [h.id for h in case.people.households],
    }
    for name, found in facts.marked.items():
        for marked in found:
            if marked.ref and marked.value not in known[marked.ref]:
                kind, message, file, _, entry, entries = REFERENCES[marked.ref]
                yield _p(facts, name, marked.path, f"unknown {kind} id: {message}",
                         hint=_ids_hint(known[marked.ref], str(marked.value), file, entry, entries))
    for ref in ("person", "household", "team"):
        kind, _, file, key, entry, _ = REFERENCES[ref]
        first: dict[str, int] = {}
        for index, item in enumerate(known[ref]):
            if item in first:
                yield _p(facts, file, (key, index, "id"), f"this {kind} id is used twice",
                         hint=f"{entry} {first[item] + 1} in {file} has the same id; ids must be unique")
            else:
                first[item] = index


@check
def check_dates(facts: Facts) -> Iterator[Problem]:
    born = facts.child_born
    for name, found in facts.marked.items():
        for marked in found:
            if marked.date is None:
                continue
            if marked.date == "born" and marked.value > facts.today:
                yield _p(facts, name, marked.path, "date of birth is in the future",
                         hint="check the year")
            elif marked.date == "happened" and marked.value > facts.today:
                yield _p(facts, name, marked.path, "date is in the future",
                         hint="record what has happened; planned dates belong in the timetable")
            elif (born is not None and marked.date == "happened" and marked.value < born
                  and name not in BEFORE_BIRTH_ALLOWED):
                yield _p(facts, name, marked.path, "date is before the child was born")


@check
def check_family(facts: Facts) -> Iterator[Problem]:
    """A family that can exist: no one their own parent or ancestor, at most two birth
    parents, no one dying before they were born, couples and ties of two people."""
    people = facts.case.people
    for index, person in enumerate(people.people):
        at: FieldPath = ("people", index)
        for place, parent in enumerate(person.parents):
            if parent == person.id:
                yield _p(facts, "people.yaml", (*at, "parents", place), "a person cannot be their own parent")
        distinct = list(dict.fromkeys(p for p in person.parents if p != person.id))
        if person.parent_link == "birth" and len(distinct) > 2:
            yield _p(facts, "people.yaml", (*at, "parents", person.parents.index(distinct[2])),
                     "more than two birth parents",
                     hint="a person has at most two birth parents; for adoptive, foster or step parents "
                          "set parent_link: adopted, fostered or step")
        if person.born is not None and person.died is not None and person.died < person.born:
            yield _p(facts, "people.yaml", (*at, "died"), "died before they were born")
    pairs = [("couples", index, couple.people, "a couple") for index, couple in enumerate(people.couples)]
    pairs += [("relationships", index, tie.people, "a relationship") for index, tie in enumerate(people.relationships)]
    for key, index, pair, what in pairs:
        if pair[0] == pair[1]:
            yield _p(facts, "people.yaml", (key, index, "people", 1), f"{what} of one person: the two ids are the same")
    yield from _parent_loops(facts)


def _parent_loops(facts: Facts) -> Iterator[Problem]:
    """People who would be their own ancestors (A a parent of B, B a parent of A, any length)."""
    people = facts.case.people.people
    position: dict[str, int] = {}
    for index, person in enumerate(people):
        position.setdefault(person.id, index)
    parents = [[position[p] for p in person.parents if p in position and position[p] != index]
               for index, person in enumerate(people)]
    for loop in _loops(parents):
        first = min(loop)
        members = set(loop)
        place = next(i for i, p in enumerate(people[first].parents) if position.get(p, first) in members - {first})
        shown = sorted(loop)[:6]
        more = f" and {len(loop) - len(shown)} more" if len(loop) > len(shown) else ""
        yield _p(facts, "people.yaml", ("people", first, "parents", place),
                 "parents form a loop: this person would be their own ancestor",
                 hint="the loop goes through people " + ", ".join(str(i + 1) for i in shown) + more
                      + " in people.yaml, counted from the top")


def _loops(edges: list[list[int]]) -> list[list[int]]:
    """The strongly connected parts of more than one node of a graph (Tarjan's, without recursion)."""
    order = [-1] * len(edges)
    low = [0] * len(edges)
    stacked = [False] * len(edges)
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(len(edges)):
        if order[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, step = work[-1]
            if step == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                stacked[node] = True
            if step < len(edges[node]):
                work[-1] = (node, step + 1)
                nxt = edges[node][step]
                if order[nxt] == -1:
                    work.append((nxt, 0))
                elif stacked[nxt]:
                    low[node] = min(low[node], order[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                part: list[int] = []
                while True:
                    other = stack.pop()
                    stacked[other] = False
                    part.append(other)
                    if other == node:
                        break
                if len(part) > 1:
                    found.append(part)
    return found


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
            yield _p(facts, "case.yaml", ("team", index, "role"), "unknown role"
                     + did_you_mean(member.role, roles), hint="roles: " + ", ".join(roles))
        if member.since is not None and member.until is not None and member.until <= member.since:
            yield _p(facts, "case.yaml", ("team", index, "until"), "the member's time on the case ends "
                     "before it begins")


@check
def check_events(facts: Facts) -> Iterator[Problem]:
    steps = list(facts.workflow.steps)
    managers = facts.workflow.managers()
    events = facts.case.events
    for index, entry in enumerate(events.steps):
        step = facts.workflow.steps.get(entry.step)
        if step is None:
            yield _p(facts, "events.yaml", ("steps", index, "step"),
                     "unknown step" + did_you_mean(entry.step, steps),
                     hint="'reunify status' lists the steps")
            continue
        if step.kind[0] in ("decision", "classification"):
            where = "decisions.yaml" if step.kind[0] == "decision" else "risk.yaml"
            yield _p(facts, "events.yaml", ("steps", index, "step"),
                     f"this step is {step.kind[1]}, which is recorded in {where}, not here",
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
                         f"'{step.id}' marked done by a manager's override", NOTE)
    kinds = list(facts.workflow.meetings)
    known = {p.id for p in facts.case.people.people} | {t.id for t in facts.case.case.team}
    for index, meeting in enumerate(events.meetings):
        if meeting.meeting not in facts.workflow.meetings:
            yield _p(facts, "events.yaml", ("meetings", index, "meeting"),
                     "unknown meeting" + did_you_mean(meeting.meeting, kinds),
                     hint="meetings: " + ", ".join(kinds))
        for at, who in enumerate(meeting.attendees):
            if who not in known:
                yield _p(facts, "events.yaml", ("meetings", index, "attendees", at),
                         "unknown attendee id: no one in people.yaml or the case team has this id",
                         hint="attendees are ids from people.yaml or the team in case.yaml (ids are "
                              "case-sensitive); put anyone else under 'others'")
    for key in events.timetable:
        if key not in facts.workflow.steps:
            yield _p(facts, "events.yaml", ("timetable", key), "unknown step"
                     + did_you_mean(key, steps), hint="'reunify status' lists the steps")
    if events.exit is not None and events.exit.reason not in facts.workflow.exit_reasons:
        reasons = list(facts.workflow.exit_reasons)
        yield _p(facts, "events.yaml", ("exit", "reason"), "unknown exit reason"
                 + did_you_mean(events.exit.reason, reasons), hint="reasons: " + ", ".join(reasons))


@check
def check_decisions(facts: Facts) -> Iterator[Problem]:
    wf = facts.workflow
    yield from _twice(facts, "decisions.yaml", "decisions",
                      [d.id for d in facts.case.decisions.decisions], set(wf.decisions), "decision")
    for index, decision in enumerate(facts.case.decisions.decisions):
        decision_id = decision.id
        at: FieldPath = ("decisions", index)
        definition = wf.decisions.get(decision_id)
        if definition is None:
            yield _p(facts, "decisions.yaml", (*at, "id"), "unknown decision"
                     + did_you_mean(decision_id, list(wf.decisions)), hint="decisions: " + ", ".join(wf.decisions))
            continue
        outcome = definition.outcomes.get(decision.outcome)
        if outcome is None:
            yield _p(facts, "decisions.yaml", (*at, "outcome"), f"unknown outcome for {decision_id}"
                     + did_you_mean(decision.outcome, list(definition.outcomes)),
                     hint="outcomes: " + ", ".join(definition.outcomes))
        if (decision.ratified is None) != (decision.ratified_by is None):
            yield _p(facts, "decisions.yaml", at, "ratified and ratified_by go together")
        if decision.ratified is not None and decision.ratified < decision.date:
            yield _p(facts, "decisions.yaml", (*at, "ratified"), "ratified before the decision was made")
        if definition.ratified_by and decision.ratified is None:
            role = wf.roles[definition.ratified_by].title
            yield _p(facts, "decisions.yaml", at, f"{decision_id} awaits ratification by the {role.lower()}",
                     NOTE)


def _twice(facts: Facts, file: str, key: str, ids: list[str], known: set[str], kind: str) -> Iterator[Problem]:
    """Each decision or classification is recorded once: the second entry is an error.

    A known id (D1, RC2) comes from the workflow and may be named; any other is not.
    """
    first: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item not in first:
            first[item] = index
            continue
        what = item if item in known else f"this {kind}"
        yield _p(facts, file, (key, index, "id"), f"{what} is recorded twice",
                 hint=f"{kind} {first[item] + 1} in {file} is the same one; keep one entry")


@check
def check_classifications(facts: Facts) -> Iterator[Problem]:
    wf = facts.workflow
    ids = list(wf.classifications)
    found = [c.id for c in facts.case.risk.classifications]
    yield from _twice(facts, "risk.yaml", "classifications", found,
                      {i for i in found if wf.classification(i) is not None}, "classification")
    for index, item in enumerate(facts.case.risk.classifications):
        at: FieldPath = ("classifications", index)
        if wf.classification(item.id) is None:
            yield _p(facts, "risk.yaml", (*at, "id"), "unknown classification"
                     + did_you_mean(item.id, ids), hint="classifications: " + ", ".join(ids))
        if (item.confirmed is None) != (item.confirmed_by is None):
            yield _p(facts, "risk.yaml", at, "confirmed and confirmed_by go together")
        if item.confirmed is not None and item.confirmed < item.date:
            yield _p(facts, "risk.yaml", (*at, "confirmed"), "confirmed before it was recommended")


@check
def check_police(facts: Facts) -> Iterator[Problem]:
    step = facts.workflow.marked("police_checks")
    started = facts.case.assessment.started is not None or (step is not None and step.id in facts.done_steps)
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
    for previous, current in facts.rises_after_return:
        at = facts.case.risk.classifications.index(current)
        yield _p(facts, "risk.yaml", ("classifications", at, "level"),
                 f"risk rose after the return ({wf.level_label(previous.level)} to "
                 f"{wf.level_label(current.level)}): discuss with the service manager", WARNING)


# The checks of the framework's assessment content (domain answers, the risk table's
# factors) live beside the cautionary factors; importing them registers them here.
from reunify.engine import assessed as _content  # noqa: E402,F401
