"""A new case folder: every record file, commented, owner-only, with the essentials filled."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reunify.core import codes
from reunify.core.errors import FieldError
from reunify.core.errors import ReunifyError
from reunify.core.files import DIR_MODE
from reunify.core.files import make_private_folder
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import load_file
from reunify.core.yamlio import write_new_file
from reunify.records.case import CASE_FILE
from reunify.records.family import FAMILY_FILE
from reunify.records.models import FILE_MODELS


@dataclass(frozen=True)
class Essentials:
    reference: str
    child_name: str
    born: dt.date | None = None
    sex: str = "unknown"
    legal_status: str | None = None
    legal_status_from: dt.date | None = None
    placement: str | None = None
    placement_from: dt.date | None = None
    social_worker: str | None = None
    team_manager: str | None = None


RISK_HEADER = """\
# Risk classifications (RC1, RC2, RC3): level, rationale, who recommended and who
# confirmed, and the factors of the risk classification table found (`factors:`, ids
# from 'reunify workflow show'). 'reunify classify' appends here. `for_child:` is what the
# child is told about it, in words for them: the documents for the child show it, never the
# rationale ('reunify classify RC1 --for-child TEXT' adds or changes it).
classifications: []
"""

DECISIONS_HEADER = """\
# Decisions 1 to 3 with who made them and when. 'reunify decide' appends here.
decisions: []
"""

EVENTS_HEADER = """\
# Steps of the workflow as they are done, oldest first. 'reunify done' appends here.
# A step done by a manager's professional-judgement override carries its reason.
# timetable: planned dates for steps, set at the assessment planning meeting.
# Below the steps: meetings ('reunify meeting'), visits ('reunify visit') and SDQ
# scores ('reunify sdq'), each a list in date order.
timetable: {}
steps: []
"""

CHRONOLOGY_HEADER = """\
# The analytical chronology: one entry per significant event, in date order.
# The child's age at each entry is worked out from their date of birth.
# chronologist: the id of the team member who writes it. 'reunify chronology' adds here.
entries: []
"""

ASSESSMENT_HEADER = """\
# The Return Home Assessment: risk and protective factors per parent and how they
# interact, capacity to change, the child's views, housing, finances, school, police
# checks ('reunify police-check'), the conclusion and the team manager's sign-off; the
# answers to the workflow's domains under `domains:` (a parent's in their section), with
# 'reunify assessment answer DOMAIN'.
parents: []
support_needs: []
police_checks: []
"""


def _q(text: str) -> str:
    """A YAML double-quoted scalar: anything typed is kept as text, never as YAML."""
    return json.dumps(text.strip(), ensure_ascii=False)


def _check(essentials: Essentials, today: dt.date) -> None:
    for field, day in (("born", essentials.born), ("legal_status_from", essentials.legal_status_from),
                       ("placement_from", essentials.placement_from)):
        if day is not None and day > today:
            raise FieldError(field, f" is in the future (today is {today.isoformat()})")
    if not essentials.reference.strip():
        raise FieldError("reference", " must not be empty")
    if not essentials.child_name.strip():
        raise FieldError("child_name", " must not be empty")
    if essentials.legal_status and essentials.legal_status not in codes.LEGAL_STATUS:
        raise FieldError("legal_status", " must be an SSDA903 code: " + ", ".join(codes.LEGAL_STATUS))
    if essentials.placement and essentials.placement not in codes.PLACEMENT:
        raise FieldError("placement", " must be an SSDA903 code: " + ", ".join(codes.PLACEMENT))
    if essentials.sex not in ("male", "female", "unknown"):
        raise FieldError("sex", " must be male, female or unknown")


def skeleton_files(e: Essentials, today: dt.date, child_id: str | None = None) -> dict[str, str]:
    child_id = child_id or child_id_for(e.child_name)
    team = []
    if e.social_worker:
        team.append(f"  - id: sw\n    name: {_q(e.social_worker)}\n    role: social_worker\n")
    if e.team_manager:
        team.append(f"  - id: tm\n    name: {_q(e.team_manager)}\n    role: team_manager\n")
    legal = (f"  - code: {e.legal_status}\n    from: {(e.legal_status_from or today).isoformat()}\n"
             if e.legal_status else "")
    placement = (f"  - code: {e.placement}\n    from: {(e.placement_from or today).isoformat()}\n"
                 if e.placement else "")
    born = f"\n    born: {e.born.isoformat()}" if e.born else ""
    return {
        CASE_FILE: f"""\
# The case: the child, legal status and placement (SSDA903 codes), and the team.
# Dates are YYYY-MM-DD. People are referred to by the ids in people.yaml.
reference: {_q(e.reference)}
child: {child_id}
workflow: reference
# Legal status over time, oldest first: C1 interim care order, C2 care order,
# V2 accommodated under section 20, ...
legal_status:{" []" if not legal else ""}
{legal}# Placements over time, oldest first: U6 foster placement, P1 placed with parents, ...
placements:{" []" if not placement else ""}
{placement}# The household the child would return to (an id from people.yaml).
# home: parents-home
# The child's trusted adult for the reunification (an id from people.yaml).
# trusted_adult: aunt
# The team: everyone who records or decides. Roles come from the workflow.
team:{" []" if not team else ""}
{"".join(team)}""",
        "people.yaml": f"""\
# Everyone in the child's family and household: the genogram, police checks and the
# documents' names all come from here. Ids are stable; everything refers to them.
people:
  - id: {child_id}
    name: {_q(e.child_name)}
    sex: {e.sex}{born}
    # parents: [mother, father]
# Couples: status is married, cohabiting, separated or divorced.
couples: []
# Relationships worth drawing: quality is close, conflict or cut_off.
relationships: []
# Households: members and regular visitors (police checks apply to those 16 and over).
households: []
""",
        "chronology.yaml": CHRONOLOGY_HEADER,
        "assessment.yaml": ASSESSMENT_HEADER,
        "risk.yaml": RISK_HEADER,
        "decisions.yaml": DECISIONS_HEADER,
        "agreement.yaml": """\
# The parental agreement: per parent, strengths, concerns and SMART goals (what must
# change, the steps, how it will be evidenced, by when, the support offered), with
# red/amber/green reviews.
parents: []
""",
        "plan.yaml": """\
# The reunification plan: support, contact schedule, transition steps, the
# contingency plan, and support after the return.
support: []
contact: []
transition: []
after_return: []
""",
        "events.yaml": EVENTS_HEADER,
    }


FAMILY_HEADER = """\
# A sibling group: what the children share is kept here once (people and households,
# the family's chronology, each parent's assessment and police checks, the parental
# agreement, the plan and the meetings); each child's own records are in the child's
# folder beside this file. Add a child with 'reunify new FOLDER/NAME --child NAME'.
"""

CHILD_CASE_HEADER = """\
# One child of the sibling group in the folder above: the child, legal status and
# placement (SSDA903 codes). The team and what the children share are the family's.
"""


def _team(e: Essentials) -> str:
    team = []
    if e.social_worker:
        team.append(f"  - id: sw\n    name: {_q(e.social_worker)}\n    role: social_worker\n")
    if e.team_manager:
        team.append(f"  - id: tm\n    name: {_q(e.team_manager)}\n    role: team_manager\n")
    return f"team:{' []' if not team else ''}\n{''.join(team)}"


def new_family(folder: Path, essentials: Essentials, today: dt.date) -> list[Path]:
    """Create a family folder (owner-only): family.yaml and the records the children share."""
    if not essentials.reference.strip():
        raise FieldError("reference", " must not be empty")
    whole = skeleton_files(essentials, today)
    files = {
        FAMILY_FILE: FAMILY_HEADER + f"reference: {_q(essentials.reference)}\nworkflow: reference\n"
        "# The team: everyone who records or decides, for every child of the family.\n" + _team(essentials),
        "people.yaml": whole["people.yaml"].split("people:\n")[0] + "people: []\n"
        + whole["people.yaml"].split("    # parents: [mother, father]\n")[1],
        "chronology.yaml": CHRONOLOGY_HEADER,
        "assessment.yaml": ASSESSMENT_HEADER,
        "agreement.yaml": whole["agreement.yaml"],
        "plan.yaml": whole["plan.yaml"],
        "events.yaml": "# The family's meetings ('reunify meeting'), in date order.\nmeetings: []\n",
    }
    return _write(folder, files)


def new_child(folder: Path, essentials: Essentials, today: dt.date) -> list[Path]:
    """Create a child's folder in a family: the child's case.yaml and own records; the child
    joins the family's people.yaml."""
    _check(dataclasses.replace(essentials, reference=essentials.reference or "-"), today)
    family = folder.parent
    people = family / "people.yaml"
    data = load_file(people).data if people.exists() else None
    taken = {p.get("id") for p in data.get("people") or [] if isinstance(p, dict)} if isinstance(data, dict) else set()
    child_id = unique(child_id_for(essentials.child_name), taken)
    whole = skeleton_files(essentials, today, child_id)
    case_text = whole[CASE_FILE].split("\n# The team:")[0] + "\n"
    case_text = CHILD_CASE_HEADER + case_text.split("\n", 2)[2].replace("workflow: reference\n", "")
    if essentials.reference == "":
        case_text = case_text.replace('reference: ""\n', "")
    files = {CASE_FILE: case_text, "risk.yaml": RISK_HEADER, "decisions.yaml": DECISIONS_HEADER,
             "events.yaml": EVENTS_HEADER.replace("Below the steps: meetings ('reunify meeting'), visits",
                                                  "Below the steps: visits"),
             "assessment.yaml": CHILD_ASSESSMENT_HEADER}
    written = _write(folder, files)
    person: dict[str, object] = {"id": child_id, "name": essentials.child_name.strip(), "sex": essentials.sex}
    if essentials.born is not None:
        person["born"] = essentials.born
    if not people.exists():
        write_new_file(people, "people: []\n")
    with edit_file(people) as edit:
        add_entry(edit.data, "people", person)
    return [*written, people]


CHILD_ASSESSMENT_HEADER = """\
# The child's part of the Return Home Assessment: the child's views, when the child was
# seen alone, school, the conclusion and the team manager's sign-off. What the children
# share (each parent's assessment, police checks, housing, finances) is the family's.
"""


def child_id_for(name: str) -> str:
    """The child's id in the records: from the first name ('Mia Example' -> 'mia')."""
    words = name.split()
    return (slug(words[0]) if words else "") or "child"


def slug(text: str) -> str:
    """An id from a name: lower-case ASCII letters, digits and hyphens ('Zoë O'Neil' -> 'zoe-oneil')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    plain = plain.replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-")


def unique(wanted: str, taken: Iterable[object]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`, ... whichever is not taken yet."""
    used = set(taken)
    found, number = wanted, 1
    while found in used:
        number += 1
        found = f"{wanted}-{number}"
    return found


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReunifyError(f"{folder}: already exists and is not an empty folder")
    try:
        make_private_folder(folder)  # and any folder above it that it needs, owner-only
        os.chmod(folder, DIR_MODE)
        written = []
        for name, text in files.items():
            write_new_file(folder / name, text)
            written.append(folder / name)
    except OSError as exc:
        raise ReunifyError(f"{folder}: cannot create the case ({(exc.strerror or 'error').lower()})") from None
    return written


def new_case(folder: Path, essentials: Essentials, today: dt.date) -> list[Path]:
    """Create `folder` (owner-only) with a commented skeleton of every record file."""
    _check(essentials, today)
    files = skeleton_files(essentials, today)
    assert set(files) == set(FILE_MODELS)
    return _write(folder, files)
