"""Lines taken round what they must not cross.

An orthogonal route on a grid of the obstacles' edges (a Hanan grid, with the middle of
each gap between edges as well, so that lines can run down the lanes between labels),
found with the A* search. A route never enters an obstacle (grown by a clearance);
it pays for its length, for each bend, for each line it crosses, and far more for running
along another line. No library is needed for a few dozen boxes: the grid has a few
thousand points.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import Point

# Headings: the way a line is going at a point.
RIGHT, LEFT, DOWN, UP = 0, 1, 2, 3
STEPS = {RIGHT: (1, 0), LEFT: (-1, 0), DOWN: (0, 1), UP: (0, -1)}
OPPOSITE = {RIGHT: LEFT, LEFT: RIGHT, DOWN: UP, UP: DOWN}

BEND = 20.0  # a bend costs as much as this much more length
HUG = 0.25  # extra cost for each unit run right along an obstacle's edge, not down a lane
ALONG = 6.0  # running along a line (closer to it than NEAR) costs this many times crossing it
NEAR = 14.0
EPSILON = 1e-6


@dataclass(frozen=True)
class Line:
    """A line already drawn, and what crossing it costs."""

    a: Point
    b: Point
    weight: float


def heading(a: Point, b: Point) -> int:
    """The heading from a to b (the larger of the two moves)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if abs(dx) >= abs(dy):
        return RIGHT if dx >= 0 else LEFT
    return DOWN if dy >= 0 else UP


def _coordinates(fixed: Sequence[float], edges: Sequence[tuple[float, float]], clearance: float,
                 low: float, high: float) -> tuple[list[float], set[float]]:
    """Grid lines along one axis: fixed ones, each obstacle's grown edges, and the middle
    of every gap between obstacles' edges; and which of them run along an edge."""
    raw = sorted({v for pair in edges for v in pair})
    grown = {e - clearance for e, _ in edges} | {e + clearance for _, e in edges}
    middles = {(a + b) / 2 for a, b in itertools.pairwise(raw) if b - a > 2 * clearance}
    values = sorted(v for v in {*fixed, *grown, *middles, low, high} if low - EPSILON <= v <= high + EPSILON)
    keep = set(fixed)
    merged: list[float] = []
    for v in values:  # points closer than this are one grid line: a fixed one, if either is
        if merged and v - merged[-1] < 0.5:
            if v in keep and merged[-1] not in keep:
                merged[-1] = v
            continue
        merged.append(v)
    return merged, {v for v in merged if any(abs(v - g) < 0.5 for g in grown)}


Spot = tuple[Point, int] | tuple[Point, int, float]  # a point, a heading, and what starting or ending there costs


def route(starts: Sequence[Spot], ends: Sequence[Spot], obstacles: Sequence[Box],
          bounds: Box, lines: Sequence[Line] = (), clearance: float = 6.0) -> list[Point] | None:
    """The cheapest orthogonal route from one of `starts` (a point, the heading the line
    leaves it with, and optionally a cost) to one of `ends` (a point, the heading it must
    arrive with, a cost), or None when every way is blocked. Start and end points should
    lie outside the obstacles."""
    fixed_x = [spot[0][0] for spot in (*starts, *ends)]
    fixed_y = [spot[0][1] for spot in (*starts, *ends)]
    xs, hug_x = _coordinates(fixed_x, [(b.left, b.right) for b in obstacles], clearance, bounds.left, bounds.right)
    ys, hug_y = _coordinates(fixed_y, [(b.top, b.bottom) for b in obstacles], clearance, bounds.top, bounds.bottom)
    nx, ny = len(xs), len(ys)
    blocked = [[False] * ny for _ in range(nx)]
    cut_h = [[False] * ny for _ in range(nx)]  # the edge from (i, j) to (i + 1, j) is blocked
    cut_v = [[False] * ny for _ in range(nx)]  # the edge from (i, j) to (i, j + 1) is blocked
    for box in (b.grown(clearance) for b in obstacles):
        i0, i1 = bisect.bisect_right(xs, box.left + EPSILON), bisect.bisect_left(xs, box.right - EPSILON)
        j0, j1 = bisect.bisect_right(ys, box.top + EPSILON), bisect.bisect_left(ys, box.bottom - EPSILON)
        ia, ib = bisect.bisect_left(xs, box.left - EPSILON), bisect.bisect_right(xs, box.right + EPSILON) - 1
        ja, jb = bisect.bisect_left(ys, box.top - EPSILON), bisect.bisect_right(ys, box.bottom + EPSILON) - 1
        for i in range(i0, i1):
            for j in range(j0, j1):
                blocked[i][j] = True
        for j in range(j0, j1):
            for i in range(ia, ib):
                cut_h[i][j] = True
        for i in range(i0, i1):
            for j in range(ja, jb):
                cut_v[i][j] = True

    def node(point: Point) -> tuple[int, int] | None:
        i = min(range(nx), key=lambda k: abs(xs[k] - point[0]))
        j = min(range(ny), key=lambda k: abs(ys[k] - point[1]))
        if abs(xs[i] - point[0]) > 0.5 or abs(ys[j] - point[1]) > 0.5 or blocked[i][j]:
            return None
        return i, j

    index = _Lines(lines)
    soft: dict[tuple[int, int, int], float] = {}

    def penalty(i: int, j: int, d: int) -> float:
        """What crossing and running along other lines costs on the edge from (i, j) heading d."""
        key = (i, j, d)
        if key not in soft:
            di, dj = STEPS[d]
            soft[key] = index.cost((xs[i], ys[j]), (xs[i + di], ys[j + dj]))
        return soft[key]

    goals: dict[tuple[int, int], tuple[int, float]] = {}
    for spot in ends:
        found_end = node(spot[0])
        extra = spot[2] if len(spot) > 2 else 0.0
        if found_end is not None and (found_end not in goals or extra < goals[found_end][1]):
            goals[found_end] = (spot[1], extra)
    targets = [(xs[i], ys[j]) for i, j in goals]
    ahead: dict[tuple[int, int], float] = {}

    def estimate(i: int, j: int) -> float:
        """No more than what is left to pay: the shortest way to the nearest end (A*)."""
        if (i, j) not in ahead:
            ahead[i, j] = min((abs(xs[i] - gx) + abs(ys[j] - gy) for gx, gy in targets), default=0.0)
        return ahead[i, j]

    heap: list[tuple[float, int, float, int, int, int]] = []
    best: dict[tuple[int, int, int], float] = {}
    came: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
    counter = itertools.count()
    for spot in starts:
        found = node(spot[0])
        extra = spot[2] if len(spot) > 2 else 0.0
        if found is not None:
            state = (*found, spot[1])
            if best.get(state, float("inf")) > extra:
                best[state] = extra
                came[state] = None
                heapq.heappush(heap, (extra + estimate(*found), next(counter), extra, *state))
    finish: tuple[float, tuple[int, int, int]] | None = None
    while heap:
        bound, _, cost, i, j, d = heapq.heappop(heap)
        if finish is not None and bound >= finish[0]:
            break
        if cost > best.get((i, j, d), float("inf")) + EPSILON:
            continue
        if (i, j) in goals and d != OPPOSITE[goals[i, j][0]]:
            total = cost + (BEND if d != goals[i, j][0] else 0.0) + goals[i, j][1]
            if finish is None or total < finish[0]:
                finish = (total, (i, j, d))
        for nd, (di, dj) in STEPS.items():
            if nd == OPPOSITE[d]:
                continue
            ni, nj = i + di, j + dj
            if not (0 <= ni < nx and 0 <= nj < ny) or blocked[ni][nj]:
                continue
            if (di and cut_h[min(i, ni)][j]) or (dj and cut_v[i][min(j, nj)]):
                continue
            step = abs(xs[ni] - xs[i]) + abs(ys[nj] - ys[j])
            hugging = (dj and xs[i] in hug_x) or (di and ys[j] in hug_y)
            extra = step * HUG if hugging else 0.0
            total = cost + step + extra + (BEND if nd != d else 0.0) + penalty(i, j, nd)
            state = (ni, nj, nd)
            if total < best.get(state, float("inf")) - EPSILON:
                best[state] = total
                came[state] = (i, j, d)
                heapq.heappush(heap, (total + estimate(ni, nj), next(counter), total, *state))
    if finish is None:
        return None
    path: list[Point] = []
    at: tuple[int, int, int] | None = finish[1]
    while at is not None:
        path.append((xs[at[0]], ys[at[1]]))
        at = came[at]
    return simplify(path[::-1])


class _Lines:
    """Lines already drawn, indexed for the grid's edges: level ones by height, upright
    ones by position, and the few others (corners, slants) kept in a list."""

    def __init__(self, lines: Sequence[Line]) -> None:
        level: list[tuple[float, float, float, float]] = []  # y, x0, x1, weight
        upright: list[tuple[float, float, float, float]] = []  # x, y0, y1, weight
        self.other: list[Line] = []
        for line in lines:
            (ax, ay), (bx, by) = line.a, line.b
            if abs(ay - by) < 1.0:
                level.append((ay, min(ax, bx), max(ax, bx), line.weight))
            elif abs(ax - bx) < 1.0:
                upright.append((ax, min(ay, by), max(ay, by), line.weight))
            else:
                self.other.append(line)
        self.level = sorted(level)
        self.upright = sorted(upright)
        self.level_at = [v[0] for v in self.level]
        self.upright_at = [v[0] for v in self.upright]

    def cost(self, a: Point, b: Point) -> float:
        """What an edge of the grid (level or upright) from a to b costs for the lines it
        crosses and runs along."""
        total = 0.0
        if abs(a[1] - b[1]) < EPSILON:  # level: crosses upright lines, runs along level ones
            y, x0, x1 = a[1], min(a[0], b[0]), max(a[0], b[0])
            crossing, along, at_cross, at_along = self.upright, self.level, self.upright_at, self.level_at
        else:
            y, x0, x1 = a[0], min(a[1], b[1]), max(a[1], b[1])
            crossing, along, at_cross, at_along = self.level, self.upright, self.level_at, self.upright_at
        for k in range(bisect.bisect_right(at_cross, x0 + EPSILON), bisect.bisect_left(at_cross, x1 - EPSILON)):
            _, low, high, weight = crossing[k]
            if low < y < high:
                total += weight
        for k in range(bisect.bisect_left(at_along, y - NEAR), bisect.bisect_right(at_along, y + NEAR)):
            _, low, high, weight = along[k]
            if min(high, x1) - max(low, x0) > 1:
                total += weight * ALONG
        for line in self.other:
            total += line.weight * _meets(a, b, line.a, line.b)
        return total


def _meets(a: Point, b: Point, p: Point, q: Point) -> float:
    """1 when segment a-b crosses segment p-q, ALONG when it runs along it, else 0."""
    (ax, ay), (bx, by), (px, py), (qx, qy) = a, b, p, q
    near = NEAR
    if max(ax, bx) < min(px, qx) - near or max(px, qx) < min(ax, bx) - near:
        return 0.0
    if max(ay, by) < min(py, qy) - near or max(py, qy) < min(ay, by) - near:
        return 0.0
    horizontal, other_horizontal = abs(ay - by) < EPSILON, abs(py - qy) < 1.0
    vertical, other_vertical = abs(ax - bx) < EPSILON, abs(px - qx) < 1.0
    if horizontal and other_horizontal:
        overlap = min(max(ax, bx), max(px, qx)) - max(min(ax, bx), min(px, qx))
        return ALONG if abs(ay - py) < near and overlap > 1 else 0.0
    if vertical and other_vertical:
        overlap = min(max(ay, by), max(py, qy)) - max(min(ay, by), min(py, qy))
        return ALONG if abs(ax - px) < near and overlap > 1 else 0.0

    def side(ox: float, oy: float, tx: float, ty: float, sx: float, sy: float) -> float:
        return (tx - ox) * (sy - oy) - (ty - oy) * (sx - ox)

    d1, d2 = side(px, py, qx, qy, ax, ay), side(px, py, qx, qy, bx, by)
    d3, d4 = side(ax, ay, bx, by, px, py), side(ax, ay, bx, by, qx, qy)
    return 1.0 if d1 * d2 < 0 and d3 * d4 < 0 else 0.0


def simplify(points: Sequence[Point]) -> list[Point]:
    """A polyline with repeated points and points in the middle of straight runs dropped."""
    out: list[Point] = []
    for point in points:
        if out and abs(point[0] - out[-1][0]) < EPSILON and abs(point[1] - out[-1][1]) < EPSILON:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if abs((bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax)) < EPSILON:
                out[-1] = point
                continue
        out.append(point)
    return out
