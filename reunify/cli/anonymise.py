"""anonymise: a copy of a case folder that is safe for training."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reunify.cli.app import Json
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import resolve_today
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out as stdout
from reunify.cli.console import print_json
from reunify.cli.console import table
from reunify.core.errors import ReunifyError

Source = Annotated[Path, typer.Argument(help="The case folder to copy.", show_default=False)]
Target = Annotated[Path, typer.Argument(show_default=False,
                                        help="A new or empty folder for the copy, outside the case folder.")]
Seed = Annotated[int | None, typer.Option("--seed", min=0, metavar="N", help=(
    "Make the copy reproducible: the same seed gives the same copy of the same case (default: a random one)."))]

LABELS = {
    "names": "name mentions",
    "ids": "ids renamed",
    "references": "case references",
    "addresses": "addresses and postcodes",
    "places": "place names",
    "phone_numbers": "phone numbers",
    "emails": "email addresses",
    "identity_numbers": "NHS and NI numbers",
    "dates_of_birth": "dates of birth in text",
}


@app.command("anonymise")
def anonymise_command(case: Source, out: Target, seed: Seed = None, today: Today = None,
                      as_json: Json = False) -> None:
    """Copy a case for training: names, ids, addresses, contact details and dates changed.

    The case must pass 'reunify check' on --today first. What the copy may still hold that
    nothing in the case explains (capitalised words, long numbers, ids) is listed for review.
    """
    from reunify.records.family import family_of
    from reunify.records.family import is_family_folder
    from reunify.teaching.anonymise import anonymise_case  # its patterns compile only when it is used

    if is_family_folder(case) or family_of(case) is not None:
        raise ReunifyError(f"{case}: a sibling group's records cannot be anonymised yet; anonymise a "
                           "single-child case")
    result = anonymise_case(case, out, seed, resolve_today(today))
    if as_json:
        print_json(result.data())
        return
    stdout.print(f"Anonymised copy written to [bold]{escape_line(str(result.out))}[/] as {escape(result.reference)}.")
    count = len(result.review)
    stdout.print(f"{count} item{'' if count == 1 else 's'} need{'s' if count == 1 else ''} review before the copy "
                 f"is used{' (listed below)' if count else ''}.")
    stdout.print(f"Every date moved {-result.shift_days} days earlier: {result.dates['fields']} in fields, "
                 f"{result.dates['in_text']} in text; {result.dates['replaced']} in text replaced by \\[date].")
    grid = table("Replaced", "Count")
    for kind, label in LABELS.items():
        grid.add_row(label, str(result.replaced[kind]))
    stdout.print(grid)
    stdout.print(f"Written: {escape(', '.join(result.written))}")
    stdout.print(f"Not copied: comments, and {result.not_copied} other file(s) or folder(s) (README, documents/).")
    if result.review:
        stdout.print("[bold]Review before the copy is used[/]: words and numbers nothing in the case explains, "
                     "as they are in the copy. Replace any that identify someone.")
        for item in result.review:
            stdout.print(f"  {escape_line(item.line())}", soft_wrap=True)
    stdout.print("[dim]Keep this report away from the copy: the shift it gives turns the dates back into the "
                 "real ones.[/]")
