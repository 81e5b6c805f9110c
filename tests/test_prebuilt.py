"""The bundled reference workflow, prebuilt: the same workflow as reading its YAML gives,
used by the commands while it is up to date, and never when anything it was built from
has changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from reunify.core.schema import Model
from reunify.engine.gates import gate_args
from reunify.workflow import prebuilt
from reunify.workflow.load import REFERENCE
from reunify.workflow.load import load_workflow_yaml
from tests.conftest import SAMPLES


class Elsewhere(Model):
    id: str


OUT_OF_DATE = "reunify/workflow/reference.prebuilt is out of date: run `make reference`"


def test_the_prebuilt_reference_is_up_to_date_and_the_same_as_its_yaml(tmp_path: Path) -> None:
    source, version = prebuilt.built_from()
    assert source == prebuilt.fingerprint(REFERENCE, gate_args()), OUT_OF_DATE
    fresh, problems = load_workflow_yaml(REFERENCE, gate_args())
    assert problems == []
    if version != msgspec.__version__:
        # Built with another msgspec than the one installed here: read from its YAML, as
        # on any install with a later msgspec; built with this one, it reads the same.
        assert prebuilt.read(REFERENCE, gate_args()) is None
        prebuilt.write(fresh, REFERENCE, gate_args(), tmp_path / "reference.prebuilt")
    found = prebuilt.read(REFERENCE, gate_args(), tmp_path / "reference.prebuilt"
                          if version != msgspec.__version__ else prebuilt.PREBUILT)
    assert found is not None, OUT_OF_DATE
    assert found == fresh, OUT_OF_DATE
    # What the engine works out from it is the same too.
    assert found.steps.keys() == fresh.steps.keys()
    assert [s.deadline for s in found.steps.values()] == [s.deadline for s in fresh.steps.values()]


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    reference, built = tmp_path / "reference.yaml", tmp_path / "reference.prebuilt"
    shutil.copyfile(REFERENCE, reference)
    workflow, problems = load_workflow_yaml(reference, gate_args())
    assert workflow is not None and not problems
    prebuilt.write(workflow, reference, gate_args(), built)
    assert prebuilt.read(reference, gate_args(), built) == workflow
    return reference, built


def test_a_changed_reference_is_read_from_its_yaml(tmp_path: Path) -> None:
    reference, built = _copy(tmp_path)
    reference.write_text(reference.read_text().replace("title:", "title:  ", 1))
    assert prebuilt.read(reference, gate_args(), built) is None


def test_other_gates_or_a_damaged_file_are_not_trusted(tmp_path: Path) -> None:
    reference, built = _copy(tmp_path)
    assert prebuilt.read(reference, {**gate_args(), "a_local_gate": None}, built) is None
    # A gate whose arguments are read by another model (here, one defined in this file).
    assert prebuilt.read(reference, {**gate_args(), "classification": Elsewhere}, built) is None
    data = built.read_bytes()
    head, _, body = data.partition(b"\n")
    built.write_bytes(head.replace(msgspec.__version__.encode(), b"0.0.1") + b"\n" + body)  # another msgspec wrote it
    assert prebuilt.built_from(built)[0] == prebuilt.fingerprint(reference, gate_args())
    assert prebuilt.read(reference, gate_args(), built) is None
    built.write_bytes(data[: len(data) // 2])  # cut short
    assert prebuilt.read(reference, gate_args(), built) is None
    built.write_bytes(b"")
    assert prebuilt.read(reference, gate_args(), built) is None
    built.unlink()
    assert prebuilt.read(reference, gate_args(), built) is None


READS = """
import contextlib, io, sys
from reunify.workflow import load
read = []
original = load.load_workflow_yaml
load.load_workflow_yaml = lambda path, gates: read.append(path.name) or original(path, gates)
from reunify.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["next", sys.argv[1], "--today", "2026-11-23"])
print(code, read, "Reunification planning review" in out.getvalue())
"""


def test_next_uses_the_prebuilt_reference() -> None:
    if prebuilt.built_from()[1] != msgspec.__version__:
        pytest.skip("the prebuilt reference was built with another msgspec; here it reads the YAML")
    result = subprocess.run([sys.executable, "-c", READS, str(SAMPLES / "03-medium-agreement-review")],
                            capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "[]", "True"], result.stdout + result.stderr
