"""Hebrew dates, the week's portion and yahrzeit rules (pamphlet.dates).

Expected yahrzeits are Reingold & Dershowitz's rules (Calendrical Calculations, p. 113),
as Hebcal applies them; the 30 Cheshvan, 30 Kislev, Adar II and 30 Adar I cases are the
published cases of Time4J's HebrewAnniversaryTest (death 5776, anniversaries 5777-5787).
Civil dates of Hebrew days come from pyluach; the reference Shabbat (10 Jan 2026 =
21 Teves 5786, Shemos) and the 5786 schedule difference are from docs/hebrew-conventions.md."""

from __future__ import annotations

import datetime

import pytest
from pyluach.dates import HebrewDate

from pamphlet.dates import (
    DateError,
    Spellings,
    format_date,
    parse_hebrew_date,
    portion_matches,
    portion_name,
    week_of,
    yahrzeit_in_week,
    yahrzeits,
)

SPELLINGS = Spellings(
    {"Tammuz": "Tamuz", "Av": "Menachem-Av", "Teves": "Tevet"}, {"Shemos": "Shemot"}
)
CHESHVAN, KISLEV, TEVET, SHEVAT, ADAR, ADAR_II = 8, 9, 10, 11, 12, 13


def test_the_reference_shabbat() -> None:
    week = week_of(datetime.date(2026, 1, 10))
    assert week.portions == ("Shemos",) and week.hebrew_year == 5786
    assert portion_name(week, SPELLINGS, "en") == "Shemot"
    assert portion_name(week, SPELLINGS, "he") == "שמות"
    assert portion_matches("Shemot", week, SPELLINGS)
    assert portion_matches("Shemos", week, SPELLINGS)
    assert not portion_matches("Bo", week, SPELLINGS)


def test_combined_portions_and_festival_weeks() -> None:
    assert portion_name(week_of(datetime.date(2026, 3, 14)), SPELLINGS, "en") == "Vayakhel-Pekudei"
    assert week_of(datetime.date(2026, 4, 4)).is_festival  # Shabbat Chol Hamoed Pesach


def test_diaspora_and_israel_schedules_differ_in_the_summer_of_5786() -> None:
    day = datetime.date(2026, 5, 30)
    assert week_of(day).portions == ("Nasso",)
    assert week_of(day, israel=True).portions == ("Beha'aloscha",)


@pytest.mark.parametrize(
    "text",
    ["21 Tamuz, 5766", "21 Tammuz 5766", 'כ"א תמוז תשס"ו', "כ״א תמוז תשס״ו"],
)
def test_hebrew_dates_are_read_in_any_usual_spelling(text: str) -> None:
    day = parse_hebrew_date(text, SPELLINGS)
    assert (day.year, day.month, day.day) == (5766, 4, 21)
    assert format_date(day, SPELLINGS, "en") == "21 Tamuz, 5766"
    assert format_date(day, SPELLINGS, "he") == "כ״א תמוז תשס״ו"


def test_a_civil_date_in_the_publications_spelling() -> None:
    day = HebrewDate.from_pydate(datetime.date(2006, 7, 17))
    assert format_date(day, SPELLINGS, "en") == "21 Tamuz, 5766"
    assert format_date(HebrewDate(5777, 5, 7), SPELLINGS, "en") == "7 Menachem-Av, 5777"


@pytest.mark.parametrize(
    "text, message",
    [
        ("30 Tamuz 5786", "Tamuz 5786 has 29 days"),
        ("5 Adar II 5785", "5785 is not a leap year"),
        ("5 Adar 5784", "5784 is a leap year, write Adar I or Adar II"),
        ("5 Smarch 5784", "unknown month"),
    ],
)
def test_impossible_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_hebrew_date(text, SPELLINGS)


def _yahrzeit(death: HebrewDate, year: int, adar: str = "adar1") -> list[tuple[int, int]]:
    return [(d.month, d.day) for d in yahrzeits(death, year, adar)]


@pytest.mark.parametrize(
    "year, expected",
    [(5778, 29), (5779, 30), (5780, 30), (5781, 29), (5782, 29), (5783, 30), (5784, 29),
     (5785, 30), (5786, 29), (5787, 30)],
)  # fmt: skip
def test_died_30_cheshvan_when_the_first_anniversary_had_no_30th(year: int, expected: int) -> None:
    """5777 has no 30 Cheshvan: the last day of Cheshvan every year after."""
    assert _yahrzeit(HebrewDate(5776, CHESHVAN, 30), year) == [(CHESHVAN, expected)]


def test_died_30_cheshvan_when_the_first_anniversary_had_a_30th() -> None:
    """Died 30 Cheshvan 5779 (5780 has a 30th): 30 Cheshvan where it exists, else 1 Kislev."""
    assert _yahrzeit(HebrewDate(5779, CHESHVAN, 30), 5780) == [(CHESHVAN, 30)]
    assert _yahrzeit(HebrewDate(5779, CHESHVAN, 30), 5781) == [(KISLEV, 1)]


@pytest.mark.parametrize(
    "year, expected",
    [(5778, 30), (5779, 30), (5780, 30), (5781, 29), (5782, 30), (5784, 29), (5786, 30)],
)
def test_died_30_kislev_when_the_first_anniversary_had_no_30th(year: int, expected: int) -> None:
    assert _yahrzeit(HebrewDate(5776, KISLEV, 30), year) == [(KISLEV, expected)]


def test_died_30_kislev_when_the_first_anniversary_had_a_30th() -> None:
    assert _yahrzeit(HebrewDate(5779, KISLEV, 30), 5781) == [(TEVET, 1)]


def test_died_in_adar_ii() -> None:
    assert _yahrzeit(HebrewDate(5776, ADAR_II, 15), 5777) == [(ADAR, 15)]
    assert _yahrzeit(HebrewDate(5776, ADAR_II, 15), 5787) == [(ADAR_II, 15)]


def test_died_30_adar_i() -> None:
    assert _yahrzeit(HebrewDate(5776, ADAR, 30), 5777) == [(SHEVAT, 30)]
    assert _yahrzeit(HebrewDate(5776, ADAR, 30), 5787) == [(ADAR, 30)]


def test_died_in_adar_of_a_common_year_follows_the_persons_custom() -> None:
    death = HebrewDate(5785, ADAR, 10)  # 5785 is common, 5787 is leap
    assert _yahrzeit(death, 5787, "adar1") == [(ADAR, 10)]
    assert _yahrzeit(death, 5787, "adar2") == [(ADAR_II, 10)]
    assert _yahrzeit(death, 5787, "both") == [(ADAR, 10), (ADAR_II, 10)]
    assert _yahrzeit(death, 5786, "adar2") == [(ADAR, 10)]


def test_an_ordinary_date() -> None:
    assert _yahrzeit(HebrewDate(5776, 6, 29), 5777) == [(6, 29)]


def test_yahrzeit_in_the_week_ending_on_a_shabbat() -> None:
    death = HebrewDate(5766, 4, 21)  # 21 Tamuz 5766
    assert yahrzeit_in_week(death, datetime.date(2026, 7, 11)) == datetime.date(2026, 7, 6)
    assert yahrzeit_in_week(death, datetime.date(2026, 7, 4)) is None
    assert yahrzeit_in_week(death, datetime.date(2006, 7, 22)) is None  # the week of the death
