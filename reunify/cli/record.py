"""Recording commands: new, done, decide, classify, exit, chronology, meeting, visit,
goal-review, sdq, police-check. Each calls one core function.

Options make every command scriptable; on a terminal, what is missing is asked for.
With --commit (or `git: {commit: true}` in the caseload profile) what a command wrote is
committed to git after it is written; a commit that cannot be made leaves the record
written and ends with exit status 1 and the git commands that finish it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated
from typing import ParamSpec

import typer

from reunify.cli.app import By
from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import When
from reunify.cli.app import app
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.ask import CaseChoices
from reunify.cli.ask import ask
from reunify.cli.ask import ask_date
from reunify.cli.ask import ask_many
from reunify.cli.ask import ask_text
from reunify.cli.ask import ask_yes_no
from reunify.cli.ask import at_terminal
from reunify.cli.console import err
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out
from reunify.core.problems import ReunifyError
from reunify.core.yamlio import load_file
from reunify.practice import recording
from reunify.practice import session
from reunify.practice.skeleton import Essentials
from reunify.practice.skeleton import child_id_for
from reunify.practice.skeleton import new_case
from reunify.practice.skeleton import new_child
from reunify.practice.skeleton import new_family
from reunify.records.family import family_of

P = ParamSpec("P")

Note = Annotated[str | None, typer.Option("--note", help="A short note to keep with the record.")]
Commit = Annotated[bool | None, typer.Option(
    "--commit/--no-commit", show_default=False,
    help="Commit what is written to git (default: the caseload profile's git.commit, else no).")]


def _case_locked(command: Callable[P, None]) -> Callable[P, None]:
    """Hold the case folder's lock for the whole command: the write and its commit.

    The recording function takes the same lock again (it is re-entrant), so no other
    recording can come between a write and the commit of exactly that write.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        case = kwargs.get("case")
        if not isinstance(case, Path):
            command(*args, **kwargs)  # the recording function says what is wrong
            return
        with session.case_locked(case):
            command(*args, **kwargs)

    return run


def _confirm(done: recording.Recorded, case: Path, commit: bool | None, action: str,
             by: Sequence[str] = ()) -> None:
    written = ", ".join(escape_line(str(file)) for file in done.files)
    out.print(f"{escape(done.summary)} [dim]({written})[/]", soft_wrap=True)
    if done.hint:
        out.print(f"[dim]{escape(done.hint)}[/]", soft_wrap=True)
    _commit(case, done.files, commit, action, by)


def _commit(case: Path, files: list[Path], commit: bool | None, action: str, by: Sequence[str] = ()) -> None:
    """Commit the files just written, when asked to or when the profile says so."""
    if not (session.commits_by_default(case) if commit is None else commit):
        return
    try:
        made, subject = session.commit_files(case, files, action, by)
    except session.NotCommitted as exc:
        # The record is written and stays; the audit trail lacks its commit until made.
        err.print(f"error: {escape_line(str(exc))}", soft_wrap=True)
        err.print(f"  to commit it: {escape_line(exc.finishing)}", soft_wrap=True)
        raise typer.Exit(1) from None
    except BaseException:  # stopped (Ctrl-C, SIGTERM, the terminal closed) during the commit
        err.print("error: the record is written but not committed: the command was stopped", soft_wrap=True)
        err.print(f"  to commit it: {escape_line(session.finishing(case, files, action, by))}", soft_wrap=True)
        raise
    out.print(f"[dim]committed {escape(made)}: {escape(subject)}[/]", soft_wrap=True)


def _only(choices: CaseChoices, roles: tuple[str, ...]) -> str:
    """Who is meant when only one person can be: the one team member on the case with the
    role, said on screen; '' when there are none or several (then --by is asked for)."""
    found = choices.only(*roles)
    if found:
        out.print(f"[dim]by {escape(found)}, the only {escape(choices.role_title(roles[0]))} on the case[/]",
                  soft_wrap=True)
    return found


def _required(value: str | None) -> str:
    assert value is not None  # ask() returns a value or raises, for a required one
    return value


def _recorded_level(path: Path, classification: str, given: str) -> str:
    """The level as written (a local label given on the command line becomes its key)."""
    data = load_file(path).data
    items = data.get("classifications") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("id") == classification and isinstance(item.get("level"), str):
            return str(item["level"])
    return given.strip().lower()


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
    since: Annotated[str | None, typer.Option(
        "--from", metavar="YYYY-MM-DD",
        help="The day the legal status and the placement began (default: today).")] = None,
    family: Annotated[bool, typer.Option(
        "--family", help="Start a family folder for a sibling group; then add each child with "
                         "'reunify new FOLDER/NAME --child NAME'.")] = False,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Start a case folder with commented skeleton records, readable by you only. Inside a
    family folder, add a child of the sibling group."""
    day = resolve_today(today)
    if family:
        reference = _required(ask(reference, "Family reference", "--reference"))
        worker = ask(social_worker, "Social worker's name (blank to add later)", "--social-worker", required=False)
        manager = ask(team_manager, "Team manager's name (blank to add later)", "--team-manager", required=False)
        files = new_family(path, Essentials(reference=reference, child_name="-", social_worker=worker,
                                            team_manager=manager), day)
        out.print(f"Created the family folder {escape_line(str(path))} (owner-only). Add each child: "
                  f"[bold]reunify new {escape_line(str(path / 'NAME'))} --child NAME[/]", soft_wrap=True)
        _commit(path, files, commit, "new family")
        return
    if family_of(path) is not None:  # a child of a sibling group: the team is the family's
        child = _required(ask(child, "Child's name", "--child"))
        born_text = ask(born, "Child's date of birth (YYYY-MM-DD, blank if unknown)", "--born", required=False)
        legal = ask(legal_status, "Legal status code (e.g. V2, C1, C2; blank to add later)", "--legal-status",
                    required=False)
        place = ask(placement, "Placement code (e.g. U6; blank to add later)", "--placement", required=False)
        began = parse_date("--from", since) if since else None
        essentials = Essentials(
            reference=(reference or "").strip(), child_name=child,
            born=parse_date("--born", born_text) if born_text else None, sex=sex.strip().lower(),
            legal_status=legal.strip().upper() if legal else None, legal_status_from=began,
            placement=place.strip().upper() if place else None, placement_from=began)
        files = new_child(path, essentials, day)
        child_id = load_file(path / "case.yaml").data.get("child")
        out.print(f"Added the child's folder {escape_line(str(path))} to the family (owner-only); the child's "
                  f"id, for commands that name people, is {escape(str(child_id))}.", soft_wrap=True)
        _commit(path, files, commit, "new child")
        out.print(f"Next: [bold]reunify next {escape_line(str(path))}[/]")
        return
    reference = ask(reference, "Case reference", "--reference")
    child = ask(child, "Child's name", "--child")
    born_text = ask(born, "Child's date of birth (YYYY-MM-DD, blank if unknown)", "--born", required=False)
    legal = ask(legal_status, "Legal status code (e.g. V2, C1, C2; blank to add later)", "--legal-status", required=False)
    place = ask(placement, "Placement code (e.g. U6; blank to add later)", "--placement", required=False)
    worker = ask(social_worker, "Social worker's name (blank to add later)", "--social-worker", required=False)
    manager = ask(team_manager, "Team manager's name (blank to add later)", "--team-manager", required=False)
    assert reference is not None and child is not None
    essentials = Essentials(
        reference=reference, child_name=child,
        born=parse_date("--born", born_text) if born_text else None,
        sex=sex.strip().lower(), legal_status=legal.strip().upper() if legal else None,
        legal_status_from=parse_date("--from", since) if since else None,
        placement=place.strip().upper() if place else None,
        placement_from=parse_date("--from", since) if since else None,
        social_worker=worker, team_manager=manager,
    )
    files = new_case(path, essentials, day)
    out.print(f"Created the case folder {escape_line(str(path))} ({len(files)} record files, owner-only); the "
              f"child's id, for commands that name people, is {escape(child_id_for(child))}.", soft_wrap=True)
    _commit(path, files, commit, "new")
    out.print(f"Next: [bold]reunify next {escape_line(str(path))}[/]")


@app.command("done")
@_case_locked
def done_command(
    step: Annotated[str | None, typer.Argument(help="The step id, as 'reunify status --json' lists it.",
                                               show_default=False)] = None,
    case: CaseFolder = Path("."),
    date: When = "",
    by: By = "",
    note: Note = None,
    override: Annotated[str | None, typer.Option(
        "--override", help="A manager's reason for marking the step done although its gate fails.")] = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a step as done when its gate passes; otherwise list what is missing."""
    day = resolve_today(today)
    choices = CaseChoices(case, day)
    step = _required(ask(step, "Which step", "STEP", choices=choices.steps))
    by = by or ("" if override else _only(choices, choices.role_of(step)))
    who = _required(ask(by, "Who did it (a team member's id or name)" if not override
                        else "Which manager overrides (id or name)", "--by",
                        choices=functools.partial(choices.team, *choices.role_of(step))))
    when = ask_date(date, "Date it was done", day)
    recorded = recording.record_step(case, step, date=when, by=who, today=day, note=note, override=override)
    _confirm(recorded, case, commit, f"done {step}" + (" override" if override else ""), [who])


@app.command("decide")
@_case_locked
def decide_command(
    decision: Annotated[str | None, typer.Argument(help="A decision of the workflow: D1, D2, D3, D4.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    outcome: Annotated[str | None, typer.Option(help="The outcome, e.g. pursue, proceed, reunify.")] = None,
    ratify: Annotated[bool, typer.Option("--ratify", help="Record the ratification of the decision.")] = False,
    date: When = "",
    by: By = "",
    reason: Annotated[str | None, typer.Option(help="Why: the decision's rationale.")] = None,
    confirm: Annotated[bool, typer.Option(
        "--confirm", help="Also record the same manager's confirmation, that day, of the risk "
                          "classification the decision rests on.")] = False,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a decision (or its ratification), checked against the workflow; with
    --confirm, the manager's confirmation of the risk level in the same command."""
    day = resolve_today(today)
    choices = CaseChoices(case, day)
    decision = _required(ask(decision, "Which decision", "DECISION", choices=choices.decisions))
    if ratify:
        by = by or _only(choices, choices.decision_role(decision, ratify=True))
        who = _required(ask(by, "Who ratifies it (id or name)", "--by", choices=choices.team))
        when = ask_date(date, "Date of the ratification", day)
        recorded = recording.ratify_decision(case, decision, date=when, by=who, today=day)
        action = f"decide {decision} ratify"
    else:
        outcome = _required(ask(outcome, "Outcome", "--outcome",
                                choices=functools.partial(choices.outcomes, decision)))
        by = by or _only(choices, choices.decision_role(decision))
        who = _required(ask(by, "Who made the decision (id or name)", "--by", choices=choices.team))
        when = ask_date(date, "Date of the decision", day)
        reason = ask(reason, "Why (blank to skip)", "--reason", required=False)
        recorded = recording.record_decision(case, decision, outcome=outcome, date=when, by=who,
                                             today=day, reason=reason, confirm=confirm)
        action = f"decide {decision} {outcome}"
    _confirm(recorded, case, commit, action, [who])


@app.command("classify")
@_case_locked
def classify_command(
    classification: Annotated[str | None, typer.Argument(help="A classification: RC1, RC2, RC3, then RC4, RC5, ... after the return.", show_default=False)] = None,
    case: CaseFolder = Path("."),
    level: Annotated[str | None, typer.Option(help="Low, Medium, High or Severe.")] = None,
    rationale: Annotated[str | None, typer.Option(help="Why this level.")] = None,
    recommended_by: Annotated[list[str] | None, typer.Option(
        "--recommended-by", help="Who recommended the level (repeat for each).")] = None,
    factor: Annotated[list[str] | None, typer.Option(
        "--factor", help="A factor of the risk classification table found, by id (repeat for each; "
        "'reunify workflow show' lists each level's).")] = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="Record a manager's confirmation.")] = False,
    by: Annotated[str, typer.Option("--by", help="With --confirm: the confirming manager.")] = "",
    for_child: Annotated[str | None, typer.Option(
        "--for-child", metavar="TEXT",
        help="What the child is told about this classification, in words for them: the documents for the child "
             "show it (never the rationale). Given on its own (no --level, --rationale, --recommended-by), "
             "adds it to a classification already recorded, or changes it.")] = None,
    for_child_file: Annotated[str | None, typer.Option(
        "--for-child-file", metavar="PATH", help="Read --for-child from a file ('-' for standard input).")] = None,
    date: When = "",
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record a risk classification, or a manager's confirmation of it; --for-child on its own
    adds or changes what the child is told about one already recorded."""
    day = resolve_today(today)
    choices = CaseChoices(case, day)
    classification = _required(ask(classification, "Which classification", "CLASSIFICATION",
                                   choices=choices.classifications))
    said = (ask_text(for_child, for_child_file, "what the child is told", "--for-child", "--for-child-file")
            if for_child is not None or for_child_file is not None else None)
    if said is not None and not confirm and level is None and rationale is None and not recommended_by \
            and not factor:
        from reunify.practice.edits.for_child import set_for_child

        recorded = set_for_child(case, classification, said, today=day)
        _confirm(recorded, case, commit, f"classify {classification} for-child")
        return
    if confirm and said is not None:
        raise ReunifyError("--for-child goes with a new classification, or on its own; not with --confirm")
    if confirm:
        by = by or _only(choices, choices.confirmer_role(classification))
        who = _required(ask(by, "Which manager confirms the level (id or name)", "--by",
                            choices=functools.partial(choices.team, "service_manager")))
        when = ask_date(date, "Date of the confirmation", day)
        recorded = recording.confirm_classification(case, classification, by=who, date=when, today=day)
        _confirm(recorded, case, commit, f"classify {classification} confirm", [who])
    else:
        level = _required(ask(level, "Level", "--level", choices=choices.levels))
        rationale = _required(ask(rationale, "Why this level", "--rationale"))
        recommended = ask_many(recommended_by, "Who recommended it (ids or names)", "--recommended-by",
                               choices=choices.team)
        when = ask_date(date, "Date of the classification", day)
        if not factor and at_terminal():
            answer = ask(None, "Factors of the risk classification table found (comma-separated; blank for none)",
                         "--factor", required=False, choices=choices.risk_factors)
            factor = [part.strip() for part in (answer or "").split(",") if part.strip()]
        recorded = recording.record_classification(case, classification, level=level, rationale=rationale,
                                                   recommended_by=recommended, date=when, today=day,
                                                   factors=factor, for_child=said)
        action = f"classify {classification} {_recorded_level(recorded.file, classification, level)}"
        _confirm(recorded, case, commit, action, recommended)


@app.command("exit")
@_case_locked
def exit_command(
    case: CaseFolder = Path("."),
    reason: Annotated[str, typer.Option(help="Why the process ended part way, e.g. family_withdrew.")] = "",
    date: When = "",
    by: By = "",
    note: Note = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Record that the process ended part way, with its reason and date."""
    day = resolve_today(today)
    choices = CaseChoices(case, day)
    why = _required(ask(reason, "Why it ended", "--reason", choices=choices.exit_reasons))
    who = _required(ask(by, "Who records it (id or name)", "--by", choices=choices.team))
    when = ask_date(date, "Date it ended", day)
    recorded = recording.record_exit(case, reason=why, date=when, by=who, today=day, note=note)
    _confirm(recorded, case, commit, f"exit {why}", [who])


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
    _confirm(recording.record_chronology(case, date=when, event=event, source=source, today=day,
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
    _confirm(recording.record_meeting(case, kind, date=when, today=day, attendees=attendee, others=other,
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
    _confirm(recording.record_visit(case, date=when, by=who, announced=was_announced, seen_alone=alone,
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
        for index, item in enumerate(recording.goals_of(case_record, who), 1):
            out.print(f"{index}. {escape(item.change or '(no change stated)')}")
    number = ask(str(goal) if goal is not None else None, "Goal number", "--goal")
    assert number is not None
    if not number.strip().isdigit():
        raise ReunifyError("--goal must be a goal number (1, 2, ...)")
    rated = ask(rating, "Rating (red, amber or green)", "--rating")
    evidence = ask(evidence, "Evidence (blank to skip)", "--evidence", required=False)
    when = ask_date(date, "Date of the review", day)
    assert rated is not None
    _confirm(recording.record_goal_review(case, parent=who, goal=int(number), rating=rated, date=when,
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
    _confirm(recording.record_sdq(case, total=int(score), date=when, today=day, informant=informant, by=by),
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
    _confirm(recording.record_police_check(case, person, date=when, result=outcome, today=day),
             case, commit, "police-check")
