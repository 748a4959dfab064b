"""Edges: no text may run past the page's edge (a name too long for its line, a long
address that cannot break). WeasyPrint lets such a line overflow silently; the written PDF
is read back with pypdfium2 (a well-kept PDFium binding) and every glyph's box checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium

EDGE = 9.0  # points: text closer to the trim than an eighth of an inch is cut off in print


@dataclass(frozen=True)
class OffPage:
    """A line of text that reaches past the edge of its page."""

    page: int  # 1-based
    text: str


def text_off_page(pdf: bytes) -> list[OffPage]:
    """Every line that has a glyph within EDGE of the page's edge or past it."""
    document = pdfium.PdfDocument(pdf)
    found: list[OffPage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            for char in range(textpage.count_chars()):
                left, bottom, right, top = textpage.get_charbox(char)
                if right <= left or text[char : char + 1].isspace():
                    continue
                if left < EDGE or right > width - EDGE or bottom < EDGE or top > height - EDGE:
                    found.append(OffPage(index + 1, _line_at(text, char)))
                    break
    finally:
        document.close()
    return found


def _line_at(text: str, index: int) -> str:
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    ends = [i for i in (text.find("\r", index), text.find("\n", index)) if i >= 0]
    return text[start : min(ends, default=len(text))].strip()
