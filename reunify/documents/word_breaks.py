"""Tabs, line breaks, new paragraphs and page breaks in rendered text made Word's own,
as docxtpl's `resolve_listing` makes them, touching only what holds one.

docxtpl goes through every paragraph, every run in it and every text in that, each by a
regular expression with a Python function called back for each match; most of them hold
no tab or break and come out as they went in. Here the same paragraphs, runs and texts
are found as those expressions find them (`spans`, by plain searches for their tags), and
only those holding a tab, a new line, a new paragraph or a page break are changed, each
exactly as docxtpl changes it: the same text comes out, in a fraction of the time.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from collections.abc import Iterator

_PARAGRAPH_PROPERTIES = re.compile(r"<w:pPr>.*?</w:pPr>")  # docxtpl's own patterns
_RUN_PROPERTIES = re.compile(r"<w:rPr>.*?</w:rPr>")


def has_breaks(text: str) -> bool:
    """Whether `text` holds a tab, a new line, a new paragraph (\\a) or a page break (\\f)."""
    return "\n" in text or "\t" in text or "\a" in text or "\f" in text


def resolve_breaks(xml: str) -> str:
    """docxtpl's `resolve_listing(xml)`, the same text, changing only the paragraphs,
    runs and texts that hold a tab or a break (on any other, docxtpl's changes nothing)."""
    if not has_breaks(xml):
        return xml
    return _each(xml, "w:p", _paragraph)


def spans(xml: str, name: str) -> Iterator[tuple[int, int]]:
    """Where `re.finditer(f"<{name}(?: [^>]*)?>.*?</{name}>", xml, re.DOTALL)` finds its
    matches (docxtpl's pattern for a paragraph, a run or a text), found without the
    expression, which tries to end its match at every character in between."""
    opening, closing = "<" + name, "</" + name + ">"
    after = len(opening)
    at = 0
    while True:
        start = xml.find(opening, at)
        if start < 0:
            return
        mark = xml[start + after:start + after + 1]
        if mark == ">":
            inside = start + after + 1
        elif mark == " ":  # attributes, up to the first ">"
            inside = xml.find(">", start + after + 1) + 1
            if inside == 0:
                return
        else:  # another element whose name starts the same ("<w:pPr>")
            at = start + 1
            continue
        end = xml.find(closing, inside)  # the first closing tag ends it (".*?")
        if end < 0:
            return
        yield start, end + len(closing)
        at = end + len(closing)


def _each(xml: str, name: str, change: Callable[[str], str]) -> str:
    """docxtpl's `re.sub` of each `name` element by `change`, which leaves one holding no
    tab or break as it is: called only for those that hold one."""
    places = sorted(at for char in "\t\n\a\f" for at in _places(xml, char))
    out: list[str] = []
    at = k = 0
    for start, end in spans(xml, name):
        k = bisect.bisect_left(places, start, k)
        if k == len(places):
            break
        if places[k] < end:
            out += (xml[at:start], change(xml[start:end]))
            at = end
    if not out:
        return xml
    out.append(xml[at:])
    return "".join(out)


def _places(xml: str, char: str) -> Iterator[int]:
    at = xml.find(char)
    while at >= 0:
        yield at
        at = xml.find(char, at + 1)


def _paragraph(xml: str) -> str:
    found = _PARAGRAPH_PROPERTIES.search(xml)
    paragraph = found.group(0) if found else ""

    def run(run_xml: str) -> str:
        found = _RUN_PROPERTIES.search(run_xml)
        properties = found.group(0) if found else ""
        return _each(run_xml, "w:t", lambda text: _text(text, properties, paragraph))

    return _each(xml, "w:r", run)


def _text(xml: str, run: str, paragraph: str) -> str:
    """One text element's tabs and breaks, as docxtpl's `resolve_text` makes them."""
    xml = xml.replace("\t", f'</w:t></w:r><w:r>{run}<w:tab/></w:r><w:r>{run}<w:t xml:space="preserve">')
    xml = xml.replace("\a", f'</w:t></w:r></w:p><w:p>{paragraph}<w:r>{run}<w:t xml:space="preserve">')
    xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return xml.replace("\f", '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
                             f'<w:p>{paragraph}<w:r>{run}<w:t xml:space="preserve">')
