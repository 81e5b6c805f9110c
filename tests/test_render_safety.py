"""Rendering is safe with any data and any template: values stay data, output stays put.

Case records hold free text typed by practitioners, and authorities bring their own
templates. Neither may turn a value into template code, break a document silently,
reach Python internals through Jinja, or write outside the output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from reunify.documents.catalogue import DOCUMENTS
from reunify.documents.context import clean_text
from reunify.documents.render import BUNDLED_TEMPLATES
from reunify.documents.render import case_documents
from reunify.documents.render import render_case
from reunify.documents.templating import RenderError
from reunify.documents.templating import TemplateProblem
from reunify.records import load_case
from tests.conftest import BASE
from tests.conftest import TODAY
from tests.conftest import Result
from tests.conftest import snapshot
from tests.test_documents import document_text
from tests.test_documents import joined
from tests.test_documents import normalise
from tests.test_documents import open_docx

DAY = dt.date.fromisoformat(TODAY)

# A case with every record, so that every document is ready. Each {name} is a YAML
# scalar (quoted by the test) put into a free-text field.
FULL = {
    "chronology_yaml": """\
        chronologist: cr
        entries:
          - date: 2026-05-01
            event: {event}
            source: School referral
            factors: [neglect]
            impact: Tired at school.
            response: Early help.
            analysis: First sign.
        """,
    "assessment_yaml": """\
        started: 2026-09-02
        parents:
          - person: jo
            risk_factors: [Low mood.]
            protective_factors: [Asks for help.]
            interaction: Help holds the risk.
            capacity_to_change: Good.
        child_views: {child_views}
        child_seen_alone: 2026-09-10
        housing: Secure tenancy.
        police_checks:
          - person: jo
            date: 2026-09-12
            result: Nothing recorded.
        """,
    "risk_yaml": """\
        classifications:
          - id: RC1
            date: 2026-10-01
            level: medium
            rationale: {rationale}
            for_child: {for_child}
            recommended_by: [tm, sw]
            confirmed_by: sm
            confirmed: 2026-10-08
        """,
    "decisions_yaml": """\
        decisions:
          - id: D1
            date: 2026-09-02
            by: tm
            outcome: pursue
            reason: Jo asked for help.
        """,
    "agreement_yaml": """\
        agreed: 2026-10-20
        review_date: 2026-12-01
        parents:
          - person: jo
            strengths: [Warm with Ella.]
            concerns: [Low mood.]
            goals:
              - change: {goal}
                steps: [Weekly therapy.]
                due: 2026-12-31
                reviews:
                  - date: 2026-11-10
                    rating: amber
                    evidence: Some progress.
        """,
    "plan_yaml": """\
        support:
          - service: Family support
            for: [jo]
        transition:
          - step: First overnight stay
            date: 2026-12-05
        contingency: {contingency}
        """,
}
PLAIN = {"event": "Referral.", "child_views": "Wants to go home.", "rationale": "Some risk.",
         "for_child": "Your mum is getting help.", "goal": "Jo keeps to the routine.",
         "contingency": "Ella stays with her carers."}

# Where each field certainly shows.
SHOWN_IN = {
    "event": ("chronology", "chronology_court", "return_home_assessment", "cpag_pack"),
    "child_views": ("return_home_assessment", "cpag_pack"),
    "rationale": ("risk_classification",),  # never in a document for the child
    "for_child": ("young_persons_report",),
    "goal": ("parental_agreement", "cpag_pack"),
    "contingency": ("reunification_plan", "parental_agreement", "cpag_pack"),
}


def full_case(make_case: Callable[..., Path], name: str = "case", reference: str = "TEST-001",
              jo: str = "Jo Stone", **fields: str) -> Path:
    """A case with every document ready; `fields` are YAML scalars for the free-text fields."""
    values = {**PLAIN, **fields}
    files = {key: textwrap.dedent(text).format(**values) for key, text in FULL.items()}
    # Placed with parents under a care order, so that the placed-with-parents front sheet applies too.
    case = textwrap.dedent(BASE["case.yaml"]).replace("reference: TEST-001", f"reference: {reference}") \
        .replace("code: V2", "code: C2").replace("code: U6", "code: P1")
    people = textwrap.dedent(BASE["people.yaml"]).replace("name: Jo Stone", f"name: {jo}")
    return make_case(name, case_yaml=case, people_yaml=people, **files)


def render_all(folder: Path, out: Path) -> dict[str, Path]:
    documents = case_documents(folder, DAY)
    assert documents.problems == []
    assert all(a.ready for a in documents.available), [(a.document, a.problems) for a in documents.available]
    return {w.document: w.path for w in render_case(documents, out)}


def override(folder: Path, document: str, *lines: str) -> Path:
    """An authority's copy of a bundled template with paragraphs added at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    word = open_docx(BUNDLED_TEMPLATES / f"{document}.docx")
    for line in lines:
        word.add_paragraph(line)
    word.save(str(folder / f"{document}.docx"))
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# -- values are data, never templates --------------------------------------------------

INJECTED = {
    "event": "{{ 7*7 }}",
    "child_views": "{% for x in range(3) %}x{% endfor %}",
    "for_child": "{% for y in range(3) %}y{% endfor %} {{ child.name }}",
    "goal": "{{ ''.__class__.__mro__ }}",
    "contingency": "{{ doc.title }} {% if true %}yes{% endif %} {# note #}",
    "rationale": "{%p if show.views %} {{ child.name }}",
}


def test_template_code_in_the_records_comes_out_as_written(make_case: Callable[..., Path], tmp_path: Path) -> None:
    folder = full_case(make_case, **{k: json.dumps(v) for k, v in INJECTED.items()})
    written = render_all(folder, tmp_path / "out")
    for field, value in INJECTED.items():
        for document in SHOWN_IN[field]:
            assert value in joined(written[document]), (field, document)
    chronology = joined(written["chronology"])
    assert "49" not in chronology
    assert "xxx" not in joined(written["return_home_assessment"])
    assert "yyy" not in joined(written["young_persons_report"])


# -- characters that XML, Word or Jinja treat specially -----------------------------

# YAML escapes in double-quoted strings: \x01, \v (\x0b), \x1f and \ufffe may not appear
# in XML; \t and \n become a Word tab and line break.
AWKWARD = {
    "event": r'''"Tom & Jerry <b>not bold</b> </w:t></w:r> \"double\" 'single' a\x01b\vc\x1fd\ufffee"''',
    "child_views": r'"Emoji 😀 🧒🏽 👨‍👩‍👧 and a tab\there, a line\nbreak"',
    "rationale": r'"Arabic مرحبا بك, Hebrew שלום עליכם, mixed abc אבג 123"',
    "for_child": r'"Arabic مرحبا بك, emoji 😀 🧒🏽, a tab\there, a line\nbreak"',
    "goal": r'"Combining: e\u0301 a\u0308 n\u0303 Z\u0335\u0321a\u0338l\u0334g\u0336o; ]]> <![CDATA[x]]> &amp; &#1;"',
    "contingency": r'"Braces {{ and }} and {% and %} and {# #} on their own"',
}


def test_awkward_characters_give_a_valid_document_holding_the_text(
        make_case: Callable[..., Path], tmp_path: Path) -> None:
    folder = full_case(make_case, reference=r'"Ref <&> \"1\""', jo=r'"Jo مرحبا 😀 Sto\u0301ne"', **AWKWARD)
    case, problems = load_case(folder)
    assert case is not None, problems
    raw = {
        "event": case.chronology.entries[0].event,
        "child_views": case.assessment.child_views,
        "rationale": case.risk.classifications[0].rationale,
        "for_child": case.risk.classifications[0].for_child,
        "goal": case.agreement.parents[0].goals[0].change,
        "contingency": case.plan.contingency,
    }
    assert "\x01" in raw["event"] and "\ufffe" in raw["event"]  # the test really holds them
    written = render_all(folder, tmp_path / "out")
    for document, path in written.items():
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                if name.endswith(".xml"):
                    etree.fromstring(package.read(name))  # strict: raises on anything malformed
        text = document_text(path)
        assert not any(ch in "".join(text) for ch in "\x01\x0b\x1f\ufffe"), document
    for field, value in raw.items():
        assert value is not None
        expected = normalise(clean_text(value))
        for document in SHOWN_IN[field]:
            assert expected in joined(written[document]), (field, document)
    assert "Tom & Jerry <b>not bold</b> </w:t></w:r> \"double\" 'single' abcde" in joined(written["chronology"])
    assert "Ref <&> \"1\"" in joined(written["monitoring_form"])
    assert "Jo مرحبا 😀 Sto\u0301ne" in joined(written["genogram"])  # kept decomposed, as written
    # A tab and a line break in the text are Word's own tab and break, not raw characters.
    views = next(p for p in open_docx(written["young_persons_report"]).paragraphs if "a line" in p.text)
    assert views.text.endswith("a tab\there, a line\nbreak")
    assert views._p.xpath(".//w:tab") and views._p.xpath(".//w:br")
    assert not any("\t" in t or "\n" in t for t in views._p.xpath(".//w:t/text()"))
    properties = open_docx(written["monitoring_form"]).core_properties
    assert properties.title.endswith(': Ref <&> "1"')


# -- a template that breaks the document fails loudly ------------------------------


def test_markup_let_through_by_a_template_fails_and_writes_nothing(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = full_case(make_case, reference='"A<B"')
    templates = override(tmp_path / "westmoor", "accessible_risk_table", "Reference: {{ doc.reference|safe }}")
    out = tmp_path / "out"
    with pytest.raises(RenderError, match=r"not valid XML.*nothing was written"):
        render_case(case_documents(folder, DAY, ["accessible_risk_table"]), out, templates)
    assert files_in(out) == []  # no document and no temporary file

    result = cli("render", folder, "--doc", "accessible_risk_table", "--templates", templates, "--out", out,
                 "--jobs", "1")
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if "accessible_risk_table.docx" in line]
    assert len(lines) == 1
    assert "not valid XML" in lines[0] and "nothing was written" in lines[0]
    assert "Traceback" not in result.out + result.err
    assert files_in(out) == []


def test_with_a_broken_template_the_document_is_missing_and_the_case_fails(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = full_case(make_case, reference='"A<B"')
    templates = override(tmp_path / "westmoor", "accessible_risk_table", "{{ doc.reference|safe }}")
    out = tmp_path / "out"
    result = cli("render", folder, "--templates", templates, "--out", out, "--jobs", "1")
    assert result.code == 1
    assert "accessible_risk_table.docx: the rendered document is not valid XML" in result.out
    assert "accessible_risk_table.docx" not in files_in(out)
    assert not [name for name in files_in(out) if not re.fullmatch(r"\w+\.docx", name)]


ESCAPES = [
    "{{ doc.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ doc.title.format.__self__ }}",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_the_sandbox_refuses_python_internals_in_a_template(
        expression: str, make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = full_case(make_case)
    templates = override(tmp_path / "westmoor", "young_persons_report", expression)
    out = tmp_path / "out"
    with pytest.raises(TemplateProblem, match=r"unsafe|does not provide"):
        render_case(case_documents(folder, DAY, ["young_persons_report"]), out, templates)

    result = cli("render", folder, "--doc", "young_persons_report", "--templates", templates, "--out", out,
                 "--jobs", "1")
    # A case whose documents cannot be rendered fails like any other case: exit 1.
    assert result.code == 1
    message = [line for line in result.out.splitlines() if "young_persons_report.docx" in line]
    assert len(message) == 1
    assert re.search(r"template error: access to attribute '\w+' of '\w+' object is unsafe|does not provide",
                     message[0])
    assert "Traceback" not in result.out + result.err
    assert files_in(out) == []


def test_a_template_with_a_syntax_error_or_that_is_not_word_is_reported(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = full_case(make_case)
    templates = override(tmp_path / "westmoor", "genogram", "{{ doc.title ")
    (templates / "chronology.docx").write_text("not a Word file", encoding="utf-8")
    out = tmp_path / "out"
    for document, message in (("genogram", "template error"), ("chronology", "not a Word (.docx) document")):
        result = cli("render", folder, "--doc", document, "--templates", templates, "--out", out, "--jobs", "1")
        assert result.code == 1
        assert f"{templates / (document + '.docx')}: {message}" in result.out
        assert "Traceback" not in result.out + result.err
    assert files_in(out) == []


# -- where documents are written ---------------------------------------------------


def test_output_names_are_document_ids_whatever_the_case_reference(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = full_case(make_case, reference='"../../etc/passwd"')
    before = snapshot(tmp_path)
    out = tmp_path / "deep" / "out"
    result = cli("render", folder, "--out", out, "--jobs", "1")
    assert result.code == 0, result.out
    assert files_in(out) == sorted(f"{d}.docx" for d in DOCUMENTS)
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("deep/")} == before
    assert "../../etc/passwd" in joined(out / "monitoring_form.docx")


def test_by_default_documents_go_into_the_case_folder(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case()
    result = cli("render", folder, "--jobs", "1")
    assert result.code == 0, result.out
    written = files_in(folder / "documents")
    assert written and all(name.removesuffix(".docx") in DOCUMENTS for name in written)
    assert stat.S_IMODE((folder / "documents").stat().st_mode) == 0o700


ODD_NAMES = ["Case With Spaces", "Ünïcödé 名前", "..case", "...", "-..-", ".hidden", "a/..b", "x;rm -rf ~"]


def test_each_case_gets_a_safe_folder_inside_out(make_case: Callable[..., Path], tmp_path: Path,
                                                  cli: Callable[..., Result]) -> None:
    folders = [make_case(f"cases/{name}") for name in ODD_NAMES]
    out = tmp_path / "out"
    result = cli("render", *folders, "--out", out, "--jobs", "1", "--json")
    assert result.code == 0, result.out
    cases = json.loads(result.out)["cases"]
    assert len(cases) == len(folders)
    outputs = set()
    for case in cases:
        assert case["written"]
        parents = {Path(p).parent for p in case["written"]}
        assert len(parents) == 1
        parent = parents.pop()
        outputs.add(parent)
        assert parent.parent == out
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", parent.name), parent.name
        for path in case["written"]:
            assert Path(path).resolve().is_relative_to(out.resolve())
            assert Path(path).is_file()
    assert len(outputs) == len(folders)
    assert {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*.docx")} == {"out"}


def test_cases_with_the_same_folder_name_get_different_output_folders(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    first = make_case("north/case", case_yaml=textwrap.dedent(BASE["case.yaml"]).replace("TEST-001", "NORTH-1"))
    second = make_case("south/case", case_yaml=textwrap.dedent(BASE["case.yaml"]).replace("TEST-001", "SOUTH-2"))
    out = tmp_path / "out"
    result = cli("render", first, second, "--out", out, "--jobs", "1")
    assert result.code == 0, result.out
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2
    references = {name: joined(out / name / "accessible_risk_table.docx") for name in folders}
    assert sum("NORTH-1" in text for text in references.values()) == 1
    assert sum("SOUTH-2" in text for text in references.values()) == 1


def test_output_folders_differ_even_where_letter_case_is_ignored(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    first, second = make_case("north/Maisie"), make_case("south/maisie")
    result = cli("render", first, second, "--out", tmp_path / "out", "--jobs", "1", "--json")
    assert result.code == 0, result.out
    folders = {Path(c["written"][0]).parent.name for c in json.loads(result.out)["cases"]}
    assert len({name.casefold() for name in folders}) == 2


# -- several cases at once -----------------------------------------------------------

BROKEN_CASE = """\
    # broken
    reference: TEST-9
    child: ella: stone
    home: flat
    """


def batch(make_case: Callable[..., Path]) -> tuple[Path, Path]:
    for name in ("good-1", "good-2", "good-3"):
        make_case(f"cases/{name}")
    broken = make_case("cases/broken", case_yaml=BROKEN_CASE)
    return broken.parent, broken


def test_a_broken_case_is_reported_and_the_others_are_rendered(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    root, broken = batch(make_case)
    out = tmp_path / "out"
    result = cli("render", root, "--out", out, "--jobs", "2")
    assert result.code == 1
    assert f"{broken / 'case.yaml'}:3:" in result.out  # the line with the error
    assert "invalid YAML" in result.out
    assert "1 case failed" in result.out
    assert sorted(p.name for p in out.iterdir()) == ["good-1", "good-2", "good-3"]
    for name in ("good-1", "good-2", "good-3"):
        assert (out / name / "accessible_risk_table.docx").is_file()
    assert "Traceback" not in result.out + result.err


def test_render_json_lists_what_was_written_and_what_failed(
        make_case: Callable[..., Path], tmp_path: Path, cli: Callable[..., Result]) -> None:
    root, broken = batch(make_case)
    result = cli("render", root, "--out", tmp_path / "out", "--jobs", "1", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["failed"] == 1
    by_case = {Path(c["case"]).name: c for c in data["cases"]}
    assert set(by_case) == {"good-1", "good-2", "good-3", "broken"}
    assert by_case["broken"]["written"] == []
    assert by_case["broken"]["problems"][0]["file"] == str(broken / "case.yaml")
    assert by_case["broken"]["problems"][0]["line"] == 3
    for name in ("good-1", "good-2", "good-3"):
        written = by_case[name]["written"]
        assert written and all(Path(p).is_file() for p in written)
        assert "chronology" in by_case[name]["held_back"]

    listed = cli("render", root, "--list", "--json")
    assert listed.code == 0
    cases = {Path(c["case"]).name: c for c in json.loads(listed.out)["cases"]}
    assert cases["broken"]["problems"] and cases["broken"]["documents"] == []
    documents = {d["document"]: d for d in cases["good-1"]["documents"]}
    assert set(documents) == set(DOCUMENTS)
    # Accommodated under section 20: the placed-with-parents front sheet does not apply.
    assert documents["pwp_front_sheet"]["ready"] is False
    assert documents["pwp_front_sheet"]["problems"][0]["message"].startswith("it does not apply to this child")
    assert documents["chronology"]["ready"] is False
    assert documents["chronology"]["problems"][0]["file"].endswith("chronology.yaml")


# -- bad arguments -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "suggestion"), [("chronolgy", " (did you mean 'chronology'?)"), ("foo", "")])
def test_an_unknown_document_is_a_one_line_error(name: str, suggestion: str, make_case: Callable[..., Path],
                                                   cli: Callable[..., Result]) -> None:
    result = cli("render", make_case(), "--doc", name)
    assert result.code == 2
    assert result.err.strip() == (f"error: --doc: unknown document '{name}'{suggestion}; "
                                  "'reunify render --list' shows them")


def test_a_missing_templates_folder_is_an_error(make_case: Callable[..., Path], tmp_path: Path,
                                               cli: Callable[..., Result]) -> None:
    folder = make_case()
    result = cli("render", folder, "--templates", tmp_path / "nowhere")
    assert result.code == 2
    assert result.err.strip() == f"error: --templates: {tmp_path / 'nowhere'}: no such folder"
    assert not (folder / "documents").exists()


# -- the genogram on its own ---------------------------------------------------------


def test_the_genogram_command_writes_a_png_and_an_svg(make_case: Callable[..., Path], tmp_path: Path,
                                                      cli: Callable[..., Result]) -> None:
    folder = make_case()
    out = tmp_path / "pictures"
    result = cli("genogram", folder, "--out", out)
    assert result.code == 0, result.out + result.err
    assert files_in(out) == ["genogram.png", "genogram.svg"]
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Image.open(out / "genogram.png") as image:
        assert image.format == "PNG"
        assert image.width > 100 and image.height > 100
    svg = etree.parse(str(out / "genogram.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    words = " ".join(svg.itertext())
    assert "Ella" in words and "Jo" in words


# The cli fixture's output is not a terminal, so the console is 80 columns wide, as
# when the output is piped or read by a script.


def test_the_genogram_command_prints_each_path_on_one_line(make_case: Callable[..., Path], tmp_path: Path,
                                                             cli: Callable[..., Result]) -> None:
    out = tmp_path / ("a-long-folder-name-for-the-pictures-of-this-case" * 2)
    result = cli("genogram", make_case(), "--out", out)
    assert result.code == 0
    assert result.out.splitlines() == [f"Wrote {out / 'genogram.svg'}", f"Wrote {out / 'genogram.png'}"]


def test_render_prints_the_output_folder_on_one_line(make_case: Callable[..., Path], tmp_path: Path,
                                                     cli: Callable[..., Result]) -> None:
    out = tmp_path / ("a-long-folder-name-for-the-documents-of-this-case" * 2)
    result = cli("render", make_case(), "--out", out, "--jobs", "1")
    assert result.code == 0
    assert f"Wrote 2 documents to {out}:" in result.out.splitlines()
