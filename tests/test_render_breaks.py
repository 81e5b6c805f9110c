"""Tabs and breaks in rendered text are made Word's own exactly as docxtpl makes them, though
only the paragraphs, runs and texts that hold one are looked at."""

from __future__ import annotations

import re

from docxtpl import DocxTemplate
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from reunify.documents.word_breaks import resolve_breaks
from reunify.documents.word_breaks import spans

# Pieces of WordprocessingML, whole and broken, and the characters docxtpl turns into tabs,
# line breaks, new paragraphs and page breaks.
PIECES = ["<w:p>", "<w:p w:rsidR=\"00A1\">", "</w:p>", "<w:pPr><w:jc w:val=\"left\"/></w:pPr>", "<w:r>",
          "<w:r w:rsidR=\"1\">", "</w:r>", "<w:rPr><w:b/></w:rPr>", "<w:t>", "<w:t xml:space=\"preserve\">", "</w:t>",
          "<w:pStyle/>", "<w:p", "</w:p", ">", "<", " ", "Jo", "é’", "\t", "\n", "\a", "\f", "<w:tab/>", "<w:body>"]


def docxtpl_resolve(xml: str) -> str:
    return str(DocxTemplate.resolve_listing(object.__new__(DocxTemplate), xml))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_text_comes_out_as_docxtpl_makes_it(pieces: list[str]) -> None:
    xml = "".join(pieces)
    assert resolve_breaks(xml) == docxtpl_resolve(xml)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from(["w:p", "w:r", "w:t"]))
def test_elements_are_found_where_docxtpl_finds_them(pieces: list[str], name: str) -> None:
    xml = "".join(pieces)
    pattern = re.compile(rf"<{name}(?: [^>]*)?>.*?</{name}>", re.DOTALL)
    assert list(spans(xml, name)) == [found.span() for found in pattern.finditer(xml)]


def test_a_note_over_several_lines_gets_word_breaks_and_tabs() -> None:
    xml = ('<w:body><w:p><w:r><w:t>Seen at home</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="left"/></w:pPr>'
           '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Visit:\tannounced\nseen alone</w:t></w:r></w:p></w:body>')
    resolved = resolve_breaks(xml)
    assert resolved == docxtpl_resolve(xml)
    assert '<w:tab/>' in resolved and '<w:br/>' in resolved
    assert resolved.startswith('<w:body><w:p><w:r><w:t>Seen at home</w:t></w:r></w:p>')
    assert resolve_breaks("<w:p><w:r><w:t>no breaks</w:t></w:r></w:p>") == "<w:p><w:r><w:t>no breaks</w:t></w:r></w:p>"
