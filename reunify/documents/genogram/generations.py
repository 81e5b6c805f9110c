"""Generations: who is whose parent and partner, and each person's row.

Parents sit one row above their children and partners share a row. People with no links
at all go on the row their relationship names ("maternal grandmother" two rows above the
child, "foster carer" or "aunt" on the parents' row, "half-brother" on the child's), the
parents' row when it names none. Each group of people linked by parents and couples is
laid out on its own, the child's first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

from reunify.records import Case
from reunify.records import models as m

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


def _shift_by_births(family: Family, row: dict[str, int], main: list[str], group: list[str]) -> int | None:
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


class Groups:
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
class Family:
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


def family_of(case: Case) -> Family:
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
    family = Family(people, order, child, parents, couples)
    family.partners = {pid: [] for pid in order}
    family.children = {pid: [] for pid in order}
    for a, b, _ in couples:
        family.partners[a].append(b)
        family.partners[b].append(a)
    for pid in order:
        for parent in parents[pid]:
            family.children[parent].append(pid)
    return family


def rows(family: Family, households: Sequence[m.Household],
         spread: bool = False) -> tuple[dict[str, int], list[list[str]]]:
    """Each person's row (0 at the top), and the linked groups, the child's first. With
    `spread`, people linked to no one, whose relationship names no generation (a friend,
    a youth worker) and who share no household, go on the rows with fewest people."""
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
    couples = Groups(order)
    for a, b, _ in family.couples:
        couples.join(a, b)
    for group in couples.groups(order):  # parents with no parents sit just above their children
        if any(family.parents[p] for p in group):
            continue
        kids = [row[k] for p in group for k in family.children[p]]
        if kids and min(kids) - 1 > row[group[0]]:
            for p in group:
                row[p] = min(kids) - 1
    linked = Groups(order)
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
    if spread:
        _spread(family, households, row, groups)
    used = {r: i for i, r in enumerate(sorted(set(row.values())))}  # no empty rows (records that loop)
    return {p: used[r] for p, r in row.items()}, groups


def _spread(family: Family, households: Sequence[m.Household], row: dict[str, int],
            groups: list[list[str]]) -> None:
    """People on their own moved to the rows with fewest people, nearest their own first."""
    shared = {p for h in households if len(h.members) > 1 for p in h.members}
    alone = [g[0] for g in groups[1:] if len(g) == 1 and g[0] not in shared
             and kin_row(family.people[g[0]].relationship) is None]
    counts: dict[int, int] = {}
    for pid, r in row.items():
        if pid not in alone:
            counts[r] = counts.get(r, 0) + 1
    if not counts:
        return
    for pid in alone:
        fewest = min(counts, key=lambda r: (counts[r], abs(r - row[pid]), r))
        row[pid] = fewest
        counts[fewest] += 1

