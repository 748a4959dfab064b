"""Command line: the only module that prints. Errors are one line each, exit status 1."""

from __future__ import annotations

import argparse
import datetime
import sys
import traceback
from pathlib import Path

from bidi import get_display

from .dates import format_date, portion_name, week_of
from .dedications import yahrzeits_in_week
from .editing import Addition, check_and_write, plan
from .errors import PamphletError
from .pipeline import (
    DEFAULT_SERIES,
    ENGINE_ROOT,
    LAYOUTS,
    build_issue,
    default_issue_folder,
    load_issue,
    load_series_people,
    series_of,
)
from .render import render_dedications_text
from .typography import hebrew_punctuation

ROLES = ["memorial", "honor", "sponsor", "box"]
RECORD_FLAGS = [
    ("title", "Reb, Mrs., Rabbi & Mrs. …"),
    ("hebrew_given", "the given names in Hebrew"),
    ("also_known_as", "another name, printed in parentheses"),
    ("tribe", "Halevi, Hakohen …"),
    ("relation", "ben, bas or bat"),
    ("surname", "family name"),
    ("place", "place, after the surname"),
    ("kind", "man, woman, couple, family or women"),
    ("passed", "date of passing: '21 Tamuz 5766' or 2006-07-17"),
    ("passed_as", "the date of passing exactly as printed"),
    ("honorific", "honorific instead of the computed one"),
]


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
    _dedications_parser(commands)
    return parser


def _dedications_parser(commands: argparse._SubParsersAction) -> None:
    dedications = commands.add_parser("dedications", help="list, add and look up dedications")
    actions = dedications.add_subparsers(dest="action", required=True)
    yahrzeits = actions.add_parser("yahrzeits", help="memorial records whose yahrzeit is this week")
    yahrzeits.add_argument("--week", required=True, help="the Shabbat ending the week (YYYY-MM-DD)")
    yahrzeits.add_argument("--series", type=Path, default=DEFAULT_SERIES, help="series file")
    listing = actions.add_parser("list", help="show an issue's dedications")
    listing.add_argument("issue", nargs="?", type=Path, help="issue folder (default: current)")
    listing.add_argument("--logical", action="store_true", help="Hebrew in logical order")
    add = actions.add_parser("add", help="add a memorial, an honour, a sponsor or a memorial box")
    add.add_argument("issue", nargs="?", type=Path, help="issue folder (default: current)")
    add.add_argument("--as", dest="role", choices=ROLES, help="where the dedication goes")
    add.add_argument("--person", help="a record of people.yaml, by its key")
    add.add_argument("--key", help="the key to file a new record under (default: from the names)")
    add.add_argument("--given", action="append", help="given names (twice for a couple)")
    add.add_argument("--parent", help="the parent's given names")
    add.add_argument("--parent-title", help="the parent's title (Reb, Horav …)")
    add.add_argument("--rabbi", action="store_true", help="the person is a rabbi")
    add.add_argument("--donor", action="append", default=[], help="memorial box: a donor's key")
    for name, text in RECORD_FLAGS:
        add.add_argument("--" + name.replace("_", "-"), dest=name, help=text)
    for sub in (yahrzeits, listing, add):
        sub.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    try:
        if args.command == "dedications":
            return {"yahrzeits": _yahrzeits, "list": _list, "add": _add}[args.action](args)
        return _build(args)
    except PamphletError as err:
        for line in str(err).splitlines():
            print(f"error: {line}", file=sys.stderr)
        if verbose:
            traceback.print_exc()
        return 1
    except (KeyboardInterrupt, EOFError):
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


def _yahrzeits(args: argparse.Namespace) -> int:
    shabbat = _shabbat(args.week)
    series, people, spellings = load_series_people(args.series)
    week = week_of(shabbat, israel=series.schedule == "israel")
    first = shabbat - datetime.timedelta(days=6)
    portion = portion_name(week, spellings, "en") or "festival"
    print(f"Week of {first:%a %d %b} to Shabbat {shabbat:%d %b %Y} ({portion}):")
    found = yahrzeits_in_week(people, shabbat, spellings)
    for y in found:
        hebrew = format_date(y.hebrew, spellings, "en")
        name = " ".join(y.person.given_names) + (f" {y.person.surname}" if y.person.surname else "")
        print(f"  {y.day:%a %Y-%m-%d}  {hebrew:<22} {_shown(name)}  [{y.key}]")
    if not found:
        print("  no yahrzeits in the people records this week")
    return 0


def _shabbat(text: str) -> datetime.date:
    """The Shabbat of --week: the date itself, or the Shabbat that ends its week."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise PamphletError(f"--week: '{text}' is not a date (YYYY-MM-DD)") from None
    return day + datetime.timedelta(days=(5 - day.weekday()) % 7)


def _list(args: argparse.Namespace) -> int:
    issue = load_issue(args.issue or default_issue_folder())
    for line in render_dedications_text(issue, LAYOUTS):
        text = hebrew_punctuation(line)
        print(text if args.logical else _shown(text))
    return 0


def _shown(text: str) -> str:
    """A line with its Hebrew in display order, for a terminal without bidi support."""
    indent = text[: len(text) - len(text.lstrip())]
    return indent + get_display(text.strip())


def _add(args: argparse.Namespace) -> int:
    folder = args.issue or default_issue_folder()
    if sys.stdin.isatty() and not (args.role and (args.person or args.given)):
        _prompt(args)
    if not args.role:
        raise PamphletError("say where the dedication goes: --as memorial|honor|sponsor|box")
    series_path = series_of(folder)
    series, _, _ = load_series_people(series_path)
    people_path = series_path.parent / series.people
    edit = plan(folder, _addition(args), people_path)
    root = series_path.parent
    written = check_and_write(
        edit, root, lambda copy: load_issue(copy / folder.resolve().relative_to(root))
    )
    for path in written:
        print(f"{path}: added {edit.key} ({args.role})")
    return 0


def _addition(args: argparse.Namespace) -> Addition:
    """The dedication the flags describe: a people key, or a new record."""
    if args.person and not args.given:
        return Addition(args.role, args.person, None, tuple(args.donor))
    if not args.given:
        raise PamphletError("name a person: --person KEY, or a new record with --given …")
    given = args.given[0] if len(args.given) == 1 else list(args.given)
    record: dict = {"title": args.title, "given": given}
    record.update({name: getattr(args, name) for name, _ in RECORD_FLAGS})
    record = {name: value for name, value in record.items() if value}
    if args.parent:
        record["parent"] = {"title": args.parent_title, "given": args.parent}
        record["parent"] = {k: v for k, v in record["parent"].items() if v}
    if args.rabbi:
        record["rabbi"] = True
    if record.get("passed"):
        record["passed"] = _civil_or_hebrew(record["passed"])
    return Addition(args.role, args.key, record, tuple(args.donor))


def _civil_or_hebrew(text: str) -> str | datetime.date:
    """A civil date (YYYY-MM-DD) as a date, anything else as the Hebrew date it names."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return text


def _prompt(args: argparse.Namespace) -> None:
    """Ask on the terminal for what the flags did not say."""
    while args.role not in ROLES:
        args.role = input(f"Add as ({'/'.join(ROLES)}): ").strip()
    if not args.person and not args.given:
        args.person = (
            input("Person's key in people.yaml (empty for a new record): ").strip() or None
        )
    if not args.person:
        args.title = args.title or input("Title (Reb, Mrs. …): ").strip() or None
        args.given = [input("Given names: ").strip()]
        args.relation = args.relation or input("ben/bas (empty if none): ").strip() or None
        if args.relation:
            args.parent = args.parent or input("Parent's given names: ").strip() or None
        args.surname = args.surname or input("Surname: ").strip() or None
        if args.role in ("memorial", "box"):
            args.passed = (
                args.passed
                or input("Date of passing ('21 Tamuz 5766' or YYYY-MM-DD): ").strip()
                or None
            )


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)
