"""The genogram: a case's family drawn from its people records, as SVG and as PNG.

One layout, drawn twice. `layout_genogram` turns the records into a list of drawing
items (shapes, strokes and text, in layout units that are SVG pixels); one backend
writes them as SVG for the screen, another paints them with Pillow as PNG for Word.

The layout, in steps (each a module of `reunify.documents.genogram`):

1. Rows (generations). Parents sit one row above their children and partners share a
   row; people with no links go on the row their relationship names.
2. Families (placement). A unit is a person and their partners side by side; units are
   placed row by row, children under their parents eldest first, parents over their
   children; groups are packed left to right, the child's family first.
3. Households (together). Members are moved side by side, row over row, so that each
   household's dashed outline is one rectangle where that is tidier.
4. The drawing (scene, paths, layout). Heights follow from the tallest label in each row;
   relationship lines, and any family line that would cross someone, are routed round
   symbols and labels; the drawing is sized so that its smallest text prints at 8 pt or
   more on a landscape A4 page, more compactly where the family needs it.

Nothing here reads the clock or prints; personal data only ever appears as visible
text and in the SVG's <title>.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reunify.core.files import make_private_folder
from reunify.core.files import write_atomic
from reunify.documents.genogram.generations import relationship_row
from reunify.documents.genogram.items import MAX_GENERATIONS
from reunify.documents.genogram.items import MAX_PEOPLE
from reunify.documents.genogram.items import SMALLEST_PRINTED_PT
from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import GenogramLayout
from reunify.documents.genogram.items import GenogramTooLarge
from reunify.documents.genogram.items import PlacedPerson
from reunify.documents.genogram.items import Shape
from reunify.documents.genogram.items import Stroke
from reunify.documents.genogram.items import Text
from reunify.documents.genogram.layout import layout_genogram
from reunify.documents.genogram.png import png as _png
from reunify.documents.genogram.svg import svg as _svg
from reunify.documents.genogram.text import age_text
from reunify.records import Case

__all__ = ["MAX_GENERATIONS", "MAX_PEOPLE", "SMALLEST_PRINTED_PT", "Box", "Genogram", "GenogramLayout",
           "GenogramPerson", "GenogramTooLarge", "PlacedPerson", "Shape", "Stroke", "Text", "draw_genogram",
           "genogram_people", "layout_genogram", "relationship_row", "write_genogram"]


@dataclass(frozen=True)
class GenogramPerson:
    """One person as the genogram shows them, for the table beside it in documents."""

    id: str
    name: str
    sex: str
    age: str  # "10", "" when the birth date is not known, "died 2019 aged 61"
    born: dt.date | None
    died: dt.date | None
    relationship: str
    household: str  # household names, comma separated; "" if none


@dataclass(frozen=True)
class Genogram:
    svg: str  # a complete SVG document ('' when drawn for Word only)
    png: bytes  # a PNG image
    width: int  # PNG size in pixels
    height: int
    people: tuple[GenogramPerson, ...]  # in layout order: rows top down, left to right
    width_mm: float = 0.0  # how wide to place it on its landscape page
    smallest_pt: float = 0.0  # its smallest text, printed at that width
    fits: bool = True  # whether that is 8 pt or more

    def too_small(self) -> str:
        """What to tell the reader when it does not fit ('' when it does): no names."""
        if self.fits:
            return ""
        return (f"the genogram is too large to print its text at {SMALLEST_PRINTED_PT:g} pt or more on a landscape "
                f"page, even drawn compactly: its smallest text prints at {self.smallest_pt:.1f} pt")


def genogram_people(case: Case, today: dt.date, layout: GenogramLayout | None = None) -> tuple[GenogramPerson, ...]:
    """Everyone on the genogram, in layout order, as the people table shows them."""
    layout = layout or layout_genogram(case, today)
    names: dict[str, list[str]] = {}
    for household in case.people.households:
        for pid in household.members:
            names.setdefault(pid, []).append(household.name)
    out = []
    for placed in layout.people:
        person = case.person(placed.id)
        assert person is not None
        out.append(GenogramPerson(person.id, person.name, person.sex, age_text(person, today), person.born,
                                  person.died, person.relationship or "", ", ".join(names.get(person.id, []))))
    return tuple(out)


def draw_genogram(case: Case, today: dt.date, *, svg: bool = True) -> Genogram:
    """The case's genogram as SVG and PNG, with ages on `today`, and the size to place it at;
    without `svg` (for Word, which takes the PNG), its `svg` is ''."""
    layout = layout_genogram(case, today)
    png, width, height = _png(layout)
    return Genogram(_svg(layout) if svg else "", png, width, height, genogram_people(case, today, layout), layout.width_mm,
                    layout.smallest_pt, layout.fits)


def write_genogram(case: Case, today: dt.date, folder: Path) -> list[Path]:
    """Write genogram.svg and genogram.png into folder (created owner-only if missing); return the paths."""
    drawn = draw_genogram(case, today)
    make_private_folder(folder)
    svg, png = folder / "genogram.svg", folder / "genogram.png"
    write_atomic(svg, drawn.svg.encode("utf-8"))
    write_atomic(png, drawn.png)
    return [svg, png]
