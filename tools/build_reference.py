"""Build `reunify/workflow/reference.prebuilt` (run `make reference`): the bundled reference
workflow read from its YAML and checked, stored so that commands need not read it again.

Run it after changing `reference.yaml` or the code that reads it; `tests/test_prebuilt.py`
fails while the prebuilt file is out of date. It refuses a reference with any problem.
"""

from __future__ import annotations

import sys

from reunify.engine.gates import gate_args
from reunify.workflow import prebuilt
from reunify.workflow.load import REFERENCE
from reunify.workflow.load import load_workflow_yaml


def main() -> int:
    gates = gate_args()
    workflow, problems = load_workflow_yaml(REFERENCE, gates)
    if workflow is None or problems:
        for problem in problems:
            print(f"{problem.file}: {problem.field_name()}: {problem.message}", file=sys.stderr)
        print("reference.yaml has problems: nothing written", file=sys.stderr)
        return 1
    prebuilt.write(workflow, REFERENCE, gates)
    print(f"wrote {prebuilt.PREBUILT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
