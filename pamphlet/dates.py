"""Dates stage: Hebrew years, dates, the week's portion and yahrzeits, with pyluach.

Month and portion names are looked up in the series' own spelling table first (the
pamphlet writes "Tamuz" and "Shemot" where pyluach writes "Tammuz" and "Shemos").
Yahrzeits follow Reingold & Dershowitz, as Hebcal does (docs/hebrew-conventions.md, "Yahrzeits").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pyluach import dates, hebrewcal, parshios

CHESHVAN, KISLEV, TEVET, SHEVAT, ADAR, ADAR_II = 8, 9, 10, 11, 12, 13
AdarCustom = Literal["adar1", "adar2", "both"]

# Other spellings an editor may type (lower case), besides pyluach's and the series'.
_MONTH_ALIASES = {
    "nisan": 1, "iyyar": 2, "iyar": 2, "sivan": 3, "tamuz": 4, "menachem-av": 5,
    "menachem av": 5, "tishri": 7, "tishrei": 7, "marcheshvan": 8, "heshvan": 8,
    "teves": 10, "tevet": 10, "teveth": 10, "shvat": 11, "shevat": 11,
    "adar i": 12, "adar 1": 12, "adar ii": 13, "adar 2": 13,
}  # fmt: skip
_HEBREW_MONTHS = {
    "ניסן": 1, "אייר": 2, "סיון": 3, "סיוון": 3, "תמוז": 4, "אב": 5, "מנחם־אב": 5,
    "מנחם-אב": 5, "אלול": 6, "תשרי": 7, "חשון": 8, "חשוון": 8, "מרחשון": 8, "כסלו": 9,
    "כסליו": 9, "טבת": 10, "שבט": 11, "אדר": 12, "אדר א׳": 12, "אדר ב׳": 13,
}  # fmt: skip


# An issue's Shabbat, and any week asked about, falls in these civil years; a date of
# passing in these Hebrew years (1240 to 2240 CE). Outside them a date is a typing slip.
WEEK_YEARS = (1900, 2999)
PASSING_YEARS = (5000, 6000)


class DateError(ValueError):
    """A date that cannot be read or does not exist."""


def week_problem(day: datetime.date) -> str | None:
    """Why a Shabbat cannot be a week of the pamphlet, or None."""
    first, last = WEEK_YEARS
    if not first <= day.year <= last:
        return f"{day.isoformat()} is outside the years {first}–{last} a weekly issue can have"
    return None


@dataclass(frozen=True)
class Spellings:
    """The publication's own names: months by pyluach name, portions by pyluach name."""

    months: Mapping[str, str]
    portions: Mapping[str, str]

    def month(self, day: dates.HebrewDate) -> str:
        """The month's name as the publication spells it."""
        name = day.month_name()
        if name in ("Adar 1", "Adar 2"):
            base = self.months.get("Adar", "Adar")
            return f"{base} {'I' if name == 'Adar 1' else 'II'}"
        return self.months.get(name, name)

    def portion(self, pyluach_name: str) -> str:
        """A portion's name as the publication spells it."""
        return self.portions.get(pyluach_name, pyluach_name)


def year_in(year: int, language: str) -> str:
    """A Hebrew year as the layout prints it: 5786 in English, תשפ״ו in Hebrew."""
    if language == "he":
        return hebrewcal.Year(year).year_string()
    return str(year)


def to_hebrew(day: datetime.date) -> dates.HebrewDate:
    """The Hebrew date of a civil day (the daytime part: after sunset is the next day)."""
    return dates.GregorianDate.from_pydate(day).to_heb()


def parse_hebrew_date(text: str, spellings: Spellings) -> dates.HebrewDate:
    """Read '21 Tamuz, 5766', '21 Tammuz 5766' or 'כ״א תמוז תשס״ו'."""
    cleaned = text.strip().replace(",", " ")
    match = re.fullmatch(r"(\d{1,2})\s+(.+?)\s+(\d{4})", cleaned)
    if match:
        day, month_name, year = int(match[1]), match[2], int(match[3])
        month = _month_number(month_name, spellings)
    else:
        day, month, year = _parse_hebrew_letters(cleaned)
    if month is None:
        raise DateError(f"unknown month in '{text}'")
    if month == ADAR_II and not hebrewcal.Year(year).leap:
        raise DateError(f"'{text}': {year} is not a leap year, it has no Adar II")
    if month == ADAR and hebrewcal.Year(year).leap and _says_plain_adar(text):
        raise DateError(f"'{text}': {year} is a leap year, write Adar I or Adar II")
    try:
        return dates.HebrewDate(year, month, day)
    except ValueError:
        length = len(hebrewcal.Month(year, month))
        name = spellings.month(dates.HebrewDate(year, month, 1))
        raise DateError(f"'{text}' does not exist: {name} {year} has {length} days") from None


def _month_number(name: str, spellings: Spellings) -> int | None:
    """A month's number from any of its spellings (the series', pyluach's, common ones)."""
    key = name.strip().lower()
    for pyluach_name, ours in spellings.months.items():
        if key in (ours.lower(), pyluach_name.lower()):
            return _pyluach_month(pyluach_name)
    return _pyluach_month(key) or _MONTH_ALIASES.get(key)


def _pyluach_month(name: str) -> int | None:
    for number in range(1, 14):
        year = 5784  # a leap year: all thirteen names
        if dates.HebrewDate(year, number, 1).month_name().lower() == name.lower():
            return number
    return 12 if name.lower() == "adar" else None


def _says_plain_adar(text: str) -> bool:
    return bool(re.search(r"adar(?!\s*(i|1|ii|2)\b)", text, re.IGNORECASE)) or (
        "אדר" in text and not re.search("אדר [אב]", text)
    )


def _parse_hebrew_letters(text: str) -> tuple[int, int | None, int]:
    """Day, month and year from Hebrew letters: 'כ״א תמוז תשס״ו'."""
    words = text.replace('"', "״").replace("'", "׳").split()
    if len(words) < 3:
        raise DateError(f"cannot read the date '{text}' (write e.g. '21 Tamuz, 5766')")
    day, year = _gematria(words[0]), _gematria(words[-1])
    month = _HEBREW_MONTHS.get(" ".join(words[1:-1]))
    if not day or not year:
        raise DateError(f"cannot read the date '{text}'")
    return day, month, year + 5000 if year < 1000 else year


_LETTER_VALUES = dict(
    zip(
        "אבגדהוזחטיכלמנסעפצקרשת",
        [*range(1, 10), *range(10, 100, 10), 100, 200, 300, 400],
        strict=True,
    )
)
_FINALS = str.maketrans("ךםןףץ", "כמנפצ")


def _gematria(word: str) -> int:
    """The value of a number written in Hebrew letters (ט״ו = 15, תשס״ו = 766)."""
    letters = word.translate(_FINALS).replace("״", "").replace("׳", "")
    if not letters or any(c not in _LETTER_VALUES for c in letters):
        return 0
    return sum(_LETTER_VALUES[c] for c in letters)


def format_date(day: dates.HebrewDate, spellings: Spellings, language: str) -> str:
    """'21 Tamuz, 5766' in the publication's spelling, or 'כ״א תמוז תשס״ו' in Hebrew."""
    if language == "he":
        return day.hebrew_date_string()
    return f"{day.day} {spellings.month(day)}, {day.year}"


@dataclass(frozen=True)
class Week:
    """What the issue's Shabbat says: its portion(s) and its Hebrew year."""

    shabbat: datetime.date
    portions: tuple[str, ...]  # pyluach names; empty in a festival week
    hebrew_year: int

    @property
    def is_festival(self) -> bool:
        """A Shabbat with no weekly portion (a festival is read)."""
        return not self.portions


def week_of(shabbat: datetime.date, israel: bool = False) -> Week:
    """The portion and Hebrew year of a Shabbat, diaspora schedule unless israel."""
    greg = dates.GregorianDate.from_pydate(shabbat)
    found = parshios.getparsha(greg, israel=israel) or []
    names = tuple(parshios.PARSHIOS[i] for i in found)
    return Week(shabbat, names, greg.to_heb().year)


def portion_name(week: Week, spellings: Spellings, language: str) -> str:
    """The week's portion as the cover prints it: 'Vayakhel-Pekudei', 'ויקהל-פקודי'."""
    if language == "he":
        return "-".join(parshios.PARSHIOS_HEBREW[parshios.PARSHIOS.index(p)] for p in week.portions)
    return "-".join(spellings.portion(p) for p in week.portions)


def portion_matches(written: str, week: Week, spellings: Spellings) -> bool:
    """Whether a portion written in the issue is the week's (any of its spellings)."""

    def key(text: str) -> str:
        return re.sub(r"[\s\-־,]+", "", text).lower()

    forms = {
        portion_name(week, spellings, "en"),
        portion_name(week, Spellings({}, {}), "en"),
        portion_name(week, spellings, "he"),
    }
    return key(written) in {key(f) for f in forms}


def yahrzeits(
    death: dates.HebrewDate, year: int, adar: AdarCustom = "adar1"
) -> list[dates.HebrewDate]:
    """The day(s) in Hebrew year `year` that keep the anniversary of `death`."""
    month, day = death.month, death.day
    leap = hebrewcal.Year(year).leap
    if month == CHESHVAN and day == 30 and not _long_cheshvan(death.year + 1):
        return [dates.HebrewDate(year, KISLEV, 1) - 1]
    if month == KISLEV and day == 30 and _short_kislev(death.year + 1):
        return [dates.HebrewDate(year, TEVET, 1) - 1]
    if month == ADAR_II:
        month = ADAR_II if leap else ADAR
    elif month == ADAR and day == 30 and not leap:
        month = SHEVAT  # 30 Adar I in a common year: the last day of Shevat
    elif month == ADAR and not hebrewcal.Year(death.year).leap and leap:
        months = {"adar1": [ADAR], "adar2": [ADAR_II], "both": [ADAR, ADAR_II]}[adar]
        return [_day_in(year, m, day) for m in months]
    return [_day_in(year, month, day)]


def _day_in(year: int, month: int, day: int) -> dates.HebrewDate:
    """Day `day` of a month, or the day after the month's 29th when it has no 30th."""
    if day == 30 and len(hebrewcal.Month(year, month)) == 29:
        return dates.HebrewDate(year, month, 29) + 1
    return dates.HebrewDate(year, month, day)


def _long_cheshvan(year: int) -> bool:
    return len(hebrewcal.Month(year, CHESHVAN)) == 30


def _short_kislev(year: int) -> bool:
    return len(hebrewcal.Month(year, KISLEV)) == 29


def week_days(shabbat: datetime.date) -> list[datetime.date]:
    """Sunday to Shabbat of the week that ends on `shabbat`."""
    return [shabbat - datetime.timedelta(days=n) for n in range(6, -1, -1)]


def yahrzeit_in_week(
    death: dates.HebrewDate, shabbat: datetime.date, adar: AdarCustom = "adar1"
) -> datetime.date | None:
    """The civil day of the week ending on `shabbat` that is the yahrzeit, if one is."""
    days = week_days(shabbat)
    for year in sorted({to_hebrew(days[0]).year, to_hebrew(days[-1]).year}):
        if year <= death.year:
            continue
        for observed in yahrzeits(death, year, adar):
            civil = observed.to_pydate()
            if days[0] <= civil <= days[-1]:
                return civil
    return None
