"""The model: `written` is the files as typed, `resolved` is what the layouts see."""

from .resolved import Article, Filler, Issue, SectionBlock
from .written import (
    Dedications,
    Edition,
    EditionsFile,
    FontFiles,
    Fonts,
    FrontMatter,
    IssueFile,
    Language,
    MemorialBox,
    Numbering,
    Parent,
    Person,
    Schedule,
    Section,
    SeriesFile,
    Trim,
)

__all__ = [
    "Article",
    "Dedications",
    "Edition",
    "EditionsFile",
    "FontFiles",
    "Fonts",
    "FrontMatter",
    "Filler",
    "Issue",
    "IssueFile",
    "Language",
    "MemorialBox",
    "Numbering",
    "Parent",
    "Person",
    "Schedule",
    "Section",
    "SectionBlock",
    "SeriesFile",
    "Trim",
]
