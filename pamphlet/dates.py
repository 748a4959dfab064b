"""Dates stage: Hebrew years, dates and the week's portion, computed with pyluach."""

from __future__ import annotations

from pyluach import hebrewcal


def year_in(year: int, language: str) -> str:
    """A Hebrew year as the layout prints it: 5786 in English, תשפ״ו in Hebrew."""
    if language == "he":
        return hebrewcal.Year(year).year_string()
    return str(year)
