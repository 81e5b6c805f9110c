"""The case's history in date order, and the risk level over time.

Every event comes from a record: legal status and placement changes, leaving care, steps
done, decisions and ratifications, risk classifications and confirmations, meetings,
visits, SDQ scores, the outcomes tool, court orders about contact, police checks, goal
reviews, chronology entries and an exit part way. Events after the day evaluated are left out: the timeline is the history as of then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from collections.abc import Iterator
from dataclasses import dataclass

from reunify.core import codes
from reunify.engine.deadlines import sdq_band
from reunify.engine.facts import Facts
from reunify.records import Case

# Also the order of events on the same day: changes of status first, then what happened,
# then what was decided about it.
KINDS: tuple[str, ...] = (
    "legal_status", "placement", "left_care", "court_order", "chronology", "meeting", "visit", "sdq",
    "outcomes", "police_check", "goal_review", "risk", "decision", "step", "exit",
)
_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}
INFORMANTS = {"parent": "parent's questionnaire", "teacher": "teacher's questionnaire",
              "self": "child's own questionnaire"}


@dataclass(frozen=True)
class Event:
    """One dated thing in the records. `who` names whoever did it, or who was at a meeting."""

    date: dt.date
    kind: str
    title: str
    detail: str = ""
    who: str = ""


def timeline(facts: Facts) -> list[Event]:
    """Every event up to `facts.today`, by date; on one day by kind, then as the files list them."""
    found = [event for event in _events(facts) if event.date <= facts.today]
    ordered = sorted(enumerate(found), key=lambda item: (item[1].date, _KIND_ORDER[item[1].kind], item[0]))
    return [event for _, event in ordered]


def select(events: list[Event], *, since: dt.date | None = None,
           kinds: Collection[str] = ()) -> list[Event]:
    """The events on or after `since` whose kind is one of `kinds` (all kinds when empty)."""
    return [e for e in events if (since is None or e.date >= since) and (not kinds or e.kind in kinds)]


def risk_over_time(facts: Facts, today: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """(from, to, level) for each classification up to `today`; the last one runs to `today`."""
    history = [c for c in facts.risk_history if c.date <= today]
    ends = [c.date for c in history[1:]] + [today]
    return [(item.date, end, item.level) for item, end in zip(history, ends, strict=False)]


UNKNOWN_ID = "someone not in the records"


def display_name(case: Case, ref: str | None) -> str:
    """A team member's or a person's name; an id that names no one (which 'check' reports)
    is not shown as written."""
    member = case.member(ref)
    if member is not None:
        return member.name
    person = case.person(ref)
    if person is not None:
        return person.name
    return UNKNOWN_ID if ref else ""


def _sentences(*parts: str | None) -> str:
    """Parts joined as sentences: 'unannounced, child NOT seen alone. The note'."""
    text = ""
    for part in parts:
        if part:
            text += (" " if text.endswith((".", "!", "?")) else ". " if text else "") + part
    return text


def _events(facts: Facts) -> Iterator[Event]:
    yield from _case_events(facts)
    yield from _step_events(facts)
    yield from _decision_events(facts)
    yield from _risk_events(facts)
    yield from _meeting_events(facts)
    yield from _visit_events(facts)
    yield from _sdq_events(facts)
    yield from _outcomes_events(facts)
    yield from _police_check_events(facts)
    yield from _goal_review_events(facts)
    for entry in facts.case.chronology.entries:
        yield Event(entry.date, "chronology", "Chronology", entry.event)
    yield from _exit_events(facts)


def _case_events(facts: Facts) -> Iterator[Event]:
    record = facts.case.case
    for status in record.legal_status:
        yield Event(status.since, "legal_status", "Legal status", codes.describe(codes.LEGAL_STATUS, status.code))
    for placement in record.placements:
        carer = f", carer {display_name(facts.case, placement.carer)}" if placement.carer else ""
        yield Event(placement.since, "placement", "Placement",
                    codes.describe(codes.PLACEMENT, placement.code) + carer)
    if record.left_care is not None:
        yield Event(record.left_care.date, "left_care", "Left care",
                    codes.describe(codes.EPISODE_ENDED, record.left_care.reason))
    kinds = {"contact": "contact order", "no_contact": "no contact order", "other": "other court order"}
    for order in record.orders:
        names = ", ".join(display_name(facts.case, person) for person in order.people)
        yield Event(order.made, "court_order", "Court order",
                    kinds[order.kind].capitalize() + (f" ({names})" if names else ""))


def _step_events(facts: Facts) -> Iterator[Event]:
    workflow = facts.workflow
    for entry in facts.case.events.steps:
        step = workflow.steps.get(entry.step)
        if step is not None and _recorded_elsewhere(facts, *step.kind):
            continue  # shown from decisions.yaml or risk.yaml
        override = f"Manager's override: {entry.override}" if entry.override else None
        yield Event(entry.date, "step", step.title if step else "An unknown step",
                    _sentences(entry.note, override), display_name(facts.case, entry.by))


def _recorded_elsewhere(facts: Facts, kind: str, record_id: str) -> bool:
    if kind == "decision":
        return record_id in facts.decisions
    return kind == "classification" and record_id in facts.classifications


def _decision_events(facts: Facts) -> Iterator[Event]:
    for decision in facts.case.decisions.decisions:
        definition = facts.workflow.decisions.get(decision.id)
        outcome = definition.outcomes.get(decision.outcome) if definition else None
        name = decision.id if definition else "An unknown decision"
        outcome_title = outcome.title if outcome else "an unknown outcome"
        yield Event(decision.date, "decision", f"{name}: {outcome_title}", decision.reason or "",
                    display_name(facts.case, decision.by))
        if decision.ratified is not None:
            yield Event(decision.ratified, "decision", f"{name} ratified", outcome_title,
                        display_name(facts.case, decision.ratified_by))


def _risk_events(facts: Facts) -> Iterator[Event]:
    for item in facts.case.risk.classifications:
        label = facts.workflow.level_label(item.level)
        name = item.id if facts.workflow.classification(item.id) is not None else "An unknown classification"
        yield Event(item.date, "risk", f"{name}: {label}", item.rationale,
                    ", ".join(display_name(facts.case, who) for who in item.recommended_by))
        if item.confirmed is not None:
            yield Event(item.confirmed, "risk", f"{name} confirmed", label,
                        display_name(facts.case, item.confirmed_by))


def _meeting_events(facts: Facts) -> Iterator[Event]:
    for meeting in facts.case.events.meetings:
        definition = facts.workflow.meetings.get(meeting.meeting)
        present = [display_name(facts.case, who) for who in meeting.attendees] + list(meeting.others)
        yield Event(meeting.date, "meeting", definition.title if definition else "A meeting of an unknown kind",
                    meeting.decided or "", ", ".join(present))


def _visit_events(facts: Facts) -> Iterator[Event]:
    for visit in facts.case.events.visits:
        how = "announced" if visit.announced else "unannounced"
        alone = "child seen alone" if visit.seen_alone else "child NOT seen alone"
        yield Event(visit.date, "visit", "Visit", _sentences(f"{how}, {alone}", visit.note),
                    display_name(facts.case, visit.by))


def _sdq_events(facts: Facts) -> Iterator[Event]:
    for score in facts.case.events.sdq:
        yield Event(score.date, "sdq", "SDQ",
                    f"total {score.total} ({sdq_band(facts, score)}), {INFORMANTS[score.informant]}",
                    display_name(facts.case, score.by) if score.by else "")


def _outcomes_events(facts: Facts) -> Iterator[Event]:
    """Each completion of the outcomes tool: when in the episode, the average and the lowest area."""
    tool = facts.workflow.outcomes_tool
    for item in facts.case.events.outcomes:
        point = tool.points.get(item.at) if tool is not None else None
        detail = point.title if point is not None else item.at
        if item.areas and tool is not None:
            ratings = [rated.rating for rated in item.areas.values()]
            lowest = min(item.areas, key=lambda area: item.areas[area].rating)
            title = tool.areas[lowest].title if lowest in tool.areas else lowest
            detail += (f": average {sum(ratings) / len(ratings):.1f} of {max(tool.scale)}; lowest, "
                       f"{title[:1].lower()}{title[1:]} ({item.areas[lowest].rating})")
        yield Event(item.date, "outcomes", "Outcomes tool", detail, display_name(facts.case, item.by))


def _police_check_events(facts: Facts) -> Iterator[Event]:
    # The result is left out: it is sensitive, and belongs in the assessment, not on a list.
    for check in facts.case.assessment.police_checks:
        yield Event(check.date, "police_check", "Police check", display_name(facts.case, check.person))


def _goal_review_events(facts: Facts) -> Iterator[Event]:
    """One event per parent and review day, listing each goal reviewed with its rating."""
    for parent in facts.case.agreement.parents:
        days: dict[dt.date, list[str]] = {}
        for number, goal in enumerate(parent.goals, 1):
            for review in goal.reviews:
                days.setdefault(review.date, []).append(f"goal {number} {review.rating.upper()}")
        for day, ratings in days.items():
            yield Event(day, "goal_review", "Goal review",
                        f"{display_name(facts.case, parent.person)}: {', '.join(ratings)}")


def _exit_events(facts: Facts) -> Iterator[Event]:
    ended = facts.case.events.exit
    if ended is not None:
        reason = facts.workflow.exit_reasons.get(ended.reason, "a reason the workflow does not know")
        yield Event(ended.date, "exit", "Ended part way", _sentences(reason, ended.note), display_name(facts.case, ended.by))
