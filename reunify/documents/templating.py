"""Render a Word template safely, and fast enough for a whole caseload.

docxtpl does the Word part; this module decides how Jinja runs and what may go in:

- Jinja is sandboxed, escapes every value (autoescape) and fails on any variable the
  context does not provide (StrictUndefined). Values are data, never templates: a note
  holding ``{{ 7*7 }}`` comes out as written.
- Every string is cleaned of characters XML cannot hold before it goes in.
- docxtpl re-parses its output in recover mode, which silently drops whatever follows a
  break in the XML. Here the rendered XML must parse strictly, or rendering fails with
  `RenderError` and nothing is written.
- Document properties (title, author, dates) are set after rendering, from data, never
  through Jinja.
- A template is read and compiled once per process and reused for every case (before
  worker processes are forked, once for them all: `CompiledTemplate.prepare`); its XML
  parts are parsed once, each rendering given a copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.package import Unmarshaller
from docx.opc.pkgreader import PackageReader
from docx.oxml.ns import nsmap
from docx.oxml.parser import element_class_lookup
from docx.package import Package
from docx.shared import Mm
from docxtpl import DocxTemplate
from docxtpl import InlineImage
from jinja2 import StrictUndefined
from jinja2 import Template
from jinja2 import TemplateError
from jinja2 import TemplateSyntaxError
from jinja2 import UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from reunify.core.errors import ReunifyError
from reunify.core.files import FileCache
from reunify.documents.context import Picture
from reunify.documents.context import clean_text
from reunify.documents.precompiled import ready_made
from reunify.documents.word_body import in_document
from reunify.documents.word_breaks import resolve_breaks
from reunify.documents.word_package import Made
from reunify.documents.word_package import Packed
from reunify.documents.word_package import pack
from reunify.documents.word_package import save_package
from reunify.documents.word_parts import FOOTNOTES
from reunify.documents.word_parts import REPLACED
from reunify.documents.word_parts import template_part


class TemplateProblem(ReunifyError):
    """A template cannot be used: it is not a Word file, or its tags are wrong."""


class RenderError(ReunifyError):
    """Rendering produced something that is not a valid document; nothing was written."""


@dataclass(frozen=True)
class Properties:
    """Document properties, set after rendering."""

    title: str
    author: str
    subject: str
    day: dt.date
    identifier: str = ""  # "reunify:<document>:<version>": what the document showed


_DICT_NAMES = frozenset(dir(dict))  # what getattr finds on a dict: its methods


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with `a.b` on a plain dict (nearly every one a context holds) looked
    up without first raising and catching AttributeError: the same value, or the same undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment() -> SandboxedEnvironment:
    return _Sandbox(autoescape=True, undefined=StrictUndefined)


_TAG = re.compile(r"<[^>]*>")
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\s")
_PARAGRAPH = re.compile(r"<w:p([ >])")


def for_jinja(xml: str) -> str:
    """A part's XML as Jinja compiles it: each paragraph on a line of its own (see render_xml_part)."""
    return _PARAGRAPH.sub(r"\n<w:p\1", xml)


_WHOLE = etree.XMLParser()  # strict, as etree.fromstring parses, with python-docx's element classes
_WHOLE.set_element_class_lookup(element_class_lookup)


@dataclass
class CompiledTemplate:
    """A template read once, its parts compiled once, rendered many times."""

    path: Path
    source: bytes
    env: SandboxedEnvironment = field(default_factory=environment)
    body: str | None = None
    parts: dict[str, Template] = field(default_factory=dict)
    reader: Any = None
    parsed: dict[str, Any] = field(default_factory=dict)  # its XML parts, parsed (see word_parts.template_part)
    columns: bool | None = None  # whether it loops over table columns (see loops_columns)
    notes: bool | None = None  # whether it has footnotes
    packed: Packed = field(default_factory=dict)  # its parts a rendering leaves alone, deflated
    made: Made = field(default_factory=dict)  # its content types and relationships as written
    around: tuple[str, str, dict[str | None, str]] | None = None  # see around_body
    stories: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # headers, footers: (xml, encoding)
    code: dict[str, str] = field(default_factory=dict)  # its parts as Jinja compiled them when it was built

    @classmethod
    def load(cls, path: Path, ready: bool = True) -> CompiledTemplate:
        """The template at `path`, with its parts made ready when it was built (`ready`, for
        a bundled one: see precompiled.py)."""
        try:
            template = cls(path, path.read_bytes())
        except OSError as exc:
            raise TemplateProblem(f"{path}: cannot read the template ({exc.strerror})") from None
        made = ready_made(template.source) if ready else None
        if made is not None:
            template.body, template.code = made["body"], made["code"]
            template.stories = {name: tuple(story) if story else None for name, story in made["stories"].items()}
        return template

    def compiled(self, src_xml: str) -> Template:
        found = self.parts.get(src_xml)
        if found is None:
            code = self.code.get(src_xml)
            try:
                found = self.env.from_string(for_jinja(src_xml)) if code is None else self.env.template_class.from_code(
                    self.env, compile(code, "<template>", "exec"), self.env.make_globals(None), None)
            except TemplateSyntaxError as exc:
                raise TemplateProblem(f"{self.path}: template error: {exc.message}") from None
            self.parts[src_xml] = found
        return found

    def open(self) -> Any:
        """A fresh python-docx document of this template, from the package read once."""
        if self.reader is None:
            self.reader = PackageReader.from_file(io.BytesIO(self.source))  # type: ignore[no-untyped-call]
        package = Package()
        # docxtpl's fix-up of column loops changes the body in place: then it is a copy too.
        shared = frozenset() if self.loops_columns() else REPLACED
        Unmarshaller.unmarshal(self.reader, package,  # type: ignore[no-untyped-call]
                               functools.partial(template_part, parsed=self.parsed, shared=shared))
        document = package.main_document_part
        if document.content_type != CT.WML_DOCUMENT_MAIN:
            raise ValueError("not a Word document")
        return document.document

    def render(self, context: dict[str, Any], properties: Properties) -> bytes:
        """The rendered document as .docx bytes."""
        try:
            document = _Rendering(self)
        except Exception:
            raise TemplateProblem(f"{self.path}: not a Word (.docx) document") from None
        try:
            document.render(_prepare(context, document))
        except UndefinedError as exc:
            raise TemplateProblem(f"{self.path}: the template uses something the document does not "
                                  f"provide ({exc.message})") from None
        except TemplateError as exc:
            raise TemplateProblem(f"{self.path}: template error: {exc.message}") from None
        _set_properties(document, properties)
        buffer = io.BytesIO()
        save_package(document.docx.part.package, buffer, self.reader, self.packed, self.made)
        return buffer.getvalue()

    def around_body(self, root: Any) -> tuple[str, str, dict[str | None, str]] | None:
        """The template's document element as text before and after its body, and the
        namespaces it declares (from a fresh opening, `root`); None when its body is not
        found as `<w:body>`."""
        if self.around is None:
            text = etree.tostring(root, encoding="unicode")
            start, end = text.find("<w:body>"), text.rfind("</w:body>")
            self.around = (text[:start], text[end + len("</w:body>"):], dict(root.nsmap)) if 0 <= start < end else (
                "", "", {})
        return self.around if self.around[0] else None

    def loops_columns(self) -> bool:
        """Whether the template has a `{%tc %}` tag (a loop over table columns)."""
        if self.columns is None:
            with zipfile.ZipFile(io.BytesIO(self.source)) as archive:
                text = _TAG.sub("", archive.read("word/document.xml").decode("utf-8", "replace"))
            self.columns = _COLUMN_TAG.search(text) is not None
        return self.columns

    def prepare(self) -> None:
        """Work out now what its first rendering would: its parts compiled, what surrounds
        its body, its unchanged parts deflated. Done before worker processes start, each
        of them has it from the start. A template that cannot be used is left for its
        rendering to report."""
        with contextlib.suppress(Exception):
            document = _Rendering(self)
            if self.body is None:
                self.body = document.patch_xml(document.get_xml())
            self.compiled(self.body)
            for _, story in document.stories():
                if story is not None:
                    self.compiled(story[0])
            if not self.loops_columns():
                self.around_body(document.docx.element)
            pack(document.docx.part.package.parts, self.reader, self.packed)


    def variables(self) -> set[str]:
        """The names the template reads from its context."""
        found: set[str] = DocxTemplate(io.BytesIO(self.source)).get_undeclared_template_variables(self.env)
        return found


class _Rendering(DocxTemplate):  # type: ignore[misc]
    """One rendering of a compiled template; docxtpl's hooks routed to the compiled parts."""

    def __init__(self, template: CompiledTemplate) -> None:
        super().__init__(io.BytesIO(template.source))
        self._template = template
        self.docx = template.open()
        self.is_rendered = False

    def init_docx(self, reload: bool = True) -> None:
        """The document is opened once, from the compiled template, in __init__."""

    def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> str:
        if self._template.body is None:
            self._template.body = self.patch_xml(self.get_xml())
        return self.render_xml_part(self._template.body, self.docx._part, context)

    def render_xml_part(self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None) -> str:
        template = self._template.compiled(src_xml)
        self.current_rendering_part = part
        # The new lines put before paragraphs (see `compiled`) taken out again; by str.replace,
        # as a pattern's replacement would call back into Python for each paragraph.
        rendered = template.render(context).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        # Not docxtpl's "{_{" unescaping: it would change text that holds those characters.
        return str(self.resolve_listing(rendered))

    def build_headers_footers_xml(self, context: dict[str, Any], uri: str, jinja_env: Any = None) -> Iterator[
            tuple[str, bytes]]:
        """docxtpl's, each header and footer read and made ready for Jinja once per template."""
        for key, story in self.stories(uri):
            if story is not None:
                part = self.docx._part.rels[key].target_part
                yield key, self.render_xml_part(story[0], part, context, jinja_env).encode(story[1])

    def stories(self, uri: str | None = None) -> Iterator[tuple[str, tuple[str, str] | None]]:
        """Each header or footer (of the kind `uri`, else both) as (relationship id, its XML
        made ready for Jinja and its encoding, or None when it is empty), worked out once."""
        stories = self._template.stories
        for key, rel in self.docx._part.rels.items():
            if rel.reltype not in ((uri,) if uri else (self.HEADER_URI, self.FOOTER_URI)):
                continue
            part = rel.target_part
            name = str(part.partname)
            if name not in stories:
                xml = self.get_part_xml(part) if part.blob else None
                stories[name] = None if xml is None else (self.patch_xml(xml), self.get_headers_footers_encoding(xml))
            yield key, stories[name]

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's, only where a text holds a tab, a new line, a new paragraph or a page
        break: on any other it changes nothing, and costs most of a rendering (word_breaks)."""
        return resolve_breaks(xml)

    def fix_tables(self, xml: str) -> Any:
        # The rendered body is parsed within the template's document element, so that it need
        # not be moved into it node by node (docxtpl's map_tree, a fifth of a rendering).
        around = None if self._template.loops_columns() else self._template.around_body(self.docx.element)
        whole = in_document(xml, around) if around is not None else None
        try:
            tree = etree.fromstring(xml) if whole is None else etree.fromstring(whole[0], _WHOLE)
        except etree.XMLSyntaxError as exc:
            message = exc.msg
            if whole is not None:  # where the body alone breaks, as its own lines and columns say
                try:
                    etree.fromstring(xml)
                except etree.XMLSyntaxError as alone:
                    message = alone.msg
            raise RenderError(f"{self._template.path.name}: the rendered document is not valid XML "
                              f"({message}); nothing was written") from None
        if whole is not None and whole[1]:  # what declares namespaces of its own, put back as lxml moves it
            for element in list(tree.iter(*whole[1])):
                parent = element.getparent()
                parent.insert(parent.index(element), element)
        # docxtpl's fix-up re-parses the body and walks every table to match the grid to
        # cells a `{%tc %}` loop added or removed: a template without one needs none.
        return super().fix_tables(xml) if self._template.loops_columns() else tree

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's: every picture numbered anew, in the body or the whole document element."""
        for element in etree._Element.xpath(tree, "//wp:docPr", namespaces=nsmap):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        if tree.tag == self.docx.element.body.tag:
            super().map_tree(tree)
            return
        part = self.docx.part
        part._element = tree  # the whole document element, its body rendered
        self.docx = part.document

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """Properties are never templates: they are set from data after rendering."""

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """docxtpl's (which looks through every part for them, once for each section), only
        for a template that has footnotes."""
        template = self._template
        if template.notes is None:
            template.notes = any(part[1] == FOOTNOTES for part in template.reader.iter_sparts())
        if template.notes:
            super().render_footnotes(context, jinja_env)


def _prepare(value: Any, document: _Rendering) -> Any:
    """The context with every string cleaned and every picture bound to this rendering."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: _prepare(item, document) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_prepare(item, document) for item in value]
    if isinstance(value, Picture):
        if value.height_mm is not None:
            return InlineImage(document, io.BytesIO(value.data), height=Mm(value.height_mm))
        return InlineImage(document, io.BytesIO(value.data), width=Mm(value.width_mm))
    return value


def _set_properties(document: _Rendering, properties: Properties) -> None:
    core = document.docx.core_properties
    moment = dt.datetime.combine(properties.day, dt.time(12, 0))
    core.title = clean_text(properties.title)
    core.subject = clean_text(properties.subject)
    core.author = clean_text(properties.author)
    core.last_modified_by = clean_text(properties.author)
    core.comments = ""
    core.keywords = ""
    core.category = "Reunification"
    core.identifier = properties.identifier
    core.revision = 1
    core.created = moment
    core.modified = moment
    core.last_printed = moment


_compiled: FileCache[CompiledTemplate] = FileCache(lambda path: CompiledTemplate.load(path))


def compiled_template(path: Path) -> CompiledTemplate:
    """The compiled template at `path`, cached for this process while the file is unchanged."""
    try:
        return _compiled.get(path)
    except OSError as exc:
        raise TemplateProblem(f"{path}: cannot read the template ({exc.strerror})") from None
