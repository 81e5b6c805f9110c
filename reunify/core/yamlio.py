"""All YAML goes through this module (the YAML libraries are imported only here and in
`fastloader` and `yamledit`, which it reads and edits with).

Two ways in, one way out:

- `load_file` reads a file fast into plain dicts, lists, strings, numbers and dates:
  libyaml's C parser (through PyYAML, set up in `fastloader`) with the YAML 1.2 core
  schema taken from ruamel.yaml's own resolver table, so that both read every file
  alike (``no`` is text, ``010`` is ten). A file that could nest deeper than C recursion
  safely goes is read by ruamel.yaml instead. Reading never fails with an exception for anything a user wrote:
  syntax errors, duplicate keys, impossible dates, aliases that would blow up,
  undecodable bytes all come back as `Problem`s with a position.
- `Locator` finds the line and column of a field path, parsing a file round-trip only
  when a problem in it has to be shown.
- `edit_file` (in `yamledit`, with ruamel, loaded on first use: reading a clean case
  never imports ruamel) loads round-trip (comments, key order, quoting, indentation, line
  endings kept), lets the caller change the data, and writes it back atomically.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import msgspec
import yaml as pyyaml

from reunify.core import collector
from reunify.core.fastloader import _FastLoader
from reunify.core.fastloader import _nesting_is_safe
from reunify.core.files import FILE_MODE
from reunify.core.files import TooLarge
from reunify.core.files import UnsafeFile
from reunify.core.files import read_regular
from reunify.core.files import write_atomic
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.problems import relocated

if TYPE_CHECKING:
    from reunify.core.yamledit import CommentedMap as CommentedMap
    from reunify.core.yamledit import CommentedSeq as CommentedSeq
    from reunify.core.yamledit import Edit as Edit
    from reunify.core.yamledit import add_entry as add_entry
    from reunify.core.yamledit import append_entry as append_entry
    from reunify.core.yamledit import block as block
    from reunify.core.yamledit import dump_like as dump_like
    from reunify.core.yamledit import edit_file as edit_file
    from reunify.core.yamledit import load_round_trip as load_round_trip
    from reunify.core.yamledit import round_trip_text as round_trip_text
    from reunify.core.yamledit import set_last as set_last

MAX_BYTES = 10 * 1024 * 1024

__all__ = [
    "CommentedMap",
    "CommentedSeq",
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


class LoadedFile(msgspec.Struct):
    """A file's data (plain Python values) and the problems met reading it."""

    path: Path
    data: Any = None
    problems: list[Problem] = msgspec.field(default_factory=list)
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


def _ruamel_class(module: str, name: str) -> tuple[type[Exception], ...]:
    """ruamel's exception class, if ruamel is loaded (an error of its own means it is)."""
    loaded = sys.modules.get(f"ruamel.yaml.{module}")
    return (getattr(loaded, name),) if loaded is not None else ()


def _yaml_errors() -> tuple[type[Exception], ...]:
    return (pyyaml.YAMLError, *_ruamel_class("error", "YAMLError"))


def _yaml_error(path: Path, text: str, exc: Exception) -> Problem:
    if isinstance(exc, (pyyaml.reader.ReaderError, *_ruamel_class("reader", "ReaderError"))):
        line, column = _position(text, int(getattr(exc, "position", 0)))
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
    marked = isinstance(exc, (pyyaml.MarkedYAMLError, *_ruamel_class("error", "MarkedYAMLError")))
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
        with collector.paused():
            if _nesting_is_safe(text):
                data = pyyaml.load(text, Loader=_FastLoader)
            else:
                from reunify.core import yamledit

                data = yamledit.load_deep(text)
    except _yaml_errors() as exc:  # looked up as the exception is raised
        return LoadedFile(path, problems=[_yaml_error(path, text, exc)])
    except RecursionError:
        return LoadedFile(path, problems=[_problem(path, "the YAML is nested too deeply", 1, 1)])
    except (ValueError, OverflowError):  # a value Python cannot hold (a number too long)
        return LoadedFile(path, problems=[_problem(path, "a value that cannot be read", 1, 1)])
    if _first_shared_container(data):
        from reunify.core.yamledit import alias_position

        line, column = alias_position(text)
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
                from ruamel.yaml.error import YAMLError

                from reunify.core.yamledit import load_tree

                with contextlib.suppress(YAMLError, RecursionError):
                    tree = load_tree(text)
            self._trees[path] = tree
        return self._trees[path]

    def position(self, path: Path, field_path: FieldPath) -> tuple[int, int]:
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.comments import CommentedSeq

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


class FastLocator(Locator):
    """A `Locator` that reads positions from libyaml's composer (no values built, no
    round-trip parse): the same lines and columns, for showing many problems at once."""

    def _tree(self, path: Path) -> Any:
        if path not in self._trees:
            tree = None
            text, _ = read_text(path) if path.exists() else (None, [])
            if text is not None and _nesting_is_safe(text):
                with contextlib.suppress(pyyaml.YAMLError, RecursionError, ValueError):
                    tree = pyyaml.compose(text, Loader=_FastLoader)
            self._trees[path] = tree if tree is not None else super()._tree(path)
        return self._trees[path]

    def position(self, path: Path, field_path: FieldPath) -> tuple[int, int]:
        node = self._tree(path)
        if node is not None and not isinstance(node, pyyaml.Node):  # read the round-trip way
            return super().position(path, field_path)
        line, column = 0, 0
        for part in field_path:
            if isinstance(node, pyyaml.MappingNode):
                found = next(((k, v) for k, v in node.value if isinstance(k, pyyaml.ScalarNode)
                              and k.value == str(part)), None)
                if found is None:
                    line, column = node.start_mark.line, node.start_mark.column
                    break
                key, value = found
                scalar = isinstance(value, pyyaml.ScalarNode) and not value.tag.endswith(":null")
                mark = value.start_mark if scalar else key.start_mark
                line, column = mark.line, mark.column
                node = value
            elif isinstance(node, pyyaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line, column = node.start_mark.line, node.start_mark.column
            else:
                if isinstance(node, pyyaml.MappingNode | pyyaml.SequenceNode):
                    line, column = node.start_mark.line, node.start_mark.column
                break
        return line + 1, column + 1


def write_new_file(path: Path, text: str) -> None:
    """Write a file that must not exist yet, readable by its owner only."""
    if os.path.lexists(path):
        raise FileExistsError(path)
    write_atomic(path, text.encode("utf-8"), FILE_MODE)




def __getattr__(name: str) -> Any:
    """What edits round-trip (`edit_file`, `CommentedMap`, ...) is in `yamledit`, loaded
    with ruamel when first asked for: reading a clean case never loads ruamel."""
    if name.startswith("__"):
        raise AttributeError(name)
    from reunify.core import yamledit

    try:
        return getattr(yamledit, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
