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

The ratio of documents per second is what matters (aim: at least 3x on 2 CPUs). Run with
`make bench`, or `.venv/bin/python bench/render.py --cases 200`. Always exits 0 once measured.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
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
    parser.add_argument("--repeat", type=int, default=1, help="runs of `reunify render`; the best counts")
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

        env = with_bytecode(root / "bytecode")
        run_reunify(root / "cases" / folders[0].name, root / "warm", env)  # warm the file cache and bytecode
        runs = [run_reunify(root / "cases", root / f"reunify-{n}", env) for n in range(args.repeat)]
        ours, written, ours_cpu = min(runs)
        ours_rate = written / ours
        expected = 12 * len(folders)
        print(f"\nreunify render (a fresh process: start-up, records, genograms, contexts, parallel rendering, "
              f"writing)\n  {written} documents{'' if written == expected else f' (expected {expected})'} "
              f"in {ours:.1f} s (best of {args.repeat}) = {ours_rate:.1f} documents/s\n"
              f"  CPU time {ours_cpu:.1f} s, all processes ({ours_cpu / ours:.2f} CPUs busy on average)")
        cpus = min(os.cpu_count() or 1, len(folders))
        if ours_cpu / ours < 0.75 * cpus:
            print(f"  note: fewer than {0.75 * cpus:.1f} of {cpus} CPUs busy: other load on the machine or poor "
                  "parallel scaling; the ratio per CPU-second is the steadier figure")

        subset = folders[: args.baseline_cases] if args.baseline_cases > 0 else folders
        start = time.perf_counter()
        work = contexts(subset)
        prepared = time.perf_counter() - start
        base, base_cpu = plain_loop(work, root / "plain")
        base_rate = len(work) / base
        print(f"\nplain docxtpl loop (this process; a new DocxTemplate per document, sandboxed autoescape, saved "
              f"to a file)\n  the first {len(subset)} of {len(folders)} cases: contexts and genograms built "
              f"beforehand in {prepared:.1f} s, NOT timed\n  {len(work)} documents in {base:.1f} s "
              f"(rendering and writing only) = {base_rate:.1f} documents/s\n  CPU time {base_cpu:.1f} s")

    ratio = ours_rate / base_rate
    print(f"\nratio: {ratio:.2f}x (reunify documents/s / plain loop documents/s); per CPU-second: "
          f"{(written / ours_cpu) / (len(work) / base_cpu):.2f}x")
    print(f"aim: >= {AIM:.1f}x on {os.cpu_count()} CPUs: {'met' if ratio >= AIM else 'NOT met'}")


if __name__ == "__main__":
    main()
