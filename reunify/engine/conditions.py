"""Whether a workflow condition holds for a case on a day: the closed vocabulary of
`reunify.workflow.grammar` (risk level, a classification's level, a decision's outcome,
legal status, placement, the return, care, a rise after the return, the path, a step
done or not) read against what the records say. `Facts.condition` asks here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reunify.workflow.grammar import Condition

if TYPE_CHECKING:
    from reunify.engine.facts import Facts


def condition_holds(facts: Facts, condition: Condition, on: dt.date | None = None) -> bool | None:
    """True, False, or None while the subject is not known yet.

    `on` asks about legal status and placement on another day than today.
    """
    subject = condition.subject
    if subject == "risk":
        value = facts.level
        values = {v.lower() for v in condition.values}
    elif subject in facts.workflow.classifications:
        found = facts.classifications.get(subject)
        value = found[1].level if found else None
        values = {v.lower() for v in condition.values}
    elif subject in facts.workflow.decisions:
        found_decision = facts.decisions.get(subject)
        value = found_decision[1].outcome if found_decision else None
        values = set(condition.values)
    elif subject in ("legal status", "placement"):
        day = on or facts.today
        if facts.left_care_on(day) is not None:
            return False  # not looked after: no legal status, no placement
        value = facts.legal_status_on(day) if subject == "legal status" else facts.placement_on(day)
        values = {v.upper() for v in condition.values}
    elif subject == "return":
        value = facts.return_state
        values = {" ".join(v.lower().split()) for v in condition.values}
    elif subject == "care":
        value = "left" if facts.left_care_on(on or facts.today) is not None else "looked after"
        values = {" ".join(v.lower().split()) for v in condition.values}
    elif subject == "risk after return":
        if facts.return_date is None:
            return None
        value = "risen" if facts.rises_after_return else "not risen"
        values = {" ".join(v.lower().split()) for v in condition.values}
    elif subject == "path":
        value, values = facts.path, set(condition.values)
    elif subject in facts.workflow.steps:
        value = "done" if subject in facts.done_steps else "not done"
        values = {" ".join(v.lower().split()) for v in condition.values}
    else:
        return None
    if value is None:
        return None
    if condition.span is not None and value in values:
        return facts.held_for(values, condition.span)
    return value in values
