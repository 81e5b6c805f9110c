"""Problems found in case or workflow files (the errors that stop a command are in
`reunify.core.errors`).

A `Problem` is data, never an exception: loaders, gates and checks collect them and
return them. Each one points into a file by a field path (``("entries", 3, "date")``);
the line and column are filled in from that path only when a problem is shown, so that
reading a clean case never pays for positions it does not need.

Messages never repeat a value from the file (names, dates, free text are personal data
about a child): the location says where, the message says what is wrong.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path

import msgspec

FieldPath = tuple[str | int, ...]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong (or worth knowing) about a file, with where it is."""

    file: Path
    path: FieldPath
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""
    code: str = ""
    line: int | None = None
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, line: int, column: int) -> Problem:
        return msgspec.structs.replace(self, line=line, column=column)

    def field_name(self) -> str:
        """The field path as a reader would write it: ``entries[3].date``."""
        text = ""
        for part in self.path:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += f".{part}" if text else part
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.file), self.line or 0, self.column or 0, self.message)


# Where a field of a joined record really lies: a child of a family reads each record file
# as the family's and the child's together (`reunify.records.family`). Keyed by the path
# problems name; a located problem names the file that holds the field.
RELOCATE: dict[Path, Callable[[FieldPath], tuple[Path, FieldPath]]] = {}


def relocated(problem: Problem) -> Problem:
    """`problem` naming the file that holds its field (once: a located problem is final)."""
    move = RELOCATE.get(problem.file) if problem.line is None else None
    if move is None:
        return problem
    file, path = move(problem.path)
    return msgspec.structs.replace(problem, file=file, path=path)
