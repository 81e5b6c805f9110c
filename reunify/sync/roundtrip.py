"""The merge made in this side's round-trip tree, where splicing text will not do.

The other side's changes are made in the tree ruamel.yaml reads this side's file into,
so that everything a person wrote stays: comments, key order, quoting, indentation.
An entry taken from the other side loses the comment lines below it, which are the
comment above the next key, and this side has that already.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import dump_like
from reunify.core.yamlio import load_round_trip
from reunify.core.yamlio import set_last

if TYPE_CHECKING:
    from reunify.sync.merge import MergedRecord


def merge_round_trip(name: str, base: str | None, ours: str, theirs: str) -> MergedRecord:
    """As `reunify.sync.merge.merge_record`, always in this side's round-trip tree."""
    from reunify.sync.merge import MergedRecord
    from reunify.sync.merge import merge_data

    try:
        yaml, data = load_round_trip(ours)
        base_data = load_round_trip(base)[1] if base is not None else None
        theirs_data = load_round_trip(theirs)[1]
    except Exception:  # any YAML the loader refuses (or a nest too deep): merge it as text
        return MergedRecord(None)
    preamble = ""
    if data is None:  # a file of comments only: they stay above what is merged in
        data, preamble = CommentedMap(), ours if ours.strip() else ""
    if not all(isinstance(d, dict) for d in (data, base_data or {}, theirs_data or {})):
        return MergedRecord(None)
    theirs_data = theirs_data if theirs_data is not None else CommentedMap()
    try:
        merged, clashes = merge_data(name, base_data if base_data is not None else CommentedMap(), data,
                                     theirs_data)
    except RecursionError:
        return MergedRecord(None)
    if clashes:
        return MergedRecord(None, clashes)
    if merged is theirs_data:  # only the other side changed it
        return MergedRecord(theirs)
    text = dump_like(yaml, data, ours) if data else ""
    if preamble:
        text = preamble + ("" if preamble.endswith("\n") else "\n") + text
    return MergedRecord(text)


def strip_trailing_comment(node: Any) -> None:
    """Drop the full-line comments after an entry taken from the other side: below its
    list they are the comment above the next key, which this side has already."""
    while isinstance(node, dict | list) and len(node):
        key = list(node.keys())[-1] if isinstance(node, dict) else len(node) - 1
        slots = getattr(node, "ca", None)
        slot = slots.items.get(key) if slots is not None else None
        index = 0 if isinstance(node, list) else 2  # where ruamel keeps the comment after an item or value
        if slot and len(slot) > index and slot[index] is not None:
            token = slot[index]
            if token.value.startswith("#"):
                token.value = token.value.split("\n", 1)[0] + "\n"  # keep a comment on the line itself
            else:
                slot[index] = None
        node = node[key]


def insert_key(mapping: Any, position: int, key: Any, value: Any) -> None:
    """Insert `key` at `position`: a round-trip mapping keeps its comments, a plain dict its order."""
    if isinstance(mapping, CommentedMap):
        if position >= len(mapping):
            set_last(mapping, key, value)
        else:
            mapping.insert(position, key, value)
        return
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)
