"""New week: the next issue folder from the calendar, and the series pointed at it.

The rules (`python build.py new --help` says the same):

- The folder is `<portion>-<Hebrew year>` beside the series file, the portion as the series
  spells it in English, lower case, words joined by '-', apostrophes dropped: `shemot-5786`,
  `vaeira-5786`, `vayakhel-pekudei-5786`. When the current issue's folder ends in the
  series' language (`shemot-5786-he`), the new one does too (`vaeira-5786-he`).
- A festival Shabbat reads no weekly portion: no name follows from the calendar, so the
  week is refused with one line (the editor makes that folder by hand, with `portion:`).
- The volume is the current issue's, plus one for each Hebrew year between the two dates
  (a volume per Hebrew year: Vol. 13 all through 5786, Vol. 14 from Rosh Hashanah 5787).
- `issue.yaml` writes the computed portion and Hebrew year, so that a build checks them
  against the date; one placeholder essay; empty dedication lists, with the chosen
  yahrzeits (people records whose yahrzeit falls in that week) as memorials.

Nothing existing is overwritten. `plan_week` only reads (so the editor can be asked about
each yahrzeit without holding a lock); `create_week` takes the content tree's lock (the one
`editing` takes), checks again that the folder is free and that the series still names the
same current issue, and writes the new files with the round-trip edit of series.yaml
(`current_issue`, nothing else touched) together: a failed write leaves no folder.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pyluach import dates as hebrew_dates
from pyluach import hebrewcal
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..dates import Spellings, Week, portion_name, to_hebrew, week_of, week_problem
from ..dedications import Yahrzeit, yahrzeits_in_week
from ..editing import dump_round_trip, round_trip
from ..errors import PamphletError, raise_all
from ..files import folder_lock, write_together
from ..model import FrontMatter, IssueFile
from ..pipeline import load_series_people
from ..placeholders import PLACEHOLDER, PLACEHOLDER_ESSAYS
from ..report import warn
from ..schema import parse, parse_partial
from ..settings import DEFAULTS
from ..sources import load_yaml_file, parse_yaml, read_text

ESSAY = PLACEHOLDER

# issue.yaml of a new week; values are YAML scalars already (see `_scalar`).
ISSUE_TEMPLATE = """\
# {title}, {portion} {year}
series: {series}
date: {date}
portion: {portion_value}
hebrew_year: {year}
volume: {volume}
language: {language}
contents:
  # The week's essay: fill in {essay} (its title and text); add talks or sections here.
  - {essay}
dedications:
  # Names are keys of {people}; a record may also be written here in full.
  memorials: []        # IN LOVING MEMORY OF: the deceased (yahrzeits of the week)
  honoring: []         # AND IN HONOR OF: the living
  sponsors: []         # DEDICATED BY: the sponsors of the issue
  memorial_boxes: []   # framed boxes at the back: {{person: KEY, donors: [KEY, ...]}}
"""


@dataclass(frozen=True)
class NewWeek:
    """The issue a week makes: where it goes, what it says, whose yahrzeit falls in it."""

    series_path: Path
    current: Path  # the current issue's folder, as the series named it
    folder: Path
    week: Week
    portion: str  # as issue.yaml writes it: the series' language and spelling
    volume: int
    yahrzeits: list[Yahrzeit]
    spellings: Spellings
    texts: dict[Path, str]  # the files to write, memorials not yet added

    @property
    def shabbat(self) -> datetime.date:
        """The issue's date."""
        return self.week.shabbat


def coming_shabbat(today: datetime.date) -> datetime.date:
    """The next Saturday after `today` (on a Saturday, the one a week later)."""
    return today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)


def shabbat_problem(day: datetime.date) -> str | None:
    """Why a date cannot be an issue's Shabbat, or None."""
    if problem := week_problem(day):
        return problem
    if day.weekday() != 5:
        shabbat = coming_shabbat(day).isoformat()
        return f"{day.isoformat()} is a {day:%A}, not a Saturday (that week's Shabbat: {shabbat})"
    return None


def folder_slug(week: Week, spellings: Spellings) -> str:
    """The portion(s) as a folder name: 'Va'eira' → vaeira, 'Ki Tisa' → ki-tisa."""
    name = portion_name(week, spellings, "en").lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")


def carry_volume(volume: int, year_then: int, year_now: int) -> int:
    """The current volume, one more for each Hebrew year since (a volume per year)."""
    return volume + year_now - year_then


def plan_week(series_path: Path, shabbat: datetime.date, volume: int | None = None) -> NewWeek:
    """Everything the new week writes, worked out and checked; nothing is written."""
    if problem := shabbat_problem(shabbat):
        raise PamphletError(problem)
    series, people, spellings = load_series_people(series_path)
    schedule = series.schedule or DEFAULTS["schedule"]
    week = week_of(shabbat, israel=schedule == "israel")
    if week.is_festival:
        raise PamphletError(
            f"{shabbat.isoformat()} is {_festival(shabbat, schedule)}, a Shabbat with no weekly "
            "portion to name the folder: make that week's folder by hand (with 'portion:'), "
            "or give --date another Shabbat"
        )
    current = series_path.parent / series.current_issue
    language = series.language or DEFAULTS["language"]
    suffix = f"-{language}" if current.name.endswith(f"-{language}") else ""
    folder = series_path.parent / f"{folder_slug(week, spellings)}-{week.hebrew_year}{suffix}"
    if folder.exists():
        raise PamphletError("already exists: nothing was changed", folder)
    if volume is None:
        volume = _next_volume(current, week)
    if volume < 1:
        raise PamphletError(f"volume {volume}: a volume number is 1 or more (give --volume)")
    portion = portion_name(week, spellings, language)
    found = yahrzeits_in_week(people, shabbat, spellings, language)
    issue = ISSUE_TEMPLATE.format(
        title=" ".join(series.title.split()),
        portion=portion,
        portion_value=_scalar(portion),
        year=week.hebrew_year,
        series=_scalar(_relative(series_path, folder)),
        date=shabbat.isoformat(),
        volume=volume,
        language=language,
        essay=ESSAY,
        people=_relative(people.path, folder),
    )
    essay = PLACEHOLDER_ESSAYS.get(language, PLACEHOLDER_ESSAYS["en"])
    texts = {folder / "issue.yaml": issue, folder / ESSAY: essay}
    return NewWeek(series_path, current, folder, week, portion, volume, found, spellings, texts)


def create_week(new: NewWeek, memorials: Sequence[str] = ()) -> list[Path]:
    """Write a planned week's folder and point the series at it, under the content tree's
    lock; `memorials` are keys of the week's yahrzeits, added to the issue's memorials.
    Returns the files written."""
    unknown = sorted(set(memorials) - {y.key for y in new.yahrzeits})
    if unknown:
        raise PamphletError(f"no yahrzeit of {', '.join(unknown)} in the week of {new.shabbat}")
    with folder_lock(new.series_path.parent, "edit"):
        if new.folder.exists():
            raise PamphletError("already exists: nothing was changed", new.folder)
        texts = dict(new.texts)
        issue_path = new.folder / "issue.yaml"
        texts[issue_path] = _with_memorials(texts[issue_path], issue_path, memorials)
        _check(texts, new.folder)
        texts[new.series_path] = _point_series(new.series_path, new.current, new.folder.name)
        try:
            write_together({path: text.encode("utf-8") for path, text in texts.items()})
        except BaseException:
            shutil.rmtree(new.folder, ignore_errors=True)  # made by this call: none of it stays
            raise
    return list(texts)


def _festival(day: datetime.date, schedule: str) -> str:
    """The festival read on a Shabbat without a portion, by pyluach's name."""
    greg = hebrew_dates.GregorianDate.from_pydate(day)
    name = hebrewcal.festival(greg, israel=schedule == "israel", include_working_days=True)
    return name or "a festival"


def _next_volume(current: Path, week: Week) -> int:
    """The current issue's volume carried on to the new week's Hebrew year."""
    issue_path = current / "issue.yaml"
    try:
        raw = load_yaml_file(issue_path)
    except PamphletError as err:
        raise PamphletError(
            f"{err.message}: the current issue's volume cannot be carried on (give --volume)",
            err.path,
            err.line,
        ) from None
    record, _ = parse_partial(IssueFile, raw, issue_path) if isinstance(raw, dict) else (None, [])
    if record is None or record.volume is None or record.date is None:
        raise PamphletError(
            "the current issue has no readable date and volume to carry on (give --volume)",
            issue_path,
        )
    if record.date >= week.shabbat:
        warn(
            f"{week.shabbat.isoformat()} is not after the current issue's date "
            f"({record.date.isoformat()})",
            issue_path,
        )
    return carry_volume(record.volume, to_hebrew(record.date).year, week.hebrew_year)


def _relative(path: Path, folder: Path) -> str:
    """A file as the issue names it: relative to the issue folder, with '/'."""
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _scalar(value: str) -> str:
    """A text as a YAML value: plain when it reads back as itself, else double-quoted."""
    plain = " ".join(value.split())
    try:
        if plain == value and yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _with_memorials(text: str, path: Path, keys: Sequence[str]) -> str:
    """The issue's text with these people keys at the end of `dedications.memorials`."""
    if not keys:
        return text
    data, writer = round_trip(text, path)
    memorials = data["dedications"]["memorials"]
    assert isinstance(memorials, CommentedSeq)
    memorials.extend(keys)
    memorials.fa.set_block_style()
    return dump_round_trip(data, writer)


def _point_series(series_path: Path, current: Path, name: str) -> str:
    """series.yaml with `current_issue: NAME`, everything else as written; refused if the
    series moved on from `current` since the week was planned."""
    data, writer = round_trip(read_text(series_path), series_path)
    if not isinstance(data, CommentedMap):
        raise PamphletError("expected a mapping of 'field: value' lines", series_path, 1)
    now = data.get("current_issue")
    if series_path.parent / str(now) != current:
        raise PamphletError(
            f"current_issue changed meanwhile (now '{now}'): nothing was changed, run again",
            series_path,
        )
    data["current_issue"] = name
    return dump_round_trip(data, writer)


def _check(texts: dict[Path, str], folder: Path) -> None:
    """The new issue.yaml and essay read as the build will read them (a bug otherwise)."""
    errors = []
    issue_path = folder / "issue.yaml"
    _, problems = parse(IssueFile, parse_yaml(texts[issue_path], issue_path), issue_path)
    errors += problems
    essay = texts[folder / ESSAY].split("---\n", 2)[1]
    _, problems = parse(FrontMatter, parse_yaml(essay, folder / ESSAY, 1), folder / ESSAY)
    errors += problems
    raise_all(errors)
