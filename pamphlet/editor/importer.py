"""Import stage of the editor's desk: text pasted from a web page, a wiki or OCR made into an
article (Markdown with front matter), with every change listed by the line it concerns.

Pure functions, text in and text out: `decode` (the bytes of a file), `import_text` (the
article's body, title, source and language, and the changes), `article_text` (the whole
file), `slug` (its name) and `add_to_contents` (the new text of issue.yaml). The command
reads and writes the files.

The rules, in the order they are applied:

1. Reading. Bytes are UTF-8 (or UTF-16 with its byte-order mark); failing that,
   Windows-1255 when that gives Hebrew, else Latin-1. HTML (text that starts with a tag,
   or `html=True`) is converted to Markdown by markdownify first; line numbers are then
   those of the converted text. Links that paper cannot carry keep only their text;
   images, navigation, page footers, forms and scripts are left out.
2. Mojibake, line by line. ftfy repairs UTF-8 read as Latin-1 or Windows-125x ("CafÃ©" →
   "Café", "×©×œ×•×" → "שלום"), with its fixes that change good text (quotes,
   ligatures, widths, Unicode normalization, HTML entities) turned off. Two Hebrew cases
   ftfy does not know are repaired when a line without Hebrew letters decodes cleanly:
   UTF-8 read as Windows-1255 ("׳©׳œ׳•׳" → "שלום"), and Windows-1255 read as Latin-1
   ("ùìåí" → "שלום": most of the line's words made only of the letters à to ú).
3. Leftovers removed. Whole lines: "Jump to navigation", "קפיצה לניווט", "From Wikipedia,
   …", "Retrieved from …", "אוחזר מתוך …", categories, "last edited", and breadcrumbs
   ("Main page > Topics > …": short parts between > › » < ‹ «, three or more parts or a
   home page first). Anywhere: "[edit]", "[עריכה]", "[citation needed]", "[דרוש מקור]"
   and their kin. At the end of a short line: "Edit" / "עריכה", written on by a wiki's
   edit links, when at least two lines of the text end so (one line alone may mean it).
4. Headings (`##`; `###` for wiki `===` and Markdown `###` or deeper): Markdown `#` lines,
   wiki `== X ==`, lines that carried an edit link, and a line that starts a block (after
   a blank line, the start, or a line that ends a sentence), is followed by a line that
   begins with a capital, a Hebrew letter or a digit, and does not end with . , ; : ! ? or
   a dash: English in title case (at most 80 characters; small words such as "of", "the"
   may be lower case), Hebrew (at most 60 characters and 8 words), or a numbered section
   line ("2. Sources", "II. The Sages") that is not followed by another numbered line.
5. Paragraphs. Two lines are one paragraph when the first does not end a sentence
   (. ! ? : ׃ … before closing quotes, brackets, emphasis and note markers), except that a
   long line (120 characters or more: a paragraph pasted whole) continues only with a line
   that begins in lower case. A line that ends a sentence ends its paragraph (web text:
   one paragraph a line), except in hard-wrapped text (a block of 3 lines or more, none
   over 100 characters, most of them near the longest, as OCR gives): there a paragraph
   ends at a sentence end on a line shorter than 85% of the longest, or before an
   indented line. Across blank lines, a paragraph that does not end a sentence continues
   with one that begins with a lower-case letter (a page break of a PDF or a scan).
   Bullets (• · ▪ ● ◦ ‣, and - * + after a sentence end) and numbers ("1." "1)", and
   "(1)" "[1]" kept as numbered paragraphs) at the start of a line begin list items, after
   a sentence end or after the item numbered one less; "* * *", Markdown quotes and
   note definitions are kept as written.
6. Hyphens at a line end. A hyphen between two lower-case parts is a break of the
   typesetter's, not the author's spelling: "re-" + "demption" is joined as "redemption";
   unless the text elsewhere writes the pair with its hyphen ("well-known"), or the next
   word is "and", "or", "nor" or "to" ("pre- and post-war"). Before a capital, a digit or
   Hebrew, or after a capital, the hyphen is the author's and stays ("Ben-Gurion",
   "1948-1950", "בית-המקדש"), and so does a maqaf (־). A dash at a line end (" -", "–",
   "—", "--") stays, followed by a space. Each join is reported, so the editor can check.
7. Footnotes. Markers: superscript digits (¹²³, not after a digit: an exponent),
   `<sup>1</sup>`, `[1]`, and `(1)` glued to the word before it (only when the text has
   notes and no marker of another kind: "(1)" after a space is the author's own
   numbering). Notes: the numbered lines ("1." "1)" "[1]", or "^" / "↑" lines numbered by
   their place) under a heading "Notes", "References", "Footnotes", "הערות", "מקורות" …;
   or a run of numbered lines each of whose numbers is called by a superscript marker
   before it (notes at the foot of a printed page). The k-th call of n takes the k-th
   note n, or else the last one (a wiki cites a note again). A `[1]`, `<sup>` or
   superscript marker without a note is removed (a wiki's reference to a list that was
   not pasted); a note without a marker stays, a numbered line under its heading; both
   are reported as problems. A heading whose notes all became footnotes is removed.
8. Title: the one given, else the first heading (taken out of the text when it opens
   it), else the first line. Source: a closing paragraph wholly in parentheses ("(From
   the talks of …)") becomes the front matter's `source` (the layout prints it in
   parentheses). Language: `he` when Hebrew letters outnumber Latin ones.

Never done here: typography (quotes, dashes, spaces: the pipeline does it); and no word of
the author's is changed, dropped or reordered (Hebrew stays in its logical order) beyond
the leftover, marker and hyphen rules above. A paragraph that would read as Markdown
syntax ("1948. That year …") has that syntax escaped.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import ftfy
import yaml
from markdownify import MarkdownConverter
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..direction import text_language
from ..editing import dump_round_trip, round_trip
from ..errors import PamphletError

Kind = Literal["essay", "talk"]

LONG_LINE = 120  # characters: a paragraph pasted whole, not a wrapped line
WRAPPED_WIDTH = 100  # characters: no wrapped line is longer
HEADING_CHARS, HEBREW_HEADING_CHARS, HEBREW_HEADING_WORDS = 80, 60, 8


@dataclass(frozen=True)
class Change:
    """One thing the import changed or could not do, at a line of the input."""

    line: int
    text: str
    problem: bool = False  # the editor must look: a note without its marker …

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


@dataclass(frozen=True)
class Imported:
    """An article made of pasted text: the Markdown body and what goes above it."""

    body: str
    title: str
    source: str | None
    language: str | None  # "he", or None: the text says
    changes: list[Change]


# -- reading ---------------------------------------------------------------------------------

_HEBREW = re.compile("[\u05d0-\u05ea\ufb1d-\ufb4f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def decode(data: bytes) -> tuple[str, list[Change]]:
    """The text of a file: UTF-8 (or UTF-16 with its mark), else Windows-1255 when that
    gives Hebrew, else Latin-1 (whose mojibake `import_text` then repairs); control
    characters (a NUL, a form feed from a PDF) taken out."""
    text, changes = _decoded(data)
    return _without_controls(text, changes)


def _decoded(data: bytes) -> tuple[str, list[Change]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1255")
        if text_language(text) == "he":
            return text, [Change(1, "read as Windows-1255: the file is not UTF-8")]
    except UnicodeDecodeError:
        pass
    return data.decode("latin-1"), [Change(1, "read as Latin-1: the file is not UTF-8")]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(text: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """The text without control characters (tab and line ends kept), each line reported."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        found = sorted(set(_CONTROL.findall(line)))
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            changes.append(Change(number, f"removed control characters ({names})"))
            lines[number - 1] = _CONTROL.sub("", line)
    return "\n".join(lines), changes


_TAG_START = re.compile(r"\s*<(?:!doctype|!--|[a-z][a-z0-9]*[\s/>])", re.IGNORECASE)
_PRINTABLE_LINK = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)


class _Converter(MarkdownConverter):
    """markdownify, keeping what paper can carry: links a reader can follow, note calls as
    `<sup>`; leaving out images and the site's own furniture."""

    def __init__(self) -> None:
        super().__init__(heading_style="ATX", bullets="-")
        self.left_out: Counter[str] = Counter()

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "")
        inner = text.strip()
        if not inner or not _PRINTABLE_LINK.match(href):
            return text
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return f"{lead}[{inner}]({href}){trail}"

    def convert_sup(self, el: Any, text: str, parent_tags: set[str]) -> str:
        """A note's call stays a call (`<sup>1</sup>`); other superscripts are text."""
        inner = text.strip()
        return f"<sup>{inner}</sup>" if re.fullmatch(r"\[?\d{1,3}\]?", inner) else text

    def _leave_out(self, el: Any, text: str, parent_tags: set[str]) -> str:
        self.left_out[str(el.name)] += 1
        return ""

    convert_img = convert_nav = convert_footer = convert_aside = _leave_out
    convert_form = convert_button = convert_noscript = convert_iframe = _leave_out
    convert_svg = convert_select = convert_script = convert_style = _leave_out
    convert_head = convert_title = _leave_out


def _from_html(text: str) -> tuple[str, Change]:
    converter = _Converter()
    markdown = converter.convert(text)
    unseen = ("script", "style", "head", "title")
    furniture = sorted(name for name in converter.left_out if name not in unseen)
    note = f" (left out: {', '.join(f'<{name}>' for name in furniture)})" if furniture else ""
    return markdown, Change(1, f"converted HTML to Markdown{note}")


# -- lines, mojibake, leftovers --------------------------------------------------------------


@dataclass
class _Line:
    number: int
    text: str
    heading: bool = False  # it carried a wiki's edit link


_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")


def _lines(text: str) -> list[_Line]:
    text = _BREAKS.sub("\n", text.removeprefix("\ufeff"))
    return [_Line(number, line.rstrip()) for number, line in enumerate(text.split("\n"), 1)]


_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)


def _repair(lines: list[_Line], changes: list[Change]) -> None:
    """Mojibake repaired, line by line; what cannot be repaired is reported."""
    for line in lines:
        if line.text.isascii():
            continue
        fixed = None if _HEBREW.search(line.text) else _hebrew_misread(line.text)
        fixed = fixed or ftfy.fix_text(line.text, _FTFY)
        if fixed != line.text:
            was, now = _first_difference(line.text, fixed)
            changes.append(Change(line.number, f"repaired garbled characters: '{was}' → '{now}'"))
            line.text = fixed
        if "\ufffd" in fixed:
            changes.append(Change(line.number, "garbled characters (�) cannot be repaired", True))


def _hebrew_misread(text: str) -> str | None:
    return _utf8_read_as_cp1255(text) or _cp1255_read_as_latin1(text)


def _utf8_read_as_cp1255(text: str) -> str | None:
    """Hebrew in UTF-8 read as Windows-1255: every letter begins with ׳ (byte D7)."""
    if text.count("\u05f3") < 2:
        return None
    data = bytearray()
    for char in text:
        if 0x80 <= ord(char) <= 0x9F:  # a byte Windows-1255 leaves undefined, kept as is
            data.append(ord(char))
            continue
        try:
            data += char.encode("cp1255")
        except UnicodeEncodeError:
            return None
    try:
        fixed = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if _HEBREW.search(fixed) else None


_LATIN_RUN = re.compile("[A-Za-z\u00c0-\u00ff]+")
_CP1255_LETTERS = re.compile("[\u00e0-\u00fa]+")


def _cp1255_read_as_latin1(text: str) -> str | None:
    """Hebrew in Windows-1255 read as Latin-1: words made only of à to ú (א to ת)."""
    runs = _LATIN_RUN.findall(text)
    garbled = [run for run in runs if _CP1255_LETTERS.fullmatch(run) and len(run) > 1]
    if len(garbled) < 2 or 2 * len(garbled) <= len(runs):
        return None
    return _CP1255_LETTERS.sub(lambda m: m.group().encode("latin-1").decode("cp1255"), text)


def _first_difference(was: str, now: str) -> tuple[str, str]:
    """The first word a repair changed, before and after (controls written out)."""
    pairs = [(old, new) for old, new in zip(was.split(), now.split(), strict=False) if old != new]
    old, new = pairs[0] if pairs else (was.strip(), now.strip())
    return _visible(old), _visible(new)


def _visible(text: str) -> str:
    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


_LEFTOVER_LINE = re.compile(
    r"\s*(?:jump\ to:?\ (?:navigation|search|content)(?:,?\s+(?:jump\ to\ )?(?:navigation|search))*"
    r"|from\ wikipedia,\ the\ free\ encyclopedia|retrieved\ from\b.*"
    r"|this\ page\ was\ last\ (?:edited|modified)\b.*|(?:hidden\ )?categor(?:y|ies):.*"
    r"|קפיצה\ ל(?:ניווט|חיפוש)(?:\s+קפיצה\ ל(?:ניווט|חיפוש))*"
    r"|מתוך\ ויקיפדיה,\ האנציקלופדיה\ החופשית|אוחזר\ מתוך.*"
    r"|קטגורי(?:ה|ות)(?:\ מוסתרות)?:.*|דף\ זה\ (?:נערך|שונה)\ לאחרונה.*)\s*",
    re.IGNORECASE | re.VERBOSE,
)
_CRUMB = re.compile(r"\s+[>›»<‹«]\s+")
_HOME = {"main page", "home", "home page", "homepage", "עמוד ראשי", "דף הבית", "ראשי"}
_INLINE_LEFTOVER = re.compile(
    r"\s?\[\s*(?:(?:edit|עריכה)(?:\s*\|\s*(?:edit\s+source|עריכת קוד מקור))?"
    r"|edit\s+source|עריכת קוד מקור"
    r"|citation needed|clarification needed|verification needed|page needed|dubious[^\]]{0,20}"
    r"|according to whom\?|by whom\?|who\?|when\?|which\?|דרוש מקור|דרושה הבהרה|מקור\?)\s*\]",
    re.IGNORECASE,
)
_EDIT_LINK = re.compile(r"\[\s*(?:edit|עריכה|עריכת)", re.IGNORECASE)
_TRAILING_EDIT = re.compile(
    r"(?P<head>\S.*?)(?P<edit>(?<=[a-z0-9)\]'’\"])Edit|\s+Edit"
    r"|(?<=[\u05d0-\u05ea)\]'\"])עריכה|\s+עריכה)"
)


def _remove_leftovers(lines: list[_Line], changes: list[Change]) -> None:
    """Navigation lines, edit links and maintenance tags taken out, each reported."""
    for line in lines:
        if _LEFTOVER_LINE.fullmatch(line.text) or _is_crumb(line.text):
            changes.append(Change(line.number, f"removed '{line.text.strip()}'"))
            line.text = ""
            continue
        _remove_inline(line, changes)
    trailing = [(line, m) for line in lines if (m := _trailing_edit(line.text))]
    if len(trailing) >= 2:
        for line, found in trailing:
            changes.append(Change(line.number, f"removed '{found.group('edit').strip()}'"))
            line.text, line.heading = found.group("head").rstrip(), True


def _remove_inline(line: _Line, changes: list[Change]) -> None:
    """Edit links and maintenance tags out of a line; a short line that had an edit link
    is a wiki's heading."""
    tags = [m.group().strip() for m in _INLINE_LEFTOVER.finditer(line.text)]
    changes.extend(Change(line.number, f"removed '{tag}'") for tag in tags)
    line.text = _INLINE_LEFTOVER.sub("", line.text).rstrip()
    linked = any(_EDIT_LINK.match(tag) for tag in tags)
    line.heading = linked and len(line.text) <= 100 and not _ends_clause(line.text)


def _is_crumb(text: str) -> bool:
    """A breadcrumb line: Main page > Topics > Redemption."""
    parts = _CRUMB.split(text.strip())
    if len(parts) < 2 or len(text) > 150:
        return False
    if any(not _LETTERS.search(p) or len(p.split()) > 6 or _ends_sentence(p) for p in parts):
        return False
    return len(parts) >= 3 or parts[0].casefold() in _HOME


def _trailing_edit(text: str) -> re.Match[str] | None:
    found = _TRAILING_EDIT.fullmatch(text.strip())
    if not found or len(text) > 100:
        return None
    head = found.group("head")
    return found if _LETTERS.search(head) and not _ends_clause(head) else None


# -- sentences, headings ---------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TRAILING_NOISE = re.compile(
    rf"(?:\s|[*_]|\[\^?\w+\]|<sup>[^<]*</sup>|[{_SUPERSCRIPTS}]+|[\"'”’»)\]])+$"
)
_SENTENCE_ENDS = tuple(".!?:׃…")
_CLAUSE_ENDS = (*_SENTENCE_ENDS, ",", ";", "-", "–", "—", "־")
_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "from", "if", "in", "into", "nor",
    "of", "on", "onto", "or", "over", "per", "than", "the", "to", "unto", "upon", "via", "vs",
    "with",
}  # fmt: skip
_SECTION_NUMBER = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.)\s+(?=\S)")
_OPENING = re.compile(r"^[\s*_\"'“‘(\[«]*")


def _ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (before closing quotes, brackets, markers)."""
    return _TRAILING_NOISE.sub("", text).endswith(_SENTENCE_ENDS)


def _ends_clause(text: str) -> bool:
    return _TRAILING_NOISE.sub("", text).endswith(_CLAUSE_ENDS)


def _starts_lower(text: str) -> bool:
    rest = _OPENING.sub("", text)
    return rest[:1].islower()


def _starts_capital(text: str) -> bool:
    """Begins (after opening quotes and emphasis) with a capital, Hebrew or a digit."""
    first = _OPENING.sub("", text)[:1]
    return first.isupper() or first.isdigit() or bool(_HEBREW.match(first))


def _is_hebrew(text: str) -> bool:
    return text_language(text) == "he"


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if _LATIN.match(w)]
    if not words or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.casefold() in _SMALL_WORDS for w in words)


def _looks_like_heading(text: str, following: str | None) -> bool:
    """A short line, not ending a clause, before a line that begins a sentence and does not
    look like a heading itself (a run of short lines is a title page, or names)."""
    if following is None or not _starts_capital(following):
        return False
    return _short_title(text) and not _short_title(following)


def _short_title(text: str) -> bool:
    text = text.strip()
    if _ends_clause(text):
        return False
    number = _SECTION_NUMBER.match(text)
    words = text[number.end() :] if number else text
    if _is_hebrew(words):
        return len(text) <= HEBREW_HEADING_CHARS and len(text.split()) <= HEBREW_HEADING_WORDS
    return len(text) <= HEADING_CHARS and _title_case(words)


# -- blocks: paragraphs, headings, list items -------------------------------------------------


@dataclass
class _Unit:
    """A block of the article: a paragraph, a heading, a list item, a rule, a quotation,
    or Markdown kept as written (a note definition)."""

    kind: str  # para, heading, item, rule, quote, raw
    line: int
    text: str
    last: str = ""  # the last input line joined into it
    level: int = 2
    marker: str = ""  # a list item's: "- ", "3. ", "[3] ", "^ "
    number: int | None = None
    lines: int = 1
    wrap: int = 0  # the width of the hard-wrapped text it comes from

    def __post_init__(self) -> None:
        self.last = self.last or self.text


@dataclass
class _Shape:
    """How a block of lines is laid out: hard-wrapped (OCR) and its width."""

    wrapped: bool
    width: int


@dataclass
class _Context:
    changes: list[Change]
    vocabulary: set[str]


_RULE = re.compile(r"\s*(?:[-*_]\s*){3,}|\s*(?:\\\*\s*){3,}")
_ATX = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*")
_WIKI_HEADING = re.compile(r"\s*(={2,6})\s*(.+?)\s*\1\s*")
_NOTE_DEFINITION = re.compile(r"\[\^[^\]\s]+\]:")
_QUOTE = re.compile(r"\s{0,3}>")
_BULLET = re.compile(r"\s*[•·▪●◦‣○■►]\s*(?=\S)")
_MARKDOWN_BULLET = re.compile(r"\s*[-*+]\s+(?=\S)")
_NUMBERED = re.compile(r"\s*(?:\d{1,3}[.)]|\[\d{1,3}\]|\(\d{1,3}\))\s+(?=\S)")
_LIST_MARKER = re.compile(r"- |\d+[.)] ")
_CARET = re.compile(r"\s*[\^↑]\s*(?=\S)")


def _blocks(lines: list[_Line], context: _Context) -> list[_Unit]:
    """The lines grouped into blocks; blank lines separate groups."""
    groups: list[list[_Line]] = [[]]
    for line in lines:
        if line.text.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    units: list[_Unit] = []
    for index, group in enumerate(groups):
        after = groups[index + 1][0].text if index + 1 < len(groups) else None
        units += _group_units(group, after, context)
    return units


def _group_units(group: list[_Line], after: str | None, context: _Context) -> list[_Unit]:
    """The blocks of lines that have no blank line between them."""
    shape = _shape(group)
    units: list[_Unit] = []
    for index, line in enumerate(group):
        current = units[-1] if units else None
        following = group[index + 1].text if index + 1 < len(group) else after
        ended = current is None or current.kind not in ("para", "item") or _ends(current, line)
        unit = _structural(line, ended, following, context, current)
        if unit is None and current is not None and not ended:
            _append(current, line, context)
            continue
        if unit is None:
            unit = _plain(line, following, shape, context)
            if current and current.kind == "para" and unit.kind == "para":
                context.changes.append(
                    Change(line.number, "a single line break taken as a paragraph break")
                )
        if unit.kind == "quote" and current and current.kind == "quote":
            current.text += "\n" + unit.text
            continue
        units.append(unit)
    return units


def _shape(group: list[_Line]) -> _Shape:
    lengths = [len(line.text.strip()) for line in group]
    width = max(lengths)
    inner = lengths[:-1]
    near = sum(length >= 0.75 * width for length in inner)
    return _Shape(len(group) >= 3 and width <= WRAPPED_WIDTH and 3 * near >= 2 * len(inner), width)


def _ends(current: _Unit, line: _Line) -> bool:
    """Whether the block before this line ends there (see the module's rule 5)."""
    last, text = current.last.strip(), line.text
    if last.endswith("־") or re.search(r"[^\W\d_]-$", last):
        return False
    if len(last) >= LONG_LINE and not _ends_sentence(last):
        return not _starts_lower(text)
    if not _ends_sentence(last):
        return False
    inside_wrapped = len(last) >= 0.85 * current.wrap and text[:1] not in (" ", "\t")
    return not (current.wrap and inside_wrapped)


def _structural(
    line: _Line, ended: bool, following: str | None, context: _Context, current: _Unit | None
) -> _Unit | None:
    """A line whose form makes it a block of its own: heading, rule, list item, quote."""
    text, number = line.text, line.number
    if m := _ATX.fullmatch(text):
        return _Unit("heading", number, m.group(2), level=2 if len(m.group(1)) <= 2 else 3)
    if m := _WIKI_HEADING.fullmatch(text):
        return _heading(number, m.group(2), 2 if len(m.group(1)) == 2 else 3, context, "'=='")
    if line.heading:
        return _heading(number, text.strip(), 2, context, "an edit link's line")
    if _RULE.fullmatch(text):
        return _Unit("rule", number, text.strip())
    if _NOTE_DEFINITION.match(text):
        return _Unit("raw", number, text.strip())
    if _QUOTE.match(text):
        return _Unit("quote", number, text.strip())
    return _list_item(line, ended, following, context, current)


def _heading(number: int, text: str, level: int, context: _Context, why: str) -> _Unit:
    context.changes.append(Change(number, f"'{text}' made a heading ({why})"))
    return _Unit("heading", number, text, level=level)


def _list_item(
    line: _Line, ended: bool, following: str | None, context: _Context, current: _Unit | None
) -> _Unit | None:
    text, number = line.text, line.number
    if m := _BULLET.match(text):
        context.changes.append(Change(number, f"'{text.strip()[0]}' line made a list item"))
        return _Unit("item", number, text[m.end() :], marker="- ")
    if ended and (m := _MARKDOWN_BULLET.match(text)):
        return _Unit("item", number, text[m.end() :], marker="- ")
    if (m := _NUMBERED.match(text)) and (ended or _next_in_list(current, m)):
        if ended and not _NUMBERED.match(following or "") and _looks_like_heading(text, following):
            return _heading(number, text.strip(), 2, context, "a numbered section")
        marker = m.group().strip() + " "
        return _Unit("item", number, text[m.end() :], marker=marker, number=_digits(marker))
    if ended and (m := _CARET.match(text)):
        return _Unit("item", number, text[m.end() :], marker=text.strip()[0] + " ")
    return None


def _next_in_list(current: _Unit | None, m: re.Match[str]) -> bool:
    """A numbered line after the item numbered one less: the list goes on, even when the
    item before does not end a sentence (a note "1. Sanhedrin 97b")."""
    number = _digits(m.group())
    return current is not None and current.kind == "item" and current.number == number - 1


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _plain(line: _Line, following: str | None, shape: _Shape, context: _Context) -> _Unit:
    """A line that starts a block: a heading by its looks, else a paragraph."""
    text = line.text.strip()
    if _looks_like_heading(text, following):
        return _heading(line.number, text, 2, context, "a short line before a sentence")
    return _Unit("para", line.number, text, wrap=shape.width if shape.wrapped else 0)


_JOINING_WORDS = {"and", "or", "nor", "to"}
_WORD_HYPHEN = re.compile(r"([^\W\d_][\w'’]*)-$")
_FIRST_WORD = re.compile(r"[^\W\d_][\w'’]*")
_DASH_END = re.compile(r"(?:\s-|--|[–—])$")


def _append(unit: _Unit, line: _Line, context: _Context) -> None:
    """The line joined to the block it continues."""
    unit.text = _join(unit.text, line.text.strip(), line.number, context)
    unit.last = line.text
    unit.lines += 1


def _join(before: str, after: str, number: int, context: _Context) -> str:
    """Two pieces of one paragraph, with the hyphen rule (rule 6) where the first ends in
    a hyphen."""
    if before.endswith("־"):
        return before + after
    first = _WORD_HYPHEN.search(before)
    if first is None or _DASH_END.search(before):
        return f"{before} {after}"
    second = _FIRST_WORD.match(after)
    start, part = first.group(1), second.group() if second else ""
    if not (part[:1].islower() and start[-1].islower()):
        context.changes.append(
            Change(number, f"kept the hyphen of '{start}-{part or after.split()[0]}'")
        )
        return before + after
    if part.casefold() in _JOINING_WORDS:
        context.changes.append(Change(number, f"kept the hyphen of '{start}-' (before '{part}')"))
        return f"{before} {after}"
    if f"{start}-{part}".casefold() in context.vocabulary:
        context.changes.append(
            Change(number, f"kept the hyphen of '{start}-{part}' (so written elsewhere)")
        )
        return before + after
    context.changes.append(
        Change(number, f"joined '{start}-' and '{part}' as '{start}{part}' (a line-end break)")
    )
    return before[:-1] + after


def _vocabulary(lines: Iterable[_Line]) -> set[str]:
    """Every word of the text as written on one line, hyphenated ones whole."""
    pattern = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)+")
    return {w.casefold() for line in lines for w in pattern.findall(line.text)}


def _join_page_breaks(units: list[_Unit], context: _Context) -> list[_Unit]:
    """A paragraph cut by blank lines mid-sentence continues with one in lower case."""
    kept: list[_Unit] = []
    for unit in units:
        before = kept[-1] if kept else None
        if (
            before is not None
            and before.kind == unit.kind == "para"
            and not _ends_sentence(before.text)
            and _starts_lower(unit.text)
        ):
            context.changes.append(Change(unit.line, "joined a paragraph split by a blank line"))
            before.text = _join(before.text, unit.text, unit.line, context)
            continue
        kept.append(unit)
    return kept


# -- footnotes -------------------------------------------------------------------------------

_NOTES_TITLES = {
    "notes", "references", "footnotes", "endnotes", "citations", "sources and notes",
    "notes and references", "references and notes", "הערות", "הערות שוליים", "מקורות",
    "מקורות והערות", "הערות ומקורות", "הערות והפניות", "מראי מקומות",
}  # fmt: skip
_MARKER = re.compile(
    r"<sup>\s*\[?(?P<sup>\d{1,3})\]?\s*</sup>"
    rf"|(?<![\d{_SUPERSCRIPTS}])(?P<super>[{_SUPERSCRIPTS}]+)"
    r"|\s?\[(?P<bracket>\d{1,3})\]"
    r"|(?<=[^\s(\[])\((?P<paren>\d{1,3})\)"
)
_BACKLINKS = re.compile(r"^(?:[\^↑]\s*)?(?:a(?:\s+[b-z])+\s+)?")
_SUPER_DIGITS = str.maketrans(_SUPERSCRIPTS, "0123456789")


@dataclass
class _Note:
    number: int
    text: str
    line: int
    unit: _Unit
    heading: _Unit | None
    label: str = ""


@dataclass
class _Calls:
    """The pairing of markers with notes, as it goes through the text."""

    notes: dict[int, list[_Note]]
    kinds: set[str]
    context: _Context
    seen: Counter[int] = field(default_factory=Counter)
    called: list[_Note] = field(default_factory=list)


def _is_notes_title(text: str) -> bool:
    return text.strip().strip("*_:").strip().casefold() in _NOTES_TITLES


def _notes_under_headings(units: list[_Unit]) -> list[_Note]:
    """The notes listed under a Notes / References / הערות heading."""
    notes: list[_Note] = []
    for index, unit in enumerate(units):
        if unit.kind not in ("heading", "para") or not _is_notes_title(unit.text):
            continue
        for place, item in enumerate(_run_of_items(units, index + 1), 1):
            number = item.number if item.number is not None else place
            notes.append(_Note(number, item.text, item.line, item, unit))
    return notes


def _run_of_items(units: list[_Unit], start: int) -> list[_Unit]:
    run: list[_Unit] = []
    for unit in units[start:]:
        if unit.kind != "item" or unit.marker == "- ":
            break
        run.append(unit)
    return run


def _notes_at_page_feet(units: list[_Unit], taken: list[_Note]) -> list[_Note]:
    """Numbered lines each called by a superscript marker above them: a page's notes."""
    used = {id(note.unit) for note in taken}
    called: set[int] = set()
    notes: list[_Note] = []
    for index, unit in enumerate(units):
        if unit.kind == "item" and unit.number is not None and id(unit) not in used:
            run = [u for u in _run_of_items(units, index) if u.number is not None]
            if run and all(u.number in called for u in run):
                for item in run:
                    used.add(id(item))
                    notes.append(_Note(item.number or 0, item.text, item.line, item, None))
            continue
        for m in _MARKER.finditer(unit.text):
            if m.group("sup") or m.group("super"):
                called.add(_marker_number(m))
    return notes


def _marker_number(m: re.Match[str]) -> int:
    kind = _marker_kind(m)
    return int(m.group(kind).translate(_SUPER_DIGITS))


def _marker_kind(m: re.Match[str]) -> str:
    return next(k for k in ("sup", "super", "bracket", "paren") if m.group(k) is not None)


def _footnotes(units: list[_Unit], context: _Context) -> tuple[list[_Unit], list[str]]:
    """Markers and notes paired into Markdown footnotes (rule 7): the blocks left, and
    the note definitions."""
    notes = _notes_under_headings(units)
    notes += _notes_at_page_feet(units, notes)
    note_units = {id(note.unit) for note in notes}
    body = [u for u in units if id(u) not in note_units and u.kind in ("para", "item", "heading")]
    kinds = {_marker_kind(m) for u in body for m in _MARKER.finditer(u.text)}
    if kinds - {"paren"} or not notes:
        kinds.discard("paren")
    by_number: dict[int, list[_Note]] = {}
    for note in notes:
        by_number.setdefault(note.number, []).append(note)
    calls = _Calls(by_number, kinds, context)
    for unit in body:
        unit.text = _MARKER.sub(functools.partial(_call, unit=unit, calls=calls), unit.text)
    return _without_called(units, notes, calls, context), _definitions(calls)


def _call(m: re.Match[str], unit: _Unit, calls: _Calls) -> str:
    kind = _marker_kind(m)
    if kind not in calls.kinds:
        return m.group()
    number = _marker_number(m)
    calls.seen[number] += 1
    candidates = calls.notes.get(number, [])
    if not candidates:
        if kind == "paren":
            return m.group()
        shown = m.group().strip()
        calls.context.changes.append(
            Change(unit.line, f"marker {shown} has no note: removed", problem=True)
        )
        return ""
    note = candidates[min(calls.seen[number], len(candidates)) - 1]
    if not note.label:
        rank = candidates.index(note) + 1
        note.label = str(number) if rank == 1 else f"{number}-{rank}"
        calls.called.append(note)
    return f"[^{note.label}]"


def _without_called(
    units: list[_Unit], notes: list[_Note], calls: _Calls, context: _Context
) -> list[_Unit]:
    """The blocks without the notes that became footnotes (and their heading when all
    did); a note nobody calls stays where it was, reported."""
    gone: set[int] = set()
    for note in notes:
        note.unit.text = _BACKLINKS.sub("", note.unit.text)
        if note.label:
            gone.add(id(note.unit))
            context.changes.append(Change(note.line, f"note {note.number} made a footnote"))
        else:
            context.changes.append(
                Change(note.line, f"note {note.number} has no marker in the text", problem=True)
            )
    for heading in {id(n.heading): n.heading for n in notes if n.heading}.values():
        if all(n.label for n in notes if n.heading is heading):
            gone.add(id(heading))
            context.changes.append(Change(heading.line, f"removed the heading '{heading.text}'"))
    for unit, after in zip(units, units[1:], strict=False):
        if unit.kind == "rule" and id(after) in gone:  # the rule above a page's notes
            gone.add(id(unit))
            context.changes.append(Change(unit.line, f"removed the '{unit.text}' above the notes"))
    return [u for u in units if id(u) not in gone]


def _definitions(calls: _Calls) -> list[str]:
    return [f"[^{note.label}]: {_BACKLINKS.sub('', note.text)}" for note in calls.called]


# -- title, source, language, Markdown --------------------------------------------------------


def _take_title(units: list[_Unit], given: str | None, changes: list[Change]) -> str:
    """The title (rule 8); a heading that opens the text and is the title is taken out."""
    first = units[0] if units else None
    if given is not None:
        if first and first.kind == "heading" and first.text.casefold() == given.casefold():
            units.pop(0)
            changes.append(Change(first.line, f"the heading '{first.text}' is the title"))
        return given
    heading = next((u for u in units if u.kind == "heading"), None)
    if heading is first and first is not None:
        units.pop(0)
        changes.append(Change(first.line, f"the heading '{first.text}' made the title"))
        return _unemphasized(first.text)
    if heading is not None:
        changes.append(Change(heading.line, f"title from the heading '{heading.text}' (kept)"))
        return _unemphasized(heading.text)
    if first is None:
        return ""
    title = _shortened(_first_sentence(first.text))
    changes.append(Change(first.line, f"no heading: the title is the first line's '{title}'"))
    return title


def _unemphasized(text: str) -> str:
    """A title without the emphasis that wraps it whole (the layout sets titles)."""
    found = _EMPHASIS.match(text.strip())
    return found.group(2).strip() if found else text.strip()


def _first_sentence(text: str) -> str:
    found = re.match(r".+?[.!?׃](?=\s|$)", text)
    return found.group() if found else text


def _shortened(text: str, limit: int = HEADING_CHARS) -> str:
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


_EMPHASIS = re.compile(r"^([*_]{1,2})(.*)\1$")


def _drop_closing_rules(units: list[_Unit], changes: list[Change]) -> None:
    """A rule with nothing after it (it stood before the notes) separates nothing."""
    while units and units[-1].kind == "rule":
        changes.append(Change(units[-1].line, f"removed the closing '{units[-1].text}'"))
        units.pop()


def _take_source(units: list[_Unit], changes: list[Change]) -> str | None:
    """A closing paragraph wholly in parentheses: the article's source."""
    last = units[-1] if units else None
    if last is None or last.kind != "para" or len(last.text) > 200 or "[^" in last.text:
        return None
    text = last.text.strip()
    if m := _EMPHASIS.match(text):
        text = m.group(2).strip()
    if not (text.startswith("(") and text.endswith(")") and _closes_at_end(text)):
        return None
    units.pop()
    changes.append(Change(last.line, f"'{last.text}' made the source"))
    return text[1:-1].strip()


def _closes_at_end(text: str) -> bool:
    """Whether the parenthesis that opens the text is the one that closes it."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index == len(text) - 1
    return False


_LOOKS_LIKE_SYNTAX = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+*#>])(?=\s|$)")


def _markdown(unit: _Unit) -> str:
    if unit.kind == "heading":
        return "#" * unit.level + " " + unit.text
    if unit.kind == "item":
        return unit.marker + unit.text
    if unit.kind == "para":
        return _LOOKS_LIKE_SYNTAX.sub(lambda m: _escaped(m), unit.text)
    return unit.text


def _escaped(m: re.Match[str]) -> str:
    return f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}"


def _list_kind(unit: _Unit) -> str | None:
    """Which Markdown list an item belongs to; None for a numbered paragraph ("(2) …")."""
    if not _LIST_MARKER.fullmatch(unit.marker):
        return None
    return "bullet" if unit.marker == "- " else unit.marker[-2:]


def _render(units: list[_Unit], definitions: list[str]) -> str:
    out: list[str] = []
    for index, unit in enumerate(units):
        before = units[index - 1] if index else None
        tight = (
            before is not None
            and before.kind == unit.kind == "item"
            and _list_kind(before) == _list_kind(unit) is not None
        )
        if out and not tight:
            out.append("")
        out.append(_markdown(unit))
    if definitions:
        out += ["", *definitions] if out else definitions
    return "\n".join(out) + "\n" if out else ""


def _joins(units: list[_Unit], changes: list[Change]) -> None:
    for unit in units:
        if unit.lines > 1 and unit.kind in ("para", "item"):
            what = "one paragraph" if unit.kind == "para" else "one list item"
            changes.append(Change(unit.line, f"joined {unit.lines} lines into {what}"))


def import_text(text: str, html: bool | None = None, title: str | None = None) -> Imported:
    """Pasted text (plain, Markdown or HTML) made into an article body, with its title,
    source and language, and every change made (see the module's rules)."""
    changes: list[Change] = []
    if html or (html is None and _TAG_START.match(text)):
        text, converted = _from_html(text)
        changes.append(converted)
    lines = _lines(text)
    _repair(lines, changes)
    _remove_leftovers(lines, changes)
    context = _Context(changes, _vocabulary(lines))
    units = _join_page_breaks(_blocks(lines, context), context)
    units, definitions = _footnotes(units, context)
    units = _join_page_breaks(units, context)
    _joins(units, changes)
    chosen = _take_title(units, title.strip() if title else None, changes)
    _drop_closing_rules(units, changes)
    source = _take_source(units, changes)
    body = _render(units, definitions)
    hebrew = text_language(f"{chosen}\n{body}") == "he"
    if hebrew:
        changes.append(Change(1, "the text is Hebrew: language: he"))
    ordered = sorted(changes, key=lambda c: c.line)
    return Imported(body, chosen, source, "he" if hebrew else None, ordered)


# -- the file ----------------------------------------------------------------------------------

_NUMBER_TITLE = re.compile(r"\d{1,4}|[\u05d0-\u05ea]{1,4}")


def is_talk_number(title: str) -> bool:
    """A talk is titled by its number: 12, or יב."""
    return bool(_NUMBER_TITLE.fullmatch(title.strip().replace('"', "").replace("'", "")))


def article_text(imported: Imported, kind: Kind = "essay") -> str:
    """The article file: YAML front matter (title, source, language) and the body. A talk
    is filed like the others; its title is its number (see `is_talk_number`)."""
    front: dict[str, str] = {"title": imported.title}
    if imported.source:
        front["source"] = imported.source
    if imported.language:
        front["language"] = imported.language
    meta = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=4096)
    return f"---\n{meta}---\n\n{imported.body}"


def slug(title: str) -> str:
    """A file name for a title: its words, lower case, joined by dashes (Hebrew kept)."""
    words = re.sub(r"['’\"״׳\u0591-\u05c7]", "", title.casefold())
    name = re.sub(r"[\W_]+", "-", words).strip("-")[:60].strip("-")
    return name or "article"


def add_to_contents(
    issue_text: str, ref: str, kind: Kind, path: Path, instead_of: str | None = None
) -> tuple[str, str]:
    """issue.yaml's text with `ref` added to its contents (round trip: comments and layout
    kept): in the place of `instead_of` when it is listed at the top, else an essay after
    the last essay listed, a talk at the end of the section that holds talks, else at the
    end. Returns the text and where the item went."""
    data, writer = round_trip(issue_text, path)
    if not isinstance(data, CommentedMap):
        raise PamphletError("expected a mapping of 'field: value' lines", path, 1)
    contents = data.get("contents")
    if contents is None:
        data["contents"] = CommentedSeq([ref])
        return dump_round_trip(data, writer), "contents"
    if not isinstance(contents, CommentedSeq):
        raise PamphletError("'contents' must be a list to add to", path)
    if ref in _listed(contents):
        raise PamphletError(f"{ref} is already in the contents", path)
    if instead_of in contents:
        at = contents.index(instead_of)
        contents[at] = ref
        return dump_round_trip(data, writer), f"contents, item {at + 1}, instead of {instead_of}"
    where = _insert(contents, ref, f"{kind}s/")
    return dump_round_trip(data, writer), where


def _listed(contents: CommentedSeq) -> list[str]:
    found: list[str] = []
    for item in contents:
        if isinstance(item, CommentedMap):
            found += [str(i) for i in item.get("items") or []]
        else:
            found.append(str(item))
    return found


def _insert(contents: CommentedSeq, ref: str, folder: str) -> str:
    sections = [
        item
        for item in contents
        if isinstance(item, CommentedMap)
        and any(str(i).startswith(folder) for i in item.get("items") or [])
    ]
    if folder == "talks/" and sections and isinstance(sections[-1].get("items"), CommentedSeq):
        sections[-1]["items"].append(ref)
        return f"section '{sections[-1].get('section')}'"
    places = [i for i, item in enumerate(contents) if str(item).startswith(folder)]
    at = places[-1] + 1 if places else len(contents)
    contents.insert(at, ref)
    return f"contents, item {at + 1}"
