"""How an edit writes an entry among others, so that a hand-kept file stays as its author
wrote it: a new key after those that come before it, an entry written like its
neighbours (on one line among one-line entries), entries with a `from` date kept in
date order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq
from reunify.core.yamlio import add_entry
from reunify.core.yamlio import set_last


def _set_in_order(mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set `key`; a key not there yet goes after the keys that come before it in `order`."""
    if key in mapping:
        mapping[key] = value
        return
    before = order[:order.index(key)] if key in order else order
    position = 0
    for index, existing in enumerate(mapping):
        if existing in before:
            position = index + 1
    if position >= len(mapping):
        set_last(mapping, key, value)  # keeps a comment below the last key below it
    else:
        mapping.insert(position, key, value)


def _append(mapping: CommentedMap, key: str, entry: dict[str, Any]) -> None:
    """Add an entry at the end of the list under `key`, written like the entries there."""
    add_entry(mapping, key, entry)
    _like_neighbours(mapping[key], len(mapping[key]) - 1)


def _like_neighbours(items: CommentedSeq, index: int) -> None:
    """An entry among `{code: V2, from: ...}` entries is written on one line as they are."""
    others = [item for i, item in enumerate(items) if i != index and isinstance(item, CommentedMap)]
    if index and any(items.ca.items.get(index - 1) or ()):
        return  # a comment after the entry before stays between the entries only in block style
    if others and all(item.fa.flow_style() for item in others) and isinstance(items[index], CommentedMap):
        items[index].fa.set_flow_style()


def _add_dated(mapping: CommentedMap, key: str, entry: dict[str, Any]) -> None:
    """Add an entry with a `from` date to the list under `key`, kept in date order."""
    items = mapping.get(key)
    position = len(items) if items else 0
    while position > 0:
        since = items[position - 1].get("from") if isinstance(items[position - 1], dict) else None
        if not isinstance(since, dt.date) or since <= entry["from"]:
            break
        position -= 1
    if not items or position == len(items):
        _append(mapping, key, entry)
    else:
        items.insert(position, CommentedMap((k, v) for k, v in entry.items() if v is not None))
        _like_neighbours(items, position)


def _entry(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
