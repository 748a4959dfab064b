"""Validation of YAML data against the model's dataclasses: one schema, from the types.

Each field of a dataclass is a field of the file; its type says what is accepted, its
default makes it optional, and `doc` in its metadata documents it. A dataclass may add
checks across its fields in a `problems()` method. Every problem found is
collected with its file and line, so an editor sees them all at once.

Every record built here carries its `Origin`: the file, the line of the record, of each
field and of each list item. Later stages report problems at the right line from the
record itself, without reading the YAML again.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import types
import typing
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from .errors import PamphletError
from .sources import YamlList, YamlMap

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a record was written: its file, its line, and the line of each field and item."""

    path: Path | None = None
    line: int | None = None
    fields: dict[str, int] = dataclasses.field(default_factory=dict)
    items: dict[str, list[int]] = dataclasses.field(default_factory=dict)

    def line_of(self, name: str) -> int | None:
        """The line of a field, or of the record when the field was not written."""
        return self.fields.get(name, self.line)

    def item_line(self, name: str, index: int) -> int | None:
        """The line of item `index` of a list field."""
        lines = self.items.get(name, [])
        return lines[index] if index < len(lines) else self.line_of(name)


UNKNOWN = Origin()


class Located:
    """A record that knows where it was written (set by `parse`; UNKNOWN if built in code)."""

    origin: Origin = UNKNOWN


def origin_of(record: Any) -> Origin:
    """The origin of a parsed record, or UNKNOWN for values that carry none."""
    return getattr(record, "origin", UNKNOWN)


def replace(record: T, **changes: Any) -> T:
    """`dataclasses.replace` that keeps the record's origin."""
    new = dataclasses.replace(record, **changes)  # type: ignore[type-var]
    object.__setattr__(new, "origin", origin_of(record))
    return new


def doc(text: str, **kwargs: Any) -> Any:
    """A dataclass field with documentation (and optionally a default)."""
    return dataclasses.field(metadata={"doc": text}, **kwargs)


class _Context:
    """Where the value being checked came from, and the problems found so far."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[PamphletError] = []
        self.own: list[int] = []  # problems of each record being built, innermost last

    def error(self, message: str, line: int | None) -> None:
        self.errors.append(PamphletError(message, self.path, line))
        if self.own:
            self.own[-1] += 1


def parse(
    cls: type[T], data: Any, path: Path, line: int = 1
) -> tuple[T | None, list[PamphletError]]:
    """Build `cls` from YAML data; return the object (None if invalid) and the problems."""
    value, errors = parse_partial(cls, data, path, line)
    return (value if not errors else None), errors


def parse_partial(
    cls: type[T], data: Any, path: Path, line: int = 1
) -> tuple[T | None, list[PamphletError]]:
    """Build `cls` as far as the data allows, with the problems found.

    With problems, the record holds the fields that were valid (invalid ones are left at
    their default, or None), so that the files it names can still be checked. Such a
    record is for checking only; it never reaches the layouts."""
    ctx = _Context(path)
    value = _convert(cls, data, ctx, line, cls.__name__)
    return value, ctx.errors


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"text ('{shown}')"
    if isinstance(value, datetime.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if tp is bool:
        return "yes or no"
    if tp is datetime.date:
        return "a date (YYYY-MM-DD)"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin is list:
        return f"a list of {_type_name(get_args(tp)[0])}"
    if origin is dict:
        return f"a mapping of names to {_type_name(get_args(tp)[1])}"
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return getattr(tp, "__name__", str(tp))


def _convert(tp: Any, value: Any, ctx: _Context, line: int | None, name: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return _convert_union(tp, value, ctx, line, name)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _convert_dataclass(tp, value, ctx, line, name)
    if origin is list:
        return _convert_list(tp, value, ctx, line, name)
    if origin is dict:
        return _convert_dict(tp, value, ctx, line, name)
    if origin is Literal:
        if value in get_args(tp):
            return value
    elif tp is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    elif (
        tp is str
        and isinstance(value, str)
        or tp is int
        and isinstance(value, int)
        and not isinstance(value, bool)
        or tp is bool
        and isinstance(value, bool)
    ):
        return value
    elif tp is datetime.date and isinstance(value, datetime.date):
        return value if not isinstance(value, datetime.datetime) else value.date()
    elif tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    ctx.error(f"'{name}' must be {_type_name(tp)}, not {_describe(value)}", line)
    return None


def _matches(tp: Any, value: Any) -> bool:
    """Whether a value has the shape of one member of a union (before deep checks)."""
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return isinstance(value, dict)
    if origin is list:
        return isinstance(value, list)
    if origin is dict:
        return isinstance(value, dict)
    if origin is Literal:
        return isinstance(value, str)
    if tp is str:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return tp is type(value)


def _convert_union(tp: Any, value: Any, ctx: _Context, line: int | None, name: str) -> Any:
    members = [a for a in get_args(tp) if a is not type(None)]
    if value is None and len(members) < len(get_args(tp)):
        return None
    for member in members:
        if _matches(member, value):
            return _convert(member, value, ctx, line, name)
    ctx.error(f"'{name}' must be {_type_name(tp)}, not {_describe(value)}", line)
    return None


def _convert_list(tp: Any, value: Any, ctx: _Context, line: int | None, name: str) -> list:
    if not isinstance(value, list):
        ctx.error(f"'{name}' must be {_type_name(tp)}, not {_describe(value)}", line)
        return []
    item_type = get_args(tp)[0]
    lines = value.item_lines if isinstance(value, YamlList) else [line] * len(value)
    return [
        _convert(item_type, v, ctx, ln, f"{name}[{i + 1}]")
        for i, (v, ln) in enumerate(zip(value, lines, strict=False))
    ]


def _convert_dict(tp: Any, value: Any, ctx: _Context, line: int | None, name: str) -> dict:
    if not isinstance(value, dict):
        ctx.error(f"'{name}' must be {_type_name(tp)}, not {_describe(value)}", line)
        return {}
    key_lines = value.key_lines if isinstance(value, YamlMap) else {}
    item_type = get_args(tp)[1]
    return {
        str(k): _convert(item_type, v, ctx, key_lines.get(k, line), f"{name}.{k}")
        for k, v in value.items()
    }


def _convert_dataclass(cls: type, value: Any, ctx: _Context, line: int | None, name: str) -> Any:
    if not isinstance(value, dict):
        ctx.error(f"'{name}' must be a mapping of fields, not {_describe(value)}", line)
        return None
    origin = _origin(value, ctx.path, line)
    ctx.own.append(0)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    hints = typing.get_type_hints(cls)
    for key in value:
        if key not in fields:
            close = difflib.get_close_matches(key, list(fields), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            ctx.error(f"unknown field '{key}'{hint}", origin.line_of(key))
    before = len(ctx.errors)
    kwargs = {}
    for fname, field in fields.items():
        if fname not in value or value[fname] is None:
            if _is_required(field):
                ctx.error(f"missing required field '{fname}'", origin.line)
            continue
        converted = _convert(hints[fname], value[fname], ctx, origin.line_of(fname), fname)
        if converted is not None:
            kwargs[fname] = converted
    record = _build(cls, fields, kwargs)
    object.__setattr__(record, "origin", origin)
    if len(ctx.errors) == before and hasattr(record, "problems"):
        for fname, message in record.problems():
            ctx.error(message, origin.line_of(fname))
    own = ctx.own.pop()
    # A record inside another with problems of its own is dropped (reported once); the
    # outermost record is kept, partial, so that the files it names can still be checked.
    return None if ctx.own and own else record


def _origin(value: dict, path: Path, line: int | None) -> Origin:
    """The locations a YAML mapping remembers, as an Origin."""
    if not isinstance(value, YamlMap):
        return Origin(path, line)
    items = {
        key: list(child.item_lines) for key, child in value.items() if isinstance(child, YamlList)
    }
    return Origin(path, value.line or line, dict(value.key_lines), items)


def _build(cls: type, fields: dict[str, dataclasses.Field], kwargs: dict[str, Any]) -> Any:
    """The record; with required fields missing, a partial one (those fields None)."""
    if all(name in kwargs for name, f in fields.items() if _is_required(f)):
        return cls(**kwargs)
    record: Any = object.__new__(cls)
    for fname, field in fields.items():
        if fname in kwargs:
            default = kwargs[fname]
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            default = None if field.default is dataclasses.MISSING else field.default
        object.__setattr__(record, fname, default)
    return record


def _is_required(field: dataclasses.Field) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
