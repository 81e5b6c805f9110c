"""The engine's state as values to branch on: why a step waits, why it does not apply,
and where the case stands. The words shown beside them stay in `StepState.waiting_on`,
`StepState.reason` and `Evaluation.status`; code asks these, never the words."""

from __future__ import annotations

from enum import StrEnum


class Waiting(StrEnum):
    """Why a step cannot be recorded yet (one for each of `StepState.waiting_on`)."""

    STEP = "step"  # a step before it is not done
    NOT_BEFORE = "not_before"  # its earliest day has not come
    FACT = "fact"  # its condition needs a fact not recorded yet
    NOT_YET = "not_yet"  # its `ready_when` does not hold yet


class NotApplicable(StrEnum):
    """Why a step does not apply to the case."""

    ENDED = "ended"  # the case ended part way, or a decision ended the episode
    PATH = "path"  # only on a path the case is not on (or only after such steps)
    CONDITION = "condition"  # its `when` does not hold
    REENTRY = "reentry"  # only when the return breaks down


class CaseStatus(StrEnum):
    """Where the case stands as a whole."""

    IN_PROGRESS = "in_progress"
    ENDED = "ended"  # ended part way, its final steps not all done
    CLOSED = "closed"  # every final step done (whether or not it ended part way)
