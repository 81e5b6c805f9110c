"""The layout painted as PNG, for Word: lines and shapes drawn large and reduced, text
drawn at size (FreeType smooths it), stored with a palette, which is smaller and quicker."""

from __future__ import annotations

import functools
import io
import itertools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
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


@dataclass
class _Painting:
    """A layout painted: its size and scale, what it was painted from, and the picture."""

    size: tuple[int, int, float]
    drawn: tuple[Shape | Stroke, ...]
    texts: tuple[Patch | Text, ...]
    picture: Image.Image  # with the palette


# The last layout painted: a case's documents draw its genogram for each day they show, and
# most days differ only in some text (ages, the subtitle) in the same places; that day is
# painted again only where its text differs (see _changed).
_last: list[_Painting] = []


def painted(layout: GenogramLayout) -> Image.Image:
    """The layout painted: lines and shapes drawn large and reduced, text drawn at size
    (FreeType smooths it), then held with a palette, which is smaller and quicker."""
    return _painting(layout).copy()


def _painting(layout: GenogramLayout) -> Image.Image:
    """As `painted`, but the picture kept for the next: use it before painting another."""
    pixels = min(PNG_MOST_PIXELS, layout.width_mm / 25.4 * PNG_DPI)
    scale = max(1.0, min(PNG_MAX_SCALE, pixels / layout.width))
    width, height = round(layout.width * scale), round(layout.height * scale)
    drawn = tuple(item for item in layout.items if isinstance(item, Shape | Stroke))
    texts = tuple(item for item in layout.items if isinstance(item, Patch | Text))
    lines = _lines_and_shapes(width, height, scale, drawn)
    last = _last[0] if _last else None
    changed = (_changed(last.texts, texts, scale, width, height)
               if last is not None and last.size == (width, height, scale) and last.drawn == drawn else None)
    if last is None or changed is None:
        image = lines.copy()
        _paint(ImageDraw.Draw(image), texts, scale, (0, 0))
        _last[:] = [_Painting((width, height, scale), drawn, texts, _indexed(image))]
        return _last[0].picture
    regions, boxes = changed
    parts = []
    for region in regions:  # each painted afresh from the lines and shapes, as the whole would be
        part = lines.crop(region)
        _paint(ImageDraw.Draw(part), [t for t, box in zip(texts, boxes, strict=True) if _meets(box, region)], scale,
               region[:2])
        parts.append(part)
    if parts:  # given the palette together: one call, not one a region
        strip = Image.new("RGB", (max(p.width for p in parts), sum(p.height for p in parts)), WHITE)
        top = 0
        for part in parts:
            strip.paste(part, (0, top))
            top += part.height
        strip, top = _indexed(strip), 0
        for region, part in zip(regions, parts, strict=True):
            last.picture.paste(strip.crop((0, top, part.width, top + part.height)), region[:2])
            top += part.height
    last.texts = texts
    return last.picture


def _indexed(image: Image.Image) -> Image.Image:
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


def _paint(draw: ImageDraw.ImageDraw, texts: Sequence[Patch | Text], scale: float, origin: tuple[int, int]) -> None:
    """White patches and text, in order, on a picture whose top left is `origin` of the whole.

    Drawn at a whole number of pixels from where the whole has them, every one comes out
    as on the whole: Pillow places a text by the whole pixel it starts in and the
    fraction of a pixel past it, and a rectangle by whole pixels."""
    left, top = origin
    for item in texts:  # text comes last in the layout too, so nothing is drawn over it
        if isinstance(item, Patch):
            box = item.box
            draw.rectangle([(box.left * scale - left, box.top * scale - top),
                            (box.right * scale - left, box.bottom * scale - top)], fill=WHITE)
        else:
            font = _fitted_font(item.text, item.size, scale)
            draw.text((item.x * scale - left, item.y * scale - top), item.text, font=font, fill=item.colour,
                      anchor="ms" if item.anchor == "middle" else "ls")


Region = tuple[int, int, int, int]  # left, top, right, bottom, in pixels


def _box(item: Patch | Text, scale: float) -> Region:
    """The pixels an item may paint, with room to spare. A text's are worked out from the
    room the layout measured for it (its font is fitted to take no more: _fitted_font):
    no character of the bundled font reaches an em beyond its advance, two above its
    baseline or one below (tests/test_genogram_days.py looks at every one); a text with
    marks, which stack, is never painted in part (_changed)."""
    if isinstance(item, Patch):
        box = item.box
        left, top, right, bottom = box.left * scale, box.top * scale, box.right * scale, box.bottom * scale
    else:
        x, y, em = item.x * scale, item.y * scale, item.size * scale
        font = _fitted_font(item.text, item.size, scale)
        room = text_width(item.text, item.size) * scale if font.size > 4 else font.getlength(item.text)  # the least
        left = x - room / 2 if item.anchor == "middle" else x
        left, top, right, bottom = left - em, y - 2 * em, left + room + em, y + em
    return math.floor(left) - 3, math.floor(top) - 3, math.ceil(right) + 3, math.ceil(bottom) + 3


@functools.lru_cache(maxsize=4096)
def _marked(text: str) -> bool:
    """Whether a text holds a mark (an accent typed apart, a vowel sign...): marks stack."""
    return any(unicodedata.category(c).startswith("M") for c in text)


def _meets(a: Region, b: Region) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _changed(before: tuple[Patch | Text, ...], after: tuple[Patch | Text, ...], scale: float, width: int,
             height: int) -> tuple[list[Region], list[Region]] | None:
    """Where a painting of `before` must be painted again to show `after`, when they differ
    only in the words of some texts (None otherwise): round each such text, before and after,
    grown until every item painted in a region lies wholly inside it. And the pixels each
    item of `after` may paint (see _box)."""
    if len(before) != len(after):
        return None
    regions: list[Region] = []
    for old, new in zip(before, after, strict=True):
        if old == new:
            continue
        if not isinstance(old, Text) or not isinstance(new, Text) or replace(old, text=new.text) != new:
            return None
        if _marked(old.text) or _marked(new.text):
            return None
        regions.append(_union(_box(old, scale), _box(new, scale)))
    if regions and any(isinstance(item, Text) and _marked(item.text) for item in after):
        return None
    boxes = [_box(item, scale) for item in after] if regions else []
    grown = True
    while grown:  # until no region meets an item it does not hold, nor another region
        grown = False
        merged: list[Region] = []
        for region in regions:
            for box in boxes:
                if _meets(region, box) and _union(region, box) != region:
                    region, grown = _union(region, box), True
            for k, other in enumerate(merged):
                if _meets(region, other):
                    merged[k], region, grown = _union(region, other), (0, 0, 0, 0), True
                    break
            if region != (0, 0, 0, 0):
                merged.append(region)
        regions = merged
    return [(max(0, r[0]), max(0, r[1]), min(width, r[2]), min(height, r[3])) for r in regions
            if r[0] < width and r[1] < height and r[2] > 0 and r[3] > 0], boxes


def _union(a: Region, b: Region) -> Region:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def png(layout: GenogramLayout) -> tuple[bytes, int, int]:
    """The layout painted, as PNG: its bytes, width and height."""
    image = _painting(layout)
    out = io.BytesIO()
    # zlib's fastest level: the same pixels, at half the time of the default for a file about
    # half as large again (a genogram, a page's worth, takes about 70 KB).
    image.save(out, format="PNG", compress_level=PNG_COMPRESSION)
    return out.getvalue(), image.width, image.height
