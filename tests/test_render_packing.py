"""A rendered document is a sound Word archive, the same however often its template is used
(the parts a rendering never changes are deflated once per template)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document

from reunify.documents.render import build_context
from reunify.documents.render import case_documents
from reunify.documents.render import template_path
from reunify.documents.render import with_genogram
from reunify.documents.templating import CompiledTemplate
from reunify.documents.templating import Properties
from tests.conftest import SAMPLES

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
