"""PDF stage: WeasyPrint renders the HTML; pages are padded for saddle stitching."""

from __future__ import annotations

import logging
import re
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
    """The PDF bytes, its page counts, and the HTML as finally rendered (fit levels set)."""

    pdf: bytes
    pages: int
    blank_pages: int
    html: str


@dataclass(frozen=True)
class Overflow:
    """A region of the layout that must fit one page and does not: which record goes over."""

    region: str
    name: str | None


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
    fit_levels: int = 0,
    source: Path | None = None,
) -> Rendered:
    """Render the HTML to PDF, padded with blank pages before the back cover to a multiple of 4.

    A region marked `data-fit` must fit one page: if it does not, it is rendered again at
    the next `data-fit-level` the layout defines, and past the last one it is an error."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = project_fetcher(roots)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        fonts = FontConfiguration()
        levels: dict[str, int] = {}
        while True:
            html = _with_levels(html, levels)
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=fonts
            )
            over = overflows(document)
            if not over:
                break
            for overflow in over:
                levels[overflow.region] = levels.get(overflow.region, 0) + 1
                if levels[overflow.region] > fit_levels:
                    raise PamphletError(_overflow_message(overflow, fit_levels), source)
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
    return Rendered(pdf, len(document.pages), blanks, html)


def _with_levels(html: str, levels: dict[str, int]) -> str:
    """The HTML with each overflowing region set to its fit level."""
    for region, level in levels.items():
        marked = f'data-fit="{region}"'
        html = re.sub(
            re.escape(marked) + r'(?: data-fit-level="\d+")?',
            f'{marked} data-fit-level="{level}"',
            html,
        )
    return html


def overflows(document) -> list[Overflow]:
    """The `data-fit` regions that run over more than one page, with the first record
    (`data-name`) that landed on a later page."""
    pages: dict[str, list[int]] = {}
    names: list[tuple[int, str]] = []
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            region, name = element.get("data-fit"), element.get("data-name")
            if region and index not in pages.setdefault(region, []):
                pages[region].append(index)
            if name and (index, name) not in names:
                names.append((index, name))
    found = []
    for region, indexes in pages.items():
        if len(indexes) > 1:
            later = [n for i, n in names if i in indexes[1:]]
            found.append(Overflow(region, later[0] if later else None))
    return found


def _overflow_message(overflow: Overflow, fit_levels: int) -> str:
    who = f"{overflow.name} is the first record that does not fit; " if overflow.name else ""
    return (
        f"the {overflow.region} would run onto a second page, even at the smallest of the "
        f"layout's {fit_levels} tighter settings; {who}shorten the dedications or move some "
        "to another week"
    )


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
