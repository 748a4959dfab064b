"""The resolved model: what the layouts see, every default filled in and every record checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..settings import Settings
from .written import Edition, FrontMatter, IssueFile, Language, Numbering, SeriesFile

_NUMBER_ONLY = re.compile(r"[0-9]+[.)]?|[\u05d0-\u05ea]{1,4}[\u05f3\u05f4'\"]?[\u05d0-\u05ea]?")


@dataclass(frozen=True)
class Article:
    """An essay or a talk, rendered to an HTML fragment."""

    path: Path
    meta: FrontMatter
    body: Markup
    lead: Markup | None
    language: Language
    footnotes: Numbering

    @property
    def direction(self) -> str:
        """'rtl' for Hebrew articles, else 'ltr'."""
        return "rtl" if self.language == "he" else "ltr"

    @property
    def numbered_only(self) -> bool:
        """A title that is only a number (a talk's 12, or יב): a label, not a heading."""
        return bool(_NUMBER_ONLY.fullmatch(self.meta.title.strip()))


@dataclass(frozen=True)
class SectionBlock:
    """A section heading with its articles."""

    title: str
    articles: list[Article]


@dataclass(frozen=True)
class Filler:
    """A page of the series that fills a blank page before the back cover."""

    path: Path
    body: Markup

    @property
    def name(self) -> str:
        """The file's name, as the series lists it."""
        return self.path.name


@dataclass(frozen=True)
class Issue:
    """Everything one build renders: the settings, the series, the week, its content.

    `file` is the issue file with the week completed (portion, Hebrew year, language,
    footnotes) and its dedications resolved to complete records."""

    settings: Settings
    series: SeriesFile
    file: IssueFile
    contents: list[Article | SectionBlock]
    stylesheets: list[Path] = field(default_factory=list)
    fillers: list[Filler] = field(default_factory=list)
    edition: Edition | None = None  # one edition of a batch: its cover line and community

    @property
    def folder(self) -> Path:
        """The issue's folder."""
        return self.settings.issue_folder

    @property
    def path(self) -> Path:
        """The issue file."""
        return self.settings.issue_folder / "issue.yaml"

    @property
    def articles(self) -> list[Article]:
        """Every article in reading order, sections flattened."""
        out: list[Article] = []
        for item in self.contents:
            out.extend(item.articles if isinstance(item, SectionBlock) else [item])
        return out
