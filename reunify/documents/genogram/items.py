"""The genogram's vocabulary: sizes, colours, the print standard and the drawing items.

Everything is measured in layout units (SVG pixels). The scene is drawn once in these
units; where it is placed in a document decides how large a unit prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reunify.core.errors import ReunifyError

# What one picture can hold: beyond these a genogram is refused with a message, not drawn
# for minutes into gigabytes.
MAX_PEOPLE = 150
MAX_GENERATIONS = 12
LABEL_LIMIT = 200  # characters of one label


class GenogramTooLarge(ReunifyError):
    """The records describe a family too large (or too deep) to draw on one page."""


# Sizes in layout units.
SYMBOL = 36.0  # side of a square, diameter of a circle, diagonal of a diamond
OUTLINE = 4.0  # gap to the second outline round the child
PITCH = 160.0  # distance between neighbours' centres in a row
LABEL_WIDTH = 126.0  # labels wrap to this, leaving a clear lane for lines between columns
FAMILY_GAP = 24.0  # extra space between units that are not brothers and sisters
MARGIN = 24.0
# Text is large against the drawing, so that a family of three generations and seven or
# eight people to a row prints its smallest text at 8 pt on its page.
NAME_SIZE = 13.0
AGE_SIZE = 12.0
NOTE_SIZE = 12.0
HOUSEHOLD_SIZE = 12.0
KEY_SIZE = 12.0
TITLE_SIZE = 17.0
LEADING = 1.3  # line height as a multiple of the font size
BAR_STEP = 9.0  # between the levels of sibling bars that would otherwise overlap
HOUSEHOLD_PAD = 6.0  # from a household's members to its outline

# The print standard. In the documents the genogram has a landscape A4 page of its own
# (2 cm margins: tools/build_templates.py); it is placed as large as that page allows, up
# to a unit a point, and its smallest text must print at 8 pt or more.
PAGE_WIDTH_MM = 257.0
PAGE_HEIGHT_MM = 160.0  # 170 mm between the margins, less room for the paragraph
SMALLEST_PRINTED_PT = 8.0
LARGEST_SCALE = 1.0  # points a unit: text no larger than its size in units
POINTS_PER_MM = 72 / 25.4
# Ways of drawing the same family more compactly, tried in turn until its text prints at
# 8 pt: text larger against the drawing (the drawing then prints at a smaller scale), each
# person's relationship in fewer lines (the table of people holds it whole). No larger than
# this, so that a long surname still fits a label's width. After these, people on their own
# (a friend, a youth worker) are moved to the rows with room (generations.py).
COMPACT: tuple[tuple[float, int], ...] = ((1.0, 4), (1.1, 4), (1.1, 3), (1.2, 3), (1.2, 2))

INK = "#1a1a1a"
GREY = "#555555"
HOUSEHOLD_COLOUR = "#3b6ea5"
CLOSE_COLOUR = "#2e7d32"
CONFLICT_COLOUR = "#c62828"
CUT_OFF_COLOUR = "#6d4c41"
WHITE = "#ffffff"

Dash = Literal["solid", "dashed", "dotted"]
ShapeKind = Literal["square", "circle", "diamond"]
Anchor = Literal["start", "middle"]
Point = tuple[float, float]

DASHES: dict[Dash, tuple[float, float]] = {"solid": (0.0, 0.0), "dashed": (6.0, 4.0), "dotted": (1.5, 3.0)}


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def union(self, other: Box) -> Box:
        return Box(min(self.left, other.left), min(self.top, other.top), max(self.right, other.right),
                   max(self.bottom, other.bottom))


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    x: float  # centre
    y: float
    size: float
    cls: str
    width: float = 1.5
    filled: bool = True  # white inside, hiding lines behind it


@dataclass(frozen=True)
class Stroke:
    points: tuple[Point, ...]
    cls: str
    dash: Dash = "solid"
    colour: str = INK
    width: float = 1.5
    closed: bool = False
    ends: tuple[str, ...] = ()  # the people a line joins (never drawn: for checking the layout)


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    cls: str
    colour: str = INK
    anchor: Anchor = "middle"


@dataclass(frozen=True)
class Patch:
    """A white rectangle behind a line of text."""

    box: Box
    cls: str = "text-back"


Item = Shape | Stroke | Text | Patch

# The strokes that join people: no symbol or label but their own lies in their way.
LINE_CLASSES = frozenset({"couple", "child-line", "child-stem", "sibling-bar", "tie"})


@dataclass(frozen=True)
class PlacedPerson:
    id: str
    row: int
    x: float  # centre of the symbol
    y: float
    symbol: Box
    label: Box


@dataclass(frozen=True)
class GenogramLayout:
    """Where everything goes: the drawing items, boxes to check for overlaps, and the
    scale it prints at on its page (points a unit)."""

    width: float
    height: float
    title: str
    people: tuple[PlacedPerson, ...]
    labels: tuple[Box, ...]  # every block of text: people, households, key, title
    items: tuple[Item, ...]
    scale: float = LARGEST_SCALE
    households: tuple[tuple[str, bool], ...] = ()  # each household drawn, and whether as a rectangle

    @property
    def smallest_text(self) -> float:
        """The smallest text in the picture, in layout units."""
        return min((item.size for item in self.items if isinstance(item, Text)), default=NOTE_SIZE)

    @property
    def smallest_pt(self) -> float:
        """The smallest text as printed, in points."""
        return self.smallest_text * self.scale

    @property
    def fits(self) -> bool:
        """Whether every label prints at 8 pt or more on the genogram's page."""
        return self.smallest_pt >= SMALLEST_PRINTED_PT - 1e-6

    @property
    def width_mm(self) -> float:
        """How wide the picture is placed in a document."""
        return self.width * self.scale / POINTS_PER_MM
