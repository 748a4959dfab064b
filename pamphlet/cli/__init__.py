"""Command line: the only place that prints. One module per command group, one reporter.

Each problem is one line on stderr and the exit status is 1; a traceback only with
`--verbose`. Paths of what was written go to stdout, everything else to stderr.
"""

from __future__ import annotations

import os
import signal
import threading


def _interrupted_while_starting(signum: int, frame: object) -> None:
    """Ctrl-C before the command has started: one line, exit 130, nothing written."""
    os.write(2, b"interrupted; nothing was written\n")
    os._exit(130)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, _interrupted_while_starting)

import argparse  # noqa: E402  (after the handler: Ctrl-C during imports is handled)
import sys  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from .. import __version__  # noqa: E402
from ..errors import PamphletError  # noqa: E402
from ..report import Reporter  # noqa: E402
from . import batch, build, dedications, deliver, editor, press  # noqa: E402

Command = Callable[[argparse.Namespace, Reporter], int]


def parser() -> argparse.ArgumentParser:
    """The whole command line: global options and one subcommand per task."""
    top = argparse.ArgumentParser(
        prog="pamphlet", description="Build the weekly pamphlet (default: this week's issue)."
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _common(top, False)
    commands = top.add_subparsers(dest="command")
    for group in (build, dedications, press, batch, deliver, editor):
        for sub in group.add_parsers(commands):
            _common(sub, argparse.SUPPRESS)
    return top


def _common(parser: argparse.ArgumentParser, default: bool | str) -> None:
    """Options every command takes, before or after its name (a subcommand's default is
    SUPPRESS, so that the option given before the name is kept)."""
    for flag, text in (
        ("--verbose", "show details, and tracebacks on errors"),
        ("--quiet", "print only the paths written and errors"),
        ("--strict", "treat warnings as errors"),
    ):
        parser.add_argument(flag, action="store_true", default=default, help=text)


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    """Run the command line on `argv`; return the exit status. `project` is the folder
    whose `content/series.yaml` is the default series (default: the current folder)."""
    reporter: Reporter | None = None
    verbose = False
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt below
    try:
        try:
            args = parser().parse_args(argv)
        except SystemExit as done:  # --help, --version, or a usage error (already printed)
            return int(done.code or 0)
        args.project = project or Path.cwd()
        verbose = args.verbose
        with Reporter(sys.stderr, quiet=args.quiet, verbose=verbose) as reporter:
            command: Command = getattr(args, "run", build.build)
            status = command(args, reporter)
            if status == 0 and args.strict and reporter.warnings:
                raise PamphletError(f"{reporter.warnings} warning(s) and --strict")
            return status
    except PamphletError as err:
        (reporter or Reporter(sys.stderr)).error(err)
        if verbose:
            traceback.print_exc()
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (head, less) went away: end quietly, and let nothing more be written
        # to the closed pipe when Python flushes stdout on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run() -> None:
    """Console-script entry point (`pamphlet`)."""
    sys.exit(main())
