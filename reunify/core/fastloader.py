"""The fast way in: libyaml's C parser (through PyYAML) made to read as ruamel.yaml does.

The YAML 1.2 core schema is taken from ruamel.yaml's own resolver table (``no`` is text,
``010`` is ten), a duplicate key or a merge key is refused, a date that is not a real one
is kept as `InvalidDate`, and whether a text could nest deeper than libyaml's recursion
safely goes is decided before it is read. `reunify.core.yamlio` is the door; this is
what it reads with.
"""

from __future__ import annotations

import re
from typing import Any
from typing import ClassVar

import yaml as pyyaml


class InvalidDate(str):
    """A scalar shaped like a date that is not a real one (2024-02-30).

    Loading keeps it as text so that the rest of the file still loads and validation
    can report this field, with its position, along with everything else.
    """


_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_LONGEST_NUMBER = 100  # digits: more is a mistake (Python refuses over 4,300 anyway)


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


# ruamel.yaml's YAML 1.2 implicit resolvers (ruamel.yaml.resolver.implicit_resolvers, the
# entries for 1.2), copied so that reading does not import ruamel: (tag, verbose pattern,
# the first characters it applies to, a space for the empty scalar). tests/test_yaml_reading.py
# holds them equal.
RESOLVERS_1_2: list[tuple[str, str, str]] = [
    ('bool', '^(?:true|True|TRUE|false|False|FALSE)$', 'tTfF'),
    ('float', '^(?:\n         [-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?\n        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)\n        |[-+]?\\.[0-9_]+(?:[eE][-+][0-9]+)?\n        |[-+]?\\.(?:inf|Inf|INF)\n        |\\.(?:nan|NaN|NAN))$', '-+0123456789.'),
    ('int', '^(?:[-+]?0b[0-1_]+\n        |[-+]?0o?[0-7_]+\n        |[-+]?[0-9_]+\n        |[-+]?0x[0-9a-fA-F_]+)$', '-+0123456789'),
    ('merge', '^(?:<<)$', '<'),
    ('null', '^(?: ~\n        |null|Null|NULL\n        | )$', '~nN '),
    ('timestamp', '^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\n        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?\n        (?:[Tt]|[ \\t]+)[0-9][0-9]?\n        :[0-9][0-9] :[0-9][0-9] (?:\\.[0-9]*)?\n        (?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$', '0123456789'),
    ('value', '^(?:=)$', '='),
    ('yaml', '^(?:!|&|\\*)$', '!&*'),
]
for _tag, _pattern, _first in RESOLVERS_1_2:
    _compiled = re.compile(_pattern, re.X)
    for _char in _first:
        _key = "" if _char == " " else _char  # the empty scalar's resolvers are under ""
        _FastLoader.yaml_implicit_resolvers.setdefault(_key, []).append((f"tag:yaml.org,2002:{_tag}", _compiled))
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
