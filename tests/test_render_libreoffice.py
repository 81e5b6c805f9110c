"""Every rendered document opens in a word processor: LibreOffice turns each into a PDF.

python-docx reads almost anything; LibreOffice is closer to what a practitioner opens
the documents with. All documents are converted in one LibreOffice call (about half a
second each), with a profile of their own so that a running or dirty profile cannot
interfere.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from tests.test_documents import RenderedSample
from tests.test_documents import rendered_samples

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def pdf_pages(pdf: Path) -> tuple[int, float, float]:
    """Page count, and the first page's width and height in points, from pdfinfo."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert pages and size, info
    return int(pages.group(1)), float(size.group(1)), float(size.group(2))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, RenderedSample], Path]:
    """Every ready document of every sample, converted to PDF as '<sample>--<document>.pdf'."""
    root = tmp_path_factory.mktemp("libreoffice")
    samples = rendered_samples(tmp_path_factory.getbasetemp() / "rendered-samples")
    flat = root / "docx"
    flat.mkdir()
    for sample in samples.values():
        for document, path in sample.files.items():
            shutil.copyfile(path, flat / f"{sample.folder.name}--{document}.docx")
    pdf = root / "pdf"
    assert SOFFICE is not None
    subprocess.run([SOFFICE, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(pdf), *sorted(str(p) for p in flat.glob("*.docx"))],
                   capture_output=True, check=True, timeout=600)
    return samples, pdf


def test_every_document_converts_to_a_pdf(converted: tuple[dict[str, RenderedSample], Path]) -> None:
    samples, pdf = converted
    expected = [f"{s.folder.name}--{d}.pdf" for s in samples.values() for d in s.files]
    assert len(expected) > 50
    # LibreOffice exits 0 even when it cannot load a file: look for each PDF.
    missing = [name for name in expected if not (pdf / name).is_file() or (pdf / name).stat().st_size == 0]
    assert missing == []
    for name in expected:
        assert (pdf / name).read_bytes()[:5] == b"%PDF-", name


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_the_first_page_of_every_pdf_shows_something(converted: tuple[dict[str, RenderedSample], Path],
                                                     tmp_path: Path) -> None:
    _, pdf = converted

    def first_page(path: Path) -> Path:
        prefix = tmp_path / path.stem
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile", str(path), str(prefix)],
                       capture_output=True, check=True, timeout=60)
        return prefix.with_suffix(".png")

    with ThreadPoolExecutor(max_workers=4) as pool:
        pictures = list(pool.map(first_page, sorted(pdf.glob("*.pdf"))))
    assert len(pictures) > 50
    blank = []
    for path in pictures:
        with Image.open(path) as image:
            grey = image.convert("L")
            dark = sum(grey.histogram()[:200])  # pixels clearly darker than the paper
            if dark < grey.width * grey.height // 200:
                blank.append(path.name)
    assert blank == []


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler's pdfinfo is not installed")
def test_page_counts_and_orientation_are_sensible(converted: tuple[dict[str, RenderedSample], Path]) -> None:
    samples, pdf = converted
    for sample in samples.values():
        if "chronology" not in sample.files:
            continue
        name = sample.folder.name
        entries = len(sample.case.chronology.entries)
        pages, width, height = pdf_pages(pdf / f"{name}--chronology.pdf")
        court, court_width, court_height = pdf_pages(pdf / f"{name}--chronology_court.pdf")
        # Landscape A4, at least one entry to a page, and the court version (no analysis
        # column) no longer than the full one.
        assert (round(width), round(height)) == (842, 595), name
        assert (round(court_width), round(court_height)) == (842, 595), name
        assert 1 <= pages <= entries, (name, pages, entries)
        assert 1 <= court <= pages, (name, court, pages)
        # Portrait A4 for the rest.
        _, width, height = pdf_pages(pdf / f"{name}--genogram.pdf")
        assert (round(width), round(height)) == (595, 842), name
        # The CPAG pack starts each of its six parts on a new page.
        if "cpag_pack" in sample.files:
            assert pdf_pages(pdf / f"{name}--cpag_pack.pdf")[0] >= 7, name


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_the_text_survives_the_conversion(converted: tuple[dict[str, RenderedSample], Path]) -> None:
    samples, pdf = converted
    for sample in samples.values():
        child = sample.case.child
        assert child is not None
        for document in sample.files:
            path = pdf / f"{sample.folder.name}--{document}.pdf"
            text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                                  text=True, check=True, timeout=60).stdout
            words = " ".join(text.split())
            assert "OFFICIAL-SENSITIVE" in words, path.name
            assert sample.case.case.reference in words, path.name
            assert child.name.split()[0] in words, path.name


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                    reason="poppler's pdftotext and pdfinfo are not installed")
def test_every_page_says_page_n_of_m_and_a_draft_says_so(converted: tuple[dict[str, RenderedSample], Path]) -> None:
    samples, pdf = converted
    sample = samples["03"]
    for document in sample.files:
        path = pdf / f"{sample.folder.name}--{document}.pdf"
        pages = pdf_pages(path)[0]
        for page in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                                  capture_output=True, text=True, check=True, timeout=60).stdout
            assert f"page {page} of {pages}" in " ".join(text.split()), (path.name, page)
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                               text=True, check=True, timeout=60).stdout
        signed = sample.documents.signatures.get(document)
        assert ("DRAFT · version" in first) == (signed is None), path.name
