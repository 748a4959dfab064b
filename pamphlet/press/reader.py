"""The reader PDF: trimmed pages for the screen, tagged (PDF/UA-1), with bookmarks and
page labels as printed.

WeasyPrint writes the tags; here the reader gets what WeasyPrint leaves out: running
heads and folios marked as pagination artifacts (WeasyPrint leaves them as untagged
spans), the language of each element written in another language (`lang="he"`), page
labels (the covers by name, the other pages by the number printed on them), and its
pages cut to the trim.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pydyf
from weasyprint.pdf import tags as weasyprint_tags

from ..pdf.assemble import Pages
from ..pdf.write import Finisher, pdf_bytes
from .finish import box, object_at, pages_of, right_to_left, set_box
from .master import MasterOptions, master_from_reader

VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class ReaderOptions:
    """What the reader needs to know besides its pages."""

    cover_label: str
    back_cover_label: str
    right_to_left: bool = False


def reader_pdf(pages: Pages, options: ReaderOptions, finishers: list[Finisher]) -> bytes:
    """The reader PDF's bytes (`finishers` run first: the text layer's corrections)."""

    def finish(document: Any, pdf: Any) -> None:
        _finish(pdf, pages.count, options)

    with _element_languages():
        return pdf_bytes(pages, [*finishers, finish], pdf_variant=VARIANT, pdf_tags=True)


def reader_and_master(
    pages: Pages, options: ReaderOptions, master: MasterOptions, finishers: list[Finisher]
) -> tuple[bytes, bytes]:
    """The reader PDF's and the print master's bytes from one drawing of the pages."""
    written: list[bytes] = []

    def finish(document: Any, pdf: Any) -> None:
        written.append(master_from_reader(document, pdf, master))
        _finish(pdf, pages.count, options)

    with _element_languages():
        reader = pdf_bytes(pages, [*finishers, finish], pdf_variant=VARIANT, pdf_tags=True)
    return reader, written[0]


def _finish(pdf: Any, count: int, options: ReaderOptions) -> None:
    """The reader's own edits: the trim, printable links, artifacts, page labels."""
    for page in pages_of(pdf):
        _cut_to_trim(page)
        _printable_links(pdf, page)
    _pagination_artifacts(pdf)
    _page_labels(pdf, count, options)
    if options.right_to_left:
        right_to_left(pdf)


def _cut_to_trim(page: Any) -> None:
    """The page is its trim: no bleed on screen."""
    if "TrimBox" in page:
        trim = box(page, "TrimBox")
        set_box(page, "MediaBox", trim)
        page.pop("BleedBox", None)
        page.pop("TrimBox", None)


def _printable_links(pdf: Any, page: Any) -> None:
    """Links print as they show (the annotation's Print flag)."""
    for reference in page.get("Annots") or []:
        object_at(pdf, reference)["F"] = 4


def _page_labels(pdf: Any, count: int, options: ReaderOptions) -> None:
    """Page labels: the covers by name, every other page by its own (printed) number."""
    nums: list[Any] = [0, pydyf.Dictionary({"P": pydyf.String(options.cover_label)})]
    if count > 2:
        nums += [1, pydyf.Dictionary({"S": "/D", "St": 2})]
    if count > 1:
        nums += [count - 1, pydyf.Dictionary({"P": pydyf.String(options.back_cover_label)})]
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})


def _pagination_artifacts(pdf: Any) -> None:
    """Mark the content of the page margins (running heads, folios) as pagination
    artifacts: WeasyPrint tags it as spans that belong to no element of the tree."""
    root = pdf.catalog.get("StructTreeRoot")
    if root is None:
        return
    tree = object_at(pdf, root)
    reachable = _elements_under(pdf, tree)
    numbers = list(object_at(pdf, tree["ParentTree"])["Nums"])
    pages = list(pages_of(pdf))
    for index, marked in zip(numbers[::2], numbers[1::2], strict=True):
        if not isinstance(marked, pydyf.Array) or int(index) >= len(pages):
            continue  # a link annotation's entry, not a page's marked content
        orphans = {
            mcid for mcid, element in enumerate(marked) if _reference(element) not in reachable
        }
        if orphans:
            _mark_as_artifacts(object_at(pdf, pages[int(index)]["Contents"]), orphans)
            for mcid in orphans:
                marked[mcid] = "null"


def _elements_under(pdf: Any, element: Any) -> set[str]:
    """The references of every structure element below `element`."""
    found: set[str] = set()
    stack = [element]
    while stack:
        current = stack.pop()
        kids = current.get("K") if isinstance(current, dict) else None
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            reference = _reference(kid)
            if reference.endswith(" R"):
                found.add(reference)
                stack.append(object_at(pdf, kid))
    return found


def _reference(value: Any) -> str:
    """A reference as text ('12 0 R'), whether pydyf holds it as bytes or str."""
    return value.decode() if isinstance(value, bytes) else str(value)


def _mark_as_artifacts(stream: Any, mcids: set[int]) -> None:
    """Turn the marked-content sequences with these MCIDs into pagination artifacts."""
    operators = stream.stream
    for index, operator in enumerate(operators):
        if isinstance(operator, pydyf.Dictionary) and operator.get("MCID") in mcids:
            operators[index - 1] = "/Artifact"
            operators[index] = pydyf.Dictionary({"Type": "/Pagination"})


@contextmanager
def _element_languages() -> Iterator[None]:
    """While writing, give a structure element the `lang` of its HTML element when it has
    one (WeasyPrint writes only the document's language)."""
    build = weasyprint_tags._build_box_tree

    def with_language(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        language = element.get("lang") if element is not None else None
        for structure in build(box, parent, *args):
            if language and box.element_tag not in ("html", "body"):
                structure.setdefault("Lang", pydyf.String(language))
            yield structure

    weasyprint_tags._build_box_tree = with_language
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = build
