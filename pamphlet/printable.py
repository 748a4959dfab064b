"""Printable: every character the pamphlet will print must be in a bundled font.

A character no font has would come out as a .notdef box, or from a system font that the
print shop does not have. Each text is checked where it was written: a record's fields
(series, issue, people) at the field's line, an article's front matter and body at the
line of the character.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import PamphletError
from .fonts import describe, missing_characters
from .schema import Origin, origin_of


def record_problems(record: Any, covered: frozenset[int]) -> list[PamphletError]:
    """A problem for each field of a record (and the records inside it) that holds a
    character no font can draw."""
    errors = []
    for origin, name, text in _texts(record, origin_of(record), ""):
        missing = missing_characters(text, covered)
        if missing:
            errors.append(_error(missing, f"'{name}'", origin.path, origin.line_of(name)))
    return errors


def text_problems(
    text: str, path: Path, first_line: int, covered: frozenset[int]
) -> list[PamphletError]:
    """A problem for each line of a text that holds a character no font can draw."""
    errors = []
    for number, line in enumerate(text.splitlines(), start=first_line):
        missing = missing_characters(line, covered)
        if missing:
            errors.append(_error(missing, "the text", path, number))
    return errors


def _error(missing: list[str], where: str, path: Path | None, line: int | None) -> PamphletError:
    shown = ", ".join(describe(c) for c in missing[:3]) + (" …" if len(missing) > 3 else "")
    return PamphletError(f"{where} has a character no bundled font can print: {shown}", path, line)


def _texts(value: Any, origin: Origin, name: str) -> Iterator[tuple[Origin, str, str]]:
    """Every string inside a record, with the origin and field it belongs to."""
    if isinstance(value, str):
        yield origin, name, value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item, origin, name)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item, origin, name)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        own = origin_of(value)
        for field in dataclasses.fields(value):
            if own.path:  # a record of its own: its lines
                yield from _texts(getattr(value, field.name), own, field.name)
            else:
                yield from _texts(getattr(value, field.name), origin, name or field.name)
