"""A case folder: load every record file, validated, with problems instead of exceptions."""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path
from typing import TypeVar

import msgspec

from reunify.core.errors import CaseError
from reunify.core.problems import RELOCATE
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.yamlio import load_file
from reunify.records import models as m
from reunify.records.family import children_of
from reunify.records.family import family_file
from reunify.records.family import family_of
from reunify.records.family import is_family_folder
from reunify.records.family import join
from reunify.records.validation import validate

R = TypeVar("R", bound=m.Record)

CASE_FILE = "case.yaml"


class Case(msgspec.Struct, frozen=True, dict=True):
    """Every record of one case, validated. Missing optional files are empty records."""

    folder: Path
    case: m.CaseFile
    people: m.PeopleFile
    chronology: m.ChronologyFile
    assessment: m.AssessmentFile
    risk: m.RiskFile
    decisions: m.DecisionsFile
    agreement: m.AgreementFile
    plan: m.PlanFile
    events: m.EventsFile
    present: frozenset[str] = msgspec.field(default_factory=frozenset)
    family: Path | None = None  # the family folder, for a child of a sibling group

    @functools.cached_property
    def group(self) -> tuple[str, ...]:
        """The ids of the children of the sibling group, this child among them (just this
        child outside a family), in the order of their folders."""
        if self.family is None:
            return (self.case.child,)
        ids = []
        for folder in children_of(self.family):
            data = load_file(folder / CASE_FILE).data if folder != self.folder else {"child": self.case.child}
            child = data.get("child") if isinstance(data, dict) else None
            if isinstance(child, str) and child not in ids:
                ids.append(child)
        return tuple(ids) or (self.case.child,)

    def file(self, name: str) -> Path:
        return self.folder / name

    def source(self, name: str, keys: FieldPath) -> tuple[Path, FieldPath]:
        """The file and field path holding field `keys` of record file `name` (a child of a
        family reads the family's file and its own as one)."""
        move = RELOCATE.get(self.file(name)) if self.family is not None else None
        return move(keys) if move is not None else (self.file(name), keys)

    def person(self, person_id: str | None) -> m.Person | None:
        return self._people_by_id.get(person_id or "")

    def member(self, member_id: str | None) -> m.TeamMember | None:
        return self._team_by_id.get(member_id or "")

    def only_member(self, roles: Collection[str]) -> str:
        """The id of the one team member with one of `roles`, for a command; else 'NAME'."""
        found = [member.id for member in self.case.team if member.role in roles and member.until is None]
        return found[0] if len(found) == 1 else "NAME"

    @property
    def child(self) -> m.Person | None:
        return self.person(self.case.child)

    @functools.cached_property
    def _people_by_id(self) -> dict[str, m.Person]:
        return {p.id: p for p in self.people.people}

    @functools.cached_property
    def _team_by_id(self) -> dict[str, m.TeamMember]:
        return {t.id: t for t in self.case.team}

    def household(self, household_id: str | None) -> m.Household | None:
        return next((h for h in self.people.households if h.id == household_id), None)


def is_case_folder(folder: Path) -> bool:
    return (folder / CASE_FILE).is_file()


def find_case_folder(folder: Path) -> Path:
    """The case folder to use, or a `CaseError` saying why there is none."""
    if not folder.exists():
        raise CaseError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise CaseError(f"{folder}: not a folder")
    if not is_case_folder(folder):
        if is_family_folder(folder):
            raise CaseError(f"{folder}: a family folder; name one child's folder in it")
        raise CaseError(f"{folder}: not a case folder (no {CASE_FILE})")
    return folder


def load_case(folder: Path) -> tuple[Case | None, list[Problem]]:
    """Load and validate every record file of the case in `folder`.

    Returns the case (None when any file could not be loaded or validated) and the
    problems met. Raises `CaseError` only when `folder` is not a case folder at all.
    """
    folder = find_case_folder(folder)
    family = family_of(folder)
    problems: list[Problem] = []
    records: dict[str, m.Record] = {}
    present = set()
    for name, model in m.FILE_MODELS.items():
        loaded = load_file(folder / name)
        problems.extend(loaded.problems)
        data, exists = loaded.data, loaded.exists
        shared = load_file(family_file(family, name)) if family is not None else None
        if shared is not None:
            problems.extend(shared.problems)
            if shared.problems or loaded.problems:
                continue
            if shared.exists:
                joined = join(name, shared.path, shared.data, loaded.path, data, loaded.exists)
                problems.extend(joined.problems)
                RELOCATE[loaded.path] = joined.relocate
                data, exists = joined.data, True
        if not exists:
            records[name] = model.model_validate({})
            continue
        present.add(name)
        if loaded.problems:
            continue
        if name == CASE_FILE and data is None:
            problems.append(Problem(loaded.path, (), "the case record is empty", code="schema",
                                    hint="run 'reunify new' to start a case folder").at(1, 1))
            continue
        record, found = validate(model, data, loaded.path)
        problems.extend(found)
        if record is not None:
            records[name] = record
    if len(records) < len(m.FILE_MODELS):
        return None, problems
    case = Case(
        folder=folder,
        case=_as(records[CASE_FILE], m.CaseFile),
        people=_as(records["people.yaml"], m.PeopleFile),
        chronology=_as(records["chronology.yaml"], m.ChronologyFile),
        assessment=_as(records["assessment.yaml"], m.AssessmentFile),
        risk=_as(records["risk.yaml"], m.RiskFile),
        decisions=_as(records["decisions.yaml"], m.DecisionsFile),
        agreement=_as(records["agreement.yaml"], m.AgreementFile),
        plan=_as(records["plan.yaml"], m.PlanFile),
        events=_as(records["events.yaml"], m.EventsFile),
        present=frozenset(present),
        family=family,
    )
    return case, problems


def _as(record: m.Record, model: type[R]) -> R:
    assert isinstance(record, model)
    return record


def case_of_file(path: Path) -> Path | None:
    """The case folder a file belongs to: the nearest folder above it with a case.yaml."""
    above = [*path.parents, *(Path.cwd().parents if not path.is_absolute() else ())]
    return next((folder for folder in above if is_case_folder(folder)), None)


def select_cases(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The case folders the arguments name, each once, and the files that belong to none.

    An argument is a case folder, a folder holding case folders, or a file in a case
    folder (as a pre-commit hook passes them), which stands for its case.
    """
    found: list[Path] = []
    strays: list[Path] = []
    seen: set[Path] = set()

    def add(folder: Path) -> None:
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            found.append(folder)

    for path in paths:
        if is_case_folder(path):
            add(path)
        elif path.is_dir():
            inner = _cases_in(path)
            if not inner:
                raise CaseError(f"{path}: not a case folder, and no case folders in it")
            for folder in inner:
                add(folder)
        elif path.exists():
            owner = case_of_file(path)
            if owner is not None:
                add(owner)
            elif is_family_folder(path.parent):  # a family's file stands for every child
                for child in children_of(path.parent):
                    add(child)
            else:
                strays.append(path)
        else:
            raise CaseError(f"{path}: no such folder or file")
    return found, strays


def _cases_in(folder: Path) -> list[Path]:
    """The case folders in `folder`: its subfolders that are cases, and the children of
    the families among them (of `folder` itself when it is a family)."""
    if is_family_folder(folder):
        return children_of(folder)
    found = []
    for inner in sorted(p for p in folder.iterdir() if p.is_dir()):
        if is_case_folder(inner):
            found.append(inner)
        elif is_family_folder(inner):
            found.extend(children_of(inner))
    return found


def case_folders(paths: list[Path]) -> list[Path]:
    """Each argument is a case folder, a folder holding case folders, or a file in a case.

    A file that belongs to no case (a README caught by a shell glob) is passed over.
    """
    return select_cases(paths)[0]
