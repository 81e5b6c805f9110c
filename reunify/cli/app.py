"""The typer application and the options every command shares."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from reunify.cli.commands import LazyCommands
from reunify.core.dates import parse_iso_date
from reunify.core.errors import ReunifyError

app = typer.Typer(
    name="reunify",
    cls=LazyCommands,  # each command imported when it is run
    help="Run the NSPCC Reunification Practice Framework on case folders of YAML records.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version

        try:
            number = version("reunify")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        print(f"reunify {number}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Run the NSPCC Reunification Practice Framework on case folders of YAML records."""

Today = Annotated[
    str | None,
    typer.Option("--today", envvar="REUNIFY_TODAY", metavar="YYYY-MM-DD",
                 help="The day to work out deadlines for (default: the real today)."),
]
CaseFolder = Annotated[Path, typer.Argument(help="The case folder (default: the current folder).",
                                            show_default=False)]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
When = Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="When it happened.")]
By = Annotated[str, typer.Option("--by", help="Who: a team member's id or name (default: the one member on the case with the role it needs).")]


def resolve_today(value: str | None) -> dt.date:
    """The injected day, or the clock's: the only place that reads the clock."""
    if value is None or not value.strip():
        return dt.date.today()
    try:
        return parse_iso_date(value.strip())
    except ValueError as exc:
        source = "--today" if os.environ.get("REUNIFY_TODAY") != value else "REUNIFY_TODAY"
        raise ReunifyError(f"{source}: {exc}") from None


def parse_date(option: str, value: str) -> dt.date:
    try:
        return parse_iso_date(value.strip())
    except ValueError as exc:
        raise ReunifyError(f"{option}: {exc}") from None


def lazy_module(name: str) -> ModuleType:
    """`name`, loaded when one of its attributes is first used (the standard library's
    LazyLoader recipe): a command's core costs the start-up of every other command nothing."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
