"""`workflow show` as text: each stage, and each step with who, what, its paths, what comes
first, its gates, conditions, deadlines and documents, readable at 80 columns."""

from __future__ import annotations

from typing import Any

from reunify.cli.console import Table
from reunify.cli.console import escape
from reunify.cli.console import out
from reunify.workflow import Workflow
from reunify.workflow.outline import outline


def _rows(step: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) for each thing the author wrote for the step; text is plain."""
    rows = [("who", step["role_title"])]
    if step["does"]:
        rows.append(("does", step["does"]))
    rows.append(("path", ", ".join(p["title"] for p in step["paths"]) or "every path"))
    if step["after"]:
        rows.append(("after", ", ".join(step["after"])))
    if step["requires"]:
        rows.append(("requires", ", ".join(g["text"] for g in step["requires"])))
    if step["records"] != "date":
        rows.append(("records", step["records"]))
    for key, name in (("when", "only when"), ("ready_when", "ready when")):
        if step[key]:
            rows.append((name, step[key]))
    deadlines = [f"due {step['due']}"] if step["due"] else []
    deadlines += [f"not before {step['not_before']}"] if step["not_before"] else []
    if deadlines:
        rows.append(("deadline", "; ".join(deadlines)))
    if step["source"]:
        rows.append(("source", step["source"]))
    for outcome in step["outcomes"] or []:
        said = [f"when {outcome['when']}"] if outcome["when"] else []
        said += [f"opens the path: {outcome['path_title']}"] if outcome["path_title"] else []
        said += ["ends the episode"] if outcome["ends"] else []
        said += ["requires " + ", ".join(g["text"] for g in outcome["requires"])] if outcome["requires"] else []
        rows.append(("outcome", f"{outcome['id']}: {outcome['title']}" + (f" ({'; '.join(said)})" if said else "")))
    if step["documents"]:
        rows.append(("documents", ", ".join(d["title"] for d in step["documents"])))
    if step["marks"]:
        rows.append(("marks", str(step["marks"])))
    return rows


def _flags(step: dict[str, Any]) -> str:
    flags = [name for name in ("optional", "final") if step[name]]
    flags += [f"{step['priority']} priority"] if step["priority"] else []
    return f" [yellow]({', '.join(flags)})[/]" if flags else ""


def print_outline(workflow: Workflow) -> None:
    """The paths, then every stage with its steps."""
    data = outline(workflow)
    if data["paths"]:
        out.print("\n[bold]Paths[/]: " + "; ".join(f"{escape(title)} ({escape(key)})"
                                                 for key, title in data["paths"].items()))
    for number, stage in enumerate(data["stages"], 1):
        out.print(f"\n[bold]{number}. {escape(stage['title'])}[/] [dim]({escape(stage['id'])})[/]")
        if stage["summary"]:
            out.print(f"[dim]{escape(stage['summary'])}[/]")
        for step in stage["steps"]:
            heading = Table.grid()
            heading.add_column(width=2)
            heading.add_column(overflow="fold")
            heading.add_row("", f"[bold]{escape(step['title'])}[/] [dim]({escape(step['id'])})[/]{_flags(step)}")
            out.print()
            out.print(heading)
            grid = Table.grid(padding=(0, 2, 0, 0))
            grid.add_column(width=2)
            grid.add_column(width=10, no_wrap=True, style="dim")
            grid.add_column(overflow="fold")
            shown = ""
            for name, text in _rows(step):
                grid.add_row("", "" if name == shown == "outcome" else name, escape(text))
                shown = name
            out.print(grid)
