"""Typesetting in the PDF: the Name never broken, transliterated words not hyphenated,
no break where a careful reader would not accept one, headings, running heads, and the
marks as printed. Content written for these tests, checked by glyph positions and text."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, copy_series, run_build, shared
from pdfinspect import (
    expected_visual,
    glyph_lines,
    glyphs,
    line_words,
    page_count,
    page_texts,
    sized_lines,
    visual_lines,
)

FILLERS = ["a", "word", "an", "longer", "of", "the", "sentences", "is", "set", "here", "to",
           "shift", "it"]  # fmt: skip
NAMES = ["G-d", "G-dliness", "G-d's", "L-rd", "G-dly", "E-lokim", "א-לוקים", "ה׳", "אלו-קים"]
PROTECTED = ["Yisrael", "Galuyos", "HaMikdash", "Dovid", "kibbutz", "Moshiach", "Yerushalayim",
             "Lubavitcher", "tzaddikim", "teshuvah"]  # fmt: skip


def _paragraphs(words: list[str], count: int, per: int) -> tuple[str, dict[str, int]]:
    """Paragraphs where each of `words` comes back every few words, so that over the lines
    it lands at every position of a justified line, line ends included."""
    placed: dict[str, int] = dict.fromkeys(words, 0)
    fill = itertools.cycle(FILLERS)
    names = itertools.cycle(words)
    paragraphs = []
    for _ in range(count):
        text = []
        for i in range(per):
            text += [next(fill) for _ in range(1 + i % 4)]
            name = next(names)
            placed[name] += 1
            text.append(name)
        paragraphs.append(" ".join(text) + ".")
    return "\n\n".join(paragraphs), placed


NAME_TEXT, NAMES_PLACED = _paragraphs(NAMES, 6, 40)
NOTE_TEXT, NOTE_NAMES_PLACED = _paragraphs(["G-d", "G-dliness", "L-rd"], 1, 60)
WORD_TEXT, WORDS_PLACED = _paragraphs(PROTECTED, 6, 40)
RULES = (
    "We read that R' Ovadiah said so, and Mr. Cohen agreed [^1], as Bereishis 12:2-3 says "
    "(see pp. 8-13), for 2 + 2 = 4 always.[^1] "
)
HEADINGS = "\n\n".join(
    f"## Heading {n}\n\n" + " ".join(["Text of the section that follows the heading."] * (6 + n))
    for n in range(1, 13)
)


@pytest.fixture(scope="module")
def typeset_pdf(tmp_path_factory) -> Path:
    """An issue of essays written to test the typesetting, built once."""
    return Path(shared(tmp_path_factory, "typeset", _typeset_issue))


def _typeset_issue(root: Path) -> str:
    content = root / "content"
    content.mkdir()
    copy_series(content)
    shutil.copy(ROOT / "content" / "people.yaml", content / "people.yaml")
    folder = content / "week"
    (folder / "essays").mkdir(parents=True)
    (folder / "issue.yaml").write_text(
        "date: 2026-01-10\nvolume: 1\ncontents:\n  - essays/names.md\n  - essays/words.md\n"
        "  - essays/rules.md\n  - essays/headings.md\n  - essays/hebrew.md\n  - essays/notes.md\n",
        encoding="utf-8",
    )
    essays = {
        "names": f"---\ntitle: Names\n---\n\n{NAME_TEXT}\n",
        "words": f"---\ntitle: Words\n---\n\n{WORD_TEXT}\n",
        "rules": "---\ntitle: Rules\n---\n\n" + RULES * 30 + "\n\n[^1]: A note.\n",
        "notes": "---\ntitle: Notes\n---\n\nA call.[^n]\n\n[^n]: " + NOTE_TEXT + "\n",
        "headings": f"---\ntitle: Headings\n---\n\n{HEADINGS}\n",
        "hebrew": "---\ntitle: מאמר\n---\n\n"
        + "\n\n".join(
            f"## סימן {n}\n\n" + "טקסט הקטע הזה ממשיך כאן. " * (8 + n) for n in range(1, 8)
        )
        + "\n",
    }
    for name, text in essays.items():
        (folder / "essays" / f"{name}.md").write_text(text, encoding="utf-8")
    run = run_build("build", folder, "-o", content.parent / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    return run.pdf


TITLES = ("NAMES", "WORDS", "RULES", "HEADINGS", "מאמר", "NOTES")


def _pages_of(pdf: Path, title: str) -> list[int]:
    """The pages of the article with this title (up to the next article or a blank page)."""
    texts = [t.lstrip() for t in page_texts(pdf)]
    start = next(i for i, t in enumerate(texts) if t.startswith(title.upper()))
    end = next(
        (i for i in range(start + 1, len(texts)) if not texts[i] or texts[i].startswith(TITLES)),
        len(texts),
    )
    return list(range(start, end))


def _lines(pdf: Path, pages: list[int]) -> list[str]:
    return [line for page in pages for line in visual_lines(pdf, page)]


def test_the_name_is_never_broken(typeset_pdf) -> None:
    lines = _lines(typeset_pdf, _pages_of(typeset_pdf, "Names"))
    assert len(lines) > 60
    for name, placed in NAMES_PLACED.items():
        drawn = expected_visual(name.replace("'", "\u2019"), "ltr").replace("\u2019", "'")
        found = sum(line.replace("\u2019", "'").count(drawn) for line in lines)
        if name == "G-d":  # also inside G-dliness, G-d's and G-dly
            found -= sum(NAMES_PLACED[n] for n in ("G-dliness", "G-d's", "G-dly"))
        assert found == placed, (name, found, placed)
    for line in lines:
        assert not re.search(r"(^|[^\w])[GLE][-\u2010]$", line), line
        assert not line.startswith(("d", "rd", "dliness", "lokim")), line


def test_the_name_is_never_broken_in_a_footnote(typeset_pdf) -> None:
    lines = _lines(typeset_pdf, _pages_of(typeset_pdf, "Notes"))
    for name, placed in NOTE_NAMES_PLACED.items():
        found = sum(line.count(name) for line in lines)
        if name == "G-d":
            found -= NOTE_NAMES_PLACED["G-dliness"]
        assert found == placed, (name, found, placed)
    assert not [line for line in lines if re.search(r"(^|[^\w])[GL][-\u2010]$", line)]


def test_transliterated_words_are_not_hyphenated(typeset_pdf) -> None:
    lines = _lines(typeset_pdf, _pages_of(typeset_pdf, "Words"))
    hyphenated = [line for line in lines if line.endswith("\u2010")]
    for word, placed in WORDS_PLACED.items():
        found = sum(line.count(word) for line in lines)
        assert found == placed, (word, found, placed, hyphenated)


def test_no_break_after_a_title_inside_a_reference_or_before_an_operator(typeset_pdf) -> None:
    pages = _pages_of(typeset_pdf, "Rules")
    lines = [words for page in pages for words in line_words(typeset_pdf, page, gap=3.0)]
    assert len(lines) > 15
    for words in lines:
        assert words[-1] not in ("R\u2019", "Mr.", "Bereishis", "pp."), words
        assert words[0] not in ("=", "+", "4", "Ovadiah", "Cohen"), words
        assert not re.match(r"^\d+:", words[0]) and not re.match(r"^\d+\)", words[0]), words


def test_a_footnote_call_never_starts_a_line(typeset_pdf) -> None:
    for page in _pages_of(typeset_pdf, "Rules"):
        body = [
            line
            for line in glyph_lines(typeset_pdf, page)
            if max(g.top - g.bottom for g in line) > 14  # body text, not the notes
        ]
        for line in body:
            first = line[0]
            assert not (first.char.isdigit() and first.top - first.bottom < 12), line[:5]


def test_no_one_word_last_line(typeset_pdf) -> None:
    """A paragraph's last line (one that stops short of the right edge) has two words."""
    for title in ("Names", "Words", "Rules"):
        for page in _pages_of(typeset_pdf, title):
            lines = [line for line in glyph_lines(typeset_pdf, page) if len(line) > 1]
            right = max(line[-1].right for line in lines)
            for line, words in zip(lines, line_words(typeset_pdf, page), strict=False):
                if line[-1].right < right - 20 and line[-1].char == ".":
                    assert len(words) >= 2, (title, words)


@pytest.mark.parametrize("title, headings, rtl", [("Headings", 12, False), ("מאמר", 7, True)])
def test_headings_are_smaller_than_the_title_and_kept_with_what_follows(
    typeset_pdf, title, headings, rtl
) -> None:
    """A heading is set larger than the body and smaller than the title, is never the last
    line of its page, and a Hebrew one sits at the right of the column."""
    pages = _pages_of(typeset_pdf, title)
    title_size = max(size for size, _, _ in sized_lines(typeset_pdf, pages[0]))
    found = 0
    for page in pages:
        lines = sized_lines(typeset_pdf, page)
        body = max(set(s for s, _, _ in lines), key=[s for s, _, _ in lines].count)
        column_left = min(left for size, left, _ in lines if size == body)
        column_right = max(right for size, _, right in lines if size == body)
        for index, (size, left, right) in enumerate(lines):
            if body < size < title_size:
                found += 1
                assert any(s == body for s, _, _ in lines[index + 1 :]), f"page {page + 1}"
                if rtl:
                    assert column_right - right < 2 and left - column_left > 50
                else:
                    assert left - column_left < 2
    assert found == headings


def test_an_articles_first_page_has_no_running_head(default_build) -> None:
    pdf = default_build.pdf
    texts = page_texts(pdf)
    for index, text in enumerate(texts):
        starts = "MOSES AND MOSHIACH" in text or re.search(r"(^|\n)5 ?8\r?\n", text)
        top = max(glyphs(pdf, index), key=lambda g: g.top) if glyphs(pdf, index) else None
        if starts and top is not None:
            assert top.top - top.bottom > 11, f"page {index + 1} has a running head"
    heads = [t for t in texts if "Moses and Moshiach\r\n" in t + "\r\n"]
    assert heads, "the essay's later pages carry its running head"


def test_marks_as_printed(default_build) -> None:
    pages = " ".join(page_texts(default_build.pdf))
    assert "L\u2019Hafotzas" in pages and "L'Hafotzas" not in pages  # the cover
    assert "\u201cpassed all the deadlines.\u201d" in pages.replace("\r\n", " ")
    assert "\u2026" in pages


def test_an_essay_can_switch_typography_off(project, tmp_path) -> None:
    from conftest import write_issue

    folder = write_issue(
        project, 'He said "so" -- twice...\n', front="title: Plain\ntypography: false\n"
    )
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    assert 'He said "so" -- twice...' in " ".join(page_texts(Path(run.pdf)))


def test_code_and_addresses_are_left_alone(project, tmp_path) -> None:
    from conftest import write_issue

    body = 'Type `"x" -- y...` or visit https://example.org/a--b and write to a.b@example.org.\n'
    folder = write_issue(project, body)
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    text = " ".join(page_texts(Path(run.pdf)))
    assert (
        '"x" -- y...' in text and "https://example.org/a--b" in text and "a.b@example.org" in text
    )


def test_the_series_dash_style(project, tmp_path) -> None:
    from conftest import write_issue

    series = project / "series.yaml"
    series.write_text(series.read_text() + "dash: en-spaced\n", encoding="utf-8")
    folder = write_issue(project, "Then -- suddenly - it came.\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    text = " ".join(page_texts(Path(run.pdf)))
    assert re.search("Then\\s\u2013 suddenly\\s\u2013 it\\scame", text), text[-400:]


def test_a_pasted_paragraph_break_is_a_warning(project, tmp_path) -> None:
    from conftest import write_issue

    long_line = "This paragraph was pasted from a web page and so it arrives on one line. " * 3
    body = f"{long_line.strip()}\nThe next paragraph follows after a single line break.\n\n" + (
        "A paragraph wrapped by an editor\nat a comfortable width stays\nas it is.\n"
    )
    folder = write_issue(project, body)
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and re.search(r"cases\.md:6: a single line break", warnings[0])
    assert page_count(Path(run.pdf)) > 0
