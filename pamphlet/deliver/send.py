"""Send a batch to a print queue: read the batch's manifest, check every file to send
against it, send each edition's imposed file, and record each job in the manifest.

Everything is checked before the first job is sent (all problems at once). A run holds
the folder's "print" lock, so two runs cannot send the same editions twice; each job is
recorded (manifest.json and manifest.csv, together and atomically) as soon as the queue
has taken it, so a run that dies halfway loses nothing it sent. Every file read is inside
the batch folder, symbolic links followed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..batch.state import as_csv
from ..errors import PamphletError, raise_all
from ..files import folder_lock, is_inside, write_together
from .cups import CupsQueue

MANIFEST = "manifest.json"
CSV = "manifest.csv"


@dataclass(frozen=True)
class Job:
    """One edition to send: its imposed file (checked), copies and job title."""

    edition: str
    pdf: Path
    copies: int
    title: str


@dataclass
class Plan:
    """What a run sends, and what it leaves out and why (edition ids, manifest order)."""

    to_send: list[Job] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # a job on this queue already
    failed: list[str] = field(default_factory=list)  # failed in the batch
    unbuilt: list[str] = field(default_factory=list)  # skipped by the batch
    sent: list[tuple[str, str]] = field(default_factory=list)  # (edition, job id)


def plan(folder: Path, queue: CupsQueue, only: Iterable[str] = (), again: bool = False) -> Plan:
    """Read the manifest and check every file to send; nothing is sent or written."""
    path, data = read_manifest(folder)
    entries = _selected(data["editions"], list(dict.fromkeys(only)), path)
    issue = data.get("issue") if isinstance(data.get("issue"), str) else ""
    result, errors = Plan(), []
    for entry in entries:
        edition = entry["edition"]
        if entry["status"] == "failed":
            result.failed.append(edition)
        elif entry["status"] != "built":
            result.unbuilt.append(edition)
        elif _sent_to(entry, queue) and not again:
            result.already.append(edition)
        else:
            try:
                result.to_send.append(_job(entry, folder, path, f"{issue} {edition}"))
            except PamphletError as err:
                errors.append(err)
    raise_all(errors)
    return result


def send_batch(
    folder: Path,
    queue: CupsQueue,
    only: Iterable[str] = (),
    again: bool = False,
    each: Callable[[str, str], None] = lambda edition, job: None,
) -> Plan:
    """Send what `plan` finds to the queue, recording each job as soon as it is taken;
    `each(edition, job id)` is told of every job sent."""
    with folder_lock(folder, "print"):
        result = plan(folder, queue, only, again)
        for job in result.to_send:
            job_id = _send_one(folder, queue, job, len(result.sent))
            result.sent.append((job.edition, job_id))
            each(job.edition, job_id)
    return result


def _send_one(folder: Path, queue: CupsQueue, job: Job, before: int) -> str:
    """Send one edition and record its job; an error says what was sent before it, or
    that this job went out unrecorded."""
    try:
        job_id = queue.send(job.pdf, job.copies, job.title)
    except PamphletError as err:
        if not before:
            raise
        kept = f"{before} sent before it, and recorded"
        raise PamphletError(f"{err.message} ({kept})", err.path, err.line) from None
    try:
        record(folder, job.edition, _entry(queue, job_id, job.copies))
    except PamphletError as err:
        lost = f"{job_id} ({job.edition}) was sent but is not recorded"
        raise PamphletError(f"{err.message}; {lost}", err.path, err.line) from None
    return job_id


def read_manifest(folder: Path) -> tuple[Path, dict[str, Any]]:
    """The batch folder's manifest.json, checked: a list of editions with ids and status."""
    if not folder.is_dir():
        raise PamphletError("not a folder: give the output folder of a batch", folder)
    path = folder / MANIFEST
    if not path.exists():
        raise PamphletError(f"no {MANIFEST}: not the output folder of a batch", folder)
    _inside(path, folder, MANIFEST, path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise PamphletError(f"not a manifest: {err.msg}", path, err.lineno) from None
    except UnicodeDecodeError:
        raise PamphletError("not a manifest: not UTF-8 text", path) from None
    except OSError as err:
        raise PamphletError(f"cannot read: {err.strerror or err}", path) from None
    _check_editions(data, path)
    return path, data


def _check_editions(data: Any, path: Path) -> None:
    """Refuse a manifest without a list of editions, each with an id and a status."""
    if not isinstance(data, dict) or not isinstance(data.get("editions"), list):
        raise PamphletError("not a manifest: no list of editions", path)
    seen: set[str] = set()
    for number, entry in enumerate(data["editions"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("edition"), str):
            raise PamphletError(f"not a manifest: edition {number} has no id", path)
        if not isinstance(entry.get("status"), str):
            raise PamphletError(f"not a manifest: edition '{entry['edition']}' has no status", path)
        if entry["edition"] in seen:
            raise PamphletError(f"not a manifest: edition '{entry['edition']}' twice", path)
        seen.add(entry["edition"])
        jobs = entry.get("print_jobs") or []
        if not isinstance(jobs, list) or not all(isinstance(job, dict) for job in jobs):
            raise PamphletError(f"edition '{entry['edition']}': print_jobs is not a list", path)


def _selected(entries: list[dict[str, Any]], only: list[str], path: Path) -> list[dict[str, Any]]:
    """The editions asked for (all when none named); an id not in the manifest is an error."""
    known = {entry["edition"] for entry in entries}
    unknown = [name for name in only if name not in known]
    raise_all([PamphletError(f"edition '{name}' is not in the manifest", path) for name in unknown])
    return [entry for entry in entries if not only or entry["edition"] in only]


def _sent_to(entry: dict[str, Any], queue: CupsQueue) -> bool:
    """Whether the edition already has a job on this queue (queue names ignore case)."""
    jobs = entry.get("print_jobs") or []
    return any(str(job.get("queue", "")).casefold() == queue.name.casefold() for job in jobs)


def _job(entry: dict[str, Any], folder: Path, manifest: Path, title: str) -> Job:
    """The edition's imposed file, inside the folder and as the batch wrote it."""
    edition, copies = entry["edition"], entry.get("copies")
    if not isinstance(copies, int) or isinstance(copies, bool) or copies < 1:
        raise PamphletError(f"edition '{edition}': copies is not a number from 1", manifest)
    shown = (entry.get("files") or {}).get("imposed")
    expected = (entry.get("sha256") or {}).get("imposed")
    if not isinstance(shown, str) or not shown or not isinstance(expected, str):
        raise PamphletError(f"edition '{edition}': no imposed file and SHA-256", manifest)
    pdf = _inside(folder / shown, folder, shown, manifest)
    if not pdf.is_file():
        raise PamphletError(f"edition '{edition}': file not found: {shown}", manifest)
    if _sha256(pdf) != expected.lower():
        raise PamphletError(
            f"edition '{edition}': changed since the batch (SHA-256 differs from the "
            "manifest); rebuild the batch before printing it",
            pdf,
        )
    return Job(edition, pdf, copies, title)


def _inside(path: Path, folder: Path, shown: str, manifest: Path) -> Path:
    """The resolved path, or an error when it (or a link on the way) leads out of the folder."""
    if "\0" in shown or not is_inside(path, [folder]):
        raise PamphletError(f"'{shown}' is outside the batch folder; refused", manifest)
    return path.resolve()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entry(queue: CupsQueue, job_id: str, copies: int) -> dict[str, Any]:
    """A job as the manifest records it."""
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return {"queue": queue.name, "job": job_id, "copies": copies, "sent_at": now}


def record(folder: Path, edition: str, job: dict[str, Any]) -> None:
    """Add a job to the edition's print_jobs, in manifest.json and manifest.csv together
    (the manifest is read again, so whatever else changed in it is kept)."""
    path, data = read_manifest(folder)
    entry = next((e for e in data["editions"] if e["edition"] == edition), None)
    if entry is None:
        raise PamphletError(f"edition '{edition}' left the manifest while printing", path)
    entry["print_jobs"] = [*(entry.get("print_jobs") or []), job]
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    files = {path: text.encode()}
    table = folder / CSV
    if table.exists():
        _inside(table, folder, CSV, path)
    files[table] = as_csv(data).encode()  # the batch's own CSV writer: one format
    with folder_lock(folder, "manifest"):
        write_together(files)


def job_ids(entry: dict[str, Any]) -> str:
    """An edition's print jobs as the CSV shows them: job ids, space-separated."""
    return " ".join(str(job.get("job", "")) for job in entry.get("print_jobs") or [])
