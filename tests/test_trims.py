"""Every trim builds the sample issue: the cover on one page, the inside cover on page 2,
the title page on page 3, and no glyph near or past the page's edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_build, shared
from pdfinspect import glyphs, page_count, page_texts
from pypdf import PdfReader

# The trims in points (1 in = 72 pt, 1 mm = 72 / 25.4 pt), from the sizes' definitions.
TRIMS = {
    "half-letter": (5.5 * 72, 8.5 * 72),
    "a5": (148 * 72 / 25.4, 210 * 72 / 25.4),
    "digest": (6 * 72, 9 * 72),
}
SAFE = 18  # pt: no text within a quarter inch of the trim


@pytest.fixture(scope="module", params=sorted(TRIMS))
def trimmed(request, tmp_path_factory):
    def make(out: Path) -> str:
        issue = ROOT / "content" / "shemot-5786"
        run = run_build("build", issue, "-o", out, "--trim", request.param, "--quiet")
        assert run.returncode == 0, run.stderr
        return run.pdf

    return request.param, shared(tmp_path_factory, f"trim-{request.param}", make)


def test_pages_have_the_trim_size(trimmed) -> None:
    trim, pdf = trimmed
    width, height = TRIMS[trim]
    for page in PdfReader(pdf).pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


def test_cover_on_one_page_inside_cover_on_page_two(trimmed) -> None:
    _, pdf = trimmed
    pages = [text.replace("\r\n", " ") for text in page_texts(pdf)]
    assert "Reflections of" in pages[0] and "5786 • 2026" in pages[0]  # title to publisher
    assert "IN LOVING MEMORY OF" in pages[1] and "Printed in the U.S.A." in pages[1]
    assert "by Rabbi Dovid Yisroel Ber Kaufmann" in pages[2]
    assert page_count(pdf) % 4 == 0


def test_nothing_is_clipped(trimmed) -> None:
    trim, pdf = trimmed
    width, height = TRIMS[trim]
    for index in range(page_count(pdf)):
        for glyph in glyphs(pdf, index):
            if glyph.char.isspace():
                continue
            inside = (
                glyph.left >= SAFE
                and glyph.right <= width - SAFE
                and glyph.bottom >= SAFE
                and glyph.top <= height - SAFE
            )
            assert inside, (trim, index + 1, glyph)


def test_the_cover_height_follows_the_page() -> None:
    css = (ROOT / "layouts" / "pamphlet.css").read_text(encoding="utf-8")
    rule = css[css.index(".cover {") : css.index("}", css.index(".cover {"))]
    assert "height: 100vh" in rule
