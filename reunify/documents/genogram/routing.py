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
import functools
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
                 low: float, high: float) -> tuple[list[float], list[bool]]:
    """Grid lines along one axis: fixed ones, each obstacle's grown edges, and the middle
    of every gap between obstacles' edges; and whether each runs along an edge."""
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
    edge_at = sorted(grown)

    def hugs(v: float) -> bool:  # the nearest grown edge on either side is the one to test
        k = bisect.bisect_left(edge_at, v)
        return any(abs(v - edge_at[n]) < 0.5 for n in (k - 1, k) if 0 <= n < len(edge_at))

    return merged, [hugs(v) for v in merged]


def _walls(xs: Sequence[float], ys: Sequence[float], obstacles: Sequence[Box],
           clearance: float) -> tuple[bytearray, bytearray, bytearray]:
    """The grid points inside an obstacle grown by `clearance`, and the edges that run
    through one: `level[n]` is the edge from point n (i * len(ys) + j) to the next along x,
    `upright[n]` to the next along y."""
    ny = len(ys)
    blocked, level, upright = bytearray(len(xs) * ny), bytearray(len(xs) * ny), bytearray(len(xs) * ny)
    for box in (b.grown(clearance) for b in obstacles):
        i0, i1 = bisect.bisect_right(xs, box.left + EPSILON), bisect.bisect_left(xs, box.right - EPSILON)
        j0, j1 = bisect.bisect_right(ys, box.top + EPSILON), bisect.bisect_left(ys, box.bottom - EPSILON)
        ia, ib = bisect.bisect_left(xs, box.left - EPSILON), bisect.bisect_right(xs, box.right + EPSILON) - 1
        ja, jb = bisect.bisect_left(ys, box.top - EPSILON), bisect.bisect_right(ys, box.bottom + EPSILON) - 1
        if j1 > j0:
            run = b"\x01" * (j1 - j0)
            for i in range(i0, i1):
                blocked[i * ny + j0:i * ny + j1] = run
            for i in range(ia, ib):
                level[i * ny + j0:i * ny + j1] = run
        if jb > ja:
            run = b"\x01" * (jb - ja)
            for i in range(i0, i1):
                upright[i * ny + ja:i * ny + jb] = run
    return blocked, level, upright


Spot = tuple[Point, int] | tuple[Point, int, float]  # a point, a heading, and what starting or ending there costs


def route(starts: Sequence[Spot], ends: Sequence[Spot], obstacles: Sequence[Box],
          bounds: Box, lines: Sequence[Line] = (), clearance: float = 6.0) -> list[Point] | None:
    """The cheapest orthogonal route from one of `starts` (a point, the heading the line
    leaves it with, and optionally a cost) to one of `ends` (a point, the heading it must
    arrive with, a cost), or None when every way is blocked. Start and end points should
    lie outside the obstacles."""
    found = _route(tuple(starts), tuple(ends), tuple(obstacles), bounds, tuple(lines), clearance)
    return list(found) if found is not None else None


# A case's documents draw its genogram for each day one of them shows, and most days give
# the same routes: each route is worked out once (the answer depends only on the arguments).
@functools.lru_cache(maxsize=64)
def _route(starts: tuple[Spot, ...], ends: tuple[Spot, ...], obstacles: tuple[Box, ...], bounds: Box,
           lines: tuple[Line, ...], clearance: float) -> tuple[Point, ...] | None:
    fixed_x = [spot[0][0] for spot in (*starts, *ends)]
    fixed_y = [spot[0][1] for spot in (*starts, *ends)]
    xs, hug_x = _coordinates(fixed_x, [(b.left, b.right) for b in obstacles], clearance, bounds.left, bounds.right)
    ys, hug_y = _coordinates(fixed_y, [(b.top, b.bottom) for b in obstacles], clearance, bounds.top, bounds.bottom)
    grid = _Grid(xs, ys, hug_x, hug_y, _walls(xs, ys, obstacles, clearance), _Lines(lines))
    goals: dict[int, tuple[int, float]] = {}  # grid point: the heading to arrive with, what ending there costs
    for spot in ends:
        found_end = grid.node(spot[0])
        extra = spot[2] if len(spot) > 2 else 0.0
        if found_end is not None and (found_end not in goals or extra < goals[found_end][1]):
            goals[found_end] = (spot[1], extra)
    firsts: list[tuple[int, int, float]] = []
    for spot in starts:
        found = grid.node(spot[0])
        if found is not None:
            firsts.append((found, spot[1], spot[2] if len(spot) > 2 else 0.0))
    found_path = grid.search(firsts, goals)
    return tuple(simplify(found_path)) if found_path is not None else None


class _Grid:
    """The routing grid: point n is (xs[n // len(ys)], ys[n % len(ys)]); a state is a point
    and the heading the line reached it with, 4 * n + heading."""

    def __init__(self, xs: list[float], ys: list[float], hug_x: list[bool], hug_y: list[bool],
                 walls: tuple[bytearray, bytearray, bytearray], lines: _Lines) -> None:
        self.xs, self.ys, self.hug_x, self.hug_y = xs, ys, hug_x, hug_y
        self.blocked, self.cut_level, self.cut_upright = walls
        self.lines = lines
        # What crossing and running along other lines costs on each edge, worked out when first needed.
        self.soft_level = [-1.0] * len(walls[0])
        self.soft_upright = [-1.0] * len(walls[0])

    def node(self, point: Point) -> int | None:
        xs, ys = self.xs, self.ys
        i = min(range(len(xs)), key=lambda k: abs(xs[k] - point[0]))
        j = min(range(len(ys)), key=lambda k: abs(ys[k] - point[1]))
        n = i * len(ys) + j
        if abs(xs[i] - point[0]) > 0.5 or abs(ys[j] - point[1]) > 0.5 or self.blocked[n]:
            return None
        return n

    def search(self, starts: list[tuple[int, int, float]], goals: dict[int, tuple[int, float]]) -> list[Point] | None:
        """A* from the `starts` (a point, a heading, a cost) to the cheapest of the `goals`:
        the route's points, or None. It pays for length, bends, hugging an obstacle's edge
        and the lines it crosses or runs along; the sum is made in one order throughout, so
        that equal routes are told apart the same way every time."""
        xs, ys, hug_x, hug_y = self.xs, self.ys, self.hug_x, self.hug_y
        soft_level, soft_upright, lines = self.soft_level, self.soft_upright, self.lines
        nx, ny = len(xs), len(ys)
        # Where each way on is shut, from each point: the edge of the grid, a point inside an
        # obstacle, or an edge through one (one lookup in the loop, not three).
        blocked, cut_level, cut_upright = self.blocked, self.cut_level, self.cut_upright
        edge = b"\x01" * ny
        no_right = _either(blocked[ny:] + edge, cut_level)
        no_left = _either(edge + blocked[:-ny], edge + cut_level[:-ny])
        no_down = _either(blocked[1:] + b"\x01", _either(cut_upright, (b"\x00" * (ny - 1) + b"\x01") * nx))
        no_up = _either(b"\x01" + blocked[:-1], _either(b"\x01" + cut_upright[:-1], (b"\x01" + b"\x00" * (ny - 1)) * nx))
        gap_x = [b - a for a, b in itertools.pairwise(xs)]  # the grid lines are in order, apart
        gap_y = [b - a for a, b in itertools.pairwise(ys)]
        # No more than what is left to pay: the shortest way to the nearest end (A*).
        away = [([abs(x - xs[n // ny]) for x in xs], [abs(y - ys[n % ny]) for y in ys]) for n in goals]
        ahead = [-1.0] * (nx * ny)
        inf = float("inf")

        def estimate(n: int) -> float:
            i, j = divmod(n, ny)
            found = inf if away else 0.0
            for to_x, to_y in away:
                if to_x[i] + to_y[j] < found:
                    found = to_x[i] + to_y[j]
            ahead[n] = found
            return found

        best = [inf] * (4 * nx * ny)
        came = [-1] * (4 * nx * ny)
        heap: list[tuple[float, int, float, int, int]] = []  # estimate, order pushed, cost, point, heading
        pushed = 0
        for n, d, extra in starts:
            if best[4 * n + d] > extra:
                best[4 * n + d] = extra
                came[4 * n + d] = -1
                heapq.heappush(heap, (extra + estimate(n), pushed, extra, n, d))
                pushed += 1
        finish_cost, finish = inf, -1
        push, pop = heapq.heappush, heapq.heappop
        level_cost, upright_cost = lines.level_cost, lines.upright_cost
        # Each way on, in the order RIGHT, LEFT, DOWN, UP, written out: a line never turns
        # back; the cost of an edge's soft lines is worked out when first needed; a sum is
        # made in one order (what a hug or a bend does not add is left out, not added as 0).
        while heap:
            bound, _, cost, n, d = pop(heap)
            if bound >= finish_cost:  # inf until a goal is reached
                break
            state = 4 * n + d
            if cost > best[state] + EPSILON:
                continue
            goal = goals.get(n)
            if goal is not None and d != OPPOSITE[goal[0]]:
                total = cost + (BEND if d != goal[0] else 0.0) + goal[1]
                if finish < 0 or total < finish_cost:
                    finish_cost, finish = total, state
            i, j = divmod(n, ny)
            if d != LEFT and not no_right[n]:
                m, penalty, step = n + ny, soft_level[n], gap_x[i]
                if penalty < 0:
                    penalty = soft_level[n] = level_cost(ys[j], xs[i], xs[i + 1])
                total = cost + step
                if hug_y[j]:
                    total += step * HUG
                if d != RIGHT:
                    total += BEND
                total += penalty
                if total < best[4 * m] - EPSILON:
                    best[4 * m], came[4 * m], left = total, state, ahead[m]
                    push(heap, (total + (left if left >= 0 else estimate(m)), pushed, total, m, RIGHT))
                    pushed += 1
            if d != RIGHT and not no_left[n]:
                m, step = n - ny, gap_x[i - 1]
                penalty = soft_level[m]
                if penalty < 0:
                    penalty = soft_level[m] = level_cost(ys[j], xs[i - 1], xs[i])
                total = cost + step
                if hug_y[j]:
                    total += step * HUG
                if d != LEFT:
                    total += BEND
                total += penalty
                if total < best[4 * m + LEFT] - EPSILON:
                    best[4 * m + LEFT], came[4 * m + LEFT], left = total, state, ahead[m]
                    push(heap, (total + (left if left >= 0 else estimate(m)), pushed, total, m, LEFT))
                    pushed += 1
            if d != UP and not no_down[n]:
                m, penalty, step = n + 1, soft_upright[n], gap_y[j]
                if penalty < 0:
                    penalty = soft_upright[n] = upright_cost(xs[i], ys[j], ys[j + 1])
                total = cost + step
                if hug_x[i]:
                    total += step * HUG
                if d != DOWN:
                    total += BEND
                total += penalty
                if total < best[4 * m + DOWN] - EPSILON:
                    best[4 * m + DOWN], came[4 * m + DOWN], left = total, state, ahead[m]
                    push(heap, (total + (left if left >= 0 else estimate(m)), pushed, total, m, DOWN))
                    pushed += 1
            if d != DOWN and not no_up[n]:
                m, step = n - 1, gap_y[j - 1]
                penalty = soft_upright[m]
                if penalty < 0:
                    penalty = soft_upright[m] = upright_cost(xs[i], ys[j - 1], ys[j])
                total = cost + step
                if hug_x[i]:
                    total += step * HUG
                if d != UP:
                    total += BEND
                total += penalty
                if total < best[4 * m + UP] - EPSILON:
                    best[4 * m + UP], came[4 * m + UP], left = total, state, ahead[m]
                    push(heap, (total + (left if left >= 0 else estimate(m)), pushed, total, m, UP))
                    pushed += 1
        if finish < 0:
            return None
        path: list[Point] = []
        while finish >= 0:
            path.append((xs[finish // 4 // ny], ys[finish // 4 % ny]))
            finish = came[finish]
        return path[::-1]


def _either(a: bytes | bytearray, b: bytes | bytearray) -> bytes:
    """Byte by byte, 1 where either holds 1 (both of one length, every byte 0 or 1)."""
    return (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little")


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
        # The others with how near an edge must come to meet them (as _meets first asks).
        self.near = [(line, min(line.a[0], line.b[0]) - NEAR, max(line.a[0], line.b[0]),
                      min(line.a[1], line.b[1]) - NEAR, max(line.a[1], line.b[1])) for line in self.other]

    def level_cost(self, y: float, x0: float, x1: float) -> float:
        """What the level edge from (x0, y) to (x1, y) (x0 < x1) costs for the lines it
        crosses (upright ones) and runs along (level ones), and the others it meets."""
        total = 0.0
        at, crossing = self.upright_at, self.upright
        for k in range(bisect.bisect_right(at, x0 + EPSILON), bisect.bisect_left(at, x1 - EPSILON)):
            _, low, high, weight = crossing[k]
            if low < y < high:
                total += weight
        at, along = self.level_at, self.level
        for k in range(bisect.bisect_left(at, y - NEAR), bisect.bisect_right(at, y + NEAR)):
            _, low, high, weight = along[k]
            if min(high, x1) - max(low, x0) > 1:
                total += weight * ALONG
        for line, low_x, high_x, low_y, high_y in self.near:
            if not (x1 < low_x or high_x < x0 - NEAR or y < low_y or high_y < y - NEAR):
                total += line.weight * _meets((x0, y), (x1, y), line.a, line.b)
        return total

    def upright_cost(self, x: float, y0: float, y1: float) -> float:
        """What the upright edge from (x, y0) to (x, y1) (y0 < y1) costs: as `level_cost`."""
        total = 0.0
        at, crossing = self.level_at, self.level
        for k in range(bisect.bisect_right(at, y0 + EPSILON), bisect.bisect_left(at, y1 - EPSILON)):
            _, low, high, weight = crossing[k]
            if low < x < high:
                total += weight
        at, along = self.upright_at, self.upright
        for k in range(bisect.bisect_left(at, x - NEAR), bisect.bisect_right(at, x + NEAR)):
            _, low, high, weight = along[k]
            if min(high, y1) - max(low, y0) > 1:
                total += weight * ALONG
        for line, low_x, high_x, low_y, high_y in self.near:
            if not (x < low_x or high_x < x - NEAR or y1 < low_y or high_y < y0 - NEAR):
                total += line.weight * _meets((x, y0), (x, y1), line.a, line.b)
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
