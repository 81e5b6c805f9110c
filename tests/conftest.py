"""Shared fixtures: case folders from inline YAML, and the CLI run in-process."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from reunify.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "reunify" / "sample_cases"
TODAY = "2026-11-23"

# A small, valid, fictional case at the start of the assessment stage.
BASE: dict[str, str] = {
    "case.yaml": """\
        # A fictional case for tests.
        reference: TEST-001
        child: ella
        legal_status:
          - code: V2
            from: 2026-06-01
        placements:
          - code: U6
            from: 2026-06-01
        home: flat
        team:
          - id: sw
            name: Sam Rivers
            role: social_worker
          - id: tm
            name: Tara Moss
            role: team_manager
          - id: sm
            name: Sol Marsh
            role: service_manager
          - id: cr
            name: Cal Reed
            role: chronologist
        """,
    "people.yaml": """\
        people:
          - id: ella
            name: Ella Stone
            sex: female
            born: 2017-04-09
            parents: [jo]
          - id: jo
            name: Jo Stone
            sex: female
            born: 1991-02-14
        households:
          - id: flat
            name: Jo's flat
            members: [jo]
        """,
    "events.yaml": """\
        # Steps done so far.
        steps:
          - step: identify
            date: 2026-09-01
            by: sw
        meetings:
          - meeting: cic_review
            date: 2026-06-26
          - meeting: cic_review
            date: 2026-09-15
        """,
}


def write_case(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def make_case(tmp_path: Path) -> Callable[..., Path]:
    """Build a case folder from BASE, with files replaced or added by keyword."""

    def build(name: str = "case", **files: str | None) -> Path:
        merged = dict(BASE)
        for key, text in files.items():
            file_name = key.replace("_yaml", ".yaml")
            if text is None:
                merged.pop(file_name, None)
            else:
                merged[file_name] = text
        return write_case(tmp_path / name, merged)

    return build


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `reunify ARGS` in this process; --today defaults to the fixed test day."""

    def run(*args: str | Path, today: str | None = TODAY) -> Result:
        argv = [str(a) for a in args]
        if today is not None and "--today" not in argv:
            argv += ["--today", today]
        capsys.readouterr()
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, to prove that a command changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
