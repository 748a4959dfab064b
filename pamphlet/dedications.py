"""Dedications stage: people records looked up, checked, and completed for the layouts.

A dedication names a record of the series' people file (`people.yaml`) or gives one
inline. Completing a record fills in what follows from who the person is: living or
deceased (from the date of passing, else from where the record is used), the Hebrew
honorific, and the date of passing in the publication's spelling (see
docs/hebrew-conventions.md). Anything written explicitly in the record wins.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyluach import dates as hebrew_dates

from .dates import (
    PASSING_YEARS,
    DateError,
    Spellings,
    format_date,
    parse_hebrew_date,
    to_hebrew,
    yahrzeit_in_week,
)
from .errors import PamphletError
from .model import Dedications, Person
from .schema import Origin, origin_of, parse, replace
from .sources import YamlMap, load_yaml_file

# The honorific that follows a name, by (living, rabbi, who): docs/hebrew-conventions.md.
HONORIFICS = {
    (False, True): 'זצ"ל',
    (False, False): 'ע"ה',
    (True, True): 'שליט"א',
}
LIVING_HONORIFICS = {
    "man": "שיחי'",
    "woman": "שתחי'",
    "couple": "שיחיו",
    "family": "שיחיו",
    "women": "תחיינה",
}
# Where a record is used says whether it names the living or the deceased.
DECEASED_ROLES = {"memorials", "memorial box"}


@dataclass(frozen=True)
class People:
    """The series' people records by name, and the file they come from."""

    path: Path
    records: dict[str, Person]
    lines: dict[str, int]
    broken: frozenset[str] = frozenset()  # records with problems already reported
    readable: bool = True  # False: the file itself could not be read (already reported)


def load_people(path: Path, spellings: Spellings) -> tuple[People, list[PamphletError]]:
    """Read and check the people file (none is fine: no records)."""
    if not path.is_file():
        return People(path, {}, {}), []
    raw = load_yaml_file(path)
    if raw is None:
        return People(path, {}, {}), []
    if not isinstance(raw, YamlMap):
        return People(path, {}, {}), [PamphletError("expected 'name: record' entries", path, 1)]
    records, lines, errors = {}, {}, []
    for name, value in raw.items():
        line = raw.key_lines.get(name, raw.line)
        person, problems = parse(Person, value, path, line)
        errors.extend(problems)
        date_errors = _date_problems(person, spellings) if person else []
        errors.extend(date_errors)
        if person and not date_errors:
            records[str(name)], lines[str(name)] = person, line
    broken = frozenset(str(name) for name in raw if str(name) not in records)
    return People(path, records, lines, broken), errors


def passed_date(person: Person, spellings: Spellings) -> hebrew_dates.HebrewDate | None:
    """The Hebrew date of passing, from a Hebrew or a civil date (None if not given)."""
    if person.passed is None:
        return None
    if isinstance(person.passed, str):
        day = parse_hebrew_date(person.passed, spellings)
    else:
        day = to_hebrew(person.passed)
        day = day + 1 if person.passed_after_sunset else day
    low, high = PASSING_YEARS
    if not low <= day.year <= high:
        raise DateError(f"Hebrew year {day.year} is outside {low}–{high}: check the year")
    return day


def _date_problems(person: Person, spellings: Spellings) -> list[PamphletError]:
    try:
        passed_date(person, spellings)
    except DateError as err:
        where = person.origin
        return [PamphletError(f"date of passing: {err}", where.path, where.line_of("passed"))]
    return []


def resolve(
    dedications: Dedications, people: People, spellings: Spellings, language: str
) -> tuple[Dedications, list[PamphletError]]:
    """Every dedication as a complete Person record; problems with their file and line."""
    errors: list[PamphletError] = []
    where = dedications.origin

    def one(entry: str | Person, at: Origin, line: int | None, role: str) -> Person | None:
        person = _look_up(entry, people, at.path, line, errors)
        if person is None:
            return None
        if not isinstance(entry, str):
            date_errors = _date_problems(person, spellings)
            if date_errors:
                errors.extend(date_errors)
                return None
        problem = _role_problem(person, role)
        if problem:
            named = f" ('{entry}' in {people.path.name})" if isinstance(entry, str) else ""
            errors.append(PamphletError(f"{_name(person)}{named} {problem}", at.path, line))
            return None
        if language == "he" and (missing := in_hebrew(person)[1]):
            named = f"'{entry}' in {people.path.name}" if isinstance(entry, str) else "this record"
            errors.append(
                PamphletError(
                    f"{_name(person)} ({named}) has no {', '.join(missing)}: a Hebrew issue "
                    "prints every name in Hebrew",
                    at.path,
                    line,
                )
            )
            return None
        return complete(person, role in DECEASED_ROLES, spellings, language)

    def many(holder: object, key: str, entries: list, role: str) -> list[Person]:
        at = origin_of(holder)
        found = [one(e, at, at.item_line(key, i), role) for i, e in enumerate(entries or [])]
        return [p for p in found if p]

    memorials = many(dedications, "memorials", dedications.memorials, "memorials")
    honoring = many(dedications, "honoring", dedications.honoring, "honoring")
    sponsors = many(dedications, "sponsors", dedications.sponsors, "sponsors")
    boxes = []
    for index, box in enumerate(dedications.memorial_boxes or []):
        if box is None:
            continue
        at = origin_of(box)
        line = at.line_of("person") if at.path else where.item_line("memorial_boxes", index)
        person = one(box.person, at if at.path else where, line, "memorial box")
        donors = many(box, "donors", box.donors, "donors")
        if not box.donors and not box.dedicated_by:
            errors.append(
                PamphletError(
                    "a memorial box names who dedicated it: add 'donors: [...]' (or write "
                    "the whole line as 'dedicated_by:')",
                    at.path or where.path,
                    line,
                )
            )
            continue
        if person:
            boxes.append(replace(box, person=person, donors=donors))
    resolved = replace(dedications, memorials=memorials, honoring=honoring, sponsors=sponsors)
    return replace(resolved, memorial_boxes=boxes), errors


def _look_up(
    entry: str | Person | None, people: People, path: Path | None, line: int | None, errors: list
) -> Person | None:
    if entry is None:
        return None
    if isinstance(entry, Person):
        return entry
    if entry in people.records:
        return people.records[entry]
    if entry in people.broken or not people.readable:
        return None
    close = difflib.get_close_matches(entry, list(people.records), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    errors.append(
        PamphletError(f"unknown person '{entry}': not in {people.path.name}{hint}", path, line)
    )
    return None


def _role_problem(person: Person, role: str) -> str | None:
    deceased = person.living is False or person.passed is not None or person.passed_as
    if role in DECEASED_ROLES and person.living:
        return f"is marked living but is named in {role}"
    if role not in DECEASED_ROLES and deceased:
        return f"has a date of passing but is named in {role} (for the living)"
    return None


def _name(person: Person) -> str:
    """A record's name for messages: given names and surname."""
    return " ".join(
        [" and ".join(person.given_names)] + ([person.surname] if person.surname else [])
    )


def complete(person: Person, deceased_role: bool, spellings: Spellings, language: str) -> Person:
    """Fill in living, the honorific and the printed date of passing; in a Hebrew issue,
    put the record's Hebrew forms in place of the English (see `in_hebrew`)."""
    living = person.living
    if living is None:
        living = not (deceased_role or person.passed is not None or person.passed_as)
    honorific = person.honorific or honorific_for(person, living)
    passed_as = person.passed_as
    if passed_as is None and person.passed is not None:
        passed_as = format_date(passed_date(person, spellings), spellings, language)
    done = replace(person, living=living, honorific=honorific, passed_as=passed_as)
    return in_hebrew(done)[0] if language == "he" else done


# What a Hebrew issue prints in place of each English field of a record.
HEBREW_FORMS = {"given": "hebrew_given", "title": "hebrew_title", "tribe": "hebrew_tribe",
                "surname": "hebrew_surname", "place": "hebrew_place"}  # fmt: skip


def in_hebrew(person: Person) -> tuple[Person, list[str]]:
    """The record as a Hebrew issue prints it, and the Hebrew fields it lacks: a field
    written in Hebrew letters stands as it is; one in Latin letters needs its Hebrew
    form (`hebrew_surname` …). An English also-known-as is left out."""
    missing: list[str] = []
    changes: dict[str, Any] = {"also_known_as": None}
    for field, hebrew_field in HEBREW_FORMS.items():
        value, hebrew = getattr(person, field), getattr(person, hebrew_field)
        if hebrew:
            changes[field] = hebrew
        elif value and not _written_in_hebrew(value):
            missing.append(hebrew_field)
    if person.parent:
        parent_changes: dict[str, Any] = {}
        for field in ("given", "title", "tribe"):
            value, hebrew = getattr(person.parent, field), getattr(person.parent, f"hebrew_{field}")
            if hebrew:
                parent_changes[field] = hebrew
            elif value and not _written_in_hebrew(value):
                missing.append(f"parent.hebrew_{field}")
        changes["parent"] = replace(person.parent, **parent_changes)
    return replace(person, **changes), missing


def _written_in_hebrew(value: str | list[str]) -> bool:
    texts = [value] if isinstance(value, str) else value
    return all(any("\u05d0" <= c <= "\u05ea" for c in text) for text in texts)


def honorific_for(person: Person, living: bool) -> str:
    """The honorific that follows from who the person is (docs/hebrew-conventions.md)."""
    if (living, person.rabbi) in HONORIFICS:
        return HONORIFICS[(living, person.rabbi)]
    if not living:
        return HONORIFICS[(False, False)]
    return LIVING_HONORIFICS[person.who]


@dataclass(frozen=True)
class Yahrzeit:
    """A memorial record whose yahrzeit falls in a given week."""

    key: str
    person: Person
    day: datetime.date
    hebrew: hebrew_dates.HebrewDate


def yahrzeits_in_week(
    people: People, shabbat: datetime.date, spellings: Spellings, language: str = "en"
) -> list[Yahrzeit]:
    """The people records whose yahrzeit is in the week ending on `shabbat`, by day."""
    found = []
    for key, person in people.records.items():
        death = passed_date(person, spellings)
        if death is None or person.living:
            continue
        day = yahrzeit_in_week(death, shabbat, person.adar or "adar1")
        if day:
            shown = complete(person, True, spellings, language)
            found.append(Yahrzeit(key, shown, day, to_hebrew(day)))
    return sorted(found, key=lambda y: (y.day, y.key))
