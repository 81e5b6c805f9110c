"""What the child is told about a risk classification already recorded.

`reunify classify RC1 --for-child TEXT` (with no new level) adds or changes the
classification's `for_child:`, the words the documents for the child show beside the
workflow's standard wording; nothing else of the classification changes, so a confirmed
classification stays confirmed. Written round-trip and atomically, under the case's lock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reunify.core.errors import FieldError
from reunify.core.errors import Refused
from reunify.core.yamlio import CommentedMap
from reunify.core.yamlio import edit_file
from reunify.engine.facts import Facts
from reunify.practice.recording import Recorded
from reunify.practice.recording import locked
from reunify.practice.recording import one_child
from reunify.practice.recording import open_case
from reunify.practice.recording import text_or_none

FIELD = "for_child"
AFTER = "rationale"  # where the field goes in an entry that lacks it


@locked
def set_for_child(folder: Path, classification_id: str, text: str, *, today: dt.date) -> Recorded:
    one_child(folder, "a risk classification")
    case, workflow = open_case(folder, today)
    said = text_or_none(text)
    if said is None:
        raise FieldError("for_child", " is empty: say what the child is told, in words for them")
    found = Facts(case, workflow, today).classifications.get(classification_id)
    if found is None:
        raise Refused(f"{classification_id} is not recorded yet: record it with `level`, `rationale` and "
                      "`recommended_by` (and `for_child`)")
    had = found[1].for_child is not None
    path, (key, index) = case.source("risk.yaml", ("classifications", found[0]))
    with edit_file(path) as edit:
        entry: CommentedMap = edit.data[key][index]
        if FIELD in entry:
            entry[FIELD] = said
        else:
            keys = list(entry)
            entry.insert(keys.index(AFTER) + 1 if AFTER in keys else len(keys), FIELD, said)
    return Recorded(path, f"{'changed' if had else 'recorded'} what {classification_id} tells the child")
