"""Read-only commands: next, status, check. They never write and never import documents."""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path
from typing import Annotated

import typer

from reunify.cli.app import CaseFolder
from reunify.cli.app import Json
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import resolve_today
from reunify.cli.console import bullets
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import print_problems
from reunify.cli.console import rows
from reunify.core.dates import relative_day
from reunify.core.errors import ReunifyError
from reunify.core.problems import Problem
from reunify.core.yamlio import FastLocator
from reunify.engine import Evaluation
from reunify.engine import StepState
from reunify.engine import report
from reunify.engine.due import Due
from reunify.engine.evaluate import root_causes
from reunify.engine.summary import child_summary
from reunify.engine.summary import key_dates
from reunify.practice.checking import check_cases
from reunify.practice.checking import load_evaluation
from reunify.practice.profile import load_profile
from reunify.records.family import children_of
from reunify.records.family import is_family_folder


def evaluation_or_exit(folder: Path, today: dt.date, as_json: bool) -> Evaluation:
    evaluation, problems = load_evaluation(folder, today, load_profile(folder))
    if evaluation is None:
        located = report.located(problems, FastLocator())
        if as_json:
            print_json({"case": str(folder), "problems": [report.problem_data(p) for p in located]})
        else:
            out.print("The case records cannot be read until these are fixed:\n")
            print_problems(located)
        raise typer.Exit(1)
    return evaluation


def print_header(ev: Evaluation) -> None:
    child = child_summary(ev.facts)
    who = escape(child.get("name", "the child"))
    age = f", {child['age']}" if "age" in child else ""
    out.print(f"[bold]{escape(child['reference'])}[/]  {who}{age}  ·  risk: [bold]{escape(child['risk'])}[/]")
    out.print(f"Legal status {escape(child['legal_status'])}")
    out.print(f"Placement {escape(child['placement'])}")
    out.print(f"Lives {escape(child['lives'])}")
    if ev.stage is not None:
        number = ev.workflow.stages.index(ev.stage) + 1
        out.print(f"Stage {number} of {len(ev.workflow.stages)}: [bold]{escape(ev.stage.title)}[/]"
                  f" ({escape(ev.status)})")
    else:
        out.print(f"Status: [bold]{escape(ev.status[:1].upper() + ev.status[1:])}[/]")


def who_text(ev: Evaluation, state: StepState) -> str:
    role = ev.workflow.roles.get(state.step.role)
    title = role.title if role else state.step.role
    names = ", ".join(state.who)
    return f"{title}: {names}" if names else f"{title} (none in the case team)"


def due_text(state: StepState, today: dt.date) -> str:
    if state.due is None:
        return ""
    text = f"due {state.due.isoformat()} ({relative_day(state.due, today)})"
    return f"[red]{text}[/]" if state.overdue else text


@app.command("next")
def next_command(
    case: CaseFolder = Path("."),
    today: Today = None,
    as_json: Json = False,
) -> None:
    """The one to three things to do now: who does each, by when, and what is missing."""
    day = resolve_today(today)
    if is_family_folder(case):
        _family_next(case, day, as_json)
        return
    ev = evaluation_or_exit(case, day, as_json)
    if as_json:
        print_json(ev.to_data("next"))
        return
    print_header(ev)
    out.print()
    print_next(ev, day)


def _family(folder: Path, day: dt.date) -> list[tuple[Path, Evaluation | None, list[Problem]]]:
    """Each child of the family in `folder`, evaluated (None when the records cannot be read)."""
    children = children_of(folder)
    if not children:
        raise ReunifyError(f"{folder}: the family has no child's folder yet (add one with 'reunify new')")
    return [(child, *load_evaluation(child, day)) for child in children]


def _family_next(folder: Path, day: dt.date, as_json: bool) -> None:
    """What is next for each child of a family, one after the other."""
    found = _family(folder, day)
    if as_json:
        print_json({"family": str(folder), "children": [
            ev.to_data("next") if ev is not None else
            {"case": str(child), "problems": [report.problem_data(p) for p in report.located(problems)]}
            for child, ev, problems in found]})
    else:
        for number, (child, ev, _) in enumerate(found):
            if number:
                out.print("\n" + "─" * 40 + "\n")
            if ev is None:
                out.print(f"[bold]{escape_line(child.name)}[/]: the records cannot be read until errors are "
                          f"fixed (reunify check {escape_line(str(child))})", soft_wrap=True)
                continue
            print_header(ev)
            out.print()
            print_next(ev, day)
    if any(ev is None for _, ev, _ in found):
        raise typer.Exit(1)


def print_next(ev: Evaluation, day: dt.date) -> None:
    """The next steps, what is overdue, needs attention and is coming up; every command
    shown names the case folder when it is not the current one, to be run as it stands."""
    locator = FastLocator()  # libyaml's positions: no round-trip parse to place a line
    folder = ev.case.folder
    suffix = "" if folder.resolve() == Path.cwd().resolve() else " " + shlex.quote(str(folder))

    def run(command: str) -> str:
        return f"[dim]{escape(command + suffix)}[/]"

    soon = [due for due in ev.schedule.dues if due.upcoming and due.step is None]
    if not ev.next:
        if ev.closed:
            out.print("Nothing to do: the reunification episode is closed.")
        else:
            waiting = [s for s in ev.steps if s.state == "waiting" and not s.optional]
            out.print("No step can be recorded yet: what is overdue comes first (below)."
                      if ev.schedule.overdue else "No step can be recorded yet: what is coming up is below."
                      if ev.coming_up or soon else "Nothing can be done yet.")
            out.print(bullets([f"{escape(state.step.title)}: {escape('; '.join(state.waiting_on))}"
                               + "".join(f"\n  which still needs: {escape(_cause(cause))}" for cause in root_causes(state)[:3])
                               for state in waiting[:1] if not ev.coming_up]))
    else:
        out.print("[bold]Next[/]")
    for number, state in enumerate(ev.next, 1):
        due = due_text(state, day)
        out.print(f"{number}. [bold]{escape(state.step.title)}[/]" + (f"  {due}" if due else ""))
        out.print(f"   {escape(who_text(ev, state))}")
        if not state.who:
            out.print("   " + run(f"reunify team add NAME --role {state.step.role}"), soft_wrap=True)
        missing = report.located(list(state.missing), locator)
        shown: set[str] = set()
        if missing:
            out.print("   Still needed before it can be marked done:")
            lines = []
            for problem in missing:
                found = report.command_in(problem.hint)
                lines.append(f"{escape(problem.message)} [dim]({escape(problem.file.name)}:{problem.line})[/]"
                             + (f"\n{run(found)}" if found else ""))
                shown.add(found or "")
            out.print(bullets(lines, indent=3), soft_wrap=True)
        command = report.command_for(state)
        then = report.record_command(state)
        if command is not None and command not in shown:
            out.print("   " + run(command), soft_wrap=True)
        if then is not None and then not in shown and not _same_command(command, then):
            out.print("   [dim]then:[/] " + run(then), soft_wrap=True)
    if ev.more:
        out.print(f"   [dim]and {ev.more} more (reunify status)[/]")
    if ev.schedule.overdue:
        out.print("\n[bold red]Overdue[/]")
        out.print(bullets([due_line(due, day) + (f"\n{run(due.command)}" if due.command else "")
                           for due in ev.schedule.overdue]))
    attention = report.located(ev.attention, locator)
    if attention:
        out.print("\n[bold yellow]Needs attention[/]")
        out.print(bullets([f"{escape(p.message)} [dim]({escape(p.file.name)}:{p.line})[/]"
                           + (f"\n[dim]{escape(p.hint)}[/]" if p.hint else "") for p in attention]))
    if ev.coming_up or soon:
        out.print("\n[bold]Coming up[/]")
        out.print(bullets([
            escape(state.step.title) + ": "
            + (f"from {state.earliest.isoformat()}, " if state.earliest else "") + due_text(state, day)
            for state in ev.coming_up
        ] + [due_line(due, day) + (f"\n{run(due.command)}" if due.command else "") for due in soon]))
    errors = sum(1 for p in ev.problems if p.is_error)
    if errors:
        out.print(f"\n[red]{errors} error(s) in the records[/]: run 'reunify check' to see them.")


def _same_command(first: str | None, second: str) -> bool:
    """Whether two commands are the same command (one with its placeholders filled)."""
    return first is not None and first.split()[:3] == second.split()[:3]


def _cause(cause: str | Problem) -> str:
    return cause if isinstance(cause, str) else f"{cause.message} ({cause.file.name})"


KIND_TEXT = {"due": "due", "not_before": "not before", "until": "until"}


def due_line(due: Due, today: dt.date) -> str:
    """'What: due DATE (N days ago)' and, dimmed under it, the rule and its source."""
    when = f"{KIND_TEXT[due.kind]} {due.date.isoformat()} ({relative_day(due.date, today)})"
    if due.overdue:
        when = f"[red]{when}[/]"
    return f"{escape(due.what)}: {when}\n[dim]{escape(due.citation)}[/]"


STATE_TEXT = {
    "done": "[green]done[/]",
    "ready": "[bold]ready[/]",
    "waiting": "waiting",
    "not_applicable": "[dim]n/a[/]",
}


@app.command("status")
def status_command(
    case: CaseFolder = Path("."),
    today: Today = None,
    as_json: Json = False,
) -> None:
    """Every stage and step with its state, the risk history, key dates and deadlines."""
    day = resolve_today(today)
    if is_family_folder(case):
        _family_status(case, day, as_json)
        return
    ev = evaluation_or_exit(case, day, as_json)
    if as_json:
        print_json(ev.to_data())
        return
    print_header(ev)
    for number, stage in enumerate(ev.workflow.stages, 1):
        out.print(f"\n[bold]{number}. {escape(stage.title)}[/]")
        grid = rows("Step", "State", "When")
        for state in (s for s in ev.steps if s.stage.id == stage.id):
            title = escape(state.step.title) + (" [dim](optional)[/]" if state.optional else "")
            when = ""
            if state.done is not None:
                when = state.done.date.isoformat()
                if state.done.override:
                    when += f" [yellow]override: {escape(state.done.override)}[/]"
            elif state.state == "waiting":
                when = due_text(state, day) or "[dim]" + escape("; ".join(state.waiting_on)) + "[/]"
            elif state.state == "ready":
                when = due_text(state, day)
            elif state.reason:
                when = f"[dim]{escape(state.reason)}[/]"
            grid.add_row(title, STATE_TEXT[state.state], when)
        out.print(grid)
    history = ev.facts.risk_history
    out.print("\n[bold]Risk history[/]")
    if not history:
        out.print("No risk classification yet.")
    else:
        grid = rows("", "Date", "Level", "Confirmed")
        for item in history:
            by = ev.case.member(item.confirmed_by)
            confirmed = (f"{item.confirmed.isoformat()} by {by.id if by else 'someone not in the team'}"
                         if item.confirmed else "not yet")
            name = item.id if ev.workflow.classification(item.id) is not None else "unknown"
            grid.add_row(name, item.date.isoformat(), ev.workflow.level_label(item.level), escape(confirmed))
        out.print(grid)
    out.print("\n[bold]Key dates[/]")
    grid = rows("Date", "What")
    for label, happened in key_dates(ev.facts):
        grid.add_row(happened.isoformat(), escape(label))
    out.print(grid)
    if ev.schedule.dues:
        out.print("\n[bold]Deadlines[/]")
        grid = rows("Date", "What", "Rule and source")
        for due in ev.schedule.dues:
            when = f"{KIND_TEXT[due.kind]} {due.date.isoformat()}"
            grid.add_row(f"[red]{when}[/]" if due.overdue else when, escape(due.what), escape(due.citation))
        out.print(grid)
    overrides = [s for s in ev.steps if s.done is not None and s.done.override]
    if overrides:
        out.print("\n[bold yellow]Manager overrides[/]")
        for state in overrides:
            assert state.done is not None and state.done.override is not None
            out.print(f"- {escape(state.step.title)}: {state.done.date.isoformat()} by "
                      f"{escape(state.done.by)}: {escape(state.done.override)}")
    errors = [p for p in ev.problems if p.is_error]
    if errors:
        out.print(f"\n[red]{len(errors)} error(s) in the records[/]: run 'reunify check' to see them.")


def _family_status(folder: Path, day: dt.date, as_json: bool) -> None:
    """The family on one screen: each child's legal status, placement, risk, stage and next."""
    found = _family(folder, day)
    if as_json:
        print_json({"family": str(folder), "children": [
            ev.to_data() if ev is not None else
            {"case": str(child), "problems": [report.problem_data(p) for p in report.located(problems)]}
            for child, ev, problems in found]})
    else:
        grid = rows("Child", "Legal status · placement", "Risk", "Stage", "Next")
        title = folder.resolve().name
        for child, ev, _ in found:
            if ev is None:
                grid.add_row(escape(child.name), "", "", "[red]records cannot be read[/]",
                             f"reunify check {escape(str(child))}")
                continue
            summary = child_summary(ev.facts)
            name = summary.get("name", "the child") + (f", {summary['age']}" if "age" in summary else "")
            stage = (f"{ev.workflow.stages.index(ev.stage) + 1}. {ev.stage.title}"
                     if ev.stage is not None and not ev.closed
                     else ev.status[:1].upper() + ev.status[1:])
            then = "; ".join(state.step.title for state in ev.next) or "nothing now"
            if ev.schedule.overdue:
                then = f"[red]{len(ev.schedule.overdue)} overdue[/]; " + escape(then)
            else:
                then = escape(then)
            status = " · ".join(code or "not looked after" for code in (ev.facts.legal_status, ev.facts.placement))
            grid.add_row(escape(name), escape(status),
                         escape(summary["risk"]), escape(stage), then)
        out.print(f"[bold]Family {escape_line(title)}[/]: {len(found)} child{'ren' if len(found) != 1 else ''}")
        out.print(grid)
        out.print("[dim]Each child in full: reunify status FOLDER (a child's folder)[/]")
    if any(ev is None for _, ev, _ in found):
        raise typer.Exit(1)


@app.command("check")
def check_command(
    cases: Annotated[list[Path] | None, typer.Argument(
        help="Case folders, folders of cases, or files in cases (each case is checked once).",
        show_default=False)] = None,
    today: Today = None,
    as_json: Json = False,
) -> None:
    """Every problem in the records as path:line:col: severity: message. Exit 1 on errors."""
    day = resolve_today(today)
    checked = check_cases(cases or [Path(".")], day, _child_document_warnings)
    results, strays = checked.cases, checked.not_in_a_case
    summary = checked.to_data()
    if as_json:
        print_json(summary)
    else:
        for stray in strays:
            out.print(f"{escape_line(str(stray))}: note: not in a case folder (no case.yaml above it); not checked",
                      soft_wrap=True)
        for _, problems in results:
            print_problems(problems)
        counts = [f"{summary[k]} {k[:-1] if summary[k] == 1 else k}"
                  for k in ("errors", "warnings", "notes") if summary[k]]
        cases_text = f"{len(results)} case{'s' if len(results) != 1 else ''}"
        out.print(("\n" if strays or any(p for _, p in results) else "")
                  + (", ".join(counts) + f" in {cases_text}" if counts else f"{cases_text} checked: no problems"))
    if summary["errors"]:
        raise typer.Exit(1)


def _child_document_warnings(evaluation: Evaluation, day: dt.date) -> list[Problem]:
    """A document for the child that would name an adult who is a risk (as 'render' warns)."""
    from reunify.documents.context import Source
    from reunify.documents.for_child import child_document_warnings

    return child_document_warnings(Source(evaluation.case, evaluation.workflow, day))
