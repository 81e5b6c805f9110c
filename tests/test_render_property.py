"""Any text a practitioner can type comes out in the documents, cleaned but otherwise as typed.

Hypothesis writes arbitrary text (control characters, right-to-left scripts, emoji,
combining marks, XML and Jinja punctuation) into free-text fields of a copy of sample
03, which has every document ready; every document is rendered and read back.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from reunify.documents.catalogue import DOCUMENTS
from reunify.documents.context import clean_text
from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from reunify.records.values import visible
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.test_documents import joined
from tests.test_documents import normalise
from tests.test_documents import open_docx

DAY = dt.date.fromisoformat(TODAY)
SAMPLE = SAMPLES / "03-medium-agreement-review"

# The fields the text goes into, and the documents each one certainly shows in.
FIELDS: list[tuple[str, tuple[str | int, ...], tuple[str, ...]]] = [
    ("case.yaml", ("reference",), tuple(d for d in DOCUMENTS if d != "pwp_front_sheet")),  # every footer
    ("people.yaml", ("people", 1, "name"), ("genogram", "return_home_assessment", "parental_agreement")),
    # (Kerry, who is drawn in the genogram too)
    ("chronology.yaml", ("entries", 0, "event"), ("chronology", "chronology_court", "return_home_assessment")),
    ("assessment.yaml", ("child_views",), ("return_home_assessment", "cpag_pack")),
    ("risk.yaml", ("classifications", 0, "rationale"), ("risk_classification",)),  # never to the child
    ("risk.yaml", ("classifications", 0, "for_child"), ("young_persons_report",)),
    ("agreement.yaml", ("parents", 0, "goals", 0, "change"), ("parental_agreement", "cpag_pack")),
    ("plan.yaml", ("contingency",), ("reunification_plan", "parental_agreement", "cpag_pack")),
    ("plan.yaml", ("transition", 0, "step"), ("reunification_plan",)),
]

AWKWARD = list("&<>\"'{}%#\\\t\n\r \x00\x01\x0b\x0c\x1f\x7f\x85\x9f\xa0\xad\u200b\u200f\u2028\u2029\ufeff\ufffe\uffff"
               "😀👨‍👩‍👧مرحباשלוםé\u0301\u0308")
TEXT = st.text(alphabet=st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(AWKWARD)),
               min_size=1, max_size=40)


def expected(text: str) -> str:
    """What a document shows of `text`: records strip it, rendering cleans it."""
    return normalise(clean_text(text.strip()))


def worth_trying(text: str) -> bool:
    # Text fields may not be blank, a name needs a character that shows (not only a soft
    # hyphen or a zero-width space: records/values.py), and a text that is nothing but
    # characters XML cannot hold would show as nothing and prove nothing.
    return bool(text.strip()) and bool(visible(text)) and bool(expected(text))


class SampleCopy:
    """Sample 03's records, loaded once, written into a fresh folder with fields replaced."""

    def __init__(self) -> None:
        self.yaml = YAML()
        self.yaml.width = 10**9  # never fold a long value
        self.records: dict[str, Any] = {
            name: self.yaml.load((SAMPLE / name).read_text(encoding="utf-8")) for name in {f[0] for f in FIELDS}}

    def write(self, folder: Path, text: str) -> Path:
        shutil.copytree(SAMPLE, folder)
        for name, path, _ in FIELDS:
            node = self.records[name]
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = DoubleQuotedScalarString(text)
        for name, data in self.records.items():
            with (folder / name).open("w", encoding="utf-8") as handle:
                self.yaml.dump(data, handle)
        return folder


COPY = SampleCopy()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXT.filter(worth_trying))
def test_any_text_in_the_records_shows_in_the_documents(text: str, tmp_path: Path) -> None:
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    folder = COPY.write(work / "case", text)
    documents = case_documents(folder, DAY)
    assert documents.problems == []
    held = {a.document: a.problems for a in documents.available if not a.ready}
    assert set(held) <= {"pwp_front_sheet"}  # Maisie is accommodated under section 20
    written = {w.document: w.path for w in render_case(documents, work / "out")}
    assert set(written) == set(DOCUMENTS) - {"pwp_front_sheet"}
    shown = {document: joined(path) for document, path in written.items()}
    want = expected(text)
    for name, path, in_documents in FIELDS:
        for document in in_documents:
            assert want in shown[document], (name, path, document)
    title = open_docx(written["chronology"]).core_properties.title
    assert normalise(title).endswith(want)
    shutil.rmtree(work)
