"""A case's genogram drawn for one day after another is the one drawn for that day alone.

A case's documents draw its genogram for each day they show. When a day's ages and subtitle
take the same room as the last day's, its layout is the last one with their words changed
(`layout._day_free`, `layout._on`), and its picture is the last one painted again only
round the words that changed (`png._changed`). Both are compared here with a layout and a
painting made afresh, for the sample cases and generated families (bench/cases.py, its
fixed seed) on several days each. Everyone is fictional.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import reunify.documents.genogram.layout as layout_module
import reunify.documents.genogram.png as png_module
from reunify.engine.asof import case_as_of
from reunify.records import load_case
from tests.conftest import SAMPLES
from tests.test_genogram_lines import bench_cases

TODAY = dt.date(2026, 11, 23)
DAYS = (TODAY, dt.date(2026, 2, 9), dt.date(2025, 6, 30), dt.date(2025, 6, 2), dt.date(2024, 3, 14))


@pytest.fixture(scope="module")
def drawings(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """For each case and day, in turn: the layout and the picture as drawn after the days
    before, whether they came from the last day's, and the layout and picture made afresh."""
    folders = sorted(p.parent for p in SAMPLES.glob("**/case.yaml"))
    folders += bench_cases().generate_cases(tmp_path_factory.mktemp("families"), 12)
    found = []
    for folder in folders:
        case, problems = load_case(Path(folder))
        assert case is not None, problems
        for day in DAYS:
            then = case if day >= TODAY else case_as_of(case, day)
            laid = layout_module._LAID[0] if layout_module._LAID else None
            layout = layout_module.layout_genogram(then, day)
            # A layout made afresh is kept first; one from another day leaves the kept ones as they were.
            from_another_day = laid is not None and layout_module._LAID[0] is laid
            last = png_module._last[0] if png_module._last else None
            picture = png_module.painted(layout)
            in_part = last is not None and bool(png_module._last) and png_module._last[0] is last
            kept = png_module._last[:]
            png_module._last.clear()
            alone = png_module.painted(layout)
            png_module._last[:] = kept
            found.append({"case": folder.name, "day": day, "layout": layout, "from_another_day": from_another_day,
                          "alone": layout_module._layout(then, day, []), "picture": picture, "in_part": in_part,
                          "picture_alone": alone})
    return found


def test_a_layout_from_another_day_is_the_one_made_afresh(drawings: list[dict[str, Any]]) -> None:
    for drawn in drawings:
        assert drawn["layout"] == drawn["alone"], (drawn["case"], drawn["day"], drawn["from_another_day"])
    # The case is common: most days a case's documents show differ in ages alone.
    assert sum(d["from_another_day"] for d in drawings) > len(drawings) // 4


def test_a_layout_from_another_day_shows_that_day(drawings: list[dict[str, Any]]) -> None:
    reused = [d for d in drawings if d["from_another_day"]]
    assert reused
    for drawn in reused:
        texts = [item.text for item in drawn["layout"].items if getattr(item, "cls", "") == "subtitle"]
        assert texts == [f"Ages on {drawn['day'].day} {drawn['day']:%B %Y}"]


def test_a_picture_painted_again_where_it_differs_is_the_one_painted_afresh(drawings: list[dict[str, Any]]) -> None:
    for drawn in drawings:
        picture, alone = drawn["picture"], drawn["picture_alone"]
        assert picture.size == alone.size and picture.getpalette() == alone.getpalette()
        assert picture.tobytes() == alone.tobytes(), (drawn["case"], drawn["day"], drawn["in_part"])
    assert sum(d["in_part"] for d in drawings) > len(drawings) // 4


def test_each_day_shows_its_own_ages() -> None:
    """Painted in part or afresh, a day's picture is that day's: ages a year apart differ."""
    case, problems = load_case(SAMPLES / "03-medium-agreement-review")
    assert case is not None, problems
    pictures = [png_module.png(layout_module.layout_genogram(case, day))[0] for day in (TODAY, dt.date(2027, 11, 23))]
    assert pictures[0] != pictures[1]


# Controls, surrogates, private use and unassigned code points; line and paragraph
# separators (a label's white space is spaces). Format characters (ZWJ, bidi marks) are looked at.
SKIPPED = ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")


def test_no_character_of_the_bundled_font_reaches_beyond_the_room_a_text_is_given() -> None:
    """What painting in part relies on (png._box): a text's ink lies within an em of its
    advance, two above its baseline and one below, for every character the font draws
    (marks apart: a text with one is painted whole)."""
    import unicodedata

    from PIL import ImageFont

    from reunify.core.resources import FONT

    em = 100
    font = ImageFont.truetype(str(FONT), em)
    beyond = []
    for code in range(0x20, 0x30000):
        character = chr(code)
        if unicodedata.category(character)[0] == "M" or unicodedata.category(character) in SKIPPED:
            continue
        left, top, right, bottom = font.getbbox(character, anchor="ls")
        if left < -em or right > font.getlength(character) + em or top < -2 * em or bottom > em:
            beyond.append(hex(code))
    assert beyond == []


def test_a_text_with_a_mark_is_never_painted_in_part() -> None:
    """Marks stack above and below what the font's characters reach: such a text is painted whole."""
    from reunify.documents.genogram import Text

    plain = (Text(100, 100, "Age 40", 12, "age"), Text(100, 130, "Jose", 14, "name"))
    changed = (Text(100, 100, "Age 41", 12, "age"), Text(100, 130, "Jose", 14, "name"))
    assert png_module._changed(plain, changed, 2.0, 1000, 600) is not None
    marked = tuple(Text(t.x, t.y, t.text.replace("Jose", "Jose\u0301"), t.size, t.cls) for t in plain)
    marked_changed = tuple(Text(t.x, t.y, t.text.replace("Jose", "Jose\u0301"), t.size, t.cls) for t in changed)
    assert png_module._changed(marked, marked_changed, 2.0, 1000, 600) is None
    assert png_module._changed(plain, (Text(100, 100, "Age 40\u0301", 12, "age"), plain[1]), 2.0, 1000, 600) is None
