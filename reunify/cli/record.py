"""Recording commands: new, done, decide, classify, exit. Each calls one core function."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reunify import recording
from reunify.cli.app import By
from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import When
from reunify.cli.app import app
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.problems import ReunifyError
from reunify.skeleton import Essentials
from reunify.skeleton import new_case

Note = Annotated[str | None, typer.Option("--note", help="A short note to keep with the record.")]


def _confirm(done: recording.Recorded) -> None:
    out.print(f"{escape(done.summary)} [dim]({escape(str(done.file))})[/]", soft_wrap=True)


def _ask(value: str | None, question: str, *, required: bool = True) -> str | None:
    """The option's value, or the answer to a question when a person is at the terminal."""
    if value is not None:
        return value
    if not sys.stdin.isatty():
        if required:
            raise ReunifyError(f"{question.lower()} is needed: pass it as an option")
        return None
    answer: str = typer.prompt(question, default="" if not required else None, show_default=False)
    return answer or None


@app.command("new")
def new_command(
    path: Annotated[Path, typer.Argument(help="The case folder to create.")],
    reference: Annotated[str | None, typer.Option(help="The case reference.")] = None,
    child: Annotated[str | None, typer.Option(help="The child's name.")] = None,
    born: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="The child's date of birth.")] = None,
    sex: Annotated[str, typer.Option(help="male, female or unknown.")] = "unknown",
    legal_status: Annotated[str | None, typer.Option(help="SSDA903 legal status code, e.g. V2, C2.")] = None,
    placement: Annotated[str | None, typer.Option(help="SSDA903 placement code, e.g. U6.")] = None,
    social_worker: Annotated[str | None, typer.Option(help="The allocated social worker's name.")] = None,
    team_manager: Annotated[str | None, typer.Option(help="The team manager's name.")] = None,
    today: Today = None,
) -> None:
    """Start a case folder with commented skeleton records, readable by you only."""
    day = resolve_today(today)
    reference = _ask(reference, "Case reference")
    child = _ask(child, "Child's name")
    born_text = _ask(born, "Child's date of birth (YYYY-MM-DD, blank if unknown)", required=False)
    legal = _ask(legal_status, "Legal status code (e.g. V2, C1, C2; blank to add later)", required=False)
    place = _ask(placement, "Placement code (e.g. U6; blank to add later)", required=False)
    worker = _ask(social_worker, "Social worker's name (blank to add later)", required=False)
    manager = _ask(team_manager, "Team manager's name (blank to add later)", required=False)
    assert reference is not None and child is not None
    essentials = Essentials(
        reference=reference, child_name=child,
        born=parse_date("--born", born_text) if born_text else None,
        sex=sex.strip().lower(), legal_status=legal.strip().upper() if legal else None,
        placement=place.strip().upper() if place else None,
        social_worker=worker, team_manager=manager,
    )
    files = new_case(path, essentials, day)
    out.print(f"Created the case folder {escape(str(path))} ({len(files)} record files, owner-only).")
    out.print(f"Next: [bold]reunify next {escape(str(path))}[/]")


@app.command("done")
def done_command(
    step: Annotated[str, typer.Argument(help="The step id, as 'reunify status --json' lists it.")],
    case: CaseFolder = Path("."),
    date: When = "",
    by: By = "",
    note: Note = None,
    override: Annotated[str | None, typer.Option(
        "--override", help="A manager's reason for marking the step done although its gate fails.")] = None,
    today: Today = None,
) -> None:
    """Record a step as done when its gate passes; otherwise list what is missing."""
    day = resolve_today(today)
    if not by:
        raise ReunifyError("--by is needed: who did it (a team member's id or name)")
    recorded = recording.record_step(case, step, date=parse_date("--date", date) if date else day,
                                     by=by, today=day, note=note, override=override)
    _confirm(recorded)


@app.command("decide")
def decide_command(
    decision: Annotated[str, typer.Argument(help="D1, D2 or D3.")],
    case: CaseFolder = Path("."),
    outcome: Annotated[str | None, typer.Option(help="The outcome, e.g. pursue, proceed, reunify.")] = None,
    ratify: Annotated[bool, typer.Option("--ratify", help="Record the ratification of the decision.")] = False,
    date: When = "",
    by: By = "",
    reason: Annotated[str | None, typer.Option(help="Why: the decision's rationale.")] = None,
    today: Today = None,
) -> None:
    """Record Decision 1, 2 or 3 (or its ratification), checked against the workflow."""
    day = resolve_today(today)
    if not by:
        raise ReunifyError("--by is needed: who made the decision")
    when = parse_date("--date", date) if date else day
    if ratify:
        recorded = recording.ratify_decision(case, decision, date=when, by=by, today=day)
    else:
        if not outcome:
            raise ReunifyError("--outcome is needed (or --ratify)")
        recorded = recording.record_decision(case, decision, outcome=outcome, date=when, by=by,
                                             today=day, reason=reason)
    _confirm(recorded)


@app.command("classify")
def classify_command(
    classification: Annotated[str, typer.Argument(help="RC1, RC2 or RC3.")],
    case: CaseFolder = Path("."),
    level: Annotated[str | None, typer.Option(help="Low, Medium, High or Severe.")] = None,
    rationale: Annotated[str | None, typer.Option(help="Why this level.")] = None,
    recommended_by: Annotated[list[str] | None, typer.Option(
        "--recommended-by", help="Who recommended the level (repeat for each).")] = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="Record a manager's confirmation.")] = False,
    by: Annotated[str, typer.Option("--by", help="With --confirm: the confirming manager.")] = "",
    date: When = "",
    today: Today = None,
) -> None:
    """Record a risk classification, or a manager's confirmation of it."""
    day = resolve_today(today)
    when = parse_date("--date", date) if date else day
    if confirm:
        if not by:
            raise ReunifyError("--by is needed: the manager who confirms the level")
        recorded = recording.confirm_classification(case, classification, by=by, date=when, today=day)
    else:
        if not level or not rationale or not recommended_by:
            raise ReunifyError("--level, --rationale and --recommended-by are needed")
        recorded = recording.record_classification(case, classification, level=level, rationale=rationale,
                                                   recommended_by=recommended_by, date=when, today=day)
    _confirm(recorded)


@app.command("exit")
def exit_command(
    case: CaseFolder = Path("."),
    reason: Annotated[str, typer.Option(help="Why the process ended part way, e.g. family_withdrew.")] = "",
    date: When = "",
    by: By = "",
    note: Note = None,
    today: Today = None,
) -> None:
    """Record that the process ended part way, with its reason and date."""
    day = resolve_today(today)
    if not reason or not by:
        raise ReunifyError("--reason and --by are needed")
    recorded = recording.record_exit(case, reason=reason, date=parse_date("--date", date) if date else day,
                                     by=by, today=day, note=note)
    _confirm(recorded)
