"""Render stage: the issue through the Jinja2 layouts into one HTML document.

The layouts are searched in order (the series' own folder, then the bundled one), so a
publisher replaces a template or the stylesheet file by file."""

from __future__ import annotations

import datetime
import functools
import html
import re
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .dates import year_in
from .errors import PamphletError
from .files import is_inside
from .markdown import render_block
from .model import Fonts, Issue
from .settings import Settings
from .sources import read_text


class _LayoutLoader(jinja2.FileSystemLoader):
    """Templates from the layouts folders only: a template that is a link out of its
    folder is refused, not read."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        if not is_inside(Path(filename), [Path(p) for p in self.searchpath]):
            raise PamphletError("layout is outside its layouts folder", Path(filename))
        return source, filename, uptodate


def environment(settings: Settings) -> jinja2.Environment:
    """Jinja2 with autoescaping on and undefined variables failing loudly."""
    return _environment(tuple(settings.layouts))


@lru_cache(maxsize=8)
def _environment(layouts: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per layouts search path, kept for the process: its compiled
    templates are reused, and reloaded when a template file changes (auto_reload)."""
    env = jinja2.Environment(
        loader=_LayoutLoader([str(folder) for folder in layouts]),
        autoescape=lambda name: not (name or "").endswith(".css.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["markdown"] = render_block
    env.filters["year_in"] = year_in
    return env


def render_html(issue: Issue, edition_pages: dict[str, bool] | None = None) -> str:
    """The whole pamphlet as HTML, ready for the direction stage and WeasyPrint; with
    `edition_pages`, only an edition's own pages (layouts/pamphlet.html.j2)."""
    env = environment(issue.settings)
    try:
        return _render(env, issue, edition_pages)
    except jinja2.TemplateError as err:
        raise _layout_error(err, issue.settings) from None


def _render(
    env: jinja2.Environment, issue: Issue, edition_pages: dict[str, bool] | None = None
) -> str:
    settings = issue.settings
    faces = env.get_template("fonts.css.j2").render(
        faces=font_faces(issue.series.fonts, settings.fonts)
    )
    width, height = settings.page_size
    return env.get_template("pamphlet.html.j2").render(
        font_faces=Markup(faces),
        page_size=f"{width} {height}",
        bleed=f"{settings.bleed_points:g}pt",
        cmyk_profile=settings.layout("color/pamphlet-cmyk.icc").resolve().as_uri(),
        labels=labels(settings),
        series=issue.series,
        issue=issue.file,
        contents=issue.contents,
        fillers=issue.fillers,
        edition=issue.edition,
        edition_pages=edition_pages,
        times=shabbat_times_printed(issue),
        stylesheets=[settings.layout("pamphlet.css").resolve().as_uri()]
        + [p.resolve().as_uri() for p in issue.stylesheets],
        created=_timestamp(issue.file.date),
    )


def shabbat_times_printed(issue: Issue) -> dict[str, str] | None:
    """An edition's candle lighting and Shabbat's end as the back cover prints them (16:21
    in Hebrew, 4:21 pm in English), or None without a community."""
    community = issue.edition.community if issue.edition else None
    if community is None:
        return None
    from .zmanim import Community, shabbat_times

    times = shabbat_times(
        issue.file.date,
        Community(
            community.name,
            community.latitude,
            community.longitude,
            community.timezone,
            community.elevation,
            community.candle_minutes,
        ),
    )

    def clock(moment: datetime.datetime) -> str:
        if issue.settings.language == "he":
            return moment.strftime("%H:%M")
        return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"

    return {
        "city": community.name,
        "candle_lighting": clock(times.candle_lighting),
        "havdalah": clock(times.havdalah) if times.havdalah else "",
    }


def render_dedications_text(issue: Issue) -> list[str]:
    """The issue's dedications as plain text lines (layouts/dedications.txt.j2)."""
    env = environment(issue.settings)
    try:
        text = env.get_template("dedications.txt.j2").render(
            labels=labels(issue.settings), issue=issue.file
        )
    except jinja2.TemplateError as err:
        raise _layout_error(err, issue.settings) from None
    plain = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00a0", " ")
    return [line.rstrip() for line in plain.splitlines() if line.strip()]


def _layout_error(err: jinja2.TemplateError, settings: Settings) -> PamphletError:
    """A broken layout, reported like bad content: the template file and line."""
    name, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith(".j2"):
            name, line = frame.filename, frame.lineno
            break
    return PamphletError(
        f"layout error: {err.message or err}", Path(name) if name else settings.layouts[0], line
    )


def pdf_font_names(fonts: Fonts, folder: Path) -> dict[str, Path]:
    """Each font file of the series under the name the PDF gives it (Pamphlet-Serif-Bold);
    an upright file also under the name of the slanted face drawn from it where the
    series has no italic (Pamphlet-Hebrew-Oblique)."""
    suffixes = {("400", "normal"): "", ("700", "normal"): "-Bold",
                ("400", "italic"): "-Italic", ("700", "italic"): "-Bold-Italic"}  # fmt: skip
    names = {}
    for face in font_faces(fonts, folder):
        family = face["family"].replace(" ", "-")
        path = folder / Path(face["url"]).name
        names[family + suffixes[(face["weight"], face["style"])]] = path
        if face["style"] == "normal":
            names[family + suffixes[(face["weight"], "normal")] + "-Oblique"] = path
    return names


def font_faces(fonts: Fonts, folder: Path) -> list[dict[str, str]]:
    """The @font-face rules of the series' typefaces, as family, file URL, weight, style."""
    faces = []
    for family, files in (("Pamphlet Serif", fonts.text), ("Pamphlet Hebrew", fonts.hebrew)):
        for name, weight, style in files.faces():
            url = (folder / name).resolve().as_uri()
            faces.append({"family": family, "url": url, "weight": weight, "style": style})
    return faces


def labels(settings: Settings) -> dict[str, Any]:
    """The words the layouts print, in the issue's language (layouts/labels.yaml)."""
    path = settings.layout("labels.yaml")
    table = _layout_yaml(path)
    if not isinstance(table, dict) or not isinstance(table.get(settings.language), dict):
        raise PamphletError(f"no labels for language '{settings.language}'", path)
    return table[settings.language]


def never_hyphenated(settings: Settings) -> list[str]:
    """The genre's words that are never hyphenated (layouts/hyphenation.yaml)."""
    path = settings.layout("hyphenation.yaml")
    table = _layout_yaml(path) if path.is_file() else {}
    words = table.get("never", []) if isinstance(table, dict) else []
    return [str(word) for word in words]


def _layout_yaml(path: Path) -> Any:
    """A YAML file of the layouts, parsed once for as long as it is unchanged (a build
    asks for the labels several times; a process may build many issues)."""
    stat = path.stat()
    return _parsed_yaml(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _parsed_yaml(path: Path, mtime_ns: int, size: int) -> Any:
    return yaml.load(read_text(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _timestamp(day: datetime.date) -> str:
    """The issue's date as the PDF's creation date, so builds are reproducible."""
    return datetime.datetime.combine(day, datetime.time(0, 0)).isoformat() + "Z"
