"""Time `reunify sync` for two clones that each added 1,000 records to the same 100 cases,
against plain git moving the same commits, in the same run.

A caseload of 100 generated fictional cases (`bench/cases.py`, those `check` finds no
error in) is pushed to a bare repository and cloned twice; each clone adds 1,000 records
(to each case 4 chronology entries, 3 visits, 2 meetings and an SDQ score, on days of
its own), one commit per case. Then, timed, as fresh processes:

- reunify: `reunify sync A`, `reunify sync B` (which merges A's records into every case
  entry by entry, checks the 100 cases and pushes), `reunify sync A` (which takes B's);
- baseline: the same two clones (copies, with a remote of their own) moved by plain git:
  `git push` from A, `git pull` (YAML files with git's `union` line merge) and `git push`
  from B, `git pull` in A: no merge by meaning and no check.

Afterwards both reunify clones must hold the same tree with every record exactly once.
Aim: the three syncs in under a minute. Run with `make bench` or
`.venv/bin/python bench/sync.py [--cases 100] [--records 10]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cases import TODAY
from cases import generate_cases

from reunify.core.yamlio import add_entry
from reunify.core.yamlio import edit_file
from reunify.core.yamlio import load_file

AIM = 60.0  # seconds for the three syncs
FIRST_DAY = dt.date(2026, 9, 1)
PEOPLE = {"A": ("Pat Example", "pat@example.org"), "B": ("Sam Rivers", "sam@example.org")}


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100, help="cases in the caseload (default: 100)")
    parser.add_argument("--records", type=int, default=10, help="records each clone adds to each case (default: 10)")
    return parser.parse_args()


def run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=1800)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def git(folder: Path, *args: str) -> str:
    return run(["git", *args], cwd=folder).stdout


def reunify(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "reunify", *map(str, args), *(["--today", TODAY.isoformat()]
                                                                    if args[0] == "sync" else [])])


def isolate(folder: Path) -> None:
    """No git configuration from the machine: HOME and the global configuration are here."""
    home = folder / "home"
    home.mkdir()
    (home / ".gitconfig").touch()
    os.environ.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / ".gitconfig"), GIT_CONFIG_NOSYSTEM="1")


def clean_cases(folder: Path, count: int) -> list[Path]:
    """`count` generated cases in which `reunify check` finds no error."""
    pool = folder / "pool"
    cases = generate_cases(pool, count + count // 10 + 5)
    found = json.loads(subprocess.run([sys.executable, "-m", "reunify", "check", str(pool), "--json", "--today",
                                       TODAY.isoformat()], capture_output=True, text=True, check=False).stdout)
    broken = {Path(p["file"]).parent.name for case in found["cases"] for p in case["problems"]
              if p["severity"] == "error"}
    return [case for case in cases if case.name not in broken][:count]


def add_records(clone: Path, who: str, per_case: int) -> int:
    """Each case gets `per_case` records on days of this clone's own, a commit per case."""
    added = 0
    offset = 0 if who == "A" else 1
    for index, case in enumerate(sorted((clone / "cases").iterdir())):
        team = load_file(case / "case.yaml").data["team"]
        worker = next(m["id"] for m in team if m["role"] == "social_worker")
        kinds = ["chronology"] * 4 + ["visit"] * 3 + ["meeting"] * 2 + ["sdq"]
        with edit_file(case / "chronology.yaml") as chronology, edit_file(case / "events.yaml") as events:
            for number in range(per_case):
                day = FIRST_DAY + dt.timedelta(days=2 * ((index + number * 7) % 40) + offset)
                kind = kinds[number % len(kinds)]
                if kind == "chronology":
                    add_entry(chronology.data, "entries", {"date": day, "event": f"Record {number} from {who}.",
                                                           "source": "Bench"}, by_date=True)
                elif kind == "visit":
                    add_entry(events.data, "visits", {"date": day, "by": worker, "announced": number % 2 == 0,
                                                      "seen_alone": True}, by_date=True)
                elif kind == "meeting":
                    add_entry(events.data, "meetings", {"meeting": "cic_review", "date": day,
                                                        "attendees": [worker]}, by_date=True)
                else:
                    add_entry(events.data, "sdq", {"date": day, "total": 10 + number % 10, "informant": "parent",
                                                   "by": worker}, by_date=True)
                added += 1
        git(clone, "add", "-A")
        git(clone, "commit", "-q", "-m", f"{case.name}: {per_case} records")
    return added


def prepare(folder: Path, cases: int, per_case: int) -> tuple[dict[str, Path], dict[str, Path], int]:
    """Two pairs of clones with the same records: one pair for reunify, one for plain git."""
    caseload = folder / "caseload"
    reunify("init", caseload)
    for name, value in (("user.name", "Lee Example"), ("user.email", "lee@example.org")):
        git(caseload, "config", name, value)
    for case in clean_cases(folder, cases):
        shutil.copytree(case, caseload / "cases" / case.name)
    git(caseload, "add", "-A")
    git(caseload, "commit", "-q", "-m", "The caseload")
    remotes = {"reunify": folder / "reunify.git", "git": folder / "plain.git"}
    run(["git", "init", "-q", "--bare", str(remotes["reunify"])])
    git(caseload, "push", "-q", str(remotes["reunify"]), "HEAD:refs/heads/master")
    shutil.copytree(remotes["reunify"], remotes["git"])
    pairs: dict[str, dict[str, Path]] = {"reunify": {}, "git": {}}
    added = 0
    for who in PEOPLE:
        clone = folder / f"reunify-{who}"
        run(["git", "clone", "-q", str(remotes["reunify"]), str(clone)])
        git(clone, "config", "user.name", PEOPLE[who][0])
        git(clone, "config", "user.email", PEOPLE[who][1])
        added += add_records(clone, who, per_case)
        pairs["reunify"][who] = clone
        copy = folder / f"git-{who}"
        shutil.copytree(clone, copy, symlinks=True)
        git(copy, "remote", "set-url", "origin", str(remotes["git"]))
        # git's own line merge that keeps both sides' lines: no conflict, no meaning
        (copy / ".git" / "info").mkdir(exist_ok=True)
        (copy / ".git" / "info" / "attributes").write_text("*.yaml merge=union\n", encoding="utf-8")
        pairs["git"][who] = copy
    return pairs["reunify"], pairs["git"], added


def timed(steps: list[list[str | Path]], cwd: dict[str, Path] | None = None) -> float:
    start = time.perf_counter()
    for step in steps:
        if step[0] == "reunify":
            reunify(*step[1:])
        else:
            run([str(s) for s in step[1:]], cwd=cwd[str(step[0])] if cwd else None)
    return time.perf_counter() - start


def verify(clones: dict[str, Path], per_case: int) -> None:
    a, b = clones["A"], clones["B"]
    assert git(a, "rev-parse", "HEAD^{tree}") == git(b, "rev-parse", "HEAD^{tree}"), "the clones differ"
    for case in sorted((a / "cases").iterdir()):
        events = load_file(case / "events.yaml").data
        chronology = load_file(case / "chronology.yaml").data
        mine = [e for e in chronology["entries"] if e["source"] == "Bench"]
        assert len(mine) == len({(e["date"], e["event"]) for e in mine}) == 2 * (per_case * 4 // 10), case.name
        days = [e["date"] for e in chronology["entries"]]
        assert days == sorted(days), f"{case.name}: the chronology is out of date order"
        assert len(events["visits"]) >= 2 * (per_case * 3 // 10), case.name


def main() -> None:
    options = parse()
    with tempfile.TemporaryDirectory(prefix="reunify-bench-sync-") as tmp:
        folder = Path(tmp)
        isolate(folder)
        print(f"preparing {options.cases} cases and two clones adding {options.records * options.cases:,} records "
              "each ...", flush=True)
        ours, plain, added = prepare(folder, options.cases, options.records)
        print(f"  {added:,} records in all, {2 * options.cases} commits", flush=True)
        baseline = timed([["A", "git", "push", "-q"],
                          ["B", "git", "pull", "-q", "--no-rebase", "--no-edit"],
                          ["B", "git", "push", "-q"],
                          ["A", "git", "pull", "-q", "--no-rebase", "--no-edit"]], cwd=plain)
        seconds = timed([["reunify", "sync", ours["A"]], ["reunify", "sync", ours["B"]],
                         ["reunify", "sync", ours["A"]]])
        verify(ours, options.records)
    print(f"plain git (push, pull with union, push, pull): {baseline:7.1f} s")
    print(f"reunify sync A, B, A:                        {seconds:7.1f} s (aim: under {AIM:.0f} s)")
    print(f"ratio:                                       {seconds / baseline:7.1f}x "
          "(merging 100 cases entry by entry, and checking them in each sync)")


if __name__ == "__main__":
    main()
