"""`reunify sync`: three clones recording on the same cases, synced in every order.

After every clone has synced, every clone holds every entry, in date order, exactly
once; `reunify check` finds nothing wrong; git shows no conflict; `reunify history`
shows who recorded what in every clone. A true clash changes nothing in the clone and
names the record and the field.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.sync_team import FAMILY
from tests.sync_team import SINGLE
from tests.sync_team import clean
from tests.sync_team import entries
from tests.sync_team import git
from tests.sync_team import isolate
from tests.sync_team import make_team
from tests.sync_team import ok
from tests.sync_team import reunify
from tests.sync_team import tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CHILD = f"{FAMILY}/alfie"
OTHER_CHILD = f"{FAMILY}/kai"

# What each clone records, all on the same cases: (arguments with the case folder in
# them, relative to the clone; the file and list the entry goes to; its date).
RECORDINGS: dict[str, list[tuple[list[str], str, tuple[str | int, ...], str]]] = {
    "a": [
        (["visit", SINGLE, "--date", "2026-11-02", "--by", "sw-mistry", "--announced", "--seen-alone"],
         f"{SINGLE}/events.yaml", ("visits",), "2026-11-02"),
        (["chronology", SINGLE, "--date", "2026-10-30", "--event", "School reports better attendance.",
          "--source", "School"], f"{SINGLE}/chronology.yaml", ("entries",), "2026-10-30"),
        (["goal-review", SINGLE, "--parent", "kerry", "--goal", "1", "--rating", "green", "--evidence",
          "November tests clear.", "--date", "2026-11-18"], f"{SINGLE}/agreement.yaml",
         ("parents", 0, "goals", 0, "reviews"), "2026-11-18"),
        (["meeting", "cic_review", FAMILY, "--date", "2026-11-04", "--attendee", "sw-penhale"],
         f"{FAMILY}/events.yaml", ("meetings",), "2026-11-04"),
        (["visit", CHILD, "--date", "2026-11-03", "--by", "sw-penhale", "--unannounced", "--seen-alone"],
         f"{CHILD}/events.yaml", ("visits",), "2026-11-03"),
    ],
    "b": [
        (["visit", SINGLE, "--date", "2026-11-09", "--by", "sw-mistry", "--unannounced", "--seen-alone"],
         f"{SINGLE}/events.yaml", ("visits",), "2026-11-09"),
        (["meeting", "cic_review", SINGLE, "--date", "2026-11-12", "--attendee", "sw-mistry"],
         f"{SINGLE}/events.yaml", ("meetings",), "2026-11-12"),
        (["goal-review", SINGLE, "--parent", "kerry", "--goal", "1", "--rating", "amber", "--evidence",
          "One test missed.", "--date", "2026-11-19"], f"{SINGLE}/agreement.yaml",
         ("parents", 0, "goals", 0, "reviews"), "2026-11-19"),
        (["chronology", FAMILY, "--date", "2026-11-06", "--event", "Health visitor call.", "--source",
          "Health visitor"], f"{FAMILY}/chronology.yaml", ("entries",), "2026-11-06"),
        (["sdq", CHILD, "--total", "12", "--informant", "parent", "--by", "sw-penhale", "--date", "2026-11-08"],
         f"{CHILD}/events.yaml", ("sdq",), "2026-11-08"),
    ],
    "c": [
        (["classify", "RC2", SINGLE, "--level", "medium", "--rationale", "The changes are holding.",
          "--recommended-by", "tm-moorcroft", "--date", "2026-11-20"], f"{SINGLE}/risk.yaml",
         ("classifications",), "2026-11-20"),
        (["chronology", SINGLE, "--date", "2026-11-14", "--event", "Police: no call-outs this month.",
          "--source", "Police"], f"{SINGLE}/chronology.yaml", ("entries",), "2026-11-14"),
        (["visit", SINGLE, "--date", "2026-11-16", "--by", "sw-mistry", "--announced", "--seen-alone"],
         f"{SINGLE}/events.yaml", ("visits",), "2026-11-16"),
        (["meeting", "cic_review", FAMILY, "--date", "2026-11-11", "--attendee", "sw-penhale"],
         f"{FAMILY}/events.yaml", ("meetings",), "2026-11-11"),
        (["visit", OTHER_CHILD, "--date", "2026-11-10", "--by", "sw-penhale", "--announced", "--seen-alone"],
         f"{OTHER_CHILD}/events.yaml", ("visits",), "2026-11-10"),
    ],
}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The team's caseload with every clone's recordings committed, nothing synced yet."""
    root = tmp_path_factory.mktemp("team")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, root)
        clones = make_team(root)
        for name, recordings in RECORDINGS.items():
            for args, *_ in recordings:
                ok(reunify(*in_clone(clones[name], args)))
            clean(clones[name])
    return root


@pytest.fixture
def team(recorded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A copy of the recorded team, its clones pointing at its own remote."""
    root = tmp_path / "team"
    shutil.copytree(recorded, root, symlinks=True)
    isolate(monkeypatch, root)
    clones = {name: root / name for name in RECORDINGS}
    for clone in clones.values():
        git(clone, "remote", "set-url", "origin", str(root / "remote.git"))
    return clones


def in_clone(clone: Path, args: list[str]) -> list[str]:
    """The arguments with the case folder (any that starts with 'cases/') inside `clone`."""
    return [str(clone / arg) if arg.startswith("cases/") else arg for arg in args]


def assert_holds_every_entry_once_in_date_order(clone: Path, original: Path) -> None:
    expected: dict[tuple[str, tuple[str | int, ...]], Counter[str]] = {}
    for recordings in RECORDINGS.values():
        for _, file, keys, day in recordings:
            expected.setdefault((file, keys), Counter())[day] += 1
    for (file, keys), added in expected.items():
        before = Counter(str(e["date"]) for e in (entries(original / file, *keys) if (original / file).exists()
                                                  and _has(original / file, keys) else []))
        now = entries(clone / file, *keys)
        counted = Counter(str(e["date"]) for e in now)
        for day, count in added.items():
            assert counted[day] == before[day] + count, (clone.name, file, keys, day)
        assert sum(counted.values()) == sum(before.values()) + sum(added.values()), (clone.name, file, keys)
        days = [e["date"] for e in now]
        assert days == sorted(days), (clone.name, file, keys)


def _has(path: Path, keys: tuple[str | int, ...]) -> bool:
    try:
        entries(path, *keys)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def sync(clone: Path) -> dict:  # type: ignore[type-arg]
    result = reunify("sync", clone, "--json")
    assert result.code == 0, result.out + result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("order", list(itertools.permutations("abc")), ids="".join)
def test_three_clones_recording_on_the_same_cases_sync_in_any_order(team: dict[str, Path], order: tuple[str, ...],
                                                                    tmp_path: Path) -> None:
    original = tmp_path / "original"  # the caseload before anyone recorded
    git(team["a"], "worktree", "add", "-q", "--detach", str(original), "@{upstream}")
    for name in order:  # each pushes in turn, the later ones merging what is there
        assert sync(team[name])["status"] == "synced"
    for name in order[:2]:  # and the first ones take in what came after them
        assert sync(team[name])["status"] in ("synced", "up to date")
    trees = {tree(clone) for clone in team.values()}
    assert len(trees) == 1
    for clone in team.values():
        clean(clone)
        assert_holds_every_entry_once_in_date_order(clone, original)
        checked = reunify("check", clone / "cases")
        assert checked.code == 0, checked.out
        assert " error" not in checked.out and " warning" not in checked.out, checked.out
    assert git(team["a"], "rev-parse", "HEAD") == git(team["c"], "rev-parse", "@{upstream}")


def test_history_in_any_clone_shows_who_recorded_what_in_every_clone(team: dict[str, Path]) -> None:
    for name in ("a", "b", "c", "a", "b"):
        sync(team[name])
    for clone in team.values():
        shown = json.loads(ok(reunify("history", clone / SINGLE, "--json")).out)
        actions = [(c["author"], c["action"], c["by"]) for c in shown["commits"] if not c["by_hand"]]
        assert {author for author, _, _ in actions} == {"Pat Example", "Sam Rivers", "Alex Morgan"}
        assert len(actions) == len(set(actions)) == 9  # each recording on the case once, wherever it was made
        assert ("Pat Example", "visit", "sw-mistry") in actions
        assert ("Alex Morgan", "classify RC2 medium", "tm-moorcroft") in actions
        assert not any("Sync with" in c["subject"] for c in shown["commits"])  # merges are not recordings
        assert shown["uncommitted"] == []
        family = json.loads(ok(reunify("history", clone / CHILD, "--json")).out)
        assert {c["author"] for c in family["commits"] if not c["by_hand"]} == {"Pat Example", "Sam Rivers",
                                                                                  "Alex Morgan"}


def test_a_true_clash_leaves_the_clone_unchanged_and_names_the_record_and_field(team: dict[str, Path]) -> None:
    a, b = team["a"], team["b"]
    sync(a)
    risk = f"{SINGLE}/risk.yaml"
    for clone, level in ((a, "low"), (b, "high")):
        path = clone / risk
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("level: medium", f"level: {level}", 1), encoding="utf-8")
        git(clone, "commit", "-q", "-am", "RC1 level corrected")
    assert sync(a)["status"] == "synced"
    head, before = git(b, "rev-parse", "HEAD"), {p: p.read_bytes() for p in sorted(b.rglob("*.yaml"))}
    result = reunify("sync", b)
    assert result.code == 1, result.out + result.err
    assert f"{risk}:" in result.text and "classification RC1, the field 'level': changed here and on the remote" \
        in result.text, result.text
    assert "high" not in result.text.replace("High", "") and "Not merged" in result.text
    assert git(b, "rev-parse", "HEAD") == head
    assert {p: p.read_bytes() for p in sorted(b.rglob("*.yaml"))} == before
    clean(b)
    # Settled: this clone takes the other value, and everything else merges.
    path = b / risk
    path.write_text(path.read_text(encoding="utf-8").replace("level: high", "level: low", 1), encoding="utf-8")
    assert sync(b)["status"] == "synced"
    assert sync(a)["status"] == "synced"
    assert tree(a) == tree(b)
    assert entries(b / risk, "classifications")[0]["level"] == "low"


def test_the_same_confirmation_recorded_in_two_clones_is_kept_once(team: dict[str, Path]) -> None:
    sync(team["c"])  # RC2 reaches the remote
    for name in ("a", "b"):
        sync(team[name])
        ok(reunify("classify", "RC2", team[name] / SINGLE, "--confirm", "--by", "sm-chandler",
                   "--date", "2026-11-22"))
    assert sync(team["a"])["status"] == "synced"
    assert sync(team["b"])["status"] == "synced"
    assert sync(team["a"])["status"] == "synced"
    assert tree(team["a"]) == tree(team["b"])
    rc2 = [c for c in entries(team["b"] / SINGLE / "risk.yaml", "classifications") if c["id"] == "RC2"]
    assert len(rc2) == 1 and rc2[0]["confirmed_by"] == "sm-chandler"
    checked = reunify("check", team["b"] / SINGLE)
    assert checked.code == 0 and " warning" not in checked.out, checked.out


def test_init_and_share_set_the_record_files_to_merge_by_meaning(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    caseload = tmp_path / "caseload"
    ok(reunify("init", caseload))
    attributes = (caseload / ".gitattributes").read_text(encoding="utf-8").splitlines()
    for name in ("case.yaml", "family.yaml", "people.yaml", "chronology.yaml", "events.yaml", "risk.yaml",
                 "decisions.yaml", "agreement.yaml", "plan.yaml", "assessment.yaml"):
        assert f"{name} merge=reunify" in attributes
    assert (caseload / ".gitattributes").stat().st_mode & 0o077 == 0
    assert "merge-driver %O %A %B %P" in git(caseload, "config", "merge.reunify.driver")
    # An existing caseload: share adds what is missing, once, and commits it.
    existing = tmp_path / "existing"
    existing.mkdir()
    git(existing, "init", "-q")
    (existing / ".gitattributes").write_text("*.docx binary\n", encoding="utf-8")
    for name, value in (("user.name", "Pat Example"), ("user.email", "pat@example.org")):
        git(existing, "config", name, value)
    shared = ok(reunify("share", existing, "--remote", tmp_path / "remote.git"))
    assert "Committed .gitattributes" in shared.text
    text = (existing / ".gitattributes").read_text(encoding="utf-8")
    assert text.startswith("*.docx binary\n") and text.count("events.yaml merge=reunify") == 1
    again = ok(reunify("share", existing, "--remote", tmp_path / "remote.git"))
    assert "Listed" not in again.text and (existing / ".gitattributes").read_text(encoding="utf-8") == text
    assert git(existing, "rev-list", "--count", "HEAD").strip() == "1"
    elsewhere = reunify("share", existing, "--remote", tmp_path / "other.git")
    assert elsewhere.code == 1 and "already points elsewhere" in elsewhere.text
    assert reunify("share", tmp_path / "home").code == 2
