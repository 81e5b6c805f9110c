"""The change of placement panel's (CPAG) pack: a cover the panel reads first, then the
papers seed 003 step 17 lists: the Return Home Assessment, the chronology, the last
child-in-care review's decisions, the parental agreement, the reunification plan and the
placed-with-parents front sheet.

The cover says when the panel sits, what it is asked to recommend and on what decisions,
and, once it has sat, what it recommended (the panel's meeting, or its step's note).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reunify.documents import builders as b
from reunify.documents.context import Context
from reunify.documents.context import Source
from reunify.documents.context import day
from reunify.documents.context import decision_context
from reunify.records import Case
from reunify.records import models as m
from reunify.workflow import Workflow

REVIEW = "cic_review"  # a child-in-care review (Care Planning, Placement and Case Review Regulations 2010, reg 33)
CONTENTS = {
    "cover": "Summary for the panel",
    "assessment": "Return Home Assessment",
    "chronology": "Analytical chronology",
    "decisions": "Decisions of the last child-in-care review",
    "agreement": "Parental agreement and goal setting",
    "plan": "Reunification plan",
    "front_sheet": "Placed with parents front sheet",
}


def panel_of(workflow: Workflow) -> tuple[str | None, set[str]]:
    """The panel's step (the one marked `panel`) and the kinds of meeting that stand for it."""
    step = workflow.marked("panel")
    if step is None:
        return None, set()
    return step.id, {kind for kind, meeting in workflow.meetings.items() if meeting.step == step.id}


def _attendees(src: Source, meeting: m.Meeting) -> str:
    names = [src.member_name(who) or src.person_name(who) or who for who in meeting.attendees]
    return ", ".join(names + list(meeting.others))


def last_review(src: Source) -> Context | None:
    """The latest child-in-care review: its date, who attended and what it decided."""
    reviews = sorted((mt for mt in src.case.events.meetings if mt.meeting == REVIEW), key=lambda mt: mt.date)
    if not reviews:
        return None
    review = reviews[-1]
    return {"date": day(review.date), "attendees": _attendees(src, review), "decided": review.decided or ""}


@dataclass(frozen=True)
class Sitting:
    """A sitting of the panel: its meeting (what it decided), or its step done (who, a note)."""

    day: dt.date
    by: str | None
    outcome: str


def sittings(case: Case, workflow: Workflow) -> list[Sitting]:
    """The panel's sittings in date order; on one day its meeting after its step, so that
    the last holds what the panel decided."""
    step, kinds = panel_of(workflow)
    found = [(item.date, 0, Sitting(item.date, item.by, item.note or ""))
             for item in case.events.steps if item.step == step]
    found += [(mt.date, 1, Sitting(mt.date, None, mt.decided or "")) for mt in case.events.meetings
              if mt.meeting in kinds]
    return [sitting for _, _, sitting in sorted(found, key=lambda item: item[:2])]


def _panel(src: Source) -> Context:
    """When the panel sits (or sat), and what it recommended once it has."""
    held = sittings(src.case, src.workflow)
    if held:
        return {"date": day(held[-1].day), "held": True, "outcome": held[-1].outcome}
    step, _ = panel_of(src.workflow)
    planned = src.case.events.timetable.get(step) if step is not None else None
    return {"date": day(planned), "held": False, "outcome": ""}


def _recommendation(src: Source) -> str:
    """What the panel is asked to recommend: Decision 3, as the service manager recorded it."""
    d3 = src.facts.decisions.get("D3")
    if d3 is None:
        return "None yet: Decision 3 (reunify, or plan permanence elsewhere) is not recorded."
    decision = decision_context(src, d3[1])
    text = f"{decision['outcome']}: Decision 3, made by {decision['by']} on {decision['date']}"
    if decision["ratified_by"]:
        text += f", ratified by {decision['ratified_by']} on {decision['ratified']}"
    return text + "." + (f" {decision['reason']}" if decision["reason"] else "")


def _planned_return(src: Source) -> dt.date | None:
    step = src.workflow.marked("return_home")
    return src.case.events.timetable.get(step.id) if step is not None else None


def cover(src: Source) -> Context:
    latest = src.latest_classification()
    return {
        "panel": _panel(src),
        "recommendation": _recommendation(src),
        "level": src.level_label(latest.level) if latest else "",
        "level_date": day(latest.confirmed or latest.date) if latest else "",
        "return_date": day(src.facts.return_date) or day(_planned_return(src)),
        "returned": src.facts.return_date is not None,
        "decisions": [decision_context(src, d) for d in sorted(src.case.decisions.decisions, key=lambda d: d.date)],
        "review": last_review(src),
    }


def cpag_pack(src: Source) -> Context:
    return {
        "cover": cover(src),
        "assessment": b.return_home_assessment(src),
        "chronology": b.chronology(src),
        "review": last_review(src),
        "agreement": b.parental_agreement(src),
        "plan": b.reunification_plan(src),
        "front_sheet": b.pwp_front_sheet(src),
        # Filtered by what the workflow shows (render.build_context).
        "contents": [{"flag": flag, "title": title} for flag, title in CONTENTS.items()],
    }
