"""Reading a long chronology: time per entry from 10 to 5,000 entries, and `reunify next`.

A case that runs for years gathers a long chronology. Reading must stay on libyaml's
fast path however long the file grows, so the time per entry should stay flat. The
bench copies sample 03, gives it a chronology of N entries (its own entries repeated,
with dates spread in order between 2014 and 2026), and measures in one run:

- loading the chronology file alone, per entry, for N = 10, 100, 1,000 and 5,000
  (best of several loads, in this process);
- `reunify next` as a fresh process on the case with 12 entries and with 5,000
  (medians, alternating), and their ratio (aim: within 3x).

Run with `make bench` or `python bench/chronology.py`.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from next import timed  # bench/next.py, beside this file

from reunify.core.yamlio import dump_like
from reunify.core.yamlio import load_file
from reunify.core.yamlio import load_round_trip

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "reunify" / "sample_cases" / "03-medium-agreement-review"
SIZES = (10, 100, 1000, 5000)
FIRST, LAST = dt.date(2014, 1, 1), dt.date(2026, 6, 1)
ROUNDS = 10


def long_case(folder: Path, entries: int) -> Path:
    """A copy of sample 03 whose chronology has `entries` entries, in date order."""
    case = folder / f"case-{entries}"
    shutil.copytree(SAMPLE, case)
    path = case / "chronology.yaml"
    original = path.read_text(encoding="utf-8")
    yaml, data = load_round_trip(original)
    originals = [dict(entry) for entry in data["entries"]]
    span = (LAST - FIRST).days
    data["entries"] = [
        {**copy.deepcopy(originals[i % len(originals)]), "date": FIRST + dt.timedelta(days=span * i // max(entries - 1, 1))}
        for i in range(entries)
    ]
    path.write_text(dump_like(yaml, data, original), encoding="utf-8")
    return case


def best_load(path: Path, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        loaded = load_file(path)
        times.append(time.perf_counter() - start)
        assert loaded.ok, loaded.problems
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("loading chronology.yaml      total     per entry")
        per_entry = {}
        for size in SIZES:
            case = long_case(folder, size)
            seconds = best_load(case / "chronology.yaml")
            per_entry[size] = seconds / size
            print(f"  {size:5d} entries   {seconds * 1000:9.2f} ms  {per_entry[size] * 1e6:8.1f} us")
        print(f"  per entry at 5,000 / at 1,000: {per_entry[5000] / per_entry[1000]:.2f}x (aim: about 1x)")

        short, long = long_case(folder, 12), folder / "case-5000"
        commands = {name: [sys.executable, "-m", "reunify", "next", str(case), "--today", "2026-11-23"]
                    for name, case in (("12", short), ("5000", long))}
        for command in commands.values():  # warm the file cache and bytecode
            timed(command)
        results: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                results[name].append(timed(command))
    short_ms = statistics.median(results["12"]) * 1000
    long_ms = statistics.median(results["5000"]) * 1000
    print(f"reunify next, 12 entries:    {short_ms:7.1f} ms (median of {ROUNDS})")
    print(f"reunify next, 5,000 entries: {long_ms:7.1f} ms (median of {ROUNDS})")
    print(f"ratio:                       {long_ms / short_ms:7.2f}x (aim: within 3x)")


if __name__ == "__main__":
    main()
