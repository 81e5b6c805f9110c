"""The fidelity report as a Word document, for an authority's steering group."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.shared import Pt

from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.practice.fidelity import Fidelity

STATUS_WORDS = {"kept": "Kept", "changed": "Changed", "removed": "Removed"}


def write_fidelity(result: Fidelity, path: Path) -> None:
    """Write `result` to `path` (owner-only, atomically)."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"Fidelity of {result.local.title}"
    document.add_heading(f"Fidelity of {result.local.title}", level=1)
    document.add_paragraph(
        f"Compared with {result.reference.title}: {result.score:.0f}% "
        f"({result.count('kept')} kept, {result.count('changed')} changed, {result.count('removed')} removed "
        f"of {len(result.results)} core elements; a changed element counts half)."
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Core element", "Status", "In this workflow", "Why it matters"),
                          strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for item in result.results:
        row = table.add_row().cells
        row[0].text = item.element.title
        row[1].text = STATUS_WORDS[item.status]
        row[2].text = item.detail
        row[3].text = item.element.why
    if result.additions:
        document.add_heading("Local additions", level=2)
        for change in result.additions:
            step = result.local.steps[change.name]
            document.add_paragraph(f"{step.title} ({change.name})", style="List Bullet")
    if result.changes:
        document.add_heading("Every difference from the reference workflow", level=2)
        for change in result.changes:
            document.add_paragraph(change.describe(), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    make_private_folder(path.parent)  # as render's --out: a new folder is made, owner-only
    write_atomic(path, buffer.getvalue())
