"""`dedications`: this week's yahrzeits, an issue's dedications listed, a dedication added."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from bidi import get_display

from ..dates import format_date, portion_name, week_of, week_problem
from ..dedications import yahrzeits_in_week
from ..editing import Addition, add_dedication, civil_or_hebrew
from ..editor.proof import places_of, proof_paths, proofs, write_proofs
from ..errors import PamphletError
from ..pipeline import (
    default_issue_folder,
    default_series,
    lay_out,
    load_issue,
    load_series_people,
    series_of,
)
from ..render import render_dedications_text
from ..report import Reporter, say
from ..settings import DEFAULTS
from ..typography import hebrew_punctuation

ROLES = ["memorial", "honor", "sponsor", "box"]
RECORD_FLAGS = [
    ("title", "Reb, Mrs., Rabbi & Mrs. …"),
    ("hebrew_given", "the given names in Hebrew"),
    ("hebrew_title", "the title in Hebrew (ר׳, הרב …)"),
    ("hebrew_tribe", "the tribe in Hebrew (הלוי …)"),
    ("hebrew_surname", "the family name in Hebrew"),
    ("hebrew_place", "the place in Hebrew"),
    ("also_known_as", "another name, printed in parentheses"),
    ("tribe", "Halevi, Hakohen …"),
    ("relation", "ben, bas or bat"),
    ("surname", "family name"),
    ("place", "place, after the surname"),
    ("kind", "man, woman, couple, family or women"),
    ("passed", "date of passing: '21 Tamuz 5766' or 2006-07-17"),
    ("passed_as", "the date of passing exactly as printed"),
    ("honorific", "honorific instead of the computed one"),
    ("adar", "died in Adar of a common year: adar1, adar2 or both (a leap year's yahrzeit)"),
]
PARENT_FLAGS = [
    ("title", "the parent's title (Reb, Horav …)"),
    ("tribe", "the parent's tribe (Halevi, Hakohen …)"),
    ("honorific", 'the parent\'s honorific (ה"י, ע"ה …)'),
    ("hebrew_given", "the parent's given names in Hebrew"),
    ("hebrew_title", "the parent's title in Hebrew"),
    ("hebrew_tribe", "the parent's tribe in Hebrew"),
]


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `dedications` subcommands: yahrzeits, list and add."""
    dedications = commands.add_parser("dedications", help="list, add and look up dedications")
    actions = dedications.add_subparsers(dest="action", required=True)
    yahrzeits = actions.add_parser("yahrzeits", help="memorial records whose yahrzeit is this week")
    yahrzeits.add_argument("--week", required=True, help="the Shabbat ending the week (YYYY-MM-DD)")
    yahrzeits.add_argument("--series", type=Path, help="series file (default: content/series.yaml)")
    yahrzeits.add_argument("--logical", action="store_true", help="Hebrew in logical order")
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
    for name, text in PARENT_FLAGS:
        flag = "--parent-" + name.replace("_", "-")
        add.add_argument(flag, dest=f"parent_{name}", help=text)
    add.add_argument("--rabbi", action="store_true", help="the person is a rabbi")
    add.add_argument(
        "--after-sunset",
        action="store_true",
        help="a civil date of passing was after sunset (the Hebrew day had begun)",
    )
    living = add.add_mutually_exclusive_group()
    living.add_argument("--living", dest="living", action="store_true", default=None)
    living.add_argument("--deceased", dest="living", action="store_false")
    add.add_argument("--donor", action="append", default=[], help="memorial box: a donor's key")
    add.add_argument("--heading", help="memorial box: its heading (default: the layout's)")
    for name, text in RECORD_FLAGS:
        add.add_argument("--" + name.replace("_", "-"), dest=name, help=text)
    proof = actions.add_parser("proof", help="the page a person's dedication is printed on")
    proof.add_argument("issue", nargs="?", type=Path, help="issue folder (default: current)")
    proof.add_argument("--person", required=True, help="a record of people.yaml, by its key")
    proof.add_argument("-o", "--output", type=Path, help="output folder (default: output/)")
    yahrzeits.set_defaults(run=_yahrzeits)
    listing.set_defaults(run=_list)
    add.set_defaults(run=_add)
    proof.set_defaults(run=_proof)
    return [dedications, yahrzeits, listing, add, proof]


def _yahrzeits(args: argparse.Namespace, reporter: Reporter) -> int:
    shabbat = _shabbat(args.week)
    series, people, spellings = load_series_people(args.series or default_series(args.project))
    week = week_of(shabbat, israel=(series.schedule or DEFAULTS["schedule"]) == "israel")
    first = shabbat - datetime.timedelta(days=6)
    portion = portion_name(week, spellings, "en") or "festival"
    say(f"Week of {first:%a %d %b} to Shabbat {shabbat:%d %b %Y} ({portion}):")
    found = yahrzeits_in_week(people, shabbat, spellings)
    for y in found:
        hebrew = format_date(y.hebrew, spellings, "en")
        name = " ".join(y.person.given_names) + (f" {y.person.surname}" if y.person.surname else "")
        shown = name if args.logical else _shown(name)
        say(f"  {y.day:%a %Y-%m-%d}  {hebrew:<22} {shown}  [{y.key}]")
    if not found:
        say("  no yahrzeits in the people records this week")
    reporter.summary(f"{len(found)} yahrzeit(s) in the week")
    return 0


def _shabbat(text: str) -> datetime.date:
    """The Shabbat of --week: the date itself, or the Shabbat that ends its week."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise PamphletError(f"--week: '{text}' is not a date (YYYY-MM-DD)") from None
    if problem := week_problem(day):
        raise PamphletError(f"--week: {problem}")
    return day + datetime.timedelta(days=(5 - day.weekday()) % 7)


def _list(args: argparse.Namespace, reporter: Reporter) -> int:
    issue = load_issue(args.issue or default_issue_folder(default_series(args.project)))
    lines = render_dedications_text(issue)
    for line in lines:
        text = hebrew_punctuation(line)
        say(text if args.logical else _shown(text))
    reporter.summary(f"listed the dedications of {issue.folder.name}")
    return 0


def _shown(text: str) -> str:
    """A line with its Hebrew in display order, for a terminal without bidi support."""
    indent = text[: len(text) - len(text.lstrip())]
    return indent + get_display(text.strip())


def _add(args: argparse.Namespace, reporter: Reporter) -> int:
    folder = args.issue or default_issue_folder(default_series(args.project))
    if sys.stdin.isatty() and not (args.role and (args.person or args.given)):
        _prompt(args)
    if not args.role:
        raise PamphletError("say where the dedication goes: --as memorial|honor|sponsor|box")
    series_path = series_of(folder)
    series, people, _ = load_series_people(series_path)
    edit = add_dedication(
        folder, _addition(args), people.path, series_path.parent, lambda: load_issue(folder)
    )
    written = list(edit.texts)
    for path in written:
        say(f"{path}: added {edit.key} ({args.role})")
    reporter.summary(f"added {edit.key} as {args.role} in {len(written)} file(s)")
    return 0


def _proof(args: argparse.Namespace, reporter: Reporter) -> int:
    """A proof for the sponsor: the page (or pages) where the person's dedication is
    printed, as printed, in PDF and PNG; checked before anything is rendered."""
    issue = load_issue(args.issue or default_issue_folder(default_series(args.project)))
    places = places_of(issue, args.person)
    paths = proof_paths(issue.folder, args.person, places, args.output or issue.settings.output)
    found = proofs(issue, lay_out(issue), places)
    for path in write_proofs([p.files for p in found], paths):
        say(str(path))
    pages = " and ".join(f"the {p.place.replace('-', ' ')} (page {p.page})" for p in found)
    reporter.summary(f"wrote the proof of {args.person} in {issue.folder.name}: {pages}")
    return 0


def _addition(args: argparse.Namespace) -> Addition:
    """The dedication the flags describe: a people key, or a new record."""
    if args.person and not args.given:
        return Addition(args.role, args.person, None, tuple(args.donor), args.heading)
    if not args.given:
        raise PamphletError("name a person: --person KEY, or a new record with --given …")
    given = args.given[0] if len(args.given) == 1 else list(args.given)
    record: dict = {"title": args.title, "given": given}
    record.update({name: getattr(args, name) for name, _ in RECORD_FLAGS})
    record = {name: value for name, value in record.items() if value}
    if args.parent:
        parent = {"given": args.parent}
        parent.update({name: getattr(args, f"parent_{name}") for name, _ in PARENT_FLAGS})
        record["parent"] = {k: v for k, v in parent.items() if v}
    if args.rabbi:
        record["rabbi"] = True
    if args.after_sunset:
        record["passed_after_sunset"] = True
    if args.living is not None:
        record["living"] = args.living
    if record.get("passed"):
        record["passed"] = civil_or_hebrew(record["passed"])
    return Addition(args.role, args.key, record, tuple(args.donor), args.heading)


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
            _ask_what_a_memorial_needs(args)


def _ask_what_a_memorial_needs(args: argparse.Namespace) -> None:
    """A memorial names its person by surname or Hebrew name, and has a date of passing."""
    while not (args.surname or args.hebrew_given):
        print("A memorial needs a surname or the Hebrew given names.", file=sys.stderr)
        args.surname = input("Surname: ").strip() or None
        if not args.surname:
            args.hebrew_given = input("Hebrew given names: ").strip() or None
    while not args.passed:
        args.passed = input("Date of passing ('21 Tamuz 5766' or YYYY-MM-DD): ").strip() or None
        if not args.passed:
            print("A memorial needs the date of passing.", file=sys.stderr)
