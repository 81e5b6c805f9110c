"""Recording a court order about the child's contact, in the child's case.yaml `orders:`.

A contact order, an order refusing contact (no contact: for a child in care, an order
under section 34(4) of the Children Act 1989), or another order the placement must
respect (a restraining order protecting a parent). The placed-with-parents front sheet
shows them beside the contact arrangements of the plan. As in `reunify.practice.recording`, the
function checks everything first and writes once, holding the case's lock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reunify.core.errors import FieldError
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.practice.edits.people import find_person
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import text_or_none
from reunify.practice.recording import validated
from reunify.records import models as m
from reunify.records.family import target
from reunify.records.validation import did_you_mean

KIND_WORDS = {"contact": "contact order", "no_contact": "order refusing contact", "other": "court order"}


def order_kind(kind: str) -> str:
    """A kind as typed ('no-contact', 'No_Contact') as it is written ('no_contact')."""
    found = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if found not in m.ORDER_KINDS:
        shown = [k.replace("_", "-") for k in m.ORDER_KINDS]
        raise ReunifyError("unknown kind of order" + did_you_mean(found.replace("_", "-"), shown)
                           + " (kinds: " + ", ".join(shown) + ")")
    return found


@locked
def record_order(folder: Path, kind: str, *, made: dt.date, terms: str, today: dt.date,
                 people: list[str] | None = None, court: str | None = None,
                 until: dt.date | None = None) -> Recorded:
    one_child(folder, "a court order")
    case, _ = open_case(folder, today)
    kind = order_kind(kind)
    ids = list(dict.fromkeys(find_person(case, who, "people").id for who in people or [] if who.strip()))
    if kind != "other" and not ids:
        raise ReunifyError(f"a {KIND_WORDS[kind]} needs `people`: who the contact is with (a person in people.yaml)")
    if made > today:
        raise FieldError("made", f" {made.isoformat()} is in the future (today is {today.isoformat()})")
    if until is not None and until < made:
        raise FieldError("until", " is before the order was made")
    entry: dict[str, Any] = {"kind": kind, "with": CommentedSeq(ids) or None, "made": made,
                             "court": text_or_none(court), "terms": text_or_none(terms), "until": until}
    validated(m.CourtOrder, {**entry, "with": list(ids) or None}, {"with": "people"})
    path = target(folder, "case.yaml", "orders")
    with edit_file(path) as edit:
        add_entry(edit.data, "orders", entry)
    return Recorded(path, f"recorded the {KIND_WORDS[kind]} made on {made.isoformat()}")
