"""The resolved model: what the layouts see, every default filled in and every record checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..settings import Settings
from .written import FrontMatter, IssueFile, Language, Numbering, SeriesFile


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


@dataclass(frozen=True)
class SectionBlock:
    """A section heading with its articles."""

    title: str
    articles: list[Article]


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
