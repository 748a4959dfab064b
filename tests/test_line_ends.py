"""Justified lines of a paragraph that mixes directions meet both edges of the column.

WeasyPrint 70 drew some such lines a space's width past a margin and, in PDFium, others
short of the far edge (see pamphlet/pdf/line_ends.py). Each paragraph is set at many
column widths, one page each; the edges come from the page's geometry and the ink PDFium
draws, never from the layout's boxes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import ROOT, run_build
from weasyprint import HTML
from weasyprint.draw import text as draw_text
from weasyprint.layout import inline

from pamphlet.pdf import line_ends
from pamphlet.pdf.document import render_pages

SCALE = 4  # pixels a point
MARGIN = 20  # points, each side of the column
WIDTHS = range(150, 330, 4)  # page widths, points
LINE_GAP = 4  # points of blank rows between two lines' ink (lines are 22 pt apart)
WORD_GAP = 2.2  # points of blank columns that show a line has a space to stretch

HEBREW = (
    "rtl",
    'ועוד הוסיף שהקב"ה אומר לנו בכל יום מחדש פקד פקדתי אתכם. כדברי השיחה, באנגלית: '
    '<span dir="ltr" lang="en">the <strong>Rebbe</strong> said that we stand ready to '
    "<em>greet</em> Moshiach</span>. ועוד מילים רבות כאן כדי למלא את השורה הבאה של הפסקה.",
)
HEBREW_NOTES = (
    "rtl",
    "כפי שכתב הרבי במכתבו משנת 5746 "
    '<span dir="ltr" lang="en">(the <em>Igros Kodesh</em>, <strong>vol. 13</strong>, '
    "p. 214)</span><sup>3</sup>, יש לנו [כלומר, לכל אחד ואחת מאיתנו] לעשות עוד "
    '<span dir="ltr" lang="en">one more <strong>good</strong> deed</span> כדי להביא את '
    "הגאולה האמיתית והשלמה בקרוב ממש, ולא לחכות עוד אפילו רגע אחד.",
)
ENGLISH = (
    "ltr",
    "As the Rebbe wrote in the letter that we read this week, quoting the verse "
    '<span dir="rtl" lang="he">וְהִנֵּה הַסְּנֶה <strong>בֹּעֵר</strong> בָּאֵשׁ '
    "<em>וְהַסְּנֶה</em> אֵינֶנּוּ אֻכָּל</span> and explained it at length to those present.",
)
ENGLISH_NAME = (
    "ltr",
    'On Shabbos <span dir="rtl" lang="he">פרשת שמות</span> we read how Moshe asked what '
    'to answer, and was told <span dir="rtl" lang="he"><em>אֶהְיֶה</em> אֲשֶׁר '
    "<strong>אֶהְיֶה</strong></span> (Shemos 3:14), words the Rebbe explained in 5746 "
    'at length, with <span dir="rtl" lang="he">רש"י</span> and the Midrash, to all present.',
)
CASES = {
    "hebrew": HEBREW,
    "hebrew-notes": HEBREW_NOTES,
    "english": ENGLISH,
    "english-name": ENGLISH_NAME,
}
Lines = dict[int, list[tuple[float, float, bool]]]  # width -> (left, right, can stretch)


def _html(case: tuple[str, str], widths: range) -> str:
    """The paragraph once on a page of each width."""
    direction, body = case
    pages = "".join(
        f"@page w{w} {{ size: {w}pt 400pt; margin: {MARGIN}pt }} .w{w} {{ page: w{w} }}"
        for w in widths
    )
    paragraphs = "".join(f'<p class="w{w}">{body}</p>' for w in widths)
    return (
        f'<html dir="{direction}" lang="{"he" if direction == "rtl" else "en"}"><style>'
        f"{pages} body {{ margin: 0 }} p {{ margin: 0; text-align: justify; "
        f"font: 11pt/22pt serif; break-before: page }}</style>{paragraphs}</html>"
    )


def _lines(pdf: bytes, widths: range) -> Lines:
    """For each width, each line but the paragraph's last: how far (pt) its ink stays
    inside the left and the right edge of the column (negative: past it), and whether
    it has a space to stretch."""
    found = {}
    for page, width in zip(pdfium.PdfDocument(pdf), widths, strict=True):
        ink = np.asarray(page.render(scale=SCALE).to_pil().convert("L")) < 128
        rows = np.flatnonzero(ink.any(axis=1))
        bands = np.split(rows, np.flatnonzero(np.diff(rows) > LINE_GAP * SCALE) + 1)
        left, right = MARGIN * SCALE, (width - MARGIN) * SCALE
        lines = []
        for band in bands[:-1]:
            columns = np.flatnonzero(ink[band[0] : band[-1] + 1].any(axis=0))
            stretch = bool(np.diff(columns).max(initial=0) > WORD_GAP * SCALE)
            lines.append(((columns[0] - left) / SCALE, (right - columns[-1] - 1) / SCALE, stretch))
        found[width] = lines
    return found


def _bare(case: tuple[str, str], widths: range) -> Lines:
    """The lines as WeasyPrint draws them with whatever is installed now."""
    return _lines(HTML(string=_html(case, widths)).write_pdf(), widths)


def _past(lines: Lines) -> dict[int, float]:
    """Widths where a line passes an edge by more than 1 pt: by how much."""
    worst = {
        w: -min(min(left, right) for left, right, _ in found) for w, found in lines.items() if found
    }
    return {w: past for w, past in worst.items() if past > 1.0}


def _short(lines: Lines) -> dict[int, float]:
    """Widths where a line with a space to stretch misses an edge by more than 1.5 pt."""
    worst = {
        w: max((max(left, right) for left, right, stretch in found if stretch), default=0.0)
        for w, found in lines.items()
    }
    return {w: short for w, short in worst.items() if short > 1.5}


@pytest.mark.parametrize("name", CASES)
def test_justified_lines_meet_both_edges(name: str, tmp_path: Path) -> None:
    html = _html(CASES[name], WIDTHS)
    pdf = render_pages(html, base_url=str(tmp_path), roots=[tmp_path]).document.write_pdf()
    lines = _lines(pdf, WIDTHS)
    assert sum(len(found) for found in lines.values()) > 3 * len(WIDTHS)
    assert _past(lines) == {}
    assert _short(lines) == {}


def test_bare_weasyprint_still_needs_it(monkeypatch) -> None:
    """When WeasyPrint (or PDFium) fixes either itself, this fails: then that half of
    pdf/line_ends.py can go."""
    line_ends.install()
    monkeypatch.setattr(inline, "remove_last_whitespace", line_ends._original)
    assert _past(_bare(HEBREW, WIDTHS[::2])), "WeasyPrint no longer leaves a space past the margin"
    monkeypatch.undo()
    line_ends.install()
    monkeypatch.setattr(draw_text, "draw_first_line", line_ends._original_draw)
    assert _short(_bare(HEBREW, WIDTHS[::2])), "justified spaces no longer go missing in PDFium"


def test_the_hebrew_sample_has_no_line_out_of_its_box(tmp_path: Path) -> None:
    run = run_build("check", ROOT / "content" / "shemot-5786-he", "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "out of its box" not in run.stderr + run.stdout, run.stderr
