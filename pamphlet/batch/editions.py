"""The editions of a week, as the office types them: `editions.yaml` beside the issue, or a
CSV with one row an edition (people keys in the role columns, `;` between names).

CSV columns: id, copies, cover_line, community, latitude, longitude, timezone, elevation,
candle_minutes, binding, memorials, honoring, sponsors, memorial_boxes. A memorial box is
`person = donor + donor`; boxes are separated by `;`. An empty role column keeps the
issue's dedications for that role only when every role column of the row is empty.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..errors import PamphletError, raise_all
from ..model.written import EditionsFile
from ..schema import parse_partial
from ..sources import YamlList, YamlMap, load_yaml_file, read_text

ROLES = ("memorials", "honoring", "sponsors")
NUMBERS = {"copies": int, "latitude": float, "longitude": float, "elevation": float}
COMMUNITY = ("latitude", "longitude", "timezone", "elevation", "candle_minutes")


def default_editions(issue_folder: Path) -> Path:
    """The editions file of an issue: editions.yaml, else editions.csv, beside it."""
    for name in ("editions.yaml", "editions.csv"):
        if (issue_folder / name).is_file():
            return issue_folder / name
    raise PamphletError("no editions.yaml or editions.csv beside the issue", issue_folder)


def read_editions(path: Path) -> tuple[EditionsFile, list[PamphletError]]:
    """The editions file as far as it is valid, and its problems (the valid editions can
    still be checked further: every problem at once)."""
    data = _csv_data(path) if path.suffix.lower() == ".csv" else load_yaml_file(path)
    editions, errors = parse_partial(EditionsFile, data, path)
    if editions is None or not editions.editions:
        raise_all(errors)
        raise PamphletError("lists no editions", path)
    return editions, errors


def _csv_data(path: Path) -> YamlMap:
    """The CSV's rows as the data editions.yaml would hold, each with its line number."""
    rows = YamlList()
    rows.line, rows.item_lines = 1, []
    reader = csv.DictReader(io.StringIO(read_text(path)))
    for row in reader:
        line = reader.line_num
        rows.append(_row(row, line, path))
        rows.item_lines.append(line)
    top = YamlMap({"editions": rows})
    top.line, top.key_lines = 1, {"editions": 1}
    return top


def _row(row: dict[str, Any], line: int, path: Path) -> YamlMap:
    """One CSV row as an edition record."""
    if None in row:
        raise PamphletError("more cells than the header has columns", path, line)
    cells = {key.strip(): (value or "").strip() for key, value in row.items() if key}
    record = _located(
        {k: _number(k, v, path, line) for k, v in cells.items() if v and _plain(k)}, line
    )
    if cells.get("community") or any(cells.get(k) for k in COMMUNITY):
        community = {"name": cells.get("community", "")}
        community |= {k: _number(k, cells[k], path, line) for k in COMMUNITY if cells.get(k)}
        record["community"] = _located(community, line)
        record.key_lines["community"] = line
    dedications = _dedications(cells, line)
    if dedications is not None:
        record["dedications"] = dedications
        record.key_lines["dedications"] = line
    return record


def _plain(key: str) -> bool:
    """Columns that go into the record as they are."""
    return key in ("id", "copies", "cover_line", "binding")


def _number(key: str, value: str, path: Path, line: int) -> Any:
    """A numeric cell as a number (the schema then checks its range)."""
    kind = int if key == "candle_minutes" else NUMBERS.get(key)
    if kind is None:
        return value
    try:
        return kind(value)
    except ValueError:
        raise PamphletError(f"{key} '{value}' is not a number", path, line) from None


def _dedications(cells: dict[str, str], line: int) -> YamlMap | None:
    """The role columns as a dedications record; None when the row leaves them all empty."""
    if not any(cells.get(role) for role in (*ROLES, "memorial_boxes")):
        return None
    record = _located({role: _names(cells.get(role, ""), line) for role in ROLES}, line)
    boxes = YamlList()
    boxes.line, boxes.item_lines = line, []
    for box in filter(None, (b.strip() for b in cells.get("memorial_boxes", "").split(";"))):
        person, _, donors = box.partition("=")
        entry = {"person": person.strip(), "donors": _names(donors.replace("+", ";"), line)}
        boxes.append(_located(entry, line))
        boxes.item_lines.append(line)
    record["memorial_boxes"] = boxes
    record.key_lines["memorial_boxes"] = line
    return record


def _names(cell: str, line: int) -> YamlList:
    """People keys separated by `;`."""
    names = YamlList(name.strip() for name in cell.split(";") if name.strip())
    names.line, names.item_lines = line, [line] * len(names)
    return names


def _located(values: dict[str, Any], line: int) -> YamlMap:
    """A mapping whose every key is on `line` (a CSV row)."""
    record = YamlMap(values)
    record.line, record.key_lines = line, dict.fromkeys(values, line)
    return record
