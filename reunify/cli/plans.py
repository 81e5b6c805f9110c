"""Commands for the assessment and the reunification plan (the parental agreement's are
in `agreement`).

`reunify assessment parent|set|support-need|start|seen-alone|sign-off` and
`reunify plan support|contact|transition|contingency|child-communication`. Each calls one
function of `reunify.practice.edits.plans`; every value has an option, and at a terminal what is
missing is asked for (free text in the editor, as `git commit` does).
"""

from __future__ import annotations

import datetime as dt
import functools
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
from reunify.cli.ask import Choice
from reunify.cli.ask import ask
from reunify.cli.ask import ask_date
from reunify.cli.ask import ask_many
from reunify.cli.ask import ask_text
from reunify.cli.ask import at_terminal
from reunify.cli.record import Commit
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm
from reunify.core.errors import ReunifyError
from reunify.records import load_case
from reunify.records.family import children_of
from reunify.records.family import is_family_folder

if TYPE_CHECKING:
    from reunify.practice.edits import plans
else:
    plans = lazy_module("reunify.practice.edits.plans")  # loaded when a command of this group runs


assessment_app = typer.Typer(help="The Return Home Assessment: parents, the child, housing, finances, school, "
                                  "support needs, the conclusion and the manager's sign-off.",
                             no_args_is_help=True, rich_markup_mode=None)
plan_app = typer.Typer(help="The reunification plan: support, contact, transition, the contingency plan and "
                            "the conversation with the child.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(assessment_app, name="assessment")
app.add_typer(plan_app, name="plan")

TextFile = Annotated[str | None, typer.Option("--file", metavar="PATH",
                                              help="Read the text from a file ('-' for standard input).")]
Planned = Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The planned date.")]


def _required(value: str | None) -> str:
    assert value is not None  # ask() returns a value or raises, for a required one
    return value


def _planned(option: str, value: str | None) -> dt.date | None:
    return parse_date(option, value) if value else None


def _text_and_case(text: str | None, case: Path) -> tuple[str | None, Path]:
    """TEXT and CASE are both optional positionals: a lone one naming a case folder is the case."""
    if text is not None and case == Path(".") and Path(text).is_dir() and (
            (Path(text) / "case.yaml").is_file() or is_family_folder(Path(text))):
        return None, Path(text)
    return text, case


def _people(folder: Path, today: dt.date) -> list[Choice]:
    """People of the case (the children last), for a question to list."""
    try:
        first = children_of(folder)[0] if is_family_folder(folder) else folder
        case, _ = load_case(first)
    except (ReunifyError, IndexError):
        return []
    if case is None:
        return []
    people = sorted(case.people.people, key=lambda p: p.id in case.group)
    return [(p.id, p.name + (f", {p.relationship}" if p.relationship else "")) for p in people]


def _fields(names: dict[str, str]) -> list[Choice]:
    return list(names.items())


def _entries(values: list[str] | None, question: str) -> list[str]:
    """A repeatable option's values; at a terminal with none given, one answer a line."""
    if values or not at_terminal():
        return values or []
    found = []
    while answer := ask(None, f"{question} (one at a time; blank to finish)", "", required=False):
        found.append(answer)
    return found


# -- the Return Home Assessment -------------------------------------------------------------


@assessment_app.command("parent")
@_case_locked
def assessment_parent_command(
    person: Annotated[str | None, typer.Argument(help="The parent, by id or name.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    risk_factor: Annotated[list[str] | None, typer.Option("--risk-factor", help="A risk factor (repeat for each).")] = None,
    protective_factor: Annotated[list[str] | None, typer.Option(
        "--protective-factor", help="A protective factor (repeat for each).")] = None,
    interaction: Annotated[str | None, typer.Option(help="How the risk and protective factors interact.")] = None,
    capacity_to_change: Annotated[str | None, typer.Option(help="The parent's capacity to change.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a parent's section of the assessment, or add to it."""
    day = resolve_today(today)
    who = _required(ask(person, "Which parent (id or name)", "PERSON", choices=lambda: _people(case, day)))
    if not (risk_factor or protective_factor or interaction or capacity_to_change) and at_terminal():
        risk_factor = _entries(None, "A risk factor")
        protective_factor = _entries(None, "A protective factor")
        interaction = ask_text(None, None, "how the parent's risk and protective factors interact",
                               "--interaction", "--interaction", required=False)
        capacity_to_change = ask_text(None, None, "the parent's capacity to change", "--capacity-to-change",
                                      "--capacity-to-change", required=False)
    _confirm(plans.assessment_parent(case, who, today=day, risk_factors=risk_factor,
                                     protective_factors=protective_factor, interaction=interaction,
                                     capacity_to_change=capacity_to_change), case, commit, "assessment parent")


@assessment_app.command("set")
@_case_locked
def assessment_set_command(
    field: Annotated[str | None, typer.Argument(
        help="child_views, housing, finances, school or conclusion.", show_default=False)] = None,
    text: Annotated[str | None, typer.Argument(
        help="The text (or --file; at a terminal, without either, the editor opens).", show_default=False)] = None,
    case: CaseFolder = Path("."),
    file: TextFile = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Write the child's views, housing, finances, school or the conclusion of the assessment."""
    day = resolve_today(today)
    text, case = _text_and_case(text, case)
    chosen = _required(ask(field, "Which part of the assessment", "FIELD",
                           choices=lambda: _fields(plans.ASSESSMENT_TEXT))).strip().replace("-", "_")
    if chosen not in plans.ASSESSMENT_TEXT:
        plans.set_assessment_text(case, chosen, "", today=day)  # says what the fields are
    written = _required(ask_text(text, file, plans.ASSESSMENT_TEXT[chosen], "TEXT", "--file",
                                 current=plans.current_text(case, plans.ASSESSMENT, chosen, day)
                                 if text is None and file is None else None))
    _confirm(plans.set_assessment_text(case, chosen, written, today=day), case, commit, f"assessment {chosen}")


@assessment_app.command("support-need")
@_case_locked
def support_need_command(
    text: Annotated[str | None, typer.Argument(help="The support need, or 'none identified'.",
                                               show_default=False)] = None,
    case: CaseFolder = Path("."),
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a support need identified by the assessment."""
    day = resolve_today(today)
    need = _required(ask(text, "Support need (or 'none identified')", "TEXT"))
    _confirm(plans.add_support_need(case, need, today=day), case, commit, "assessment support-need")


@assessment_app.command("start")
@_case_locked
def assessment_start_command(case: CaseFolder = Path("."), date: When = "", commit: Commit = None,
                             today: Today = None) -> None:
    """Record the day the assessment started."""
    day = resolve_today(today)
    when = ask_date(date, "Date the assessment started", day)
    _confirm(plans.start_assessment(case, date=when, today=day), case, commit, "assessment start")


@assessment_app.command("seen-alone")
@_case_locked
def assessment_seen_alone_command(case: CaseFolder = Path("."), date: When = "", commit: Commit = None,
                                  today: Today = None) -> None:
    """Record the day the child was seen alone for the assessment."""
    day = resolve_today(today)
    when = ask_date(date, "Date the child was seen alone", day)
    _confirm(plans.child_seen_alone(case, date=when, today=day), case, commit, "assessment seen-alone")


@assessment_app.command("sign-off")
@_case_locked
def assessment_sign_off_command(case: CaseFolder = Path("."), by: By = "", date: When = "",
                                commit: Commit = None, today: Today = None) -> None:
    """A manager's sign-off of the assessment (each child's, for a family folder); the steps
    it stands for are marked done where their gates pass."""
    day = resolve_today(today)
    choices = CaseChoices(_first_child(case), day)
    who = _required(ask(by, "Which manager signs it off (id or name)", "--by",
                        choices=functools.partial(choices.team, "team_manager", "service_manager")))
    when = ask_date(date, "Date of the sign-off", day)
    _confirm(plans.sign_off_assessment(case, by=who, date=when, today=day), case, commit,
             "assessment sign-off", [who])


def _first_child(folder: Path) -> Path:
    children = children_of(folder) if is_family_folder(folder) else []
    return children[0] if children else folder


# -- the reunification plan ------------------------------------------------------------------


@plan_app.command("support")
@_case_locked
def plan_support_command(
    service: Annotated[str | None, typer.Argument(help="The service, e.g. 'Parenting programme'.",
                                                  show_default=False)] = None,
    case: CaseFolder = Path("."),
    provider: Annotated[str | None, typer.Option(help="Who provides it.")] = None,
    recipient: Annotated[list[str] | None, typer.Option(
        "--for", help="Who it is for, by id or name (repeat for each).")] = None,
    frequency: Annotated[str | None, typer.Option(help="How often, e.g. weekly.")] = None,
    since: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="Planned start.")] = None,
    until: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Planned end.")] = None,
    after_return: Annotated[bool, typer.Option("--after-return", help="Support after the child goes home.")] = False,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a support service to the plan (with --after-return: to the support after the return)."""
    day = resolve_today(today)
    what = _required(ask(service, "Service", "SERVICE"))
    if at_terminal():
        provider = ask(provider, "Provider (blank to skip)", "--provider", required=False)
        frequency = ask(frequency, "How often (blank to skip)", "--frequency", required=False)
        if after_return:
            until = ask(until, "Until (YYYY-MM-DD; blank if open-ended)", "--until", required=False)
    _confirm(plans.add_service(case, what, today=day, provider=provider, recipients=recipient,
                               frequency=frequency, since=_planned("--from", since),
                               until=_planned("--until", until), after_return=after_return),
             case, commit, "plan support" + (" after-return" if after_return else ""))


@plan_app.command("contact")
@_case_locked
def plan_contact_command(
    case: CaseFolder = Path("."),
    people: Annotated[list[str] | None, typer.Option(
        "--with", help="Who the child has contact with, by id or name (repeat for each).")] = None,
    arrangement: Annotated[str | None, typer.Option(help="The arrangement, e.g. 'Saturdays 10-4 at home'.")] = None,
    supervised: Annotated[bool, typer.Option("--supervised", help="The contact is supervised.")] = False,
    since: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="Planned start.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a contact arrangement to the plan's contact schedule."""
    day = resolve_today(today)
    who = ask_many(people, "With whom (ids or names)", "--with", choices=lambda: _people(case, day))
    how = _required(ask(arrangement, "The arrangement", "--arrangement"))
    _confirm(plans.add_contact(case, people=who, arrangement=how, supervised=supervised,
                               since=_planned("--from", since), today=day), case, commit, "plan contact")


@plan_app.command("transition")
@_case_locked
def plan_transition_command(
    step: Annotated[str | None, typer.Argument(metavar="STEP_TEXT", help="The step, e.g. 'First overnight stay'.",
                                               show_default=False)] = None,
    case: CaseFolder = Path("."),
    date: Planned = None,
    for_child: Annotated[str | None, typer.Option(
        "--for-child", metavar="TEXT",
        help="The step in words for the child, e.g. 'You stay at home for one night': the young person's "
             "report lists it so while a return is being planned.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add a step of the transition home, kept in date order."""
    day = resolve_today(today)
    what = _required(ask(step, "Transition step", "STEP_TEXT"))
    date = ask(date, "Planned date (YYYY-MM-DD; blank if not fixed)", "--date", required=False)
    _confirm(plans.add_transition(case, what, date=_planned("--date", date), today=day, for_child=for_child),
             case, commit, "plan transition")


def _plan_text(field: str, text: str | None, file: str | None, case: Path, commit: bool | None,
               today: str | None) -> None:
    day = resolve_today(today)
    text, case = _text_and_case(text, case)
    written = _required(ask_text(text, file, plans.PLAN_TEXT[field], "TEXT", "--file",
                                 current=plans.current_text(case, plans.PLAN, field, day)
                                 if text is None and file is None else None))
    _confirm(plans.set_plan_text(case, field, written, today=day), case, commit,
             "plan " + field.replace("_", "-"))


PlanText = Annotated[str | None, typer.Argument(
    help="The text (or --file; at a terminal, without either, the editor opens).", show_default=False)]


@plan_app.command("contingency")
@_case_locked
def plan_contingency_command(text: PlanText = None, case: CaseFolder = Path("."), file: TextFile = None,
                             commit: Commit = None, today: Today = None) -> None:
    """Write the contingency plan (replacing the one recorded)."""
    _plan_text("contingency", text, file, case, commit, today)


@plan_app.command("child-communication")
@_case_locked
def plan_child_communication_command(text: PlanText = None, case: CaseFolder = Path("."), file: TextFile = None,
                                     commit: Commit = None, today: Today = None) -> None:
    """Write how the child's hopes, fears and support needs were heard (replacing what was recorded)."""
    _plan_text("child_communication", text, file, case, commit, today)
