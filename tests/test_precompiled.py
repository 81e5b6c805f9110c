"""The bundled templates' parts made ready for Jinja and compiled when they are built: the
same documents as made ready and compiled as they go, and never used for any other
template or when made by other code."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest

from reunify.core.resources import TEMPLATES
from reunify.documents import precompiled
from reunify.documents.render import build_context
from reunify.documents.render import case_documents
from reunify.documents.render import template_path
from reunify.documents.render import with_genogram
from reunify.documents.templating import CompiledTemplate
from reunify.documents.templating import Properties
from tests.conftest import SAMPLES

DAY = dt.date(2026, 11, 23)
OUT_OF_DATE = "reunify/templates/templates.precompiled is out of date: run `make precompiled`"
BUNDLED = sorted(TEMPLATES.glob("*.docx"))


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# Made with the Jinja, docxtpl and Python installed here (else each renders compiling as it goes).
MADE_HERE = precompiled.built()[1] == precompiled.made_with()
OTHER_VERSIONS = "templates.precompiled was made with other versions of Jinja, docxtpl or Python"


def test_the_precompiled_templates_are_made_by_the_code_there_is() -> None:
    assert precompiled.built()[0] == precompiled.fingerprint(), OUT_OF_DATE
    if not MADE_HERE:  # another install's versions: compiled as it goes, never the file's
        assert all(precompiled.ready_made(path.read_bytes()) is None for path in BUNDLED)


@pytest.mark.skipif(not MADE_HERE, reason=OTHER_VERSIONS)
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_each_bundled_template_is_precompiled_as_it_would_be_made_ready(path: Path) -> None:
    made = precompiled.ready_made(path.read_bytes())
    assert made is not None, OUT_OF_DATE
    ready, fresh = CompiledTemplate.load(path), CompiledTemplate.load(path, ready=False)
    fresh.prepare()
    assert ready.body == fresh.body, OUT_OF_DATE
    assert ready.stories == fresh.stories, OUT_OF_DATE
    assert set(ready.code) == set(fresh.parts), OUT_OF_DATE


@pytest.mark.skipif(not MADE_HERE, reason=OTHER_VERSIONS)
@pytest.mark.parametrize("name", ["return_home_assessment", "genogram", "chronology", "cpag_pack"])
def test_a_precompiled_template_writes_the_document_one_compiled_as_it_goes_writes(name: str) -> None:
    documents = case_documents(SAMPLES / "03-medium-agreement-review", DAY)
    assert documents.source is not None
    source = with_genogram(documents.source)
    properties = Properties(title="t", author="a", subject="s", day=DAY)
    ready, fresh = CompiledTemplate.load(template_path(name)), CompiledTemplate.load(template_path(name), ready=False)
    assert ready.code and not fresh.code
    written = [t.render(build_context(source, name), properties) for t in (ready, fresh)]
    assert _parts(written[0]) == _parts(written[1])
    assert not fresh.code and set(ready.parts) == set(fresh.parts)


def test_parts_made_by_other_code_or_damaged_are_not_used(tmp_path: Path) -> None:
    path = BUNDLED[0]
    source = path.read_bytes()
    data = json.loads(zlib.decompress(precompiled.PRECOMPILED.read_bytes()))
    other = tmp_path / "other.precompiled"
    other.write_bytes(zlib.compress(json.dumps({**data, "fingerprint": "made by other code"}).encode()))
    versions = tmp_path / "versions.precompiled"
    versions.write_bytes(zlib.compress(json.dumps({**data, "made_with": "Jinja 2.0"}).encode()))
    damaged = tmp_path / "damaged.precompiled"
    damaged.write_bytes(precompiled.PRECOMPILED.read_bytes()[:-100])
    for found in (other, versions, damaged, tmp_path / "missing.precompiled"):
        assert precompiled.ready_made(source, found) is None
    assert (precompiled.ready_made(source) is not None) == MADE_HERE
    # An authority's template, another than the bundled one, is made ready as it goes.
    assert precompiled.ready_made(source + b"\0") is None
