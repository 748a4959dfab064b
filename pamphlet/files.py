"""What the renderer may read (the project's own files) and how output is written safely."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from filelock import FileLock

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
    """Write several files as one change: all of them land, or none does.

    Each file is written in full beside its target first (keeping the target's
    permissions and owner), under a lock on its folder; then all are moved into place.
    If a write or a move fails (a full disk, a folder that is a file, Ctrl-C), the targets
    already moved are put back as they were. `.part` files left by a killed run are swept
    the next time the folder is written."""
    try:
        folders = sorted({target.parent for target in files})
        for folder in folders:
            if folder.exists() and not folder.is_dir():
                raise PamphletError("is a file, not a folder: cannot write into it", folder)
            folder.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as locks:
            for folder in folders:
                locks.enter_context(folder_lock(folder))
                _sweep(folder)
            _replace_all(files)
    except OSError as err:
        where = Path(err.filename) if err.filename else next(iter(files))
        raise PamphletError(f"cannot write: {err.strerror or err}", where) from None


@contextlib.contextmanager
def folder_lock(folder: Path, purpose: str = "write") -> Iterator[None]:
    """Hold the lock of a folder while its files are read, changed and written (filelock:
    a well-kept cross-process lock, released when the process dies). The lock file lives
    in the system's temporary folder, so the user's folders stay as they were."""
    key = hashlib.sha256(f"{purpose}:{folder.resolve()}".encode()).hexdigest()[:24]
    locks = Path(tempfile.gettempdir()) / "pamphlet-locks"
    locks.mkdir(exist_ok=True)
    with FileLock(str(locks / f"{key}.lock")):
        yield


def _replace_all(files: dict[Path, bytes]) -> None:
    staged: list[tuple[Path, Path]] = []
    kept: list[tuple[Path, Path]] = []  # (backup, target) of files replaced so far
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            if target.exists():
                backup = target.with_name(f".{target.name}.{os.getpid()}.old.part")
                os.link(target, backup)
                kept.append((backup, target))
            os.replace(tmp, target)
    except BaseException:
        for backup, target in kept:
            os.replace(backup, target)
        raise
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        for backup, _ in kept:
            backup.unlink(missing_ok=True)


def _stage(target: Path, data: bytes) -> Path:
    """The whole data in a temporary file next to the target (same file system), with the
    target's permissions and owner when it exists."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode_and_owner(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _keep_mode_and_owner(tmp: Path, target: Path) -> None:
    try:
        info = target.stat()
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    os.chmod(tmp, stat.S_IMODE(info.st_mode))
    if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(PermissionError):
            os.chown(tmp, info.st_uid, info.st_gid)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sweep(folder: Path) -> None:
    """Remove `.part` files a killed run left behind (the folder's lock is held)."""
    for leftover in folder.glob(".*.part"):
        with contextlib.suppress(OSError):
            leftover.unlink()
