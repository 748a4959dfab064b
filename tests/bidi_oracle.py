"""The tests' bidi oracle: a complete implementation of the Unicode Bidirectional
Algorithm (the Rust unicode-bidi crate behind python-bidi's `get_display`, which applies
the paired-bracket rule N0 and mirroring L4), kept apart from the pipeline's own code."""

from __future__ import annotations

import re

from bidi import get_display


def reference_display(text: str, direction: str) -> str:
    """The line as a reader sees it, left to right, brackets mirrored where they face the
    other way (UAX #9 L1–L4)."""
    return get_display(text, base_dir="R" if direction == "rtl" else "L")


def reference_levels(text: str, direction: str) -> list[int]:
    """The resolved embedding level of each character, read from the crate's own account
    of its work (levels are given per UTF-8 byte; a character takes its first byte's)."""
    dump = get_display(text, base_dir="R" if direction == "rtl" else "L", debug=True)
    section = dump[dump.index("levels: [") : dump.index("paragraphs:")]
    by_byte = [int(n) for n in re.findall(r"Level\(\s*(\d+),?\s*\)", section)]
    levels, offset = [], 0
    for char in text:
        levels.append(by_byte[offset])
        offset += len(char.encode("utf-8"))
    assert offset == len(by_byte), "the oracle's dump no longer lists a level per byte"
    return levels


MIRRORED = str.maketrans("()[]{}<>", ")(][}{><")


def reference_drawn(text: str, direction: str) -> str:
    """The characters in the order they are drawn, left to right, each bracket as the
    glyph a reader sees: the oracle's levels, reordered by L2 and mirrored by L4."""
    levels = reference_levels(text, direction)
    order = list(range(len(text)))
    for level in range(max(levels, default=0), 0, -1):  # L2: reverse from the highest level
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return "".join(text[i].translate(MIRRORED) if levels[i] % 2 else text[i] for i in order)
