"""Assemble: splice, pad and reorder rendered pages into the booklet's page sequence."""

from __future__ import annotations

from collections.abc import Sequence
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
    filler_pages: int = 0
    keep: tuple[Rendered, ...] = ()  # other renders whose pages are spliced in, kept alive

    @property
    def count(self) -> int:
        """Number of pages."""
        return len(self.document.pages)


def pad_for_saddle_stitch(rendered: Rendered, multiple: int = 4) -> Pages:
    """Blank pages before the last page (the back cover), to a multiple of `multiple`."""
    return pad_to(rendered, -(-len(rendered.pages) // multiple) * multiple)


def pad_to(
    rendered: Rendered,
    count: int,
    content: list[Any] | None = None,
    fillers: Sequence[Any] = (),
    blank: Any = None,
) -> Pages:
    """The booklet: the `content` pages (default: every page of the render), with pages
    before the last of them (the back cover) up to `count`: the filler pages first, as
    many as are needed and in order, then blanks (`blank`, or one rendered here)."""
    pages = rendered.pages if content is None else content
    missing = max(0, count - len(pages))
    used = list(fillers[:missing])
    blanks = missing - len(used)
    if not missing and (content is None or content == rendered.pages):
        return Pages(rendered.document, rendered)
    if blanks and blank is None:
        blank = blank_page(pages[0].width, pages[0].height, rendered, pages[0].bleed["top"])
    spliced = pages[:-1] + used + [blank] * blanks + pages[-1:]
    return Pages(rendered.document.copy(spliced), rendered, blanks, len(used))


def blank_page(width: float, height: float, rendered: Rendered, bleed: float = 0) -> Any:
    """An empty page of the given size and bleed (in CSS px)."""
    html = HTML(
        string=f"<style>@page {{ size: {width}px {height}px; margin: 0; bleed: {bleed}px }}"
        "</style>",
        url_fetcher=rendered.fetcher,
    )
    return html.render(font_config=rendered.fonts).pages[0]
