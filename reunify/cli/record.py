"""Recording commands: new, done, decide, classify, exit (chronology, meeting, visit,
goal-review, sdq and police-check are in `routine`). Each calls one core function.

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

from reunify.cli import shown
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
from reunify.cli.ask import at_terminal
from reunify.cli.console import err
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out
from reunify.core.errors import ReunifyError
from reunify.core.yamlio import load_file
from reunify.practice import decisions
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
        out.print(f"[dim]{escape(shown(done.hint, action))}[/]", soft_wrap=True)
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
        recorded = decisions.ratify_decision(case, decision, date=when, by=who, today=day)
        action = f"decide {decision} ratify"
    else:
        outcome = _required(ask(outcome, "Outcome", "--outcome",
                                choices=functools.partial(choices.outcomes, decision)))
        by = by or _only(choices, choices.decision_role(decision))
        who = _required(ask(by, "Who made the decision (id or name)", "--by", choices=choices.team))
        when = ask_date(date, "Date of the decision", day)
        reason = ask(reason, "Why (blank to skip)", "--reason", required=False)
        recorded = decisions.record_decision(case, decision, outcome=outcome, date=when, by=who,
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
        recorded = decisions.confirm_classification(case, classification, by=who, date=when, today=day)
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
        recorded = decisions.record_classification(case, classification, level=level, rationale=rationale,
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
