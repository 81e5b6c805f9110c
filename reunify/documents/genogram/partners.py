"""Partners side by side in a unit: the ways they can be set out (a line of couples, or a
person with several partners in the middle), where a couple's children hang from, and
where a single parent's line to their children drops.
"""

from __future__ import annotations

from collections.abc import Sequence

from reunify.documents.genogram.items import PITCH


def _near(members: Sequence[str], partners: dict[str, list[str]]) -> dict[str, list[str]]:
    inside = set(members)
    return {p: [q for q in partners[p] if q in inside] for p in members}


def _is_line(members: Sequence[str], near: dict[str, list[str]]) -> bool:
    edges = sum(len(v) for v in near.values()) // 2
    return edges == len(members) - 1 and all(len(v) <= 2 for v in near.values())


def arrangements(members: Sequence[str], partners: dict[str, list[str]]) -> int:
    """How many ways `chain` can set out these partners."""
    if len(members) == 1:
        return 1
    near = _near(members, partners)
    if _is_line(members, near):
        return 2
    return 2 * len(near[max(members, key=lambda p: len(near[p]))])


def chain(members: list[str], partners: dict[str, list[str]], variant: int = 0) -> list[str]:
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


HOOK = PITCH / 2 - 3  # a single parent's line leaves the symbol's side and drops this far out, clear of outlines


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
