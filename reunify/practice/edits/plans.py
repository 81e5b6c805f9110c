"""Editing the Return Home Assessment and the reunification plan (the parental agreement
is in `agreement`), and the helpers all three share.

As in `reunify.practice.recording`: each function holds the case's lock, checks everything first,
then writes once where the fact belongs (the family's file or the child's), round-trip,
keeping comments and key order, or raises `Refused`/`ReunifyError` and changes nothing.
Messages never repeat what the records hold.
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
from reunify.core.yamlio import append_entry
from reunify.core.yamlio import block
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import set_last
from reunify.core.yamlio import write_new_file
from reunify.practice import recording
from reunify.practice.recording import Recorded
from reunify.practice.recording import check_date
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import text_or_none
from reunify.practice.recording import validated
from reunify.practice.skeleton import ASSESSMENT_HEADER
from reunify.practice.skeleton import Essentials
from reunify.practice.skeleton import skeleton_files
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import children_of
from reunify.records.family import family_of
from reunify.records.family import is_family_folder
from reunify.records.family import target
from reunify.records.validation import did_you_mean
from reunify.records.values import FIRST_DATE
from reunify.workflow import Workflow

ASSESSMENT = "assessment.yaml"
AGREEMENT = "agreement.yaml"
PLAN = "plan.yaml"

# Free-text fields of the assessment 'reunify assessment set' writes, and what each is.
ASSESSMENT_TEXT: dict[str, str] = {
    "child_views": "the child's views, wishes and feelings",
    "housing": "the family's housing",
    "finances": "the family's finances",
    "school": "the child's school: attendance, progress, what the school says",
    "conclusion": "the conclusion of the assessment",
}
PLAN_TEXT: dict[str, str] = {
    "contingency": "the contingency plan: what happens if the return cannot go ahead or breaks down",
    "child_communication": "the conversation with the child: hopes, fears, timing and support",
}
# The child's own part of the assessment (everything else of it is the family's).
CHILD_HEADER = """\
# The child's part of the Return Home Assessment: the child's views, when the child was
# seen alone, school, the conclusion and the team manager's sign-off.
"""


def _header(name: str, path: Path) -> str:
    """The skeleton's header for a record file that does not exist yet."""
    if name == ASSESSMENT:
        folder = path.parent.resolve()
        return CHILD_HEADER if not is_family_folder(folder) and family_of(folder) is not None else ASSESSMENT_HEADER
    # The agreement's and the plan's headers do not depend on the day: no clock is read.
    return skeleton_files(Essentials(reference="", child_name=""), FIRST_DATE)[name]


def _person(case: Case, who: str, field: str) -> m.Person:
    """A person in people.yaml by id or by name (any case)."""
    who = who.strip()
    for person in case.people.people:
        if who == person.id or who.casefold() == person.name.casefold():
            return person
    raise FieldError(field, f" '{who}' is not in people.yaml (give the id or the name of someone there; "
                       "ids are case-sensitive)")


def _parent(case: Case, who: str, field: str) -> m.Person:
    person = _person(case, who, field)
    if person.id in case.group:
        raise FieldError(field, f" '{who}' is a child of the case, not a parent")
    return person


def _texts(values: list[str] | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values or [] if v.strip()))


def _where(case: Case, folder: Path, name: str, key: str, present: bool) -> Path:
    """The file holding top-level `key` of record file `name`, or where it belongs."""
    return case.source(name, (key,))[0] if present else target(folder, name, key)


def _set(path: Path, name: str, values: dict[str, Any]) -> None:
    """Set top-level keys of a record file: in place when present, else at the end."""
    if not path.exists():
        write_new_file(path, _header(name, path))
    with edit_file(path) as edit:
        for key, value in values.items():
            if key in edit.data:
                edit.data[key] = block(value)
            else:
                set_last(edit.data, key, block(value))


def _append(path: Path, name: str, key: str, entry: dict[str, Any], *, by_date: bool = False) -> None:
    if not path.exists():
        write_new_file(path, _header(name, path))
    with edit_file(path) as edit:
        add_entry(edit.data, key, entry, by_date=by_date)


def _steps_needing(workflow: Workflow, gate_name: str) -> list[str]:
    """The steps marked done by a date whose gates include `gate_name`: what a recording
    of that artefact stands for, read from the workflow (no step id is written here)."""
    return [step.id for step in workflow.steps.values()
            if step.kind[0] == "date" and any(name == gate_name for name, _ in step.gate_specs())]


def _with_steps(recorded: Recorded, done: recording.Completed) -> Recorded:
    hints = [h for h in (recorded.hint, *done.hints) if h]
    return Recorded(recorded.file, "; ".join([recorded.summary, *done.done]), "\n".join(hints) or None,
                    (*recorded.also, *done.files))


# -- the Return Home Assessment ---------------------------------------------------------


@locked
def assessment_parent(folder: Path, person: str, *, today: dt.date, risk_factors: list[str] | None = None,
                      protective_factors: list[str] | None = None, interaction: str | None = None,
                      capacity_to_change: str | None = None) -> Recorded:
    """Add a parent's section of the assessment, or extend it: factors are added (each
    once), the analysis of how they interact and the capacity to change replaced."""
    case, _ = open_case(folder, today)
    found = _parent(case, person, "PERSON")
    risks, protective = _texts(risk_factors), _texts(protective_factors)
    interaction, capacity = text_or_none(interaction), text_or_none(capacity_to_change)
    if not (risks or protective or interaction or capacity):
        raise ReunifyError("give at least one of `risk_factors`, `protective_factors`, `interaction`, "
                           "`capacity_to_change`")
    index = next((i for i, p in enumerate(case.assessment.parents) if p.person == found.id), None)
    if index is None:
        entry: dict[str, Any] = {"person": found.id, "risk_factors": CommentedSeq(risks) or None,
                                 "protective_factors": CommentedSeq(protective) or None,
                                 "interaction": interaction, "capacity_to_change": capacity}
        validated(m.ParentAssessment, entry)
        path = target(folder, ASSESSMENT, "parents")
        _append(path, ASSESSMENT, "parents", entry)
        return Recorded(path, "added a parent's section to the assessment")
    existing = case.assessment.parents[index]
    new_risks = [r for r in risks if r not in existing.risk_factors]
    new_protective = [p for p in protective if p not in existing.protective_factors]
    if not (new_risks or new_protective or interaction or capacity):
        raise Refused("nothing new: those factors are already in the parent's section; nothing was changed")
    path, (_, at) = case.source(ASSESSMENT, ("parents", index))
    with edit_file(path) as edit:
        item = edit.data["parents"][at]
        for key, added in (("risk_factors", new_risks), ("protective_factors", new_protective)):
            if added and item.get(key):
                item[key].extend(added)
            elif added:
                item[key] = CommentedSeq(added)
        for key, text in (("interaction", interaction), ("capacity_to_change", capacity)):
            if text is not None:
                item[key] = block(text)
    changed = [f"{len(new_risks)} risk factor{'s' if len(new_risks) != 1 else ''}" if new_risks else "",
               f"{len(new_protective)} protective factor{'s' if len(new_protective) != 1 else ''}"
               if new_protective else "",
               ("replaced " if existing.interaction else "") + "the interaction" if interaction else "",
               ("replaced " if existing.capacity_to_change else "") + "the capacity to change" if capacity else ""]
    return Recorded(path, "updated a parent's section of the assessment: " + ", ".join(c for c in changed if c))


@locked
def set_assessment_text(folder: Path, field: str, text: str, *, today: dt.date) -> Recorded:
    """Write one free-text field of the assessment (child_views, housing, finances, school,
    conclusion), replacing what it held."""
    if field not in ASSESSMENT_TEXT:
        raise ReunifyError(f"unknown field '{field}'" + did_you_mean(field, list(ASSESSMENT_TEXT))
                           + " (fields: " + ", ".join(ASSESSMENT_TEXT) + ")")
    case, _ = open_case(folder, today)
    if field in ("child_views", "school", "conclusion"):
        one_child(folder, {"child_views": "the child's views", "school": "the school",
                             "conclusion": "the conclusion"}[field])
    value = text_or_none(text)
    if value is None:
        raise ReunifyError(f"the text for {field} is empty; nothing written")
    current = getattr(case.assessment, field)
    path = _where(case, folder, ASSESSMENT, field, current is not None)
    _set(path, ASSESSMENT, {field: value})
    return Recorded(path, ("replaced " if current is not None else "recorded ") + ASSESSMENT_TEXT[field].split(":")[0])


@locked
def add_support_need(folder: Path, text: str, *, today: dt.date) -> Recorded:
    case, _ = open_case(folder, today)
    need = text_or_none(text)
    if need is None:
        raise ReunifyError("the support need is empty")
    if need in case.assessment.support_needs:
        raise Refused("that support need is already recorded; nothing was changed")
    path = target(folder, ASSESSMENT, "support_needs")
    if not path.exists():
        write_new_file(path, _header(ASSESSMENT, path))
    with edit_file(path) as edit:
        needs = edit.data.get("support_needs")
        if needs:
            append_entry(needs, need)
        elif needs is None:
            set_last(edit.data, "support_needs", CommentedSeq([need]))
        else:  # an empty `[]` would keep flow style and put every need on one line
            edit.data["support_needs"] = CommentedSeq([need])
    return Recorded(path, f"added a support need ({len(case.assessment.support_needs) + 1} in all)")


@locked
def start_assessment(folder: Path, *, date: dt.date, today: dt.date) -> Recorded:
    case, _ = open_case(folder, today)
    check_date(case, date, today)
    started = case.assessment.started
    if started is not None:
        raise Refused(f"the assessment is already recorded as started on {started.isoformat()}; "
                      "change assessment.yaml by hand if that was wrong")
    path = target(folder, ASSESSMENT, "started")
    _set(path, ASSESSMENT, {"started": date})
    return Recorded(path, f"recorded the start of the assessment on {date.isoformat()}")


@locked
def child_seen_alone(folder: Path, *, date: dt.date, today: dt.date) -> Recorded:
    one_child(folder, "when the child was seen alone")
    case, _ = open_case(folder, today)
    check_date(case, date, today)
    if case.assessment.started is not None and date < case.assessment.started:
        raise FieldError("date", " is before the assessment started")
    current = case.assessment.child_seen_alone
    if current is not None and date <= current:
        raise Refused(f"the child is already recorded as seen alone on {current.isoformat()}; nothing was changed")
    path = _where(case, folder, ASSESSMENT, "child_seen_alone", current is not None)
    _set(path, ASSESSMENT, {"child_seen_alone": date})
    return Recorded(path, f"recorded that the child was seen alone for the assessment on {date.isoformat()}")


@locked
def sign_off_assessment(folder: Path, *, by: str, date: dt.date, today: dt.date) -> Recorded:
    """The manager's sign-off, in each child's assessment (every child of a family folder),
    then the steps it stands for, done where their gates pass."""
    writes: list[Path] = []
    member_id = ""
    for case_folder in children_of(folder) if is_family_folder(folder) else [folder]:
        case, workflow = open_case(case_folder, today)
        member = team_member(case, by)
        if member.role not in workflow.managers():
            role = workflow.roles.get(member.role)
            raise Refused("the assessment is signed off by a manager; `by` is "
                          + (f"a {role.title.lower()}" if role else "not a manager"))
        check_date(case, date, today)
        if case.assessment.started is not None and date < case.assessment.started:
            raise FieldError("date", " is before the assessment started")
        signed = case.assessment.signed_off
        if signed is not None:
            label = f"{case.child.name}'s " if case.family is not None and case.child is not None else "the "
            raise Refused(f"{label}assessment is already signed off on {signed.date.isoformat()}; nothing was changed")
        writes.append(_where(case, case_folder, ASSESSMENT, "signed_off", False))
        member_id = member.id
    for path in writes:
        _set(path, ASSESSMENT, {"signed_off": CommentedMap((("by", member_id), ("date", date)))})
    _, workflow = open_case(folder, today)
    children = f" of {len(writes)} children" if len(writes) > 1 else ""
    recorded = Recorded(writes[0], f"recorded the sign-off of the assessment{children} on {date.isoformat()}",
                        also=tuple(writes[1:]))
    done = recording.complete_steps(folder, _steps_needing(workflow, "assessment_signed_off"), date=date,
                                    by=member_id, today=today)
    return _with_steps(recorded, done)


# -- the reunification plan -----------------------------------------------------------------


def _people(case: Case, names: list[str] | None, field: str) -> list[str]:
    return list(dict.fromkeys(_person(case, who, field).id for who in names or [] if who.strip()))


@locked
def add_service(folder: Path, service: str, *, today: dt.date, provider: str | None = None,
                recipients: list[str] | None = None, frequency: str | None = None,
                since: dt.date | None = None, until: dt.date | None = None,
                after_return: bool = False) -> Recorded:
    """A support service in the plan (or in the support after the return)."""
    case, _ = open_case(folder, today)
    entry: dict[str, Any] = {"service": text_or_none(service), "provider": text_or_none(provider),
                             "for": CommentedSeq(_people(case, recipients, "recipients")) or None,
                             "frequency": text_or_none(frequency), "from": since, "until": until}
    if entry["service"] is None:
        raise FieldError("SERVICE", " must not be empty")
    validated(m.Service, entry, {"service": "SERVICE", "for": "recipients", "from": "since"})
    if since is not None and until is not None and until < since:
        raise ReunifyError("`until` is before `since`")
    key = "after_return" if after_return else "support"
    path = target(folder, PLAN, key)
    _append(path, PLAN, key, entry)
    return Recorded(path, "added a service to the " + ("support after the return" if after_return
                                                       else "plan's support"))


@locked
def add_contact(folder: Path, *, people: list[str], arrangement: str, today: dt.date, supervised: bool = False,
                since: dt.date | None = None) -> Recorded:
    case, _ = open_case(folder, today)
    ids = _people(case, people, "people")
    if not ids:
        raise FieldError("people", " must name who the contact is with")
    entry: dict[str, Any] = {"with": CommentedSeq(ids), "arrangement": text_or_none(arrangement),
                             "supervised": supervised or None, "from": since}
    if entry["arrangement"] is None:
        raise FieldError("arrangement", " must not be empty")
    validated(m.ContactArrangement, entry, {"with": "people", "from": "since"})
    path = target(folder, PLAN, "contact")
    _append(path, PLAN, "contact", entry)
    return Recorded(path, "added a " + ("supervised " if supervised else "") + "contact arrangement to the plan")


@locked
def add_transition(folder: Path, step: str, *, today: dt.date, date: dt.date | None = None,
                   for_child: str | None = None) -> Recorded:
    open_case(folder, today)
    entry: dict[str, Any] = {"step": text_or_none(step), "date": date}
    if entry["step"] is None:
        raise FieldError("STEP_TEXT", " must not be empty")
    if for_child is not None:
        entry["for_child"] = text_or_none(for_child)
        if entry["for_child"] is None:
            raise FieldError("for_child", " must not be empty")
    validated(m.TransitionStep, entry, {"step": "STEP_TEXT"})
    path = target(folder, PLAN, "transition")
    _append(path, PLAN, "transition", entry, by_date=date is not None)
    return Recorded(path, "added a transition step to the plan" + (f", dated {date.isoformat()}" if date else ""))


@locked
def set_plan_text(folder: Path, field: str, text: str, *, today: dt.date) -> Recorded:
    if field not in PLAN_TEXT:
        raise ReunifyError(f"unknown field '{field}' (fields: " + ", ".join(PLAN_TEXT) + ")")
    case, _ = open_case(folder, today)
    value = text_or_none(text)
    if value is None:
        raise ReunifyError(f"the text for {field.replace('_', '-')} is empty; nothing written")
    current = getattr(case.plan, field)
    if field == "child_communication":  # each child's own conversation
        one_child(folder, "the conversation with the child")
        path = target(folder, PLAN, field)
    else:
        path = _where(case, folder, PLAN, field, current is not None)
    _set(path, PLAN, {field: value})
    return Recorded(path, ("replaced " if current is not None else "recorded ") + PLAN_TEXT[field].split(":")[0])


def current_text(folder: Path, file: str, field: str, today: dt.date) -> str | None:
    """What a free-text field holds now, to start the editor on it (None when unreadable)."""
    try:
        case, _ = open_case(folder, today)
    except ReunifyError:
        return None
    record = case.assessment if file == ASSESSMENT else case.plan
    value = getattr(record, field, None)
    return value if isinstance(value, str) else None
