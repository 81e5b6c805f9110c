"""Routes for the lines that join people.

A relationship line (close, conflict, cut off) leaves the top or a side of one person's
symbol and arrives at the other's, round every symbol and label in its way (its own
label too), crossing as few lines as it can. A family line (a couple's, a child's) that
would cross someone's symbol or label is taken round it the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import Item
from reunify.documents.genogram.items import PlacedPerson
from reunify.documents.genogram.items import Point
from reunify.documents.genogram.items import Stroke
from reunify.documents.genogram.lines import crosses
from reunify.documents.genogram.routing import DOWN
from reunify.documents.genogram.routing import LEFT
from reunify.documents.genogram.routing import OPPOSITE
from reunify.documents.genogram.routing import RIGHT
from reunify.documents.genogram.routing import UP
from reunify.documents.genogram.routing import Line
from reunify.documents.genogram.routing import heading
from reunify.documents.genogram.routing import route
from reunify.documents.genogram.routing import simplify

TIE_CLEARANCE = 7.0  # room for a zigzag's teeth and a cut-off line's bars
LINE_CLEARANCE = 5.0
FAMILY_LINE = 40.0  # what crossing a couple's or a child's line costs a relationship line
HOUSEHOLD_LINE = 2.0


def obstacles(placed: Sequence[PlacedPerson], ends: Sequence[str], own_symbols: bool) -> list[Box]:
    """Everyone's symbol and label as one block; for the people a line joins, the label
    and the gap above it (and the symbol, when `own_symbols`), so that the line leaves
    and arrives by a symbol's top or sides."""
    boxes = []
    for person in placed:
        symbol, label = person.symbol, person.label
        if person.id in ends:
            top = symbol.bottom if own_symbols else label.top
            boxes.append(Box(min(label.left, symbol.left), top, max(label.right, symbol.right), label.bottom))
            if own_symbols:
                boxes.append(symbol)
        else:
            boxes.append(symbol.union(label))
    return boxes


def crosses_someone(stroke: Stroke, placed: Sequence[PlacedPerson]) -> bool:
    """Whether a line runs through a symbol (other than those of the people it joins) or
    any label; touching an edge does not count."""
    xs, ys = [x for x, _ in stroke.points], [y for _, y in stroke.points]
    left, top, right, bottom = min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1
    for person in placed:
        boxes = [person.label] if person.id in stroke.ends else [person.symbol, person.label]
        for box in boxes:  # only boxes the line comes near are looked at closely
            if box.left < right and left < box.right and box.top < bottom and top < box.bottom and crosses(
                    stroke.points, box.grown(-0.5)):
                return True
    return False


def soft_lines(items: Sequence[Item], weight: float) -> list[Line]:
    """The segments of drawn lines, for routes to cost; the short pieces of rounded corners left out."""
    return [Line(a, b, weight) for item in items if isinstance(item, Stroke)
            for a, b in zip(item.points, item.points[1:], strict=False)
            if abs(a[0] - b[0]) < 1 or abs(a[1] - b[1]) < 1 or math.dist(a, b) > 12]


Exit = tuple[Point, int, float]  # a point on a symbol's edge, the heading out of it, what using it costs


def tie_path(a: PlacedPerson, b: PlacedPerson, exits: dict[str, list[Exit]], around: Sequence[Box],
             lines: Sequence[Line], bounds: Box, taken: set[Point] | None = None) -> list[Point]:
    """The route of a relationship line from a's symbol to b's, leaving and arriving by
    one of their `exits` (the middle of a side before the others) that no other line has
    `taken` (which it adds to)."""
    c = TIE_CLEARANCE + 0.5
    taken = taken if taken is not None else set()
    steps = {UP: (0.0, -1.0), LEFT: (-1.0, 0.0), RIGHT: (1.0, 0.0), DOWN: (0.0, 1.0)}

    def outside(p: PlacedPerson) -> list[tuple[Point, Point, int, float]]:
        """Each free exit: the point clear of the symbol the route starts from, and the edge."""
        free = [e for e in exits[p.id] if not any(math.dist(e[0], t) < 4 for t in taken)]
        found = []
        for (ex, ey), h, extra in free or exits[p.id]:  # all in use: share one
            dx, dy = steps[h]
            box = p.symbol
            reach = (ey - box.top if h == UP else box.bottom - ey if h == DOWN
                     else ex - box.left if h == LEFT else box.right - ex)  # from the edge to the box's side
            found.append(((ex + dx * (reach + c), ey + dy * (reach + c)), (ex, ey), h, extra))
        return found

    leaving, arriving = outside(a), outside(b)
    found = None
    if leaving and arriving:
        found = route([(spot, h, extra) for spot, _, h, extra in leaving],
                      [(spot, OPPOSITE[h], extra) for spot, _, h, extra in arriving], around, bounds, lines,
                      clearance=c - 0.5)
    if found is None:  # walled in: straight across, from edge to edge
        length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
        ra, rb = (a.symbol.right - a.symbol.left) / 2, (b.symbol.right - b.symbol.left) / 2
        return [(a.x + ux * ra, a.y + uy * ra), (b.x - ux * rb, b.y - uy * rb)]
    first = min(leaving, key=lambda e: math.dist(e[0], found[0]))[1]
    last = min(arriving, key=lambda e: math.dist(e[0], found[-1]))[1]
    taken.update((first, last))
    return simplify([first, *found, last])


def untangle(strokes: Sequence[Item], placed: Sequence[PlacedPerson], fixed: Sequence[Box],
             bounds: Box) -> list[Item]:
    """Family lines, each that would cross someone taken round them instead."""
    out: list[Item] = []
    for item in strokes:
        if isinstance(item, Stroke) and item.ends and len(item.points) >= 2 and crosses_someone(item, placed):
            points = item.points
            found = route([(points[0], heading(points[0], points[1]))],
                          [(points[-1], heading(points[-2], points[-1]))],
                          [*obstacles(placed, item.ends, own_symbols=False), *fixed], bounds,
                          clearance=LINE_CLEARANCE)
            if found is not None:
                item = replace(item, points=tuple(found))
        out.append(item)
    return out
