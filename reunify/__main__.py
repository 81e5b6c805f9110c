"""The `reunify` command (the installed script, and `python -m reunify`).

The collector is paused before anything is imported: start-up's objects are then frozen
out of its way once the command is loaded (`reunify.core.collector`).
"""


def run() -> None:
    from reunify.core import collector

    collector.pause()
    from reunify.cli import run as run_command_line

    run_command_line()


if __name__ == "__main__":
    run()
