"""The kinds of value the fields of a workflow file hold: text that is not blank, names
(ids of steps, roles, meetings), the risk levels, and yes-or-no flags of gate arguments."""

from typing import Annotated
from typing import Any
from typing import Literal

from reunify.core.schema import Before
from reunify.core.schema import Str

Text = Annotated[str, Str(strip=True, min_length=1)]
Name = Annotated[str, Str(pattern=r"[A-Za-z][A-Za-z0-9_]*", max_length=64)]
Levels = Literal["low", "medium", "high", "severe"]
LEVEL_NAMES: tuple[str, ...] = ("low", "medium", "high", "severe")

_YES = frozenset(("1", "on", "t", "true", "y", "yes"))
_NO = frozenset(("0", "off", "f", "false", "n", "no"))


def _yes_or_no(value: Any) -> Any:
    """`yes`, `no`, `on`, `1`, ... as true or false: a gate's arguments have always been read
    so (YAML 1.2 reads `yes` as text), and local workflows written so must keep working."""
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    return value


# A yes-or-no argument of a gate: true or false, or a word or number that says so.
Flag = Annotated[bool, Before(_yes_or_no)]
