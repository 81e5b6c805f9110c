"""Households: each one's dashed outline, and where its name goes.

A household is drawn as one rectangle round its members, from its top row to its bottom
row, when no one else's symbol or label lies inside that rectangle (the placement tries
to make it so). Otherwise its outline steps from row to row round the members of each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from reunify.documents.genogram.items import HOUSEHOLD_PAD
from reunify.documents.genogram.items import HOUSEHOLD_SIZE
from reunify.documents.genogram.items import LABEL_WIDTH
from reunify.documents.genogram.items import LEADING
from reunify.documents.genogram.items import Point
from reunify.documents.genogram.text import wrap
from reunify.records import models as m

Band = tuple[int, float, float]  # row, left, right


def household_bands(members: Sequence[str], x: dict[str, float], row: dict[str, int],
                    pad: float) -> tuple[list[Band], bool]:
    """A household's outline, row by row (rows contiguous), and whether it is a rectangle:
    the same span on every row, when nobody else's label reaches into it."""
    placed = [p for p in members if p in x]
    if not placed:
        return [], False
    half = LABEL_WIDTH / 2 + pad
    first, last = min(row[p] for p in placed), max(row[p] for p in placed)
    lo, hi = min(x[p] for p in placed) - half, max(x[p] for p in placed) + half
    inside = set(placed)
    if not any(p not in inside and first <= row[p] <= last and x[p] + LABEL_WIDTH / 2 > lo
               and x[p] - LABEL_WIDTH / 2 < hi for p in x):
        return [(r, lo, hi) for r in range(first, last + 1)], True
    spans: dict[int, tuple[float, float]] = {}
    for pid in placed:
        low, high = spans.get(row[pid], (math.inf, -math.inf))
        spans[row[pid]] = (min(low, x[pid] - half), max(high, x[pid] + half))
    bands: list[Band] = []
    for r in range(first, last + 1):
        if r in spans:
            bands.append((r, *spans[r]))
        else:  # an empty row between: a neck towards the next row with members
            nxt = spans[min(k for k in spans if k > r)]
            _, low, high = bands[-1]
            centre = min(max((nxt[0] + nxt[1]) / 2, low), high)
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
    return bands, False


@dataclass
class Households:
    """Each household's outline (row, left, right) and name, and the room names need."""

    size: float = HOUSEHOLD_SIZE
    bands: dict[str, list[Band]] = field(default_factory=dict)
    square: dict[str, bool] = field(default_factory=dict)
    pads: dict[str, float] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    lane: dict[str, int] = field(default_factory=dict)
    lanes: dict[int, int] = field(default_factory=dict)  # by row
    lines: dict[int, int] = field(default_factory=dict)  # the most lines a name takes, by row

    def height(self, row: int) -> float:
        return self.lanes.get(row, 0) * self.lines.get(row, 0) * self.size * LEADING


def plan_households(households: Sequence[m.Household], x: dict[str, float], row: dict[str, int],
                    left: float, size: float = HOUSEHOLD_SIZE) -> Households:
    """Outlines padded a little more for each earlier one they would run along, and names
    stacked where two outlines end on the same row side by side."""
    plan = Households(size)
    for i, household in enumerate(households):
        spans, _ = household_bands(household.members, x, row, HOUSEHOLD_PAD)
        level = sum(1 for other in households[:i] if other.id in plan.bands and any(
            r == r2 and lo < hi2 and lo2 < hi for r, lo, hi in spans for r2, lo2, hi2 in plan.bands[other.id]))
        plan.pads[household.id] = HOUSEHOLD_PAD + 5 * level
        bands, square = household_bands(household.members, x, row, plan.pads[household.id])
        plan.bands[household.id] = [(r, lo + left, hi + left) for r, lo, hi in bands]
        plan.square[household.id] = square
    ends: dict[int, list[float]] = {}
    for household in sorted(households, key=lambda h: plan.bands[h.id][-1][1] if plan.bands[h.id] else 0.0):
        if not plan.bands[household.id]:
            continue
        r, lo, hi = plan.bands[household.id][-1]
        plan.names[household.id] = wrap(household.name, size, max(hi - lo - 16, 60.0))
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


def rounded(points: list[Point], radius: float = 10.0) -> list[Point]:
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


def outline(bands: list[tuple[float, float, float, float]]) -> list[Point]:
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
