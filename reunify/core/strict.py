"""The strict check of data read from YAML against a model (`reunify.core.schema`), keeping
every error.

A value must already have its type (YAML gives dates, numbers and booleans theirs); a
field's markers (`Str`, `Len`, `Between`, `Before`, `After`) say the rest. Each error is
a dict with its kind (`type`), its place (`loc`), the value (`input`), its context
(`ctx`) and a plain message (`msg`, which a refused command option shows), for
`reunify.records.validation` to put into words for a file. The check of each model and
each annotation is worked out once, the first time it is needed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Callable
from typing import Any

from reunify.core.schema import After
from reunify.core.schema import Before
from reunify.core.schema import Between
from reunify.core.schema import Invalid
from reunify.core.schema import Len
from reunify.core.schema import M
from reunify.core.schema import Model
from reunify.core.schema import Str
from reunify.core.schema import fields

Loc = tuple[str | int, ...]
Error = dict[str, Any]
Check = Callable[[Any, Loc, list[Error]], Any]

_FAIL: Any = object()  # what a check returns when the value is wrong (its errors are listed)


def validate(model: type[M], data: Any) -> tuple[M | None, list[Error]]:
    """The model made from `data` and no errors, or None and every error."""
    errors: list[Error] = []
    value = _model_check(model)(data, (), errors)
    return (None, errors) if errors or value is _FAIL else (value, [])


def _error(errors: list[Error], kind: str, loc: Loc, value: Any, msg: str, **context: Any) -> Any:
    errors.append({"type": kind, "loc": loc, "input": value, "ctx": context, "msg": msg})
    return _FAIL


# Models --------------------------------------------------------------------------------


@functools.cache
def _model_check(model: type[Model]) -> Check:
    # (name in the file, attribute, its check, whether it is required), worked out when
    # the model is first checked: its annotations may name models defined after it.
    plan: list[tuple[str, str, Check | None, bool]] = []
    known: set[str] = set()
    by_attribute = getattr(model, "by_attribute_name", False)

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        if isinstance(value, model):
            return value
        if not isinstance(value, dict):
            return _error(errors, "model_type", loc, value, "Input should be a valid dictionary")
        if not plan:
            made = [(f.encode_name, f.name, _checker(f.type), f.required) for f in fields(model)]
            known.update(key for key, _, _, _ in made)
            if by_attribute:
                known.update(name for _, name, _, _ in made)
            plan.extend(made)
        before = len(errors)
        found: dict[str, Any] = {}
        for key, name, field_check, required in plan:
            if key not in value and by_attribute and name in value:
                key = name
            if key in value:
                item = field_check(value[key], (*loc, key), errors) if field_check is not None else value[key]
                if item is not _FAIL:
                    found[name] = item
            elif required:
                _error(errors, "missing", (*loc, key), value, "Field required")
        for key in value:
            if not isinstance(key, str):
                _error(errors, "invalid_key", (*loc, _place(key)), key, "Keys should be strings")
            elif key not in known:
                _error(errors, "extra_forbidden", (*loc, key), value[key], "Extra inputs are not permitted")
        if len(errors) > before:
            return _FAIL
        try:
            return model(**found)
        except Invalid as exc:
            return _error(errors, exc.kind, loc, value, exc.message, **exc.context)

    return check


def _place(key: Any) -> str | int:
    """A key as a place names it: text or a number as it is, anything else (a date, null)
    as text."""
    return key if isinstance(key, str | int) and not isinstance(key, bool) else str(key)


# Types -----------------------------------------------------------------------------------


@functools.cache
def _checker(annotation: Any) -> Check | None:
    """The check of a value against `annotation` (None: anything goes)."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        metadata.extend(annotation.__metadata__)
        annotation = annotation.__origin__
    check = _type_check(annotation, metadata)
    for marker in metadata:  # the last one given runs first
        if isinstance(marker, Before):
            check = _before(marker.func, check)
    return check


def _type_check(annotation: Any, metadata: list[Any]) -> Check | None:
    origin = typing.get_origin(annotation)
    after = [m.func for m in metadata if isinstance(m, After)]
    if annotation is Any:
        return None
    if origin in (typing.Union, types.UnionType):
        if any(isinstance(m, Str | Len | Between | After) for m in metadata):
            raise TypeError(f"put the checks of {annotation!r} on the members of the union")
        return _union(typing.get_args(annotation))
    if origin is typing.Literal:
        return _with_after(_literal(typing.get_args(annotation)), after)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return _with_after(_list(_checker(item), _marker(metadata, Len)), after)
    if origin is dict:
        key, item = typing.get_args(annotation)
        return _with_after(_dict(_checker(key), _checker(item), _marker(metadata, Len)), after)
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return _with_after(_model_check(annotation), after)
    simple = _SIMPLE.get(annotation)
    if simple is None:
        raise TypeError(f"no check for {annotation!r}")
    return _with_after(simple(metadata), after)


def _marker(metadata: list[Any], kind: type[Any]) -> Any:
    return next((m for m in metadata if isinstance(m, kind)), None)


def _before(func: Callable[[Any], Any], inner: Check | None) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        try:
            value = func(value)
        except Invalid as exc:
            return _error(errors, exc.kind, loc, value, exc.message, **exc.context)
        return value if inner is None else inner(value, loc, errors)

    return check


def _with_after(inner: Check, after: list[Callable[[Any], Any]]) -> Check:
    if not after:
        return inner

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        value = inner(value, loc, errors)
        if value is _FAIL:
            return value
        try:
            for func in after:
                value = func(value)
        except Invalid as exc:
            return _error(errors, exc.kind, loc, value, exc.message, **exc.context)
        return value

    return check


# Unicode's White_Space, which is what is stripped (str.strip would also take the
# information separators U+001C-U+001F, which are not space).
_WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"


def _string(metadata: list[Any]) -> Check:
    rule: Str = _marker(metadata, Str) or Str()
    pattern = re.compile(rule.pattern) if rule.pattern else None

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        if not isinstance(value, str):
            return _error(errors, "string_type", loc, value, "Input should be a valid string")
        if rule.strip:
            value = value.strip(_WHITESPACE)
        if rule.min_length is not None and len(value) < rule.min_length:
            return _error(errors, "string_too_short", loc, value,
                          f"String should have at least {_count(rule.min_length, 'character')}",
                          min_length=rule.min_length)
        if rule.max_length is not None and len(value) > rule.max_length:
            return _error(errors, "string_too_long", loc, value,
                          f"String should have at most {_count(rule.max_length, 'character')}",
                          max_length=rule.max_length)
        if pattern is not None and pattern.fullmatch(value) is None:
            return _error(errors, "string_pattern_mismatch", loc, value,
                          f"String should match pattern '^{rule.pattern}$'", pattern=rule.pattern)
        return str(value)

    return check


def _bounded(kind: str, accepts: Callable[[Any], bool], message: str) -> Callable[[list[Any]], Check]:
    def make(metadata: list[Any]) -> Check:
        bounds: Between | None = _marker(metadata, Between)

        def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
            if not accepts(value):
                return _error(errors, kind, loc, value, message)
            if bounds is not None:
                if bounds.ge is not None and value < bounds.ge:
                    return _error(errors, "greater_than_equal", loc, value,
                                  f"Input should be greater than or equal to {bounds.ge}", ge=bounds.ge)
                if bounds.le is not None and value > bounds.le:
                    return _error(errors, "less_than_equal", loc, value,
                                  f"Input should be less than or equal to {bounds.le}", le=bounds.le)
            return value

        return check

    return make


_SIMPLE: dict[Any, Callable[[list[Any]], Check]] = {
    str: _string,
    bool: _bounded("bool_type", lambda v: isinstance(v, bool), "Input should be a valid boolean"),
    int: _bounded("int_type", lambda v: isinstance(v, int) and not isinstance(v, bool), "Input should be a valid integer"),
    float: _bounded("float_type", lambda v: isinstance(v, int | float) and not isinstance(v, bool),
                    "Input should be a valid number"),
    dt.date: _bounded("date_type", lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
                      "Input should be a valid date"),
}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _either_of(choices: tuple[Any, ...]) -> str:
    """'a', 'b' or 'c'."""
    quoted = [repr(choice) for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _literal(choices: tuple[Any, ...]) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        for choice in choices:  # a choice of text takes text of any kind; true is not 1
            if value == choice and (type(value) is type(choice) or (isinstance(choice, str) and isinstance(value, str))):
                return choice
        return _error(errors, "literal_error", loc, value, f"Input should be {_either_of(choices)}",
                      expected=list(choices))

    return check


def _sized(value: Any, loc: Loc, errors: list[Error], size: Len | None) -> bool:
    if size is None:
        return True
    if size.min_length is not None and len(value) < size.min_length:
        _error(errors, "too_short", loc, value,
               f"List should have at least {_count(size.min_length, 'item')} after validation, not {len(value)}",
               min_length=size.min_length)
        return False
    if size.max_length is not None and len(value) > size.max_length:
        _error(errors, "too_long", loc, value,
               f"List should have at most {_count(size.max_length, 'item')} after validation, not {len(value)}",
               max_length=size.max_length)
        return False
    return True


def _list(item: Check | None, size: Len | None) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        if not isinstance(value, list):
            return _error(errors, "list_type", loc, value, "Input should be a valid list")
        if item is None:
            items = list(value)
        else:
            before = len(errors)
            items = [item(one, (*loc, index), errors) for index, one in enumerate(value)]
            if len(errors) > before:
                return _FAIL
        return items if _sized(items, loc, errors, size) else _FAIL

    return check


def _dict(key: Check | None, item: Check | None, size: Len | None) -> Check:
    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        if not isinstance(value, dict):
            return _error(errors, "dict_type", loc, value, "Input should be a valid dictionary")
        before = len(errors)
        found = {}
        for k, v in value.items():
            place = _place(k)
            checked_key = k if key is None else key(k, (*loc, place, "[key]"), errors)
            found[checked_key] = v if item is None else item(v, (*loc, place), errors)
        if len(errors) > before:
            return _FAIL
        return found if _sized(found, loc, errors, size) else _FAIL

    return check


_KINDS: tuple[tuple[type[Any], str], ...] = ((str, "text"), (list, "a list"), (dict, "a mapping"),
                                              (bool, "true or false"), (int, "a number"), (dt.date, "a date"))


def _kind_of(annotation: Any) -> type[Any] | None:
    """The Python type a member of a union takes (str, list, dict, ...), if one."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = annotation.__origin__
    origin = typing.get_origin(annotation) or annotation
    if origin is typing.Literal:
        return type(typing.get_args(annotation)[0])
    if isinstance(origin, type) and issubclass(origin, Model):
        return dict
    return origin if isinstance(origin, type) else None


def _union(members: tuple[Any, ...]) -> Check | None:
    optional = type(None) in members
    members = tuple(m for m in members if m is not type(None))
    if len(members) == 1:
        inner = _checker(members[0])
    else:
        inner = _either(members)
    if not optional:
        return inner

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        if value is None:
            return None
        return value if inner is None else inner(value, loc, errors)

    return check


def _either(members: tuple[Any, ...]) -> Check | None:
    """One of several members: the first that takes the value. When none does, the errors
    of the one member whose type the value has (a text for a text, a list for a list), or
    else one error naming what was expected."""
    checks = [_checker(m) for m in members]
    if any(c is None for c in checks):
        return None
    kinds = [_kind_of(m) for m in members]
    expected = " or ".join(dict.fromkeys(word for kind in kinds for base, word in _KINDS if kind is base))

    def check(value: Any, loc: Loc, errors: list[Error]) -> Any:
        tried: list[list[Error]] = []
        for member in checks:
            scratch: list[Error] = []
            result = member(value, loc, scratch)  # type: ignore[misc]
            if result is not _FAIL and not scratch:
                return result
            tried.append(scratch)
        same = [found for found, kind in zip(tried, kinds, strict=True)
                if kind is not None and isinstance(value, kind) and not (kind is int and isinstance(value, bool))]
        if len(same) == 1:
            errors.extend(same[0])
            return _FAIL
        return _error(errors, "union_type", loc, value, f"expected {expected}")

    return check
