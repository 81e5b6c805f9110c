"""`next`, `status` and `check` on every sample at fixed dates, against golden files.

After an intended change to the output, refresh them with `make golden` and read the diff.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.conftest import Result

GOLDEN = Path(__file__).resolve().parent / "golden"
# Each case: a sample's folder, or a child's folder in a family sample ("08-sibling-group/alfie").
SAMPLE_NAMES = sorted([p.name for p in SAMPLES.iterdir() if (p / "case.yaml").is_file()]
                      + [f"{p.parent.parent.name}/{p.parent.name}" for p in SAMPLES.glob("*/*/case.yaml")
                         if (p.parent.parent / "family.yaml").is_file()])
DATES = ["2026-11-23", "2027-03-01"]


@pytest.mark.parametrize("command", ["next", "status", "check"])
@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_golden_output(sample: str, command: str, cli: Callable[..., Result], update_golden: bool,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLES.parent)
    result = cli(command, f"sample_cases/{sample}", today=DATES[0])
    assert "Traceback" not in result.out + result.err
    text = f"$ reunify {command} sample_cases/{sample} --today {DATES[0]}\n[exit {result.code}]\n{result.out}"
    golden = GOLDEN / f"{sample.replace('/', '.')}.{command}.txt"
    if update_golden or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("today", ["2026-07-01", *DATES, "2028-01-01"])
@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_every_command_answers_at_any_date(sample: str, today: str, cli: Callable[..., Result]) -> None:
    folder = SAMPLES / sample
    for command in ("next", "status", "check"):
        for extra in ([], ["--json"]):
            result = cli(command, folder, *extra, today=today)
            assert result.code in (0, 1), result.err
            assert "Traceback" not in result.out + result.err
            if extra:
                json.loads(result.out)


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_next_json_names_steps_the_text_shows(sample: str, cli: Callable[..., Result]) -> None:
    data = json.loads(cli("next", SAMPLES / sample, "--json").out)
    text = cli("next", SAMPLES / sample).out
    for item in data["next"]:
        assert item["title"] in text
        assert item["command"].startswith("reunify ")
