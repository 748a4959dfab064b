"""The written model: the files as the editor types them (series, issue, people, articles).

Each dataclass is a file format, validated by `schema.parse`: a field's type says what is
accepted, its default makes it optional, its `doc` documents it. Every parsed record
carries its `origin` (file and lines) for error messages.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from ..dates import AdarCustom
from ..lengths import points
from ..schema import Located, doc

Language = Literal["en", "he"]
Schedule = Literal["diaspora", "israel"]
Kind = Literal["man", "woman", "couple", "family", "women"]
Numbering = Literal["numbers", "hebrew"]
Trim = Literal["half-letter", "a5", "digest"]


@dataclass(frozen=True)
class Publisher(Located):
    """The publisher block at the foot of the front cover."""

    name: str = doc("publisher's name, set in small caps")
    address: str = doc("street address on one line, parts separated by •")


@dataclass(frozen=True)
class Distributor(Located):
    """The organisation that reprints and distributes the pamphlet (inside cover credits)."""

    name: str = doc("the organisation's name")
    address: list[str] = doc("address lines")
    project_of: str | None = doc("parent organisation ('a Project of: …')", default=None)
    phone: str | None = doc("telephone number", default=None)
    fax: str | None = doc("fax number", default=None)
    web: str | None = doc("web site address", default=None)
    email: str | None = doc("e-mail address", default=None)
    director: str | None = doc("director's name", default=None)
    director_title: str | None = doc("director's title", default=None)
    printed_in: str | None = doc("the line 'Printed in …'", default=None)

    def problems(self) -> list[tuple[str, str]]:
        """Links printed from these fields: the web site over http(s), a plain e-mail."""
        found = []
        if self.web and not re.match(r"https?://[^\s]+$", self.web, re.IGNORECASE):
            found.append(("web", f"web '{self.web}' must be an http:// or https:// address"))
        if self.email and not re.fullmatch(r"[^@\s:/]+@[^@\s:/]+\.[^@\s:/]+", self.email):
            found.append(("email", f"email '{self.email}' is not an e-mail address"))
        return found


@dataclass(frozen=True)
class FontFiles(Located):
    """One typeface: its font files in the project's `fonts/` folder."""

    regular: str = doc("upright file")
    italic: str | None = doc("italic file", default=None)
    bold: str | None = doc("bold file", default=None)
    bold_italic: str | None = doc("bold italic file", default=None)

    def faces(self) -> list[tuple[str, str, str]]:
        """Each given file with its CSS weight and style."""
        styles = [
            (self.regular, "400", "normal"),
            (self.italic, "400", "italic"),
            (self.bold, "700", "normal"),
            (self.bold_italic, "700", "italic"),
        ]
        return [(name, weight, style) for name, weight, style in styles if name]


@dataclass(frozen=True)
class Fonts(Located):
    """The series' typefaces; every glyph of the PDF comes from these files."""

    text: FontFiles = doc(
        "Latin text face",
        default=FontFiles(
            "CharisSIL-Regular.ttf",
            "CharisSIL-Italic.ttf",
            "CharisSIL-Bold.ttf",
            "CharisSIL-BoldItalic.ttf",
        ),
    )
    hebrew: FontFiles = doc(
        "Hebrew face",
        default=FontFiles("NotoSerifHebrew-Regular.ttf", bold="NotoSerifHebrew-Bold.ttf"),
    )


MAX_BLEED = 18.0  # points: 0.25in


def bleed_problems(bleed: str | None) -> list[tuple[str, str]]:
    """A bleed must be a length from 0 to 0.25in."""
    if bleed is None:
        return []
    try:
        size = points(bleed)
    except ValueError as err:
        return [("bleed", f"bleed: {err}")]
    if size < 0:
        return [("bleed", f"bleed '{bleed}' is negative")]
    if size > MAX_BLEED:
        return [("bleed", f"bleed '{bleed}' is more than 0.25in")]
    return []


@dataclass(frozen=True)
class SeriesFile(Located):
    """series.yaml: what stays the same from week to week."""

    title: str = doc("series title, the cover's display line")
    series_line: list[str] = doc("the lines under the title")
    author: str = doc("the author line on the title page ('by …')")
    publisher: Publisher = doc("publisher block on the front cover")
    distributor: Distributor = doc("credits on the inside front cover")
    back_cover: str = doc("back-cover text, Markdown; each line break is kept")
    current_issue: str = doc("folder (next to series.yaml) that `python build.py` builds")
    language: Language | None = doc("main language of the series (default: en)", default=None)
    trim: Trim | None = doc("trim size (default: half-letter)", default=None)
    layouts: str | None = doc(
        "the series' own layouts folder (next to this file): its templates and CSS "
        "replace the bundled ones file by file",
        default=None,
    )
    slug: str = doc("file-name prefix of the PDFs", default="pamphlet")
    bleed: str | None = doc(
        "bleed around each page of the print master, 0 to 0.25in (default: 0.125in)",
        default=None,
    )
    fillers: list[str] = doc(
        "Markdown pages (next to this file) that fill blank pages before the back cover, "
        "in this order",
        default_factory=list,
    )
    fonts: Fonts = doc("typefaces, as files in fonts/", default_factory=Fonts)
    people: str = doc(
        "people named in dedications, reused across issues (next to this file)",
        default="people.yaml",
    )
    schedule: Schedule | None = doc(
        "weekly portions: diaspora or Israel (default: diaspora)", default=None
    )
    dash: Literal["em", "en-spaced"] = doc(
        "the dash that -- and a spaced hyphen become: em (word—word) or en-spaced (word – word)",
        default="em",
    )
    no_hyphenation: list[str] = doc(
        "words never hyphenated, besides layouts/hyphenation.yaml and capitalised words",
        default_factory=list,
    )
    months: dict[str, str] = doc(
        "the publication's month spellings, by pyluach's name (Tammuz: Tamuz)",
        default_factory=dict,
    )

    def problems(self) -> list[tuple[str, str]]:
        """A bleed that is a length."""
        return bleed_problems(self.bleed)

    portions: dict[str, str] = doc(
        "the publication's portion spellings, by pyluach's name (Shemos: Shemot)",
        default_factory=dict,
    )


@dataclass(frozen=True)
class Parent(Located):
    """The father or mother named after 'ben'/'bas'."""

    given: str = doc("given names")
    title: str | None = doc("Reb, Horav, Mrs. …", default=None)
    tribe: str | None = doc("Halevi, Hakohen …", default=None)
    honorific: str | None = doc("Hebrew honorific printed after the name", default=None)
    hebrew_given: str | None = doc("the given names in Hebrew", default=None)
    hebrew_title: str | None = doc("the title in Hebrew (ר׳, הרב …)", default=None)
    hebrew_tribe: str | None = doc("the tribe in Hebrew (הלוי, הכהן …)", default=None)


@dataclass(frozen=True)
class Person(Located):
    """One person, couple or group named in a dedication (a record of people.yaml or inline)."""

    given: str | list[str] = doc("given names; a couple: a list of two")
    title: str | list[str] | None = doc(
        "Reb, Horav, Mrs., Rabbi & Mrs. …; or one title per given name", default=None
    )
    hebrew_given: str | list[str] | None = doc(
        "the given names in Hebrew, printed by a Hebrew issue", default=None
    )
    hebrew_title: str | list[str] | None = doc(
        "the title in Hebrew (ר׳, הרה״ת, מרת …), or one per given name", default=None
    )
    hebrew_tribe: str | None = doc("the tribe in Hebrew (הלוי, הכהן …)", default=None)
    hebrew_surname: str | None = doc("the family name in Hebrew", default=None)
    hebrew_place: str | None = doc("the place in Hebrew", default=None)
    also_known_as: str | None = doc("another name, printed in parentheses", default=None)
    tribe: str | None = doc("Halevi, Hakohen …", default=None)
    relation: Literal["ben", "bas", "bat"] | None = doc(
        "son or daughter of the parent", default=None
    )
    parent: Parent | None = doc("the parent named after ben/bas", default=None)
    surname: str | None = doc("family name, set apart in bold", default=None)
    place: str | None = doc("place, printed in parentheses after the surname", default=None)
    kind: Kind | None = doc(
        "man, woman, couple, family or women (default: from the names and ben/bas)",
        default=None,
    )
    rabbi: bool = doc("a rabbi: שליט״א while living, זצ״ל after passing", default=False)
    living: bool | None = doc(
        "living or deceased (default: deceased if a date of passing is given, else by "
        "where the record is used)",
        default=None,
    )
    passed: str | datetime.date | None = doc(
        "date of passing: Hebrew ('21 Tamuz 5766', 'כ״א תמוז תשס״ו') or civil (2006-07-17)",
        default=None,
    )
    passed_after_sunset: bool = doc(
        "a civil date of passing was after sunset (the Hebrew day had begun)", default=False
    )
    passed_as: str | None = doc(
        "the date of passing exactly as printed, instead of the computed one", default=None
    )
    adar: AdarCustom | None = doc(
        "died in Adar of a common year: yahrzeit in a leap year's Adar I, Adar II or both",
        default=None,
    )
    honorific: str | None = doc(
        'Hebrew honorific (default: computed, ע"ה, שיחי׳, שתחי׳, שיחיו …)', default=None
    )

    @property
    def given_names(self) -> list[str]:
        """The given names as a list: one for a person, two for a couple."""
        return [self.given] if isinstance(self.given, str) else list(self.given)

    @property
    def shared_title(self) -> str | None:
        """The title printed once before all the names ('Rabbi & Mrs.'), if there is one."""
        return self.title if isinstance(self.title, str) else None

    @property
    def titled_names(self) -> list[tuple[str | None, str]]:
        """Each given name with its own title (none when the title is shared)."""
        titles = self.title if isinstance(self.title, list) else [None] * len(self.given_names)
        return list(zip(titles, self.given_names, strict=False))

    def problems(self) -> list[tuple[str, str]]:
        """Contradictions between fields, as (field, message)."""
        found = []
        if isinstance(self.title, list) and len(self.title) != len(self.given_names):
            names, titles = len(self.given_names), len(self.title)
            found.append(("title", f"one title per given name: {names} names, {titles} titles"))
        if self.living and (self.passed or self.passed_as):
            found.append(("living", "a living person cannot have a date of passing"))
        return found

    @property
    def who(self) -> Kind:
        """Man, woman, couple, family or women: given, or from the names and ben/bas."""
        if self.kind:
            return self.kind
        if len(self.given_names) > 1:
            return "couple"
        return "woman" if self.relation in ("bas", "bat") else "man"

    @property
    def is_female(self) -> bool:
        """Whether the record names women only (for 'HIS'/'HER')."""
        return self.who in ("woman", "women")


@dataclass(frozen=True)
class MemorialBox(Located):
    """A framed memorial box at the back, sold to sponsors week by week."""

    person: str | Person = doc("the person remembered: a people.yaml name or a record")
    heading: str | None = doc(
        "the box's heading (default: the layout's, in the issue's language)", default=None
    )
    dedicated_by: str | None = doc(
        "the 'DEDICATED BY …' line (default from gender and donors)", default=None
    )
    donors: list[str | Person] = doc("who dedicated the box", default_factory=list)

    @property
    def dedicated_by_key(self) -> str:
        """Which default dedication line fits: his/her friend(s), one donor record or more."""
        female = isinstance(self.person, Person) and self.person.is_female
        pronoun = "her" if female else "his"
        plural = "s" if len(self.donors) != 1 else ""  # a couple is one friend's record
        return f"{pronoun}_friend{plural}"


@dataclass(frozen=True)
class Dedications(Located):
    """The week's dedications."""

    memorials: list[str | Person] = doc(
        "'IN LOVING MEMORY OF' on the inside cover: people.yaml names or records",
        default_factory=list,
    )
    honoring: list[str | Person] = doc("'AND IN HONOR OF': living people", default_factory=list)
    sponsors: list[str | Person] = doc("'DEDICATED BY': the sponsors", default_factory=list)
    memorial_boxes: list[MemorialBox] = doc("framed boxes at the back", default_factory=list)


@dataclass(frozen=True)
class Section(Located):
    """A titled group of articles, such as the talk excerpts."""

    section: str = doc("the section's heading")
    items: list[str] = doc("article files, relative to the issue file")


@dataclass(frozen=True)
class IssueFile(Located):
    """issue.yaml: one week's pamphlet."""

    date: datetime.date = doc("the Shabbat of the issue (YYYY-MM-DD)")
    volume: int = doc("volume number printed on the cover")
    contents: list[str | Section] = doc("articles in reading order: files or sections")
    portion: str | None = doc(
        "the week's portion (default: computed from the date; if given, it is checked)",
        default=None,
    )
    hebrew_year: int | None = doc(
        "Hebrew year (default: computed from the date; if given, it is checked)", default=None
    )
    series: str = doc("the series file, relative to this file", default="../series.yaml")
    language: Language | None = doc(
        "main language of the issue (default: the series')", default=None
    )
    dedications: Dedications = doc("the week's dedications", default_factory=Dedications)
    stylesheets: list[str] = doc("extra CSS files for this issue", default_factory=list)
    footnotes: Numbering | None = doc(
        "footnote numbers: 1, 2, 3 or א, ב, ג (default: numbers)", default=None
    )
    schedule: Schedule | None = doc("diaspora or Israel (default: the series')", default=None)
    trim: Trim | None = doc("trim size for this issue (default: the series')", default=None)
    bleed: str | None = doc("bleed of the print master (default: the series')", default=None)
    pages: int | None = doc(
        "the page count the booklet should come to, a multiple of 4 "
        "(default: the smallest that holds the content)",
        default=None,
    )

    def problems(self) -> list[tuple[str, str]]:
        """A bleed that is a length, a page count that folds into sheets."""
        found = bleed_problems(self.bleed)
        if self.pages is not None and (self.pages < 4 or self.pages % 4):
            found.append(("pages", f"pages: {self.pages} is not a multiple of 4"))
        return found


@dataclass(frozen=True)
class FrontMatter(Located):
    """The YAML block at the top of an essay or talk."""

    title: str = doc("the heading (a talk's number for talks)")
    kicker: str | None = doc("small line above the title", default=None)
    lead: str | None = doc("italic lead paragraph (Markdown)", default=None)
    source: str | None = doc("closing source line, without parentheses", default=None)
    language: Language | None = doc("en or he (default: from the text)", default=None)
    footnotes: Numbering | None = doc("footnote numbers (default: the issue's)", default=None)
    typography: bool = doc(
        "curly quotes, dashes and the line-break rules (false: print the text as typed)",
        default=True,
    )


@dataclass(frozen=True)
class CommunityRecord(Located):
    """Where an edition is read: its Shabbat times are printed on the back cover."""

    name: str = doc("the city or community, as printed")
    latitude: float = doc("degrees north (south is negative)")
    longitude: float = doc("degrees east (west is negative)")
    timezone: str = doc("IANA time zone, such as America/New_York or Asia/Jerusalem")
    elevation: float = doc(
        "metres above sea level (kept; Hebcal's default ignores it)", default=0.0
    )
    candle_minutes: int | None = doc(
        "candle lighting, minutes before sunset (default: 18, 40 in Jerusalem)", default=None
    )

    def problems(self) -> list[tuple[str, str]]:
        """Coordinates on the globe, a time zone that exists, a custom that makes sense."""
        import zoneinfo

        found = []
        if not -66.5 <= self.latitude <= 66.5:
            found.append(("latitude", f"latitude {self.latitude} is not between -66.5 and 66.5"))
        if not -180 <= self.longitude <= 180:
            found.append(("longitude", f"longitude {self.longitude} is not between -180 and 180"))
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            found.append(("timezone", f"'{self.timezone}' is not a time zone (Area/City)"))
        if self.candle_minutes is not None and not 0 <= self.candle_minutes <= 90:
            found.append(("candle_minutes", "candle_minutes must be 0 to 90"))
        return found


EDITION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@dataclass(frozen=True)
class Edition(Located):
    """One edition of the week: the same pamphlet with its own dedications and times."""

    id: str = doc("a short name, lower case letters, digits and hyphens (its files' folder)")
    copies: int = doc("how many to print", default=1)
    cover_line: str | None = doc("a line on the front cover ('Distributed by …')", default=None)
    community: CommunityRecord | None = doc(
        "where it is read: candle lighting and Shabbat's end on the back cover", default=None
    )
    dedications: Dedications | None = doc(
        "its dedications (default: the issue's), as in issue.yaml", default=None
    )
    binding: Literal["left", "right"] | None = doc(
        "the binding of its printer spreads (default: the issue's language's)", default=None
    )

    def problems(self) -> list[tuple[str, str]]:
        """A name that can be a folder; copies to print."""
        found = []
        if not EDITION_ID.fullmatch(self.id):
            found.append(("id", f"edition id '{self.id}' must be lower case letters, digits, -"))
        if not 1 <= self.copies <= 1_000_000:
            found.append(("copies", f"copies must be 1 or more, not {self.copies}"))
        return found


@dataclass(frozen=True)
class EditionsFile(Located):
    """editions.yaml: the editions of one week."""

    editions: list[Edition] = doc("one record an edition")
