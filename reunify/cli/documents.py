"""Document commands: render, render --list, genogram. The document stack loads lazily."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import Json
from reunify.cli.app import Today
from reunify.cli.app import app
from reunify.cli.app import parse_date
from reunify.cli.app import resolve_today
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import print_problems
from reunify.cli.console import progress
from reunify.cli.console import table
from reunify.core.errors import CaseError
from reunify.core.errors import ReunifyError
from reunify.core.files import UnsafeFile
from reunify.engine import report
from reunify.records import case_folders
from reunify.records import find_case_folder
from reunify.records.family import children_of
from reunify.records.family import is_family_folder

if TYPE_CHECKING:
    from reunify.documents.batch import CaseRendering
    from reunify.documents.context import Letterhead

Cases = Annotated[list[Path] | None, typer.Argument(help="Case folders, or folders of cases (default: this one).",
                                                   show_default=False)]
Out = Annotated[Path | None, typer.Option("--out", metavar="DIR", help=(
    "Where to write (default: each case's documents/ folder). With several cases, each gets "
    "a folder of its own inside DIR."))]
Templates = Annotated[Path | None, typer.Option("--templates", metavar="DIR", help=(
    "An authority's templates: a file here replaces the bundled template of the same name."))]


def _templates(folder: Path | None) -> Path | None:
    if folder is not None and not folder.is_dir():
        raise ReunifyError(f"--templates: {folder}: no such folder")
    return folder


def _documents_folder(case: Path) -> Path:
    """The case's own documents folder: never a link, which would send documents elsewhere."""
    from reunify.documents.render import OUTPUT_FOLDER

    folder = case / OUTPUT_FOLDER
    if folder.is_symlink():
        raise UnsafeFile(f"{folder}: is a symbolic link; documents are written only into the case folder "
                         "(or give --out)")
    return folder


def _outputs(folders: list[Path], out_dir: Path | None) -> list[Path]:
    """Where each case's documents go. Names come from folder names, made safe, never from data."""
    from reunify.documents.render import safe_name

    if out_dir is None:
        return [_documents_folder(folder) for folder in folders]
    if len(folders) == 1:
        return [out_dir]
    taken: set[str] = set()
    outputs = []
    for folder in folders:
        name = base = safe_name(folder.resolve().name)
        number = 2
        # Compared casefolded: on Windows and macOS 'Maisie' and 'maisie' are one folder.
        while name.casefold() in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name.casefold())
        outputs.append(out_dir / name)
    return outputs


@app.command("render")
def render_command(
    cases: Cases = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", metavar="NAME",
                                                  help="A document to render (repeat for more; default: all).")] = None,
    out_dir: Out = None,
    templates: Templates = None,
    list_only: Annotated[bool, typer.Option("--list", help="Show the documents and which can be rendered now.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Cases rendered at once (default: one per CPU).")]
    = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD",
        help="Render the records as they stood on this day (later records left out). A signed document "
             "(the assessment, the risk classification) always shows the day it was signed.")] = None,
    issue: Annotated[bool, typer.Option(
        "--issue", help="Also keep each signed document in documents/issued/ as the record of what was issued "
                        "(never replaced); --list says whether a kept one still matches the records.")] = False,
    today: Today = None,
    as_json: Json = False,
) -> None:
    """Render the framework's Word documents, pre-filled from the records, each as of its
    day: a signed one as it was signed, the rest as DRAFT with a version. Exit 1 if any case failed."""
    from reunify.core.memory import keep_freed_memory
    from reunify.documents.authority import Authorities
    from reunify.documents.batch import Job
    from reunify.documents.batch import render_many
    from reunify.documents.render import unknown_documents

    day = resolve_today(today)
    on = parse_date("--as-of", as_of) if as_of else None
    if on is not None and on > day:
        raise ReunifyError(f"--as-of {on.isoformat()} is in the future (today is {day.isoformat()})")
    wanted = list(doc or [])
    unknown_documents(wanted)
    folders = case_folders(cases or [Path(".")])
    template_dir = _templates(templates)
    authorities = Authorities()
    templates_for, letterhead_for = authorities.templates, authorities.letterhead
    if list_only:
        _list(folders, wanted, templates_for(folders[0], template_dir) if folders else None, day, as_json, on,
              _outputs(folders, out_dir), [letterhead_for(folder) for folder in folders])
        return
    jobs_to_run = [Job(folder, target, day, tuple(wanted), templates_for(folder, template_dir), on, issue,
                       letterhead_for(folder))
                   for folder, target in zip(folders, _outputs(folders, out_dir), strict=True)]
    outcomes = []
    keep_freed_memory()  # this process renders, then ends: what it frees is kept for its next picture
    with progress("Rendering", len(jobs_to_run)) as advance:
        for outcome in render_many(jobs_to_run, jobs):
            outcomes.append(outcome)
            advance()
    outcomes.sort(key=lambda o: str(o.job.folder))
    failed = [o for o in outcomes if o.failed]
    if as_json:
        print_json({"cases": [o.to_data() for o in outcomes], "failed": len(failed)})
    else:
        _summary(outcomes, explain=len(outcomes) == 1)
    if failed:
        raise typer.Exit(1)


def _summary(outcomes: list[CaseRendering], explain: bool) -> None:
    grid = table("Case", "Written", "Held back", "Result")
    for o in outcomes:
        result = ("[red]failed[/]" if o.failed else "ok")
        grid.add_row(escape_line(str(o.job.folder)), str(len(o.written)), str(len(o.held_back)), result)
    if not explain:
        out.print(grid)
    for o in outcomes:
        if explain and o.written:
            out.print(f"Wrote {len(o.written)} document{'s' if len(o.written) != 1 else ''} to "
                      f"{escape_line(str(o.job.out))}:", soft_wrap=True)
            for path in o.written:
                out.print(f"  {escape(path.name)}")
        if o.error:
            out.print(f"[red]{escape_line(str(o.job.folder))}: {escape(o.error)}[/]", soft_wrap=True)
        if o.problems:
            out.print(f"{escape_line(str(o.job.folder))}: the records cannot be read until these are fixed:")
            print_problems(o.problems, indent="  ")
        for item in o.warned:  # written, but the reader must see this: shown for every case
            where = "" if explain else f"{escape_line(str(o.job.folder))}: "
            out.print(f"{where}{escape(item.document)}.docx:", soft_wrap=True)
            print_problems(list(item.warnings), indent="  ")
        if explain and o.held_back:
            out.print("Not rendered yet:")
            for item in o.held_back:
                out.print(f"  {escape(item.document)}:")
                print_problems(list(item.problems), indent="    ")
        if explain and o.not_applying:  # not a problem: the workflow says they are not for this child
            out.print("Not for this child:")
            for item in o.not_applying:
                why = item.problems[0].message if item.problems else ""
                out.print(f"  {escape(item.document)}: {escape(why)}", soft_wrap=True)
    failed = sum(1 for o in outcomes if o.failed)
    if len(outcomes) > 1:
        written = sum(len(o.written) for o in outcomes)
        out.print(f"\n{written} documents from {len(outcomes)} cases"
                  + (f"; [red]{failed} case{'s' if failed != 1 else ''} failed[/]" if failed else ""))


def _list(folders: list[Path], wanted: list[str], templates: Path | None, day: dt.date, as_json: bool,
          as_of: dt.date | None = None, outputs: list[Path] | None = None,
          letterheads: list[Letterhead | None] | None = None) -> None:
    from reunify.documents.render import case_documents
    from reunify.documents.render import issued_documents
    from reunify.documents.render import template_path

    results = [case_documents(folder, day, wanted or None, as_of=as_of, letterhead=letterhead)
               for folder, letterhead in zip(folders, letterheads or [None] * len(folders), strict=True)]
    issued = [issued_documents(result, out) for result, out in zip(results, outputs or [], strict=False)]

    def readable(document: str) -> bool:  # a document is not ready if its template cannot be read
        path = template_path(document, templates)
        return path.is_file() and os.access(path, os.R_OK)

    if as_json:
        print_json({"cases": [{
            "case": str(r.folder),
            "problems": [report.problem_data(p) for p in r.problems],
            "documents": [{"document": a.document, "title": a.title, "ready": a.ready and readable(a.document),
                           "template": str(template_path(a.document, templates)),
                           "template_readable": readable(a.document),
                           "problems": [report.problem_data(p) for p in a.problems]} for a in r.available],
            "issued": [{"document": i.document, "file": str(i.path), "signed": i.day.isoformat(),
                        "matches": i.matches} for i in kept],
        } for r, kept in zip(results, issued or [[] for _ in results], strict=False)]})
        return
    for index, result in enumerate(results):
        if index:
            out.print()
        out.print(f"[bold]{escape_line(str(result.folder))}[/]")
        if result.problems:
            out.print("The case records cannot be read until these are fixed:")
            print_problems(result.problems, indent="  ")
            continue
        grid = table("Document", "Now", *(["Template"] if templates else []))
        for item in result.available:
            first = item.problems[0].message if item.problems else ""
            now = ("[green]ready[/]" if item.ready else f"[dim]n/a[/]: {escape(first.removeprefix('it '))}"
                   if not item.applies else f"[yellow]not yet[/]: {escape(first)}")
            if not readable(item.document):
                now = "[red]cannot read its template[/]"
            source = ["authority" if template_path(item.document, templates).parent == templates else "bundled"]
            grid.add_row(escape(item.document), now, *(source if templates else []))
        out.print(grid)
        for kept in issued[index] if index < len(issued) else []:
            state = ("matches the records" if kept.matches else
                     f"[red]no longer matches the records as they stood on {kept.day.isoformat()}[/]: a record "
                     "of that day was changed since it was issued")
            out.print(f"Issued: {escape_line(kept.path.name)}: {state}", soft_wrap=True)


@app.command("genogram")
def genogram_command(
    case: Annotated[Path, typer.Argument(help="The case folder (default: the current folder).",
                                         show_default=False)] = Path("."),
    out_dir: Out = None,
    today: Today = None,
) -> None:
    """Draw the genogram from people.yaml: genogram.png (for Word) and genogram.svg (for the screen)."""
    from reunify.documents.genogram import write_genogram
    from reunify.records import load_case

    day = resolve_today(today)
    family = case if is_family_folder(case) else None
    # A sibling group has one genogram: drawn from any child's case, every child marked.
    folder = find_case_folder(next(iter(children_of(case)), case) if family is not None else case)
    loaded, problems = load_case(folder)
    if loaded is None:
        out.print("The case records cannot be read until these are fixed:\n")
        print_problems(report.located(problems))
        raise typer.Exit(1)
    if len(loaded.people.people) == 0:
        raise CaseError(f"{folder / 'people.yaml'}: no people are recorded yet")
    for path in write_genogram(loaded, day, out_dir or _documents_folder(family or folder)):
        out.print(f"Wrote {escape_line(str(path))}", soft_wrap=True)
