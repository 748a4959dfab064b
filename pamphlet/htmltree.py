"""A minimal HTML tree: parse the HTML the layouts produce, change it, write it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
RAW_TEXT = {"style", "script"}


@dataclass
class Element:
    """An element with its attributes (in order) and its children (elements or text)."""

    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list = field(default_factory=list)

    def shallow_copy(self) -> Element:
        """The same element without children (for splitting inline markup)."""
        return Element(self.tag, dict(self.attrs))

    def classes(self) -> set[str]:
        """The element's class names."""
        return set((self.attrs.get("class") or "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse(html: str) -> tuple[Element, str | None]:
    """Parse an HTML document into a tree; returns the root and the doctype."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root, builder.doctype


def serialize(root: Element, doctype: str | None = None) -> str:
    """Write a tree back as HTML text."""
    out: list[str] = [f"<!{doctype}>\n"] if doctype else []
    for child in root.children:
        _write(child, out, raw=False)
    return "".join(out)


def _write(node: Element | str, out: list[str], raw: bool) -> None:
    if isinstance(node, str):
        out.append(node if raw else escape(node, quote=False))
        return
    attrs = "".join(
        f" {k}" if v is None else f' {k}="{escape(v, quote=True)}"' for k, v in node.attrs.items()
    )
    out.append(f"<{node.tag}{attrs}>")
    if node.tag in VOID:
        return
    for child in node.children:
        _write(child, out, raw=node.tag in RAW_TEXT)
    out.append(f"</{node.tag}>")


def text_content(node: Element | str) -> str:
    """All the text inside a node."""
    if isinstance(node, str):
        return node
    return "".join(text_content(c) for c in node.children)
