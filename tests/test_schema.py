"""The records' and workflows' check (`reunify.core.schema`) as a user meets it: every error
of a file at once, each at its own line with words that say what was expected, from
`reunify check` and `reunify workflow check`.

The models are msgspec structs checked by `reunify.core.schema`, not pydantic models; these
tests hold what a user sees for the kinds of mistake that differ between the two: a value
that may be one of two kinds (a text or a list), several mistakes in one file, keys of a
mapping, bounds on numbers, lengths of lists, and checks across fields.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pytest

import reunify
from reunify.core.schema import Before
from reunify.core.schema import Invalid
from reunify.core.schema import Model
from reunify.core.schema import SchemaError
from reunify.core.schema import Str
from reunify.records import models as m
from tests.conftest import BASE
from tests.conftest import Result
from tests.test_broken_input import diagnostics

CASE = textwrap.dedent(BASE["case.yaml"])
PEOPLE = textwrap.dedent(BASE["people.yaml"])


def problems(result: Result) -> list[tuple[str, int, str]]:
    return [(d.name, d.line, d.message) for d in diagnostics(result.out + result.err) if d.severity == "error"]


def test_every_mistake_in_a_file_is_reported_at_its_own_line(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    people = (PEOPLE.replace("sex: female", "sex: femal", 1)
              .replace("born: 2017-04-09", "born: '2017-04-09'")
              .replace("name: Jo Stone", "name: 42"))
    folder = make_case(people_yaml=people)
    result = cli("check", folder)
    assert result.code == 1
    found = problems(result)
    assert ("people.yaml", 4, "expected one of: male, female, unknown (did you mean 'female'?)") in found
    assert ("people.yaml", 5, "expected a date as YYYY-MM-DD") in found
    assert ("people.yaml", 8, "expected text") in found
    assert len(found) == 3, result.out


def test_a_key_of_a_mapping_that_is_not_an_id_points_at_the_key(
    make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    events = textwrap.dedent(BASE["events.yaml"]) + "timetable:\n  bad key!: 2026-12-01\n"
    folder = make_case(events_yaml=events)
    result = cli("check", folder)
    assert result.code == 1
    lines = (folder / "events.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("  bad key!"))
    assert ("events.yaml", line, "expected an id made of letters, digits, '-', '_' or '.'") in problems(result)
    assert "bad key!" not in result.out  # a key may be personal data: the line points at it


@pytest.mark.parametrize(("total", "message"), [(41, "must be at most 40"), (-1, "must be at least 0"),
                                                  ("12", "expected a whole number"), (True, "expected a whole number")])
def test_a_number_out_of_bounds_or_of_the_wrong_kind(
    total: object, message: str, make_case: Callable[..., Path], cli: Callable[..., Result]
) -> None:
    value = json.dumps(total)
    events = textwrap.dedent(BASE["events.yaml"]) + f"sdq:\n  - date: 2026-10-01\n    total: {value}\n"
    folder = make_case(events_yaml=events)
    result = cli("check", folder)
    assert result.code == 1
    assert any(name == "events.yaml" and text == message for name, _, text in problems(result)), result.out


def test_a_list_with_too_few_or_too_many_items(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    people = PEOPLE + "couples:\n  - people: [ella]\n    status: married\n"
    result = cli("check", make_case(people_yaml=people))
    assert result.code == 1
    assert any(text == "needs at least 2 item(s)" for _, _, text in problems(result)), result.out
    people = PEOPLE + "couples:\n  - people: [ella, jo, ella]\n    status: married\n"
    result = cli("check", make_case("three", people_yaml=people))
    assert any(text == "allows at most 2 item(s)" for _, _, text in problems(result)), result.out


def _local_workflow(tmp_path: Path, step: str) -> Path:
    """A local workflow adding one step, given as YAML lines of the step's fields."""
    path = tmp_path / "local.yaml"
    body = textwrap.indent(textwrap.dedent(step), "    ")
    path.write_text("extends: reference\nid: local\ntitle: Local\nadd:\n  - stage: agreement\n"
                    "    before: parental_agreement\n" + body)
    return path


@pytest.mark.parametrize(("value", "message"), [
    ("5", "expected text or a list"),
    ("{a: b}", "expected text or a list"),
    ("[fine, 'not an id']", "expected an id made of letters, digits, '-', '_' or '.'"),
])
def test_a_field_that_takes_a_text_or_a_list(
    value: str, message: str, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    """`path:` takes one path or a list of them: a wrong value says so in words, at its line
    (never the checker's own names for the two kinds)."""
    path = _local_workflow(tmp_path, f"""\
        id: extra_step
        title: An extra step
        role: social_worker
        path: {value}
        """)
    result = cli("workflow", "check", path, today=None)
    assert result.code == 1, result.out
    found = [(line, text) for name, line, text in problems(result) if name == "local.yaml"]
    assert found == [(10, message)], result.out
    assert "constrained" not in result.out and "function" not in result.out


def test_a_check_across_fields(tmp_path: Path) -> None:
    from reunify.workflow.for_children import ForChildren

    words = {"young_under": 13, "older_from": 8, "carer": "c", "opening": "o", "table": "t", "stages": {}}
    with pytest.raises(SchemaError) as raised:
        ForChildren.model_validate(words)
    kinds = [(e["type"], e["loc"]) for e in raised.value.errors()]
    assert ("missing", ("stages", "assessing")) in kinds
    # Once the parts are right, the check across fields speaks.
    stage = {"now": "n", "next": "x"}
    stages = dict.fromkeys(("assessing", "planning", "home", "back_in_care", "permanence", "ended", "closed"), stage)
    with pytest.raises(SchemaError) as raised:
        ForChildren.model_validate({**words, "stages": stages})
    assert [(e["type"], e["msg"]) for e in raised.value.errors()] == [
        ("reunify_words", "young_under must be below older_from")]


def test_models_are_frozen_keyword_only_and_copied_with_changes() -> None:
    person = m.Person.model_validate({"id": "ella", "name": " Ella Stone ", "sex": "Female"})
    assert (person.name, person.sex, person.parents) == ("Ella Stone", "female", [])
    with pytest.raises(AttributeError):
        person.name = "Someone"  # type: ignore[misc]
    older = person.model_copy(update={"relationship": "child"})
    assert (older.relationship, person.relationship) == ("child", None)
    assert m.Person.model_validate({"id": "jo", "name": "Jo"}).parents is not m.Person.model_validate(
        {"id": "al", "name": "Al"}).parents  # defaults are not shared between records


def test_a_field_named_differently_in_the_file() -> None:
    found = m.LegalStatus.model_validate({"code": "C2", "from": dt.date(2026, 1, 5)})
    assert found.since.isoformat() == "2026-01-05"
    assert found.dump() == {"code": "C2", "from": "2026-01-05"}
    with pytest.raises(SchemaError) as raised:
        m.LegalStatus.model_validate({"code": "C2", "since": "2026-01-05"})
    assert sorted((e["type"], e["loc"]) for e in raised.value.errors()) == [
        ("extra_forbidden", ("since",)), ("missing", ("from",))]


def test_a_check_function_reports_its_own_words() -> None:
    class Tagged(Model):
        tag: str

        def __post_init__(self) -> None:
            if self.tag != self.tag.lower():
                raise Invalid("example_case", "expected lower case letters ({where})", {"where": "the tag"})

    with pytest.raises(SchemaError) as raised:
        Tagged.model_validate({"tag": "ABC"})
    assert raised.value.errors()[0]["msg"] == "expected lower case letters (the tag)"


def test_reading_records_loads_no_pydantic() -> None:
    """Defining and checking the models needs no pydantic (which costs start-up time)."""
    code = ("import sys, datetime, reunify; e = reunify.evaluate(sys.argv[1], datetime.date(2026, 11, 23));"
            "assert e.case is not None and e.workflow is not None;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))")
    sample = Path(reunify.__file__).parent / "sample_cases" / "03-medium-agreement-review"
    out = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("requires", ["{classification: {id: RC1, confirmed: yes}}",
                                      "{classification: {id: RC1, confirmed: 1}}",
                                      "{sustained_risk: {period: 6 months}}",
                                      "{sustained_risk: {for: 6 months}}"])
def test_gate_arguments_are_read_as_they_always_were(requires: str, tmp_path: Path,
                                                     cli: Callable[..., Result]) -> None:
    """A gate's arguments in a local workflow: a yes-or-no word or number for a flag, and
    a field by its name in the code as well as in the file, as they were always read."""
    path = _local_workflow(tmp_path, f"""\
        id: extra_step
        title: An extra step
        role: social_worker
        requires: [{requires}]
        """)
    result = cli("workflow", "check", path, today=None)
    assert result.code == 0, result.out
    assert "valid:" in result.out


def test_a_gate_flag_that_says_neither_yes_nor_no(tmp_path: Path, cli: Callable[..., Result]) -> None:
    path = _local_workflow(tmp_path, """\
        id: extra_step
        title: An extra step
        role: social_worker
        requires: [{classification: {id: RC1, confirmed: maybe}}]
        """)
    result = cli("workflow", "check", path, today=None)
    assert result.code == 1
    assert "confirmed: input should be a valid boolean" in " ".join(result.out.split())


def test_a_key_that_is_not_text(make_case: Callable[..., Path], cli: Callable[..., Result]) -> None:
    folder = make_case(case_yaml=CASE + "~: something\n")
    result = cli("check", folder)
    assert result.code == 1
    assert [text for name, _, text in problems(result) if name == "case.yaml"] == ["Keys should be strings"]


def test_text_is_stripped_of_white_space_only() -> None:
    entry = {"date": dt.date(2026, 1, 5), "source": "\u2003school\u00a0", "event": "\x1c"}
    found = m.ChronologyEntry.model_validate(entry)
    assert (found.source, found.event) == ("school", "\x1c")  # U+001C is a separator, not space


def test_before_functions_run_last_given_first_and_checks_on_a_union_are_refused() -> None:
    class Marked(Model):
        text: Annotated[str, Before(lambda v: v + "f"), Before(lambda v: v + "g")]

    assert Marked.model_validate({"text": "x"}).text == "xgf"

    class Misplaced(Model):
        text: Annotated[str | None, Str(min_length=5)] = None

    with pytest.raises(TypeError, match="members of the union"):
        Misplaced.model_validate({"text": "x"})
