"""Every command, registered when it is run: only the command being run is imported.

`reunify --help` lists the commands from the table below (name, the module that defines
it, the first sentence of its help), so that listing them imports none of them;
`tests/test_cli_commands.py` holds the table to what the modules register.
"""

from __future__ import annotations

import importlib
import sys
from difflib import get_close_matches
from typing import Any

import typer.main
from typer._click import Command
from typer._click import Context
from typer._click import HelpFormatter
from typer._click.exceptions import UsageError
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from reunify.core import collector

# name: (the modules under reunify.cli that register it, the first sentence of its help). In the order --help
# lists them: the commands, then the groups.
COMMANDS: dict[str, tuple[str, str]] = {
    "anonymise": ("anonymise", "Copy a case for training: names, ids, addresses, contact details and dates changed."),
    "caseload": ("caseload", "Every case under a folder on one screen, what needs attention first at the top."),
    "site": ("site", "The caseload as web pages to open in a browser: the caseload, each case, the outcomes and "
                     "each family."),
    "render": ("documents", "Render the framework's Word documents, pre-filled from the records, each as of its "
                            "day: a signed one as it was signed, the rest as DRAFT with a version."),
    "genogram": ("documents", "Draw the genogram from people.yaml: genogram.png (for Word) and genogram.svg "
                              "(for the screen)."),
    "new": ("record", "Start a case folder with commented skeleton records, readable by you only."),
    "done": ("record", "Record a step as done when its gate passes; otherwise list what is missing."),
    "decide": ("record", "Record a decision (or its ratification), checked against the workflow; with "
                         "--confirm, the manager's confirmation of the risk level in the same command."),
    "classify": ("record", "Record a risk classification, or a manager's confirmation of it; --for-child on its "
                           "own adds or changes what the child is told about one already recorded."),
    "exit": ("record", "Record that the process ended part way, with its reason and date."),
    "chronology": ("routine", "Add an entry to the analytical chronology, kept in date order."),
    "meeting": ("routine", "Record a meeting: its kind, date, who came and what was decided."),
    "visit": ("routine", "Record a visit to the child: announced or not, and whether the child was seen alone."),
    "goal-review": ("routine", "Record a review of one goal of a parental agreement: red, amber or green, "
                               "with evidence."),
    "sdq": ("routine", "Record a Strengths and Difficulties Questionnaire score; its band is shown."),
    "police-check": ("routine", "Record a police check on a household member, relative or regular visitor."),
    "history": ("history", "Who recorded what and when, newest first, from git (the caseload must be in git)."),
    "outcomes": ("monitoring", "Record the outcomes tool completed with the family: every area rated on the "
                               "scale, with a short note; who took part."),
    "court-order": ("monitoring", "Record a court order about the child's contact (in case.yaml `orders:`), shown "
                                  "on the placed-with-parents front sheet."),
    "relationship": ("people", "Record or update a couple, or a close, conflicted or cut-off relationship, for "
                               "the genogram."),
    "trusted-adult": ("care", "Record the child's trusted adult for the reunification."),
    "legal-status": ("care", "Record a change of the child's legal status, kept in date order."),
    "proceedings": ("care", "Record care proceedings about the child: the court and its case number, printed "
                            "on every document (given again, they are corrected)."),
    "placement": ("care", "Record a placement of the child, kept in date order."),
    "return-home": ("care", "Record the child's return home and mark the workflow's return step done."),
    "leave-care": ("care", "Record that the child left care for a reason other than the planned return home."),
    "next": ("read", "The one to three things to do now: who does each, by when, and what is missing."),
    "status": ("read", "Every stage and step with its state, the risk history, key dates and deadlines."),
    "check": ("read", "Every problem in the records as path:line:col: severity: message."),
    "sync": ("sync", "Share the caseload: commit what is recorded, pull (records merged by meaning), check, push."),
    "share": ("sync", "Set up a caseload in git to be shared: records merged by meaning, and its remote."),
    "merge-driver": ("sync", ""),  # hidden: git runs it
    "timeline": ("timeline", "The case's history in date order, and the risk level over time as a chart."),
    "walkthrough": ("walkthrough", "Trainer's mode: a sample case a stage at a time, as it stood on each stage's day."),
    "sample": ("walkthrough", "The bundled fictional sample cases: list them, or copy one to try the tool on."),
    "init": ("workflow", "Start a caseload folder: a commented reunify.yaml profile, a .gitignore, and git."),
    "fidelity": ("workflow", "How far the local workflow departs from the framework, element by element, and why "
                             "it matters."),
    "assessment": ("plans domains", "The Return Home Assessment: parents, the child, housing, finances, school, support "
                            "needs, the conclusion and the manager's sign-off."),
    "agreement": ("agreement", "The parental agreement: each parent's strengths and concerns, the review date "
                               "and signing."),
    "goal": ("agreement", "SMART goals of the parental agreement."),
    "plan": ("plans", "The reunification plan: support, contact, transition, the contingency plan and the "
                      "conversation with the child."),
    "team": ("people", "The case team: add a member, change a role, transfer the work, list the team."),
    "person": ("people", "The people of the child's family and household: add someone, change what is known."),
    "household": ("people", "Households: add one, or add someone to one."),
    "workflow": ("workflow", "The workflow in force: show it, check a local workflow, compare it with the "
                             "reference."),
}
HIDDEN = frozenset({"merge-driver"})


def load_all() -> None:
    """Import every command module (for what needs them all registered on the app)."""
    for modules, _ in COMMANDS.values():
        _load(modules)


def _load(modules: str) -> None:
    for module in modules.split():
        importlib.import_module(f"reunify.cli.{module}")


def _registered(name: str) -> Any:
    """The typer registration of command or group `name`, once its module is imported."""
    from reunify.cli.app import app

    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode)
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(
                group, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode,
                suggest_commands=app.suggest_commands)
    return None


class LazyCommands(TyperGroup):
    """The root group: a command's module is imported when that command is looked up
    (click's lazy group: `list_commands` from the table, `get_command` on demand)."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        modules = COMMANDS[cmd_name][0].split() if cmd_name in COMMANDS else []
        # Built again when a module of it is new (a group whose commands are in two modules).
        if modules and (cmd_name not in self.commands or any(f"reunify.cli.{m}" not in sys.modules for m in modules)):
            _load(" ".join(modules))
            collector.resume()  # start-up's imports are done: freeze them, collect what the command makes
            command = _registered(cmd_name)
            if command is not None:
                self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:  # typer's "Did you mean", from every name, not the loaded ones
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches:
                message = exc.message.split(". Did you mean ")[0].rstrip(".")
                exc.message = f"{message}. Did you mean {', '.join(map(repr, matches))}?"
            raise

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        # Each command's one line from the table, as click would shorten its help.
        rows = [(name, help_line) for name, (_, help_line) in COMMANDS.items() if name not in HIDDEN]
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, make_default_short_help(help_line, limit)) for name, help_line in rows])
