"""A rendered Word body put inside its template's document element as text, to be parsed
once, whole: what docxtpl gets by parsing the body alone and moving it in, node by node
(lxml's move, a fifth of a rendering), without the move.

lxml drops, from a moved element and from everything in it, the declarations of
namespaces already declared above it; the same declarations are left out here, from the
body's start tag as text, and from the elements that declare namespaces of their own (a
picture does) by putting them back in place once parsed, which makes lxml drop them the
same way.
"""

from __future__ import annotations

import re

_BODY_START = re.compile(r'<w:body((?:\s+xmlns(?::[A-Za-z_][\w.-]*)?="[^"&]*")*)\s*>')
_DECLARATION = re.compile(r'xmlns(?::([A-Za-z_][\w.-]*))?="([^"]*)"')
_TAG_NAME = re.compile(r"(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*")


def in_document(body: str, around: tuple[str, str, dict[str | None, str]]) -> tuple[str, list[str]] | None:
    """The rendered body within the template's document element, as moving it in would
    leave it: without the declarations of namespaces the document element declares (lxml
    drops them from a moved element and everything in it), and the names of the elements
    that declare namespaces of their own, for the caller to put back in place once parsed
    (lxml then drops theirs the same way). None when the body does not start and end as
    expected or names a namespace two ways (moving it would rename it)."""
    start = _BODY_START.match(body)
    if start is None or not body.endswith("</w:body>"):
        return None
    head, tail, declared = around
    nested: set[str] = set()
    named = {**declared}
    at = body.find("xmlns", start.end())
    while at >= 0:  # a picture declares its own
        opening, closing = body.rfind("<", 0, at), body.find(">", at)
        tag = body[opening:closing]
        found = _DECLARATION.findall(tag)
        if found:
            qualified = _TAG_NAME.match(tag, 1)
            for prefix, uri in found:
                if named.setdefault(prefix or None, uri) != uri:
                    return None
            prefix, _, name = qualified[0].rpartition(":") if qualified and opening >= 0 else ("?", "", "")
            if (prefix or None) not in named:
                return None
            nested.add(f"{{{named[prefix or None]}}}{name}")
        at = body.find("xmlns", closing) if closing >= 0 else -1
    uris = set(declared.values())
    kept = ""
    for prefix, uri in _DECLARATION.findall(start[1]):
        if uri not in uris:
            kept += f' xmlns{":" + prefix if prefix else ""}="{uri}"'
        elif declared.get(prefix or None) != uri:
            return None
    return f"{head}<w:body{kept}>{body[start.end():]}{tail}", sorted(nested)
