"""The genogram as printed: a landscape page of its own, text of 8 pt or more, lines that
go round people, households in rectangles.

Every sample (and each child of the sibling group) has its genogram document and its
Return Home Assessment rendered and read back with python-docx: where the picture sits,
the page it sits on, and how wide Word places it. The layout the picture was drawn from
(the same records, the same day) gives its drawn width, its text sizes and where every
symbol, label and line is.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from reunify.documents.genogram import GenogramLayout
from reunify.documents.genogram import Stroke
from reunify.documents.genogram import layout_genogram
from reunify.documents.genogram.items import LINE_CLASSES
from reunify.documents.genogram.items import Box
from reunify.documents.genogram.routing import DOWN
from reunify.documents.genogram.routing import RIGHT
from reunify.documents.genogram.routing import route
from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from reunify.records import Case
from reunify.records import load_case
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.test_genogram import FAMILY
from tests.test_genogram import big_family
from tests.test_genogram import case_from

DAY = dt.date.fromisoformat(TODAY)
SAMPLE_DIRS = sorted([p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file()]
                     + [c for p in SAMPLES.iterdir() if (p / "family.yaml").is_file()
                        for c in p.iterdir() if (c / "case.yaml").is_file()])
DOCUMENTS = ("genogram", "return_home_assessment")
EMU_PER_PT = 12700
TWIPS_PER_PT = 20


def name(folder: Path) -> str:
    return f"{folder.parent.name[:2]}-{folder.name}" if (folder.parent / "family.yaml").is_file() else folder.name[:2]


@dataclass(frozen=True)
class Printed:
    """A rendered document with a genogram, and the layout its picture was drawn from."""

    sample: str
    document: str
    path: Path
    layout: GenogramLayout


@functools.cache
def rendered(root: Path) -> tuple[Printed, ...]:
    found = []
    for folder in SAMPLE_DIRS:
        documents = case_documents(folder, DAY, list(DOCUMENTS))
        out = root / name(folder)
        for written in render_case(documents, out):
            src = documents.sources[written.document]
            found.append(Printed(name(folder), written.document, written.path, layout_genogram(src.case, src.today)))
    return tuple(found)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Printed, ...]:
    return rendered(tmp_path_factory.mktemp("genogram-print"))


def sections(path: Path) -> list[tuple[etree._Element, list[etree._Element]]]:
    """The body's sections in order: each one's properties and the paragraphs and tables in it."""
    body = docx.Document(str(path)).element.body
    found: list[tuple[etree._Element, list[etree._Element]]] = []
    blocks: list[etree._Element] = []
    for element in body.iterchildren():
        if element.tag == qn("w:sectPr"):
            found.append((element, blocks))
            blocks = []
            continue
        blocks.append(element)
        properties = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if properties is not None:
            found.append((properties, blocks))
            blocks = []
    return found


def has_picture(element: etree._Element) -> bool:
    return bool(element.findall(f".//{qn('w:drawing')}"))


def page(properties: etree._Element) -> tuple[float, float, float, float]:
    """A section's page: width and height, and the room between the margins, in points."""
    size, margins = properties.find(qn("w:pgSz")), properties.find(qn("w:pgMar"))
    width, height = int(size.get(qn("w:w"))) / TWIPS_PER_PT, int(size.get(qn("w:h"))) / TWIPS_PER_PT

    def margin(side: str) -> float:
        return int(margins.get(qn(f"w:{side}"))) / TWIPS_PER_PT

    return width, height, width - margin("left") - margin("right"), height - margin("top") - margin("bottom")


def extent(element: etree._Element) -> tuple[float, float]:
    """How large Word places the picture in a paragraph: width and height in points."""
    found = element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    assert found is not None
    return int(found.get("cx")) / EMU_PER_PT, int(found.get("cy")) / EMU_PER_PT


def text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


# -- the page --------------------------------------------------------------------------


def test_every_sample_renders_its_genogram_documents(printed: tuple[Printed, ...]) -> None:
    assert {p.sample for p in printed if p.document == "genogram"} == {name(f) for f in SAMPLE_DIRS}
    assert len([p for p in printed if p.document == "return_home_assessment"]) >= 6


def test_the_genogram_is_alone_on_a_landscape_page_then_portrait_again(printed: tuple[Printed, ...]) -> None:
    for item in printed:
        where = f"{item.sample}/{item.document}"
        found = sections(item.path)
        holding = [i for i, (_, blocks) in enumerate(found) if any(has_picture(b) for b in blocks)]
        assert len(holding) == 1, where
        index = holding[0]
        properties, blocks = found[index]
        width, height, _, _ = page(properties)
        assert width > height and properties.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape", where
        # Only the picture: no text, no table, no other paragraph on its page.
        assert len(blocks) == 1 and blocks[0].tag == qn("w:p") and text(blocks[0]) == "", where
        # Portrait before it and after it, with something to read after it.
        for other in (found[index - 1], found[index + 1]):
            other_width, other_height, _, _ = page(other[0])
            assert other_width < other_height, where
        assert any(text(b) for b in found[index + 1][1]), where
        # Every section has the page header and footer (OFFICIAL-SENSITIVE, page N of M).
        for section_properties, _ in found:
            assert section_properties.findall(qn("w:headerReference")), where
            assert section_properties.findall(qn("w:footerReference")), where


def test_the_smallest_label_prints_at_8_pt_or_more_and_the_picture_fits_its_page(
        printed: tuple[Printed, ...]) -> None:
    for item in printed:
        where = f"{item.sample}/{item.document}"
        found = sections(item.path)
        properties, blocks = next((p, b) for p, b in found if any(has_picture(x) for x in b))
        placed_width, placed_height = extent(blocks[0])
        layout = item.layout
        smallest = layout.smallest_text * placed_width / layout.width
        assert smallest >= 8.0, (where, round(smallest, 2))
        assert layout.fits, where
        _, _, room_width, room_height = page(properties)
        assert placed_width <= room_width + 0.5, where
        assert placed_height <= room_height - 10, where  # and room for the paragraph it is in
        assert placed_height / placed_width == pytest.approx(layout.height / layout.width, rel=0.02), where


def test_the_cpag_pack_has_the_genogram_on_a_landscape_page_of_its_own(tmp_path: Path) -> None:
    folder = SAMPLES / "03-medium-agreement-review"
    documents = case_documents(folder, DAY, ["cpag_pack"])
    written, = render_case(documents, tmp_path)
    found = sections(written.path)
    properties, blocks = next((p, b) for p, b in found if any(has_picture(x) for x in b))
    width, height, _, _ = page(properties)
    assert width > height and len(blocks) == 1
    src = documents.sources["cpag_pack"]
    layout = layout_genogram(src.case, src.today)
    assert layout.smallest_text * extent(blocks[0])[0] / layout.width >= 8.0


# -- the drawing -----------------------------------------------------------------------


def crossings(layout: GenogramLayout) -> list[tuple[str, str, str]]:
    """Every line that joins people and passes through a symbol (but those of the people it
    joins) or any label: (the line's class, whose box, which box). Touching an edge is not
    crossing it."""
    found = []
    for item in layout.items:
        if not (isinstance(item, Stroke) and item.cls.split()[0] in LINE_CLASSES):
            continue
        assert item.ends, item.cls
        for person in layout.people:
            boxes = [("label", person.label)] + ([] if person.id in item.ends else [("symbol", person.symbol)])
            for kind, box in boxes:
                if any(segment_enters(a, b, box) for a, b in itertools.pairwise(item.points)):
                    found.append((item.cls, person.id, kind))
    return found


def segment_enters(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Whether the segment a-b has a point strictly inside the box (clipped, Liang-Barsky)."""
    inner = Box(box.left + 0.5, box.top + 0.5, box.right - 0.5, box.bottom - 0.5)
    (x0, y0), (x1, y1) = a, b
    low, high = 0.0, 1.0
    for p, q in ((-(x1 - x0), x0 - inner.left), (x1 - x0, inner.right - x0),
                 (-(y1 - y0), y0 - inner.top), (y1 - y0, inner.bottom - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def sample_layouts() -> list[tuple[str, GenogramLayout]]:
    found = []
    for folder in SAMPLE_DIRS:
        case, problems = load_case(folder)
        assert case is not None, problems
        found.append((name(folder), layout_genogram(case, DAY)))
    return found


def test_no_line_crosses_anyone_but_the_people_it_joins(make_case: Callable[..., Path]) -> None:
    big = big_family()
    child = re.findall(r"id: (p\d\d)\n(?:    .*\n)*?    relationship: the child", big)[0]
    others: list[tuple[str, Case]] = [("family", case_from(make_case, FAMILY)),
                                      ("forty people", case_from(make_case, big, child=child))]
    layouts = sample_layouts() + [(label, layout_genogram(case, DAY)) for label, case in others]
    for label, layout in layouts:
        assert crossings(layout) == [], label


def test_relationship_lines_run_level_and_upright() -> None:
    for label, layout in sample_layouts():
        ties = [i for i in layout.items if isinstance(i, Stroke) and i.cls in ("tie cut-off", "tie close")]
        assert ties or label == "01", label
        for item in ties:
            for (x0, y0), (x1, y1) in itertools.pairwise(item.points):
                assert abs(x0 - x1) < 0.01 or abs(y0 - y1) < 0.01, (label, item.points)


def test_every_household_of_the_samples_is_one_rectangle() -> None:
    for label, layout in sample_layouts():
        assert layout.households, label
        assert all(square for _, square in layout.households), (label, layout.households)
        outlines = [i for i in layout.items if isinstance(i, Stroke) and i.cls == "household"]
        assert len(outlines) == len(layout.households), label
        for outline in outlines:  # four straight sides: two heights and two widths, round the corners
            xs = {round(x) for x, _ in outline.points}
            ys = {round(y) for _, y in outline.points}
            left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
            for x, y in outline.points:
                near_side = min(abs(x - left), abs(x - right), abs(y - top), abs(y - bottom))
                assert near_side < 13, (label, x, y)  # on a side, or on the rounding of a corner


def test_a_household_that_cannot_be_one_rectangle_steps_from_row_to_row(make_case: Callable[..., Path]) -> None:
    # Ella, the third of four, lives with her foster carer: lining her up under the carer would
    # take her and her younger brother from under their parents, so her home keeps its steps.
    layout = layout_genogram(case_from(make_case, FAMILY), DAY)
    assert dict(layout.households)["foster"] is False
    outlines = [i for i in layout.items if isinstance(i, Stroke) and i.cls == "household"]
    assert len(outlines) == 2
    at = {p.id: p for p in layout.people}
    foster = outlines[1].points
    assert min(x for x, _ in foster) > at["finn"].label.right  # round Ella and her carer, not her brothers
    assert max(x for x, _ in foster) > at["carer"].label.right


# -- too large to print readably -----------------------------------------------------------


def test_a_family_too_large_to_print_readably_is_rendered_with_a_warning(
        make_case: Callable[..., Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    big = big_family()
    child = re.findall(r"id: (p\d\d)\n(?:    .*\n)*?    relationship: the child", big)[0]
    case = case_from(make_case, big, child=child)
    layout = layout_genogram(case, DAY)
    assert not layout.fits and layout.smallest_pt < 8
    result = cli("render", case.folder, "--doc", "genogram", "--out", tmp_path / "out")
    assert result.code == 0, result.out + result.err
    said = " ".join(result.out.split())
    assert "genogram.docx:" in said
    assert "too large to print its text at 8 pt" in said and f"{layout.smallest_pt:.1f} pt" in said
    assert "people.yaml" in said
    assert not any(person.name in said for person in case.people.people)  # no names in a message
    assert (tmp_path / "out" / "genogram.docx").is_file()  # written all the same
    data = json.loads(cli("render", case.folder, "--doc", "genogram", "--out", tmp_path / "again",
                          "--json").out)
    warnings = data["cases"][0]["warnings"]
    assert list(warnings) == ["genogram"] and "8 pt" in warnings["genogram"][0]["message"]


def test_a_family_that_prints_readably_is_rendered_without_a_warning(cli: Callable[..., Result],
                                                                     tmp_path: Path) -> None:
    result = cli("render", SAMPLES / "03-medium-agreement-review", "--doc", "genogram", "--doc",
                 "return_home_assessment", "--out", tmp_path)
    assert result.code == 0 and "8 pt" not in result.out


# -- the router ------------------------------------------------------------------------


def test_a_route_goes_round_what_is_in_its_way() -> None:
    wall = Box(40, 10, 60, 100)
    path = route([((0, 40), RIGHT)], [((100, 40), RIGHT)], [wall], Box(-10, -40, 110, 120), clearance=5)
    assert path is not None and path[0] == (0, 40) and path[-1] == (100, 40)
    assert not any(segment_enters(a, b, wall.grown(5)) for a, b in itertools.pairwise(path))
    assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(path))  # level and upright only
    assert min(y for _, y in path) < 10  # over the top: the shorter way round
    boxed = route([((0, 40), RIGHT)], [((50, 40), DOWN)], [Box(30, 20, 70, 60)], Box(-10, -40, 110, 120))
    assert boxed is None  # an end inside an obstacle cannot be reached
