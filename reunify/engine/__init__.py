"""The engine: case + workflow + today -> status, next actions, gates, deadlines, problems."""

from __future__ import annotations

# Registers the outcomes tool's gate and check with the others.
from reunify.engine import outcomes as outcomes
from reunify.engine.evaluate import Evaluation
from reunify.engine.evaluate import StepState
from reunify.engine.evaluate import evaluate
from reunify.engine.facts import Facts
from reunify.engine.gates import GATES
from reunify.engine.states import CaseStatus
from reunify.engine.states import NotApplicable
from reunify.engine.states import Waiting

__all__ = ["GATES", "CaseStatus", "Evaluation", "Facts", "NotApplicable", "StepState", "Waiting", "evaluate"]
