"""What the renderer may read (the project's own files) and how output is written safely."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import PamphletError


def is_inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether a path, symbolic links followed, lies inside one of the allowed folders."""
    try:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root.resolve()) for root in roots)
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL in the name
        return False


def inside_or_error(
    path: Path, roots: Sequence[Path], shown: str, named_in: Path | None, line: int | None
) -> Path:
    """The resolved path, or an error naming where the escaping name was written."""
    if not is_inside(path, roots):
        raise PamphletError(
            f"'{shown}' is outside the project; only its own files can be used", named_in, line
        )
    return path.resolve()


def local_path(ref: str, base: Path) -> Path | None:
    """The file a reference names, if it names a local file at all: a relative path, or a
    `file:` URL without a host. Anything else (a network address, another scheme) is None."""
    if ref.startswith("//") or "\0" in ref:
        return None
    parsed = urlparse(ref)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path)) if parsed.netloc in ("", "localhost") else None
    if parsed.scheme and len(parsed.scheme) > 1:  # c:\… is a path, not a scheme
        return None
    return base / unquote(ref)


def resolve_local(
    ref: str, base: Path, roots: Sequence[Path], named_in: Path, line: int | None = None
) -> Path:
    """Turn a reference from content into a project file, or refuse it with a clear error,
    before anything is fetched or looked up."""
    path = local_path(ref, base)
    if path is None:
        where = "is on the network" if _names_a_host(ref) else "is not a project file"
        raise PamphletError(
            f"'{ref}' {where}; only the project's own files can be used", named_in, line
        )
    resolved = inside_or_error(path, roots, ref, named_in, line)
    if not resolved.is_file():
        raise PamphletError(f"file not found: {ref}", named_in, line)
    return resolved


def _names_a_host(ref: str) -> bool:
    parsed = urlparse(ref)
    return ref.startswith("//") or bool(parsed.netloc) or parsed.scheme in ("http", "https")


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
