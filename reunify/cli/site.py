"""`reunify site`: the caseload, each case, the outcomes and each family as web pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import resolve_today
from reunify.cli.console import escape_line
from reunify.cli.console import out

if TYPE_CHECKING:
    from reunify.site.build import DocumentRenderer


def _render_documents(day: dt.date, jobs: int | None) -> DocumentRenderer:
    """What renders each case's Word documents into the site (the document stack is
    imported only here, when --documents asks for them)."""

    def render(where: Path, folders: list[Path]) -> dict[Path, tuple[Path, tuple[str, ...]]]:
        from reunify.cli.console import progress
        from reunify.core.memory import keep_freed_memory
        from reunify.documents.authority import Authorities
        from reunify.documents.batch import Job
        from reunify.documents.batch import render_many

        authorities = Authorities()
        targets = {folder: where / f".case-{number}" for number, folder in enumerate(folders)}
        work = [Job(folder, target, day, (), authorities.templates(folder), None, False,
                    authorities.letterhead(folder)) for folder, target in targets.items()]
        done: dict[Path, tuple[Path, tuple[str, ...]]] = {}
        keep_freed_memory()  # this process renders, then ends: what it frees is kept for its next picture
        with progress("Rendering documents", len(work)) as advance:
            for outcome in render_many(work, jobs):
                written = tuple(path.stem for path in outcome.written if path.parent == outcome.job.out)
                done[outcome.job.folder] = (outcome.job.out, written)
                advance()
        return {folder: found for folder, found in done.items() if found[0].is_dir()}

    return render


@app.command("site")
def site_command(
    site_out: Annotated[Path, typer.Option("--out", metavar="SITE", show_default=False, help=(
        "The folder to write the site to: new, empty, or a site written before (it is replaced whole)."))],
    folders: Annotated[list[Path] | None, typer.Argument(
        help="Folders holding case folders, at any depth (default: the current folder).", show_default=False)] = None,
    names: Annotated[bool, typer.Option("--names", help="Show children's names, not their initials.")] = False,
    documents: Annotated[bool, typer.Option(
        "--documents", help="Render each case's Word documents too, and link them from its page (slower).")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Processes to read cases with.")] = None,
    today: Today = None,
) -> None:
    """The caseload as web pages to open in a browser: the caseload, each case, the outcomes and each family."""
    from reunify.site.build import build_site

    day = resolve_today(today)
    site = build_site(folders or [Path(".")], site_out, day, names=names, jobs=jobs,
                      render_documents=_render_documents(day, jobs) if documents else None)
    pages = f"{site.pages} case page{'s' if site.pages != 1 else ''}"
    unreadable = f"; {site.unreadable} case{'s' if site.unreadable != 1 else ''} could not be read" \
        if site.unreadable else ""
    out.print(f"Site written to {escape_line(str(site_out))}/index.html: {pages}{unreadable}.", soft_wrap=True)
    if site.unreadable:
        raise typer.Exit(1)
