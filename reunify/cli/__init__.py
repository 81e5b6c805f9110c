"""The command line: thin commands over the core, and the one place exits are decided.

Exit status: 0 clean, 1 problems found or a recording refused, 2 the command could not
run, 3 a bug (its traceback is shown only with REUNIFY_DEBUG=1), 130 interrupted.
"""

from __future__ import annotations

import os
import sys

from reunify.cli import anonymise as anonymise
from reunify.cli import caseload as caseload
from reunify.cli import documents as documents
from reunify.cli import history as history
from reunify.cli import read as read
from reunify.cli import record as record
from reunify.cli import timeline as timeline
from reunify.cli import walkthrough as walkthrough
from reunify.cli import workflow as workflow
from reunify.cli.app import app
from reunify.problems import Refused
from reunify.problems import ReunifyError

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    import typer
    import typer.main
    from typer._click import exceptions as click_exceptions

    from reunify.cli.console import err
    from reunify.cli.console import escape

    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="reunify", standalone_mode=False)
    except Refused as exc:
        err.print(f"refused: {escape(str(exc))}", soft_wrap=True)
        for reason in exc.reasons:
            err.print(f"  - {escape(reason)}", soft_wrap=True)
        code = exc.exit_code
    except ReunifyError as exc:
        err.print(f"error: {escape(str(exc))}", soft_wrap=True)
        code = exc.exit_code
    except typer.Exit as exc:
        code = exc.exit_code
    except click_exceptions.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        err.print("interrupted")
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception:
        if os.environ.get("REUNIFY_DEBUG"):
            raise
        err.print("reunify: internal error; nothing was changed. Run again with REUNIFY_DEBUG=1 "
                  "to see the details for a bug report (they may include case data).")
        code = 3
    else:
        code = result if isinstance(result, int) else 0
    sys.stdout.flush()
    return code


def run() -> None:
    sys.exit(main())
