"""Workflow definitions as data: the reference workflow and an authority's own."""

from __future__ import annotations

from reunify.workflow.load import REFERENCE
from reunify.workflow.load import load_workflow
from reunify.workflow.model import Step
from reunify.workflow.model import Workflow

__all__ = ["REFERENCE", "Step", "Workflow", "load_workflow"]
