"""The genogram's PNG: stored losslessly (whatever zlib level makes it), and its text drawn
the same whether FreeType draws a name anew or the bitmap it drew on another day is used
again. Everyone is fictional.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from reunify.core.resources import FONT
from reunify.documents.genogram import draw_genogram
from reunify.documents.genogram import layout_genogram
from reunify.documents.genogram.png import _drawing_font
from reunify.documents.genogram.png import painted
from reunify.records import load_case
from tests.conftest import SAMPLES

TODAY = dt.date(2026, 11, 23)
SAMPLE_FOLDERS = sorted(p.parent for p in SAMPLES.glob("**/case.yaml"))  # each child of a sibling group too


def pixels(image: Image.Image) -> tuple[str, tuple[int, int], bytes]:
    return image.mode, image.size, image.convert("RGB").tobytes()


@pytest.mark.parametrize("folder", SAMPLE_FOLDERS, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_the_png_holds_exactly_the_pixels_painted(folder: Path) -> None:
    case, problems = load_case(folder)
    assert case is not None, problems
    drawn = draw_genogram(case, TODAY, svg=False)
    with Image.open(io.BytesIO(drawn.png)) as stored:
        assert stored.format == "PNG"
        assert (stored.width, stored.height) == (drawn.width, drawn.height)
        assert pixels(stored) == pixels(painted(layout_genogram(case, TODAY)))


def test_text_drawn_again_from_kept_bitmaps_is_the_text_drawn_anew() -> None:
    """A case's documents draw its genogram for several days, mostly the same names at the
    same places: the bitmaps FreeType drew for one day are used again for the next. Drawn
    with none kept, each day's picture is the same, pixel for pixel."""
    case, problems = load_case(SAMPLES / "03-medium-agreement-review")
    assert case is not None, problems
    days = (TODAY, dt.date(2025, 3, 1), dt.date(2025, 3, 2))
    layouts = [layout_genogram(case, day) for day in days]
    kept = [pixels(painted(layout)) for layout in layouts]  # each day after the first uses what came before
    anew = []
    for layout in layouts:
        _drawing_font.cache_clear()  # the fonts, and every bitmap they kept, gone
        anew.append(pixels(painted(layout)))
    assert kept == anew
    assert kept[0] != kept[1]  # ages on another day: another picture


def test_a_kept_bitmap_is_used_only_for_the_same_text_drawn_the_same_way() -> None:
    """The same name drawn again at another place within a pixel, anchored otherwise or in
    another colour comes out as Pillow draws it, not as it was drawn before."""
    kept, plain = _drawing_font(13.25), ImageFont.truetype(str(FONT), 13.25)
    for text, x, anchor, colour in [("Jo Smith", 20.0, "ms", "#1a1a1a"), ("Jo Smith", 20.5, "ms", "#1a1a1a"),
                                    ("Jo Smith", 20.25, "ls", "#1a1a1a"), ("Jo Smith", 20.25, "ls", "#555555"),
                                    ("34", 7.75, "ms", "#555555"), ("Jo Smith", 20.0, "ms", "#1a1a1a")]:
        drawn = []
        for font in (kept, plain):
            image = Image.new("RGB", (120, 30), "#ffffff")
            ImageDraw.Draw(image).text((x, 22), text, font=font, fill=colour, anchor=anchor)
            drawn.append(image.tobytes())
        assert drawn[0] == drawn[1], (text, x, anchor, colour)
