"""The team, people, relationships, households, the trusted adult, legal status,
placements and the return home, recorded without opening the YAML.

Each function checks everything first and writes once, round-trip and atomically, where
the fact belongs: the team in the family's file for a sibling group, people and
households in people.yaml (the family's), and what is the child's own (legal status,
placements, home, trusted adult, leaving care) in the child's case.yaml. A problem is
raised as `ReunifyError` (bad input) or `Refused` (the records say no), in one line that
never repeats a name, a date or a note from the records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reunify.core import codes
from reunify.core.problems import FieldError
from reunify.core.problems import Refused
from reunify.core.problems import ReunifyError
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import set_last
from reunify.core.yamlio import write_new_file
from reunify.practice import recording
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import validated
from reunify.practice.skeleton import slug
from reunify.practice.skeleton import unique
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.records.family import target
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow

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
RETURN_GATE = "return_recorded"
RETURNED_HOME = "E4A"


# -- small helpers ----------------------------------------------------------------------


def role_abbreviation(role: str) -> str:
    """'social_worker' -> 'sw', 'chronologist' -> 'chron', 'qaro' -> 'qaro'."""
    words = [w for w in role.split("_") if w]
    return "".join(w[0] for w in words) if len(words) > 1 else role[:5]


def member_id(name: str, role: str, taken: Iterable[str]) -> str:
    words = name.split()
    last = slug(words[-1]) if words else ""
    base = role_abbreviation(role) + (f"-{last}" if last else "")
    return unique(base, taken)


def not_future(option: str, day: dt.date | None, today: dt.date) -> None:
    if day is not None and day > today:
        raise FieldError(option, f" {day.isoformat()} is in the future (today is {today.isoformat()})")


def _not_before_birth(case: Case, option: str, day: dt.date) -> None:
    child = case.child
    if child is not None and child.born is not None and day < child.born:
        raise FieldError(option, " is before the child was born")


def _matches(who: str, item_id: str, name: str) -> bool:
    return who == item_id or who.casefold() == name.casefold()


def find_person(case: Case, who: str, option: str) -> m.Person:
    """A person of people.yaml by id or by name (any case)."""
    who = who.strip()
    for person in case.people.people:
        if _matches(who, person.id, person.name):
            return person
    # The people's ids are not offered: an id from the records is never repeated in a message.
    raise FieldError(option, f" '{who}' is not in people.yaml (give the id or the name of someone there; "
                       "'reunify person add' adds someone)")


def find_household(case: Case, which: str, option: str = "HOUSEHOLD") -> tuple[int, m.Household]:
    which = which.strip()
    for index, household in enumerate(case.people.households):
        if _matches(which, household.id, household.name):
            return index, household
    raise FieldError(option, f" '{which}' is not a household in people.yaml (give its id or its name; "
                       "'reunify household add' adds one)")


def _member_index(case: Case, member: m.TeamMember) -> int:
    return next(i for i, t in enumerate(case.case.team) if t.id == member.id)


def _role(workflow: Workflow, role: str) -> str:
    role = role.strip().lower().replace(" ", "_").replace("-", "_")
    titles = {r.title.casefold(): key for key, r in workflow.roles.items()}
    role = titles.get(role.replace("_", " ").casefold(), role)
    if role not in workflow.roles:
        raise FieldError("role", " must be one of the workflow's roles: " + ", ".join(workflow.roles))
    return role


def _title(workflow: Workflow, role: str) -> str:
    found = workflow.roles.get(role)
    return found.title.lower() if found is not None else role


def _people_file(folder: Path, key: str) -> Path:
    path = target(folder, "people.yaml", key)
    if not path.exists():
        write_new_file(path, PEOPLE_HEADER)
    return path


def _set_in_order(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set `key`; a key not there yet goes after the keys that come before it in `order`."""
    if key in mapping:
        mapping[key] = value
        return
    before = order[:order.index(key)] if key in order else order
    position = 0
    for index, existing in enumerate(mapping):
        if existing in before:
            position = index + 1
    if position >= len(mapping):
        set_last(mapping, key, value)  # keeps a comment below the last key below it
    else:
        mapping.insert(position, key, value)


def _append(mapping: CommentedMap, key: str, entry: dict[str, Any]) -> None:
    """Add an entry at the end of the list under `key`, written like the entries there."""
    add_entry(mapping, key, entry)
    _like_neighbours(mapping[key], len(mapping[key]) - 1)


def _like_neighbours(items: CommentedSeq, index: int) -> None:
    """An entry among `{code: V2, from: ...}` entries is written on one line as they are."""
    others = [item for i, item in enumerate(items) if i != index and isinstance(item, CommentedMap)]
    if index and any(items.ca.items.get(index - 1) or ()):
        return  # a comment after the entry before stays between the entries only in block style
    if others and all(item.fa.flow_style() for item in others) and isinstance(items[index], CommentedMap):
        items[index].fa.set_flow_style()


def _add_dated(mapping: CommentedMap, key: str, entry: dict[str, Any]) -> None:
    """Add an entry with a `from` date to the list under `key`, kept in date order."""
    items = mapping.get(key)
    position = len(items) if items else 0
    while position > 0:
        since = items[position - 1].get("from") if isinstance(items[position - 1], dict) else None
        if not isinstance(since, dt.date) or since <= entry["from"]:
            break
        position -= 1
    if not items or position == len(items):
        _append(mapping, key, entry)
    else:
        items.insert(position, CommentedMap((k, v) for k, v in entry.items() if v is not None))
        _like_neighbours(items, position)


def _entry(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# -- the team ---------------------------------------------------------------------------


@locked
def add_team_member(folder: Path, name: str, *, role: str, today: dt.date, member: str | None = None,
                    since: dt.date | None = None) -> Recorded:
    case, workflow = open_case(folder, today)
    role = _role(workflow, role)
    not_future("--from", since, today)
    taken = [t.id for t in case.case.team]
    new_id = member.strip() if member and member.strip() else member_id(name, role, taken)
    entry = _entry({"id": new_id, "name": name.strip(), "role": role, "from": since})
    validated(m.TeamMember, entry, {"id": "--id", "name": "NAME", "role": "--role", "from": "--from"})
    if new_id in taken:
        raise Refused("--id is already used by a team member (ids stay unique, even after a transfer)")
    if any(t.name.casefold() == name.strip().casefold() and t.active_on(since or today) for t in case.case.team):
        raise Refused("someone of that name is already in the team (use 'reunify team role' to change a role)")
    path = target(folder, "case.yaml", "team")
    with edit_file(path) as edit:
        _append(edit.data, "team", entry)
    return Recorded(path, f"added a {_title(workflow, role)} to the team as '{new_id}'",
                    f"record what they do with --by {new_id}")


@locked
def change_team_role(folder: Path, who: str, role: str, *, today: dt.date) -> Recorded:
    case, workflow = open_case(folder, today)
    member = team_member(case, who, "MEMBER")
    role = _role(workflow, role)
    if member.role == role:
        raise Refused(f"that team member is already the {_title(workflow, role)}; nothing was changed")
    path, (_, index) = case.source("case.yaml", ("team", _member_index(case, member)))
    with edit_file(path) as edit:
        edit.data["team"][index]["role"] = role
    return Recorded(path, f"changed the role of '{member.id}' to {_title(workflow, role)}",
                    "records already made keep their date and who made them")


@locked
def transfer_team_member(folder: Path, who: str, *, to: str, date: dt.date, today: dt.date,
                         to_id: str | None = None) -> Recorded:
    """End `who`'s time on the case on `date`; the successor takes the role from that day."""
    case, workflow = open_case(folder, today)
    leaving = team_member(case, who, "FROM")
    not_future("--date", date, today)
    if leaving.until is not None:
        raise Refused("that team member has already left the case (their 'until' is set)")
    if leaving.since is not None and date < leaving.since:
        raise FieldError("date", " is before that team member joined the case")
    successor = next((t for t in case.case.team if _matches(to.strip(), t.id, t.name)), None)
    entry: dict[str, Any] | None
    if successor is not None:
        if successor.id == leaving.id:
            raise FieldError("to", " names the team member who is leaving")
        if successor.role != leaving.role:
            raise Refused("--to is in the team with another role; change it first with 'reunify team role'")
        if not successor.active_on(date):
            raise Refused("--to is not on the case on --date (see their 'from' and 'until')")
        entry = None
    else:
        taken = [t.id for t in case.case.team]
        new_id = to_id.strip() if to_id and to_id.strip() else member_id(to, leaving.role, taken)
        if new_id in taken:
            raise Refused("--to-id is already used by a team member (ids stay unique)")
        entry = {"id": new_id, "name": to.strip(), "role": leaving.role, "from": date}
        validated(m.TeamMember, entry, {"id": "--to-id", "name": "--to"})
    path, (_, index) = case.source("case.yaml", ("team", _member_index(case, leaving)))
    new_path = target(folder, "case.yaml", "team")
    with edit_file(path) as edit:
        # Its own date object: one object written twice would become a YAML anchor and alias.
        edit.data["team"][index]["until"] = dt.date(date.year, date.month, date.day)
        if entry is not None and new_path == path:
            _append(edit.data, "team", entry)
    also: tuple[Path, ...] = ()
    if entry is not None and new_path != path:
        with edit_file(new_path) as edit:
            _append(edit.data, "team", entry)
        also = (new_path,)
    new = str(entry["id"]) if entry is not None else successor.id if successor is not None else ""
    return Recorded(path, f"transferred the {_title(workflow, leaving.role)}'s work from '{leaving.id}' to "
                          f"'{new}' on {date.isoformat()}",
                    "past records keep who made them; record new work with --by " + new, also)


def team_of(folder: Path, today: dt.date) -> tuple[list[m.TeamMember], Workflow]:
    """The team and the workflow (for the roles' titles), read only."""
    case, workflow = open_case(folder, today)
    return list(case.case.team), workflow


# -- people -----------------------------------------------------------------------------


def _person_values(case: Case, *, name: str | None, sex: str | None, born: dt.date | None,
                   died: dt.date | None, relationship: str | None, parents: list[str] | None,
                   parent_link: str | None, today: dt.date, self_id: str | None = None) -> dict[str, Any]:
    """The fields given, checked, as they are written (None: not given)."""
    if sex is not None and sex.strip().lower() not in SEXES:
        raise FieldError("sex", " must be one of: " + ", ".join(SEXES))
    if parent_link is not None and parent_link.strip().lower() not in PARENT_LINKS:
        raise FieldError("parent_link", " must be one of: " + ", ".join(PARENT_LINKS))
    not_future("--born", born, today)
    not_future("--died", died, today)
    ids = None
    if parents is not None:
        ids = list(dict.fromkeys(find_person(case, p, "--parent").id for p in parents if p.strip()))
        if self_id is not None and self_id in ids:
            raise FieldError("parent", " names the person themselves")
        if len(ids) > 2:
            raise FieldError("parent", " may be given at most twice")
    return {"name": name.strip() if name is not None else None,
            "sex": sex.strip().lower() if sex is not None else None,
            "born": born, "died": died, "relationship": recording.text_or_none(relationship),
            "parents": CommentedSeq(ids) if ids is not None else None,
            "parent_link": parent_link.strip().lower() if parent_link is not None else None}


def _check_person(entry: dict[str, Any]) -> None:
    validated(m.Person, _entry(entry), {"id": "--id", "name": "NAME", "relationship": "--relationship",
                                        "parents": "--parent", "parent_link": "--parent-link"})
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
            raise Refused("--id is already used by someone in people.yaml (ids are unique)")
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
        raise ReunifyError("--visitor needs --household (the household they visit)")
    at = find_household(case, household, "--household")[0] if household else None
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
    # A risk to the child is written as `risk_to_child: true`; --no-risk-to-child takes it away.
    unmark = risk_to_child is False and found.risk_to_child
    if risk_to_child and not found.risk_to_child:
        changes["risk_to_child"] = True
    if not changes and not household and not unmark and risk_to_child is not None:
        raise Refused("that person is already " + ("" if risk_to_child else "not ")
                      + "recorded as a risk to the child")
    if not changes and not household and not unmark:
        raise ReunifyError("nothing to change: give --name, --sex, --born, --died, --relationship, --parent, "
                           "--parent-link, --household or --risk-to-child/--no-risk-to-child")
    if visitor and not household:
        raise ReunifyError("--visitor needs --household (the household they visit)")
    merged = {**found.model_dump(by_alias=True, exclude_none=True), **changes}
    _check_person(merged)
    at = find_household(case, household, "--household")[0] if household else None
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
        raise ReunifyError("give one of --couple (married, cohabiting, separated, divorced) "
                           "or --tie (close, conflict, cut_off)")
    if tie is not None and since is not None:
        raise FieldError("since", " is for a couple; a tie has no date")
    a, b = find_person(case, first, "A").id, find_person(case, second, "B").id
    if a == b:
        raise ReunifyError("A and B are the same person")
    not_future("--since", since, today)
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
            raise Refused("--id is already used by a household in people.yaml")
    else:
        new_id = unique(slug(name) or "household", taken)
    member_ids = list(dict.fromkeys(find_person(case, p, "--member").id for p in members or [] if p.strip()))
    visitor_ids = list(dict.fromkeys(find_person(case, p, "--visitor").id for p in visitors or [] if p.strip()))
    if set(member_ids) & set(visitor_ids):
        raise ReunifyError("a person is a member or a regular visitor of a household, not both")
    entry = _entry({"id": new_id, "name": name.strip(), "address": recording.text_or_none(address),
                    "members": _flow(member_ids) if member_ids else None,
                    "regular_visitors": _flow(visitor_ids) if visitor_ids else None})
    validated(m.Household, entry, {"id": "--id", "name": "NAME", "address": "--address"})
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


# -- the child's own facts: trusted adult, legal status, placements, the return ---------


def _case_file(folder: Path, key: str) -> Path:
    """The child's case.yaml, where `key` belongs."""
    return target(folder, "case.yaml", key)


@locked
def set_trusted_adult(folder: Path, who: str, *, today: dt.date) -> Recorded:
    recording.one_child(folder, "the trusted adult")
    case, _ = open_case(folder, today)
    person = find_person(case, who, "PERSON")
    if person.id == case.case.child:
        raise ReunifyError("PERSON is the child: the trusted adult is someone else")
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
    not_future("--from", since, today)
    entry: dict[str, Any] = {"court": court.strip(), "case_number": case_number.strip(), "from": since}
    validated(m.Proceedings, entry, {"court": "COURT", "case_number": "CASE_NUMBER"})
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
    not_future("--from", since, today)
    _not_before_birth(case, "--from", since)
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
    not_future("--from", since, today)
    _not_before_birth(case, "--from", since)
    carer_id = find_person(case, carer, "--carer").id if carer and carer.strip() else None
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
    _not_before_birth(case, "--date", date)


@locked
def record_leaving_care(folder: Path, *, date: dt.date, reason: str, today: dt.date) -> Recorded:
    recording.one_child(folder, "leaving care")
    case, _ = open_case(folder, today)
    code = _reason(reason, None)
    not_future("--date", date, today)
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
    not_future("--date", date, today)
    _not_before_birth(case, "--date", date)
    if by:
        team_member(case, by)
    statuses = [s for s in case.case.legal_status if s.since <= date]
    if not statuses:
        raise Refused("no legal status is recorded on --date; add it first with "
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
            raise Refused("the child is already placed with parents (P1) on --date")
        with edit_file(path) as edit:
            _add_dated(edit.data, "placements", {"code": codes.PLACED_WITH_PARENTS, "from": date})
        summary = f"recorded the return home on {date.isoformat()}: placed with parents (P1) under the order"
    done = recording.complete_steps(folder, return_steps(workflow), date=date, by=by or None, today=today)
    return Recorded(path, "; ".join([summary, *done.done]), "\n".join(done.hints) or None, done.files)
