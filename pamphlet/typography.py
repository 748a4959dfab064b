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


def hebrew_punctuation(text: str) -> str:
    """Replace ASCII quotes inside Hebrew words by gershayim ״ and geresh ׳."""
    if not re.search(f"[{_LETTER}]", text):
        return text
    text = _GERSHAYIM.sub("\\1\u05f4", text)
    return _GERESH.sub(_geresh, text)


def _geresh(match: re.Match) -> str:
    opening, word = match.group(1), match.group(2)
    return match.group(0) if opening else word + "\u05f3"
