"""The command line: thin commands over the core, and the one place exits are decided.

Exit status: 0 clean, 1 problems found or a recording refused, 2 the command could not
run, 3 a bug (its traceback is shown only with REUNIFY_DEBUG=1), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

from reunify.cli.app import app
from reunify.core.errors import FieldError
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
OPTIONS: dict[str, str] = {}


def shown(error: Exception) -> str:
    """An error as the command line shows it: a field named by its option (`date` as
    `--date`); an argument's name (MEMBER) as it is."""
    if not isinstance(error, FieldError):
        return str(error)
    name = error.field
    option = name if name.isupper() else OPTIONS.get(name, "--" + name.replace("_", "-"))
    return option + error.rest


def main(argv: list[str] | None = None) -> int:
    import typer
    import typer.main
    from typer._click import exceptions as click_exceptions

    _prepare_process()
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="reunify", standalone_mode=False)
    except Refused as exc:
        from reunify.cli.console import err
        from reunify.cli.console import escape
        from reunify.cli.console import escape_line

        err.print(f"refused: {escape_line(str(exc))}", soft_wrap=True)
        for reason in exc.reasons:
            err.print(f"  - {escape(reason)}", soft_wrap=True)
        code = exc.exit_code
    except ReunifyError as exc:
        from reunify.cli.console import err
        from reunify.cli.console import escape_line

        err.print(f"error: {escape_line(shown(exc))}", soft_wrap=True)
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
