"""(stub: replaced by its command module)."""

from __future__ import annotations

import argparse


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """No subcommand yet."""
    return []
