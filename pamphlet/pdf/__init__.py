"""PDF stage, on pages rather than bytes.

`document` renders HTML into WeasyPrint pages (reading only the project's own files),
`fit` re-renders the regions that must keep to one page when they overflow, `assemble`
pads, splices and reorders pages, and `write` turns pages into a PDF file's bytes.
"""

from .assemble import Pages, pad_for_saddle_stitch, pad_to
from .document import Rendered, render_pages
from .fit import render_fitted
from .write import pdf_bytes

__all__ = [
    "Pages",
    "Rendered",
    "pad_for_saddle_stitch",
    "pad_to",
    "pdf_bytes",
    "render_fitted",
    "render_pages",
]
