"""When the cyclic garbage collector runs: paused through start-up and while a file is read.

Start-up (typer, the models, the workflow) makes a few hundred thousand objects that live
as long as the process, and no garbage cycles. Collecting while they are made, and once
more at exit, walks all of them again and again: about a tenth of `reunify next`. So the
`reunify` process starts with the collector paused (`pause`, in `reunify.__main__`);
once the command's modules are loaded (`reunify.cli.commands`), `resume` freezes what
start-up made, out of every later collection, and collecting resumes for what the
command itself makes. Reading a file (`paused`) makes many objects and no cycles too.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_paused_for_start_up = False


def pause() -> None:
    """Pause the collector for start-up (a process's first step), until `resume`."""
    global _paused_for_start_up
    if gc.isenabled():
        gc.disable()
        _paused_for_start_up = True


def resume() -> None:
    """Start-up is over: freeze what it made and collect again. Nothing if `pause` did not
    pause (a program that runs commands in its own process keeps its collector as it is)."""
    global _paused_for_start_up
    if _paused_for_start_up:
        _paused_for_start_up = False
        gc.freeze()
        gc.enable()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No collection while a file is read: a long file makes many objects and no cycles,
    and collecting as they are made grows the time per entry."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
