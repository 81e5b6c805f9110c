"""`reunify assessment answer DOMAIN`: the answer to one domain of the Return Home Assessment.

The domains are the workflow's; at a terminal the editor opens with the domain's questions
as comment lines to write against, as `git commit` does, starting from the answer recorded
so far.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Annotated

import typer

from reunify.cli.app import CaseFolder
from reunify.cli.app import Today
from reunify.cli.app import lazy_module
from reunify.cli.app import resolve_today
from reunify.cli.ask import CaseChoices
from reunify.cli.ask import Choice
from reunify.cli.ask import ask
from reunify.cli.ask import ask_text
from reunify.cli.ask import at_terminal
from reunify.cli.plans import TextFile
from reunify.cli.plans import _people
from reunify.cli.plans import _required
from reunify.cli.plans import _text_and_case
from reunify.cli.plans import assessment_app
from reunify.cli.record import Commit
from reunify.cli.record import _case_locked
from reunify.cli.record import _confirm

if TYPE_CHECKING:
    from reunify.practice.edits import assessment
else:
    assessment = lazy_module("reunify.practice.edits.assessment")  # loaded when the command runs


@assessment_app.command("answer")
@_case_locked
def assessment_answer_command(
    domain: Annotated[str | None, typer.Argument(
        help="The domain, by its id in the workflow (e.g. previous_returns; 'reunify workflow show' lists them).",
        show_default=False)] = None,
    text: Annotated[str | None, typer.Argument(
        help="The answer (or --file; at a terminal, without either, the editor opens with the domain's questions).",
        show_default=False)] = None,
    case: CaseFolder = Path("."),
    parent: Annotated[str | None, typer.Option(
        "--parent", help="For a domain answered for each parent: the parent, by id or name.")] = None,
    file: TextFile = None,
    commit: Commit = None,
    today: Today = None,
) -> None:
    """Write the answer to a domain of the assessment (its questions are the workflow's),
    replacing the answer recorded before."""
    day = resolve_today(today)
    text, case = _text_and_case(text, case)
    loaded = CaseChoices(case, day)._loaded

    def domains() -> list[Choice]:
        if loaded is None:
            return []
        return [(key, d.title + (" (each parent)" if d.per_parent else ""))
                for key, d in loaded[1].assessment_domains.items()]

    chosen = _required(ask(domain, "Which domain of the assessment", "DOMAIN", choices=domains)).strip()
    if loaded is None:  # the recording says what is wrong with the records
        definition = None
    else:
        definition = assessment.domain_of(loaded[1], chosen)
    who = parent
    if definition is not None and definition.per_parent and (parent or at_terminal()):
        # In a script without --parent, the recording says why it is needed.
        who = _required(ask(parent, "Which parent (id or name)", "--parent", choices=lambda: _people(case, day)))
    current = None
    if loaded is not None and text is None and file is None:
        person = next((p.id for p in loaded[0].people.people
                       if who and (who.strip() == p.id or who.strip().casefold() == p.name.casefold())), None)
        current = assessment.current_answer(loaded[0], chosen, person if who else None)
    title = definition.title if definition is not None else chosen
    guidance = "\n".join(["The questions:", *(f"  - {q}" for q in definition.questions)]) if definition else ""
    written = _required(ask_text(text, file, f"the answer to '{title}'", "TEXT", "--file", guidance=guidance,
                                 current=current))
    _confirm(assessment.answer_domain(case, chosen, written, today=day, parent=who), case, commit,
             f"assessment answer {chosen}")
