"""The documents for the child (the young person's report, the accessible risk table),
written to the child: never the professional rationale, always "you", in words for the
child's age, about where things stand on the document's day, and never naming an adult
who is a risk to the child and lives in or visits the home.

Every sample child's two documents are rendered and read back with python-docx; what they
should say is read from the sample's records and the workflow's `for_children:` words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from reunify.records import Case
from reunify.records import load_case
from reunify.workflow.for_children import ForChildren
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.test_audit import add_sample
from tests.test_audit import git
from tests.test_audit import isolated_git as isolated_git  # fixtures used here
from tests.test_audit import repo as repo
from tests.test_documents import SAMPLE_DIRS
from tests.test_documents import joined
from tests.test_documents import normalise
from tests.test_documents import open_docx
from tests.test_documents import sample_key

DAY = dt.date.fromisoformat(TODAY)
FOR_CHILD = ("young_persons_report", "accessible_risk_table")
BANDS = ("young", "middle", "older")
STALE = "Going home might be possible"  # what every child was told before, whatever the stage


def sentences(text: str | None, shortest: int = 25) -> list[str]:
    """The sentences (and clauses) of a text long enough to be recognised if copied."""
    parts = re.split(r"(?<=[.;:!?])\s+", normalise(text or ""))
    return [part for part in parts if len(part) >= shortest]


class Rendered:
    """A sample child's documents for the child, read back as text."""

    def __init__(self, folder: Path, out: Path) -> None:
        case, problems = load_case(folder)
        assert case is not None, problems
        self.case: Case = case
        documents = case_documents(folder, DAY, list(FOR_CHILD))
        assert documents.source is not None
        self.words: ForChildren = documents.source.workflow.for_children  # type: ignore[assignment]
        self.files = {w.document: w.path for w in render_case(documents, out)}
        self.text = {name: joined(path) for name, path in self.files.items()}

    @property
    def first_name(self) -> str:
        assert self.case.child is not None
        return self.case.child.name.split()[0]

    def all_text(self) -> str:
        return "\n".join(self.text.values())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("for-child")
    return {sample_key(folder): Rendered(folder, out / sample_key(folder)) for folder in SAMPLE_DIRS}


# -- never the professional text -------------------------------------------------------------


def test_no_document_for_the_child_holds_a_rationale_a_reason_or_the_assessment(
        rendered: dict[str, Rendered]) -> None:
    checked = 0
    for key, sample in rendered.items():
        case = sample.case
        professional = [text for c in case.risk.classifications for text in sentences(c.rationale)]
        professional += [text for d in case.decisions.decisions for text in sentences(d.reason)]
        professional += [text for e in case.chronology.entries
                         for field in (e.event, e.impact, e.response, e.analysis) for text in sentences(field)]
        professional += [text for p in case.assessment.parents
                         for field in (*p.risk_factors, *p.protective_factors, p.interaction, p.capacity_to_change)
                         for text in sentences(field)]
        # The child's views are recorded about the child, in the third person: not pasted in either.
        professional += sentences(case.assessment.child_views) + sentences(case.assessment.conclusion)
        for document, text in sample.text.items():
            leaked = [sentence for sentence in professional if sentence in text]
            assert not leaked, (key, document, leaked)
            checked += 1
        assert case.risk.classifications == [] or "young_persons_report" in sample.files, key
    assert checked >= 18  # both documents of nearly every sample child


def test_the_documents_speak_to_the_child_not_about_them(rendered: dict[str, Rendered]) -> None:
    for key, sample in rendered.items():
        for document, text in sample.text.items():
            assert re.search(r"\b[Yy]ou(r)?\b", text), (key, document)
            name = re.escape(sample.first_name)
            third = re.findall(rf"\b{name}(?:'s)? (?:is|was|will|has|had|wants|said|says|told|goes|went|"
                               rf"needs|likes|lives)\b", text)
            assert not third, (key, document, third)
        if "young_persons_report" in sample.text:
            assert f"Dear {sample.first_name}," in sample.text["young_persons_report"]


def test_the_worker_s_own_words_for_the_child_stand_beside_the_standard_ones(rendered: dict[str, Rendered]) -> None:
    maisie = rendered["03"]
    words = maisie.case.risk.classifications[0].for_child
    assert words is not None
    assert normalise(words) in maisie.text["young_persons_report"]
    # Kai's latest, High, and the words he was given with it.
    kai = rendered["08-kai"]
    latest = max(kai.case.risk.classifications, key=lambda c: c.date)
    assert latest.for_child is not None and normalise(latest.for_child) in kai.text["young_persons_report"]
    # Words given before the return are out of date once the child is home: Ollie's RC2 words
    # (given in 2025, when overnight stays were the next step) are not repeated to him now.
    ollie = rendered["06"]
    before = max(ollie.case.risk.classifications, key=lambda c: c.date).for_child
    assert before is not None and normalise(before) not in ollie.text["young_persons_report"]


# -- words for the child's age ------------------------------------------------------------------


def test_a_young_child_gets_a_version_a_carer_reads_aloud(rendered: dict[str, Rendered]) -> None:
    for key in ("08-alfie", "05"):  # six and four
        sample = rendered[key]
        worker = next(t.name for t in sample.case.case.team if t.role == "social_worker")
        carer = normalise(sample.words.carer.replace("{name}", sample.first_name).replace("{worker}", worker))
        for document, path in sample.files.items():
            word = open_docx(path)
            # In a box of its own, above everything else under the title.
            assert normalise(word.tables[0].rows[0].cells[0].text) == carer, (key, document)
            body = word.element.body
            assert body.index(word.tables[0]._tbl) < min(body.index(p._p) for p in word.paragraphs
                                                         if p.text.startswith(("Dear", "For ")))
        assert sample.words.opening.text("young") in sample.text["young_persons_report"]
        assert sample.words.table.text("young") in sample.text["accessible_risk_table"]
    for key, band in (("08-ruby", "middle"), ("03", "middle"), ("08-kai", "older"), ("04", "older")):
        sample = rendered[key]
        assert "For the adult reading this" not in sample.all_text(), key
        assert sample.words.opening.text(band) in sample.text["young_persons_report"], key
        others = [b for b in BANDS if sample.words.opening.text(b) != sample.words.opening.text(band)]
        assert not any(sample.words.opening.text(b) in sample.text["young_persons_report"] for b in others), key


# -- the stage on the document's day ---------------------------------------------------------


def test_a_child_home_for_months_is_told_they_are_home(rendered: dict[str, Rendered]) -> None:
    ollie = rendered["06"]  # home since 6 July 2026, under the care order; eight
    home = "You went home on 6 July 2026, and you have been home for 4 months."
    for document, text in ollie.text.items():
        assert home in text, document
        assert STALE not in text and "before you can go home" not in text, document
    assert ollie.words.stages.home.next.text("middle") in ollie.text["young_persons_report"]
    alfie = rendered["08-alfie"]  # home since 1 June 2026
    assert "You went home on 1 June 2026. You have been home for 5 months." in alfie.text["young_persons_report"]
    # The table marks the level in force at home: Alfie's RC3, Low.
    assert "● Green, Low." in alfie.text["accessible_risk_table"]


def test_a_child_whose_family_withdrew_is_told_the_plan_stopped_without_blame(rendered: dict[str, Rendered]) -> None:
    ellie = rendered["07"]  # 15; the family withdrew on 6 October 2026
    assert ellie.case.events.exit is not None and ellie.case.events.exit.reason == "family_withdrew"
    because = ellie.words.ended_because["family_withdrew"].text("older")
    for document, text in ellie.text.items():
        assert "The plan for you to go home stopped on 6 October 2026." in text, document
        assert because in text and "None of this is because of anything you did." in text, document
        assert STALE not in text, document
    # The level is the last one decided, not one in force; the words given with it then are not repeated.
    assert "The last level we decided, on 18 August 2026, was: ▲ Amber, Medium." in ellie.text["accessible_risk_table"]
    assert "◀ The last level we decided" in ellie.text["accessible_risk_table"]
    words = ellie.case.risk.classifications[0].for_child
    assert words is not None and normalise(words) not in ellie.text["young_persons_report"]


def test_each_stage_has_its_own_words(rendered: dict[str, Rendered]) -> None:
    stages = rendered["03"].words.stages
    expected = {
        "02": (stages.assessing, "young"),  # Ava, seven: no classification yet
        "03": (stages.planning, "middle"),  # Maisie: Medium, the return being planned
        "04": (stages.planning, "older"),
        "05": (stages.permanence, "young"),
        "08-ruby": (stages.going_home, "middle"),  # Decision 3 reunify, not home yet
        "08-kai": (stages.permanence, "older"),  # Decision 3 permanence
    }
    for key, (stage, band) in expected.items():
        assert stage is not None
        text = rendered[key].text["accessible_risk_table"]
        assert stage.now.text(band) in text, key
    # The next steps are the plan's transition steps, in words for the child, while a return is planned.
    maisie = rendered["03"].text["young_persons_report"]
    plan = rendered["03"].case.plan.transition
    assert all(normalise(step.for_child or step.step) in maisie for step in plan)
    assert "Risk classification 2 meeting" not in maisie  # the professional wording of that step
    assert "You move home, before the Christmas holidays" in rendered["08-ruby"].text["young_persons_report"]
    assert "What happens When" not in rendered["06"].text["young_persons_report"]  # no steps once home


# -- an adult who is a risk to the child -----------------------------------------------------


def copy_sample(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLES / name, folder)
    return folder


def test_a_document_that_would_name_an_adult_who_is_a_risk_is_warned_about(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "04-high-over-six-months")
    # As shipped, Kyle is marked as a risk to Jayden and is named in nothing for Jayden.
    assert "risk to the child" not in cli("check", case).out
    said = "We know that Kyle makes things hard for you, and Kyle Forsythe will not be part of the plan."
    assert cli("classify", "RC1", case, "--for-child", said).code == 0

    checked = cli("check", case)
    assert checked.code == 0  # a warning: the records are valid
    lines = [line for line in checked.out.splitlines() if "risk to the child" in line]
    risk = (case / "risk.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(risk, start=1) if text.strip().startswith("for_child:"))
    assert len(lines) == 1 and f"risk.yaml:{line}:" in lines[0] and "warning" in lines[0]
    assert "young person's report" in lines[0] and "person 4 in people.yaml" in lines[0]

    out = tmp_path / "out"
    rendered = cli("render", case, "--doc", "young_persons_report", "--doc", "accessible_risk_table", "--out", out)
    assert rendered.code == 0
    assert "young_persons_report.docx:" in rendered.out
    assert any(f"risk.yaml:{line}:" in text and "warning" in text for text in rendered.out.splitlines())
    for shown in (checked.out + checked.err, rendered.out + rendered.err):
        assert "Kyle" not in shown and "Forsythe" not in shown
    as_json = json.loads(cli("render", case, "--doc", "young_persons_report", "--out", tmp_path / "again",
                             "--json").out)
    warned = as_json["cases"][0]["warnings"]["young_persons_report"]
    assert [(w["field"], w["line"], w["severity"]) for w in warned] == [
        ("classifications[0].for_child", line, "warning")]
    assert as_json["failed"] == 0 and "Kyle" not in json.dumps(as_json)
    # The name is left out of the letter; the rest of the worker's words stay.
    letter = joined(out / "young_persons_report.docx")
    assert "Kyle" not in letter and "Forsythe" not in letter
    assert ("We know that [name left out] makes things hard for you, and [name left out] will not be part of "
            "the plan.") in letter

    # Named as the trusted adult, both documents would print the name.
    assert cli("trusted-adult", "kyle", case).code == 0
    warned = [line for line in cli("check", case).out.splitlines() if "risk to the child" in line]
    assert len(warned) == 3 and sum("case.yaml" in line for line in warned) == 2
    assert any("accessible risk classification table" in line for line in warned)

    # No longer a risk, or no longer in or around the home: no warning.
    assert cli("person", "change", "kyle", case, "--no-risk-to-child").code == 0
    assert "risk_to_child" not in (case / "people.yaml").read_text(encoding="utf-8")
    assert "risk to the child" not in cli("check", case).out
    assert cli("person", "change", "kyle", case, "--risk-to-child").code == 0
    assert "risk to the child" in cli("check", case).out
    people = (case / "people.yaml").read_text(encoding="utf-8")
    (case / "people.yaml").write_text(people.replace("regular_visitors: [kyle]", "regular_visitors: []"),
                                      encoding="utf-8")
    assert "risk to the child" not in cli("check", case).out


def test_person_add_records_a_risk_to_the_child(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "07-ended-part-way")
    result = cli("person", "add", "Rob Example", case, "--relationship", "mother's friend", "--risk-to-child",
                 "--household", "tracey-home", "--visitor")
    assert result.code == 0, result.out + result.err
    loaded, problems = load_case(case)
    assert loaded is not None, problems
    person = next(p for p in loaded.people.people if p.name == "Rob Example")
    assert person.risk_to_child
    text = (case / "people.yaml").read_text(encoding="utf-8")
    entry = text[text.index("name: Rob Example"):]
    assert entry.index("relationship:") < entry.index("risk_to_child: true")
    again = cli("person", "change", "Rob Example", case, "--risk-to-child")
    assert again.code == 1 and "already recorded as a risk to the child" in again.out + again.err


# -- recording what the child is told ------------------------------------------------------------


def test_classify_for_child_is_recorded_and_changed_with_the_comments_kept(
        tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "03-medium-agreement-review")
    risk = case / "risk.yaml"
    # RC2, recorded without words for the child; then added, after the rationale.
    assert cli("classify", "RC2", case, "--level", "medium", "--rationale", "Goals met.", "--recommended-by",
               "tm-moorcroft", "--date", "2026-11-20").code == 0
    before = risk.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.startswith("#")]
    first = "Mum is doing really well, and you will soon stay at home for some nights."

    added = cli("classify", "RC2", case, "--for-child", first)
    assert added.code == 0, added.out + added.err
    assert "recorded what RC2 tells the child" in added.out
    after = risk.read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line.startswith("#")] == comments
    entry = after[after.index("- id: RC2"):]
    assert entry.index("rationale:") < entry.index("for_child:") < entry.index("recommended_by:")
    assert after.replace(f"    for_child: {first}\n", "") == before  # nothing else changed
    loaded, _ = load_case(case)
    assert loaded is not None and loaded.risk.classifications[1].for_child == first

    # RC1's words (recorded with it) changed, from a file: everything else stays as it was.
    second = tmp_path / "words.txt"
    second.write_text("You will have your first night at Mum's in December.\n", encoding="utf-8")
    changed = cli("classify", "RC1", case, "--for-child-file", second)
    assert changed.code == 0 and "changed what RC1 tells the child" in changed.out
    loaded, _ = load_case(case)
    assert loaded is not None
    item = loaded.risk.classifications[0]
    assert item.for_child == "You will have your first night at Mum's in December."
    assert (item.level, item.confirmed_by, item.rationale) == ("medium", "sm-chandler",
                                                               normalise(item.rationale))
    assert [line for line in risk.read_text(encoding="utf-8").splitlines() if line.startswith("#")] == comments
    assert risk.read_text(encoding="utf-8").count("for_child:") == 2
    out = tmp_path / "out"
    assert cli("render", case, "--doc", "young_persons_report", "--out", out).code == 0
    assert "You will have your first night at Mum's in December." in joined(out / "young_persons_report.docx")

    # A new classification takes them with the rest, after the rationale.
    fresh = copy_sample(tmp_path / "fresh", "03-medium-agreement-review")
    assert cli("classify", "RC2", fresh, "--level", "medium", "--rationale", "Goals met.", "--recommended-by",
               "tm-moorcroft", "--date", "2026-11-20", "--for-child", "Things are going well.").code == 0
    text = (fresh / "risk.yaml").read_text(encoding="utf-8")
    entry = text[text.index("- id: RC2"):]
    assert entry.index("rationale:") < entry.index("for_child: Things are going well.") < entry.index("recommended")
    missing = cli("classify", "RC9", case, "--for-child", "Words.")
    assert missing.code == 1 and "RC9 is not recorded yet" in missing.out + missing.err
    both = cli("classify", "RC2", case, "--confirm", "--by", "sm-chandler", "--for-child", "Words.")
    assert both.code == 2 and "not with --confirm" in both.out + both.err


def test_what_the_child_is_told_added_through_reunify_is_not_a_change_by_hand(
        repo: Path, cli: Callable[..., Result]) -> None:
    case = add_sample(repo, "03-medium-agreement-review", "cases/ab-0003")
    assert cli("classify", "RC2", case, "--level", "medium", "--rationale", "Goals met.", "--recommended-by",
               "tm-moorcroft", "--date", "2026-11-20", "--commit").code == 0
    assert cli("classify", "RC2", case, "--confirm", "--by", "sm-chandler", "--date", "2026-11-21",
               "--commit").code == 0
    result = cli("classify", "RC2", case, "--for-child", "Things are going well.", "--commit")
    assert result.code == 0, result.out + result.err
    assert "classify RC2 for-child" in git(repo, "log", "-1", "--format=%s")
    checked = cli("check", case)
    assert "by hand" not in checked.out and "since reunify recorded" not in checked.out, checked.out


def test_plan_transition_takes_the_step_in_words_for_the_child(tmp_path: Path, cli: Callable[..., Result]) -> None:
    case = copy_sample(tmp_path, "03-medium-agreement-review")
    result = cli("plan", "transition", "Overnight at Kerry's over Christmas", case, "--date", "2026-12-24",
                 "--for-child", "Christmas Eve night at Mum's")
    assert result.code == 0, result.out + result.err
    out = tmp_path / "out"
    assert cli("render", case, "--doc", "young_persons_report", "--out", out).code == 0
    letter = joined(out / "young_persons_report.docx")
    assert "Christmas Eve night at Mum's 24 December 2026" in letter
    assert "Overnight at Kerry's over Christmas" not in letter


# -- the words are the workflow's ---------------------------------------------------------------


def test_an_authority_rewords_what_the_child_is_told(tmp_path: Path, cli: Callable[..., Result]) -> None:
    caseload = tmp_path / "caseload"
    case = caseload / "06-home-under-care-order"
    shutil.copytree(SAMPLES / case.name, case)
    (caseload / "reunify.yaml").write_text("workflow: local.yaml\n", encoding="utf-8")
    (caseload / "local.yaml").write_text(
        "extends: reference\n"
        "for_children:\n"
        "  stages:\n"
        "    home:\n"
        "      now: Welcome home, {name}! Home since {date}.\n"
        "risk_levels:\n"
        "  medium:\n"
        "    for_children: {middle: Amber words of our own.}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli("render", case, "--doc", "accessible_risk_table", "--out", out).code == 0
    table = joined(out / "accessible_risk_table.docx")
    assert "Welcome home, Ollie! Home since 6 July 2026." in table
    assert "Amber words of our own." in table  # Ollie is eight: the middle band

    # A placeholder the stage has no value for, or one that does not exist: at its line.
    for text, line, message in (("    planning:\n      now: Home for {time}.\n", 5, "{time} has no value in this stage"),
                                ("    closed:\n      next: Ask {child}.\n", 5, "unknown placeholder")):
        (caseload / "local.yaml").write_text("extends: reference\nfor_children:\n  stages:\n" + text,
                                             encoding="utf-8")
        checked = cli("workflow", "check", caseload / "local.yaml", today=None)
        assert checked.code == 1
        assert f"local.yaml:{line}:" in checked.out and message in checked.out, checked.out
