"""Read stage: YAML files and Markdown files with front matter, keeping line numbers.

Every file is read as untrusted input, within bounds: a regular file (not a FIFO, a
device or a folder), at most MAX_FILE_BYTES, UTF-8 without NUL bytes; YAML nested at most
MAX_DEPTH deep and at most MAX_NODES values once aliases are expanded. Anything else is
one error with the file and, where it can be found, the line.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import PamphletError

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real essay is a few dozen KB
MAX_DEPTH = 32  # levels of YAML nesting; real files use five or six
MAX_NODES = 100_000  # YAML values, aliases expanded; a year of people records is ~10,000
_OVERLAY: contextvars.ContextVar[Mapping[Path, str] | None] = contextvars.ContextVar(
    "overlay", default=None
)


@contextlib.contextmanager
def overlay(texts: Mapping[Path, str]) -> Iterator[None]:
    """Read these texts in place of the files at those paths (to check an edit before
    writing it), without copying anything."""
    token = _OVERLAY.set({path.resolve(): text for path, text in texts.items()})
    try:
        yield
    finally:
        _OVERLAY.reset(token)


class YamlMap(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class YamlList(list):
    """A YAML sequence that remembers the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser when PyYAML has it (several times faster), the same safe constructors.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    """SafeLoader whose mappings and sequences carry 1-based line numbers."""

    line_offset = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> YamlMap:
        result = YamlMap()
        result.line = node.start_mark.line + 1 + self.line_offset
        result.key_lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + self.line_offset
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise PamphletError(f"'{key}' is given twice", None, line)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> YamlList:
        result = YamlList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1 + self.line_offset
        result.item_lines = [c.start_mark.line + 1 + self.line_offset for c in node.value]
        return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date, or an error at its line when the date does not exist (2026-02-30)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as err:
        line = node.start_mark.line + 1 + loader.line_offset
        raise PamphletError(
            f"'{node.value}' is not a date that exists ({err})", None, line
        ) from None


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML text; a syntax error or a file past the bounds becomes a PamphletError
    with file and line."""
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_bounds(node, path, line_offset)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = err.problem or err.context or "invalid YAML"
        raise PamphletError(f"malformed YAML: {problem}", path, line) from None
    except yaml.YAMLError as err:
        raise PamphletError(f"malformed YAML: {err}", path) from None
    except RecursionError:
        raise PamphletError(f"YAML nested deeper than {MAX_DEPTH} levels", path) from None
    except ValueError as err:  # a date that does not exist: 2026-02-30
        raise PamphletError(f"impossible value: {err}", path) from None
    except PamphletError as err:
        raise PamphletError(err.message, path, err.line) from None
    finally:
        loader.dispose()


def _check_bounds(root: yaml.Node, path: Path, line_offset: int) -> None:
    """Refuse YAML nested too deep or too large once its aliases are expanded."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        line = node.start_mark.line + 1 + line_offset
        if depth > MAX_DEPTH:
            raise PamphletError(f"YAML nested deeper than {MAX_DEPTH} levels", path, line)
        children = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(node)] > MAX_NODES:
                raise PamphletError(
                    f"YAML too large: more than {MAX_NODES} values once aliases are expanded",
                    path,
                    line,
                )
        elif id(node) not in sizes:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def read_text(path: Path, named_in: Path | None = None, line: int | None = None) -> str:
    """Read a UTF-8 file within bounds; a problem is reported where the file was named."""
    try:
        resolved = path.resolve(strict=True)
        overlaid = _OVERLAY.get() or {}
        if resolved in overlaid:
            return overlaid[resolved]
        data = _read_bytes(resolved)
    except FileNotFoundError:
        if named_in:
            shown = os.path.relpath(path, named_in.parent)
            raise PamphletError(f"file not found: {shown}", named_in, line) from None
        raise PamphletError("file not found", path) from None
    except PamphletError as err:
        raise PamphletError(err.message, path) from None
    except (OSError, RuntimeError, ValueError) as err:
        if named_in:
            shown = os.path.relpath(path, named_in.parent)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            raise PamphletError(f"cannot read {shown}: {_reason(err)}", named_in, line) from None
        raise PamphletError(f"cannot read file: {_reason(err)}", path) from None
    return _decode(data, path)


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; never blocks on a FIFO."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise PamphletError(f"{kind}: a text file is expected here")
    if info.st_size > MAX_FILE_BYTES:
        raise PamphletError(
            f"{info.st_size:,} bytes: larger than the {MAX_FILE_BYTES // 1024 // 1024} MB "
            "a file may be"
        )
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 text without NUL bytes, or an error naming the line."""
    if b"\0" in data:
        at = data.index(b"\0")
        raise PamphletError("a NUL byte in the text", path, data.count(b"\n", 0, at) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise PamphletError(f"not UTF-8 text (byte {err.start})", path, line) from None


def _reason(err: BaseException) -> str:
    """Why a file could not be read, in words."""
    if isinstance(err, RuntimeError) or isinstance(err, OSError) and err.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if isinstance(err, OSError) and err.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if isinstance(err, ValueError):
        return "the file name has a NUL character"
    return getattr(err, "strerror", None) or str(err)


def load_yaml_file(path: Path, named_in: Path | None = None, line: int | None = None) -> Any:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path, named_in, line), path)


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its front matter and its body."""

    path: Path
    meta: YamlMap
    body: str
    body_line: int


def read_document(path: Path, named_in: Path | None = None, line: int | None = None) -> Document:
    """Read a Markdown file with a `---` fenced YAML front matter block."""
    text = read_text(path, named_in, line).replace("\r\n", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise PamphletError("missing front matter: the file must start with a '---' line", path, 1)
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise PamphletError("front matter is not closed by a '---' line", path, 1)
    meta = parse_yaml("\n".join(lines[1:end]), path, line_offset=1)
    if meta is None:
        meta = YamlMap()
        meta.line, meta.key_lines = 1, {}
    if not isinstance(meta, YamlMap):
        raise PamphletError("front matter must be a mapping of 'field: value' lines", path, 2)
    return Document(path, meta, "\n".join(lines[end + 1 :]), end + 2)
