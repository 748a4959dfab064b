"""Render stage: the issue through the Jinja2 layouts in `layouts/` into one HTML document."""

from __future__ import annotations

import datetime
from pathlib import Path

import jinja2

from .markdown import render_block
from .model import Issue


def environment(layouts: Path) -> jinja2.Environment:
    """Jinja2 with autoescaping on and undefined variables failing loudly."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = render_block
    return env


def render_html(issue: Issue, layouts: Path, env: jinja2.Environment | None = None) -> str:
    """The whole pamphlet as HTML, ready for the direction stage and WeasyPrint."""
    env = env or environment(layouts)
    template = env.get_template("pamphlet.html.j2")
    return template.render(
        series=issue.series,
        issue=issue.file,
        contents=issue.contents,
        stylesheets=[(layouts / "pamphlet.css").resolve().as_uri()]
        + [p.resolve().as_uri() for p in issue.stylesheets],
        created=_timestamp(issue.file.date),
    )


def _timestamp(day: datetime.date) -> str:
    """The issue's date as the PDF's creation date, so builds are reproducible."""
    return datetime.datetime.combine(day, datetime.time(0, 0)).isoformat() + "Z"
