"""The kinds of value the fields of a workflow file hold: text that is not blank, names
(ids of steps, roles, meetings), the risk levels."""

from typing import Annotated
from typing import Literal

from reunify.core.schema import Str

Text = Annotated[str, Str(strip=True, min_length=1)]
Name = Annotated[str, Str(pattern=r"[A-Za-z][A-Za-z0-9_]*", max_length=64)]
Levels = Literal["low", "medium", "high", "severe"]
LEVEL_NAMES: tuple[str, ...] = ("low", "medium", "high", "severe")
