"""history: who recorded what on a case and when, from the caseload's git log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reunify.cli.app import CaseFolder
from reunify.cli.app import Json
from reunify.cli.app import app
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import table
from reunify.records import find_case_folder
from reunify.records.family import is_family_folder

if TYPE_CHECKING:
    from reunify.practice import audit


def _what(change: audit.Change) -> str:
    return change.action if change.action else f"edited by hand: {change.subject}"


def _when(change: audit.Change) -> str:
    return change.date[:16].replace("T", " ")  # minutes, in the author's own time zone


@app.command("history")
def history_command(
    case: CaseFolder = Path("."),
    as_json: Json = False,
) -> None:
    """Who recorded what and when, newest first, from git (the caseload must be in git)."""
    if not is_family_folder(case):  # a family's history is every child's
        find_case_folder(case)
    from reunify.practice import history

    changes = history.history(case)
    pending = history.uncommitted(case)
    if as_json:
        print_json({
            "case": str(case),
            "commits": [{"commit": c.commit, "date": c.date, "author": c.author, "action": c.action,
                         "by": c.by, "by_hand": c.action is None, "subject": c.subject} for c in changes],
            "uncommitted": pending,
        })
        return
    if pending:
        out.print("Not committed: " + escape_line(", ".join(pending)), soft_wrap=True)
    if not changes:
        out.print("No commit touches this case yet.")
        return
    grid = table("When", "Commit", "Author", "What", "By")
    for change in changes:
        what = escape(_what(change))
        grid.add_row(_when(change), change.short, escape(change.author),
                     what if change.action else f"[dim]{what}[/]", escape(change.by or ""))
    out.print(grid)
