"""Commands are imported when they run; the table `--help` lists them from holds to them."""

from __future__ import annotations

import subprocess
import sys

import typer.main
from typer._click.utils import make_default_short_help

from reunify.cli.app import app
from reunify.cli.commands import COMMANDS
from reunify.cli.commands import HIDDEN
from reunify.cli.commands import load_all


def test_the_table_lists_every_command_with_the_first_sentence_of_its_help() -> None:
    load_all()
    group = typer.main.get_group(app)
    assert sorted(group.commands) == sorted(COMMANDS)
    for name, command in group.commands.items():
        modules, help_line = COMMANDS[name]
        assert command.hidden == (name in HIDDEN), name
        if not command.hidden:
            assert make_default_short_help(command.help or "", 10_000) == help_line, name
        callbacks = [command.callback] if not isinstance(command, typer.core.TyperGroup) else [
            sub.callback for sub in command.commands.values()]
        for callback in callbacks:
            module = getattr(callback, "__wrapped__", callback).__module__
            assert module.rsplit(".", 1)[1] in modules.split(), (name, module)


PROBE = """
import sys
from reunify.cli import main
main(sys.argv[1:])
print("LOADED:", ",".join(sorted(m for m in sys.modules if m.startswith("reunify.cli."))))
"""


def test_only_the_command_being_run_is_imported() -> None:
    def loaded(*args: str) -> set[str]:
        result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False)
        return set(result.stdout.rsplit("LOADED:", 1)[1].strip().split(","))

    base = {"reunify.cli.app", "reunify.cli.commands"}
    assert loaded("--help") == base
    assert loaded("--version") == base
    others = {"reunify.cli.documents", "reunify.cli.people", "reunify.cli.caseload", "reunify.cli.sync"}
    sample = loaded("sample", "--help")
    assert "reunify.cli.walkthrough" in sample and not sample & others
    answer = loaded("assessment", "answer", "--help")
    assert {"reunify.cli.plans", "reunify.cli.domains"} <= answer and not answer & others


def test_a_mistyped_command_is_answered_with_the_near_ones() -> None:
    result = subprocess.run([sys.executable, "-m", "reunify", "nex"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "No such command 'nex'. Did you mean 'next', 'new'?" in result.stderr


def test_a_group_in_two_modules_has_all_its_commands_whatever_was_imported_first() -> None:
    probe = "import sys, reunify.cli.plans\nfrom reunify.cli import main\nmain(['assessment', '--help'])"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert "  answer " in result.stdout, result.stderr
