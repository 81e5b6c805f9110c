"""Editing YAML round-trip with ruamel.yaml (comments, key order, quoting, indentation and
line endings kept), and ruamel's pure reader for a file nested too deep for libyaml.

Imported only when a file is edited, a problem is located or such a file is read:
reading a clean case never loads ruamel. `reunify.core.yamlio` is the way in.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.util import load_yaml_guess_indent

from reunify.core.fastloader import _LONGEST_NUMBER
from reunify.core.fastloader import _MERGE
from reunify.core.fastloader import _TIMESTAMP
from reunify.core.fastloader import InvalidDate
from reunify.core.files import FILE_MODE
from reunify.core.files import read_regular
from reunify.core.files import write_atomic
from reunify.core.yamlio import MAX_BYTES

__all__ = ["CommentedMap", "CommentedSeq", "Edit", "add_entry", "alias_position", "append_entry", "block",
           "dump_like", "edit_file", "load_deep", "load_round_trip", "load_tree", "round_trip_text", "set_last"]


def _construct_timestamp(constructor: Any, node: Any, values: Any = None) -> Any:
    try:
        return constructor._construct_timestamp_checked(node, values)
    except ValueError:
        return InvalidDate(node.value)


class MergeKeyError(MarkedYAMLError):
    """A YAML merge key (<<): records write every key out, as with aliases."""


class _SafeConstructor(SafeConstructor):
    def _construct_timestamp_checked(self, node: Any, values: Any = None) -> Any:
        return SafeConstructor.construct_yaml_timestamp(self, node, values)

    construct_yaml_timestamp = _construct_timestamp

    def flatten_mapping(self, node: Any) -> Any:
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                raise MergeKeyError("while constructing a mapping", node.start_mark, "found a merge key",
                                    key_node.start_mark)
        return super().flatten_mapping(node)

    def construct_yaml_int(self, node: Any) -> Any:
        if len(str(node.value)) > _LONGEST_NUMBER:
            raise ConstructorError(None, None, "a number with too many digits", node.start_mark)
        return super().construct_yaml_int(node)


class _RoundTripConstructor(RoundTripConstructor):
    def _construct_timestamp_checked(self, node: Any, values: Any = None) -> Any:
        return RoundTripConstructor.construct_yaml_timestamp(self, node, values)

    construct_yaml_timestamp = _construct_timestamp


_SafeConstructor.add_constructor(_TIMESTAMP, _SafeConstructor.construct_yaml_timestamp)
_RoundTripConstructor.add_constructor(_TIMESTAMP, _RoundTripConstructor.construct_yaml_timestamp)

_safe_yaml: YAML | None = None


def _safe() -> YAML:
    global _safe_yaml
    if _safe_yaml is None:
        yaml = YAML(typ="safe", pure=True)
        yaml.Constructor = _SafeConstructor
        _safe_yaml = yaml
    return _safe_yaml


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.Constructor = _RoundTripConstructor
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap what a person wrote
    return yaml


def load_deep(text: str) -> Any:
    """Read with ruamel's pure parser: a file that could nest deeper than libyaml safely goes."""
    return _safe().load(text)


def load_tree(text: str) -> Any:
    """The file's round-trip tree, for the line and column of each field."""
    return _round_trip().load(text)


def alias_position(text: str) -> tuple[int, int]:
    for event in _safe().parse(text):
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            return mark.line + 1, mark.column + 1
    return 1, 1


def _last_key_comment(node: Any) -> tuple[Any, Any] | None:
    """The container and key holding the comment after `node`'s last scalar, if any."""
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        key = list(node.keys())[-1] if isinstance(node, CommentedMap) else len(node) - 1
        value = node[key]
        if not isinstance(value, CommentedMap | CommentedSeq) or not len(value):
            return node, key
        node = value
    return None


def _move_trailing_comment(old: tuple[Any, Any] | None, new_node: Any) -> None:
    if old is None:
        return
    container, key = old
    slot = container.ca.items.get(key)
    # ruamel keeps the comment after a mapping's value in slot 2, after a list item in slot 0.
    index = 0 if isinstance(container, CommentedSeq) else 2
    if not slot or len(slot) <= index or slot[index] is None:
        return
    new = _last_key_comment(new_node)
    if new is None:
        return
    token = slot[index]
    slot[index] = None
    new_container, new_key = new
    # After a plain value the comment starts with the line's own end; a block (`|`, `>`)
    # ends its own line, so the same blank lines need one newline less there.
    from ruamel.yaml.scalarstring import FoldedScalarString
    from ruamel.yaml.scalarstring import LiteralScalarString

    blocks = (FoldedScalarString, LiteralScalarString)
    was_block, is_block = isinstance(container[key], blocks), isinstance(new_container[new_key], blocks)
    if is_block and not was_block and token.value.startswith("\n"):
        token.value = token.value[1:]
    elif was_block and not is_block:
        token.value = "\n" + token.value
    if not token.value:
        return
    target = new_container.ca.items.setdefault(new_key, [None, None, None, None])
    target[0 if isinstance(new_container, CommentedSeq) else 2] = token


def set_last(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set `key` (absent or replaced) as the mapping's last key, keeping the comment below it.

    As with `append_entry`: a comment after the mapping belongs to its last scalar in
    ruamel's model, and would otherwise end up above the new key.
    """
    old = _last_key_comment(mapping) if len(mapping) else None
    if key in mapping:
        del mapping[key]
    mapping[key] = value
    _move_trailing_comment(old, mapping)


def append_entry(items: CommentedSeq, entry: Any) -> None:
    """Append to a sequence, keeping a comment that follows the old last entry after the new.

    A comment below a list (often the one above the next key) belongs to the list's last
    scalar in ruamel's model; appending would leave it stranded between the entries.
    """
    old = _last_key_comment(items[-1]) if len(items) else None
    items.append(entry)
    _move_trailing_comment(old, entry)


@dataclass
class Edit:
    """A file loaded round-trip for changing; `data` is its top-level mapping."""

    path: Path
    data: CommentedMap


def _dump(yaml: YAML, data: Any) -> str:
    import io

    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def load_round_trip(text: str) -> tuple[YAML, Any]:
    """Load text round-trip with a dumper set to the file's own indentation."""
    yaml = _round_trip()
    if text.strip():
        data, sequence_indent, offset = load_yaml_guess_indent(text, yaml=yaml)
    else:
        data, sequence_indent, offset = None, None, None
    yaml.indent(mapping=2, sequence=sequence_indent or 4, offset=2 if offset is None else offset)
    return yaml, data


def dump_like(yaml: YAML, data: Any, original: str) -> str:
    out = _dump(yaml, data)
    if "\r\n" in original:
        out = out.replace("\r\n", "\n").replace("\n", "\r\n")
    return out


def round_trip_text(text: str) -> str:
    """Load and dump unchanged, as `edit_file` does: used to prove files survive."""
    yaml, data = load_round_trip(text)
    return dump_like(yaml, data, text)


@contextlib.contextmanager
def edit_file(path: Path) -> Iterator[Edit]:
    """Change a YAML file in place, keeping everything about it a person would notice.

    The file is written (atomically, keeping its permissions) only if the block ends
    without an exception and the data changed.
    """
    original = read_regular(path, MAX_BYTES) if os.path.lexists(path) else b""
    text = original.decode("utf-8-sig")
    yaml, data = load_round_trip(text)
    # A file of comments only loads as nothing: its text is kept above what is added.
    preamble = ""
    if data is None:
        data = CommentedMap()
        preamble = text.replace("\r\n", "\n") if text.strip() else ""
        if preamble and not preamble.endswith("\n"):
            preamble += "\n"
    if not isinstance(data, CommentedMap):
        raise ValueError(f"{path.name}: the top level is not a mapping")
    before = dump_like(yaml, data, text) if text.strip() else ""
    edit = Edit(path, data)
    yield edit
    after = dump_like(yaml, edit.data, text) if edit.data or not preamble else ""
    if preamble:
        if not edit.data:
            return
        after = preamble + after.replace("\r\n", "\n")
        if "\r\n" in text:
            after = after.replace("\n", "\r\n")
    if after == before:
        return
    out = after.encode("utf-8")
    if original.startswith(b"\xef\xbb\xbf"):
        out = b"\xef\xbb\xbf" + out
    mode = path.stat().st_mode & 0o777 if os.path.lexists(path) else FILE_MODE
    write_atomic(path, out, mode)


def block(value: Any) -> Any:
    """Text of several lines written as a literal block (`|`), as a person would write it."""
    if isinstance(value, str) and "\n" in value.strip():
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(value.strip())
    return value


def add_entry(mapping: CommentedMap, key: str, entry: dict[str, Any], *, by_date: bool = False) -> None:
    """Add an entry to the list under `key`: at the end, or kept in date order after any
    entries of the same date; comments stay where they were."""
    new = CommentedMap((k, block(v)) for k, v in entry.items() if v is not None)
    items = mapping.get(key)
    if items is None:
        set_last(mapping, key, CommentedSeq([new]))
        return
    if not items:  # an empty `[]` would keep flow style and put every entry on one line
        mapping[key] = CommentedSeq([new])
        return
    position = len(items)
    if by_date:
        while position > 0 and _date_of(items[position - 1]) > entry["date"]:
            position -= 1
    if position == len(items):
        append_entry(items, new)
    else:
        items.insert(position, new)


def _date_of(item: Any) -> datetime.date:
    value = item.get("date") if isinstance(item, dict) else None
    return value if isinstance(value, datetime.date) else datetime.date.min
