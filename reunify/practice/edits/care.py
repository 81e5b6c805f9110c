"""The child's own facts recorded without opening the YAML, in the child's case.yaml: the
trusted adult, care proceedings, legal status and placements (SSDA903 codes), leaving
care, and the return home with the workflow's steps it stands for.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reunify.core import codes
from reunify.core.errors import FieldError
from reunify.core.errors import Refused
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import edit_file
from reunify.practice import recording
from reunify.practice.edits.entries import _add_dated
from reunify.practice.edits.entries import _set_in_order
from reunify.practice.edits.people import CASE_KEYS
from reunify.practice.edits.people import _not_before_birth
from reunify.practice.edits.people import find_person
from reunify.practice.edits.people import not_future
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import validated
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import target
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow

RETURN_GATE = "return_recorded"
RETURNED_HOME = "E4A"


def _case_file(folder: Path, key: str) -> Path:
    """The child's case.yaml, where `key` belongs."""
    return target(folder, "case.yaml", key)


@locked
def set_trusted_adult(folder: Path, who: str, *, today: dt.date) -> Recorded:
    recording.one_child(folder, "the trusted adult")
    case, _ = open_case(folder, today)
    person = find_person(case, who, "PERSON")
    if person.id == case.case.child:
        raise FieldError("PERSON", " is the child: the trusted adult is someone else")
    if case.case.trusted_adult == person.id:
        raise Refused("that person is already the child's trusted adult; nothing was changed")
    path = _case_file(folder, "trusted_adult")
    with edit_file(path) as edit:
        _set_in_order(edit.data, "trusted_adult", person.id, CASE_KEYS)
    return Recorded(path, f"recorded '{person.id}' as the child's trusted adult")


@locked
def set_proceedings(folder: Path, court: str, case_number: str, *, since: dt.date | None,
                    today: dt.date) -> Recorded:
    """The court and case number of care proceedings about the child (documents a court
    reads carry them); given again, they are corrected."""
    recording.one_child(folder, "proceedings")
    open_case(folder, today)
    not_future("since", since, today)
    entry: dict[str, Any] = {"court": court.strip(), "case_number": case_number.strip(), "from": since}
    validated(m.Proceedings, entry, {"court": "COURT", "case_number": "CASE_NUMBER", "from": "since"})
    path = _case_file(folder, "proceedings")
    with edit_file(path) as edit:
        _set_in_order(edit.data, "proceedings", CommentedMap({k: v for k, v in entry.items() if v is not None}),
                      CASE_KEYS)
    return Recorded(path, "recorded the court and case number of the proceedings")


def _code(table: dict[str, str], code: str, option: str, what: str) -> str:
    code = code.strip().upper()
    if code not in table:
        raise FieldError(option, f" must be an SSDA903 {what} code" + did_you_mean(code, list(table))
                           + ": " + ", ".join(table))
    return code


@locked
def add_legal_status(folder: Path, code: str, *, since: dt.date, today: dt.date) -> Recorded:
    recording.one_child(folder, "legal status")
    case, _ = open_case(folder, today)
    code = _code(codes.LEGAL_STATUS, code, "CODE", "legal status")
    not_future("since", since, today)
    _not_before_birth(case, "since", since)
    if any(s.code == code and s.since == since for s in case.case.legal_status):
        raise Refused("that legal status is already recorded from that day")
    path = _case_file(folder, "legal_status")
    with edit_file(path) as edit:
        _add_dated(edit.data, "legal_status", {"code": code, "from": since})
    return Recorded(path, f"recorded the legal status {codes.describe(codes.LEGAL_STATUS, code)} "
                          f"from {since.isoformat()}")


@locked
def add_placement(folder: Path, code: str, *, since: dt.date, today: dt.date, carer: str | None = None) -> Recorded:
    recording.one_child(folder, "a placement")
    case, _ = open_case(folder, today)
    code = _code(codes.PLACEMENT, code, "CODE", "placement")
    not_future("since", since, today)
    _not_before_birth(case, "since", since)
    carer_id = find_person(case, carer, "carer").id if carer and carer.strip() else None
    if any(p.code == code and p.since == since for p in case.case.placements):
        raise Refused("that placement is already recorded from that day")
    path = _case_file(folder, "placements")
    with edit_file(path) as edit:
        _add_dated(edit.data, "placements", {"code": code, "from": since, "carer": carer_id})
    return Recorded(path, f"recorded the placement {codes.describe(codes.PLACEMENT, code)} "
                          f"from {since.isoformat()}")


def _reason(reason: str | None, default: str | None) -> str:
    code = (reason or default or "").strip().upper()
    if code not in codes.EPISODE_ENDED:
        raise FieldError("reason", " must be an SSDA903 reason the period of care ended"
                           + did_you_mean(code, list(codes.EPISODE_ENDED))
                           + ": " + ", ".join(codes.EPISODE_ENDED))
    return code


def _left_care(case: Case, date: dt.date) -> None:
    if case.case.left_care is not None:
        raise Refused("the child's leaving care is already recorded (left_care in case.yaml)")
    _not_before_birth(case, "date", date)


@locked
def record_leaving_care(folder: Path, *, date: dt.date, reason: str, today: dt.date) -> Recorded:
    recording.one_child(folder, "leaving care")
    case, _ = open_case(folder, today)
    code = _reason(reason, None)
    not_future("date", date, today)
    _left_care(case, date)
    path = _case_file(folder, "left_care")
    with edit_file(path) as edit:
        _set_in_order(edit.data, "left_care", CommentedMap([("date", date), ("reason", code)]), CASE_KEYS)
    return Recorded(path, f"recorded that the child left care on {date.isoformat()}: "
                          f"{codes.EPISODE_ENDED[code]}")


def return_steps(workflow: Workflow) -> list[str]:
    """The workflow's steps that the return stands for: the one marked `return_home`, and
    those needing the return recorded."""
    return [step.id for step in workflow.steps.values()
            if step.marks == "return_home" or any(name == RETURN_GATE for name, _ in step.gate_specs())]


@locked
def record_return_home(folder: Path, *, date: dt.date, today: dt.date, by: str | None = None,
                       reason: str | None = None) -> Recorded:
    """The child's return home: placed with parents (P1) under a care order, or leaving
    care when accommodated under section 20; then the workflow's return step is done."""
    recording.one_child(folder, "the return home")
    case, workflow = open_case(folder, today)
    not_future("date", date, today)
    _not_before_birth(case, "date", date)
    if by:
        team_member(case, by)
    statuses = [s for s in case.case.legal_status if s.since <= date]
    if not statuses:
        raise Refused("no legal status is recorded on `date`; add it first with "
                      "'reunify legal-status CODE --from YYYY-MM-DD'")
    status = statuses[-1].code
    path = _case_file(folder, "placements")
    if status.startswith("V"):
        code = _reason(reason, RETURNED_HOME)
        _left_care(case, date)
        with edit_file(path) as edit:
            _set_in_order(edit.data, "left_care", CommentedMap([("date", date), ("reason", code)]), CASE_KEYS)
        summary = f"recorded the return home on {date.isoformat()}: left care ({codes.EPISODE_ENDED[code]})"
    else:
        if reason:
            raise FieldError("reason", " is for a child accommodated under section 20, who leaves care; "
                               "under an order the child is placed with parents (P1)")
        placed = [p for p in case.case.placements if p.since <= date]
        if placed and placed[-1].code == codes.PLACED_WITH_PARENTS:
            raise Refused("the child is already placed with parents (P1) on `date`")
        with edit_file(path) as edit:
            _add_dated(edit.data, "placements", {"code": codes.PLACED_WITH_PARENTS, "from": date})
        summary = f"recorded the return home on {date.isoformat()}: placed with parents (P1) under the order"
    done = recording.complete_steps(folder, return_steps(workflow), date=date, by=by or None, today=today)
    return Recorded(path, "; ".join([summary, *done.done]), "\n".join(done.hints) or None, done.files)
