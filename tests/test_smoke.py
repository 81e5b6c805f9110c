from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Result


def test_next_on_a_new_case_names_the_next_step(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case()
    result = cli("next", folder)
    assert result.code == 0, result.err
    assert "Discuss the child with the QARO" in result.out
    assert "Sam Rivers" in result.out
