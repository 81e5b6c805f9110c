"""Commands for the team, people, relationships and households.

`team add|role|transfer|list`, `person add|change`, `relationship` and `household add|join`.
Each calls one function of `reunify.practice.edits.team` or `reunify.practice.edits.people`;
options make every command scriptable, and at a terminal what is missing is asked for, with
the choices listed. The child's own facts (legal status, placements, the return home) are
in `care`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import lazy_module
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.ask import CaseChoices
from reunify.cli.ask import Choice
from reunify.cli.ask import ask
from reunify.cli.ask import at_terminal
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.cli.console import table
from reunify.cli.record import Commit
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm
from reunify.core.errors import ReunifyError
from reunify.records.family import children_of
from reunify.records.family import is_family_folder

if TYPE_CHECKING:
    from reunify.practice.edits import people as edits
    from reunify.practice.edits import team as team_edits
else:  # loaded when a command of this group runs
    edits = lazy_module("reunify.practice.edits.people")
    team_edits = lazy_module("reunify.practice.edits.team")


team_app = typer.Typer(help="The case team: add a member, change a role, transfer the work, list the team.",
                       no_args_is_help=True, rich_markup_mode=None)
person_app = typer.Typer(help="The people of the child's family and household: add someone, change what is known.",
                         no_args_is_help=True, rich_markup_mode=None)
household_app = typer.Typer(help="Households: add one, or add someone to one.",
                            no_args_is_help=True, rich_markup_mode=None)
app.add_typer(team_app, name="team")
app.add_typer(person_app, name="person")
app.add_typer(household_app, name="household")

Since = Annotated[str, typer.Option("--from", metavar="YYYY-MM-DD", help="The day it started.")]
Day = Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The day it happened.")]
Sex = Annotated[str | None, typer.Option(help="male, female or unknown.")]
BornOption = Annotated[str | None, typer.Option("--born", metavar="YYYY-MM-DD", help="Date of birth.")]
Died = Annotated[str | None, typer.Option("--died", metavar="YYYY-MM-DD", help="Date of death.")]
Relationship = Annotated[str | None, typer.Option(help="Their relationship to the child, e.g. Mother, Maternal aunt.")]
Parents = Annotated[list[str] | None, typer.Option(
    "--parent", help="A parent, by id or name (repeat for the second).")]
ParentLink = Annotated[str | None, typer.Option(help="How they are their parents' child: birth, adopted, fostered or step.")]
InHousehold = Annotated[str | None, typer.Option("--household", help="A household they live in (id or name).")]
Visitor = Annotated[bool, typer.Option("--visitor", help="With --household: a regular visitor, not a member.")]


def _required(value: str | None) -> str:
    assert value is not None  # ask() returns a value or raises, for a required one
    return value


def _day(value: str | None, question: str, option: str, today: dt.date, *, required: bool = True) -> dt.date | None:
    """A date option's value; at a terminal, asked for with today as the default."""
    if not value and at_terminal():
        value = typer.prompt(question, default=today.isoformat() if required else "", show_default=required)
    if value and value.strip():
        return parse_date(option, value)
    if required:
        raise ReunifyError(f"{option} is needed ({question[0].lower() + question[1:]})")
    return None


def _needed(day: dt.date | None) -> dt.date:
    assert day is not None  # _day() returns a date or raises, for a required one
    return day


class Choices(CaseChoices):
    """What may be typed for the people, households and roles of a case (for a family
    folder: as its first child's case reads them, the same for every child)."""

    def __init__(self, folder: Path, today: dt.date) -> None:
        children = children_of(folder) if is_family_folder(folder) else []
        super().__init__(children[0] if children else folder, today)

    def people(self) -> list[Choice]:
        return [(p.id, p.name) for p in self._loaded[0].people.people] if self._loaded is not None else []

    def households(self) -> list[Choice]:
        return [(h.id, h.name) for h in self._loaded[0].people.households] if self._loaded is not None else []

    def roles(self) -> list[Choice]:
        workflow = self._workflow
        return [(key, role.title) for key, role in workflow.roles.items()] if workflow is not None else []


def _codes(table_of: dict[str, str]) -> Callable[[], list[Choice]]:
    return lambda: list(table_of.items())


# -- the team ---------------------------------------------------------------------------


@team_app.command("add")
@_case_locked
def team_add_command(
    name: Annotated[str | None, typer.Argument(help="The team member's full name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    role: Annotated[str | None, typer.Option(help="A role of the workflow, e.g. social_worker, team_manager.")] = None,
    member_id: Annotated[str | None, typer.Option("--id", help="Their id (default: made from the role and surname, e.g. sw-rivers).")] = None,
    since: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="The day they joined the case (blank: from the start).")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a member to the case team (for a sibling group, the family's team)."""
    day = resolve_today(today)
    choices = Choices(case, day)
    name = _required(ask(name, "Full name", "NAME"))
    role = _required(ask(role, "Role", "--role", choices=choices.roles))
    start = parse_date("--from", since) if since else None
    recorded = team_edits.add_team_member(case, name, role=role, member=member_id, since=start, today=day)
    _confirm(recorded, case, commit, "team add")


@team_app.command("role")
@_case_locked
def team_role_command(
    member: Annotated[str | None, typer.Argument(help="The team member, by id or name.", show_default=False)] = None,
    role: Annotated[str | None, typer.Argument(help="Their new role, e.g. team_manager.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Change a team member's role."""
    day = resolve_today(today)
    choices = Choices(case, day)
    member = _required(ask(member, "Which team member (id or name)", "MEMBER", choices=choices.team))
    role = _required(ask(role, "New role", "ROLE", choices=choices.roles))
    _confirm(team_edits.change_team_role(case, member, role, today=day), case, commit, "team role", [member])


@team_app.command("transfer")
@_case_locked
def team_transfer_command(
    member: Annotated[str | None, typer.Argument(metavar="FROM", help="The team member leaving the case, by id or name.",
                                                 show_default=False)] = None,
    case: CaseFolder = Path("."),
    to: Annotated[str | None, typer.Option("--to", help="Who takes over: a new name, or a team member's id or name.")] = None,
    to_id: Annotated[str | None, typer.Option("--to-id", help="The new member's id (default: made from the role and surname).")] = None,
    date: Day = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Hand a team member's work to someone else from a date; past records keep who made them."""
    day = resolve_today(today)
    choices = Choices(case, day)
    member = _required(ask(member, "Who is leaving the case (id or name)", "FROM", choices=choices.team))
    successor = _required(ask(to, "Who takes over (a new name, or a team member)", "--to"))
    when = _needed(_day(date, "Date of the transfer", "--date", day))
    recorded = team_edits.transfer_team_member(case, member, to=successor, to_id=to_id, date=when, today=day)
    _confirm(recorded, case, commit, "team transfer", [member])


@team_app.command("list")
def team_list_command(
    case: CaseFolder = Path("."),
    today: Today = None,
) -> None:
    """List the case team: ids, names, roles and when each was on the case."""
    day = resolve_today(today)
    members, workflow = team_edits.team_of(case, day)
    if not members:
        out.print("The team is empty: add someone with 'reunify team add NAME --role ROLE'.")
        return
    grid = table("Id", "Name", "Role", "From", "Until")
    for member in members:
        role = workflow.roles.get(member.role)
        grid.add_row(escape(member.id), escape(member.name), escape(role.title if role else member.role),
                     member.since.isoformat() if member.since else "", member.until.isoformat() if member.until else "")
    out.print(grid)


# -- people -----------------------------------------------------------------------------


@person_app.command("add")
@_case_locked
def person_add_command(
    name: Annotated[str | None, typer.Argument(help="The person's full name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    person_id: Annotated[str | None, typer.Option("--id", help="Their id (default: made from the first name).")] = None,
    sex: Sex = None,
    born: BornOption = None,
    died: Died = None,
    relationship: Relationship = None,
    parent: Parents = None,
    parent_link: ParentLink = None,
    household: InHousehold = None,
    visitor: Visitor = False,
    risk_to_child: Annotated[bool, typer.Option(
        "--risk-to-child", help="They are a risk to the child: the documents for the child must not name "
                                "them while they live in or visit the home (render and check warn).")] = False,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add someone to people.yaml: the child's family, household and network."""
    day = resolve_today(today)
    name = _required(ask(name, "Full name", "NAME"))
    if at_terminal():
        sex = sex or ask(None, "Sex (male, female or unknown; blank if unknown)", "--sex", required=False)
        born = born or ask(None, "Date of birth (YYYY-MM-DD, blank if unknown)", "--born", required=False)
        relationship = relationship or ask(None, "Relationship to the child (e.g. Mother; blank to skip)",
                                           "--relationship", required=False)
    recorded = edits.add_person(
        case, name, person=person_id, sex=sex, born=parse_date("--born", born) if born else None,
        died=parse_date("--died", died) if died else None, relationship=relationship, parents=parent,
        parent_link=parent_link, household=household, visitor=visitor, risk_to_child=risk_to_child, today=day)
    _confirm(recorded, case, commit, "person add")


@person_app.command("change")
@_case_locked
def person_change_command(
    person: Annotated[str | None, typer.Argument(help="The person, by id or name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    name: Annotated[str | None, typer.Option("--name", help="Their name, corrected.")] = None,
    sex: Sex = None,
    born: BornOption = None,
    died: Died = None,
    relationship: Relationship = None,
    parent: Parents = None,
    parent_link: ParentLink = None,
    household: InHousehold = None,
    visitor: Visitor = False,
    risk_to_child: Annotated[bool | None, typer.Option(
        "--risk-to-child/--no-risk-to-child", show_default=False,
        help="Record that they are a risk to the child (the documents for the child must not name them while "
             "they live in or visit the home), or take it away.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Change what people.yaml says about someone (their id stays: records refer to it)."""
    day = resolve_today(today)
    person = _required(ask(person, "Who (id or name)", "PERSON", choices=Choices(case, day).people))
    recorded = edits.change_person(
        case, person, name=name, sex=sex, born=parse_date("--born", born) if born else None,
        died=parse_date("--died", died) if died else None, relationship=relationship, parents=parent,
        parent_link=parent_link, household=household, visitor=visitor, risk_to_child=risk_to_child, today=day)
    _confirm(recorded, case, commit, "person change")


@app.command("relationship")
@_case_locked
def relationship_command(
    first: Annotated[str | None, typer.Argument(metavar="A", help="One person, by id or name.", show_default=False)] = None,
    second: Annotated[str | None, typer.Argument(metavar="B", help="The other person, by id or name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    couple: Annotated[str | None, typer.Option(help="A couple: married, cohabiting, separated or divorced.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD", help="With --couple: since when.")] = None,
    tie: Annotated[str | None, typer.Option(help="A relationship worth drawing: close, conflict or cut_off.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record or update a couple, or a close, conflicted or cut-off relationship, for the genogram."""
    day = resolve_today(today)
    choices = Choices(case, day)
    first = _required(ask(first, "One person (id or name)", "A", choices=choices.people))
    second = _required(ask(second, "The other person (id or name)", "B"))
    if couple is None and tie is None and at_terminal():
        couple = ask(None, "A couple? married, cohabiting, separated or divorced (blank if not)", "--couple",
                     required=False)
        if couple is None:
            tie = ask(None, "The relationship: close, conflict or cut_off", "--tie")
    recorded = edits.set_relationship(case, first, second, couple=couple, tie=tie,
                                      since=parse_date("--since", since) if since else None, today=day)
    _confirm(recorded, case, commit, "relationship")


# -- households -------------------------------------------------------------------------


@household_app.command("add")
@_case_locked
def household_add_command(
    name: Annotated[str | None, typer.Argument(help="A name for the household, e.g. \"Mother's flat\".",
                                               show_default=False)] = None,
    case: CaseFolder = Path("."),
    household_id: Annotated[str | None, typer.Option("--id", help="Its id (default: made from the name).")] = None,
    address: Annotated[str | None, typer.Option(help="The address.")] = None,
    member: Annotated[list[str] | None, typer.Option("--member", help="Someone who lives there (repeat for each).")] = None,
    visitor: Annotated[list[str] | None, typer.Option("--visitor", help="A regular visitor (repeat for each).")] = None,
    home: Annotated[bool, typer.Option("--home", help="It is the home the child would return to.")] = False,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a household: its members, regular visitors, and whether the child would return there."""
    day = resolve_today(today)
    name = _required(ask(name, "Name of the household (e.g. Mother's flat)", "NAME"))
    if member is None and at_terminal():
        answer = ask(None, "Who lives there (ids or names, comma-separated; blank if none yet)", "--member",
                     required=False, choices=Choices(case, day).people)
        member = [a for a in (answer or "").split(",") if a.strip()]
    recorded = edits.add_household(case, name, household=household_id, address=address, members=member,
                                   visitors=visitor, home=home, today=day)
    _confirm(recorded, case, commit, "household add")


@household_app.command("join")
@_case_locked
def household_join_command(
    household: Annotated[str | None, typer.Argument(help="The household, by id or name.", show_default=False)] = None,
    person: Annotated[str | None, typer.Argument(help="The person, by id or name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    visitor: Annotated[bool, typer.Option("--visitor", help="A regular visitor, not a member.")] = False,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add someone to a household, as a member or a regular visitor."""
    day = resolve_today(today)
    choices = Choices(case, day)
    household = _required(ask(household, "Which household (id or name)", "HOUSEHOLD", choices=choices.households))
    person = _required(ask(person, "Who (id or name)", "PERSON", choices=choices.people))
    _confirm(edits.join_household(case, household, person, visitor=visitor, today=day), case, commit,
             "household join")

