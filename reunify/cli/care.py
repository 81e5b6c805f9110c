"""Commands for the child's own facts: `trusted-adult`, `legal-status`, `proceedings`,
`placement`, `return-home` and `leave-care`. Each calls one function of
`reunify.practice.edits.care`; options make every command scriptable, and at a terminal
what is missing is asked for, with the choices listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import lazy_module
from reunify.cli.app import resolve_today
from reunify.cli.ask import ask
from reunify.cli.people import Choices
from reunify.cli.people import Day
from reunify.cli.people import Since
from reunify.cli.people import _codes
from reunify.cli.people import _day
from reunify.cli.people import _needed
from reunify.cli.people import _required
from reunify.cli.record import Commit
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm
from reunify.core import codes

if TYPE_CHECKING:
    from reunify.practice.edits import care as care_edits
else:
    care_edits = lazy_module("reunify.practice.edits.care")  # loaded when a command of this group runs


@app.command("trusted-adult")
@_case_locked
def trusted_adult_command(
    person: Annotated[str | None, typer.Argument(help="The trusted adult, by id or name (someone in people.yaml).",
                                                 show_default=False)] = None,
    case: CaseFolder = Path("."),
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record the child's trusted adult for the reunification."""
    day = resolve_today(today)
    person = _required(ask(person, "Who is the child's trusted adult (id or name)", "PERSON",
                           choices=Choices(case, day).people))
    _confirm(care_edits.set_trusted_adult(case, person, today=day), case, commit, "trusted-adult")


@app.command("legal-status")
@_case_locked
def legal_status_command(
    code: Annotated[str | None, typer.Argument(help="SSDA903 legal status code, e.g. V2, C1, C2.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    since: Since = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a change of the child's legal status, kept in date order."""
    day = resolve_today(today)
    code = _required(ask(code, "Legal status code", "CODE", choices=_codes(codes.LEGAL_STATUS)))
    when = _needed(_day(since, "In force from", "--from", day))
    _confirm(care_edits.add_legal_status(case, code, since=when, today=day), case, commit, f"legal-status {code.upper()}")


@app.command("proceedings")
@_case_locked
def proceedings_command(
    court: Annotated[str | None, typer.Argument(help="The court, e.g. 'Family Court at Northtown'.",
                                                show_default=False)] = None,
    case_number: Annotated[str | None, typer.Argument(help="The court's case number.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    since: Annotated[str, typer.Option("--from", metavar="YYYY-MM-DD", help="The day proceedings were issued.")] = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record care proceedings about the child: the court and its case number, printed on
    every document (given again, they are corrected)."""
    day = resolve_today(today)
    court = _required(ask(court, "Which court", "COURT"))
    case_number = _required(ask(case_number, "The court's case number", "CASE_NUMBER"))
    when = _day(since, "Proceedings issued on (blank if not known)", "--from", day, required=False)
    _confirm(care_edits.set_proceedings(case, court, case_number, since=when, today=day), case, commit, "proceedings")


@app.command("placement")
@_case_locked
def placement_command(
    code: Annotated[str | None, typer.Argument(help="SSDA903 placement code, e.g. U6, P1.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    since: Since = "",
    carer: Annotated[str | None, typer.Option(help="The carer, by id or name (someone in people.yaml).")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a placement of the child, kept in date order."""
    day = resolve_today(today)
    code = _required(ask(code, "Placement code", "CODE", choices=_codes(codes.PLACEMENT)))
    when = _needed(_day(since, "Placed from", "--from", day))
    _confirm(care_edits.add_placement(case, code, since=when, carer=carer, today=day), case, commit,
             f"placement {code.upper()}")


@app.command("return-home")
@_case_locked
def return_home_command(
    case: CaseFolder = Path("."),
    date: Day = "",
    by: Annotated[str, typer.Option("--by", help="Who records the return: a team member's id or name "
                                                 "(default: the one social worker).")] = "",
    reason: Annotated[str | None, typer.Option(help="For a child accommodated under section 20: why the period "
                                                    "of care ended (default E4A, returned home as planned).")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record the child's return home and mark the workflow's return step done.

    Under a care order or interim care order the child is placed with parents (P1);
    accommodated under section 20 the child leaves care.
    """
    day = resolve_today(today)
    when = _needed(_day(date, "Date of the return", "--date", day))
    recorded = care_edits.record_return_home(case, date=when, by=by or None, reason=reason, today=day)
    _confirm(recorded, case, commit, "return-home", [by] if by else [])


@app.command("leave-care")
@_case_locked
def leave_care_command(
    case: CaseFolder = Path("."),
    date: Day = "",
    reason: Annotated[str | None, typer.Option(help="SSDA903 reason the period of care ended, e.g. E13, E41.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record that the child left care for a reason other than the planned return home."""
    day = resolve_today(today)
    why = _required(ask(reason, "Why the period of care ended", "--reason", choices=_codes(codes.EPISODE_ENDED)))
    when = _needed(_day(date, "Date the child left care", "--date", day))
    _confirm(care_edits.record_leaving_care(case, date=when, reason=why, today=day), case, commit, "leave-care")
