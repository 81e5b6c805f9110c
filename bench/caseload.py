"""Time `reunify caseload` over 1,000 generated cases against loading the same files with PyYAML.

Both run as fresh processes, alternating, in the same run, on the same files:

- reunify: the real command, `reunify caseload CASES --json`: start-up, finding the cases,
  loading and validating every record, evaluating every case (steps, gates, checks, time
  rules) and printing the result.
- baseline: a Python process that reads every YAML file of the same cases with PyYAML's
  C loader (`yaml.load(text, Loader=yaml.CSafeLoader)`) and nothing else.

The cases come from `bench/cases.py` (fictional, varied from the complete sample cases).
The ratio of the medians is what matters (aim: at most 2x). Run with `make bench`, or
`.venv/bin/python bench/caseload.py --cases 1000 --rounds 3`. Always exits 0 once measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cases import SEED
from cases import TODAY
from cases import generate_cases

AIM = 2.0

BASELINE = """\
import sys
from pathlib import Path

import yaml

count = 0
for path in sorted(Path(sys.argv[1]).glob("*/*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    count += 1
print(count)
"""


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases to generate (default: 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, alternating (default: 3)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to reunify caseload (default: all CPUs)")
    parser.add_argument("--seed", type=int, default=SEED)
    return parser.parse_args()


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        print(f"  {command[2:4]} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return seconds


def main() -> None:
    args = parse()
    with tempfile.TemporaryDirectory(prefix="reunify-bench-") as folder:
        root = Path(folder)
        cases = root / "cases"
        cases.mkdir()
        start = time.perf_counter()
        generate_cases(cases, args.cases, args.seed)
        files = len(list(cases.glob("*/*.yaml")))
        print(f"generated {args.cases} cases ({files} files) in {time.perf_counter() - start:.1f} s")
        baseline_script = root / "baseline.py"
        baseline_script.write_text(BASELINE)
        baseline_cmd = [sys.executable, str(baseline_script), str(cases)]
        reunify_cmd = [sys.executable, "-m", "reunify", "caseload", str(cases), "--json",
                       "--today", TODAY.isoformat()] + (["--jobs", str(args.jobs)] if args.jobs else [])
        for command in (baseline_cmd, reunify_cmd):  # warm the file cache and bytecode
            timed(command)
        baseline, ours = [], []
        for _ in range(args.rounds):
            baseline.append(timed(baseline_cmd))
            ours.append(timed(reunify_cmd))
    b, o = statistics.median(baseline), statistics.median(ours)
    print(f"PyYAML C loader, every file: {b:6.2f} s (median of {args.rounds})")
    processes = args.jobs or os.cpu_count()
    print(f"reunify caseload:            {o:6.2f} s (median of {args.rounds}, {processes} processes)")
    print(f"ratio:                       {o / b:6.2f}x (aim: at most {AIM:.0f}x)")


if __name__ == "__main__":
    main()
