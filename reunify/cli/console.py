"""The only module that imports rich: one console for output, one for errors.

Everything shown goes through here, so that width (80 columns when piped), colour (off
when NO_COLOR is set or output is not a terminal) and escaping are decided in one place.
Rich is imported when it has something to draw: text, `bullets` and `rows` piped to a file
or another program are drawn as rich would draw them, without it (reunify.cli.plain),
unless they hold what only rich draws (an emoji code, a character wider than one cell);
a `table` is always rich's.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any
from typing import TextIO

from reunify.cli import plain
from reunify.core.problems import Problem

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["Table", "bullets", "err", "escape", "escape_line", "inert", "out", "print_json", "print_problems",
           "progress", "rows", "table"]

_PIPED_WIDTH = 80

# Characters a terminal acts on rather than shows: C0 and C1 controls (escape sequences
# can set a window's title, clear the screen or hide text), DEL, and the bidirectional
# overrides and isolates (which make text read other than it is). Written out by
# str.translate, which needs no regular expression compiled at start-up.
_ACTED_ON = (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
             *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_BREAKS = (0x09, 0x0A, 0x2028, 0x2029)  # tab, line feed, line and paragraph separators


def _written_out(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_INERT = {code: _written_out(code) for code in _ACTED_ON}
_INERT_ON_ONE_LINE = {**_INERT, **{code: _written_out(code) for code in _BREAKS}}


# What json.dumps(ensure_ascii=False) leaves raw that a terminal would act on.
_JSON_UNSAFE = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def inert(text: str, *, one_line: bool = False) -> str:
    """`text` with every character a terminal would act on written out as an escape
    (ESC as \\x1b); with `one_line`, line breaks and tabs too, so that a value cannot
    start a line of its own (a path with a newline cannot forge a diagnostic)."""
    return text.translate(_INERT_ON_ONE_LINE if one_line else _INERT)


# rich.markup.escape's pattern: what rich would read as a tag, with its backslashes.
_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def escape_markup(text: str) -> str:
    """`text` that rich prints as it is (rich.markup.escape, without importing rich)."""
    text = _MARKUP_TAG.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", text)
    return text + "\\" if text.endswith("\\") and not text.endswith("\\\\") else text


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


def _unstyled(stream: TextIO) -> bool:
    """Whether rich would draw no style on `stream`, 80 columns wide: it is no terminal
    and neither TTY_COMPATIBLE nor FORCE_COLOR says otherwise (rich's Console.is_terminal),
    and this is not a notebook (rich draws there as on a terminal)."""
    if hasattr(builtins, "get_ipython") or stream.isatty():
        return False
    compatible, force = os.environ.get("TTY_COMPATIBLE", ""), os.environ.get("FORCE_COLOR")
    return compatible == "0" or (compatible != "1" and not force)


class _Console:
    """Rich's console, made when something needs it; until then text that rich would
    draw without a style is written as rich would write it (reunify.cli.plain)."""

    def __init__(self, stderr: bool) -> None:
        stream = sys.stderr if stderr else sys.stdout
        self._file = _TrimmedLines(stderr)
        self._width = None if stream.isatty() else _PIPED_WIDTH
        self._plain = self._width is not None and _unstyled(stream)
        self._rich: Console | None = None

    @property
    def rich(self) -> Console:
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(file=self._file, width=self._width, highlight=False,  # type: ignore[arg-type]
                                 soft_wrap=False)
        return self._rich

    def print(self, *objects: Any, soft_wrap: bool = False, **options: Any) -> None:
        lines = self._plain_lines(objects, soft_wrap) if self._plain and not options else None
        if lines is None:
            self.rich.print(*objects, soft_wrap=soft_wrap, **options)
        else:
            self._file.write("".join(line + "\n" for line in lines))
            self._file.flush()

    def _plain_lines(self, objects: tuple[Any, ...], soft_wrap: bool) -> list[str] | None:
        assert self._width is not None
        if not objects:
            return [""]
        if len(objects) > 1:
            return None
        if isinstance(objects[0], str):
            return plain.text_lines(objects[0], self._width, soft_wrap)
        if isinstance(objects[0], Bullets | Rows):
            return objects[0].plain_lines(self._width)
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)


out = _Console(stderr=False)
err = _Console(stderr=True)


def print_json(data: Any) -> None:
    """JSON on stdout, unstyled, one document."""
    import json  # only for --json

    # json escapes C0 controls itself; DEL, C1 controls and bidi overrides are escaped here
    # the JSON way (\\u009b), which any reader turns back into the same text.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    sys.stdout.write(re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def __getattr__(name: str) -> Any:
    if name == "Table":  # rich's, imported when a command draws one of its own
        from rich.table import Table

        return Table
    raise AttributeError(name)


def table(*columns: str) -> Table:
    from rich.table import Table

    grid = Table(show_edge=False, box=None, pad_edge=False,
                 header_style="bold", padding=(0, 2, 0, 0))
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


class Rows:
    """A table of text under a header, drawn as `table` draws it (rows are markup): rich's
    table when rich draws it, else the same lines drawn without rich."""

    def __init__(self, header: Sequence[str]) -> None:
        self.header, self.rows = list(header), list[list[str]]()

    def add_row(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def plain_lines(self, width: int) -> list[str] | None:
        return plain.table_lines(self.header, self.rows, width)

    def __rich__(self) -> Table:
        grid = table(*self.header)
        for row in self.rows:
            grid.add_row(*row)
        return grid


def rows(*header: str) -> Rows:
    """A table of text under `header`, as `table` makes, that piped output draws without rich."""
    return Rows(header)


class Bullets:
    """A list whose wrapped lines stay indented under their text (items are markup):
    rich's grid when rich draws it, else the same lines drawn without rich."""

    def __init__(self, items: Sequence[str], indent: int) -> None:
        self.items, self.indent = list(items), indent

    def plain_lines(self, width: int) -> list[str] | None:
        return plain.bullet_lines(self.items, self.indent, width) if self.items else None

    def __rich__(self) -> Table:
        from rich.table import Table

        grid = Table.grid(padding=(0, 1, 0, 0))
        if self.indent:
            grid.add_column(width=self.indent - 1)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for item in self.items:
            grid.add_row(*([""] if self.indent else []), "-", item)
        return grid


def bullets(items: list[str], indent: int = 0) -> Bullets:
    """A list whose wrapped lines stay indented under their text (items are markup)."""
    return Bullets(items, indent)


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
                   console=err.rich, transient=True, disable=not err.rich.is_terminal)
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
