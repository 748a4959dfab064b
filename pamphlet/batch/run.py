"""Run a batch: build every planned edition (reader PDF, print master, imposed sheets) in
worker processes, record each in the manifest as it lands, skip what is already built
from the same inputs.

Workers are started fresh (the `spawn` method: WeasyPrint has crashed in forked workers),
each checks its editions again from the files (cheap next to a render) and builds them
with the same pipeline as `build`. A failing edition is recorded and skipped.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PamphletError
from ..report import advance
from ..settings import Overrides
from .plan import Plan, Planned, Shard, plan_batch
from .state import load_manifest, sha256, still_good


@dataclass(frozen=True)
class Outcome:
    """What a batch run did."""

    built: int
    unchanged: int
    failed: int
    manifest: Path


def manifest_path(out: Path, shard: Shard | None) -> Path:
    """manifest.json, or manifest-K-of-N.json for a shard."""
    return out / f"manifest{shard.suffix if shard else ''}.json"


def run_batch(
    plan: Plan, out: Path, cli: Overrides, jobs: int = 1, shard: Shard | None = None,
    force: bool = False,
) -> Outcome:  # fmt: skip
    """Build the plan's editions into `out/<edition>/`; the manifest after each one."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(manifest_path(out, shard), plan.issue.folder.name)
    manifest.input_hash = plan.input_hash
    todo = [
        p
        for p in plan.editions
        if force or not still_good(manifest.editions.get(p.edition.id), out, p.input_hash)
    ]
    unchanged = len(plan.editions) - len(todo)
    failed = 0
    for done, entry in enumerate(_built(plan, todo, out, cli, jobs), start=unchanged + 1):
        manifest.editions[entry["edition"]] = entry
        manifest.editions = {
            p.edition.id: manifest.editions[p.edition.id]
            for p in plan.editions
            if p.edition.id in manifest.editions
        }
        manifest.write()
        failed += entry["status"] == "failed"
        advance(f"{entry['edition']}: {entry['status']}", done, len(plan.editions))
    if not todo:
        manifest.write()
    return Outcome(len(todo) - failed, unchanged, failed, manifest.path)


def _built(plan: Plan, todo: list[Planned], out: Path, cli: Overrides, jobs: int) -> Any:
    """Each edition's manifest entry, as its build finishes."""
    if jobs <= 1 or len(todo) <= 1:
        shared = _shared(plan) if todo else None
        for planned in todo:
            yield _entry(planned, out, shared)
        return
    context = multiprocessing.get_context("spawn")
    setup = (plan.issue.folder, plan.editions_path, out, cli)
    with concurrent.futures.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=setup
    ) as pool:
        futures = [pool.submit(_build_in_worker, p.edition.id) for p in todo]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()


_worker: dict[str, Any] = {}  # in a worker process: its plan and output folder


def _start_worker(folder: Path, editions_path: Path, out: Path, cli: Overrides) -> None:
    """In a new worker: check the editions again from the files, once."""
    plan = plan_batch(folder, editions_path, cli, out=out)
    _worker.update(out=out, editions={p.edition.id: p for p in plan.editions}, plan=plan)


def _build_in_worker(edition_id: str) -> dict[str, Any]:
    """In a worker: build one edition of its plan (the issue laid out once a worker)."""
    if "shared" not in _worker:
        _worker["shared"] = _shared(_worker["plan"])
    return _entry(_worker["editions"][edition_id], _worker["out"], _worker["shared"])


def _shared(plan: Plan) -> Any:
    """The issue laid out once for all its editions; None when it cannot be laid out (each
    edition then reports its own error)."""
    from .shared import SharedLayout

    try:
        return SharedLayout.of(plan.issue)
    except PamphletError:
        return None


def _entry(planned: Planned, out: Path, shared: Any = None) -> dict[str, Any]:
    """Build one edition into its folder; its manifest entry (failed, with the one-line
    error, when it could not be built)."""
    from ..pipeline import binding_of, build_loaded

    edition = planned.edition
    folder = out / edition.id
    entry: dict[str, Any] = {
        "edition": edition.id,
        "status": "failed",
        "error": None,
        "copies": edition.copies,
        "binding": None,
        "pages": None,
        "input_hash": planned.input_hash,
        "files": {},
        "sha256": {},
        "print_jobs": [],
    }
    settings = dataclasses.replace(planned.issue.settings, output=folder, impose=True)
    issue = dataclasses.replace(planned.issue, settings=settings)
    try:
        result = build_loaded(issue, shared)
    except PamphletError as err:
        entry["error"] = str(err).replace("\n", "; ")
        return entry
    files = {"reader": result.pdf, "master": result.master, "imposed": result.imposed}
    entry |= {
        "status": "built",
        "binding": binding_of(issue),
        "pages": result.pages,
        "files": {role: str(path.relative_to(out)) for role, path in files.items() if path},
        "sha256": {role: sha256(path) for role, path in files.items() if path},
    }
    return entry
