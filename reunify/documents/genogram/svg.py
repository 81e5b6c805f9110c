"""The layout written as SVG, for the screen."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reunify.documents.genogram.items import DASHES
from reunify.documents.genogram.items import INK
from reunify.documents.genogram.items import WHITE
from reunify.documents.genogram.items import GenogramLayout
from reunify.documents.genogram.items import Patch
from reunify.documents.genogram.items import Shape
from reunify.documents.genogram.items import Stroke

SVG_NS = "http://www.w3.org/2000/svg"
# Labels are measured in DejaVu Sans; the fonts after it are no wider, so text still fits.
FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif"

def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg_shape(parent: ET.Element, shape: Shape) -> None:
    common = {"class": shape.cls, "fill": WHITE if shape.filled else "none", "stroke": INK,
              "stroke-width": _n(shape.width)}
    r = shape.size / 2
    if shape.kind == "square":
        ET.SubElement(parent, "rect", {"x": _n(shape.x - r), "y": _n(shape.y - r), "width": _n(shape.size),
                                       "height": _n(shape.size), **common})
    elif shape.kind == "circle":
        ET.SubElement(parent, "circle", {"cx": _n(shape.x), "cy": _n(shape.y), "r": _n(r), **common})
    else:
        points = ((shape.x, shape.y - r), (shape.x + r, shape.y), (shape.x, shape.y + r), (shape.x - r, shape.y))
        ET.SubElement(parent, "polygon", {"points": " ".join(f"{_n(a)},{_n(b)}" for a, b in points), **common})


def svg(layout: GenogramLayout) -> str:
    root = ET.Element("svg", {"xmlns": SVG_NS, "version": "1.1", "width": _n(layout.width),
                              "height": _n(layout.height), "viewBox": f"0 0 {_n(layout.width)} {_n(layout.height)}",
                              "role": "img", "class": "genogram"})
    ET.SubElement(root, "title").text = layout.title
    ET.SubElement(root, "style").text = (
        f"text {{ font-family: {FONT_FAMILY}; }}")
    ET.SubElement(root, "rect", {"class": "background", "x": "0", "y": "0", "width": "100%", "height": "100%",
                                 "fill": WHITE})
    for item in layout.items:
        if isinstance(item, Shape):
            _svg_shape(root, item)
        elif isinstance(item, Stroke):
            attrs = {"class": item.cls, "fill": "none", "stroke": item.colour, "stroke-width": _n(item.width),
                     "stroke-linejoin": "round", "stroke-linecap": "round" if item.dash == "dotted" else "butt",
                     "points": " ".join(f"{_n(a)},{_n(b)}" for a, b in item.points)}
            if item.dash != "solid":
                attrs["stroke-dasharray"] = " ".join(_n(v) for v in DASHES[item.dash])
            ET.SubElement(root, "polygon" if item.closed else "polyline", attrs)
        elif isinstance(item, Patch):
            box = item.box
            ET.SubElement(root, "rect", {"class": item.cls, "x": _n(box.left), "y": _n(box.top),
                                         "width": _n(box.right - box.left), "height": _n(box.bottom - box.top),
                                         "fill": WHITE})
        else:
            element = ET.SubElement(root, "text", {
                "class": item.cls, "x": _n(item.x), "y": _n(item.y), "font-size": _n(item.size),
                "fill": item.colour, "text-anchor": item.anchor})
            element.text = item.text
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
