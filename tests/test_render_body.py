"""A rendered document's body is written as docxtpl's own way of putting it in place
leaves it (parsed alone, then moved into the document element), though it is parsed in
place: no namespace declared twice, pictures included. Everyone is fictional."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from tests.conftest import SAMPLES
from tests.conftest import TODAY


@pytest.mark.parametrize("sample", ["03-medium-agreement-review", "06-home-under-care-order"])
def test_every_body_is_written_as_moving_it_in_would_leave_it(sample: str, tmp_path: Path) -> None:
    written = render_case(case_documents(SAMPLES / sample, dt.date.fromisoformat(TODAY)), tmp_path)
    assert len(written) >= 10
    pictures = 0
    for document in written:
        with zipfile.ZipFile(document.path) as archive:
            xml = archive.read("word/document.xml")
        root = etree.fromstring(xml)
        body = root.find(qn("w:body"))
        assert body is not None
        pictures += len(body.findall(f".//{qn('w:drawing')}"))
        root.replace(body, etree.fromstring(etree.tostring(body)))  # docxtpl's map_tree
        assert etree.tostring(root, encoding="UTF-8", standalone=True) == xml, document.document
    assert pictures >= 3  # the genogram, in its own document, the assessment and the panel's pack
