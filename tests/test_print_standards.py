"""What a court and a panel expect on every page: the authority that issues a document (its
name and logo, from the caseload profile), the court and case number where there are
proceedings, and a panel pack that opens with a summary for the panel and reads its
chronology across landscape pages.

Documents are rendered with `reunify render` into temporary folders and read back with
python-docx; one test converts the pack with LibreOffice and measures its pages.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from docx.text.paragraph import Paragraph
from PIL import Image

from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.test_documents import joined
from tests.test_documents import normalise
from tests.test_documents import open_docx
from tests.test_documents import table_rows

Cli = Callable[..., Result]
AUTHORITY = "Northshire County Council"
COURT = "Family Court at Northtown"
NUMBER = "NT26C00123"


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 96), (31, 58, 95)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    """A caseload whose profile names the authority and its logo, holding sample 06."""
    root = tmp_path / "caseload"
    shutil.copytree(SAMPLES / "06-home-under-care-order", root / "06")
    (root / "logo.png").write_bytes(logo_png())
    (root / "reunify.yaml").write_text(f"authority:\n  name: {AUTHORITY}\n  logo: logo.png\n", encoding="utf-8")
    return root


def header_text(path: Path) -> str:
    document = open_docx(path)
    return normalise(" ".join(p.text for section in document.sections for p in section.header.paragraphs))


def header_pictures(path: Path) -> int:
    document = open_docx(path)
    return sum(len(p._element.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
               for p in document.sections[0].header.paragraphs)


def test_every_document_carries_the_authority_named_in_the_profile(cli: Cli, caseload: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("render", caseload / "06", "--out", out)
    assert result.code == 0, result.out + result.err
    written = sorted(out.glob("*.docx"))
    assert len(written) >= 10
    for path in written:
        assert AUTHORITY in header_text(path), path.name
        assert header_pictures(path) == 1, path.name


def test_without_an_authority_the_header_says_only_the_marking_and_the_title(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "06"
    shutil.copytree(SAMPLES / "06-home-under-care-order", case)
    assert cli("render", case, "--out", tmp_path / "out", "--doc", "monitoring_form").code == 0
    path = tmp_path / "out" / "monitoring_form.docx"
    assert header_text(path) == "OFFICIAL-SENSITIVE Reunification monitoring form"
    assert header_pictures(path) == 0


@pytest.mark.parametrize(("logo", "problem"), [("missing.png", "No such file"),
                                               ("notes.txt", "not a PNG or JPEG image")])
def test_a_logo_that_is_not_an_image_stops_rendering_with_one_line(cli: Cli, caseload: Path, tmp_path: Path,
                                                                  logo: str, problem: str) -> None:
    (caseload / "notes.txt").write_text("not a picture", encoding="utf-8")
    (caseload / "reunify.yaml").write_text(f"authority:\n  name: {AUTHORITY}\n  logo: {logo}\n", encoding="utf-8")
    result = cli("render", caseload / "06", "--out", tmp_path / "out")
    assert result.code == 2
    assert f"reunify.yaml: authority.logo: {logo}: {problem}" in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_proceedings_put_the_court_and_case_number_on_every_document(cli: Cli, caseload: Path,
                                                                   tmp_path: Path) -> None:
    case = caseload / "06"
    before = (case / "case.yaml").read_text(encoding="utf-8")
    result = cli("proceedings", COURT, NUMBER, case, "--from", "2025-01-10")
    assert result.code == 0, result.err
    after = (case / "case.yaml").read_text(encoding="utf-8")
    # Added, nothing else changed: comments and the other keys are as they were.
    assert all(line in after for line in before.splitlines())
    assert f"proceedings:\n  court: {COURT}\n  case_number: {NUMBER}\n  from: 2025-01-10\n" in after
    out = tmp_path / "out"
    assert cli("render", case, "--out", out).code == 0
    for path in sorted(out.glob("*.docx")):
        assert f"{COURT}, case number {NUMBER}" in header_text(path), path.name
    rows = table_rows(out / "chronology_court.docx")
    assert ("Court and case number", f"{COURT}, case number {NUMBER}") in rows


def test_proceedings_issued_after_a_documents_day_are_not_on_it(cli: Cli, caseload: Path, tmp_path: Path) -> None:
    case = caseload / "06"
    assert cli("proceedings", COURT, NUMBER, case, "--from", "2026-10-01").code == 0
    out = tmp_path / "out"
    assert cli("render", case, "--out", out, "--doc", "chronology_court", "--as-of", "2026-09-01").code == 0
    assert NUMBER not in joined(out / "chronology_court.docx")
    assert cli("render", case, "--out", out, "--doc", "chronology_court").code == 0
    assert NUMBER in joined(out / "chronology_court.docx")


@pytest.mark.parametrize(("args", "message"), [
    (("", NUMBER), "COURT"),
    ((COURT, NUMBER, "--from", "2027-01-01"), "--from 2027-01-01 is in the future"),
])
def test_proceedings_refuse_bad_input_and_write_nothing(cli: Cli, caseload: Path, args: tuple[str, ...],
                                                        message: str) -> None:
    case = caseload / "06"
    before = (case / "case.yaml").read_bytes()
    result = cli("proceedings", *args[:2], case, *args[2:])
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert (case / "case.yaml").read_bytes() == before


def pack(cli: Cli, case: Path, out: Path) -> Path:
    result = cli("render", case, "--out", out, "--doc", "cpag_pack")
    assert result.code == 0, result.out + result.err
    return out / "cpag_pack.docx"


def test_the_panel_pack_opens_with_a_summary_for_the_panel(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "06"
    shutil.copytree(SAMPLES / "06-home-under-care-order", case)
    rows = dict(row[:2] for row in table_rows(pack(cli, case, tmp_path / "out")) if len(row) >= 2)
    # Sample 06: the panel met on 18 June 2026 (its step's note says what it recommended);
    # Decision 3 (reunify) is the recommendation it was asked for; the last child-in-care
    # review before it recommended the return.
    assert rows["Panel date"] == "18 June 2026"
    assert rows["Recommendation sought"].startswith("Reunify: Decision 3, made by Peter Lockwood on 19 May 2026, "
                                                   "ratified by Caroline Hurst on 26 May 2026.")
    assert rows["The panel's recommendation"].startswith("Panel recommended the return")
    # The panel has sat: the pack is what it read, as the records stood that day. The
    # later reviews and the return home are not in it.
    assert rows["Last child-in-care review"] == "28 May 2026: Return home recommended to the change of placement panel."
    assert rows["Planned return"] == "Not set" and "6 July 2026" not in rows.get("Returned home on", "")
    text = joined(tmp_path / "out" / "cpag_pack.docx")
    assert "Presented to the panel on 18 June 2026 by Chloe Wainwright" in text
    assert "Ollie stays at home under the care order" not in text and "DRAFT" not in text
    assert "Decisions of the last child-in-care review" in text
    assert "Latest review decisions" not in text
    assert "Chair of the panel" in text


def test_a_pack_before_the_panel_says_when_it_sits_and_that_no_recommendation_is_made_yet(cli: Cli,
                                                                                       tmp_path: Path) -> None:
    case = tmp_path / "03"
    shutil.copytree(SAMPLES / "03-medium-agreement-review", case)
    text = joined(pack(cli, case, tmp_path / "out"))
    assert "None yet: Decision 3 (reunify, or plan permanence elsewhere) is not recorded." in text
    assert "The panel's recommendation" not in text


def test_the_packs_chronology_is_on_landscape_pages_and_the_rest_portrait(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "06"
    shutil.copytree(SAMPLES / "06-home-under-care-order", case)
    document = open_docx(pack(cli, case, tmp_path / "out"))
    body = document.element.body
    # Each section's orientation, and the headings it holds, in reading order.
    sections: list[tuple[bool, list[str]]] = [(False, [])]
    for element in body.iterchildren():
        if element.tag.endswith("}p"):
            text = Paragraph(element, document).text.strip()
            if text:
                sections[-1][1].append(text)
            properties = element.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
            if properties is not None:
                sections.append((False, []))
    orientations = [section.orientation == WD_ORIENT.LANDSCAPE for section in document.sections]
    assert len(orientations) == len(sections)
    # (The genogram has a landscape page of its own, holding only the picture.)
    landscape = [texts for (_, texts), wide in zip(sections, orientations, strict=True) if wide and texts]
    assert len(landscape) == 1 and landscape[0][0] == "Analytical chronology"
    assert orientations[0] is False and orientations[-1] is False


def test_a_part_the_workflow_leaves_out_leaves_the_contents_too(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "caseload"
    shutil.copytree(SAMPLES / "06-home-under-care-order", root / "06")
    (root / "local.yaml").write_text("extends: reference\ndocuments:\n  cpag_pack:\n    title: CPAG pack\n"
                                     "    omit: [cover, chronology]\n", encoding="utf-8")
    (root / "reunify.yaml").write_text("workflow: local.yaml\n", encoding="utf-8")
    document = open_docx(pack(cli, root / "06", tmp_path / "out"))
    text = joined(document)
    assert "Summary for the panel" not in text and "Analytical chronology" not in text
    assert "Decisions of the last child-in-care review" in text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdfinfo") is None or shutil.which("pdfimages") is None,
                    reason="LibreOffice (soffice) and poppler's pdfinfo and pdfimages are needed to measure the pages")
def test_libreoffice_prints_the_packs_chronology_landscape_without_an_empty_page(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "06"
    shutil.copytree(SAMPLES / "06-home-under-care-order", case)
    path = pack(cli, case, tmp_path / "out")
    assert SOFFICE is not None
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, check=True, timeout=300)
    pdf = tmp_path / "cpag_pack.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    sizes = [(round(float(w)), round(float(h)))
             for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)]
    assert sizes and sizes[0] == (595, 842)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    pages = text.split("\f")[:len(sizes)]

    def starting(heading: str) -> int:
        return next(n for n, page in enumerate(pages) if re.search(rf"^\s*{heading}\s*$", page, re.MULTILINE)
                    and "Contents" not in page)

    # The chronology's pages are landscape, from its heading to the next part, which is portrait.
    first, after = starting("Analytical chronology"), starting("Decisions of the last child-in-care review")
    assert first < after
    assert all(size == (842, 595) for size in sizes[first:after]), sizes
    assert sizes[after] == (595, 842)
    # No page holds only the header and footer (the genogram's page holds its picture).
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True, timeout=60).stdout.splitlines()[2:]
    pictured = {int(line.split()[0]) for line in listed if line.strip()}
    for number, page in enumerate(pages, start=1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) > 3 or number in pictured, f"page {number} is empty"


@pytest.mark.parametrize(("document", "signers"), [
    ("chronology_court", ("Chronologist", "Social worker")),
    ("chronology", ("Chronologist", "Social worker")),
    ("reunification_plan", ("Social worker", "Team manager")),
    ("return_home_assessment", ("Social worker", "Signed off by")),
    ("risk_classification", ("Service manager (confirms)",)),
])
def test_court_and_panel_papers_have_a_signature_block_for_each_author(cli: Cli, tmp_path: Path, document: str,
                                                                       signers: tuple[str, ...]) -> None:
    case = tmp_path / "06"
    shutil.copytree(SAMPLES / "06-home-under-care-order", case)
    assert cli("render", case, "--out", tmp_path / "out", "--doc", document).code == 0
    labels = {row[0] for row in table_rows(tmp_path / "out" / f"{document}.docx")}
    assert set(signers) <= labels, labels


def test_a_document_not_for_this_child_is_said_plainly_not_as_an_error(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "03"  # accommodated under section 20: no placed-with-parents front sheet
    shutil.copytree(SAMPLES / "03-medium-agreement-review", case)
    result = cli("render", case, "--out", tmp_path / "out")
    assert result.code == 0
    assert "Not for this child:\n  pwp_front_sheet: it does not apply to this child: only when legal status is C1 " \
           "or C2" in result.out
    assert "error" not in result.out and "Not rendered yet" not in result.out
    data = json.loads(cli("render", case, "--out", tmp_path / "out", "--json").out)
    assert list(data["cases"][0]["not_applying"]) == ["pwp_front_sheet"]
    assert data["cases"][0]["held_back"] == {}


def test_the_panels_meeting_says_what_it_recommended_over_its_steps_note(cli: Cli, tmp_path: Path) -> None:
    case = tmp_path / "06"
    shutil.copytree(SAMPLES / "06-home-under-care-order", case)
    events = case / "events.yaml"
    text = events.read_text(encoding="utf-8").replace(
        "meetings:\n", "meetings:\n  - meeting: cpag\n    date: 2026-06-18\n    attendees: [sw-wainwright]\n"
                       "    decided: The panel recommends the return home in July.\n", 1)
    events.write_text(text, encoding="utf-8")
    rows = dict(row[:2] for row in table_rows(pack(cli, case, tmp_path / "out")) if len(row) >= 2)
    assert rows["The panel's recommendation"] == "The panel recommends the return home in July."
    # Signed on the day it first sat, by the one who recorded the panel's step that day.
    assert "Presented to the panel on 18 June 2026 by Chloe Wainwright" in joined(tmp_path / "out" / "cpag_pack.docx")
