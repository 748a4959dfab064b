"""The editor's desk on the command line: `new`, `import`, `serve` (one module each)."""

from __future__ import annotations

import argparse

from . import editor_import, editor_new, editor_serve


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The desk's subcommands."""
    return [
        *editor_new.add_parsers(commands),
        *editor_import.add_parsers(commands),
        *editor_serve.add_parsers(commands),
    ]
