"""What monitors a child at home: visits, SDQs, reviews and the outcomes tool on the monitoring
form; the nominated officer's approval, the visit rule for the legal status, the visit log,
contact and court orders on the placed-with-parents front sheet, offered only where it
applies; `reunify outcomes` and `reunify court-order`; the six months home review waiting
for the outcomes tool.

Documents are rendered with `reunify render` and read back with python-docx; expected
values come from the sample's records, loaded with `load_case`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from reunify.records import load_case
from reunify.records import models as m
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.conftest import snapshot
from tests.terminal import needs_pty
from tests.terminal import reunify_env
from tests.terminal import run_on_a_terminal
from tests.test_documents import joined
from tests.test_documents import long_date
from tests.test_documents import normalise
from tests.test_documents import table_rows

Cli = Callable[..., Result]
SAMPLE_06 = SAMPLES / "06-home-under-care-order"
SIBLINGS = SAMPLES / "08-sibling-group"
SCENARIO_41 = ROOT / "tests" / "scenarios" / "41-six-month-review"
REFERENCE = yaml.safe_load((ROOT / "reunify" / "workflow" / "reference.yaml").read_text(encoding="utf-8"))
TOOL = REFERENCE["outcomes_tool"]
AREAS = list(TOOL["areas"])
ALL_RATED = [word for area in AREAS for word in ("--rating", f"{area}=4")]
MEETINGS = REFERENCE["meetings"]


def render(cli: Cli, folder: Path, out: Path, *documents: str) -> dict[str, Path]:
    args = [arg for document in documents for arg in ("--doc", document)]
    result = cli("render", folder, "--out", out, *args)
    assert result.code == 0, result.out + result.err
    return {document: out / f"{document}.docx" for document in documents}


def parent_band(total: int) -> str:
    """The SDQ band of a parent's total difficulties score (domain.md: 0-13, 14-16, 17-40)."""
    return "Close to average" if total <= 13 else "Borderline" if total <= 16 else "Cause for concern"


def listed(cli: Cli, folder: Path) -> dict[str, dict[str, object]]:
    result = cli("render", folder, "--list", "--json")
    assert result.code == 0, result.out + result.err
    [case] = json.loads(result.out)["cases"]
    return {d["document"]: d for d in case["documents"]}


@pytest.fixture(scope="module")
def sample_06_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from reunify.cli import main

    out = tmp_path_factory.mktemp("sample-06")
    code = main(["render", str(SAMPLE_06), "--out", str(out), "--doc", "monitoring_form", "--doc", "pwp_front_sheet",
                 "--today", "2026-11-23"])
    assert code == 0
    return {"monitoring_form": out / "monitoring_form.docx", "pwp_front_sheet": out / "pwp_front_sheet.docx"}


# -- the monitoring form ----------------------------------------------------------------


def test_the_monitoring_form_lists_every_visit_with_the_visit_rule_in_force(
        sample_06_documents: dict[str, Path]) -> None:
    case, _ = load_case(SAMPLE_06)
    assert case is not None and len(case.events.visits) >= 4
    rows = table_rows(sample_06_documents["monitoring_form"])
    for visit in case.events.visits:
        member = case.member(visit.by)
        assert member is not None
        assert (long_date(visit.date), "Announced" if visit.announced else "Unannounced",
                "Yes" if visit.seen_alone else "No (flagged)", member.name, normalise(visit.note or "")) in rows
    text = joined(sample_06_documents["monitoring_form"])
    # Ollie is placed with his mother under a care order: reg 28(2), not the interim care order's rule.
    rule = REFERENCE["rules"]["visits"]["placed_with_parents"]
    assert f"{rule['title']}: within 1 week of the placement, then at most every 6 weeks" in text
    assert f"Source: {rule['source']}." in text
    assert REFERENCE["rules"]["visits"]["interim_care_order"]["source"] not in text
    assert "the child was seen alone at every visit" in text


def test_the_monitoring_form_lists_every_sdq_with_its_band_and_every_review(
        sample_06_documents: dict[str, Path]) -> None:
    case, _ = load_case(SAMPLE_06)
    assert case is not None
    rows = table_rows(sample_06_documents["monitoring_form"])
    assert len(case.events.sdq) >= 3
    for score in case.events.sdq:
        assert score.informant == "parent"
        assert any(row[:4] == (long_date(score.date), "Parent or carer", str(score.total), parent_band(score.total))
                   for row in rows), score
    reviews = [x for x in case.events.meetings if x.meeting in ("cic_review", "tac", "cin_review")]
    assert {x.meeting for x in reviews} == {"cic_review", "tac"}
    for meeting in reviews:
        found = [row for row in rows if row[:2] == (long_date(meeting.date), MEETINGS[meeting.meeting]["title"])]
        assert len(found) == 1, meeting
        assert found[0][3] == normalise(meeting.decided or "")
        for who in meeting.attendees:  # each attendee by name, with their role or relationship
            person, member = case.person(who), case.member(who)
            assert (person or member) is not None
            assert (person or member).name in found[0][2]  # type: ignore[union-attr]
        for other in meeting.others:
            assert other in found[0][2]
    # A planning meeting is not a review.
    assert not any("Assessment planning meeting" in row for row in rows)


def test_the_monitoring_form_shows_the_outcomes_tool_area_by_completion(
        sample_06_documents: dict[str, Path]) -> None:
    case, _ = load_case(SAMPLE_06)
    assert case is not None
    completions = sorted(case.events.outcomes, key=lambda c: c.date)
    assert [c.at for c in completions] == ["assessment", "agreement"]
    rows = table_rows(sample_06_documents["monitoring_form"])
    header = ("Area", *(f"{long_date(c.date)} {TOOL['points'][c.at]['title']}" for c in completions))
    assert header in rows
    for area in AREAS:
        expected = tuple(f"{c.areas[area].rating} {TOOL['scale'][c.areas[area].rating]['label']}" for c in completions)
        assert (TOOL["areas"][area]["title"], *expected) in rows, area
    # The change shows: safety from Concern to Some progress.
    assert (TOOL["areas"]["safety"]["title"], "2 Concern", "3 Some progress") in rows
    for completion in completions:
        names = ", ".join(p.name for p in map(case.person, completion.people) if p)
        assert any(row[0] == long_date(completion.date) and row[-1] == names for row in rows)
        for area, rated in completion.areas.items():
            if rated.note:
                assert (long_date(completion.date), TOOL["areas"][area]["title"], str(rated.rating),
                        normalise(rated.note)) in rows
    for point, item in TOOL["scale"].items():
        assert (f"{point} {item['label']}", item["meaning"]) in rows


# -- the front sheet --------------------------------------------------------------------


def test_the_front_sheet_shows_the_nominated_officers_approval_visits_contact_and_orders(
        sample_06_documents: dict[str, Path]) -> None:
    case, _ = load_case(SAMPLE_06)
    assert case is not None
    sheet = sample_06_documents["pwp_front_sheet"]
    rows = table_rows(sheet)
    text = joined(sheet)
    d3 = next(d for d in case.decisions.decisions if d.id == "D3")
    head = case.member(d3.ratified_by)
    emergency = next(s for s in case.events.steps if s.step == "emergency_pwp")
    assert head is not None and head.role == "head_of_service" and emergency.by == head.id and d3.ratified
    assert ("Approved by the nominated officer",
            f"{head.name} (Head of locality or service): Decision 3 ratified on {long_date(d3.ratified)}; "
            f"emergency placed-with-parents approval on {long_date(emergency.date)}") in rows
    assert ("Emergency placed-with-parents approval", "Approved") in rows
    assert ("Reason or note", normalise(emergency.note or "")) in rows
    # The visit rule for a care order, with its source; the visits since the placement.
    rule = REFERENCE["rules"]["visits"]["placed_with_parents"]
    assert f"Source: {rule['source']}." in text
    assert "reg 28(3)" not in text
    placed = next(p for p in case.case.placements if p.code == "P1")
    assert f"Placed with parents since {long_date(placed.since)}." in text
    for visit in case.events.visits:
        assert any(row[0] == long_date(visit.date) and row[1] in ("Announced", "Unannounced") for row in rows)
    # The contact arrangements of the plan, and the court orders about contact.
    for contact in case.plan.contact:
        names = ", ".join(p.name for p in map(case.person, contact.people) if p)
        assert (names, normalise(contact.arrangement), "Yes" if contact.supervised else "No",
                long_date(contact.since) if contact.since else "") in rows
    orders = {o.kind: o for o in case.case.orders}
    no_contact, other = orders["no_contact"], orders["other"]
    assert ("No contact order", "Scott Mellor", long_date(no_contact.made), no_contact.court,
            normalise(no_contact.terms)) in rows
    assert other.until is not None
    assert ("Other court order", "Scott Mellor", long_date(other.made), other.court,
            f"{normalise(other.terms)} In force until {long_date(other.until)}.") in rows


def test_the_front_sheet_prints_the_interim_care_order_rule_and_only_visits_since_the_placement(
        cli: Cli, tmp_path: Path) -> None:
    folder = shutil.copytree(SAMPLE_06, tmp_path / "case")
    case_text = (folder / "case.yaml").read_text(encoding="utf-8")
    full = "  - code: C2  # full care order; it stays in force while Ollie is placed at home\n    from: 2025-08-28\n"
    assert full in case_text
    (folder / "case.yaml").write_text(case_text.replace(full, ""), encoding="utf-8")  # still an interim order
    events = (folder / "events.yaml").read_text(encoding="utf-8")
    first = "  - {date: 2026-07-10, by: sw-wainwright, announced: true, seen_alone: true}\n"
    before = "  - {date: 2026-06-20, by: sw-wainwright, announced: true, seen_alone: false}\n"
    (folder / "events.yaml").write_text(events.replace(first, before + first), encoding="utf-8")
    written = render(cli, folder, tmp_path / "out", "pwp_front_sheet", "monitoring_form")
    text = joined(written["pwp_front_sheet"])
    interim = REFERENCE["rules"]["visits"]["interim_care_order"]
    assert f"{interim['title']}: within 1 week of the placement, then at most every week until the first " \
           "child-in-care review" in text
    assert f"Source: {interim['source']}." in text
    # The stricter, more specific rule first.
    assert text.index(interim["title"]) < text.index(REFERENCE["rules"]["visits"]["placed_with_parents"]["title"] + ":")
    # The visit before the placement is on the monitoring form, not on the front sheet's log.
    assert "20 June 2026" not in text
    assert ("20 June 2026", "Announced", "No (flagged)", "Chloe Wainwright", "") in table_rows(written["monitoring_form"])


def test_the_front_sheet_is_offered_only_to_a_child_placed_with_parents_under_an_order_or_about_to_be(
        cli: Cli, make_case: Callable[..., Path], tmp_path: Path) -> None:
    # Accommodated under section 20 (sample 03), and under section 20 on the permanence path (05).
    for sample in ("03-medium-agreement-review", "05-severe-permanence"):
        sheet = listed(cli, SAMPLES / sample)["pwp_front_sheet"]
        assert sheet["ready"] is False
        assert sheet["problems"][0]["message"] == "it does not apply to this child: only when legal status is C1 or C2"
    # Under a care order, but on the permanence path (Kai, Decision 3 permanence).
    kai = listed(cli, SIBLINGS / "kai")["pwp_front_sheet"]
    assert kai["ready"] is False
    assert kai["problems"][0]["message"] == "it does not apply to this child: only when path is return or home"
    result = cli("render", SIBLINGS / "kai", "--out", tmp_path / "kai")
    assert result.code == 0, result.out + result.err
    assert not (tmp_path / "kai" / "pwp_front_sheet.docx").exists()
    assert (tmp_path / "kai" / "monitoring_form.docx").exists()
    # Under a care order in foster care, with no decision to reunify and no emergency approval.
    fostered = make_case(case_yaml=(ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
                         .split('"case.yaml": """\\\n')[1].split('""",')[0].replace("code: V2", "code: C2"))
    sheet = listed(cli, fostered)["pwp_front_sheet"]
    assert sheet["ready"] is False
    assert sheet["problems"][0]["message"] == ("it does not apply to this child: only when (placement is P1 or "
                                               "D3 is reunify or emergency_pwp is done)")
    # Placed with parents (Alfie, sample 06), or about to be: Decision 3 to reunify (Ruby).
    for folder in (SIBLINGS / "alfie", SAMPLE_06, SIBLINGS / "ruby"):
        assert listed(cli, folder)["pwp_front_sheet"]["ready"] is True, folder.name


def test_ruby_about_to_go_home_gets_the_rule_that_will_apply_and_no_visit_log(cli: Cli, tmp_path: Path) -> None:
    text = joined(render(cli, SIBLINGS / "ruby", tmp_path, "pwp_front_sheet")["pwp_front_sheet"])
    assert REFERENCE["rules"]["visits"]["placed_with_parents"]["source"] in text
    assert "Not placed with parents yet: visits are logged here from the day the placement starts." in text
    assert "Decision 3 ratified on" in text


# -- reunify outcomes ------------------------------------------------------------------


@pytest.fixture
def home_six_months(tmp_path: Path) -> Path:
    """Scenario 41 (home six months, an SDQ since the return) without its outcomes tool."""
    folder = shutil.copytree(SCENARIO_41, tmp_path / "ethan", ignore=shutil.ignore_patterns("expected.yaml"))
    events = (folder / "events.yaml").read_text(encoding="utf-8")
    (folder / "events.yaml").write_text(events[:events.index("\n# The outcomes tool")] + "\n", encoding="utf-8")
    return folder


def test_the_six_months_home_review_waits_for_the_outcomes_tool_and_next_proposes_it(
        cli: Cli, home_six_months: Path) -> None:
    day = "2026-09-30"
    data = json.loads(cli("next", home_six_months, "--json", today=day).out)
    [entry] = [e for e in data["next"] if e["step"] == "six_month_review"]
    assert [p["message"] for p in entry["missing"]] == ["no outcomes tool completed since the return home"]
    assert entry["command"] == "reunify outcomes --date YYYY-MM-DD --at six_months_home"
    refused = cli("done", "six_month_review", home_six_months, "--date", day, "--by", "sw-okoro", today=day)
    assert refused.code == 1
    assert "no outcomes tool completed since the return home" in refused.err
    # The proposed command, with every area rated, records it and marks the step done.
    done = cli("outcomes", home_six_months, "--date", day, "--at", "six_months_home", *ALL_RATED, today=day)
    assert done.code == 0, done.out + done.err
    assert "'six_month_review' (Outcomes tool and SDQ at six months home) done" in done.out
    states = {s["step"]: s["state"] for stage in json.loads(cli("status", home_six_months, "--json", today=day).out)
              ["stages"] for s in stage["steps"]}
    assert states["six_month_review"] == "done"
    assert cli("check", home_six_months, today=day).code == 0


def test_outcomes_round_trips_and_keeps_the_comments(cli: Cli, home_six_months: Path) -> None:
    day = "2026-09-30"
    comment = "# Visits to the child; the child seen alone every time."
    assert comment in (home_six_months / "events.yaml").read_text(encoding="utf-8")
    ratings = ["--rating", "safety=5", "--rating", "health=4", "--rating", "education=3", "--rating", "wellbeing=4",
               "--rating", "parents_goals=5", "--rating", "relationships=4", "--rating", "home=2"]
    result = cli("outcomes", home_six_months, "--date", "2026-09-29", "--by", "Grace Okoro", "--with", "claire",
                 "--with", "Ethan Lowther", *reversed_pairs(ratings), "--note", "home=Rent arrears since August.",
                 "--note", "safety=Seen alone at school and at home; no concerns.", today=day)
    assert result.code == 0, result.out + result.err
    text = (home_six_months / "events.yaml").read_text(encoding="utf-8")
    assert comment in text
    case, problems = load_case(home_six_months)
    assert case is not None, problems
    assert case.events.outcomes == [m.OutcomesCompletion.model_validate({
        "date": dt.date(2026, 9, 29), "at": "six_months_home", "by": "sw-okoro", "with": ["claire", "ethan"],
        "areas": {"safety": {"rating": 5, "note": "Seen alone at school and at home; no concerns."},
                  "health": {"rating": 4}, "education": {"rating": 3}, "wellbeing": {"rating": 4},
                  "parents_goals": {"rating": 5}, "relationships": {"rating": 4},
                  "home": {"rating": 2, "note": "Rent arrears since August."}}})]
    # Written in the workflow's order of areas, whatever the order given.
    assert list(yaml.safe_load(text)["outcomes"][0]["areas"]) == AREAS


def reversed_pairs(words: list[str]) -> list[str]:
    pairs = [words[i:i + 2] for i in range(0, len(words), 2)]
    return [word for pair in reversed(pairs) for word in pair]


@pytest.mark.parametrize(("args", "message"), [
    (["--rating", "safty=4"], "error: --rating: unknown area 'safty' (did you mean 'safety'?) (areas: "
                              + ", ".join(AREAS) + ")"),
    (["--rating", "safety=6"], "error: --rating safety: the rating must be a whole number on the scale 1-5 "
                               "(1 Serious concern, 2 Concern, 3 Some progress, 4 Good, 5 Very good)"),
    (["--rating", "safety"], "error: --rating takes AREA=VALUE, e.g. --rating safety=4"),
    (["--rating", "safety=4"], "error: --rating is needed for every area of the outcomes tool; not rated: "
                               + ", ".join(AREAS[1:])),
    (["--at", "six_months", *ALL_RATED], "error: --at: unknown point of the episode (did you mean "
                                         "'six_months_home'?) (points: assessment, agreement, six_months_home)"),
    (["--note", "housing=Arrears.", *ALL_RATED], "error: --note: unknown area 'housing' (areas: "
                                                 + ", ".join(AREAS) + ")"),
    (["--with", "nobody", *ALL_RATED], "error: --with 'nobody' is not in people.yaml"),
], ids=["unknown-area", "out-of-scale", "no-value", "not-every-area", "unknown-point", "note-area", "unknown-person"])
def test_outcomes_refuses_bad_input_with_one_line_and_changes_nothing(
        cli: Cli, home_six_months: Path, args: list[str], message: str) -> None:
    before = snapshot(home_six_months)
    result = cli("outcomes", home_six_months, "--date", "2026-09-30", *args, today="2026-09-30")
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.err
    assert "Traceback" not in result.err
    assert snapshot(home_six_months) == before


def test_the_outcomes_tool_and_court_orders_are_each_childs_own(cli: Cli, tmp_path: Path) -> None:
    family = shutil.copytree(SIBLINGS, tmp_path / "family")
    before = snapshot(family)
    result = cli("outcomes", family, "--date", "2026-11-20", *ALL_RATED)
    assert result.code == 2
    assert "a family folder; the outcomes tool is each child's own: give the child's folder" in result.err
    result = cli("court-order", "other", family, "--made", "2026-11-20", "--terms", "x")
    assert result.code == 2 and "each child's own" in result.err
    assert snapshot(family) == before
    # A child's folder: written in the child's own events.yaml, not the family's.
    assert cli("outcomes", family / "alfie", "--date", "2026-11-20", *ALL_RATED).code == 0
    changed = {name for name, data in snapshot(family).items() if before.get(name) != data}
    assert changed == {"alfie/events.yaml"}


def test_check_locates_an_unknown_area_and_a_rating_off_the_scale_written_by_hand(
        cli: Cli, home_six_months: Path) -> None:
    events = home_six_months / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + (
        "outcomes:\n"
        "  - date: 2026-09-24\n"
        "    at: six_months_home\n"
        "    by: sw-okoro\n"
        "    areas:\n"
        "      safty: {rating: 4}\n"
        "      health: {rating: 7}\n"), encoding="utf-8")
    lines = events.read_text(encoding="utf-8").splitlines()
    unknown = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("safty:"))
    off_scale = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("health:"))
    result = cli("check", home_six_months, today="2026-09-30")
    assert result.code == 1
    assert f"events.yaml:{unknown}:7: error: unknown area (did you mean 'safety'?)" in result.out
    assert f"events.yaml:{off_scale}:24: error: the rating is not on the scale (1-5)" in result.out
    assert "warning: not every area is rated: safety, education, wellbeing, parents_goals, relationships, home" \
        in result.out


@needs_pty
def test_outcomes_at_a_terminal_asks_each_rating_and_takes_the_notes_from_the_editor(tmp_path: Path) -> None:
    folder = shutil.copytree(SAMPLE_06, tmp_path / "case")
    editor = "sh -c 'printf \"safety: Seen alone in his room.\\nhome: Tidy;\\n  fridge full.\\n\" > \"$0\"'"
    ratings = [(f"{TOOL['areas'][area]['title']} ({area}), 1-5", str(rating))
               for area, rating in zip(AREAS, [4, 5, 4, 4, 4, 5, 3], strict=True)]
    code, shown = run_on_a_terminal(["outcomes", folder, "--with", "natalie"], env=reunify_env(EDITOR=editor),
                                    answers=[("Date completed", "2026-11-20"), ("When in the episode", ""),
                                             *ratings])
    assert code == 0, shown
    assert "3 Some progress: Needs are partly met" in shown  # the scale, listed before the ratings
    case, _ = load_case(folder)
    assert case is not None
    latest = case.events.outcomes[-1]
    assert (latest.date, latest.at, latest.by, latest.people) == (
        dt.date(2026, 11, 20), "six_months_home", "sw-wainwright", ["natalie"])
    assert {area: rated.rating for area, rated in latest.areas.items()} == dict(
        zip(AREAS, [4, 5, 4, 4, 4, 5, 3], strict=True))
    assert {area: rated.note for area, rated in latest.areas.items() if rated.note} == {
        "safety": "Seen alone in his room.", "home": "Tidy; fridge full."}
    # Home four and a half months: the step it stands for cannot be done before five.
    assert "'six_month_review' is not marked done yet" in shown


def test_the_outcomes_tool_is_in_the_timeline(cli: Cli) -> None:
    events = json.loads(cli("timeline", SAMPLE_06, "--json", "--kind", "outcomes", "--kind", "court_order").out)
    assert [(e["date"], e["kind"]) for e in events["events"]] == [
        ("2024-10-21", "court_order"), ("2025-05-20", "outcomes"), ("2025-08-12", "outcomes"),
        ("2025-08-28", "court_order")]
    assert events["events"][1]["detail"].startswith(TOOL["points"]["assessment"]["title"] + ": average 2.4 of 5")


# -- reunify court-order ---------------------------------------------------------------


def test_court_order_round_trips_and_shows_on_the_front_sheet(cli: Cli, tmp_path: Path) -> None:
    folder = shutil.copytree(SAMPLE_06, tmp_path / "case")
    result = cli("court-order", "contact", folder, "--with", "keith", "--made", "2026-11-20",
                 "--court", "Family Court at Ashcombe Vale", "--terms", "Ollie may stay with his grandfather "
                 "one weekend a month.", "--until", "2027-11-20")
    assert result.code == 0, result.out + result.err
    assert "recorded the contact order made on 2026-11-20" in result.out
    text = (folder / "case.yaml").read_text(encoding="utf-8")
    assert "# Court orders about contact ('reunify court-order' adds here)." in text
    case, _ = load_case(folder)
    assert case is not None
    assert case.case.orders[-1] == m.CourtOrder.model_validate({
        "kind": "contact", "with": ["keith"], "made": dt.date(2026, 11, 20), "court": "Family Court at Ashcombe Vale",
        "terms": "Ollie may stay with his grandfather one weekend a month.", "until": dt.date(2027, 11, 20)})
    rows = table_rows(render(cli, folder, tmp_path / "out", "pwp_front_sheet")["pwp_front_sheet"])
    assert ("Contact order", "Keith Fairbairn", "20 November 2026", "Family Court at Ashcombe Vale",
            "Ollie may stay with his grandfather one weekend a month. In force until 20 November 2027.") in rows


@pytest.mark.parametrize(("args", "message"), [
    (["visiting", "--with", "keith", "--made", "2026-11-20", "--terms", "x"],
     "error: unknown kind of order (kinds: contact, no-contact, other)"),
    (["no-contakt", "--with", "keith", "--made", "2026-11-20", "--terms", "x"],
     "error: unknown kind of order (did you mean 'no-contact'?) (kinds: contact, no-contact, other)"),
    (["no-contact", "--made", "2026-11-20", "--terms", "x"],
     "error: a order refusing contact needs --with"),
    (["other", "--made", "2026-11-30", "--terms", "x"], "error: --made 2026-11-30 is in the future"),
    (["other", "--made", "2026-11-20", "--terms", "x", "--until", "2026-01-01"],
     "error: --until is before the order was made"),
], ids=["unknown-kind", "misspelt-kind", "no-one", "future", "until-before"])
def test_court_order_refuses_bad_input(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    folder = shutil.copytree(SAMPLE_06, tmp_path / "case")
    before = snapshot(folder)
    result = cli("court-order", args[0], folder, *args[1:])
    assert result.code == 2, result.out + result.err
    assert result.err.strip().splitlines()[0].startswith(message), result.err
    assert snapshot(folder) == before


# -- the workflow's words -------------------------------------------------------------


def test_a_local_workflow_can_reword_the_tool_and_its_document_conditions_are_checked(
        cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("extends: reference\nid: local\ntitle: Local\n"
                     "outcomes_tool:\n  areas:\n    safety: {title: Safety and protection}\n"
                     "documents:\n  pwp_front_sheet:\n    title: Front sheet\n    when:\n"
                     "      - legal status is C1 or C2\n      - any: [placement is P9, D3 is reunify]\n",
                     encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1
    assert "local.yaml:12:15: error: 'P9' is not a value of placement" in result.out
    local.write_text(local.read_text(encoding="utf-8").replace("P9", "P1"), encoding="utf-8")
    assert cli("workflow", "check", local, today=None).code == 0
    diff = cli("workflow", "diff", local, today=None).out
    assert "outcomes tool 'areas.safety.title'" in diff
