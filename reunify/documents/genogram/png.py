"""The layout painted as PNG, for Word: lines and shapes drawn large and reduced, text
drawn at size (FreeType smooths it), stored with a palette, which is smaller and quicker."""

from __future__ import annotations

import functools
import io
import itertools
import math
from collections.abc import Sequence
from typing import Any

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from reunify.core.resources import FONT
from reunify.documents.genogram.items import CLOSE_COLOUR
from reunify.documents.genogram.items import CONFLICT_COLOUR
from reunify.documents.genogram.items import CUT_OFF_COLOUR
from reunify.documents.genogram.items import DASHES
from reunify.documents.genogram.items import GREY
from reunify.documents.genogram.items import HOUSEHOLD_COLOUR
from reunify.documents.genogram.items import INK
from reunify.documents.genogram.items import WHITE
from reunify.documents.genogram.items import GenogramLayout
from reunify.documents.genogram.items import Patch
from reunify.documents.genogram.items import Point
from reunify.documents.genogram.items import Shape
from reunify.documents.genogram.items import Stroke
from reunify.documents.genogram.items import Text
from reunify.documents.genogram.text import text_width

# The PNG is made for the size it is placed at in Word: about 200 dots an inch, at most
# 2400 pixels across (a whole landscape page), at least a pixel a unit.
PNG_DPI = 200
PNG_MOST_PIXELS = 2400
PNG_MAX_SCALE = 3.0
SUPERSAMPLE = 2  # lines and shapes are drawn this much larger, then reduced, to smooth them
PNG_COMPRESSION = 1  # zlib's level: lossless at any level, and quickest at 1

def _dashed(points: Sequence[Point], on: float, off: float) -> list[list[Point]]:
    """The pieces of a polyline that a dash pattern draws."""
    pieces: list[list[Point]] = []
    current: list[Point] = []
    drawing, left = True, on
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while length - done > 1e-9:
            step = min(left, length - done)
            t0, t1 = done / length, (done + step) / length
            a = (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0)
            b = (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)
            if drawing:
                if not current:
                    current.append(a)
                current.append(b)
            done += step
            left -= step
            if left <= 1e-9:
                if drawing and current:
                    pieces.append(current)
                    current = []
                drawing = not drawing
                left = on if drawing else off
    if current:
        pieces.append(current)
    return pieces


@functools.lru_cache(maxsize=1024)  # the same names and words on each day a case's genogram is drawn for
def _fitted_font(text: str, size: float, scale: float) -> ImageFont.FreeTypeFont:
    """The font at `size` times `scale`, a little smaller if hinting at that size would
    make `text` wider than the layout measured it."""
    pixels = round(size * scale * 4) / 4
    room = text_width(text, size) * scale
    found = _drawing_font(pixels)
    while found.getlength(text) > room and pixels > 4:
        pixels -= 0.25
        found = _drawing_font(pixels)
    return found


class _KeepingFont(ImageFont.FreeTypeFont):
    """The bundled font, keeping each text it has drawn (FreeType's bitmap of it, at the same
    place within a pixel): a case's genogram shows the same names on each day it is drawn for."""

    def __init__(self, size: float) -> None:
        super().__init__(str(FONT), size)
        self._drawn: dict[tuple[str, str, str], Any] = {}

    def getmask2(self, text: str | bytes, mode: str = "", *args: Any, **kwargs: Any) -> tuple[Any, tuple[int, int]]:
        key = (repr(text), mode, repr((args, sorted(kwargs.items()))))
        found = self._drawn.get(key)
        if found is None:
            if len(self._drawn) >= 256:  # a bound on what a long batch keeps
                self._drawn.clear()
            found = self._drawn[key] = super().getmask2(text, mode, *args, **kwargs)
        return found


@functools.lru_cache(maxsize=32)
def _drawing_font(size: float) -> _KeepingFont:
    return _KeepingFont(size)


def _png_text(draw: ImageDraw.ImageDraw, item: Text, scale: float) -> None:
    font = _fitted_font(item.text, item.size, scale)
    x, y = item.x * scale, item.y * scale
    draw.text((x, y), item.text, font=font, fill=item.colour, anchor="ms" if item.anchor == "middle" else "ls")


def _png_shape(draw: ImageDraw.ImageDraw, shape: Shape, scale: float) -> None:
    r = shape.size / 2 * scale
    x, y = shape.x * scale, shape.y * scale
    width = max(1, round(shape.width * scale))
    fill = WHITE if shape.filled else None
    if shape.kind == "square":
        draw.rectangle([(x - r, y - r), (x + r, y + r)], fill=fill, outline=INK, width=width)
    elif shape.kind == "circle":
        draw.ellipse([(x - r, y - r), (x + r, y + r)], fill=fill, outline=INK, width=width)
    else:
        draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=fill, outline=INK, width=width)


@functools.cache
def _palette() -> Image.Image:
    """White and 15 shades of each ink towards white: all a drawing antialiased on white holds."""
    colours = [(255, 255, 255)]
    for ink in (INK, GREY, HOUSEHOLD_COLOUR, CLOSE_COLOUR, CONFLICT_COLOUR, CUT_OFF_COLOUR):
        r, g, b = (int(ink[i:i + 2], 16) for i in (1, 3, 5))
        colours += [(round(255 + (r - 255) * t / 15), round(255 + (g - 255) * t / 15), round(255 + (b - 255) * t / 15))
                    for t in range(1, 16)]
    image = Image.new("P", (1, 1))
    image.putpalette([c for colour in colours for c in colour])
    return image


# A case's documents draw its genogram for each day one of them shows: only the text (ages,
# the day) differs, so the lines and shapes drawn last time are kept, and used again.
@functools.lru_cache(maxsize=2)
def _lines_and_shapes(width: int, height: int, scale: float, items: tuple[Shape | Stroke, ...]) -> Image.Image:
    """Lines and shapes drawn large and reduced, in order (the image is kept: copy it to draw on)."""
    big = scale * SUPERSAMPLE
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), WHITE)
    draw = ImageDraw.Draw(image)
    for item in items:
        if isinstance(item, Shape):
            _png_shape(draw, item, big)
        else:
            points = [(a * big, b * big) for a, b in item.points]
            if item.closed:
                points.append(points[0])
            line_width = max(1, round(item.width * big))
            if item.dash == "solid":
                draw.line(points, fill=item.colour, width=line_width, joint="curve")
            else:
                on, off = DASHES[item.dash]
                for piece in _dashed(points, on * big, off * big):
                    draw.line(piece, fill=item.colour, width=line_width)
    return image.reduce(SUPERSAMPLE)


def painted(layout: GenogramLayout) -> Image.Image:
    """The layout painted: lines and shapes drawn large and reduced, text drawn at size
    (FreeType smooths it), then held with a palette, which is smaller and quicker."""
    pixels = min(PNG_MOST_PIXELS, layout.width_mm / 25.4 * PNG_DPI)
    scale = max(1.0, min(PNG_MAX_SCALE, pixels / layout.width))
    width, height = round(layout.width * scale), round(layout.height * scale)
    drawn = tuple(item for item in layout.items if isinstance(item, Shape | Stroke))
    image = _lines_and_shapes(width, height, scale, drawn).copy()
    draw = ImageDraw.Draw(image)
    for item in layout.items:  # text comes last in the layout too, so nothing is drawn over it
        if isinstance(item, Patch):
            box = item.box
            draw.rectangle([(box.left * scale, box.top * scale), (box.right * scale, box.bottom * scale)], fill=WHITE)
        elif isinstance(item, Text):
            _png_text(draw, item, scale)
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


def png(layout: GenogramLayout) -> tuple[bytes, int, int]:
    """The layout painted, as PNG: its bytes, width and height."""
    image = painted(layout)
    out = io.BytesIO()
    # zlib's fastest level: the same pixels, at half the time of the default for a file about
    # half as large again (a genogram, a page's worth, takes about 70 KB).
    image.save(out, format="PNG", compress_level=PNG_COMPRESSION)
    return out.getvalue(), image.width, image.height
