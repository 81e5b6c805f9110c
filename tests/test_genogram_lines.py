"""The genogram's lines, pinned: every line that joins people, drawn for the sample cases and for twenty
generated families (bench/cases.py, its fixed seed), point by point, against
tests/golden/genogram_lines.json.

A change meant only to make drawing faster must draw exactly the same lines. After a
change meant to draw differently, refresh the file with `--update-golden` and look at the
pictures. Everyone is fictional.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from reunify.documents.genogram import Stroke
from reunify.documents.genogram import draw_genogram
from reunify.documents.genogram import layout_genogram
from reunify.records import load_case
from tests.conftest import ROOT
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden" / "genogram_lines.json"
TODAY = dt.date(2026, 11, 23)
GENERATED = 20


def bench_cases() -> ModuleType:
    """bench/cases.py, which makes fictional families of 5 to 20 people."""
    spec = importlib.util.spec_from_file_location("bench_cases", ROOT / "bench" / "cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_cases", module)
    spec.loader.exec_module(module)
    return module


def lines_of(folder: Path) -> list[list[Any]]:
    """Each line that joins people on the case's genogram (relationship, couple and child
    lines): its class, dash and points (to a hundredth of a unit)."""
    case, problems = load_case(folder)
    assert case is not None, problems
    return [[item.cls, item.dash, [[round(x, 2), round(y, 2)] for x, y in item.points]]
            for item in layout_genogram(case, TODAY).items if isinstance(item, Stroke) and item.ends]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Any]]]:
    """Lines by case: a sample by its folder ("08-sibling-group/alfie"), a generated family as "generated/case-0001"."""
    samples = {str(p.parent.relative_to(SAMPLES)): p.parent for p in SAMPLES.glob("**/case.yaml")}
    families = bench_cases().generate_cases(tmp_path_factory.mktemp("families"), GENERATED)
    folders = {**samples, **{f"generated/{folder.name}": folder for folder in families}}
    return {name: lines_of(folder) for name, folder in sorted(folders.items())}


def test_every_line_is_drawn_where_it_was(drawn: dict[str, list[list[Any]]], update_golden: bool) -> None:
    if update_golden or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(drawn, separators=(",", ":")) + "\n", encoding="utf-8")
    pinned = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(drawn) == sorted(pinned)
    for name, lines in drawn.items():
        assert len(lines) == len(pinned[name]), name
        for number, (line, was) in enumerate(zip(lines, pinned[name], strict=True)):
            assert line == was, f"{name}: line {number} ({was[0]}) is drawn differently"


def test_the_pinned_families_have_routed_lines(drawn: dict[str, list[list[Any]]]) -> None:
    """The families pinned include large ones with relationship lines taken round people."""
    generated = [lines for name, lines in drawn.items() if name.startswith("generated/")]
    assert len(generated) == GENERATED
    bent = [line for lines in generated for line in lines if line[0].startswith("tie") and len(line[2]) > 3]
    assert len(bent) > 20


def test_a_genogram_drawn_after_another_day_is_drawn_as_if_alone() -> None:
    """A case's documents draw its genogram for each day they show: what one drawing keeps
    for the next (routes, placements, lines and shapes) never shows in it."""
    folder = SAMPLES / "03-medium-agreement-review"
    case, problems = load_case(folder)
    assert case is not None, problems
    first, then = dt.date(2026, 11, 23), dt.date(2025, 3, 1)
    after = [draw_genogram(case, day, svg=False).png for day in (first, then)][-1]
    script = ("import datetime as dt, sys\n"
              "from pathlib import Path\n"
              "from reunify.records import load_case\n"
              "from reunify.documents.genogram import draw_genogram\n"
              "sys.stdout.buffer.write(draw_genogram(load_case(Path(sys.argv[1]))[0], dt.date(2025, 3, 1), svg=False).png)")
    alone = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, check=True).stdout
    assert after == alone
    assert draw_genogram(case, first, svg=False).png != alone  # ages on another day: another picture
