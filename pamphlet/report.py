"""The reporter: library code logs, the command line presents.

Library side: every module logs through the `pamphlet` logger; `warn()` logs a problem
with its file and line; `step()` marks a stage that may take a while; WeasyPrint's own
warnings are routed into `pamphlet.weasyprint` with the file being rendered.

Presenting side (used by the CLI): `Reporter` writes one line per problem to stderr,
shows progress for steps that take over a second (a rich status line on a terminal,
plain lines otherwise, NO_COLOR honoured), counts warnings for `--strict`, and ends each
command with a summary. With `quiet`, only errors are shown.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from .errors import PamphletError
from .typography import for_terminal

log = logging.getLogger("pamphlet")
_progress = logging.getLogger("pamphlet.progress")
_weasyprint = logging.getLogger("pamphlet.weasyprint")
SLOW = 1.0  # seconds after which a step is worth showing


def warn(message: str, path: Path | None = None, line: int | None = None) -> None:
    """Log a warning about the user's input, with its file and line when known."""
    log.warning("%s", PamphletError(message, path, line))


def advance(what: str, done: int, total: int) -> None:
    """One more of many things done (editions of a batch): a presenter shows a bar."""
    _progress.info(
        "%s", what, extra={"step": what, "phase": "advance", "done": done, "total": total}
    )


@contextmanager
def step(name: str) -> Iterator[None]:
    """Mark a stage of work, so that a presenter can show progress for slow ones."""
    start = time.perf_counter()
    _progress.debug("%s", name, extra={"step": name, "phase": "start"})
    phase = "failed"
    try:
        yield
        phase = "end"
    finally:
        elapsed = time.perf_counter() - start
        extra = {"step": name, "phase": phase, "seconds": elapsed}
        _progress.debug("%s: %.1f s", name, elapsed, extra=extra)


class WarningCount(logging.Handler):
    """Counts the warnings logged while it is installed (see `count_warnings`)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


# WeasyPrint's warnings already reported in this block of work (one build renders several
# times: fitting, the page budget, fillers; each render warns again of the same CSS).
_reported: ContextVar[set[str] | None] = ContextVar("reported", default=None)


@contextmanager
def count_warnings() -> Iterator[WarningCount]:
    """Count the warnings the package logs while a block runs (for --strict); a warning
    WeasyPrint repeats on each render is reported once."""
    counter = WarningCount()
    log.addHandler(counter)
    token = _reported.set(set())
    try:
        yield counter
    finally:
        _reported.reset(token)
        log.removeHandler(counter)


class _Forward(logging.Handler):
    """Passes WeasyPrint's warnings on to the pamphlet logger, naming the source file."""

    def __init__(self, source: Path | None):
        super().__init__(logging.WARNING)
        self.source = source

    def emit(self, record: logging.LogRecord) -> None:
        message = f"WeasyPrint: {record.getMessage()}"
        reported = _reported.get()
        if reported is not None:
            if message in reported:
                return
            reported.add(message)
        _weasyprint.warning("%s", PamphletError(message, self.source))


@contextmanager
def weasyprint_warnings(source: Path | None) -> Iterator[None]:
    """Route WeasyPrint's warnings into the pamphlet logger while rendering `source`."""
    logger = logging.getLogger("weasyprint")
    forward = _Forward(source)
    logger.addHandler(forward)
    try:
        yield
    finally:
        logger.removeHandler(forward)


class Reporter(logging.Handler):
    """Presents what the package logs: problems, progress and the closing summary."""

    def __init__(self, stream: IO[str] | None = None, quiet: bool = False, verbose: bool = False):
        super().__init__(logging.DEBUG)
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose
        self.warnings = 0
        self.started = time.perf_counter()
        self.terminal = self.stream.isatty()
        self.console = Console(file=self.stream, no_color="NO_COLOR" in os.environ, highlight=False)
        self._status: Any = None
        self._bar: Any = None
        self._task: Any = None

    # -- the logging side ------------------------------------------------------------

    def __enter__(self) -> Reporter:
        log.addHandler(self)
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_status()
        log.removeHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        """Show one record: a problem line, a progress line, or a detail under --verbose."""
        if record.name == _progress.name:
            self._progress(record)
        elif record.levelno >= logging.WARNING:
            self.warnings += 1
            if not self.quiet:
                self.line(f"warning: {record.getMessage()}", style="yellow")
        elif record.levelno >= logging.INFO and not self.quiet or self.verbose:
            self.line(record.getMessage(), style="dim")

    def _progress(self, record: logging.LogRecord) -> None:
        if self.quiet:
            return
        phase, name = getattr(record, "phase", ""), getattr(record, "step", "")
        if phase == "advance":
            self._advance(name, int(getattr(record, "done", 0)), int(getattr(record, "total", 0)))
            return
        if self.terminal and phase == "start":
            self._stop_status()
            self._status = self.console.status(f"{name}…")
            self._status.start()
        elif phase == "failed":
            self._stop_status()  # the error says what happened
        elif phase == "end":
            self._stop_status()
            seconds = float(getattr(record, "seconds", 0.0))
            if seconds >= SLOW or self.verbose:
                self.line(f"{name}: {seconds:.1f} s", style="dim")

    def _advance(self, what: str, done: int, total: int) -> None:
        """A bar on a terminal, a plain line otherwise: `[3/100] crown-heights: built`."""
        if not self.terminal:
            self.line(f"[{done}/{total}] {what}", style="dim")
            return
        if self._bar is None:
            self._stop_status()
            self._bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                console=self.console, transient=True,
            )  # fmt: skip
            self._bar.start()
            self._task = self._bar.add_task("", total=total)
        self._bar.update(self._task, completed=done, description=what)
        if done >= total:
            self._bar.stop()
            self._bar = None

    def _stop_status(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    # -- what the CLI says -------------------------------------------------------------

    def line(self, text: str, style: str | None = None) -> None:
        """One line on stderr (colour only on a terminal, never with NO_COLOR); control
        characters from the input are written out, never sent to the terminal raw."""
        text = for_terminal(text)
        if self.terminal:
            self.console.print(text, style=style, markup=False, soft_wrap=True)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def error(self, err: PamphletError) -> None:
        """Every problem of an error, one line each (a line break inside a problem, from
        a value the user typed, is written out as \\n)."""
        for problem in getattr(err, "errors", [err]):
            self.line(f"error: {str(problem)}".replace("\n", "\\n"), style="red")

    def summary(self, what: str) -> None:
        """The closing line of a command: what it did, its warnings, its time."""
        if self.quiet:
            return
        seconds = time.perf_counter() - self.started
        count = f"{self.warnings} warning{'s' if self.warnings != 1 else ''}"
        self.line(f"{what}; {count}; {seconds:.1f} s", style="green")


def say(text: str) -> None:
    """One line of a command's output on stdout, control characters written out."""
    sys.stdout.write(for_terminal(text) + "\n")
