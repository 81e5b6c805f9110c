"""A rendered document is a sound Word archive, the same however often its template is used
(the parts a rendering never changes are deflated once per template)."""

from __future__ import annotations

import datetime as dt
import gc
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document

from reunify.documents.render import build_context
from reunify.documents.render import case_documents
from reunify.documents.render import template_path
from reunify.documents.render import with_genogram
from reunify.documents.templating import CompiledTemplate
from reunify.documents.templating import Properties
from tests.conftest import SAMPLES
from tests.conftest import Result

DAY = dt.date(2026, 11, 23)


def test_a_template_used_again_writes_the_same_sound_archive() -> None:
    documents = case_documents(SAMPLES / "03-medium-agreement-review", DAY)
    assert documents.source is not None
    source = with_genogram(documents.source)
    properties = Properties(title="t", author="a", subject="s", day=DAY)
    for name in ("return_home_assessment", "cpag_pack", "genogram"):
        template = CompiledTemplate.load(template_path(name))  # a fresh one: nothing deflated yet
        first, again = (template.render(build_context(source, name), properties) for _ in range(2))
        archives = [zipfile.ZipFile(io.BytesIO(data)) for data in (first, again)]
        for archive in archives:
            assert archive.testzip() is None, name
            Document(io.BytesIO(first if archive is archives[0] else again))  # Word's reader opens it
        members = [[(i.filename, i.CRC, i.file_size, i.compress_size, i.compress_type) for i in a.infolist()]
                   for a in archives]
        assert members[0] == members[1], name
        assert "word/styles.xml" in {m[0] for m in members[0]}


def test_a_template_prepared_before_the_workers_start_renders_as_one_that_was_not() -> None:
    """`render` compiles each template once before forking its workers: the workers then
    compile nothing, and write what a template compiled as it went would have written."""
    documents = case_documents(SAMPLES / "03-medium-agreement-review", DAY)
    assert documents.source is not None
    source = with_genogram(documents.source)
    properties = Properties(title="t", author="a", subject="s", day=DAY)
    for name in ("return_home_assessment", "genogram", "chronology"):
        prepared, fresh = (CompiledTemplate.load(template_path(name)) for _ in range(2))
        prepared.prepare()
        compiled = dict(prepared.parts)
        assert compiled and prepared.packed, name
        written = [t.render(build_context(source, name), properties) for t in (prepared, fresh)]
        assert prepared.parts == compiled, name  # nothing left to compile
        archives = [zipfile.ZipFile(io.BytesIO(data)) for data in written]
        assert [(i.filename, i.CRC, i.file_size, i.compress_size) for i in archives[0].infolist()] == [
            (i.filename, i.CRC, i.file_size, i.compress_size) for i in archives[1].infolist()], name


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_documents_rendered_by_forked_workers_are_those_rendered_in_one_process(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    """With workers, the templates are compiled here before the workers are forked (and
    what this process holds is frozen for the collector): they write, part for part, what
    this process writes alone."""
    for name in ("03-medium-agreement-review", "06-home-under-care-order"):
        shutil.copytree(SAMPLES / name, tmp_path / "cases" / name)
    written = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        result = cli("render", tmp_path / "cases", "--out", out, "--jobs", jobs)
        assert result.code == 0, result.out
        written[jobs] = {str(p.relative_to(out)): _parts(p) for p in sorted(out.rglob("*.docx"))}
    assert len(written["1"]) > 12
    assert written["2"] == written["1"]
    assert gc.get_freeze_count() == 0  # nothing left frozen here
