"""The print master: PDF/X-4, every page with its bleed, crop marks outside the bleed.

WeasyPrint lays the pages out with `@page { bleed }` (the series' setting) and writes
PDF/X-4 with the CMYK output intent that `pamphlet.css` declares. Here the master gets
what WeasyPrint does not give it: a BleedBox of the full bleed (WeasyPrint caps it at
10 pt), a slug around the bleed where the crop marks are drawn, no link annotations, and
an XMP DocumentID that is the same for the same input.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from weasyprint.pdf import VARIANTS

from .finish import (
    Box,
    add_content,
    box,
    drop_unreachable,
    fixed_document_id,
    grown,
    pages_of,
    restored,
    right_to_left,
    set_box,
)

MARK_GAP = 3.0  # points between the bleed's edge and a crop mark
MARK_LENGTH = 18.0  # points: a quarter inch
MARK_WIDTH = 0.25  # points
VARIANT = "pdf/x-4"


@dataclass(frozen=True)
class MasterOptions:
    """What the master needs to know besides its pages."""

    bleed: float  # points
    identity: str  # what the file is made from: the same identity, the same DocumentID
    right_to_left: bool = False


def slug_width(bleed: float) -> float:
    """Room outside the trim for the bleed and the crop marks, in points."""
    return bleed + MARK_GAP + MARK_LENGTH + MARK_GAP


def master_from_reader(document: Any, pdf: Any, options: MasterOptions) -> bytes:
    """The print master's bytes from the pages WeasyPrint drew for the tagged reader PDF
    (the drawing is most of a PDF's cost), before the reader's own finishing; the
    document is left as it was. The master drops the reader's structure tree and its
    metadata for PDF/X-4's; the marked content left in the pages is allowed in PDF/X."""
    add_metadata, properties = VARIANTS[VARIANT]
    with restored(pdf):
        for key in ("StructTreeRoot", "MarkInfo", "ViewerPreferences", "Metadata"):
            pdf.catalog.pop(key, None)
        for page in pages_of(pdf):
            page.pop("Tabs", None)
            page.pop("StructParents", None)
        add_metadata(pdf, document, [], [], True)
        _finish(pdf, options)
        drop_unreachable(pdf)
        out = io.BytesIO()
        pdf.write(out, properties["pdf_version"], properties["pdf_identifier"], compress=True)
    return out.getvalue()


def _finish(pdf: Any, options: MasterOptions) -> None:
    """The master's own edits: bleed, crop marks, no links, a stable DocumentID."""
    for page in pages_of(pdf):
        _bleed_and_marks(pdf, page, options.bleed)
        page.pop("Annots", None)
    fixed_document_id(pdf, options.identity)
    if options.right_to_left:
        right_to_left(pdf)


def _bleed_and_marks(pdf: Any, page: Any, bleed: float) -> None:
    """Give the page its full BleedBox and a slug with crop marks outside it."""
    trim = box(page, "TrimBox")
    set_box(page, "BleedBox", grown(trim, bleed))
    set_box(page, "MediaBox", grown(trim, slug_width(bleed)))
    add_content(pdf, page, crop_marks(trim, bleed))


def crop_marks(trim: Box, bleed: float) -> list[str]:
    """Eight hairlines in black ink on the lines of the trim, outside the bleed."""
    left, bottom, right, top = trim
    start, end = bleed + MARK_GAP, bleed + MARK_GAP + MARK_LENGTH
    lines = []
    for x, outward in ((left, -1), (right, 1)):
        for y in (bottom, top):
            lines.append((x + outward * start, y, x + outward * end, y))
    for y, outward in ((bottom, -1), (top, 1)):
        for x in (left, right):
            lines.append((x, y + outward * start, x, y + outward * end))
    operators = ["0 0 0 1 K", f"{MARK_WIDTH} w", "0 J"]
    for x1, y1, x2, y2 in lines:
        operators.append(f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S")
    return operators
