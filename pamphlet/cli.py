"""Command line: the only module that prints. Errors are one line each, exit status 1."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .errors import PamphletError
from .pipeline import ENGINE_ROOT, build_issue, default_issue_folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the weekly pamphlet (default: this week's issue)."
    )
    parser.add_argument("--verbose", action="store_true", help="show tracebacks and details")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="build an issue folder into a PDF")
    build.add_argument(
        "issue", nargs="?", type=Path, help="issue folder (default: the current issue)"
    )
    build.add_argument("-o", "--output", type=Path, help="output folder (default: output/)")
    build.add_argument("--html", action="store_true", help="also write the rendered HTML")
    build.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    try:
        return _build(args)
    except PamphletError as err:
        for line in str(err).splitlines():
            print(f"error: {line}", file=sys.stderr)
        if verbose:
            traceback.print_exc()
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def _build(args: argparse.Namespace) -> int:
    folder = getattr(args, "issue", None) or default_issue_folder()
    out_dir = getattr(args, "output", None) or ENGINE_ROOT / "output"
    result = build_issue(folder, out_dir, write_html=getattr(args, "html", False), warn=_warn)
    print(result.pdf)
    if result.html:
        print(result.html)
    return 0


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
