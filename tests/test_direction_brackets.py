"""Bracket pairs stay pairs (UAX #9 BD16, N0), checked against a complete implementation
of the algorithm (tests/bidi_oracle.py), in levels and in the shapes drawn in the PDF."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from bidi_oracle import reference_drawn, reference_levels
from conftest import run_build, without_fillers, write_issue
from pdfinspect import glyph_lines

from pamphlet.direction import embedding_levels

PIECES = ["abc", "Rashi", "שלום", "בראשית", "א", "12", "5786", " ", " ", ", ", ". ", "(", ")",
          "[", "]", "{", "}", "-", ":", '"', "vol. 4", "ב-", "ש״ס"]  # fmt: skip


def _generated(count: int) -> list[str]:
    """Mixed lines built from pieces, the same every run."""
    rng = random.Random(5786)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(3, 12))) for _ in range(count)]


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_levels_agree_with_a_complete_implementation(direction) -> None:
    lines = _generated(400) + [
        "as Rashi explains on בראשית (א, א) there",
        "ראה ב-Likkutei Sichos (vol. 4) שם.",
        "see (שם [ב]) and [א (b)] too",
        "ראו (a [b] c) שם",
        "text (עמ׳ 5) more",
        "(אבג) abc",
    ]
    differ = [
        line
        for line in lines
        if embedding_levels(line, direction) != reference_levels(line, direction)
    ]
    assert differ == []


CASES = [
    ("as Rashi explains on בראשית (א, א) there.", "en"),
    ("The verse (ויאמר ה׳) and the note [ראה שם] follow.", "en"),
    ("A book by R' Chaim {חיים} and (שם [ב]) both.", "en"),
    ("ראה ב-Likkutei Sichos (vol. 4) שם.", "he"),
    ("כמו שכתוב (Exodus 3:14) כאן, ובמקום אחר [see there] גם.", "he"),
    ("והוא אמר (בלשון הקודש) דברים אלו.", "he"),
]


def _shape(bitmap, left: float, top: float, right: float, bottom: float, scale: float) -> str:
    """'open' for a bracket drawn like ( [ {, 'close' for one drawn like ) ] }: the ink of
    its middle rows (the bulge of (, the bar of [, the point of {) lies to the open side
    of the glyph's whole ink."""
    box = bitmap.crop((int(left * scale), int(top * scale), int(right * scale) + 1,
                       int(bottom * scale) + 1)).convert("L")  # fmt: skip
    ink = [
        (x, y) for x in range(box.width) for y in range(box.height) if box.getpixel((x, y)) < 128
    ]
    ys = [y for _, y in ink]
    low, high = min(ys), max(ys)
    middle = [x for x, y in ink if abs(y - (low + high) / 2) <= (high - low) / 10]
    whole = sum(x for x, _ in ink) / len(ink)
    return "open" if sum(middle) / len(middle) < whole else "close"


def test_bracket_pairs_are_drawn_as_pairs(project, tmp_path) -> None:
    english = "\n\n".join(text for text, lang in CASES if lang == "en")
    hebrew = "\n\n".join(text for text, lang in CASES if lang == "he")
    without_fillers(project)  # their brackets are not the cases'
    folder = write_issue(project, english)
    (folder / "essays" / "hebrew.md").write_text(f"---\ntitle: עברית\n---\n\n{hebrew}\n")
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text() + "  - essays/hebrew.md\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    pdf = Path(run.pdf)
    scale = 6.0
    document = pdfium.PdfDocument(str(pdf))
    drawn: list[str] = []
    for index in range(3, len(document) - 1):
        page = document[index]
        bitmap = page.render(scale=scale).to_pil()
        height = page.get_height()
        for line in glyph_lines(pdf, index):
            shapes = [
                ("(" if _shape(bitmap, g.left, height - g.top, g.right, height - g.bottom, scale)
                 == "open" else ")")
                for g in line if g.char in "()[]{}"
            ]  # fmt: skip
            if shapes:
                drawn.append("".join(shapes))
    expected = []
    for text, lang in CASES:
        drawn_text = reference_drawn(text, "rtl" if lang == "he" else "ltr")
        expected.append("".join("(" if c in "([{" else ")" for c in drawn_text if c in "()[]{}"))
    assert list(itertools.chain(*drawn)) == list(itertools.chain(*expected)), (drawn, expected)
    for shapes in expected:
        assert shapes.count("(") == shapes.count(")")
