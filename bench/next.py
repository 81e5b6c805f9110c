"""Time `reunify next` on a sample case against a minimal typer app printing one line.

Both run as fresh processes, alternating, in the same run; the ratio of the medians is
what matters (aim: at most 1.25x). Run with `make bench`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "reunify" / "sample_cases" / "03-medium-agreement-review"
ROUNDS = 20

MINIMAL = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


app()
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL)
        baseline_cmd = [sys.executable, str(minimal)]
        reunify_cmd = [sys.executable, "-m", "reunify", "next", str(SAMPLE), "--today", "2026-11-23"]
        for command in (baseline_cmd, reunify_cmd):  # warm the file cache and bytecode
            timed(command)
        baseline, ours = [], []
        for _ in range(ROUNDS):
            baseline.append(timed(baseline_cmd))
            ours.append(timed(reunify_cmd))
    b, o = statistics.median(baseline), statistics.median(ours)
    print(f"minimal typer app: {b * 1000:7.1f} ms (median of {ROUNDS})")
    print(f"reunify next:      {o * 1000:7.1f} ms (median of {ROUNDS})")
    print(f"ratio:             {o / b:7.2f}x (aim: at most 1.25x)")


if __name__ == "__main__":
    main()
