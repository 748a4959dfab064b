"""The orchestrator: gather and check every input, then render and write, in that order."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import htmltree
from .dates import Spellings, portion_matches, portion_name, week_of
from .dedications import People, load_people, resolve
from .direction import isolate_document, text_language
from .errors import PamphletError, raise_all
from .files import is_inside, resolve_local, write_atomically
from .markdown import render_inline, render_markdown
from .model import (
    ENGINE_ROOT,
    FONTS,
    LAYOUTS,
    Article,
    FrontMatter,
    Issue,
    IssueFile,
    Section,
    SectionBlock,
    SeriesFile,
    allowed_roots,
)
from .pdf import BLANK_PAGE_HTML, PADDING_MARKER, render_pdf
from .render import fit_levels, render_html
from .schema import parse
from .sources import YamlMap, load_yaml_file, read_document, read_text
from .typography import hebrew_punctuation

DEFAULT_SERIES = ENGINE_ROOT / "content" / "series.yaml"
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    pdf: Path
    html: Path | None
    pages: int
    blank_pages: int


def load_series_people(series_path: Path = DEFAULT_SERIES) -> tuple[SeriesFile, People, Spellings]:
    """A series file with its people records and spellings, all checked."""
    series = _load_series(series_path, None, None)
    people, spellings, errors = _people_of(series, series_path)
    raise_all(errors)
    return series, people, spellings


def _people_of(
    series: SeriesFile, series_path: Path
) -> tuple[People, Spellings, list[PamphletError]]:
    """The series' people records, read with its spellings, and their problems."""
    spellings = Spellings(series.months, series.portions)
    people, errors = load_people(series_path.parent / series.people, spellings)
    return people, spellings, errors


def series_of(folder: Path) -> Path:
    """The series file an issue folder names (default ../series.yaml)."""
    raw = load_yaml_file(folder / "issue.yaml")
    ref = raw.get("series", "../series.yaml") if isinstance(raw, YamlMap) else "../series.yaml"
    return (folder / str(ref)).resolve()


def default_issue_folder(series_path: Path = DEFAULT_SERIES) -> Path:
    """The folder of this week's issue, as named by the series file."""
    series = _load_series(series_path, None, None)
    return series_path.parent / series.current_issue


def load_issue(folder: Path) -> Issue:
    """Read and validate an issue folder completely; raise every problem found."""
    issue_path = folder / "issue.yaml"
    if not folder.is_dir():
        raise PamphletError("issue folder not found", folder)
    raw = load_yaml_file(issue_path)
    file = _parse_or_raise(IssueFile, raw, issue_path)
    series_path = (issue_path.parent / file.series).resolve()
    series = _load_series(series_path, issue_path, _key_line(raw, "series"))
    roots = allowed_roots(series_path)
    people, spellings, errors = _people_of(series, series_path)
    dedications, problems = resolve(
        file.dedications, raw.get("dedications"), people, issue_path, spellings, file.language
    )
    file, week_problems = _complete_week(file, raw, series, spellings, issue_path)
    file = dataclasses.replace(file, dedications=dedications)
    errors += problems + week_problems
    contents = [
        _load_item(item, issue_path, raw, i, file, roots, errors)
        for i, item in enumerate(file.contents)
    ]
    stylesheets = _check_stylesheets(file, issue_path, raw, roots, errors)
    raise_all(errors)
    return Issue(folder, issue_path, series_path, series, file, contents, stylesheets)


def _complete_week(
    file: IssueFile, raw: YamlMap, series: SeriesFile, spellings: Spellings, path: Path
) -> tuple[IssueFile, list[PamphletError]]:
    """The portion and Hebrew year from the issue's date; those written must agree."""
    errors = []
    day = file.date
    if day.weekday() != 5:
        errors.append(
            PamphletError(
                f"{day.isoformat()} is a {day.strftime('%A')}: the date is the issue's Shabbat",
                path,
                _key_line(raw, "date"),
            )
        )
    schedule = file.schedule or series.schedule
    week = week_of(day, israel=schedule == "israel")
    computed = portion_name(week, spellings, file.language) if week.portions else None
    if file.portion and computed and not portion_matches(file.portion, week, spellings):
        message = f"portion '{file.portion}' is not {day.isoformat()}'s: that Shabbat reads {computed} ({schedule})"
        errors.append(PamphletError(message, path, _key_line(raw, "portion")))
    if not file.portion and not computed:
        message = f"{day.isoformat()} has no weekly portion (a festival is read): write 'portion:' as the cover should name the week"
        errors.append(PamphletError(message, path, _key_line(raw, "date")))
    if file.hebrew_year and file.hebrew_year != week.hebrew_year:
        message = (
            f"hebrew_year {file.hebrew_year} is not {day.isoformat()}'s: that is {week.hebrew_year}"
        )
        errors.append(PamphletError(message, path, _key_line(raw, "hebrew_year")))
    portion = file.portion or computed or ""
    return dataclasses.replace(file, portion=portion, hebrew_year=week.hebrew_year), errors


def build_issue(
    folder: Path,
    out_dir: Path,
    write_html: bool = False,
    warn: Callable[[str], None] = lambda m: None,
) -> BuildResult:
    """Build one issue folder into `out_dir`; nothing is written unless all went well."""
    issue = load_issue(folder)
    html = prepare_html(issue)
    roots = issue.roots
    right_to_left = issue.file.language == "he"
    rendered = render_pdf(
        html,
        issue.folder.resolve().as_uri() + "/",
        roots,
        warn,
        right_to_left,
        fit_levels=fit_levels(LAYOUTS),
        source=issue.path,
    )
    name = f"{issue.series.slug}-{folder.resolve().name}"
    pdf_path = out_dir / f"{name}.pdf"
    html_path = out_dir / f"{name}.html" if write_html else None
    write_atomically(pdf_path, rendered.pdf)
    if html_path:
        padded = rendered.html.replace(PADDING_MARKER, BLANK_PAGE_HTML * rendered.blank_pages, 1)
        write_atomically(html_path, padded.encode("utf-8"))
    return BuildResult(pdf_path, html_path, rendered.pages, rendered.blank_pages)


def prepare_html(issue: Issue) -> str:
    """Layouts, then Hebrew punctuation and direction runs: the HTML WeasyPrint gets."""
    root, doctype = htmltree.parse(render_html(issue, LAYOUTS, FONTS))
    _map_text(root, hebrew_punctuation)
    isolate_document(root, "rtl" if issue.file.language == "he" else "ltr")
    return htmltree.serialize(root, doctype)


def _map_text(element: htmltree.Element, change: Callable[[str], str]) -> None:
    if element.tag in htmltree.RAW_TEXT:
        return
    element.children = [change(c) if isinstance(c, str) else c for c in element.children]
    for child in element.children:
        if isinstance(child, htmltree.Element):
            _map_text(child, change)


def _parse_or_raise(cls: type, raw: object, path: Path):
    if not isinstance(raw, YamlMap):
        raise PamphletError("expected a mapping of 'field: value' lines", path, 1)
    value, errors = parse(cls, raw, path)
    raise_all(errors)
    return value


def _load_series(path: Path, named_in: Path | None, line: int | None) -> SeriesFile:
    raw = load_yaml_file(path, named_in, line)
    series = _parse_or_raise(SeriesFile, raw, path)
    for files in (series.fonts.text, series.fonts.hebrew):
        for name, _, _ in files.faces():
            if not (FONTS / name).is_file():
                raise PamphletError(
                    f"font '{name}' is not in fonts/", path, _key_line(raw, "fonts")
                )
    return series


def _key_line(raw: YamlMap, key: str) -> int | None:
    return raw.key_lines.get(key, raw.line)


def _item_line(raw: YamlMap, index: int) -> int | None:
    contents = raw.get("contents")
    lines = getattr(contents, "item_lines", None)
    return lines[index] if lines and index < len(lines) else _key_line(raw, "contents")


def _load_item(
    item: str | Section,
    issue_path: Path,
    raw: YamlMap,
    index: int,
    file: IssueFile,
    roots: list[Path],
    errors: list[PamphletError],
) -> Article | SectionBlock:
    line = _item_line(raw, index)
    if isinstance(item, Section):
        raw_items = raw["contents"][index].get("items")
        lines = getattr(raw_items, "item_lines", [line] * len(item.items))
        articles = [
            _load_article(p, issue_path, ln, file, roots, errors)
            for p, ln in zip(item.items, lines)
        ]
        return SectionBlock(item.section, [a for a in articles if a])
    return _load_article(item, issue_path, line, file, roots, errors)


def _load_article(
    ref: str,
    issue_path: Path,
    line: int | None,
    file: IssueFile,
    roots: list[Path],
    errors: list[PamphletError],
) -> Article | None:
    path = issue_path.parent / ref
    try:
        if not is_inside(path, roots[-1:]):  # articles come from the content tree only
            raise PamphletError(f"'{ref}' is outside the project", issue_path, line)
        doc = read_document(path, issue_path, line)
        meta = _parse_or_raise(FrontMatter, doc.meta, path)
        body = render_markdown(doc.body, path, doc.body_line, roots)
        lead = render_inline(meta.lead) if meta.lead else None
        language = meta.language or text_language(doc.body) or file.language
        return Article(path, meta, body, lead, language, meta.footnotes or file.footnotes)
    except PamphletError as err:
        errors.extend(getattr(err, "errors", [err]))
        return None


def _check_stylesheets(
    file: IssueFile, issue_path: Path, raw: YamlMap, roots: list[Path], errors: list[PamphletError]
) -> list[Path]:
    """Resolve the issue's extra stylesheets and refuse what they would fetch from outside."""
    found = []
    for ref in file.stylesheets:
        try:
            path = resolve_local(
                ref, issue_path.parent, roots, issue_path, _key_line(raw, "stylesheets")
            )
            for number, text in enumerate(read_text(path).splitlines(), start=1):
                for url in _CSS_URL.findall(text):
                    if not url.startswith("data:"):
                        resolve_local(url, path.parent, roots, path, number)
            found.append(path)
        except PamphletError as err:
            errors.append(err)
    return found
