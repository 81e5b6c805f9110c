"""The workflow as a Mermaid flowchart: a subgraph per stage, a node per step, an edge per
`after:` entry; decisions drawn as diamonds, the steps of each path in the path's own
style (the permanence branch apart from the return home), with a key to the paths.

Node ids are the step ids behind a prefix (so that no id is a Mermaid keyword such as
`end`, and a stage and a step of one name stay apart); labels are quoted, with the
characters Mermaid reads inside them written as entities.
"""

from __future__ import annotations

from reunify.workflow.model import Step
from reunify.workflow.model import Workflow

# Fill and line colours for the paths, in the order the workflow lists them.
_PALETTE = (("#e3f0fb", "#2b6cb0"), ("#fde8e8", "#c53030"), ("#e6f6ea", "#2f855a"),
            ("#fdf3dc", "#b7791f"), ("#efe8fb", "#6b46c1"), ("#e8f7f7", "#2c7a7b"))
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;"}


def label(text: str) -> str:
    """Text as a quoted Mermaid label: one line, nothing Mermaid would read as syntax."""
    return '"' + "".join(_ENTITIES.get(char, char) for char in " ".join(text.split())) + '"'


def node_id(step_id: str) -> str:
    return f"step_{step_id}"


def path_class(path: str) -> str:
    return f"path_{path}"


def _node(step: Step) -> str:
    text = label(step.title + (" (optional)" if step.optional else ""))
    if step.kind[0] == "decision":
        return f"{node_id(step.id)}{{{text}}}"
    return f"{node_id(step.id)}[{text}]"


def _opens(workflow: Workflow, before: Step, step: Step) -> str | None:
    """The title of the path a decision's outcome opens, on the edge to a step of that path."""
    kind, record_id = before.kind
    decision = workflow.decisions.get(record_id) if kind == "decision" else None
    if decision is None:
        return None
    path = next((o.path for o in decision.outcomes.values() if o.path is not None and o.path in step.paths), None)
    return workflow.paths[path].title if path in workflow.paths else None


def flowchart(workflow: Workflow) -> str:
    """The Mermaid text (`flowchart TD`) of the workflow's stages, steps and order."""
    lines = ["flowchart TD"]
    paths = list(workflow.paths)
    for index, path in enumerate(paths):
        fill, stroke = _PALETTE[index % len(_PALETTE)]
        lines.append(f"  classDef {path_class(path)} fill:{fill},stroke:{stroke},color:#1a202c")
    lines.append("  classDef decision stroke-width:3px")
    for number, stage in enumerate(workflow.stages, 1):
        lines.append(f"  subgraph stage_{stage.id}[{label(f'{number}. {stage.title}')}]")
        lines += [f"    {_node(step)}" for step in stage.steps]
        lines.append("  end")
    if paths:
        lines.append(f"  subgraph paths_key[{label('Paths')}]")
        lines += [f"    key_{path}[{label(workflow.paths[path].title)}]" for path in paths]
        lines.append("  end")
    for step in workflow.steps.values():
        for before in step.after:
            if before in workflow.steps:
                opens = _opens(workflow, workflow.steps[before], step)
                arrow = f"-->|{label(opens)}|" if opens else "-->"
                lines.append(f"  {node_id(before)} {arrow} {node_id(step.id)}")
    for path in paths:
        members = [node_id(s.id) for s in workflow.steps.values() if s.paths and s.paths[0] == path]
        lines.append(f"  class {','.join([*members, f'key_{path}'])} {path_class(path)}")
    decisions = [node_id(s.id) for s in workflow.steps.values() if s.kind[0] == "decision"]
    if decisions:
        lines.append(f"  class {','.join(decisions)} decision")
    return "\n".join(lines) + "\n"
