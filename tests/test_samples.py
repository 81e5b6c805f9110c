"""The bundled samples: fictional, clean (unless their README says otherwise), round-trip safe."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reunify.core.yamlio import round_trip_text
from tests.conftest import SAMPLES
from tests.conftest import Result

# A sample is a case folder (case.yaml) or a family folder of sibling cases (family.yaml).
SAMPLE_DIRS = sorted(p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file() or (p / "family.yaml").is_file())


def test_there_are_eight_samples_each_with_a_readme() -> None:
    assert len(SAMPLE_DIRS) == 8
    assert [p.name for p in SAMPLE_DIRS if (p / "family.yaml").is_file()] == ["08-sibling-group"]
    for folder in SAMPLE_DIRS:
        assert (folder / "README.md").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("path", sorted(SAMPLES.rglob("*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_loading_and_saving_unchanged_gives_identical_bytes(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_bytes().decode("utf-8")
    assert round_trip_text(text) == text


def test_samples_check_clean_except_where_their_readme_says(cli: Callable[..., Result]) -> None:
    for folder in SAMPLE_DIRS:
        result = cli("check", folder)
        deliberate = "deliberately" in (folder / "README.md").read_text(encoding="utf-8").lower()
        if not deliberate:
            assert result.code == 0, result.out
            assert " error: " not in result.out
