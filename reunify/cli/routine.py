"""Recording commands for the rhythm of practice: chronology, meeting, visit, goal-review,
sdq, police-check. Each calls one function of `reunify.practice.routine`; options make
every command scriptable, and at a terminal what is missing is asked for. --commit works
as in `record`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reunify.cli.app import By
from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import When
from reunify.cli.app import app
from reunify.cli.app import resolve_today
from reunify.cli.ask import CaseChoices
from reunify.cli.ask import ask
from reunify.cli.ask import ask_date
from reunify.cli.ask import ask_yes_no
from reunify.cli.ask import at_terminal
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.cli.record import Commit
from reunify.cli.record import Note
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm
from reunify.cli.record import _only
from reunify.core.errors import ReunifyError
from reunify.practice import recording
from reunify.practice import routine


@app.command("chronology")
@_case_locked
def chronology_command(
    case: CaseFolder = Path("."),
    date: When = "",
    event: Annotated[str | None, typer.Option(help="What happened.")] = None,
    source: Annotated[str | None, typer.Option(help="Where it is recorded (e.g. Police notification).")] = None,
    factor: Annotated[list[str] | None, typer.Option(
        "--factor", help="A factor such as domestic_abuse or substance_misuse (repeat for each).")] = None,
    impact: Annotated[str | None, typer.Option(help="The impact on the child.")] = None,
    response: Annotated[str | None, typer.Option(help="The response of the services.")] = None,
    analysis: Annotated[str | None, typer.Option(help="The manager's analysis.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Add an entry to the analytical chronology, kept in date order."""
    day = resolve_today(today)
    when = ask_date(date, "Date of the event", day)
    event = ask(event, "What happened", "--event")
    source = ask(source, "Source (where it is recorded)", "--source")
    impact = ask(impact, "Impact on the child (blank to skip)", "--impact", required=False)
    assert event is not None and source is not None
    _confirm(routine.record_chronology(case, date=when, event=event, source=source, today=day,
                                         factors=factor, impact=impact, response=response, analysis=analysis),
             case, commit, "chronology")


@app.command("meeting")
@_case_locked
def meeting_command(
    kind: Annotated[str, typer.Argument(help="The kind of meeting, e.g. cic_review, planning_review, fgc, tac.")],
    case: CaseFolder = Path("."),
    date: When = "",
    attendee: Annotated[list[str] | None, typer.Option(
        "--attendee", help="Who came: a team member or person, by id or name (repeat for each).")] = None,
    other: Annotated[list[str] | None, typer.Option(
        "--other", help="Anyone else who came, by role, e.g. 'Class teacher' (repeat for each).")] = None,
    decided: Annotated[str | None, typer.Option(help="What was decided.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a meeting: its kind, date, who came and what was decided."""
    day = resolve_today(today)
    when = ask_date(date, "Date of the meeting", day)
    if attendee is None and at_terminal():
        answer = ask(None, "Who came (ids or names, comma-separated; blank if none)", "--attendee", required=False)
        attendee = [a for a in (answer or "").split(",") if a.strip()]
    decided = ask(decided, "What was decided (blank to skip)", "--decided", required=False)
    _confirm(routine.record_meeting(case, kind, date=when, today=day, attendees=attendee, others=other,
                                      decided=decided), case, commit, f"meeting {kind}")


@app.command("visit")
@_case_locked
def visit_command(
    case: CaseFolder = Path("."),
    date: When = "",
    by: By = "",
    announced: Annotated[bool | None, typer.Option(
        "--announced/--unannounced", help="Whether the family knew of the visit.", show_default=False)] = None,
    seen_alone: Annotated[bool | None, typer.Option(
        "--seen-alone/--not-seen-alone", help="Whether the child was seen alone.", show_default=False)] = None,
    note: Note = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a visit to the child: announced or not, and whether the child was seen alone."""
    day = resolve_today(today)
    when = ask_date(date, "Date of the visit", day)
    choices = CaseChoices(case, day)
    who = ask(by or _only(choices, ("social_worker",)) or None, "Who visited (team member id or name)", "--by",
              choices=choices.team)
    assert who is not None
    was_announced = ask_yes_no(announced, "Was the visit announced?", "--announced or --unannounced")
    alone = ask_yes_no(seen_alone, "Was the child seen alone?", "--seen-alone or --not-seen-alone")
    _confirm(routine.record_visit(case, date=when, by=who, announced=was_announced, seen_alone=alone,
                                    today=day, note=note), case, commit, "visit", [who])


@app.command("goal-review")
@_case_locked
def goal_review_command(
    case: CaseFolder = Path("."),
    parent: Annotated[str | None, typer.Option(help="The parent, by id or name.")] = None,
    goal: Annotated[int | None, typer.Option(help="The goal's number in the parent's agreement (1, 2, ...).",
                                             min=1)] = None,
    rating: Annotated[str | None, typer.Option(help="red, amber or green.")] = None,
    evidence: Annotated[str | None, typer.Option(help="The evidence for the rating.")] = None,
    date: When = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a review of one goal of a parental agreement: red, amber or green, with evidence."""
    day = resolve_today(today)
    who = ask(parent, "Parent (id or name)", "--parent")
    assert who is not None
    if goal is None and at_terminal():
        case_record, _ = recording.open_case(case, day)
        for index, item in enumerate(routine.goals_of(case_record, who), 1):
            out.print(f"{index}. {escape(item.change or '(no change stated)')}")
    number = ask(str(goal) if goal is not None else None, "Goal number", "--goal")
    assert number is not None
    if not number.strip().isdigit():
        raise ReunifyError("--goal must be a goal number (1, 2, ...)")
    rated = ask(rating, "Rating (red, amber or green)", "--rating")
    evidence = ask(evidence, "Evidence (blank to skip)", "--evidence", required=False)
    when = ask_date(date, "Date of the review", day)
    assert rated is not None
    _confirm(routine.record_goal_review(case, parent=who, goal=int(number), rating=rated, date=when,
                                          today=day, evidence=evidence), case, commit, "goal-review")


@app.command("sdq")
@_case_locked
def sdq_command(
    case: CaseFolder = Path("."),
    total: Annotated[int | None, typer.Option(help="The total difficulties score, 0 to 40.")] = None,
    informant: Annotated[str, typer.Option(help="Who completed it: parent, teacher or self.")] = "parent",
    by: Annotated[str | None, typer.Option("--by", help="The team member who recorded it.")] = None,
    date: When = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a Strengths and Difficulties Questionnaire score; its band is shown."""
    day = resolve_today(today)
    score = ask(str(total) if total is not None else None, "Total difficulties score (0-40)", "--total")
    assert score is not None
    if not score.strip().isdigit():
        raise ReunifyError("--total must be a whole number from 0 to 40")
    when = ask_date(date, "Date completed", day)
    by = ask(by, "Who recorded it (id or name; blank to skip)", "--by", required=False,
             choices=CaseChoices(case, day).team)
    _confirm(routine.record_sdq(case, total=int(score), date=when, today=day, informant=informant, by=by),
             case, commit, "sdq", [by] if by else [])


@app.command("police-check")
@_case_locked
def police_check_command(
    person: Annotated[str, typer.Argument(help="The person checked, by id or name.")],
    case: CaseFolder = Path("."),
    result: Annotated[str | None, typer.Option(help="The outcome of the check.")] = None,
    date: When = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a police check on a household member, relative or regular visitor."""
    day = resolve_today(today)
    outcome = ask(result, "Result of the check", "--result")
    assert outcome is not None
    when = ask_date(date, "Date of the check", day)
    _confirm(routine.record_police_check(case, person, date=when, result=outcome, today=day),
             case, commit, "police-check")
