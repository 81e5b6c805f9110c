"""The closed vocabulary of conditions and deadlines in a workflow file. No `eval`.

Conditions:  ``<subject> is <value>[, <value>] [or <value>]``
             subjects: a classification id (its level), ``risk`` (the latest level),
             ``legal status``, ``placement`` (current SSDA903 codes), a decision id
             (its outcome), ``return`` (home, broken down), ``care`` (looked after,
             left), ``risk after return`` (risen, not risen), ``path`` (the path the
             case is on: a key of the workflow's ``paths:``) and a step id (done, not done).
             ``risk is <level> for <n> <unit>``: the level has held that long.
Deadlines:   ``<n> <unit> after <step>`` or ``within <n> <unit> of <step>``.
"""

from __future__ import annotations

import re

import msgspec

from reunify.core.dates import Unit

_UNITS: dict[str, Unit] = {
    "day": "day",
    "days": "day",
    "working day": "working day",
    "working days": "working day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}

_SPAN = re.compile(r"^\s*(\d{1,4})\s+(working days?|days?|weeks?|months?|years?)\s*$")
_DEADLINE = re.compile(
    r"^\s*(?:within\s+(?P<n1>\d{1,4})\s+(?P<u1>[a-z ]+?)\s+of|(?P<n2>\d{1,4})\s+(?P<u2>[a-z ]+?)\s+after)"
    r"\s+(?P<step>[A-Za-z0-9_.-]+)\s*$"
)
_CONDITION = re.compile(r"^\s*(?P<subject>.+?)\s+(?:is|was|has)\s+(?P<values>.+?)"
                        r"(?:\s+for\s+(?P<span>\d{1,4}\s+[a-z ]+?))?\s*$")
SUBJECTS = ("risk", "legal status", "placement", "return", "care", "risk after return", "path")


class Span(msgspec.Struct, frozen=True):
    amount: int
    unit: Unit

    def __str__(self) -> str:
        plural = "" if self.amount == 1 else "s"
        return f"{self.amount} {self.unit}{plural}"


class Deadline(msgspec.Struct, frozen=True):
    """A date relative to the date another step was done."""

    span: Span
    step: str
    within: bool

    def __str__(self) -> str:
        if self.within:
            return f"within {self.span} of {self.step}"
        return f"{self.span} after {self.step}"


class Condition(msgspec.Struct, frozen=True):
    subject: str  # one of SUBJECTS, or a decision/classification id
    values: tuple[str, ...]
    text: str
    span: Span | None = None  # "risk is low for 6 months": how long the value has held

    def __str__(self) -> str:
        return self.text


def parse_span(text: str) -> Span:
    match = _SPAN.match(text)
    if not match:
        raise ValueError("expected a period such as '6 months' or '20 working days'")
    return Span(int(match[1]), _UNITS[match[2]])


def parse_deadline(text: str) -> Deadline:
    match = _DEADLINE.match(text)
    unit = None
    if match:
        unit = _UNITS.get((match["u1"] or match["u2"]).strip())
    if not match or unit is None:
        raise ValueError(
            "expected '<n> <unit> after <step>' or 'within <n> <unit> of <step>' "
            "(units: days, working days, weeks, months, years)"
        )
    amount = int(match["n1"] or match["n2"])
    return Deadline(Span(amount, unit), match["step"], within=match["n1"] is not None)


def parse_condition(text: str) -> Condition:
    match = _CONDITION.match(text)
    if not match:
        raise ValueError("expected '<subject> is <value>[, <value>] [or <value>]'")
    subject = match["subject"].strip()
    key = " ".join(subject.lower().split())
    if key in SUBJECTS:
        subject = key
    span = parse_span(match["span"]) if match["span"] else None
    if span is not None and subject != "risk":
        raise ValueError("only 'risk is <level> for <n> <unit>' takes a period")
    values = tuple(
        v.strip() for v in re.split(r",|\bor\b", match["values"]) if v.strip()
    )
    if not values:
        raise ValueError("the condition names no value")
    return Condition(subject, values, text.strip(), span)
