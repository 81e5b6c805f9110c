"""Which entry of one version of a list is which entry of another, for the merge: a value
by its meaning (`canon`: the same whatever the formatting), an entry by its identity
where the model gives it one (an id, a parent, a couple's two people), else by content,
an entry changed on one side being paired with the entry it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable
from collections.abc import Hashable
from typing import Any

from reunify.records.fields import Shape
from reunify.records.fields import model_fields


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a key or entry that a side does not have


# Pairing an entry changed on one side with the entry it was: the share of fields alike.
_ALIKE = 0.5
_MOST_PAIRS = 400  # in one changed run of entries; beyond it, entries are paired by position


def _tagged(value: Any) -> str:
    """What JSON has no type for, written so that no text of a record can be mistaken for it."""
    if isinstance(value, dt.date):
        return f"\x00{type(value).__name__}:{value.isoformat()}"
    return "\x00missing" if value is MISSING else f"\x00{type(value).__name__}:{value!r}"


_encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_tagged).encode


def _canon_slowly(value: Any) -> Hashable:
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(k), _canon_slowly(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("seq", tuple(_canon_slowly(v) for v in value))
    return ("value", _encode(value))


def canon(value: Any) -> Hashable:
    """A value as compared: the same meaning gives the same key, whatever the formatting
    (key order, quoting, flow or block style, comments)."""
    try:
        return _encode(value)  # in C: a long chronology is compared in a blink
    except TypeError:  # keys of more than one type, which cannot be sorted
        return repr(_canon_slowly(value))


def _identity(item: Shape | None, versions: tuple[list[Any], ...]) -> Callable[[Any], Hashable] | None:
    """What identifies an entry of the list, when the model gives it one and every entry has it."""
    if item is None or item.kind != "model" or item.model is None:
        return None
    names = model_fields(item.model)
    if "id" in names:
        def identity(x: Any) -> Hashable:
            return canon(x.get("id"))
        ident = "id"
    elif "person" in names and "date" not in names:
        def identity(x: Any) -> Hashable:
            return canon(x.get("person"))
        ident = "person"
    elif "people" in names and "date" not in names:
        def identity(x: Any) -> Hashable:
            people = x.get("people")
            return ("people", tuple(sorted(str(p) for p in people))) if isinstance(people, list) else canon(people)
        ident = "people"
    else:
        return None
    for version in versions:
        keys = [identity(x) for x in version if isinstance(x, dict) and x.get(ident) is not None]
        if len(keys) != len(version) or len(set(keys)) != len(keys):
            return None  # an entry without it, or the same twice: by content instead
    return identity


def _origins(base: list[Any], side: list[Any]) -> list[int | None]:
    """For each entry of `side`, the entry of `base` it is (unchanged or changed), or None if new."""
    base_keys = [canon(x) for x in base]
    side_keys = [canon(x) for x in side]
    origins: list[int | None] = [None] * len(side)
    matcher = difflib.SequenceMatcher(None, base_keys, side_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                origins[j1 + k] = i1 + k
        elif tag == "replace":
            for i, j in _pairs(base[i1:i2], side[j1:j2]):
                origins[j1 + j] = i1 + i
    return origins


def _alike(a: Any, b: Any) -> float:
    keys = set(a) | set(b)
    return sum(1 for k in keys if k in a and k in b and canon(a[k]) == canon(b[k])) / len(keys) if keys else 1.0


def _pairs(before: list[Any], after: list[Any]) -> list[tuple[int, int]]:
    """Entries of a changed run paired with what they were: mappings by the fields they
    share (at least half), anything else by position when the run kept its length."""
    mappings = all(isinstance(x, dict) for x in (*before, *after))
    if not mappings or len(before) * len(after) > _MOST_PAIRS:
        return list(zip(range(len(before)), range(len(after)), strict=False)) if len(before) == len(after) else []
    scored = sorted(((_alike(a, b), i, j) for i, a in enumerate(before) for j, b in enumerate(after)),
                    key=lambda s: (-s[0], s[1], s[2]))
    pairs, used_i, used_j = [], set(), set()
    for score, i, j in scored:
        if score >= _ALIKE and i not in used_i and j not in used_j:
            pairs.append((i, j))
            used_i.add(i)
            used_j.add(j)
    return pairs
