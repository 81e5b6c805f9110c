"""Render a case's documents: what can be rendered, and writing it where it belongs.

Templates come from an authority's folder when it holds one of the same name, else from
the bundled `templates/`. Output names are the document ids; no part of a path is ever
taken from case data, so nothing can be written outside the output folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path

from reunify.core.errors import ReunifyError
from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.core.problems import Problem
from reunify.core.resources import TEMPLATES
from reunify.core.yamlio import FastLocator
from reunify.documents.catalogue import DOCUMENTS
from reunify.documents.catalogue import Signature
from reunify.documents.context import Context
from reunify.documents.context import Letterhead
from reunify.documents.context import Picture
from reunify.documents.context import Source
from reunify.documents.context import child_context
from reunify.documents.context import day
from reunify.documents.context import doc_context
from reunify.engine.asof import case_as_of
from reunify.engine.checks import check_case
from reunify.engine.report import located
from reunify.practice.in_force import workflow_for
from reunify.records import load_case
from reunify.records.validation import did_you_mean

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
    warnings: tuple[Problem, ...] = ()  # about what it prints: written anyway, the warning shown
    applies: bool = True  # False: the workflow's `when:` rules it out for this child (problems say why)

    @property
    def ready(self) -> bool:
        return not self.problems


@dataclass
class CaseDocuments:
    """A case ready to render: its source, and for each document whether it can be.

    `source` is the case on the day rendered (`--as-of`, else today); a signed document has
    a source of its own, the case as it stood on the day it was signed (`sources`).
    """

    folder: Path
    source: Source | None
    problems: list[Problem] = field(default_factory=list)  # problems that stop every document
    available: list[Availability] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    signatures: dict[str, Signature] = field(default_factory=dict)


def case_documents(folder: Path, today: dt.date, wanted: list[str] | None = None,
                   as_of: dt.date | None = None, letterhead: Letterhead | None = None) -> CaseDocuments:
    """Load a case and work out which of the `wanted` documents (default: all) can render:
    each as of its day (a signed one on the day it was signed, others on `as_of` or today),
    headed by the authority's `letterhead` when the caseload profile names one."""
    case, problems = load_case(folder)
    locator = FastLocator()  # each file read for positions once, by libyaml
    if case is None:
        return CaseDocuments(folder, None, located(problems, locator))
    workflow, workflow_problems = workflow_for(case)
    if workflow is None:
        return CaseDocuments(folder, None, located(problems + workflow_problems, locator))
    day = min(as_of or today, today)
    days: dict[dt.date, Source] = {}

    def source_on(on: dt.date) -> Source:
        if on not in days:
            days[on] = Source(case if on >= today else case_as_of(case, on), workflow, on, letterhead=letterhead)
        return days[on]

    src = source_on(day)
    found = [p for p in problems + check_case(Source(case, workflow, today).facts) if p.is_error]
    result = CaseDocuments(folder, src)
    for name in wanted or list(DOCUMENTS):
        spec = DOCUMENTS[name]
        signature = spec.signed(src.case, workflow) if spec.signed is not None else None
        own = source_on(signature.day) if signature is not None and signature.fixed else src
        if signature is not None:
            result.signatures[name] = signature
        result.sources[name] = own
        # A document that does not apply says only that: what it would lack does not matter.
        ruled_out = _not_applying(own, name)
        blocking = ruled_out or [p for p in found if p.file.name in spec.files] + spec.missing(own)
        warned = spec.warnings(own) if spec.warnings is not None and not blocking else []
        result.available.append(Availability(name, _title(own, name), tuple(located(blocking, locator)),
                                             tuple(located(warned, locator)), applies=not ruled_out))
    return result


def _not_applying(src: Source, document: str) -> list[Problem]:
    """Why a document does not apply to this child, from the workflow's `when:` for it."""
    definition = src.workflow.document(document)
    failing = definition.failing(src.facts.condition) if definition is not None else None
    if failing is None:
        return []
    # The first condition that fails says why; the hint gives them all.
    return [Problem(src.case.file("case.yaml"), ("legal_status",), f"it does not apply to this child: only when "
                    f"{failing}", hint=f"it applies when {definition.describe_when()}" if definition else "",
                    code="document")]


def _title(src: Source, document: str) -> str:
    found = src.workflow.document(document)
    return found.title if found else document.replace("_", " ").capitalize()


def build_context(src: Source, document: str, signature: Signature | None = None) -> Context:
    """The whole context of one document: heading, child, sections shown, and its own part.

    The heading says whether it is issued (signed on its day, by whom) or a DRAFT, with a
    version that changes whenever what it shows changes, and the date.
    """
    spec = DOCUMENTS[document]
    definition = src.workflow.document(document)
    omitted = set(definition.omit) if definition else set()
    context = {
        "doc": doc_context(src, _title(src, document)),
        "child": child_context(src),
        "show": {section: section not in omitted for section in spec.sections},
        document: spec.build(src),
    }
    if "front_sheet" in context["show"] and _not_applying(src, "pwp_front_sheet"):
        # The panel pack of a child who cannot be placed with parents has no front sheet.
        context["show"]["front_sheet"] = False
    part = context[document]
    if "contents" in part:  # a pack lists only the parts it shows
        part["contents"] = [c["title"] for c in part["contents"] if context["show"].get(c["flag"], True)]
    context["doc"]["version"] = version = fingerprint(context)
    if signature is not None:
        who = src.member_name(signature.by)
        context["doc"]["status"] = f"{signature.what.capitalize()} on {day(signature.day)}" + (
            f" by {who}" if who else "") + ("" if signature.fixed else f" · version {version} · {day(src.today)}")
    else:
        context["doc"]["status"] = f"DRAFT · version {version} · {day(src.today)}"
    return context


def fingerprint(context: Context) -> str:
    """A short hash of what a document shows: the same records give the same version."""
    text = json.dumps(context, sort_keys=True, default=lambda value: f"<{type(value).__name__}>")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Written:
    document: str
    path: Path


def render_case(documents: CaseDocuments, out: Path, templates: Path | None = None,
                issue: bool = False) -> list[Written]:
    """Render every available document of a case into `out` (created owner-only). With
    `issue`, a signed document is also kept in `out/issued/` as the record of what was
    issued (`<document>-<day signed>.docx`), never replaced."""
    from reunify.documents.templating import Properties
    from reunify.documents.templating import compiled_template

    ready = [a for a in documents.available if a.ready]
    if documents.source is None or not ready:
        return []
    drawn: dict[dt.date, tuple[Source, list[Problem]]] = {}  # the genogram, drawn once for each day shown
    make_private_folder(out)
    written = []
    for item in ready:
        src = documents.sources.get(item.document, documents.source)
        if DOCUMENTS[item.document].genogram and src.genogram is None:
            if src.today not in drawn:
                drawn[src.today] = drawn_genogram(src)
            src, small = drawn[src.today]
            if small:  # written, with a warning that its genogram prints too small to read
                at = documents.available.index(item)
                documents.available[at] = replace(item, warnings=(*item.warnings, *small))
        context = build_context(src, item.document, documents.signatures.get(item.document))
        properties = Properties(title=f"{item.title}: {src.case.case.reference}",
                                author=src.role_holder("social_worker"),
                                subject=src.workflow.title, day=src.today,
                                identifier=f"{IDENTIFIER}:{item.document}:{context['doc']['version']}")
        data = compiled_template(template_path(item.document, templates)).render(context, properties)
        target = out / f"{item.document}.docx"
        write_atomic(target, data)
        written.append(Written(item.document, target))
        signature = documents.signatures.get(item.document)
        if issue and signature is not None and signature.fixed:
            kept = out / ISSUED / f"{item.document}-{signature.day.isoformat()}.docx"
            if not kept.exists():
                make_private_folder(kept.parent)
                write_atomic(kept, data)
                written.append(Written(item.document, kept))
    return written


IDENTIFIER = "reunify"
ISSUED = "issued"
_ISSUED_NAME = re.compile(r"^(?P<document>[a-z_]+)-(?P<day>\d{4}-\d{2}-\d{2})\.docx$")


@dataclass(frozen=True)
class Issued:
    """A kept, issued document, and whether the records still say what it says."""

    document: str
    path: Path
    day: dt.date
    matches: bool


def issued_documents(documents: CaseDocuments, out: Path) -> list[Issued]:
    """The documents kept in `out/issued/`, each compared with the records as they stood
    on its day: a record changed since (by hand, or a correction) makes it no longer match."""
    folder = out / ISSUED
    src = documents.source
    if src is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        named = _ISSUED_NAME.match(path.name)
        if named is None or named["document"] not in DOCUMENTS or not path.is_file():
            continue
        try:
            on = dt.date.fromisoformat(named["day"])
        except ValueError:
            continue
        spec = DOCUMENTS[named["document"]]
        then = Source(case_as_of(src.case, on), src.workflow, on, letterhead=src.letterhead,
                      genogram=Picture(b"", GENOGRAM_WIDTH_MM) if spec.genogram else None)
        signature = spec.signed(then.case, then.workflow) if spec.signed is not None else None
        version = build_context(then, spec.id, signature)["doc"]["version"]
        found.append(Issued(spec.id, path, on, _identifier(path) == f"{IDENTIFIER}:{spec.id}:{version}"))
    return found


def _identifier(path: Path) -> str:
    """The identifier a rendered document carries in its properties ('' when unreadable)."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return ""
    found = root.find("{http://purl.org/dc/elements/1.1/}identifier")
    return (found.text or "") if found is not None else ""


def with_genogram(src: Source) -> Source:
    return drawn_genogram(src)[0]


def drawn_genogram(src: Source) -> tuple[Source, list[Problem]]:
    """The source with its genogram drawn, placed as wide as its landscape page lets it print
    its smallest text at 8 pt; and a warning when even the most compact drawing cannot."""
    from reunify.core.problems import Severity
    from reunify.documents.genogram import draw_genogram

    drawn = draw_genogram(src.case, src.today, svg=False)  # Word takes the PNG
    small = drawn.too_small()
    warned = located([Problem(src.case.file("people.yaml"), ("people",), small, Severity.WARNING,
                              "the table of people in the document lists everyone on it", code="genogram")],
                             FastLocator()) if small else []
    return replace(src, genogram=Picture(drawn.png, drawn.width_mm or GENOGRAM_WIDTH_MM)), warned
