"""Asking at a terminal for what a recording command lacks, with the choices listed.

In a script (standard input not a terminal) nothing is asked: a missing value is an
error naming its option. At a terminal each missing value is asked for, and where the
answer is one of a set (a team member, a step, an outcome, a level, a reason) the set
is listed first, from the case's records and the workflow in force.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path

import typer

from reunify.cli.app import parse_date
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.cli.console import table
from reunify.engine import evaluate
from reunify.engine import workflow_for
from reunify.problems import ReunifyError
from reunify.records import Case
from reunify.records import load_case
from reunify.workflow import Workflow

Choice = tuple[str, str]  # (what to type, what it is)
STEPS_LISTED = 5  # waiting steps listed when none is ready ('reunify status' lists all)


def at_terminal() -> bool:
    return sys.stdin.isatty()


def ask(value: str | None, question: str, option: str, *, required: bool = True,
        choices: Callable[[], list[Choice]] | None = None) -> str | None:
    """The option's value, or the answer to a question when a person is at the terminal."""
    if value:
        return value
    if not at_terminal():
        if required:
            raise ReunifyError(f"{option} is needed ({question[0].lower() + question[1:]})")
        return None
    listed = choices() if choices is not None else []
    if listed:
        grid = table("", "")
        grid.show_header = False
        for key, text in listed:
            grid.add_row(f"[bold]{escape(key)}[/]", escape(text))
        out.print(grid)
    while True:
        answer: str = typer.prompt(question, default="" if not required else None, show_default=False)
        if answer.strip() or not required:
            return answer.strip() or None


def ask_many(values: list[str] | None, question: str, option: str,
             choices: Callable[[], list[Choice]] | None = None) -> list[str]:
    """A repeatable option's values, or a comma-separated answer at the terminal."""
    if values:
        return values
    answer = ask(None, question + " (comma-separated)", option, choices=choices)
    return [part.strip() for part in (answer or "").split(",") if part.strip()]


def ask_yes_no(value: bool | None, question: str, options: str) -> bool:
    if value is not None:
        return value
    if not at_terminal():
        raise ReunifyError(f"{options} is needed")
    return bool(typer.confirm(question))


def ask_date(value: str, question: str, today: dt.date) -> dt.date:
    """--date's value; at a terminal, asked for with today as the default."""
    if not value and at_terminal():
        value = typer.prompt(question, default=today.isoformat())
    return parse_date("--date", value) if value else today


class CaseChoices:
    """What may be typed for a case, read only when a question needs it.

    A case whose records cannot be read lists nothing: the question is still asked, and
    the recording itself then says what is wrong.
    """

    def __init__(self, folder: Path, today: dt.date) -> None:
        self.folder = folder
        self.today = today

    @functools.cached_property
    def _loaded(self) -> tuple[Case, Workflow] | None:
        try:
            case, _ = load_case(self.folder)
        except ReunifyError:
            return None
        workflow = workflow_for(case)[0] if case is not None else None
        return (case, workflow) if case is not None and workflow is not None else None

    @property
    def _workflow(self) -> Workflow | None:
        return self._loaded[1] if self._loaded is not None else None

    def team(self, *roles: str) -> list[Choice]:
        """Team members (those with one of `roles` first, when given): id, name and role."""
        if self._loaded is None:
            return []
        case, workflow = self._loaded
        members = sorted(case.case.team, key=lambda member: bool(roles) and member.role not in roles)
        return [(member.id, f"{member.name}, {workflow.roles[member.role].title}"
                 if member.role in workflow.roles else member.name) for member in members]

    def steps(self) -> list[Choice]:
        """The steps that can be recorded now (or, when none can, the next few waiting)."""
        if self._loaded is None:
            return []
        evaluation = evaluate(*self._loaded, self.today)
        ready = [(s.step.id, s.step.title) for s in evaluation.steps if s.done is None and s.state == "ready"]
        if ready:
            return ready
        waiting = [s for s in evaluation.steps if s.done is None and s.state == "waiting"]
        return [(s.step.id, f"{s.step.title} (waiting)") for s in waiting[:STEPS_LISTED]]

    def role_of(self, step: str) -> tuple[str, ...]:
        """The role that does `step`, to list its team members first."""
        found = self._workflow.steps.get(step) if self._workflow is not None else None
        return (found.role,) if found is not None and found.role else ()

    def decisions(self) -> list[Choice]:
        workflow = self._workflow
        return [(key, d.title) for key, d in workflow.decisions.items()] if workflow is not None else []

    def outcomes(self, decision: str) -> list[Choice]:
        workflow = self._workflow
        found = workflow.decisions.get(decision.strip().upper()) if workflow is not None else None
        return [(key, outcome.title) for key, outcome in found.outcomes.items()] if found is not None else []

    def classifications(self) -> list[Choice]:
        workflow = self._workflow
        return [(key, c.title) for key, c in workflow.classifications.items()] if workflow is not None else []

    def levels(self) -> list[Choice]:
        workflow = self._workflow
        return [(key, level.label) for key, level in workflow.risk_levels.items()] if workflow is not None else []

    def exit_reasons(self) -> list[Choice]:
        workflow = self._workflow
        return list(workflow.exit_reasons.items()) if workflow is not None else []
