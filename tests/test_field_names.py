"""A message names fields, never command-line options: from Python the field is the name
passed (`by`, `since`), in backquotes; the command line shows the same message with the
option the command takes for it (`--by`, `--from`), exactly as it always has."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import reunify
from reunify.practice.edits import care
from reunify.practice.edits import people
from reunify.practice.skeleton import Essentials
from reunify.practice.skeleton import new_case
from tests.conftest import ROOT
from tests.conftest import Result
from tests.conftest import snapshot

TODAY = dt.date(2026, 11, 23)
PRACTICE = ROOT / "reunify" / "practice"
# A command quoted for the user to run ('reunify legal-status CODE --from YYYY-MM-DD') is
# a command, not a field: its options stay.
COMMAND = re.compile(r"'reunify [^']*'")
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def outside_commands(text: str) -> str:
    return COMMAND.sub("", text)


@pytest.fixture
def case(make_case: Callable[..., Path]) -> Path:
    return make_case()


def test_a_decision_by_someone_without_the_role(case: Path, cli: Callable[..., Result]) -> None:
    before = snapshot(case)
    with pytest.raises(reunify.Refused) as raised:
        reunify.record(case, "decide", "D2", outcome="proceed", date=dt.date(2026, 11, 20), by="sw", today=TODAY)
    assert str(raised.value) == "D2 is made by the service manager; `by` is not one"
    result = cli("decide", "D2", case, "--outcome", "proceed", "--date", "2026-11-20", "--by", "sw")
    assert (result.code, result.err) == (1, "refused: D2 is made by the service manager; --by is not one\n")
    assert snapshot(case) == before


def test_a_return_home_on_a_day_with_no_legal_status(case: Path, cli: Callable[..., Result]) -> None:
    with pytest.raises(reunify.Refused) as raised:
        reunify.record(case, care.record_return_home, date=dt.date(2026, 5, 1), today=TODAY)
    message = str(raised.value)
    assert message.startswith("no legal status is recorded on `date`; add it first with 'reunify legal-status")
    assert "--" not in outside_commands(message)
    result = cli("return-home", case, "--date", "2026-05-01")
    assert result.code == 1
    assert result.err == ("refused: no legal status is recorded on --date; add it first with "
                          "'reunify legal-status CODE --from YYYY-MM-DD'\n")


def test_nothing_to_change_for_a_person(case: Path, cli: Callable[..., Result]) -> None:
    with pytest.raises(reunify.ReunifyError) as raised:
        reunify.record(case, people.change_person, "jo", today=TODAY)
    assert str(raised.value) == ("nothing to change: give `name`, `sex`, `born`, `died`, `relationship`, "
                                 "`parents`, `parent_link`, `household` or `risk_to_child`")
    result = cli("person", "change", "jo", case)
    assert result.code == 2
    assert result.err == ("error: nothing to change: give --name, --sex, --born, --died, --relationship, "
                          "--parent, --parent-link, --household or --risk-to-child/--no-risk-to-child\n")


def test_an_empty_reference_for_a_new_case(tmp_path: Path, cli: Callable[..., Result]) -> None:
    with pytest.raises(reunify.ReunifyError) as raised:
        new_case(tmp_path / "new", Essentials(reference=" ", child_name="Ella Stone"), TODAY)
    assert (str(raised.value), getattr(raised.value, "field", None)) == ("`reference` must not be empty", "reference")
    assert not (tmp_path / "new").exists()
    result = cli("new", tmp_path / "new", "--reference", " ", "--child", "Ella Stone")
    assert (result.code, result.err) == (2, "error: --reference must not be empty\n")
    assert not (tmp_path / "new").exists()


def test_one_field_shown_as_each_command_spells_it(case: Path, cli: Callable[..., Result]) -> None:
    """`since` is `--from` for a team member and `--since` for a couple; a team member's
    own `member` id is `--id`."""
    with pytest.raises(reunify.ReunifyError) as raised:
        reunify.record(case, "team-add", "Pat Example", role="social_worker", since=dt.date(2027, 1, 1), today=TODAY)
    assert str(raised.value) == "`since` 2027-01-01 is in the future (today is 2026-11-23)"
    result = cli("team", "add", "Pat Example", case, "--role", "social_worker", "--from", "2027-01-01")
    assert (result.code, result.err) == (2, "error: --from 2027-01-01 is in the future (today is 2026-11-23)\n")

    with pytest.raises(reunify.ReunifyError) as raised:
        reunify.record(case, people.set_relationship, "jo", "ella", couple="married", since=dt.date(2027, 1, 1),
                       today=TODAY)
    assert str(raised.value).startswith("`since` 2027-01-01 is in the future")
    result = cli("relationship", "jo", "ella", case, "--couple", "married", "--since", "2027-01-01")
    assert (result.code, result.err) == (2, "error: --since 2027-01-01 is in the future (today is 2026-11-23)\n")

    with pytest.raises(reunify.Refused) as raised:
        reunify.record(case, "team-add", "Pat Example", role="social_worker", member="tm", today=TODAY)
    assert str(raised.value).startswith("`member` is already used by a team member")
    result = cli("team", "add", "Pat Example", case, "--role", "social_worker", "--id", "tm")
    assert result.code == 1 and result.err.startswith("refused: --id is already used by a team member")


def test_a_hint_names_the_field_too(case: Path, cli: Callable[..., Result]) -> None:
    done = reunify.record(case, "team-add", "Pat Example", role="social_worker", today=TODAY)
    assert done.recorded.hint == "record what they do with `by` sw-example"
    result = cli("team", "add", "Lee Example", case, "--role", "social_worker")
    assert result.code == 0 and result.out.splitlines()[-1] == "record what they do with --by sw-example-2"


def _texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string the code writes, but docstrings: an f-string as its literal parts."""
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found, parts = [], set()
    for node in ast.walk(tree):  # parents first: an f-string is met before its parts
        if isinstance(node, ast.JoinedStr):
            pieces = [value for value in node.values if isinstance(value, ast.Constant)]
            parts.update(id(piece) for piece in pieces)
            found.append((node.lineno, "".join(str(piece.value) for piece in pieces)))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings and id(node) not in parts):
            found.append((node.lineno, node.value))
    return found


def test_no_message_of_the_practice_layer_names_an_option() -> None:
    """history.py and audit.py run git (its options are git's); a text naming 'reunify '
    is a command for the user to run, whose options stay."""
    named = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
             for path in sorted(PRACTICE.rglob("*.py")) if path.name not in ("history.py", "audit.py")
             for line, text in _texts(ast.parse(path.read_text(encoding="utf-8")))
             if FLAG.search(text) and "reunify " not in text]
    assert named == []


def test_the_scan_finds_an_option_in_a_message() -> None:
    source = 'def f(x):\n    """Give --by."""\n    raise E(f"{x}: --by is not one")\n'
    assert [text for _, text in _texts(ast.parse(source)) if FLAG.search(text)] == [": --by is not one"]
