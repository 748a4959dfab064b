"""Batch state: the manifest (JSON and CSV) of what was built, and the hashes of what each
edition was built from, so that a rerun rebuilds only what is missing or changed.

The manifest is rewritten whole, atomically, after each edition (`files.write_together`):
a batch killed halfway leaves a manifest of the editions it finished and no half file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PamphletError
from ..files import folder_lock, write_together

COLUMNS = (
    "edition", "status", "error", "copies", "binding", "pages", "reader", "master", "imposed",
    "sha256_reader", "sha256_master", "sha256_imposed", "input_hash", "print_jobs",
)  # fmt: skip
ROLES = ("reader", "master", "imposed")


@dataclass
class Manifest:
    """The editions of one batch (or one shard of it), by edition id, in order."""

    path: Path  # manifest.json (or manifest-K-of-N.json); the CSV beside it
    issue: str
    input_hash: str = ""
    editions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def csv_path(self) -> Path:
        """The CSV beside the JSON."""
        return self.path.with_suffix(".csv")

    def write(self) -> None:
        """Both files, together and atomically."""
        data: dict[str, Any] = {"issue": self.issue, "input_hash": self.input_hash}
        data["editions"] = list(self.editions.values())
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        with folder_lock(self.path.parent, "manifest"):  # `print` records jobs under it too
            write_together({self.path: text.encode(), self.csv_path: as_csv(data).encode()})


def as_csv(data: dict[str, Any]) -> str:
    """The manifest as CSV for office users: one row an edition."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in data["editions"]:
        files, sums = entry.get("files") or {}, entry.get("sha256") or {}
        row = {key: entry.get(key) for key in COLUMNS if key in entry}
        row |= {role: files.get(role, "") for role in ROLES}
        row |= {f"sha256_{role}": sums.get(role, "") for role in ROLES}
        row["print_jobs"] = " ".join(job["job"] for job in entry.get("print_jobs") or [])
        writer.writerow({key: "" if row.get(key) is None else row[key] for key in COLUMNS})
    return out.getvalue()


def load_manifest(path: Path, issue: str) -> Manifest:
    """The manifest at `path`, or an empty one; a malformed one is an error, not lost."""
    if not path.exists():
        return Manifest(path, issue)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        editions = {entry["edition"]: entry for entry in data["editions"]}
    except json.JSONDecodeError as err:
        raise PamphletError(f"not a manifest: {err.msg}", path, err.lineno) from None
    except (KeyError, TypeError):
        raise PamphletError("not a manifest: no list of editions", path) from None
    return Manifest(path, data.get("issue", issue), data.get("input_hash", ""), editions)


def sha256(path: Path) -> str:
    """The file's SHA-256, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def still_good(entry: dict[str, Any] | None, folder: Path, input_hash: str) -> bool:
    """Whether an edition built before from the same inputs still has all its files, as
    they were written."""
    if not entry or entry.get("status") != "built" or entry.get("input_hash") != input_hash:
        return False
    files, sums = entry.get("files") or {}, entry.get("sha256") or {}
    for role in ROLES:
        path = folder / files.get(role, "")
        if role not in files or not path.is_file() or sha256(path) != sums.get(role):
            return False
    return True
