"""The sample Hebrew issue: right-bound, right to left, every glyph from the bundled fonts."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, run_build
from pdfinspect import fonts, page_count, page_texts
from pypdf import PdfReader


@pytest.fixture(scope="module")
def hebrew_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("hebrew")
    run = run_build("build", ROOT / "content" / "shemot-5786-he", "-o", out)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return run.stdout.strip()


def test_right_bound_booklet(hebrew_pdf) -> None:
    reader = PdfReader(hebrew_pdf)
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/Direction"] == "/R2L"
    assert root["/Lang"] == "he"
    assert page_count(hebrew_pdf) % 4 == 0


def test_nikud_and_cantillation_come_from_the_bundled_fonts(hebrew_pdf) -> None:
    for font in fonts(hebrew_pdf):
        assert font["embedded"] and font["subset"], font
        assert re.search(r"\+Pamphlet-(Serif|Hebrew)", font["name"]), font
    text = "".join(page_texts(hebrew_pdf))
    assert re.search("[\u0591-\u05af]", text), "cantillation marks reach the PDF"
    assert re.search("[\u05b0-\u05bc]", text), "nikud reaches the PDF"
    assert "\u05be" in text, "maqaf reaches the PDF"


def test_cover_and_dedications_are_in_hebrew(hebrew_pdf) -> None:
    pages = page_texts(hebrew_pdf)
    assert "יוצא לאור לשבת פרשת" in pages[0].replace("\r\n", " ")
    assert "לעילוי נשמת" in pages[1]
    assert "נלב״ע" in pages[1]
    assert not re.search(
        r"Passed away|In Loving Memory|Dedicated By", " ".join(pages), re.IGNORECASE
    )
