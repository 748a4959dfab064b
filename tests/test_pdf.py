"""The PDF stage works on pages: fit re-renders only what overflows, assemble pads and
reorders pages of one or several renders, write turns them into a PDF."""

from __future__ import annotations

import io

import pytest
from conftest import ROOT
from pypdf import PdfReader

from pamphlet import htmltree
from pamphlet.errors import PamphletError
from pamphlet.pdf import Pages, pad_for_saddle_stitch, pdf_bytes, render_fitted, render_pages
from pamphlet.pdf.assemble import blank_page
from pamphlet.pipeline import build_issue
from pamphlet.press.finish import right_to_left
from pamphlet.settings import Overrides

PAGE = "<style>@page { size: 200px 200px; margin: 10px } p { margin: 0; font-size: 10px }</style>"


def _pages_text(data: bytes) -> list[str]:
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(data)).pages]


def _region(records: int) -> str:
    css = "[data-fit-level='1'] p { font-size: 5px; line-height: 5px }"
    items = "".join(f'<p data-name="R{i}">record {i}</p>' for i in range(records))
    return (
        f"{PAGE}<style>{css}</style><div data-fit='box' data-fit-levels='1'>{items}</div>"
        "<p style='break-before: page'>after</p>"
    )


def _fit(html: str):
    tree, doctype = htmltree.parse(html)
    return render_fitted(tree, doctype, ROOT.as_uri() + "/", [ROOT])


def test_a_region_that_fits_is_rendered_once() -> None:
    fitted = _fit(_region(5))
    assert fitted.renders == 1 and len(fitted.rendered.pages) == 2
    assert 'data-fit-level="' not in fitted.html


def test_an_overflowing_region_is_set_tighter_and_rendered_again() -> None:
    fitted = _fit(_region(25))  # 25 lines of 10 px do not fit 180 px; of 5 px they do
    assert fitted.renders == 2 and len(fitted.rendered.pages) == 2
    assert 'data-fit-level="1"' in fitted.html


def test_past_the_last_level_the_first_record_over_is_named() -> None:
    with pytest.raises(
        PamphletError, match=r"the box would run onto a second page.*R\d+ is the first"
    ):
        _fit(_region(60))


def test_the_default_issue_is_laid_out_in_one_render(tmp_path) -> None:
    result = build_issue(ROOT / "content" / "shemot-5786", Overrides(output=tmp_path))
    assert result.renders == 1 and result.pages == 16
    assert (result.budget.content, result.budget.fillers, result.budget.blanks) == (13, 3, 0)


def test_padding_goes_before_the_back_cover() -> None:
    html = PAGE + "".join(f"<p style='break-before: page'>page {i}</p>" for i in range(1, 6))
    rendered = render_pages(html, ROOT.as_uri() + "/", [ROOT])
    pages = pad_for_saddle_stitch(rendered)
    assert (pages.count, pages.blank_pages) == (8, 3)
    assert _pages_text(pdf_bytes(pages)) == [
        "page 1",
        "page 2",
        "page 3",
        "page 4",
        "",
        "",
        "",
        "page 5",
    ]


def test_pages_of_two_renders_are_spliced_and_reordered_before_writing() -> None:
    base = ROOT.as_uri() + "/"
    first = render_pages(PAGE + "<p>one</p><p style='break-before: page'>two</p>", base, [ROOT])
    second = render_pages(PAGE + "<h1 style='bookmark-level: 1'>three</h1>", base, [ROOT])
    spliced = first.document.copy([second.pages[0], first.pages[1], first.pages[0]])
    data = pdf_bytes(Pages(spliced, first))
    assert _pages_text(data) == ["three", "two", "one"]
    assert [item.title for item in PdfReader(io.BytesIO(data)).outline] == ["three"]


def test_a_blank_page_has_the_size_asked_for() -> None:
    rendered = render_pages(PAGE + "<p>x</p>", ROOT.as_uri() + "/", [ROOT])
    page = blank_page(300, 400, rendered)
    assert (page.width, page.height) == (300, 400)


def test_right_to_left_booklets_tell_viewers() -> None:
    rendered = render_pages(PAGE + "<p>x</p>", ROOT.as_uri() + "/", [ROOT])
    data = pdf_bytes(pad_for_saddle_stitch(rendered), [lambda _, pdf: right_to_left(pdf)])
    prefs = PdfReader(io.BytesIO(data)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Direction"] == "/R2L"
