"""Editing stage: add a dedication to an issue, as a round-trip edit of its YAML files.

ruamel.yaml (a well-kept round-trip YAML library) loads and writes the files, so comments,
spacing, quoting and flow lists stay as the editor wrote them, and values from the
command line are written as YAML values, never as YAML text. A new person becomes a
record of the series' people file, and the issue names it by its key. The whole change
holds the content tree's lock from the first read to the last write; the edited texts are
checked by the whole loader (in memory, nothing copied) before either file is written,
and both files land together or not at all.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from .errors import InputErrors, PamphletError
from .files import folder_lock, write_together
from .sources import overlay, read_text

Role = Literal["memorial", "honor", "sponsor", "box"]
LISTS: dict[str, str] = {
    "memorial": "memorials",
    "honor": "honoring",
    "sponsor": "sponsors",
    "box": "memorial_boxes",
}
KEY = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Addition:
    """What to add: a role, and a people key or a new record (with the key to file it by)."""

    role: Role
    key: str | None = None
    record: dict[str, Any] | None = None
    donors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edit:
    """The files an addition changes, with their new text."""

    texts: dict[Path, str]
    key: str


def add_dedication(
    folder: Path,
    addition: Addition,
    people_path: Path,
    content_root: Path,
    check: Callable[[], Any],
) -> Edit:
    """Plan, check and write one addition under the content tree's lock."""
    with folder_lock(content_root, "edit"):
        edit = plan(folder, addition, people_path)
        try:
            with overlay(edit.texts):
                check()
        except PamphletError as err:
            raise _not_added(err) from None
        write_together({path: text.encode("utf-8") for path, text in edit.texts.items()})
    return edit


def plan(folder: Path, addition: Addition, people_path: Path) -> Edit:
    """The new texts of issue.yaml (and people.yaml for a new record), not yet written."""
    issue_path = folder / "issue.yaml"
    issue, issue_yaml = load_round_trip(issue_path)
    if not isinstance(issue, CommentedMap):
        raise PamphletError("expected a mapping of 'field: value' lines", issue_path, 1)
    texts: dict[Path, str] = {}
    key = addition.key
    if addition.record is not None:
        on_file = people_path.is_file()
        people, people_yaml = load_round_trip(people_path) if on_file else (None, _yaml())
        people = CommentedMap() if people is None else people
        if not isinstance(people, CommentedMap):
            raise PamphletError("expected 'name: record' entries", people_path, 1)
        key = key or record_key(addition.record)
        _check_key(key, "--key")
        if key in people:
            raise PamphletError(
                f"'{key}' is already a record here: name it with --person {key}", people_path
            )
        people[key] = _node(addition.record)
        texts[people_path] = dump_round_trip(people, people_yaml)
    if not key:
        raise PamphletError("name a person (--person KEY) or give a new record (--given …)")
    _check_key(key, "--person")
    for donor in addition.donors:
        _check_key(donor, "--donor")
    _append(issue, issue_path, LISTS[addition.role], _item(key, addition))
    texts[issue_path] = dump_round_trip(issue, issue_yaml)
    return Edit(texts, key)


def record_key(record: dict[str, Any]) -> str:
    """A key for a new record: surname and given names, lower case, dashes between."""
    given = record.get("given", "")
    names = " ".join(given) if isinstance(given, list) else str(given)
    words = f"{record.get('surname') or ''} {names}".lower()
    key = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:80].strip("-")
    return key or "person"


def _check_key(key: str, flag: str) -> None:
    if not KEY.fullmatch(key):
        raise PamphletError(
            f"{flag}: '{key}' is not a people key (lower-case letters, digits, '-', '_', '.')"
        )


def _item(key: str, addition: Addition) -> Any:
    """What goes into the issue's list: the key, or for a box its person and donors."""
    if addition.role != "box":
        return key
    box = CommentedMap(person=key)
    if addition.donors:
        donors = CommentedSeq(addition.donors)
        donors.fa.set_flow_style()
        box["donors"] = donors
    return box


def _append(issue: CommentedMap, path: Path, list_key: str, item: Any) -> None:
    """Put the item at the end of `dedications.<list_key>`, creating what is missing."""
    dedications = issue.get("dedications")
    if dedications is None:
        dedications = issue["dedications"] = CommentedMap()
    if not isinstance(dedications, CommentedMap):
        raise PamphletError("'dedications' must be a mapping", path, _line(issue, "dedications"))
    entries = dedications.get(list_key)
    if entries is None:
        dedications[list_key] = CommentedSeq([item])
        return
    if not isinstance(entries, CommentedSeq):
        raise PamphletError(
            f"'{list_key}' must be a list to add to", path, _line(dedications, list_key)
        )
    entries.append(item)


def _node(value: Any) -> Any:
    """A value from the command line as a YAML node: mappings and lists as such, text as
    a YAML string (quoted as needed), never as YAML text."""
    if isinstance(value, dict):
        return CommentedMap((k, _node(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_node(v) for v in value)
    return value


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _mapping_indent(text: str) -> int:
    """How far the file indents a mapping inside a mapping (the smallest key indent)."""
    found = [len(m.group(1)) for m in re.finditer(r"(?m)^( +)[^\s#\-][^:\n]*:", text)]
    return min(found, default=2)


def round_trip(text: str, path: Path) -> tuple[Any, YAML]:
    """YAML text as round-trip data (comments kept), and a writer that keeps its indentation."""
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
        offset = offset if offset is not None else 2
        yaml = _yaml(_mapping_indent(text), sequence or offset + 2, offset)
        return yaml.load(text), yaml
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PamphletError(f"malformed YAML: {getattr(err, 'problem', err)}", path, line) from None


def load_round_trip(path: Path) -> tuple[Any, YAML]:
    """A file as round-trip data, and a writer that keeps its indentation."""
    return round_trip(read_text(path), path)


def dump_round_trip(data: Any, yaml: YAML) -> str:
    """Round-trip data written back as YAML text."""
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _line(mapping: CommentedMap, key: str) -> int | None:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (KeyError, AttributeError, TypeError):
        return None


def _not_added(err: PamphletError) -> PamphletError:
    """The same problems, said to be why nothing was added."""
    problems = getattr(err, "errors", [err])
    fixed = [PamphletError(f"not added: {one.message}", one.path, one.line) for one in problems]
    return fixed[0] if len(fixed) == 1 else InputErrors(fixed)
