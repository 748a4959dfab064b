"""Editing stage: add a dedication to an issue by adding lines to its YAML files.

Only the added lines change: other records, comments and spacing stay as they were. A new
person becomes a record of the series' people file, and the issue names it by its key.
Both edited files are checked by the whole loader, on a copy, before either is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import InputErrors, PamphletError
from .files import write_atomically
from .sources import YamlList, YamlMap, parse_yaml, read_text

Role = Literal["memorial", "honor", "sponsor", "box"]
LISTS: dict[str, str] = {
    "memorial": "memorials",
    "honor": "honoring",
    "sponsor": "sponsors",
    "box": "memorial_boxes",
}


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


def plan(folder: Path, addition: Addition, people_path: Path) -> Edit:
    """The new texts of issue.yaml (and people.yaml for a new record), not yet written."""
    issue_path = folder / "issue.yaml"
    issue_text = read_text(issue_path)
    raw = parse_yaml(issue_text, issue_path)
    if not isinstance(raw, YamlMap):
        raise PamphletError("expected a mapping of 'field: value' lines", issue_path, 1)
    texts: dict[Path, str] = {}
    key = addition.key
    if addition.record is not None:
        people_text = read_text(people_path) if people_path.is_file() else ""
        known = parse_yaml(people_text, people_path) if people_text.strip() else {}
        key = key or record_key(addition.record)
        if isinstance(known, dict) and key in known:
            raise PamphletError(
                f"'{key}' is already a record here: name it with --person {key}", people_path
            )
        texts[people_path] = append_record(people_text, key, addition.record)
    if not key:
        raise PamphletError("name a person (--person KEY) or give a new record (--given …)")
    item = _box_item(key, addition.donors) if addition.role == "box" else [key]
    texts[issue_path] = insert_item(issue_text, raw, LISTS[addition.role], item)
    return Edit(texts, key)


def record_key(record: dict[str, Any]) -> str:
    """A key for a new record: surname and given names, lower case, dashes between."""
    given = record.get("given", "")
    names = " ".join(given) if isinstance(given, list) else str(given)
    words = f"{record.get('surname') or ''} {names}".lower()
    return re.sub(r"[^\w]+", "-", words).strip("-") or "person"


def append_record(text: str, key: str, record: dict[str, Any]) -> str:
    """people.yaml with one record added at its end."""
    block = yaml.safe_dump({key: record}, allow_unicode=True, sort_keys=False, width=1000)
    separator = (
        "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    )
    return text + separator + block


def _box_item(key: str, donors: tuple[str, ...]) -> list[str]:
    lines = [f"person: {key}"]
    if donors:
        lines.append(f"donors: [{', '.join(donors)}]")
    return lines


def insert_item(text: str, raw: YamlMap, list_key: str, item: list[str]) -> str:
    """issue.yaml with one item (its lines) appended to `dedications.<list_key>`."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    dedications = raw.get("dedications")
    if not isinstance(dedications, YamlMap):
        if "dedications" in raw:
            raise PamphletError(
                "'dedications' must be a mapping", None, raw.key_lines["dedications"]
            )
        return "".join(lines) + f"dedications:\n  {list_key}:\n" + _item_text(item, 4)
    key_line = raw.key_lines["dedications"]
    if list_key not in dedications or not dedications[list_key]:
        child_indent = _first_child_indent(lines, key_line) or _indent(lines[key_line - 1]) + 2
        if list_key in dedications:  # `memorials: []` or empty: replace that line
            at = dedications.key_lines[list_key]
            lines[at - 1] = (
                " " * child_indent + f"{list_key}:\n" + _item_text(item, child_indent + 2)
            )
            return "".join(lines)
        end = _block_end(lines, key_line)
        new = " " * child_indent + f"{list_key}:\n" + _item_text(item, child_indent + 2)
        return "".join(lines[:end] + [new] + lines[end:])
    values = dedications[list_key]
    at = dedications.key_lines[list_key]
    if isinstance(values, YamlList) and values.item_lines and values.item_lines[0] == at:
        return _insert_in_flow(lines, at, item)
    item_indent = _indent(lines[values.item_lines[0] - 1]) if isinstance(values, YamlList) else 0
    end = _block_end(lines, at)
    return "".join(lines[:end] + [_item_text(item, item_indent)] + lines[end:])


def _insert_in_flow(lines: list[str], at: int, item: list[str]) -> str:
    line = lines[at - 1]
    close = line.rfind("]")
    if close < 0 or len(item) != 1:
        raise PamphletError("cannot add to a list written across lines in [ ]; use '- ' items")
    lines[at - 1] = line[:close].rstrip() + f", {item[0]}" + line[close:]
    return "".join(lines)


def _item_text(item: list[str], indent: int) -> str:
    first, *rest = item
    out = " " * indent + f"- {first}\n"
    return out + "".join(" " * (indent + 2) + f"{line}\n" for line in rest)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _first_child_indent(lines: list[str], key_line: int) -> int | None:
    for line in lines[key_line:]:
        if line.strip() and not line.lstrip().startswith("#"):
            indent = _indent(line)
            return indent if indent > _indent(lines[key_line - 1]) else None
    return None


def _block_end(lines: list[str], key_line: int) -> int:
    """The index just after the last line of the block opened by the key on `key_line`."""
    key_indent = _indent(lines[key_line - 1])
    last = key_line
    for index in range(key_line, len(lines)):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = _indent(lines[index])
        if indent > key_indent or (indent == key_indent and stripped.startswith("- ")):
            last = index + 1
            continue
        break
    return last


def check_and_write(edit: Edit, content_root: Path, check: Any) -> list[Path]:
    """Check the edited files on a copy of the content tree, then write them."""
    with tempfile.TemporaryDirectory(prefix="pamphlet-edit-") as tmp:
        copy = Path(tmp) / content_root.name
        shutil.copytree(content_root, copy, ignore=shutil.ignore_patterns("*.pdf", ".*"))
        for path, text in edit.texts.items():
            target = copy / path.resolve().relative_to(content_root.resolve())
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            check(copy)
        except PamphletError as err:
            raise _moved(err, copy, content_root) from None
    for path, text in edit.texts.items():
        write_atomically(path, text.encode("utf-8"))
    return list(edit.texts)


def _moved(err: PamphletError, copy: Path, root: Path) -> PamphletError:
    """The same problem, naming the real files instead of the checked copy."""
    errors = getattr(err, "errors", [err])
    fixed = []
    for one in errors:
        path = one.path
        if path is not None and path.resolve().is_relative_to(copy.resolve()):
            path = root / path.resolve().relative_to(copy.resolve())
        fixed.append(PamphletError(f"not added: {one.message}", path, one.line))
    return fixed[0] if len(fixed) == 1 else InputErrors(fixed)
