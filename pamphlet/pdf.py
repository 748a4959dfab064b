"""PDF stage: WeasyPrint renders the HTML; pages are padded for saddle stitching."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import PamphletError
from .files import is_inside

BLANK_PAGE_HTML = '<div class="blank-page"></div>'
PADDING_MARKER = '<div class="padding"></div>'  # where the layout wants blank pages


class RefusedResource(BaseException):
    """Raised from inside WeasyPrint to stop a render that asked for a forbidden URL."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def project_fetcher(roots: Sequence[Path]):
    """A URL fetcher that reads the project's own files and nothing else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class Refused(RefusedResource, FatalURLFetchingError):
        pass

    class ProjectFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme != "file" or not is_inside(Path(unquote(parsed.path)), roots):
                raise Refused(url)
            return super().fetch(url, headers)

    return ProjectFetcher()


@dataclass(frozen=True)
class Rendered:
    """The PDF bytes, how many pages it has and how many blank pages were added."""

    pdf: bytes
    pages: int
    blank_pages: int


class _Collect(logging.Handler):
    """Collects WeasyPrint's warnings so the caller decides how to report them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(
    html: str,
    base_url: str,
    roots: Sequence[Path],
    warn: Callable[[str], None],
    right_to_left: bool = False,
) -> Rendered:
    """Render the HTML to PDF, padded with blank pages before the back cover to a multiple of 4."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = project_fetcher(roots)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        fonts = FontConfiguration()
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=fonts
        )
        blanks = (-len(document.pages)) % 4
        if blanks:
            document = _pad(document, blanks, fetcher)
        pdf = document.write_pdf(finisher=_right_to_left if right_to_left else None)
    except RefusedResource as refused:
        raise PamphletError(
            f"refused to read '{refused.url}': only the project's own files can be used"
        ) from None
    finally:
        logger.removeHandler(collect)
    for message in collect.messages:
        warn(message)
    return Rendered(pdf, len(document.pages), blanks)


def _right_to_left(document, pdf) -> None:
    """Tell PDF viewers that pages run right to left (a right-bound booklet)."""
    import pydyf

    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"Direction": "/R2L"})


def _pad(document, blanks: int, fetcher):
    """Insert blank pages before the last page (the back cover)."""
    from weasyprint import HTML

    first = document.pages[0]
    size = f"{first.width}px {first.height}px"
    blank = HTML(string=f"<style>@page {{ size: {size}; margin: 0 }}</style>", url_fetcher=fetcher)
    blank_page = blank.render().pages[0]
    pages = document.pages[:-1] + [blank_page] * blanks + document.pages[-1:]
    return document.copy(pages)
