"""The case as its records stood on a day: one mechanism for every judgement "as of".

A decision, a classification, a confirmation or a step is judged against the records as
they stood on its own date; the walkthrough shows each stage as of its day; documents
are made as of theirs. All of them use `case_as_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from reunify.records import Case
from reunify.records import models as m


def case_as_of(case: Case, day: dt.date) -> Case:
    """The case as its records stood at the end of `day`: everything dated later left out.

    Dates that are plans (the timetable, goal and support dates) stay. A record dated
    later that completes an earlier one loses that part (a ratification, a confirmation,
    a sign-off); a record that did not exist yet (an agreement made later, a person not
    yet born) is left out whole, with every mention of it.
    """

    def kept(value: dt.date | None) -> bool:
        return value is not None and value <= day

    def until(value: dt.date | None) -> dt.date | None:
        return value if kept(value) else None

    record = case.case
    record = record.model_copy(update={
        "legal_status": [s for s in record.legal_status if kept(s.since)],
        "placements": [p for p in record.placements if kept(p.since)],
        "left_care": record.left_care if record.left_care and kept(record.left_care.date) else None,
        "orders": [o for o in record.orders if kept(o.made)],
    })

    unborn = {p.id for p in case.people.people if p.born is not None and p.born > day}
    people = case.people
    if unborn or any(p.died is not None and p.died > day for p in people.people) \
            or any(c.since is not None and c.since > day for c in people.couples):
        people = _people_as_of(people, unborn, kept, until)

    chronology = case.chronology.model_copy(update={
        "entries": [e for e in case.chronology.entries if kept(e.date)],
    })

    assessment = case.assessment
    checks = [c for c in assessment.police_checks if kept(c.date) and c.person not in unborn]
    if assessment.started is not None and not kept(assessment.started):
        assessment = m.AssessmentFile.model_validate({}).model_copy(update={"police_checks": checks})
    else:
        assessment = assessment.model_copy(update={
            "police_checks": checks,
            "child_seen_alone": until(assessment.child_seen_alone),
            "signed_off": assessment.signed_off if assessment.signed_off and kept(assessment.signed_off.date)
            else None,
        })

    risk = case.risk.model_copy(update={"classifications": [
        c if kept(c.confirmed) or c.confirmed is None else c.model_copy(update={"confirmed": None,
                                                                                "confirmed_by": None})
        for c in case.risk.classifications if kept(c.date)
    ]})

    decisions = case.decisions.model_copy(update={"decisions": [
        d if kept(d.ratified) or d.ratified is None else d.model_copy(update={"ratified": None,
                                                                              "ratified_by": None})
        for d in case.decisions.decisions if kept(d.date)
    ]})

    agreement = case.agreement
    if agreement.agreed is not None and not kept(agreement.agreed):
        agreement = m.AgreementFile.model_validate({})
    else:
        agreement = agreement.model_copy(update={"parents": [
            parent.model_copy(update={
                "signed": until(parent.signed),
                "goals": [g.model_copy(update={"reviews": [r for r in g.reviews if kept(r.date)]})
                          for g in parent.goals],
            })
            for parent in agreement.parents
        ]})

    events = case.events
    events = events.model_copy(update={
        "steps": [s for s in events.steps if kept(s.date)],
        "meetings": [x for x in events.meetings if kept(x.date)],
        "visits": [v for v in events.visits if kept(v.date)],
        "sdq": [s for s in events.sdq if kept(s.date)],
        "outcomes": [o for o in events.outcomes if kept(o.date)],
        "exit": events.exit if events.exit and kept(events.exit.date) else None,
    })

    return msgspec.structs.replace(case, case=record, people=people, chronology=chronology, assessment=assessment,
                               risk=risk, decisions=decisions, agreement=agreement, events=events)


def case_without(case: Case, kind: str, index: int) -> Case:
    """The case without one record: the step entry, decision or classification at `index`
    (kind "step", "decision" or "classification"), to judge it as if it were not made yet."""
    if kind == "step":
        steps = [s for i, s in enumerate(case.events.steps) if i != index]
        return msgspec.structs.replace(case, events=case.events.model_copy(update={"steps": steps}))
    if kind == "decision":
        decisions = [d for i, d in enumerate(case.decisions.decisions) if i != index]
        return msgspec.structs.replace(case, decisions=case.decisions.model_copy(update={"decisions": decisions}))
    items = [c for i, c in enumerate(case.risk.classifications) if i != index]
    return msgspec.structs.replace(case, risk=case.risk.model_copy(update={"classifications": items}))


def _people_as_of(people: m.PeopleFile, unborn: set[str], kept: Callable[[dt.date | None], bool],
                  until: Callable[[dt.date | None], dt.date | None]) -> m.PeopleFile:
    """The people record without those not yet born (and every mention of them), deaths
    and couples not yet recorded."""
    return people.model_copy(update={
        "people": [p.model_copy(update={"died": until(p.died), "parents": [x for x in p.parents if x not in unborn]})
                   for p in people.people if p.id not in unborn],
        "couples": [c for c in people.couples
                    if not unborn & set(c.people) and (c.since is None or kept(c.since))],
        "relationships": [t for t in people.relationships if not unborn & set(t.people)],
        "households": [h.model_copy(update={
            "members": [x for x in h.members if x not in unborn],
            "regular_visitors": [x for x in h.regular_visitors if x not in unborn],
        }) for h in people.households],
    })
