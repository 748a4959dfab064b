"""The orchestrator: gather and check every input, then render, then write, in that order.

`load_issue` reads every file an issue needs and reports every problem found at once,
each with its file and line; `build_issue` renders the checked issue into pages and
writes its files together (all of them or none).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import __version__, htmltree
from .dates import Spellings, portion_matches, portion_name, week_of, week_problem
from .dedications import People, load_people, resolve
from .direction import isolate_document, text_language
from .errors import PamphletError, raise_all
from .files import is_inside, resolve_local, write_together
from .fonts import coverage, font_problem
from .markdown import block_problems, render_inline, render_markdown
from .model import (
    Article,
    Edition,
    Filler,
    FrontMatter,
    Issue,
    IssueFile,
    Section,
    SectionBlock,
    SeriesFile,
)
from .placeholders import is_placeholder
from .printable import record_problems, text_problems
from .render import labels, never_hyphenated, pdf_font_names, render_html
from .report import count_warnings, step, warn
from .schema import parse_partial, replace
from .settings import Overrides, Settings, series_defaults
from .settings import resolve as resolve_settings
from .sources import load_yaml_file, read_document, read_text
from .typeset import typeset
from .typography import hebrew_punctuation, without_controls

Errors = list[PamphletError]
SLUG = re.compile(r"[\w][\w.-]{0,100}")
T = TypeVar("T")
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and what it took."""

    pdf: Path  # the reader PDF
    html: Path | None
    pages: int
    blank_pages: int
    renders: int
    master: Path | None = None  # the print master (PDF/X-4)
    imposed: Path | None = None  # printer spreads of the master
    budget: Any = None  # pdf.budget.Budget: content, fillers, blanks
    overflows: list[Any] = field(default_factory=list)  # pdf.overflow.Overflow: lines too wide
    fonts: dict[str, Path] = field(default_factory=dict)  # PDF font name → bundled file


def default_series(project: Path) -> Path:
    """The series file of a project folder: `content/series.yaml`."""
    return project / "content" / "series.yaml"


def default_issue_folder(series_path: Path) -> Path:
    """The folder of this week's issue, as named by the series file (`current_issue`)."""
    errors: Errors = []
    series = _read(SeriesFile, series_path, None, None, errors)
    raise_all(errors)
    assert series is not None
    return series_path.parent / series.current_issue


def series_of(folder: Path) -> Path:
    """The series file an issue folder names (default ../series.yaml)."""
    errors: Errors = []
    issue = _read(IssueFile, folder / "issue.yaml", None, None, errors)
    raise_all(errors)
    return (folder / (issue.series if issue else "../series.yaml")).resolve()


def load_series_people(series_path: Path) -> tuple[SeriesFile, People, Spellings]:
    """A series file with its people records and spellings, all checked."""
    errors: Errors = []
    series = _read(SeriesFile, series_path, None, None, errors)
    raise_all(errors)
    assert series is not None
    people, spellings = _people_of(series, series_path.parent, errors)
    raise_all(errors)
    return series, people, spellings


def load_issue(folder: Path, cli: Overrides | None = None) -> Issue:
    """Read and check an issue folder and every file it names; raise every problem found."""
    if not folder.is_dir():
        raise PamphletError("issue folder not found", folder)
    errors: Errors = []
    issue_path = folder / "issue.yaml"
    file = _read(IssueFile, issue_path, None, None, errors, "its contents were not checked")
    series_ref = file.series if file and file.series else "../series.yaml"
    series_path = (folder / series_ref).resolve()
    line = file.origin.line_of("series") if file else None
    if not is_inside(folder, [series_path.parent]):
        raise PamphletError(
            f"series '{series_ref}' must be in the issue's folder or a folder above it: "
            "the content tree is the folder of the series file",
            issue_path,
            line,
        )
    series = _read(
        SeriesFile, series_path, issue_path, line, errors, "people and fonts not checked"
    )
    base = series_defaults(series_path, folder)
    settings = resolve_settings(base, series, file, cli or Overrides())
    if series is not None:
        errors += _check_series(series, settings)
        errors += _language_of_series(series, settings, file, series_path)
    people, spellings = _people_of(series, settings.project, errors)
    if file is None:
        raise_all(errors)
        raise PamphletError("cannot be read", issue_path)
    file, week_errors = _complete_week(file, settings, spellings)
    dedications, problems = resolve(file.dedications, people, spellings, settings.language)
    file = replace(file, dedications=dedications)
    errors += week_errors + problems
    covered = _coverage(series, settings)
    contents = [
        _load_item(item, index, file, settings, covered, errors)
        for index, item in enumerate(file.contents or [])
        if item
    ]
    stylesheets = _check_stylesheets(file, settings, errors)
    fillers = _load_fillers(series, settings, errors) if series is not None else []
    if covered:
        errors += record_problems(series, covered) + record_problems(file, covered)
    raise_all(errors)
    assert series is not None
    return Issue(settings, series, file, contents, stylesheets, fillers)


def _load_fillers(series: SeriesFile, settings: Settings, errors: Errors) -> list[Filler]:
    """The series' filler pages, read and rendered (each problem added to `errors`)."""
    found = []
    for index, ref in enumerate(series.fillers or []):
        line = series.origin.item_line("fillers", index)
        try:
            path = resolve_local(ref, settings.project, settings.roots, settings.series_path, line)
            body = render_markdown(read_text(path), path, 1, settings.roots)
            found.append(Filler(path, body))
        except PamphletError as err:
            errors.append(err)
    return found


def build_issue(folder: Path, cli: Overrides | None = None) -> BuildResult:
    """Build one issue folder; its files are written together, and only if all went well."""
    with step("checking the issue"):
        issue = load_issue(folder, cli)
    return build_loaded(issue)


def load_edition(base: Issue, edition: Edition, people: People, spellings: Spellings) -> Issue:
    """One edition of a checked issue: its dedications (else the issue's), its cover line
    and community; every problem of the edition at once."""
    errors: Errors = []
    file = base.file
    if edition.dedications is not None:
        settings = base.settings
        dedications, errors = resolve(edition.dedications, people, spellings, settings.language)
        file = replace(file, dedications=dedications)
    covered = _coverage(base.series, base.settings)
    if covered:
        errors += record_problems(edition, covered)
    raise_all(errors)
    return dataclasses.replace(base, file=file, edition=edition)


def people_of(issue: Issue) -> tuple[People, Spellings]:
    """The people records an issue's dedications are looked up in, with its spellings."""
    errors: Errors = []
    people, spellings = _people_of(issue.series, issue.settings.project, errors)
    raise_all(errors)
    return people, spellings


@dataclass
class Laid:
    """An issue laid out: the booklet's pages, how they were counted, the HTML rendered."""

    pages: Any  # pdf.assemble.Pages
    budget: Any  # pdf.budget.Budget
    renders: int
    html: str
    tree: htmltree.Element | None = None  # for --html
    doctype: str | None = None


def build_loaded(issue: Issue, shared: Any = None) -> BuildResult:
    """Lay out, write and (with `impose`) impose a checked issue or edition into its
    output folder; the files are written together, and only if all went well. With
    `shared` (batch.shared.SharedLayout: the issue laid out once), an edition lays out
    only its own pages where it can."""
    from .pdf.overflow import overflowing_lines

    settings = issue.settings
    folder = issue.folder
    if settings.output.exists() and not settings.output.is_dir():
        raise PamphletError("is a file, not a folder: cannot write into it", settings.output)
    with count_warnings() as warnings:
        laid = shared.edition(issue) if shared is not None else None
        laid = laid or lay_out(issue)
    pages = laid.pages
    overflows = overflowing_lines(pages.document.pages)
    with step("writing the PDFs"):
        reader, master = _press(issue, pages, laid.html)
        _refuse_text_off_page(reader, issue.path)
    if settings.strict and warnings.count:
        raise PamphletError(f"{warnings.count} warning(s) and --strict: nothing was written")
    name = settings.output / f"{settings.slug}-{folder.resolve().name}"
    paths = BuildPaths(name)
    outputs = {paths.reader: reader, paths.master: master}
    if settings.impose:
        from .press.impose import impose_pdf

        with step("imposing the sheets"):
            outputs[paths.imposed] = impose_pdf(master, binding=binding_of(issue))
    if settings.write_html and laid.tree is not None:
        outputs[paths.html] = _written_html(laid.tree, laid.doctype, pages).encode("utf-8")
    write_together(outputs)
    return BuildResult(
        paths.reader,
        paths.html if settings.write_html else None,
        pages.count,
        pages.blank_pages,
        laid.renders,
        paths.master,
        paths.imposed if settings.impose else None,
        laid.budget,
        overflows,
        pdf_font_names(issue.series.fonts, settings.fonts),
    )


def lay_out(issue: Issue) -> Laid:
    """The whole issue laid out, within its page budget (one render, unless a region
    overflows or a sheet can be saved)."""
    # WeasyPrint takes a third of a second to import: commands that only read and edit
    # the files (dedications list, add) do without it.
    from .pdf import render_fitted
    from .pdf.budget import Budget, fit_to_budget, split_fillers, target_pages

    settings = issue.settings
    with step("preparing the HTML"):
        tree, doctype = prepare_tree(issue)
    with step("laying out the pages"):
        base_url, roots = _base_url(issue), settings.roots
        fitted = render_fitted(tree, doctype, base_url, roots, issue.path)
        fitted, tightened = fit_to_budget(
            fitted, tree, doctype, base_url, roots, issue.path, settings.pages
        )
        content = len(split_fillers(fitted.rendered.pages)[0])
        pages = fill_pages(issue, fitted.rendered, target_pages(content, settings.pages))
    budget = Budget(content, pages.filler_pages, pages.blank_pages, tightened)
    return Laid(pages, budget, fitted.renders, fitted.html, tree, doctype)


def fill_pages(issue: Issue, rendered: Any, count: int) -> Any:
    """The booklet's pages: the content, then the series' fillers and blank pages before
    the back cover, up to `count` (the fillers and a blank page are laid out after the
    back cover, in the same render)."""
    from .pdf import pad_to
    from .pdf.budget import filler_pages, split_fillers

    content, padding = split_fillers(rendered.pages)
    names = [filler.name for filler in issue.fillers]
    fillers, blank = filler_pages(padding, names, issue.settings.series_path)
    return pad_to(rendered, count, content, fillers, blank)


def _written_html(tree: htmltree.Element, doctype: str | None, pages: Any) -> str:
    """The HTML as the booklet has it (--html): the fillers used and the blank pages in
    place of the padding marker; what was laid out after the back cover left out."""
    elements = [tree, *_elements(tree)]
    fillers = [e for e in elements if "filler" in e.classes()][: pages.filler_pages]
    blanks = [htmltree.Element("div", {"class": "blank-page"}) for _ in range(pages.blank_pages)]
    for parent in elements:
        children: list = []
        for child in parent.children:
            classes = child.classes() if isinstance(child, htmltree.Element) else set()
            if "padding" in classes:
                children += fillers + blanks
            elif not classes & {"filler", "blank-page"} or child in blanks:
                children.append(child)
        parent.children = children
    return htmltree.serialize(tree, doctype)


def _elements(node: htmltree.Element) -> Iterator[htmltree.Element]:
    """Every element under a node, in document order."""
    for child in node.children:
        if isinstance(child, htmltree.Element):
            yield child
            yield from _elements(child)


@dataclass(frozen=True)
class BuildPaths:
    """The files a build writes, named after the series' slug and the issue folder."""

    stem: Path

    @property
    def reader(self) -> Path:
        """The reader PDF: trimmed, tagged, for the screen and for sending round."""
        return self.stem.with_name(self.stem.name + ".pdf")

    @property
    def master(self) -> Path:
        """The print master: PDF/X-4 with bleed and crop marks."""
        return self.stem.with_name(self.stem.name + "-print.pdf")

    @property
    def imposed(self) -> Path:
        """The master's pages imposed as printer spreads."""
        return self.stem.with_name(self.stem.name + "-imposed.pdf")

    @property
    def html(self) -> Path:
        """The HTML that was rendered (--html)."""
        return self.stem.with_name(self.stem.name + ".html")


def binding_of(issue: Issue) -> str:
    """The edition's binding; else a Hebrew booklet is bound on the right."""
    if issue.edition and issue.edition.binding:
        return issue.edition.binding
    return "right" if issue.settings.language == "he" else "left"


def _press(issue: Issue, pages: Any, html: str) -> tuple[bytes, bytes]:
    """The reader PDF and the print master, written from the same pages."""
    from .pdf.write import text_layer
    from .press.master import MasterOptions
    from .press.reader import ReaderOptions, reader_and_master

    settings = issue.settings
    text = text_layer(pdf_font_names(issue.series.fonts, settings.fonts))
    right_to_left = settings.language == "he"
    words = labels(settings)
    reader = ReaderOptions(words["cover"], words["back_cover"], right_to_left)
    identity = hashlib.sha256(f"{__version__}\n{settings.bleed}\n{html}".encode()).hexdigest()
    master = MasterOptions(settings.bleed_points, identity, right_to_left)
    return reader_and_master(pages, reader, master, [text])


def _refuse_text_off_page(data: bytes, source: Path) -> None:
    """A line too long for its place is an error, never text cut off by the trim."""
    from .pdf.edges import text_off_page

    errors = [
        PamphletError(
            f"page {off.page}: '{off.text[:60]}' runs past the edge of the page: it is too "
            "long for its line (shorten it, or give it a place to break)",
            source,
        )
        for off in text_off_page(data)
    ]
    raise_all(errors)


def prepare_tree(issue: Issue, html: str | None = None) -> tuple[htmltree.Element, str | None]:
    """Layouts, then typesetting, Hebrew marks and direction runs: the tree WeasyPrint gets
    (of the whole pamphlet, or of `html` rendered from the layouts)."""
    root, doctype = htmltree.parse(html if html is not None else render_html(issue))
    _map_text(root, without_controls)
    never = never_hyphenated(issue.settings) + list(issue.series.no_hyphenation or [])
    typeset(root, issue.series.dash or "em", never)
    _map_text(root, hebrew_punctuation)
    isolate_document(root, "rtl" if issue.settings.language == "he" else "ltr")
    return root, doctype


def _base_url(issue: Issue) -> str:
    return issue.folder.resolve().as_uri() + "/"


def _map_text(element: htmltree.Element, change: Callable[[str], str]) -> None:
    """Change every text node (and attribute value) outside <style> and <script>."""
    if element.tag in htmltree.RAW_TEXT:
        return
    element.attrs = {k: change(v) if v else v for k, v in element.attrs.items()}
    element.children = [change(c) if isinstance(c, str) else c for c in element.children]
    for child in element.children:
        if isinstance(child, htmltree.Element):
            _map_text(child, change)


def _read(
    cls: type[T],
    path: Path,
    named_in: Path | None,
    line: int | None,
    errors: Errors,
    skipped: str = "",
) -> T | None:
    """Read one YAML file as `cls`: the record (partial when it has problems) or None when
    it cannot be read at all. `skipped` says what an unreadable file leaves unchecked."""
    try:
        raw = load_yaml_file(path, named_in, line)
    except PamphletError as err:
        note = f" ({skipped})" if skipped else ""
        errors.append(PamphletError(err.message + note, err.path, err.line))
        return None
    if not isinstance(raw, dict):
        errors.append(PamphletError("expected a mapping of 'field: value' lines", path, 1))
        return None
    record, problems = parse_partial(cls, raw, path)
    errors += problems
    return record


def _check_series(series: SeriesFile, settings: Settings) -> Errors:
    """The series' fonts, layouts folder, people file and slug stay inside the project."""
    errors: Errors = []
    where = series.origin

    def problem(message: str, field: str) -> None:
        errors.append(PamphletError(message, where.path, where.line_of(field)))

    for files in (series.fonts.text, series.fonts.hebrew):
        for name, _, _ in files.faces():
            font = settings.fonts / name
            if not is_inside(font, [settings.fonts]):
                problem(f"font '{name}' is outside fonts/", "fonts")
            elif not font.is_file():
                problem(f"font '{name}' is not in fonts/", "fonts")
            elif reason := font_problem(font):
                problem(f"font '{name}' cannot be used: {reason}", "fonts")
    if series.layouts and not is_inside(settings.layouts[0], [settings.project]):
        problem(f"layouts folder '{series.layouts}' is outside the project", "layouts")
    elif series.layouts and not settings.layouts[0].is_dir():
        problem(f"layouts folder not found: {series.layouts}", "layouts")
    if series.people and not is_inside(settings.project / series.people, [settings.project]):
        problem(
            f"people file '{series.people}' is outside the project (the dedications naming "
            "its records were not checked)",
            "people",
        )
    for message in block_problems(series.back_cover or "", "the back cover"):
        problem(message, "back_cover")
    if series.slug and not SLUG.fullmatch(series.slug):
        problem(
            f"slug '{series.slug}' must be a plain file-name prefix (letters, digits, '-', "
            "'_', '.'; not starting with '.')",
            "slug",
        )
    return errors


def _language_of_series(
    series: SeriesFile, settings: Settings, file: IssueFile | None, series_path: Path
) -> Errors:
    """A Hebrew issue needs a series whose cover words are Hebrew; say which to name."""
    if settings.language != "he" or (series.language or "en") == "he" or file is None:
        return []
    twins = [
        path.name
        for path in sorted(settings.project.glob("*.yaml"))
        if path != series_path and re.search(r"(?m)^language:\s*he\s*$", _text_or_empty(path))
    ]
    hint = (
        f"name a Hebrew series, such as 'series: ../{twins[0]}'"
        if twins
        else ("make a Hebrew series (language: he) with its cover words in Hebrew")
    )
    message = (
        f"a Hebrew issue cannot use '{series_path.name}': its cover words are in English; {hint}"
    )
    return [PamphletError(message, file.origin.path, file.origin.line_of("series"))]


def _text_or_empty(path: Path) -> str:
    try:
        return read_text(path)
    except PamphletError:
        return ""


def _people_of(
    series: SeriesFile | None, project: Path, errors: Errors
) -> tuple[People, Spellings]:
    """The series' people records, read with its spellings; their problems go to `errors`."""
    months = series.months if series and series.months else {}
    portions = series.portions if series and series.portions else {}
    spellings = Spellings(months, portions)
    name = series.people if series and series.people else "people.yaml"
    if not is_inside(project / name, [project]):
        return People(project / name, {}, {}, readable=False), spellings  # see _check_series
    try:
        people, problems = load_people(project / name, spellings)
    except PamphletError as err:
        note = " (the dedications naming its records were not checked)"
        errors.append(PamphletError(err.message + note, err.path, err.line))
        return People(project / name, {}, {}, readable=False), spellings
    errors += problems
    return people, spellings


def _complete_week(
    file: IssueFile, settings: Settings, spellings: Spellings
) -> tuple[IssueFile, Errors]:
    """The portion and Hebrew year from the issue's date; those written must agree."""
    where, day = file.origin, file.date
    completed = replace(file, language=settings.language, footnotes=settings.footnotes)
    if day is None:
        return completed, []
    errors: Errors = []

    def problem(message: str, field: str) -> None:
        errors.append(PamphletError(message, where.path, where.line_of(field)))

    if out_of_range := week_problem(day):
        problem(out_of_range, "date")
        return completed, errors

    if day.weekday() != 5:
        problem(f"{day.isoformat()} is a {day:%A}: the date is the issue's Shabbat", "date")
    week = week_of(day, israel=settings.schedule == "israel")
    computed = portion_name(week, spellings, settings.language) if week.portions else None
    if file.portion and computed and not portion_matches(file.portion, week, spellings):
        problem(
            f"portion '{file.portion}' is not {day.isoformat()}'s: that Shabbat reads "
            f"{computed} ({settings.schedule})",
            "portion",
        )
    if not file.portion and not computed:
        problem(
            f"{day.isoformat()} has no weekly portion (a festival is read): write 'portion:' "
            "as the cover should name the week",
            "date",
        )
    if file.hebrew_year and file.hebrew_year != week.hebrew_year:
        problem(
            f"hebrew_year {file.hebrew_year} is not {day.isoformat()}'s: that is "
            f"{week.hebrew_year}",
            "hebrew_year",
        )
    portion = file.portion or computed or ""
    return replace(completed, portion=portion, hebrew_year=week.hebrew_year), errors


def _coverage(series: SeriesFile | None, settings: Settings) -> frozenset[int]:
    """What the series' upright faces can print (empty when the fonts are in doubt)."""
    if series is None:
        return frozenset()
    paths = [settings.fonts / files.regular for files in (series.fonts.text, series.fonts.hebrew)]
    usable = all(
        is_inside(p, [settings.fonts]) and p.is_file() and not font_problem(p) for p in paths
    )
    return coverage(paths) if usable else frozenset()


def _load_item(
    item: str | Section,
    index: int,
    file: IssueFile,
    settings: Settings,
    covered: frozenset[int],
    errors: Errors,
) -> Article | SectionBlock:
    where = file.origin
    if isinstance(item, Section):
        at = item.origin
        articles = [
            _load_article(ref, at.item_line("items", i), settings, covered, errors)
            for i, ref in enumerate(item.items or [])
        ]
        return SectionBlock(item.section, [a for a in articles if a])
    line = where.item_line("contents", index)
    article = _load_article(item, line, settings, covered, errors)
    return article or SectionBlock("", [])


def _load_article(
    ref: str, line: int | None, settings: Settings, covered: frozenset[int], errors: Errors
) -> Article | None:
    issue_path = settings.issue_folder / "issue.yaml"
    path = settings.issue_folder / ref
    try:
        if not is_inside(path, [settings.project]):  # articles come from the content tree only
            raise PamphletError(f"'{ref}' is outside the project", issue_path, line)
        doc = read_document(path, issue_path, line)
        if len(doc.body) < 200 and is_placeholder(read_text(path)):
            warn("still the placeholder that `new` wrote: write the essay here, or import "
                 "one (python build.py import FILE --into the issue)", path, 1)  # fmt: skip
        meta, problems = parse_partial(FrontMatter, doc.meta, path)
        if covered:
            problems += record_problems(meta, covered)
            problems += text_problems(doc.body, path, doc.body_line, covered)
        body = render_markdown(doc.body, path, doc.body_line, settings.roots)
        raise_all(problems)
        lead = (
            render_inline(meta.lead, path, meta.origin.line_of("lead"))
            if meta and meta.lead
            else None
        )
        assert meta is not None
        language = meta.language or text_language(doc.body) or settings.language
        footnotes = meta.footnotes or settings.footnotes
        return Article(path, meta, body, lead, language, footnotes)  # type: ignore[arg-type]
    except PamphletError as err:
        errors.extend(getattr(err, "errors", [err]))
        return None


def _check_stylesheets(file: IssueFile, settings: Settings, errors: Errors) -> list[Path]:
    """Resolve the issue's extra stylesheets and refuse what they would fetch from outside."""
    found = []
    where = file.origin
    for index, ref in enumerate(file.stylesheets or []):
        line = where.item_line("stylesheets", index)
        try:
            issue_path = where.path or settings.issue_folder / "issue.yaml"
            path = resolve_local(ref, settings.issue_folder, settings.roots, issue_path, line)
            for number, text in enumerate(read_text(path).splitlines(), start=1):
                for url in _CSS_URL.findall(text):
                    if not url.startswith("data:"):
                        resolve_local(url, path.parent, settings.roots, path, number)
            found.append(path)
        except PamphletError as err:
            errors.append(err)
    return found
