"""Render a case's documents: what can be rendered, and writing it where it belongs.

Templates come from an authority's folder when it holds one of the same name, else from
the bundled `templates/`. Output names are the document ids; no part of a path is ever
taken from case data, so nothing can be written outside the output folder.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path

from reunify.documents.catalogue import DOCUMENTS
from reunify.documents.context import Context
from reunify.documents.context import Picture
from reunify.documents.context import Source
from reunify.documents.context import child_context
from reunify.documents.context import doc_context
from reunify.engine.checks import check_case
from reunify.engine.workflows import workflow_for
from reunify.files import make_private_folder
from reunify.files import write_atomic
from reunify.problems import Problem
from reunify.problems import ReunifyError
from reunify.records import load_case
from reunify.records.validation import did_you_mean
from reunify.report import located
from reunify.resources import TEMPLATES

BUNDLED_TEMPLATES = TEMPLATES
OUTPUT_FOLDER = "documents"
GENOGRAM_WIDTH_MM = 160.0


def template_path(document: str, templates: Path | None = None) -> Path:
    """The authority's template when it has one of this name, else the bundled one."""
    name = DOCUMENTS[document].template
    if templates is not None and (templates / name).is_file():
        return templates / name
    return BUNDLED_TEMPLATES / name


def safe_name(text: str) -> str:
    """A file or folder name that stays where it is put: letters, digits, '.', '-', '_'."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return name or "case"


def unknown_documents(names: list[str]) -> None:
    for name in names:
        if name not in DOCUMENTS:
            raise ReunifyError(f"--doc: unknown document '{name}'" + did_you_mean(name, list(DOCUMENTS))
                               + "; 'reunify render --list' shows them")


@dataclass(frozen=True)
class Availability:
    document: str
    title: str
    problems: tuple[Problem, ...]

    @property
    def ready(self) -> bool:
        return not self.problems


@dataclass
class CaseDocuments:
    """A case ready to render: its source, and for each document whether it can be."""

    folder: Path
    source: Source | None
    problems: list[Problem] = field(default_factory=list)  # problems that stop every document
    available: list[Availability] = field(default_factory=list)


def case_documents(folder: Path, today: dt.date, wanted: list[str] | None = None) -> CaseDocuments:
    """Load a case and work out which of the `wanted` documents (default: all) can render."""
    case, problems = load_case(folder)
    if case is None:
        return CaseDocuments(folder, None, located(problems))
    workflow, workflow_problems = workflow_for(case)
    if workflow is None:
        return CaseDocuments(folder, None, located(problems + workflow_problems))
    src = Source(case, workflow, today)
    found = [p for p in problems + check_case(src.facts) if p.is_error]
    result = CaseDocuments(folder, src)
    for name in wanted or list(DOCUMENTS):
        spec = DOCUMENTS[name]
        blocking = [p for p in found if p.file.name in spec.files] + spec.missing(src)
        result.available.append(Availability(name, _title(src, name), tuple(located(blocking))))
    return result


def _title(src: Source, document: str) -> str:
    found = src.workflow.document(document)
    return found.title if found else document.replace("_", " ").capitalize()


def build_context(src: Source, document: str) -> Context:
    """The whole context of one document: heading, child, sections shown, and its own part."""
    spec = DOCUMENTS[document]
    definition = src.workflow.document(document)
    omitted = set(definition.omit) if definition else set()
    return {
        "doc": doc_context(src, _title(src, document)),
        "child": child_context(src),
        "show": {section: section not in omitted for section in spec.sections},
        document: spec.build(src),
    }


@dataclass(frozen=True)
class Written:
    document: str
    path: Path


def render_case(documents: CaseDocuments, out: Path, templates: Path | None = None) -> list[Written]:
    """Render every available document of a case into `out` (created owner-only)."""
    from reunify.documents.templating import Properties
    from reunify.documents.templating import compiled_template

    src = documents.source
    ready = [a for a in documents.available if a.ready]
    if src is None or not ready:
        return []
    if any(DOCUMENTS[a.document].genogram for a in ready):
        src = with_genogram(src)
    make_private_folder(out)
    written = []
    for item in ready:
        context = build_context(src, item.document)
        properties = Properties(title=f"{item.title}: {src.case.case.reference}",
                                author=src.role_holder("social_worker"),
                                subject=src.workflow.title, day=src.today)
        data = compiled_template(template_path(item.document, templates)).render(context, properties)
        target = out / f"{item.document}.docx"
        write_atomic(target, data)
        written.append(Written(item.document, target))
    return written


def with_genogram(src: Source) -> Source:
    from reunify.documents.genogram import draw_genogram

    drawn = draw_genogram(src.case, src.today)
    return replace(src, genogram=Picture(drawn.png, GENOGRAM_WIDTH_MM))
