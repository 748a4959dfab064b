"""Markdown stage: essays and talks (CommonMark + footnotes) to HTML fragments.

Footnotes become page footnotes: the definition's text is placed, as a
`<span class="footnote">`, where the note is called, and the layout floats it to the foot
of the page (WeasyPrint `float: footnote`), numbered per article by a CSS counter. Raw HTML
is off: pasted tags are shown as text. Images may only come from the project's own files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import PamphletError
from .files import resolve_local
from .report import warn

_UNRESOLVED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_LINK = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)
MAX_LIST_DEPTH = 3  # list levels the layout indents
PASTED_LINE = 120  # characters: a line this long is a paragraph pasted whole, not wrapped
SENTENCE_ENDS = set('.!?:"\u201d\u2019)\u05c3')
MAX_QUOTE_DEPTH = 2  # quotation levels the layout indents


@lru_cache(maxsize=2)
def _parser(breaks: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": breaks}).use(footnote_plugin)
    md.use(attrs_block_plugin)  # `{dir=rtl}` on the line before a paragraph
    md.core.ruler.push("only_direction", _only_direction)
    md.validateLink = _valid_link  # type: ignore[method-assign]  # markdown-it's documented hook
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("image", _render_image)
    return md


def _only_direction(state: Any) -> None:
    """Of the attributes an editor may write before a block, keep only a direction."""
    for token in state.tokens:
        if not token.attrs:
            continue
        kept = {k: v for k, v in token.attrs.items() if k == "start"}  # an ordered list's
        if token.attrs.get("dir") in ("rtl", "ltr"):
            kept["dir"] = token.attrs["dir"]
        token.attrs = kept


def _valid_link(url: str) -> bool:
    """Every link parses as a link, so that `_check_inline` can refuse the ones paper cannot
    carry (or that would open something on a reader's computer) with an error, instead of
    markdown-it printing them as text."""
    return True


def render_markdown(text: str, path: Path, first_line: int, roots: Sequence[Path]) -> Markup:
    """Render an article body; footnote definitions go where they are called. Markup the
    layouts cannot print is refused with its line, never dropped."""
    md = _parser()
    env: dict[str, Any] = {"pamphlet": {"path": path, "roots": roots, "first_line": first_line}}
    tokens = md.parse(text, env)
    where = _Where(path, first_line)
    _warn_of_pasted_paragraphs(tokens, text, where)
    _check_structure(tokens, where)
    _check_footnotes(tokens, env, text, where)
    _check_inline(tokens, where, roots)
    env["pamphlet"]["notes"] = _footnote_bodies(md, tokens, env)
    tokens = _without_footnote_block(tokens)
    return Markup(md.renderer.render(tokens, md.options, env))


def render_inline(text: str, path: Path | None = None, line: int | None = None) -> Markup:
    """Render one line of Markdown (a lead) without a paragraph around it; it has no place
    for an image or a footnote."""
    md = _parser()
    tokens = md.parseInline(text, {"pamphlet": {"notes": {}}})
    for child in tokens[0].children or [] if tokens else []:
        if child.type in ("image", "footnote_ref"):
            what = "an image" if child.type == "image" else "a footnote"
            raise PamphletError(f"{what} has no place in a lead", path, line)
    return Markup(md.renderInline(text, {"pamphlet": {"notes": {}}}))


def block_problems(text: str, what: str) -> list[str]:
    """Why a free block (the back cover) cannot be printed as written: the layout has no
    place there for images or footnotes."""
    md = _parser(breaks=True)
    found = []
    for token in md.parse(text, {}):
        for child in token.children or []:
            if child.type == "image":
                found.append(f"an image has no place in {what}")
            if child.type == "footnote_ref":
                found.append(f"a footnote has no place in {what}")
    return found


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


@dataclass(frozen=True)
class _Where:
    """The article file and the line its body starts on."""

    path: Path
    first_line: int

    def line(self, token: Token) -> int | None:
        """The file line a token starts on."""
        return self.first_line + token.map[0] if token.map else None

    def error(self, message: str, token: Token | None = None, line: int | None = None) -> None:
        """Stop with a problem at the token's line (or the given one)."""
        raise PamphletError(message, self.path, line or (self.line(token) if token else None))


def _warn_of_pasted_paragraphs(tokens: list[Token], text: str, where: _Where) -> None:
    """Text pasted from the web keeps each paragraph on one long line, with a single line
    break between paragraphs; Markdown prints such lines as one paragraph. Warn where a
    long line ending a sentence is followed, in the same paragraph, by another line."""
    lines = text.splitlines()
    for token in tokens:
        if token.type != "paragraph_open" or not token.map:
            continue
        start, end = token.map
        for index in range(start, end - 1):
            line = lines[index].rstrip()
            if len(line) >= PASTED_LINE and line[-1:] in SENTENCE_ENDS:
                warn(
                    "a single line break after a whole paragraph: the two are printed as one; "
                    "leave a blank line between paragraphs",
                    where.path,
                    where.first_line + index + 1,
                )


def _check_structure(tokens: list[Token], where: _Where) -> None:
    """Lists and quotations no deeper than the layout sets them."""
    depth = {"list": 0, "blockquote": 0}
    limits = {"list": MAX_LIST_DEPTH, "blockquote": MAX_QUOTE_DEPTH}
    for token in tokens:
        kind = "list" if token.type.endswith("_list_open") else token.type.removesuffix("_open")
        closing = token.type.endswith("_list_close") or token.type == "blockquote_close"
        if kind in depth and token.nesting == 1:
            depth[kind] += 1
            if depth[kind] > limits[kind]:
                noun = "a list" if kind == "list" else "a quotation"
                where.error(
                    f"{noun} nested {depth[kind]} deep: the layout sets at most "
                    f"{limits[kind]} levels",
                    token,
                )
        elif closing:
            depth["list" if token.type.endswith("_list_close") else "blockquote"] -= 1


def _check_footnotes(tokens: list[Token], env: EnvType, text: str, where: _Where) -> None:
    """Every note is called, and no note calls another (its text would be lost)."""
    for key, value in env.get("footnotes", {}).get("refs", {}).items():
        if value == -1:
            label = key[1:]
            where.error(
                f"footnote [^{label}] is defined but never called: its text would not be printed",
                line=_definition_line(text, label, where.first_line),
            )
    inside = False
    for token in tokens:
        inside = (inside or token.type == "footnote_open") and token.type != "footnote_close"
        if inside and any(c.type == "footnote_ref" for c in token.children or []):
            where.error("a footnote inside a footnote cannot be printed", token)


def _definition_line(text: str, label: str, first_line: int) -> int | None:
    for number, line in enumerate(text.splitlines()):
        if line.lstrip().startswith(f"[^{label}]:"):
            return first_line + number
    return None


def _check_inline(tokens: list[Token], where: _Where, roots: Sequence[Path]) -> None:
    """Refuse calls of notes that are not defined, images outside the project, and links
    a reader could not follow from paper or that would open something on the computer."""
    for token in tokens:
        if token.type != "inline":
            continue
        line = where.line(token)
        for child in token.children or []:
            if child.type == "text" and (m := _UNRESOLVED_NOTE.search(child.content)):
                where.error(f"footnote [^{m.group(1)}] is called but never defined", line=line)
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                resolve_local(src, where.path.parent, roots, where.path, line)
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not _LINK.match(href):
                    where.error(
                        f"link '{href}': only http(s), mailto and tel links can be printed",
                        line=line,
                    )


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
