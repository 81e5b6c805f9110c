"""The genogram: drawn from people.yaml as SVG and PNG, from one layout.

Cases are the bundled samples or built from inline YAML; everyone is fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from reunify.documents.genogram import GenogramLayout
from reunify.documents.genogram import Stroke
from reunify.documents.genogram import draw_genogram
from reunify.documents.genogram import layout_genogram
from reunify.documents.genogram import relationship_row
from reunify.documents.genogram import write_genogram
from reunify.records import Case
from reunify.records import load_case
from tests.conftest import SAMPLES

TODAY = dt.date(2026, 11, 23)
SVG = "{http://www.w3.org/2000/svg}"
SAMPLE_DIRS = sorted(p for p in SAMPLES.iterdir() if (p / "case.yaml").is_file())
SHAPE_TAGS = {"rect": "male", "circle": "female", "polygon": "unknown"}


def load(folder: Path) -> Case:
    case, problems = load_case(folder)
    assert case is not None, problems
    return case


def case_from(make_case: Callable[..., Path], people_yaml: str, child: str = "ella") -> Case:
    case_yaml = f"""\
        reference: TEST-GENOGRAM
        child: {child}
        team:
          - id: sw
            name: Sam Rivers
            role: social_worker
        """
    return load(make_case(people_yaml=people_yaml, case_yaml=case_yaml, events_yaml=None))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def with_class(root: ET.Element, *names: str) -> list[ET.Element]:
    """Elements whose class attribute holds every one of `names`."""
    return [e for e in root.iter() if set(names) <= set(e.get("class", "").split())]


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text") if cls is None or cls in e.get("class", "").split()]


def placed(layout: GenogramLayout) -> dict[str, tuple[float, float, int]]:
    return {p.id: (p.x, p.y, p.row) for p in layout.people}


FAMILY = """\
    people:
      - id: ella
        name: Ella Stone
        sex: female
        born: 2017-04-09
        relationship: the child
        parents: [jo, rob]
      - id: kai
        name: Kai Stone
        sex: male
        born: 2012-01-30
        parents: [jo, rob]
      - id: sky
        name: Sky Stone
        parents: [jo, rob]
      - id: finn
        name: Finn Stone
        sex: male
        born: 2014-06-01
        parents: [jo, rob]
        parent_link: adopted
      - id: jo
        name: Jo Stone
        sex: female
        born: 1991-02-14
        relationship: mother
        parents: [grandad, nan]
      - id: rob
        name: Rob Stone
        sex: male
        born: 1988-10-10
        relationship: father
      - id: lee
        name: Lee Marsh
        sex: male
        born: 1990-05-05
        relationship: mother's partner
      - id: grandad
        name: Alf Tanner
        sex: male
        born: 1958-01-15
        died: 2019-03-08
        relationship: maternal grandfather
      - id: nan
        name: Iris Tanner
        sex: female
        born: 1960-03-01
        relationship: maternal grandmother
      - id: carer
        name: Pat Quill
        relationship: foster carer
    couples:
      - people: [jo, rob]
        status: divorced
      - people: [jo, lee]
        status: cohabiting
      - people: [grandad, nan]
        status: married
    relationships:
      - people: [ella, nan]
        quality: close
      - people: [ella, lee]
        quality: conflict
      - people: [kai, rob]
        quality: cut_off
    households:
      - id: home
        name: Jo and Lee's home
        members: [jo, lee, kai]
      - id: foster
        name: Foster home
        members: [carer, ella]
    """


# -- every sample ------------------------------------------------------------------------


@pytest.mark.parametrize("folder", SAMPLE_DIRS, ids=lambda p: p.name)
def test_every_sample_draws_as_svg_and_png_with_everyone_on_it(folder: Path) -> None:
    case = load(folder)
    drawn = draw_genogram(case, TODAY)
    root = parse(drawn.svg)
    assert root.tag == f"{SVG}svg"
    shown = " ".join(texts(root))
    for person in case.people.people:
        assert person.name.split()[0] in shown
    assert {p.id for p in drawn.people} == {p.id for p in case.people.people}
    for person in drawn.people:
        if person.age.isdigit():
            assert f"Age {person.age}" in shown or "month" in shown
        if person.died and person.born:
            assert f"{person.born.year}-{person.died.year}, aged" in shown
    image = Image.open(io.BytesIO(drawn.png))
    assert image.format == "PNG"
    assert image.size == (drawn.width, drawn.height)
    assert drawn.width <= 2400


def test_sample_03_symbols_match_the_records() -> None:
    case = load(SAMPLES / "03-medium-agreement-review")
    root = parse(draw_genogram(case, TODAY).svg)
    people = case.people.people
    for tag, sex in SHAPE_TAGS.items():
        assert len(with_class(root, "person", sex)) == sum(1 for p in people if p.sex == sex)
        assert all(e.tag == f"{SVG}{tag}" for e in with_class(root, "person", sex))
    assert len(with_class(root, "person", "child")) == 1
    assert len(with_class(root, "person", "deceased")) == 1
    assert "1958-2019, aged 61" in texts(root, "age")
    assert len(with_class(root, "couple", "separated")) == 1
    assert len(with_class(root, "couple", "married")) == 1
    assert len(with_class(root, "household")) == 3
    assert sorted(texts(root, "household-label")) == ["Dean's flat", "Foster home", "Kerry's home"]


# -- what each symbol and line means ------------------------------------------------------


def test_shapes_follow_sex_and_the_child_has_a_double_outline(make_case: Callable[..., Path]) -> None:
    root = parse(draw_genogram(case_from(make_case, FAMILY), TODAY).svg)
    assert len(with_class(root, "person", "male")) == 5
    assert len(with_class(root, "person", "female")) == 3
    assert len(with_class(root, "person", "unknown")) == 2
    assert [e.tag for e in with_class(root, "person", "unknown")] == [f"{SVG}polygon"] * 2
    child = with_class(root, "person", "child")
    assert len(child) == 1 and child[0].tag == f"{SVG}circle"
    outline = with_class(root, "outline")
    assert len(outline) == 1
    assert float(outline[0].get("r", 0)) > float(child[0].get("r", 0))
    assert (outline[0].get("cx"), outline[0].get("cy")) == (child[0].get("cx"), child[0].get("cy"))


def test_a_deceased_person_is_crossed_and_shows_years_of_life(make_case: Callable[..., Path]) -> None:
    drawn = draw_genogram(case_from(make_case, FAMILY), TODAY)
    root = parse(drawn.svg)
    assert len(with_class(root, "person", "deceased")) == 1
    assert len(with_class(root, "cross")) == 2
    assert "1958-2019, aged 61" in texts(root, "age")
    alf = next(p for p in drawn.people if p.id == "grandad")
    assert alf.age == "died 2019 aged 61"


def test_couple_lines_show_their_status(make_case: Callable[..., Path]) -> None:
    people = """\
        people:
          - {id: ella, name: Ella Stone, sex: female, born: 2017-04-09, parents: [a1, a2]}
          - {id: a1, name: Ann One, sex: female}
          - {id: a2, name: Al Two, sex: male}
          - {id: b1, name: Bea One, sex: female}
          - {id: b2, name: Ben Two, sex: male}
          - {id: c1, name: Cat One, sex: female}
          - {id: c2, name: Cal Two, sex: male}
          - {id: d1, name: Dot One, sex: female}
          - {id: d2, name: Dan Two, sex: male}
        couples:
          - {people: [a1, a2], status: married}
          - {people: [b1, b2], status: cohabiting}
          - {people: [c1, c2], status: separated}
          - {people: [d1, d2], status: divorced}
        """
    root = parse(draw_genogram(case_from(make_case, people), TODAY).svg)
    married, = with_class(root, "couple", "married")
    cohabiting, = with_class(root, "couple", "cohabiting")
    separated, = with_class(root, "couple", "separated")
    divorced, = with_class(root, "couple", "divorced")
    assert married.get("stroke-dasharray") is None
    assert cohabiting.get("stroke-dasharray")
    assert separated.get("stroke-dasharray") is None and divorced.get("stroke-dasharray") is None
    slashes = with_class(root, "slash")
    assert len(slashes) == 3

    def near(line: ET.Element) -> int:
        points = [tuple(map(float, p.split(","))) for p in line.get("points", "").split()]
        (x0, y0), (x1, _) = points[0], points[-1]
        return sum(1 for s in slashes if x0 < float(s.get("points", "").split()[0].split(",")[0]) < x1
                   and abs(float(s.get("points", "").split()[0].split(",")[1]) - y0) < 10)

    assert (near(married), near(cohabiting), near(separated), near(divorced)) == (0, 0, 1, 2)


def test_children_hang_from_their_parents_eldest_left_adopted_dashed(make_case: Callable[..., Path]) -> None:
    case = case_from(make_case, FAMILY)
    layout = layout_genogram(case, TODAY)
    at = placed(layout)
    # Kai 2012, Finn 2014, Ella 2017, then Sky (no birth date) last.
    assert at["kai"][0] < at["finn"][0] < at["ella"][0] < at["sky"][0]
    for kid in ("kai", "finn", "ella", "sky"):
        assert at[kid][1] > at["jo"][1] and at[kid][1] > at["rob"][1]
        assert at[kid][2] == at["jo"][2] + 1
    assert at["jo"][1] > at["nan"][1]
    assert at["jo"][2] == at["rob"][2] == at["lee"][2]
    low, high = sorted((at["jo"][0], at["rob"][0]))
    assert low < (at["kai"][0] + at["sky"][0]) / 2 < high  # the children sit under their parents' line
    root = parse(draw_genogram(case, TODAY).svg)
    adopted = with_class(root, "child-line", "adopted")
    birth = with_class(root, "child-line", "birth")
    assert len(adopted) == 1 and adopted[0].get("stroke-dasharray")
    assert len(birth) == 4 and all(e.get("stroke-dasharray") is None for e in birth)  # three children, and Jo


def test_a_parent_with_three_partners(make_case: Callable[..., Path]) -> None:
    people = """\
        people:
          - {id: ella, name: Tia Shaw, sex: female, born: 2018-03-03, parents: [mum, dad3]}
          - {id: k1, name: Ray Shaw, sex: male, born: 2008-01-01, parents: [mum, dad1]}
          - {id: k2, name: Mo Shaw, sex: male, born: 2012-01-01, parents: [mum, dad2]}
          - {id: k3, name: Lu Shaw, sex: female, born: 2014-01-01, parents: [mum, dad2]}
          - {id: mum, name: Dee Shaw, sex: female, born: 1990-01-01, parents: [gran]}
          - {id: gran, name: Val Shaw, sex: female, born: 1965-01-01}
          - {id: dad1, name: Sid Cole, sex: male, born: 1986-01-01}
          - {id: dad2, name: Ian Ross, sex: male, born: 1987-01-01}
          - {id: dad3, name: Tom Hart, sex: male, born: 1989-01-01}
        couples:
          - {people: [mum, dad1], status: divorced}
          - {people: [mum, dad2], status: separated}
          - {people: [mum, dad3], status: cohabiting}
        households:
          - {id: home, name: Dee and Tom's home, members: [mum, dad3, ella, k2, k3]}
        """
    layout = layout_genogram(case_from(make_case, people), TODAY)
    at = placed(layout)
    assert abs(at["mum"][0] - at["dad3"][0]) == pytest.approx(160)  # the household's couple side by side
    assert min(at["mum"][0], at["dad3"][0]) < at["ella"][0] < max(at["mum"][0], at["dad3"][0])
    assert at["k2"][0] < at["k3"][0]
    boxes = [b for p in layout.people for b in (p.symbol, p.label)]
    for item in layout.items:  # no child's line seems to come from someone else's symbol or label
        if isinstance(item, Stroke) and item.cls.split()[0] in ("child-line", "child-stem"):
            x, y = item.points[0]
            assert not any(b.left < x < b.right and b.top < y < b.bottom for b in boxes), item


def test_records_that_make_no_sense_still_draw(make_case: Callable[..., Path]) -> None:
    people = """\
        people:
          - {id: ella, name: Ella Stone, sex: female, parents: [ella, jo, al, bo]}
          - {id: jo, name: Jo Stone, sex: female, parents: [al]}
          - {id: al, name: Al Stone, sex: male, parents: [jo]}
          - {id: bo, name: Bo Stone}
        couples:
          - {people: [jo, ella], status: married}
        relationships:
          - {people: [ella, ella], quality: close}
        households:
          - {id: h1, name: One, members: [ella, jo]}
          - {id: h2, name: Two, members: [ella, bo]}
        """
    case = case_from(make_case, people)
    layout = layout_genogram(case, TODAY)
    assert {p.id for p in layout.people} == {"ella", "jo", "al", "bo"}
    assert len({p.row for p in layout.people}) <= 4
    for a, b in itertools.combinations(layout.labels, 2):
        assert not a.overlaps(b)
    drawn = draw_genogram(case, TODAY)
    assert parse(drawn.svg).tag == f"{SVG}svg"


def test_unlinked_people_sit_on_a_sensible_row(make_case: Callable[..., Path]) -> None:
    layout = layout_genogram(case_from(make_case, FAMILY), TODAY)
    at = placed(layout)
    assert at["carer"][2] == at["jo"][2]  # a foster carer on the parents' row...
    assert at["carer"][0] > max(at[p][0] for p in ("jo", "rob", "lee"))  # ...to the right of the family
    assert at["lee"][2] == at["jo"][2]


@pytest.mark.parametrize(("relationship", "row"), [
    ("maternal grandmother", -2), ("paternal great-grandfather", -3), ("mother", -1),
    ("foster carer", -1), ("mother's partner", -1), ("maternal aunt's husband", -1),
    ("maternal half-brother", 0), ("cousin", 0), ("father's brother", -1), ("grandmother's partner", -2),
    (None, -1), ("learning mentor at school", -1),
])
def test_a_relationship_names_the_row_of_someone_with_no_links(relationship: str | None, row: int) -> None:
    assert relationship_row(relationship) == row


def test_households_relationships_and_the_key(make_case: Callable[..., Path]) -> None:
    root = parse(draw_genogram(case_from(make_case, FAMILY), TODAY).svg)
    boundaries = with_class(root, "household")
    assert len(boundaries) == 2
    assert all(b.tag == f"{SVG}polygon" and b.get("stroke-dasharray") for b in boundaries)
    assert sorted(texts(root, "household-label")) == ["Foster home", "Jo and Lee's home"]
    close = with_class(root, "tie", "close")
    assert len(close) == 2  # a double line
    conflict, = with_class(root, "tie", "conflict")
    assert len(conflict.get("points", "").split()) > 6  # a zigzag
    assert len(with_class(root, "tie", "cut-off")) == 4 and len(with_class(root, "tie", "cut-off", "bar")) == 2
    key = texts(root, "key-text")
    for entry in ("Male", "Female", "Sex not known", "The child", "Died (years of life)", "Living together",
                  "Divorced", "Birth child", "Adopted or fostered child", "Household", "Close", "Conflict",
                  "Cut off"):
        assert entry in key
    assert "Married" in key  # the grandparents
    assert "Separated" not in key  # nobody is


def test_a_minimal_case_still_has_a_key_of_shapes(make_case: Callable[..., Path]) -> None:
    people = """\
        people:
          - {id: ella, name: Ella Stone}
        """
    drawn = draw_genogram(case_from(make_case, people), TODAY)
    key = texts(parse(drawn.svg), "key-text")
    assert key[:3] == ["Male", "Female", "Sex not known"]
    assert drawn.people[0].age == ""
    assert Image.open(io.BytesIO(drawn.png)).size == (drawn.width, drawn.height)


# -- labels ------------------------------------------------------------------------------


def test_names_are_escaped_and_no_personal_data_is_in_attributes(make_case: Callable[..., Path]) -> None:
    name = "Zoë <O'Brien> & \"Al\""
    people = f"""\
        people:
          - id: ella
            name: '{name.replace("'", "''")}'
            sex: female
            born: 2017-04-09
            relationship: the <child> & "more"
            parents: [jo]
          - id: jo
            name: Jo Łukasz-Øster
            sex: female
            born: 1991-02-14
        households:
          - id: flat
            name: Jo's <flat> & co
            members: [jo]
        """
    drawn = draw_genogram(case_from(make_case, people), TODAY)
    root = parse(drawn.svg)
    assert name in " ".join(texts(root, "name"))
    assert name in (root.findtext(f"{SVG}title") or "")
    assert 'the <child> & "more"' in " ".join(texts(root, "relationship"))
    assert "Jo's <flat> & co" in texts(root, "household-label")
    for element in root.iter():
        for attribute, value in element.attrib.items():
            assert attribute != "id"
            for word in ("Zo", "Brien", "Stone", "Jo", "ella", "flat", "child"):
                assert word not in value or (attribute == "class" and word == "child"), (attribute, value)
    assert Image.open(io.BytesIO(drawn.png)).size == (drawn.width, drawn.height)


def test_ages_are_on_the_day_given(make_case: Callable[..., Path]) -> None:
    case = case_from(make_case, FAMILY)
    root = parse(draw_genogram(case, dt.date(2026, 11, 23)).svg)
    assert "Age 9" in texts(root, "age")  # Ella, born 2017-04-09
    root = parse(draw_genogram(case, dt.date(2027, 4, 9)).svg)
    assert "Age 10" in texts(root, "age")
    baby = """\
        people:
          - {id: ella, name: Ella Stone, sex: female, born: 2026-07-14}
        """
    root = parse(draw_genogram(case_from(make_case, baby), TODAY).svg)
    assert "Age 4 months" in texts(root, "age")


def test_the_people_table_follows_the_layout(make_case: Callable[..., Path]) -> None:
    case = case_from(make_case, FAMILY)
    drawn = draw_genogram(case, TODAY)
    layout = layout_genogram(case, TODAY)
    assert [p.id for p in drawn.people] == [p.id for p in layout.people]
    rows = [p.row for p in layout.people]
    assert rows == sorted(rows)
    by_id = {p.id: p for p in drawn.people}
    assert by_id["ella"].age == "9" and by_id["ella"].household == "Foster home"
    assert by_id["sky"].age == "" and by_id["sky"].sex == "unknown"
    assert by_id["jo"].household == "Jo and Lee's home" and by_id["jo"].relationship == "mother"
    assert by_id["rob"].household == ""


# -- a big family ------------------------------------------------------------------------

FIRST = ["Maximilian", "Florence", "Bartholomew", "Georgiana", "Oluwaseun", "Anastasia", "Christopher",
         "Wilhelmina", "Rhiannon", "Alexander", "Evangeline", "Nathaniel", "Persephone", "Sebastian",
         "Clementine", "Theodore", "Jacqueline", "Leopold", "Gwendolyn", "Frederick"]
LAST = ["Featherstonehaugh", "Ashworth-Delacroix", "Okonkwo", "Pemberton", "Villanueva", "Hargreaves",
        "Montgomery", "Fitzgerald", "Abernethy", "Chamberlain"]


def big_family() -> str:
    """40 fictional people over four generations, with couples of every kind."""
    lines: list[str] = ["people:"]
    couples: list[tuple[str, str, str]] = []
    count = itertools.count()

    def person(generation: int, parents: tuple[str, ...] = (), link: str = "birth",
               relationship: str | None = None, died: str | None = None) -> str:
        n = next(count)
        pid = f"p{n:02d}"
        sex = ("male", "female", "unknown")[n % 7 % 3] if n % 7 else "unknown"
        born = f"{1940 + 22 * generation + n % 9}-0{1 + n % 9}-1{n % 9}"
        lines.append(f"  - id: {pid}")
        lines.append(f"    name: {FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}")
        lines.append(f"    sex: {sex}")
        lines.append(f"    born: {born}")
        if died:
            lines.append(f"    died: {died}")
        lines.append(f"    relationship: {relationship or 'relative, on the side of the family we know about'}")
        if parents:
            lines.append(f"    parents: [{', '.join(parents)}]")
            lines.append(f"    parent_link: {link}")
        return pid

    def couple(a: str, b: str, status: str = "married") -> tuple[str, str]:
        couples.append((a, b, status))
        return a, b

    elders = [couple(person(0, died="2001-05-05" if i == 0 else None), person(0)) for i in range(4)]  # 8
    kids = [[person(1, e) for _ in range(n)] for e, n in zip(elders, (3, 2, 2, 2), strict=True)]  # 9
    in_laws = [person(1) for _ in range(3)]  # 3
    middle = [couple(kids[0][0], kids[1][0]), couple(kids[0][1], in_laws[0], "divorced"),
              couple(kids[2][0], kids[3][0], "cohabiting"), couple(kids[1][1], in_laws[1], "separated"),
              couple(kids[3][1], in_laws[2])]
    young = [[person(2, c, "adopted" if i == 1 else "birth") for i in range(n)]
             for c, n in zip(middle, (3, 2, 3, 1, 2), strict=True)]  # 11
    young.append([person(2, (kids[0][2],))])  # a single parent's child: 12
    partners = [person(2) for _ in range(2)]  # 2
    last = [couple(young[0][0], partners[0]), couple(young[2][1], partners[1], "cohabiting")]
    grandchildren = [person(3, last[0]) for _ in range(2)] + [person(3, last[1], "step")]  # 3
    grandchildren.append(person(3, (young[4][0],), relationship="the child"))  # 4
    carers = [person(1, relationship="foster carer") for _ in range(2)]  # 2 -> 40
    couple(*carers)
    lines.append("couples:")
    lines += [f"  - {{people: [{a}, {b}], status: {s}}}" for a, b, s in couples]
    lines.append("relationships:")
    lines += [f"  - {{people: [{grandchildren[-1]}, {elders[1][1]}], quality: close}}",
              f"  - {{people: [{grandchildren[-1]}, {young[4][0]}], quality: conflict}}",
              f"  - {{people: [{kids[0][0]}, {kids[0][1]}], quality: cut_off}}"]
    lines.append("households:")
    lines += [f"  - {{id: h1, name: The family home on the corner, members: [{', '.join([*middle[0], *young[0]])}]}}",
              f"  - {{id: h2, name: Foster home, members: [{carers[0]}, {carers[1]}, {grandchildren[-1]}]}}",
              f"  - {{id: h3, name: Grandparents' bungalow, members: [{', '.join(elders[2])}]}}"]
    assert next(count) == 40
    return "\n".join(lines) + "\n"


def big_case(make_case: Callable[..., Path]) -> Case:
    text = big_family()
    child = re.findall(r"id: (p\d\d)\n(?:    .*\n)*?    relationship: the child", text)[0]
    return case_from(make_case, text, child=child)


def test_forty_people_over_four_generations_stay_readable(make_case: Callable[..., Path]) -> None:
    case = big_case(make_case)
    assert len(case.people.people) == 40
    layout = layout_genogram(case, TODAY)
    assert {p.row for p in layout.people} == {0, 1, 2, 3}
    symbols = [p.symbol for p in layout.people]
    for a, b in itertools.combinations(symbols, 2):
        assert not a.overlaps(b), (a, b)
    for a, b in itertools.combinations(layout.labels, 2):
        assert not a.overlaps(b), (a, b)
    for symbol in symbols:
        assert not any(symbol.overlaps(label) for label in layout.labels)
    for p in layout.people:
        assert p.label.left >= 0 and p.label.right <= layout.width
    drawn = draw_genogram(case, TODAY)
    assert Image.open(io.BytesIO(drawn.png)).size == (drawn.width, drawn.height)


def test_the_same_records_draw_the_same_picture(make_case: Callable[..., Path]) -> None:
    case = big_case(make_case)
    first, second = draw_genogram(case, TODAY), draw_genogram(case, TODAY)
    assert first.svg == second.svg
    assert first.png == second.png
    again = load(case.folder)
    assert draw_genogram(again, TODAY).svg == first.svg


# -- writing -----------------------------------------------------------------------------


def test_write_genogram_writes_both_files_owner_only(tmp_path: Path) -> None:
    case = load(SAMPLES / "03-medium-agreement-review")
    folder = tmp_path / "out" / "pictures"
    paths = write_genogram(case, TODAY, folder)
    assert [p.name for p in paths] == ["genogram.svg", "genogram.png"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert parse(paths[0].read_text(encoding="utf-8")).tag == f"{SVG}svg"
    assert Image.open(paths[1]).format == "PNG"
    assert sorted(p.name for p in folder.iterdir()) == ["genogram.png", "genogram.svg"]  # no temporary files left
