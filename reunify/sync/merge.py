"""Two versions of a record file merged by meaning, against the version they both came from.

The other side's changes are made to this side's ("ours"), so its comments, key order,
quoting and indentation stay (`splice.py` writes whole entries as text where it can,
`roundtrip.py` changes the round-trip tree where it cannot; `pairing.py` says which entry
is which). The rules, here:

- a field changed on one side only is taken; changed alike on both, kept;
- a list of entries is merged as a set of entries by their identity: an entry with an
  `id` (a classification, a decision, a person, a team member) by its id; a parent's
  assessment or agreement by the parent; a couple or tie by its two people; any other
  (a chronology entry, a visit, a meeting, a step done, an SDQ score, a goal, a goal
  review) by its content, an entry changed on one side being paired with the entry it
  was. Entries added on both sides are all kept, once each, and a list in date order
  stays in date order;
- the same entry changed on both sides is merged field by field.

Only a real clash stops it: the same field changed differently on both sides, the same
id recorded on both sides differently, or an entry removed on one side and changed on
the other. Each `Clash` names the record and the field by the schema's words and list
positions, never by a value (values are personal data about a child).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from collections.abc import Hashable
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Literal

from reunify.core.problems import FieldPath
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import append_entry
from reunify.practice.audit import AUDITED
from reunify.records.family import FAMILY_FILE
from reunify.records.fields import Shape
from reunify.records.fields import model_fields
from reunify.records.models import FILE_MODELS
from reunify.records.models import CaseFile
from reunify.sync.pairing import MISSING
from reunify.sync.pairing import _identity
from reunify.sync.pairing import _origins
from reunify.sync.pairing import canon
from reunify.sync.roundtrip import insert_key
from reunify.sync.roundtrip import strip_trailing_comment

Kind = Literal["changed", "added", "removed"]

# Lists whose ids come from the workflow (RC2, D3), never from a person: named in messages.
_NAMED_BY_ID = frozenset((name, key) for name, key, *_ in AUDITED)

# How a clash names an entry of a list: "visit 3", "classification RC2".
_NOUNS = {"entries": "chronology entry", "classifications": "classification", "decisions": "decision",
          "steps": "step done", "meetings": "meeting", "visits": "visit", "sdq": "SDQ score",
          "outcomes": "outcomes tool completion", "people": "person", "couples": "couple",
          "relationships": "relationship", "households": "household", "parents": "parent",
          "goals": "goal", "reviews": "review", "police_checks": "police check", "support": "service",
          "after_return": "service after the return", "contact": "contact arrangement",
          "transition": "transition step", "team": "team member", "legal_status": "legal status",
          "placements": "placement", "orders": "court order"}

@dataclass(frozen=True)
class Clash:
    """A change on both sides that cannot be merged: where it is, in this side's file."""

    path: FieldPath  # in ours: keys and list positions
    kind: Kind
    thing: str  # the record and field in plain words, naming no value

    def message(self, other: str = "in the other version") -> str:
        if self.kind == "added":
            return f"{self.thing}: recorded here and {other}, differently"
        if self.kind == "removed":
            return f"{self.thing}: removed on one side and changed on the other"
        return f"{self.thing}: changed here and {other}, differently"


@dataclass
class MergedRecord:
    """The merged text, or None with the clashes (or with none: not records, merge as text)."""

    text: str | None
    clashes: list[Clash] = field(default_factory=list)


def is_record_file(name: str) -> bool:
    return name in FILE_MODELS or name == FAMILY_FILE


def _model_shape(name: str) -> Shape:
    return Shape("model", model=CaseFile if name == FAMILY_FILE else FILE_MODELS.get(name))


def merge_record(name: str, base: str | None, ours: str, theirs: str) -> MergedRecord:
    """`ours` with the changes `theirs` made since `base` (None: the file is new on both sides).

    Text that is not a YAML mapping on any side gives ``MergedRecord(None)`` and no
    clash: the caller merges it as text. Whole entries are spliced from text to text
    where that says the same as the merge (`reunify.sync.splice`: fast, and every byte
    kept); otherwise the other side's changes are made in this side's round-trip tree.
    """
    from reunify.sync.roundtrip import merge_round_trip
    from reunify.sync.splice import merge_by_splice

    spliced = merge_by_splice(name, base, ours, theirs)
    return spliced if spliced is not None else merge_round_trip(name, base, ours, theirs)


def merge_data(name: str, base: Any, ours: Any, theirs: Any) -> tuple[Any, list[Clash]]:
    """The merged data (`ours` changed in place, or `theirs`), and the clashes."""
    merger = _Merger(name)
    merged = merger.value(base, ours, theirs, _model_shape(name), ())
    return merged, merger.clashes


def _date_of(item: Any, key: str | None) -> dt.date | None:
    value = item.get(key) if key is not None and isinstance(item, dict) else None
    return value if isinstance(value, dt.date) else None


class _Merger:
    def __init__(self, name: str) -> None:
        self.name = name
        self.clashes: list[Clash] = []

    # -- naming -------------------------------------------------------------------------

    def clash(self, path: FieldPath, kind: Kind, shapes: list[Shape | None], labels: dict[int, str]) -> None:
        words: list[str] = []
        names: list[str] = []

        def flush(suffix: str = "") -> None:
            if names:
                words.append(f"the field '{'.'.join(names)}'{suffix}")
                names.clear()

        for position, part in enumerate(path):
            container = shapes[position] if position < len(shapes) else None
            if isinstance(part, int):
                key = names.pop() if names else ""
                flush()
                noun = _NOUNS.get(key, f"entry of '{key}'" if key else "entry")
                words.append(f"{noun} {labels.get(position, str(part + 1))}")
            elif container is not None and container.kind == "dict":
                flush(", one of its entries")  # the key comes from the file: it may be personal data
            else:
                names.append(str(part))
        flush()
        self.clashes.append(Clash(path, kind, ", ".join(words) if words else "the file"))

    # -- values -------------------------------------------------------------------------

    def value(self, base: Any, ours: Any, theirs: Any, shape: Shape | None, path: FieldPath,
              added: bool = False, trail: tuple[Shape | None, ...] = (), labels: dict[int, str] | None = None) -> Any:
        """The merged value; dicts and lists are merged into `ours` in place."""
        labels = labels or {}
        c_ours, c_theirs = canon(ours), canon(theirs)
        if c_ours == c_theirs:
            return ours
        c_base = canon(base)
        if c_base == c_ours:
            return theirs
        if c_base == c_theirs:
            return ours
        kind = None if shape is None else shape.kind
        if isinstance(ours, dict) and isinstance(theirs, dict) and kind != "scalar":
            self.mapping(base if isinstance(base, dict) else {}, ours, theirs, shape, path, added,
                         (*trail, shape), labels)
            return ours
        if isinstance(ours, list) and isinstance(theirs, list) and kind != "scalar":
            item = shape.item if shape is not None and shape.kind == "list" else None
            self.sequence(base if isinstance(base, list) else [], ours, theirs, item, path, (*trail, shape), labels)
            return ours
        clash: Kind = "added" if added else "removed" if MISSING in (ours, theirs) else "changed"
        self.clash(path, clash, [*trail, shape], labels)
        return ours

    def mapping(self, base: dict[Any, Any], ours: Any, theirs: dict[Any, Any], shape: Shape | None,
                path: FieldPath, added: bool, trail: tuple[Shape | None, ...], labels: dict[int, str]) -> None:
        fields = model_fields(shape.model) if shape is not None and shape.model is not None else {}
        inner = shape.item if shape is not None and shape.kind == "dict" else None
        keys = [*ours.keys(), *(k for k in theirs if k not in ours)]
        for key in keys:
            sub = fields[key][1] if key in fields else inner
            had = key in ours
            was = ours.get(key, MISSING)
            merged = self.value(base.get(key, MISSING), was, theirs.get(key, MISSING), sub, (*path, key),
                                added, trail, labels)
            if merged is MISSING:
                if had:
                    del ours[key]
            elif had:
                if merged is not was:
                    ours[key] = merged
            else:
                strip_trailing_comment(merged)
                order = list(theirs.keys())
                before = [k for k in order[: order.index(key)] if k in ours]
                position = list(ours.keys()).index(before[-1]) + 1 if before else 0
                insert_key(ours, position, key, merged)

    # -- lists --------------------------------------------------------------------------

    def sequence(self, base: list[Any], ours: Any, theirs: list[Any], item: Shape | None, path: FieldPath,
                 trail: tuple[Shape | None, ...], labels: dict[int, str]) -> None:
        identity = _identity(item, (base, ours, theirs))
        if identity is not None:
            in_base = {identity(x): i for i, x in enumerate(base)}
            ours_from = [in_base.get(identity(x)) for x in ours]
            theirs_from = [in_base.get(identity(x)) for x in theirs]
            key: Callable[[Any], Hashable] = identity
        else:
            ours_from = _origins(base, ours)
            theirs_from = _origins(base, theirs)
            key = canon
        theirs_at = {b: j for j, b in enumerate(theirs_from) if b is not None}
        ours_at = {b for b in ours_from if b is not None}
        new_theirs: dict[Hashable, list[int]] = {}
        for j, b in enumerate(theirs_from):
            if b is None:
                new_theirs.setdefault(key(theirs[j]), []).append(j)
        named = identity is not None and (self.name, path[-1] if path else "") in _NAMED_BY_ID
        result: list[tuple[Any, str, int]] = []  # (entry, "ours"/"new"/"theirs", index on its side)
        taken: dict[int, int] = {}  # theirs index -> position in `result`
        for i, entry in enumerate(ours):
            b = ours_from[i]
            here = {**labels, len(path): str(entry.get("id"))} if named and isinstance(entry, dict) else labels
            if b is None:
                same = new_theirs.get(key(entry))
                if same:
                    j = same.pop(0)
                    taken[j] = len(result)
                    if identity is not None:
                        entry = self.value(MISSING, entry, theirs[j], item, (*path, i), True, trail, here)
                result.append((entry, "new", i))
            elif b not in theirs_at:  # the other side removed it
                if canon(entry) != canon(base[b]):
                    self.clash((*path, i), "removed", [*trail, item], here)
                    result.append((entry, "ours", i))
            else:
                taken[theirs_at[b]] = len(result)
                result.append((self.value(base[b], entry, theirs[theirs_at[b]], item, (*path, i), False, trail, here),
                               "ours", i))
        dropped = {j for b, j in theirs_at.items() if b not in ours_at}  # removed here
        for j in dropped:
            if canon(theirs[j]) != canon(base[theirs_from[j]]):  # type: ignore[index]
                self.clash(path, "removed", [*trail], labels)
        if not self.clashes:
            _apply(ours, result, theirs, taken, dropped, _date_key(item, ours, theirs))


def _date_key(item: Shape | None, *lists: list[Any]) -> str | None:
    """The field a list is dated by ('date', or 'from'), if its entries have one."""
    names = model_fields(item.model) if item is not None and item.model is not None else {}
    for key in ("date", "from"):
        if key in names or any(_date_of(x, key) for entries in lists for x in entries):
            return key
    return None


def _apply(ours: Any, result: list[tuple[Any, str, int]], theirs: list[Any], taken: dict[int, int],
           dropped: set[int], date_key: str | None) -> None:
    """Make `ours` the merged list in place: its removed entries gone, the other side's new
    ones in (by date where the list is in date order, else after their neighbour there)."""
    kept = {i for _, _, i in result}
    for i in reversed(range(len(ours))):
        if i not in kept:
            del ours[i]
    for position, (entry, _, _) in enumerate(result):
        if ours[position] is not entry:
            ours[position] = entry
    order: list[tuple[str, int]] = [("ours", i) for _, _, i in result]  # what each place holds
    where: dict[int, tuple[str, int]] = {j: order[p] for j, p in taken.items()}
    dates = [_date_of(x, date_key) for x in ours]
    known = [d for d in dates if d is not None]
    by_date = date_key is not None and bool(known) and known == sorted(known)
    new_here = {("ours", i) for _, source, i in result if source == "new"}
    for j, entry in enumerate(theirs):
        if j in where or j in dropped:
            continue
        strip_trailing_comment(entry)
        day = _date_of(entry, date_key)
        if by_date and day is not None:
            position = len(ours)
            while position > 0 and (_date_of(ours[position - 1], date_key) or dt.date.min) > day:
                position -= 1
        else:
            before = next((where[k] for k in range(j - 1, -1, -1) if k in where), None)
            position = order.index(before) + 1 if before is not None else 0
            while position < len(order) and order[position] in new_here:
                position += 1  # this side's own new entries first
        if position >= len(ours) and isinstance(ours, CommentedSeq):
            append_entry(ours, entry)  # the comment below the list stays below it
        else:
            ours.insert(position, entry)
        order.insert(position, ("theirs", j))
        where[j] = ("theirs", j)
