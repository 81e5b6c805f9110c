"""Render every document of generated cases: `reunify render` against a plain docxtpl loop.

Both are measured in the same run, on the same templates and the same cases (made by
`bench/cases.py`: fictional, varied from the complete sample cases, every document that applies ready).

- reunify: the real command, `reunify render CASES --out DIR`, as a fresh process: start-up,
  loading and checking the records, drawing genograms, building contexts, rendering in
  parallel worker processes and writing the files.
- plain loop: one process (this one), a new `DocxTemplate` for every document, rendered with
  a sandboxed autoescaping Jinja environment and saved to a file. Its contexts (genograms
  included) are built before the clock starts, so it is charged for rendering and writing
  only; by default it runs on the first 50 cases, and the rates are compared.

The two take turns, in rounds (default 5): in each, `reunify render` renders every case,
then the plain loop renders a share of its documents. The speed of a shared machine drifts
by a fifth within a minute, and a turn each lets both meet the same drift. The aim is at
least 3x the plain loop's documents per CPU-second, in the median of the rounds (a round
in which the host took the CPU away from one of the two is an outlier, not a measure of
either); the rounds together, and wall time, are reported too. Run with `make bench`, or `.venv/bin/python bench/render.py
--cases 40`. Always exits 0 once measured.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import docx.shared
import docxtpl
import jinja2.sandbox
from cached_bytecode import with_bytecode
from cases import SEED
from cases import TODAY
from cases import generate_cases
from cases import unready

from reunify.documents.context import Picture
from reunify.documents.context import clean_text
from reunify.documents.render import build_context
from reunify.documents.render import case_documents
from reunify.documents.render import template_path
from reunify.documents.render import with_genogram

AIM = 3.0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases to generate (default: 200)")
    parser.add_argument("--baseline-cases", type=int, default=50, metavar="N",
                        help="cases the plain loop renders, the first N (default: 50; 0: all)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds, each a run of `reunify render` and a share of the plain loop (default: 5)")
    parser.add_argument("--seed", type=int, default=SEED)
    return parser.parse_args()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_reunify(cases: Path, out: Path, env: dict[str, str]) -> tuple[float, int, float]:
    """Wall time of the whole `reunify render` command, the documents it wrote, and its CPU
    time, with its bytecode cached as an installed reunify's is."""
    command = [sys.executable, "-m", "reunify", "render", str(cases), "--out", str(out),
               "--today", TODAY.isoformat()]
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                            env=env)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print(f"  reunify render exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return seconds, len(list(out.rglob("*.docx"))), _children_cpu() - cpu


def cleaned(value: Any) -> Any:
    """The context as reunify passes it in: every string cleaned, tuples as lists."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned(item) for item in value]
    return value


def contexts(folders: list[Path]) -> list[tuple[str, Path, dict[str, Any]]]:
    """(case, template, context) for every document of every case, built the way reunify builds them."""
    found = []
    for folder in folders:
        documents = case_documents(folder, TODAY)
        assert documents.source is not None
        src = with_genogram(documents.source)
        found += [(folder.name, template_path(a.document), cleaned(build_context(src, a.document)))
                  for a in documents.available if a.ready]
    return found


def bound(value: Any, tpl: docxtpl.DocxTemplate) -> Any:
    """The context with each `Picture` made an `InlineImage` of this template object."""
    if isinstance(value, Picture):
        return docxtpl.InlineImage(tpl, io.BytesIO(value.data), width=docx.shared.Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: bound(item, tpl) for key, item in value.items()}
    if isinstance(value, list):
        return [bound(item, tpl) for item in value]
    return value


def plain_loop(work: list[tuple[str, Path, dict[str, Any]]], out: Path) -> tuple[float, float]:
    """Wall time and CPU time of rendering and saving every document, one after another."""
    cpu = time.process_time()
    start = time.perf_counter()
    for case, path, context in work:
        folder = out / case
        folder.mkdir(parents=True, exist_ok=True)
        tpl = docxtpl.DocxTemplate(path)
        tpl.render(bound(context, tpl), jinja_env=jinja2.sandbox.SandboxedEnvironment(autoescape=True))
        tpl.save(folder / path.name)
    return time.perf_counter() - start, time.process_time() - cpu


def chunks(work: list[Any], count: int) -> list[list[Any]]:
    """The plain loop's documents dealt into `count` rounds alike (every `count`th one)."""
    return [work[k::count] for k in range(count)]


def main() -> None:
    args = parse()
    with tempfile.TemporaryDirectory(prefix="reunify-bench-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        folders = generate_cases(root / "cases", args.cases, args.seed)
        problems = unready(folders)
        if problems:
            for folder, found in problems.items():
                print(f"{folder.name}: not every document is ready:")
                for problem in found[:10]:
                    print(f"  {problem}")
            raise SystemExit(f"{len(problems)} of {len(folders)} generated cases cannot render every document")
        print(f"generated {len(folders)} cases (seed {args.seed}), every document that applies ready in each "
              f"({time.perf_counter() - start:.1f} s); today {TODAY}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f}")

        subset = folders[: args.baseline_cases] if args.baseline_cases > 0 else folders
        start = time.perf_counter()
        work = contexts(subset)
        print(f"the plain loop's contexts for the first {len(subset)} cases (genograms included) built beforehand, "
              f"NOT timed: {len(work)} documents in {time.perf_counter() - start:.1f} s")

        env = with_bytecode(root / "bytecode")
        run_reunify(root / "cases" / folders[0].name, root / "warm", env)  # warm the file cache and bytecode
        # The machine's speed drifts (a shared host): each round runs both, so that both meet the same drift.
        ours = [0.0, 0, 0.0]  # wall time, documents, CPU time
        base = [0.0, 0, 0.0]
        per_round = []
        rounds = max(1, min(args.rounds, len(work)))  # each round renders some of the plain loop's documents
        print(f"\n{rounds} rounds, each: `reunify render` of all {len(folders)} cases, then 1/{rounds} of the plain "
              "loop's documents")
        for n, chunk in enumerate(chunks(work, rounds), 1):
            seconds, written, cpu = run_reunify(root / "cases", root / f"reunify-{n}", env)
            base_seconds, base_cpu = plain_loop(chunk, root / f"plain-{n}")
            for done in (root / f"reunify-{n}", root / f"plain-{n}"):  # counted: a round's files need not stay
                shutil.rmtree(done)
            for total, value in ((ours, (seconds, written, cpu)), (base, (base_seconds, len(chunk), base_cpu))):
                total[:] = [a + b for a, b in zip(total, value, strict=True)]
            per_round.append((written / cpu) / (len(chunk) / base_cpu))
            print(f"  round {n}: reunify {written} documents, {cpu:.1f} s CPU, {seconds:.1f} s; plain loop "
                  f"{len(chunk)} documents, {base_cpu:.1f} s CPU; per CPU-second {per_round[-1]:.2f}x")

        # Every document that applies is ready (see unready): the plain loop's, and the other cases'.
        expected = rounds * (len(work) + sum(1 for folder in folders[len(subset):]
                                             for found in case_documents(folder, TODAY).available if found.ready))
        cpus = min(os.cpu_count() or 1, len(folders))
        print(f"\nreunify render (a fresh process each round: start-up, records, genograms, contexts, parallel "
              f"rendering, writing)\n  {ours[1]} documents{'' if ours[1] == expected else f' (expected {expected})'} "
              f"in {ours[0]:.1f} s = {ours[1] / ours[0]:.1f} documents/s\n"
              f"  CPU time {ours[2]:.1f} s, all processes ({ours[2] / ours[0]:.2f} CPUs busy on average)")
        if ours[2] / ours[0] < 0.75 * cpus:
            print(f"  note: fewer than {0.75 * cpus:.1f} of {cpus} CPUs busy: other load on the machine or poor "
                  "parallel scaling; the ratio per CPU-second is the steadier figure")
        print(f"\nplain docxtpl loop (this process; a new DocxTemplate per document, sandboxed autoescape, saved "
              f"to a file; rendering and writing only)\n  {base[1]} documents in {base[0]:.1f} s = "
              f"{base[1] / base[0]:.1f} documents/s\n  CPU time {base[2]:.1f} s")

    ratio = (ours[1] / ours[0]) / (base[1] / base[0])
    per_cpu = (ours[1] / ours[2]) / (base[1] / base[2])
    low, middle, high = min(per_round), statistics.median(per_round), max(per_round)
    print(f"\nratio: {ratio:.2f}x on wall time (reunify documents/s / plain loop documents/s); per CPU-second: "
          f"{middle:.2f}x, the median of the rounds ({low:.2f}x-{high:.2f}x; {per_cpu:.2f}x over all rounds together)")
    # The median: a round in which the host took the CPU from one of the two says nothing of either.
    print(f"aim: >= {AIM:.1f}x per CPU-second: {'met' if middle >= AIM else 'NOT met'}")


if __name__ == "__main__":
    main()
