"""`reunify site` in a real browser: the system Chromium, driven by Playwright.

One site is built from a copy of the sample cases and opened from the file system (no
server), as a team manager would open it. The pages are held to the site's contract:
the caseload in the order `caseload --json` gives, sorting and filtering by keyboard
with the focus in view, each case's next actions as `next --json` gives them, the
outcomes as `caseload --outcomes --json` counts them, initials unless names are asked
for, nothing fetched from anywhere else, no serious accessibility violation (axe-core),
literal text for a record that holds markup, and a print view that carries the
protective marking on every page.
Screenshots are kept in test-artifacts/site/ (or $REUNIFY_ARTIFACTS) to be looked at.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import pytest

from reunify.cli import main
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Locator
    from playwright.sync_api import LocatorAssertions
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed: apt-get install chromium"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None
                       or importlib.util.find_spec("axe_playwright_python") is None,
                       reason="Playwright not installed: pip install -e '.[dev]'"),
]

CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")
MARKING = "OFFICIAL-SENSITIVE"
RISK_ORDER = ["none", "low", "medium", "high", "severe"]
HOSTILE = "<script>window.__pwned=1</script> {{ 7*7 }}"
HOSTILE_CASE = "06-home-under-care-order"
VISIBLE_ROWS = """() => Array.from(document.querySelectorAll('#caseload tbody tr'))
    .filter(row => row.getClientRects().length > 0).map(row => row.dataset.reference)"""


def reunify(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reunify", *map(str, args), "--today", TODAY],
                          capture_output=True, text=True, check=False, timeout=300)


@dataclass
class Site:
    root: Path
    built: subprocess.CompletedProcess[str]
    cases: list[dict[str, Any]]  # `caseload --json`'s rows, in its order
    next: dict[str, dict[str, Any]]  # `next --json` by reference
    folder: Path  # the case folders the site was built from

    def page(self, name: str) -> str:
        return (self.root / name).as_uri()

    def case_page(self, reference: str) -> str:
        return self.page(f"cases/{reference.lower()}.html")

    def family_pages(self) -> list[Path]:
        return sorted((self.root / "families").glob("*.html"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    base = tmp_path_factory.mktemp("site")
    cases = base / "caseload"
    shutil.copytree(SAMPLES, cases)
    # A record that holds markup and a template expression: the page must show it as typed.
    chronology = cases / HOSTILE_CASE / "chronology.yaml"
    text = chronology.read_text(encoding="utf-8")
    first_event = "event: Ollie born; Natalie and Scott living together."
    assert first_event in text
    chronology.write_text(text.replace(first_event, f'event: "Ollie born {HOSTILE}; Natalie and Scott living together."'),
                          encoding="utf-8")

    built = reunify("site", cases, "--out", base / "out")
    listed = reunify("caseload", cases, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)["cases"]
    # `next` in this process: a new one for each case would take longer than the browser.
    nexts = {row["reference"]: printed_json("next", row["case"]) for row in rows}
    return Site(base / "out", built, rows, nexts, cases)


def printed_json(*args: str | Path) -> Any:
    """What `reunify ARGS --json` prints, run in this process."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main([*map(str, args), "--json", "--today", TODAY])
    assert code == 0, args
    return json.loads(printed.getvalue())


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The system Chromium, not a downloaded one; CI runs as root, hence no sandbox.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def built(site: Site) -> Site:
    """The site, after saying why not when `reunify site` failed (the other tests' first check)."""
    if site.built.returncode != 0:
        pytest.fail(f"reunify site exited {site.built.returncode}: {site.built.stdout}{site.built.stderr}",
                    pytrace=False)
    return site


def expect(locator: Locator) -> LocatorAssertions:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def tab_to(page: Page, selector: str, presses: int = 60) -> None:
    """Press Tab from the top of the page until the element is focused, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page: Page, selector: str, value: str) -> None:
    """Choose an option of a focused <select> with the arrow keys (each move fires 'change')."""
    page.focus(selector)
    page.keyboard.press("Home")
    for _ in range(page.locator(f"{selector} option").count()):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    assert page.locator(selector).input_value() == value, f"{selector} has no option {value!r}"


def risk_of(row: dict[str, Any]) -> str:
    return row["risk"] or "none"


def row_data(page: Page) -> list[dict[str, str]]:
    return page.eval_on_selector_all("#caseload tbody tr", "rows => rows.map(row => ({...row.dataset}))")


def sort_state(page: Page) -> dict[str, str]:
    """aria-sort of each column header that says ascending or descending."""
    return page.eval_on_selector_all(
        "#caseload thead th", """headers => Object.fromEntries(headers
            .filter(th => ['ascending', 'descending'].includes(th.getAttribute('aria-sort')))
            .map(th => [th.querySelector('[data-sort]')?.dataset.sort ?? th.textContent.trim(),
                        th.getAttribute('aria-sort')]))""")


def ordered(values: list[Any], direction: str) -> bool:
    return values == sorted(values, reverse=direction == "descending")


def test_the_site_is_written_with_a_page_per_case(site: Site) -> None:
    built(site)
    assert len(site.built.stdout.strip().splitlines()) == 1, site.built.stdout
    assert str(len(site.cases)) in site.built.stdout
    for name in ("index.html", "outcomes.html", "assets/site.css", "assets/site.js"):
        assert (site.root / name).is_file(), name
    assert sorted(p.name for p in (site.root / "cases").iterdir()) == sorted(
        f"{row['reference'].lower()}.html" for row in site.cases)
    assert [p.name for p in site.family_pages()] == ["wbc-ru-2025-f08.html"]
    for path in [site.root, *site.root.rglob("*")]:
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path


def test_children_are_shown_by_initials_without_names(site: Site) -> None:
    texts = {path: path.read_text(encoding="utf-8") for path in built(site).root.rglob("*") if path.is_file()}
    for reference, shown in site.next.items():
        name = shown["child"]["name"]
        for word in (name, name.split()[0]):
            found = [str(path.relative_to(site.root)) for path, text in texts.items()
                     if re.search(rf"\b{re.escape(word)}\b", text)]
            assert not found, f"{reference}: the child's name in {found}"


def test_names_are_shown_only_when_asked_for(site: Site, page: Page, tmp_path: Path) -> None:
    done = reunify("site", built(site).folder, "--out", tmp_path / "named", "--names")
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (tmp_path / "named" / "cases").iterdir()) == sorted(
        p.name for p in (site.root / "cases").iterdir())  # file names stay references
    page.goto((tmp_path / "named" / "index.html").as_uri())
    for row in site.cases:
        name = site.next[row["reference"]]["child"]["name"]
        link = page.locator(f'#caseload tr[data-reference="{row["reference"]}"] th[scope="row"] a')
        assert link.inner_text().strip() == name, row["reference"]
    page.goto((tmp_path / "named" / "cases" / f"{site.cases[0]['reference'].lower()}.html").as_uri())
    assert site.next[site.cases[0]["reference"]]["child"]["name"] in page.locator("h1").inner_text()


def test_the_caseload_lists_every_case_in_the_order_of_caseload_json(site: Site, page: Page,
                                                                     browser: Browser) -> None:
    page.goto(built(site).page("index.html"))
    assert page.locator("h1").inner_text() == "Caseload"
    rows = row_data(page)
    assert [r["reference"] for r in rows] == [c["reference"] for c in site.cases]
    for shown, row in zip(rows, site.cases, strict=True):
        assert shown["risk"] == risk_of(row), row["reference"]
        assert shown["overdue"] == str(row["overdue"]), row["reference"]
        assert shown["due"] == (row["next_due"] or ""), row["reference"]
        assert shown["worker"] == (row["next_who"] or ""), row["reference"]
        assert shown["stage"] == str(row["stage"]) if row["stage"] else shown["stage"] in ("ended", "closed"), (
            row["reference"])
        # The row's header cell links to the case page by its reference, showing initials only.
        link = page.locator(f'#caseload tbody tr[data-reference="{row["reference"]}"] th[scope="row"] a')
        assert link.get_attribute("href") == f"cases/{row['reference'].lower()}.html"
        assert link.inner_text().strip() == row["child"]
    assert sort_state(page) == {}
    assert page.locator("#shown").inner_text().strip() == f"Showing {len(rows)} of {len(rows)} cases"

    counts = dict(zip(page.locator("#counts > div").evaluate_all("divs => divs.map(d => d.dataset.count)"),
                      page.locator("#counts dd").all_inner_texts(), strict=True))
    assert counts["cases"] == str(len(site.cases))
    assert counts["overdue"] == str(sum(1 for c in site.cases if c["overdue"]))
    for level in RISK_ORDER[1:]:
        assert counts[f"risk-{level}"] == str(sum(1 for c in site.cases if c["risk"] == level)), level

    # With script off the table is still whole and in order.
    plain = browser.new_context(java_script_enabled=False)
    try:
        without = plain.new_page()
        without.goto(site.page("index.html"))
        assert [r["reference"] for r in row_data(without)] == [c["reference"] for c in site.cases]
        assert without.evaluate(VISIBLE_ROWS) == [c["reference"] for c in site.cases]
    finally:
        plain.close()


@pytest.mark.parametrize(("key", "value_of"), [
    ("due", lambda row: row["due"]),
    ("risk", lambda row: RISK_ORDER.index(row["risk"])),
    ("overdue", lambda row: int(row["overdue"])),
    ("reference", lambda row: row["reference"]),
])
def test_sorting_by_keyboard(site: Site, page: Page, key: str, value_of: Any) -> None:
    page.goto(built(site).page("index.html"))
    everyone = sorted(c["reference"] for c in site.cases)
    tab_to(page, f'#caseload button[data-sort="{key}"]')

    page.keyboard.press("Enter")
    expect(page.locator(f'#caseload th:has(button[data-sort="{key}"])')).to_have_attribute(
        "aria-sort", re.compile("ascending|descending"))
    first = sort_state(page)
    assert list(first) == [key], first
    rows = row_data(page)
    assert sorted(r["reference"] for r in rows) == everyone
    # Rows with nothing to sort by (no due date) may go either end; the rest are in order.
    values = [value_of(r) for r in rows if r[key] != ""]
    assert ordered(values, first[key]), (first, values)

    page.keyboard.press(" ")
    expect(page.locator(f'#caseload th:has(button[data-sort="{key}"])')).not_to_have_attribute(
        "aria-sort", first[key])
    second = sort_state(page)
    assert second == {key: "descending" if first[key] == "ascending" else "ascending"}, second
    rows = row_data(page)
    assert sorted(r["reference"] for r in rows) == everyone
    values = [value_of(r) for r in rows if r[key] != ""]
    assert ordered(values, second[key]), (second, values)


def contrast(colour: str, background: tuple[int, int, int] = (255, 255, 255)) -> float:
    """WCAG contrast ratio of a CSS rgb()/rgba() colour against a background."""
    def luminance(rgb: tuple[int, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    rgb = tuple(int(float(part)) for part in re.findall(r"[\d.]+", colour)[:3])
    lighter, darker = sorted((luminance(rgb), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_keyboard_focus_is_visible(site: Site, page: Page) -> None:
    # Each control a keyboard reaches on the caseload shows where the focus is, at 3:1 or more
    # against the white page (WCAG 1.4.11, non-text contrast).
    page.goto(built(site).page("index.html"))
    reached = []
    for _ in range(16):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const element = document.activeElement, style = getComputedStyle(element);
            return {what: element.outerHTML.slice(0, 60), style: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), colour: style.outlineColor}; }"""))
    assert any("data-sort" in focused["what"] for focused in reached)
    for focused in reached:
        assert focused["style"] != "none" and focused["width"] >= 2, focused
        assert contrast(focused["colour"]) >= 3, focused


def test_filtering_by_keyboard(site: Site, page: Page) -> None:
    page.goto(built(site).page("index.html"))
    total = len(site.cases)
    assert page.locator('form#filters[role="search"]').get_attribute("aria-label")
    assert page.locator("#shown").get_attribute("aria-live") == "polite"
    for control in ("filter-worker", "filter-risk", "filter-stage", "filter-overdue"):
        assert page.locator(f'label[for="{control}"]').inner_text().strip(), control

    def shows(expected: list[str]) -> None:
        # The live region first (waiting for it, should the page filter a moment later), then the rows.
        expect(page.locator("#shown")).to_have_text(f"Showing {len(expected)} of {total} cases")
        assert page.evaluate(VISIBLE_ROWS) == expected

    for level in ("high", "medium", "none"):
        choose(page, "#filter-risk", level)
        shows([c["reference"] for c in site.cases if risk_of(c) == level])
    choose(page, "#filter-risk", "")
    shows([c["reference"] for c in site.cases])

    page.focus("#filter-overdue")
    page.keyboard.press(" ")
    assert page.locator("#filter-overdue").is_checked()
    shows([c["reference"] for c in site.cases if c["overdue"]])
    page.keyboard.press(" ")
    shows([c["reference"] for c in site.cases])

    workers = page.locator("#filter-worker option").evaluate_all("options => options.map(o => o.value)")
    assert workers[0] == ""
    assert sorted(workers[1:]) == sorted({c["next_who"] for c in site.cases if c["next_who"]})
    busiest = Counter(c["next_who"] for c in site.cases if c["next_who"]).most_common(1)[0][0]
    choose(page, "#filter-worker", busiest)
    shows([c["reference"] for c in site.cases if c["next_who"] == busiest])

    stages = page.locator("#filter-stage option").evaluate_all("options => options.map(o => o.value)")
    assert stages[0] == "" and "4" in stages
    choose(page, "#filter-stage", "4")
    shows([c["reference"] for c in site.cases if c["next_who"] == busiest and c["stage"] == 4])


def test_each_case_page_shows_the_next_actions_of_next_json(site: Site, page: Page) -> None:
    for row in built(site).cases:
        reference = row["reference"]
        expected = site.next[reference]
        page.goto(site.case_page(reference))
        assert reference in page.locator("h1").inner_text()
        actions = page.locator("#next li.action")
        shown = actions.evaluate_all("items => items.map(li => ({...li.dataset}))")
        assert [(a["step"], a["due"], a["overdue"]) for a in shown] == [
            (n["step"], n["due"] or "", "true" if n["overdue"] else "false") for n in expected["next"]], reference
        for index, action in enumerate(expected["next"]):
            item = actions.nth(index)
            text = item.inner_text()
            assert action["title"] in text, (reference, action["step"])
            assert all(name in text for name in action["who"]), (reference, action["step"])
            if action["due"]:
                assert item.locator(f'time[datetime="{action["due"]}"]').count(), (reference, action["step"])
                assert action["due_rule"] in text, (reference, action["step"])
            if action["command"]:
                assert action["command"] in item.locator("code").all_inner_texts(), (reference, action["step"])

        deadlines = page.locator("#deadlines li.deadline")
        overdue = deadlines.evaluate_all("items => items.filter(li => li.classList.contains('overdue'))"
                                         ".map(li => li.dataset.due)")
        upcoming = deadlines.evaluate_all("items => items.filter(li => li.classList.contains('upcoming'))"
                                          ".map(li => li.dataset.due)")
        assert sorted(overdue) == sorted(d["date"] for d in expected["overdue"]), reference
        assert not Counter(d["date"] for d in expected["upcoming"]) - Counter(upcoming), reference
        # What `check` finds is listed (the caseload row counts it), each by where it is.
        found = row["errors"] + row["warnings"]
        assert page.locator("#problems li").count() == found, reference
        assert page.locator("#problems").count() == (1 if found else 0), reference


def test_outcomes_show_the_figures_of_caseload_outcomes_json(site: Site, page: Page) -> None:
    expected = printed_json("caseload", built(site).folder, "--outcomes")
    page.goto(site.page("outcomes.html"))
    shown: dict[str, list[str]] = {}
    for figure in page.locator("[data-figure]").all():
        shown.setdefault(figure.get_attribute("data-figure") or "", []).append(figure.inner_text().strip())
    numbers = {key: [float(value.replace(",", "")) for value in values] for key, values in shown.items()}
    for stage, count in expected["reached"].items():
        assert numbers[f"reached-{stage}"] == [count], stage
    for key in ("returned_home", "not_pursued", "permanence"):
        assert numbers[key] == [expected[key]], key
    for months in (6, 12):
        key = f"home_at_{months}_months"
        assert [numbers[f"{key}-home"], numbers[f"{key}-of"]] == [[expected[key]["home"]], [expected[key]["of"]]]
    assert numbers["ended_part_way"] == list(expected["ended_part_way"].values())
    assert numbers["days_decision_1_to_return"] == sorted(expected["days_decision_1_to_return"])
    assert numbers["median_days_decision_1_to_return"] == [expected["median_days_decision_1_to_return"]]


def test_family_page_lists_each_child(site: Site, page: Page) -> None:
    families = built(site).family_pages()
    assert families
    page.goto(families[0].as_uri())
    assert "WBC-RU-2025-F08" in page.locator("h1").inner_text()
    children = [c["reference"] for c in site.cases if "08-sibling-group" in c["case"]]
    assert sorted(page.eval_on_selector_all("tbody tr[data-reference]", "rows => rows.map(r => r.dataset.reference)")
                  ) == sorted(children)
    for reference in children:
        link = page.locator(f'tr[data-reference="{reference}"] a').first
        assert link.get_attribute("href") == f"../cases/{reference.lower()}.html"


def test_nothing_loads_from_elsewhere(site: Site, page: Page) -> None:
    requested: list[str] = []
    complaints: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: complaints.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: complaints.append(f"script error: {error}"))
    pages = sorted(built(site).root.rglob("*.html"))
    assert len(pages) >= len(site.cases) + 2
    for path in pages:
        page.goto(path.as_uri())
        name = path.relative_to(site.root)
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") == CSP, name
        # Every link inside the site leads to a file that exists.
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if href.startswith("file:"):
                target = Path(href.split("#")[0].removeprefix("file://"))
                assert target.exists(), f"{name}: {href}"
    outside = [url for url in requested if not url.startswith(("file:", "data:"))]
    assert not outside
    assert not complaints, "\n".join(complaints)  # a Content-Security-Policy refusal shows here
    for path in [*pages, *site.root.rglob("*.css"), *site.root.rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"""(?:src|href)\s*=\s*["']?\s*https?:|url\(\s*["']?\s*https?:|@import""", text, re.I)
        assert not found, f"{path.relative_to(site.root)}: {found}"


LANDMARKS = """() => {
  const broken = [];
  const one = selector => document.querySelector(selector);
  if (document.documentElement.lang !== 'en') broken.push('html lang');
  if (!document.title.trim()) broken.push('title');
  for (const selector of ['header', 'nav[aria-label="Site"]', 'main#main', 'footer', 'header .marking',
                          'footer .marking', 'p.as-of time[datetime]']) {
    if (!one(selector)) broken.push('no ' + selector);
  }
  const first = one('body a[href], body button, body input, body select');
  if (!first || first.getAttribute('href') !== '#main' || !/skip to content/i.test(first.textContent)) {
    broken.push('"Skip to content" is not the first control');
  }
  for (const landmark of ['header', 'footer']) {
    if (!one(landmark)?.innerText.trim().startsWith('OFFICIAL-SENSITIVE')) broken.push(landmark + ' marking first');
  }
  const shapes = {none: '○', low: '●', medium: '◆', high: '▲', severe: '■'};
  for (const risk of document.querySelectorAll('.risk')) {
    const shape = risk.querySelector('.risk-shape');
    const level = risk.dataset.risk;
    if (!(level in shapes) || !risk.classList.contains('risk-' + level) || shape?.textContent !== shapes[level]
        || shape.getAttribute('aria-hidden') !== 'true' || !risk.textContent.replace(shape.textContent, '').trim()) {
      broken.push('risk shown without its word and shape: ' + risk.outerHTML.slice(0, 100));
    }
  }
  for (const chart of document.querySelectorAll('main svg')) {
    const names = (chart.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (chart.getAttribute('role') !== 'img' || !names.length || names.some(id => !document.getElementById(id))
        || !chart.querySelector('title') || !chart.querySelector('desc')) {
      broken.push('chart without role, title and description');
    }
  }
  return {broken, asOf: one('p.as-of time')?.getAttribute('datetime')};
}"""


def test_every_page_has_its_landmarks_marking_and_day(site: Site, page: Page) -> None:
    for path in sorted(built(site).root.rglob("*.html")):
        page.goto(path.as_uri())
        found = page.evaluate(LANDMARKS)
        assert not found["broken"], f"{path.relative_to(site.root)}: {found['broken']}"
        assert found["asOf"] == TODAY, path.relative_to(site.root)
    for reference in ("WBC-RU-2026-004", "WBC-RU-2025-011"):
        page.goto(site.case_page(reference))
        assert page.locator("#risk svg").count() == 1, reference
        assert page.locator("#risk table tbody tr").count() >= 1, reference
        assert page.locator("#stages h3").count() == 5, reference
        assert page.locator("#history time").count() >= 1, reference
        # Without --documents: the list, and the command that renders them.
        assert page.locator('#documents a[href$=".docx"]').count() == 0, reference
        assert "reunify render" in page.locator("#documents").inner_text(), reference
    page.goto(site.page("outcomes.html"))
    assert page.locator("h1").inner_text() == "Outcomes"
    for section in page.locator("main section").all():
        assert section.locator("svg").count() >= 1 and section.locator("table th[scope]").count() >= 1


ACCESSIBILITY_PAGES = ["index.html", "cases/wbc-ru-2026-004.html", "cases/wbc-ru-2025-011.html", "outcomes.html",
                       "family"]


@pytest.mark.parametrize("name", ACCESSIBILITY_PAGES)
def test_no_serious_accessibility_violations(site: Site, page: Page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    built(site)
    page.goto(site.family_pages()[0].as_uri() if name == "family" else site.page(name))
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in serious)


def artifacts() -> Path:
    folder = Path(os.environ.get("REUNIFY_ARTIFACTS") or ROOT / "test-artifacts" / "site")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(("shot", "name"), [
    ("caseload", "index.html"),
    ("case-04", "cases/wbc-ru-2026-004.html"),
    ("outcomes", "outcomes.html"),
])
def test_screenshots_are_kept_to_be_looked_at(site: Site, page: Page, shot: str, name: str) -> None:
    from PIL import Image

    page.goto(built(site).page(name))
    path = artifacts() / f"{shot}.png"
    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as image:
        assert image.width == 1280
        assert image.height >= 600
        colours = image.convert("RGB").getcolors(maxcolors=100_000)
        assert colours is None or len(colours) > 50, f"{path} looks blank"


def test_a_record_holding_markup_shows_it_as_typed(site: Site, page: Page) -> None:
    reference = next(c["reference"] for c in built(site).cases if c["case"].endswith(HOSTILE_CASE))
    page.goto(site.case_page(reference))
    history = page.locator("#history")
    assert HOSTILE in history.inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    entry = history.locator("tr, li").filter(has_text="{{ 7*7 }}").last
    assert "49" not in entry.inner_text()
    assert page.locator("#history script").count() == 0


def test_documents_are_linked_from_the_case_page(page: Page, tmp_path: Path) -> None:
    case = shutil.copytree(SAMPLES / "03-medium-agreement-review", tmp_path / "caseload" / "03")
    done = reunify("site", case, "--out", tmp_path / "site", "--documents")
    assert done.returncode == 0, done.stdout + done.stderr
    listed = printed_json("render", case, "--list")["cases"][0]["documents"]
    ready = sorted(f"{d['document']}.docx" for d in listed if d["ready"])
    folder = tmp_path / "site" / "documents" / "wbc-ru-2026-007"
    assert sorted(p.name for p in folder.iterdir()) == ready

    page.goto((tmp_path / "site" / "cases" / "wbc-ru-2026-007.html").as_uri())
    links = page.eval_on_selector_all('#documents a[href$=".docx"]', "links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == [f"../documents/wbc-ru-2026-007/{name}" for name in ready]


PRINTED_TEXT = """() => [...document.querySelectorAll('body *')]
    .filter(element => [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim())
                       && element.getClientRects().length && getComputedStyle(element).visibility !== 'hidden'
                       && getComputedStyle(element).printColorAdjust !== 'exact')
    .map(element => ({what: element.outerHTML.slice(0, 80), colour: getComputedStyle(element).color}))"""


def test_printed_text_reads_on_white_paper(site: Site, page: Page) -> None:
    # A browser prints no backgrounds: white text on a coloured badge would vanish on paper.
    page.emulate_media(media="print")
    faint = []
    for path in sorted(built(site).root.rglob("*.html")):
        page.goto(path.as_uri())
        faint += [f"{path.relative_to(site.root)}: {text['what']} ({text['colour']})"
                  for text in page.evaluate(PRINTED_TEXT) if contrast(text["colour"]) < 4.5]
    assert not faint, "\n".join(faint)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
@pytest.mark.parametrize("name", ["index.html", "cases/wbc-ru-2025-011.html"])
def test_printed_pages_carry_the_marking(site: Site, page: Page, name: str, tmp_path: Path) -> None:
    page.goto(built(site).page(name))
    page.emulate_media(media="print")
    assert page.locator('nav[aria-label="Site"]').is_hidden()
    assert page.locator("#filters").is_hidden()
    assert all(button.is_hidden() for button in page.locator("button[data-sort]").all())
    assert page.locator("header .marking").first.is_visible()
    assert page.locator("header .marking").first.inner_text().strip() == MARKING
    printed_style = page.evaluate("""() => {
        const body = getComputedStyle(document.body);
        return {colour: body.color, background: body.backgroundColor,
                rows: [...document.querySelectorAll('main tbody tr')].map(row => getComputedStyle(row).breakInside)};
    }""")
    assert printed_style["colour"] == "rgb(0, 0, 0)", printed_style["colour"]
    assert printed_style["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), printed_style["background"]
    assert set(printed_style["rows"]) == {"avoid"}, set(printed_style["rows"])

    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    printed = [sheet for sheet in text.split("\f") if sheet.strip()]
    assert printed
    assert all(MARKING in sheet for sheet in printed), [i + 1 for i, s in enumerate(printed) if MARKING not in s]


@pytest.mark.parametrize(("name", "landscape"), [("index.html", True), ("cases/wbc-ru-2025-011.html", False)])
def test_pages_print_on_a4_the_caseload_across_it(site: Site, page: Page, name: str, landscape: bool,
                                                  tmp_path: Path) -> None:
    """The page size is the site's own (A4, as printed in the UK), the caseload's many
    columns on landscape pages."""
    page.goto(built(site).page(name))
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    width, height = float(size.group(1)), float(size.group(2))
    assert sorted((round(width), round(height))) == [595, 842], info  # A4 in points
    assert (width > height) is landscape
