"""HTML → rendered pages with WeasyPrint, reading the project's own files and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..errors import PamphletError
from ..files import is_inside
from ..report import weasyprint_warnings
from . import line_ends


class RefusedResource(FatalURLFetchingError):
    """Raised from inside WeasyPrint to stop a render that asked for a forbidden URL."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class ProjectFetcher(URLFetcher):
    """A URL fetcher that reads the project's own files (and `data:` URLs), nothing else."""

    def __init__(self, roots: Sequence[Path]):
        super().__init__()
        self.roots = list(roots)

    def fetch(self, url: str, headers: dict | None = None) -> Any:
        """Fetch a `data:` URL or a file inside the roots; refuse anything else."""
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise RefusedResource(url)
        if not is_inside(Path(unquote(parsed.path)), self.roots):
            raise RefusedResource(url)
        return super().fetch(url, headers)


@dataclass
class Rendered:
    """One WeasyPrint render: its document (the pages) and the fonts they use.

    The font configuration owns the font files the pages point to: it must stay alive
    until the pages are written."""

    document: Any
    fonts: FontConfiguration
    fetcher: ProjectFetcher

    @property
    def pages(self) -> list[Any]:
        """The rendered pages, in order."""
        return list(self.document.pages)


def render_pages(
    html: str,
    base_url: str,
    roots: Sequence[Path],
    source: Path | None = None,
    fonts: FontConfiguration | None = None,
) -> Rendered:
    """Lay the HTML out into pages; WeasyPrint's warnings are logged with `source`."""
    line_ends.install()
    fetcher = ProjectFetcher(roots)
    fonts = fonts or FontConfiguration()
    try:
        with weasyprint_warnings(source):
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=fonts
            )
    except RefusedResource as refused:
        raise PamphletError(
            f"refused to read '{refused.url}': only the project's own files can be used", source
        ) from None
    return Rendered(document, fonts, fetcher)
