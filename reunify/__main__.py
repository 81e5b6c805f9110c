"""`python -m reunify` runs the command line."""

from reunify.cli import run

run()
