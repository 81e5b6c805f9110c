"""timeline: the case's history in date order, under a chart of the risk level over time."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Annotated

import typer

from reunify.cli.app import CaseFolder
from reunify.cli.app import Json
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import table
from reunify.cli.read import evaluation_or_exit
from reunify.cli.read import print_header
from reunify.core.errors import ReunifyError
from reunify.engine.timeline import KINDS
from reunify.engine.timeline import Event
from reunify.engine.timeline import risk_over_time
from reunify.engine.timeline import select
from reunify.engine.timeline import timeline
from reunify.records.family import children_of
from reunify.records.family import is_family_folder
from reunify.records.validation import did_you_mean
from reunify.workflow import Workflow

CHART_WIDTH = 48
CHART_LEVELS = ("severe", "high", "medium", "low")  # top to bottom
LEVEL_COLOURS = {"low": "green", "medium": "yellow", "high": "red", "severe": "bright_magenta"}
MARK = "█"

Segments = list[tuple[dt.date, dt.date, str]]

Since = Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD",
                                           help="Only events on or after this day.")]
Kinds = Annotated[list[str] | None, typer.Option("--kind", metavar="KIND", show_default=False,
                                                 help="Only events of this kind (repeatable): " + ", ".join(KINDS))]
NoChronology = Annotated[bool, typer.Option("--no-chronology", help="Leave out chronology entries.")]


@app.command("timeline")
def timeline_command(
    case: CaseFolder = Path("."),
    today: Today = None,
    since: Since = None,
    kinds: Kinds = None,
    no_chronology: NoChronology = False,
    as_json: Json = False,
) -> None:
    """The case's history in date order, and the risk level over time as a chart."""
    day = resolve_today(today)
    wanted = _kinds(kinds or [], no_chronology)
    start = parse_date("--since", since) if since else None
    if is_family_folder(case):
        _family_timeline(case, day, start, wanted, as_json)
        return
    ev = evaluation_or_exit(case, day, as_json)
    events = select(timeline(ev.facts), since=start, kinds=wanted)
    segments = risk_over_time(ev.facts, day)
    if as_json:
        print_json({
            "case": str(case),
            "today": day.isoformat(),
            "events": [{"date": e.date.isoformat(), "kind": e.kind, "title": e.title, "detail": e.detail,
                        "who": e.who} for e in events],
            "risk": [{"from": begin.isoformat(), "to": end.isoformat(), "level": level,
                      "label": ev.workflow.level_label(level)} for begin, end, level in segments],
        })
        return
    print_header(ev)
    out.print("\n[bold]Risk over time[/]")
    if segments:
        _chart(segments, day, ev.workflow)
    else:
        out.print("No risk classification yet.")
    out.print("\n[bold]History[/]")
    if events:
        grid = table("Date", "What", "Details")
        for event in events:
            grid.add_row(event.date.isoformat(), escape(event.title), _details(event))
        out.print(grid)
    else:
        out.print("Nothing recorded" + (" that matches" if wanted or start else "") + ".")
    errors = sum(1 for p in ev.problems if p.is_error)
    if errors:
        out.print(f"\n[red]{errors} error(s) in the records[/]: run 'reunify check' to see them.")


def _family_timeline(folder: Path, day: dt.date, start: dt.date | None, wanted: set[str], as_json: bool) -> None:
    """The family's history: what the children share once, each child's own under the
    child's first name; then the risk over time of each child."""
    children = children_of(folder)
    if not children:
        raise ReunifyError(f"{folder}: the family has no child's folder yet (add one with 'reunify new')")
    evaluations = [evaluation_or_exit(child, day, as_json) for child in children]
    lists = [select(timeline(ev.facts), since=start, kinds=wanted) for ev in evaluations]
    merged: list[tuple[Event, str]] = []
    for ev, events in zip(evaluations, lists, strict=True):
        name = (ev.case.child.name.split()[0] if ev.case.child else ev.case.folder.name)
        for event in events:
            shared = len(lists) > 1 and all(event in other for other in lists)
            if shared and any(e == event for e, _ in merged):
                continue
            merged.append((event, "" if shared else name))
    merged.sort(key=lambda pair: (pair[0].date, KINDS.index(pair[0].kind)))
    if as_json:
        print_json({
            "family": str(folder), "today": day.isoformat(),
            "events": [{"date": e.date.isoformat(), "kind": e.kind, "title": e.title, "detail": e.detail,
                        "who": e.who, "child": name or None} for e, name in merged],
            "risk": {str(ev.case.folder.name): [
                {"from": b.isoformat(), "to": t.isoformat(), "level": lv, "label": ev.workflow.level_label(lv)}
                for b, t, lv in risk_over_time(ev.facts, day)] for ev in evaluations},
        })
        return
    out.print(f"[bold]Family {escape(folder.resolve().name)}[/]: {len(children)} child{'ren' if len(children) != 1 else ''}")
    for ev in evaluations:
        name = ev.case.child.name if ev.case.child else ev.case.folder.name
        out.print(f"\n[bold]Risk over time: {escape(name)}[/]")
        segments = risk_over_time(ev.facts, day)
        if segments:
            _chart(segments, day, ev.workflow)
        else:
            out.print("No risk classification yet.")
    out.print("\n[bold]History[/] [dim](what concerns one child is marked with the child's name)[/]")
    if merged:
        grid = table("Date", "Child", "What", "Details")
        for event, name in merged:
            grid.add_row(event.date.isoformat(), escape(name), escape(event.title), _details(event))
        out.print(grid)
    else:
        out.print("Nothing recorded" + (" that matches" if wanted or start else "") + ".")


def _kinds(kinds: list[str], no_chronology: bool) -> set[str]:
    """The kinds asked for; empty means all of them."""
    for kind in kinds:
        if kind not in KINDS:
            raise ReunifyError(f"--kind: unknown kind '{kind}'" + did_you_mean(kind, KINDS)
                               + "; kinds: " + ", ".join(KINDS))
    wanted = set(kinds)
    if no_chronology:
        wanted = (wanted or set(KINDS)) - {"chronology"}
    return wanted


def _details(event: Event) -> str:
    text = escape(event.detail)
    if event.who:
        who = ("present: " if event.kind == "meeting" else "by ") + escape(event.who)
        text += ("\n" if text else "") + f"[dim]{who}[/]"
    return text


def _chart(segments: Segments, today: dt.date, workflow: Workflow) -> None:
    """One row per level, a block in each column where that level was in force; dates under it.

    The columns span the first classification to `today`; a tick on the axis marks each
    column where another classification took effect.
    """
    start = segments[0][0]
    days = (today - start).days
    columns = [start + dt.timedelta(days=column * days // (CHART_WIDTH - 1)) for column in range(CHART_WIDTH)]
    in_force = [_segment_on(segments, day) for day in columns]
    labels = {level: workflow.level_label(level) for level in CHART_LEVELS}
    pad = max(len(label) for label in labels.values())
    for level in CHART_LEVELS:
        cells = ""
        for marked, run in itertools.groupby(segments[index][2] == level for index in in_force):
            width = len(list(run))
            cells += f"[{LEVEL_COLOURS[level]}]{MARK * width}[/]" if marked else " " * width
        out.print(f"{escape(labels[level].ljust(pad))} │{cells}")
    axis = "".join("┴" if column and in_force[column] != in_force[column - 1] else "─"
                   for column in range(CHART_WIDTH))
    out.print(" " * pad + " └" + axis)
    middle = start + dt.timedelta(days=days // 2)
    dates = [" "] * CHART_WIDTH
    for at, day in ((0, start), (CHART_WIDTH // 2 - 5, middle), (CHART_WIDTH - 10, today)):
        dates[at:at + 10] = day.isoformat()
    out.print(" " * (pad + 2) + "".join(dates))


def _segment_on(segments: Segments, day: dt.date) -> int:
    """The index of the classification in force on `day` (the first one before any)."""
    index = 0
    for number, (begin, _, _) in enumerate(segments):
        if begin <= day:
            index = number
    return index
