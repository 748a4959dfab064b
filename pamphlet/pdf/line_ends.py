"""Justified lines that mix directions meet both edges of their column.

WeasyPrint (70) gets two things wrong in a justified paragraph with a run of the other
direction inside (an English phrase in a Hebrew paragraph, or the reverse):

1. Overflow. After a line is packed, `layout.inline.remove_last_whitespace` strips the
   space at its logical end and narrows that text box; when the box's direction is
   right to left it moves *every* box of the line left by the space's width, otherwise
   none. Both are wrong when the box's direction is not the line's: in a Hebrew line
   ending in an English run the English box shrinks on its right and leaves a gap before
   the Hebrew to its right; in an English line ending in a Hebrew run the whole line
   moves left past the left margin. Justification then spreads the line to its full
   width from there, and its far word stands a space's width (2-3 pt) past the margin.
   We run the stripping, then (when it took something away) pack the line's boxes side
   by side again from where the line started.

2. Short lines. WeasyPrint draws a text box's glyphs as one PDF `TJ` array per font,
   each glyph followed by its adjustment; a justified space's extra width is the number
   after it, and a glyph shifted by Pango (a justified space, a kerned letter) begins with
   an empty string: `[<>-670 <006a>-638] TJ`. PDFium (Chrome's viewer, and our checks)
   drops the adjustment at the end of an array that holds an empty string, so a
   justified space that ends a font run (before a comma or bracket from another face,
   before the next box) loses its stretch and the line is drawn short of the far edge,
   although its boxes fill it. Poppler draws the same file right. We leave the empty
   strings out of the arrays (they show nothing), so every reader applies every number.

`tests/test_line_ends.py` checks both on rendered ink, and that bare WeasyPrint still
needs the first.
"""

from __future__ import annotations

from typing import Any

from weasyprint.draw import text as draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

_original = inline.remove_last_whitespace
_original_draw = draw_text.draw_first_line


def remove_last_whitespace(context: Any, line: Any) -> None:
    """WeasyPrint's stripping; then, if it narrowed the line, the line packed again."""
    start = min((child.position_x for child in line.children), default=None)
    width = line.width
    _original(context, line)
    if start is not None and line.width != width:
        _pack(line, start)


def _pack(box: Any, x: float) -> float:
    """Put `box` at `x` and its inline children side by side in the order they show;
    returns where the box ends."""
    box.translate(dx=x - box.position_x, ignore_floats=True)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        inner = box.content_box_x() if isinstance(box, boxes.InlineBox) else x
        # A right-to-left box lists its children in reading order, right to left.
        rtl = box.style["direction"] == "rtl"
        for child in box.children[::-1] if rtl else box.children:
            if child.is_in_normal_flow():
                inner = _pack(child, inner)
    return x + box.margin_width()


class _NoEmptyStrings:
    """A stream whose `TJ` arrays leave out empty strings (see the module)."""

    def __init__(self, stream: Any):
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def show_text(self, text: str) -> None:
        """Show the glyphs and adjustments, without the empty strings."""
        self._stream.show_text(text.replace("<>", " "))


def draw_first_line(stream: Any, *args: Any) -> Any:
    """WeasyPrint's drawing of a text box, writing arrays every reader spaces alike."""
    return _original_draw(_NoEmptyStrings(stream), *args)


def install() -> None:
    """Use the corrected stripping and drawing in every render of this process
    (idempotent)."""
    inline.remove_last_whitespace = remove_last_whitespace
    draw_text.draw_first_line = draw_first_line
