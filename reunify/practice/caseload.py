"""Many cases at once: one row per case for the caseload screen, and the outcomes across them.

`summarise` turns one case folder into a `CaseRow` (plain, picklable data), so that a
large caseload is read in parallel processes. Nothing here prints or reads the clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import statistics
from collections import Counter
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path
from typing import Any

from reunify.core.dates import add
from reunify.core.errors import CaseError
from reunify.core.parallel import chunked
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.engine import evaluate
from reunify.engine.evaluate import Evaluation
from reunify.engine.facts import Facts
from reunify.engine.states import CaseStatus
from reunify.practice.in_force import workflow_for
from reunify.records import is_case_folder
from reunify.records import load_case

PARALLEL_FROM = 64  # below this many cases, starting processes costs more than it saves
SKIPPED_FOLDERS = {"documents", "node_modules", "__pycache__"}


@dataclass(frozen=True)
class CaseOutcome:
    """One case's line on the reunification monitoring form."""

    stage_reached: int = 0
    d1: dt.date | None = None
    d1_outcome: str | None = None
    rc1: str | None = None
    rc2: str | None = None
    rc3: str | None = None
    d2_outcome: str | None = None
    d3: dt.date | None = None
    d3_outcome: str | None = None
    path: str = "return"
    not_pursued: bool = False  # a decision ended the process (Decision 1: do not pursue)
    returned: dt.date | None = None
    return_ended: dt.date | None = None
    home_6_months: bool | None = None  # None: not yet six months since the return
    home_12_months: bool | None = None
    exit_date: dt.date | None = None
    exit_reason: str | None = None
    exit_reason_text: str | None = None
    closed: dt.date | None = None

    @property
    def days_d1_to_return(self) -> int | None:
        if self.d1 is None or self.returned is None:
            return None
        return (self.returned - self.d1).days


@dataclass(frozen=True)
class CaseRow:
    """Where one case stands on the day, as the caseload shows it."""

    folder: Path
    reference: str | None = None
    child: str | None = None
    initials: str | None = None
    stage: int | None = None
    stages: int | None = None
    stage_title: str | None = None
    status: str | None = None
    case_status: CaseStatus | None = None
    risk: str | None = None
    risk_label: str | None = None
    next_action: str | None = None
    next_who: str | None = None
    next_due: dt.date | None = None
    next_due_what: str | None = None
    overdue: int = 0
    upcoming: int = 0
    errors: int = 0
    warnings: int = 0
    team: tuple[tuple[str, str], ...] = ()  # (id, name) of everyone in the case team
    unreadable: str | None = None  # why the case could not be read, if it could not
    outcome: CaseOutcome = field(default_factory=CaseOutcome)

    def attention_key(self) -> tuple[int, int, dt.date, str]:
        """Unreadable cases first, then cases with errors, then the most overdue, then the soonest due."""
        rank = 0 if self.unreadable else 1 if self.errors else 2
        return (rank, -self.overdue, self.next_due or dt.date.max, self.reference or str(self.folder))

    def to_data(self, names: bool = False) -> dict[str, Any]:
        """The row as plain data (caseload --json and --csv): the child's initials, or with
        `names` the child's name."""
        return {
            "case": str(self.folder),
            "reference": self.reference,
            "child": self.child if names else self.initials,
            "stage": self.stage,
            "stage_title": self.stage_title,
            "status": self.status,
            "risk": self.risk,
            "risk_label": self.risk_label,
            "next_action": self.next_action,
            "next_who": self.next_who,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "next_due_what": self.next_due_what,
            "overdue": self.overdue,
            "upcoming": self.upcoming,
            "errors": self.errors,
            "warnings": self.warnings,
            "unreadable": self.unreadable,
        }


def initials(name: str) -> str:
    """'Maisie Thornbury' -> 'M.T.': the first letter or digit of each part of the name."""
    letters = (next((c for c in part if c.isalnum()), "") for part in name.replace("-", " ").split())
    return "".join(letter.upper() + "." for letter in letters if letter) or "?"


def find_cases(paths: Iterable[Path]) -> list[Path]:
    """Every case folder under `paths` (a case folder itself, or any depth below it).

    Hidden folders and rendered `documents` folders are not searched; nothing below a
    case folder is, either.
    """
    found: list[Path] = []
    for root in paths:
        if not root.exists():
            raise CaseError(f"{root}: no such folder")
        if not root.is_dir():
            raise CaseError(f"{root}: not a folder")
        if is_case_folder(root):
            found.append(root)
            continue
        for folder, dirs, _ in os.walk(root):
            here = Path(folder)
            if here != root and is_case_folder(here):
                found.append(here)
                dirs.clear()
                continue
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
    unique: dict[Path, Path] = {}
    for case_folder in found:
        unique.setdefault(case_folder.resolve(), case_folder)  # one case named two ways is listed once
    return sorted(unique.values())


def summarise(folder: Path, today: dt.date) -> CaseRow:
    return summarise_evaluated(folder, today)[0]


def summarise_evaluated(folder: Path, today: dt.date) -> tuple[CaseRow, Evaluation | None, list[Problem]]:
    """The case's row, the evaluation it came from (None when the case cannot be read) and
    every problem found: one evaluation for the row and whatever else shows the case."""
    case, problems = load_case(folder)
    if case is None:
        errors = sum(1 for p in problems if p.is_error)
        return (CaseRow(folder, errors=errors or 1, unreadable="the records cannot be read until errors are fixed"),
                None, problems)
    workflow, workflow_problems = workflow_for(case)
    child = case.child
    base = CaseRow(folder, reference=case.case.reference, child=child.name if child else None,
                   initials=initials(child.name) if child else None,
                   team=tuple((t.id, t.name) for t in case.case.team))
    if workflow is None:
        return replace(base, errors=1, unreadable="the case's workflow cannot be used"), None, problems + workflow_problems
    ev = evaluate(case, workflow, today)
    every = problems + workflow_problems + ev.problems
    return (_row(base, ev, sum(1 for p in every if p.is_error), sum(1 for p in every if p.severity is Severity.WARNING)),
            ev, every)


def _row(base: CaseRow, ev: Evaluation, errors: int, warnings: int) -> CaseRow:
    wf = ev.workflow
    first = ev.next[0] if ev.next else None
    open_dues = ev.schedule.open
    soonest = open_dues[0] if open_dues else None
    stage = wf.stages.index(ev.stage) + 1 if ev.stage is not None else None
    who = None
    if first is not None:
        role = wf.roles.get(first.step.role)
        who = ", ".join(first.who) or (role.title if role else first.step.role)
    return replace(
        base, stage=stage, stages=len(wf.stages), stage_title=ev.stage.title if ev.stage else None,
        status=ev.status, case_status=ev.case_status, risk=ev.facts.level, risk_label=wf.level_label(ev.facts.level) if ev.facts.level else None,
        next_action=first.step.title if first else None, next_who=who,
        next_due=soonest.date if soonest else None, next_due_what=soonest.what if soonest else None,
        overdue=len(ev.schedule.overdue), upcoming=sum(1 for d in open_dues if d.upcoming),
        errors=errors, warnings=warnings, outcome=outcome_of(ev),
    )


def outcome_of(ev: Evaluation) -> CaseOutcome:
    facts = ev.facts
    wf = ev.workflow
    reached = max((wf.stages.index(s.stage) + 1 for s in ev.steps if s.state == "done"), default=0)
    if ev.stage is not None:
        reached = max(reached, wf.stages.index(ev.stage) + 1)
    decisions = {key: item for key, (_, item) in facts.decisions.items()}
    levels = {key: item.level for key, (_, item) in facts.classifications.items()}
    exit_record = facts.case.events.exit
    returned = facts.return_date
    ended = _return_ended(facts)
    closed = next((s.done.date for s in ev.steps if s.step.final and s.done is not None), None)

    def home_for(months: int) -> bool | None:
        if returned is None:
            return None
        mark = add(returned, months, "month")
        if ended is not None and ended <= mark:
            return False
        return True if mark <= facts.today else None

    return CaseOutcome(
        stage_reached=reached,
        d1=decisions["D1"].date if "D1" in decisions else None,
        d1_outcome=decisions["D1"].outcome if "D1" in decisions else None,
        rc1=levels.get("RC1"), rc2=levels.get("RC2"), rc3=levels.get("RC3"),
        d2_outcome=decisions["D2"].outcome if "D2" in decisions else None,
        d3=decisions["D3"].date if "D3" in decisions else None,
        d3_outcome=decisions["D3"].outcome if "D3" in decisions else None,
        path=facts.path, not_pursued=facts.ended_by_decision is not None, returned=returned, return_ended=ended,
        home_6_months=home_for(6), home_12_months=home_for(12),
        exit_date=exit_record.date if exit_record else None,
        exit_reason=exit_record.reason if exit_record else None,
        exit_reason_text=wf.exit_reasons.get(exit_record.reason) if exit_record else None,
        closed=closed,
    )


def _return_ended(facts: Facts) -> dt.date | None:
    """The day the child came back into care after the return home, if they did."""
    found = facts.breakdown
    return found[0] if found else None


def _summarise_chunk(folders: list[Path], today: dt.date) -> list[CaseRow]:
    return [summarise(folder, today) for folder in folders]


def summarise_all(folders: list[Path], today: dt.date, workers: int | None = None) -> Iterator[CaseRow]:
    """Rows for every folder, in the folders' order: in parallel processes for a large caseload."""
    return chunked(functools.partial(_summarise_chunk, today=today), folders, least=PARALLEL_FROM,
                   workers=workers)


# -- outcomes across a caseload -----------------------------------------------------------


@dataclass(frozen=True)
class Outcomes:
    cases: int
    reached: dict[int, int]  # stage number -> cases that reached it
    returns: int
    home_6: tuple[int, int]  # (still home, returned at least six months ago)
    home_12: tuple[int, int]
    exits: dict[str, int]  # reason -> count
    not_pursued: int
    permanence: int
    days_d1_to_return: list[int]

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_d1_to_return) if self.days_d1_to_return else None


def outcomes(rows: list[CaseRow], stages: int) -> Outcomes:
    read = [row for row in rows if row.unreadable is None]
    items = [row.outcome for row in read]

    def still_home(values: list[bool | None]) -> tuple[int, int]:
        known = [v for v in values if v is not None]
        return sum(known), len(known)

    return Outcomes(
        cases=len(read),
        reached={n: sum(1 for o in items if o.stage_reached >= n) for n in range(1, stages + 1)},
        returns=sum(1 for o in items if o.returned is not None),
        home_6=still_home([o.home_6_months for o in items]),
        home_12=still_home([o.home_12_months for o in items]),
        exits=dict(Counter(o.exit_reason_text or o.exit_reason for o in items if o.exit_reason).most_common()),
        not_pursued=sum(1 for o in items if o.not_pursued),
        permanence=sum(1 for o in items if o.path == "permanence"),
        days_d1_to_return=sorted(d for o in items if (d := o.days_d1_to_return) is not None),
    )
