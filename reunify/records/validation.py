"""Validate loaded YAML against a model, turning the errors `reunify.core.schema` finds into `Problem`s.

Messages say what was expected, never what was found: the value may be personal data.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any
from typing import TypeVar

from reunify.core.fastloader import InvalidDate
from reunify.core.problems import FieldPath
from reunify.core.problems import Problem
from reunify.core.schema import Model
from reunify.core.strict import validate as check
from reunify.records.fields import model_at
from reunify.records.fields import model_fields
from reunify.records.values import FIRST_DATE
from reunify.records.values import LAST_DATE

M = TypeVar("M", bound=Model)

BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''.

    The choices are quoted, so they must never come from a case's records: field names
    of a schema, workflow steps, roles, outcomes, codes are fine; ids of people, team
    members or households are not (a person's id is often their name).
    """
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


def _one_of(choices: list[str]) -> str:
    if len(choices) <= 8:
        return ", ".join(choices)
    return ", ".join(choices[:8]) + ", ..."


def _expected_literals(error: dict[str, Any]) -> list[str]:
    return [str(choice) for choice in error.get("ctx", {}).get("expected", [])]


def _describe(error: dict[str, Any], root: type[Model]) -> tuple[FieldPath, str, str]:
    """(field path, message, hint) for one error."""
    path: FieldPath = tuple(error["loc"])
    if path and path[-1] == "[key]":  # the mark for a key of a mapping: the key is the place
        path = path[:-1]
    kind = error["type"]
    found = error.get("input")
    hint = ""
    if kind == "missing":
        message = f"missing required field '{path[-1]}'"
    elif kind == "extra_forbidden":
        owner = model_at(root, path[:-1])
        known = list(model_fields(owner)) if owner else []
        # The key itself is not repeated (it may be a name): the location points at it.
        message = "unknown field" + did_you_mean(str(path[-1]), known)
        if known:
            hint = "fields here: " + ", ".join(known)
    elif kind == "date_type":
        if isinstance(found, InvalidDate):
            message = "not a real calendar date"
        elif isinstance(found, dt.datetime):
            message = "expected a date without a time (YYYY-MM-DD)"
        else:
            message = "expected a date as YYYY-MM-DD"
    elif kind in ("string_type",):
        message = "expected text"
        if isinstance(found, int | float | bool | dt.date):
            hint = "put the value in quotes to keep it as text"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_pattern_mismatch":
        message = "expected an id made of letters, digits, '-', '_' or '.'"
    elif kind == "string_too_long":
        message = "is too long for an id"
    elif kind == "bool_type":
        message = "expected true or false"
    elif kind in ("int_type", "int_parsing"):
        message = "expected a whole number"
    elif kind == "literal_error":
        choices = _expected_literals(error)
        message = "expected one of: " + _one_of(choices)
        if isinstance(found, str):
            message += did_you_mean(found, choices)
    elif kind == "list_type":
        message = "expected a list"
        hint = "write each item on its own line starting with '- '"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = "expected a mapping of fields" if path else "the file must hold a mapping of fields"
    elif kind in BOUNDS:
        limit = error.get("ctx", {}).get(BOUNDS[kind][0])
        if isinstance(found, dt.date):
            message = f"the date must lie between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}"
            hint = "check the year"
        else:
            message = f"must be {BOUNDS[kind][1]} {limit}"
    elif kind.startswith("reunify_"):  # our own validators' messages, which never hold the value
        message = str(error.get("msg", "invalid value"))
    elif kind == "too_short":
        message = f"needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)"
    elif kind == "too_long":
        message = f"allows at most {error.get('ctx', {}).get('max_length', 1)} item(s)"
    else:
        message = str(error.get("msg", "invalid value")).split(",")[0]
    return path, message, hint


def validate(model: type[M], data: Any, file: Path) -> tuple[M | None, list[Problem]]:
    """The validated record, or None and one problem per error."""
    if data is None:
        data = {}
    record, errors = check(model, data)
    problems = []
    for error in errors:
        path, message, hint = _describe(error, model)
        problems.append(Problem(file, path, message, hint=hint, code="schema"))
    return record, problems
