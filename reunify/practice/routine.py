"""Recording the rhythm of practice: chronology entries, meetings (each standing for its
step), visits, goal reviews, SDQ scores and police checks. Each checks everything first
and writes once under the case's lock, as `reunify.practice.recording` describes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reunify.core.errors import FieldError
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.engine.deadlines import sdq_band
from reunify.engine.facts import Facts
from reunify.practice.recording import Recorded
from reunify.practice.recording import _append
from reunify.practice.recording import check_date
from reunify.practice.recording import complete_steps
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import text_or_none
from reunify.practice.recording import validated
from reunify.practice.skeleton import ASSESSMENT_HEADER
from reunify.practice.skeleton import CHRONOLOGY_HEADER
from reunify.practice.skeleton import EVENTS_HEADER
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import target
from reunify.records.family import unit_of
from reunify.records.validation import did_you_mean


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
    validated(m.ChronologyEntry, entry)
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
    raise FieldError("attendees", f" '{who}' is neither in the case team nor in people.yaml "
                       "(give an id or a name from either; use `others` for anyone else)")


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
    validated(m.Meeting, entry)
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
    validated(m.Visit, entry)
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
    validated(m.GoalReview, entry)
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
    validated(m.SdqScore, entry)
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
    validated(m.PoliceCheck, entry)
    path = target(folder, "assessment.yaml", "police_checks")
    _append(path, "police_checks", entry, ASSESSMENT_HEADER, by_date=True)
    return Recorded(path, f"recorded a police check dated {date.isoformat()}")
