"""What the renderer may read (the project's own files) and how output is written safely."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import PamphletError


def is_inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether a resolved path lies inside one of the allowed folders."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def resolve_local(
    ref: str, base: Path, roots: Sequence[Path], named_in: Path, line: int | None = None
) -> Path:
    """Turn a reference from content into a project file, or refuse it with a clear error."""
    parsed = urlparse(ref)
    if parsed.scheme in ("http", "https", "ftp") or ref.startswith("//"):
        raise PamphletError(
            f"'{ref}' is on the network; only the project's own files can be used", named_in, line
        )
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
    elif parsed.scheme and len(parsed.scheme) > 1:
        raise PamphletError(f"'{ref}': only the project's own files can be used", named_in, line)
    else:
        path = base / unquote(ref)
    if not is_inside(path, roots):
        raise PamphletError(
            f"'{ref}' is outside the project; only its own files can be used", named_in, line
        )
    if not path.is_file():
        raise PamphletError(f"file not found: {ref}", named_in, line)
    return path.resolve()


def write_atomically(target: Path, data: bytes) -> None:
    """Write a file so that readers see the old file or the whole new one, never half."""
    write_together({target: data})


def write_together(files: dict[Path, bytes]) -> None:
    """Write several files as one: every file is written in full beside its target first,
    then all are moved into place; if any write fails, none is moved."""
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _stage(target: Path, data: bytes) -> str:
    """The whole data in a temporary file next to the target (same file system)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
