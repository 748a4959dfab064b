"""Print production on the command line.

`impose`: any PDF into printer spreads for saddle stitch (pamphlet/press/impose.py).
`check`: build an issue and preflight its print master and reader PDF
(pamphlet/press/preflight.py), as a print shop would before a run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import PamphletError
from ..files import write_together
from ..lengths import points
from ..pipeline import build_issue, default_issue_folder, default_series
from ..press.impose import BINDINGS, SHEETS, impose
from ..press.preflight import preflight
from ..report import Reporter, say, warn
from ..settings import Overrides


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `impose` subcommand."""
    sub = commands.add_parser("impose", help="impose a PDF for saddle stitch (printer spreads)")
    sub.add_argument("pdf", type=Path, help="the PDF to impose (any PDF)")
    sub.add_argument(
        "--binding",
        choices=BINDINGS,
        help="binding edge (default: right if the PDF reads right to left, else left)",
    )
    sub.add_argument(
        "--sheet",
        choices=list(SHEETS),
        help="landscape sheet (default: the smallest that holds two pages side by side)",
    )
    sub.add_argument(
        "--creep",
        metavar="LENGTH",
        help="move the innermost sheet's pages this far toward the spine, the others in "
        "proportion (0.5mm, 0.02in; a bare number is points)",
    )
    sub.add_argument("--marks", action="store_true", help="draw crop and fold marks")
    sub.add_argument(
        "-o", "--output", type=Path, help="output file (default: INPUT-imposed.pdf beside it)"
    )
    sub.set_defaults(run=impose_command)
    check = commands.add_parser(
        "check", help="build an issue and preflight its print master and reader PDF"
    )
    check.add_argument(
        "issue", nargs="?", type=Path, help="issue folder (default: the current issue)"
    )
    check.add_argument("-o", "--output", type=Path, help="output folder (default: output/)")
    check.set_defaults(run=check_command)
    return [sub, check]


def check_command(args: argparse.Namespace, reporter: Reporter) -> int:
    """Build the issue, then report what would spoil a print run: errors exit 1, warnings
    alone exit 0 (unless --strict)."""
    folder = args.issue or default_issue_folder(default_series(args.project))
    result = build_issue(folder, Overrides(output=args.output))
    assert result.master is not None  # every build writes its print master
    say(str(result.pdf))
    say(str(result.master))
    errors = 0
    for line in result.overflows:
        warn(f"page {line.page}: a line runs {line.by} pt out of its box: '{line.text[:60]}'")
    for path, role in ((result.master, "master"), (result.pdf, "reader")):
        for finding in preflight(path, role, result.fonts):
            where = f" ({finding.where})" if finding.where else ""
            page = f"page {finding.page}: " if finding.page else ""
            message = f"{page}{finding.what}{where}"
            if finding.level == "error":
                errors += 1
                reporter.error(PamphletError(message, path))
            else:
                warn(message, path)
    verdict = f"{errors} error{'s' if errors != 1 else ''}" if errors else "ready to print"
    reporter.summary(f"checked {result.master.name} and {result.pdf.name}: {verdict}")
    return 1 if errors else 0


def impose_command(args: argparse.Namespace, reporter: Reporter) -> int:
    """Impose one PDF; print the path written and a summary."""
    source: Path = args.pdf
    target: Path = args.output or source.with_name(f"{source.stem}-imposed.pdf")
    creep = _creep(args.creep, source)
    _check_target(source, target)
    result = impose(_read(source), args.binding, args.sheet, creep, args.marks, source)
    write_together({target: result.data})
    say(str(target))
    blanks = f", {result.blanks} blank" if result.blanks else ""
    sheets = f"{result.sheets} {result.sheet} sheet{'s' if result.sheets != 1 else ''}"
    reporter.summary(
        f"wrote {target.name}: {sheets}, {result.pages} pages{blanks}, {result.binding} binding"
    )
    return 0


def _creep(text: str | None, source: Path) -> float:
    """The --creep length in points (0 when not given)."""
    try:
        creep = points(text) if text is not None else 0.0
    except ValueError as err:
        raise PamphletError(f"--creep: {err}", source) from None
    if creep < 0:
        raise PamphletError(f"--creep must not be negative ('{text}')", source)
    return creep


def _check_target(source: Path, target: Path) -> None:
    """Refuse an output that is a folder, or the input itself."""
    if target.is_dir():
        raise PamphletError("is a folder; give the imposed PDF a file name", target)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise PamphletError("the output would replace the input; choose another -o", target)


def _read(source: Path) -> bytes:
    """The input PDF's bytes, or a one-line error."""
    if source.is_dir():
        raise PamphletError("is a folder, not a PDF", source)
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise PamphletError("file not found", source) from None
    except OSError as err:
        raise PamphletError(f"cannot read: {err.strerror or err}", source) from None
