"""`workflow show` as its authors read it (each step's does, path, gates, conditions and
deadlines; --json; a Mermaid flowchart of both paths), and the key `needs:` renamed
`requires:`, the old name still read with a warning at its line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from reunify.workflow import REFERENCE
from tests.conftest import Result

Cli = Callable[..., Result]
REFERENCE_TEXT = REFERENCE.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def step_block(text: str, step_id: str) -> str:
    """The lines `workflow show` prints for one step, from its title to the blank line."""
    match = re.search(rf"^  \S.*\({step_id}\)(?:.*)\n(?:    .*\n)+", text, re.MULTILINE)
    assert match, f"no block for {step_id}"
    return " ".join(match.group().split())


def caseload(tmp_path: Path, local: str) -> Path:
    """A caseload folder whose profile names the local workflow `local`."""
    folder = tmp_path / "caseload"
    folder.mkdir()
    (folder / "reunify.yaml").write_text("workflow: local.yaml\n", encoding="utf-8")
    (folder / "local.yaml").write_text(local, encoding="utf-8")
    return folder


def test_show_prints_what_each_step_does_its_path_gates_and_deadlines(tmp_path: Path, cli: Cli) -> None:
    result = cli("workflow", "show", tmp_path, today=None)
    assert result.code == 0, result.out + result.err
    text = result.out
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Paths: Towards a return home (return); Alternative permanence (permanence)" in " ".join(text.split())

    review = step_block(text, "planning_review")  # a step of the return path
    assert "Reunification planning review (planning_review)" in review
    assert "who Team manager" in review
    assert "does Transition planning, roles and timescales" in review
    assert "path Towards a return home" in review
    assert "after planning_meeting" in review
    assert "requires goal_reviews" in review
    assert ("deadline due within 3 months of planning_meeting source NSPCC Reunification Practice Framework, "
            "detailed procedure step 16") in review
    assert ("deadline due 6 months after return_home; not before 5 months after return_home source NSPCC "
            "Reunification Practice Framework, detailed procedure step 19") in step_block(text, "rc3")
    assert "documents Parental agreement" in review

    proceedings = step_block(text, "consider_proceedings")  # the permanence branch shows
    assert "(legal priority)" in proceedings
    assert "path Alternative permanence" in proceedings
    assert "only when legal status is V2, V3 or V4" in proceedings

    decision = step_block(text, "decision_2")
    assert "requires classification (id RC1, confirmed true)" in decision
    assert "permanence: Risk is Severe - plan alternative permanence (when RC1 is severe; opens the path: " \
           "Alternative permanence)" in decision
    assert "ready when risk is low for 6 months" in step_block(text, "end_involvement")
    assert "(optional)" in step_block(text, "fgc")
    assert "path every path" in step_block(text, "identify")


def test_show_json_carries_the_same(tmp_path: Path, cli: Cli) -> None:
    result = cli("workflow", "show", tmp_path, "--json", today=None)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["problems"] == []
    assert data["paths"]["permanence"] == "Alternative permanence"
    steps = {step["id"]: step for stage in data["stages"] for step in stage["steps"]}
    review = steps["planning_review"]
    assert review["does"].startswith("Transition planning")
    assert review["paths"] == [{"id": "return", "title": "Towards a return home"}]
    assert review["requires"] == [{"gate": "goal_reviews", "arguments": {}, "text": "goal_reviews"}]
    assert review["due"] == "within 3 months of planning_meeting"
    assert review["source"].endswith("detailed procedure step 16")
    assert review["role_title"] == "Team manager"
    assert steps["consider_proceedings"]["paths"][0]["id"] == "permanence"
    assert steps["consider_proceedings"]["when"] == "legal status is V2, V3 or V4"
    assert steps["end_involvement"]["ready_when"] == "risk is low for 6 months"
    assert steps["decision_2"]["requires"][0]["arguments"] == {"id": "RC1", "confirmed": True}
    outcomes = {o["id"]: o for o in steps["decision_2"]["outcomes"]}
    assert outcomes["permanence"]["path"] == "permanence" and outcomes["proceed"]["path"] is None
    assert steps["identify"]["paths"] == [] and steps["identify"]["outcomes"] is None
    assert steps["fgc"]["optional"] is True


NODE = re.compile(r'^    (step_\w+)(\["[^"\n]*"\]|\{"[^"\n]*"\})$')
EDGE = re.compile(r'^  (step_\w+) -->(?:\|"[^"\n]*"\|)? (step_\w+)$')


def mermaid(cli: Cli, folder: Path) -> tuple[str, dict[str, str], set[tuple[str, str]]]:
    result = cli("workflow", "show", folder, "--mermaid", today=None)
    assert result.code == 0, result.out + result.err
    nodes: dict[str, str] = {}
    edges = set()
    for line in result.out.splitlines():
        if found := NODE.match(line):
            assert found[1] not in nodes, f"{found[1]} drawn twice"
            nodes[found[1]] = found[2]
        elif found := EDGE.match(line):
            edges.add((found[1], found[2]))
    return result.out, nodes, edges


def test_mermaid_draws_every_stage_step_and_after_edge(tmp_path: Path, cli: Cli) -> None:
    text, nodes, edges = mermaid(cli, tmp_path)
    reference = yaml.safe_load(REFERENCE_TEXT)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    for stage in reference["stages"]:
        assert sum(1 for line in lines if line.startswith(f"  subgraph stage_{stage['id']}[\"")) == 1
    assert lines.count("  end") == len(reference["stages"]) + 1  # and the key to the paths
    steps = [step for stage in reference["stages"] for step in stage["steps"]]
    assert set(nodes) == {f"step_{step['id']}" for step in steps}
    assert edges == {(f"step_{before}", f"step_{step['id']}") for step in steps for before in step.get("after", [])}
    # Decisions are diamonds; the permanence branch has its own style, and the edge into it
    # from the decision that opens it is labelled with the path.
    assert nodes["step_decision_2"].startswith("{") and nodes["step_genogram"].startswith("[")
    permanence = next(line for line in lines if line.startswith("  class ") and line.endswith(" path_permanence"))
    assert set(permanence.split()[1].split(",")) == {"step_explain_severe", "step_consider_proceedings",
                                                     "step_permanence_plan", "key_permanence"}
    assert '  step_decision_2 -->|"Alternative permanence"| step_consider_proceedings' in lines
    assert "  classDef path_permanence " in text and "  classDef path_return " in text


LOCAL = """\
extends: reference
title: Northshire reunification workflow
steps:
  midpoint_supervision: {remove: true}
add:
  - stage: agreement
    before: reunification_plan
    id: family_network_meeting
    title: Family network meeting "early"
    role: social_worker
    after: [planning_meeting]
"""


def test_mermaid_of_a_local_workflow(tmp_path: Path, cli: Cli) -> None:
    text, nodes, edges = mermaid(cli, caseload(tmp_path, LOCAL))
    assert "step_midpoint_supervision" not in text
    assert nodes["step_family_network_meeting"] == '["Family network meeting #quot;early#quot;"]'
    assert ("step_planning_meeting", "step_family_network_meeting") in edges
    # The removed step hands its own prerequisites on to the steps that waited for it.
    assert ("step_meet_child", "step_return_home_assessment") in edges


def test_the_old_key_needs_is_read_with_a_warning_at_its_line(tmp_path: Path, cli: Cli) -> None:
    old = REFERENCE_TEXT.replace("        requires: [goal_reviews]\n        documents: [parental_agreement]\n",
                                 "        needs: [goal_reviews]\n        documents: [parental_agreement]\n", 1)
    old = old.replace("        requires: [sustained_risk]\n", "        needs: [sustained_risk]\n")  # a decision's
    assert old.count("needs: [") == 2
    file = tmp_path / "copy.yaml"
    file.write_text(old, encoding="utf-8")
    result = cli("workflow", "check", file, today=None)
    assert result.code == 0, result.out
    for needle in ("needs: [goal_reviews]", "needs: [sustained_risk]"):
        assert (f"{file}:{line_of(old, needle)}:9: warning: 'needs' is the old name of 'requires'"
                in result.out)
    assert "hint: rename it to 'requires:'" in result.out
    assert ": valid: 5 stages" in result.out

    # A gate misspelt under the old key is placed at the old key.
    misspelt = old.replace("needs: [goal_reviews]", "needs: [goal_reveiws]")
    file.write_text(misspelt, encoding="utf-8")
    result = cli("workflow", "check", file, today=None)
    assert result.code == 1
    assert (f"{file}:{line_of(misspelt, 'needs: [goal_reveiws]')}:17: error: unknown gate 'goal_reveiws'"
            in result.out)


def test_a_local_workflow_with_needs_warns_and_still_requires_the_gates(tmp_path: Path, cli: Cli) -> None:
    local = LOCAL + "    needs: [agreement]\n"
    folder = caseload(tmp_path, local)
    result = cli("workflow", "check", folder / "local.yaml", today=None)
    assert result.code == 0, result.out
    where = f"{folder / 'local.yaml'}:{line_of(local, 'needs: [agreement]')}:5"
    assert f"{where}: warning: 'needs' is the old name of 'requires'" in result.out

    shown = cli("workflow", "show", folder, today=None)
    assert shown.code == 0
    assert f"{where}: warning: 'needs' is the old name of 'requires'" in shown.out
    assert "requires agreement" in step_block(shown.out, "family_network_meeting")
    data = json.loads(cli("workflow", "show", folder, "--json", today=None).out)
    assert [p["severity"] for p in data["problems"]] == ["warning"]

    changed = "extends: reference\nsteps:\n  planning_review: {needs: [agreement]}\n"
    (folder / "local.yaml").write_text(changed, encoding="utf-8")
    result = cli("workflow", "check", folder / "local.yaml", today=None)
    assert result.code == 0, result.out
    assert "local.yaml:3:21: warning: 'needs' is the old name of 'requires'" in result.out
    step = next(s for stage in json.loads(cli("workflow", "show", folder, "--json", today=None).out)["stages"]
                for s in stage["steps"] if s["id"] == "planning_review")
    assert [g["gate"] for g in step["requires"]] == ["agreement"]


def test_a_step_with_both_keys_is_an_error(tmp_path: Path, cli: Cli) -> None:
    local = LOCAL + "    requires: [agreement]\n    needs: [agreement]\n"
    file = caseload(tmp_path, local) / "local.yaml"
    result = cli("workflow", "check", file, today=None)
    assert result.code == 1
    assert (f"{file}:{line_of(local, 'needs: [agreement]')}:5: error: both 'needs' and 'requires': 'needs' is "
            "the old name of 'requires'") in result.out
    assert "hint: keep 'requires:' only" in result.out

    both = REFERENCE_TEXT.replace("        requires: [goal_reviews]\n        documents: [parental_agreement]\n",
                                  "        requires: [goal_reviews]\n        needs: [goal_reviews]\n"
                                  "        documents: [parental_agreement]\n", 1)
    file.write_text(both, encoding="utf-8")
    result = cli("workflow", "check", file, today=None)
    assert result.code == 1
    assert f"{file}:{line_of(both, 'needs: [goal_reviews]')}:9: error: both 'needs' and 'requires'" in result.out
