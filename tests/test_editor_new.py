"""`new`: the next issue folder from the calendar (pamphlet/editor/new_week.py)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_build

from pamphlet.pipeline import load_issue

# Published calendar facts (Hebcal, diaspora), written out here rather than computed: the
# Shabbat, its reading, the Hebrew year, and the folder our convention names it.
WEEKS = [
    ("2026-01-17", "Va'eira", 5786, "vaeira-5786"),  # 28 Tevet 5786
    ("2026-02-14", "Mishpatim", 5786, "mishpatim-5786"),  # Shabbat Shekalim
    ("2026-03-14", "Vayakhel-Pekudei", 5786, "vayakhel-pekudei-5786"),  # Shabbat HaChodesh
    ("2026-09-05", "Nitzavim-Vayeilech", 5786, "nitzavim-vayeilech-5786"),  # before RH 5787
    ("2026-09-19", "Haazinu", 5787, "haazinu-5787"),  # Shabbat Shuva 5787
]


def _new(project: Path, *args: str) -> object:
    return run_build("new", "--series", project / "series.yaml", *args)


def _issue(project: Path, name: str) -> str:
    return (project / name / "issue.yaml").read_text(encoding="utf-8")


def _current(project: Path) -> str:
    text = (project / "series.yaml").read_text(encoding="utf-8")
    found = re.search(r"(?m)^current_issue: (\S+)", text)
    assert found
    return found[1]


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    "today",
    ["2026-01-12", "2026-01-16", "2026-01-10"],
    ids=["monday", "friday", "saturday: a week later"],
)
def test_default_date_is_the_next_saturday_after_today(project, today) -> None:
    run = _new(project, "--today", today, "--no-yahrzeits")
    assert run.returncode == 0, run.stderr
    assert "date: 2026-01-17\n" in _issue(project, "vaeira-5786")


@pytest.mark.parametrize(("date", "portion", "year", "name"), WEEKS)
def test_folder_portion_and_year_follow_the_calendar(project, date, portion, year, name) -> None:
    run = _new(project, "--date", date, "--no-yahrzeits")
    assert run.returncode == 0, run.stderr
    issue = _issue(project, name)
    assert f"date: {date}\nportion: {portion}\nhebrew_year: {year}\n" in issue
    assert "series: ../series.yaml\n" in issue and "language: en\n" in issue
    assert _current(project) == name


def test_writes_the_files_and_a_summary(project) -> None:
    run = _new(project, "--date", "2026-02-14", "--no-yahrzeits")
    assert run.returncode == 0, run.stderr
    folder = project / "mishpatim-5786"
    assert run.stdout.splitlines() == [
        str(folder / "issue.yaml"),
        str(folder / "essays" / "essay.md"),
        str(project / "series.yaml"),
    ]
    summary = run.stderr.strip().splitlines()[-1]
    assert summary.startswith(
        "new issue mishpatim-5786 (2026-02-14, Vol. 13): 1 yahrzeit that week, 0 added; "
    )
    essay = (folder / "essays" / "essay.md").read_text(encoding="utf-8")
    assert essay.startswith("---\n# Fill in") and "\ntitle: " in essay


def test_volume_carries_on_and_goes_up_at_rosh_hashanah(project) -> None:
    # The current issue, Shemot 5786, is Vol. 13; Rosh Hashanah 5787 is 2026-09-12.
    assert _new(project, "--date", "2026-09-05", "--no-yahrzeits").returncode == 0
    assert "volume: 13\n" in _issue(project, "nitzavim-vayeilech-5786")
    run = _new(project, "--date", "2026-09-19", "--no-yahrzeits")
    assert run.returncode == 0, run.stderr
    assert "volume: 14\n" in _issue(project, "haazinu-5787")
    assert "(2026-09-19, Vol. 14)" in run.stderr


def test_series_keeps_its_comments_and_points_at_the_new_issue(project) -> None:
    series = project / "series.yaml"
    before = series.read_text(encoding="utf-8").splitlines()
    assert _new(project, "--date", "2026-01-17", "--no-yahrzeits").returncode == 0
    after = series.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [
        (
            "current_issue: shemot-5786      # the folder `python build.py` builds",
            "current_issue: vaeira-5786      # the folder `python build.py` builds",
        )
    ]
    assert sum(line.lstrip().startswith("#") for line in after) >= 6


def test_a_date_that_is_not_a_saturday_is_refused(project) -> None:
    before = _tree(project)
    run = _new(project, "--date", "2026-01-15")
    assert_one_line_error(run, r"--date: 2026-01-15 is a Thursday, not a Saturday")
    assert _tree(project) == before


def test_a_festival_shabbat_is_refused(project) -> None:
    before = _tree(project)
    run = _new(project, "--date", "2026-04-04")  # Shabbat Chol HaMoed Pesach 5786
    assert_one_line_error(run, r"2026-04-04 is Pesach, a Shabbat with no weekly portion")
    assert _tree(project) == before


def test_an_existing_folder_is_refused_and_nothing_changes(project) -> None:
    (project / "vaeira-5786").mkdir()
    (project / "vaeira-5786" / "issue.yaml").write_text("# mine\n", encoding="utf-8")
    before = _tree(project)
    run = _new(project, "--date", "2026-01-17", "--add-yahrzeits")
    assert_one_line_error(run, r"vaeira-5786: already exists: nothing was changed")
    assert _tree(project) == before


def test_a_failed_write_leaves_no_folder_and_the_series_as_it_was(project, monkeypatch) -> None:
    before = _tree(project)
    real = os.replace

    def fail_on_the_series(src, dst):  # after the new files have moved into place
        name = Path(src).name
        if name.startswith(".series.yaml.") and not name.endswith(".old.part"):
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", fail_on_the_series)
    run = _new(project, "--date", "2026-01-17", "--no-yahrzeits")
    assert run.returncode == 1 and "No space left on device" in run.stderr
    assert not (project / "vaeira-5786").exists()
    assert _tree(project) == before


def test_yahrzeits_of_the_week_are_listed_and_added(project) -> None:
    # Reb Chaim Menachem Signer passed on 26 Teves 5773: Thursday 15 Jan 2026 is 26 Tevet 5786.
    listed = run_build(
        "dedications", "yahrzeits", "--week", "2026-01-17", "--series", project / "series.yaml"
    )
    assert "[signer-chaim-menachem]" in listed.stdout
    run = _new(project, "--date", "2026-01-17", "--add-yahrzeits")
    assert run.returncode == 0, run.stderr
    assert re.search(r"Thu 2026-01-15\s+26 Tevet, 5786\s+Chaim Menachem Signer", run.stderr)
    assert "1 yahrzeit that week, 1 added" in run.stderr
    issue = _issue(project, "vaeira-5786")
    assert "  memorials:           # IN LOVING MEMORY OF" in issue
    assert "    - signer-chaim-menachem\n  honoring: []" in issue


def test_without_a_terminal_or_a_flag_none_is_added(project, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    run = _new(project, "--date", "2026-01-17")
    assert run.returncode == 0, run.stderr
    assert "not a terminal: no yahrzeit added" in run.stderr
    assert "  memorials: []" in _issue(project, "vaeira-5786")


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, with the editor's answers."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_each_yahrzeit_is_asked(project, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    run = _new(project, "--date", "2026-02-14")  # Reb Yitzchok Moshe Ekman, 24 Shevat
    assert run.returncode == 0, run.stderr
    assert "Add Yitzchok Moshe Ekman [ekman-yitzchok-moshe] as a memorial? (y/N)" in run.stderr
    assert "    - ekman-yitzchok-moshe\n" in _issue(project, "mishpatim-5786")


def test_the_new_issue_builds(project, tmp_path) -> None:
    assert _new(project, "--date", "2026-01-17", "--add-yahrzeits").returncode == 0
    issue = load_issue(project / "vaeira-5786")
    assert (issue.file.portion, issue.file.hebrew_year, issue.file.volume) == ("Va'eira", 5786, 13)
    run = run_build("build", project / "vaeira-5786", "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert run.pdf.endswith("reflections-of-redemption-vaeira-5786.pdf")
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {project / 'vaeira-5786' / 'essays' / 'essay.md'}:1: still the placeholder "
        "that `new` wrote: write the essay here, or import one (python build.py import FILE "
        "--into the issue)"
    ]
