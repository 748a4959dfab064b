"""Niqqud and cantillation drawn on their letters: a pointed verse and every combination
of the common marks with each letter. Each word is measured in the render: pointed, it is
as wide as the same letters unpointed (a mark drawn with a vertical offset used to push
the next letter a quarter of an em away, הַשָּׁנָה), and its marks are drawn (ink inside
or above or below the letters, not beside them)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import copy_series, run_build, shared, write_issue
from pdfinspect import glyphs
from PIL import ImageOps

LETTERS = "אבגדהוזחטיכךלמםנןסעפףצץקרשת"
MARKS = ["", "\u05bc", "\u05b8", "\u05b0", "\u05b4", "\u05b9", "\u05bc\u05b8", "\u05bc\u05b0",
         "\u05b8\u0596", "\u05bc\u05b8\u0591", "\u05b7\u0596"]  # fmt: skip
SHIN = ["\u05e9\u05c1", "\u05e9\u05c2", "\u05e9\u05bc\u05c1\u05b8", "\u05e9\u05bc\u05c2\u05b4",
        "\u05e9\u05c1\u05b8\u0596", "\u05e9\u05bc\u05c1"]  # fmt: skip
# With munach (U+05A3) and merkha (U+05A5), which Noto Serif Hebrew sets under the left
# edge of their letter.
VERSE = "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים אֵ֥ת הַשָּׁמַ֖יִם וְאֵ֥ת הָאָֽרֶץ׃"
SCALE = 4.0


def _words() -> list[tuple[str, str]]:
    """(pointed word, the same word unpointed), each between two nuns."""
    words = [(f"נ{letter}{m}נ", f"נ{letter}נ") for m in MARKS for letter in LETTERS]
    words += [(f"נ{s}נ", "נשנ") for s in SHIN]
    words += [("הַשָּׁנָה", "השנה"), ("בְּרֵאשִׁ֖ית", "בראשית"), ("הַשָּׁמַ֖יִם", "השמים")]
    points = {chr(c) for c in range(0x0591, 0x05C8)} - set("\u05be\u05c0\u05c3\u05c6")
    words += [(w, "".join(c for c in w if c not in points)) for w in VERSE.split()]
    return words


@pytest.fixture(scope="module")
def widths(tmp_path_factory) -> dict[str, float]:
    """The ink width, in points, of every word, pointed and unpointed, one per line."""
    return shared(tmp_path_factory, "marks", _measure)


def _measure(root: Path) -> dict[str, float]:
    content = root / "content"
    content.mkdir()
    copy_series(content)
    texts = sorted({w for pair in _words() for w in pair})
    folder = write_issue(content, "\n\n".join(texts) + "\n",
                        front="title: ניקוד\nlanguage: he\n")  # fmt: skip
    run = run_build("build", folder, "-o", content.parent / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    pdf = Path(run.pdf)
    document = pdfium.PdfDocument(str(pdf))
    found: list[float] = []
    for index in range(3, len(document) - 1):  # the essay pages, not the back cover
        page = document[index]
        bitmap = page.render(scale=SCALE).to_pil().convert("L")
        height = page.get_height()
        letters = sorted(
            (g for g in glyphs(pdf, index)
             if 0x05D0 <= ord(g.char) <= 0x05EA and 15 < g.top - g.bottom < 18),
            key=lambda g: -g.bottom,
        )  # fmt: skip
        rows: list[list] = []
        for glyph in letters:
            if rows and abs(rows[-1][0].bottom - glyph.bottom) < 4:
                rows[-1].append(glyph)
            else:
                rows.append([glyph])
        for row in rows:
            # The letters' own band (a loose box is taller than the leading): a gap between
            # letters shows in it; marks above and below do not.
            middle = sum((g.top + g.bottom) / 2 for g in row) / len(row)
            top = int((height - middle - 3.5) * SCALE)
            bottom = int((height - middle + 3.5) * SCALE)
            band = ImageOps.invert(bitmap.crop((0, top, bitmap.width, bottom)))
            box = band.point(lambda v: 255 if v > 127 else 0).getbbox()
            found.append((box[2] - box[0]) / SCALE if box else 0.0)
    assert len(found) == len(texts), (len(found), len(texts))
    return dict(zip(texts, found, strict=True))


def test_a_pointed_word_is_as_wide_as_its_letters(widths) -> None:
    wrong = [
        (pointed, round(widths[pointed] - widths[bare], 2))
        for pointed, bare in _words()
        if abs(widths[pointed] - widths[bare]) > 0.6  # a mark may overhang a little
    ]
    assert wrong == []


def test_the_verse_is_drawn(widths) -> None:
    assert widths["הַשָּׁנָה"] > 0 and widths["בְּרֵאשִׁ֖ית"] > 0


def test_every_mark_is_drawn_over_or_under_a_letter(tmp_path_factory) -> None:
    """By glyph positions: each point's and accent's box is centred over or under one of
    the letters of its line (within a point), never beside the word."""
    pdf = Path(shared(tmp_path_factory, "marks-pdf", _pointed_pdf))
    checked = 0
    for index in range(3, len(pdfium.PdfDocument(str(pdf))) - 1):
        page = glyphs(pdf, index)
        letters = [g for g in page if 0x05D0 <= ord(g.char) <= 0x05EA]
        for mark in (
            g
            for g in page
            if 0x0591 <= ord(g.char) <= 0x05C7 and g.char not in "\u05be\u05c0\u05c3\u05c6"
        ):
            centre = (mark.left + mark.right) / 2
            middle = (mark.top + mark.bottom) / 2
            near = [g for g in letters if g.bottom - 8 <= middle <= g.top + 8]
            assert any(g.left - 1 <= centre <= g.right + 1 for g in near), mark
            checked += 1
    assert checked > 500


def _pointed_pdf(root: Path) -> str:
    content = root / "content"
    content.mkdir()
    copy_series(content)
    body = "\n\n".join(
        " ".join(pointed for pointed, _ in _words()[i : i + 8]) for i in range(0, len(_words()), 8)
    )
    folder = write_issue(
        content, VERSE + "\n\n" + body + "\n", front="title: ניקוד\nlanguage: he\n"
    )
    run = run_build("build", folder, "-o", root / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    return run.pdf
