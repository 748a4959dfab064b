"""Settings: bundled defaults → series → issue → (edition) → command line, resolved once.

A build receives one `Settings`: where the layouts, fonts, content and output are, and
how to build. No module global decides a path. The layouts and fonts that ship with the
engine are package data, found through `importlib.resources`; a series may name its own
layouts folder, whose files replace the bundled ones file by file.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import is_inside
from .lengths import points

if TYPE_CHECKING:
    from .model.written import IssueFile, SeriesFile

# The bundled defaults of every setting that the series, the issue or the command line
# may change (README: "Settings").
DEFAULTS: dict[str, Any] = {
    "trim": "half-letter",
    "language": "en",
    "schedule": "diaspora",
    "footnotes": "numbers",
    "slug": "pamphlet",
    "bleed": "0.125in",
}
# Page width and height of each trim, as CSS lengths.
TRIMS: dict[str, tuple[str, str]] = {
    "half-letter": ("5.5in", "8.5in"),
    "a5": ("148mm", "210mm"),
    "digest": ("6in", "9in"),
}


def bundled(name: str) -> Path:
    """A folder shipped with the engine ('layouts', 'fonts'): package data when installed,
    the repository's own folder when run from a checkout."""
    packaged = importlib.resources.files("pamphlet").joinpath(name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None leaves the setting to the files."""

    trim: str | None = None
    output: Path | None = None
    write_html: bool = False
    strict: bool = False
    bleed: str | None = None
    impose: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything a build needs to know about where things are and how to build."""

    series_path: Path
    issue_folder: Path
    layouts: tuple[Path, ...]
    fonts: Path
    output: Path
    trim: str = DEFAULTS["trim"]
    language: str = DEFAULTS["language"]
    schedule: str = DEFAULTS["schedule"]
    footnotes: str = DEFAULTS["footnotes"]
    slug: str = DEFAULTS["slug"]
    bleed: str = DEFAULTS["bleed"]
    pages: int | None = None
    write_html: bool = False
    strict: bool = False
    impose: bool = False
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def project(self) -> Path:
        """The content tree: the folder of the series file. Content is read only from it."""
        return self.series_path.parent

    @property
    def roots(self) -> list[Path]:
        """Every folder a build may read: the layouts, the fonts and the content tree."""
        return [*self.layouts, self.fonts, self.project]

    @property
    def page_size(self) -> tuple[str, str]:
        """The trim's width and height as CSS lengths."""
        return TRIMS[self.trim]

    @property
    def bleed_points(self) -> float:
        """The print master's bleed in points."""
        return points(self.bleed)

    def layout(self, name: str) -> Path:
        """A layout file: the series' own if it has one, else the bundled one. A file that
        is a link out of its folder is not used."""
        for folder in self.layouts:
            path = folder / name
            if path.is_file() and is_inside(path, [folder]):
                return path
        return self.layouts[-1] / name


def series_defaults(series_path: Path, issue_folder: Path) -> Settings:
    """Settings before any file is read: the bundled defaults, output beside the content."""
    return Settings(
        series_path=series_path,
        issue_folder=issue_folder,
        layouts=(bundled("layouts"),),
        fonts=bundled("fonts"),
        output=series_path.parent.parent / "output",
    )


def resolve(
    base: Settings, series: SeriesFile | None, issue: IssueFile | None, cli: Overrides
) -> Settings:
    """Apply the series, then the issue, then the command line over the defaults."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    layers: list[tuple[str, object | None]] = [
        ("series", series),
        ("issue", issue),
        ("command line", cli),
    ]
    for name in ("trim", "language", "schedule", "footnotes", "slug", "bleed"):
        values[name], sources[name] = getattr(base, name), "default"
        for layer, holder in layers:
            value = getattr(holder, name, None) if holder is not None else None
            if value is not None:
                values[name], sources[name] = value, layer
    layouts = base.layouts
    if series is not None and series.layouts:
        layouts = (base.series_path.parent / series.layouts, *base.layouts)
    return Settings(
        series_path=base.series_path,
        issue_folder=base.issue_folder,
        layouts=layouts,
        fonts=base.fonts,
        output=cli.output or base.output,
        write_html=cli.write_html,
        strict=cli.strict,
        impose=cli.impose,
        pages=issue.pages if issue is not None else None,
        sources=sources,
        **values,
    )
