"""The strokes that join people, and the geometry they are drawn with."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from reunify.documents.genogram.items import CLOSE_COLOUR
from reunify.documents.genogram.items import CONFLICT_COLOUR
from reunify.documents.genogram.items import CUT_OFF_COLOUR
from reunify.documents.genogram.items import SYMBOL
from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import Item
from reunify.documents.genogram.items import Point
from reunify.documents.genogram.items import ShapeKind
from reunify.documents.genogram.items import Stroke
from reunify.records import models as m


def edge(kind: ShapeKind, dy: float, size: float = SYMBOL) -> float:
    """Half the width of a symbol at `dy` from its centre."""
    r = size / 2
    if kind == "square":
        return r
    if kind == "circle":
        return math.sqrt(max(r * r - dy * dy, 0.0))
    return max(r - abs(dy), 0.0)


def shape_of(person: m.Person) -> ShapeKind:
    return {"male": "square", "female": "circle"}.get(person.sex, "diamond")  # type: ignore[return-value]


def along(points: Sequence[Point], distance: float) -> tuple[Point, Point]:
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


def length(points: Sequence[Point]) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(points))


def zigzag(points: Sequence[Point], amplitude: float = 4.0, step: float = 7.0) -> list[Point]:
    total = length(points)
    teeth = int((total - 8) // step)
    if teeth < 2:
        return list(points)
    start = (total - teeth * step) / 2
    out = [points[0], along(points, start)[0]]
    for i in range(1, teeth):
        (px, py), (ux, uy) = along(points, start + i * step)
        side = amplitude if i % 2 else -amplitude
        out.append((px - uy * side, py + ux * side))
    out += [along(points, start + teeth * step)[0], points[-1]]
    return out


def parallel(points: Sequence[Point], shift: float) -> list[Point]:
    """A polyline moved sideways by `shift`, its corners mitred (square corners stay square)."""
    normals = []
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        size = math.hypot(bx - ax, by - ay) or 1.0
        normals.append((-(by - ay) / size, (bx - ax) / size))
    if not normals:
        return list(points)
    out = []
    for i, (px, py) in enumerate(points):
        n1 = normals[max(i - 1, 0)]
        n2 = normals[min(i, len(normals) - 1)]
        dot = n1[0] * n2[0] + n1[1] * n2[1]
        mitre = shift / (1 + dot) if dot > -0.9 else shift
        out.append((px + (n1[0] + n2[0]) * mitre, py + (n1[1] + n2[1]) * mitre) if dot > -0.9
                   else (px + n2[0] * shift, py + n2[1] * shift))
    return out


def tie_items(quality: str, path: Sequence[Point], ends: tuple[str, ...] = ()) -> list[Item]:
    """A relationship line along `path`: double for close, zigzag for conflict, broken for cut off."""
    if quality == "close":
        return [Stroke(tuple(parallel(path, s)), "tie close", colour=CLOSE_COLOUR, width=1.2, ends=ends)
                for s in (-2.2, 2.2)]
    if quality == "conflict":
        return [Stroke(tuple(zigzag(path)), "tie conflict", colour=CONFLICT_COLOUR, width=1.4, ends=ends)]
    total = length(path)
    gap = 5.0
    (mx, my), (ux, uy) = along(path, total / 2)
    before: list[Point] = []
    after: list[Point] = []
    walked = 0.0
    for i, point in enumerate(path):  # the path up to the gap, and from it on
        if i:
            walked += math.hypot(point[0] - path[i - 1][0], point[1] - path[i - 1][1])
        if walked < total / 2 - gap:
            before.append(point)
        elif walked > total / 2 + gap:
            after.append(point)
    p, q = (mx - ux * gap, my - uy * gap), (mx + ux * gap, my + uy * gap)
    bars = [Stroke(((c[0] + uy * 7, c[1] - ux * 7), (c[0] - uy * 7, c[1] + ux * 7)), "tie cut-off bar",
                   colour=CUT_OFF_COLOUR, width=1.6, ends=ends) for c in (p, q)]
    return [Stroke((*before, p), "tie cut-off", colour=CUT_OFF_COLOUR, width=1.6, ends=ends),
            Stroke((q, *after), "tie cut-off", colour=CUT_OFF_COLOUR, width=1.6, ends=ends), *bars]


def crosses(points: Sequence[Point], box: Box) -> bool:
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


def slashes(x: float, y: float, count: int) -> list[Stroke]:
    return [Stroke(((x + dx - 4, y + 7), (x + dx + 4, y - 7)), "slash", width=1.5)
            for dx in ((0.0,) if count == 1 else (-4.0, 4.0))]


def straight(points: list[Point]) -> list[Point]:
    """Points with repeats dropped."""
    out: list[Point] = []
    for p in points:
        if not out or abs(p[0] - out[-1][0]) > 1e-6 or abs(p[1] - out[-1][1]) > 1e-6:
            out.append(p)
    return out

