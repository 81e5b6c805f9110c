"""The scenario suite: tests/scenarios/*/expected.yaml, checked against the real CLI.

Each folder under tests/scenarios is a fictional case at one point of the framework. Its
expected.yaml lists days; on each day `next --json`, `status --json` and `check --json`
(each with `--today DAY`) must say what the file says. tests/scenarios/README.md explains
the format in plain words. One test per folder and day; a failure names the folder, the
day, every expectation that failed and what the tool said instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from tests.conftest import Result

SCENARIOS = Path(__file__).resolve().parent / "scenarios"

DAY_KEYS = {"today", "next", "next_includes", "next_excludes", "stage", "status_contains", "steps", "overdue",
            "due", "check"}
CHECK_KEYS = {"errors", "warnings", "includes", "excludes"}
STATES = {"done", "ready", "waiting", "not_applicable"}


def _text(value: Any) -> str:
    """A date as YYYY-MM-DD (YAML reads an unquoted date as a date), anything else as written."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _load(folder: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"days"} or not isinstance(data["days"], list) or not data["days"]:
        raise ValueError(f"{folder.name}/expected.yaml: expected a mapping with one key, days: a list of days")
    for day in data["days"]:
        if not isinstance(day, dict) or "today" not in day:
            raise ValueError(f"{folder.name}/expected.yaml: every day needs today:")
        unknown = set(day) - DAY_KEYS
        if unknown:
            raise ValueError(f"{folder.name}/expected.yaml, {_text(day['today'])}: unknown keys {sorted(unknown)}")
        unknown = set(day.get("check") or {}) - CHECK_KEYS
        if unknown:
            raise ValueError(f"{folder.name}/expected.yaml, {_text(day['today'])}: unknown check keys "
                             f"{sorted(unknown)}")
        bad = {k: v for k, v in (day.get("steps") or {}).items() if v not in STATES}
        if bad:
            raise ValueError(f"{folder.name}/expected.yaml, {_text(day['today'])}: unknown step states {bad}")
    days: list[dict[str, Any]] = data["days"]
    return days


def _params() -> list[Any]:
    found = []
    for folder in sorted(p for p in SCENARIOS.iterdir() if (p / "expected.yaml").is_file()):
        try:
            days = _load(folder)
        except (ValueError, yaml.YAMLError) as exc:  # the folder fails on its own; the others still run
            found.append(pytest.param(folder, {"today": None, "invalid": str(exc)}, id=f"{folder.name}@invalid"))
            continue
        for day in days:
            found.append(pytest.param(folder, day, id=f"{folder.name}@{_text(day['today'])}"))
    return found


def _json(result: Result) -> Any:
    """The command's JSON, or None when it printed none (a crash, or records it cannot read)."""
    try:
        return json.loads(result.out)
    except json.JSONDecodeError:
        return None


def _compare(day: dict[str, Any], nxt: dict[str, Any], status: dict[str, Any], check: dict[str, Any]) -> list[str]:
    """Every expectation of `day` that the tool's output does not meet, in words."""
    failed: list[str] = []

    def fail(key: str, expected: Any, got: Any) -> None:
        failed.append(f"  {key}: expected {expected!r}, the tool said {got!r}")

    listed = [item["step"] for item in nxt.get("next", [])]
    if "next" in day and listed != list(day["next"] or []):
        fail("next", list(day["next"] or []), listed)
    for step in day.get("next_includes") or []:
        if step not in listed:
            fail(f"next_includes {step}", f"{step} among next", listed)
    for step in day.get("next_excludes") or []:
        if step in listed:
            fail(f"next_excludes {step}", f"{step} not among next", listed)
    if "stage" in day:
        stage = (nxt.get("stage") or {}).get("id")
        if stage != day["stage"]:
            fail("stage", day["stage"], stage)
    if "status_contains" in day and str(day["status_contains"]) not in str(nxt.get("status")):
        fail("status_contains", day["status_contains"], nxt.get("status"))
    states = {s["step"]: s["state"] for stage in status.get("stages", []) for s in stage["steps"]}
    for step, state in (day.get("steps") or {}).items():
        if states.get(step) != state:
            fail(f"steps {step}", state, states.get(step, "no such step"))
    if "overdue" in day:
        rules = sorted({item["rule"] for item in nxt.get("overdue", [])})
        if rules != sorted(set(day["overdue"] or [])):
            fail("overdue", sorted(set(day["overdue"] or [])), rules)
    deadlines = status.get("deadlines", [])
    for rule, date in (day.get("due") or {}).items():
        dates = [d["date"] for d in deadlines if d["rule"] == rule]
        if _text(date) not in dates:
            fail(f"due {rule}", _text(date), dates or "no such deadline")
    expected_check = day.get("check") or {}
    problems = [p for case in check.get("cases", []) for p in case["problems"]]
    messages = [f"{p['severity']}: {p['message']}" for p in problems]
    for key in ("errors", "warnings"):
        if key in expected_check and check.get(key) != expected_check[key]:
            fail(f"check {key}", expected_check[key], f"{check.get(key)} ({messages})")
    for text in expected_check.get("includes") or []:
        if not any(str(text) in p["message"] for p in problems):
            fail("check includes", text, messages)
    for text in expected_check.get("excludes") or []:
        if any(str(text) in p["message"] for p in problems):
            fail("check excludes", text, messages)
    return failed


@pytest.fixture(scope="module", autouse=True)
def _command_built_once() -> Iterator[None]:
    """`reunify.cli.main` builds typer's click command from the app on every call; here it is
    built once for the module (the app does not change), which halves the suite's time."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.main, "get_command", functools.cache(typer.main.get_command))
        yield


@pytest.mark.parametrize(("folder", "day"), _params())
def test_scenario(folder: Path, day: dict[str, Any], cli: Callable[..., Result]) -> None:
    if "invalid" in day:
        pytest.fail(f"scenario {folder.name}: expected.yaml cannot be used: {day['invalid']}", pytrace=False)
    today = _text(day["today"])
    outputs = {}
    for command in ("next", "status", "check"):
        result = cli(command, folder, "--json", "--today", today)
        outputs[command] = _json(result)
        if outputs[command] is None:
            pytest.fail(f"scenario {folder.name} on {today}:\n  `reunify {command} --json` printed no JSON "
                        f"(exit {result.code}):\n{result.out}{result.err}", pytrace=False)
        if command != "check" and command not in outputs[command] and "stage" not in outputs[command]:
            messages = [p["message"] for p in outputs[command].get("problems", [])]
            pytest.fail(f"scenario {folder.name} on {today}:\n  `reunify {command}` cannot read the records: "
                        f"{messages}", pytrace=False)
    failed = _compare(day, outputs["next"], outputs["status"], outputs["check"])
    if failed:
        pytest.fail(f"scenario {folder.name} on {today}:\n" + "\n".join(failed), pytrace=False)
