"""The outcomes tool in a case: whether it was completed since the return, and whether its
records fit the workflow.

The areas, the scale and the points of the episode at which the tool is completed are the
workflow's (`outcomes_tool:`); each completion is the child's own record (events.yaml
`outcomes:`). The gate and the check are registered by name, as every gate and check is.
"""

from __future__ import annotations

from collections.abc import Iterator

from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine.checks import check
from reunify.engine.facts import Facts
from reunify.engine.gates import gate
from reunify.records import models as m
from reunify.records.validation import did_you_mean
from reunify.workflow.model import OutcomesTool

EVENTS = "events.yaml"


def unrated(tool: OutcomesTool, completion: m.OutcomesCompletion) -> list[str]:
    """The workflow's areas a completion does not rate, in the workflow's order."""
    return [area for area in tool.areas if area not in completion.areas]


def scale_text(tool: OutcomesTool) -> str:
    """'1 Serious concern, 2 Concern, ..., 5 Very good'."""
    return ", ".join(f"{point} {item.label}" for point, item in sorted(tool.scale.items()))


def point_now(facts: Facts) -> str | None:
    """The point of the episode a completion made today belongs to: the last point once the
    child is home, the agreement's once it is made, else the assessment's (the workflow's
    points in order: the first, the second, the last)."""
    tool = facts.workflow.outcomes_tool
    if tool is None:
        return None
    points = list(tool.points)
    if facts.return_date is not None:
        return points[-1]
    if facts.case.agreement.agreed is not None and len(points) > 2:
        return points[1]
    return points[0]


def outcomes_command(facts: Facts) -> str:
    point = point_now(facts)
    return "reunify outcomes --date YYYY-MM-DD" + (f" --at {point}" if point else "")


@gate("outcomes_since_return", "the outcomes tool completed, every area rated, since the child went home")
def check_outcomes_since_return(facts: Facts, _: None) -> list[Problem]:
    tool = facts.workflow.outcomes_tool
    if tool is None:
        return [Problem(facts.file(EVENTS), ("outcomes",), "the workflow has no outcomes tool to complete",
                        hint="add 'outcomes_tool:' to the workflow, or take this gate off the step", code="gate")]
    returned = facts.return_date
    since = [c for c in facts.case.events.outcomes if returned is None or c.date >= returned]
    if any(not unrated(tool, c) for c in since):
        return []
    hint = f"record it with '{outcomes_command(facts)}' (each area rated {min(tool.scale)}-{max(tool.scale)})"
    if since:
        latest = max(since, key=lambda c: c.date)
        index = facts.case.events.outcomes.index(latest)
        return [Problem(facts.file(EVENTS), ("outcomes", index, "areas"),
                        f"the outcomes tool of {latest.date.isoformat()} does not rate every area "
                        f"(not rated: {', '.join(unrated(tool, latest))})", hint=hint, code="gate")]
    return [Problem(facts.file(EVENTS), ("outcomes",), "no outcomes tool completed since the return home",
                    hint=hint, code="gate")]


@check
def check_outcomes(facts: Facts) -> Iterator[Problem]:
    """Each completion names a point of the episode and areas of the workflow's tool, each
    rated on its scale; an area left unrated is worth a warning."""
    tool = facts.workflow.outcomes_tool
    file = facts.file(EVENTS)
    for index, item in enumerate(facts.case.events.outcomes):
        at = ("outcomes", index)
        if tool is None:
            yield Problem(file, at, "the workflow in force has no outcomes tool (outcomes_tool:)", code="check")
            continue
        if item.at not in tool.points:
            yield Problem(file, (*at, "at"), "unknown point of the episode" + did_you_mean(item.at, list(tool.points)),
                          hint="points: " + ", ".join(tool.points), code="check")
        for area, rated in item.areas.items():
            if area not in tool.areas:
                yield Problem(file, (*at, "areas", area), "unknown area" + did_you_mean(area, list(tool.areas)),
                              hint="areas: " + ", ".join(tool.areas), code="check")
            elif rated.rating not in tool.scale:
                yield Problem(file, (*at, "areas", area, "rating"),
                              f"the rating is not on the scale ({min(tool.scale)}-{max(tool.scale)})",
                              hint="the scale: " + scale_text(tool), code="check")
        left = unrated(tool, item)
        if left:
            yield Problem(file, (*at, "areas"), "not every area is rated: " + ", ".join(left), Severity.WARNING,
                          hint="rate each area of the outcomes tool, so that change over the episode shows",
                          code="check")
