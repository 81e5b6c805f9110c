"""Faults and hostile files: nothing lost, nothing leaked, no crash.

Real processes, real signals, real git and real file-system limits: each fault ends in a
located message with exit status 1 or 2, never a traceback or exit 3; no record is
replaced through a link or over a read-only file; no temporary copy of a record
outlives the process that made it; every commit is made, or its absence is reported.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reunify.core.files import TEMPORARY_GLOB
from tests.conftest import ROOT
from tests.conftest import SAMPLES
from tests.conftest import TODAY
from tests.conftest import Result
from tests.conftest import snapshot
from tests.terminal import reunify_env

GIT = shutil.which("git")
SAMPLE = "03-medium-agreement-review"
VISIT = ["--date", "2026-11-20", "--by", "sw-mistry", "--announced", "--seen-alone"]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "cases" / "ab-0003"
    shutil.copytree(SAMPLES / SAMPLE, folder)
    return folder


def reunify(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 60,
            **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reunify", *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=timeout, cwd=ROOT, env=env or reunify_env(), **kwargs)  # type: ignore[call-overload]


def no_crash(result: subprocess.CompletedProcess[str] | Result) -> None:
    out = result.stdout if isinstance(result, subprocess.CompletedProcess) else result.out
    err = result.stderr if isinstance(result, subprocess.CompletedProcess) else result.err
    code = result.returncode if isinstance(result, subprocess.CompletedProcess) else result.code
    assert "Traceback" not in out + err and "internal error" not in out + err, out + err
    assert code in (0, 1, 2), (code, out + err)


# -- records are regular files inside the case folder --------------------------------------


def test_a_dangling_link_is_an_error_and_is_never_replaced(case: Path, cli: Callable[..., Result]) -> None:
    events = case / "events.yaml"
    events.unlink()
    events.symlink_to(case / "nowhere.yaml")

    checked = cli("check", case)
    no_crash(checked)
    assert checked.code == 1
    assert f"{events}:1:1: error: the record is a symbolic link" in checked.out

    recorded = cli("visit", case, *VISIT)
    no_crash(recorded)
    assert recorded.code != 0
    assert events.is_symlink() and not (case / "nowhere.yaml").exists()


def test_a_link_to_a_system_file_is_not_read(case: Path, cli: Callable[..., Result]) -> None:
    people = case / "people.yaml"
    people.unlink()
    people.symlink_to("/etc/passwd")
    result = cli("check", case)
    no_crash(result)
    assert result.code == 1
    assert "root:" not in result.out + result.err and "/bin/" not in result.out
    assert "the record is a symbolic link" in result.out


def test_a_pipe_or_folder_where_a_record_should_be(case: Path) -> None:
    (case / "chronology.yaml").unlink()
    os.mkfifo(case / "chronology.yaml")
    (case / "plan.yaml").unlink()
    (case / "plan.yaml").mkdir()
    for command in (["check"], ["next"], ["status"], ["timeline"], ["caseload"], ["render", "--list"]):
        result = reunify(*command, case, timeout=30)  # a FIFO opened for reading would block for ever
        no_crash(result)
        assert result.returncode in (1, 2) or "cannot be read" in result.stdout, (command, result.stdout)
    checked = reunify("check", case)
    assert "chronology.yaml:1:1: error: the record is a pipe, device or socket" in checked.stdout
    assert "plan.yaml:1:1: error: the record is a folder" in checked.stdout


def test_a_read_only_record_is_refused_not_replaced(case: Path, cli: Callable[..., Result]) -> None:
    events = case / "events.yaml"
    events.chmod(0o444)
    before = events.read_bytes()
    result = cli("visit", case, *VISIT)
    no_crash(result)
    assert result.code == 2
    assert f"{events}: is read-only; nothing was written" in result.err
    assert events.read_bytes() == before and stat.S_IMODE(events.stat().st_mode) == 0o444


def test_a_huge_number_and_a_year_out_of_range(case: Path, cli: Callable[..., Result]) -> None:
    sdq = "sdq:\n  - date: 2026-10-01\n    total: " + "9" * 5000 + "\n    informant: parent\n"
    (case / "events.yaml").write_text((case / "events.yaml").read_text(encoding="utf-8") + "\n" + sdq
                                      if "sdq:" not in (case / "events.yaml").read_text(encoding="utf-8")
                                      else sdq, encoding="utf-8")
    result = cli("check", case)
    no_crash(result)
    assert result.code == 1 and "events.yaml:" in result.out
    for today in ("9999-12-31", "0001-01-01"):
        shown = cli("next", SAMPLES / SAMPLE, today=today)
        no_crash(shown)
        assert shown.code == 2 and "--today: outside the years 1900 to 2100" in shown.err


# -- temporary files never outlive the process ---------------------------------------------

# Runs a recording whose fsync is slow (a slow disk), so that a signal lands mid-write.
SLOW_WRITE = """
import os, sys, time
real = os.fsync
def slow(fd):
    print("WRITING", flush=True)
    time.sleep(30)
    real(fd)
os.fsync = slow
from reunify.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _start_slow_recorder(case: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, "visit", str(case), *VISIT], cwd=ROOT,
                               env=reunify_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "WRITING", line + process.stderr.read() if process.stderr else line
    return process


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_recorder_stopped_mid_write_leaves_nothing(case: Path, signum: int) -> None:
    before = snapshot(case)
    process = _start_slow_recorder(case)
    assert list(case.glob(TEMPORARY_GLOB))  # the temporary copy exists while it writes
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode in (128 + signum, 130), err
    assert "Traceback" not in err
    assert not list(case.glob(".*.tmp")), "a temporary copy of the record was left"
    assert snapshot(case) == before  # the record is as it was


def test_a_recorder_killed_outright_leaves_a_file_the_next_recording_removes(
        case: Path, cli: Callable[..., Result]) -> None:
    process = _start_slow_recorder(case)
    process.kill()
    process.communicate(timeout=30)
    [leftover] = case.glob(TEMPORARY_GLOB)

    checked = cli("check", case)
    assert f"{leftover}:1:1: warning: a temporary file left by a recording that was killed" in checked.out
    if GIT is not None:  # init's .gitignore knows the pattern
        assert cli("init", case.parent.parent / "caseload", "--no-git", today=None).code == 0
        ignore = (case.parent.parent / "caseload" / ".gitignore").read_text(encoding="utf-8")
        assert ".*.reunify-*.tmp" in ignore

    assert cli("visit", case, *VISIT).code == 0
    assert not leftover.exists()


# -- the file system says no -------------------------------------------------------------------


def test_a_full_disk_is_a_message_and_the_record_is_unchanged(case: Path) -> None:
    before = snapshot(case)
    size = (case / "events.yaml").stat().st_size

    def small_files() -> None:  # writes past this many bytes fail as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    result = subprocess.run([sys.executable, "-m", "reunify", "visit", str(case), *VISIT], capture_output=True,
                            text=True, check=False, cwd=ROOT, env=reunify_env(), preexec_fn=small_files,
                            timeout=60)
    no_crash(result)
    assert result.returncode == 2
    assert "file too large; nothing was changed" in result.stderr
    assert snapshot(case) == before
    assert not list(case.glob(".*.tmp"))


def test_output_a_terminal_cannot_encode(case: Path) -> None:
    people = case / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("Maisie", "Maisię \u4e2d"), encoding="utf-8")
    for command in (["next"], ["status"], ["timeline"]):
        result = reunify(*command, case, env=reunify_env(PYTHONIOENCODING="cp1252"), encoding="cp1252")
        no_crash(result)
        assert result.returncode == 0, result.stderr


def test_a_missing_output_folder_for_fidelity(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("fidelity", SAMPLES / SAMPLE, "--docx", tmp_path / "missing" / "f.docx", today=None)
    no_crash(result)
    assert result.code == 0, result.err  # the folder is made, owner-only, as render's --out is
    assert (tmp_path / "missing" / "f.docx").is_file()
    assert stat.S_IMODE((tmp_path / "missing").stat().st_mode) == 0o700


def test_a_file_where_the_output_folder_should_be(tmp_path: Path, cli: Callable[..., Result]) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = cli("fidelity", SAMPLES / SAMPLE, "--docx", tmp_path / "taken" / "f.docx", today=None)
    no_crash(result)
    assert result.code == 2
    assert result.err.startswith("error: ") and "reunify-" not in result.err  # no temporary name


def test_created_folders_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    def open_umask() -> None:
        os.umask(0)

    for args, made in ((["new", tmp_path / "a" / "b" / "case", "--reference", "X-1", "--child", "Robin Example"],
                        [tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "case"]),
                       (["render", SAMPLES / SAMPLE, "--doc", "chronology", "--out", tmp_path / "c" / "d"],
                        [tmp_path / "c", tmp_path / "c" / "d"]),
                       (["sample", "03", tmp_path / "e" / "f"], [tmp_path / "e", tmp_path / "e" / "f"]),
                       (["init", tmp_path / "g"], [tmp_path / "g", *([tmp_path / "g" / ".git"] if GIT else [])])):
        result = subprocess.run([sys.executable, "-m", "reunify", *map(str, args)], capture_output=True, text=True,
                                check=False, cwd=ROOT, env=reunify_env(), preexec_fn=open_umask, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        for folder in made:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


# -- the genogram is bounded ------------------------------------------------------------------


def test_a_genogram_too_deep_or_too_long_a_name(case: Path, cli: Callable[..., Result]) -> None:
    chain = "\n".join(f"  - id: p{i}\n    name: Person {i}\n    sex: female\n    parents: [p{i + 1}]"
                      for i in range(20))
    people = case / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("people:\n", "people:\n" + chain + "\n  - id: p20\n    name: Last\n"
                                   "    sex: female\n", 1), encoding="utf-8")
    start = time.monotonic()
    result = cli("genogram", case, "--out", case / "g")
    no_crash(result)
    assert time.monotonic() - start < 60
    assert result.code in (1, 2), result.out
    assert "generations" in result.err + result.out


# -- git: one lock per repository, stale locks recovered, failures reported ------------------


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_recordings_at_once_on_different_cases_of_one_repository_all_commit(tmp_path: Path) -> None:
    assert GIT is not None
    root = tmp_path / "caseload"
    for index in range(4):
        shutil.copytree(SAMPLES / SAMPLE, root / f"case-{index}")
    for args in (["init", "-q"], ["config", "user.name", "Test Worker"], ["config", "user.email", "w@example.invalid"],
                 ["add", "-A"], ["commit", "-qm", "cases"]):
        subprocess.run([GIT, "-C", str(root), *args], check=True, capture_output=True)
    processes = [subprocess.Popen([sys.executable, "-m", "reunify", "chronology", str(root / f"case-{index}"),
                                   "--date", f"2026-11-{10 + k:02d}", "--event", f"Entry {k}", "--source", "Test",
                                   "--commit"], cwd=ROOT, env=reunify_env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for index in range(4) for k in range(4)]
    results = [(p, *p.communicate(timeout=300)) for p in processes]
    for process, out, err in results:
        assert process.returncode == 0, out + err
    log = subprocess.run([GIT, "-C", str(root), "log", "--oneline"], capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 1 + 16  # every recording made its commit
    status = subprocess.run([GIT, "-C", str(root), "status", "--porcelain"], capture_output=True, text=True,
                            check=True)
    assert status.stdout == ""


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_a_stale_index_lock_from_a_killed_git_is_recovered(tmp_path: Path) -> None:
    assert GIT is not None
    root = tmp_path / "caseload"
    shutil.copytree(SAMPLES / SAMPLE, root / "case")
    for args in (["init", "-q"], ["config", "user.name", "Test Worker"], ["config", "user.email", "w@example.invalid"],
                 ["add", "-A"], ["commit", "-qm", "cases"]):
        subprocess.run([GIT, "-C", str(root), *args], check=True, capture_output=True)
    lock = root / ".git" / "index.lock"
    lock.write_text("")
    young = reunify("visit", root / "case", *VISIT, "--commit")  # a lock this young may be in use
    assert young.returncode == 1 and "index.lock" in young.stderr and lock.exists()
    os.utime(lock, (time.time() - 120, time.time() - 120))  # as one a killed git left a while ago
    result = reunify("chronology", root / "case", "--date", "2026-11-21", "--event", "A call.", "--source", "Test",
                     "--commit")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (root / ".git" / "index.lock").exists()
    log = subprocess.run([GIT, "-C", str(root), "log", "--oneline"], capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 2
    # The visit whose commit was refused is still written, and still shows as not committed.
    assert subprocess.run([GIT, "-C", str(root), "status", "--porcelain"], capture_output=True, text=True,
                          check=True).stdout.split() == ["M", "case/events.yaml"]


# -- output is inert ---------------------------------------------------------------------------

CONTROLS = "\x1b\x07\u202e\x9b"  # ESC, BEL, a right-to-left override, and the one-byte CSI


def test_control_sequences_in_records_never_reach_the_terminal(case: Path, cli: Callable[..., Result]) -> None:
    people = case / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "name: Maisie Thornbury", 'name: "Maisie \\e]0;owned\\a\\e[2J\\e[8m\\u202e\\x9b Thornbury"', 1),
        encoding="utf-8")
    case_yaml = case / "case.yaml"
    text = case_yaml.read_text(encoding="utf-8")
    reference = next(line for line in text.splitlines() if line.startswith("reference:"))
    case_yaml.write_text(text.replace(reference, 'reference: "WBC\\e[2JREF"', 1), encoding="utf-8")
    for command in (["next"], ["status"], ["timeline"], ["check"], ["history"], ["next", "--json"],
                    ["status", "--json"], ["timeline", "--json"]):
        result = cli(*command, case, today=None if command[0] == "history" else TODAY)
        no_crash(result)
        for char in CONTROLS:
            assert char not in result.out + result.err, (command, repr(char))
        if "--json" in command:  # escaped the JSON way: the same text comes back
            assert r"\x1b" in repr(json.loads(result.out)), command  # the text comes back as it was
    for args in (["caseload", case.parent], ["caseload", case.parent, "--names"],
                 ["caseload", case.parent, "--csv", "--names"], ["caseload", case.parent, "--json"]):
        result = cli(*args)
        no_crash(result)
        assert "\x1b" not in result.out and "\x9b" not in result.out and "\u202e" not in result.out, args
        if "--json" in args:
            json.loads(result.out)


def test_a_case_folder_named_with_a_newline_cannot_forge_a_line(tmp_path: Path, cli: Callable[..., Result]) -> None:
    folder = tmp_path / "x\nreunify/sample_cases/fake/case.yaml:1:1: error: forged"
    shutil.copytree(SAMPLES / SAMPLE, folder)
    (folder / "risk.yaml").write_text("classifications: 7\n", encoding="utf-8")
    result = cli("check", folder)
    assert not any(line.startswith("reunify/sample_cases/fake") for line in result.out.splitlines())
    assert "\\x0a" in result.out



def test_documents_are_never_written_through_a_link(case: Path, tmp_path: Path, cli: Callable[..., Result]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (case / "documents").symlink_to(elsewhere)
    for command in (["render", case, "--doc", "chronology"], ["genogram", case]):
        result = cli(*command)
        no_crash(result)
        assert result.code == 2 and "documents: is a symbolic link" in result.err
    assert not list(elsewhere.iterdir())


def test_anonymise_refuses_a_case_with_errors_on_its_today(case: Path, tmp_path: Path,
                                                          cli: Callable[..., Result]) -> None:
    # Sample 03's records run to late 2026: on an earlier day some of them lie in the future.
    early = cli("anonymise", case, tmp_path / "copy", "--seed", "1", today="2026-01-01")
    no_crash(early)
    assert early.code == 1 and "run 'reunify check'" in early.err
    assert not (tmp_path / "copy").exists()
    assert cli("anonymise", case, tmp_path / "copy", "--seed", "1").code == 0
