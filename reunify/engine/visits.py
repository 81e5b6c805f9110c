"""The time rules of visits: how often the child must be visited (before and after the
return, as the workflow's `rules.visits` say), when the next visit is due, a gap longer
than the rule allows, and a visit where the child was not seen alone. Part of the
schedule `reunify.engine.deadlines` makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine.due import EVENTS
from reunify.engine.due import Due
from reunify.engine.due import _after
from reunify.engine.due import _due
from reunify.engine.facts import Facts
from reunify.workflow.grammar import Condition
from reunify.workflow.grammar import Span
from reunify.workflow.rules import VisitRule


def _visit_rule_text(rule: VisitRule) -> str:
    first, every, period, then = (rule.span(k) for k in ("first", "every", "period", "then"))
    assert first is not None and every is not None
    text = f"within {first} of the {'placement' if rule.start == 'placement' else 'return home'}, then at most " \
           f"every {_every(every)}"
    if period is not None:
        text += f" for the first {_every(period)}"
    elif rule.until_review:
        text += " until the first child-in-care review"
    if then is not None:
        text += f", then at most every {_every(then)}"
    return text


def _every(span: Span) -> str:
    """'week' for one week, '6 weeks' otherwise: 'every week', 'the first year'."""
    return span.unit if span.amount == 1 else str(span)


def _reviews_held(facts: Facts) -> list[dt.date]:
    rule = facts.workflow.rules.reviews
    if rule is None:
        return []
    kinds = {rule.meeting, *rule.also}
    return sorted(meeting.date for meeting in facts.case.events.meetings if meeting.meeting in kinds)


def _allowed(rule: VisitRule, last: dt.date | None, start: dt.date, reviews: list[dt.date],
             until: dt.date) -> Span:
    """The longest the rule allows after the last visit (or the placement start, before any).

    A child-in-care review held by `until` ends an `until_review` interval.
    """
    first, every, period, then = (rule.span(k) for k in ("first", "every", "period", "then"))
    assert first is not None and every is not None
    if last is None:
        return first
    if period is not None:
        return every if last < _after(start, period) or then is None else then
    if rule.until_review:
        reviewed = any(start <= review <= until for review in reviews)
        return then if reviewed and then is not None else every
    return every


def _applies(facts: Facts, rule: VisitRule, day: dt.date) -> bool:
    return all(facts.condition(condition, on=day) is True for condition in rule.conditions)


def visit_rules(facts: Facts, *, placed: bool = False) -> list[tuple[VisitRule, str]]:
    """The visit rules in force today, each with the rule in words, the most specific (the
    one with more conditions) first. With `placed`, as they will be once the child is
    placed with parents: a condition on the placement holds when it names P1."""
    def holds(condition: Condition) -> bool:
        if placed and condition.subject == "placement":
            return "P1" in {value.upper() for value in condition.values}
        return facts.condition(condition) is True

    found = [rule for rule in facts.workflow.rules.visits.values()
             if (rule.start == "placement" or not placed) and all(holds(c) for c in rule.conditions)]
    found.sort(key=lambda rule: -len(rule.when))
    return [(rule, _visit_rule_text(rule)) for rule in found]


def _visits(facts: Facts) -> tuple[list[Due], list[Problem]]:
    """The next visit due and the late visits: counted from the start of the current
    placement while the child is looked after, or from the return home for rules that say
    `start: return` (a child who left care when they went home)."""
    rules = facts.workflow.rules.visits
    dues: list[Due] = []
    flags: list[Problem] = []
    current = [p for p in facts.case.case.placements if p.since <= facts.today]
    if current and facts.left_care_on(facts.today) is None:
        start = max(current, key=lambda p: p.since).since
        found = _visits_from(facts, {k: r for k, r in rules.items() if r.start == "placement"}, start)
        dues += found[0]
        flags += found[1]
    if facts.return_date is not None and facts.return_state == "home":
        found = _visits_from(facts, {k: r for k, r in rules.items() if r.start == "return"}, facts.return_date)
        dues += found[0]
        flags += found[1]
    # Where two rules apply, the stricter one sets the next visit (on a tie, the rule with
    # more conditions: the more specific one).
    order = {f"visits:{name}": -len(rule.when) for name, rule in rules.items()}
    return ([min(dues, key=lambda d: (d.date, order[d.rule]))] if dues else []), flags


def _visits_from(facts: Facts, rules: dict[str, VisitRule], start: dt.date) -> tuple[list[Due], list[Problem]]:
    if not rules:
        return [], []
    reviews = _reviews_held(facts)
    visits = sorted(((i, v) for i, v in enumerate(facts.case.events.visits) if v.date >= start),
                    key=lambda item: item[1].date)
    flags: list[Problem] = []
    last: dt.date | None = None
    for index, visit in visits:
        limits = [(_after(last or start, _allowed(rule, last, start, reviews, visit.date)), rule)
                  for rule in rules.values() if _applies(facts, rule, last or start)]
        if limits:
            latest, rule = min(limits, key=lambda item: item[0])
            if visit.date > latest:
                gap = (visit.date - (last or start)).days
                since = ("the start of the placement" if rule.start == "placement" else "the return home") \
                    if last is None else f"the visit on {last.isoformat()}"
                flags.append(Problem(
                    facts.file(EVENTS), ("visits", index, "date"),
                    f"visit {gap} days after {since}: it was due by {latest.isoformat()}",
                    Severity.WARNING, f"{rule.title}: {_visit_rule_text(rule)} ({rule.source})", "time"))
        last = visit.date
    dues = []
    for name, rule in rules.items():
        if not _applies(facts, rule, facts.today):
            continue
        date = _after(last or start, _allowed(rule, last, start, reviews, facts.today))
        dues.append(_due(facts, rule=f"visits:{name}", what=rule.title, date=date,
                         rule_text=_visit_rule_text(rule), source=rule.source, role="social_worker",
                         command=f"reunify visit --date YYYY-MM-DD --by {facts.case.only_member({'social_worker'})} "
                                 "--announced --seen-alone"))
    return dues, flags


def _seen_alone(facts: Facts) -> Iterator[Problem]:
    rule = facts.workflow.rules.seen_alone
    if rule is None:
        return
    for index, visit in enumerate(facts.case.events.visits):
        if not visit.seen_alone:
            yield Problem(facts.file(EVENTS), ("visits", index, "seen_alone"),
                          f"the child was not seen alone at the visit on {visit.date.isoformat()}",
                          Severity.WARNING, "see the child alone at every visit"
                          + (f" ({rule.source})" if rule.source else ""), "time")
