"""Read stage: YAML files and Markdown files with front matter, keeping line numbers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import PamphletError


class YamlMap(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class YamlList(list):
    """A YAML sequence that remembers the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
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


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML text; a syntax error becomes a PamphletError with file and line."""
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = err.problem or err.context or "invalid YAML"
        raise PamphletError(f"malformed YAML: {problem}", path, line) from None
    except yaml.YAMLError as err:
        raise PamphletError(f"malformed YAML: {err}", path) from None
    except PamphletError as err:
        raise PamphletError(err.message, path, err.line) from None
    finally:
        loader.dispose()


def read_text(path: Path, named_in: Path | None = None, line: int | None = None) -> str:
    """Read a UTF-8 file; a missing or unreadable file is reported where it was named."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named_in:
            shown = os.path.relpath(path, named_in.parent)
            raise PamphletError(f"file not found: {shown}", named_in, line) from None
        raise PamphletError("file not found", path) from None
    except UnicodeDecodeError as err:
        raise PamphletError(f"not UTF-8 text (byte {err.start})", path) from None
    except OSError as err:
        raise PamphletError(f"cannot read file: {err.strerror}", path) from None


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
