"""The one family of errors a user can cause, each printed as a single line."""

from __future__ import annotations

from pathlib import Path


class PamphletError(Exception):
    """A problem with the user's input: which file, which line, what is wrong."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return self.message if self.path is None else f"{self.where()}: {self.message}"

    def where(self) -> str:
        """The file (relative to the working directory when inside it) and line."""
        shown = _display_path(self.path) if self.path else "?"
        return f"{shown}:{self.line}" if self.line else shown


class InputErrors(PamphletError):
    """Several problems found while validating; all are reported, one per line."""

    def __init__(self, errors: list[PamphletError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def raise_all(errors: list[PamphletError]) -> None:
    """Raise the collected problems, if any: one as itself, several together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InputErrors(errors)
