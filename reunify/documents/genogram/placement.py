"""Placing people across the page, row by row.

A unit is a person and their partners side by side (set out as `partners` says); units
are ordered and placed row by row, children spread under their parents' couple line
eldest first, parents centred over their children, by a few sweeps down and up. Where a
person's partners could sit either way round, both are tried and the tidier kept (fewer
crossings, fewer non-members inside a household's outline). Groups are packed left to
right, the child's family first, each as far left as its rows allow (foster carers end up
on the right of the parents' row).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass

from reunify.documents.genogram.generations import Family
from reunify.documents.genogram.generations import Groups
from reunify.documents.genogram.generations import rows as family_rows
from reunify.documents.genogram.households import household_bands
from reunify.documents.genogram.items import FAMILY_GAP
from reunify.documents.genogram.items import HOUSEHOLD_PAD
from reunify.documents.genogram.items import MAX_GENERATIONS
from reunify.documents.genogram.items import MAX_PEOPLE
from reunify.documents.genogram.items import PITCH
from reunify.documents.genogram.items import GenogramTooLarge
from reunify.documents.genogram.partners import arrangements
from reunify.documents.genogram.partners import chain
from reunify.documents.genogram.partners import couple_point
from reunify.documents.genogram.partners import hook
from reunify.records import Case

OFF_CENTRE = 30.0  # what it costs to have a couple's children no longer under their line


@dataclass
class Unit:
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
class Sibship:
    parents: tuple[str, ...]
    children: tuple[str, ...]  # eldest first


class Placement:
    """One linked group of people, placed row by row."""

    def __init__(self, family: Family, group: list[str], row: dict[str, int],
                 sibships: dict[str, Sibship], variants: dict[tuple[str, ...], int]) -> None:
        self.family = family
        self.row = row
        self.sibships = sibships
        same_row = Groups(group)
        for a, b, _ in family.couples:
            if a in same_row.parent and b in same_row.parent and row[a] == row[b]:
                same_row.join(a, b)
        self.units: list[Unit] = []
        for members in same_row.groups(group):
            self.units.append(Unit(chain(members, family.partners, variants.get(tuple(sorted(members)), 0)),
                                    row[members[0]]))
        self.unit_of = {p: u for u in self.units for p in u.members}
        self.rows: dict[int, list[Unit]] = {}
        for unit in self.units:
            self.rows.setdefault(unit.row, []).append(unit)
        self.rank = {c: (i, len(s.children)) for s in sibships.values() for i, c in enumerate(s.children)}
        self.sibship_of = {c: s for s in sibships.values() for c in s.children}
        self.parent_of: dict[str, list[Sibship]] = {}
        for sibship in sibships.values():
            for parent in sibship.parents:
                self.parent_of.setdefault(parent, []).append(sibship)
        self.family_of = {c: s.parents for s in sibships.values() for c in s.children}

    def x(self, pid: str) -> float:
        unit = self.unit_of[pid]
        return unit.x + unit.offset(pid)

    def anchor(self, sibship: Sibship) -> float:
        ps = sibship.parents
        unit = self.unit_of[ps[0]]
        if len(ps) == 2 and unit is self.unit_of.get(ps[1]):
            return unit.x + (couple_point(unit.members, ps[0], ps[1], self.family.partners)
                             - (len(unit.members) - 1) / 2) * PITCH
        return self.x(ps[0]) + hook(unit.members, ps[0])

    def _separation(self, a: Unit, b: Unit) -> float:
        kin = {self.family_of.get(p) for p in a.members} & {self.family_of.get(p) for p in b.members}
        gap = 0.0 if kin - {None} else FAMILY_GAP
        return a.half + b.half + PITCH + gap

    def _pulls(self, unit: Unit) -> list[tuple[float, float]]:
        """For each member whose parents are above: where the parents want the unit, and
        how far that member's own place is from where they want it."""
        pulls = []
        for pid in unit.members:
            parents = self.family_of.get(pid)
            if parents is None or any(self.row[p] >= unit.row for p in parents):
                continue
            rank, count = self.rank[pid]
            centre = self.anchor(self.sibship_of[pid])
            want = centre + (rank - (count - 1) / 2) * PITCH
            pulls.append((want - unit.offset(pid), unit.offset(pid) * (centre - want)))
        return pulls

    def _down(self, unit: Unit) -> tuple[float | None, float]:
        """Where the unit's parents want it, and how much the members' side matters."""
        pulls = self._pulls(unit)
        wants = [want for want, _ in pulls]
        return (sum(wants) / len(wants) if wants else None), sum(lean for _, lean in pulls)

    def _up(self, unit: Unit) -> float | None:
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

    def _orient(self, unit: Unit) -> None:
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

    def _spread(self, unit: Unit) -> float:
        wants = [want for want, _ in self._pulls(unit)]
        if not wants:
            return 0.0
        mean = sum(wants) / len(wants)
        return sum((w - mean) ** 2 for w in wants)

    def _settle(self, units: list[Unit], wants: list[float | None]) -> None:
        settle(units, wants, self._separation)

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


def settle(units: list[Unit], wants: Sequence[float | None], separation: Callable[[Unit, Unit], float],
           weights: Sequence[float] | None = None) -> None:
    """Order a row by where its units want to be, then place them as near to that as their
    separations allow (weighted least squares, by pooling neighbours that would overlap).
    A unit that wants nothing keeps its place, weakly."""
    current = {id(u): u.x for u in units}
    target = {id(u): (w if w is not None else u.x) for u, w in zip(units, wants, strict=True)}
    weight = {id(u): (weights[i] if weights is not None else 1.0) if w is not None else 0.05
              for i, (u, w) in enumerate(zip(units, wants, strict=True))}
    units.sort(key=lambda u: (target[id(u)], current[id(u)]))
    offsets = [0.0]
    for a, b in itertools.pairwise(units):
        offsets.append(offsets[-1] + separation(a, b))
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


def sibships_of(family: Family) -> dict[str, Sibship]:
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

    return {k: Sibship(keys[k], tuple(sorted(kids, key=age_order))) for k, kids in grouped.items()}


@dataclass(frozen=True)
class Positions:
    x: dict[str, float]
    row: dict[str, int]
    unit_of: dict[str, tuple[str, ...]]  # members of each person's unit, left to right


_Placed = tuple[dict[str, float], dict[str, tuple[str, ...]], dict[int, tuple[float, float]]]


def place_groups(family: Family, row: dict[str, int], groups: list[list[str]], sibships: dict[str, Sibship],
                 variants: dict[tuple[str, ...], int],
                 done: dict[tuple[int, frozenset[tuple[tuple[str, ...], int]]], _Placed]) -> Positions:
    """Every group placed, then packed left to right. `done` keeps groups already placed
    with the same units set out the same way, as trying another way changes only its group."""
    x: dict[str, float] = {}
    unit_of: dict[str, tuple[str, ...]] = {}
    right: dict[int, float] = {}  # the right edge of what is placed, by row
    for index, group in enumerate(groups):
        members = set(group)
        mine = frozenset((u, v) for u, v in variants.items() if v and u[0] in members)
        if (index, mine) not in done:
            placement = Placement(family, group, row, {k: s for k, s in sibships.items()
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
    return Positions(x, row, unit_of)


def anchor(sibship: Sibship, pos: Positions, partners: dict[str, list[str]]) -> float:
    """Where the line to a group of children leaves the parents."""
    ps = sibship.parents
    unit = pos.unit_of[ps[0]]
    if len(ps) == 2 and unit == pos.unit_of[ps[1]]:
        return pos.x[unit[0]] + couple_point(unit, ps[0], ps[1], partners) * PITCH
    return pos.x[ps[0]] + hook(unit, ps[0])


def cost(family: Family, case: Case, pos: Positions, sibships: dict[str, Sibship]) -> float:
    """How untidy a placement is: long and crossing child lines, strangers in households
    (each counted, and more for a household that cannot be drawn as one rectangle)."""
    total = 0.0
    lines: dict[int, list[tuple[float, float, str]]] = {}
    for key, sibship in sibships.items():
        at = anchor(sibship, pos, family.partners)
        for kid in sibship.children:
            total += abs(pos.x[kid] - at) / PITCH
            lines.setdefault(pos.row[kid], []).append((at, pos.x[kid], key))
        low, high = sorted(pos.x[p] for p in sibship.parents) if len(sibship.parents) == 2 else (at, at)
        middle = (pos.x[sibship.children[0]] + pos.x[sibship.children[-1]]) / 2
        if len(sibship.children) > 1 and len(sibship.parents) == 2 and not low - 1e-6 <= middle <= high + 1e-6:
            total += OFF_CENTRE  # the children no longer under their parents' line
    for found in lines.values():
        for i, (a1, c1, k1) in enumerate(found):
            for a2, c2, k2 in found[i + 1:]:
                if k1 != k2 and (a1 - a2) * (c1 - c2) < 0:
                    total += 4
    by_row: dict[int, list[str]] = {}
    for pid in family.order:
        by_row.setdefault(pos.row[pid], []).append(pid)
    for household in case.people.households:
        inside = set(household.members)
        bands, square = household_bands(household.members, pos.x, pos.row, HOUSEHOLD_PAD)
        total += 0.0 if square or not bands else 12.0
        for r, lo, hi in bands:
            total += 4 * sum(1 for p in by_row.get(r, []) if p not in inside and lo < pos.x[p] < hi)
    return total


def positions(case: Case, family: Family, spread: bool = False) -> Positions:
    if len(family.order) > MAX_PEOPLE:
        raise GenogramTooLarge(f"people.yaml: the genogram can show at most {MAX_PEOPLE} people; "
                               f"{len(family.order)} are recorded")
    row, groups = family_rows(family, case.people.households, spread)
    generations = max(row.values(), default=0) + 1
    if generations > MAX_GENERATIONS:
        raise GenogramTooLarge(f"people.yaml: the parents recorded make {generations} generations; the "
                               f"genogram can show at most {MAX_GENERATIONS} (check the parents)")
    sibships = sibships_of(family)
    variants: dict[tuple[str, ...], int] = {}
    done: dict[tuple[int, frozenset[tuple[tuple[str, ...], int]]], _Placed] = {}
    best = place_groups(family, row, groups, sibships, variants, done)
    untidy = cost(family, case, best, sibships)
    units = sorted({tuple(sorted(u)) for u in best.unit_of.values() if len(u) > 1},
                   key=lambda u: (row[u[0]], min(family.index[p] for p in u)))
    for unit in units:  # try each way of setting out each unit; keep the tidiest
        for variant in range(1, arrangements(unit, family.partners)):
            trial_variants = {**variants, unit: variant}
            trial = place_groups(family, row, groups, sibships, trial_variants, done)
            trial_cost = cost(family, case, trial, sibships)
            if trial_cost < untidy - 1e-6:
                best, untidy, variants = trial, trial_cost, trial_variants
    return best
