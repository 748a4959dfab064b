"""Hebrew as a Hebrew reader expects: a paragraph's direction from its language, marks
read by their neighbours, a text layer that copies as typed, one person record for both
languages, and a Hebrew issue in Hebrew everywhere."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, assert_one_line_error, run_build, shared, write_issue
from pdfinspect import glyph_lines, page_texts
from pypdf import PdfReader

from pamphlet.typography import hebrew_punctuation

HE_ISSUE = "shemot-5786-he"


@pytest.fixture
def hebrew_project(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


@pytest.fixture(scope="module")
def hebrew_build(tmp_path_factory) -> tuple[Path, Path]:
    """The sample Hebrew issue, built once: its PDF and its HTML."""

    def make(out: Path) -> list[str]:
        run = run_build("build", ROOT / "content" / HE_ISSUE, "-o", out, "--html", "--quiet")
        assert run.returncode == 0, run.stderr
        return run.stdout.split()

    pdf, _master, html = shared(tmp_path_factory, "hebrew-text", make)
    return Path(pdf), Path(html)


# -- The paragraph's direction ----------------------------------------------------------------


def test_an_english_paragraph_opening_in_hebrew_stays_english(project, tmp_path) -> None:
    body = (
        "שבת שלום, she answered warmly, and the whole family came in from the cold.\n\n"
        "שבת שלום ומבורך לכל בית ישראל\n"
    )
    folder = write_issue(project, body)
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    pdf = Path(run.pdf)
    lines = [line for line in glyph_lines(pdf, 3) if 15 < line[0].top - line[0].bottom < 18]
    column_left = min(line[0].left for line in lines)
    column_right = max(line[-1].right for line in lines)
    english, hebrew = lines[0], lines[-1]
    assert english[0].left - column_left < 1  # flush left: an English paragraph
    # flush right (less its first-line indent of 1.3 em), ragged left: a Hebrew paragraph
    assert column_right - hebrew[-1].right < 14 and hebrew[0].left - column_left > 20


def test_a_hebrew_paragraph_opening_with_a_name_stays_hebrew(hebrew_project, tmp_path) -> None:
    essay = hebrew_project / HE_ISSUE / "essays" / "ehyeh-asher-ehyeh.md"
    text = essay.read_text(encoding="utf-8")
    essay.write_text(text + "\nRashi כותב כאן: הדברים כפשוטם, ולא כפי שחשבו רבים.\n")
    run = run_build("build", hebrew_project / HE_ISSUE, "-o", tmp_path / "out", "--html", "--quiet")
    html = Path(run.html).read_text(encoding="utf-8")
    paragraph = re.search(r"<p[^>]*>(?:<span[^>]*>)?Rashi", html).group(0)
    assert 'dir="ltr"' not in paragraph.split(">")[0]  # it inherits the article's rtl


def test_the_editor_can_say_which_way(project, tmp_path) -> None:
    folder = write_issue(project, "{dir=rtl}\nRashi writes: שבת שלום.\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--html", "--quiet")
    assert '<p dir="rtl">' in Path(run.html).read_text(encoding="utf-8")


# -- Marks read by their neighbours --------------------------------------------------------------

MARKS = [
    ('ע"ה', "ע״ה"),  # between letters: gershayim
    ('ע"ה.', "ע״ה."),
    ('ב"ה,', "ב״ה,"),
    ('הַקָּבָּ"ה', "הַקָּבָּ״ה"),  # after a point, before a letter
    ("שתחי'", "שתחי׳"),  # after a word: geresh
    ("ר' משה", "ר׳ משה"),
    ("א' 5", "א׳ 5"),
    ("הַשָּׁנָה'", "הַשָּׁנָה׳"),
    ("the זוהר's teaching", "the זוהר's teaching"),  # a Latin letter follows: possessive
    ("זוהר'S", "זוהר'S"),
    ("'שלום'", "'שלום'"),  # a quotation, opened and closed
    ('"שלום"', '"שלום"'),
    ("don't", "don't"),  # no Hebrew: nothing to do
    ('5"7', '5"7'),
]


@pytest.mark.parametrize("typed, printed", MARKS)
def test_marks_by_their_neighbours(typed, printed) -> None:
    assert hebrew_punctuation(typed) == printed


# -- The text layer -------------------------------------------------------------------------------


def _pointed_words(text: str) -> list[str]:
    """The pointed words of a text, in canonical order (NFD sorts a letter's marks)."""
    text = re.sub(r"\[\^\w+\]", " ", text)
    words = [w.strip('.,:;"״?!()[]*') for w in text.split() if re.search("[\u05b0-\u05c2]", w)]
    return [unicodedata.normalize("NFD", w) for w in words]


def test_points_copy_as_typed(hebrew_build) -> None:
    pdf = hebrew_build[0]
    essays = (ROOT / "content" / HE_ISSUE / "essays").glob("*.md")
    typed = [w for path in essays for w in _pointed_words(path.read_text(encoding="utf-8"))]
    assert len(typed) > 10
    extracted = unicodedata.normalize(
        "NFD", " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    )
    missing = [w for w in typed if w not in extracted]
    assert missing == []


# -- One person record for both languages -----------------------------------------------------


def _hebrew_issue_naming(hebrew_project: Path, key: str, record: str) -> Path:
    people = hebrew_project / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + f"\n{key}:\n{record}")
    issue = hebrew_project / HE_ISSUE / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace("  memorials:\n", f"  memorials:\n    - {key}\n", 1))
    return hebrew_project / HE_ISSUE


def test_a_record_prints_its_hebrew_forms_in_a_hebrew_issue(hebrew_project, tmp_path) -> None:
    record = (
        "  title: Reb\n  hebrew_title: ר'\n  given: Dovid\n  hebrew_given: דוד\n"
        '  relation: ben\n  parent: {title: Reb, hebrew_title: "ר\'", given: Moshe, '
        "hebrew_given: משה}\n  surname: Levin\n  hebrew_surname: לוין\n  passed: 3 Elul 5784\n"
    )
    folder = _hebrew_issue_naming(hebrew_project, "levin-dovid", record)
    listed = run_build("dedications", "list", folder, "--logical")
    assert listed.returncode == 0, listed.stderr
    assert "ר׳ דוד בן ר׳ משה ע״ה לוין" in listed.stdout
    assert "Dovid" not in listed.stdout and "Levin" not in listed.stdout


def test_a_hebrew_issue_refuses_a_record_without_its_hebrew(hebrew_project, tmp_path) -> None:
    record = "  title: Reb\n  given: Dovid\n  hebrew_given: דוד\n  surname: Levin\n  passed: 3 Elul 5784\n"
    folder = _hebrew_issue_naming(hebrew_project, "levin-dovid", record)
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert_one_line_error(
        run,
        r"issue\.yaml:\d+: Dovid Levin \('levin-dovid' in people\.yaml\) has no hebrew_title, "
        r"hebrew_surname: a Hebrew issue prints every name in Hebrew",
    )


def test_a_hebrew_name_and_its_honorific_stay_on_one_line(hebrew_build) -> None:
    html = hebrew_build[1].read_text(encoding="utf-8")
    assert re.search(r"</b>(?:</span>)?\u00a0(?:<span[^>]*>)?ע״ה", html) or "\u00a0ע״ה" in html


# -- A Hebrew issue speaks Hebrew ---------------------------------------------------------------


def test_a_hebrew_issue_with_an_english_series_is_refused(hebrew_project, tmp_path) -> None:
    issue = hebrew_project / HE_ISSUE / "issue.yaml"
    issue.write_text(
        issue.read_text().replace("series: ../series-he.yaml", "series: ../series.yaml")
    )
    assert_one_line_error(
        run_build("build", hebrew_project / HE_ISSUE, "-o", tmp_path / "out"),
        r"issue\.yaml:2: a Hebrew issue cannot use 'series\.yaml': its cover words are in "
        r"English; name a Hebrew series, such as 'series: \.\./series-he\.yaml'",
    )


def test_every_word_the_layouts_print_is_in_the_issues_language(hebrew_build) -> None:
    text = " ".join(page_texts(hebrew_build[0]))
    import yaml

    labels = yaml.safe_load((ROOT / "layouts" / "labels.yaml").read_text(encoding="utf-8"))
    phrases = [v for v in labels["en"].values() if isinstance(v, str) and len(v.strip()) > 8]
    phrases = [p for p in phrases if re.search("[A-Za-z]", p)]  # ת. נ. צ. ב. ה. is both
    phrases += list(labels["en"]["box_dedicated_by"].values())
    assert len(phrases) > 8
    for phrase in phrases:
        assert phrase.strip().rstrip(":").lower() not in text.lower(), phrase


def test_a_memorial_box_that_names_no_donor_is_an_error(hebrew_project, tmp_path) -> None:
    issue = hebrew_project / HE_ISSUE / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    text = re.sub(r"      dedicated_by: [^\n]*\n      donors:\n(        - [^\n]*\n)+", "", text)
    issue.write_text(text)
    run = run_build("build", hebrew_project / HE_ISSUE, "-o", tmp_path / "out")
    assert run.returncode == 1
    assert "a memorial box names who dedicated it" in run.stderr
