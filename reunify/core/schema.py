"""Models that cost next to nothing to define.

A model is a msgspec struct (frozen, keyword-only): defining one costs microseconds where a
pydantic model cost milliseconds, which every command paid at start-up. Data read from
YAML is checked against a model by `reunify.core.strict`, which keeps every error. A
field's checks are markers in its `Annotated[...]`: `Str` (strip, length, pattern), `Len`
(items), `Between` (numbers and dates), and `Before`/`After` (functions run before or after
the type check, raising `Invalid`). A field's name in the file, when it differs, is given
with `msgspec.field(name=...)`; a model that sets `by_attribute_name: ClassVar[bool] = True`
also takes each field under its name in the code (a gate's arguments, read so since the
first workflows). A check across fields goes in `__post_init__`, raising `Invalid`.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any
from typing import TypeVar

import msgspec

M = TypeVar("M", bound="Model")


@typing.dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(msgspec.field,))
class _Frozen(msgspec.StructMeta):
    """Makes every model frozen, with keyword-only fields (msgspec does not pass `kw_only`
    on to subclasses, so that a field with a default may come before one without), and
    able to cache what it works out with `functools.cached_property` (`dict`)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **options: Any) -> Any:
        options.setdefault("kw_only", True)
        options.setdefault("frozen", True)
        options.setdefault("dict", True)
        return super().__new__(mcs, name, bases, namespace, **options)


if typing.TYPE_CHECKING:
    _Struct = object  # type checkers take a model's shape from `_Frozen`, as for a dataclass
else:
    _Struct = msgspec.Struct


class Model(_Struct, metaclass=_Frozen):
    """A record, or a part of a workflow or a profile: frozen, keyword-only, no unknown keys."""

    if typing.TYPE_CHECKING:
        __struct_fields__: typing.ClassVar[tuple[str, ...]]  # the attribute names, in order

    @classmethod
    def model_validate(cls: type[M], data: Any) -> M:
        """The model made from `data`, or `SchemaError` with every error."""
        from reunify.core.strict import validate  # the check, which needs the models defined

        value, errors = validate(cls, data)
        if errors:
            raise SchemaError(errors)
        return value  # type: ignore[return-value]

    def model_copy(self: M, *, update: dict[str, Any]) -> M:
        """A copy with the fields in `update` (by attribute name) replaced, unchecked."""
        return msgspec.structs.replace(typing.cast(msgspec.Struct, self), **update)  # type: ignore[return-value]

    def dump(self) -> Any:
        """The model as plain data, by the names in the file, dates as ISO text (for JSON)."""
        return msgspec.to_builtins(self)


class Invalid(Exception):
    """Raised by a check: `kind` names the error, `message` (formatted with `context`) says
    what was expected, never what was found (the value may be personal data)."""

    def __init__(self, kind: str, message: str, context: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.context = context or {}
        self.message = message.format(**self.context) if context else message


class SchemaError(Exception):
    """Data that does not fit a model; `errors()` lists every error."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


class Str(msgspec.Struct, frozen=True):
    """Text: stripped of surrounding whitespace first (if `strip`), then its length and its
    pattern (which the whole text must match) checked."""

    strip: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None


class Len(msgspec.Struct, frozen=True):
    """How many items a list or a mapping holds."""

    min_length: int | None = None
    max_length: int | None = None


class Between(msgspec.Struct, frozen=True):
    """The bounds of a number or a date, both included."""

    ge: Any = None
    le: Any = None


class Before(msgspec.Struct, frozen=True):
    """A function run on the value before its type is checked."""

    func: Callable[[Any], Any]


class After(msgspec.Struct, frozen=True):
    """A function run on the value once its type and bounds are checked; raises `Invalid`."""

    func: Callable[[Any], Any]


@functools.cache
def fields(model: type[Model]) -> tuple[msgspec.structs.FieldInfo, ...]:
    """The model's fields in order, each with its name in the file and full annotation."""
    return msgspec.structs.fields(typing.cast(type[msgspec.Struct], model))
