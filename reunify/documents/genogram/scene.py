"""The scene: a placement drawn, one method for each kind of thing drawn.

Heights follow from the tallest label in each row; text is drawn at `text` times its
usual size (larger against the drawing when the family must fit its page more tightly).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from dataclasses import field

from reunify.documents.genogram.generations import Family
from reunify.documents.genogram.households import outline
from reunify.documents.genogram.households import plan_households
from reunify.documents.genogram.households import rounded
from reunify.documents.genogram.items import BAR_STEP
from reunify.documents.genogram.items import GREY
from reunify.documents.genogram.items import HOUSEHOLD_COLOUR
from reunify.documents.genogram.items import HOUSEHOLD_SIZE
from reunify.documents.genogram.items import LEADING
from reunify.documents.genogram.items import MARGIN
from reunify.documents.genogram.items import NOTE_SIZE
from reunify.documents.genogram.items import OUTLINE
from reunify.documents.genogram.items import PITCH
from reunify.documents.genogram.items import SYMBOL
from reunify.documents.genogram.items import TITLE_SIZE
from reunify.documents.genogram.items import Anchor
from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import Dash
from reunify.documents.genogram.items import Item
from reunify.documents.genogram.items import Patch
from reunify.documents.genogram.items import PlacedPerson
from reunify.documents.genogram.items import Point
from reunify.documents.genogram.items import Shape
from reunify.documents.genogram.items import ShapeKind
from reunify.documents.genogram.items import Stroke
from reunify.documents.genogram.items import Text
from reunify.documents.genogram.key import Key
from reunify.documents.genogram.lines import edge
from reunify.documents.genogram.lines import shape_of
from reunify.documents.genogram.lines import slashes
from reunify.documents.genogram.lines import straight
from reunify.documents.genogram.partners import couple_point
from reunify.documents.genogram.placement import Positions
from reunify.documents.genogram.placement import Sibship
from reunify.documents.genogram.placement import anchor
from reunify.documents.genogram.routing import LEFT
from reunify.documents.genogram.routing import RIGHT
from reunify.documents.genogram.routing import UP
from reunify.documents.genogram.text import one_line
from reunify.documents.genogram.text import person_label
from reunify.documents.genogram.text import text_width
from reunify.records import Case


@dataclass
class Rows:
    """The heights of each row, top down."""

    top: list[float] = field(default_factory=list)  # where the row's band starts
    centre: list[float] = field(default_factory=list)  # the middle of its symbols
    label_top: list[float] = field(default_factory=list)
    house_top: list[float] = field(default_factory=list)  # household names, under the labels
    bottom: list[float] = field(default_factory=list)


def text_line(x: float, baseline: float, text: str, size: float, cls: str, colour: str,
              anchor: Anchor) -> list[Item]:
    width = text_width(text, size)
    left = x - width / 2 if anchor == "middle" else x
    back = Box(left - 1.5, baseline - size * 0.95, left + width + 1.5, baseline + size * 0.3)
    return [Patch(back), Text(x, baseline, text, size, cls, colour, anchor)]


def ages_on(today: dt.date) -> str:
    """The subtitle: the day the ages are given for."""
    return f"Ages on {today.day} {today:%B %Y}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Scene:
    """The drawing built from a placement. Its size is known once it is made; `draw` then
    builds the items in order."""

    def __init__(self, case: Case, today: dt.date, family: Family, pos: Positions, sibships: dict[str, Sibship],
                 text: float = 1.0, note_lines: int | None = None) -> None:
        self.case, self.today, self.family, self.pos, self.sibships = case, today, family, pos, sibships
        self.text = text
        self.people = family.people
        # Every child of a sibling group is marked, as the framework's genogram marks the child.
        self.marked = frozenset(c for c in case.group if c in family.people) | (
            {family.child} if family.child is not None else set())
        self.key = Key()
        self.key.mark("male", "female", "unknown")
        self.order = sorted(family.order, key=lambda p: (pos.row[p], pos.x[p]))
        self.nrows = max(pos.row.values(), default=-1) + 1
        self.labels = {p: person_label(self.people[p], today, text, note_lines) for p in self.order}
        self.left = MARGIN + PITCH / 2
        self.x = {p: pos.x[p] + self.left for p in self.order}
        self.drops = {k: anchor(s, pos, family.partners) + self.left for k, s in sibships.items()}
        self.households = plan_households(case.people.households, pos.x, pos.row, self.left, HOUSEHOLD_SIZE * text)
        self.bar_lane, bar_lanes = self._bar_lanes()
        self.title_size, self.note_size = TITLE_SIZE * text, NOTE_SIZE * text
        self.rows = self._heights(bar_lanes, MARGIN + (self.title_size + self.note_size) * LEADING + 12)
        self.right = max((v + PITCH / 2 for v in self.x.values()), default=MARGIN + PITCH)
        self.bottom = self.rows.bottom[-1] if self.rows.bottom else MARGIN * 3
        self.text_boxes: list[Box] = []
        self.house_boxes: list[Box] = []
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

    def _heights(self, bar_lanes: dict[int, int], y: float) -> Rows:
        rows = Rows()
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
        return edge(shape_of(self.people[pid]), dy) + (OUTLINE if pid in self.marked else 0.0)

    def rise(self, pid: str, dx: float) -> float:
        """How far above its centre a symbol's outline is, `dx` to the side."""
        r = SYMBOL / 2
        kind = shape_of(self.people[pid])
        up = r if kind == "square" else math.sqrt(r * r - dx * dx) if kind == "circle" else r - dx
        return up + (OUTLINE if pid in self.marked else 0.0)

    def exits(self, pid: str) -> list[tuple[Point, int, float]]:
        """Where a relationship line may leave or reach a symbol: the middle of its top or
        of a side; or, at a little more cost, off the middle (the middle may be in use)."""
        cx, cy = self.x[pid], self.rows.centre[self.pos.row[pid]]
        out: list[tuple[Point, int, float]] = [((cx, cy - self.rise(pid, 0)), UP, 0.0),
                                               ((cx - self.half(pid), cy), LEFT, 0.0),
                                               ((cx + self.half(pid), cy), RIGHT, 0.0)]
        for d in (-11.0, 11.0):
            out.append(((cx + d, cy - self.rise(pid, abs(d))), UP, 12.0))
        out += [((cx - self.half(pid, 11), cy - 11), LEFT, 12.0), ((cx + self.half(pid, 11), cy - 11), RIGHT, 12.0)]
        return out

    def title(self) -> tuple[str, list[Item]]:
        named = [self.people[c].name for c in self.order if c in self.marked]
        title = one_line(f"Genogram: {_and(named)}" if named else "Genogram")
        subtitle = ages_on(self.today)
        size, note = self.title_size, self.note_size
        self.text_boxes.append(Box(MARGIN, MARGIN, MARGIN + max(text_width(title, size), text_width(subtitle, note)),
                                   MARGIN + (size + note) * LEADING))
        return title, [Text(MARGIN, MARGIN + size, title, size, "title", anchor="start"),
                       Text(MARGIN, MARGIN + size * LEADING + note, subtitle, note, "subtitle",
                            colour=GREY, anchor="start")]

    def household_items(self) -> tuple[list[Item], list[Item]]:
        """Each household's dashed outline, and its name inside the bottom left corner
        (or wherever along the bottom no line drops through it)."""
        lines: list[Item] = []
        texts: list[Item] = []
        rows, plan = self.rows, self.households
        size = plan.size
        for household in self.case.people.households:
            spans = plan.bands[household.id]
            if not spans:
                continue
            self.key.mark("household")
            pad = plan.pads[household.id]
            bands: list[tuple[float, float, float, float]] = []
            for i, (r, lo, hi) in enumerate(spans):
                upper = rows.top[r] + 2 - pad if i == 0 else (rows.bottom[r - 1] + rows.top[r]) / 2
                lower = rows.bottom[r] - 6 + pad if i == len(spans) - 1 else (rows.bottom[r] + rows.top[r + 1]) / 2
                bands.append((lo, hi, upper, lower))
            lines.append(Stroke(tuple(rounded(outline(bands), 12)), "household", dash="dashed",
                                colour=HOUSEHOLD_COLOUR, width=1.3, closed=True))
            r, lo, hi = spans[-1]
            names = plan.names[household.id]
            y0 = rows.house_top[r] + plan.lane[household.id] * plan.lines.get(r, 0) * size * LEADING
            widest = max(text_width(line, size) for line in names)
            stems = [self.drops[k] for k, s in self.sibships.items() if any(self.pos.row[p] == r for p in s.parents)]
            tx = next((c for c in (lo + 10, hi - 10 - widest, (lo + hi - widest) / 2)
                       if not any(c - 4 < stem < c + widest + 4 for stem in stems)), lo + 10)
            for j, line in enumerate(names):
                texts += text_line(tx, y0 + (j + 1) * size * LEADING - size * 0.3, line, size, "household-label",
                                   HOUSEHOLD_COLOUR, "start")
            box = Box(tx, y0, tx + widest, y0 + len(names) * size * LEADING)
            self.text_boxes.append(box)
            self.house_boxes.append(box)
        return lines, texts

    def person_items(self) -> tuple[list[Item], list[Item]]:
        """Symbols (a second outline for the child, a cross for the dead) and labels."""
        symbols: list[Item] = []
        texts: list[Item] = []
        for pid in self.order:
            person = self.people[pid]
            kind = shape_of(person)
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
            for text, size, colour, cls in label.lines:
                texts += text_line(cx, ly + size, text, size, cls, colour, "middle")
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
            count = {"separated": 1, "divorced": 2}.get(status or "", 0)
            unit = pos.unit_of[a]
            if pos.row[a] != pos.row[b] or unit != pos.unit_of[b]:  # records that disagree: a plain line
                lines.append(Stroke(((x[a], centre[pos.row[a]]), (x[b], centre[pos.row[b]])), cls, dash=dash,
                                    ends=(a, b)))
                continue
            a, b = sorted((a, b), key=lambda p: x[p])
            y = centre[pos.row[a]]
            if abs(unit.index(a) - unit.index(b)) == 1:
                lines.append(Stroke(((x[a] + self.half(a), y), (x[b] - self.half(b), y)), cls, dash=dash,
                                    ends=(a, b)))
                has_children = any(set(s.parents) == {a, b} for s in self.sibships.values())
                middle = (x[a] + x[b]) / 2
                lines += slashes(middle - 18 if has_children else middle, y, count) if count else []
                continue
            # Someone is between them: the line goes over the top, a level for each such couple.
            over = y - SYMBOL / 2 - OUTLINE - 5 - 6 * sum(1 for p in self.over_y if pos.row[next(iter(p))] == pos.row[a])
            self.over_y[frozenset((a, b))] = over
            legs = [(x[a] + 8, y - self.rise(a, 8)), (x[b] - 8, y - self.rise(b, 8))]
            lines.append(Stroke((legs[0], (legs[0][0], over), (legs[1][0], over), legs[1]), cls, dash=dash,
                                ends=(a, b)))
            drop = x[unit[0]] + couple_point(unit, a, b, self.family.partners) * PITCH
            leg = min((leg[0] for leg in legs), key=lambda lx: abs(lx - drop))
            lines += slashes((drop + leg) / 2, over, count) if count else []
        return lines

    def _side_start(self, parent: str, y: float) -> tuple[float, list[Point]]:
        """Where the line to a single parent's children starts when the parent has partners
        on both sides: out of the symbol's side below the couple line, towards a partner
        with no children of theirs (else to one side of their children's line), and down
        the lane between the two labels."""
        unit = self.pos.unit_of[parent]
        index = unit.index(parent)
        drops = {frozenset(s.parents): self.drops[k] for k, s in self.sibships.items()}
        sides = []
        for other in (unit[index - 1], unit[index + 1]):
            middle = (self.x[parent] + self.x[other]) / 2
            taken = drops.get(frozenset((parent, other)))
            lane = middle if taken is None else middle + (12.0 if self.x[parent] > middle else -12.0)
            sides.append((taken is not None, lane))
        lane = min(sides)[1]
        side = 1.0 if lane > self.x[parent] else -1.0
        low = y + 14
        return lane, [(self.x[parent] + side * self.half(parent, 14), low), (lane, low)]

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
            else:  # partners on both sides: out of a lower side, to the lane beside the label, and down
                stem, start = self._side_start(ps[0], y)
            if len(sibship.children) > 1:
                xs = [stem, *(x[c] for c in sibship.children)]
                lines.append(Stroke(tuple(straight([*start, (stem, bar)])), "child-stem", ends=ps))
                lines.append(Stroke(((min(xs), bar), (max(xs), bar)), "sibling-bar", ends=(*ps, *sibship.children)))
            for c in sibship.children:
                link = self.people[c].parent_link
                self.key.mark({"birth": "birth", "adopted": "adopted", "fostered": "adopted", "step": "step"}[link])
                dash: Dash = "dashed" if link in ("adopted", "fostered") else "dotted" if link == "step" else "solid"
                top = rows.centre[pos.row[c]] - SYMBOL / 2 - (OUTLINE if c in self.marked else 0.0)
                path = [(x[c], bar), (x[c], top)]
                if len(sibship.children) == 1:
                    path = [*start, (stem, bar), *path]
                lines.append(Stroke(tuple(straight(path)), f"child-line {link}", dash=dash, ends=(*ps, c)))
        return lines
