"""What `reunify` loads as it starts: no third-party plugin sees the records, and a
read-only command piped to a file or another program draws its text without rich."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from rich._emoji_codes import EMOJI
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape as rich_escape

from reunify.cli import console
from reunify.cli import plain
from tests.conftest import ROOT
from tests.conftest import SAMPLES

SPY = '''
import os


class Spy:
    """A pydantic plugin that writes down every model it is shown."""

    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        with open(os.environ["SPY_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{path.module}.{path.name}\\n")
        return None, None, None


plugin = Spy()
'''

MODEL = """
import pydantic


class Outside(pydantic.BaseModel):
    name: str


print(Outside(name="x").name)
"""


def _with_spy(tmp_path: Path) -> dict[str, str]:
    """An environment in which an installed package offers pydantic a plugin."""
    site = tmp_path / "site"
    (site / "spy_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "spy_plugin.py").write_text(SPY, encoding="utf-8")
    (site / "spy_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8")
    (site / "spy_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nspy = spy_plugin:plugin\n", encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    env["SPY_LOG"] = str(tmp_path / "seen.txt")
    return env


def test_no_pydantic_plugin_sees_the_records(tmp_path: Path) -> None:
    env = _with_spy(tmp_path)
    log = tmp_path / "seen.txt"
    # The plugin is installed and works: it sees a model of another program.
    subprocess.run([sys.executable, "-c", MODEL], env=env, check=True, capture_output=True)
    assert "__main__.Outside" in log.read_text(encoding="utf-8")
    log.unlink()
    for command in (["next"], ["status"], ["check"], ["next", "--json"]):
        result = subprocess.run(
            [sys.executable, "-m", "reunify", *command, str(SAMPLES / "03-medium-agreement-review"),
             "--today", "2026-11-23"], env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert "Reunification planning review" in result.stdout or "problem" in result.stdout
        assert not log.exists(), log.read_text(encoding="utf-8")


READ_ONLY = """
import io, contextlib, sys
from reunify.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print("LOADED:", ",".join(sorted(name for name in sys.modules if name.split(".")[0] in ("rich", "ruamel"))))
"""


def _loaded_with(*args: str | Path, **env: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", READ_ONLY, *map(str, args), "--today", "2026-11-23"],
                            capture_output=True, text=True, check=False, env={**os.environ, **env})
    assert "LOADED:" in result.stdout, result.stderr
    return {name for name in result.stdout.rsplit("LOADED:", 1)[1].strip().split(",") if name}


def test_the_read_only_commands_piped_need_neither_rich_nor_ruamel() -> None:
    # Sample 03's `next` places a warning on its line; sample 02's `check` shows a warning.
    assert not _loaded_with("next", SAMPLES / "03-medium-agreement-review")
    assert not _loaded_with("status", SAMPLES / "03-medium-agreement-review")
    assert not {name for name in _loaded_with("check", SAMPLES / "02-mid-assessment") if name.startswith("rich")}
    # Told to colour what is piped, they draw with rich.
    assert "rich.console" in _loaded_with("status", SAMPLES / "03-medium-agreement-review", FORCE_COLOR="1")


def _by_rich(objects: tuple[object, ...], soft_wrap: bool) -> str:
    """What rich prints, piped (80 columns, no colour), with the spaces the console trims."""
    buffer = io.StringIO()
    Console(file=buffer, width=80, highlight=False, soft_wrap=False, color_system=None,
            force_terminal=False).print(*objects, soft_wrap=soft_wrap)
    return "\n".join(line.rstrip(" ") for line in buffer.getvalue().split("\n"))


def _without_rich(objects: tuple[object, ...], soft_wrap: bool) -> str | None:
    """What the console writes without rich, or None where it leaves it to rich."""
    buffer = io.StringIO()
    piped = console._Console(stderr=False)
    piped._plain, piped._width = True, 80
    sys.stdout, saved = buffer, sys.stdout
    try:
        lines = piped._plain_lines(objects, soft_wrap)
        if lines is not None:
            piped.print(*objects, soft_wrap=soft_wrap)
    finally:
        sys.stdout = saved
    return None if lines is None else buffer.getvalue()


# Mostly what the console draws without rich, now and then what it leaves to rich.
DRAWN = ["a", "word", "the", " ", " ", "  ", "\n", "[bold]", "[/]", "[dim]x[/]", "[bold red]", "[red]", "\\[",
         "\\", "[", "]", "x" * 30, "y" * 79, "z" * 81, "é", "·", "─", "-", ":", ":17:1:", "file.yaml:12: ",
         "(chronology.yaml:90)"]
LEFT_TO_RICH = [":smile:", ":+1:", "\\[:smile:]", "[link=x]", "日本", "\u00a0", "\t"]
MARKUP = st.lists(st.sampled_from(DRAWN * 20 + LEFT_TO_RICH), max_size=60).map("".join)


@settings(max_examples=600, deadline=None)
@given(markup=MARKUP, soft_wrap=st.booleans())
def test_text_is_drawn_without_rich_as_rich_draws_it(markup: str, soft_wrap: bool) -> None:
    drawn = _without_rich((markup,), soft_wrap)
    assume(drawn is not None)
    assert drawn == _by_rich((markup,), soft_wrap)


@settings(max_examples=300, deadline=None)
@given(items=st.lists(MARKUP, min_size=1, max_size=4), indent=st.sampled_from([0, 3]), soft_wrap=st.booleans())
def test_bullets_are_drawn_without_rich_as_rich_draws_them(items: list[str], indent: int, soft_wrap: bool) -> None:
    drawn = _without_rich((console.bullets(items, indent),), soft_wrap)
    assume(drawn is not None)
    assert drawn == _by_rich((console.bullets(items, indent),), soft_wrap)


@pytest.mark.parametrize("markup", [
    "[bold]WBC-RU-2026-007[/]  Maisie Thornbury, 10y 9m  ·  risk: [bold]Medium[/]",
    "Legal status V2 (single period of accommodation under section 20) since 2026-02-16",
    "path/events.yaml:17:1: [yellow]warning[/]: overdue since 2026-11-13, not recorded: Write it",
    "   [dim]reunify meeting planning_review --date YYYY-MM-DD --attendee tm-moorcroft " + "f" * 90 + "[/]",
])
def test_what_the_read_only_commands_print_is_drawn_without_rich(markup: str) -> None:
    for soft_wrap in (False, True):
        assert _without_rich((markup,), soft_wrap) == _by_rich((markup,), soft_wrap)


def test_text_measured_by_length_is_one_cell_a_character_in_rich() -> None:
    one_cell = [chr(code) for code in range(0x20, 0x3000) if plain.markup_text(chr(code)) == chr(code)]
    assert len(one_cell) > 500
    assert [c for c in one_cell if cell_len(c) != 1] == []


def test_every_emoji_code_rich_knows_is_left_to_rich() -> None:
    assert [name for name in EMOJI if plain.markup_text(f"x :{name}: y") is not None] == []


@given(text=st.text(alphabet="[]\\/abx@# ", max_size=30))
def test_escaped_text_is_escaped_as_rich_escapes_it(text: str) -> None:
    assert console.escape_markup(text) == rich_escape(text)


CELL = st.lists(st.sampled_from(["a", "word", "2026-11-23", " ", "[dim]x[/]", "[red]due[/]", "x" * 25, "y" * 70,
                                 "é", "\n", "; ", "override: fix"]), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(columns=st.integers(1, 5), data=st.data(), width=st.sampled_from([30, 80]))
def test_tables_are_drawn_without_rich_as_rich_draws_them(columns: int, data: st.DataObject, width: int) -> None:
    grid = console.rows(*data.draw(st.lists(CELL, min_size=columns, max_size=columns)))
    for row in data.draw(st.lists(st.lists(CELL, min_size=columns, max_size=columns), max_size=4)):
        grid.add_row(*row)
    lines = grid.plain_lines(width)
    assume(lines is not None)
    buffer = io.StringIO()
    Console(file=buffer, width=width, highlight=False, color_system=None, force_terminal=False).print(grid)
    assert [line.rstrip(" ") for line in lines] == [line.rstrip(" ") for line in buffer.getvalue().split("\n")[:-1]]


COLLECTOR = """
import atexit, gc, sys
from reunify.__main__ import run
atexit.register(lambda: print("COLLECTOR:", gc.isenabled(), gc.get_freeze_count(), file=sys.stderr))
sys.argv = ["reunify", *sys.argv[1:]]
run()
"""


def test_the_reunify_process_freezes_what_start_up_made_and_then_collects() -> None:
    # The command's own objects are collected as usual; start-up's are frozen out of the
    # collector's way (reunify.core.collector).
    result = subprocess.run([sys.executable, "-c", COLLECTOR, "next", str(SAMPLES / "03-medium-agreement-review"),
                             "--today", "2026-11-23"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    enabled, frozen = result.stderr.rsplit("COLLECTOR:", 1)[1].split()
    assert enabled == "True"
    assert int(frozen) > 10_000


def test_running_a_command_in_a_program_leaves_its_collector_alone() -> None:
    import gc

    from reunify.cli import main

    frozen = gc.get_freeze_count()
    with io.StringIO() as buffer:
        sys.stdout, saved = buffer, sys.stdout
        try:
            assert main(["next", str(SAMPLES / "03-medium-agreement-review"), "--today", "2026-11-23"]) == 0
        finally:
            sys.stdout = saved
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
