"""`reunify site`: the pages hold what the commands say, in the shape the site's contract
gives them, written whole or not at all, owner-only, with nothing from elsewhere.

The pages are read with the standard library's HTML parser; the browser tests
(tests/test_site_browser.py) drive the same pages in Chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from reunify.cli import main
from reunify.practice.caseload import find_cases
from reunify.records import load_case
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY

CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")
VOID = {"meta", "link", "br", "input", "img", "hr", "path", "circle", "rect", "line"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    parts: list[str | Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Every element below with this tag and these attributes (class_: one of its
        classes; data_figure: data-figure)."""
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(self._has(child, key, value) for key, value in attrs.items()):
                found.append(child)
            found += child.find_all(tag, **attrs)
        return found

    @staticmethod
    def _has(node: Node, key: str, value: str) -> bool:
        if key == "class_":
            return value in node.attrs.get("class", "").split()
        return node.attrs.get(key.replace("_", "-")) == value

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self.stack) > 1:
            node = self.stack.pop()
            if node.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].parts.append(data)


def parse(path: Path) -> Node:
    builder = _Builder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def run(*args: str | Path, today: str = TODAY) -> tuple[int, str]:
    """`reunify ARGS` in this process; its exit status and stdout."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*(str(a) for a in args), "--today", today])
    return code, out.getvalue() + err.getvalue()


def as_json(*args: str | Path) -> dict:  # type: ignore[type-arg]
    code, text = run(*args)
    assert code in (0, 1), text
    return json.loads(text)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("samples") / "cases"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture(scope="module")
def site(samples: Path) -> Path:
    out = samples.parent / "site"
    code, text = run("site", samples, "--out", out)
    assert code == 0, text
    return out


def references(folder: Path) -> dict[str, str]:
    """Reference -> the child's name, for every sample case."""
    found = {}
    for case_folder in find_cases([folder]):
        case, _ = load_case(case_folder)
        assert case is not None and case.child is not None
        found[case.case.reference] = case.child.name
    return found


def test_every_case_gets_a_page_and_the_caseload_rows_come_in_caseload_order(samples: Path, site: Path) -> None:
    expected = as_json("caseload", samples, "--json")["cases"]
    index = parse(site / "index.html")
    rows = index.find("table", id="caseload").find("tbody").find_all("tr")
    assert [row.attrs["data-reference"] for row in rows] == [case["reference"] for case in expected]
    for row, case in zip(rows, expected, strict=True):
        assert row.attrs["data-risk"] == (case["risk"] or "none")
        assert row.attrs["data-overdue"] == str(case["overdue"])
        assert row.attrs["data-due"] == (case["next_due"] or "")
        assert row.attrs["data-worker"] == (case["next_who"] or "")
        if case["stage"]:
            assert row.attrs["data-stage"] == str(case["stage"])
        else:
            assert row.attrs["data-stage"] in ("ended", "closed")
        link = row.find("th", scope="row").find("a")
        slug = case["reference"].lower()
        assert link.attrs["href"] == f"cases/{slug}.html"
        assert link.text == case["child"]
        assert (site / "cases" / f"{slug}.html").is_file()
    assert len(list((site / "cases").glob("*.html"))) == len(expected) == 10
    counts = {div.attrs["data-count"]: div.find("dd").text for div in index.find("dl", id="counts").find_all("div")}
    assert counts["cases"] == "10"
    assert counts["overdue"] == str(sum(1 for case in expected if case["overdue"]))
    assert sum(int(counts[f"risk-{level}"]) for level in ("low", "medium", "high", "severe", "none")) == 10
    assert index.find("p", id="shown").text == "Showing 10 of 10 cases"
    assert "aria-sort" not in str([th.attrs for th in index.find("thead").find_all("th")])


def family_names(samples: Path) -> set[str]:
    """Everyone named in the samples' people.yaml: children, parents, relatives."""
    found = set()
    for path in samples.rglob("people.yaml"):
        for person in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("people") or []:
            if person.get("name"):
                found.add(person["name"])
    return found


def test_children_are_initials_unless_names_are_asked_for(samples: Path, site: Path, tmp_path: Path) -> None:
    """Nor is anyone in the family named: a parent's name gives away the child's."""
    names = references(samples)
    family = family_names(samples)
    team = {member["name"].split()[-1] for path in [*samples.rglob("case.yaml"), *samples.rglob("family.yaml")]
            for member in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("team") or []}
    surnames = {name.split()[-1] for name in family if len(name.split()) > 1} - team  # a worker is named
    assert len(family) > 30
    folders = [folder.name for folder in find_cases([samples]) if "-" in folder.name]  # 04-high-over-six-months
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not [name for name in names.values() if name in text], path
            assert not [name for name in family if name in text], path
            assert not [name for name in surnames if re.search(rf"\b{re.escape(name)}\b", text)], path
            assert not [name for name in folders if name in text or name in str(path)], path
    code, _ = run("site", samples, "--out", tmp_path / "named", "--names")
    assert code == 0
    index = (tmp_path / "named" / "index.html").read_text(encoding="utf-8")
    assert all(name in index for name in names.values())
    page = parse(tmp_path / "named" / "cases" / "wbc-ru-2026-004.html")
    assert names["WBC-RU-2026-004"] in page.find("h1").text


def test_every_page_is_marked_locked_down_and_fetches_nothing(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 13  # caseload, outcomes, a family, ten cases
    for path in pages:
        page = parse(path)
        assert page.find("html").attrs["lang"] == "en"
        assert page.find("meta", http_equiv="Content-Security-Policy").attrs["content"] == CSP
        assert page.find("header").find("p", class_="marking").text == "OFFICIAL-SENSITIVE"
        assert page.find("footer").find("p", class_="marking").text == "OFFICIAL-SENSITIVE"
        assert page.find("a").attrs["href"] == "#main"  # skip to content, first
        assert page.find("nav").attrs["aria-label"] == "Site"
        assert page.find("main").attrs["id"] == "main"
        assert page.find("p", class_="as-of").find("time").attrs["datetime"] == TODAY
        for node in page.find_all():
            for name in ("src", "href"):
                assert not node.attrs.get(name, "").lower().startswith(("http:", "https:", "//")), path
            assert not any(name.startswith("on") for name in node.attrs), path  # no inline handlers
        assert "<script>" not in path.read_text(encoding="utf-8")  # script only from assets/site.js
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "http" not in css and "@import" not in css


def test_each_case_page_shows_next_and_its_due_dates_as_next_does(samples: Path, site: Path) -> None:
    for case_folder in find_cases([samples]):
        expected = as_json("next", case_folder, "--json")
        page = parse(site / "cases" / f"{expected['child']['reference'].lower()}.html")
        actions = page.find("section", id="next").find_all("li", class_="action")
        assert [(a.attrs["data-step"], a.attrs["data-due"] or None, a.attrs["data-overdue"]) for a in actions] == [
            (step["step"], step["due"], "true" if step["overdue"] else "false") for step in expected["next"]]
        for action, step in zip(actions, expected["next"], strict=True):
            assert step["title"] in action.text
            if step["command"]:
                assert step["command"] in [code.text for code in action.find_all("code")]
        deadlines = page.find("section", id="deadlines").find_all("li", class_="deadline")
        assert [d.attrs["data-due"] for d in deadlines] == [
            d["date"] for d in expected["overdue"] + expected["upcoming"]]
        for section in ("summary", "stages", "risk", "history", "documents"):
            page.find("section", id=section)


def test_a_case_with_problems_lists_them_by_place_never_by_value(site: Path) -> None:
    page = parse(site / "cases" / "wbc-ru-2026-004.html")
    problems = page.find("section", id="problems").find_all("li")
    assert problems
    for item in problems:
        assert re.fullmatch(r"[\w./-]+\.yaml:\d+:\d+", item.find("code").text)


def test_each_case_lists_the_problems_check_finds_where_check_finds_them(samples: Path, site: Path) -> None:
    for case_folder in find_cases([samples]):
        found = as_json("check", case_folder, "--json")["cases"][0]["problems"]
        expected = [(f"{os.path.relpath(p['file'], case_folder)}:{p['line']}:{p['column']}", p["severity"],
                     p["message"]) for p in found if p["severity"] in ("error", "warning")]
        case, _ = load_case(case_folder)
        assert case is not None
        page = parse(site / "cases" / f"{case.case.reference.lower()}.html")
        shown = [(item.find("code").text, item.find("span", class_="severity").text,
                  item.text.split(": ", 2)[2]) for item in (
                     page.find("section", id="problems").find_all("li") if expected else [])]
        assert shown == expected, case_folder.name
        assert bool(page.find_all("section", id="problems")) == bool(expected)


def test_problems_are_placed_on_the_lines_the_round_trip_reader_gives() -> None:
    import datetime as dt

    from reunify.core.yamlio import FastLocator
    from reunify.core.yamlio import Locator
    from reunify.practice.checking import load_evaluation

    compared = 0
    for case_folder in find_cases([SAMPLES, ROOT / "tests" / "scenarios"]):
        evaluation, problems = load_evaluation(case_folder, dt.date(2026, 11, 23))
        if evaluation is not None:
            problems = problems + [m for state in evaluation.steps for m in state.missing]
        slow, fast = Locator(), FastLocator()
        for problem in problems:
            assert (slow.locate(problem).line, slow.locate(problem).column) == (
                fast.locate(problem).line, fast.locate(problem).column), (problem.file, problem.path)
            compared += 1
    assert compared > 500


def test_the_outcomes_page_has_the_figures_of_caseload_outcomes(samples: Path, site: Path) -> None:
    expected = as_json("caseload", samples, "--outcomes", "--json")
    page = parse(site / "outcomes.html")
    assert page.find("h1").text == "Outcomes"

    def figure(key: str) -> list[str]:
        return [cell.text for cell in page.find_all("td", data_figure=key)]

    assert figure("returned_home") == [str(expected["returned_home"])]
    assert figure("not_pursued") == [str(expected["not_pursued"])]
    assert figure("permanence") == [str(expected["permanence"])]
    for months in (6, 12):
        key = f"home_at_{months}_months"
        assert figure(f"{key}-home") + figure(f"{key}-of") == [str(expected[key]["home"]), str(expected[key]["of"])]
    for number, count in expected["reached"].items():
        assert figure(f"reached-{number}") == [str(count)]
    assert figure("ended_part_way") == [str(v) for v in expected["ended_part_way"].values()]
    assert figure("days_decision_1_to_return") == [str(d) for d in expected["days_decision_1_to_return"]]
    for section in page.find_all("section"):
        chart = section.find("svg")
        assert chart.attrs["role"] == "img" and chart.find("title").text and chart.find("desc").text
        assert section.find("table").find_all("th", scope="row")


def test_a_sibling_group_gets_a_family_page(samples: Path, site: Path) -> None:
    page = parse(site / "families" / "wbc-ru-2025-f08.html")
    assert page.find("h1").text == "Family WBC-RU-2025-F08"
    rows = page.find("tbody").find_all("tr")
    assert sorted(row.attrs["data-reference"] for row in rows) == ["WBC-RU-2025-031", "WBC-RU-2025-032",
                                                                    "WBC-RU-2025-033"]
    for row in rows:
        href = row.find("a").attrs["href"]
        assert href == f"../cases/{row.attrs['data-reference'].lower()}.html"
        assert (site / "families" / href).resolve().is_file()
    index = parse(site / "index.html")
    assert [a.attrs["href"] for a in index.find("section", id="families").find_all("a")] == [
        "families/wbc-ru-2025-f08.html"]
    assert "Families" in parse(site / "cases" / "wbc-ru-2026-004.html").find("nav").text


def test_record_values_show_as_written_never_run(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case(chronology_yaml="""\
        chronologist: cr
        entries:
          - date: 2026-05-02
            event: "<script>alert(1)</script> and {{ 7*7 }} in a note"
            source: School report
        """)
    code, text = run("site", case, "--out", tmp_path / "site")
    assert code == 0, text
    html = (tmp_path / "site" / "cases" / "test-001.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }} in a note" in html
    assert "<script>alert" not in html
    history = parse(tmp_path / "site" / "cases" / "test-001.html").find("section", id="history")
    assert "<script>alert(1)</script> and {{ 7*7 }} in a note" in history.text


def test_every_file_is_owner_only(site: Path) -> None:
    assert stat.S_IMODE(site.stat().st_mode) == 0o700
    for path in site.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def _profile(caseload: Path, template: str, name: str = "case") -> None:
    (caseload / "reunify.yaml").write_text("templates: local\n", encoding="utf-8")
    (caseload / "local" / "site").mkdir(parents=True, exist_ok=True)
    (caseload / "local" / "site" / f"{name}.html.j2").write_text(template, encoding="utf-8")


def test_a_failure_part_way_leaves_the_earlier_site_as_it_was(samples: Path, tmp_path: Path) -> None:
    caseload = tmp_path / "caseload"
    shutil.copytree(samples / "04-high-over-six-months", caseload / "04")
    out = tmp_path / "site"
    assert run("site", caseload, "--out", out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _profile(caseload, '{% extends "base.html.j2" %}{% block main %}{{ page.no_such_thing }}{% endblock %}')
    code, text = run("site", caseload, "--out", out, today="2026-12-01")
    assert code == 2
    assert text.startswith("error: ") and text.count("\n") == 1 and "case.html.j2" in text
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["caseload", "site"]  # no temporary folder left


def test_a_site_folder_that_cannot_be_written_changes_nothing(samples: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        code, text = run("site", samples / "03-medium-agreement-review", "--out", parent / "site")
    finally:
        parent.chmod(0o700)
    assert code == 2 and text.count("\n") == 1
    assert list(parent.iterdir()) == []


def test_a_site_folder_inside_a_file_is_refused_in_one_line(samples: Path, tmp_path: Path) -> None:
    """As any user, root included: the folder cannot be made, nothing is written."""
    notes = tmp_path / "notes.txt"
    notes.write_text("supervision notes\n", encoding="utf-8")
    code, text = run("site", samples / "03-medium-agreement-review", "--out", notes / "site")
    assert code == 2
    assert text.startswith("error: ") and text.count("\n") == 1 and "Traceback" not in text
    assert notes.read_text(encoding="utf-8") == "supervision notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_local_template_from_the_profile_replaces_the_bundled_one(samples: Path, tmp_path: Path) -> None:
    caseload = tmp_path / "caseload"
    shutil.copytree(samples / "03-medium-agreement-review", caseload / "03")
    _profile(caseload, '{% extends "base.html.j2" %}{% block title %}Outcomes{% endblock %}'
                       '{% block main %}<h1>Outcomes</h1><p id="local">Our own page: {{ outcomes.summary.cases }} '
                       'case</p>{% endblock %}', name="outcomes")
    assert run("site", caseload, "--out", tmp_path / "site")[0] == 0
    page = parse(tmp_path / "site" / "outcomes.html")
    assert page.find("p", id="local").text == "Our own page: 1 case"
    assert page.find("header").find("p", class_="marking").text == "OFFICIAL-SENSITIVE"  # the bundled base
    assert parse(tmp_path / "site" / "cases" / "wbc-ru-2026-007.html").find("section", id="next")


def test_the_profile_labels_name_the_levels_and_roles(samples: Path, tmp_path: Path) -> None:
    caseload = tmp_path / "caseload"
    shutil.copytree(samples / "04-high-over-six-months", caseload / "04")
    (caseload / "reunify.yaml").write_text("labels:\n  levels:\n    high: Higher\n  roles:\n"
                                           "    team_manager: Practice manager\n", encoding="utf-8")
    assert run("site", caseload, "--out", tmp_path / "site")[0] == 0
    index = parse(tmp_path / "site" / "index.html")
    assert index.find("tbody").find("span", class_="risk").text.strip() == "▲ Higher"
    page = parse(tmp_path / "site" / "cases" / "wbc-ru-2026-004.html")
    assert "Practice manager: Sunita Rao" in page.find("li", class_="action").find("p", class_="who").text
    assert page.find("section", id="summary").find("span", class_="risk").text.strip() == "▲ Higher"


def test_today_sets_the_day_shown_and_what_is_overdue(samples: Path, tmp_path: Path) -> None:
    case = samples / "03-medium-agreement-review"
    for day in ("2026-11-23", "2027-02-01"):
        assert run("site", case, "--out", tmp_path / day, today=day)[0] == 0
    early, late = (parse(tmp_path / day / "cases" / "wbc-ru-2026-007.html") for day in ("2026-11-23", "2027-02-01"))
    assert early.find("p", class_="as-of").text == "As of 23 November 2026"
    assert late.find("p", class_="as-of").text == "As of 1 February 2027"
    assert late.find("time").attrs["datetime"] == "2027-02-01"
    overdue = [len(page.find("section", id="deadlines").find_all("li", class_="overdue")) for page in (early, late)]
    assert overdue[0] < overdue[1]


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_an_out_that_is_not_a_site_is_refused(samples: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("notes\n", encoding="utf-8")
    else:
        out.mkdir()
        (out / "notes.txt").write_text("notes\n", encoding="utf-8")
    code, text = run("site", samples / "03-medium-agreement-review", "--out", out)
    assert code == 2
    assert text.startswith("error: ") and text.count("\n") == 1
    assert (out.read_text() if kind == "file" else (out / "notes.txt").read_text()) == "notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_case_that_cannot_be_read_shows_in_the_caseload_without_a_page(
        make_case: Callable[..., Path], tmp_path: Path) -> None:
    make_case("good")
    make_case("broken", risk_yaml="classifications: [oops\n")
    out = tmp_path / "site"
    code, text = run("site", tmp_path, "--out", out)
    assert code == 1
    assert "1 case could not be read" in text
    rows = parse(out / "index.html").find("tbody").find_all("tr")
    assert [row.attrs.get("class") for row in rows] == ["unreadable", None]
    assert [p.name for p in (out / "cases").iterdir()] == ["test-001.html"]


def test_an_earlier_site_is_replaced_whole(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run("site", samples / "03-medium-agreement-review", "--out", out)[0] == 0
    assert run("site", samples / "04-high-over-six-months", "--out", out)[0] == 0
    assert [p.name for p in (out / "cases").iterdir()] == ["wbc-ru-2026-004.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_large_caseload_is_read_in_parallel_and_cases_sharing_a_reference_get_a_page_each(
        samples: Path, tmp_path: Path) -> None:
    from reunify.practice.caseload import PARALLEL_FROM

    for number in range(PARALLEL_FROM):
        shutil.copytree(samples / "03-medium-agreement-review", tmp_path / "cases" / f"case-{number:02d}")
    code, text = run("site", tmp_path / "cases", "--out", tmp_path / "site", "--jobs", "2")
    assert code == 0, text
    pages = sorted(p.name for p in (tmp_path / "site" / "cases").iterdir())
    assert len(pages) == PARALLEL_FROM
    assert pages[:3] == ["wbc-ru-2026-007-10.html", "wbc-ru-2026-007-11.html", "wbc-ru-2026-007-12.html"]
    links = [a.attrs["href"] for a in parse(tmp_path / "site" / "index.html").find("tbody").find_all("a")]
    assert sorted(link.removeprefix("cases/") for link in links) == pages


def test_the_command_in_a_process_of_its_own(samples: Path, tmp_path: Path) -> None:
    env = {**os.environ, "REUNIFY_TODAY": "2026-11-23"}
    result = subprocess.run([sys.executable, "-m", "reunify", "site", str(samples), "--out", str(tmp_path / "s"),
                             "--jobs", "2"], capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"Site written to {tmp_path / 's'}/index.html: 10 case pages."]
    assert result.stderr == ""
    assert parse(tmp_path / "s" / "index.html").find("time").attrs["datetime"] == "2026-11-23"


def test_documents_are_rendered_into_the_site_and_linked(samples: Path, tmp_path: Path) -> None:
    code, text = run("site", samples / "03-medium-agreement-review", "--out", tmp_path / "site", "--documents")
    assert code == 0, text
    written = sorted(p.name for p in (tmp_path / "site" / "documents" / "wbc-ru-2026-007").iterdir())
    assert "reunification_plan.docx" in written
    section = parse(tmp_path / "site" / "cases" / "wbc-ru-2026-007.html").find("section", id="documents")
    links = sorted(a.attrs["href"].rsplit("/", 1)[1] for a in section.find_all("a"))
    assert links == written
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (tmp_path / "site" / "documents").rglob("*.docx"))


def test_a_row_with_nothing_to_do_yet_says_so(site: Path) -> None:
    """Sample 06 is home under a care order with nothing ready: its cell is not left blank."""
    index = (site / "index.html").read_text(encoding="utf-8")
    row = index[index.index('data-reference="WBC-RU-2025-011"'):]
    row = row[:row.index("</tr>")]
    assert "Nothing to do until the next due date" in row
