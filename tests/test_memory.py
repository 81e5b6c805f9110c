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
from reunify.documents import batch

def rendered(job):  # what a worker process does, and whether it keeps freed memory
    outcome = render_job(job)
    outcome.error = json.dumps(memory._kept)
    return outcome

render_job, batch.render_job = batch.render_job, rendered

if __name__ == "__main__":  # a worker started afresh (not forked: Python 3.14's default) imports this file
    jobs = [batch.Job(folder=Path(sys.argv[1]), today=dt.date(2026, 11, 23), out=Path(sys.argv[2]) / str(n))
            for n in range(2)]
    alone = list(batch.render_many(jobs[:1], workers=1))
    workers = list(batch.render_many(jobs, workers=2))
    print(json.dumps({"alone": json.loads(alone[0].error), "workers": [json.loads(o.error) for o in workers],
                      "this process": memory._kept, "written": min(len(o.written) for o in alone + workers)}))
"""


def test_rendering_processes_keep_freed_memory_and_a_program_using_the_library_keeps_its_own(
        tmp_path: Path) -> None:
    folder = SAMPLES / "03-medium-agreement-review"
    script = tmp_path / "render.py"  # a file, not -c: workers that are not forked import it to find `rendered`
    script.write_text(RENDER)
    found = json.loads(subprocess.run([sys.executable, str(script), str(folder), str(tmp_path)],
                                      capture_output=True, text=True, check=True).stdout)
    assert found["written"] > 5
    assert found["workers"] == [True, True]  # the processes render_many starts
    assert found["alone"] is False and found["this process"] is False  # the caller's own


def test_the_render_command_keeps_freed_memory(tmp_path: Path) -> None:
    script = ("import sys\nfrom reunify.cli import main\nfrom reunify.core import memory\n"
              "code = main(['render', sys.argv[1], '--out', sys.argv[2], '--today', '2026-11-23', '--jobs', '1'])\n"
              "print(code, memory._kept)")
    done = subprocess.run([sys.executable, "-c", script, str(SAMPLES / "03-medium-agreement-review"),
                           str(tmp_path / "out")], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["0", "True"]
    assert any((tmp_path / "out").rglob("*.docx"))
