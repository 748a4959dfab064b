"""Assemble: splice, pad and reorder rendered pages into the booklet's page sequence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weasyprint import HTML

from .document import Rendered


@dataclass
class Pages:
    """A sequence of rendered pages ready to write, with what was added to it.

    `source` keeps the render (and so its fonts) alive until the pages are written."""

    document: Any
    source: Rendered
    blank_pages: int = 0

    @property
    def count(self) -> int:
        """Number of pages."""
        return len(self.document.pages)


def pad_for_saddle_stitch(rendered: Rendered, multiple: int = 4) -> Pages:
    """Blank pages before the last page (the back cover), to a multiple of `multiple`."""
    pages = rendered.pages
    blanks = (-len(pages)) % multiple
    if not blanks:
        return Pages(rendered.document, rendered)
    blank = blank_page(pages[0].width, pages[0].height, rendered)
    spliced = pages[:-1] + [blank] * blanks + pages[-1:]
    return Pages(rendered.document.copy(spliced), rendered, blanks)


def blank_page(width: float, height: float, rendered: Rendered) -> Any:
    """An empty page of the given size (in CSS px)."""
    html = HTML(
        string=f"<style>@page {{ size: {width}px {height}px; margin: 0 }}</style>",
        url_fetcher=rendered.fetcher,
    )
    return html.render(font_config=rendered.fonts).pages[0]
