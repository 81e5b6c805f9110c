"""Work on many items in worker processes, one way for every command that does.

The items are cut into chunks, a few per worker, and the results come back in the items'
order. Below `least` items, or with one worker, the work is done here: starting processes
would cost more than it saves. A worker that dies (killed, out of memory) loses nothing:
the chunks not yet back are done again in this process, so the result is the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def workers_for(items: int, asked: int | None = None) -> int:
    """The worker processes to use: as asked, else one per CPU; never more than the items."""
    return max(1, min(items, asked or os.cpu_count() or 1))


def chunked(work: Callable[[list[T]], list[R]], items: Sequence[T], *, least: int,
            workers: int | None = None, per_worker: int = 4, smallest: int = 8) -> Iterator[R]:
    """`work` (a module-level function, so that it can be sent to a process) applied to
    chunks of `items`, each result yielded in the items' order."""
    count = workers_for(len(items), workers)
    if count <= 1 or len(items) < least:
        yield from work(list(items))
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(smallest, len(items) // (count * per_worker))
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)]
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=count) as pool:
            for results in pool.map(work, chunks):
                yield from results
                done += 1
    except BrokenProcessPool:  # a worker died: what it held is done here instead
        for chunk in chunks[done:]:
            yield from work(chunk)
