"""The fast way to a merged record: whole entries spliced from one side's text into the other's.

Two people recording on one case mostly add entries to lists (a visit, a chronology
entry, a meeting). Reading a file round-trip to keep its comments costs a hundred times
more than reading it plainly, so the merge is first made on plain data (the same
`reunify.sync.merge` rules, the same clashes), then written as text: each top-level
field as this side has it, or as the other side has it where the merge took theirs,
and a list of entries changed on both sides as this side's entries, each exactly as
written, with the other side's new entries, exactly as written there, in between. The
text is read back and must mean exactly the merged data; anything else (an entry
changed on both sides, a list in flow style, another indentation) is left to the
round-trip merge.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reunify.core.yamlio import block_layout
from reunify.core.yamlio import load_text
from reunify.sync.merge import MergedRecord
from reunify.sync.merge import merge_data
from reunify.sync.pairing import canon

Layout = dict[str, tuple[int, list[tuple[int, int]] | None]]


def _plain(text: str | None, name: str) -> Any:
    if text is None:
        return {}
    loaded = load_text(text, Path(name))
    if not loaded.ok or not isinstance(loaded.data, dict):
        raise ValueError(name)
    return loaded.data


def merge_by_splice(name: str, base: str | None, ours: str, theirs: str) -> MergedRecord | None:
    """The merge made by splicing text, its clashes, or None where only the round trip will do."""
    if ("\r\n" in ours) != ("\r\n" in theirs):
        return None
    try:
        base_data, ours_data, theirs_data = (_plain(base, name), _plain(ours, name), _plain(theirs, name))
    except ValueError:
        return None
    ours_layout, theirs_layout = block_layout(ours), block_layout(theirs)
    if ours_layout is None or theirs_layout is None or not ours_layout:
        return None
    ours_fields = {key: canon(value) for key, value in ours_data.items()}
    theirs_fields = {key: canon(value) for key, value in theirs_data.items()}
    ours_items = {key: [(id(item), canon(item)) for item in value]
                  for key, value in ours_data.items() if isinstance(value, list)}
    theirs_items = {key: {id(item): j for j, item in enumerate(value)}
                    for key, value in theirs_data.items() if isinstance(value, list)}
    try:
        merged, clashes = merge_data(name, base_data, ours_data, theirs_data)
    except RecursionError:
        return None
    if clashes:
        return MergedRecord(None, clashes)
    if merged is theirs_data:
        return MergedRecord(theirs)
    ending = "\r\n" if "\r\n" in ours else "\n"
    text = _spliced(_Side(ours, ours_layout), _Side(theirs, theirs_layout), merged, ours_fields, theirs_fields,
                    ours_items, theirs_items, ending)
    if text is None:
        return None
    check = load_text(text, Path(name))
    if not check.ok or canon(check.data) != canon(merged):
        return None  # not what the merge means: the round trip does it
    return MergedRecord(text)


class _Side:
    """One side's text cut where its top-level fields and their entries start and end."""

    def __init__(self, text: str, layout: Layout) -> None:
        self.lines = text.splitlines(keepends=True)
        self.layout = layout
        starts = sorted(line for line, _ in layout.values())
        self.first = starts[0] if starts else len(self.lines)
        self.ends = {line: (starts[i + 1] if i + 1 < len(starts) else len(self.lines)) for i, line in enumerate(starts)}

    def field(self, key: str) -> list[str]:
        start = self.layout[key][0]
        return self.lines[start:self.ends[start]]

    def end(self, key: str, index: int) -> int:
        """Where an entry ends: after its content and any comment indented into it."""
        items = self.layout[key][1]
        assert items is not None
        end, dash = items[index][1], self.dash(key) or 0
        limit = items[index + 1][0] if index + 1 < len(items) else len(self.lines)
        while end < limit and self.lines[end].lstrip(" ").startswith("#") and \
                len(self.lines[end]) - len(self.lines[end].lstrip(" ")) > dash:
            end += 1
        return end

    def entry(self, key: str, index: int) -> list[str] | None:
        """The entry's lines, with the comment lines just above it (none for the first)."""
        items = self.layout[key][1]
        if items is None:
            return None
        above = self.end(key, index - 1) if index else items[index][0]
        return self.lines[above:self.end(key, index)]

    def dash(self, key: str) -> int | None:
        items = self.layout[key][1]
        if not items:
            return None
        line = self.lines[items[0][0]]
        return len(line) - len(line.lstrip(" "))


def _closed(lines: list[str], ending: str) -> list[str]:
    if lines and not lines[-1].endswith(("\n", "\r")):
        return [*lines[:-1], lines[-1] + ending]
    return lines


def _spliced(ours: _Side, theirs: _Side, merged: dict[str, Any], ours_fields: dict[Any, Any],
             theirs_fields: dict[Any, Any], ours_items: dict[Any, list[tuple[int, Any]]],
             theirs_items: dict[Any, dict[int, int]], ending: str) -> str | None:
    out = ours.lines[:ours.first]
    for key, value in merged.items():
        if not isinstance(key, str) or (key not in ours.layout and key not in theirs.layout):
            return None
        meaning = canon(value)
        if key in ours.layout and ours_fields.get(key) == meaning:
            out += _closed(ours.field(key), ending)
        elif key in theirs.layout and theirs_fields.get(key) == meaning:
            out += _closed(theirs.field(key), ending)
        elif key in ours.layout and key in theirs.layout and isinstance(value, list):
            lines = _entries(key, value, ours, theirs, ours_items.get(key, []), theirs_items.get(key, {}))
            if lines is None:
                return None
            out += _closed(lines, ending)
        else:
            return None
    return "".join(out)


def _entries(key: str, value: list[Any], ours: _Side, theirs: _Side, ours_items: list[tuple[int, Any]],
             theirs_items: dict[int, int]) -> list[str] | None:
    """A list changed on both sides: this side's entries as written, the other's new ones in."""
    items = ours.layout[key][1]
    if items is None or ours.dash(key) != theirs.dash(key) or len(items) != len(ours_items):
        return None
    field = ours.field(key)
    start = ours.layout[key][0]
    out = field[: items[0][0] - start]  # the key and the comments above the first entry
    mine = {identity: (i, meaning) for i, (identity, meaning) in enumerate(ours_items)}
    for entry in value:
        if id(entry) in mine:
            index, meaning = mine[id(entry)]
            if canon(entry) != meaning:
                return None  # changed on both sides: only the round trip can write it
            lines = ours.entry(key, index)
        elif id(entry) in theirs_items:
            lines = theirs.entry(key, theirs_items[id(entry)])
        else:
            return None
        if lines is None:
            return None
        out += lines
    return out + field[ours.end(key, len(items) - 1) - start:]  # the comments below the last entry
