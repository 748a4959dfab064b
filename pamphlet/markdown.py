"""Markdown stage: essays and talks (CommonMark + footnotes) to HTML fragments.

Footnotes become page footnotes: the definition's text is placed, as a
`<span class="footnote">`, where the note is called, and the layout floats it to the foot
of the page (WeasyPrint `float: footnote`), numbered per article by a CSS counter. Raw HTML
is off: pasted tags are shown as text. Images may only come from the project's own files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape
from mdit_py_plugins.footnote import footnote_plugin

from .errors import PamphletError
from .files import resolve_local

_UNRESOLVED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_SCRIPT_LINK = re.compile(r"^\s*(javascript|vbscript):", re.IGNORECASE)


@lru_cache(maxsize=2)
def _parser(breaks: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": breaks}).use(footnote_plugin)
    md.validateLink = _valid_link  # type: ignore[method-assign]  # markdown-it's documented hook
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("image", _render_image)
    return md


def _valid_link(url: str) -> bool:
    """Script links are never links. Other schemes parse, so that an image pointing at a
    file or the network is refused with an error instead of printed as text."""
    return not _SCRIPT_LINK.match(url)


def render_markdown(text: str, path: Path, first_line: int, roots: Sequence[Path]) -> Markup:
    """Render an article body; footnote definitions go where they are called."""
    md = _parser()
    env: dict[str, Any] = {"pamphlet": {"path": path, "roots": roots, "first_line": first_line}}
    tokens = md.parse(text, env)
    env["pamphlet"]["notes"] = _footnote_bodies(md, tokens, env)
    tokens = _without_footnote_block(tokens)
    _check_inline(tokens, path, first_line, roots)
    return Markup(md.renderer.render(tokens, md.options, env))


def render_inline(text: str) -> Markup:
    """Render one line of Markdown (a lead, a caption) without a paragraph around it."""
    md = _parser()
    return Markup(md.renderInline(text, {"pamphlet": {"notes": {}}}))


def render_block(text: str) -> Markup:
    """Render a free block from a YAML file (back cover): every line break is kept."""
    md = _parser(breaks=True)
    return Markup(md.render(text, {"pamphlet": {"notes": {}}}))


def _footnote_bodies(md: MarkdownIt, tokens: list[Token], env: EnvType) -> dict[int, str]:
    """Render each footnote definition's paragraphs as inline HTML, by footnote id."""
    bodies: dict[int, str] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            bodies[current] = ""
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            renderer = cast(RendererHTML, md.renderer)
            html = renderer.renderInline(token.children or [], md.options, env)
            bodies[current] += ("<br>" if bodies[current] else "") + html
    return bodies


def _without_footnote_block(tokens: list[Token]) -> list[Token]:
    out, skipping = [], False
    for token in tokens:
        if token.type == "footnote_block_open":
            skipping = True
        elif token.type == "footnote_block_close":
            skipping = False
        elif not skipping:
            out.append(token)
    return out


def _check_inline(tokens: list[Token], path: Path, first_line: int, roots: Sequence[Path]) -> None:
    """Refuse references to notes that are not defined and images outside the project."""
    for token in tokens:
        if token.type != "inline":
            continue
        line = first_line + token.map[0] if token.map else None
        for child in token.children or []:
            if child.type == "text" and (m := _UNRESOLVED_NOTE.search(child.content)):
                raise PamphletError(
                    f"footnote [^{m.group(1)}] is called but never defined", path, line
                )
            if child.type == "image":
                resolve_local(str(child.attrGet("src") or ""), path.parent, roots, path, line)


def _render_footnote_ref(
    self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    body = env["pamphlet"]["notes"].get(tokens[idx].meta["id"], "")
    return f'<span class="footnote">{body}</span>'


def _render_image(
    self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    ctx = env["pamphlet"]
    src = resolve_local(
        str(token.attrGet("src") or ""), ctx["path"].parent, ctx["roots"], ctx["path"]
    )
    alt = escape(self.renderInlineAsText(token.children or [], options, env))
    return f'<img src="{escape(src.as_uri())}" alt="{alt}">'
