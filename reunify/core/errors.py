"""The errors that stop a command: it could not run (exit status 2), or a recording was
refused (exit status 1). Problems found in files are data, not errors
(`reunify.core.problems`); this module imports nothing, so that `reunify --help` and the
command line's error handling load nothing else."""

from __future__ import annotations

from collections.abc import Iterable


class ReunifyError(Exception):
    """A command could not run (exit status 2): bad arguments, no such case, ..."""

    exit_code = 2


class CaseError(ReunifyError):
    """The case folder itself is missing or unusable."""


class Refused(ReunifyError):
    """A recording command refused to change anything (exit status 1).

    ``reasons`` lists exactly what is missing, one line each.
    """

    exit_code = 1

    def __init__(self, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)


class FieldError(ReunifyError):
    """A value given for a field is wrong: the message begins with the field's name (`date`,
    `by`), which the command line shows as its option (`--date`, `--by`).

    `rest` is the message after the field's name (with its leading space or colon). A
    field given as an option (`--recommended-by`) is kept as the field (`recommended_by`); an
    argument's name (`MEMBER`) as it is.
    """

    def __init__(self, field: str, rest: str) -> None:
        if field.startswith("--"):  # an option's name, said as the field's
            field = field[2:].replace("-", "_")
        super().__init__(f"{field}{rest}")
        self.field = field
        self.rest = rest
