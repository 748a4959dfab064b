"""Fonts: whether a bundled font file can be used, and which characters the series can print.

fontTools (already WeasyPrint's own dependency) reads the files: a file it cannot parse,
or one with no character map, is refused before anything is rendered; the union of the
faces' character maps says which characters the pamphlet can print without a system
font or a .notdef box.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

# Characters that are never drawn: controls, formatting marks (removed or zero-width).
_NOT_DRAWN = {"Cc", "Cf", "Zl", "Zp"}


@lru_cache(maxsize=32)
def glyph_characters(path: Path) -> dict[int, list[str]]:
    """Each glyph id of a (readable) font file, with the characters its map gives it."""
    with TTFont(str(path), lazy=True) as font:
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        found: dict[int, list[str]] = {}
        for code, name in sorted(font.getBestCmap().items()):
            found.setdefault(order[name], []).append(chr(code))
    return found


@lru_cache(maxsize=32)
def _problem(path: Path, mtime: float) -> str | None:
    try:
        with TTFont(str(path), lazy=True) as font:
            font["head"]  # parsed: the file is a font
            if "cmap" not in font:
                return "the font has no character map"
    except (TTLibError, OSError, ValueError, AssertionError, KeyError, IndexError) as err:
        return f"not a readable font file ({type(err).__name__})"
    return None


def font_problem(path: Path) -> str | None:
    """Why a font file cannot be used, or None."""
    return _problem(path.resolve(), path.stat().st_mtime)


def coverage(paths: list[Path]) -> frozenset[int]:
    """Every code point at least one of the (readable) font files can draw."""
    return frozenset(
        ord(char)
        for path in paths
        for chars in glyph_characters(path.resolve()).values()
        for char in chars
    )


def missing_characters(text: str, covered: frozenset[int]) -> list[str]:
    """The characters of a text that no font can draw, each once, in order."""
    seen: list[str] = []
    for char in text:
        if ord(char) in covered or char in seen or char in "\n\r\t":
            continue
        if unicodedata.category(char) in _NOT_DRAWN:
            continue
        seen.append(char)
    return seen


def describe(char: str) -> str:
    """A character as a message shows it: itself, its code point and its name."""
    name = unicodedata.name(char, "unnamed character")
    return f"'{char}' (U+{ord(char):04X} {name})"
