"""Typography stage: the marks a typesetter would set, from what an editor types in ASCII.

English: curly quotes and apostrophes, dashes in the series' style, en dashes in number and
verse ranges, the ellipsis. Hebrew: gershayim ״ and geresh ׳ (never curly quotes). Both
work on one text at a time, told the character before and after it (the text may be one
piece of a paragraph split by markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_LETTER = "\u05d0-\u05ea"
_MARKS = "\u0591-\u05c7"  # cantillation and nikud may sit between letters
_WORD = f"[{_LETTER}][{_LETTER}{_MARKS}]*"

# ע"ה, הי"ד: a double quote between Hebrew letters is gershayim.
_GERSHAYIM = re.compile(f'([{_LETTER}][{_MARKS}]*)"(?=[{_LETTER}])')
# שתחי', שתח'ל: a single quote right after a Hebrew word is geresh, unless the word was
# opened by a single quote (then the quote closes a quotation: 'שלום'), or a Latin letter
# follows (an English possessive: the זוהר's teaching).
_GERESH = re.compile(f"(?<![{_LETTER}{_MARKS}])('?)({_WORD})'(?![A-Za-z])")


# An opening single quote: at the start or after a space or bracket, before a Hebrew letter.
_OPENING = re.compile(f"(?:^|(?<=[\\s(\\[]))'(?=[{_LETTER}])")


def hebrew_punctuation(text: str) -> str:
    """Replace ASCII quotes inside Hebrew words by gershayim ״ and geresh ׳."""
    if not re.search(f"[{_LETTER}]", text):
        return text
    text = _GERSHAYIM.sub("\\1\u05f4", text)
    opened = {m.start() for m in _OPENING.finditer(text)}
    pieces, last, open_quotes = [], 0, 0
    for match in _GERESH.finditer(text):
        open_quotes += sum(1 for p in opened if last <= p < match.start(2))
        pieces.append(text[last : match.end(2)])
        if match.group(1) or open_quotes:
            pieces.append("'")  # it closes a quotation: 'שלום' or 'ספר החינוך'
            open_quotes = max(open_quotes - 1, 0)
        else:
            pieces.append("\u05f3")
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) typed into content
# would reorder everything after them; the direction stage decides the order instead.
# Other C0 and C1 controls have no place in printed text.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """The text without direction-changing controls and other control characters."""
    return _CONTROLS.sub("", _DIRECTION_CONTROLS.sub("", text))


def for_terminal(text: str) -> str:
    """A line safe to show on a terminal: controls (escape sequences, direction overrides)
    written out as \\x1b, \\u202e … instead of acting on the screen."""

    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown, text)


# -- English ---------------------------------------------------------------------------------

Dash = str  # "em" (word—word) or "en-spaced" (word – word)
_HEBREW = re.compile(f"[{_LETTER}{_MARKS}\u05f3\u05f4]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_OPENERS = set(" \t\n\u00a0([{\u2014\u2013-/\u201c\u2018")
# What typography leaves alone: web addresses and e-mail addresses.
_LITERAL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_RANGE = re.compile(r"(?<![\d-])(\d{1,4})-(\d{1,4})(?![\d-])")
_VERSE_RANGE = re.compile(r"(\d+:\d+)-(\d+)(?![\d-])")


def english_marks(
    text: str, before: str = "", after: str = "", dash: Dash = "em", english: bool = True
) -> str:
    """Curly quotes, dashes, ranges and the ellipsis, outside addresses; `before` and
    `after` are the characters around the text in its paragraph. A Hebrew paragraph
    (`english=False`) gets the ellipsis only: its quotes become ״ ׳ or stay as typed, and
    an en dash would turn a range around (5–7 read right to left is 7–5)."""
    pieces, last = [], 0
    for match in _LITERAL.finditer(text):
        start = match.start()
        pieces.append(
            _marks(text[last:start], _prev(text, last, before), text[start], dash, english)
        )
        pieces.append(match.group())
        last = match.end()
    pieces.append(_marks(text[last:], _prev(text, last, before), after, dash, english))
    return "".join(pieces)


def _prev(text: str, index: int, before: str) -> str:
    return text[index - 1] if index else before


def _marks(text: str, before: str, after: str, dash: Dash, english: bool) -> str:
    if not text:
        return text
    text = text.replace("...", "\u2026")
    if not english:
        return text
    text = _with_context(_dashes, text, before, after, dash)
    text = _VERSE_RANGE.sub("\\1\u2013\\2", text)
    text = _RANGE.sub(_range, text)
    return _quotes(text, before, after)


def _with_context(
    change: Callable[[str, Dash], str], text: str, before: str, after: str, dash: Dash
) -> str:
    """Apply a change as if the neighbouring characters (not spaces) were there."""
    before = before if before.strip() else ""
    after = after if after.strip() else ""
    changed = change(before + text + after, dash)
    return changed[len(before) : len(changed) - len(after)]


def _dashes(text: str, dash: Dash) -> str:
    """--- and -- and a hyphen between spaces: the series' dash. An em dash never starts
    a line (a word joiner before it)."""
    em = "\u2060\u2014"
    shown = em if dash == "em" else "\u00a0\u2013 "
    text = re.sub(r"\s*---\s*", em, text)
    text = re.sub(r"\s*--\s*" if dash == "em" else r" ?-- ?", shown, text)
    return re.sub(r"(?<=\S) - (?=\S)", shown, text)


def _range(match: re.Match[str]) -> str:
    """8-13, 5751-5752, 1990-95: a range takes an en dash; 753-6844 (a phone number) and a
    descending pair do not."""
    low, high = match.group(1), match.group(2)
    if len(low) == 4 and len(high) == 2:
        return f"{low}\u2013{high}"  # 1990-95
    phone_like = len(high) - len(low) > 1 or (len(low), len(high)) == (3, 4)
    if int(low) < int(high) and not phone_like:
        return f"{low}\u2013{high}"
    return match.group()


def _quotes(text: str, before: str, after: str) -> str:
    out = []
    for index, char in enumerate(text):
        if char not in "\"'":
            out.append(char)
            continue
        prev = text[index - 1] if index else (before or " ")
        next_ = text[index + 1] if index + 1 < len(text) else (after or " ")
        out.append(_quote(char, prev, next_))
    return "".join(out)


def _quote(char: str, prev: str, next_: str) -> str:
    """The curly form of one straight quote, from its neighbours; next to Hebrew it is
    left for the Hebrew marks (except an English possessive: the זוהר's teaching)."""
    if char == "'" and _HEBREW.match(prev) and _LATIN.match(next_):
        return "\u2019"
    if _HEBREW.match(prev) or _HEBREW.match(next_):
        return char
    opening = prev in _OPENERS or prev.isspace()
    if char == '"':
        return "\u201c" if opening else "\u201d"
    if opening and not next_.isdigit():
        return "\u2018"
    return "\u2019"  # an apostrophe, a closing quote, or '90s
