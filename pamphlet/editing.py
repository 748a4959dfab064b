"""Editing stage: add a dedication to an issue (or change one), as a round-trip edit of its
YAML files.

ruamel.yaml (a well-kept round-trip YAML library) loads and writes the files, so comments,
spacing, quoting and flow lists stay as the editor wrote them, and values from the
command line are written as YAML values, never as YAML text. A new person becomes a
record of the series' people file, and the issue names it by its key. A change to an entry
replaces it in place (or moves it to another list), amending the record it names or its
own record field by field, once the entry is checked to be the one the editor saw. The whole change
holds the content tree's lock from the first read to the last write; the edited texts are
checked by the whole loader (in memory, nothing copied) before either file is written,
and both files land together or not at all.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
import io
import json
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
from .model import Person
from .sources import overlay, read_text

Role = Literal["memorial", "honor", "sponsor", "box"]
LISTS: dict[str, str] = {
    "memorial": "memorials",
    "honor": "honoring",
    "sponsor": "sponsors",
    "box": "memorial_boxes",
}
KEY = re.compile(r"[a-z0-9\u05d0-\u05ea][a-z0-9\u05d0-\u05ea._-]{0,99}")
_Spot = tuple[CommentedSeq, str, int]  # an entry's list, the list's name, its index


@dataclass(frozen=True)
class Addition:
    """What to add: a role, and a people key or a new record (with the key to file it by)."""

    role: Role
    key: str | None = None
    record: dict[str, Any] | None = None
    donors: tuple[str, ...] = ()
    heading: str | None = None  # a memorial box's own heading (None: the layout's)
    # amend: the record holds changes (None deletes a field) to the record `key` names, or
    # without a key to the entry's own record; a key that names no record files a new one
    amend: bool = False


@dataclass(frozen=True)
class Place:
    """An entry of the issue's dedications: its list, its index there and the key it names."""

    role: str  # the list: memorials, honoring, sponsors, memorial_boxes
    index: int
    key: str
    digest: str = ""  # of the entry as the editor saw it (`entry_digest`); '' not checked


@dataclass(frozen=True)
class Edit:
    """The files an addition changes, with their new text."""

    texts: dict[Path, str]
    key: str
    index: int = -1  # where the entry is in its list


def add_dedication(
    folder: Path,
    addition: Addition,
    people_path: Path,
    content_root: Path,
    check: Callable[[], Any],
    replacing: Place | None = None,
) -> Edit:
    """Plan, check and write one addition (or an entry's replacement) under the lock."""
    with folder_lock(content_root, "edit"):
        edit = plan(folder, addition, people_path, replacing)
        write_checked(edit.texts, check, "not added" if replacing is None else "not saved")
    return edit


def write_checked(texts: dict[Path, str], check: Callable[[], Any], verb: str) -> None:
    """Check new texts with the whole loader (in memory), then write them together; a
    problem is said to be why nothing was done (`verb`: "not added" …)."""
    try:
        with overlay(texts):
            check()
    except PamphletError as err:
        raise refused(err, verb) from None
    write_together({path: text.encode("utf-8") for path, text in texts.items()})


def plan(
    folder: Path, addition: Addition, people_path: Path, replacing: Place | None = None
) -> Edit:
    """The new texts of issue.yaml (and people.yaml for a new or amended record), not yet
    written; with `replacing`, the entry there is replaced (or moved to another list)."""
    issue_path = folder / "issue.yaml"
    issue, issue_yaml = load_round_trip(issue_path)
    if not isinstance(issue, CommentedMap):
        raise PamphletError("expected a mapping of 'field: value' lines", issue_path, 1)
    texts: dict[Path, str] = {}
    spot, old = None, None
    if replacing is not None:
        entries, old = entry_at(issue, issue_path, replacing, "not saved")
        spot = (entries, replacing.role, replacing.index)
    item, key, people_text = _entry(addition, old, people_path)
    if people_text is not None:
        texts[people_path] = people_text
    index = _put(issue, issue_path, LISTS[addition.role], item, spot)
    texts[issue_path] = dump_round_trip(issue, issue_yaml)
    return Edit(texts, key, index)


def _entry(addition: Addition, old: Any, people_path: Path) -> tuple[Any, str, str | None]:
    """The list item to write, the key it is known by, and the people file's new text
    (None when it does not change); an entry's own record (`old`) is amended in place, and
    a memorial box (`old` one) changed in place."""
    if addition.role == "box":
        box = old if is_box(old) else None
        person, key, people_text = _person(addition, box.get("person") if box else None,
                                           people_path)  # fmt: skip
        return _box(box, person, addition), key, people_text
    return _person(addition, old.get("person") if is_box(old) else old, people_path)


def _person(addition: Addition, old: Any, people_path: Path) -> tuple[Any, str, str | None]:
    """The person an entry names: its key, or its own record (`old`) amended in place;
    the key it is known by; the people file's new text (None when it does not change)."""
    if addition.amend and not addition.key and isinstance(old, CommentedMap):
        _amend(old, addition.record or {})
        return old, entry_key(old), None
    key, people_text = addition.key, None
    if addition.record is not None:
        key, people_text = _file_record(people_path, addition)
    if not key:
        raise PamphletError("name a person (--person KEY) or give a new record (--given …)")
    _check_key(key, "--person")
    if isinstance(old, str) and old == key:
        return old, key, people_text  # as written (its quoting kept)
    return key, key, people_text


def is_box(entry: Any) -> bool:
    """Whether a list item of issue.yaml is a memorial box (a mapping naming its person)."""
    return isinstance(entry, dict) and "person" in entry


def _box(box: CommentedMap | None, person: Any, addition: Addition) -> CommentedMap:
    """A new memorial box, or `box` changed in place: its person, heading and donors (a
    donor named as before stays as written, a record too); its other fields as written."""
    old = list(box.get("donors") or []) if box is not None else []
    donors: list[Any] = []
    for token in addition.donors:
        same = [d for d in old if entry_key(d) == token]
        if same:
            old.remove(same[0])
            donors.append(same[0])
        else:
            _check_key(token, "--donor")
            donors.append(token)
    if box is None:
        box = CommentedMap()
        if addition.heading:
            box["heading"] = addition.heading
        box["person"] = person
        if donors:
            box["donors"] = _flow(donors)
        return box
    if box.get("person") is not person:
        box["person"] = person
    _set_or_drop(box, "heading", addition.heading or None, 0)
    written = box.get("donors")
    if [entry_key(d) for d in written or []] == list(addition.donors):
        return box  # the donors as they were
    if not donors:
        _set_or_drop(box, "donors", None, len(box))
    elif isinstance(written, CommentedSeq):
        del written[:]
        written.extend(donors)
    else:
        _set_or_drop(box, "donors", _flow(donors), len(box))
    return box


def _flow(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _set_or_drop(node: CommentedMap, name: str, value: Any, at: int) -> None:
    """Set a field (a new one at position `at`), or delete it when the value is None."""
    if value is None:
        node.pop(name, None)
    elif name in node:
        if node[name] != value:
            node[name] = value
    else:
        node.insert(min(at, len(node)), name, value)


def _file_record(people_path: Path, addition: Addition) -> tuple[str, str | None]:
    """File a new record in the people file, or amend the one `addition.key` names: the
    key, and the people file's new text (None when nothing in it changed)."""
    record = addition.record or {}
    on_file = people_path.is_file()
    people, people_yaml = load_round_trip(people_path) if on_file else (None, _yaml())
    people = CommentedMap() if people is None else people
    if not isinstance(people, CommentedMap):
        raise PamphletError("expected 'name: record' entries", people_path, 1)
    key = addition.key or _free_key(people, record_key(record), record)
    if addition.amend and addition.key and isinstance(people.get(key), CommentedMap):
        changed = _amend(people[key], record)
        return key, dump_round_trip(people, people_yaml) if changed else None
    _check_key(key, "--key")
    if key in people:
        raise PamphletError(
            f"'{key}' is already a record here: name it with --person {key}", people_path
        )
    people[key] = _node(record)
    return key, dump_round_trip(people, people_yaml)


def entry_at(issue: Any, path: Path, place: Place, verb: str) -> tuple[CommentedSeq, Any]:
    """The list holding an entry, and the entry, if it still names the key the editor saw;
    else why not, as one line (`verb`: "not removed" …)."""
    dedications = issue.get("dedications") if isinstance(issue, CommentedMap) else None
    entries = dedications.get(place.role) if isinstance(dedications, CommentedMap) else None
    if not isinstance(entries, CommentedSeq) or not 0 <= place.index < len(entries):
        raise PamphletError(f"{verb}: {place.role} has no item {place.index + 1}", path)
    entry, item = entries[place.index], f"item {place.index + 1} of {place.role}"
    if entry_key(entry) != place.key:
        raise PamphletError(
            f"{verb}: {item} is no longer '{place.key}' (the file changed): reload the page",
            path,
        )
    if place.digest and entry_digest(entry) != place.digest:
        raise PamphletError(
            f"{verb}: {item} ('{place.key}') changed in the file since the page showed it: "
            "reload the page",
            path,
        )
    return entries, entries[place.index]


def entry_key(entry: Any) -> str:
    """How a list item of issue.yaml is named: its people key, or for a record written in
    full, the key it would be filed under; a memorial box by its person's."""
    if is_box(entry):
        return entry_key(entry["person"])
    if isinstance(entry, dict):
        return record_key(dict(entry))
    return str(entry)


def entry_digest(entry: Any) -> str:
    """A short digest of a list item as written (its values, not its comments): what tells
    an entry changed on disk when its key did not."""
    text = json.dumps(_plain(entry), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _put(issue: CommentedMap, path: Path, list_key: str, item: Any, spot: _Spot | None) -> int:
    """Put the item in place of the entry at `spot` (in its list), or at the end of its
    list (that entry taken off its own); its index."""
    if spot is not None:
        entries, role, index = spot
        if role == list_key:
            entries[index] = item  # the item's comments stay where they were
            return index
        del entries[index]
    return _append(issue, path, list_key, item)


def as_text(value: Any) -> str:
    """A record's value as a form shows it: a list joined with ' & ', a date as
    YYYY-MM-DD, true as '1', nothing (or false) as ''."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, list):
        return " & ".join(as_text(v) for v in value)
    return str(value)


def _amend(node: CommentedMap, changes: dict[str, Any]) -> bool:
    """Change a record's fields in place (None deletes one), a mapping field by field; a
    value that reads as it did (`as_text`) stays as written. Whether anything changed."""
    changed = False
    for name, value in changes.items():
        old = node.get(name)
        if isinstance(old, CommentedMap) and isinstance(value, dict):
            changed = _amend(old, value) or changed
        elif as_text(old) != as_text(value):
            if value is None:
                del node[name]
            else:
                _set_field(node, name, _node(value))
            changed = True
    return changed


def _set_field(node: CommentedMap, name: str, value: Any) -> None:
    """Set a record's field: in place if it is there, else after the fields that come
    before it in a record (the model's order), the record's trailing blank lines kept
    after its last field."""
    if name in node:
        node[name] = value
        return
    order = [f.name for f in dataclasses.fields(Person)]
    rank = order.index(name) if name in order else len(order)
    before = [i for i, key in enumerate(node) if key in order and order.index(key) < rank]
    at = before[-1] + 1 if before else 0
    last = list(node)[-1] if node else None
    node.insert(at, name, value)
    if last is not None and at == len(node) - 1:
        _move_trailing_lines(node, last, name)


def _move_trailing_lines(node: CommentedMap, old: str, new: str) -> None:
    """The blank lines (and comments) that followed the old last field follow the new one;
    a comment on the old field's own line stays there."""
    token = (node.ca.items.get(old) or [None] * 3)[2]
    if token is None or "\n" not in token.value:
        return
    line, rest = token.value.split("\n", 1)
    if not rest:
        return
    moved = copy.copy(token)
    token.value, moved.value = line + "\n", "\n" + rest
    node.ca.items[new] = [None, None, moved, None]


def civil_or_hebrew(text: str) -> str | datetime.date:
    """A civil date (YYYY-MM-DD) as a date, anything else as the Hebrew date it names."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return text


def record_key(record: dict[str, Any]) -> str:
    """A key for a new record: surname and given names, lower case, dashes between (in
    Hebrew letters for a record written in Hebrew only)."""
    for surname, given in (("surname", "given"), ("hebrew_surname", "hebrew_given")):
        names = record.get(given, "")
        names = " ".join(names) if isinstance(names, list) else str(names)
        words = f"{record.get(surname) or ''} {names}".lower()
        key = re.sub(r"[^a-z0-9\u05d0-\u05ea]+", "-", words).strip("-")[:80].strip("-")
        if key:
            return key
    return "person"


def _free_key(people: CommentedMap, key: str, record: dict[str, Any]) -> str:
    """`key`, or `key-2`, `key-3` … when another person's record has it (the same names
    again are taken to be the same person: refused by the caller)."""
    number = 1
    candidate = key
    while candidate in people and not _same_names(people[candidate], record):
        number += 1
        candidate = f"{key}-{number}"
    return candidate


def _same_names(filed: Any, record: dict[str, Any]) -> bool:
    """Whether a filed record has the new record's names (given, surname, parent)."""
    if not isinstance(filed, dict):
        return False
    fields = ("given", "surname", "hebrew_given", "hebrew_surname", "parent")
    return all(filed.get(name) == record.get(name) for name in fields)


def _check_key(key: str, flag: str) -> None:
    if not KEY.fullmatch(key):
        raise PamphletError(
            f"{flag}: '{key}' is not a people key (lower-case or Hebrew letters, digits, '-', "
            "'_', '.')"
        )


def _append(issue: CommentedMap, path: Path, list_key: str, item: Any) -> int:
    """Put the item at the end of `dedications.<list_key>`, creating what is missing; its
    index."""
    dedications = issue.get("dedications")
    if dedications is None:
        dedications = issue["dedications"] = CommentedMap()
    if not isinstance(dedications, CommentedMap):
        raise PamphletError("'dedications' must be a mapping", path, _line(issue, "dedications"))
    entries = dedications.get(list_key)
    if entries is None:
        dedications[list_key] = CommentedSeq([item])
        return 0
    if not isinstance(entries, CommentedSeq):
        raise PamphletError(
            f"'{list_key}' must be a list to add to", path, _line(dedications, list_key)
        )
    entries.append(item)
    return len(entries) - 1


def _node(value: Any) -> Any:
    """A value from the command line as a YAML node: mappings and lists as such, text as
    a YAML string (quoted as needed), never as YAML text; a field of None left out."""
    if isinstance(value, dict):
        return CommentedMap((k, _node(v)) for k, v in value.items() if v is not None)
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


def refused(err: PamphletError, verb: str) -> PamphletError:
    """The same problems, said to be why nothing was done (`verb`: "not added" …)."""
    problems = getattr(err, "errors", [err])
    fixed = [PamphletError(f"{verb}: {one.message}", one.path, one.line) for one in problems]
    return fixed[0] if len(fixed) == 1 else InputErrors(fixed)
