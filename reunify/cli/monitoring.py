"""Commands for what monitors a child placed with parents: `reunify outcomes` (the outcomes
tool, every area rated with the family) and `reunify court-order` (a contact, no-contact
or other court order). Each calls one function of `reunify.practice.edits`; every value has an
option, and at a terminal what is missing is asked for (the notes in the editor).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import By
from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import When
from reunify.cli.app import app
from reunify.cli.app import lazy_module
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.ask import CaseChoices
from reunify.cli.ask import ask
from reunify.cli.ask import ask_date
from reunify.cli.ask import ask_text
from reunify.cli.ask import at_terminal
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.cli.record import Commit
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm
from reunify.cli.record import _only
from reunify.core.errors import ReunifyError
from reunify.practice.in_force import workflow_for
from reunify.records import load_case
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.workflow.model import OutcomesTool

if TYPE_CHECKING:
    from reunify.practice.edits import orders
    from reunify.practice.edits import outcomes
else:  # loaded when one of these commands runs
    orders = lazy_module("reunify.practice.edits.orders")
    outcomes = lazy_module("reunify.practice.edits.outcomes")

People = Annotated[list[str] | None, typer.Option(
    "--with", help="A person, by id or name from people.yaml (repeat for each).")]
# A line of the notes: "area: text"; a line that does not start so continues the note above.
_NOTE_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s?(.*)$")


def _tool(case: Path, today: dt.date) -> OutcomesTool | None:
    """The outcomes tool of the workflow in force, for the questions (None: the recording says why)."""
    try:
        folder = next(iter(children_of(case)), case) if is_family_folder(case) else case
        loaded, _ = load_case(folder)
    except ReunifyError:
        return None
    workflow = workflow_for(loaded)[0] if loaded is not None else None
    return workflow.outcomes_tool if workflow is not None else None


def parse_notes(text: str, areas: list[str], option: str) -> dict[str, str]:
    """'area: text' lines as notes; lines that follow one, up to the next, continue it."""
    notes: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _NOTE_LINE.match(line)
        if match is not None and (match[1] in areas or current is None):
            if match[1] not in areas:
                raise ReunifyError(f"{option}: unknown area '{match[1]}' (areas: {', '.join(areas)}; "
                                   "write each note as 'area: text')")
            current = match[1]
            notes.setdefault(current, []).append(match[2].strip())
        elif line.strip():
            if current is None:
                raise ReunifyError(f"{option}: write each note as 'area: text' (areas: {', '.join(areas)})")
            notes[current].append(line.strip())
    return {area: " ".join(part for part in parts if part) for area, parts in notes.items()}


def _ask_ratings(tool: OutcomesTool, given: dict[str, str]) -> dict[str, str]:
    """At a terminal: each area not rated yet, with the scale listed once."""
    left = [area for area in tool.areas if area not in given]
    if not left or not at_terminal():
        return given
    for point, item in sorted(tool.scale.items()):
        out.print(f"[bold]{point}[/] {escape(item.label)}: {escape(item.meaning)}", soft_wrap=True)
    rated = dict(given)
    for area in left:
        definition = tool.areas[area]
        if definition.asks:
            out.print(f"[dim]{escape(definition.asks)}[/]", soft_wrap=True)
        answer = ask(None, f"{definition.title} ({area}), {min(tool.scale)}-{max(tool.scale)}", "--rating")
        rated[area] = answer or ""
    return rated


@app.command("outcomes")
@_case_locked
def outcomes_command(
    case: CaseFolder = Path("."),
    at: Annotated[str | None, typer.Option(
        "--at", help="When in the episode, a point of the workflow's outcomes tool: assessment, agreement or "
                     "six_months_home (default: the point the case has reached).")] = None,
    rating: Annotated[list[str] | None, typer.Option(
        "--rating", metavar="AREA=N", help="An area's rating on the tool's scale, e.g. safety=4 (repeat for "
                                           "each area; every area is rated).")] = None,
    note: Annotated[list[str] | None, typer.Option(
        "--note", metavar="AREA=TEXT", help="A short note on an area (repeat for each).")] = None,
    notes_file: Annotated[str | None, typer.Option(
        "--notes-file", metavar="PATH", help="Read the notes from a file, one 'area: text' each ('-' for "
                                             "standard input).")] = None,
    people: People = None,
    date: When = "",
    by: By = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record the outcomes tool completed with the family: every area rated on the scale, with
    a short note; who took part. Completed since the return home, it marks the six months home
    review done when its gates pass."""
    day = resolve_today(today)
    when = ask_date(date, "Date completed", day)
    choices = CaseChoices(case, day)
    who = ask(by or _only(choices, ("social_worker",)) or None, "Who completed it (team member id or name)",
              "--by", choices=choices.team)
    assert who is not None
    tool = _tool(case, day)
    ratings = outcomes.parse_pairs(rating or [], "ratings")
    notes = outcomes.parse_pairs(note or [], "notes")
    if tool is not None:
        if at is None and at_terminal():
            at = ask(None, "When in the episode (blank: the point the case has reached)", "--at", required=False,
                     choices=lambda: [(key, point.title) for key, point in tool.points.items()])
        ratings = _ask_ratings(tool, ratings)
        if people is None and at_terminal():
            answer = ask(None, "Who took part (ids or names, comma-separated; blank if no one is named)", "--with",
                         required=False)
            people = [part for part in (answer or "").split(",") if part.strip()]
        written = ask_text(None, notes_file, "a short note on each area (optional)", "--note", "--notes-file",
                           guidance="\n".join(f"{area}: {item.title}" for area, item in tool.areas.items()),
                           current="\n".join(f"{area}: " for area in tool.areas), required=False) \
            if not notes else None
        if written:
            notes = parse_notes(written, list(tool.areas), "--notes-file")
    recorded = outcomes.record_outcomes(case, date=when, by=who, today=day, ratings=ratings, notes=notes, at=at,
                                        people=people)
    _confirm(recorded, case, commit, "outcomes", [who])


@app.command("court-order")
@_case_locked
def court_order_command(
    kind: Annotated[str | None, typer.Argument(
        help="contact, no-contact (contact refused or restricted) or other (e.g. a restraining order).",
        show_default=False)] = None,
    case: CaseFolder = Path("."),
    people: People = None,
    made: Annotated[str, typer.Option("--made", metavar="YYYY-MM-DD", help="The day the court made it.")] = "",
    court: Annotated[str | None, typer.Option(help="The court, e.g. 'Family Court at Anytown'.")] = None,
    terms: Annotated[str | None, typer.Option(help="What the order says.")] = None,
    terms_file: Annotated[str | None, typer.Option(
        "--file", metavar="PATH", help="Read the terms from a file ('-' for standard input).")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD",
                                              help="The day the order ends, where it says.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a court order about the child's contact (in case.yaml `orders:`), shown on the
    placed-with-parents front sheet."""
    day = resolve_today(today)
    chosen = ask(kind, "Which kind of order", "KIND", choices=lambda: [
        ("contact", "a contact order"), ("no-contact", "contact refused or restricted by the court"),
        ("other", "another order the placement must respect, e.g. a restraining order")])
    assert chosen is not None
    if people is None and at_terminal():
        answer = ask(None, "Who the order is about (ids or names, comma-separated)", "--with", required=False)
        people = [part for part in (answer or "").split(",") if part.strip()]
    made_text = ask(made or None, "Date the order was made (YYYY-MM-DD)", "--made")
    assert made_text is not None
    court = ask(court, "The court (blank to skip)", "--court", required=False)
    text = ask_text(terms, terms_file, "what the order says", "--terms", "--file")
    assert text is not None
    recorded = orders.record_order(case, chosen, made=parse_date("--made", made_text), terms=text, today=day,
                                   people=people, court=court,
                                   until=parse_date("--until", until) if until else None)
    _confirm(recorded, case, commit, f"court-order {orders.order_kind(chosen)}")
