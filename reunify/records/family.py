"""Sibling groups: a family folder holds what the children share, a folder per child the rest.

    family/                 family.yaml: the family's reference, workflow and team
      people.yaml           people, couples, relationships and households
      chronology.yaml       the family's chronology (and who writes it)
      assessment.yaml       each parent's assessment, police checks, housing, finances
      agreement.yaml        the parental agreement
      plan.yaml             the reunification plan (each child's conversation: the child's)
      events.yaml           meetings
      amy/case.yaml         the child, legal status, placements, trusted adult
      amy/risk.yaml ...     classifications, decisions, steps, visits, SDQs, the child's
                            views and sign-off, the child's own chronology entries

A child of a family is read as one case: each record file is the family's file and the
child's file together (lists joined, the family's entries first), so the engine, the
checks and the documents see one child's case exactly as in a single-child folder. A
field set in both files is an error, except the child's own case reference. Where a
problem lies is mapped back to the file that holds it (`reunify.core.problems.RELOCATE`).

Recording writes each fact where it belongs (`target`): a meeting in the family's
events.yaml, a visit in the child's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from reunify.core.problems import FieldPath
from reunify.core.problems import Problem

FAMILY_FILE = "family.yaml"

# What the family shares, by file and top-level key; everything else is the child's.
# None: the whole file is the family's.
SHARED: dict[str, frozenset[str] | None] = {
    "case.yaml": frozenset({"reference", "workflow", "team"}),
    "people.yaml": None,
    "chronology.yaml": frozenset({"chronologist"}),  # entries: the family's, or a child's own
    "assessment.yaml": frozenset({"started", "parents", "housing", "finances", "support_needs", "police_checks"}),
    "agreement.yaml": None,
    "plan.yaml": frozenset({"support", "contact", "transition", "contingency", "after_return"}),
    "events.yaml": frozenset({"meetings"}),
    "risk.yaml": frozenset(),
    "decisions.yaml": frozenset(),
}

# A field both may set, the child's winning: a child's own case reference, and what each
# child was told of the plan (the conversation with the child is each child's own).
CHILD_WINS: dict[str, frozenset[str]] = {"case.yaml": frozenset({"reference"}),
                                         "plan.yaml": frozenset({"child_communication"})}


def family_of(folder: Path) -> Path | None:
    """The family folder a child's case folder belongs to, or None for a single child."""
    parent = folder.parent if folder.name not in ("", "..") else folder.resolve().parent  # '.' and '..' too
    return parent if (parent / FAMILY_FILE).is_file() else None


def is_family_folder(folder: Path) -> bool:
    return (folder / FAMILY_FILE).is_file()


def family_file(family: Path, name: str) -> Path:
    """The family's file standing for a child's record file `name`."""
    return family / (FAMILY_FILE if name == "case.yaml" else name)


def unit_of(folder: Path) -> Path:
    """The folder whose lock a recording holds: the family's for any child of it."""
    return family_of(folder) or folder


def target(folder: Path, name: str, key: str) -> Path:
    """The file a new `key` entry of record file `name` is written to, for a recording
    on `folder` (a case folder, a child's folder or a family folder)."""
    if is_family_folder(folder):
        return family_file(folder, name)
    family = family_of(folder)
    if family is None:
        return folder / name
    shared = SHARED.get(name, frozenset())
    return family_file(family, name) if shared is None or key in shared else folder / name


class Joined(msgspec.Struct, frozen=True):
    """A record file as the family's and the child's together, and where each part came from."""

    data: Any
    problems: list[Problem]
    relocate: Callable[[FieldPath], tuple[Path, FieldPath]]


def join(name: str, family_path: Path, family_data: Any, child_path: Path, child_data: Any,
         child_exists: bool) -> Joined:
    """The family's data and the child's for record file `name`, joined.

    Lists under the same key are joined (the family's first), mappings merged; a field set
    in both is reported at the child's file. `relocate` maps a field path in the joined
    data to the file and field path that hold it.
    """
    if not isinstance(family_data, dict) or not child_exists:
        if child_exists:  # the family's part is missing or not a mapping: the child's stands alone
            return Joined(child_data, [], lambda keys: (child_path, keys))
        return Joined(family_data, [], lambda keys: (family_path, keys))
    if not isinstance(child_data, dict):
        return Joined(child_data if child_data is not None else family_data, [],
                      (lambda keys: (child_path, keys)) if child_data is not None
                      else (lambda keys: (family_path, keys)))
    joined: dict[Any, Any] = dict(family_data)
    offsets: dict[Any, int] = {}
    child_keys: set[Any] = set()
    from_child: dict[Any, set[Any]] = {}
    clashes: set[Any] = set()
    moved: dict[Any, list[int]] = {}  # joined index -> index before sorting by date
    problems: list[Problem] = []
    for key, value in child_data.items():
        if key not in joined or joined[key] is None or key in CHILD_WINS.get(name, ()):
            joined[key] = value
            child_keys.add(key)
        elif value is None:
            continue
        elif isinstance(joined[key], list) and isinstance(value, list):
            offsets[key] = len(joined[key])
            joined[key] = [*joined[key], *value]
            if (name, key) in BY_DATE:  # read as one list in date order; each file keeps its own
                order = sorted(range(len(joined[key])), key=lambda i: _date_key(joined[key][i]))
                if order != sorted(order):
                    joined[key] = [joined[key][i] for i in order]
                    moved[key] = order
        elif isinstance(joined[key], dict) and isinstance(value, dict):
            both = set(joined[key]) & set(value)
            problems.extend(Problem(child_path, (key, inner), f"'{key}' entry set in the family's {family_path.name} "
                                    "as well; keep it in one place", code="family") for inner in both)
            from_child[key] = set(value)
            joined[key] = {**joined[key], **value}
        else:
            clashes.add(key)
            problems.append(Problem(child_path, (key,), f"'{key}' is set in the family's {family_path.name} as well; "
                                    "keep it in one place", code="family"))

    def relocate(keys: FieldPath) -> tuple[Path, FieldPath]:
        if not keys:
            return child_path, keys
        key = keys[0]
        if key in offsets:
            if len(keys) > 1 and isinstance(keys[1], int):
                index = keys[1]
                if key in moved and 0 <= index < len(moved[key]):
                    index = moved[key][index]
                    keys = (key, index, *keys[2:])
                if index < offsets[key]:
                    return family_path, keys
                return child_path, (key, index - offsets[key], *keys[2:])
            return child_path, keys
        if key in from_child:
            return (child_path if len(keys) > 1 and keys[1] in from_child[key] else family_path), keys
        if key in child_keys or key in clashes or key not in family_data:
            return child_path, keys
        return family_path, keys

    return Joined(joined, problems, relocate)


# Lists a reader expects in date order: the family's chronology and a child's own, as one.
BY_DATE = frozenset({("chronology.yaml", "entries")})


def _date_key(entry: Any) -> tuple[int, Any]:
    value = entry.get("date") if isinstance(entry, dict) else None
    return (1, value) if isinstance(value, dt.date) else (0, dt.date.min)


def children_of(family: Path) -> list[Path]:
    """The child case folders of a family, in name order."""
    return sorted(p for p in family.iterdir() if p.is_dir() and (p / "case.yaml").is_file())
