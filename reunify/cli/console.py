"""The only module that imports rich: one console for output, one for errors.

Everything shown goes through here, so that width (80 columns when piped), colour (off
when NO_COLOR is set or output is not a terminal) and escaping are decided in one place.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any
from typing import TextIO

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.table import Table

from reunify.core.problems import Problem

__all__ = ["Table", "bullets", "err", "escape", "escape_line", "inert", "out", "print_json", "print_problems",
           "progress", "table"]

_PIPED_WIDTH = 80

# Characters a terminal acts on rather than shows: C0 and C1 controls (escape sequences
# can set a window's title, clear the screen or hide text), DEL, and the bidirectional
# overrides and isolates (which make text read other than it is).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# What json.dumps(ensure_ascii=False) leaves raw that a terminal would act on.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, one_line: bool = False) -> str:
    """`text` with every character a terminal would act on written out as an escape
    (ESC as \\x1b); with `one_line`, line breaks and tabs too, so that a value cannot
    start a line of its own (a path with a newline cannot forge a diagnostic)."""
    return (_CONTROL_OR_BREAK if one_line else _CONTROL).sub(_shown, text)


def escape(text: str) -> str:
    """Text from records or paths, safe to print: no markup, nothing a terminal acts on."""
    return escape_markup(inert(text))


def escape_line(text: str) -> str:
    """As `escape`, on one line: for paths and fields that must not break a line."""
    return escape_markup(inert(text, one_line=True))


class _TrimmedLines:
    """A text stream that drops the spaces rich pads table rows with at line ends."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._pending = ""

    @property
    def _stream(self) -> TextIO:
        # Looked up on every write, so that a redirected sys.stdout is honoured. While a
        # progress bar runs, rich puts a proxy in sys.stderr that writes to this console:
        # write to what it proxies, or each write would come back here for ever.
        stream = sys.stderr if self._stderr else sys.stdout
        return getattr(stream, "rich_proxied_file", stream)

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        for line in lines:
            self._stream.write(line.rstrip(" ") + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else _PIPED_WIDTH
    return Console(file=_TrimmedLines(stderr), width=width, highlight=False, soft_wrap=False)  # type: ignore[arg-type]


out = _console(stderr=False)
err = _console(stderr=True)


def print_json(data: Any) -> None:
    """JSON on stdout, unstyled, one document."""
    # json escapes C0 controls itself; DEL, C1 controls and bidi overrides are escaped here
    # the JSON way (\\u009b), which any reader turns back into the same text.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def table(*columns: str) -> Table:
    grid = Table(show_edge=False, box=None, pad_edge=False,
                 header_style="bold", padding=(0, 2, 0, 0))
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


def bullets(items: list[str], indent: int = 0) -> Table:
    """A list whose wrapped lines stay indented under their text (items are markup)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    if indent:
        grid.add_column(width=indent - 1)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(*([""] if indent else []), "-", item)
    return grid


def print_problems(problems: list[Problem], indent: str = "") -> None:
    """One line per problem, path:line:col: severity: message, and its hint under it."""
    for p in problems:
        colour = {"error": "red", "warning": "yellow"}.get(str(p.severity), "cyan")
        # One line per problem, never wrapped: editors and CI read these locations.
        out.print(f"{indent}{escape_line(str(p.file))}:{p.line}:{p.column}: "
                  f"[{colour}]{p.severity}[/]: {escape_line(p.message)}", soft_wrap=True)
        if p.hint:
            out.print(f"{indent}    [dim]hint: {escape_line(p.hint)}[/]", soft_wrap=True)


@contextlib.contextmanager
def progress(description: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr while a batch runs (only on a terminal); yields `advance`."""
    from rich.progress import BarColumn
    from rich.progress import MofNCompleteColumn
    from rich.progress import Progress
    from rich.progress import TextColumn
    from rich.progress import TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True, disable=not err.is_terminal)
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
