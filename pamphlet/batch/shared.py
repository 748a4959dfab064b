"""Lay out once: what every edition of a week shares (the title page and the articles)
is laid out once; an edition lays out only its own pages (its covers, its inside cover,
its memorial boxes) and its booklet is assembled from both renders' pages.

WeasyPrint's pages can be combined across renders (`Document.copy`); the pages keep the
font configuration of their render, so each render is kept alive until written. The
first page of a render is always a right-hand page: a blank page before an edition's
memorial boxes keeps them on the side they have in the whole booklet. Where the page
budget could set the text tighter (a run-over of a few lines), or the issue asks for a
page count, the edition is laid out whole instead, as `build` would.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .. import htmltree
from ..model import Issue
from ..pipeline import Laid, _base_url, lay_out, prepare_tree
from ..render import render_html


@dataclass
class SharedLayout:
    """The issue laid out once, and which of its pages every edition shares."""

    issue: Issue
    laid: Laid
    shared: list[Any]  # the title page and the articles' pages
    whole: bool  # editions must be laid out whole (the budget may set text tighter)

    @classmethod
    def of(cls, issue: Issue) -> SharedLayout:
        """Lay the whole issue out once."""
        from ..pdf.budget import has_short_page, split_fillers

        laid = lay_out(issue)
        content = split_fillers(laid.pages.source.pages)[0]
        try:  # a series' own layouts may not mark the pages: then editions are laid out whole
            first = _page_of(content, "title-page")
            last = _page_of(content, "memorial-boxes", _page_of(content, "back-cover"))
        except KeyError:
            return cls(issue, laid, [], whole=True)
        whole = bool(laid.budget.tightened or has_short_page(content))
        whole = whole or issue.settings.pages is not None
        return cls(issue, laid, content[first:last], whole)

    def edition(self, issue: Issue) -> Laid | None:
        """The edition's booklet from the shared pages and a render of its own; None when
        it must be laid out whole."""
        from ..pdf.assemble import pad_to
        from ..pdf.budget import Budget, filler_pages, has_short_page, split_fillers, target_pages
        from ..pdf.fit import render_fitted

        if self.whole:
            return None
        spacer = len(self.shared) % 2 == 1  # the memorial boxes' page keeps its side
        tree, doctype = prepare_tree(issue, render_html(issue, {"spacer": spacer}))
        fitted = render_fitted(tree, doctype, _base_url(issue), issue.settings.roots, issue.path)
        own = fitted.rendered.pages
        boxes = [page for page in own if "memorial-boxes" in page.anchors]
        try:
            content = [own[_page_of(own, "cover")], own[_page_of(own, "inside-cover")]]
            content += [*self.shared, *boxes, own[_page_of(own, "back-cover")]]
        except KeyError:
            return None
        if len(content) % 4 == 1 and has_short_page(content):
            return None  # build would try to save a sheet by setting the text tighter
        base = self.laid.pages.source
        padding = split_fillers(base.pages)[1]
        names = [filler.name for filler in issue.fillers]
        fillers, blank = filler_pages(padding, names, issue.settings.series_path)
        pages = pad_to(base, target_pages(len(content), None), content, fillers, blank)
        pages = dataclasses.replace(pages, keep=(fitted.rendered,))
        budget = Budget(len(content), pages.filler_pages, pages.blank_pages)
        html = self.laid.html + htmltree.serialize(tree, doctype)
        return Laid(pages, budget, fitted.renders, html)


def _page_of(pages: list[Any], anchor: str, default: int | None = None) -> int:
    """The index of the page an anchor is on."""
    for index, page in enumerate(pages):
        if anchor in page.anchors:
            return index
    if default is None:
        raise KeyError(anchor)
    return default
