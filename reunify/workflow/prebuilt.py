"""The bundled reference workflow, read and checked once when it is built, not at every run.

Reading `reference.yaml` and checking it cost every command that evaluates a case more
than reading and checking the case itself. `reference.prebuilt` holds the checked
workflow as msgpack, behind a fingerprint of everything its reading depends on: the
YAML, the sources of the models and checks that read it (the gates' argument models
among them), the gates' names, and msgspec's version. A command uses it only when the fingerprint matches; anything
else (an edited `reference.yaml`, a changed model, another set of gates, a damaged file)
reads the YAML as before. `make reference` (tools/build_reference.py) writes it again,
and a test fails while it is out of date.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from pathlib import Path

import msgspec

from reunify.core.resources import WORKFLOWS
from reunify.core.resources import bundled
from reunify.core.schema import Model
from reunify.workflow.model import Workflow

PREBUILT = WORKFLOWS / "reference.prebuilt"

# What reading the reference depends on, besides the gates: the YAML, the workflow package
# (its models, grammar and checks), and the base the models and their check stand on.
_SOURCES = ("core/schema.py", "core/strict.py", "core/fastloader.py", "core/yamlio.py", "core/problems.py",
            "core/codes.py", "core/dates.py", "records/values.py", "records/validation.py")

GateArgs = Mapping[str, type[Model] | None]


def fingerprint(reference: Path, gates: GateArgs) -> bytes:
    """A hash of the reference, the code that reads and checks it (the modules of the gates'
    argument models too) and the gates' names."""
    digest = hashlib.sha256(reference.read_bytes())
    gate_modules = {sys.modules[args.__module__].__file__ for args in gates.values() if args is not None}
    sources = [*sorted(WORKFLOWS.glob("*.py")), *(bundled(*name.split("/")) for name in _SOURCES),
               *sorted(Path(found) for found in gate_modules if found)]
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    digest.update("\0".join(sorted(gates)).encode())
    return digest.hexdigest().encode()


def _head(reference: Path, gates: GateArgs) -> bytes:
    """The file's first line: the fingerprint, and the msgspec that wrote it (another reads
    the YAML: an install may have a later msgspec than the one the file was built with)."""
    return fingerprint(reference, gates) + b" msgspec " + msgspec.__version__.encode()


def built_from(prebuilt: Path = PREBUILT) -> tuple[bytes, str]:
    """The fingerprint `prebuilt` was built behind, and the msgspec version that wrote it."""
    head = prebuilt.read_bytes().partition(b"\n")[0]
    found, _, version = head.partition(b" msgspec ")
    return found, version.decode(errors="replace")


def read(reference: Path, gates: GateArgs, prebuilt: Path = PREBUILT) -> Workflow | None:
    """The prebuilt workflow, if it was built from what there is now; else None."""
    try:
        data = prebuilt.read_bytes()
        expected = _head(reference, gates)
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != expected:
        return None
    try:
        return msgspec.msgpack.decode(body, type=Workflow)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def write(workflow: Workflow, reference: Path, gates: GateArgs, prebuilt: Path = PREBUILT) -> None:
    """Write `workflow`, read and checked from `reference` with no problem, as prebuilt."""
    from reunify.core.files import write_atomic

    data = _head(reference, gates) + b"\n" + msgspec.msgpack.encode(workflow)
    write_atomic(prebuilt, data, mode=0o644)  # package data, read by whoever runs reunify
