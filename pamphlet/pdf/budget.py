"""Page budget: a saddle-stitched booklet comes to a multiple of four pages, and wastes none.

The target is the issue's `pages:` or the smallest multiple of four that holds the
content. Content that runs just over a multiple of four (one page over) is laid out again
a little tighter, as far as the layout allows (`data-tighten-levels` on the root, levels
as `data-tighten` in the CSS), to save the sheet. Pages left over before the back cover
take the series' filler pages in order, then blanks.

The fillers are laid out in the same render as the content, after the back cover (each
a `filler-N` anchor, one page each): the content is every page before the first of them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import htmltree
from ..errors import PamphletError
from .fit import Fitted, render_fitted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Budget:
    """How the booklet's pages were found: content, fillers, blanks, and any tightening."""

    content: int
    fillers: int
    blanks: int
    tightened: int = 0  # the level of `data-tighten` the content was set at (0: none)

    @property
    def pages(self) -> int:
        """The booklet's page count."""
        return self.content + self.fillers + self.blanks

    def describe(self) -> str:
        """For the summary: '13 content, 3 fillers' (what is none is left out)."""
        parts = [f"{self.content} content"]
        if self.fillers:
            parts.append(f"{self.fillers} filler{'s' if self.fillers != 1 else ''}")
        if self.blanks:
            parts.append(f"{self.blanks} blank")
        if self.tightened:
            parts.append(f"set tighter (level {self.tightened}) to save a sheet")
        return ", ".join(parts)


def target_pages(content: int, asked: int | None) -> int:
    """The page count to come to: the one asked for, or the next multiple of four."""
    return asked if asked is not None else -(-content // 4) * 4


def fit_to_budget(
    fitted: Fitted,
    tree: htmltree.Element,
    doctype: str | None,
    base_url: str,
    roots: Sequence[Path],
    source: Path | None,
    asked: int | None,
) -> tuple[Fitted, int]:
    """The layout within the page budget, and the tightening level it took; an error when
    the content cannot come to the pages the issue asks for."""
    count = len(split_fillers(fitted.rendered.pages)[0])
    if asked is not None and count <= asked:
        return fitted, 0
    if asked is None and (count % 4 != 1 or count < 5 or not _has_short_page(fitted)):
        return fitted, 0
    goal = asked if asked is not None else count - 1
    root = _html_element(tree)
    levels = int(root.attrs.get("data-tighten-levels") or 0) if root else 0
    for level in range(1, levels + 1):
        assert root is not None
        root.attrs["data-tighten"] = str(level)
        tighter = render_fitted(tree, doctype, base_url, roots, source)
        if len(split_fillers(tighter.rendered.pages)[0]) <= goal:
            log.info("the text was set tighter (level %d) to come to %d pages", level, goal)
            return Fitted(tighter.rendered, tighter.html, fitted.renders + tighter.renders), level
    if root is not None:
        root.attrs.pop("data-tighten", None)
    if asked is not None and count > asked:
        raise PamphletError(
            f"the content takes {count} pages, more than the {asked} the issue asks for "
            "(pages:), even set as tight as the layout allows",
            source,
        )
    return fitted, 0


FEW_LINES = 6  # a page with no more lines than this is "a few lines over"


def _has_short_page(fitted: Fitted) -> bool:
    """Whether some inner page carries only a few lines run over from a full page before
    it (see `has_short_page`)."""
    return has_short_page(split_fillers(fitted.rendered.pages)[0])


def has_short_page(pages: list) -> bool:
    """Whether some page before the last carries only a few lines run over from a full
    page before it: what setting the text tighter can take back (a short page after a
    short one is a page break the layout asks for). WeasyPrint has no public view of a
    page's lines: this reads its page box."""
    lines = [_lines(page._page_box) for page in pages[:-1]]
    full = 0.8 * max(lines, default=0)
    return any(
        0 < count <= FEW_LINES and before >= full
        for before, count in zip(lines, lines[1:], strict=False)
    )


def _lines(box: object) -> int:
    """The lines of text in a box, the page margins' (running heads, folios) left out."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return 0
    if isinstance(box, boxes.LineBox):
        return 1
    return sum(_lines(child) for child in getattr(box, "children", []))


def _html_element(tree: htmltree.Element) -> htmltree.Element | None:
    """The document's <html> element."""
    if tree.tag == "html":
        return tree
    return next(
        (c for c in tree.children if isinstance(c, htmltree.Element) and c.tag == "html"), None
    )


def split_fillers(pages: list) -> tuple[list, list]:
    """The content's pages (up to the back cover), and the pages laid out after it for the
    padding: the fillers' and the blank page."""
    extra = [i for i, page in enumerate(pages) if any(_is_padding(a) for a in page.anchors)]
    first = extra[0] if extra else len(pages)
    return pages[:first], pages[first:]


def _is_padding(anchor: str) -> bool:
    return anchor.startswith("filler-") or anchor == "blank-page"


def filler_pages(pages: list, names: list[str], source: Path | None) -> tuple[list, Any]:
    """One page per filler, in order, and the blank page; an error naming a filler that
    takes more than one page."""
    page_of: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            page_of.setdefault(anchor, index)
    starts = [page_of.get(f"filler-{n}", -1) for n in range(len(names))]
    blank = page_of["blank-page"]
    ends = (starts + [blank])[1:]
    for name, start, end in zip(names, starts, ends, strict=True):
        if end - start != 1:
            raise PamphletError(f"filler page '{name}' does not fit on one page", source)
    return [pages[start] for start in starts], pages[blank]
