"""reunify anonymise against a planted attack: identifiers of every kind hidden in free text.

More than a hundred fictional identifiers (names in every form, nicknames, initials,
addresses and postcodes in any case, phone numbers in every UK form, NHS and NI numbers,
emails, schools and services, the case reference, dates of birth) are planted in a copy of
sample 03. Fewer than one in twenty may reach the anonymised copy, every one that does must
be listed in the review report, and nothing the copy lost may appear in what the command
prints. Phone numbers are in Ofcom's drama ranges (07700 900xxx, 01632 960xxx), NHS numbers
in the 999 test range (with a valid check digit), postcodes in areas that do not exist.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reunify.core.yamlio import edit_file
from reunify.core.yamlio import load_file
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result

Cli = Callable[..., Result]


def _nhs(first_nine: str) -> str:
    """Ten digits with a valid modulus 11 check digit, in the 999 test range."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    assert check != 10, first_nine
    return first_nine + str(check)


NHS = [_nhs(n) for n in ("999123457", "999234567", "999345678", "999456780", "999567891")]
NHS_WRITTEN = (f"{NHS[0][:3]} {NHS[0][3:6]} {NHS[0][6:]}", NHS[1], f"{NHS[2][:3]}-{NHS[2][3:6]}-{NHS[2][6:]}",
               f"{NHS[3][:3]} {NHS[3][3:6]} {NHS[3][6:]}", NHS[4])


@dataclass(frozen=True)
class Planted:
    """An identifier as planted, and how to find it again: `word` (whole word, as written),
    `fold` (whole word, any case, any accents), `digits` (the same digits, any separators),
    `alnum` (the same letters and digits, any case and separators) or `text` (any case)."""

    written: str
    mode: str = "word"
    needle: str = ""

    @property
    def looked_for(self) -> str:
        return self.needle or self.written


P = Planted
PLANTED: tuple[Planted, ...] = (
    # names from people.yaml and the team, in every form
    P("Kerry’s"), P("Kerry's"), P("kerry"), P("KERRY"), P("Thornbury's"), P("K. Thornbury"), P("K Thornbury"),
    P("KT"), P("Zoe", "fold"), P("zoë", "fold"), P("Pennock's"), P("Renée", "fold"), P("RENÉE", "fold"),
    P("Stalbridge"), P("Will's"), P("Hartnell"), P("W. Hartnell"), P("WH"), P("Hope Garside"), P("Hope’s"),
    P("Garside"), P("maisie"), P("Maisie’s"), P("MT"), P("Dean's"), P("D. Thornbury"), P("Pauline's"),
    P("P. Ridley"), P("Ridley"), P("Carol"), P("Fenwicks"), P("Joanne"), P("Pike's"), P("Frank's"),
    P("Hannah"), P("H. Mistry"), P("Mistry's"), P("Castleton"), P("O. Castleton"), P("Moorcroft"), P("JM"),
    P("Ravi"), P("Chandler's"), P("Ashdown"), P("Fothergill"), P("EF"), P("Ian"), P("Owen"), P("RENEE"),
    P("Renee’s"), P("Contact with Dean", "text"),
    # nicknames the case records ("known as Kez", 'Renee ("Ren")')
    P("Kez"), P("Kez's"), P("Wilko"), P("Ren's"),
    # households and places the case records
    P("Rowanlea Court", "text"), P("Marlow Crescent", "text"), P("Tanyard Lane", "text"),
    P("Ashcombe Vale", "text"), P("Pendlebrook", "fold"),
    # addresses in free text, in any case
    P("14 larch close", "text", "larch"), P("Flat 3, 22 Quarry Bank Road", "text", "Quarry Bank"),
    P("7a Heron Way", "text", "Heron"), P("unit 5, 88 mill lane", "text", "mill lane"),
    P("31 MARLOW CRESCENT", "text", "31 marlow"), P("102 Sycamore Drive", "text", "Sycamore"),
    P("flat 12b, 3 ormond terrace", "text", "ormond"), P("40 Sorrel Gardens", "text", "Sorrel"),
    P("5 Kingfisher Mews", "text", "Kingfisher"), P("19 Elderberry Rise", "text", "Elderberry"),
    P("Wexcombe Street", "text", "Wexcombe"), P("67 brookfield avenue", "text", "brookfield"),
    # postcodes, any case, with or without the space
    P("ZB4 9NT", "alnum"), P("yy4 7pq", "alnum"), P("QX12DW", "alnum"), P("zq9 4hb", "alnum"),
    P("XW3 8TN", "alnum"), P("yb12 6fd", "alnum"), P("QB7 3LG", "alnum"), P("VQ2A 1WF", "alnum"),
    # phone numbers in every UK form
    P("07700 900123", "digits", "7700900123"), P("0044 7700 900124", "digits", "7700900124"),
    P("+44 (0)7700 900125", "digits", "7700900125"), P("07700.900.126", "digits", "7700900126"),
    P("07700-900-127", "digits", "7700900127"), P("+447700900128", "digits", "7700900128"),
    P("(01632) 960001", "digits", "1632960001"), P("01632 960 002", "digits", "1632960002"),
    P("+44 1632 960003", "digits", "1632960003"), P("0044 (0)1632 960004", "digits", "1632960004"),
    P("077 00 900 129", "digits", "7700900129"), P("07700900130", "digits", "7700900130"),
    P("+44 7700 900 131", "digits", "7700900131"), P("01632-960-005", "digits", "1632960005"),
    P("07700 900 132", "digits", "7700900132"),
    # NHS and National Insurance numbers
    *(P(written, "digits", number) for written, number in zip(NHS_WRITTEN, NHS, strict=True)),
    P("ab 12 34 56 c", "alnum"), P("JT481927A", "alnum"), P("jt 58 29 37 b", "alnum"), P("CE-12-34-56-D", "alnum"),
    P("Wp 87 65 43 b", "alnum"),
    # emails
    P("kez.t@example.org", "text"), P("Hannah.Mistry@westmoor.example", "text"),
    P("wilko1987@example.com", "text"), P("hope_garside@mail.example.net", "text"),
    # schools, services and agencies
    P("Kelderby Primary School", "text", "Kelderby"), P("Brackenbury Family Centre", "text", "Brackenbury"),
    P("Ashcombe Primary School", "text", "Ashcombe"), P("St Ottilie's Academy", "text", "Ottilie"),
    P("Fernleigh Surgery", "text", "Fernleigh"), P("Hallowgate Medical Centre", "text", "Hallowgate"),
    P("Oakhurst", "fold"), P("Quillby Nursery", "text", "Quillby"), P("Westmoor", "fold"),
    P("Thistledown Children's Centre", "text", "Thistledown"), P("Caverly High School", "text", "Caverly"),
    P("Glenmorrow Hospital", "text", "Glenmorrow"), P("Marchwood Infant School", "text", "Marchwood"),
    # the case reference and dates of birth
    P("WBC-RU-2026-007", "text"), P("11/02/2016", "text"), P("23 September 1989", "text"),
    P("2016-02-11", "text"),
    # nothing in the case says what these are: they must reach the review instead
    P("Kestrel"), P("4471902"), P("Quenby"),
)

CHRONOLOGY = [
    {"date": dt.date(2026, 3, 20),
     "event": ("Anonymous call about Kerry’s drinking; the caller gave 07700 900123 and 0044 7700 900124 "
               "and said kerry had moved to 14 larch close, ZB4 9NT."),
     "source": "Referral from Kelderby Primary School (case number 4471902)",
     "impact": "Maisie’s teacher said maisie was anxious; KT was seen at the gate by K. Thornbury's neighbour.",
     "response": ("Letter to KERRY at Flat 3, 22 Quarry Bank Road, yy4 7pq; copy by email to "
                  "kez.t@example.org."),
     "analysis": "Will's support matters to Kez, and Hope’s too."},
    {"date": dt.date(2026, 4, 2),
     "event": ("A call from Hope Garside on +44 (0)7700 900125: she says Zoe and zoë's partner stay at "
               "7a Heron Way, QX12DW."),
     "source": "Health visitor at Fernleigh Surgery",
     "impact": "Pennock's children attend Caverly High School with Maisie.",
     "response": f"Checked NHS number {NHS_WRITTEN[0]} and NI number ab 12 34 56 c with the GP.",
     "analysis": "RENÉE STALBRIDGE confirmed this to H. Mistry by phone on 07700.900.126, and Renée agreed."},
    {"date": dt.date(2026, 5, 11),
     "event": ("Dean's brother-in-law W. Hartnell (WH) called from 07700-900-127; a frank talk with the dean "
               "of the sixth form followed, and a carol service was planned."),
     "source": "Email from wilko1987@example.com",
     "impact": "Hartnell said Wilko would collect Maisie from Brackenbury Family Centre.",
     "response": (f"Contact with Dean agreed; D. Thornbury's solicitor confirmed DOB 11/02/2016 and NHS number "
                  f"{NHS_WRITTEN[1]}."),
     "analysis": "Thornbury's family home was 31 MARLOW CRESCENT before the move; see WBC-RU-2026-007."},
    {"date": dt.date(2026, 6, 19),
     "event": "Pauline's friend Kestrel saw Frank's old car outside 102 Sycamore Drive, XW3 8TN.",
     "source": "Police (P. Ridley's statement)",
     "impact": "Ridley told Carol and the Fenwicks that Joanne had phoned +447700900128.",
     "response": "Pike's report sent to Glenmorrow Hospital and (01632) 960001.",
     "analysis": "Kestrel is not known to the family; Hannah to check."},
    {"date": dt.date(2026, 7, 30),
     "event": "Ian collected Maisie from St Ottilie's Academy and took her to Hope's flat at Rowanlea Court.",
     "source": "O. Castleton (chronologist), from Mistry's notes",
     "impact": "Castleton found a note giving 01632 960 002 and jt 58 29 37 b.",
     "response": "Referral to Hallowgate Medical Centre and Thistledown Children's Centre; Moorcroft agreed.",
     "analysis": "JM and Ravi agreed the plan; Chandler's note cites +44 1632 960003."},
    {"date": dt.date(2026, 8, 15),
     "event": ("Letter from Ashdown to Fothergill: EF to chair; the family lives near Tanyard Lane and "
               "Marlow Crescent in Ashcombe Vale."),
     "source": "Quillby Nursery and Ashcombe Primary School records",
     "impact": "Mrs Quenby on 0044 (0)1632 960004 knows the family at 40 Sorrel Gardens, Pendlebrook.",
     "response": "Emails sent to hope_garside@mail.example.net and Hannah.Mistry@westmoor.example.",
     "analysis": "Oakhurst and Westmoor staff will share updates on 077 00 900 129 and 07700900130."},
]
PEOPLE = [
    {"id": "will-hartnell", "name": "Will Hartnell", "sex": "male", "relationship": "maternal uncle",
     "notes": "Known as Wilko. Will's flat is above a shop."},
    {"id": "hope-garside", "name": "Hope Garside", "sex": "female", "relationship": "family friend",
     "notes": "Hope's number is 07700 900 132. Hope says Maisie was born on 2016-02-11 at Glenmorrow Hospital."},
    {"id": "zoe-pennock", "name": "Zoë Pennock", "sex": "female", "relationship": "Kerry's cousin"},
    {"id": "renee-stalbridge", "name": "Renee Stalbridge", "sex": "female", "relationship": "neighbour",
     "notes": 'Renee ("Ren") keeps a spare key.'},
]
WILL_NOTE = "We hope Will will attend."


def _plant(folder: Path) -> None:
    """Add the planted identifiers to the case in `folder` (a copy of sample 03)."""
    with edit_file(folder / "people.yaml") as edit:
        people = edit.data["people"]
        next(p for p in people if p["id"] == "kerry")["notes"] = "Kerry is known as Kez to her friends."
        people.extend(PEOPLE)
        edit.data["households"].append({
            "id": "garside-flat", "name": "Hope's flat at Rowanlea Court",
            "address": "flat 6, 40 sorrel gardens, Pendlebrook ZB4 9NT", "members": ["hope-garside"]})
    with edit_file(folder / "chronology.yaml") as edit:
        edit.data["entries"].extend(CHRONOLOGY)
    with edit_file(folder / "assessment.yaml") as edit:
        data = edit.data
        data["child_views"] += " She says MT is what her friends call her, and visits 5 Kingfisher Mews, QB7 3LG."
        data["housing"] += " Previously at flat 12b, 3 ormond terrace (VQ2A 1WF) and 19 Elderberry Rise."
        data["finances"] += f" NI number JT481927A; NHS {NHS_WRITTEN[2]}."
        data["school"] += " Her previous school was Marchwood Infant School."
        data["conclusion"] += " Ravi Chandler and Owen asked that RENEE and Renee’s partner be checked."
    with edit_file(folder / "plan.yaml") as edit:
        data = edit.data
        data["child_communication"] += " Maisie can text Joanne on +44 7700 900 131 or ring Oakhurst Family Centre."
        data["contingency"] += (" If needed, Maisie stays with the Stalbridge family at 67 brookfield avenue, "
                                "yb12 6fd, tel 01632-960-005.")
        data["support"].append({"service": "Parenting course", "provider": "Oakhurst Family Centre",
                                "for": ["kerry"], "frequency": "weekly", "from": dt.date(2026, 10, 1)})
        data["transition"].append({"step": "Visit to Wexcombe Street with Kez", "date": dt.date(2026, 12, 20)})
    with edit_file(folder / "agreement.yaml") as edit:
        parents = edit.data["parents"]
        review = parents[0]["goals"][0]["reviews"][0]
        review["evidence"] += f" NHS {NHS_WRITTEN[3]}; NI CE-12-34-56-D."
        review = parents[1]["goals"][0]["reviews"][1]
        review["evidence"] += f" Test via Wp 87 65 43 b; NHS {NHS_WRITTEN[4]}."
    with edit_file(folder / "events.yaml") as edit:
        steps = edit.data["steps"]
        steps[0]["note"] = WILL_NOTE
        steps[1]["note"] = "Kerry's date of birth 23 September 1989 was confirmed; Zoe Pennock came too."
        steps[2]["note"] = "K Thornbury and Kez's mother met at unit 5, 88 mill lane, zq9 4hb, with Ren's help."


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    folder = tmp_path / "source" / "03"
    shutil.copytree(SAMPLES / "03-medium-agreement-review", folder)
    _plant(folder)
    return folder


# -- finding an identifier again ------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


def _in(planted: Planted, text: str) -> bool:
    needle = planted.looked_for
    if planted.mode == "word":
        return re.search(rf"(?<![\w.]){re.escape(needle)}(?!\w)", text) is not None
    if planted.mode == "fold":
        return re.search(rf"(?<!\w){re.escape(_fold(needle))}(?!\w)", _fold(text)) is not None
    if planted.mode == "digits":
        return needle in re.sub(r"\D", "", text)
    if planted.mode == "alnum":
        return re.sub(r"[\W_]", "", needle).upper() in re.sub(r"[\W_]", "", text).upper()
    return needle.casefold() in text.casefold()


def _field(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _strings(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, index))
    elif isinstance(node, str):
        yield _field(path), node


def _values(folder: Path) -> list[tuple[str, str, str]]:
    """Every string value of every record file: (file, field, value)."""
    return [(path.name, field, value) for path in sorted(folder.glob("*.yaml"))
            for field, value in _strings(load_file(path).data)]


def _anonymise(cli: Cli, folder: Path, out: Path, *more: str) -> Result:
    result = cli("anonymise", folder, out, "--seed", "11", *more, today=None)
    assert result.code == 0, result.err + result.out
    return result


# -- the tests ------------------------------------------------------------------------------------


def test_every_identifier_is_planted_and_the_case_is_clean(planted: Path, cli: Cli) -> None:
    assert len(PLANTED) >= 100
    text = "\n".join(p.read_text(encoding="utf-8") for p in planted.glob("*.yaml"))
    missing = [p.written for p in PLANTED if p.written not in text]
    assert not missing
    assert all(_in(p, text) for p in PLANTED)
    result = cli("check", planted, "--json")
    assert json.loads(result.out)["errors"] == 0, result.out


def test_fewer_than_one_in_twenty_survive_and_each_is_reviewed(planted: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "copy"
    report = json.loads(_anonymise(cli, planted, out, "--json").out)
    files = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    values = _values(out)
    survivors = [p for p in PLANTED if _in(p, files)]
    assert len(survivors) * 20 < len(PLANTED), [p.written for p in survivors]
    # The ones nothing in the case explains reach the review, wherever they are.
    assert {p.written for p in survivors} <= {"Kestrel", "4471902", "Quenby"}
    review = report["review"]
    assert review and all(set(item) == {"file", "field", "text", "why"} for item in review)
    for survivor in survivors:
        places = [(file, field) for file, field, value in values if _in(survivor, value)]
        assert places, survivor
        for file, field in places:
            assert any(item["file"] == file and item["field"] == field and _in(survivor, item["text"])
                       for item in review), (survivor, file, field)
    assert {"Kestrel", "Quenby"} <= {item["text"] for item in review}
    assert any("4471902" in item["text"] for item in review)


@pytest.mark.parametrize("as_json", [False, True])
def test_what_it_prints_holds_nothing_the_copy_lost(planted: Path, tmp_path: Path, cli: Cli, as_json: bool) -> None:
    out = tmp_path / "copy"
    result = _anonymise(cli, planted, out, *(["--json"] if as_json else []))
    files = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    printed = result.out + result.err
    gone = [p for p in PLANTED if not _in(p, files)]
    assert len(gone) > 100
    assert [p.written for p in gone if _in(p, printed)] == []
    people = load_file(planted / "people.yaml").data["people"]
    for word in {w for person in people for w in re.findall(r"[^\W\d_]{2,}", person["name"])}:
        assert not re.search(rf"(?<!\w){re.escape(_fold(word))}(?!\w)", _fold(printed)), word
    count = len(json.loads(result.out)["review"]) if as_json else None
    if not as_json:
        found = re.search(r"^(\d+) items? needs? review before the copy is used", result.out, re.M)
        assert found, result.out
        assert int(found.group(1)) == len(re.findall(r"^  \S+\.yaml \S+: '.*' \(.*\)$", result.out, re.M)) > 0
        assert "Kestrel" in result.out  # the survivors, as they are in the copy
    else:
        assert count is not None and count > 0


def test_names_that_are_words_are_replaced_only_as_names(planted: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "copy"
    _anonymise(cli, planted, out)
    note = load_file(out / "events.yaml").data["steps"][0]["note"]
    found = re.fullmatch(r"We hope ([A-Z][a-z]+) will attend\.", note)
    assert found, note
    assert found.group(1) != "Will"
    event = load_file(out / "chronology.yaml").data["entries"][-4]["event"]
    assert "a frank talk with the dean of the sixth form followed, and a carol service" in event
    assert not re.search(r"\b(?:Dean|Frank|Carol|Will|Hope)\b", event)
    # Names that are not words go in any case.
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert not re.search(r"(?i)\b(?:kerry|maisie|pennock|hartnell)\b", text)


def test_the_copy_of_the_attacked_case_still_checks(planted: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "copy"
    report = json.loads(_anonymise(cli, planted, out, "--json").out)
    today = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=report["date_shift_days"])).isoformat()
    before = json.loads(cli("check", planted, "--json").out)
    after = json.loads(cli("check", out, "--json", today=today).out)
    assert after["errors"] == 0
    assert {k: after[k] for k in ("errors", "warnings", "notes")} == {k: before[k] for k in ("errors", "warnings",
                                                                                               "notes")}
