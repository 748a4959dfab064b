"""Join the manifests of a sharded batch (`--shard K/N` on any job runner) into one,
refusing a shard that is missing, doubled, or from other inputs."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import PamphletError
from .state import Manifest, load_manifest

_SHARD = re.compile(r"manifest-(\d+)-of-(\d+)\.json")


def merge_manifests(out: Path) -> tuple[Path, int]:
    """manifest.json from out/manifest-K-of-N.json; (its path, how many shards)."""
    shards = sorted(
        (int(m.group(1)), int(m.group(2)), path)
        for path in out.glob("manifest-*-of-*.json")
        if (m := _SHARD.fullmatch(path.name))
    )
    if not shards:
        raise PamphletError("no shard manifests (manifest-K-of-N.json) to merge", out)
    counts = {count for _, count, _ in shards}
    if len(counts) != 1:
        raise PamphletError(f"shards of different batches: of {sorted(counts)}", out)
    count = counts.pop()
    missing = sorted(set(range(1, count + 1)) - {index for index, _, _ in shards})
    if missing:
        raise PamphletError(f"shard(s) {', '.join(map(str, missing))} of {count} missing", out)
    manifests = [load_manifest(path, "") for _, _, path in shards]
    hashes = {m.input_hash for m in manifests}
    if len(hashes) != 1:
        raise PamphletError("shards built from different inputs: build them again", out)
    merged = Manifest(out / "manifest.json", manifests[0].issue, hashes.pop())
    for manifest in manifests:
        for edition, entry in manifest.editions.items():
            if edition in merged.editions:
                raise PamphletError(f"edition '{edition}' is in two shards", manifest.path)
            merged.editions[edition] = entry
    merged.editions = dict(sorted(merged.editions.items()))
    merged.write()
    return merged.path, count
