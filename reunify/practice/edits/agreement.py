"""Editing the parental agreement: a parent's strengths and concerns, SMART goals, the
review date, and its signing (by a parent, or the agreement made, with the steps it
stands for). As in `reunify.practice.edits.plans`, each function holds the case's lock,
checks everything first, then writes once, round-trip, or changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reunify.core.errors import FieldError
from reunify.core.errors import Refused
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.practice import recording
from reunify.practice.edits.plans import AGREEMENT
from reunify.practice.edits.plans import _append
from reunify.practice.edits.plans import _parent
from reunify.practice.edits.plans import _set
from reunify.practice.edits.plans import _steps_needing
from reunify.practice.edits.plans import _texts
from reunify.practice.edits.plans import _where
from reunify.practice.edits.plans import _with_steps
from reunify.practice.recording import Recorded
from reunify.practice.recording import check_date
from reunify.practice.recording import locked
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import text_or_none
from reunify.practice.recording import validated
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import target
from reunify.records.family import unit_of


def _agreement_index(case: Case, person: m.Person) -> int | None:
    return next((i for i, p in enumerate(case.agreement.parents) if p.person == person.id), None)


@locked
def agreement_parent(folder: Path, person: str, *, today: dt.date, strengths: list[str] | None = None,
                     concerns: list[str] | None = None) -> Recorded:
    """Add a parent to the agreement, or add strengths and concerns to theirs."""
    case, _ = open_case(folder, today)
    found = _parent(case, person, "PERSON")
    added_strengths, added_concerns = _texts(strengths), _texts(concerns)
    index = _agreement_index(case, found)
    if index is None:
        entry: dict[str, Any] = {"person": found.id, "strengths": CommentedSeq(added_strengths) or None,
                                 "concerns": CommentedSeq(added_concerns) or None}
        path = target(folder, AGREEMENT, "parents")
        _append(path, AGREEMENT, "parents", entry)
        return Recorded(path, "added a parent to the agreement",
                        "next: their SMART goals, with 'reunify goal add --parent ...'")
    existing = case.agreement.parents[index]
    new_strengths = [s for s in added_strengths if s not in existing.strengths]
    new_concerns = [c for c in added_concerns if c not in existing.concerns]
    if not (new_strengths or new_concerns):
        raise Refused("nothing new: the parent is already in the agreement with those strengths and concerns"
                      if added_strengths or added_concerns else
                      "the parent is already in the agreement; give `strengths` or `concerns` to add to it")
    path, (_, at) = case.source(AGREEMENT, ("parents", index))
    with edit_file(path) as edit:
        item = edit.data["parents"][at]
        for key, added in (("strengths", new_strengths), ("concerns", new_concerns)):
            if added and item.get(key):
                item[key].extend(added)
            elif added:
                item[key] = CommentedSeq(added)
    return Recorded(path, f"added {len(new_strengths)} strength(s) and {len(new_concerns)} concern(s) "
                          "to a parent's agreement")


@locked
def add_goal(folder: Path, *, parent: str, change: str, evidence: str, due: dt.date, support: str,
             today: dt.date, steps: list[str] | None = None) -> Recorded:
    """A SMART goal for one parent: what must change, the steps, how it will be evidenced,
    by when (a planned date) and the support offered. A parent not yet in the agreement
    is added to it."""
    case, _ = open_case(folder, today)
    found = _parent(case, parent, "parent")
    goal: dict[str, Any] = {"change": text_or_none(change), "steps": CommentedSeq(_texts(steps)) or None,
                            "evidence": text_or_none(evidence), "due": due, "support": text_or_none(support)}
    for key in ("change", "evidence", "support"):
        if goal[key] is None:
            raise FieldError(key, " must not be empty")
    validated(m.Goal, goal)
    index = _agreement_index(case, found)
    if index is None:
        path = target(folder, AGREEMENT, "parents")
        entry = CommentedMap((("person", found.id), ("goals", CommentedSeq([CommentedMap(
            (k, v) for k, v in goal.items() if v is not None)]))))
        _append(path, AGREEMENT, "parents", entry)
        return Recorded(path, f"added goal 1 for a parent, due {due.isoformat()} (the parent is now in the agreement)")
    path, (_, at) = case.source(AGREEMENT, ("parents", index))
    with edit_file(path) as edit:
        add_entry(edit.data["parents"][at], "goals", goal)
    number = len(case.agreement.parents[index].goals) + 1
    return Recorded(path, f"added goal {number} for a parent, due {due.isoformat()}")


@locked
def set_review_date(folder: Path, date: dt.date, *, today: dt.date) -> Recorded:
    case, _ = open_case(folder, today)
    validated(m.AgreementFile, {"review_date": date}, {"review_date": "DATE"})
    agreed = case.agreement.agreed
    if agreed is not None and date < agreed:
        raise FieldError("DATE", " is before the agreement was made")
    current = case.agreement.review_date
    path = _where(case, folder, AGREEMENT, "review_date", current is not None)
    _set(path, AGREEMENT, {"review_date": date})
    return Recorded(path, f"set the agreement's review date to {date.isoformat()}"
                          + (f" (it was {current.isoformat()})" if current is not None and current != date else ""))


@locked
def sign_agreement(folder: Path, *, date: dt.date, today: dt.date, by: str | None = None,
                   parent: str | None = None) -> Recorded:
    """With a parent: the date that parent signed. Without: the date the agreement was
    made, then the steps it stands for."""
    case, workflow = open_case(folder, today)
    check_date(case, date, today)
    if parent is not None:
        if by is not None:
            raise ReunifyError("`by` goes with the agreement as a whole, not with `parent`")
        found = _parent(case, parent, "parent")
        index = _agreement_index(case, found)
        if index is None:
            raise FieldError("parent", f" '{parent}' is not in the agreement yet (add them with "
                               "'reunify agreement parent')")
        signed = case.agreement.parents[index].signed
        if signed is not None:
            raise Refused(f"the parent already signed the agreement on {signed.isoformat()}; nothing was changed")
        path, (_, at) = case.source(AGREEMENT, ("parents", index))
        with edit_file(path) as edit:
            edit.data["parents"][at]["signed"] = date
        return Recorded(path, f"recorded that the parent signed the agreement on {date.isoformat()}")
    member = team_member(case, by) if by is not None else None
    agreed = case.agreement.agreed
    if agreed is not None:
        raise Refused(f"the agreement is already recorded as made on {agreed.isoformat()}; nothing was changed")
    path = target(folder, AGREEMENT, "agreed")
    _set(path, AGREEMENT, {"agreed": date})
    recorded = Recorded(path, f"recorded the agreement as made on {date.isoformat()}")
    done = recording.complete_steps(unit_of(folder), _steps_needing(workflow, "agreement"), date=date,
                                    by=member.id if member else None, today=today)
    return _with_steps(recorded, done)
