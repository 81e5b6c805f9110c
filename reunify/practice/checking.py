"""A case evaluated, or the problems that prevent it; cases checked, for `check` and for
anyone calling reunify from Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from reunify.core.errors import CaseError
from reunify.core.files import leftover_temporaries
from reunify.core.problems import Problem
from reunify.core.problems import Severity
from reunify.core.yamlio import Locator
from reunify.engine import Evaluation
from reunify.engine import evaluate
from reunify.engine import report
from reunify.practice.in_force import workflow_for
from reunify.practice.profile import PROFILE_FILE
from reunify.practice.profile import FoundProfile
from reunify.records import load_case
from reunify.records import select_cases


class Unreadable(CaseError):
    """The case's records cannot be read until their errors are fixed (exit status 1):
    `problems` says what they are."""

    exit_code = 1

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        super().__init__(f"{folder}: the case records cannot be read until these are fixed")
        self.problems = report.located(problems)


# More problems for a case that reads without errors (the documents' warnings, from above).
MoreProblems = Callable[[Evaluation, dt.date], list[Problem]]


def load_evaluation(folder: Path, today: dt.date,
                    profile: FoundProfile | None = None) -> tuple[Evaluation | None, list[Problem]]:
    """The evaluation of the case in `folder`, or None and the problems that prevent it;
    `profile`: the caseload profile the caller found (`load_profile`), else found here."""
    case, problems = load_case(folder)
    if case is None:
        return None, problems
    workflow, workflow_problems = workflow_for(case, profile)
    if workflow is None:
        return None, problems + workflow_problems
    evaluation = evaluate(case, workflow, today)
    # The workflow's own warnings (an old key, say) are shown with the case's problems;
    # `check` lists a problem in a file outside the case once, for all the cases it reads.
    return evaluation, problems + workflow_problems + evaluation.problems


class Checked(msgspec.Struct):
    """Every problem of every case checked, located; and the paths that are in no case."""

    cases: list[tuple[Path, list[Problem]]] = msgspec.field(default_factory=list)
    not_in_a_case: list[Path] = msgspec.field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [problem for _, problems in self.cases for problem in problems]

    def to_data(self) -> dict[str, Any]:
        return {**check_data(self.cases), "not_in_a_case": [str(path) for path in self.not_in_a_case]}


def check_cases(paths: Sequence[Path], today: dt.date, more: MoreProblems | None = None) -> Checked:
    """Check the cases in `paths` (case folders, folders of cases, files in cases, a
    caseload's profile): each case once, a problem in a family's file listed once."""
    folders, strays = select_cases(list(paths))
    profiles = [stray for stray in strays if stray.name == PROFILE_FILE]
    if profiles:  # a caseload's profile (reunify.yaml) bears on every case below it
        from reunify.practice.caseload import find_cases

        strays = [stray for stray in strays if stray not in profiles]
        known = {folder.resolve() for folder in folders}
        for folder in find_cases([profile.parent for profile in profiles]):
            if folder.resolve() not in known:
                known.add(folder.resolve())
                folders.append(folder)
    checked = Checked(not_in_a_case=strays)
    locator = Locator()
    for folder in folders:
        evaluation, problems = load_evaluation(folder, today)
        from reunify.practice import history

        problems = problems + history.changed_by_hand(folder)  # only here: it reads the git history
        if more is not None and evaluation is not None and not any(p.is_error for p in problems):
            problems += more(evaluation, today)
        problems += [Problem(leftover, (), "a temporary file left by a recording that was killed; the next "
                             "recording on this case removes it", Severity.WARNING).at(1, 1)
                     for leftover in leftover_temporaries(folder)]
        checked.cases.append((folder, report.located(problems, locator)))
    # A problem in a family's file is the same for every child: it is listed once.
    seen: set[tuple[str, int | None, int | None, str]] = set()
    for index, (folder, problems) in enumerate(checked.cases):
        kept = []
        for problem in problems:
            key = (str(problem.file), problem.line, problem.column, problem.message)
            if problem.file.parent == folder or key not in seen:
                kept.append(problem)
            seen.add(key)
        checked.cases[index] = (folder, kept)
    return checked


def check_data(results: list[tuple[Path, list[Problem]]]) -> dict[str, Any]:
    cases = [{"case": str(folder), "problems": [report.problem_data(p) for p in problems]}
             for folder, problems in results]
    every = [p for _, problems in results for p in problems]
    return {
        "cases": cases,
        "errors": sum(1 for p in every if p.is_error),
        "warnings": sum(1 for p in every if str(p.severity) == "warning"),
        "notes": sum(1 for p in every if str(p.severity) == "note"),
    }
