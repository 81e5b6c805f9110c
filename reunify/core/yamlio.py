"""All YAML goes through this module (the only one that imports a YAML library).

Two ways in, one way out:

- `load_file` reads a file fast into plain dicts, lists, strings, numbers and dates:
  libyaml's C parser (through PyYAML) with the YAML 1.2 core schema taken from
  ruamel.yaml's own resolver table, so that both read every file alike (``no`` is text,
  ``010`` is ten). A file that could nest deeper than C recursion safely goes is read by
  ruamel.yaml instead. Reading never fails with an exception for anything a user wrote:
  syntax errors, duplicate keys, impossible dates, aliases that would blow up,
  undecodable bytes all come back as `Problem`s with a position.
- `Locator` finds the line and column of a field path, parsing a file round-trip only
  when a problem in it has to be shown.
- `edit_file` loads round-trip (comments, key order, quoting, indentation, line
  endings kept), lets the caller change the data, and writes it back atomically.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from typing import ClassVar

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.util import load_yaml_guess_indent

from reunify.core.files import FILE_MODE
from reunify.core.files import TooLarge
from reunify.core.files import UnsafeFile
from reunify.core.files import read_regular
from reunify.core.files import write_atomic
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import relocated

MAX_BYTES = 10 * 1024 * 1024

__all__ = [
    "CommentedMap",
    "CommentedSeq",
    "InvalidDate",
    "LoadedFile",
    "Locator",
    "append_entry",
    "dump_like",
    "edit_file",
    "load_file",
    "load_round_trip",
    "load_text",
    "set_last",
    "write_new_file",
]


class InvalidDate(str):
    """A scalar shaped like a date that is not a real one (2024-02-30).

    Loading keeps it as text so that the rest of the file still loads and validation
    can report this field, with its position, along with everything else.
    """


def _construct_timestamp(constructor: Any, node: Any, values: Any = None) -> Any:
    try:
        return constructor._construct_timestamp_checked(node, values)
    except ValueError:
        return InvalidDate(node.value)


_MERGE = "tag:yaml.org,2002:merge"
_LONGEST_NUMBER = 100  # digits: more is a mistake (Python refuses over 4,300 anyway)


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


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SafeConstructor.add_constructor(_TIMESTAMP, _SafeConstructor.construct_yaml_timestamp)
_RoundTripConstructor.add_constructor(_TIMESTAMP, _RoundTripConstructor.construct_yaml_timestamp)

_safe_yaml: YAML | None = None

# Below this depth libyaml's recursive composer is safe on any stack (it needs about 300
# bytes a level).
_SAFE_NESTING = 5000


class DuplicateKeyError(pyyaml.MarkedYAMLError):
    """A key appears twice in one mapping (PyYAML would keep the last silently)."""


class FastMergeKeyError(pyyaml.MarkedYAMLError):
    """A YAML merge key (<<), met by the fast loader."""


def _int_12(loader: pyyaml.SafeLoader, node: pyyaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if len(text) > _LONGEST_NUMBER:
        raise pyyaml.constructor.ConstructorError(None, None, "a number with too many digits", node.start_mark)
    sign = -1 if text[0] == "-" else 1
    text = text.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if text.startswith(prefix):
            return sign * int(text[2:], base)
    return sign * int(text)


def _float_12(loader: pyyaml.SafeLoader, node: pyyaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    sign = -1 if text[0] == "-" else 1
    text = text.lstrip("+-")
    if text == ".inf":
        return sign * float("inf")
    if text == ".nan":
        return float("nan")
    return sign * float(text)


def _timestamp_12(loader: pyyaml.SafeLoader, node: pyyaml.ScalarNode) -> Any:
    try:
        return pyyaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return InvalidDate(node.value)


class _FastLoader(getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser with the YAML 1.2 core schema and duplicate keys refused."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_mapping(self, node: pyyaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                raise FastMergeKeyError("while constructing a mapping", node.start_mark, "found a merge key",
                                        key_node.start_mark)
            if isinstance(key_node, pyyaml.ScalarNode):
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise DuplicateKeyError("while constructing a mapping", node.start_mark,
                                            "found a duplicate key", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


for _versions, _tag, _pattern, _first in implicit_resolvers:
    if (1, 2) in _versions:
        _compiled = re.compile(_pattern.pattern, _pattern.flags)
        for _char in _first:
            _FastLoader.yaml_implicit_resolvers.setdefault(_char, []).append((_tag, _compiled))
_FastLoader.add_constructor("tag:yaml.org,2002:int", _int_12)
_FastLoader.add_constructor("tag:yaml.org,2002:float", _float_12)
_FastLoader.add_constructor(_TIMESTAMP, _timestamp_12)


_OPENS = (pyyaml.MappingStartEvent, pyyaml.SequenceStartEvent)
_CLOSES = (pyyaml.MappingEndEvent, pyyaml.SequenceEndEvent)
def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth of `text`, from the text alone.

    A block collection starts at the column after a line's spaces, tabs and "- ", "? " or
    ": " indicators, and block collections nest at most two to a column (an unindented
    sequence in a mapping); flow collections nest at most as deep as there are "[" and
    "{". splitlines() breaks at every line break libyaml knows, and at a few more, which
    only makes pieces shorter than the line they start.
    """
    prefix = max((len(line) - len(line.lstrip(" \t?:-")) for line in text.splitlines()), default=0)
    return 2 * (prefix + 1) + text.count("[") + text.count("{")


def _libyaml_limits_nesting() -> bool:
    """Whether libyaml stops at a nesting depth of its own (0.2.6 and later: 1,000 levels,
    which keeps its composer well inside any stack)."""
    level = getattr(getattr(pyyaml, "_yaml", None), "_get_max_nest_level", None)
    return level is not None and 0 < level() <= _SAFE_NESTING // 2


_LIBYAML_LIMITS_NESTING = _libyaml_limits_nesting()


def _nesting_is_safe(text: str) -> bool:
    """Whether libyaml's recursive composer can read `text` without risk to the C stack.

    A libyaml that limits nesting itself settles it; with an older one, the bound from
    the text settles it for most files, and otherwise the depth is measured on libyaml's
    event stream, read without recursion.
    """
    if _LIBYAML_LIMITS_NESTING or _depth_bound(text) < _SAFE_NESTING:
        return True
    depth = 0
    try:
        for event in pyyaml.parse(text, Loader=_FastLoader):
            if isinstance(event, _OPENS):
                depth += 1
                if depth >= _SAFE_NESTING:
                    return False
            elif isinstance(event, _CLOSES):
                depth -= 1
    except pyyaml.YAMLError as exc:
        # libyaml itself may refuse deep nesting (0.2.6 stops at 1,000 levels): the pure
        # parser reads it then. Any other mistake the loader meets too, no deeper than
        # measured here, and reports it.
        return "nesting depth" not in str(exc)
    return True


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read: a long file makes many
    objects and no cycles, and collecting as they are made grows the time per entry."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


@dataclass
class LoadedFile:
    """A file's data (plain Python values) and the problems met reading it."""

    path: Path
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    exists: bool = True

    @property
    def ok(self) -> bool:
        return self.exists and not any(p.is_error for p in self.problems)


def _problem(path: Path, message: str, line: int, column: int, hint: str = "") -> Problem:
    return Problem(path, (), message, hint=hint, code="yaml").at(line, column)


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text, or problems saying why it cannot be read as UTF-8 YAML."""
    try:
        raw = read_regular(path, MAX_BYTES)
    except TooLarge:
        return None, [_problem(path, f"file is larger than {MAX_BYTES // 1024 // 1024} MB", 1, 1)]
    except UnsafeFile as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        return None, [_problem(path, f"the record {reason}", 1, 1,
                               hint="a record must be a regular file in the case folder")]
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [_problem(path, f"cannot read the file ({reason.lower()})", 1, 1)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = _position(good, len(good))
        return None, [
            _problem(
                path,
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X})",
                line,
                column,
                hint="save the file with UTF-8 encoding",
            )
        ]


def _yaml_error(path: Path, text: str, exc: YAMLError | pyyaml.YAMLError) -> Problem:
    if isinstance(exc, ReaderError | pyyaml.reader.ReaderError):
        line, column = _position(text, exc.position)
        return _problem(path, "a character that YAML does not allow in a file", line, column,
                        hint="remove control characters; save as plain UTF-8 text")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    kind = type(exc).__name__
    if kind == "DuplicateKeyError":
        return _problem(path, "a key appears twice in the same mapping", line, column,
                        hint="keep one of them")
    if "maximum nesting depth" in str(getattr(exc, "problem", "")):
        return _problem(path, "the YAML is nested too deeply", line, column)
    if kind in ("MergeKeyError", "FastMergeKeyError"):
        return _problem(path, "a YAML merge key (<<) is not allowed in records", line, column,
                        hint="write the keys out in full")
    if kind == "ConstructorError" and "too many digits" in str(getattr(exc, "problem", "")):
        return _problem(path, "a number with too many digits", line, column)
    if kind == "ConstructorError":
        return _problem(path, "a YAML tag that records may not use", line, column,
                        hint="remove the '!' tag")
    marked = isinstance(exc, MarkedYAMLError | pyyaml.MarkedYAMLError)
    message = getattr(exc, "problem", None) if marked else None
    message = message or "invalid YAML"
    hint = "check indentation and quoting"
    if "\t" in text and "cannot start any token" in message:
        hint = "YAML indents with spaces, not tabs"
    return _problem(path, f"invalid YAML: {message}", line, column, hint=hint)


def _first_shared_container(data: Any) -> bool:
    """True when a list or mapping appears twice: the mark of a YAML alias.

    Aliases have no use in records, and expanding a nest of them (an alias bomb) would
    take exponential time further on. The walk visits each container once.
    """
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list):
            if id(item) in seen:
                return True
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


def _alias_position(text: str) -> tuple[int, int]:
    for event in _safe().parse(text):
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            return mark.line + 1, mark.column + 1
    return 1, 1


def load_file(path: Path) -> LoadedFile:
    """Read one YAML file into plain data. A missing file gives ``exists=False``."""
    if not os.path.lexists(path):  # a link to nowhere is there, and wrong
        return LoadedFile(path, exists=False)
    text, problems = read_text(path)
    if text is None:
        return LoadedFile(path, problems=problems)
    return load_text(text, path)


def load_text(text: str, path: Path) -> LoadedFile:
    """Read YAML text (a file's, or a committed version of it) into plain data.

    `path` is where problems point; the text need not be that file's current content.
    """
    try:
        with _no_collection():
            data = pyyaml.load(text, Loader=_FastLoader) if _nesting_is_safe(text) else _safe().load(text)
    except (YAMLError, pyyaml.YAMLError) as exc:
        return LoadedFile(path, problems=[_yaml_error(path, text, exc)])
    except RecursionError:
        return LoadedFile(path, problems=[_problem(path, "the YAML is nested too deeply", 1, 1)])
    except (ValueError, OverflowError):  # a value Python cannot hold (a number too long)
        return LoadedFile(path, problems=[_problem(path, "a value that cannot be read", 1, 1)])
    if _first_shared_container(data):
        line, column = _alias_position(text)
        return LoadedFile(
            path,
            problems=[
                _problem(path, "YAML anchors and aliases are not allowed in records", line,
                         column, hint="write the values out in full")
            ],
        )
    return LoadedFile(path, data=data)


def _content_end(node: Any) -> int:
    """The line after a node's last character (0-based, exclusive), comments after it left out."""
    while isinstance(node, pyyaml.MappingNode | pyyaml.SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, pyyaml.MappingNode) else node.value[-1]
    mark = node.end_mark
    return int(mark.line) + (1 if mark.column else 0)


def block_layout(text: str) -> dict[str, tuple[int, list[tuple[int, int]] | None]] | None:
    """Where each top-level key of a block mapping starts (0-based line) and, for a block
    sequence, where each of its items starts and its content ends; None for anything else.

    libyaml's composer gives the positions (no values are constructed), for splicing
    whole entries of one file's text into another's (`reunify.sync.splice`).
    """
    if not _nesting_is_safe(text):
        return None
    try:
        node = pyyaml.compose(text, Loader=_FastLoader)
    except (pyyaml.YAMLError, RecursionError, ValueError):
        return None
    if not isinstance(node, pyyaml.MappingNode) or node.flow_style:
        return None
    layout: dict[str, tuple[int, list[tuple[int, int]] | None]] = {}
    for key, value in node.value:
        if not isinstance(key, pyyaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str" or key.start_mark.column:
            return None
        items = None
        if isinstance(value, pyyaml.SequenceNode) and not value.flow_style and value.value:
            items = [(int(item.start_mark.line), _content_end(item)) for item in value.value]
        layout[key.value] = (int(key.start_mark.line), items)
    return layout


class Locator:
    """Finds the line and column of field paths, parsing each file at most once."""

    def __init__(self) -> None:
        self._trees: dict[Path, Any] = {}

    def _tree(self, path: Path) -> Any:
        if path not in self._trees:
            tree = None
            text, _ = read_text(path) if path.exists() else (None, [])
            if text is not None:
                with contextlib.suppress(YAMLError, RecursionError):
                    tree = _round_trip().load(text)
            self._trees[path] = tree
        return self._trees[path]

    def position(self, path: Path, field_path: FieldPath) -> tuple[int, int]:
        node = self._tree(path)
        line, column = 0, 0
        for part in field_path:
            if isinstance(node, CommentedMap) and part in node:
                value = node[part]
                if isinstance(value, CommentedMap | CommentedSeq) or value is None:
                    line, column = node.lc.key(part)
                else:
                    line, column = node.lc.value(part)
                node = value
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                line, column = node.lc.item(part)
                node = node[part]
            else:
                if isinstance(node, CommentedMap | CommentedSeq) and node.lc.line is not None:
                    line, column = node.lc.line, node.lc.col
                break
        return line + 1, column + 1

    def locate(self, problem: Problem) -> Problem:
        if problem.line is not None:
            return problem
        problem = relocated(problem)
        return problem.at(*self.position(problem.file, problem.path))


def write_new_file(path: Path, text: str) -> None:
    """Write a file that must not exist yet, readable by its owner only."""
    if os.path.lexists(path):
        raise FileExistsError(path)
    write_atomic(path, text.encode("utf-8"), FILE_MODE)


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
