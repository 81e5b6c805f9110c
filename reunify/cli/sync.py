"""sync, share and merge-driver: a team on one caseload, shared through a git remote."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import Json
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import resolve_today
from reunify.cli.console import bullets
from reunify.cli.console import err
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import print_problems
from reunify.core.errors import ReunifyError
from reunify.core.problems import Severity

if TYPE_CHECKING:
    from reunify.sync.run import SyncResult

Caseload = Annotated[Path, typer.Argument(help="The caseload folder, or any folder in it (default: the current "
                                                "folder).", show_default=False)]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


@app.command("sync")
def sync_command(
    folder: Caseload = Path("."),
    remote: Annotated[str | None, typer.Option("--remote", help="The remote to sync with (default: the branch's "
                                                                "upstream, else origin).")] = None,
    today: Today = None,
    as_json: Json = False,
) -> None:
    """Share the caseload: commit what is recorded, pull (records merged by meaning), check, push."""
    day = resolve_today(today)
    from reunify.sync.run import Status
    from reunify.sync.run import sync

    result = sync(folder, day, remote)
    if as_json:
        print_json(result.to_data())
    else:
        _show(result)
    if result.status in (Status.CLASH, Status.ERRORS, Status.REFUSED):
        raise typer.Exit(1)


def _show(result: SyncResult) -> None:
    from reunify.sync.run import Status

    where = escape_line(f"{result.remote}/{result.branch}")
    if result.committed:
        out.print(f"Committed {_plural(len(result.committed), 'file')} not committed before.")
    if result.left:
        out.print("Not shared (not records; 'git add' them to share them): "
                  + escape_line(", ".join(result.left)), soft_wrap=True)
    if result.received:
        merged = [f"{_plural(len(result.by_meaning), 'record file')} entry by entry"] if result.by_meaning else []
        merged += [f"{_plural(len(result.as_text), 'other file')} line by line"] if result.as_text else []
        out.print(f"Received {_plural(result.received, 'commit')} from {where} ("
                  + escape_line(", ".join(result.authors)) + ")"
                  + (f"; merged what changed on both sides: {' and '.join(merged)}" if merged else "") + ".",
                  soft_wrap=True)
    if result.status is Status.CLASH:
        print_problems(result.problems)
        out.print(f"\n[red]Not merged[/]: {_plural(len(result.problems), 'clash')} between this clone and "
                  f"{where}. This clone is as it was, and nothing was pushed; everything recorded here is "
                  "committed.", soft_wrap=True)
        out.print("To settle it: agree with whoever recorded the other change which is right, make the field "
                  f"here the same as on the remote ('git show {where}:FILE' shows it), sync, then record any "
                  "correction.", soft_wrap=True)
        return
    errors = [p for p in result.problems if p.is_error]
    if result.checked:
        counts = [_plural(sum(1 for p in result.problems if p.severity == kind), str(kind))
                  for kind in (Severity.WARNING, Severity.NOTE) if any(p.severity == kind for p in result.problems)]
        out.print(f"Checked {_plural(len(result.checked), 'case')} that changed: "
                  + (_plural(len(errors), "error") if errors else "no errors")
                  + (f", {' and '.join(counts)} (reunify check shows them)" if counts else "") + ".")
    if result.status is Status.ERRORS:
        print_problems(errors)
        out.print("\n[red]Not pushed[/]: the records above have errors. Fix them (each recorded here and "
                  "there is kept), then run reunify sync again.")
    elif result.status is Status.REFUSED:
        out.print(f"\n[red]Not pushed[/]: {where} refused the push. It said:")
        out.print(bullets([escape(line) for line in result.remote_said] or ["(nothing)"]))
        out.print("Everything is committed here; run reunify sync again once it is settled.")
    elif result.pushed:
        out.print(f"Pushed {_plural(result.pushed, 'commit')} to {where}.")
    else:
        out.print(f"Up to date with {where}.")


@app.command("share")
def share_command(
    folder: Caseload = Path("."),
    remote_url: Annotated[str | None, typer.Option("--remote", metavar="URL",
                                                   help="The caseload's shared repository, added as a remote.")]
    = None,
    name: Annotated[str, typer.Option("--name", help="The remote's name.")] = "origin",
) -> None:
    """Set up a caseload in git to be shared: records merged by meaning, and its remote."""
    from reunify.sync.git import Repository
    from reunify.sync.setup import share

    try:
        repository = Repository(folder)
    except ReunifyError as exc:
        why = "" if str(exc) == "not a git repository" else f" ({exc})"
        raise ReunifyError(f"{folder}: not in a git repository{why}; 'reunify init' makes a caseload that "
                           "is one") from None
    done = share(repository, remote_url, name)
    for line in done:
        out.print(escape(line), soft_wrap=True)
    out.print("Next: [bold]reunify sync[/] (colleagues: git clone URL FOLDER, then reunify share FOLDER).")


@app.command("merge-driver", hidden=True)
def merge_driver_command(
    base: Annotated[Path, typer.Argument()],
    ours: Annotated[Path, typer.Argument()],
    theirs: Annotated[Path, typer.Argument()],
    shown: Annotated[str | None, typer.Argument()] = None,
) -> None:
    """What git runs to merge a record file (%O %A %B %P): 0 merged, 1 a conflict left in %A."""
    from reunify.sync.driver import run_driver

    result = run_driver(base, ours, theirs, shown)
    for problem in result.clashes:
        err.print(f"reunify: {escape_line(str(problem.file))}:{problem.line}:{problem.column}: clash: "
                  f"{escape_line(problem.message)}", soft_wrap=True)
    if not result.merged:
        if result.clashes:
            err.print("reunify: both versions are left in the file between git's conflict markers: keep what "
                      "is right, then commit", soft_wrap=True)
        raise typer.Exit(1)
