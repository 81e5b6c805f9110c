"""One walk over the fields of any record: every reference and every date, with its path.

Cross-record checks (unknown people, dates before birth or after today) use this walk
instead of knowing each model, so a field added to a model is checked without more code.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Iterator
from typing import Any

import msgspec

from reunify.core import schema
from reunify.core.problems import FieldPath
from reunify.core.schema import Model
from reunify.records.values import Born
from reunify.records.values import PlannedDate
from reunify.records.values import Ref


class Marked(msgspec.Struct, frozen=True):
    """A value found by the walk: where it is and what kind of value it is."""

    path: FieldPath
    value: Any
    ref: str | None = None  # "person", "team" or "household"
    date: str | None = None  # "happened", "planned" or "born"


def unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Unwrap Annotated and Optional, collecting metadata."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata.extend(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation, metadata
            annotation = options[0]
        else:
            return annotation, metadata


class Shape(msgspec.Struct, frozen=True):
    """What a field holds, reduced to what the walk needs."""

    kind: str  # "model", "list", "dict", "scalar"
    model: type[Model] | None = None
    item: Shape | None = None
    ref: str | None = None
    date: str | None = None


def shape_of(annotation: Any, metadata: list[Any] | None = None) -> Shape:
    annotation, found = unwrap(annotation)
    found = [*(metadata or []), *found]
    origin = typing.get_origin(annotation)
    if origin is list:
        return Shape("list", item=shape_of(typing.get_args(annotation)[0]))
    if origin is dict:
        return Shape("dict", item=shape_of(typing.get_args(annotation)[1]))
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return Shape("model", model=annotation)
    ref = next((m.kind for m in found if isinstance(m, Ref)), None)
    date = None
    if annotation is dt.date:
        date = "happened"
        if any(isinstance(m, PlannedDate) for m in found):
            date = "planned"
        elif any(isinstance(m, Born) for m in found):
            date = "born"
    return Shape("scalar", ref=ref, date=date)


@functools.cache
def model_fields(model: type[Model]) -> dict[str, tuple[str, Shape]]:
    """The model's fields by their name in the file: (attribute name, shape)."""
    return {field.encode_name: (field.name, shape_of(field.type)) for field in schema.fields(model)}


def model_at(model: type[Model], path: FieldPath) -> type[Model] | None:
    """The model class that holds the mapping at `path`, if any."""
    shape: Shape | None = Shape("model", model=model)
    for part in path:
        if shape is None:
            return None
        if shape.kind == "model" and isinstance(part, str) and shape.model is not None:
            entry = model_fields(shape.model).get(part)
            shape = entry[1] if entry else None
        elif shape.kind in ("list", "dict"):
            shape = shape.item
        else:
            return None
    return shape.model if shape is not None and shape.kind == "model" else None


@functools.cache
def _has_marks(shape: Shape) -> bool:
    if shape.kind == "model" and shape.model is not None:
        return bool(_marked_fields(shape.model))
    if shape.kind in ("list", "dict"):
        return shape.item is not None and _has_marks(shape.item)
    return bool(shape.ref or shape.date)


@functools.cache
def _marked_fields(model: type[Model]) -> tuple[tuple[str, str, Shape], ...]:
    """The fields of `model` that hold a marked scalar somewhere: the only ones walked."""
    return tuple((key, name, shape) for key, (name, shape) in model_fields(model).items() if _has_marks(shape))


def walk(value: Any, shape: Shape, path: FieldPath = ()) -> Iterator[Marked]:
    """Every marked scalar (reference or date) under `value`."""
    if value is None:
        return
    if shape.kind == "model" and shape.model is not None:
        for key, name, field_shape in _marked_fields(shape.model):
            yield from walk(getattr(value, name), field_shape, (*path, key))
    elif shape.kind == "list" and shape.item is not None:
        for index, item in enumerate(value):
            yield from walk(item, shape.item, (*path, index))
    elif shape.kind == "dict" and shape.item is not None:
        for key, item in value.items():
            yield from walk(item, shape.item, (*path, key))
    elif shape.ref or shape.date:
        yield Marked(path, value, shape.ref, shape.date)


def walk_record(record: Model) -> Iterator[Marked]:
    return walk(record, Shape("model", model=type(record)))


def schema_path(model: type[Model], path: FieldPath) -> FieldPath:
    """The part of `path` that the schema names: field names and list positions.

    A key that is not a field of the schema (an unknown key, a key of a mapping such as
    the timetable) comes from the file and may be personal data, so the path stops
    before it; the line and column still point at it.
    """
    shape = Shape("model", model=model)
    kept: list[str | int] = []
    for part in path:
        if shape.kind == "model" and shape.model is not None and isinstance(part, str):
            entry = model_fields(shape.model).get(part)
            if entry is None:
                break
            shape = entry[1]
        elif shape.kind == "list" and shape.item is not None and isinstance(part, int):
            shape = shape.item
        else:
            break
        kept.append(part)
    return tuple(kept)
