"""Fit: regions that must keep to one page are re-rendered tighter, only when they overflow.

A layout marks such a region with `data-fit="name"` and says how many tighter settings its
stylesheet defines with `data-fit-levels="N"`; each record in it may carry
`data-name="…"`. Which page every part of a region landed on is read from the rendered
pages' anchors (WeasyPrint's public `Page.anchors`): the region and each block inside it
get an `id`. A region found on more than one page is set one level tighter
(`data-fit-level`) on the HTML tree and the document is rendered again; past the last
level, the build stops naming the first record that did not fit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint.text.fonts import FontConfiguration

from .. import htmltree
from ..errors import PamphletError
from .document import Rendered, render_pages

log = logging.getLogger(__name__)
_BLOCKS = {"div", "p", "section", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li"}


@dataclass
class Region:
    """A part of the layout that must keep to one page, and the anchors placed in it."""

    element: htmltree.Element
    name: str
    levels: int
    anchor: str
    parts: list[tuple[str, str | None]] = field(default_factory=list)  # (anchor, record name)

    @property
    def level(self) -> int:
        """The tighter setting the region is at now (0: the layout's own)."""
        return int(self.element.attrs.get("data-fit-level") or 0)


@dataclass
class Fitted:
    """The render in which every region fits, the HTML it was made from, and how many
    renders it took."""

    rendered: Rendered
    html: str
    renders: int


def render_fitted(
    tree: htmltree.Element,
    doctype: str | None,
    base_url: str,
    roots: Sequence[Path],
    source: Path | None = None,
) -> Fitted:
    """Render the tree; re-render only while a region overflows, one level tighter each time."""
    regions = mark_regions(tree)
    fonts = FontConfiguration()
    renders = 0
    while True:
        html = htmltree.serialize(tree, doctype)
        rendered = render_pages(html, base_url, roots, source, fonts)
        renders += 1
        over = overflows(rendered, regions)
        if not over:
            log.debug("laid out in %d render(s)", renders)
            return Fitted(rendered, html, renders)
        for region, first in over:
            if region.level >= region.levels:
                raise PamphletError(_overflow_message(region, first), source)
            region.element.attrs["data-fit-level"] = str(region.level + 1)
            log.debug("the %s is set tighter (level %d)", region.name, region.level)


def mark_regions(tree: htmltree.Element) -> list[Region]:
    """Find the `data-fit` regions and give them, and each block in them, an anchor."""
    regions = []
    for number, element in enumerate(_with_attribute(tree, "data-fit")):
        anchor = element.attrs.setdefault("id", f"fit-{number}") or f"fit-{number}"
        levels = int(element.attrs.get("data-fit-levels") or 0)
        region = Region(element, element.attrs["data-fit"] or "region", levels, anchor)
        for part, (block, name) in enumerate(_blocks(element, None)):
            block_anchor = block.attrs.setdefault("id", f"{anchor}-{part}") or f"{anchor}-{part}"
            region.parts.append((block_anchor, name))
        regions.append(region)
    return regions


def overflows(rendered: Rendered, regions: list[Region]) -> list[tuple[Region, str | None]]:
    """The regions found on more than one page, each with the first record (its
    `data-name`) that landed on a later page."""
    page_of: dict[str, int] = {}
    for index, page in enumerate(rendered.pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, index)
    found = []
    for region in regions:
        start = page_of.get(region.anchor)
        later = [name for anchor, name in region.parts if page_of.get(anchor, start) != start]
        if later:
            found.append((region, next((n for n in later if n), None)))
    return found


def _with_attribute(node: htmltree.Element, name: str) -> Iterator[htmltree.Element]:
    if name in node.attrs:
        yield node
    for child in node.children:
        if isinstance(child, htmltree.Element):
            yield from _with_attribute(child, name)


def _blocks(
    node: htmltree.Element, name: str | None
) -> Iterator[tuple[htmltree.Element, str | None]]:
    """Every block element inside a node, with the record (data-name) it belongs to."""
    for child in node.children:
        if isinstance(child, htmltree.Element) and child.tag in _BLOCKS:
            own = child.attrs.get("data-name") or name
            yield child, own
            yield from _blocks(child, own)


def _overflow_message(region: Region, first: str | None) -> str:
    who = f"{first} is the first record that does not fit; " if first else ""
    return (
        f"the {region.name} would run onto a second page, even at the smallest of the "
        f"layout's {region.levels} tighter settings; {who}shorten the dedications or move "
        "some to another week"
    )
