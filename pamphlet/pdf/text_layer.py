"""Text layer: what a reader copies out of the PDF is the text that was typed.

WeasyPrint maps each glyph to the text of the cluster it was first drawn in; in a Hebrew
cluster of a letter and its points, all of the cluster's text goes to one glyph and none
to the others, so a dagesh could copy as a whole syllable and a vowel as nothing. Each
bundled font maps its glyphs to characters in its own character map: where a glyph
stands for exactly one character there, the PDF's ToUnicode map is given that character.
(Ligatures and alternates, which stand for no single character, keep WeasyPrint's text.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..fonts import glyph_characters

_ENTRY = re.compile(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$")


def correct_to_unicode(pdf: Any, fonts: Mapping[str, Path]) -> None:
    """Give every glyph of the bundled fonts its own character in the PDF's ToUnicode maps
    (a WeasyPrint finisher: `pdf` is the pydyf document before it is written)."""
    for item in pdf.objects:
        if not isinstance(item, dict) or "ToUnicode" not in item or "BaseFont" not in item:
            continue
        name = _text(item["BaseFont"]).lstrip("/").split("+")[-1]
        if name not in fonts:
            continue
        stream = _object(pdf, item["ToUnicode"])
        if stream is not None:
            _rewrite(stream, glyph_characters(fonts[name]))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _object(pdf: Any, reference: Any) -> Any:
    number = int(_text(reference).split()[0])
    return pdf.objects[number] if number < len(pdf.objects) else None


def _rewrite(stream: Any, characters: dict[int, list[str]]) -> None:
    lines = []
    for line in stream.stream:
        match = _ENTRY.match(line) if isinstance(line, bytes) else None
        if match:
            gid = int(match.group(1), 16)
            typed = bytes.fromhex(match.group(2).decode()).decode("utf-16-be", "replace")
            own = characters.get(gid, [])
            if own and typed not in own:
                line = b"<%04x> <%s>" % (gid, own[0].encode("utf-16-be").hex().encode())
        lines.append(line)
    stream.stream = lines
