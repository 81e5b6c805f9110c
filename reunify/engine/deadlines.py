"""Time rules: every date the framework and the law set for a case, each with its source.

The values live in the workflow (`rules:` and each step's `due:`), so an authority can
change them; what they mean is here (the visits' rules in `visits`). `schedule` turns a
case on a day into:

- `Due` items: a date something is due (visits, reviews, steps with a time limit, a
  reclassification), a date before which something may not happen (the earliest return
  of a case that was High), or a date until which something must continue (support
  after the return). Each cites its rule and the rule's source.
- flags: what already went wrong (a gap between visits longer than the law allows, a
  late review, a visit where the child was not seen alone), as warnings.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec

from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine.due import EVENTS
from reunify.engine.due import Due
from reunify.engine.due import _after
from reunify.engine.due import _due
from reunify.engine.facts import Facts
from reunify.engine.visits import _every
from reunify.engine.visits import _seen_alone
from reunify.engine.visits import _visits
from reunify.records import models as m

if TYPE_CHECKING:
    from reunify.engine.evaluate import StepState

class Schedule(msgspec.Struct, frozen=True):
    dues: list[Due]
    flags: list[Problem]

    @property
    def open(self) -> list[Due]:
        """What is due (not the earliest or until dates), soonest first."""
        return [d for d in self.dues if d.kind == "due"]

    @property
    def overdue(self) -> list[Due]:
        return [d for d in self.dues if d.overdue]


def _classify_command(facts: Facts, record_id: str | None) -> str:
    return (f"reunify classify {record_id or 'ID'} --level LEVEL --rationale TEXT --recommended-by "
            f"{facts.case.only_member({_classifying_role(facts) or ''})}")


def schedule(facts: Facts, states: Sequence[StepState]) -> Schedule:
    """Every due date and every flag of the case on `facts.today`."""
    dues: list[Due] = list(_step_dues(facts, states))
    flags: list[Problem] = []
    final = [s for s in states if s.step.final]
    closed = bool(final) and all(s.state == "done" for s in final)  # nothing falls due after the close
    if not _ended(facts) and not closed:
        for part in (_visits, _reviews, _risk_rules, _after_return, _cycles, _reclassify):
            found_dues, found_flags = part(facts)
            dues += found_dues
            flags += found_flags
    flags += _seen_alone(facts)
    dues.sort(key=lambda d: (d.date, d.what))
    # (High kept too long is a warning of its own, from the checks.)
    flags += [_never_held(facts, due) for due in dues if due.overdue and due.rule != "high_becomes_severe"]
    return Schedule(dues, flags)


# Where 'check' points when something due was never recorded.
NEVER_HELD_AT = {"step": ("events.yaml", ("steps",)), "visits": ("events.yaml", ("visits",)),
                 "reviews": ("events.yaml", ("meetings",)), "after_return": ("events.yaml", ("meetings",)),
                 "high_becomes_severe": ("risk.yaml", ("classifications",)),
                 "reclassify_after_return": ("risk.yaml", ("classifications",))}


def _never_held(facts: Facts, due: Due) -> Problem:
    """An overdue item as a problem for 'check': what was due, when, and by which rule."""
    file, path = NEVER_HELD_AT.get(due.rule.split(":")[0], ("events.yaml", ()))
    return Problem(facts.file(file), path, f"overdue since {due.date.isoformat()}, not recorded: {due.what}",
                   Severity.WARNING, due.citation, "overdue")


def _ended(facts: Facts) -> bool:
    return facts.case.events.exit is not None or facts.ended_by_decision is not None


def _step_dues(facts: Facts, states: Sequence[StepState]) -> Iterator[Due]:
    for state in states:
        if state.due is None or state.state not in ("ready", "waiting") or state.step.optional:
            continue
        yield _due(facts, rule=f"step:{state.step.id}", what=state.step.title, date=state.due,
                   rule_text=state.due_rule or "", source=state.step.source, role=state.step.role,
                   step=state.step.id)


# -- child-in-care reviews ---------------------------------------------------------------


def _reviews(facts: Facts) -> tuple[list[Due], list[Problem]]:
    rule = facts.workflow.rules.reviews
    start = facts.care_started
    if rule is None or start is None:
        return [], []
    first, second, then = rule.span("first"), rule.span("second"), rule.span("then")
    text = f"the first within {first} of coming into care, the second within {second}, then every {then}"
    kinds = {rule.meeting, *rule.also}
    held = sorted((i, meeting) for i, meeting in enumerate(facts.case.events.meetings)
                  if meeting.meeting in kinds and meeting.date >= start)
    held.sort(key=lambda item: item[1].date)
    flags = []
    due = _after(start, first)
    for number, (index, meeting) in enumerate(held):
        if meeting.date > due:
            flags.append(Problem(facts.file(EVENTS), ("meetings", index, "date"),
                                 f"child-in-care review held {(meeting.date - due).days} days after it was "
                                 f"due ({due.isoformat()})", Severity.WARNING,
                                 f"reviews: {text}" + (f" ({rule.source})" if rule.source else ""), "time"))
        due = _after(meeting.date, second if number == 0 else then)
    title = facts.workflow.meetings[rule.meeting].title if rule.meeting in facts.workflow.meetings else rule.meeting
    return [_due(facts, rule="reviews", what=title, date=due, rule_text=text, source=rule.source,
                 command=f"reunify meeting {rule.meeting} --date YYYY-MM-DD --attendee NAME",
                 role="qaro")], flags


# -- risk --------------------------------------------------------------------------------


def _classifying_role(facts: Facts) -> str | None:
    step = next((s for s in facts.workflow.steps.values() if s.kind[0] == "classification"), None)
    return step.role if step else None


def _risk_rules(facts: Facts) -> tuple[list[Due], list[Problem]]:
    wf = facts.workflow
    dues = []
    if facts.level == "high":
        rule = wf.rules.high_becomes_severe
        since = facts.level_since()
        assert since is not None
        dues.append(_due(facts, rule="high_becomes_severe",
                         what=f"Classify the risk again ({wf.level_label('high')} since {since.isoformat()})",
                         date=_after(since, rule.span),
                         rule_text=f"{wf.level_label('high')} for {rule.span} becomes {wf.level_label('severe')}",
                         source=rule.source, role=_classifying_role(facts)))
    if facts.return_date is None and facts.path == "return" and facts.was_ever("high"):
        sustained = wf.rules.sustained_before_return
        start = facts.sustained(set(sustained.levels), facts.today)
        if start is not None:
            levels = " or ".join(wf.level_label(x) for x in sustained.levels)
            dues.append(_due(facts, "not_before", rule="sustained_before_return",
                             what="Earliest return home", date=_after(start, sustained.span),
                             rule_text=f"a case that was {wf.level_label('high')} needs {levels} sustained for "
                                       f"{sustained.span} before it returns", source=sustained.source))
    return dues, []


# -- after the return --------------------------------------------------------------------


def _after_return(facts: Facts) -> tuple[list[Due], list[Problem]]:
    returned = facts.return_date
    if returned is None or facts.return_state != "home":
        return [], []
    wf = facts.workflow
    support = wf.rules.support_after_return
    until = _after(returned, support.span)
    dues = [_due(facts, "until", rule="support_after_return", what="Support after the return continues",
                 date=until, rule_text=f"support for at least {support.span} after the return",
                 source=support.source)]
    flags = []
    for index, service in enumerate(facts.case.plan.after_return):
        if service.until is not None and service.until < until:
            flags.append(Problem(facts.file("plan.yaml"), ("after_return", index, "until"),
                                 f"this support ends before {until.isoformat()}, {support.span} after the return",
                                 Severity.WARNING,
                                 f"support continues for at least {support.span} after the return"
                                 + (f" ({support.source})" if support.source else ""), "time"))
    involvement = wf.rules.involvement_until_low
    if facts.level == "low":
        start = facts.sustained_at_home({"low"}, facts.today)
        if start is not None:
            dues.append(_due(facts, "not_before", rule="involvement_until_low", what="Earliest end of involvement",
                             date=max(_after(start, involvement.span), until),
                             rule_text=f"involvement continues until {wf.level_label('low')} has been sustained "
                                       f"for {involvement.span}", source=involvement.source))
    return dues, flags


def _cycles(facts: Facts) -> tuple[list[Due], list[Problem]]:
    """Meetings at set intervals after the return (team around the child, child in need
    reviews): the next one due, and any held later than the rule allows."""
    returned = facts.return_date
    if returned is None or facts.return_state != "home":
        return [], []
    dues: list[Due] = []
    flags: list[Problem] = []
    for name, rule in facts.workflow.rules.after_return.items():
        if not all(facts.condition(condition) is True for condition in rule.conditions):
            continue
        first, every = rule.span("first"), rule.span("every")
        text = f"the first within {first} of the return home, then at most every {_every(every)}"
        held = sorted((meeting.date, index) for index, meeting in enumerate(facts.case.events.meetings)
                      if meeting.meeting in rule.meetings and meeting.date >= returned)
        due = _after(returned, first)
        for date, index in held:
            if date > due and facts.case.events.meetings[index].meeting == rule.meetings[0]:
                flags.append(Problem(facts.file(EVENTS), ("meetings", index, "date"),
                                     f"{rule.title[:1].lower()}{rule.title[1:]} held {(date - due).days} days after "
                                     f"it was due ({due.isoformat()})", Severity.WARNING,
                                     f"{rule.title}: {text} ({rule.source})", "time"))
            due = _after(date, every)
        dues.append(_due(facts, rule=f"after_return:{name}", what=rule.title, date=due, rule_text=text,
                         command=f"reunify meeting {rule.meetings[0]} --date YYYY-MM-DD --attendee NAME",
                         source=rule.source, role=rule.role))
    return dues, flags


def _reclassify(facts: Facts) -> tuple[list[Due], list[Problem]]:
    """After the return, classify again at set intervals (RC4, RC5, ...) once the repeating
    classification (RC3) is recorded, until involvement ends: never a fixed number of times."""
    wf = facts.workflow
    rule = wf.rules.reclassify_after_return
    returned = facts.return_date
    if rule is None or returned is None or facts.return_state != "home":
        return [], []
    base = next((key for key, c in wf.classifications.items() if c.repeats), None)
    if base is None or base not in facts.classifications:
        return [], []
    if rule.until is not None and rule.until in facts.done_steps:
        return [], []
    involvement = wf.rules.involvement_until_low
    if facts.held_for({"low"}, involvement.span):
        return [], []  # Low sustained long enough: what follows is the end of involvement
    latest = max(c.date for c in facts.risk_history if c.date >= returned) \
        if any(c.date >= returned for c in facts.risk_history) else returned
    next_id = facts.next_classification_id() or base
    return [_due(facts, rule="reclassify_after_return", what=f"Classify the risk again ({next_id})",
                 command=_classify_command(facts, next_id),
                 date=_after(latest, rule.span),
                 rule_text=f"after the return, classify again at most every {_every(rule.span)} until "
                           f"{wf.level_label('low')} has been sustained for {involvement.span}",
                 source=rule.source, role=_classifying_role(facts))], []


def sdq_band(facts: Facts, score: m.SdqScore) -> str:
    """The band of an SDQ total difficulties score for its informant."""
    close, borderline = facts.workflow.rules.sdq_bands.get(score.informant, [13, 16])
    if score.total <= close:
        return "close to average"
    if score.total <= borderline:
        return "borderline"
    return "cause for concern"
