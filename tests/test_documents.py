"""The framework documents rendered from the samples, read back as a reader sees them in Word.

Every document is reopened with python-docx and compared by the text of its paragraphs
and table cells (nested tables, headers and footers included), never by its bytes.
Expected values come from the sample's YAML records, loaded with `load_case`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import json
import re
import shutil
import stat
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from docxtpl import InlineImage

from reunify.documents.catalogue import DOCUMENTS
from reunify.documents.context import Picture
from reunify.documents.context import Source
from reunify.documents.render import BUNDLED_TEMPLATES
from reunify.documents.render import CaseDocuments
from reunify.documents.render import build_context
from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from reunify.documents.render import template_path
from reunify.documents.render import with_genogram
from reunify.documents.templating import Properties
from reunify.documents.templating import compiled_template
from reunify.documents.templating import environment
from reunify.practice.in_force import bundled
from reunify.practice.in_force import load_checked
from reunify.records import Case
from reunify.records import load_case
from reunify.workflow.load import WORKFLOWS
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result

DAY = dt.date.fromisoformat(TODAY)
# Every sample child: the single-child samples, and each child of the sibling group.
SAMPLE_DIRS = sorted([p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file()]
                     + [c for p in SAMPLES.iterdir() if (p / "family.yaml").is_file()
                        for c in p.iterdir() if (c / "case.yaml").is_file()])


def sample_key(folder: Path) -> str:
    """'03' for a single-child sample, '08-ruby' for a child of the sibling group."""
    return f"{folder.parent.name[:2]}-{folder.name}" if (folder.parent / "family.yaml").is_file() else folder.name[:2]
RAG = {"green": "● Green", "amber": "▲ Amber", "red": "■ Red"}
TAGS = ("{{", "}}", "{%", "%}")


# -- reading a Word document back --------------------------------------------------------


def open_docx(source: Path | bytes) -> WordDocument:
    return docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def _container_text(container: Any, found: list[str]) -> None:
    for paragraph in container.paragraphs:
        found.append(paragraph.text)
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                _container_text(cell, found)


def document_text(source: Path | bytes | WordDocument) -> list[str]:
    """The text of every paragraph and table cell: body, nested tables, headers, footers."""
    document = source if isinstance(source, WordDocument) else open_docx(source)
    found: list[str] = []
    _container_text(document, found)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                _container_text(part, found)
    return found


def normalise(text: str) -> str:
    return " ".join(text.split())


def joined(source: Path | bytes | WordDocument) -> str:
    """All of a document's text as one whitespace-normalised string, blocks apart."""
    return normalise("\n".join(document_text(source)))


def _tables(container: Any) -> Iterator[Table]:
    for table in container.tables:
        yield table
        for row in table.rows:
            for cell in row.cells:
                yield from _tables(cell)


def table_rows(source: Path | bytes | WordDocument) -> list[tuple[str, ...]]:
    """Every table row (nested tables too) as a tuple of whitespace-normalised cell texts."""
    document = source if isinstance(source, WordDocument) else open_docx(source)
    return [tuple(normalise(cell.text) for cell in row.cells) for table in _tables(document) for row in table.rows]


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "table"
    text: str = ""
    style: str = ""

    @property
    def heading_level(self) -> int | None:
        found = re.fullmatch(r"Heading (\d)", self.style)
        return int(found.group(1)) if found else None


def body_blocks(document: WordDocument) -> list[Block]:
    """The body's top-level paragraphs and tables, in reading order."""
    blocks = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            blocks.append(Block("paragraph", paragraph.text, paragraph.style.name if paragraph.style else ""))
        elif tag == "tbl":
            blocks.append(Block("table"))
    return blocks


def empty_headings(document: WordDocument) -> list[str]:
    """Headings with nothing under them: followed by a heading of the same or a higher
    level, or by the end of the document (empty paragraphs do not count as content)."""
    blocks = [b for b in body_blocks(document) if b.kind == "table" or b.text.strip()]
    empty = []
    for index, block in enumerate(blocks):
        level = block.heading_level
        if level is None:
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is None or (following.heading_level is not None and following.heading_level <= level):
            empty.append(block.text)
    return empty


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def whole_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_column(born: dt.date, on: dt.date) -> str:
    """The chronology's age column: '5y 9m', '3m' or 'before birth'."""
    if on < born:
        return "before birth"
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    years, months = divmod(months, 12)
    return f"{years}y {months}m" if years else f"{months}m"


# -- the samples, rendered once ----------------------------------------------------------


@dataclass
class RenderedSample:
    folder: Path
    case: Case
    documents: CaseDocuments
    out: Path
    files: dict[str, Path]
    _opened: dict[str, WordDocument] = field(default_factory=dict)

    def word(self, document: str) -> WordDocument:
        """The written document, opened once."""
        if document not in self._opened:
            self._opened[document] = open_docx(self.files[document])
        return self._opened[document]

    def blocks(self, document: str) -> list[str]:
        return document_text(self.word(document))

    def text(self, document: str) -> str:
        return joined(self.word(document))

    def rows(self, document: str) -> list[tuple[str, ...]]:
        return table_rows(self.word(document))


def render_samples(root: Path) -> dict[str, RenderedSample]:
    rendered = {}
    for folder in SAMPLE_DIRS:
        case, problems = load_case(folder)
        assert case is not None, problems
        documents = case_documents(folder, DAY)
        out = root / sample_key(folder)
        written = render_case(documents, out)
        rendered[sample_key(folder)] = RenderedSample(folder, case, documents, out,
                                                   {w.document: w.path for w in written})
    return rendered


@functools.cache
def rendered_samples(root: Path) -> dict[str, RenderedSample]:
    """The samples rendered once per test run (the LibreOffice tests convert the same files)."""
    return render_samples(root)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RenderedSample]:
    return rendered_samples(tmp_path_factory.getbasetemp() / "rendered-samples")


@pytest.fixture(scope="module")
def sample_03_source() -> Source:
    """Sample 03 (every document ready), with its genogram drawn, for context-level tests."""
    documents = case_documents(SAMPLES / "03-medium-agreement-review", DAY)
    assert documents.source is not None
    return with_genogram(documents.source)


# -- every ready document renders, and only those ----------------------------------------


def test_every_ready_document_of_every_sample_is_written_and_nothing_else(
        samples: dict[str, RenderedSample]) -> None:
    for sample in samples.values():
        ready = {a.document for a in sample.documents.available if a.ready}
        assert ready, sample.folder.name
        assert set(sample.files) == ready, sample.folder.name
        assert sorted(p.name for p in sample.out.iterdir()) == sorted(f"{d}.docx" for d in ready)
    # Sample 03 has every record the framework asks for, so every document is ready, but the
    # front sheet: Maisie is accommodated under section 20 and cannot be placed with parents.
    assert set(samples["03"].files) == set(DOCUMENTS) - {"pwp_front_sheet"}
    assert "pwp_front_sheet" in samples["06"].files  # home under a care order


def test_every_document_is_headed_with_the_case_and_the_child(samples: dict[str, RenderedSample]) -> None:
    for sample in samples.values():
        child = sample.case.child
        assert child is not None
        for document in sample.files:
            text = sample.text(document)
            where = f"{sample.folder.name}/{document}"
            assert sample.case.case.reference in text, where
            assert child.name in text, where
            assert "OFFICIAL-SENSITIVE" in text, where
            assert sample.documents.source is not None
            title = sample.documents.source.workflow.document(document)
            assert title is not None
            assert title.title in text, where


def test_no_template_tags_are_left_in_any_document(samples: dict[str, RenderedSample]) -> None:
    # The samples hold no braces of their own, so any left in a document are the template's.
    for folder in SAMPLE_DIRS:
        assert not any(tag in p.read_text(encoding="utf-8") for p in folder.glob("*.yaml") for tag in TAGS)
    for sample in samples.values():
        for document in sample.files:
            for text in sample.blocks(document):
                assert not any(tag in text for tag in TAGS), f"{sample.folder.name}/{document}: {text!r}"


def test_documents_that_are_not_ready_say_which_file_to_fill_in(samples: dict[str, RenderedSample]) -> None:
    sample = samples["01"]
    held = {a.document: a for a in sample.documents.available if not a.ready}
    assert "chronology" in held
    assert not (sample.out / "chronology.docx").exists()
    problem = held["chronology"].problems[0]
    assert problem.file == sample.folder / "chronology.yaml"
    assert "chronology has no entries" in problem.message
    assert problem.line is not None
    # Every held-back document points at one of the files it is built from.
    for sample in samples.values():
        for item in sample.documents.available:
            for found in item.problems:
                assert found.file.name in DOCUMENTS[item.document].files, (item.document, found)
                assert found.message


def test_the_title_block_of_sample_03(samples: dict[str, RenderedSample]) -> None:
    sample = samples["03"]
    child = sample.case.child
    assert child is not None and child.born is not None
    assert long_date(child.born) == "11 February 2016"
    born = f"{long_date(child.born)} ({whole_years(child.born, DAY)})"
    assert born == "11 February 2016 (10)"
    social_worker = next(t.name for t in sample.case.case.team if t.role == "social_worker")
    team_manager = next(t.name for t in sample.case.case.team if t.role == "team_manager")
    for document in ("monitoring_form", "chronology", "return_home_assessment", "parental_agreement",
                     "reunification_plan", "cpag_pack"):
        rows = sample.rows(document)
        assert ("Child", child.name) in rows, document
        assert ("Date of birth (age)", born) in rows, document
        assert ("Case reference", sample.case.case.reference) in rows, document
        assert ("Social worker", social_worker) in rows, document
        assert ("Team manager", team_manager) in rows, document
        # A signed document is dated the day it was signed; a draft the day it is rendered.
        signed = sample.documents.signatures.get(document)
        day = signed.day if signed is not None and signed.fixed else DAY
        assert ("Date of this document", long_date(day)) in rows, document
    assert {"return_home_assessment", "parental_agreement"} <= set(sample.documents.signatures)


def test_the_parental_agreement_of_sample_03_holds_every_goal_and_review(
        samples: dict[str, RenderedSample]) -> None:
    sample = samples["03"]
    record = sample.case.agreement
    rows = sample.rows("parental_agreement")
    text = sample.text("parental_agreement")
    assert record.agreed is not None and record.review_date is not None
    assert ("Agreed on", long_date(record.agreed)) in rows
    assert ("Next review", long_date(record.review_date)) in rows
    ratings = set()
    for parent in record.parents:
        person = sample.case.person(parent.person)
        assert person is not None
        assert f"{person.name} ({person.relationship})" in text
        for item in [*parent.strengths, *parent.concerns]:
            assert normalise(item) in text
        for number, goal in enumerate(parent.goals, start=1):
            assert goal.change is not None and goal.due is not None and goal.reviews
            assert (f"Goal {number}: what must change", normalise(goal.change)) in rows
            assert ("Steps", normalise(" ".join(f"• {step}" for step in goal.steps))) in rows
            assert ("How it will be evidenced", normalise(goal.evidence or "")) in rows
            assert ("By when", long_date(goal.due)) in rows
            assert ("Support", normalise(goal.support or "")) in rows
            latest = max(goal.reviews, key=lambda r: r.date)
            assert ("Latest progress", RAG[latest.rating]) in rows
            for review in goal.reviews:
                ratings.add(review.rating)
                assert (long_date(review.date), RAG[review.rating], normalise(review.evidence or "")) in rows
    assert ratings == {"green", "amber", "red"}  # the sample shows every rating
    assert normalise(sample.case.plan.contingency or "") in text


def test_the_risk_level_of_sample_03_is_marked_in_both_risk_tables(samples: dict[str, RenderedSample]) -> None:
    sample = samples["03"]
    source = sample.documents.source
    assert source is not None
    latest = max(sample.case.risk.classifications, key=lambda c: c.date)
    label = source.workflow.risk_levels[latest.level].label
    assert label == "Medium"

    record = sample.rows("risk_classification")
    marked = [row for row in record if len(row) == 4 and row[3] == "This case"]
    assert marked[0] == ("Level", "What it means, and what follows", "Factors that indicate it",
                         "This case")  # the header row
    level = source.workflow.risk_levels[latest.level]
    assert [row[:2] for row in marked[1:]] == [
        (f"▲ {label}", normalise(f"{level.meaning} What follows: {level.follows or ''}"))]
    assert ("Level", label) in record
    assert ("Date", long_date(latest.date)) in record
    assert latest.confirmed is not None
    assert ("Confirmed on", long_date(latest.confirmed)) in record
    assert normalise(latest.rationale) in sample.text("risk_classification")

    accessible = sample.rows("accessible_risk_table")
    here = [row for row in accessible if len(row) == 3 and row[2]]
    assert here[0] == ("Level", "What it means for you", "Where we are")
    assert [row[0] for row in here[1:]] == [f"▲ Amber: {label}"]
    assert here[1][2] == "◀ This is where we are now"
    # The level is decided when a manager confirms it.
    assert f"On {long_date(latest.confirmed)} we decided: ▲ Amber, {label}." in sample.text("accessible_risk_table")


def test_the_chronology_of_sample_03_shows_every_event_with_the_childs_age(
        samples: dict[str, RenderedSample]) -> None:
    sample = samples["03"]
    child = sample.case.child
    assert child is not None and child.born is not None
    rows = sample.rows("chronology")
    court = sample.rows("chronology_court")
    entries = sorted(sample.case.chronology.entries, key=lambda e: e.date)
    body = [row for row in rows if len(row) == 8][1:]
    assert [row[0] for row in body] == [long_date(e.date) for e in entries]
    for entry, row in zip(entries, body, strict=True):
        assert row[1] == age_column(child.born, entry.date)
        assert row[2] == normalise(entry.event)
        assert row[3] == normalise(entry.source)
        assert row[7] == normalise(entry.analysis or "")
        # The court version keeps the factors and the impact on the child; only the analysis goes.
        assert (long_date(entry.date), age_column(child.born, entry.date), normalise(entry.event),
                normalise(entry.source), row[4], normalise(entry.impact or ""),
                normalise(entry.response or "")) in court
    # Spot checks of the age column, worked out by hand.
    ages = {row[0]: row[1] for row in body}
    assert ages["12 July 2014"] == "before birth"
    assert ages["11 February 2016"] == "0m"
    assert ages["20 November 2021"] == "5y 9m"
    # The court version leaves the analysis out.
    court_text = sample.text("chronology_court")
    assert all(normalise(e.analysis) not in court_text for e in entries if e.analysis)
    chronologist = sample.case.member(sample.case.chronology.chronologist)
    assert chronologist is not None
    assert f"Chronologist: {chronologist.name}" in sample.text("chronology")


def test_the_return_home_assessment_of_sample_03(samples: dict[str, RenderedSample]) -> None:
    sample = samples["03"]
    record = sample.case.assessment
    rows = sample.rows("return_home_assessment")
    text = sample.text("return_home_assessment")
    for check in record.police_checks:
        person = sample.case.person(check.person)
        assert person is not None
        assert (person.name, long_date(check.date), normalise(check.result)) in rows
    assert record.signed_off is not None
    manager = sample.case.member(record.signed_off.by)
    assert manager is not None and manager.role == "team_manager"
    assert ("Signed off by", manager.name) in rows
    # The assessing social worker signs too, before the team manager's sign-off.
    text = sample.text("return_home_assessment")
    assert text.index("Completed by the assessing social worker") < text.index("Sign-off by the team manager")
    assert ("Date", long_date(record.signed_off.date)) in rows
    for value in (record.child_views, record.housing, record.finances, record.school, record.conclusion):
        assert value is not None
        assert normalise(value) in text
    for parent in record.parents:
        for factor in [*parent.risk_factors, *parent.protective_factors]:
            assert normalise(factor) in text
        assert normalise(parent.interaction or "") in text
    # The CPAG pack shows the same assessment.
    pack = sample.text("cpag_pack")
    assert normalise(record.child_views or "") in pack
    assert ("Signed off by", manager.name) in sample.rows("cpag_pack")


def test_the_reunification_plan_of_sample_03(samples: dict[str, RenderedSample]) -> None:
    sample = samples["03"]
    plan = sample.case.plan
    rows = sample.rows("reunification_plan")
    text = sample.text("reunification_plan")
    assert plan.transition
    for step in plan.transition:
        assert step.date is not None
        assert (normalise(step.step), long_date(step.date)) in rows
    for service in plan.support:
        names = ", ".join(p.name for p in map(sample.case.person, service.recipients) if p)
        assert (normalise(service.service), normalise(service.provider or ""), names,
                normalise(service.frequency or ""), long_date(service.since) if service.since else "",
                long_date(service.until) if service.until else "") in rows
    for contact in plan.contact:
        assert any(normalise(contact.arrangement) in row for row in rows)
    assert normalise(plan.contingency or "") in text
    assert normalise(plan.child_communication or "") in text


def test_the_front_sheet_of_sample_06_names_the_household_and_its_checks(
        samples: dict[str, RenderedSample]) -> None:
    sample = samples["06"]  # home under a care order: the front sheet applies
    home = sample.case.household(sample.case.case.home)
    assert home is not None and home.address is not None
    rows = sample.rows("pwp_front_sheet")
    assert ("Household", home.name) in rows
    assert ("Address", home.address) in rows
    checks = {c.person: c for c in sample.case.assessment.police_checks}
    for person_id, role in [*((p, "Lives in the home") for p in home.members),
                            *((p, "Regular visitor") for p in home.regular_visitors)]:
        person = sample.case.person(person_id)
        assert person is not None and person.born is not None
        check = checks.get(person_id)
        age = whole_years(person.born, DAY)
        assert check is not None or age < 16, person_id
        expected = f"{long_date(check.date)}: {normalise(check.result)}" if check else "Not needed (under 16)"
        assert (person.name, person.relationship or "", str(age), role, expected) in rows


def test_sample_05_severe_tells_the_child_that_a_home_elsewhere_will_be_planned(
        samples: dict[str, RenderedSample]) -> None:
    severe = samples["05"]
    source = severe.documents.source
    assert source is not None and source.workflow.for_children is not None
    permanence = source.workflow.for_children.stages.permanence.now
    planning = permanence.text("young")  # Poppy is four: the words a carer reads to her
    assert any(d.outcome == "permanence" for d in severe.case.decisions.decisions)
    text = severe.text("young_persons_report")
    assert planning in text
    assert "◆ Dark red, Severe." in text
    latest = max(severe.case.risk.classifications, key=lambda c: c.date)
    assert latest.level == "severe" and latest.for_child is not None
    assert normalise(latest.rationale) not in text  # the professional rationale is never the child's
    assert normalise(latest.for_child) in text  # the worker's words for her are
    assert f"Dear {severe.case.child.name.split()[0]}," in text  # type: ignore[union-attr]
    trusted = severe.case.person(severe.case.case.trusted_adult)
    assert trusted is not None
    assert f"Your trusted adult is {trusted.name}" in text
    # A child whose return is still being planned is not told that.
    assert not any(permanence.text(band) in samples["03"].text("young_persons_report")
                   for band in ("young", "middle", "older"))
    # No parental agreement or plan is written for a case on the permanence path.
    assert "parental_agreement" not in severe.files
    assert "reunification_plan" not in severe.files


def test_sample_06_front_sheet_shows_the_return_under_the_care_order(samples: dict[str, RenderedSample]) -> None:
    sample = samples["06"]
    rows = sample.rows("pwp_front_sheet")
    placed = next(p for p in sample.case.case.placements if p.code == "P1")
    assert ("Placed with parents from", long_date(placed.since)) in rows
    assert ("Returned home on", long_date(placed.since)) in rows
    home = sample.case.household(sample.case.case.home)
    assert home is not None
    assert ("Address", home.address) in rows
    d3 = next(d for d in sample.case.decisions.decisions if d.id == "D3")
    by, ratified_by = sample.case.member(d3.by), sample.case.member(d3.ratified_by)
    assert by is not None and ratified_by is not None and d3.ratified is not None
    # Decision 3 and its ratification by the head of service, the nominated officer.
    assert ("Decision 3 - reunify, or plan alternative permanence", "Reunify") in rows
    assert ("Made by", f"{by.name} (Service manager), {long_date(d3.date)}") in rows
    assert ("Ratified by", f"{ratified_by.name} (Head of locality or service), {long_date(d3.ratified)}") in rows
    assert ("Reason or note", normalise(d3.reason or "")) in rows
    for check in sample.case.assessment.police_checks:
        person = sample.case.person(check.person)
        if person is not None and check.person in [*home.members, *home.regular_visitors]:
            assert any(row[0] == person.name and row[-1] == f"{long_date(check.date)}: {normalise(check.result)}"
                       for row in rows)


def test_front_sheet_says_no_police_check_is_needed_for_a_child_under_16(
        samples: dict[str, RenderedSample]) -> None:
    sample = samples["06"]
    rows = sample.rows("pwp_front_sheet")
    home = sample.case.household(sample.case.case.home)
    assert home is not None
    checked = {c.person for c in sample.case.assessment.police_checks}
    young = [p for p in map(sample.case.person, home.members)
             if p is not None and p.id not in checked and p.born is not None
             and (dt.date(2026, 11, 23) - p.born).days < 16 * 365]
    assert young, "sample 06 should have a child under 16 in the home"
    for person in young:
        assert any(row[0] == person.name and row[-1] == "Not needed (under 16)" for row in rows)


def test_sample_07_monitoring_form_says_the_episode_ended_part_way(samples: dict[str, RenderedSample]) -> None:
    sample = samples["07"]
    exit_ = sample.case.events.exit
    assert exit_ is not None
    source = sample.documents.source
    assert source is not None
    reason = source.workflow.exit_reasons[exit_.reason]
    rows = sample.rows("monitoring_form")
    assert ("Outcome", f"Ended part way: {reason}") in rows
    assert ("Outcome date", long_date(exit_.date)) in rows
    for step in sample.case.events.steps:
        assert any(row[1:3] == (normalise(source.workflow.steps[step.step].title), long_date(step.date))
                   for row in rows if len(row) == 5), step.step
    # Other samples' monitoring forms do not say so.
    assert not any(row[1].startswith("Ended part way") for row in samples["03"].rows("monitoring_form")
                   if row[0] == "Outcome")


# -- document properties and file permissions ------------------------------------------


def test_properties_and_permissions_of_every_written_document(samples: dict[str, RenderedSample]) -> None:
    for sample in samples.values():
        assert stat.S_IMODE(sample.out.stat().st_mode) == 0o700
        social_worker = next(t.name for t in sample.case.case.team if t.role == "social_worker")
        titles = {a.document: a.title for a in sample.documents.available}
        for document, path in sample.files.items():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            properties = sample.word(document).core_properties
            assert titles[document] in properties.title
            assert sample.case.case.reference in properties.title
            assert properties.author == social_worker


# -- sections an authority switches off ----------------------------------------------


def _render(document: str, context: dict[str, Any]) -> WordDocument:
    properties = Properties(title="t", author="a", subject="s", day=DAY)
    data = compiled_template(template_path(document)).render(context, properties)
    return open_docx(data)


def section_headings(document: str) -> dict[str, str | None]:
    """The heading under each `show.<section>` flag of the bundled template (None when the
    section has no heading of its own), read from the template itself."""
    blocks = [b for b in body_blocks(open_docx(template_path(document))) if b.kind == "table" or b.text.strip()]
    found: dict[str, str | None] = {}
    for index, block in enumerate(blocks):
        flag = re.fullmatch(r"\{%p if show\.(\w+) %\}", block.text.strip())
        if flag:
            after = blocks[index + 1]
            found[flag.group(1)] = after.text if after.heading_level and "{" not in after.text else None
    return found


def _all_paragraphs(document: WordDocument) -> int:
    return len(document.element.body.findall(".//" + qn("w:p")))


@pytest.mark.parametrize("document", [d for d, spec in DOCUMENTS.items() if spec.sections])
def test_switching_off_each_section_removes_it_and_leaves_no_empty_heading(
        document: str, sample_03_source: Source) -> None:
    headings = section_headings(document)
    assert set(headings) == set(DOCUMENTS[document].sections)  # every section has its flag in the template
    shown = _render(document, build_context(sample_03_source, document))
    assert empty_headings(shown) == []
    shown_headings = [b.text for b in body_blocks(shown) if b.heading_level]
    for section, heading in headings.items():
        context = build_context(sample_03_source, document)
        if not context["show"][section]:
            continue  # not shown for this child (the front sheet of a child under section 20)
        context["show"][section] = False
        hidden = _render(document, context)
        where = f"{document} without {section}"
        assert _all_paragraphs(hidden) < _all_paragraphs(shown), where
        assert empty_headings(hidden) == [], where
        hidden_headings = [b.text for b in body_blocks(hidden) if b.heading_level]
        if heading is not None:
            assert heading in shown_headings, where
            assert heading not in hidden_headings, where
        # Every other section is still there.
        others = [h for s, h in headings.items()
                  if h is not None and s != section and h != heading and h in shown_headings]
        assert all(h in hidden_headings for h in others), where


# -- templates and their context builders agree --------------------------------------


def test_each_template_reads_exactly_the_context_its_builder_gives(sample_03_source: Source) -> None:
    for document, spec in DOCUMENTS.items():
        provided = set(build_context(sample_03_source, document))
        assert provided == {"doc", "child", "show", document}
        variables = compiled_template(template_path(document)).variables()
        # A document with no sections an authority may switch off gets an empty `show`,
        # which its template has no reason to read.
        expected = provided if spec.sections else provided - {"show"}
        assert variables == expected, document


def test_every_bundled_workflow_names_every_document_and_only_real_sections() -> None:
    # A workflow's `omit:` is how sections are switched off; a misspelt section would be
    # silently ignored, and a document missing from `documents:` would have no title.
    for name in bundled():
        workflow, problems = load_checked(WORKFLOWS / f"{name}.yaml")
        assert workflow is not None, problems
        assert set(workflow.documents) == set(DOCUMENTS), name
        for document, spec in DOCUMENTS.items():
            definition = workflow.document(document)
            assert definition is not None and definition.title.strip()
            assert set(definition.omit) <= set(spec.sections), (name, document)


class _Recording(dict):  # type: ignore[type-arg]
    """A context dict that notes every key a template reads."""

    def __init__(self, kind: Kind, data: dict[str, Any], read: set[tuple[Kind, str]]) -> None:
        super().__init__(data)
        self._kind, self._read = kind, read

    def __getitem__(self, key: str) -> Any:
        self._read.add((self._kind, key))
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._read.add((self._kind, key))
        return super().get(key, default)


# A kind of dict is its set of keys: the rows of `levels_table` are one kind whichever
# document shows them. A key counts as used when some template reads it in some dict of
# its kind.
Kind = frozenset[str]

# Keys no bundled template reads. Each is kept for authorities' own templates (`--templates`),
# which get the same context as the bundled ones.
UNUSED_BY_BUNDLED_TEMPLATES = {
    "doc.service_manager",  # a signature line an authority may add
    "doc.workflow",  # the workflow's title, for an authority's footer
    "doc.logo",  # printed only where the caseload profile names the authority (test_print_standards.py)
    "child.sex",
    "child.home",  # the household's name; the front sheet has its own
    "child.home_address",
    "child.trusted_adult",  # the documents for the child print their own, leaving out a name they must not print
    "risk_classification.levels[].marker",  # '▲ Medium  ◀ this case' as one string
    "parental_agreement.parents[].goals[].reviews[].rating.word",  # 'Amber' without the shape
    "parental_agreement.parents[].goals[].reviews[].rating.shape",
    "monitoring_form.decisions[].id",  # 'D2'; the templates show the decision's title
}


def _wrap(value: Any, path: str, kinds: dict[Kind, set[str]], read: set[tuple[Kind, str]],
          template: DocxTemplate) -> Any:
    if isinstance(value, dict):
        kind = frozenset(value)
        kinds.setdefault(kind, set()).add(path)
        return _Recording(kind, {k: _wrap(v, f"{path}.{k}", kinds, read, template) for k, v in value.items()}, read)
    if isinstance(value, list):
        return [_wrap(item, f"{path}[]", kinds, read, template) for item in value]
    if isinstance(value, Picture):
        return InlineImage(template, io.BytesIO(value.data), width=Mm(value.width_mm))
    return value


def test_every_key_a_builder_gives_is_read_by_some_template(samples: dict[str, RenderedSample]) -> None:
    # docxtpl with the product's sandboxed environment, because the product's renderer
    # copies the context into plain dicts before Jinja sees it.
    kinds: dict[Kind, set[str]] = {}
    read: set[tuple[Kind, str]] = set()
    for sample in samples.values():
        assert sample.documents.source is not None
        source = with_genogram(sample.documents.source)
        for document in sample.files:
            template = DocxTemplate(str(template_path(document)))
            context = {key: _wrap(value, key if key in ("doc", "child", document) else f"{document}.{key}",
                                  kinds, read, template)
                       for key, value in build_context(source, document).items()}
            template.render(context, jinja_env=environment())
    unused = []
    for kind, paths in kinds.items():
        for key in sorted(kind):
            if (kind, key) in read:
                continue
            names = {f"{path}.{key}" for path in paths}
            if not names & UNUSED_BY_BUNDLED_TEMPLATES:
                unused.append(min(names))
    assert unused == []
    # The list of exceptions holds only keys that really are unread.
    for name in UNUSED_BY_BUNDLED_TEMPLATES:
        kind = next(k for k, paths in kinds.items() if any(name == f"{p}.{key}" for p in paths for key in k))
        assert (kind, name.rsplit(".", 1)[1]) not in read, name


def test_the_bundled_templates_are_what_the_build_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "tools" / "build_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path)
    assert sorted(p.name for p in built) == sorted(d.template for d in DOCUMENTS.values())
    assert sorted(p.name for p in BUNDLED_TEMPLATES.glob("*.docx")) == sorted(p.name for p in built)

    def shape(path: Path) -> tuple[list[str], list[tuple[str, str]]]:
        document = open_docx(path)
        return document_text(document), [(p.style.name if p.style else "", p.text) for p in document.paragraphs]

    for path in built:
        assert shape(path) == shape(BUNDLED_TEMPLATES / path.name), f"templates/{path.name} is out of date"


# -- an authority's own templates ----------------------------------------------------


def test_an_authority_template_replaces_only_the_bundled_one_of_its_name(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    templates = tmp_path / "westmoor"
    templates.mkdir()
    local = open_docx(BUNDLED_TEMPLATES / "reunification_plan.docx")
    local.add_paragraph("Westmoor local version")
    local.save(str(templates / "reunification_plan.docx"))
    case = SAMPLES / "03-medium-agreement-review"
    out = tmp_path / "out"

    result = cli("render", case, "--templates", templates, "--out", out, "--jobs", "1")
    assert result.code == 0, result.out + result.err
    assert "Westmoor local version" in joined(out / "reunification_plan.docx")
    for path in out.glob("*.docx"):
        if path.name != "reunification_plan.docx":
            assert "Westmoor local version" not in joined(path), path.name
    assert len(list(out.glob("*.docx"))) == len(DOCUMENTS) - 1  # no front sheet under section 20

    listed = cli("render", case, "--list", "--templates", templates)
    assert listed.code == 0, listed.err
    rows = {line.split()[0]: line for line in listed.out.splitlines() if line.split() and line.split()[0] in DOCUMENTS}
    assert set(rows) == set(DOCUMENTS)
    assert rows["reunification_plan"].split()[-1] == "authority"
    assert all(line.split()[-1] == "bundled" for name, line in rows.items() if name != "reunification_plan")

    as_json = cli("render", case, "--list", "--json", "--templates", templates)
    listing = {d["document"]: d for d in json.loads(as_json.out)["cases"][0]["documents"]}
    assert listing["reunification_plan"]["template"] == str(templates / "reunification_plan.docx")
    assert listing["chronology"]["template"] == str(BUNDLED_TEMPLATES / "chronology.docx")


# -- a sibling group ------------------------------------------------------------------------


def test_a_sibling_groups_shared_documents_name_every_child_and_its_own_only_that_child(
        samples: dict[str, RenderedSample]) -> None:
    group = {key: sample for key, sample in samples.items() if key.startswith("08-")}
    assert len(group) == 3
    names = {key: sample.case.child.name for key, sample in group.items() if sample.case.child}
    for key, sample in group.items():
        for shared in ("parental_agreement", "reunification_plan"):
            text = "\n".join(sample.blocks(shared))
            assert all(name in text for name in names.values()), f"{key}/{shared}"
            assert "Children" in text
        assessment = "\n".join(sample.blocks("return_home_assessment"))
        others = [name for other, name in names.items() if other != key]
        heading = assessment.split("Case reference")[0]
        assert names[key] in heading and not any(name in heading for name in others), key
        # Each child's own documents: one per child, each heading that child.
        for own in ("risk_classification", "young_persons_report", "accessible_risk_table", "monitoring_form"):
            if own in sample.files:
                assert names[key].split()[0] in "\n".join(sample.blocks(own)), f"{key}/{own}"


def test_the_genogram_of_a_sibling_group_marks_every_child(tmp_path: Path, cli: Callable[..., Result]) -> None:
    family = SAMPLES / "08-sibling-group"
    result = cli("genogram", family / "ruby", "--out", tmp_path, today=DAY.isoformat())
    assert result.code == 0, result.err
    svg = (tmp_path / "genogram.svg").read_text(encoding="utf-8")
    assert svg.count('class="outline"') == 3
    assert "The children" in svg


# -- documents as of their day -------------------------------------------------------------


def heading_and_text(path: Path) -> tuple[str, str]:
    """The line under a document's title, and all its text (tables too)."""
    document = open_docx(path)
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    return paragraphs[1], "\n".join(document_text(document))


def test_a_signed_assessment_holds_only_what_was_recorded_by_its_sign_off_day(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = Path(shutil.copytree(SAMPLES / "03-medium-agreement-review", tmp_path / "case"))
    loaded, _ = load_case(case)
    assert loaded is not None and loaded.assessment.signed_off is not None
    signed = loaded.assessment.signed_off
    later = "A neighbour reports shouting at the flat late at night."
    added = cli("chronology", case, "--date", "2026-11-20", "--event", later, "--source", "Neighbour's call")
    assert added.code == 0, added.err
    out = tmp_path / "out"
    assert cli("render", case, "--out", out, "--doc", "return_home_assessment", "--doc", "chronology").code == 0

    status, assessment = heading_and_text(out / "return_home_assessment.docx")
    manager = loaded.member(signed.by)
    assert manager is not None
    assert status == f"Signed off on {long_date(signed.date)} by {manager.name}"
    assert later not in assessment  # recorded after the sign-off
    assert long_date(DAY) not in assessment
    status, chronology = heading_and_text(out / "chronology.docx")
    assert status.startswith("DRAFT · version ") and status.endswith(long_date(DAY))
    assert later in chronology


def test_a_drafts_version_changes_with_the_records_and_only_then(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = Path(shutil.copytree(SAMPLES / "03-medium-agreement-review", tmp_path / "case"))

    def version(run: int) -> str:
        out = tmp_path / f"out-{run}"
        assert cli("render", case, "--out", out, "--doc", "chronology").code == 0
        return heading_and_text(out / "chronology.docx")[0].split(" · ")[1]

    first, again = version(1), version(2)
    assert first == again
    assert cli("chronology", case, "--date", "2026-11-21", "--event", "School reports good attendance.",
               "--source", "School").code == 0
    assert version(3) != first


def test_render_as_of_a_day_shows_the_records_as_they_stood(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = SAMPLES / "06-home-under-care-order"
    out = tmp_path / "out"
    result = cli("render", case, "--out", out, "--as-of", "2026-05-01", "--doc", "chronology",
                 "--doc", "monitoring_form")
    assert result.code == 0, result.out + result.err
    status, chronology = heading_and_text(out / "chronology.docx")
    assert status.endswith("1 May 2026")
    loaded, _ = load_case(case)
    assert loaded is not None
    for entry in loaded.chronology.entries:
        assert (normalise(entry.event) in normalise(chronology)) == (entry.date <= dt.date(2026, 5, 1))
    future = cli("render", case, "--out", tmp_path / "x", "--as-of", "2027-01-01")
    assert future.code == 2 and "--as-of" in future.err


def test_an_issued_document_is_kept_and_a_later_change_to_its_records_is_seen(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = Path(shutil.copytree(SAMPLES / "03-medium-agreement-review", tmp_path / "case"))
    loaded, _ = load_case(case)
    assert loaded is not None and loaded.assessment.signed_off is not None
    kept = case / "documents" / "issued" / f"return_home_assessment-{loaded.assessment.signed_off.date}.docx"
    assert cli("render", case, "--issue", "--doc", "return_home_assessment").code == 0
    assert kept.is_file() and stat.S_IMODE(kept.stat().st_mode) == 0o600
    issued = kept.read_bytes()
    listed = json.loads(cli("render", case, "--list", "--json").out)["cases"][0]["issued"]
    assert listed == [{"document": "return_home_assessment", "file": str(kept),
                       "signed": loaded.assessment.signed_off.date.isoformat(), "matches": True}]
    # A later recording leaves the issued document as it was, and it still matches.
    assert cli("chronology", case, "--date", "2026-11-20", "--event", "Later event.", "--source", "Call").code == 0
    assert cli("render", case, "--issue", "--doc", "return_home_assessment").code == 0
    assert kept.read_bytes() == issued
    assert json.loads(cli("render", case, "--list", "--json").out)["cases"][0]["issued"][0]["matches"] is True
    # A record of the day it was signed, changed since: it no longer matches, and says so.
    text = (case / "assessment.yaml").read_text(encoding="utf-8")
    (case / "assessment.yaml").write_text(text.replace("conclusion: >-\n", "conclusion: >-\n  Changed later.\n", 1),
                                          encoding="utf-8")
    shown = cli("render", case, "--list")
    assert "no longer matches the records as they stood on" in shown.out
