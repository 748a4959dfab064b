"""Overflow: lines of text wider than the box they were laid out in.

WeasyPrint lets a word that cannot break (a long address, a name kept on one line) run
out of its box rather than stop the layout; on paper it then crosses a border or the
margin. WeasyPrint has no public view of the laid-out lines: this reads each page's box
tree (`Page._page_box`), as the page budget does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

TOLERANCE = 0.5  # CSS px a line may pass its box by (rounding, italic overhang)


@dataclass(frozen=True)
class Overflow:
    """A line wider than its box: its page (1-based), its text and by how much (pt)."""

    page: int
    text: str
    by: float


def overflowing_lines(pages: Sequence[Any]) -> list[Overflow]:
    """Every line that runs past the right or left edge of its block's content box."""
    found = []
    for number, page in enumerate(pages, start=1):
        for block, line in _lines(page._page_box, None):
            left = block.content_box_x()
            right = left + block.width
            content = _line_content_width(line)
            by = max(line.position_x + content - right, left - line.position_x) if content else 0
            if by > TOLERANCE:
                found.append(Overflow(number, _text(line).strip(), round(by * 0.75, 1)))
    return found


def _lines(box: Any, block: Any) -> Iterator[tuple[Any, Any]]:
    """(block, line) for every line box, the margin boxes (running heads) left out."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    if isinstance(box, boxes.LineBox):
        yield block, box
        return
    inner = box if isinstance(box, boxes.BlockContainerBox) else block
    for child in getattr(box, "children", []):
        yield from _lines(child, inner)


def _line_content_width(line: Any) -> float:
    """How far the line's inline content reaches from its start (a list item's marker,
    which stands outside its box by design, left out)."""
    ends = [
        c.position_x + c.margin_width() - line.position_x
        for c in line.children
        if not str(getattr(c, "element_tag", "")).endswith("::marker")
    ]
    return max(ends, default=0.0)


def _text(box: Any) -> str:
    """The text of a line box."""
    if hasattr(box, "text"):
        return str(box.text)
    return "".join(_text(child) for child in getattr(box, "children", []))
