"""walkthrough: a sample case a stage at a time, as it stood on each stage's day (for trainers)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

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
from reunify.cli.console import table
from reunify.cli.read import STATE_TEXT
from reunify.cli.read import due_line
from reunify.cli.read import due_text
from reunify.cli.read import evaluation_or_exit
from reunify.cli.read import print_header
from reunify.cli.read import who_text
from reunify.core.errors import ReunifyError
from reunify.engine.states import NotApplicable

if TYPE_CHECKING:
    from reunify.teaching.walkthrough import StageView

PROMPT = "Press a key to go on, q to stop"
STOP_KEYS = ("q", "Q", "\x04", "")  # q, Ctrl-D, end of input
INTERRUPT = "\x03"  # Ctrl-C, which raw mode delivers as a key

DAY_IS_TEXT = {
    "last_step": "when the last step of this stage was done",
    "today": "today: the case is in this stage now",
    "ended": "when the case ended",
    "carried": "nothing was done in this stage: the day of the stage before",
}

Sample = Annotated[str, typer.Argument(
    show_default=False,
    help="A case folder, or a bundled sample case by number or name (06, 06-home-under-care-order).")]
StageNumber = Annotated[int | None, typer.Option("--stage", metavar="N", show_default=False,
                                                 help="Show only stage N.")]
NoPause = Annotated[bool, typer.Option("--no-pause",
                                       help="Print every stage without waiting for a key (slides, handouts).")]


@app.command("walkthrough")
def walkthrough_command(
    sample: Sample,
    today: Today = None,
    stage: StageNumber = None,
    no_pause: NoPause = False,
    as_json: Json = False,
) -> None:
    """Trainer's mode: a sample case a stage at a time, as it stood on each stage's day."""
    day = resolve_today(today)
    from reunify.teaching.samples import find_sample
    from reunify.teaching.walkthrough import load_notes
    from reunify.teaching.walkthrough import stage_days
    from reunify.teaching.walkthrough import view_stage
    from reunify.teaching.walkthrough import walkthrough_data

    folder = find_sample(sample)
    ev = evaluation_or_exit(folder, day, as_json)
    notes, problems = load_notes()
    if notes is None:
        out.print("The teaching notes cannot be read:\n")
        print_problems(problems)
        raise typer.Exit(1)
    days = stage_days(ev)
    total = len(ev.workflow.stages)
    numbers = list(range(1, len(days) + 1))
    if stage is not None:
        if not 1 <= stage <= total:
            raise ReunifyError(f"--stage: no stage {stage}; the workflow has stages 1 to {total}")
        if stage > len(days):
            reached = "only stage 1" if len(days) == 1 else f"stages 1 to {len(days)}"
            raise ReunifyError(f"--stage: the case has not reached stage {stage}; it has reached {reached}")
        numbers = [stage]
    if as_json:
        views = [view_stage(ev, days, number, notes) for number in numbers]
        print_json(walkthrough_data(ev.case, ev.workflow, day, views))
        return
    pause = not no_pause and len(numbers) > 1 and _on_terminal()
    reached = f"{len(days)} of {total} stage{'s' if total != 1 else ''} reached"
    out.print(f"[bold]Walkthrough of {escape(ev.case.case.reference)}[/]: {reached} by {day.isoformat()}")
    out.print("[dim]For training, use fictional or anonymised cases only.[/]")
    for index, number in enumerate(numbers):
        if index and pause and not _go_on():
            return
        out.print()
        _print_stage(view_stage(ev, days, number, notes))


def _print_stage(view: StageView) -> None:
    ev = view.evaluation
    day = view.day
    out.rule(f"[bold]{escape(view.stage.title)} (stage {view.place.number} of {view.of})[/]")
    out.print(f"The day: [bold]{day.isoformat()}[/], {DAY_IS_TEXT[view.place.day_is]}.")
    showed = "shows today" if view.place.day_is == "today" else f"showed on {day.isoformat()}"
    out.print(f"\n[dim]What 'reunify next' {showed}:[/]")
    print_header(ev)
    out.print()
    if ev.next:
        out.print("[bold]Next[/]")
        for number, state in enumerate(ev.next, 1):
            due = due_text(state, day)
            out.print(f"{number}. [bold]{escape(state.step.title)}[/]" + (f"  {due}" if due else ""))
            out.print(f"   {escape(who_text(ev, state))}")
    elif ev.closed:
        out.print("Nothing to do: the reunification episode is closed.")
    else:
        out.print("Nothing could be done yet.")
    if ev.coming_up:
        out.print("\n[bold]Coming up[/]")
        out.print(bullets([escape(state.step.title) + ": "
                           + (f"from {state.earliest.isoformat()}, " if state.earliest else "") + due_text(state, day)
                           for state in ev.coming_up]))
    if ev.schedule.overdue:
        out.print("\n[bold red]Overdue[/]")
        out.print(bullets([due_line(due, day) for due in ev.schedule.overdue]))
    if ev.attention:
        out.print("\n[bold yellow]Needs attention[/]")
        out.print(bullets([escape(p.message) + (f"\n[dim]{escape(p.hint)}[/]" if p.hint else "")
                           for p in ev.attention]))
    errors = sum(1 for p in ev.problems if p.is_error)
    if errors:
        out.print(f"[red]{errors} error(s) in the records as they stood[/]: run 'reunify check' on the case.")

    out.print(f"\n[bold]The steps of this stage on {day.isoformat()}[/]")
    grid = table("Step", "State", "When")
    for state in view.states():
        title = escape(state.step.title) + (" [dim](optional)[/]" if state.optional else "")
        when = ""
        if state.done is not None:
            when = state.done.date.isoformat()
        elif state.state in ("waiting", "ready"):
            when = due_text(state, day)
            if not when and state.waiting_on:
                when = "[dim]" + escape("; ".join(state.waiting_on)) + "[/]"
        elif state.not_applicable is NotApplicable.ENDED:
            when = "[dim]the case had ended[/]"
        elif state.reason:
            when = f"[dim]{escape(state.reason)}[/]"
        grid.add_row(title, STATE_TEXT[state.state], when)
    out.print(grid)

    out.print("\n[bold]Recorded in this stage[/]")
    if view.recorded:
        out.print(bullets([
            f"{item.date.isoformat()}  {escape(item.title)}" + (f": [bold]{escape(item.outcome)}[/]" if item.outcome else "")
            + (f" [dim]({escape(item.by)})[/]" if item.by else "") + (f"; {escape(item.approval)}" if item.approval else "")
            + (f"\n[dim]{escape(item.detail)}[/]" if item.detail else "")
            for item in view.recorded
        ]))
    else:
        out.print("Nothing yet.")
    if view.events:
        period = "Also recorded" + (f" since {view.since.isoformat()}" if view.since else "")
        out.print(f"\n[bold]{period}[/]")
        out.print(bullets([
            f"{event['date']}  {escape(event['title'])}" + (f": {escape(event['detail'])}" if event["detail"] else "")
            + (f" [dim]({escape(event['who'])})[/]" if event["who"] else "")
            for event in view.events
        ]))

    out.print(f"\n[bold]Framework documents by {day.isoformat()}[/]")
    if view.documents:
        out.print(bullets([escape(document.title) + (" [green](new in this stage)[/]" if document.new else "")
                           for document in view.documents]))
    else:
        out.print("None yet.")

    if view.note or view.step_notes:
        out.print("\n[bold]Why it matters[/]")
    if view.note:
        out.print(escape(view.note))
    if view.step_notes:
        out.print(bullets([f"[bold]{escape(note.title)}[/]: {escape(note.note)}" for note in view.step_notes]))


def _on_terminal() -> bool:
    """Waiting for a key makes sense only when someone is at a terminal, reading and typing."""
    if importlib.util.find_spec("termios") is None:  # not a POSIX system: no raw mode to read a key in
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _go_on() -> bool:
    """Show the prompt and wait for one key: False when it says stop."""
    out.file.flush()
    sys.stdout.write(PROMPT + " ")
    sys.stdout.flush()
    try:
        key = _read_key()
    finally:
        sys.stdout.write("\r\x1b[2K")  # the prompt goes once answered
        sys.stdout.flush()
    if key[:1] == INTERRUPT:
        raise KeyboardInterrupt
    return key[:1] not in STOP_KEYS


def _read_key() -> str:
    """One key press from the terminal, read in raw mode; the terminal's settings are restored."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        # Up to 32 bytes: an arrow key's escape sequence arrives at once and counts as one key.
        data = os.read(fd, 32)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return data.decode("utf-8", errors="replace")


@app.command("sample")
def sample_command(
    name: Annotated[str | None, typer.Argument(
        show_default=False, help="The sample by number or name (03, 03-medium-agreement-review).")] = None,
    dest: Annotated[Path | None, typer.Argument(
        show_default=False, help="A new or empty folder to copy it to.")] = None,
) -> None:
    """The bundled fictional sample cases: list them, or copy one to try the tool on."""
    from reunify.core.resources import SAMPLES
    from reunify.teaching.samples import copy_sample
    from reunify.teaching.samples import find_sample

    if name is None:
        grid = table("Sample", "What it shows")
        for folder in sorted(p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file()
                             or (p / "family.yaml").is_file()):
            readme = folder / "README.md"
            title = readme.read_text(encoding="utf-8").splitlines()[0].lstrip("# ") if readme.is_file() else ""
            grid.add_row(folder.name, escape(title.split(" - ", 1)[-1]))
        out.print(grid)
        out.print("Copy one with [bold]reunify sample NUMBER FOLDER[/]; every name in them is invented.")
        return
    if dest is None:
        raise ReunifyError("DEST is needed: the folder to copy the sample to")
    folder = find_sample(name, only_samples=True)
    copied = copy_sample(folder, dest)
    out.print(f"Copied the fictional sample {escape(folder.name)} to {escape_line(str(dest))} "
              f"({len(copied)} files, owner-only).")
    out.print(f"Next: [bold]reunify next {escape_line(str(dest))}[/]")
