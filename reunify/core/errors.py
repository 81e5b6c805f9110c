"""The errors that stop a command: it could not run (exit status 2), or a recording was
refused (exit status 1). Problems found in files are data, not errors
(`reunify.core.problems`); this module imports nothing, so that `reunify --help` and the
command line's error handling load nothing else.

A message names a field in backquotes: the name a caller from Python passes
("`by` is not one", "no legal status is recorded on `date`"), or a command's argument as
its help names it (`MEMBER`). The command line shows each as its option (`--by`,
`--date`; `reunify.cli.shown`). Only the code's own words are quoted so: a value given
is never put in backquotes.
"""

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
    """A value given for a field is wrong: the message begins with the field, in
    backquotes ("`date` is in the future"), which the command line shows as its option
    (`--date is in the future`).

    `field` is the field's name (`date`, `recommended_by`), or an argument's (`MEMBER`);
    `rest` is the message after it (with its leading space or colon).
    """

    def __init__(self, field: str, rest: str) -> None:
        super().__init__(f"`{field}`{rest}")
        self.field = field
        self.rest = rest
