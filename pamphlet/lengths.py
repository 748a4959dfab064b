"""Lengths as editors and printers write them ('0.125in', '3mm', '9pt'), in PDF points."""

from __future__ import annotations

import re

POINTS_PER: dict[str, float] = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}
_LENGTH = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|in|mm|cm)?\s*", re.IGNORECASE)


def points(text: str) -> float:
    """The length in points (`0.5mm`, `0.02in`, `1cm`, `3pt`; a bare number is points).
    ValueError if it is not a length."""
    match = _LENGTH.fullmatch(str(text))
    if not match:
        raise ValueError(f"'{text}' is not a length (such as 0.5mm, 0.02in or 1.5pt)")
    unit = (match.group(2) or "pt").lower()
    return float(match.group(1)) * POINTS_PER[unit]
