"""The command line and its reporter: paths on stdout, one line per problem, a summary,
progress, --quiet, --strict, NO_COLOR, --version, and the three ways in."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_build, write_issue

from pamphlet import __version__, report
from pamphlet.report import Reporter, step, warn

SUMMARY = re.compile(
    r"^wrote [\w.-]+\.pdf: \d+ pages \(\d+ content[^)]*\); (\d+) warnings?; [\d.]+ s$"
)


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_build_prints_its_paths_and_ends_with_a_summary(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--html")
    assert run.returncode == 0, run.stderr
    written = [Path(p).name for p in run.stdout.split()]
    assert written == [
        "reflections-of-redemption-cases.pdf",
        "reflections-of-redemption-cases-print.pdf",
        "reflections-of-redemption-cases.html",
    ]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), run.stderr
    assert "8 pages (5 content, 3 fillers); 0 warnings" in lines[0]


def test_quiet_prints_only_the_paths(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    assert run.returncode == 0 and run.stderr == ""
    assert run.pdf.endswith(".pdf")


def _with_unknown_css(content: Path) -> Path:
    folder = write_issue(content, "Text.\n")
    (folder / "extra.css").write_text("p { colr: red }\n", encoding="utf-8")
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text().replace("contents:", "stylesheets: [extra.css]\ncontents:"))
    return folder


def test_weasyprint_warnings_reach_the_reporter_with_their_source(project, tmp_path) -> None:
    folder = _with_unknown_css(project)
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    warning, summary = run.stderr.strip().splitlines()
    assert re.match(r"warning: .*cases/issue\.yaml: WeasyPrint: .*colr", warning), warning
    assert "; 1 warning;" in summary


def test_strict_turns_warnings_into_failures_and_writes_nothing(project, tmp_path) -> None:
    folder = _with_unknown_css(project)
    out = tmp_path / "out"
    run = run_build("build", folder, "-o", out, "--strict")
    assert run.returncode == 1 and run.stdout == ""
    assert "error: 1 warning(s) and --strict: nothing was written" in run.stderr
    assert not out.exists()


def test_quiet_still_shows_errors(project, tmp_path) -> None:
    run = run_build("build", tmp_path / "nowhere", "--quiet")
    assert run.returncode == 1 and run.stderr.startswith("error: ")


def test_plain_progress_lines_for_slow_steps_off_a_terminal(monkeypatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(report, "SLOW", 0.01)
    with Reporter(stream):
        with step("slow work"):
            time.sleep(0.02)
        with step("quick work"):
            pass
    assert re.fullmatch(r"slow work: \d\.\d s\n", stream.getvalue())


def test_a_status_line_on_a_terminal_and_colour_unless_no_color(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = Terminal()
    with Reporter(coloured):
        warn("something odd", Path("x.yaml"), 3)
    assert "\x1b[" in coloured.getvalue() and "x.yaml:3: something odd" in coloured.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    with Reporter(plain):
        warn("something odd", Path("x.yaml"), 3)
    assert "\x1b[3" not in plain.getvalue()  # no colour codes
    assert "warning: x.yaml:3: something odd" in plain.getvalue()


def test_version_is_written_once() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and '\nversion = "' not in pyproject
    run = run_build("--version")
    assert run.returncode == 0 and run.stdout.strip() == f"pamphlet {__version__}"


@pytest.mark.parametrize(
    "command",
    [[sys.executable, "-m", "pamphlet"], [sys.executable, str(ROOT / "build.py")]],
    ids=["python -m pamphlet", "python build.py"],
)
def test_every_way_in_builds_the_same_issue(command, project, tmp_path) -> None:
    out = tmp_path / "out"
    folder = write_issue(project, "A short essay.\n")
    proc = subprocess.run(
        [*command, "build", str(folder), "-o", str(out), "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert [Path(p) for p in proc.stdout.split()] == [
        out / "reflections-of-redemption-cases.pdf",
        out / "reflections-of-redemption-cases-print.pdf",
    ]
