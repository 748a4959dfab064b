"""Render stage: the issue through the Jinja2 layouts in `layouts/` into one HTML document."""

from __future__ import annotations

import datetime
import html
import re
import traceback
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .dates import year_in
from .errors import PamphletError
from .markdown import render_block
from .model import Fonts, Issue


def environment(layouts: Path) -> jinja2.Environment:
    """Jinja2 with autoescaping on and undefined variables failing loudly."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts)),
        autoescape=lambda name: not (name or "").endswith(".css.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = render_block
    env.filters["year_in"] = year_in
    return env


def render_html(issue: Issue, layouts: Path, fonts: Path) -> str:
    """The whole pamphlet as HTML, ready for the direction stage and WeasyPrint."""
    env = environment(layouts)
    try:
        return _render(env, issue, layouts, fonts)
    except jinja2.TemplateError as err:
        raise _layout_error(err, layouts) from None


def _render(env: jinja2.Environment, issue: Issue, layouts: Path, fonts: Path) -> str:
    faces = env.get_template("fonts.css.j2").render(faces=font_faces(issue.series.fonts, fonts))
    return env.get_template("pamphlet.html.j2").render(
        font_faces=Markup(faces),
        labels=_labels(layouts)[issue.file.language],
        series=issue.series,
        issue=issue.file,
        contents=issue.contents,
        stylesheets=[(layouts / "pamphlet.css").resolve().as_uri()]
        + [p.resolve().as_uri() for p in issue.stylesheets],
        created=_timestamp(issue.file.date),
    )


def render_dedications_text(issue: Issue, layouts: Path) -> list[str]:
    """The issue's dedications as plain text lines (layouts/dedications.txt.j2)."""
    env = environment(layouts)
    try:
        text = env.get_template("dedications.txt.j2").render(
            labels=_labels(layouts)[issue.file.language], issue=issue.file
        )
    except jinja2.TemplateError as err:
        raise _layout_error(err, layouts) from None
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    return [line.rstrip() for line in plain.splitlines() if line.strip()]


def fit_levels(layouts: Path) -> int:
    """How many tighter settings the stylesheet defines for regions that must fit a page."""
    css = (layouts / "pamphlet.css").read_text(encoding="utf-8")
    return max((int(n) for n in re.findall(r'data-fit-level="(\d+)"', css)), default=0)


def _layout_error(err: jinja2.TemplateError, layouts: Path) -> PamphletError:
    """A broken layout, reported like bad content: the template file and line."""
    name, line = getattr(err, "filename", None), getattr(err, "lineno", None)
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith(".j2"):
            name, line = frame.filename, frame.lineno
            break
    return PamphletError(
        f"layout error: {err.message or err}", Path(name) if name else layouts, line
    )


def font_faces(fonts: Fonts, folder: Path) -> list[dict[str, str]]:
    """The @font-face rules of the series' typefaces, as family, file URL, weight, style."""
    faces = []
    for family, files in (("Pamphlet Serif", fonts.text), ("Pamphlet Hebrew", fonts.hebrew)):
        for name, weight, style in files.faces():
            url = (folder / name).resolve().as_uri()
            faces.append({"family": family, "url": url, "weight": weight, "style": style})
    return faces


@lru_cache(maxsize=4)
def _labels(layouts: Path) -> dict:
    """The words the layouts print, per language (layouts/labels.yaml)."""
    return yaml.safe_load((layouts / "labels.yaml").read_text(encoding="utf-8"))


def _timestamp(day: datetime.date) -> str:
    """The issue's date as the PDF's creation date, so builds are reproducible."""
    return datetime.datetime.combine(day, datetime.time(0, 0)).isoformat() + "Z"
