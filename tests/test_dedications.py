"""Dedications as records: honorifics and dates computed, the week from the date, the
`dedications` commands, and bad records reported by file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, assert_one_line_error, copy_series, run_build, shared, write_issue
from pdfinspect import comparable, expected_visual, page_count, page_texts, visual_lines

ISSUE = "shemot-5786"

PEOPLE = """\
# Test records.
levin-moshe:   # a living man
  title: Reb
  given: Moshe
  relation: ben
  parent: {title: Reb, given: Avraham}
  surname: Levin
stein-rivka:
  title: Mrs.
  given: Rivka
  relation: bas
  parent: {given: Sarah}
  surname: Stein
gurary-levi-chana:
  title: Mr. & Mrs.
  given: [Levi, Chana]
  surname: Gurary
katz-yosef:
  title: Horav
  given: Yosef
  relation: ben
  parent: {title: Horav, given: Shmuel}
  surname: Katz
  rabbi: true
  passed: 2006-07-17
gold-chaim:
  title: Rabbi
  given: Chaim
  surname: Gold
  rabbi: true
cohen-girls:
  given: [Rochel, Leah]
  kind: women
  surname: Cohen
"""


def _with_people(project: Path, dedications: str, date: str = "2026-01-10") -> Path:
    (project / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    folder = write_issue(project, "Text.\n")
    issue = folder / "issue.yaml"
    text = issue.read_text(encoding="utf-8").replace("date: 2026-01-10", f"date: {date}")
    issue.write_text(text + "dedications:\n" + dedications, encoding="utf-8")
    return folder


def _lines(pdf: str) -> set[str]:
    return {comparable(line) for i in range(page_count(pdf)) for line in visual_lines(pdf, i)}


def _shown(logical: str) -> str:
    return comparable(expected_visual(logical, "ltr"))


@pytest.fixture(scope="module")
def records_pdf(tmp_path_factory):
    def make(root):
        project = root / "content"
        project.mkdir()
        copy_series(project)
        folder = _with_people(
            project,
            "  memorials: [katz-yosef]\n"
            "  honoring: [levin-moshe, stein-rivka, gold-chaim, cohen-girls]\n"
            "  sponsors: [gurary-levi-chana]\n",
        )
        run = run_build("build", folder, "-o", project.parent / "out")
        assert run.returncode == 0, run.stderr
        return run.pdf

    return shared(tmp_path_factory, "records", make)


@pytest.mark.parametrize(
    "name",
    [
        "Horav Yosef ben Horav Shmuel זצ״ל",  # a deceased rabbi
        "Reb Moshe ben Reb Avraham שיחי׳",  # a living man
        "Mrs. Rivka bas Sarah שתחי׳",  # a living woman
        "Rabbi Chaim שליט״א",  # a living rabbi
        "Rochel and Leah תחיינה",  # living women
        "Mr. & Mrs. Levi and Chana שיחיו",  # a couple
    ],
)
def test_the_honorific_follows_from_who_the_person_is(records_pdf, name: str) -> None:
    assert _shown(name) in _lines(records_pdf)


def test_a_civil_date_of_passing_is_printed_as_its_hebrew_date(records_pdf) -> None:
    assert _shown("Passed away on 21 Tamuz, 5766") in _lines(records_pdf)


def test_a_hebrew_issue_prints_the_date_in_hebrew(tmp_path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    issue = content / "shemot-5786-he" / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("passed: 'כ\"א תמוז תשס\"ו'", "passed: 2006-07-17"), "utf-8")
    assert "2006-07-17" in issue.read_text(encoding="utf-8")
    run = run_build("build", content / "shemot-5786-he", "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "כ״א תמוז תשס״ו" in page_texts(run.pdf)[1]


def test_the_cover_names_the_week_from_the_date(tmp_path, project) -> None:
    folder = _with_people(project, "  sponsors: [gurary-levi-chana]\n", date="2026-03-14")
    issue = folder / "issue.yaml"
    issue.write_text(
        re.sub(r"portion: .*\nhebrew_year: .*\n", "", issue.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    cover = page_texts(run.pdf)[0].replace("\r\n", " ")
    assert "Reprinted for Parshat Vayakhel-Pekudei, 5786" in cover
    assert "5786 • 2026" in cover


def test_the_default_issue_computes_its_week(default_build) -> None:
    text = (ROOT / "content" / ISSUE / "issue.yaml").read_text(encoding="utf-8")
    assert not re.search(r"^(portion|hebrew_year):", text, re.MULTILINE)
    assert "Reprinted for Parshat Shemot, 5786" in page_texts(default_build.pdf)[0].replace(
        "\r\n", " "
    )


# Bad records and weeks: one line naming the file and line, exit 1, nothing written.


@pytest.mark.parametrize(
    "dedications, pattern",
    [
        ("  memorials: [levin-mosh]\n", r"issue\.yaml:8: unknown person 'levin-mosh': not in people\.yaml \(did you mean 'levin-moshe'\?\)"),
        ("  honoring: [katz-yosef]\n", r"issue\.yaml:8: Yosef Katz \('katz-yosef' in people\.yaml\) has a date of passing but is named in honoring"),
        ("  memorials:\n    - {given: Dovid, surname: Katz, passed: 30 Tamuz 5786}\n", r"issue\.yaml:9: date of passing: '30 Tamuz 5786' does not exist: Tamuz 5786 has 29 days"),
        ("  memorials:\n    - {given: Dovid, living: true, passed: 3 Elul 5784}\n", r"issue\.yaml:9: a living person cannot have a date of passing"),
    ],
)  # fmt: skip
def test_bad_records_name_the_file_and_line(tmp_path, project, dedications, pattern) -> None:
    folder = _with_people(project, dedications)
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert_one_line_error(run, pattern)
    assert not (tmp_path / "out").exists()


def test_a_bad_record_in_the_people_file_names_its_line(tmp_path, project) -> None:
    folder = _with_people(project, "  honoring: [levin-moshe]\n")
    people = project / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8") + "x:\n  given: X\n  passed: 30 Tamuz 5786\n"
    )
    assert_one_line_error(
        run_build("build", folder, "-o", tmp_path / "out"),
        r"people\.yaml:\d+: date of passing: '30 Tamuz 5786' does not exist",
    )


@pytest.mark.parametrize(
    "date, portion, pattern",
    [
        ("2026-01-10", "Bo", r"issue\.yaml:2: portion 'Bo' is not 2026-01-10's: that Shabbat reads Shemot \(diaspora\)"),
        ("2026-01-09", "Shemot", r"issue\.yaml:1: 2026-01-09 is a Friday: the date is the issue's Shabbat"),
        ("2026-04-04", None, r"issue\.yaml:1: 2026-04-04 has no weekly portion \(a festival is read\)"),
    ],
)  # fmt: skip
def test_a_week_that_contradicts_its_date(tmp_path, project, date, portion, pattern) -> None:
    folder = write_issue(project, "Text.\n")
    issue = folder / "issue.yaml"
    text = issue.read_text(encoding="utf-8").replace("2026-01-10", date)
    text = text.replace("portion: Shemot", f"portion: {portion}" if portion else "")
    issue.write_text(text.replace("hebrew_year: 5786\n", ""), encoding="utf-8")
    assert_one_line_error(run_build("build", folder, "-o", tmp_path / "out"), pattern)


def test_markup_in_a_people_record_is_printed_as_text(tmp_path, project) -> None:
    (project / "people.yaml").write_text(
        'evil:\n  given: "<b>Bold</b> <script>alert(1)</script>"\n  surname: "<img src=x onerror=y>"\n'
    )
    folder = write_issue(project, "Text.\n")
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + "dedications:\n  sponsors: [evil]\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--html")
    assert run.returncode == 0, run.stderr
    html = Path(run.html).read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" in page_texts(run.stdout.split()[0])[1]


# The commands.


def test_yahrzeits_of_the_week(project) -> None:
    run = run_build(
        "dedications", "yahrzeits", "--week", "2026-07-11", "--series", project / "series.yaml"
    )
    assert run.returncode == 0, run.stderr
    assert re.search(r"Mon 2026-07-06\s+21 Tamuz, 5786\s+Schneur Zalman Shagalov", run.stdout)
    assert "Matot-Masei" in run.stdout
    quiet = run_build(
        "dedications", "yahrzeits", "--week", "2026-07-04", "--series", project / "series.yaml"
    )
    assert "no yahrzeits" in quiet.stdout


def test_list_shows_hebrew_in_display_order(project) -> None:
    run = run_build("dedications", "list", project / ISSUE)
    assert run.returncode == 0, run.stderr
    first = "Horav Schneur Zalman Halevi ע״ה ben Horav Yitzchok Elchonon Halevi ה״י Shagalov"
    assert expected_visual(first, "ltr") in run.stdout.replace(" ", "")
    logical = run_build("dedications", "list", project / ISSUE, "--logical")
    assert first in logical.stdout


def test_add_appends_lines_and_touches_nothing_else(project) -> None:
    issue, people = project / ISSUE / "issue.yaml", project / "people.yaml"
    before_issue, before_people = (
        issue.read_text(encoding="utf-8"),
        people.read_text(encoding="utf-8"),
    )
    run = run_build(
        "dedications", "add", project / ISSUE, "--as", "memorial", "--title", "Reb",
        "--given", "Aharon Leib", "--relation", "ben", "--parent", "Moshe", "--surname", "Cohen",
        "--passed", "2020-01-29",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    after_issue, after_people = (
        issue.read_text(encoding="utf-8"),
        people.read_text(encoding="utf-8"),
    )
    assert after_people.startswith(before_people)
    assert "cohen-aharon-leib:" in after_people[len(before_people) :]
    removed = [line for line in before_issue.splitlines() if line not in after_issue.splitlines()]
    added = [line for line in after_issue.splitlines() if line not in before_issue.splitlines()]
    assert removed == [] and added == ["    - cohen-aharon-leib"]
    listed = run_build("dedications", "list", project / ISSUE, "--logical").stdout
    assert "Reb Aharon Leib ben Moshe ע״ה Cohen (Passed away on 3 Shevat, 5780)" in listed


def test_add_to_a_memorial_box_and_refuse_what_does_not_fit_the_role(project) -> None:
    issue = project / ISSUE / "issue.yaml"
    run = run_build(
        "dedications",
        "add",
        project / ISSUE,
        "--as",
        "box",
        "--person",
        "signer-chaim-menachem",
        "--donor",
        "wolf-gershon-leah",
    )
    assert run.returncode == 0, run.stderr
    assert (
        "    - person: signer-chaim-menachem\n      donors: [wolf-gershon-leah]\n"
        in issue.read_text(encoding="utf-8")
    )
    before = issue.read_bytes()
    refused = run_build(
        "dedications", "add", project / ISSUE, "--as", "honor", "--person", "mariani-esther"
    )
    assert_one_line_error(
        refused,
        r"not added: Esther Mariani \('mariani-esther' in people\.yaml\) has a date of passing",
    )
    assert issue.read_bytes() == before


# Fit: the inside cover and the memorial boxes each keep to one page.


def _crowd(project: Path, memorials: int = 0, boxes: int = 0) -> Path:
    """The default issue with extra memorial records and boxes."""
    issue = project / ISSUE / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    extra = "".join(
        f"    - {{title: Reb, given: Extra{i}, relation: ben, parent: {{title: Reb, given: "
        f"Father{i}}}, surname: Family{i}, passed: {i + 1} Elul 5780}}\n"
        for i in range(memorials)
    )
    text = text.replace("    - ekman-yitzchok-moshe\n", "    - ekman-yitzchok-moshe\n" + extra)
    text += "".join(
        f"    - person: {{title: Reb, given: Boxed{i}, surname: Boxer{i}, passed: 3 Elul 5784}}\n"
        f"      donors: [wolf-gershon-leah]\n"
        for i in range(boxes)
    )
    issue.write_text(text, encoding="utf-8")
    return project / ISSUE


def test_a_crowded_inside_cover_is_set_tighter_and_stays_on_its_page(tmp_path, project) -> None:
    run = run_build("build", _crowd(project, memorials=4), "-o", tmp_path / "out", "--html")
    assert run.returncode == 0, run.stderr
    pdf, _master, html = run.stdout.split()
    written = Path(html).read_text(encoding="utf-8")
    assert re.search(
        r'<div class="inside-cover"[^>]* data-fit="inside cover"[^>]* data-fit-level="2"', written
    )
    pages = page_texts(pdf)
    assert "Extra3" in pages[1] and "Printed in the U.S.A" in pages[1]
    assert "Reflections" in pages[2]  # the title page follows: nothing was pushed over


def test_an_inside_cover_that_cannot_fit_names_the_first_record_over(tmp_path, project) -> None:
    run = run_build("build", _crowd(project, memorials=14), "-o", tmp_path / "out")
    assert_one_line_error(
        run,
        r"issue\.yaml: the inside cover would run onto a second page, even at the smallest "
        r"of the layout's 2 tighter settings; Extra\d+ Family\d+ is the first record",
    )
    assert not (tmp_path / "out").exists()


def test_memorial_boxes_that_cannot_fit_name_the_first_box_over(tmp_path, project) -> None:
    run = run_build("build", _crowd(project, boxes=3), "-o", tmp_path / "out")
    assert_one_line_error(
        run, r"the memorial boxes would run onto a second page.*; Boxed\d Boxer\d is the first"
    )


def _answer_on_a_terminal(project: Path, answers: list[str]) -> tuple[int, bytes]:
    """Run `dedications add` on a pseudo-terminal, answering each question as it appears;
    its exit status and what it showed."""
    import os
    import pty
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: build.py on a pseudo-terminal
        os.chdir(ROOT)
        os.execv(
            sys.executable, [sys.executable, "build.py", "dedications", "add", str(project / ISSUE)]
        )
    shown = b""
    for answer in answers:
        asked = time.time() + 30
        while not shown.rstrip(b" ").endswith(b":") and time.time() < asked:
            shown += os.read(fd, 4096)  # until the next question is on the screen
        os.write(fd, answer.encode() + b"\n")
        shown += b"\n"
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        shown += data
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown


def test_add_asks_on_a_terminal(project) -> None:
    """Run on a terminal without flags, `add` asks for the record field by field."""
    status, shown = _answer_on_a_terminal(
        project, ["honor", "", "Mrs.", "Chana", "bas", "Leah", "Katz"]
    )
    assert status == 0, shown.decode()
    assert b"Add as" in shown and b"Surname" in shown
    listed = run_build("dedications", "list", project / ISSUE, "--logical").stdout
    assert "Mrs. Chana bas Leah שתחי׳ Katz" in listed


# The commands take every field a record documents.


def test_add_takes_every_field_of_a_record(project) -> None:
    from ruamel.yaml import YAML

    run = run_build(
        "dedications", "add", project / ISSUE, "--as", "memorial", "--title", "Reb",
        "--given", "Aharon", "--hebrew-given", "אהרן", "--relation", "ben",
        "--parent", "Moshe", "--parent-title", "Reb", "--parent-tribe", "Halevi",
        "--parent-honorific", 'ע"ה', "--tribe", "Halevi", "--surname", "Cohen",
        "--place", "Haifa", "--passed", "2020-02-29", "--after-sunset", "--adar", "both",
        "--rabbi", "--deceased", "--also-known-as", "Arele", "--key", "cohen-aharon",
        "--hebrew-title", "ר'", "--hebrew-tribe", "הלוי", "--hebrew-surname", "כהן",
        "--hebrew-place", "חיפה", "--parent-hebrew-given", "משה", "--parent-hebrew-title", "ר'",
        "--parent-hebrew-tribe", "הלוי",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    record = YAML(typ="safe").load((project / "people.yaml").read_text())["cohen-aharon"]
    assert record == {
        "title": "Reb", "given": "Aharon", "hebrew_given": "אהרן", "also_known_as": "Arele",
        "tribe": "Halevi", "relation": "ben", "surname": "Cohen", "place": "Haifa",
        "passed": __import__("datetime").date(2020, 2, 29), "adar": "both",
        "parent": {"given": "Moshe", "title": "Reb", "tribe": "Halevi", "honorific": 'ע"ה',
                   "hebrew_given": "משה", "hebrew_title": "ר'", "hebrew_tribe": "הלוי"},
        "hebrew_title": "ר'", "hebrew_tribe": "הלוי", "hebrew_surname": "כהן", "hebrew_place": "חיפה",
        "rabbi": True, "passed_after_sunset": True, "living": False,
    }  # fmt: skip
    listed = run_build("dedications", "list", project / ISSUE, "--logical").stdout
    # 29 Feb 2020 after sunset is 5 Adar (the 4th of Adar began at sunset on the 28th).
    # The parent has an honorific of its own: each follows its own name (README).
    assert "Reb Aharon Halevi (Arele) זצ״ל ben Reb Moshe Halevi ע״ה Cohen (Haifa)" in listed
    assert "5 Adar, 5780" in listed


def test_interactive_add_insists_on_what_a_memorial_needs(project) -> None:
    # role, key, title, given, ben/bas, surname (none), then asked again: surname (none),
    # Hebrew given names (none), surname, date (none), date.
    answers = ["memorial", "", "Reb", "Zalman", "", "", "", "", "Katz", "", "3 Elul 5784"]
    status, shown = _answer_on_a_terminal(project, answers)
    assert status == 0, shown.decode()
    assert b"A memorial needs a surname or the Hebrew given names." in shown
    assert b"A memorial needs the date of passing." in shown
    listed = run_build("dedications", "list", project / ISSUE, "--logical").stdout
    assert "Reb Zalman ע״ה Katz (Passed away on 3 Elul, 5784)" in listed


def test_yahrzeits_in_logical_order(project) -> None:
    people = project / "people.yaml"
    people.write_text(
        people.read_text()
        + "\nlevi-hebrew:\n  given: משה\n  surname: לוי\n  passed: 21 Tamuz 5766\n"
    )
    args = ["dedications", "yahrzeits", "--week", "2026-07-11", "--series", project / "series.yaml"]
    shown, logical = run_build(*args).stdout, run_build(*args, "--logical").stdout
    assert "משה לוי" in logical and "משה לוי" not in shown
    assert "יול השמ" in shown  # display order for a terminal without bidi


@pytest.mark.parametrize("reader", ["head -1", "true"])
@pytest.mark.parametrize("command", ["dedications list", "dedications yahrzeits --week 2026-07-11"])
def test_output_piped_into_a_reader_that_stops_ends_quietly(command, reader) -> None:
    """`| head -1` (or a reader gone before the first line): no traceback, no 'Exception
    ignored', exit status 0 (pipefail shows the command's own)."""
    import subprocess
    import sys

    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"'{sys.executable}' build.py {command} | {reader}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for noise in ("Traceback", "Exception ignored", "BrokenPipe", "error"):
        assert noise not in proc.stderr, proc.stderr


def test_preview_runs_with_the_projects_interpreter(default_build, tmp_path) -> None:
    import subprocess

    env = {"PATH": "/usr/bin:/bin"}  # no virtual environment on the path
    proc = subprocess.run(
        [ROOT / "scripts" / "preview", default_build.pdf, tmp_path, "--pages", "1"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "page-01.png").read_bytes()[:4] == b"\x89PNG"


def _add_hebrew(project: Path, given: str, *more: str) -> object:
    return run_build(
        "dedications", "add", project / ISSUE, "--as", "memorial", "--given", given,
        "--surname", "כהן", "--relation", "ben", "--parent", "יעקב", "--passed",
        "12 Tevet 5780", *more,
    )  # fmt: skip


def test_a_record_written_in_hebrew_only_gets_a_hebrew_key_of_its_own(project) -> None:
    """Two people of one family, their names in Hebrew only: two keys, two records; the
    same names again are the same person, and the refusal names the right key."""
    from ruamel.yaml import YAML

    for given in ("שמואל", "אברהם"):
        run = _add_hebrew(project, given)
        assert run.returncode == 0, run.stderr
    people = YAML(typ="safe").load((project / "people.yaml").read_text())
    assert people["כהן-שמואל"]["given"] == "שמואל" and people["כהן-אברהם"]["given"] == "אברהם"
    assert "person" not in people
    assert_one_line_error(
        _add_hebrew(project, "שמואל"),
        r"people\.yaml: 'כהן-שמואל' is already a record here: name it with --person כהן-שמואל",
    )


def test_an_english_key_taken_by_another_person_gets_a_number(project) -> None:
    """Another Esther Mariani (another parent) is filed as mariani-esther-2."""
    from ruamel.yaml import YAML

    run = run_build(
        "dedications", "add", project / ISSUE, "--as", "memorial", "--given", "Esther",
        "--surname", "Mariani", "--relation", "bas", "--parent", "Avraham", "--passed",
        "3 Kislev 5785",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    people = YAML(typ="safe").load((project / "people.yaml").read_text())
    assert people["mariani-esther"]["parent"]["given"] == "Shmuel"
    assert people["mariani-esther-2"]["parent"]["given"] == "Avraham"
