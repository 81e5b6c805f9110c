"""Work shared among worker processes gives what one process gives, even when a worker dies;
what is made of a file is kept only while the file is unchanged."""

from __future__ import annotations

import os
from pathlib import Path

from reunify.core.files import FileCache
from reunify.core.parallel import chunked
from reunify.core.parallel import workers_for

PARENT = os.getpid()


def squares(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


def where(chunk: list[int]) -> list[int]:
    """The process each item was worked on in."""
    return [os.getpid()] * len(chunk)


def squares_dying_on_13(chunk: list[int]) -> list[int]:
    if 13 in chunk and os.getpid() != PARENT:
        os._exit(1)  # a worker killed part way: out of memory, or by a signal
    return squares(chunk)


def test_results_come_back_in_the_items_order_from_several_processes() -> None:
    items = list(range(100))
    assert list(chunked(squares, items, least=10, workers=2, smallest=1)) == [n * n for n in items]
    assert PARENT not in set(chunked(where, items, least=10, workers=2, smallest=1))


def test_a_worker_that_dies_loses_nothing() -> None:
    items = list(range(100))
    assert list(chunked(squares_dying_on_13, items, least=10, workers=2, smallest=1)) == [n * n for n in items]


def test_few_items_are_done_in_this_process() -> None:
    assert list(chunked(where, [12, 13], least=10, workers=2)) == [PARENT, PARENT]
    assert list(chunked(where, list(range(100)), least=10, workers=1)) == [PARENT] * 100


def test_never_more_workers_than_items() -> None:
    assert workers_for(3, 8) == 3
    assert workers_for(0) == 1


def test_a_file_cache_makes_a_changed_file_again(tmp_path: Path) -> None:
    """What is made of a file (a workflow, a compiled template) is kept while the file is
    unchanged, and made again once it changes, even within the same second."""
    made: list[str] = []

    def make(path: Path) -> str:
        made.append(path.read_text())
        return made[-1]

    cache = FileCache(make)
    path = tmp_path / "workflow.yaml"
    path.write_text("stages: []\n")
    assert cache.get(path) == cache.get(path) == "stages: []\n"
    path.write_text("stages: [assessment]\n")
    assert cache.get(path) == "stages: [assessment]\n"
    assert made == ["stages: []\n", "stages: [assessment]\n"]
