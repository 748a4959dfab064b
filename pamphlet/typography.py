"""Typography stage: Hebrew punctuation marks that an editor types as ASCII."""

from __future__ import annotations

import re

_LETTER = "\u05d0-\u05ea"
_MARKS = "\u0591-\u05c7"  # cantillation and nikud may sit between letters
_WORD = f"[{_LETTER}][{_LETTER}{_MARKS}]*"

# ע"ה, הי"ד: a double quote between Hebrew letters is gershayim.
_GERSHAYIM = re.compile(f'([{_LETTER}][{_MARKS}]*)"(?=[{_LETTER}])')
# שתחי', שתח'ל: a single quote right after a Hebrew word is geresh, unless the word was
# opened by a single quote (then the quote closes a quotation: 'שלום').
_GERESH = re.compile(f"(?<![{_LETTER}{_MARKS}])('?)({_WORD})'")


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
