"""A CUPS print queue, through the `lp` command of cups-client.

Every argument is passed as a list (no shell), the queue name is checked before it becomes
one, and the environment is passed through as it is, so that `CUPS_SERVER` (or the
user's client.conf) chooses the print server.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import PamphletError

QUEUE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,127}")
SIDES = "sides=two-sided-short-edge"  # an imposed booklet sheet turns on its short edge
TIMEOUT = 120.0  # seconds lp may take to hand a job to the server


@dataclass(frozen=True)
class CupsQueue:
    """A print queue on the CUPS server that `lp` talks to."""

    name: str

    def __post_init__(self) -> None:
        if not QUEUE_NAME.fullmatch(self.name):
            raise PamphletError(
                f"--queue '{self.name}': a queue name is letters, digits, '_', '.' and '-'"
            )

    def command(self, pdf: Path, copies: int, title: str) -> list[str]:
        """The lp command line that prints `pdf`: so many copies, duplex on the short edge."""
        return [
            "lp", "-d", self.name, "-n", str(copies), "-o", SIDES, "-t", job_title(title), str(pdf)
        ]  # fmt: skip

    def send(self, pdf: Path, copies: int, title: str) -> str:
        """Hand the file to the queue; the job id the server gave it (QUEUE-N)."""
        output = run_lp(self.command(pdf, copies, title), self.name)
        return job_id(output, self.name)


def run_lp(command: list[str], queue: str) -> str:
    """Run lp (environment passed through); its output, or a one-line error."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT, check=False, shell=False
        )
    except FileNotFoundError:
        raise PamphletError("lp not found: install cups-client") from None
    except subprocess.TimeoutExpired:
        raise PamphletError(f"queue '{queue}': lp gave no answer in {TIMEOUT:.0f} s") from None
    except OSError as err:
        raise PamphletError(f"cannot run lp: {err.strerror or err}") from None
    if done.returncode != 0:
        said = first_line(done.stderr) or first_line(done.stdout) or f"exit {done.returncode}"
        raise PamphletError(f"queue '{queue}': {said}")
    return done.stdout


def job_id(output: str, queue: str) -> str:
    """The job id in lp's answer ("request id is QUEUE-12 (1 file(s))"), in any language."""
    found = re.search(rf"(?<![\w.-]){re.escape(queue)}-\d+\b", output, re.IGNORECASE)
    if found is None:
        raise PamphletError(
            f"queue '{queue}': lp named no job id (it said '{first_line(output)}'); "
            "check the queue before sending again"
        )
    return found.group()


def job_title(text: str) -> str:
    """A job title as CUPS takes it: printable characters only, at most 255 of them."""
    return "".join(c if c.isprintable() else " " for c in text).strip()[:255] or "pamphlet"


def first_line(text: str) -> str:
    """The first line of a program's message that says something."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
