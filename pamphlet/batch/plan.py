"""Plan a batch: every edition checked before the first render, and what each is built from.

An edition's input hash covers everything its files are made from: the engine's version,
every file of the issue folder, the series and people files, the fillers, the layouts and
the fonts, and the edition's own record. The same hash means the same files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import InputErrors, PamphletError, raise_all
from ..model import Edition, Issue
from ..pipeline import load_edition, load_issue, people_of
from ..settings import Overrides
from .editions import default_editions, read_editions


@dataclass(frozen=True)
class Shard:
    """Slice K of N of the editions (1-based), for spreading a batch over machines."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """'2/4' → the second of four slices; ValueError otherwise."""
        index, _, count = text.partition("/")
        shard = cls(int(index), int(count))
        if not 1 <= shard.index <= shard.count:
            raise ValueError(f"shard '{text}' must be K/N with 1 <= K <= N")
        return shard

    def holds(self, position: int) -> bool:
        """Whether the edition at `position` (0-based, in id order) is in this slice."""
        return position % self.count == self.index - 1

    @property
    def suffix(self) -> str:
        """The slice's manifest name part: '-2-of-4'."""
        return f"-{self.index}-of-{self.count}"


@dataclass(frozen=True)
class Planned:
    """One edition to build: its record, its checked issue, and the hash of its inputs."""

    edition: Edition
    issue: Issue
    input_hash: str


@dataclass(frozen=True)
class Plan:
    """A checked batch: the week, its editions file and the editions of this run."""

    issue: Issue
    editions_path: Path
    editions: list[Planned]
    input_hash: str  # of what every edition shares


def plan_batch(
    folder: Path,
    editions_path: Path | None,
    cli: Overrides,
    shard: Shard | None = None,
    out: Path | None = None,
) -> Plan:
    """Check the issue and every edition (all problems at once); the editions of `shard`."""
    base = load_issue(folder, cli)
    path = editions_path or default_editions(folder)
    editions, errors = read_editions(path)
    records = [e for e in editions.editions if e is not None and isinstance(e.id, str)]
    errors += _duplicates(records, path)
    people, spellings = people_of(base)
    checked = []
    for edition in records:
        if edition.origin.line in {e.line for e in errors}:
            continue  # its own record is wrong: its dedications are checked once it is right
        try:
            checked.append(load_edition(base, edition, people, spellings))
        except InputErrors as err:
            errors += err.errors
        except PamphletError as err:
            errors.append(err)
    raise_all(errors)
    shared = _shared_hash(base, path, out)
    ordered = sorted(zip(records, checked, strict=True), key=lambda pair: pair[0].id)
    planned = [
        Planned(edition, issue, _edition_hash(shared, edition))
        for position, (edition, issue) in enumerate(ordered)
        if shard is None or shard.holds(position)
    ]
    return Plan(base, path, planned, shared)


def _duplicates(records: list[Edition], path: Path) -> list[PamphletError]:
    """Two editions that would write the same files."""
    seen: dict[str, int | None] = {}
    errors = []
    for edition in records:
        key = edition.id.lower()
        line = edition.origin.line
        if key in seen:
            first = seen[key]
            errors.append(
                PamphletError(f"edition '{edition.id}' is given twice (first at line {first}): "
                              "both would write the same files", path, line)
            )  # fmt: skip
        seen.setdefault(key, line)
    return errors


def _shared_hash(issue: Issue, editions_path: Path, out: Path | None) -> str:
    """The hash of every file the editions share (what the batch writes left out)."""
    settings = issue.settings
    files: set[Path] = set()
    written = out.resolve() if out is not None else None
    for folder in (settings.issue_folder, *settings.layouts):
        inside = written is not None and written.is_relative_to(folder.resolve())
        files |= {
            p
            for p in folder.rglob("*")
            if p.is_file() and not (inside and written and p.resolve().is_relative_to(written))
        }
    files.discard(editions_path)
    fonts = issue.series.fonts
    for family in (fonts.text, fonts.hebrew):
        files |= {settings.fonts / name for name, _, _ in family.faces()}
    people = settings.project / (issue.series.people or "people.yaml")
    files |= {settings.series_path, people, *(f.path for f in issue.fillers)}
    files |= set(issue.stylesheets)
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(files):
        digest.update(str(path.relative_to(path.anchor)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
    return digest.hexdigest()


def _edition_hash(shared: str, edition: Edition) -> str:
    """The shared hash with the edition's own record (its file lines left out)."""
    record = json.dumps(_plain(edition), sort_keys=True, default=str)
    return hashlib.sha256(f"{shared}\n{record}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    """A record as plain data, without its origin (moving a line changes nothing)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "origin"
        }
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
