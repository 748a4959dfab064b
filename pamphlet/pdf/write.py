"""Write: rendered pages → the bytes of a PDF file, with its metadata and bookmarks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydyf

from .assemble import Pages
from .text_layer import correct_to_unicode


def pdf_bytes(
    pages: Pages, right_to_left: bool = False, fonts: Mapping[str, Path] | None = None
) -> bytes:
    """The PDF of the pages: its text layer corrected for the bundled fonts (`fonts`: the
    PDF font name of each file), and a right-bound booklet telling viewers to show pages
    right to left."""

    def finish(document: Any, pdf: Any) -> None:
        if fonts:
            correct_to_unicode(pdf, fonts)
        if right_to_left:
            _right_to_left(document, pdf)

    data = pages.document.write_pdf(finisher=finish)
    assert isinstance(data, bytes)
    return data


def _right_to_left(document: Any, pdf: Any) -> None:
    """Tell PDF viewers that pages run right to left (a right-bound booklet)."""
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"Direction": "/R2L"})
