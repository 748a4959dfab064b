"""`build`: an issue folder into its PDF (and, with --html, the HTML that was rendered)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import PamphletError
from ..model.written import bleed_problems
from ..pipeline import build_issue, default_issue_folder, default_series
from ..report import Reporter, say
from ..settings import TRIMS, Overrides


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `build` subcommand."""
    sub = commands.add_parser("build", help="build an issue folder into a PDF")
    sub.add_argument(
        "issue", nargs="?", type=Path, help="issue folder (default: the current issue)"
    )
    sub.add_argument("-o", "--output", type=Path, help="output folder (default: output/)")
    sub.add_argument("--html", action="store_true", help="also write the rendered HTML")
    sub.add_argument("--trim", choices=sorted(TRIMS), help="trim size (default: the series')")
    sub.add_argument(
        "--bleed", metavar="LENGTH", help="bleed of the print master (default: the series')"
    )
    sub.add_argument(
        "--impose", action="store_true", help="also write the master imposed as printer spreads"
    )
    sub.set_defaults(run=build)
    return [sub]


def build(args: argparse.Namespace, reporter: Reporter) -> int:
    """Build one issue; print the paths written and a summary."""
    folder = getattr(args, "issue", None) or default_issue_folder(default_series(args.project))
    bleed = getattr(args, "bleed", None)
    for _, problem in bleed_problems(bleed):
        raise PamphletError(f"--bleed: {problem}")
    cli = Overrides(
        bleed=bleed,
        impose=getattr(args, "impose", False),
        trim=getattr(args, "trim", None),
        output=getattr(args, "output", None),
        write_html=getattr(args, "html", False),
        strict=args.strict,
    )
    result = build_issue(folder, cli)
    for path in (result.pdf, result.master, result.imposed, result.html):
        if path:
            say(str(path))
    reporter.summary(f"wrote {result.pdf.name}: {result.pages} pages ({result.budget.describe()})")
    return 0
