"""Recording the outcomes tool: one completion with the family, every area rated.

As in `reunify.practice.recording`: the function holds the case's lock, checks everything first
(the point of the episode, the areas and the scale against the workflow, who completed it
and who took part), then writes once, in the child's events.yaml. A completion made since
the child went home stands for the step that needs it (the six months home review), which
is marked done when its gates pass.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reunify.core.errors import FieldError
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import write_new_file
from reunify.engine.facts import Facts
from reunify.engine.outcomes import point_now
from reunify.engine.outcomes import scale_text
from reunify.practice.edits.people import find_person
from reunify.practice.recording import Recorded
from reunify.practice.recording import check_date
from reunify.practice.recording import complete_steps
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import text_or_none
from reunify.practice.recording import validated
from reunify.practice.skeleton import EVENTS_HEADER
from reunify.records import models as m
from reunify.records.family import target
from reunify.records.validation import did_you_mean
from reunify.workflow.model import OutcomesTool

GATE = "outcomes_since_return"


def tool_of(workflow_tool: OutcomesTool | None) -> OutcomesTool:
    if workflow_tool is None:
        raise ReunifyError("the workflow in force has no outcomes tool (outcomes_tool:)")
    return workflow_tool


def parse_pairs(values: list[str], field: str) -> dict[str, str]:
    """'AREA=VALUE' texts given for `field` as a mapping; an area given twice is an error."""
    found: dict[str, str] = {}
    for value in values:
        area, sep, rest = value.partition("=")
        area = area.strip()
        if not sep or not area:
            raise FieldError(field, f" takes AREA=VALUE, e.g. `{field}` safety=4")
        if area in found:
            raise FieldError(field, f": the area '{area}' is given twice")
        found[area] = rest.strip()
    return found


def _area(tool: OutcomesTool, area: str, field: str) -> str:
    if area not in tool.areas:
        raise FieldError(field, f": unknown area '{area}'" + did_you_mean(area, list(tool.areas))
                           + " (areas: " + ", ".join(tool.areas) + ")")
    return area


def _rating(tool: OutcomesTool, area: str, value: str) -> int:
    low, high = min(tool.scale), max(tool.scale)
    text = value.strip()
    if not text.isdigit() or int(text) not in tool.scale:
        raise FieldError("ratings", f" {area}: the rating must be a whole number on the scale {low}-{high} "
                           f"({scale_text(tool)})")
    return int(text)


@locked
def record_outcomes(folder: Path, *, date: dt.date, by: str, today: dt.date, ratings: dict[str, str],
                    notes: dict[str, str] | None = None, at: str | None = None,
                    people: list[str] | None = None) -> Recorded:
    """Record one completion of the outcomes tool: every area rated, with optional notes."""
    one_child(folder, "the outcomes tool")
    case, workflow = open_case(folder, today)
    tool = tool_of(workflow.outcomes_tool)
    facts = Facts(case, workflow, today)
    point = (at or "").strip() or point_now(facts) or ""
    if point not in tool.points:
        raise FieldError("at", ": unknown point of the episode" + did_you_mean(point, list(tool.points))
                           + " (points: " + ", ".join(tool.points) + ")")
    member = team_member(case, by)
    check_date(case, date, today)
    rated = {_area(tool, area, "ratings"): _rating(tool, area, value) for area, value in ratings.items()}
    written = {_area(tool, area, "notes"): text for area, text in (notes or {}).items() if text_or_none(text)}
    left = [area for area in tool.areas if area not in rated]
    if left:
        raise FieldError("ratings", " is needed for every area of the outcomes tool; not rated: " + ", ".join(left))
    ids = list(dict.fromkeys(find_person(case, who, "people").id for who in people or [] if who.strip()))
    areas = CommentedMap()
    for area in tool.areas:  # in the workflow's order, whatever order they were given in
        rating = CommentedMap([("rating", rated[area])])
        note = text_or_none(written.get(area))
        if note is not None:
            rating["note"] = note
        areas[area] = rating
    entry: dict[str, Any] = {"date": date, "at": point, "by": member.id, "with": CommentedSeq(ids) or None,
                             "areas": areas}
    validated(m.OutcomesCompletion, {**entry, "areas": {k: dict(v) for k, v in areas.items()},
                                     "with": list(ids) or None}, {"with": "people"})
    path = target(folder, "events.yaml", "outcomes")
    if not path.exists():
        write_new_file(path, EVENTS_HEADER)
    with edit_file(path) as edit:
        add_entry(edit.data, "outcomes", entry, by_date=True)
    title = tool.points[point].title
    summary = f"recorded the outcomes tool ({title[:1].lower()}{title[1:]}) on {date.isoformat()}"
    returned = facts.return_date
    steps = [step.id for step in workflow.steps.values() if any(name == GATE for name, _ in step.gate_specs())]
    if not steps or returned is None or date < returned:
        return Recorded(path, summary)
    # Completed since the return: it stands for the step that needs it, done when its gates pass.
    done = complete_steps(folder, steps, date=date, by=None, today=today, among=[member.id])
    return Recorded(path, "; ".join([summary, *done.done]), "\n".join(done.hints) or None, done.files)
