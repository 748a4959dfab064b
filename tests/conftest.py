"""Fixtures: builds through the command line (in-process; a few as real processes), and
small content trees in tmp_path."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from pamphlet.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass
class Run:
    """A finished `python build.py …` run."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def pdf(self) -> str:
        """The first path printed: a build's reader PDF."""
        return self.stdout.split("\n", 1)[0].strip()

    @property
    def html(self) -> str:
        """The HTML a build wrote (--html)."""
        return next(p for p in self.stdout.split() if p.endswith(".html"))


def run_build(*args: str | Path, cwd: Path = ROOT) -> Run:
    """Run the command line in this process, as `python build.py ARGS` in `cwd` would."""
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main([str(a) for a in args], project=ROOT)
    finally:
        os.chdir(previous)
    return Run(code, stdout.getvalue(), stderr.getvalue())


def run_process(*args: str | Path, cwd: Path = ROOT) -> Run:
    """Run build.py as a user would, in a fresh interpreter (end-to-end tests only)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class Built:
    """A successful build: the run and the files it wrote."""

    run: Run
    pdf: Path  # the reader PDF
    html: Path
    master: Path  # the print master


def shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Any]) -> Any:
    """Make a test's PDF once for the whole run, whichever pytest-xdist worker asks first;
    the other worker waits on the lock and reuses it. `make` gets an empty folder and
    returns what the tests need, as JSON (paths as text)."""
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    done = root / f"shared-{name}.json"
    with FileLock(str(root / f"shared-{name}.lock")):
        if done.exists():
            return json.loads(done.read_text(encoding="utf-8"))
        folder = root / f"shared-{name}"
        folder.mkdir()
        value = make(folder)
        done.write_text(json.dumps(value), encoding="utf-8")
        return value


def _build(factory: pytest.TempPathFactory, name: str, folder: Path) -> Built:
    def make(out: Path) -> dict:
        run = run_build("build", folder, "-o", out, "--html", "--quiet")
        assert run.returncode == 0, run.stderr
        return {"code": run.returncode, "stdout": run.stdout, "stderr": run.stderr}

    result = shared(factory, name, make)
    run = Run(result["code"], result["stdout"], result["stderr"])
    pdf, master, html = (Path(line) for line in run.stdout.split())
    return Built(run, pdf, html, master)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The reference issue, Shemot 5786, built once for the run."""
    return _build(tmp_path_factory, "default", ROOT / "content" / "shemot-5786")


@pytest.fixture(scope="session")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The second issue folder (seed 002), built once for the run."""
    return _build(tmp_path_factory, "second", ROOT / "content" / "shemot-5786-haftorah")


def copy_series(content: Path) -> None:
    """The default series file into a content folder, with the filler pages it names."""
    shutil.copy(ROOT / "content" / "series.yaml", content / "series.yaml")
    shutil.copytree(ROOT / "content" / "fillers", content / "fillers", dirs_exist_ok=True)


def without_fillers(content: Path) -> None:
    """Take the filler pages out of a copied series: what is left is blank."""
    series = content / "series.yaml"
    text = series.read_text(encoding="utf-8")
    series.write_text(re.sub(r"\nfillers:\n(  - .*\n)+", "\n", text), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the content tree (series + default issue) that a test may break."""
    content = tmp_path / "content"
    content.mkdir()
    copy_series(content)
    shutil.copy(ROOT / "content" / "people.yaml", content / "people.yaml")
    shutil.copytree(ROOT / "content" / "shemot-5786", content / "shemot-5786")
    return content


ISSUE_YAML = """\
date: 2026-01-10
portion: Shemot
hebrew_year: 5786
volume: 13
contents:
  - essays/cases.md
"""


def write_issue(
    content: Path, body: str, front: str = "title: Cases\n", name: str = "cases"
) -> Path:
    """A one-article issue folder next to the copied series file."""
    folder = content / name
    (folder / "essays").mkdir(parents=True)
    (folder / "issue.yaml").write_text(ISSUE_YAML, encoding="utf-8")
    (folder / "essays" / "cases.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return folder


# A slow step's progress line ("laying out the pages: 1.1 s"): shown on a loaded machine.
PROGRESS = re.compile(r"[a-z ]+: \d+\.\d s")


def assert_one_line_error(run: Run, pattern: str) -> None:
    """Bad input: exit 1, one line matching `pattern`, no traceback, nothing printed."""
    assert run.returncode == 1
    lines = [ln for ln in run.stderr.strip().splitlines() if not PROGRESS.fullmatch(ln)]
    assert len(lines) == 1, run.stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
