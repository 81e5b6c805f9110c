"""Asking at a terminal for what a recording command lacks, with the choices listed.

In a script (standard input not a terminal) nothing is asked: a missing value is an
error naming its option. At a terminal each missing value is asked for, and where the
answer is one of a set (a team member, a step, an outcome, a level, a reason) the set
is listed first, from the case's records and the workflow in force.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import typer

from reunify.cli.app import parse_date
from reunify.cli.console import err
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.cli.console import table
from reunify.core.errors import ReunifyError
from reunify.engine import evaluate
from reunify.practice.in_force import workflow_for
from reunify.records import Case
from reunify.records import load_case
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
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


def ask_text(value: str | None, path: str | None, what: str, option: str, file_option: str, *,
             guidance: str = "", current: str | None = None, required: bool = True) -> str | None:
    """Free text as `git commit` takes a message: given directly, read from a file
    (`-` for standard input), or written in the editor at a terminal ($VISUAL, $EDITOR,
    else nano or vi) on an owner-only temporary file whose '#' lines are dropped. An
    empty text from the editor stops the command (exit 1) with nothing written."""
    if value is not None and path is not None:
        raise ReunifyError(f"give {option} or {file_option}, not both")
    if value is not None:
        return value
    if path is not None:
        return _read_text(path, file_option)
    if not at_terminal():
        if required:
            raise ReunifyError(f"{option} is needed ({what}); or {file_option} PATH to read it from a file "
                               "('-' for standard input)")
        return None
    text = _edit_text(what, guidance, current)
    if not text and required:
        err.print("nothing written: the text was empty")
        raise typer.Exit(1)
    return text or None


def _read_text(path: str, file_option: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as exc:
        raise ReunifyError(f"{file_option}: cannot read {path} ({(exc.strerror or 'error').lower()})") from None
    except UnicodeDecodeError:
        raise ReunifyError(f"{file_option}: {path} is not UTF-8 text") from None


def _editor() -> list[str]:
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen and chosen.strip():
        return shlex.split(chosen)
    return ["nano" if shutil.which("nano") else "vi"]


def _edit_text(what: str, guidance: str, current: str | None) -> str:
    """The text written in the editor, '#' lines dropped and whitespace trimmed."""
    comments = [what[:1].upper() + what[1:] + ".", *guidance.splitlines(),
                "Write it above these lines. Lines starting with '#' are ignored;",
                "an empty text writes nothing."]
    start = (current.rstrip() + "\n" if current else "\n") + "".join(f"# {line}\n" if line else "#\n"
                                                               for line in comments)
    handle, name = tempfile.mkstemp(prefix="reunify-", suffix=".txt")  # owner-only (0600)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(start)
        try:
            finished = subprocess.run([*_editor(), name], check=False)
        except OSError as exc:
            raise ReunifyError(f"cannot start the editor ({(exc.strerror or 'error').lower()}); set $EDITOR, "
                               "or give the text as an option") from None
        if finished.returncode != 0:
            raise ReunifyError(f"the editor ended with status {finished.returncode}; nothing written")
        with open(name, encoding="utf-8-sig") as file:
            written = file.read()
    finally:
        os.unlink(name)
    return "\n".join(line for line in written.splitlines() if not line.startswith("#")).strip()


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
            folder = self.folder
            if is_family_folder(folder):  # what the children share reads the same in each
                folder = next(iter(children_of(folder)), folder)
            case, _ = load_case(folder)
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

    def only(self, *roles: str) -> str:
        """The id of the one team member on the case today with one of `roles`, or '' when
        there are none or several: who is meant when only one person can be."""
        if self._loaded is None or not roles:
            return ""
        found = [m.id for m in self._loaded[0].case.team if m.role in roles and m.active_on(self.today)]
        return found[0] if len(found) == 1 else ""

    def role_title(self, role: str) -> str:
        found = self._workflow.roles.get(role) if self._workflow is not None else None
        return found.title.lower() if found is not None else role.replace("_", " ")

    def decision_role(self, decision: str, *, ratify: bool = False) -> tuple[str, ...]:
        """The role that makes (or ratifies) `decision`."""
        found = self._workflow.decisions.get(decision.strip().upper()) if self._workflow is not None else None
        role = (found.ratified_by if ratify else found.by) if found is not None else None
        return (role,) if role else ()

    def confirmer_role(self, classification: str) -> tuple[str, ...]:
        """The role that confirms `classification` (every manager when the workflow names none)."""
        workflow = self._workflow
        if workflow is None:
            return ()
        found = workflow.classification(classification.strip().upper())
        wanted = found.confirmed_by if found is not None else None
        return (wanted,) if wanted else tuple(workflow.managers())

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

    def risk_factors(self) -> list[Choice]:
        """The factors of the risk classification table, level by level."""
        workflow = self._workflow
        if workflow is None:
            return []
        return [(key, f"{level.label}: {text}") for level in workflow.risk_levels.values()
                for key, text in level.factors.items()]

    def exit_reasons(self) -> list[Choice]:
        workflow = self._workflow
        return list(workflow.exit_reasons.items()) if workflow is not None else []
