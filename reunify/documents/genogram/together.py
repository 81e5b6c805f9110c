"""Households kept together, so that each can be outlined by one rectangle.

After the family is placed, a household whose outline would hold someone else (a child
under its parents, in a foster home drawn further along the row) has its members moved
into line: on each of its rows its members are set side by side under (or over) its
members on one row, and anyone else in the way moves aside, keeping their order. Each
way of doing this is tried, with any household it disturbs put right again, and kept
only when the whole is tidier; brothers and sisters always stay eldest first.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from reunify.documents.genogram.generations import Family
from reunify.documents.genogram.households import household_bands
from reunify.documents.genogram.items import FAMILY_GAP
from reunify.documents.genogram.items import HOUSEHOLD_PAD
from reunify.documents.genogram.items import LABEL_WIDTH
from reunify.documents.genogram.items import PITCH
from reunify.documents.genogram.placement import Positions
from reunify.documents.genogram.placement import Sibship
from reunify.documents.genogram.placement import Unit
from reunify.documents.genogram.placement import anchor
from reunify.documents.genogram.placement import cost
from reunify.documents.genogram.placement import settle
from reunify.records import Case
from reunify.records import models as m

ROUNDS = 3
WIDTH_COST = 0.25  # a placement a column narrower is worth a child's line a quarter of a column longer
MOST_PEOPLE = 80  # beyond this, households are outlined as placed (the search grows quickly)

Xs = dict[tuple[str, ...], float]  # each unit's centre


class _Together:
    def __init__(self, case: Case, family: Family, pos: Positions, sibships: dict[str, Sibship]) -> None:
        self.case, self.family, self.sibships = case, family, sibships
        self.row = pos.row
        self.units = {u: Unit(list(u), pos.row[u[0]]) for u in dict.fromkeys(pos.unit_of.values())}
        self.by_row: dict[int, list[tuple[str, ...]]] = {}
        for key, unit in self.units.items():
            self.by_row.setdefault(unit.row, []).append(key)
        self.family_of = {c: s.parents for s in sibships.values() for c in s.children}
        self.households = [h for h in case.people.households if len([p for p in h.members if p in pos.x]) > 1]

    def xs_of(self, pos: Positions) -> Xs:
        return {key: sum(pos.x[p] for p in key) / len(key) for key in self.units}

    def positions(self, xs: Xs) -> Positions:
        left = min(xs[k] - self.units[k].half for k in self.units)
        x = {p: xs[k] - left + self.units[k].offset(p) for k in self.units for p in k}
        return Positions(x, self.row, {p: k for k in self.units for p in k})

    def separation(self, a: Unit, b: Unit) -> float:
        kin = {self.family_of.get(p) for p in a.members} & {self.family_of.get(p) for p in b.members}
        return a.half + b.half + PITCH + (0.0 if kin - {None} else FAMILY_GAP)

    def square(self, household: m.Household, xs: Xs) -> bool:
        pos = self.positions(xs)
        bands, square = household_bands(household.members, pos.x, pos.row, HOUSEHOLD_PAD)
        return square or len(bands) == 0

    def in_order(self, xs: Xs) -> bool:
        """Brothers and sisters eldest first, as placed."""
        pos = self.positions(xs)
        for sibship in self.sibships.values():
            for a, b in itertools.pairwise(sibship.children):
                if self.row[a] == self.row[b] and pos.x[a] >= pos.x[b]:
                    return False
        return True

    def untidy(self, xs: Xs) -> float:
        """The placement's cost, and a little for its width."""
        if not self.in_order(xs):
            return float("inf")
        pos = self.positions(xs)
        return cost(self.family, self.case, pos, self.sibships) + WIDTH_COST * max(pos.x.values()) / PITCH

    def align(self, household: m.Household, lead: int, xs: Xs) -> Xs:
        """The household's members on every row of it lined up with those on row `lead`."""
        mine = {p for p in household.members if p in self.row}
        rows = range(min(self.row[p] for p in mine), max(self.row[p] for p in mine) + 1)
        pos = self.positions(xs)
        shift = min(xs[k] - self.units[k].half for k in self.units)
        leaders = [pos.x[p] + shift for p in mine if self.row[p] == lead]
        centre = (min(leaders) + max(leaders)) / 2
        wants: dict[tuple[str, ...], float] = {}
        for r in rows:
            inside = sorted((k for k in self.by_row.get(r, []) if mine & set(k)), key=lambda k: xs[k])
            if r == lead or not inside:
                wants.update({k: xs[k] for k in inside})
                continue
            offsets = [0.0]
            for a, b in itertools.pairwise(inside):
                offsets.append(offsets[-1] + self.separation(self.units[a], self.units[b]))
            wants.update({k: centre - offsets[-1] / 2 + o for k, o in zip(inside, offsets, strict=True)})
        half = LABEL_WIDTH / 2 + HOUSEHOLD_PAD
        spots = [wants[k] + self.units[k].offset(p) for k in wants for p in k if p in mine]
        lo, hi = min(spots) - half, max(spots) + half
        lane = (PITCH - LABEL_WIDTH) / 2
        new = dict(xs)
        for r in rows:
            keys = sorted(self.by_row.get(r, []), key=lambda k: xs[k])
            inside = [k for k in keys if k in wants]
            first = min((xs[k] for k in inside), default=centre)
            targets: dict[tuple[str, ...], float] = {k: wants[k] for k in inside}
            weights = dict.fromkeys(keys, 1.0) | dict.fromkeys(inside, 100.0)
            aside: tuple[list[tuple[str, ...]], list[tuple[str, ...]]] = ([], [])
            for key in keys:
                reach = self.units[key].half + LABEL_WIDTH / 2
                if key not in wants and xs[key] + reach > lo and xs[key] - reach < hi:  # in the way
                    # the side of the outline it is nearer; level with its middle, the side it is on now
                    before = xs[key] < centre - 1e-6 or (abs(xs[key] - centre) <= 1e-6 and xs[key] <= first)
                    aside[0 if before else 1].append(key)
            edge = lo - lane
            for key in reversed(aside[0]):  # stacked leftwards from the outline, keeping their order
                unit = self.units[key]
                targets[key] = edge - unit.half - LABEL_WIDTH / 2
                edge = targets[key] - unit.half - LABEL_WIDTH / 2 - 2 * lane
            edge = hi + lane
            for key in aside[1]:
                unit = self.units[key]
                targets[key] = edge + unit.half + LABEL_WIDTH / 2
                edge = targets[key] + unit.half + LABEL_WIDTH / 2 + 2 * lane
            weights.update(dict.fromkeys(aside[0] + aside[1], 20.0))
            row_units = [Unit(list(k), r, xs[k]) for k in keys]
            settle(row_units, [targets.get(k, xs[k]) for k in keys], self.separation, [weights[k] for k in keys])
            new.update({tuple(u.members): u.x for u in row_units})
        return new

    def apart(self, xs: Xs) -> int:
        """How many households cannot be outlined by one rectangle."""
        return sum(1 for h in self.households if not self.square(h, xs))

    def best_alignment(self, household: m.Household, xs: Xs) -> tuple[float, Xs]:
        rows = sorted({self.row[p] for p in household.members if p in self.row})
        found = [(self.untidy(trial), trial) for trial in (self.align(household, r, xs) for r in rows)]
        return min(found, key=lambda f: f[0])

    def settle_households(self, xs: Xs) -> tuple[float, Xs]:
        """Each household not yet a rectangle lined up its best way, while that leaves fewer
        apart (or the same number, more tidily); the tidiest placement on the way."""
        best = (self.untidy(xs), xs)
        for _ in range(ROUNDS):
            changed = False
            for household in self.households:
                if self.square(household, xs):
                    continue
                found, trial = self.best_alignment(household, xs)
                if found == float("inf"):
                    continue
                if (self.apart(trial), found) < (self.apart(xs), self.untidy(xs) - 1e-6):
                    xs, changed = trial, True
                    best = min(best, (found, xs), key=lambda b: b[0])
            if not changed:
                break
        return best

    def improve(self, xs: Xs) -> Xs:
        """The tidiest of: the placement as it is, and each way of lining up one household
        first, with the rest then lined up in turn."""
        best = (self.untidy(xs), xs)
        starts = [xs] + [self.align(h, r, xs) for h in self.households if not self.square(h, xs)
                         for r in sorted({self.row[p] for p in h.members if p in self.row})]
        for start in starts:
            if self.untidy(start) == float("inf"):
                continue
            found, final = self.settle_households(start)
            if found < best[0] - 1e-6:
                best = (found, final)
        return best[1]


    def wants(self, key: tuple[str, ...], xs: Xs) -> float | None:
        """Where a unit's parents and children would have it: under its parents' line, over
        its children (the mean, when both)."""
        pos = self.positions(xs)
        shift = min(xs[k] - self.units[k].half for k in self.units)
        unit = self.units[key]
        found = []
        for sibship in self.sibships.values():
            at = anchor(sibship, pos, self.family.partners) + shift
            kids = [c for c in sibship.children if self.row[c] > unit.row]
            if any(p in key for p in sibship.parents) and kids:
                found.append(sum(pos.x[c] + shift for c in kids) / len(kids) - (at - xs[key]))
            for pid in key:
                if pid in sibship.children and all(self.row[p] < unit.row for p in sibship.parents):
                    found.append(at - unit.offset(pid))
        return sum(found) / len(found) if found else None

    def polish(self, xs: Xs) -> Xs:
        """People in no household of several moved under their parents and over their
        children, and packed to the left, where that is tidier and breaks no outline."""
        held = {p for h in self.households for p in h.members}
        for _ in range(ROUNDS):
            changed = False
            for r in sorted(self.by_row):
                keys = sorted(self.by_row[r], key=lambda k: xs[k])
                targets: list[float | None] = []
                weights: list[float] = []
                previous: float | None = None
                for i, key in enumerate(keys):
                    if held & set(key):
                        targets.append(xs[key])
                        weights.append(100.0)
                    else:
                        want = self.wants(key, xs)
                        if want is None and i and previous is not None:  # packed against its neighbour
                            want = previous + self.separation(self.units[keys[i - 1]], self.units[key])
                        targets.append(want)
                        weights.append(1.0)
                    previous = targets[-1] if targets[-1] is not None else xs[key]
                row_units = [Unit(list(k), r, xs[k]) for k in keys]
                settle(row_units, targets, self.separation, weights)
                trial = dict(xs) | {tuple(u.members): u.x for u in row_units}
                if self.apart(trial) <= self.apart(xs) and self.untidy(trial) < self.untidy(xs) - 1e-6:
                    xs, changed = trial, True
            if not changed:
                break
        return xs


def keep_households_together(case: Case, family: Family, pos: Positions,
                             sibships: dict[str, Sibship]) -> Positions:
    """The placement with each household's members moved together where that is tidier."""
    if len(pos.x) > MOST_PEOPLE or not case.people.households:
        return pos
    together = _Together(case, family, pos, sibships)
    return together.positions(together.polish(together.improve(together.xs_of(pos))))


def households_drawn_square(households: Sequence[m.Household], pos: Positions) -> dict[str, bool]:
    """Whether each household's outline is one rectangle in this placement."""
    return {h.id: household_bands(h.members, pos.x, pos.row, HOUSEHOLD_PAD)[1] for h in households}
