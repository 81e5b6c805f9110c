"""Time `reunify next` on a sample case against typer apps that print one line.

The baseline is what issue 16 measures against: a typer app with as many commands as
reunify has (counted from the lazy table in `reunify/cli/commands.py`), each taking a case
folder and `--today`/`--json` options and printing one line; the timed call runs its
`next`. A one-command typer app is shown beside it for comparison. All run as fresh
processes, alternating, in the same run; the ratio of the medians to the many-command
app is what matters (aim: at most 1.25x). Run with `make bench`.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cached_bytecode import with_bytecode

from reunify.cli.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "reunify" / "sample_cases" / "03-medium-agreement-review"
ROUNDS = 20
AIM = 1.25

ONE_COMMAND = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


app()
"""

MANY_HEAD = """\
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()
Today = Annotated[str | None, typer.Option("--today", envvar="REUNIFY_TODAY", help="The day.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
CaseFolder = Annotated[Path, typer.Argument(help="The case folder.")]
"""

MANY_COMMAND = '''

@app.command("{name}")
def command_{index}(case: CaseFolder = Path("."), today: Today = None, json: Json = False) -> None:
    """{name}: one line."""
    print(f"{name} {{case.name}} {{today}} {{json}}")
'''


def many_commands() -> str:
    """A typer app with one command for each of reunify's, all registered up front."""
    commands = "".join(MANY_COMMAND.format(name=name, index=index) for index, name in enumerate(COMMANDS))
    return MANY_HEAD + commands + "\n\napp()\n"


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    return run(command, env)[0]


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user and system) of `command` as a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        one, many = Path(folder) / "one.py", Path(folder) / "many.py"
        one.write_text(ONE_COMMAND)
        many.write_text(many_commands())
        commands = {
            "one": [sys.executable, str(one)],
            "many": [sys.executable, str(many), "next", str(SAMPLE), "--today", "2026-11-23"],
            "reunify": [sys.executable, "-m", "reunify", "next", str(SAMPLE), "--today", "2026-11-23"],
        }
        env = with_bytecode(Path(folder) / "bytecode")
        for command in commands.values():  # warm the file cache and bytecode
            timed(command, env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                wall, cpu = run(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    one, many, ours = (statistics.median(walls[name]) * 1000 for name in ("one", "many", "reunify"))
    one_cpu, many_cpu, ours_cpu = (statistics.median(cpus[name]) * 1000 for name in ("one", "many", "reunify"))
    print(f"medians of {ROUNDS} runs          wall       CPU")
    print(f"typer app, {len(COMMANDS)} commands: {many:7.1f} ms {many_cpu:7.1f} ms")
    print(f"typer app, 1 command:   {one:7.1f} ms {one_cpu:7.1f} ms")
    print(f"reunify next:           {ours:7.1f} ms {ours_cpu:7.1f} ms")
    print(f"ratio:                  {ours / many:7.2f}x   {ours_cpu / many_cpu:5.2f}x the {len(COMMANDS)}-command app "
          f"(aim: at most {AIM}x)")
    print(f"                        {ours / one:7.2f}x   {ours_cpu / one_cpu:5.2f}x the one-command app")


if __name__ == "__main__":
    main()
