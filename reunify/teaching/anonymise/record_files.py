"""Each record file of a copy: read round-trip, every value changed for what its model says it is.

The walk over references and dates moves every date by the shift and renames every
reference with what it refers to; the other strings go by their model's field: a name is
renamed, a household's address rebuilt, the case reference replaced, an identifier
renamed when it holds a name, free text scrubbed. Key order and scalar styles survive;
comments are dropped (free text that no model describes).
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections import Counter
from collections.abc import Iterator
from typing import Any

from reunify.core import schema
from reunify.core.problems import FieldPath
from reunify.core.schema import Model
from reunify.core.schema import Str
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import CommentedSeq

# yamlio has no public "load, change, dump to text" call (edit_file writes in place, and
# the original must never be written anywhere); these two are that call's halves.
from reunify.core.yamlio import dump_like
from reunify.core.yamlio import load_round_trip
from reunify.records import Case
from reunify.records import models as m
from reunify.records.fields import Shape
from reunify.records.fields import model_fields
from reunify.records.fields import unwrap
from reunify.records.fields import walk_record
from reunify.teaching.anonymise.names import Names
from reunify.teaching.anonymise.scrubbing import Scrubber

FOLD_WIDTH = 84


class RecordFiles:
    """The text of each record file of the copy, what each must read back as, and its free text."""

    def __init__(self, case: Case, names: Names, scrubber: Scrubber, shift: dt.timedelta, reference: str,
                 counts: Counter[str]) -> None:
        self.case = case
        self.names = names
        self.scrubber = scrubber
        self.shift = shift
        self.reference = reference
        self.counts = counts
        self.expected: dict[str, Any] = {}  # by file name, the data each file must read back as
        self.texts: list[tuple[str, FieldPath, str]] = []  # the copy's free text, for the review
        self._file = ""

    def text(self, name: str) -> str:
        """The text of one record file of the copy."""
        self._file = name
        path = self.case.file(name)
        original = path.read_bytes().decode("utf-8-sig")
        yaml, data = load_round_trip(original)
        record: Model = getattr(self.case, name.removesuffix(".yaml"))
        if data is not None:
            handled: set[FieldPath] = set()
            for mark in walk_record(record):  # every date and every reference, wherever it is
                value = _get(data, mark.path)
                if mark.date and isinstance(value, dt.date):
                    _set(data, mark.path, value + self.shift)
                    self.counts["date_fields"] += 1
                elif mark.ref and isinstance(value, str):
                    _set(data, mark.path, _like(value, self.names.ref(value)))
                handled.add(mark.path)
            self._strings(data, type(record), (), handled)
            _drop_comments(data)
        self.expected[name] = data
        if data is None:
            return ""
        text = _with_blank_lines(dump_like(yaml, data, ""))
        return text.replace("\n", "\r\n") if "\r\n" in original else text

    def _strings(self, node: Any, model: type[Model], path: FieldPath, handled: set[FieldPath]) -> None:
        """Every string the walk did not handle: free text scrubbed, other ids renamed."""
        if not isinstance(node, dict):
            return
        fields = model_fields(model)
        for key in list(node):
            if key in fields:
                attribute, shape = fields[key]
                self._value(node, key, model, attribute, shape, (*path, key), handled)

    def _value(self, container: Any, slot: Any, model: type[Model], attribute: str, shape: Shape,
               path: FieldPath, handled: set[FieldPath]) -> None:
        value = container[slot]
        if value is None or path in handled:
            return
        if shape.kind == "model" and shape.model is not None:
            self._strings(value, shape.model, path, handled)
        elif shape.kind in ("list", "dict") and shape.item is not None:
            slots = list(value) if isinstance(value, dict) else list(range(len(value)))
            for inner in slots:
                self._value(value, inner, model, attribute, shape.item, (*path, inner), handled)
        elif isinstance(value, str):
            new = self._string(model, attribute, value)
            if new != value:
                container[slot] = _like(value, new)
            if string_kind(model, attribute) == "text":
                self.texts.append((self._file, path, new))
        elif isinstance(value, dt.date):  # a date no model marks: moved all the same
            container[slot] = value + self.shift
            self.counts["date_fields"] += 1

    def _string(self, model: type[Model], attribute: str, value: str) -> str:
        if (model, attribute) in ((m.Person, "name"), (m.TeamMember, "name")):
            return self.names.person_name(value)
        if (model, attribute) == (m.Household, "address"):
            self.counts["addresses"] += 1
            return self.names.address(value)
        if (model, attribute) == (m.CaseFile, "reference"):
            self.counts["references"] += 1
            return self.reference
        if (model, attribute) == (m.Meeting, "attendees"):  # people or team members: unmarked refs
            return self.names.ref(value)
        kind = string_kind(model, attribute)
        if kind == "identifier":
            return self.names.ids.get(value, value)
        if kind == "text":
            return self.scrubber.scrub(value)
        return value


def free_text(record: Model) -> Iterator[tuple[Model, str]]:
    """Every free-text value of a record, with the record (a person, an entry) it belongs to."""
    for attribute in record.__struct_fields__:
        values = [getattr(record, attribute)]
        while values:
            value = values.pop(0)
            if isinstance(value, Model):
                yield from free_text(value)
            elif isinstance(value, list | tuple):
                values[:0] = value
            elif isinstance(value, dict):
                values[:0] = value.values()
            elif isinstance(value, str) and string_kind(type(record), attribute) == "text":
                yield record, value


@functools.cache
def string_kind(model: type[Model], attribute: str) -> str:
    """'text' (free text), 'identifier' (an id or code), 'enum' or 'other', from the model."""
    annotation, metadata = unwrap(next(f.type for f in schema.fields(model) if f.name == attribute))
    while typing.get_origin(annotation) in (list, dict):
        annotation, more = unwrap(typing.get_args(annotation)[-1])
        metadata += more
    if typing.get_origin(annotation) is typing.Literal:
        return "enum"
    if annotation is str:
        constraints = [c for c in metadata if isinstance(c, Str)]
        return "identifier" if any(c.pattern for c in constraints) else "text"
    return "other"


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: FieldPath, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _like(old: str, new: str) -> str:
    """`new` in the style `old` was written in (quoted, folded, literal)."""
    if new == old or type(old) is str:
        return new
    styled: Any = type(old)(new)
    if hasattr(old, "fold_pos") and "\n" not in new:
        styled.fold_pos = _folds(new)
    return typing.cast(str, styled)


def _folds(text: str, width: int = FOLD_WIDTH) -> list[int]:
    """Where to break a folded scalar's lines: at single spaces, lines of about `width`."""
    spaces = [i for i, ch in enumerate(text)
              if ch == " " and 0 < i < len(text) - 1 and not text[i - 1].isspace() and not text[i + 1].isspace()]
    folds: list[int] = []
    start, previous = 0, -1
    for space in [*spaces, len(text)]:
        if space - start > width and previous > start:
            folds.append(previous)
            start = previous + 1
        previous = space
    return folds


def _drop_comments(node: Any) -> None:
    if isinstance(node, CommentedMap | CommentedSeq):
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        if node.ca.pre is not None:
            node.ca.pre = []
    if isinstance(node, dict):
        for value in node.values():
            _drop_comments(value)
    elif isinstance(node, list):
        for value in node:
            _drop_comments(value)


def _with_blank_lines(text: str) -> str:
    """A blank line before each top-level key that follows a block (comments took theirs away)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if line and not line[0].isspace() and not line.startswith("-") and lines and lines[-1][:1] in (" ", "-"):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)
