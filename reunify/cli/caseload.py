"""`reunify caseload`: every case under a folder on one screen, and the outcomes across them."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from reunify.cli.app import Json
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import resolve_today
from reunify.cli.console import escape
from reunify.cli.console import inert
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import table
from reunify.core.dates import relative_day
from reunify.core.errors import ReunifyError
from reunify.engine.due import UPCOMING_DAYS
from reunify.engine.states import CaseStatus
from reunify.practice.caseload import CaseRow
from reunify.practice.caseload import Outcomes
from reunify.practice.caseload import find_cases
from reunify.practice.caseload import outcomes
from reunify.practice.caseload import summarise_all
from reunify.workflow.kinds import LEVEL_NAMES

LEVEL_COLOUR = {"low": "green", "medium": "yellow", "high": "red", "severe": "bold red"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading '."""
    text = inert("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write_csv(header: list[str], rows: list[list[object]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _child(row: CaseRow, names: bool) -> str | None:
    return row.child if names else row.initials


def _matches_worker(row: CaseRow, worker: str) -> bool:
    wanted = worker.casefold()
    return any(wanted == member_id.casefold() or wanted in name.casefold() for member_id, name in row.team)


def _risk_filter(values: list[str]) -> set[str]:
    wanted = set()
    for value in values:
        key = value.strip().lower()
        if key not in LEVEL_NAMES:
            raise ReunifyError("--risk must be one of: " + ", ".join(LEVEL_NAMES))
        wanted.add(key)
    return wanted


CSV_COLUMNS = ["case", "reference", "child", "stage", "stage_title", "status", "risk_label", "next_action",
               "next_who", "next_due", "next_due_what", "overdue", "upcoming", "errors", "warnings"]


def _print_rows(rows: list[CaseRow], names: bool, today: dt.date) -> None:
    grid = table("Child", "Reference", "Stage", "Risk", "Next action (who)", "Next due", "Late")
    for column in (1, 2, 3, 5):
        grid.columns[column].no_wrap = True
    for row in rows:
        child = escape(_child(row, names) or "?")
        if row.unreadable:
            grid.add_row(child, escape(row.reference or row.folder.name), "", "",
                         f"[red]{escape(row.unreadable)}[/]", "", "")
            continue
        if row.stage:
            stage = f"{row.stage}/{row.stages}"
        else:
            stage = "closed" if row.case_status is CaseStatus.CLOSED else "ended"
        risk = f"[{LEVEL_COLOUR[row.risk]}]{escape(row.risk_label or '')}[/]" if row.risk else "[dim]none[/]"
        due = ""
        if row.next_due is not None:
            due = f"{row.next_due.isoformat()}\n{relative_day(row.next_due, today)}"
            if row.next_due < today:
                due = f"[red]{due}[/]"
            elif (row.next_due - today).days <= UPCOMING_DAYS:
                due = f"[yellow]{due}[/]\n[yellow]upcoming[/]"
        late = f"[bold red]{row.overdue}[/]" if row.overdue else "0"
        action = escape(row.next_action or "") + (f"\n[dim]{escape(row.next_who)}[/]" if row.next_who else "")
        if row.errors:
            action += f"\n[red]{row.errors} error{'s' if row.errors != 1 else ''} in the records[/]"
        grid.add_row(child, escape(row.reference or ""), stage, risk, action, due, late)
    out.print(grid)


def _print_outcomes(summary: Outcomes, stage_titles: list[str], today: dt.date) -> None:
    out.print(f"[bold]Outcomes across {summary.cases} case{'s' if summary.cases != 1 else ''}[/] "
              f"(on {today.isoformat()})\n")
    grid = table("", "Cases")
    for number, title in enumerate(stage_titles, 1):
        grid.add_row(f"Reached stage {number}: {escape(title)}", str(summary.reached.get(number, 0)))
    grid.add_row("Returned home", str(summary.returns))
    for months, (home, of) in ((6, summary.home_6), (12, summary.home_12)):
        grid.add_row(f"Still home {months} months after the return",
                     f"{home} of {of}" if of else "none home that long yet")
    grid.add_row("Decided not to pursue reunification", str(summary.not_pursued))
    grid.add_row("Alternative permanence planned", str(summary.permanence))
    grid.add_row("Ended part way", str(sum(summary.exits.values())))
    for reason, count in summary.exits.items():
        grid.add_row(f"  {escape(reason)}", str(count))
    out.print(grid)
    days = summary.days_d1_to_return
    if days:
        out.print(f"\nDecision 1 to return home: median {summary.median_days:.0f} days "
                  f"(shortest {days[0]}, longest {days[-1]}; {len(days)} case{'s' if len(days) != 1 else ''})")


MONITORING_COLUMNS = ["case", "reference", "child", "stage_reached", "decision_1", "decision_1_outcome", "rc1",
                      "decision_2_outcome", "rc2", "decision_3", "decision_3_outcome", "path", "returned_home",
                      "return_ended", "home_at_6_months", "home_at_12_months", "days_decision_1_to_return", "rc3",
                      "ended_part_way", "exit_reason", "closed"]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _monitoring_row(row: CaseRow, names: bool) -> list[object]:
    o = row.outcome
    return [str(row.folder), row.reference, _child(row, names), o.stage_reached, _day(o.d1), o.d1_outcome, o.rc1,
            o.d2_outcome, o.rc2, _day(o.d3), o.d3_outcome, o.path, _day(o.returned), _day(o.return_ended),
            _yes_no(o.home_6_months), _yes_no(o.home_12_months), o.days_d1_to_return, o.rc3,
            _day(o.exit_date), o.exit_reason, _day(o.closed)]


@app.command("caseload")
def caseload_command(
    folders: Annotated[list[Path] | None, typer.Argument(
        help="Folders holding case folders, at any depth (default: the current folder).", show_default=False)] = None,
    names: Annotated[bool, typer.Option("--names", help="Show children's names, not their initials.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases with something overdue.")] = False,
    worker: Annotated[list[str] | None, typer.Option(
        "--worker", help="Only cases with this team member (id, or part of the name; repeatable).")] = None,
    risk: Annotated[list[str] | None, typer.Option(
        "--risk", help="Only cases at this risk level: low, medium, high or severe (repeatable).")] = None,
    show_outcomes: Annotated[bool, typer.Option(
        "--outcomes", help="Outcomes across the cases; with --csv, the monitoring-form data.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (safe to open in a spreadsheet).")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Processes to read cases with.")] = None,
    today: Today = None,
    as_json: Json = False,
) -> None:
    """Every case under a folder on one screen, what needs attention first at the top."""
    day = resolve_today(today)
    if as_csv and as_json:
        raise ReunifyError("--csv and --json: choose one")
    wanted_risk = _risk_filter(risk or [])
    found = find_cases(folders or [Path(".")])
    if not found:
        raise ReunifyError("no case folders found (a case folder holds case.yaml)")
    rows = sorted(summarise_all(found, day, jobs), key=CaseRow.attention_key)
    # A case that cannot be read is never filtered out: nothing is known to filter it by.
    if overdue:
        rows = [row for row in rows if row.overdue or row.unreadable]
    if worker:
        rows = [row for row in rows if row.unreadable or any(_matches_worker(row, w) for w in worker)]
    if wanted_risk:
        rows = [row for row in rows if row.unreadable or row.risk in wanted_risk]
    if show_outcomes:
        _outcomes(rows, names, day, as_csv, as_json, found[0])
    elif as_json:
        print_json({"today": day.isoformat(), "cases": [row.to_data(names) for row in rows]})
    elif as_csv:
        _write_csv(CSV_COLUMNS, [[row.to_data(names)[c] for c in CSV_COLUMNS] for row in rows])
    else:
        _print_caseload(rows, names, day, len(found))
    if any(row.unreadable for row in rows):
        raise typer.Exit(1)


def _print_caseload(rows: list[CaseRow], names: bool, day: dt.date, total: int) -> None:
    if not rows:
        out.print(f"No cases match ({total} case{'s' if total != 1 else ''} looked at).")
        return
    _print_rows(rows, names, day)
    late = sum(1 for row in rows if row.overdue)
    soon = sum(1 for row in rows if not row.overdue and row.upcoming)
    broken = sum(1 for row in rows if row.unreadable)
    parts = [f"{len(rows)} case{'s' if len(rows) != 1 else ''}", f"{late} with something overdue",
             f"{soon} with something due within {UPCOMING_DAYS} days"]
    if broken:
        parts.append(f"[red]{broken} that cannot be read[/] (run 'reunify check' on them)")
    out.print("\n" + ", ".join(parts))


def _outcomes(rows: list[CaseRow], names: bool, day: dt.date, as_csv: bool, as_json: bool, where: Path) -> None:
    from reunify.practice.in_force import workflow_in_force

    workflow, _, _ = workflow_in_force(where)  # the stage titles of the caseload's workflow
    titles = [stage.title for stage in workflow.stages] if workflow else []
    stages = max([len(titles)] + [row.stages or 0 for row in rows])
    summary = outcomes(rows, stages)
    if as_csv:
        _write_csv(MONITORING_COLUMNS, [_monitoring_row(row, names) for row in rows if not row.unreadable])
    elif as_json:
        print_json({
            "today": day.isoformat(),
            "cases": summary.cases,
            "reached": {str(k): v for k, v in summary.reached.items()},
            "returned_home": summary.returns,
            "home_at_6_months": {"home": summary.home_6[0], "of": summary.home_6[1]},
            "home_at_12_months": {"home": summary.home_12[0], "of": summary.home_12[1]},
            "not_pursued": summary.not_pursued,
            "permanence": summary.permanence,
            "ended_part_way": summary.exits,
            "days_decision_1_to_return": summary.days_d1_to_return,
            "median_days_decision_1_to_return": summary.median_days,
            "monitoring": [dict(zip(MONITORING_COLUMNS, _monitoring_row(row, names), strict=True))
                           for row in rows if not row.unreadable],
        })
    else:
        _print_outcomes(summary, titles, day)
