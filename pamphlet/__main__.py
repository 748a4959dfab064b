"""`python -m pamphlet`: the same command line as `pamphlet` and `python build.py`."""

from .cli import run

run()
