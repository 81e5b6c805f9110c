"""One context builder per framework document: a pure function of the case.

Each returns the document's own part of the context under one name (the template reads
`chronology.entries`, `assessment.parents`, ...). The CPAG pack is built from the others,
so a fact appears the same way in every document that shows it.
"""

from __future__ import annotations

from reunify.core import codes
from reunify.core.dates import age_in_years
from reunify.documents import assessment_content as content
from reunify.documents.context import Context
from reunify.documents.context import Source
from reunify.documents.context import chronology_rows
from reunify.documents.context import classification_context
from reunify.documents.context import day
from reunify.documents.context import decision_context
from reunify.documents.context import factor_counts
from reunify.documents.context import rating_context
from reunify.documents.context import service_rows
from reunify.documents.context import yes_no
from reunify.documents.monitoring import front_sheet_monitoring
from reunify.documents.monitoring import monitoring_form_parts
from reunify.engine.summary import key_dates
from reunify.records import models as m


def monitoring_form(src: Source) -> Context:
    facts = src.facts
    case = src.case
    outcome, outcome_date = "Open: the reunification episode continues.", ""
    if case.events.exit is not None:
        reason = src.workflow.exit_reasons.get(case.events.exit.reason, case.events.exit.reason)
        outcome, outcome_date = f"Ended part way: {reason}", day(case.events.exit.date)
    elif facts.ended_by_decision is not None:
        ended = decision_context(src, facts.ended_by_decision)
        outcome, outcome_date = f"Ended by {ended['id']}: {ended['outcome']}", ended["date"]
    elif facts.path == "permanence":
        outcome = "Alternative permanence is being planned."
    elif case.case.left_care is not None:
        outcome = f"Returned home; left care ({case.case.left_care.reason})."
        outcome_date = day(case.case.left_care.date)
    elif facts.return_date is not None:
        outcome, outcome_date = "Returned home; the return is being supported.", day(facts.return_date)
    steps = []
    for step_id, done in sorted(facts.done_steps.items(), key=lambda item: item[1].date):
        step = src.workflow.steps[step_id]
        steps.append({
            "stage": src.workflow.stage_of[step_id].title,
            "step": step.title,
            "date": day(done.date),
            "by": src.member_name(done.by),
            "override": done.override or "",
        })
    return {
        "key_dates": [{"label": label, "date": day(when)} for label, when in key_dates(facts)],
        "legal_status": [{"status": codes.describe(codes.LEGAL_STATUS, s.code), "from": day(s.since)}
                         for s in sorted(case.case.legal_status, key=lambda s: s.since)],
        "decisions": [decision_context(src, d) for d in case.decisions.decisions],
        "classifications": [classification_context(src, c) for c in facts.risk_history],
        "steps": steps,
        "outcome": outcome,
        "outcome_date": outcome_date,
        "current_level": src.level_label(facts.level),
        # Visits and the visit rule in force, SDQs, reviews, the outcomes tool (monitoring.py).
        **monitoring_form_parts(src),
    }


def _chronologist(src: Source) -> str:
    return src.member_name(src.case.chronology.chronologist) or src.role_holder("chronologist")


def chronology(src: Source) -> Context:
    return {
        "chronologist": _chronologist(src),
        "entries": chronology_rows(src),
        "factors": factor_counts(src),
    }


def chronology_court(src: Source) -> Context:
    # The court version keeps what happened, its impact on the child and what was done; only
    # the practitioner's analysis stays out.
    rows = [{key: row[key] for key in ("date", "age", "event", "source", "factors", "impact", "response")}
            for row in chronology_rows(src)]
    return {"chronologist": _chronologist(src), "entries": rows}


def people_rows(src: Source) -> list[Context]:
    households: dict[str, list[str]] = {}
    for household in src.case.people.households:
        for person_id in household.members:
            households.setdefault(person_id, []).append(household.name)
    return [{
        "name": person.name,
        "relationship": person.relationship or "",
        "sex": person.sex.capitalize(),
        "born": day(person.born),
        "age": src.age(person),
        "household": ", ".join(households.get(person.id, [])),
    } for person in src.case.people.people]


def genogram(src: Source) -> Context:
    return {"picture": src.genogram, "people": people_rows(src)}


def return_home_assessment(src: Source) -> Context:
    record = src.case.assessment
    latest = src.latest_classification()
    rows = chronology_rows(src)
    return {
        "started": day(record.started),
        # The workflow's domains, each with its questions, the fields it shows and the answer.
        "domains": content.domains(src),
        "cautions": content.caution_rows(src),
        "chronology_summary": [{k: row[k] for k in ("date", "age", "event", "factors")} for row in rows],
        "factors": factor_counts(src),
        "genogram": genogram(src),
        "conclusion": record.conclusion or "",
        "classification": classification_context(src, latest) if latest else None,
        "signed_off_by": src.member_name(record.signed_off.by) if record.signed_off else "",
        "signed_off": day(record.signed_off.date) if record.signed_off else "",
    }


def risk_classification(src: Source) -> Context:
    latest = src.latest_classification()
    assert latest is not None  # the catalogue renders this document only once one exists
    return {
        "current": classification_context(src, latest),
        "levels": content.classification_table(src, latest),
        "factors_recorded": bool(latest.factors),
        "cautions": content.caution_rows(src),
        "history": [classification_context(src, c) for c in src.facts.risk_history],
    }


# The documents for the child (the accessible risk table, the young person's report) are
# written to the child: reunify.documents.for_child.


def _goal(number: int, goal: m.Goal) -> Context:
    reviews = [{"date": day(r.date), "rating": rating_context(r.rating), "evidence": r.evidence or ""}
               for r in sorted(goal.reviews, key=lambda r: r.date)]
    return {
        "number": str(number),
        "change": goal.change or "",
        "steps": "\n".join(f"• {step}" for step in goal.steps),
        "evidence": goal.evidence or "",
        "due": day(goal.due),
        "support": goal.support or "",
        "reviews": reviews,
        "latest": reviews[-1]["rating"] if reviews else None,
    }


def parental_agreement(src: Source) -> Context:
    record = src.case.agreement
    parents = []
    for item in record.parents:
        person = src.case.person(item.person)
        parents.append({
            "name": src.person_name(item.person),
            "relationship": (person.relationship or "") if person else "",
            "strengths": list(item.strengths),
            "concerns": list(item.concerns),
            "goals": [_goal(n, g) for n, g in enumerate(item.goals, start=1)],
            "signed": day(item.signed),
        })
    return {
        "agreed": day(record.agreed),
        "review_date": day(record.review_date),
        "parents": parents,
        "child_communication": src.case.plan.child_communication or "",
        "contingency": src.case.plan.contingency or "",
    }


def reunification_plan(src: Source) -> Context:
    plan = src.case.plan
    return {
        "support": service_rows(src, plan.support),
        "contact": [{"with": src.names(c.people), "arrangement": c.arrangement,
                     "supervised": yes_no(c.supervised), "from": day(c.since)} for c in plan.contact],
        "transition": [{"step": t.step, "date": day(t.date)} for t in plan.transition],
        "child_communication": plan.child_communication or "",
        "contingency": plan.contingency or "",
        "after_return": service_rows(src, plan.after_return),
        "return_date": day(src.facts.return_date),
    }


def pwp_front_sheet(src: Source) -> Context:
    case = src.case
    home = case.household(case.case.home)
    placements = sorted(case.case.placements, key=lambda p: p.since)
    with_parents = next((p for p in reversed(placements) if p.code == "P1"), None)
    checks = {c.person: c for c in case.assessment.police_checks}
    threshold = src.workflow.rules.police_check_age

    def member(person_id: str, role: str) -> Context:
        person = case.person(person_id)
        check = checks.get(person_id)
        young = bool(person and person.born and age_in_years(person.born, src.today) < threshold)
        return {
            "name": src.person_name(person_id),
            "relationship": (person.relationship or "") if person else "",
            "age": src.age(person) if person else "",
            "role": role,
            "police_check": (f"{day(check.date)}: {check.result}" if check
                             else f"Not needed (under {threshold})" if young else "Not recorded"),
        }

    people = []
    if home is not None:
        people = [member(p, "Lives in the home") for p in home.members]
        people += [member(p, "Regular visitor") for p in home.regular_visitors]
    return {
        "household": home.name if home else "",
        "address": (home.address or "") if home else "",
        "people": people,
        "placed_from": day(with_parents.since) if with_parents else "Not placed with parents yet",
        "return_date": day(src.facts.return_date) or "Not yet",
        "assessment_signed_off": day(case.assessment.signed_off.date) if case.assessment.signed_off else "",
        "level": src.level_label(src.facts.level),
        # The nominated officer's approval, the visit rules for the legal status and the
        # visits since the placement, contact and court orders (monitoring.py).
        **front_sheet_monitoring(src),
    }
