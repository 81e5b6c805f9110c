"""People, relationships and households, recorded without opening the YAML (the team is
in `team`; the child's legal status, placements and return home in `care`; how an entry
is written among others in `entries`).

Each function checks everything first and writes once, round-trip and atomically, where
the fact belongs: the team in the family's file for a sibling group, people and
households in people.yaml (the family's), and what is the child's own (legal status,
placements, home, trusted adult, leaving care) in the child's case.yaml. A problem is
raised as `ReunifyError` (bad input) or `Refused` (the records say no), in one line that
never repeats a name, a date or a note from the records.
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
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import write_new_file
from reunify.practice import recording
from reunify.practice.edits.entries import _append
from reunify.practice.edits.entries import _entry
from reunify.practice.edits.entries import _set_in_order
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import open_case
from reunify.practice.recording import validated
from reunify.practice.skeleton import slug
from reunify.practice.skeleton import unique
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.records.family import target

PEOPLE_HEADER = """\
# Everyone in the child's family and household: the genogram, police checks and the
# documents' names all come from here. Ids are stable; everything refers to them.
# 'reunify person add', 'reunify relationship' and 'reunify household add' write here.
people: []
"""

# The order of the keys of a record, for a key added to an entry that lacks it.
PERSON_KEYS = ("id", "name", "sex", "born", "died", "relationship", "parents", "parent_link", "risk_to_child",
               "notes")
CASE_KEYS = ("reference", "child", "workflow", "legal_status", "placements", "left_care", "home",
             "trusted_adult", "proceedings", "team")

SEXES = ("male", "female", "unknown")
PARENT_LINKS = ("birth", "adopted", "fostered", "step")
COUPLE_STATUSES = ("married", "cohabiting", "separated", "divorced")
TIE_QUALITIES = ("close", "conflict", "cut_off")


# -- small helpers ----------------------------------------------------------------------


def not_future(field: str, day: dt.date | None, today: dt.date) -> None:
    if day is not None and day > today:
        raise FieldError(field, f" {day.isoformat()} is in the future (today is {today.isoformat()})")


def _not_before_birth(case: Case, field: str, day: dt.date) -> None:
    child = case.child
    if child is not None and child.born is not None and day < child.born:
        raise FieldError(field, " is before the child was born")


def _matches(who: str, item_id: str, name: str) -> bool:
    return who == item_id or who.casefold() == name.casefold()


def find_person(case: Case, who: str, field: str) -> m.Person:
    """A person of people.yaml by id or by name (any case); `field` is the field given it."""
    who = who.strip()
    for person in case.people.people:
        if _matches(who, person.id, person.name):
            return person
    # The people's ids are not offered: an id from the records is never repeated in a message.
    raise FieldError(field, f" '{who}' is not in people.yaml (give the id or the name of someone there; "
                       "'reunify person add' adds someone)")


def find_household(case: Case, which: str, field: str = "HOUSEHOLD") -> tuple[int, m.Household]:
    which = which.strip()
    for index, household in enumerate(case.people.households):
        if _matches(which, household.id, household.name):
            return index, household
    raise FieldError(field, f" '{which}' is not a household in people.yaml (give its id or its name; "
                       "'reunify household add' adds one)")


def _people_file(folder: Path, key: str) -> Path:
    path = target(folder, "people.yaml", key)
    if not path.exists():
        write_new_file(path, PEOPLE_HEADER)
    return path


# -- people -----------------------------------------------------------------------------


def _person_values(case: Case, *, name: str | None, sex: str | None, born: dt.date | None,
                   died: dt.date | None, relationship: str | None, parents: list[str] | None,
                   parent_link: str | None, today: dt.date, self_id: str | None = None) -> dict[str, Any]:
    """The fields given, checked, as they are written (None: not given)."""
    if sex is not None and sex.strip().lower() not in SEXES:
        raise FieldError("sex", " must be one of: " + ", ".join(SEXES))
    if parent_link is not None and parent_link.strip().lower() not in PARENT_LINKS:
        raise FieldError("parent_link", " must be one of: " + ", ".join(PARENT_LINKS))
    not_future("born", born, today)
    not_future("died", died, today)
    ids = None
    if parents is not None:
        ids = list(dict.fromkeys(find_person(case, p, "parents").id for p in parents if p.strip()))
        if self_id is not None and self_id in ids:
            raise FieldError("parents", " names the person themselves")
        if len(ids) > 2:
            raise FieldError("parents", " may be given at most twice")
    return {"name": name.strip() if name is not None else None,
            "sex": sex.strip().lower() if sex is not None else None,
            "born": born, "died": died, "relationship": recording.text_or_none(relationship),
            "parents": CommentedSeq(ids) if ids is not None else None,
            "parent_link": parent_link.strip().lower() if parent_link is not None else None}


def _check_person(entry: dict[str, Any]) -> None:
    validated(m.Person, _entry(entry), {"id": "person", "name": "NAME"})
    born, died = entry.get("born"), entry.get("died")
    if isinstance(born, dt.date) and isinstance(died, dt.date) and died < born:
        raise FieldError("died", " is before the date of birth")


def _flow(ids: list[str]) -> CommentedSeq:
    seq = CommentedSeq(ids)
    seq.fa.set_flow_style()
    return seq


def _join(household: CommentedMap, person_id: str, visitor: bool) -> None:
    key = "regular_visitors" if visitor else "members"
    other = "members" if visitor else "regular_visitors"
    if person_id in (household.get(key) or []):
        raise Refused("that person is already " + ("a regular visitor of" if visitor else "a member of")
                      + " the household")
    if person_id in (household.get(other) or []):
        raise Refused("that person is already " + ("a member of" if visitor else "a regular visitor of")
                      + " the household (a person is one or the other)")
    items = household.get(key)
    if items:
        items.append(person_id)
    else:
        order = ("id", "name", "address", "members", "regular_visitors")
        _set_in_order(household, key, _flow([person_id]), order)


@locked
def add_person(folder: Path, name: str, *, today: dt.date, person: str | None = None, sex: str | None = None,
               born: dt.date | None = None, died: dt.date | None = None, relationship: str | None = None,
               parents: list[str] | None = None, parent_link: str | None = None,
               household: str | None = None, visitor: bool = False, risk_to_child: bool = False) -> Recorded:
    case, _ = open_case(folder, today)
    taken = [p.id for p in case.people.people]
    if person and person.strip():
        new_id = person.strip()
        if new_id in taken:
            raise Refused("`person` is already used by someone in people.yaml (ids are unique)")
    else:
        words = name.split()
        first = slug(words[0]) if words else ""
        full = slug(name)
        new_id = unique(first if first and first not in taken else full or "person", taken)
    values = _person_values(case, name=name, sex=sex, born=born, died=died, relationship=relationship,
                            parents=parents or None, parent_link=parent_link, today=today)
    entry = _entry({"id": new_id, **values, "risk_to_child": True if risk_to_child else None})
    _check_person(entry)
    if visitor and not household:
        raise ReunifyError("`visitor` needs `household` (the household they visit)")
    at = find_household(case, household, "household")[0] if household else None
    path = _people_file(folder, "people")
    with edit_file(path) as edit:
        _append(edit.data, "people", entry)
        if at is not None:
            _join(edit.data["households"][at], new_id, visitor)
    where = (" and to the household" + (" as a regular visitor" if visitor else "")) if at is not None else ""
    return Recorded(path, f"added a person to people.yaml as '{new_id}'{where}")


@locked
def change_person(folder: Path, who: str, *, today: dt.date, name: str | None = None, sex: str | None = None,
                  born: dt.date | None = None, died: dt.date | None = None, relationship: str | None = None,
                  parents: list[str] | None = None, parent_link: str | None = None,
                  household: str | None = None, visitor: bool = False,
                  risk_to_child: bool | None = None) -> Recorded:
    case, _ = open_case(folder, today)
    found = find_person(case, who, "PERSON")
    values = _person_values(case, name=name, sex=sex, born=born, died=died, relationship=relationship,
                            parents=parents or None, parent_link=parent_link, today=today, self_id=found.id)
    changes = _entry(values)
    # A risk to the child is written as `risk_to_child: true`; `risk_to_child=False` takes it away.
    unmark = risk_to_child is False and found.risk_to_child
    if risk_to_child and not found.risk_to_child:
        changes["risk_to_child"] = True
    if not changes and not household and not unmark and risk_to_child is not None:
        raise Refused("that person is already " + ("" if risk_to_child else "not ")
                      + "recorded as a risk to the child")
    if not changes and not household and not unmark:
        raise ReunifyError("nothing to change: give `name`, `sex`, `born`, `died`, `relationship`, `parents`, "
                           "`parent_link`, `household` or `risk_to_child`")
    if visitor and not household:
        raise ReunifyError("`visitor` needs `household` (the household they visit)")
    kept = {name: value for name in found.__struct_fields__ if (value := getattr(found, name)) is not None}
    merged = {**kept, **changes}
    _check_person(merged)
    at = find_household(case, household, "household")[0] if household else None
    index = next(i for i, p in enumerate(case.people.people) if p.id == found.id)
    path, (_, position) = case.source("people.yaml", ("people", index))
    with edit_file(path) as edit:
        item = edit.data["people"][position]
        for key, value in changes.items():
            old = item.get(key)
            if key == "parents" and isinstance(old, CommentedSeq) and old and not old.fa.flow_style():
                value = CommentedSeq(value)  # a list written one per line stays so
            elif key == "parents":
                value = _flow(list(value))
            _set_in_order(item, key, value, PERSON_KEYS)
        if unmark and "risk_to_child" in item:
            del item["risk_to_child"]
        if at is not None:
            _join(edit.data["households"][at], found.id, visitor)
    what = ", ".join(k.replace("_", " ") for k in [*changes, *(["risk to child"] if unmark else [])]) + (
        ", household" if at is not None else "")
    return Recorded(path, f"changed the {what} of '{found.id}' in people.yaml")


# -- relationships and households -------------------------------------------------------


@locked
def set_relationship(folder: Path, first: str, second: str, *, today: dt.date, couple: str | None = None,
                     since: dt.date | None = None, tie: str | None = None) -> Recorded:
    case, _ = open_case(folder, today)
    if (couple is None) == (tie is None):
        raise ReunifyError("give one of `couple` (married, cohabiting, separated, divorced) "
                           "or `tie` (close, conflict, cut_off)")
    if tie is not None and since is not None:
        raise FieldError("since", " is for a couple; a tie has no date")
    a, b = find_person(case, first, "A").id, find_person(case, second, "B").id
    if a == b:
        raise ReunifyError("`A` and `B` are the same person")
    not_future("since", since, today)
    pair = {a, b}
    if couple is not None:
        status = couple.strip().lower()
        if status not in COUPLE_STATUSES:
            raise FieldError("couple", " must be one of: " + ", ".join(COUPLE_STATUSES))
        key, entry = "couples", _entry({"people": _flow([a, b]), "status": status, "since": since})
        pairs = [set(item.people) for item in case.people.couples]
    else:
        quality = (tie or "").strip().lower().replace("-", "_").replace(" ", "_")
        if quality not in TIE_QUALITIES:
            raise FieldError("tie", " must be one of: " + ", ".join(TIE_QUALITIES))
        key, entry = "relationships", {"people": _flow([a, b]), "quality": quality}
        pairs = [set(item.people) for item in case.people.relationships]
    index = next((i for i, people in enumerate(pairs) if people == pair), None)
    path = _people_file(folder, key) if index is None else case.source("people.yaml", (key, index))[0]
    with edit_file(path) as edit:
        if index is None:
            _append(edit.data, key, entry)
            done = "added"
        else:
            _, (_, at) = case.source("people.yaml", (key, index))
            item = edit.data[key][at]
            for name, value in entry.items():
                if name != "people":
                    item[name] = value
            done = "updated"
    kind = "couple" if couple is not None else "relationship"
    return Recorded(path, f"{done} the {kind} of '{a}' and '{b}' in people.yaml")


def _home_files(folder: Path) -> list[Path]:
    """The case.yaml files whose `home:` a household for `folder` is: each child's."""
    if is_family_folder(folder):
        return [child / "case.yaml" for child in children_of(folder)]
    return [target(folder, "case.yaml", "home")]


@locked
def add_household(folder: Path, name: str, *, today: dt.date, household: str | None = None,
                  address: str | None = None, members: list[str] | None = None,
                  visitors: list[str] | None = None, home: bool = False) -> Recorded:
    case, _ = open_case(folder, today)
    taken = [h.id for h in case.people.households]
    if household and household.strip():
        new_id = household.strip()
        if new_id in taken:
            raise Refused("`household` is already used by a household in people.yaml")
    else:
        new_id = unique(slug(name) or "household", taken)
    member_ids = list(dict.fromkeys(find_person(case, p, "members").id for p in members or [] if p.strip()))
    visitor_ids = list(dict.fromkeys(find_person(case, p, "visitors").id for p in visitors or [] if p.strip()))
    if set(member_ids) & set(visitor_ids):
        raise ReunifyError("a person is a member or a regular visitor of a household, not both")
    entry = _entry({"id": new_id, "name": name.strip(), "address": recording.text_or_none(address),
                    "members": _flow(member_ids) if member_ids else None,
                    "regular_visitors": _flow(visitor_ids) if visitor_ids else None})
    validated(m.Household, entry, {"id": "household", "name": "NAME"})
    path = _people_file(folder, "households")
    homes = _home_files(folder) if home else []
    with edit_file(path) as edit:
        _append(edit.data, "households", entry)
    for case_file in homes:
        with edit_file(case_file) as edit:
            _set_in_order(edit.data, "home", new_id, CASE_KEYS)
    summary = f"added the household '{new_id}' to people.yaml"
    if homes:
        summary += "; it is the child's home" if len(homes) == 1 else "; it is each child's home"
    return Recorded(path, summary, also=tuple(homes))


@locked
def join_household(folder: Path, which: str, who: str, *, today: dt.date, visitor: bool = False) -> Recorded:
    case, _ = open_case(folder, today)
    index, household = find_household(case, which)
    person = find_person(case, who, "PERSON")
    path, (_, at) = case.source("people.yaml", ("households", index))
    with edit_file(path) as edit:
        _join(edit.data["households"][at], person.id, visitor)
    how = "a regular visitor of" if visitor else "a member of"
    return Recorded(path, f"recorded '{person.id}' as {how} the household '{household.id}'")
