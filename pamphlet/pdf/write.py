"""Write: rendered pages → the bytes of a PDF file, with its metadata and bookmarks.

What a PDF needs beyond WeasyPrint's output is done by finishers: functions that edit
pydyf's objects before they are written (the text layer here; the print master's and the
reader's own in `press/`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .assemble import Pages
from .text_layer import correct_to_unicode

Finisher = Callable[[Any, Any], None]


def pdf_bytes(pages: Pages, finishers: Sequence[Finisher] = (), **options: Any) -> bytes:
    """The PDF of the pages, edited by each finisher in turn; `options` go to WeasyPrint's
    `write_pdf` (pdf_variant, pdf_tags...)."""

    def finish(document: Any, pdf: Any) -> None:
        for finisher in finishers:
            finisher(document, pdf)

    data = pages.document.write_pdf(finisher=finish, **options)
    assert isinstance(data, bytes)
    return data


def text_layer(fonts: Mapping[str, Path]) -> Finisher:
    """A finisher giving each glyph of the bundled fonts its own character (text_layer)."""

    def finish(document: Any, pdf: Any) -> None:
        correct_to_unicode(pdf, fonts)

    return finish
