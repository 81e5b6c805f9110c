"""Time `reunify site` over 1,000 generated cases against `reunify caseload --json` over them.

Both run as fresh processes, alternating, in the same run, on the same files:

- caseload: `reunify caseload CASES --json`: every case read, validated and evaluated,
  the rows printed.
- site: `reunify site CASES --out SITE`: the same evaluation of every case (once each),
  and a page per case, the caseload, the outcomes and the family pages written, whole,
  into a private folder renamed into place.

The cases come from `bench/cases.py` (fictional, varied from the complete sample cases).
The ratio of the medians is what matters (aim: at most 2x). Run with `make bench`, or
`.venv/bin/python bench/site.py --cases 1000 --rounds 3`. Always exits 0 once measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from caseload import timed
from cases import SEED
from cases import TODAY
from cases import generate_cases

AIM = 2.0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases to generate (default: 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, alternating (default: 3)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to both (default: all CPUs)")
    parser.add_argument("--seed", type=int, default=SEED)
    return parser.parse_args()


def main() -> None:
    args = parse()
    with tempfile.TemporaryDirectory(prefix="reunify-bench-") as folder:
        root = Path(folder)
        cases = root / "cases"
        cases.mkdir()
        start = time.perf_counter()
        generate_cases(cases, args.cases, args.seed)
        print(f"generated {args.cases} cases in {time.perf_counter() - start:.1f} s")
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        common = ["--today", TODAY.isoformat(), *jobs]
        caseload_cmd = [sys.executable, "-m", "reunify", "caseload", str(cases), "--json", *common]
        site_cmd = [sys.executable, "-m", "reunify", "site", str(cases), "--out", str(root / "site"), *common]
        for command in (caseload_cmd, site_cmd):  # warm the file cache and bytecode
            timed(command)
        caseload, site = [], []
        for _ in range(args.rounds):
            caseload.append(timed(caseload_cmd))
            site.append(timed(site_cmd))
        pages = len(list((root / "site" / "cases").glob("*.html")))
    c, s = statistics.median(caseload), statistics.median(site)
    processes = args.jobs or os.cpu_count()
    print(f"reunify caseload --json: {c:6.2f} s (median of {args.rounds}, {processes} processes)")
    print(f"reunify site:            {s:6.2f} s (median of {args.rounds}, {pages} case pages)")
    print(f"ratio:                   {s / c:6.2f}x (aim: at most {AIM:.0f}x)")


if __name__ == "__main__":
    main()
