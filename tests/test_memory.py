"""Rendering keeps the memory it frees for its next picture (reunify/core/memory.py).

Each case's genogram is painted on a canvas of some 37 MB. By default glibc gives such
memory back when it is freed, and the next canvas faults every page of it in again; a
rendering process asks glibc to keep it instead. Shown here by the page faults (not by
time) of a canvas allocated after one was freed, in a fresh process of its own.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                                reason="only glibc's allocator is told to keep freed memory")

CANVAS = """
import json, resource, sys
from PIL import Image

def faults_of_a_second_canvas():
    Image.new("RGB", (4800, 2000), "white")  # allocated, painted white, freed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    Image.new("RGB", (4800, 2000), "white")
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

by_default = faults_of_a_second_canvas()
from reunify.core.memory import keep_freed_memory
kept = keep_freed_memory()
faults_of_a_second_canvas()  # the first canvas after the change still comes from the system
print(json.dumps({"by_default": by_default, "kept": kept, "then": faults_of_a_second_canvas()}))
"""


def test_a_canvas_allocated_after_one_was_freed_reuses_its_memory() -> None:
    found = json.loads(subprocess.run([sys.executable, "-c", CANVAS], capture_output=True, text=True,
                                      check=True).stdout)
    assert found["kept"] is True
    pages = 4800 * 2000 * 4 // 4096  # Pillow holds RGB in four bytes a pixel
    assert found["by_default"] > pages // 2  # what it costs: most pages faulted in afresh
    assert found["then"] < pages // 10


RENDER = """
import datetime as dt, json, sys
from pathlib import Path
from reunify.core import memory
from reunify.documents.batch import Job, render_many

job = Job(folder=Path(sys.argv[1]), today=dt.date(2026, 11, 23), out=Path(sys.argv[2]))
before = memory._kept
outcomes = list(render_many([job], workers=1))
print(json.dumps({"before": before, "after": memory._kept, "written": len(outcomes[0].written)}))
"""


def test_rendering_keeps_freed_memory(tmp_path: Path) -> None:
    folder = SAMPLES / "03-medium-agreement-review"
    found = json.loads(subprocess.run([sys.executable, "-c", RENDER, str(folder), str(tmp_path)],
                                      capture_output=True, text=True, check=True).stdout)
    assert found == {"before": False, "after": True, "written": found["written"]} and found["written"] > 5
