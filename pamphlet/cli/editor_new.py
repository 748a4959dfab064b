"""`new`: the next issue folder from the calendar, with the week's yahrzeits offered."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from bidi import get_display

from ..dates import format_date
from ..dedications import Yahrzeit
from ..editor.new_week import NewWeek, coming_shabbat, create_week, plan_week, shabbat_problem
from ..errors import PamphletError
from ..pipeline import default_series
from ..report import Reporter, say

DESCRIPTION = """\
Make the next issue's folder beside the series file, and make it the current issue.
The folder is named <portion>-<Hebrew year> (shemot-5786, vayakhel-pekudei-5786); a
festival Shabbat, which reads no weekly portion, is refused (make that folder by hand).
The volume is the current issue's, one more for each new Hebrew year. issue.yaml gets
the date, portion and Hebrew year, a placeholder essay (essays/essay.md) and empty
dedication lists; the people whose yahrzeit falls in that week are offered as memorials.
Nothing existing is overwritten."""


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `new` subcommand."""
    new = commands.add_parser(
        "new", help="make the next issue folder from the calendar", description=DESCRIPTION
    )
    new.add_argument(
        "--date",
        help="the issue's Shabbat, a Saturday (YYYY-MM-DD); default: the next Saturday after "
        "today (run on a Saturday, the Saturday a week later)",
    )
    new.add_argument("--series", type=Path, help="series file (default: content/series.yaml)")
    new.add_argument(
        "--volume",
        type=int,
        help="the volume number (default: the current issue's, +1 when the Hebrew year changes)",
    )
    choice = new.add_mutually_exclusive_group()
    choice.add_argument(
        "--add-yahrzeits",
        dest="yahrzeits",
        action="store_const",
        const="all",
        help="add every yahrzeit of the week as a memorial, without asking",
    )
    choice.add_argument(
        "--no-yahrzeits",
        dest="yahrzeits",
        action="store_const",
        const="none",
        help="add none (default when not on a terminal; on a terminal each is asked, y/N)",
    )
    new.add_argument("--today", help=argparse.SUPPRESS)  # tests: a fixed "today"
    new.set_defaults(run=_new)
    return [new]


def _new(args: argparse.Namespace, reporter: Reporter) -> int:
    series_path = args.series or default_series(args.project)
    new = plan_week(series_path, _shabbat(args), args.volume)
    _list(new, reporter)
    chosen = _choose(new, args.yahrzeits, reporter)
    for path in create_week(new, chosen):
        say(str(path))
    count = len(new.yahrzeits)
    reporter.summary(
        f"new issue {new.folder.name} ({new.shabbat.isoformat()}, Vol. {new.volume}): "
        f"{count} yahrzeit{'' if count == 1 else 's'} that week, {len(chosen)} added"
    )
    return 0


def _date(text: str, flag: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PamphletError(f"{flag}: '{text}' is not a date (YYYY-MM-DD)") from None


def _shabbat(args: argparse.Namespace) -> datetime.date:
    """The issue's Shabbat: --date (a Saturday), or the one coming after today."""
    if args.date is None:
        today = _date(args.today, "--today") if args.today else datetime.date.today()
        return coming_shabbat(today)
    day = _date(args.date, "--date")
    if problem := shabbat_problem(day):
        raise PamphletError(f"--date: {problem}")
    return day


def _list(new: NewWeek, reporter: Reporter) -> None:
    """The week's yahrzeits, one line each (on stderr: stdout has the paths written)."""
    if reporter.quiet:
        return
    first = new.shabbat - datetime.timedelta(days=6)
    reporter.line(f"Yahrzeits in the week of {first:%a %d %b} to Shabbat {new.shabbat:%d %b %Y}:")
    for y in new.yahrzeits:
        reporter.line(f"  {y.day:%a %Y-%m-%d}  {_hebrew(new, y):<22} {_name(y)}  [{y.key}]")
    if not new.yahrzeits:
        reporter.line("  none in the people records")


def _choose(new: NewWeek, flag: str | None, reporter: Reporter) -> list[str]:
    """The yahrzeits to add: all, none, or those the editor says yes to on a terminal."""
    if flag == "all" or not new.yahrzeits:
        return [y.key for y in new.yahrzeits]
    if flag == "none":
        return []
    if not sys.stdin.isatty():
        if not reporter.quiet:
            reporter.line("not a terminal: no yahrzeit added (--add-yahrzeits adds them all)")
        return []
    return [y.key for y in new.yahrzeits if _ask(f"Add {_name(y)} [{y.key}] as a memorial?")]


def _ask(question: str) -> bool:
    """A y/N question on the terminal (the prompt on stderr; no answer is no)."""
    sys.stderr.write(f"{question} (y/N) ")
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _hebrew(new: NewWeek, y: Yahrzeit) -> str:
    return format_date(y.hebrew, new.spellings, "en")


def _name(y: Yahrzeit) -> str:
    """The person's names, Hebrew in display order for a terminal without bidi."""
    name = " ".join(y.person.given_names) + (f" {y.person.surname}" if y.person.surname else "")
    return get_display(name)
