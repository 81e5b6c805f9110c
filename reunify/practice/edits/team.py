"""The case team recorded without opening the YAML: a member added (with an id made from
the role and surname), a role changed, the work transferred to a successor. The team is
written in the family's file for a sibling group, else in the child's case.yaml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reunify.core.errors import FieldError
from reunify.core.errors import Refused
from reunify.core.yamlio import edit_file
from reunify.practice.edits.entries import _append
from reunify.practice.edits.entries import _entry
from reunify.practice.edits.people import _matches
from reunify.practice.edits.people import not_future
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import open_case
from reunify.practice.recording import team_member
from reunify.practice.recording import validated
from reunify.practice.skeleton import slug
from reunify.practice.skeleton import unique
from reunify.records import Case
from reunify.records import models as m
from reunify.records.family import target
from reunify.workflow import Workflow


def role_abbreviation(role: str) -> str:
    """'social_worker' -> 'sw', 'chronologist' -> 'chron', 'qaro' -> 'qaro'."""
    words = [w for w in role.split("_") if w]
    return "".join(w[0] for w in words) if len(words) > 1 else role[:5]


def member_id(name: str, role: str, taken: Iterable[str]) -> str:
    words = name.split()
    last = slug(words[-1]) if words else ""
    base = role_abbreviation(role) + (f"-{last}" if last else "")
    return unique(base, taken)


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


@locked
def add_team_member(folder: Path, name: str, *, role: str, today: dt.date, member: str | None = None,
                    since: dt.date | None = None) -> Recorded:
    case, workflow = open_case(folder, today)
    role = _role(workflow, role)
    not_future("since", since, today)
    taken = [t.id for t in case.case.team]
    new_id = member.strip() if member and member.strip() else member_id(name, role, taken)
    entry = _entry({"id": new_id, "name": name.strip(), "role": role, "from": since})
    validated(m.TeamMember, entry, {"id": "member", "name": "NAME", "from": "since"})
    if new_id in taken:
        raise Refused("`member` is already used by a team member (ids stay unique, even after a transfer)")
    if any(t.name.casefold() == name.strip().casefold() and t.active_on(since or today) for t in case.case.team):
        raise Refused("someone of that name is already in the team (use 'reunify team role' to change a role)")
    path = target(folder, "case.yaml", "team")
    with edit_file(path) as edit:
        _append(edit.data, "team", entry)
    return Recorded(path, f"added a {_title(workflow, role)} to the team as '{new_id}'",
                    f"record what they do with `by` {new_id}")


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
    not_future("date", date, today)
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
            raise Refused("`to` is in the team with another role; change it first with 'reunify team role'")
        if not successor.active_on(date):
            raise Refused("`to` is not on the case on `date` (see their 'from' and 'until')")
        entry = None
    else:
        taken = [t.id for t in case.case.team]
        new_id = to_id.strip() if to_id and to_id.strip() else member_id(to, leaving.role, taken)
        if new_id in taken:
            raise Refused("`to_id` is already used by a team member (ids stay unique)")
        entry = {"id": new_id, "name": to.strip(), "role": leaving.role, "from": date}
        validated(m.TeamMember, entry, {"id": "to_id", "name": "to"})
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
                    "past records keep who made them; record new work with `by` " + new, also)


def team_of(folder: Path, today: dt.date) -> tuple[list[m.TeamMember], Workflow]:
    """The team and the workflow (for the roles' titles), read only."""
    case, workflow = open_case(folder, today)
    return list(case.case.team), workflow
