"""The framework's assessment content, as a user meets it: the Return Home Assessment asks
the workflow's questions domain by domain and prints the answers; the risk classification
record weighs the factors of each level; the cautionary factors (parental alcohol or drug
misuse, a previous unsuccessful return) are listed where the records show them. Every name
here is fictional.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reunify.core.yamlio import load_file
from reunify.practice.in_force import workflow_for
from reunify.records import load_case
from reunify.workflow import Workflow
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import Result
from tests.test_documents import joined
from tests.test_documents import normalise
from tests.test_documents import table_rows

Cli = Callable[..., Result]
SAMPLE_03 = SAMPLES / "03-medium-agreement-review"  # substance misuse in the chronology
SAMPLE_04 = SAMPLES / "04-high-over-six-months"  # and a return that broke down in 2023
SAMPLE_07 = SAMPLES / "07-ended-part-way"  # neither
BREAKDOWN = ROOT / "tests" / "scenarios" / "route-01b-breakdown-decision-4"  # home, back in care, RC4
SUBSTANCE = "Parental alcohol or drug misuse"
FAILED_RETURN = "A previous unsuccessful return home"
CAUTIOUSLY = "Reunification is to be considered cautiously"


@pytest.fixture(autouse=True)
def no_profile_above(tmp_path: Path) -> None:
    """A reunify.yaml above the test folders would apply to every case in them."""
    assert not [p for p in (tmp_path, *tmp_path.parents) if (p / "reunify.yaml").exists()]


def copy(source: Path, folder: Path) -> Path:
    return Path(shutil.copytree(source, folder, ignore=shutil.ignore_patterns("expected.yaml", "README.md")))


def render(cli: Cli, case: Path, out: Path, document: str, today: str = "2026-11-23") -> Path:
    result = cli("render", case, "--out", out, "--doc", document, today=today)
    assert result.code == 0, result.out + result.err
    return out / f"{document}.docx"


def workflow_of(case: Path) -> Workflow:
    loaded, _ = load_case(case)
    assert loaded is not None
    workflow, _ = workflow_for(loaded)
    assert workflow is not None
    return workflow


def data(path: Path) -> Any:
    return load_file(path).data


def line_of(path: Path, pattern: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern in line)


# -- the Return Home Assessment, domain by domain --------------------------------------------


def test_every_domain_and_its_questions_are_in_the_rendered_assessment(cli: Cli, tmp_path: Path) -> None:
    text = joined(render(cli, SAMPLE_03, tmp_path / "out", "return_home_assessment"))
    workflow = workflow_of(SAMPLE_03)
    assert len(workflow.assessment_domains) >= 10
    record = data(SAMPLE_03 / "assessment.yaml")
    headings = []
    for number, (domain_id, domain) in enumerate(workflow.assessment_domains.items(), 1):
        heading = f"{number}. {domain.title}"
        assert heading in text, domain_id
        headings.append(text.index(heading))
        for question in domain.questions:
            assert normalise(question) in text, (domain_id, question)
        # The answer follows its domain's questions, for the family or parent by parent.
        answers = [record.get("domains", {}).get(domain_id)] if not domain.per_parent else \
            [p.get("domains", {}).get(domain_id) for p in record["parents"]]
        for answer in filter(None, answers):
            assert text.index(heading) < text.index(normalise(answer)), domain_id
    assert headings == sorted(headings)  # in the workflow's order
    # The assessment's own fields are shown inside the domain they belong to.
    views, housing = text.index(normalise(record["child_views"])), text.index(normalise(record["housing"]))
    assert text.index(". The child's needs and views") < views < text.index(". Acknowledging the concerns")
    assert text.index(". Home, money and school") < housing < text.index(". Support needs")
    kerry = text.index("Kerry Thornbury (mother)", text.index(". Acknowledging the concerns"))
    assert kerry < text.index(normalise(record["parents"][0]["domains"]["acknowledgement"]))


def test_a_domain_not_answered_yet_says_so(cli: Cli, tmp_path: Path) -> None:
    case = copy(SAMPLE_03, tmp_path / "case")
    path = case / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  previous_returns: >-")
    path.write_text(text[:start] + text[text.index("  child_needs_and_views: >-"):], encoding="utf-8")
    shown = joined(render(cli, case, tmp_path / "out", "return_home_assessment"))
    domain = shown[shown.index("2. Previous returns home"):shown.index("3. The child's needs and views")]
    assert domain.endswith("Not recorded. ")


def test_a_local_workflow_rewords_a_question_and_leaves_a_domain_out(cli: Cli, tmp_path: Path) -> None:
    caseload = tmp_path / "caseload"
    case = copy(SAMPLE_03, caseload / "maisie")
    local = caseload / "local.yaml"
    local.write_text("""\
extends: reference
id: local
title: A local workflow (fictional)
documents:
  return_home_assessment:
    title: Return Home Assessment
    omit: [previous_returns, finances]
assessment_domains:
  acknowledgement:
    questions:
      - Does the parent accept, in their own words, what happened to the child?
""", encoding="utf-8")
    (caseload / "reunify.yaml").write_text("# A caseload profile (fictional).\nworkflow: local.yaml\n",
                                           encoding="utf-8")
    assert cli("workflow", "check", local, today=None).code == 0
    record = data(case / "assessment.yaml")
    reference = workflow_of(SAMPLE_03).assessment_domains

    text = joined(render(cli, case, tmp_path / "out", "return_home_assessment"))

    assert "Previous returns home" not in text
    assert not [q for q in reference["previous_returns"].questions if normalise(q) in text]
    assert normalise(record["domains"]["previous_returns"]) not in text
    assert normalise(record["finances"]) not in text and "Finances" not in text
    assert normalise(record["housing"]) in text  # the rest of its domain stays
    assert "2. The child's needs and views" in text  # numbered on without a gap
    assert "Does the parent accept, in their own words, what happened to the child?" in text
    assert normalise(reference["acknowledgement"].questions[0]) not in text


def test_workflow_check_names_a_domain_the_assessment_does_not_have(cli: Cli, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("extends: reference\ndocuments:\n  return_home_assessment:\n    title: Return Home Assessment\n"
                     "    omit: [previous_retruns]\n", encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1
    out = normalise(result.out)
    assert f"{local}:5:" in out and "has no section 'previous_retruns' (did you mean 'previous_returns'?)" in out
    # A domain shows only fields the assessment has, for whom it is about.
    local.write_text("extends: reference\nassessment_domains:\n  support_needs:\n    fields: [suport_needs]\n"
                     "  acknowledgement:\n    fields: [housing]\n", encoding="utf-8")
    result = cli("workflow", "check", local, today=None)
    assert result.code == 1
    out = normalise(result.out)
    assert f"{local}:4:" in out and "unknown field 'suport_needs' (did you mean 'support_needs'?)" in out
    assert f"{local}:6:" in out and ("unknown field 'housing' (it is a field of the whole assessment, not of a "
                                     "parent's section)") in out


# -- answers in the records ----------------------------------------------------------------


def test_unknown_domain_and_factor_ids_are_reported_with_file_line_and_field(cli: Cli, tmp_path: Path) -> None:
    case = copy(SAMPLE_03, tmp_path / "case")
    assessment, risk = case / "assessment.yaml", case / "risk.yaml"
    text = assessment.read_text(encoding="utf-8")
    assessment.write_text(text.replace("  previous_returns: >-", "  previus_returns: >-")
                          .replace("      acknowledgement: >-", "      reasons_for_care: >-", 1), encoding="utf-8")
    text = risk.read_text(encoding="utf-8")
    risk.write_text(text.replace("    factors: [concerns_acknowledged,", "    factors: [concerns_acknowledgd,"),
                    encoding="utf-8")

    result = cli("check", case)

    assert result.code == 1
    out = normalise(result.out)
    assert (f"{assessment}:{line_of(assessment, 'previus_returns')}:" in out
            and "error: unknown assessment domain (did you mean 'previous_returns'?)" in out)
    assert f"{assessment}:{line_of(assessment, '      reasons_for_care:')}:" in out
    assert "error: 'reasons_for_care' is about the family, not a parent" in out
    assert (f"{risk}:{line_of(risk, 'concerns_acknowledgd')}:" in out
            and "error: unknown risk factor (did you mean 'concerns_acknowledged'?)" in out)
    fields = {p["field"] for c in json.loads(cli("check", case, "--json").out)["cases"] for p in c["problems"]}
    # The field as far as the schema names it: a key written in the file is left off (it may be
    # personal data), and the line points at it.
    assert {"domains", "parents[0].domains", "classifications[0].factors[0]"} <= fields


def test_an_answer_is_recorded_round_trip_and_printed(cli: Cli, tmp_path: Path) -> None:
    case = copy(SAMPLES / "02-mid-assessment", tmp_path / "case")
    path = case / "assessment.yaml"
    before = path.read_text(encoding="utf-8")
    answer = tmp_path / "answer.txt"
    answer.write_text("Lewis says the violence was mutual.\nHe has not yet named its effect on Ava.\n",
                      encoding="utf-8")

    done = cli("assessment", "answer", "acknowledgement", case, "--parent", "Lewis Tranter", "--file", answer)
    assert done.code == 0, done.err
    assert "recorded the answer to 'Acknowledging the concerns' for a parent" in done.out
    done = cli("assessment", "answer", "views_of_others", "Bernadette says Ava is settled.", case)
    assert done.code == 0, done.err
    done = cli("assessment", "answer", "previous_returns", "Ava has never been in care before.", case)
    assert done.code == 0, done.err
    assert "replaced the answer to 'Previous returns home'" in done.out

    after = path.read_text(encoding="utf-8")
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in after.splitlines() if line.lstrip().startswith("#")]  # every comment kept
    written = data(path)
    assert list(written)[:len(data(SAMPLES / "02-mid-assessment" / "assessment.yaml"))] == \
        list(data(SAMPLES / "02-mid-assessment" / "assessment.yaml"))  # the keys keep their order
    assert written["parents"][1]["domains"] == {
        "acknowledgement": "Lewis says the violence was mutual.\nHe has not yet named its effect on Ava."}
    assert written["domains"]["views_of_others"] == "Bernadette says Ava is settled."
    assert written["domains"]["previous_returns"] == "Ava has never been in care before."
    assert "\n\n\n" not in after  # no stray blank lines where the answers went in
    assert json.loads(cli("check", case, "--json").out)["errors"] == 0

    text = joined(render(cli, case, tmp_path / "out", "return_home_assessment"))
    assert "Lewis says the violence was mutual. He has not yet named its effect on Ava." in text
    assert "Bernadette says Ava is settled." in text


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (("acknowledgement", "Some text."), 2, "--parent is needed: 'acknowledgement' is answered for each parent"),
    (("reasons_for_care", "Some text.", "--parent", "shannon"), 2,
     "--parent: 'reasons_for_care' is about the family, not each parent"),
    (("reasons_for_cares", "Some text."), 2, "unknown assessment domain 'reasons_for_cares' "
                                             "(did you mean 'reasons_for_care'?)"),
    (("previous_returns", "   "), 2, "the answer is empty; nothing written"),
])
def test_an_answer_the_workflow_cannot_place_is_refused(args: tuple[str, ...], code: int, fragment: str,
                                                       cli: Cli, tmp_path: Path) -> None:
    case = copy(SAMPLES / "02-mid-assessment", tmp_path / "case")
    before = (case / "assessment.yaml").read_bytes()
    result = cli("assessment", "answer", args[0], args[1], case, *args[2:])
    assert result.code == code
    assert fragment in normalise(result.err)
    assert (case / "assessment.yaml").read_bytes() == before


def test_in_a_sibling_group_each_answer_goes_where_it_belongs(cli: Cli, tmp_path: Path) -> None:
    family = copy(SAMPLES / "08-sibling-group", tmp_path / "family")
    assert cli("assessment", "answer", "previous_returns", "Never in care before.", family / "ruby").code == 0
    assert cli("assessment", "answer", "child_needs_and_views", "Ruby needs time.", family / "ruby").code == 0
    assert data(family / "assessment.yaml")["domains"]["previous_returns"] == "Never in care before."
    assert data(family / "ruby" / "assessment.yaml")["domains"]["child_needs_and_views"] == "Ruby needs time."
    refused = cli("assessment", "answer", "child_needs_and_views", "For whom?", family)
    assert refused.code == 2 and "give the child's folder" in refused.err
    assert json.loads(cli("check", family, "--json").out)["errors"] == 0


# -- the risk classification table ---------------------------------------------------------


def test_the_classification_record_weighs_each_levels_factors(cli: Cli, tmp_path: Path) -> None:
    case = copy(SAMPLE_03, tmp_path / "case")
    done = cli("classify", "RC2", case, "--level", "low", "--rationale", "Change sustained since March.",
               "--recommended-by", "tm-moorcroft", "--date", "2026-11-20", "--factor", "change_sustained",
               "--factor", "support_used", "--factor", "risk_and_protection_balanced")
    assert done.code == 0, done.err
    entry = data(case / "risk.yaml")["classifications"][-1]
    assert entry["factors"] == ["change_sustained", "support_used", "risk_and_protection_balanced"]

    rows = table_rows(render(cli, case, tmp_path / "out", "risk_classification"))
    workflow = workflow_of(case)
    found = set(entry["factors"])
    for level in workflow.risk_levels.values():
        row = next(r for r in rows if len(r) == 4 and r[0].endswith(f" {level.label}"))
        expected = " ".join(f"{'☑' if key in found else '☐'} {text}" for key, text in level.factors.items())
        assert row[2] == normalise(expected), level.label
        assert row[3] == ("This case" if level.label == "Low" else "")


def test_classify_refuses_a_factor_the_workflow_does_not_have(cli: Cli, tmp_path: Path) -> None:
    case = copy(SAMPLE_03, tmp_path / "case")
    before = (case / "risk.yaml").read_bytes()
    result = cli("classify", "RC2", case, "--level", "low", "--rationale", "Sustained.", "--recommended-by",
                 "tm-moorcroft", "--date", "2026-11-20", "--factor", "change_sustaned")
    assert result.code == 2
    assert "--factor: unknown risk factor 'change_sustaned' (did you mean 'change_sustained'?)" in result.err
    assert (case / "risk.yaml").read_bytes() == before


def test_workflow_show_lists_the_factors_and_the_domains(cli: Cli, tmp_path: Path) -> None:
    shown = json.loads(cli("workflow", "show", copy(SAMPLE_03, tmp_path / "case"), "--json", today=None).out)
    assert "change_sustained" in shown["risk_factors"]["low"]
    assert shown["assessment_domains"]["acknowledgement"]["about"] == "parent"


# -- the cautionary factors ----------------------------------------------------------------


def cautions_section(text: str, end: str) -> str:
    return text[text.index("Cautionary factors"):text.index(end)]


def test_substance_misuse_in_the_chronology_is_flagged_in_the_assessment(cli: Cli, tmp_path: Path) -> None:
    text = joined(render(cli, SAMPLE_03, tmp_path / "out", "return_home_assessment"))
    section = cautions_section(text, "Conclusion and risk classification")
    assert CAUTIOUSLY in section and SUBSTANCE in section and FAILED_RETURN not in section
    rows = table_rows(tmp_path / "out" / "return_home_assessment.docx")
    # Each chronology entry holding the factor, with its date and file.
    entries = data(SAMPLE_03 / "chronology.yaml")["entries"]
    event = next(e["event"] for e in entries if str(e["date"]) == "2026-02-14")
    assert ("14 February 2026", "Chronology (chronology.yaml)", normalise(event)) in rows
    assert not [e for e in entries if "substance_misuse" not in e.get("factors", [])
                and any(len(row) == 3 and normalise(e["event"]) == row[2] for row in rows)]
    assert ("Not dated", "Return Home Assessment: Kerry Thornbury's risk factors (assessment.yaml)",
            "Alcohol misuse at times of low mood (2023 to February 2026).") in rows


def test_a_return_that_broke_down_is_flagged(cli: Cli, tmp_path: Path) -> None:
    # Sample 04: the chronology records the failed return of 2023.
    text = joined(render(cli, SAMPLE_04, tmp_path / "out4", "return_home_assessment"))
    section = cautions_section(text, "Conclusion and risk classification")
    assert FAILED_RETURN in section and SUBSTANCE in section
    # A return in this episode that broke down, shown by the records themselves: in the
    # classification made after it, and in an assessment drafted since.
    case = copy(BREAKDOWN, tmp_path / "kai")
    shown = render(cli, case, tmp_path / "out", "risk_classification", today="2026-04-13")
    assert FAILED_RETURN in cautions_section(joined(shown), "Classifications so far")
    broke = ("16 March 2026", "Legal status and placements (case.yaml)",
             "The return home of 5 January 2026 broke down: the child came back into care on 16 March 2026.")
    assert broke in table_rows(shown)
    path = case / "assessment.yaml"
    path.write_text(re.sub(r"\nsigned_off:.*\n", "\n", path.read_text(encoding="utf-8")), encoding="utf-8")
    draft = render(cli, case, tmp_path / "draft", "return_home_assessment", today="2026-04-13")
    assert FAILED_RETURN in cautions_section(joined(draft), "Conclusion and risk classification")
    assert broke in table_rows(draft)


def test_a_case_without_them_flags_none(cli: Cli, tmp_path: Path) -> None:
    for document, end in (("return_home_assessment", "Conclusion and risk classification"),
                          ("risk_classification", "Classifications so far")):
        text = joined(render(cli, SAMPLE_07, tmp_path / document, document))
        section = cautions_section(text, end)
        assert SUBSTANCE not in section and FAILED_RETURN not in section and CAUTIOUSLY not in section
        assert "The records show none of the cautionary factors" in section


def test_the_classification_record_lists_them_as_of_its_day(cli: Cli, tmp_path: Path) -> None:
    text = joined(render(cli, SAMPLE_04, tmp_path / "out", "risk_classification"))
    section = cautions_section(text, "Classifications so far")
    assert SUBSTANCE in section and FAILED_RETURN in section and CAUTIOUSLY in section


def test_next_notes_them_while_a_classification_is_due(cli: Cli) -> None:
    due = cli("next", SAMPLE_04)  # RC2 is overdue
    assert due.code == 0
    notes = normalise(due.out[due.out.index("Needs attention"):])
    assert "cautionary factor for RC2: parental alcohol or drug misuse; reunification is to be considered " \
           "cautiously (chronology.yaml:" in notes
    assert "cautionary factor for RC2: a previous unsuccessful return home" in notes
    later = cli("next", SAMPLES / "06-home-under-care-order")  # RC3 not due yet
    assert "cautionary factor" not in later.out
    assert "cautionary factor" not in cli("check", SAMPLE_04).out  # a note for 'next', not a problem
