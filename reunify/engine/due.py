"""A date the case must meet (`Due`): what, when, the rule that sets it and where the rule
comes from, and whether it is overdue or coming up on the day evaluated. The time rules
in `deadlines` and `visits` make them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from reunify.core.dates import add
from reunify.engine.facts import Facts
from reunify.workflow.grammar import Span

DueKind = Literal["due", "not_before", "until"]
UPCOMING_DAYS = 7
EVENTS = "events.yaml"


class Due(msgspec.Struct, frozen=True):
    """A date the case must meet, with the rule that sets it and where the rule comes from."""

    rule: str  # "step:planning_review", "visits:placed_with_parents", "reviews", ...
    what: str
    date: dt.date
    rule_text: str
    source: str | None
    kind: DueKind = "due"
    role: str | None = None
    step: str | None = None
    overdue: bool = False
    upcoming: bool = False  # due within the next seven days
    command: str | None = None  # the command that records it

    @property
    def citation(self) -> str:
        return self.rule_text + (f" ({self.source})" if self.source else "")


def _after(day: dt.date, span: Span) -> dt.date:
    return add(day, span.amount, span.unit)


def _due(facts: Facts, kind: DueKind = "due", *, rule: str, what: str, date: dt.date, rule_text: str,
         source: str | None, role: str | None = None, step: str | None = None, command: str | None = None) -> Due:
    overdue = kind == "due" and date < facts.today
    upcoming = kind == "due" and not overdue and (date - facts.today).days <= UPCOMING_DAYS
    return Due(rule, what, date, rule_text, source, kind, role, step, overdue, upcoming, command)
