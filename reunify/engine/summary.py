"""What the headline says about the child, and the key dates: the reference, name and
age, the legal status, the placement and where and with whom the child lives (each
since when), the risk level, as the records stand on the day; never more than they say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from reunify.core import codes
from reunify.core.dates import describe_age
from reunify.engine.facts import Facts


def child_summary(facts: Facts) -> dict[str, str]:
    """What the headline shows about the child: never more than the records say."""
    child = facts.case.child
    summary = {"reference": facts.case.case.reference}
    if child is not None:
        summary["name"] = child.name
        if child.born is not None:
            summary["age"] = describe_age(child.born, facts.today)
    summary.update(where_the_child_is(facts))
    level = facts.level
    summary["risk"] = facts.workflow.level_label(level)
    return summary


def where_the_child_is(facts: Facts) -> dict[str, str]:
    """The legal status, the placement, and where and with whom the child lives, each since
    when, as the records stand on `facts.today`."""
    today = facts.today
    home = facts.case.household(facts.case.case.home)
    left = facts.left_care_on(today)
    if left is not None:
        reason = codes.EPISODE_ENDED.get(left.reason, "an unknown reason")
        lives = "at home" if left.reason in ("E4A", "E4B") else "out of care"
        return {"legal_status": f"not looked after since {left.date.isoformat()} (left care: {reason})",
                "placement": f"none since {left.date.isoformat()}",
                "lives": f"{lives}{f' ({home.name})' if home is not None and lives == 'at home' else ''} "
                         f"since {left.date.isoformat()}"}
    status, placement = facts.status_since(today)
    found = {"legal_status": "not recorded", "placement": "not recorded", "lives": "not recorded"}
    if status is not None:
        found["legal_status"] = f"{codes.describe(codes.LEGAL_STATUS, status.code)} since {status.since.isoformat()}"
    if placement is not None:
        found["placement"] = f"{codes.describe(codes.PLACEMENT, placement.code)} since {placement.since.isoformat()}"
        carer = facts.case.person(placement.carer)
        if placement.code == codes.PLACED_WITH_PARENTS:
            where = f"at home with parents{f' ({home.name})' if home is not None else ''}"
        elif carer is not None:
            where = f"with {carer.name}"
        else:
            where = codes.PLACEMENT.get(placement.code, "in an unknown placement")
            where = where.split(",")[0]
        found["lives"] = f"{where} since {placement.since.isoformat()}"
    return found


def known(value: str, table: Collection[str], unknown: str = "an unknown code") -> str:
    """`value` when `table` knows it, else words that do not repeat it."""
    return value if value in table else unknown


def key_dates(facts: Facts) -> list[tuple[str, dt.date]]:
    found: list[tuple[str, dt.date]] = []
    child = facts.case.child
    if child is not None and child.born is not None:
        found.append(("Child born", child.born))
    # A code or id the workflow does not know is a mistake 'check' reports; it is never
    # shown as written (a mistyped field can hold anything, a name included).
    for status in facts.case.case.legal_status:
        found.append((f"Legal status {known(status.code, codes.LEGAL_STATUS)}", status.since))
    for placement in facts.case.case.placements:
        found.append((f"Placement {known(placement.code, codes.PLACEMENT)}", placement.since))
    for decision_id, (_, decision) in facts.decisions.items():
        definition = facts.workflow.decisions.get(decision_id)
        outcome = known(decision.outcome, definition.outcomes if definition else {}, "an unknown outcome")
        found.append((f"{known(decision_id, facts.workflow.decisions, 'An unknown decision')}: {outcome}",
                      decision.date))
        if decision.ratified is not None:
            found.append((f"{decision_id} ratified", decision.ratified))
    for mark in ("assessment_planning", "planning_meeting", "return_home"):
        step = facts.workflow.marked(mark)
        done = facts.done_steps.get(step.id) if step is not None else None
        if step is not None and done is not None:
            found.append((step.title, done.date))
    left = facts.case.case.left_care
    if left is not None:
        found.append((f"Left care ({left.reason if left.reason in codes.EPISODE_ENDED else 'an unknown code'})",
                      left.date))
    if facts.case.events.exit is not None:
        found.append(("Ended part way", facts.case.events.exit.date))
    return sorted(found, key=lambda item: item[1])
