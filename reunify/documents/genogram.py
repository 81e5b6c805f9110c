"""The genogram: a case's family drawn from its people records, as SVG and as PNG.

One layout, drawn twice. `layout_genogram` turns the records into a list of drawing
items (shapes, strokes and text, in layout units that are SVG pixels); one backend
writes them as SVG for the screen, another paints them with Pillow as PNG for Word.

The layout, in four steps:

1. Rows. Parents sit one row above their children and partners share a row. People
   with no links at all go on the row their relationship names ("maternal
   grandmother" two rows above the child, "foster carer" or "aunt" on the parents'
   row, "half-brother" on the child's), the parents' row when it names none.
2. Families. Each group of people linked by parents and couples is laid out on its
   own. A unit is a person and their partners side by side; units are ordered and
   placed row by row, children spread under their parents' couple line eldest first,
   parents centred over their children, by a few sweeps down and up. Where a
   person's partners could sit either way round, both are tried and the tidier kept
   (fewer crossings, fewer non-members inside a household boundary).
3. Groups are packed left to right, the child's family first, each as far left as
   its rows allow (foster carers end up on the right of the parents' row).
4. Heights follow from the tallest label in each row; a household boundary is a
   rounded outline round its members, stepping from row to row.

Nothing here reads the clock or prints; personal data only ever appears as visible
text and in the SVG's <title>.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from pathlib import Path
from typing import Literal

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

from reunify.dates import age_in_years
from reunify.documents.context import clean_text
from reunify.files import make_private_folder
from reunify.files import write_atomic
from reunify.problems import ReunifyError
from reunify.records import Case
from reunify.records import models as m
from reunify.resources import FONT

# What one picture can hold: beyond these a genogram is refused with a message, not drawn
# for minutes into gigabytes.
MAX_PEOPLE = 150
MAX_GENERATIONS = 12
LABEL_LIMIT = 200  # characters of one label


class GenogramTooLarge(ReunifyError):
    """The records describe a family too large (or too deep) to draw on one page."""


# Sizes in layout units (SVG pixels).
SYMBOL = 36.0  # side of a square, diameter of a circle, diagonal of a diamond
OUTLINE = 4.0  # gap to the second outline round the child
PITCH = 160.0  # distance between neighbours' centres in a row
LABEL_WIDTH = 120.0  # labels wrap to this, leaving a clear lane for lines between columns
FAMILY_GAP = 24.0  # extra space between units that are not brothers and sisters
MARGIN = 24.0
NAME_SIZE = 12.0
AGE_SIZE = 11.0
NOTE_SIZE = 10.0
HOUSEHOLD_SIZE = 10.0
KEY_SIZE = 11.0
TITLE_SIZE = 15.0
LEADING = 1.3  # line height as a multiple of the font size
BAR_STEP = 9.0  # between the levels of sibling bars that would otherwise overlap

INK = "#1a1a1a"
GREY = "#555555"
HOUSEHOLD_COLOUR = "#3b6ea5"
CLOSE_COLOUR = "#2e7d32"
CONFLICT_COLOUR = "#c62828"
CUT_OFF_COLOUR = "#6d4c41"
WHITE = "#ffffff"

# The PNG goes into Word 160 mm wide: about 1600 pixels is 250 dpi. Small families get
# up to 2 pixels a unit; wide ones 1, and a picture wider than 1600 (Word shrinks it).
PNG_TARGET_WIDTH = 1600
PNG_MAX_SCALE = 2.0
SUPERSAMPLE = 2  # lines and shapes are drawn this much larger, then reduced, to smooth them

SVG_NS = "http://www.w3.org/2000/svg"
# Labels are measured in DejaVu Sans; the fonts after it are no wider, so text still fits.
FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif"

Dash = Literal["solid", "dashed", "dotted"]
ShapeKind = Literal["square", "circle", "diamond"]
Anchor = Literal["start", "middle"]
Point = tuple[float, float]

DASHES: dict[Dash, tuple[float, float]] = {"solid": (0.0, 0.0), "dashed": (6.0, 4.0), "dotted": (1.5, 3.0)}


# -- public results ----------------------------------------------------------------------


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
    svg: str  # a complete SVG document
    png: bytes  # a PNG image
    width: int  # PNG size in pixels
    height: int
    people: tuple[GenogramPerson, ...]  # in layout order: rows top down, left to right


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


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
    """Where everything goes: the drawing items, and boxes to check for overlaps."""

    width: float
    height: float
    title: str
    people: tuple[PlacedPerson, ...]
    labels: tuple[Box, ...]  # every block of text: people, households, key, title
    items: tuple[Item, ...]


# -- text ------------------------------------------------------------------------------

_MEASURE_SIZE = 64
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=64)
def _font(size: float) -> ImageFont.FreeTypeFont:
    """DejaVu Sans, shipped in the package: it draws every accented Latin letter itself."""
    return ImageFont.truetype(str(FONT), size)


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float) -> float:
    """The width of `text` in the genogram's font, in layout units."""
    width = _font(_MEASURE_SIZE).getlength(text)
    return width * size / _MEASURE_SIZE * 1.02  # a little room: hinted text can come out wider


def _one_line(text: str) -> str:
    line = _SPACE.sub(" ", clean_text(text)).strip()
    # A label longer than this cannot be laid out under a symbol anyway ('check' says so).
    return line if len(line) <= LABEL_LIMIT else line[:LABEL_LIMIT - 1] + "\u2026"


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width`; long words are split."""
    lines: list[str] = []
    current = ""
    for word in _one_line(text).split(" "):
        if not word:
            continue
        trial = f"{current} {word}" if current else word
        if text_width(trial, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size) > width:
            cut = max(1, next((i for i in range(len(word), 0, -1) if text_width(word[:i], size) <= width), 1))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


# -- what each person shows ------------------------------------------------------------------


def age_text(person: m.Person, today: dt.date) -> str:
    """The age for the people table: "10", "" if unknown, "died 2019 aged 61"."""
    if person.died is not None:
        if person.born is not None and person.born <= person.died:
            return f"died {person.died.year} aged {age_in_years(person.born, person.died)}"
        return f"died {person.died.year}"
    if person.born is None or person.born > today:
        return ""
    return str(age_in_years(person.born, today))


def _age_label(person: m.Person, today: dt.date) -> str:
    if person.died is not None:
        if person.born is not None and person.born <= person.died:
            return f"{person.born.year}-{person.died.year}, aged {age_in_years(person.born, person.died)}"
        return f"Died {person.died.year}"
    if person.born is None or person.born > today:
        return ""
    years = age_in_years(person.born, today)
    if years >= 2:
        return f"Age {years}"
    months = (today.year - person.born.year) * 12 + today.month - person.born.month
    if today.day < person.born.day:
        months -= 1
    return "Age under 1 month" if months < 1 else f"Age {months} month{'s' if months > 1 else ''}"


@dataclass(frozen=True)
class _Label:
    lines: tuple[tuple[str, float, str], ...]  # text, size, colour

    @property
    def height(self) -> float:
        return sum(size * LEADING for _, size, _ in self.lines)

    @property
    def width(self) -> float:
        return max((text_width(text, size) for text, size, _ in self.lines), default=0.0)


def _person_label(person: m.Person, today: dt.date) -> _Label:
    lines = [(line, NAME_SIZE, INK) for line in wrap(person.name, NAME_SIZE, LABEL_WIDTH)]
    age = _age_label(person, today)
    if age:
        lines += [(line, AGE_SIZE, INK) for line in wrap(age, AGE_SIZE, LABEL_WIDTH)]
    if person.relationship:
        lines += [(line, NOTE_SIZE, GREY) for line in wrap(person.relationship, NOTE_SIZE, LABEL_WIDTH)]
    return _Label(tuple(lines))


# -- rows ------------------------------------------------------------------------------

# Generations relative to the child, for people with no links to place them by.
_KIN: tuple[tuple[re.Pattern[str], int], ...] = tuple((re.compile(p), g) for p, g in (
    (r"great[- ]?grand", -3),
    (r"grand(mother|father|parent|ma|pa|mum|dad|mam|nan)|\bnan\b|\bnana\b", -2),
    (r"\b(grandson|granddaughter|grandchild)\b", 2),
    (r"\b(brother|sister|sibling|cousin)\b", 0),
    (r"\b(son|daughter|niece|nephew|baby)\b", 1),
    (r"\b(mother|father|parent|mum|dad|aunt|uncle|carer|partner|husband|wife|guardian)\b", -1),
))
_TAIL: tuple[tuple[re.Pattern[str], int], ...] = tuple((re.compile(p), g) for p, g in (
    (r"grand(mother|father|parent)", -2),
    (r"\b(mother|father|parent|mum|dad)\b", -1),
    (r"\b(son|daughter|child)\b", 1),
))
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def kin_row(relationship: str | None) -> int | None:
    """Rows above (-) or below (+) the child that a relationship names, if it names one."""
    if not relationship:
        return None
    parts = _POSSESSIVE.split(relationship.lower())
    head = next((g for pattern, g in _KIN if pattern.search(parts[0])), None)
    if head is None:
        return None
    for part in parts[1:]:
        head += next((g for pattern, g in _TAIL if pattern.search(part)), 0)
    return head


def relationship_row(relationship: str | None) -> int:
    """The row, relative to the child's, for someone placed by their relationship alone:
    the one it names, else the parents' row (carers, friends, professionals)."""
    row = kin_row(relationship)
    return -1 if row is None else row


GENERATION_YEARS = 25


def _shift_by_births(family: _Family, row: dict[str, int], main: list[str], group: list[str]) -> int | None:
    """The shift that puts a separate group's people nearest in age to the child's family
    on each row, or None when birth dates are missing on either side."""
    years: dict[int, list[int]] = {}
    for pid in main:
        born = family.people[pid].born
        if born is not None:
            years.setdefault(row[pid], []).append(born.year)
    theirs = [(row[p], born.year) for p in group if (born := family.people[p].born) is not None]
    if not years or not theirs:
        return None
    mean = {r: sum(ys) / len(ys) for r, ys in years.items()}

    def expected(r: int) -> float:
        nearest = min(mean, key=lambda k: (abs(k - r), k))
        return mean[nearest] + (r - nearest) * GENERATION_YEARS

    low, high = min(mean) - 3, max(mean) + 3
    shifts = range(low - min(r for r, _ in theirs), high - max(r for r, _ in theirs) + 1)
    return min(shifts, key=lambda s: (sum(abs(y - expected(r + s)) for r, y in theirs), abs(s)), default=None)


class _Groups:
    """Union-find over person ids, remembering record order."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self, order: Sequence[str]) -> list[list[str]]:
        found: dict[str, list[str]] = {}
        for item in order:
            found.setdefault(self.find(item), []).append(item)
        return list(found.values())


@dataclass
class _Family:
    """The records, indexed: who is whose parent and partner."""

    people: dict[str, m.Person]
    order: list[str]  # record order
    child: str | None
    parents: dict[str, tuple[str, ...]]  # at most two, as recorded
    couples: list[tuple[str, str, str | None]]  # a, b, status (None: parents, no couple recorded)
    partners: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    @property
    def index(self) -> dict[str, int]:
        return {pid: i for i, pid in enumerate(self.order)}


def _family(case: Case) -> _Family:
    people = {p.id: p for p in case.people.people}
    order = list(people)
    parents: dict[str, tuple[str, ...]] = {}
    for pid, person in people.items():
        seen: list[str] = []
        for parent in person.parents:
            if parent in people and parent != pid and parent not in seen:
                seen.append(parent)
        parents[pid] = tuple(seen[:2])
    couples: list[tuple[str, str, str | None]] = []
    pairs: set[frozenset[str]] = set()
    for couple in case.people.couples:
        a, b = couple.people
        if a in people and b in people and a != b and frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            couples.append((a, b, couple.status))
    for pid in order:
        if len(parents[pid]) == 2 and frozenset(parents[pid]) not in pairs:
            pairs.add(frozenset(parents[pid]))
            couples.append((parents[pid][0], parents[pid][1], None))
    child = case.case.child if case.case.child in people else None
    family = _Family(people, order, child, parents, couples)
    family.partners = {pid: [] for pid in order}
    family.children = {pid: [] for pid in order}
    for a, b, _ in couples:
        family.partners[a].append(b)
        family.partners[b].append(a)
    for pid in order:
        for parent in parents[pid]:
            family.children[parent].append(pid)
    return family


def _rows(family: _Family, households: Sequence[m.Household]) -> tuple[dict[str, int], list[list[str]]]:
    """Each person's row (0 at the top), and the linked groups, the child's first."""
    order = family.order
    row = dict.fromkeys(order, 0)
    links = [(parent, kid) for kid in order for parent in family.parents[kid]]
    for _ in range(len(order) + 1):  # a loop of parents in the records just stops here
        changed = False
        for parent, kid in links:
            if row[kid] < row[parent] + 1:
                row[kid] = row[parent] + 1
                changed = True
        for a, b, _ in family.couples:
            if row[a] != row[b]:
                row[a] = row[b] = max(row[a], row[b])
                changed = True
        if not changed:
            break
    couples = _Groups(order)
    for a, b, _ in family.couples:
        couples.join(a, b)
    for group in couples.groups(order):  # parents with no parents sit just above their children
        if any(family.parents[p] for p in group):
            continue
        kids = [row[k] for p in group for k in family.children[p]]
        if kids and min(kids) - 1 > row[group[0]]:
            for p in group:
                row[p] = min(kids) - 1
    linked = _Groups(order)
    for a, b, _ in family.couples:
        linked.join(a, b)
    for parent, kid in links:
        linked.join(parent, kid)
    groups = linked.groups(order)
    if family.child is not None:
        groups.sort(key=lambda g: family.child not in g)
    if len(groups) > 1:
        first = set(groups[0])
        homes = [set(h.members) for h in households]
        groups[1:] = sorted(groups[1:], key=lambda g: not any(h & first and h & set(g) for h in homes))
    main_row = row[family.child] if family.child is not None else 1
    for group in groups[1:]:
        hinted = next((p for p in group if kin_row(family.people[p].relationship) is not None), None)
        by_births = _shift_by_births(family, row, groups[0], group)
        if hinted is not None:
            shift = main_row + relationship_row(family.people[hinted].relationship) - row[hinted]
        elif by_births is not None:
            shift = by_births
        else:
            shift = main_row - 1 - min(row[p] for p in group)
        for p in group:
            row[p] += shift
    used = {r: i for i, r in enumerate(sorted(set(row.values())))}  # no empty rows (records that loop)
    return {p: used[r] for p, r in row.items()}, groups


# -- placing people across the page ---------------------------------------------------------


@dataclass
class _Unit:
    """A person and their partners, side by side on one row."""

    members: list[str]
    row: int
    x: float = 0.0

    def offset(self, pid: str) -> float:
        return (self.members.index(pid) - (len(self.members) - 1) / 2) * PITCH

    @property
    def half(self) -> float:
        return (len(self.members) - 1) * PITCH / 2


@dataclass(frozen=True)
class _Sibship:
    parents: tuple[str, ...]
    children: tuple[str, ...]  # eldest first


def _near(members: Sequence[str], partners: dict[str, list[str]]) -> dict[str, list[str]]:
    inside = set(members)
    return {p: [q for q in partners[p] if q in inside] for p in members}


def _is_line(members: Sequence[str], near: dict[str, list[str]]) -> bool:
    edges = sum(len(v) for v in near.values()) // 2
    return edges == len(members) - 1 and all(len(v) <= 2 for v in near.values())


def arrangements(members: Sequence[str], partners: dict[str, list[str]]) -> int:
    """How many ways `_chain` can set out these partners."""
    if len(members) == 1:
        return 1
    near = _near(members, partners)
    if _is_line(members, near):
        return 2
    return 2 * len(near[max(members, key=lambda p: len(near[p]))])


def _chain(members: list[str], partners: dict[str, list[str]], variant: int = 0) -> list[str]:
    """Partners side by side: a line of couples in order; a person with more partners
    in the middle, partners on alternate sides. `variant` picks one of the ways round."""
    near = _near(members, partners)
    if len(members) == 1:
        return list(members)
    if _is_line(members, near):
        start = next(p for p in members if len(near[p]) == 1)
        line = [start]
        while len(line) < len(members):
            line.append(next(q for q in near[line[-1]] if q not in line))
        return line[::-1] if variant % 2 else line
    hub = max(members, key=lambda p: len(near[p]))  # first of the busiest, in record order
    turn = variant // 2 % len(near[hub])
    around = near[hub][turn:] + near[hub][:turn]
    left: list[str] = []
    right: list[str] = []
    for i, p in enumerate(around):
        (right if i % 2 == 0 else left).append(p)
    rest = [p for p in members if p != hub and p not in near[hub]]
    line = [*reversed(left), hub, *right, *rest]
    return line[::-1] if variant % 2 else line


def couple_point(unit: Sequence[str], a: str, b: str, partners: dict[str, list[str]]) -> float:
    """Where a couple's children hang from, as a position in the unit (0 is its first
    person): halfway between partners side by side; else in the gap beside the partner
    at the far end, so the line drops clear of anyone between them."""
    i, j = unit.index(a), unit.index(b)
    if abs(i - j) == 1:
        return (i + j) / 2
    near = _near(unit, partners)
    far, other = (i, j) if (len(near[a]), -i) < (len(near[b]), -j) else (j, i)
    return far + (0.5 if other > far else -0.5)


HOOK = PITCH / 2 - 10  # a single parent's line leaves the symbol's side and drops this far out


def hook(unit: Sequence[str], parent: str) -> float:
    """Where a single parent's line to their children drops, from the parent's centre.

    It leaves the side of the symbol that has no partner, so it misses the parent's own
    label; a person with partners on both sides has it straight down from the symbol.
    """
    index = unit.index(parent)
    if index == len(unit) - 1:
        return HOOK
    if index == 0:
        return -HOOK
    return 0.0


class _Placement:
    """One linked group of people, placed row by row."""

    def __init__(self, family: _Family, group: list[str], row: dict[str, int],
                 sibships: dict[str, _Sibship], variants: dict[tuple[str, ...], int]) -> None:
        self.family = family
        self.row = row
        self.sibships = sibships
        same_row = _Groups(group)
        for a, b, _ in family.couples:
            if a in same_row.parent and b in same_row.parent and row[a] == row[b]:
                same_row.join(a, b)
        self.units: list[_Unit] = []
        for members in same_row.groups(group):
            self.units.append(_Unit(_chain(members, family.partners, variants.get(tuple(sorted(members)), 0)),
                                    row[members[0]]))
        self.unit_of = {p: u for u in self.units for p in u.members}
        self.rows: dict[int, list[_Unit]] = {}
        for unit in self.units:
            self.rows.setdefault(unit.row, []).append(unit)
        self.rank = {c: (i, len(s.children)) for s in sibships.values() for i, c in enumerate(s.children)}
        self.sibship_of = {c: s for s in sibships.values() for c in s.children}
        self.parent_of: dict[str, list[_Sibship]] = {}
        for sibship in sibships.values():
            for parent in sibship.parents:
                self.parent_of.setdefault(parent, []).append(sibship)
        self.family_of = {c: s.parents for s in sibships.values() for c in s.children}

    def x(self, pid: str) -> float:
        unit = self.unit_of[pid]
        return unit.x + unit.offset(pid)

    def anchor(self, sibship: _Sibship) -> float:
        ps = sibship.parents
        unit = self.unit_of[ps[0]]
        if len(ps) == 2 and unit is self.unit_of.get(ps[1]):
            return unit.x + (couple_point(unit.members, ps[0], ps[1], self.family.partners)
                             - (len(unit.members) - 1) / 2) * PITCH
        return self.x(ps[0]) + hook(unit.members, ps[0])

    def _separation(self, a: _Unit, b: _Unit) -> float:
        kin = {self.family_of.get(p) for p in a.members} & {self.family_of.get(p) for p in b.members}
        gap = 0.0 if kin - {None} else FAMILY_GAP
        return a.half + b.half + PITCH + gap

    def _down(self, unit: _Unit) -> tuple[float | None, float]:
        """Where the unit's parents want it, and how much the members' side matters."""
        wants: list[float] = []
        lean = 0.0
        for pid in unit.members:
            parents = self.family_of.get(pid)
            if parents is None or any(self.row[p] >= unit.row for p in parents):
                continue
            rank, count = self.rank[pid]
            centre = self.anchor(self.sibship_of[pid])
            want = centre + (rank - (count - 1) / 2) * PITCH
            wants.append(want - unit.offset(pid))
            lean += unit.offset(pid) * (centre - want)
        return (sum(wants) / len(wants) if wants else None), lean

    def _up(self, unit: _Unit) -> float | None:
        wants: list[float] = []
        mine_first = {id(s): s for p in unit.members for s in self.parent_of.get(p, [])}
        for sibship in mine_first.values():
            mine = [p for p in sibship.parents if p in unit.members]
            kids = [self.x(c) for c in sibship.children if c in self.unit_of and self.row[c] > unit.row]
            if not mine or not kids:
                continue
            if len(mine) == 2:
                point = couple_point(unit.members, mine[0], mine[1], self.family.partners)
                offset = (point - (len(unit.members) - 1) / 2) * PITCH
            else:
                offset = unit.offset(mine[0]) + hook(unit.members, mine[0])
            wants.append((min(kids) + max(kids)) / 2 - offset)
        return sum(wants) / len(wants) if wants else None

    def _orient(self, unit: _Unit) -> None:
        """Turn a unit round when its members' parents pull that way."""
        if len(unit.members) < 2:
            return
        before = self._down(unit)
        spread_before = self._spread(unit)
        unit.members.reverse()
        after = self._down(unit)
        spread_after = self._spread(unit)
        if spread_after < spread_before - 1e-6 or (
                abs(spread_after - spread_before) <= 1e-6 and after[1] > before[1] + 1e-6):
            return
        unit.members.reverse()

    def _spread(self, unit: _Unit) -> float:
        wants = []
        for pid in unit.members:
            parents = self.family_of.get(pid)
            if parents is None or any(self.row[p] >= unit.row for p in parents):
                continue
            rank, count = self.rank[pid]
            centre = self.anchor(self.sibship_of[pid])
            wants.append(centre + (rank - (count - 1) / 2) * PITCH - unit.offset(pid))
        if not wants:
            return 0.0
        mean = sum(wants) / len(wants)
        return sum((w - mean) ** 2 for w in wants)

    def _settle(self, units: list[_Unit], wants: list[float | None]) -> None:
        """Order the row by where units want to be, then place them as near as allowed."""
        current = {id(u): u.x for u in units}
        target = {id(u): (w if w is not None else u.x) for u, w in zip(units, wants, strict=True)}
        weight = {id(u): (1.0 if w is not None else 0.05) for u, w in zip(units, wants, strict=True)}
        units.sort(key=lambda u: (target[id(u)], current[id(u)]))
        offsets = [0.0]
        for a, b in itertools.pairwise(units):
            offsets.append(offsets[-1] + self._separation(a, b))
        blocks: list[list[float]] = []  # pooled value, weight, count
        for unit, offset in zip(units, offsets, strict=True):
            blocks.append([target[id(unit)] - offset, weight[id(unit)], 1])
            while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
                v2, w2, n2 = blocks.pop()
                v1, w1, n1 = blocks.pop()
                blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
        values = [v for v, _, n in blocks for _ in range(int(n))]
        for unit, value, offset in zip(units, values, offsets, strict=True):
            unit.x = value + offset

    def place(self) -> None:
        rows = sorted(self.rows)
        for r in rows:  # a first placement, packed left in record order
            self._settle(self.rows[r], [None] * len(self.rows[r]))
        for _ in range(4):
            for r in rows:
                for unit in self.rows[r]:
                    self._orient(unit)
                self._settle(self.rows[r], [self._down(u)[0] for u in self.rows[r]])
            for r in reversed(rows):
                self._settle(self.rows[r], [self._up(u) for u in self.rows[r]])
        for r in rows:  # last, children under their parents
            self._settle(self.rows[r], [self._down(u)[0] for u in self.rows[r]])
        left = min((u.x - u.half for u in self.units), default=0.0)
        for unit in self.units:
            unit.x -= left


def _sibships(family: _Family) -> dict[str, _Sibship]:
    """Children grouped by their recorded parents, eldest first (no birth date: last)."""
    index = family.index
    grouped: dict[str, list[str]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for pid in family.order:
        parents = family.parents[pid]
        if parents:
            key = "|".join(parents) if len(parents) == 2 else parents[0]
            other = "|".join(reversed(parents))
            key = other if other in grouped else key
            grouped.setdefault(key, []).append(pid)
            keys.setdefault(key, parents)

    def age_order(pid: str) -> tuple[bool, dt.date, int]:
        born = family.people[pid].born
        return born is None, born or dt.date.min, index[pid]

    return {k: _Sibship(keys[k], tuple(sorted(kids, key=age_order))) for k, kids in grouped.items()}


@dataclass(frozen=True)
class _Positions:
    x: dict[str, float]
    row: dict[str, int]
    unit_of: dict[str, tuple[str, ...]]  # members of each person's unit, left to right


_Placed = tuple[dict[str, float], dict[str, tuple[str, ...]], dict[int, tuple[float, float]]]


def _place(family: _Family, row: dict[str, int], groups: list[list[str]], sibships: dict[str, _Sibship],
           variants: dict[tuple[str, ...], int],
           done: dict[tuple[int, frozenset[tuple[tuple[str, ...], int]]], _Placed]) -> _Positions:
    """Every group placed, then packed left to right. `done` keeps groups already placed
    with the same units set out the same way, as trying another way changes only its group."""
    x: dict[str, float] = {}
    unit_of: dict[str, tuple[str, ...]] = {}
    right: dict[int, float] = {}  # the right edge of what is placed, by row
    for index, group in enumerate(groups):
        members = set(group)
        mine = frozenset((u, v) for u, v in variants.items() if v and u[0] in members)
        if (index, mine) not in done:
            placement = _Placement(family, group, row, {k: s for k, s in sibships.items()
                                                        if s.children[0] in members}, dict(mine))
            placement.place()
            edges: dict[int, tuple[float, float]] = {}
            for unit in placement.units:
                lo, hi = edges.get(unit.row, (math.inf, -math.inf))
                edges[unit.row] = (min(lo, unit.x - unit.half), max(hi, unit.x + unit.half))
            done[index, mine] = ({p: u.x + u.offset(p) for u in placement.units for p in u.members},
                                 {p: tuple(u.members) for u in placement.units for p in u.members}, edges)
        at, units, edges = done[index, mine]
        shift = max((right[r] + PITCH + FAMILY_GAP - lo for r, (lo, _) in edges.items() if r in right),
                    default=0.0)
        for pid, value in at.items():
            x[pid] = value + shift
        unit_of.update(units)
        for r, (_, hi) in edges.items():
            right[r] = max(right.get(r, -math.inf), hi + shift)
    return _Positions(x, row, unit_of)


def _household_bands(members: Sequence[str], pos: _Positions, pad: float) -> list[tuple[int, float, float]]:
    """A household's outline, row by row: (row, left, right), rows contiguous."""
    placed = [p for p in members if p in pos.x]
    if not placed:
        return []
    half = LABEL_WIDTH / 2 + pad
    spans: dict[int, tuple[float, float]] = {}
    for pid in placed:
        lo, hi = spans.get(pos.row[pid], (math.inf, -math.inf))
        spans[pos.row[pid]] = (min(lo, pos.x[pid] - half), max(hi, pos.x[pid] + half))
    first, last = min(spans), max(spans)
    bands: list[tuple[int, float, float]] = []
    for r in range(first, last + 1):
        if r in spans:
            bands.append((r, *spans[r]))
        else:  # an empty row between: a neck towards the next row with members
            nxt = spans[min(k for k in spans if k > r)]
            _, lo, hi = bands[-1]
            centre = min(max((nxt[0] + nxt[1]) / 2, lo), hi)
            bands.append((r, centre - 20, centre + 20))
    neck = 40.0
    for i in range(1, len(bands)):  # make each row's span meet the next one's
        _, lo0, hi0 = bands[i - 1]
        r1, lo1, hi1 = bands[i]
        if min(hi0, hi1) - max(lo0, lo1) >= neck:
            continue
        if lo1 > hi0 - neck:  # the lower row is to the right: reach left from it
            bands[i] = (r1, min(lo1, hi0 - neck), hi1)
        else:
            bands[i] = (r1, lo1, max(hi1, lo0 + neck))
    return bands


def _anchor(sibship: _Sibship, pos: _Positions, partners: dict[str, list[str]]) -> float:
    """Where the line to a group of children leaves the parents."""
    ps = sibship.parents
    unit = pos.unit_of[ps[0]]
    if len(ps) == 2 and unit == pos.unit_of[ps[1]]:
        return pos.x[unit[0]] + couple_point(unit, ps[0], ps[1], partners) * PITCH
    return pos.x[ps[0]] + hook(unit, ps[0])


def _cost(family: _Family, case: Case, pos: _Positions, sibships: dict[str, _Sibship]) -> float:
    """How untidy a placement is: long and crossing child lines, strangers in households."""
    cost = 0.0
    lines: dict[int, list[tuple[float, float, str]]] = {}
    for key, sibship in sibships.items():
        anchor = _anchor(sibship, pos, family.partners)
        for kid in sibship.children:
            cost += abs(pos.x[kid] - anchor) / PITCH
            lines.setdefault(pos.row[kid], []).append((anchor, pos.x[kid], key))
    for found in lines.values():
        for i, (a1, c1, k1) in enumerate(found):
            for a2, c2, k2 in found[i + 1:]:
                if k1 != k2 and (a1 - a2) * (c1 - c2) < 0:
                    cost += 4
    by_row: dict[int, list[str]] = {}
    for pid in family.order:
        by_row.setdefault(pos.row[pid], []).append(pid)
    for household in case.people.households:
        inside = set(household.members)
        for r, lo, hi in _household_bands(household.members, pos, 6):
            cost += 4 * sum(1 for p in by_row.get(r, []) if p not in inside and lo < pos.x[p] < hi)
    return cost


def _positions(case: Case, family: _Family) -> _Positions:
    if len(family.order) > MAX_PEOPLE:
        raise GenogramTooLarge(f"people.yaml: the genogram can show at most {MAX_PEOPLE} people; "
                               f"{len(family.order)} are recorded")
    row, groups = _rows(family, case.people.households)
    generations = max(row.values(), default=0) + 1
    if generations > MAX_GENERATIONS:
        raise GenogramTooLarge(f"people.yaml: the parents recorded make {generations} generations; the "
                               f"genogram can show at most {MAX_GENERATIONS} (check the parents)")
    sibships = _sibships(family)
    variants: dict[tuple[str, ...], int] = {}
    done: dict[tuple[int, frozenset[tuple[tuple[str, ...], int]]], _Placed] = {}
    best = _place(family, row, groups, sibships, variants, done)
    cost = _cost(family, case, best, sibships)
    units = sorted({tuple(sorted(u)) for u in best.unit_of.values() if len(u) > 1},
                   key=lambda u: (row[u[0]], min(family.index[p] for p in u)))
    for unit in units:  # try each way of setting out each unit; keep the tidiest
        for variant in range(1, arrangements(unit, family.partners)):
            trial_variants = {**variants, unit: variant}
            trial = _place(family, row, groups, sibships, trial_variants, done)
            trial_cost = _cost(family, case, trial, sibships)
            if trial_cost < cost - 1e-6:
                best, cost, variants = trial, trial_cost, trial_variants
    return best


# -- heights, lines and symbols ------------------------------------------------------------------


def _edge(kind: ShapeKind, dy: float, size: float = SYMBOL) -> float:
    """Half the width of a symbol at `dy` from its centre."""
    r = size / 2
    if kind == "square":
        return r
    if kind == "circle":
        return math.sqrt(max(r * r - dy * dy, 0.0))
    return max(r - abs(dy), 0.0)


def _shape_of(person: m.Person) -> ShapeKind:
    return {"male": "square", "female": "circle"}.get(person.sex, "diamond")  # type: ignore[return-value]


def _along(points: Sequence[Point], distance: float) -> tuple[Point, Point]:
    """The point `distance` along a polyline, and the unit direction there."""
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        if length <= 0:
            continue
        if distance <= length:
            t = distance / length
            return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t), ((x1 - x0) / length, (y1 - y0) / length)
        distance -= length
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    return points[-1], ((x1 - x0) / length, (y1 - y0) / length)


def _length(points: Sequence[Point]) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(points))


def _zigzag(points: Sequence[Point], amplitude: float = 4.0, step: float = 7.0) -> list[Point]:
    length = _length(points)
    teeth = int((length - 8) // step)
    if teeth < 2:
        return list(points)
    start = (length - teeth * step) / 2
    out = [points[0], _along(points, start)[0]]
    for i in range(1, teeth):
        (px, py), (ux, uy) = _along(points, start + i * step)
        side = amplitude if i % 2 else -amplitude
        out.append((px - uy * side, py + ux * side))
    out += [_along(points, start + teeth * step)[0], points[-1]]
    return out


def _parallel(points: Sequence[Point], shift: float) -> list[Point]:
    """A polyline moved sideways by `shift`."""
    out = []
    for i, (px, py) in enumerate(points):
        ax, ay = points[max(i - 1, 0)]
        bx, by = points[min(i + 1, len(points) - 1)]
        length = math.hypot(bx - ax, by - ay) or 1.0
        out.append((px - (by - ay) / length * shift, py + (bx - ax) / length * shift))
    return out


def _tie_items(quality: str, path: Sequence[Point]) -> list[Item]:
    """A relationship line along `path`: double for close, zigzag for conflict, broken for cut off."""
    if quality == "close":
        return [Stroke(tuple(_parallel(path, s)), "tie close", colour=CLOSE_COLOUR, width=1.2) for s in (-2.2, 2.2)]
    if quality == "conflict":
        return [Stroke(tuple(_zigzag(path)), "tie conflict", colour=CONFLICT_COLOUR, width=1.4)]
    length = _length(path)
    gap = 5.0
    (mx, my), (ux, uy) = _along(path, length / 2)
    first = [p for p in path if _length([path[0], p]) < length / 2 - gap] if len(path) == 2 else []
    before: list[Point] = []
    after: list[Point] = []
    walked = 0.0
    for i, point in enumerate(path):  # the path up to the gap, and from it on
        if i:
            walked += math.hypot(point[0] - path[i - 1][0], point[1] - path[i - 1][1])
        if walked < length / 2 - gap:
            before.append(point)
        elif walked > length / 2 + gap:
            after.append(point)
    del first
    p, q = (mx - ux * gap, my - uy * gap), (mx + ux * gap, my + uy * gap)
    bars = [Stroke(((c[0] + uy * 7, c[1] - ux * 7), (c[0] - uy * 7, c[1] + ux * 7)), "tie cut-off bar",
                   colour=CUT_OFF_COLOUR, width=1.6) for c in (p, q)]
    return [Stroke((*before, p), "tie cut-off", colour=CUT_OFF_COLOUR, width=1.6),
            Stroke((q, *after), "tie cut-off", colour=CUT_OFF_COLOUR, width=1.6), *bars]


def _crosses(points: Sequence[Point], box: Box) -> bool:
    """Whether a polyline passes through a box (Liang-Barsky on each segment)."""
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        t0, t1 = 0.0, 1.0
        dx, dy = x1 - x0, y1 - y0
        inside = True
        for p, q in ((-dx, x0 - box.left), (dx, box.right - x0), (-dy, y0 - box.top), (dy, box.bottom - y0)):
            if p == 0:
                if q < 0:
                    inside = False
                    break
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                inside = False
                break
        if inside:
            return True
    return False


TIE_BENDS = (0.0, 0.15, -0.15, 0.3, -0.3, 0.45, -0.45, 0.6, -0.6)


def _bezier(points: Sequence[Point], steps: int = 16) -> list[Point]:
    """A Bezier curve (quadratic or cubic) through its control points, as a polyline."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        layer = list(points)
        while len(layer) > 1:
            layer = [((1 - t) * p[0] + t * q[0], (1 - t) * p[1] + t * q[1]) for p, q in itertools.pairwise(layer)]
        out.append(layer[0])
    return out


def _tie_route(a: tuple[float, float, float], b: tuple[float, float, float],
               obstacles: Sequence[tuple[Box, float]], lanes: Sequence[float], bounds: Box) -> list[Point]:
    """A line from symbol `a` to symbol `b` (centre x, y and radius): straight, or the
    curve that passes fewest labels, symbols and lines (then the shortest).

    Curves bow by set amounts, or leave and arrive level and swing up or down through
    one of `lanes`, the gaps between columns."""
    (ax, ay, ra), (bx, by, rb) = a, b
    length = math.hypot(bx - ax, by - ay) or 1.0
    nx, ny = -(by - ay) / length, (bx - ax) / length
    shapes: list[list[Point]] = [[((ax + bx) / 2 + nx * bend * length, (ay + by) / 2 + ny * bend * length)]
                                 for bend in TIE_BENDS]
    shapes += [[(ax, by)], [(bx, ay)]]  # out upright, in level, and the other way
    shapes += [[(lane, ay), (lane, by)] for lane in lanes]
    best: tuple[float, float, list[Point]] | None = None
    for controls in shapes:
        (fx, fy), (lx, ly) = controls[0], controls[-1]
        da, db = math.hypot(fx - ax, fy - ay), math.hypot(lx - bx, ly - by)
        if da < ra + 1 or db < rb + 1:
            continue
        p0 = (ax + (fx - ax) / da * ra, ay + (fy - ay) / da * ra)
        p2 = (bx + (lx - bx) / db * rb, by + (ly - by) / db * rb)
        straight = len(controls) == 1 and abs((fx - p0[0]) * (p2[1] - p0[1]) - (fy - p0[1]) * (p2[0] - p0[0])) < 1e-6
        points = [p0, p2] if straight else _bezier([p0, *controls, p2])
        lo_x, hi_x = min(p[0] for p in points), max(p[0] for p in points)
        lo_y, hi_y = min(p[1] for p in points), max(p[1] for p in points)
        if lo_x < bounds.left or hi_x > bounds.right or lo_y < bounds.top or hi_y > bounds.bottom:
            continue  # off the picture
        hits = sum(weight for box, weight in obstacles
                   if box.left <= hi_x and lo_x <= box.right and box.top <= hi_y and lo_y <= box.bottom
                   and _crosses(points, box))
        score = (hits, _length(points))
        if best is None or score < best[:2]:
            best = (hits, score[1], points)
    if best is None:
        return [(ax, ay), (bx, by)]
    return best[2]


def _slashes(x: float, y: float, count: int) -> list[Stroke]:
    return [Stroke(((x + dx - 4, y + 7), (x + dx + 4, y - 7)), "slash", width=1.5)
            for dx in ((0.0,) if count == 1 else (-4.0, 4.0))]


def _rounded(points: list[Point], radius: float = 10.0) -> list[Point]:
    """A closed polygon with its corners rounded, as a polyline."""
    out: list[Point] = []
    n = len(points)
    for i in range(n):
        px, py = points[i - 1]
        cx, cy = points[i]
        qx, qy = points[(i + 1) % n]
        d1, d2 = math.hypot(cx - px, cy - py), math.hypot(qx - cx, qy - cy)
        r = min(radius, d1 / 2, d2 / 2)
        if r <= 0.5:
            out.append((cx, cy))
            continue
        ax, ay = cx + (px - cx) * r / d1, cy + (py - cy) * r / d1
        bx, by = cx + (qx - cx) * r / d2, cy + (qy - cy) * r / d2
        for t in (0.0, 0.25, 0.5, 0.75, 1.0):  # a quadratic curve through the corner
            out.append(((1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t * t * bx,
                        (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t * t * by))
    return out


def _outline(bands: list[tuple[float, float, float, float]]) -> list[Point]:
    """The outline of rows of spans stacked without gaps: (left, right, top, bottom) each."""
    right = [(hi, top, bottom) for lo, hi, top, bottom in bands]
    points: list[Point] = []
    for hi, top, bottom in right:
        points += [(hi, top), (hi, bottom)]
    for lo, _, top, bottom in reversed(bands):
        points += [(lo, bottom), (lo, top)]
    clean: list[Point] = []
    for point in points:
        if clean and abs(point[0] - clean[-1][0]) < 1e-6 and abs(point[1] - clean[-1][1]) < 1e-6:
            continue
        clean.append(point)
    simple: list[Point] = []  # drop points in the middle of straight runs
    for i, point in enumerate(clean):
        before, after = clean[i - 1], clean[(i + 1) % len(clean)]
        if (abs(before[0] - point[0]) < 1e-6 and abs(after[0] - point[0]) < 1e-6) or (
                abs(before[1] - point[1]) < 1e-6 and abs(after[1] - point[1]) < 1e-6):
            continue
        simple.append(point)
    return simple


@dataclass
class _Key:
    used: dict[str, bool] = field(default_factory=dict)
    children: int = 1  # the children marked: every child of a sibling group

    def mark(self, *names: str) -> None:
        for name in names:
            self.used[name] = True


KEY_ORDER: tuple[tuple[str, str], ...] = (
    ("male", "Male"), ("female", "Female"), ("unknown", "Sex not known"),
    ("child", "The child"), ("deceased", "Died (years of life)"),
    ("married", "Married"), ("cohabiting", "Living together"),
    ("separated", "Separated"), ("divorced", "Divorced"),
    ("parents", "Parents, no couple recorded"),
    ("birth", "Birth child"), ("adopted", "Adopted or fostered child"), ("step", "Stepchild"),
    ("household", "Household"),
    ("close", "Close"), ("conflict", "Conflict"), ("cut_off", "Cut off"),
)


def _key_icon(name: str, x: float, y: float, shapes: dict[str, ShapeKind]) -> list[Item]:
    """The key's picture for `name`, in a 44 by 24 box whose middle left is (x, y)."""
    cx = x + 22
    small = 20.0
    if name in ("male", "female", "unknown"):
        kind: ShapeKind = {"male": "square", "female": "circle", "unknown": "diamond"}[name]  # type: ignore[assignment]
        return [Shape(kind, cx, y, small, f"key-symbol {name}")]
    if name == "child":
        kind = shapes.get("child", "square")
        return [Shape(kind, cx, y, small, "key-symbol child"),
                Shape(kind, cx, y, small + 2 * OUTLINE - 2, "key-symbol outline", width=1.2, filled=False)]
    if name == "deceased":
        kind = shapes.get("deceased", "square")
        r = small / 2 * (0.72 if kind == "circle" else 0.5 if kind == "diamond" else 1.0)
        return [Shape(kind, cx, y, small, "key-symbol deceased"),
                Stroke(((cx - r, y - r), (cx + r, y + r)), "key-cross"),
                Stroke(((cx - r, y + r), (cx + r, y - r)), "key-cross")]
    if name in ("married", "cohabiting", "separated", "divorced", "parents"):
        dash: Dash = "dashed" if name == "cohabiting" else "dotted" if name == "parents" else "solid"
        items: list[Item] = [Stroke(((x + 2, y), (x + 42, y)), f"key-couple {name}", dash=dash)]
        if name in ("separated", "divorced"):
            items += _slashes(cx, y, 1 if name == "separated" else 2)
        return items
    if name in ("birth", "adopted", "step"):
        dash = {"birth": "solid", "adopted": "dashed", "step": "dotted"}[name]  # type: ignore[assignment]
        return [Stroke(((cx, y - 11), (cx, y + 11)), f"key-child {name}", dash=dash)]
    if name == "household":
        return [Stroke(tuple(_rounded([(x + 4, y - 10), (x + 40, y - 10), (x + 40, y + 10), (x + 4, y + 10)], 6)),
                       "key-household", dash="dashed", colour=HOUSEHOLD_COLOUR, width=1.3, closed=True)]
    return _tie_items(name, [(x + 2, y), (x + 42, y)])


def _key_items(key: _Key, top: float, width: float, shapes: dict[str, ShapeKind],
               labels: list[Box]) -> tuple[list[Item], float]:
    entries = [(name, "The children" if name == "child" and key.children > 1 else text)
               for name, text in KEY_ORDER if key.used.get(name)]
    cell = max(44 + 8 + text_width(text, KEY_SIZE) + 20 for _, text in entries)
    columns = max(1, min(len(entries), int(width // cell)))
    items: list[Item] = [Text(MARGIN, top + KEY_SIZE + 1, "Key", KEY_SIZE + 1, "key-title", anchor="start")]
    labels.append(Box(MARGIN, top, MARGIN + text_width("Key", KEY_SIZE + 1), top + (KEY_SIZE + 1) * LEADING))
    y0 = top + (KEY_SIZE + 1) * LEADING + 16
    for i, (name, text) in enumerate(entries):
        x = MARGIN + (i % columns) * cell
        y = y0 + (i // columns) * 28
        items += [replace(icon, cls=f"key-icon key-{name}") for icon in _key_icon(name, x, y, shapes)]
        items.append(Text(x + 52, y + KEY_SIZE * 0.35, text, KEY_SIZE, "key-text", anchor="start"))
        labels.append(Box(x + 52, y - KEY_SIZE * 0.6, x + 52 + text_width(text, KEY_SIZE), y + KEY_SIZE * 0.6))
    rows = (len(entries) + columns - 1) // columns
    return items, y0 + (rows - 1) * 28 + 14 + MARGIN


@dataclass
class _Rows:
    """The heights of each row, top down."""

    top: list[float] = field(default_factory=list)  # where the row's band starts
    centre: list[float] = field(default_factory=list)  # the middle of its symbols
    label_top: list[float] = field(default_factory=list)
    house_top: list[float] = field(default_factory=list)  # household names, under the labels
    bottom: list[float] = field(default_factory=list)


@dataclass
class _Households:
    """Each household's outline (row, left, right) and name, and the room names need."""

    bands: dict[str, list[tuple[int, float, float]]] = field(default_factory=dict)
    pads: dict[str, float] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    lane: dict[str, int] = field(default_factory=dict)
    lanes: dict[int, int] = field(default_factory=dict)  # by row
    lines: dict[int, int] = field(default_factory=dict)  # the most lines a name takes, by row

    def height(self, row: int) -> float:
        return self.lanes.get(row, 0) * self.lines.get(row, 0) * HOUSEHOLD_SIZE * LEADING


def _plan_households(case: Case, pos: _Positions, left: float) -> _Households:
    """Outlines padded a little more for each earlier one they would run along, and names
    stacked where two outlines end on the same row side by side."""
    plan = _Households()
    for i, household in enumerate(case.people.households):
        spans = _household_bands(household.members, pos, 6)
        level = sum(1 for other in case.people.households[:i] if other.id in plan.bands and any(
            r == r2 and lo < hi2 and lo2 < hi for r, lo, hi in spans for r2, lo2, hi2 in plan.bands[other.id]))
        plan.pads[household.id] = 6 + 5 * level
        plan.bands[household.id] = [(r, lo + left, hi + left) for r, lo, hi in
                                    _household_bands(household.members, pos, plan.pads[household.id])]
    ends: dict[int, list[float]] = {}
    for household in case.people.households:
        if not plan.bands[household.id]:
            continue
        r, lo, hi = plan.bands[household.id][-1]
        plan.names[household.id] = wrap(household.name, HOUSEHOLD_SIZE, max(hi - lo - 16, 60.0))
        row_ends = ends.setdefault(r, [])
        lane = next((i for i, end in enumerate(row_ends) if end + 8 < lo), len(row_ends))
        if lane == len(row_ends):
            row_ends.append(hi)
        else:
            row_ends[lane] = hi
        plan.lane[household.id] = lane
        plan.lanes[r] = len(row_ends)
        plan.lines[r] = max(plan.lines.get(r, 0), len(plan.names[household.id]))
    return plan


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class _Scene:
    """The drawing built from a placement: one method for each kind of thing drawn."""

    def __init__(self, case: Case, today: dt.date) -> None:
        self.case = case
        self.family = family = _family(case)
        self.pos = pos = _positions(case, family)
        self.people = family.people
        self.child = family.child
        # Every child of a sibling group is marked, as the framework's genogram marks the child.
        self.marked = frozenset(c for c in case.group if c in family.people) | (
            {family.child} if family.child is not None else set())
        self.sibships = _sibships(family)
        self.key = _Key()
        self.key.mark("male", "female", "unknown")
        self.order = sorted(family.order, key=lambda p: (pos.row[p], pos.x[p]))
        self.nrows = max(pos.row.values(), default=-1) + 1
        self.labels = {p: _person_label(self.people[p], today) for p in self.order}
        self.left = MARGIN + PITCH / 2
        self.x = {p: pos.x[p] + self.left for p in self.order}
        self.drops = {k: _anchor(s, pos, family.partners) + self.left for k, s in self.sibships.items()}
        self.households = _plan_households(case, pos, self.left)
        self.bar_lane, bar_lanes = self._bar_lanes()
        self.rows = self._heights(bar_lanes, MARGIN + TITLE_SIZE * LEADING + NOTE_SIZE * LEADING + 12)
        self.text_boxes: list[Box] = []
        self.placed: list[PlacedPerson] = []
        self.shapes: dict[str, ShapeKind] = {}  # the child's and a deceased person's, for the key
        self.over_y: dict[frozenset[str], float] = {}  # partners with someone between: their line's height

    def _bar_lanes(self) -> tuple[dict[str, int], dict[int, int]]:
        """A level for each group of children's bar, more levels where bars would overlap."""
        lane: dict[str, int] = {}
        lanes: dict[int, int] = {}
        for r in range(self.nrows):
            reach = sorted((min(self.drops[k], *(self.x[c] for c in s.children)),
                            max(self.drops[k], *(self.x[c] for c in s.children)), k)
                           for k, s in self.sibships.items() if self.pos.row[s.children[0]] == r)
            levels: list[float] = []
            for lo, hi, k in reach:
                level = next((i for i, end in enumerate(levels) if end + 12 < lo), len(levels))
                if level == len(levels):
                    levels.append(hi)
                else:
                    levels[level] = hi
                lane[k] = level
            lanes[r] = len(levels)
        return lane, lanes

    def _heights(self, bar_lanes: dict[int, int], y: float) -> _Rows:
        rows = _Rows()
        for r in range(self.nrows):
            if r > 0:
                y += 22 + max(bar_lanes.get(r, 0), 1) * BAR_STEP + 12
            rows.top.append(y)
            rows.centre.append(y + 12 + OUTLINE + SYMBOL / 2)
            rows.label_top.append(rows.centre[r] + SYMBOL / 2 + OUTLINE + 5)
            tallest = max((self.labels[p].height for p in self.order if self.pos.row[p] == r), default=0.0)
            rows.house_top.append(rows.label_top[r] + tallest + 4)
            y = rows.house_top[r] + self.households.height(r) + 8
            rows.bottom.append(y)
        return rows

    def half(self, pid: str, dy: float = 0.0) -> float:
        """Half a symbol's width, `dy` above or below its centre, outline included."""
        return _edge(_shape_of(self.people[pid]), dy) + (OUTLINE if pid in self.marked else 0.0)

    def rise(self, pid: str, dx: float) -> float:
        """How far above its centre a symbol's outline is, `dx` to the side."""
        r = SYMBOL / 2
        kind = _shape_of(self.people[pid])
        up = r if kind == "square" else math.sqrt(r * r - dx * dx) if kind == "circle" else r - dx
        return up + (OUTLINE if pid in self.marked else 0.0)

    def title(self, today: dt.date) -> tuple[str, list[Item]]:
        named = [self.people[c].name for c in self.order if c in self.marked]
        title = _one_line(f"Genogram: {_and(named)}" if named else "Genogram")
        subtitle = f"Ages on {today.day} {today:%B %Y}"
        self.text_boxes.append(Box(MARGIN, MARGIN, MARGIN + max(text_width(title, TITLE_SIZE),
                                                                text_width(subtitle, NOTE_SIZE)),
                                   MARGIN + TITLE_SIZE * LEADING + NOTE_SIZE * LEADING))
        return title, [Text(MARGIN, MARGIN + TITLE_SIZE, title, TITLE_SIZE, "title", anchor="start"),
                       Text(MARGIN, MARGIN + TITLE_SIZE * LEADING + NOTE_SIZE, subtitle, NOTE_SIZE, "subtitle",
                            colour=GREY, anchor="start")]

    def household_items(self) -> tuple[list[Item], list[Item]]:
        """Each household's dashed outline, and its name inside the bottom left corner
        (or wherever along the bottom no line drops through it)."""
        lines: list[Item] = []
        texts: list[Item] = []
        rows, plan = self.rows, self.households
        for household in self.case.people.households:
            spans = plan.bands[household.id]
            if not spans:
                continue
            self.key.mark("household")
            pad = plan.pads[household.id]
            outline: list[tuple[float, float, float, float]] = []
            for i, (r, lo, hi) in enumerate(spans):
                upper = rows.top[r] + 2 - pad if i == 0 else (rows.bottom[r - 1] + rows.top[r]) / 2
                lower = rows.bottom[r] - 6 + pad if i == len(spans) - 1 else (rows.bottom[r] + rows.top[r + 1]) / 2
                outline.append((lo, hi, upper, lower))
            lines.append(Stroke(tuple(_rounded(_outline(outline), 12)), "household", dash="dashed",
                                colour=HOUSEHOLD_COLOUR, width=1.3, closed=True))
            r, lo, hi = spans[-1]
            names = plan.names[household.id]
            y0 = rows.house_top[r] + plan.lane[household.id] * plan.lines.get(r, 0) * HOUSEHOLD_SIZE * LEADING
            widest = max(text_width(line, HOUSEHOLD_SIZE) for line in names)
            stems = [self.drops[k] for k, s in self.sibships.items() if any(self.pos.row[p] == r for p in s.parents)]
            tx = next((c for c in (lo + 10, hi - 10 - widest, (lo + hi - widest) / 2)
                       if not any(c - 4 < stem < c + widest + 4 for stem in stems)), lo + 10)
            for j, line in enumerate(names):
                texts += _text_line(tx, y0 + (j + 1) * HOUSEHOLD_SIZE * LEADING - HOUSEHOLD_SIZE * 0.3, line,
                                    HOUSEHOLD_SIZE, "household-label", HOUSEHOLD_COLOUR, "start")
            self.text_boxes.append(Box(tx, y0, tx + widest, y0 + len(names) * HOUSEHOLD_SIZE * LEADING))
        return lines, texts

    def person_items(self) -> tuple[list[Item], list[Item]]:
        """Symbols (a second outline for the child, a cross for the dead) and labels."""
        symbols: list[Item] = []
        texts: list[Item] = []
        for pid in self.order:
            person = self.people[pid]
            kind = _shape_of(person)
            row = self.pos.row[pid]
            cx, cy = self.x[pid], self.rows.centre[row]
            classes = f"person {person.sex}"
            if pid in self.marked:
                classes += " child"
                self.shapes["child"] = kind
                self.key.mark("child")
                self.key.children = len(self.marked)
            if person.died is not None:
                classes += " deceased"
                self.shapes.setdefault("deceased", kind)
                self.key.mark("deceased")
            symbols.append(Shape(kind, cx, cy, SYMBOL, classes))
            half = SYMBOL / 2
            if pid in self.marked:
                symbols.append(Shape(kind, cx, cy, SYMBOL + 2 * OUTLINE, "outline", filled=False))
                half += OUTLINE
            if person.died is not None:
                arm = SYMBOL / 2 * (0.72 if kind == "circle" else 0.5 if kind == "diamond" else 1.0)
                symbols.append(Stroke(((cx - arm, cy - arm), (cx + arm, cy + arm)), "cross"))
                symbols.append(Stroke(((cx - arm, cy + arm), (cx + arm, cy - arm)), "cross"))
            label = self.labels[pid]
            ly = self.rows.label_top[row]
            for text, size, colour in label.lines:
                cls = "name" if size == NAME_SIZE else "age" if size == AGE_SIZE else "relationship"
                texts += _text_line(cx, ly + size, text, size, cls, colour, "middle")
                ly += size * LEADING
            label_box = Box(cx - label.width / 2, self.rows.label_top[row], cx + label.width / 2,
                            self.rows.label_top[row] + label.height)
            self.placed.append(PlacedPerson(pid, row, cx, cy, Box(cx - half, cy - half, cx + half, cy + half),
                                            label_box))
            self.text_boxes.append(label_box)
        return symbols, texts

    def couple_items(self) -> list[Item]:
        """Couple lines: solid, dashed when living together, dotted for parents with no
        couple recorded; one slash for separated, two for divorced."""
        x, pos, centre = self.x, self.pos, self.rows.centre
        lines: list[Item] = []
        for a, b, status in self.family.couples:
            self.key.mark(status or "parents")
            dash: Dash = "dashed" if status == "cohabiting" else "dotted" if status is None else "solid"
            cls = f"couple {status or 'parents'}"
            slashes = {"separated": 1, "divorced": 2}.get(status or "", 0)
            unit = pos.unit_of[a]
            if pos.row[a] != pos.row[b] or unit != pos.unit_of[b]:  # records that disagree: a plain line
                lines.append(Stroke(((x[a], centre[pos.row[a]]), (x[b], centre[pos.row[b]])), cls, dash=dash))
                continue
            a, b = sorted((a, b), key=lambda p: x[p])
            y = centre[pos.row[a]]
            if abs(unit.index(a) - unit.index(b)) == 1:
                lines.append(Stroke(((x[a] + self.half(a), y), (x[b] - self.half(b), y)), cls, dash=dash))
                has_children = any(set(s.parents) == {a, b} for s in self.sibships.values())
                middle = (x[a] + x[b]) / 2
                lines += _slashes(middle - 18 if has_children else middle, y, slashes) if slashes else []
                continue
            # Someone is between them: the line goes over the top, a level for each such couple.
            over = y - SYMBOL / 2 - OUTLINE - 5 - 6 * sum(1 for p in self.over_y if pos.row[next(iter(p))] == pos.row[a])
            self.over_y[frozenset((a, b))] = over
            legs = [(x[a] + 8, y - self.rise(a, 8)), (x[b] - 8, y - self.rise(b, 8))]
            lines.append(Stroke((legs[0], (legs[0][0], over), (legs[1][0], over), legs[1]), cls, dash=dash))
            drop = x[unit[0]] + couple_point(unit, a, b, self.family.partners) * PITCH
            leg = min((leg[0] for leg in legs), key=lambda lx: abs(lx - drop))
            lines += _slashes((drop + leg) / 2, over, slashes) if slashes else []
        return lines

    def child_items(self) -> list[Item]:
        """Lines from parents to children: down from the couple line (or a single parent's
        side) to a bar, and down to each child, dashed if adopted or fostered, dotted for a
        stepchild. An only child's whole line takes its style."""
        x, pos, rows = self.x, self.pos, self.rows
        lines: list[Item] = []
        for k, sibship in self.sibships.items():
            stem = self.drops[k]
            ps = sibship.parents
            r = pos.row[sibship.children[0]]
            y = rows.centre[pos.row[ps[0]]]
            bar = rows.bottom[r - 1] + 14 + self.bar_lane[k] * BAR_STEP if r > 0 else rows.top[r] - 10
            if len(ps) == 2 and frozenset(ps) in self.over_y:
                start: list[Point] = [(stem, self.over_y[frozenset(ps)])]
            elif len(ps) == 2 and pos.unit_of[ps[0]] == pos.unit_of[ps[1]]:
                start = [(stem, y)]
            elif abs(stem - x[ps[0]]) > 1e-6:  # from the side of a single parent's symbol
                side = 1.0 if stem > x[ps[0]] else -1.0
                start = [(x[ps[0]] + side * self.half(ps[0]), y), (stem, y)]
            else:  # partners on both sides: straight down, behind the label
                start = [(stem, y + SYMBOL / 2 + (OUTLINE if ps[0] in self.marked else 0.0))]
            if len(sibship.children) > 1:
                xs = [stem, *(x[c] for c in sibship.children)]
                lines.append(Stroke(tuple(_straight([*start, (stem, bar)])), "child-stem"))
                lines.append(Stroke(((min(xs), bar), (max(xs), bar)), "sibling-bar"))
            for c in sibship.children:
                link = self.people[c].parent_link
                self.key.mark({"birth": "birth", "adopted": "adopted", "fostered": "adopted", "step": "step"}[link])
                dash: Dash = "dashed" if link in ("adopted", "fostered") else "dotted" if link == "step" else "solid"
                top = rows.centre[pos.row[c]] - SYMBOL / 2 - (OUTLINE if c in self.marked else 0.0)
                path = [(x[c], bar), (x[c], top)]
                if len(sibship.children) == 1:
                    path = [*start, (stem, bar), *path]
                lines.append(Stroke(tuple(_straight(path)), f"child-line {link}", dash=dash))
        return lines

    def tie_items(self, family_lines: list[Item]) -> list[Item]:
        """Relationship lines: between neighbours, level and above any couple line; else
        the route that crosses fewest labels, symbols and lines."""
        x, pos, rows = self.x, self.pos, self.rows
        ties = [t for t in self.case.people.relationships if t.people[0] in x and t.people[1] in x
                and t.people[0] != t.people[1]]
        if not ties:
            return []
        by_id = {p.id: p for p in self.placed}
        frame = Box(MARGIN / 2, rows.top[0] - 8, max(x.values()) + PITCH / 2, rows.bottom[-1])
        obstacles: list[tuple[Box, float]] = [(box, 1.0) for box in dict.fromkeys(self.text_boxes)]
        obstacles += [(p.symbol, 2.0) for p in self.placed]
        for drawn in family_lines:
            if isinstance(drawn, Stroke):
                for (x0, y0), (x1, y1) in itertools.pairwise(drawn.points):
                    obstacles.append((Box(min(x0, x1) - 1, min(y0, y1) - 1, max(x0, x1) + 1, max(y0, y1) + 1), 1.0))
        items: list[Item] = []
        for tie in ties:
            a, b = tie.people
            self.key.mark(tie.quality)
            if pos.row[a] == pos.row[b] and not any(
                    pos.row[p] == pos.row[a] and min(x[a], x[b]) < x[p] < max(x[a], x[b]) for p in self.order):
                a, b = sorted((a, b), key=lambda p: x[p])
                y = rows.centre[pos.row[a]] - 11
                items += _tie_items(tie.quality, [(x[a] + self.half(a, 11) + 2, y), (x[b] - self.half(b, 11) - 2, y)])
                continue
            own = {by_id[p].label: 3.0 for p in (a, b)}  # worst of all: through either person's own label
            clear = [(box, own.get(box, weight)) for box, weight in obstacles
                     if box not in (by_id[a].symbol, by_id[b].symbol)]
            tips = [(x[p], rows.centre[pos.row[p]], SYMBOL / 2 + 4 + (OUTLINE if p in self.marked else 0.0))
                    for p in (a, b)]
            columns: set[float] = set()
            for r in {pos.row[a], pos.row[b]}:
                xs = sorted(x[p] for p in self.order if pos.row[p] == r)
                gaps = [xs[0] - PITCH / 2, *((u + v) / 2 for u, v in itertools.pairwise(xs)), xs[-1] + PITCH / 2]
                columns.update(g for g in gaps if min(x[a], x[b]) - PITCH <= g <= max(x[a], x[b]) + PITCH)
            route = _tie_route(tips[0], tips[1], clear, sorted(columns), frame)
            items += _tie_items(tie.quality, route)
            for (x0, y0), (x1, y1) in itertools.pairwise(route[2:-2]):  # later lines keep clear of this one
                obstacles.append((Box(min(x0, x1) - 3, min(y0, y1) - 3, max(x0, x1) + 3, max(y0, y1) + 3), 1.0))
        return items


def layout_genogram(case: Case, today: dt.date) -> GenogramLayout:
    """Place everyone and build the drawing: the one layout both pictures are drawn from.

    Drawn in this order, each over the last: household outlines, relationship lines,
    couple and child lines, symbols, then text on white patches, then the key."""
    scene = _Scene(case, today)
    title, heading = scene.title(today)
    outlines, house_names = scene.household_items()
    symbols, labels = scene.person_items()
    family_lines = scene.couple_items() + scene.child_items()
    ties = scene.tie_items(family_lines)
    items: list[Item] = [*heading, *outlines, *ties, *family_lines, *symbols, *house_names, *labels]
    right = max((v + PITCH / 2 for v in scene.x.values()), default=0.0)
    width = max(right + MARGIN, MARGIN * 2 + 420)
    key_top = (scene.rows.bottom[-1] if scene.rows.bottom else MARGIN * 3) + 20
    key_items, height = _key_items(scene.key, key_top, width - 2 * MARGIN, scene.shapes, scene.text_boxes)
    return GenogramLayout(round(width), round(height), title, tuple(scene.placed), tuple(scene.text_boxes),
                          tuple(items + key_items))


def _text_line(x: float, baseline: float, text: str, size: float, cls: str, colour: str,
               anchor: Anchor) -> list[Item]:
    width = text_width(text, size)
    left = x - width / 2 if anchor == "middle" else x
    back = Box(left - 1.5, baseline - size * 0.95, left + width + 1.5, baseline + size * 0.3)
    return [Patch(back), Text(x, baseline, text, size, cls, colour, anchor)]


def _straight(points: list[Point]) -> list[Point]:
    """Points with repeats dropped."""
    out: list[Point] = []
    for p in points:
        if not out or abs(p[0] - out[-1][0]) > 1e-6 or abs(p[1] - out[-1][1]) > 1e-6:
            out.append(p)
    return out


# -- SVG -------------------------------------------------------------------------------


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


def _svg(layout: GenogramLayout) -> str:
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


# -- PNG -------------------------------------------------------------------------------


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


def _fitted_font(text: str, size: float, scale: float) -> ImageFont.FreeTypeFont:
    """The font at `size` times `scale`, a little smaller if hinting at that size would
    make `text` wider than the layout measured it."""
    pixels = round(size * scale * 4) / 4
    room = text_width(text, size) * scale
    font = _font(pixels)
    while font.getlength(text) > room and pixels > 4:
        pixels -= 0.25
        font = _font(pixels)
    return font


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


def _png(layout: GenogramLayout) -> tuple[bytes, int, int]:
    """The layout painted: lines and shapes drawn large and reduced, text drawn at size
    (FreeType smooths it), then stored with a palette, which is smaller and quicker."""
    scale = max(1.0, min(PNG_MAX_SCALE, PNG_TARGET_WIDTH / layout.width))
    width, height = round(layout.width * scale), round(layout.height * scale)
    big = scale * SUPERSAMPLE
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), WHITE)
    draw = ImageDraw.Draw(image)
    for item in layout.items:
        if isinstance(item, Shape):
            _png_shape(draw, item, big)
        elif isinstance(item, Stroke):
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
    image = image.reduce(SUPERSAMPLE)
    draw = ImageDraw.Draw(image)
    for item in layout.items:  # text comes last in the layout too, so nothing is drawn over it
        if isinstance(item, Patch):
            box = item.box
            draw.rectangle([(box.left * scale, box.top * scale), (box.right * scale, box.bottom * scale)], fill=WHITE)
        elif isinstance(item, Text):
            _png_text(draw, item, scale)
    out = io.BytesIO()
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, format="PNG")
    return out.getvalue(), width, height


# -- the API ---------------------------------------------------------------------------


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


def draw_genogram(case: Case, today: dt.date) -> Genogram:
    """The case's genogram as SVG and PNG, with ages on `today`."""
    layout = layout_genogram(case, today)
    png, width, height = _png(layout)
    return Genogram(_svg(layout), png, width, height, genogram_people(case, today, layout))


def write_genogram(case: Case, today: dt.date, folder: Path) -> list[Path]:
    """Write genogram.svg and genogram.png into folder (created owner-only if missing); return the paths."""
    drawn = draw_genogram(case, today)
    make_private_folder(folder)
    svg, png = folder / "genogram.svg", folder / "genogram.png"
    write_atomic(svg, drawn.svg.encode("utf-8"))
    write_atomic(png, drawn.png)
    return [svg, png]
