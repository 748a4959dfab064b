"""Write: rendered pages → the bytes of a PDF file, with its metadata and bookmarks."""

from __future__ import annotations

from typing import Any

import pydyf

from .assemble import Pages


def pdf_bytes(pages: Pages, right_to_left: bool = False) -> bytes:
    """The PDF of the pages; a right-bound booklet tells viewers to show pages right to left."""
    finisher = _right_to_left if right_to_left else None
    data = pages.document.write_pdf(finisher=finisher)
    assert isinstance(data, bytes)
    return data


def _right_to_left(document: Any, pdf: Any) -> None:
    """Tell PDF viewers that pages run right to left (a right-bound booklet)."""
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"Direction": "/R2L"})
