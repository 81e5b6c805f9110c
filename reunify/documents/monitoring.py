"""What monitors a child, as the monitoring form and the placed-with-parents front sheet show
it: visits and the visit rule in force, SDQs, reviews, the outcomes tool over the episode,
the nominated officer's approval, contact arrangements and court orders about contact.

Pure functions of a `Source`, like every context builder: plain data, dates written out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from reunify.documents.context import Context
from reunify.documents.context import Source
from reunify.documents.context import day
from reunify.documents.context import yes_no
from reunify.engine.deadlines import sdq_band
from reunify.engine.visits import visit_rules
from reunify.records import models as m
from reunify.workflow.model import OutcomesTool

INFORMANTS = {"parent": "Parent or carer", "teacher": "Teacher", "self": "Young person (self-report)"}
ORDER_KINDS = {"contact": "Contact order", "no_contact": "No contact order", "other": "Other court order"}
# Shading for a rating by where it lies on the scale: the lower part red, the middle
# amber, the upper part green (the colours of the goal reviews).
RATING_FILLS = ("F5B7B1", "FFE3A3", "C6E9C3")
COMPLETIONS_SHOWN = 4  # columns of the outcomes table: the first completion and the latest ones


# -- visits -------------------------------------------------------------------------------


def visit_rows(src: Source, since: dt.date | None = None) -> list[Context]:
    """Every visit (since a day, when given) in date order: announced or not, the child seen
    alone or not, by whom."""
    visits = sorted((v for v in src.case.events.visits if since is None or v.date >= since), key=lambda v: v.date)
    return [{
        "date": day(v.date),
        "announced": "Announced" if v.announced else "Unannounced",
        "seen_alone": "Yes" if v.seen_alone else "No (flagged)",
        "by": src.member_name(v.by),
        "note": v.note or "",
    } for v in visits]


def rules_context(src: Source, *, placed: bool = False) -> list[Context]:
    """The statutory visit rules for this child, the one that sets the visits first, each
    with its source. With `placed`, as they apply once the child is placed with parents."""
    return [{"title": rule.title, "text": text + ".", "source": rule.source}
            for rule, text in visit_rules(src.facts, placed=placed)]


def seen_alone_rule(src: Source) -> str:
    """The rule that the child is seen alone at every visit, with its source ('' when the
    workflow has no such rule)."""
    rule = src.workflow.rules.seen_alone
    return (rule.source or "the workflow") if rule is not None else ""


def visits_summary(rows: list[Context]) -> str:
    """'4 visits, 1 unannounced; the child was seen alone at every visit.'"""
    if not rows:
        return ""
    unannounced = sum(1 for row in rows if row["announced"] == "Unannounced")
    missed = sum(1 for row in rows if row["seen_alone"] != "Yes")
    text = f"{len(rows)} visit{'s' if len(rows) != 1 else ''}, {unannounced} unannounced; "
    if not missed:
        return text + ("the child was seen alone at every visit." if len(rows) > 1 else "the child was seen alone.")
    return text + f"the child was not seen alone at {missed} of them."


# -- SDQs and reviews ---------------------------------------------------------------------


def sdq_rows(src: Source) -> list[Context]:
    return [{
        "date": day(score.date),
        "informant": INFORMANTS.get(score.informant, score.informant),
        "total": str(score.total),
        "band": sdq_band(src.facts, score).capitalize(),
        "by": src.member_name(score.by),
    } for score in sorted(src.case.events.sdq, key=lambda s: s.date)]


def review_kinds(src: Source) -> list[str]:
    """The meetings that review the child's plan: child-in-care reviews (and those counted
    as one) and the meetings held between them after the return (team around the child,
    child in need reviews), from the workflow's rules."""
    rules = src.workflow.rules
    kinds = [rules.reviews.meeting, *rules.reviews.also] if rules.reviews is not None else []
    kinds += [kind for cycle in rules.after_return.values() for kind in cycle.meetings]
    return list(dict.fromkeys(kinds))


def attendee_names(src: Source, meeting: m.Meeting) -> str:
    """Who came: team members with their role, people with their relationship, then others."""
    names = []
    for who in meeting.attendees:
        member = src.case.member(who)
        person = src.case.person(who)
        if member is not None:
            names.append(f"{member.name}, {src.role_title(member.role).lower()}")
        elif person is not None:
            names.append(f"{person.name}, {person.relationship}" if person.relationship else person.name)
    return "; ".join([*names, *meeting.others])


def review_rows(src: Source) -> list[Context]:
    kinds = review_kinds(src)
    meetings = sorted((x for x in src.case.events.meetings if x.meeting in kinds), key=lambda x: x.date)
    titles = src.workflow.meetings
    return [{
        "date": day(x.date),
        "meeting": titles[x.meeting].title if x.meeting in titles else x.meeting,
        "attendees": attendee_names(src, x),
        "decided": x.decided or "",
    } for x in meetings]


# -- the outcomes tool --------------------------------------------------------------------


def _fill(tool: OutcomesTool, rating: int) -> str:
    low, high = min(tool.scale), max(tool.scale)
    share = (rating - low) / (high - low) if high > low else 1.0
    return RATING_FILLS[0] if share < 0.4 else RATING_FILLS[1] if share < 0.6 else RATING_FILLS[2]


def _shown(completions: list[m.OutcomesCompletion]) -> list[m.OutcomesCompletion]:
    """The completions the table has room for: the first (the baseline) and the latest."""
    if len(completions) <= COMPLETIONS_SHOWN:
        return completions
    return [completions[0], *completions[-(COMPLETIONS_SHOWN - 1):]]


def outcomes_context(src: Source) -> Context:
    """The outcomes tool over the episode: each completion, then each area's rating at each
    completion side by side (so change shows), then the notes."""
    tool = src.workflow.outcomes_tool
    completions = sorted(src.case.events.outcomes, key=lambda c: c.date)
    if tool is None or not completions:
        return {"completions": [], "count": 0, "columns": [], "rows": [], "notes": [], "left_out": "",
                "scale": _scale(tool)}
    shown = _shown(completions)
    left_out = [c for c in completions if c not in shown]

    def point(item: m.OutcomesCompletion) -> str:
        found = tool.points.get(item.at)
        return found.title if found is not None else item.at

    rows = []
    for area, definition in tool.areas.items():
        cells = []
        for item in shown:
            rated = item.areas.get(area)
            label = tool.scale.get(rated.rating) if rated is not None else None
            cells.append({"label": f"{rated.rating} {label.label}" if rated is not None and label else "Not rated",
                          "fill": _fill(tool, rated.rating) if rated is not None and label else "FFFFFF"})
        rows.append({"area": definition.title, "cells": cells})
    notes = [{"date": day(item.date), "area": tool.areas[area].title if area in tool.areas else area,
              "rating": str(rated.rating), "note": rated.note}
             for item in completions for area, rated in item.areas.items() if rated.note]
    return {
        "completions": [{"date": day(c.date), "point": point(c), "by": src.member_name(c.by),
                         "with": src.names(c.people)} for c in completions],
        "count": len(shown),
        "columns": [f"{day(c.date)}\n{point(c)}" for c in shown],
        "rows": rows,
        "notes": notes,
        "left_out": ", ".join(day(c.date) for c in left_out),
        "scale": _scale(tool),
    }


def _scale(tool: OutcomesTool | None) -> list[Context]:
    if tool is None:
        return []
    return [{"rating": str(point), "label": item.label, "meaning": item.meaning, "fill": _fill(tool, point)}
            for point, item in sorted(tool.scale.items())]


# -- the front sheet: approval, visits since the placement, contact -----------------------


def placed_with_parents_since(src: Source) -> dt.date | None:
    """The start of the current placement with parents (P1), if the child is placed so."""
    placements = sorted(src.case.case.placements, key=lambda p: p.since)
    current = [p for p in placements if p.since <= src.today]
    return current[-1].since if current and current[-1].code == "P1" and src.facts.placement == "P1" else None


@dataclass(frozen=True)
class Approval:
    what: str  # "Decision 3 - reunify, ...", "Emergency placed-with-parents approval"
    summary: str  # "Decision 3 ratified", "emergency placed-with-parents approval"
    outcome: str
    by: str  # who decided, when the approval is of a decision someone else made
    approved_by: str | None  # the team member's id
    approved: dt.date | None
    note: str


def approvals(src: Source) -> Context:
    """Who approved the placement with parents, and when: each ratified decision (Decision 3)
    and each approval step of the front sheet done by a manager (the emergency approval);
    those given by the nominated officer's role are summed up in one line."""
    workflow = src.workflow
    rule = workflow.rules.nominated_officer
    officer = rule.role if rule is not None else None
    found: list[Approval] = []
    for decision in sorted(src.case.decisions.decisions, key=lambda d: d.date):
        definition = workflow.decisions.get(decision.id)
        if definition is None or definition.ratified_by is None:
            continue
        outcome = definition.outcomes.get(decision.outcome)
        found.append(Approval(definition.title, definition.title.split(" - ")[0] + " ratified",
                              outcome.title if outcome else decision.outcome, _who(src, decision.by, decision.date),
                              decision.ratified_by, decision.ratified, decision.reason or ""))
    for step in workflow.steps.values():
        done = src.facts.done_steps.get(step.id)
        if done is None or "pwp_front_sheet" not in step.documents or step.role not in workflow.managers():
            continue
        entry = next((s for s in src.case.events.steps if s.step == step.id), None)
        found.append(Approval(step.title, step.title[:1].lower() + step.title[1:], "Approved", "", done.by,
                              done.date, entry.note if entry is not None and entry.note else ""))
    rows = [{"what": a.what, "outcome": a.outcome, "by": a.by, "note": a.note,
             "approved_label": "Ratified by" if a.by else "Approved by",
             "approved_by": _who(src, a.approved_by, a.approved) if a.approved else "Not ratified yet"}
            for a in found]
    given = sorted((a for a in found if a.approved is not None and _holds(src, a.approved_by, officer)),
                   key=lambda a: a.approved or dt.date.min)
    names = list(dict.fromkeys(src.member_name(a.approved_by) for a in given))
    summary = ""
    if given and officer is not None:
        summary = f"{', '.join(names)} ({src.role_title(officer)}): " + "; ".join(
            f"{a.summary} on {day(a.approved)}" for a in given)
    return {
        "rows": rows,
        "officer_role": src.role_title(officer) if officer else "",
        "approved": summary,
        "source": rule.source if rule is not None and rule.source else "",
    }


def _who(src: Source, member_id: str | None, on: dt.date | None) -> str:
    member = src.case.member(member_id)
    if member is None:
        return day(on)
    return f"{member.name} ({src.role_title(member.role)}), {day(on)}"


def _holds(src: Source, member_id: str | None, role: str | None) -> bool:
    member = src.case.member(member_id)
    return role is not None and member is not None and member.role == role


def contact_rows(src: Source) -> list[Context]:
    return [{"with": src.names(c.people), "arrangement": c.arrangement, "supervised": yes_no(c.supervised),
             "from": day(c.since)} for c in src.case.plan.contact]


def order_rows(src: Source, orders: Iterable[m.CourtOrder] | None = None) -> list[Context]:
    items = sorted(src.case.case.orders if orders is None else orders, key=lambda o: o.made)
    return [{
        "kind": ORDER_KINDS.get(o.kind, o.kind),
        "with": src.names(o.people),
        "made": day(o.made),
        "court": o.court or "",
        "terms": o.terms,
        "until": day(o.until),
    } for o in items]


def front_sheet_monitoring(src: Source) -> Context:
    """What the front sheet adds to the household: approval, visits, contact."""
    since = placed_with_parents_since(src)
    log = visit_rows(src, since) if since is not None else []
    return {
        "approval": approvals(src),
        "visit_rules": rules_context(src, placed=True),
        "seen_alone_rule": seen_alone_rule(src),
        "visits_since": day(since),
        "visit_log": log,
        "visits_summary": visits_summary(log),
        "contact": contact_rows(src),
        "orders": order_rows(src),
    }


def monitoring_form_parts(src: Source) -> Context:
    """What the monitoring form adds: visits (and the rule in force), SDQs, reviews, outcomes."""
    visits = visit_rows(src)
    return {
        "visit_rules": rules_context(src),
        "seen_alone_rule": seen_alone_rule(src),
        "visits": visits,
        "visits_summary": visits_summary(visits),
        "sdq": sdq_rows(src),
        "reviews": review_rows(src),
        "outcomes_tool": outcomes_context(src),
    }
