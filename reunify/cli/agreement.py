"""Commands for the parental agreement: `reunify agreement parent|review-date|sign` and
`reunify goal add`. Each calls one function of `reunify.practice.edits.agreement`; every
value has an option, and at a terminal what is missing is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import When
from reunify.cli.app import app
from reunify.cli.app import lazy_module
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.ask import ask
from reunify.cli.ask import ask_date
from reunify.cli.ask import at_terminal
from reunify.cli.plans import _entries
from reunify.cli.plans import _people
from reunify.cli.plans import _required
from reunify.cli.record import Commit
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm

if TYPE_CHECKING:
    from reunify.practice.edits import agreement
else:
    agreement = lazy_module("reunify.practice.edits.agreement")  # loaded when a command of this group runs

agreement_app = typer.Typer(help="The parental agreement: each parent's strengths and concerns, the review date "
                                 "and signing.", no_args_is_help=True, rich_markup_mode=None)
goal_app = typer.Typer(help="SMART goals of the parental agreement.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(agreement_app, name="agreement")
app.add_typer(goal_app, name="goal")


@agreement_app.command("parent")
@_case_locked
def agreement_parent_command(
    person: Annotated[str | None, typer.Argument(help="The parent, by id or name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    strength: Annotated[list[str] | None, typer.Option("--strength", help="A strength (repeat for each).")] = None,
    concern: Annotated[list[str] | None, typer.Option("--concern", help="A concern (repeat for each).")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a parent to the agreement, or strengths and concerns to theirs."""
    day = resolve_today(today)
    who = _required(ask(person, "Which parent (id or name)", "PERSON", choices=lambda: _people(case, day)))
    if not (strength or concern) and at_terminal():
        strength = _entries(None, "A strength")
        concern = _entries(None, "A concern")
    _confirm(agreement.agreement_parent(case, who, today=day, strengths=strength, concerns=concern),
             case, commit, "agreement parent")


@agreement_app.command("review-date")
@_case_locked
def agreement_review_date_command(
    date: Annotated[str | None, typer.Argument(metavar="DATE", help="The planned review date, YYYY-MM-DD.",
                                               show_default=False)] = None,
    case: CaseFolder = Path("."),
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Set the date the agreement will be reviewed (a planned date)."""
    day = resolve_today(today)
    when = parse_date("DATE", _required(ask(date, "Review date (YYYY-MM-DD)", "DATE")))
    _confirm(agreement.set_review_date(case, when, today=day), case, commit, "agreement review-date")


@agreement_app.command("sign")
@_case_locked
def agreement_sign_command(
    case: CaseFolder = Path("."),
    date: When = "",
    by: Annotated[str | None, typer.Option("--by", help="The team member who made the agreement "
                                                        "(default: the one with the step's role).")] = None,
    parent: Annotated[str | None, typer.Option(help="Record that this parent signed (id or name).")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record the agreement as made (the steps it stands for are marked done where their gates
    pass), or with --parent that one parent signed it."""
    day = resolve_today(today)
    when = ask_date(date, "Date signed" if parent else "Date the agreement was made", day)
    _confirm(agreement.sign_agreement(case, date=when, today=day, by=by, parent=parent), case, commit,
             "agreement sign" + (" parent" if parent else ""), [by] if by else [])


@goal_app.command("add")
@_case_locked
def goal_add_command(
    case: CaseFolder = Path("."),
    parent: Annotated[str | None, typer.Option(help="The parent, by id or name.")] = None,
    change: Annotated[str | None, typer.Option(help="What must change.")] = None,
    step: Annotated[list[str] | None, typer.Option("--step", help="A step towards it (repeat for each).")] = None,
    evidence: Annotated[str | None, typer.Option(help="How the change will be evidenced.")] = None,
    due: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="By when (a planned date).")] = None,
    support: Annotated[str | None, typer.Option(help="The support offered.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a SMART goal to a parent's agreement."""
    day = resolve_today(today)
    who = _required(ask(parent, "Which parent (id or name)", "--parent", choices=lambda: _people(case, day)))
    what = _required(ask(change, "What must change", "--change"))
    steps = _entries(step, "A step towards it")
    shown = _required(ask(evidence, "How it will be evidenced", "--evidence"))
    when = parse_date("--due", _required(ask(due, "By when (YYYY-MM-DD)", "--due")))
    offered = _required(ask(support, "The support offered", "--support"))
    _confirm(agreement.add_goal(case, parent=who, change=what, steps=steps, evidence=shown, due=when,
                                support=offered, today=day), case, commit, "goal add")
