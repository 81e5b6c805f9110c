"""reunify anonymise, word by word: names that are words, accents, whole words, and the review."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reunify.core.yamlio import load_file
from reunify.teaching.anonymise.review import review_copy
from tests.conftest import Result

Cli = Callable[..., Result]

# Every name here is also an ordinary word; the team in the base case (Tara Moss, Sol Marsh,
# Cal Reed) and the child (Ella Stone) have surnames that are words too.
WORDY_PEOPLE = """\
people:
  - id: ella
    name: Ella Stone
    sex: female
    born: 2017-04-09
    parents: [jo]
  - id: jo
    name: Jo Stone
    sex: female
    born: 1991-02-14
    notes: {notes}
  - id: will
    name: Will Frank
    sex: male
    relationship: uncle
  - id: grace
    name: Grace Summer
    sex: female
    relationship: aunt
  - id: dean
    name: Dean May
    sex: male
    relationship: family friend
  - id: zoe
    name: Zoë Holly
    sex: female
    relationship: cousin
  - id: renee
    name: Renee Kettleby
    sex: female
    relationship: neighbour
households:
  - id: flat
    name: Jo's flat
    members: [jo]
"""
ORDINARY = ("We hope Will will attend. To be frank, she will grace the meeting in summer; the dean may "
            "bring holly and a stone from the marsh, the reed beds and the moss.")
NAMES = ("Will's brother, Grace Summer, Dean and Frank came; WILL and GRACE signed. Zoe and Renée rang, "
         "and so did Zoe\u0308 (written apart) and KETTLEBY. Willow, goodwill and willing stay; so does Stoneleigh.")


def _case(make_case: Callable[..., Path], notes: str) -> Path:
    return make_case(people_yaml=WORDY_PEOPLE.format(notes=json.dumps(notes)))


def _copy(cli: Cli, folder: Path, out: Path) -> dict[str, Any]:
    result = cli("anonymise", folder, out, "--seed", "5", "--json", today=None)
    assert result.code == 0, result.err + result.out
    data: dict[str, Any] = json.loads(result.out)
    return data


def _notes(out: Path) -> str:
    notes: str = load_file(out / "people.yaml").data["people"][1]["notes"]
    return notes


def test_a_name_that_is_a_word_is_replaced_only_as_a_name(make_case: Callable[..., Path], tmp_path: Path,
                                                            cli: Cli) -> None:
    folder = _case(make_case, ORDINARY)
    _copy(cli, folder, tmp_path / "copy")
    note = _notes(tmp_path / "copy")
    words = re.findall(r"[^\W\d_]+", note)
    # Every lower-case word is left as it was; "Will" the name is not.
    assert [w for w in words if w.islower()] == [w for w in re.findall(r"[^\W\d_]+", ORDINARY) if w.islower()]
    name = re.fullmatch(r"We hope (\w+) will attend\. To be frank, she will grace the meeting in summer; the dean "
                        r"may bring holly and a stone from the marsh, the reed beds and the moss\.", note)
    assert name and name.group(1) != "Will" and name.group(1)[0].isupper()


def test_names_go_in_every_form_and_only_as_whole_words(make_case: Callable[..., Path], tmp_path: Path,
                                                        cli: Cli) -> None:
    folder = _case(make_case, NAMES)
    _copy(cli, folder, tmp_path / "copy")
    note = _notes(tmp_path / "copy")
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", note) if not unicodedata.combining(ch))
    for name in ("Will", "WILL", "Grace", "GRACE", "Summer", "Dean", "Frank", "Zoe", "Renee", "KETTLEBY"):
        assert not re.search(rf"(?<!\w){name}(?!\w)", plain), name
    assert "Willow, goodwill and willing stay; so does Stoneleigh." in note
    assert "'s brother" in note and "(written apart)" in note


def test_the_review_lists_what_nothing_explains() -> None:
    texts = [
        ("chronology.yaml", ("entries", 3, "event"), "Kestrel visited. Mum said Kestrel's dog bit Felix."),
        ("chronology.yaml", ("entries", 4, "source"), "Case number 4471902; PNC ref AB/12345; see FELIX-1234."),
        ("plan.yaml", ("contingency",), "If needed, call Police on 999 or write to ops@example.org."),
        ("plan.yaml", ("contact", 0, "arrangement"), "Tuesdays at 15:30, from 2026-09-08 (in March)."),
        ("plan.yaml", ("child_communication",), "Quenby knows. Nobody else does."),
    ]
    items = [item.line() for item in review_copy(texts, {"felix"})]
    assert items == [
        "chronology.yaml entries[4].source: '4471902' (number of five or more digits)",
        "chronology.yaml entries[4].source: 'AB/12345' (looks like an id or a reference number)",
        "chronology.yaml entries[4].source: 'FELIX-1234' (looks like an id or a reference number)",
        "plan.yaml contingency: 'ops@example.org' (looks like an email or web address)",
        # "Kestrel" starts a sentence, but is not recognised in the next one either
        "chronology.yaml entries[3].event: 'Kestrel' (capitalised word not recognised)",
        "chronology.yaml entries[3].event: 'Kestrel's' (capitalised word not recognised)",
        # Words that only ever start a sentence are listed too: a name there ("Quenby
        # knows.") would otherwise pass unseen; ordinary words are usually written in lower
        # case somewhere in a case, which this short text is not.
        "chronology.yaml entries[4].source: 'Case' (starts a sentence, and is never written in lower case)",
        "plan.yaml child_communication: 'Quenby' (starts a sentence, and is never written in lower case)",
        "plan.yaml child_communication: 'Nobody' (starts a sentence, and is never written in lower case)",
    ]
