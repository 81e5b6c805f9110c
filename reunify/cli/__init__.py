"""The command line: thin commands over the core, and the one place exits are decided.

Exit status: 0 clean, 1 problems found or a recording refused, 2 the command could not
run, 3 a bug (its traceback is shown only with REUNIFY_DEBUG=1), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys

from reunify.cli.app import app
from reunify.core.errors import Refused
from reunify.core.errors import ReunifyError

__all__ = ["app", "main"]

# What a user types may be special category data about a child (a name given with
# --name): no third-party pydantic plugin (found through installed packages' entry
# points) is to see it as typer checks the options with pydantic. (The records themselves
# are checked by `reunify.core.strict`, without pydantic.) Turning plugins off, as
# pydantic documents, also spares scanning every installed package's entry points.
# Pydantic reads it as each validator is built, so it holds however late one is built.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"


class Stopped(BaseException):
    """The process was asked to stop (SIGTERM, or SIGHUP when its terminal closed).

    Raised from the signal handler, so that every write in progress cleans up as it does
    for Ctrl-C: its temporary file is removed and the record is left as it was.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


def _prepare_process() -> None:
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            with contextlib.suppress(ValueError):  # only the main thread may set handlers
                signal.signal(getattr(signal, name), _stop)
    # A terminal that cannot show a character (a name in cp1252) shows a replacement
    # rather than stopping the command.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _say(line: str) -> None:
    """One line on stderr, through the console (imported only when something is shown)."""
    from reunify.cli.console import err

    err.print(line)


# The options that do not spell their field's name: field -> option (else --field-name).
# A field is the name a caller from Python gives it (the recording function's argument).
OPTIONS: dict[str, str] = {
    "since": "--from", "people": "--with", "recipients": "--for", "parents": "--parent",
    "attendees": "--attendee", "others": "--other", "factors": "--factor", "risk_factors": "--risk-factor",
    "protective_factors": "--protective-factor", "strengths": "--strength", "concerns": "--concern",
    "steps": "--step", "ratings": "--rating", "notes": "--note", "members": "--member", "visitors": "--visitor",
}
# A command that spells a field its own way: command -> {field: option}, before OPTIONS.
COMMAND_OPTIONS: dict[str, dict[str, str]] = {
    "new": {"child_name": "--child", "legal_status_from": "--legal-status date",
            "placement_from": "--placement date"},
    "relationship": {"since": "--since"},
    "team add": {"member": "--id"},
    "person add": {"person": "--id"},
    "person change": {"risk_to_child": "--risk-to-child/--no-risk-to-child"},
    "household add": {"household": "--id"},
}
# A field named in a message: `by`, `recommended_by`; an argument as its help names it: `MEMBER`.
_FIELD = r"`([a-z][a-z0-9_]*|[A-Z][A-Z0-9_]*)`"  # compiled when an error is shown


def shown(error: Exception | str, command: str = "") -> str:
    """An error (or a refusal's reason) as the command line shows it: each field it names
    as `command`'s option for it (`date` as `--date`, `since` as `--from`); an argument's
    name (MEMBER) as it is."""
    own = COMMAND_OPTIONS.get(command, {})

    def option(found: re.Match[str]) -> str:
        name = found[1]
        if name.isupper():
            return name
        return own.get(name) or OPTIONS.get(name) or "--" + name.replace("_", "-")

    return re.sub(_FIELD, option, str(error))


def _command(argv: list[str]) -> str:
    """The command being run, as COMMAND_OPTIONS names it: "relationship", "team add"."""
    words = [word for word in argv if not word.startswith("-")][:2]
    return " ".join(words) if " ".join(words) in COMMAND_OPTIONS else "".join(words[:1])


def main(argv: list[str] | None = None) -> int:
    import typer
    import typer.main
    from typer._click import exceptions as click_exceptions

    _prepare_process()
    command = typer.main.get_command(app)
    running = _command(sys.argv[1:] if argv is None else argv)
    try:
        result = command.main(args=argv, prog_name="reunify", standalone_mode=False)
    except Refused as exc:
        from reunify.cli.console import err
        from reunify.cli.console import escape
        from reunify.cli.console import escape_line

        err.print(f"refused: {escape_line(shown(exc, running))}", soft_wrap=True)
        for reason in exc.reasons:
            err.print(f"  - {escape(shown(reason, running))}", soft_wrap=True)
        code = exc.exit_code
    except ReunifyError as exc:
        from reunify.cli.console import err
        from reunify.cli.console import escape_line

        err.print(f"error: {escape_line(shown(exc, running))}", soft_wrap=True)
        code = exc.exit_code
    except typer.Exit as exc:
        code = exc.exit_code
    except click_exceptions.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        _say("interrupted")
        code = 130
    except Stopped as exc:
        _say("stopped; nothing was left half-written")
        code = 128 + exc.signum
    except BrokenPipeError:
        code = 0
    except OSError as exc:
        # The file system said no (a full disk, a read-only folder, a missing folder):
        # what and where, never a traceback. Records are written whole or not at all.
        where = f"{exc.filename}: " if exc.filename else ""
        reason = (exc.strerror or type(exc).__name__).lower()
        from reunify.cli.console import err
        from reunify.cli.console import escape_line

        err.print(f"error: {escape_line(where)}{escape_line(reason)}; nothing was changed", soft_wrap=True)
        code = 2
    except Exception:
        if os.environ.get("REUNIFY_DEBUG"):
            raise
        _say("reunify: internal error; nothing was changed. Run again with REUNIFY_DEBUG=1 "
                  "to see the details for a bug report (they may include case data).")
        code = 3
    else:
        code = result if isinstance(result, int) else 0
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    return code


def run() -> None:
    sys.exit(main())
