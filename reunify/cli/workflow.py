"""Local adaptation: `init`, `workflow show|check|diff`, and `fidelity`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated
from typing import Any

import typer

from reunify.cli.app import Json
from reunify.cli.app import app
from reunify.cli.console import bullets
from reunify.cli.console import escape
from reunify.cli.console import escape_line
from reunify.cli.console import inert
from reunify.cli.console import out
from reunify.cli.console import print_json
from reunify.cli.console import print_problems
from reunify.cli.console import table
from reunify.core.errors import ReunifyError
from reunify.core.files import DIR_MODE
from reunify.core.files import make_private_folder
from reunify.core.problems import Problem
from reunify.core.yamlio import write_new_file
from reunify.engine import report
from reunify.engine.gates import gate_args
from reunify.practice.in_force import workflow_in_force
from reunify.practice.profile import PROFILE_FILE
from reunify.workflow import Workflow
from reunify.workflow import load_workflow
from reunify.workflow.load import REFERENCE

if TYPE_CHECKING:
    from reunify.practice.fidelity import Fidelity

workflow_app = typer.Typer(help="The workflow in force: show it, check a local workflow, compare it with the reference.",
                           no_args_is_help=True, rich_markup_mode=None)
app.add_typer(workflow_app, name="workflow")

Folder = Annotated[Path, typer.Argument(help="A caseload folder, or a case in it (default: the current folder).",
                                        show_default=False)]

PROFILE_TEXT = """\
# reunify caseload profile. Commands run on any case below this folder use it.
#
# workflow: the workflow every case here follows: 'reference' (the framework as
#   published), or a local workflow file, relative to this file, that extends it.
#   'reunify workflow check FILE' validates one; 'reunify fidelity' shows what it
#   gives up. A local workflow looks like:
#
#     extends: reference
#     title: Our reunification workflow
#     roles: {qaro: {title: Independent reviewing officer}}
#     steps:
#       planning_review: {due: within 3 months of planning_meeting}
#     add:
#       - {stage: agreement, id: network_meeting, title: Family network meeting,
#          role: social_worker, after: [planning_meeting]}
workflow: reference

# Local labels for the four risk levels and for roles, shown everywhere.
labels:
  levels: {}      # e.g. {severe: Very high}
  roles: {}       # e.g. {qaro: Independent reviewing officer}

# templates: a folder of Word templates that replace the bundled ones of the same name.
# templates: templates

# git: recording commands commit what they write, naming the case, what was recorded
# and who (--commit/--no-commit on each command overrides this). 'reunify init' sets
# it to true when it makes the caseload a git repository.
git:
  commit: {commit}
"""

GITIGNORE = """\
# Rendered documents are made from the records: keep them out of the repository.
documents/
*.docx
*.pdf
# A write interrupted by a process killed outright (the next recording removes it)
.*.reunify-*.tmp
# Editor and system files
*.swp
.DS_Store
"""


@app.command("init")
def init_command(
    folder: Annotated[Path, typer.Argument(help="The caseload folder to create (or an empty one).")],
    git: Annotated[bool, typer.Option("--git/--no-git", help="Make it a git repository (when git is installed).")]
    = True,
) -> None:
    """Start a caseload folder: a commented reunify.yaml profile, a .gitignore, and git."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReunifyError(f"{folder}: already exists and is not an empty folder")
    try:
        make_private_folder(folder)  # and any folder above it that it needs, owner-only
        os.chmod(folder, DIR_MODE)
        write_new_file(folder / ".gitignore", GITIGNORE)
        repository = _git_init(folder) if git else False
        if repository:  # case records merged by meaning when the caseload is shared (reunify sync)
            from reunify.sync.setup import set_up_driver

            set_up_driver(folder)
        write_new_file(folder / PROFILE_FILE, PROFILE_TEXT.replace("{commit}", "true" if repository else "false"))
    except OSError as exc:
        raise ReunifyError(f"{folder}: cannot create the caseload ({(exc.strerror or 'error').lower()})") from None
    out.print(f"Created the caseload {escape_line(str(folder))} with {PROFILE_FILE} and .gitignore (owner-only).")
    if repository:
        out.print("Made it a git repository: recording commands commit what they write (git.commit in "
                  f"{PROFILE_FILE}); case records are merged by meaning when it is shared (.gitattributes; "
                  "reunify share, reunify sync).")
        if not _git_identity(folder):
            out.print("[yellow]git has no user.name and user.email here: set them (git config) so that "
                      "commits can be made.[/]")
    elif git:
        out.print("git is not installed or could not start a repository: recordings are not committed.")
    out.print(f"Next: [bold]reunify new {escape_line(str(folder / 'CASE'))}[/]")


def _git_init(folder: Path) -> bool:
    git_command = shutil.which("git")
    if git_command is None:
        return False
    # The repository holds every record too: owner-only, whatever the umask.
    done = subprocess.run([git_command, "init", "-q", "--", str(folder)], capture_output=True, text=True,
                          check=False, timeout=30, preexec_fn=lambda: os.umask(0o077))
    return done.returncode == 0


def _git_identity(folder: Path) -> bool:
    """Whether git knows who commits here (as 'git commit' would need)."""
    git_command = shutil.which("git") or "git"
    found = subprocess.run([git_command, "-C", str(folder), "var", "GIT_COMMITTER_IDENT"], capture_output=True,
                           text=True, check=False, timeout=30)
    return found.returncode == 0


def _in_force(folder: Path) -> tuple[Workflow, Path]:
    workflow, _, path = _in_force_with_warnings(folder)
    return workflow, path


def _in_force_with_warnings(folder: Path) -> tuple[Workflow, list[Problem], Path]:
    if not folder.exists():
        raise ReunifyError(f"{folder}: no such folder")
    workflow, problems, path = workflow_in_force(folder)
    if workflow is None:
        print_problems(report.located(problems))
        raise typer.Exit(1)
    return workflow, report.located(problems), path


@workflow_app.command("show")
def show_command(
    folder: Folder = Path("."),
    mermaid: Annotated[bool, typer.Option("--mermaid", help="Print a Mermaid flowchart of the stages, steps and "
                                          "paths instead.")] = False,
    as_json: Json = False,
) -> None:
    """The workflow in force, step by step: who, what, path, order, gates, conditions, deadlines."""
    workflow, warnings, path = _in_force_with_warnings(folder)
    if mermaid:
        from reunify.workflow.mermaid import flowchart

        sys.stdout.write(inert(flowchart(workflow)))
        return
    from reunify.workflow.outline import outline

    if as_json:
        print_json({"file": str(path), "id": workflow.id, "title": workflow.title,
                    "problems": [report.problem_data(p) for p in warnings],
                    **outline(workflow),
                    "roles": {k: v.title for k, v in workflow.roles.items()},
                    "risk_levels": {k: v.label for k, v in workflow.risk_levels.items()},
                    "risk_factors": {k: dict(v.factors) for k, v in workflow.risk_levels.items()},
                    "assessment_domains": {k: d.dump() for k, d in workflow.assessment_domains.items()},
                    "cautionary_factors": {k: f.dump() for k, f in workflow.cautionary_factors.items()},
                    "rules": workflow.rules.dump()})
        return
    from reunify.cli.outline import print_outline

    print_problems(warnings)
    out.print(f"[bold]{escape(workflow.title)}[/] [dim]({escape_line(str(path))})[/]")
    print_outline(workflow)
    out.print("\n[bold]Risk levels[/]: " + ", ".join(escape(v.label) for v in workflow.risk_levels.values()))
    _print_content(workflow)
    rules = workflow.rules
    out.print("[bold]Rules[/]")
    out.print(bullets([escape(line) for line in (
        f"High for {rules.high_becomes_severe.after} becomes Severe",
        f"{' or '.join(rules.sustained_before_return.levels)} sustained for {rules.sustained_before_return.period} "
        "before a previously High case returns",
        f"support for {rules.support_after_return.period} after the return",
        f"involvement until Low is sustained for {rules.involvement_until_low.period}",
        *(f"{v.title}: every {v.every}" for v in rules.visits.values()),
        *([f"child-in-care reviews: {rules.reviews.first}, {rules.reviews.second}, then every {rules.reviews.then}"]
          if rules.reviews else []),
    )]))


def _print_content(workflow: Workflow) -> None:
    """The risk classification table's factors (the ids 'classify --factor' takes) and the
    assessment's domains (the ids 'assessment answer' takes)."""
    factors = [(key, level.label, text) for level in workflow.risk_levels.values()
               for key, text in level.factors.items()]
    if factors:
        out.print("[bold]Risk classification table[/]: the factors that indicate each level")
        grid = table("Factor", "Level", "What indicates the level")
        for key, label, text in factors:
            grid.add_row(escape(key), escape(label), escape(text))
        out.print(grid)
    if workflow.assessment_domains:
        out.print("[bold]Return Home Assessment domains[/]")
        grid = table("Domain", "Title", "About")
        for key, domain in workflow.assessment_domains.items():
            grid.add_row(escape(key), escape(domain.title), "each parent" if domain.per_parent else domain.about)
        out.print(grid)
    if workflow.cautionary_factors:
        out.print("[bold]Cautionary factors[/]: " + ", ".join(escape(f.title) for f in
                                                              workflow.cautionary_factors.values()))


@workflow_app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="A workflow file (a local one that extends the reference).")],
    as_json: Json = False,
) -> None:
    """Validate a workflow file: every problem as file:line:col. Exit 1 on errors."""
    if not file.is_file():
        raise ReunifyError(f"{file}: no such file")
    workflow, problems = load_workflow(file, gate_args())
    if workflow is not None:
        from reunify.documents.catalogue import unknown_sections

        problems = problems + unknown_sections(workflow, file)
        if any(p.is_error for p in problems):
            workflow = None
    located = report.located(problems)
    errors = sum(1 for p in located if p.is_error)
    if as_json:
        print_json({"file": str(file), "valid": workflow is not None,
                    "problems": [report.problem_data(p) for p in located]})
    else:
        print_problems(located)
        if workflow is not None:
            out.print(f"{escape_line(str(file))}: valid: {len(workflow.stages)} stages, {len(workflow.steps)} steps",
                      soft_wrap=True)
        else:
            out.print(f"\n{errors} error{'s' if errors != 1 else ''} in {escape_line(str(file))}")
    if errors:
        raise typer.Exit(1)


def _reference() -> Workflow:
    workflow, problems = load_workflow(REFERENCE, gate_args())
    if workflow is None:
        raise ReunifyError("the reference workflow cannot be loaded: " + "; ".join(p.message for p in problems))
    return workflow


def _local(file: Path | None, folder: Path) -> tuple[Workflow, Path]:
    if file is None:
        return _in_force(folder)
    if not file.is_file():
        raise ReunifyError(f"{file}: no such file")
    workflow, problems = load_workflow(file, gate_args())
    if workflow is None:
        print_problems(report.located(problems))
        raise typer.Exit(1)
    return workflow, file


@workflow_app.command("diff")
def diff_command(
    file: Annotated[Path | None, typer.Argument(help="A workflow file (default: the one in force here).",
                                                show_default=False)] = None,
    folder: Annotated[Path, typer.Option("--in", help="The caseload folder whose workflow to compare.")] = Path("."),
    as_json: Json = False,
) -> None:
    """What a local workflow changes, adds and removes, compared with the reference."""
    local, path = _local(file, folder)
    from reunify.workflow.compare import compare

    changes = compare(_reference(), local)
    if as_json:
        print_json({"file": str(path), "changes": [
            {"kind": c.kind, "part": c.part, "name": c.name, "field": c.field, "before": c.before, "after": c.after}
            for c in changes]})
        return
    if not changes:
        out.print(f"{escape_line(str(path))}: the same as the reference workflow.")
        return
    out.print(f"[bold]{escape(local.title)}[/] against the reference: {len(changes)} difference"
              f"{'s' if len(changes) != 1 else ''}")
    colour = {"added": "green", "removed": "red", "changed": "yellow"}
    out.print(bullets([f"[{colour[c.kind]}]{escape(c.describe())}[/]" for c in changes]))


@app.command("fidelity")
def fidelity_command(
    folder: Folder = Path("."),
    file: Annotated[Path | None, typer.Option("--workflow", help="A workflow file instead of the one in force.")]
    = None,
    docx: Annotated[Path | None, typer.Option("--docx", help="Also write the report as a Word document here.")]
    = None,
    as_json: Json = False,
) -> None:
    """How far the local workflow departs from the framework, element by element, and why it matters."""
    local, path = _local(file, folder)
    from reunify.practice.fidelity import fidelity

    result = fidelity(_reference(), local)
    if as_json:
        print_json(_fidelity_data(result, path))
    else:
        _print_fidelity(result, path)
    if docx is not None:
        from reunify.documents.fidelity_report import write_fidelity

        write_fidelity(result, docx)
        out.print(f"\nWrote {escape_line(str(docx))}", soft_wrap=True)


def _fidelity_data(result: Fidelity, path: Path) -> dict[str, Any]:
    return {"workflow": str(path), "title": result.local.title, "score": round(result.score, 1),
            "kept": result.count("kept"), "changed": result.count("changed"), "removed": result.count("removed"),
            "elements": [{"id": r.element.id, "title": r.element.title, "status": r.status, "detail": r.detail,
                          "why": r.element.why} for r in result.results],
            "additions": [c.name for c in result.additions],
            "changes": [c.describe() for c in result.changes]}


def _print_fidelity(result: Fidelity, path: Path) -> None:
    out.print(f"[bold]Fidelity of {escape(result.local.title)}[/] [dim]({escape_line(str(path))})[/]\n")
    colour = {"kept": "green", "changed": "yellow", "removed": "red"}
    grid = table("Core element", "Status", "In this workflow")
    for r in result.results:
        grid.add_row(f"{escape(r.element.title)}\n[dim]{escape(r.element.why)}[/]",
                     f"[{colour[r.status]}]{r.status}[/]", escape(r.detail))
    out.print(grid)
    if result.additions:
        out.print("\n[bold]Local additions[/]: " + ", ".join(escape(c.name) for c in result.additions))
    if result.changes:
        out.print("\n[bold]Every difference from the reference workflow[/]")
        out.print(bullets([escape(c.describe()) for c in result.changes]))
    out.print(f"\n[bold]Fidelity {result.score:.0f}%[/]: {result.count('kept')} kept, {result.count('changed')} "
              f"changed, {result.count('removed')} removed of {len(result.results)} core elements")

