"""A template's package opened for one rendering, from what was read of it once.

python-docx opens a package by reading and parsing every part. Here a part a rendering
never changes (the styles, the theme...) is kept as the template's bytes, never parsed or
written out anew; an XML part is parsed once per template, and each rendering given a copy
of it, or, where the rendering only reads it before putting another in its place (the
body, headers and footers), the one parsed.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import Part
from docx.opc.part import PartFactory
from docx.opc.part import XmlPart
from docx.oxml.parser import parse_xml

# Parts a rendering never changes: kept as the template's bytes, never parsed or
# re-serialised (most of the time python-docx spends opening and saving a document).
PASSIVE = frozenset({CT.WML_STYLES, CT.WML_NUMBERING, CT.WML_SETTINGS, CT.WML_FONT_TABLE, CT.WML_WEB_SETTINGS,
                      CT.OFC_THEME, "application/vnd.ms-word.stylesWithEffects+xml"})

_XML_LOAD = getattr(XmlPart.load, "__func__", None)  # how an XML part is made from its bytes: parsed
# Parts a rendering replaces whole, never changing the template's: the body (rendered and
# parsed anew, see fix_tables) and each header and footer (docxtpl makes a new part of each).
REPLACED = frozenset({CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER})
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def template_part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any,
                  parsed: dict[str, Any], shared: frozenset[str] = frozenset()) -> Any:
    """The part python-docx's PartFactory would make, from what was read of the template
    once (`parsed`: its XML parts, parsed), shared where its content type is in `shared`."""
    if content_type in PASSIVE:
        return Part.load(partname, content_type, blob, package)
    selector = PartFactory.part_class_selector  # python-docx's: pictures, by their relationship
    kind = PartFactory.part_type_for.get(content_type) if selector is None or selector(content_type, reltype) is None \
        else None
    if kind is not None and issubclass(kind, XmlPart) and getattr(kind.load, "__func__", None) is _XML_LOAD:
        # An XML part (the document, its headers and footers, its properties) is parsed once
        # per template; each rendering has a copy of its own, made in a third of the time, or
        # where the rendering only reads it before putting another in its place, the one parsed.
        name = str(partname)
        if name not in parsed:
            parsed[name] = parse_xml(blob)
        element = parsed[name] if content_type in shared else copy.deepcopy(parsed[name])
        return kind(partname, content_type, element, package)
    return PartFactory(partname, content_type, reltype, blob, package)
