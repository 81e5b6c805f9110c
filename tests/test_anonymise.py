"""reunify anonymise: a copy of a case with no name, address, contact detail or real date left in it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reunify.core.yamlio import edit_file
from reunify.core.yamlio import load_file
from reunify.records import load_case
from reunify.records.fields import walk_record
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.conftest import snapshot

SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if (p / "case.yaml").is_file())
RECORD_FILES = ("case.yaml", "people.yaml", "chronology.yaml", "assessment.yaml", "risk.yaml",
                "decisions.yaml", "agreement.yaml", "plan.yaml", "events.yaml")

# Fictional contact details, added to a copy of each sample to prove they are scrubbed.
PHONES = ("07700 900123", "+44 7700 900456", "(0161) 496 0000", "+44 (0)113 496 0999")
EMAIL = "kerry.t@example.org"
STREET = "22 Quarry Bank Road"
POSTCODE = "MB4 7QT"
ADDED_DOB = "2015-03-04"
ADDED = (f"Call on {PHONES[0]} or {PHONES[1]}, the office on {PHONES[2]} or {PHONES[3]}; "
         f"email {EMAIL}. Staying at {STREET}, Millbeck {POSTCODE}. DOB: {ADDED_DOB}; "
         "date of birth 4 March 2015. NHS number 943 476 5919, NI number AB 12 34 56 C.")
WORDS_IN_TEXT = ("Seen on Tuesday 3 March 2020, again in April 2021 and on 14/05/2021; "
                 "next contact on 2 June.")

Cli = Callable[..., Result]


def _copy_sample(name: str, tmp_path: Path, extra: bool = True) -> Path:
    folder = tmp_path / "source" / name
    shutil.copytree(SAMPLES / name, folder)
    (folder / "documents").mkdir()
    (folder / "documents" / "letter.txt").write_text("not a record\n")
    if extra:
        with edit_file(folder / "people.yaml") as edit:
            edit.data["people"][0]["notes"] = ADDED  # the child, in every sample
        with edit_file(folder / "events.yaml") as edit:
            edit.data["steps"][0]["note"] = WORDS_IN_TEXT
    return folder


def _anonymise(cli: Cli, folder: Path, out: Path, *more: str) -> dict[str, Any]:
    result = cli("anonymise", folder, out, "--seed", "7", "--json", *more, today=None)
    assert result.code == 0, result.err + result.out
    data: dict[str, Any] = json.loads(result.out)
    return data


def _originals(folder: Path) -> dict[str, list[str]]:
    """What must not survive: names, dates of birth, addresses, from the original records."""
    people = load_file(folder / "people.yaml").data or {}
    case = load_file(folder / "case.yaml").data or {}
    names: set[str] = set()
    for entry in [*people.get("people", []), *case.get("team", [])]:
        name = re.sub(r"\(.*?\)", "", entry["name"]).strip()
        names.add(name)
        names.update(word for word in name.split() if len(word) > 1)
    households = people.get("households", [])
    for household in households:
        # The proper words of a household's name ("Kerry's home": Kerry; "Brookside House": Brookside).
        names.update(w for w in re.findall(r"[A-Z][a-z]+", household["name"]) if w not in ("Foster", "House"))
    addresses = [h["address"] for h in households if h.get("address")]
    streets = [part.strip() for a in addresses for part in a.split(",") if re.match(r"\s*\d", part)]
    born = [p["born"].isoformat() for p in people.get("people", []) if p.get("born")]
    return {"names": sorted(names), "born": born, "addresses": addresses + streets}


def _text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file())


def _mentions(word: str, text: str) -> list[str]:
    """Whole-word mentions of `word` (any case, plural or possessive too)."""
    pattern = rf"(?<![^\W\d_]){re.escape(word)}(?:s)?(?![^\W\d_])"
    return re.findall(pattern, text, flags=re.IGNORECASE)


def _shifted(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_name_date_of_birth_address_or_contact_detail_survives(name: str, tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample(name, tmp_path)
    out = tmp_path / "copy"
    report = _anonymise(cli, folder, out)
    text = _text(out)
    lowered = text.lower()
    originals = _originals(folder)
    for word in originals["names"]:
        assert not _mentions(word, text), word
    for day in [*originals["born"], ADDED_DOB]:
        assert day not in text
    for address in originals["addresses"]:
        assert address.lower() not in lowered
    for phone in PHONES:
        assert phone not in text
    for detail in (EMAIL, STREET, POSTCODE, "Quarry Bank", "example.org", "943 476 5919", "AB 12 34 56 C"):
        assert detail.lower() not in lowered
    assert "[phone]" in text and "[email]" in text and "[address]" in text and "[postcode]" in text
    assert "DOB: [date of birth]" in text and "date of birth [date of birth]" in text
    reference = load_file(folder / "case.yaml").data["reference"]
    assert reference.lower() not in lowered
    assert re.fullmatch(r"TRAIN-\d{4}", report["reference"])
    assert report["replaced"]["phone_numbers"] == len(PHONES)
    assert report["replaced"]["emails"] == 1
    assert report["replaced"]["identity_numbers"] == 2
    assert "[NHS number]" in text and "[NI number]" in text
    assert report["replaced"]["dates_of_birth"] == 2


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_date_moves_by_one_shift(name: str, tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample(name, tmp_path)
    report = _anonymise(cli, folder, tmp_path / "copy")
    shift = report["date_shift_days"]
    assert shift == report["dates"]["shifted_by_days"]
    assert -2000 <= shift <= -200 and shift % 7 == 0
    original, _ = load_case(folder)
    copy, _ = load_case(tmp_path / "copy")
    assert original is not None and copy is not None
    for file_name in RECORD_FILES:
        attribute = file_name.removesuffix(".yaml")
        before = {mark.path: mark.value for mark in walk_record(getattr(original, attribute)) if mark.date}
        after = {mark.path: mark.value for mark in walk_record(getattr(copy, attribute)) if mark.date}
        assert before.keys() == after.keys(), file_name
        for path, day in before.items():
            assert (after[path] - day).days == shift, (file_name, path)
    # Dates of birth are dates like the others: every age and interval is what it was.
    assert original.child is not None and copy.child is not None
    assert original.child.born is not None and copy.child.born is not None
    for done, done_copy in zip(original.events.steps, copy.events.steps, strict=True):
        assert done.date - original.child.born == done_copy.date - copy.child.born
    assert report["dates"]["fields"] == sum(1 for f in RECORD_FILES for mark in
                                            walk_record(getattr(original, f.removesuffix(".yaml"))) if mark.date)


def test_dates_in_words_move_too(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("03-medium-agreement-review", tmp_path)
    report = _anonymise(cli, folder, tmp_path / "copy")
    days = report["date_shift_days"]
    note = load_file(tmp_path / "copy" / "events.yaml").data["steps"][0]["note"]
    day = dt.date(2020, 3, 3) + dt.timedelta(days=days)
    month = dt.date(2021, 4, 15) + dt.timedelta(days=days)
    numeric = dt.date(2021, 5, 14) + dt.timedelta(days=days)
    assert note == (f"Seen on {day:%A} {day.day} {day:%B} {day.year}, again in {month:%B} {month.year} "
                    f"and on {numeric:%d/%m/%Y}; next contact on [date].")
    assert report["dates"]["replaced"] == 1
    # ISO dates in text move with the fields around them.
    agreement = load_file(folder / "agreement.yaml").data["parents"][0]["goals"][1]["reviews"][0]["evidence"]
    copied = load_file(tmp_path / "copy" / "agreement.yaml").data["parents"][0]["goals"][1]["reviews"][0]
    assert "2026-09-18" in agreement
    assert _shifted("2026-09-18", days) in copied["evidence"]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_copy_checks_plans_and_renders_like_the_original(name: str, tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample(name, tmp_path, extra=False)
    report = _anonymise(cli, folder, tmp_path / "copy")
    today = _shifted(TODAY, report["date_shift_days"])
    copy = tmp_path / "copy"

    before = cli("check", folder, "--json")
    after = cli("check", copy, "--json", today=today)
    assert after.code == before.code
    counts = [{k: json.loads(r.out)[k] for k in ("errors", "warnings", "notes")} for r in (before, after)]
    assert counts[0] == counts[1]
    assert counts[0]["errors"] == 0

    steps = []
    for case, day in ((folder, TODAY), (copy, today)):
        result = cli("next", case, "--json", today=day)
        assert result.code == 0, result.err
        data = json.loads(result.out)
        steps.append(([s["step"] for s in data["next"]], [s["step"] for s in data["coming_up"]]))
    assert steps[0] == steps[1]

    rendered = cli("render", copy, "--out", tmp_path / "documents", "--json", today=today)
    assert rendered.code == 0, rendered.err + rendered.out
    written = json.loads(rendered.out)["cases"][0]["written"]
    assert written and all(Path(p).is_file() for p in written)


def test_the_copy_is_private_and_holds_only_records(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("03-medium-agreement-review", tmp_path)
    out = tmp_path / "new" / "copy"
    report = _anonymise(cli, folder, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(name for name in RECORD_FILES if (folder / name).is_file())
    assert report["written"] == [name for name in RECORD_FILES if (folder / name).is_file()]
    assert report["not_copied"] == 2  # README.md and documents/
    assert report["comments"] == "dropped"
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not any(line.lstrip().startswith("#") for line in path.read_text().splitlines())
    # Key order is kept.
    for name in files:
        before, after = load_file(folder / name).data, load_file(out / name).data
        assert list(before) == list(after)
    assert list(tmp_path.joinpath("new").iterdir()) == [out]  # no staging folder left behind


def test_ids_that_hold_a_name_are_renamed_everywhere(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("03-medium-agreement-review", tmp_path)
    report = _anonymise(cli, folder, tmp_path / "copy")
    case, problems = load_case(tmp_path / "copy")
    assert case is not None and not [p for p in problems if p.is_error]
    ids = {p.id for p in case.people.people} | {t.id for t in case.case.team}
    assert "maisie" not in ids and "sw-mistry" not in ids
    assert case.case.child in ids and case.case.trusted_adult in ids
    assert all(member in ids for meeting in case.events.meetings for member in meeting.attendees)
    assert report["replaced"]["ids"] == 17  # every person, team member and household id here holds a name
    child = case.child
    assert child is not None and child.sex == "female"
    sexes = {p.name.split()[0]: p.sex for p in case.people.people}
    assert sexes[child.name.split()[0]] == "female"
    # A family keeps one surname: the child and both parents shared one, and still do.
    surnames = {p.id: p.name.split()[-1] for p in case.people.people}
    assert child.parents and {surnames[p] for p in child.parents} == {surnames[child.id]}


def test_the_same_seed_gives_the_same_copy(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("04-high-over-six-months", tmp_path)
    first = _anonymise(cli, folder, tmp_path / "one")
    second = _anonymise(cli, folder, tmp_path / "two")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert {**first, "out": ""} == {**second, "out": ""}
    other = cli("anonymise", folder, tmp_path / "three", "--seed", "8", "--json", today=None)
    assert other.code == 0
    assert snapshot(tmp_path / "three") != snapshot(tmp_path / "one")
    unseeded = cli("anonymise", folder, tmp_path / "four", "--json", today=None)
    assert unseeded.code == 0 and json.loads(unseeded.out)["seed"] is None


@pytest.mark.parametrize("as_json", [False, True])
def test_the_report_names_no_one(tmp_path: Path, cli: Cli, as_json: bool) -> None:
    folder = _copy_sample("02-mid-assessment", tmp_path)
    result = cli("anonymise", folder, tmp_path / "copy", "--seed", "3", *(["--json"] if as_json else []), today=None)
    assert result.code == 0, result.err
    output = result.out + result.err
    for word in _originals(folder)["names"]:
        assert not _mentions(word, output), word
    assert str(folder) not in output
    assert "02-mid-assessment" not in output
    assert ("date_shift_days" in output) if as_json else ("days earlier" in output)


def _refusal(cli: Cli, folder: Path, out: Path, tmp_path: Path) -> Result:
    before_case = snapshot(folder)
    before_all = sorted(str(p) for p in tmp_path.rglob("*"))
    result = cli("anonymise", folder, out, "--seed", "1", today=None)
    assert result.code == 2, result.out + result.err
    assert len(result.err.strip().splitlines()) == 1
    assert snapshot(folder) == before_case
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before_all
    return result


def test_refuses_to_write_into_or_over_the_case(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("01-newly-identified-s20", tmp_path, extra=False)
    assert "is the case folder" in _refusal(cli, folder, folder, tmp_path).err
    assert "is the case folder" in _refusal(cli, folder, folder / ".." / folder.name, tmp_path).err
    assert "inside the case folder" in _refusal(cli, folder, folder / "anonymised", tmp_path).err
    assert "inside the case folder" in _refusal(cli, folder, folder / "documents" / "copy", tmp_path).err
    assert "case folder is inside OUT" in _refusal(cli, folder, folder.parent, tmp_path).err
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something.txt").write_text("already here\n")
    assert "not empty" in _refusal(cli, folder, busy, tmp_path).err
    a_file = tmp_path / "a-file"
    a_file.write_text("x\n")
    assert "not a folder" in _refusal(cli, folder, a_file, tmp_path).err
    link = tmp_path / "link"
    link.symlink_to(folder, target_is_directory=True)
    assert _refusal(cli, folder, link, tmp_path).err


def test_an_empty_folder_is_used(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("01-newly-identified-s20", tmp_path, extra=False)
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    _anonymise(cli, folder, empty)
    assert (empty / "case.yaml").is_file()
    assert stat.S_IMODE(empty.stat().st_mode) == 0o700


def test_a_case_with_errors_is_refused(tmp_path: Path, cli: Cli) -> None:
    folder = _copy_sample("01-newly-identified-s20", tmp_path, extra=False)
    with edit_file(folder / "people.yaml") as edit:
        edit.data["people"][0]["born"] = "not a date"
    before = snapshot(folder)
    result = cli("anonymise", folder, tmp_path / "copy", today=None)
    assert result.code == 1
    assert "reunify check" in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "copy").exists()
    assert snapshot(folder) == before


def test_not_a_case_folder(tmp_path: Path, cli: Cli) -> None:
    result = cli("anonymise", tmp_path, tmp_path.parent / f"{tmp_path.name}-copy", today=None)
    assert result.code == 2
    assert "not a case folder" in result.err


EDGE_CASE = """\
# Siân's case. Zoë rings from 07700 900789.
reference: OLD-REF-17
child: sian
home: obrienhome
team:
  - id: sw
    name: Sam Rivers
    role: social_worker
  - id: tm-moss
    name: Dr Tara Moss
    role: team_manager
"""
EDGE_PEOPLE = """\
people:
  - id: sian
    name: Siân O'Brien-Hughes
    sex: female
    born: 2017-04-09
    parents: [zoe]
    notes: Siân calls herself "Sian"; her mum Zoë is at zoe.obrien@example.com, or ZOE on 0113 496 0555.
  - id: zoe
    name: Zoë O’Brien
    sex: female
    born: 1991-02-14
    relationship: mother (known as Zo)
  - id: babyobrien
    name: Baby O'Brien (not yet named)
    born: 2026-01-05
    parents: [zoe]
households:
  - id: obrienhome
    name: Zoë's flat at Larkfield Court
    address: Flat 4, 12 Wren Street, Oldcastle OC1 2XY
    members: [zoe, babyobrien]
"""


def test_accents_apostrophes_ids_without_separators_and_empty_files(
        make_case: Callable[..., Path], tmp_path: Path, cli: Cli) -> None:
    folder = make_case(case_yaml=EDGE_CASE, people_yaml=EDGE_PEOPLE, risk_yaml="")
    (folder / "case.yaml").write_bytes((folder / "case.yaml").read_bytes().replace(b"\n", b"\r\n"))
    assert cli("check", folder).code == 0
    report = _anonymise(cli, folder, tmp_path / "copy")
    text = _text(tmp_path / "copy")
    for word in ("Siân", "Sian", "Zoë", "Zoe", "O'Brien", "O’Brien", "obrien", "Hughes", "Sam", "Rivers",
                 "Tara", "Moss", "Larkfield", "Wren", "Oldcastle", "Stone"):
        assert not _mentions(word, text), word
    for detail in ("OC1 2XY", "07700 900789", "0113 496 0555", "example.com", "OLD-REF-17", "2017-04-09"):
        assert detail not in text
    assert "Dr " in text and "Baby " in text and "(not yet named)" in text
    assert (tmp_path / "copy" / "risk.yaml").read_text() == ""
    assert b"\r\n" in (tmp_path / "copy" / "case.yaml").read_bytes()
    assert report["replaced"]["ids"] == 5  # sian, zoe, babyobrien, obrienhome, tm-moss
    today = _shifted(TODAY, report["date_shift_days"])
    assert cli("check", tmp_path / "copy", today=today).code == 0
