"""The team, people, relationships, households, legal status, placements and the return
home, recorded by commands: never by opening the YAML.

Each test runs the command on real files in a temporary folder and checks what a user
would notice: the exit status, the message, the YAML read back, the comments and the
order of keys kept, and `reunify check` clean afterwards. Every name is invented.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from reunify.core.yamlio import load_file
from reunify.records import load_case
from tests.conftest import BASE
from tests.conftest import ROOT
from tests.conftest import Result
from tests.conftest import snapshot
from tests.conftest import write_case

Cli = Callable[..., Result]
SCENARIOS = ROOT / "tests" / "scenarios"


def squash(text: str) -> str:
    return " ".join(text.split())


def data(path: Path) -> dict:  # type: ignore[type-arg]
    loaded = load_file(path).data
    assert isinstance(loaded, dict)
    return loaded


def clean(cli: Cli, folder: Path, today: str | None = None) -> None:
    result = cli("check", folder, **({"today": today} if today else {}))
    assert result.code == 0, result.out + result.err
    assert "no problems" in result.out


@pytest.fixture
def case(make_case: Callable[..., Path]) -> Path:
    return make_case()


# -- the team ---------------------------------------------------------------------------


def test_team_add_derives_the_id_and_keeps_comments_and_order(case: Path, cli: Cli) -> None:
    before = (case / "case.yaml").read_text()
    result = cli("team", "add", "Ada Ní Bhriain", case, "--role", "social_worker", "--from", "2026-11-02")
    assert result.code == 0, result.err
    assert "added a social worker to the team as 'sw-bhriain'" in squash(result.out)
    after = (case / "case.yaml").read_text()
    assert after.startswith(before)  # the comment, every key and entry, in their order
    assert after[len(before):] == "  - id: sw-bhriain\n    name: Ada Ní Bhriain\n    role: social_worker\n" \
                                  "    from: 2026-11-02\n"
    clean(cli, case)


def test_team_add_makes_a_derived_id_unique(case: Path, cli: Cli) -> None:
    assert cli("team", "add", "Ola Rivers", case, "--role", "social_worker").code == 0
    assert cli("team", "add", "Ian Rivers", case, "--role", "social_worker").code == 0
    loaded, _ = load_case(case)
    assert loaded is not None
    assert [t.id for t in loaded.case.team][-2:] == ["sw-rivers", "sw-rivers-2"]


def test_team_add_with_a_role_not_in_the_workflow_lists_the_roles(case: Path, cli: Cli) -> None:
    before = snapshot(case)
    result = cli("team", "add", "Ola Rivers", case, "--role", "wizard")
    assert result.code == 2
    assert "--role must be one of the workflow's roles: social_worker, chronologist, team_manager" in squash(result.err)
    assert snapshot(case) == before


def test_team_add_refuses_an_id_already_used(case: Path, cli: Cli) -> None:
    before = snapshot(case)
    result = cli("team", "add", "Ola Rivers", case, "--role", "social_worker", "--id", "sw")
    assert result.code == 1
    assert "--id is already used by a team member" in result.err
    assert snapshot(case) == before


def test_team_role_changes_a_members_role(case: Path, cli: Cli) -> None:
    result = cli("team", "role", "cal reed", "team_manager", case)
    assert result.code == 0, result.err
    assert data(case / "case.yaml")["team"][3] == {"id": "cr", "name": "Cal Reed", "role": "team_manager"}
    again = cli("team", "role", "cr", "team_manager", case)
    assert again.code == 1 and "already" in again.err


def test_team_transfer_ends_one_and_starts_the_other(case: Path, cli: Cli) -> None:
    result = cli("team", "transfer", "sw", case, "--to", "Noor Vale", "--date", "2026-10-01")
    assert result.code == 0, result.err
    assert "from 'sw' to 'sw-vale' on 2026-10-01" in squash(result.out)
    team = data(case / "case.yaml")["team"]
    assert dict(team[0]) == {"id": "sw", "name": "Sam Rivers", "role": "social_worker",
                             "until": dt.date(2026, 10, 1)}
    assert dict(team[-1])["from"] == dt.date(2026, 10, 1)
    assert "&" not in (case / "case.yaml").read_text()  # no YAML anchors for a date written twice
    # Past records keep the id of who made them.
    assert data(case / "events.yaml")["steps"][0]["by"] == "sw"
    clean(cli, case)


def test_team_transfer_refuses_a_date_before_the_member_joined(case: Path, cli: Cli) -> None:
    assert cli("team", "add", "Noor Vale", case, "--role", "chronologist", "--from", "2026-09-01").code == 0
    before = snapshot(case)
    result = cli("team", "transfer", "noor vale", case, "--to", "Kit Yarrow", "--date", "2026-08-01")
    assert result.code == 2
    assert "--date is before that team member joined the case" in result.err
    assert "Noor" not in result.err and "2026-09-01" not in result.err
    assert snapshot(case) == before


def test_team_transfer_to_an_existing_member(case: Path, cli: Cli) -> None:
    assert cli("team", "add", "Noor Vale", case, "--role", "social_worker").code == 0
    result = cli("team", "transfer", "sw", case, "--to", "sw-vale", "--date", "2026-10-01")
    assert result.code == 0, result.err
    team = data(case / "case.yaml")["team"]
    assert len(team) == 5 and team[0]["until"].isoformat() == "2026-10-01"


def test_team_list_shows_roles_and_dates(case: Path, cli: Cli) -> None:
    cli("team", "transfer", "sw", case, "--to", "Noor Vale", "--date", "2026-10-01")
    result = cli("team", "list", case)
    assert result.code == 0
    assert "Sam Rivers" in result.out and "Social worker" in result.out and "2026-10-01" in result.out


# -- people, relationships, households -------------------------------------------------


def test_person_add_derives_the_id_and_joins_a_household(case: Path, cli: Cli) -> None:
    result = cli("person", "add", "Max Stone", case, "--sex", "male", "--born", "1988-05-06",
                 "--relationship", "Father", "--household", "jo's flat", "--visitor")
    assert result.code == 0, result.err
    people = data(case / "people.yaml")
    assert dict(people["people"][-1]) == {"id": "max", "name": "Max Stone", "sex": "male",
                                          "born": dt.date(1988, 5, 6), "relationship": "Father"}
    assert list(people["households"][0]["regular_visitors"]) == ["max"]
    clean(cli, case)


def test_person_add_uses_the_full_name_when_the_first_name_is_taken(case: Path, cli: Cli) -> None:
    assert cli("person", "add", "Jo Fairley", case).code == 0
    assert data(case / "people.yaml")["people"][-1]["id"] == "jo-fairley"


def test_person_add_refuses_a_birth_in_the_future_and_an_unknown_parent(case: Path, cli: Cli) -> None:
    before = snapshot(case)
    future = cli("person", "add", "Max Stone", case, "--born", "2027-01-01")
    assert future.code == 2 and "--born 2027-01-01 is in the future" in future.err
    unknown = cli("person", "add", "Max Stone", case, "--parent", "nobody")
    assert unknown.code == 2 and "--parent 'nobody' is not in people.yaml" in unknown.err
    assert snapshot(case) == before


def test_person_change_keeps_the_order_of_the_keys(case: Path, cli: Cli) -> None:
    assert cli("person", "add", "Max Stone", case, "--sex", "male").code == 0
    result = cli("person", "change", "ella", case, "--parent", "jo", "--parent", "max stone",
                 "--relationship", "The child")
    assert result.code == 0, result.err
    ella = data(case / "people.yaml")["people"][0]
    assert list(ella) == ["id", "name", "sex", "born", "relationship", "parents"]
    assert list(ella["parents"]) == ["jo", "max"]
    assert "parents: [jo, max]" in (case / "people.yaml").read_text()
    clean(cli, case)


def test_person_change_with_nothing_to_change_is_an_error(case: Path, cli: Cli) -> None:
    result = cli("person", "change", "jo", case)
    assert result.code == 2 and "nothing to change" in result.err


def test_relationship_adds_then_updates_a_couple_and_a_tie(case: Path, cli: Cli) -> None:
    assert cli("person", "add", "Max Stone", case).code == 0
    first = cli("relationship", "jo", "max", case, "--couple", "cohabiting", "--since", "2015-03-01")
    assert first.code == 0 and "added the couple" in first.out
    second = cli("relationship", "Max Stone", "jo", case, "--couple", "separated")
    assert second.code == 0 and "updated the couple" in second.out
    tie = cli("relationship", "jo", "ella", case, "--tie", "close")
    assert tie.code == 0, tie.err
    people = data(case / "people.yaml")
    assert [dict(c) for c in people["couples"]] == [
        {"people": ["jo", "max"], "status": "separated", "since": dt.date(2015, 3, 1)}]
    assert [dict(r) for r in people["relationships"]] == [{"people": ["jo", "ella"], "quality": "close"}]
    neither = cli("relationship", "jo", "max", case)
    assert neither.code == 2 and "give one of --couple" in neither.err
    clean(cli, case)


def test_household_add_as_home_then_join(case: Path, cli: Cli) -> None:
    assert cli("person", "add", "Max Stone", case).code == 0
    result = cli("household", "add", "Max's house", case, "--member", "max", "--address", "1 Nowhere Lane", "--home")
    assert result.code == 0, result.err
    assert "added the household 'maxs-house'" in result.out
    assert data(case / "case.yaml")["home"] == "maxs-house"
    joined = cli("household", "join", "maxs-house", "ella", case)
    assert joined.code == 0, joined.err
    assert list(data(case / "people.yaml")["households"][1]["members"]) == ["max", "ella"]
    twice = cli("household", "join", "Max's house", "ella", case)
    assert twice.code == 1 and "already a member" in twice.err
    clean(cli, case)


# -- the child's own facts --------------------------------------------------------------


def test_trusted_adult_is_set_where_the_case_file_keeps_it(case: Path, cli: Cli) -> None:
    result = cli("trusted-adult", "Jo Stone", case)
    assert result.code == 0, result.err
    keys = list(data(case / "case.yaml"))
    assert keys[keys.index("home") + 1] == "trusted_adult"
    assert (case / "case.yaml").read_text().startswith("# A fictional case for tests.\n")
    assert cli("trusted-adult", "ella", case).code == 2
    clean(cli, case)


def test_legal_status_and_placement_are_kept_in_date_order(case: Path, cli: Cli) -> None:
    assert cli("legal-status", "c2", case, "--from", "2026-09-01").code == 0
    result = cli("legal-status", "C1", case, "--from", "2026-07-01")
    assert result.code == 0, result.err
    assert "C1 (interim care order) from 2026-07-01" in result.out
    codes = [s["code"] for s in data(case / "case.yaml")["legal_status"]]
    assert codes == ["V2", "C1", "C2"]
    placed = cli("placement", "U4", case, "--from", "2026-08-01", "--carer", "jo")
    assert placed.code == 0, placed.err
    assert dict(data(case / "case.yaml")["placements"][-1])["carer"] == "jo"
    clean(cli, case)


def test_unknown_codes_and_future_dates_are_errors(case: Path, cli: Cli) -> None:
    before = snapshot(case)
    unknown = cli("legal-status", "C3", case, "--from", "2026-07-01")
    assert unknown.code == 2 and "CODE must be an SSDA903 legal status code" in unknown.err
    future = cli("placement", "U6", case, "--from", "2026-12-01")
    assert future.code == 2 and "is in the future" in future.err
    missing = cli("placement", "U6", case)
    assert missing.code == 2 and "--from is needed" in missing.err
    assert snapshot(case) == before


@pytest.fixture
def ready(tmp_path: Path) -> Path:
    """A case whose return home is the next step (section 20)."""
    folder = tmp_path / "ready"
    shutil.copytree(SCENARIOS / "18-return-home-next", folder)
    return folder


def test_return_home_under_section_20_leaves_care_and_does_the_step(ready: Path, cli: Cli) -> None:
    result = cli("return-home", ready, "--date", "2026-10-15", today="2026-10-15")
    assert result.code == 0, result.err
    assert "left care (returned home as part of care planning)" in result.out
    assert "'return_home' (Record the child's return home) done" in squash(result.out)
    assert dict(data(ready / "case.yaml")["left_care"]) == {"date": dt.date(2026, 10, 15),
                                                           "reason": "E4A"}
    assert dict(data(ready / "events.yaml")["steps"][-1])["step"] == "return_home"
    clean(cli, ready, today="2026-10-15")


def test_return_home_under_a_care_order_places_with_parents(ready: Path, cli: Cli) -> None:
    text = (ready / "case.yaml").read_text().replace("{code: V2, from: 2026-01-05}", "{code: C2, from: 2026-01-05}")
    (ready / "case.yaml").write_text(text)
    result = cli("return-home", ready, "--date", "2026-10-15", "--by", "Grace Okoro", today="2026-10-15")
    assert result.code == 0, result.err
    placements = data(ready / "case.yaml")["placements"]
    assert [p["code"] for p in placements] == ["U6", "P1"]
    assert "left_care" not in data(ready / "case.yaml")
    assert data(ready / "events.yaml")["steps"][-1]["by"] == "sw-okoro"
    clean(cli, ready, today="2026-10-15")


def test_return_home_says_why_the_step_is_not_done_yet(case: Path, cli: Cli) -> None:
    result = cli("return-home", case, "--date", "2026-11-01")
    assert result.code == 0, result.err
    assert "'return_home' is not marked done yet" in squash(result.out)
    assert data(case / "case.yaml")["left_care"]["reason"] == "E4A"


def test_return_home_without_a_legal_status_then_is_refused(case: Path, cli: Cli) -> None:
    before = snapshot(case)
    result = cli("return-home", case, "--date", "2026-05-01")
    assert result.code == 1 and "no legal status is recorded on --date" in result.err
    assert snapshot(case) == before


def test_leave_care_records_the_reason(case: Path, cli: Cli) -> None:
    result = cli("leave-care", case, "--date", "2026-11-01", "--reason", "E13")
    assert result.code == 0, result.err
    assert data(case / "case.yaml")["left_care"]["reason"] == "E13"
    again = cli("leave-care", case, "--date", "2026-11-02", "--reason", "E13")
    assert again.code == 1 and "already recorded" in again.err
    clean(cli, case)


# -- a sibling group --------------------------------------------------------------------


@pytest.fixture
def family(tmp_path: Path) -> Path:
    """A family folder with two children: the team and the people are the family's."""
    case = textwrap.dedent(BASE["case.yaml"])
    shared, own = case.split("legal_status:")
    folder = write_case(tmp_path / "family", {
        "family.yaml": shared.replace("child: ella\n", "") + "team:" + own.split("team:")[1],
        "people.yaml": textwrap.dedent(BASE["people.yaml"]).replace(
            "households:", "  - id: finn\n    name: Finn Stone\n    sex: male\n    born: 2019-01-02\n"
                           "    parents: [jo]\nhouseholds:"),
        "events.yaml": "meetings:" + textwrap.dedent(BASE["events.yaml"]).split("meetings:")[1],
    })
    child = "legal_status:" + own.split("team:")[0]
    write_case(folder / "ella", {"case.yaml": "child: ella\n" + child})
    write_case(folder / "finn", {"case.yaml": "child: finn\n" + child})
    return folder


def test_a_family_folder_takes_the_team_and_people_into_the_familys_files(family: Path, cli: Cli) -> None:
    clean(cli, family)
    assert cli("team", "add", "Ola Rivers", family, "--role", "social_worker").code == 0
    assert data(family / "family.yaml")["team"][-1]["id"] == "sw-rivers"
    assert cli("person", "add", "Max Stone", family / "finn").code == 0
    assert data(family / "people.yaml")["people"][-1]["id"] == "max"
    assert not (family / "finn" / "people.yaml").exists()
    clean(cli, family)


def test_a_family_folder_sets_each_childs_home_and_refuses_a_childs_own_fact(family: Path, cli: Cli) -> None:
    result = cli("household", "add", "Gran's house", family, "--member", "jo", "--home")
    assert result.code == 0, result.err
    assert "each child's home" in result.out
    assert data(family / "ella" / "case.yaml")["home"] == data(family / "finn" / "case.yaml")["home"] == "grans-house"
    refused = cli("legal-status", "C1", family, "--from", "2026-07-01")
    assert refused.code == 2 and "a family folder; legal status is each child's own" in refused.err
    placed = cli("trusted-adult", "jo", family / "finn")
    assert placed.code == 0
    assert data(family / "finn" / "case.yaml")["trusted_adult"] == "jo"
    assert "trusted_adult" not in data(family / "family.yaml")
    clean(cli, family)
