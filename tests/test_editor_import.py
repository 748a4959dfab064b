"""`import`: text pasted from a web page, a wiki, OCR or HTML, in English and in Hebrew, made
into an article. Each case checks the exact Markdown, that the author's words are all
there (markup, markers and the removed leftovers aside), and the change lines; then the
command: into an issue (contents edited, comments kept, the issue builds), never over an
existing file, from standard input."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, assert_one_line_error, run_build

from pamphlet.editor.importer import Change, article_text, decode, import_text, slug

# -- the cases, as editors receive them ------------------------------------------------------

# A web page copied from the browser: one paragraph a line, single line breaks; a line
# broken mid-sentence; superscript note markers and a "Notes" list.
WEB = """\
The Light Before Dawn
The darkest hour of the night comes just before the dawn, and the sages saw in this a picture of the last days of the exile, when the darkness seems to deepen before the light.¹
This is why we are told not to despair when the night seems longest: the depth of the darkness is the sign that the morning is near, and that the redemption is about to come
Each of us can bring a little more light into the world, and every good deed brings the dawn closer, as the verse says of those who
turn many to righteousness.²
A Lesson for Every Day
Begin the day with a blessing.³
Notes
1. Sanhedrin 98a.
2. Daniel 12:3.
"""

WEB_MARKDOWN = """\
---
title: The Light Before Dawn
---

The darkest hour of the night comes just before the dawn, and the sages saw in this a picture of the last days of the exile, when the darkness seems to deepen before the light.[^1]

This is why we are told not to despair when the night seems longest: the depth of the darkness is the sign that the morning is near, and that the redemption is about to come

Each of us can bring a little more light into the world, and every good deed brings the dawn closer, as the verse says of those who turn many to righteousness.[^2]

## A Lesson for Every Day

Begin the day with a blessing.

[^1]: Sanhedrin 98a.
[^2]: Daniel 12:3.
"""

# Wikipedia copied as text: navigation, [edit] links, [1] markers, a reference list with
# backlinks, a note nobody calls and a call of a note that was not pasted.
WIKI = """\
Redemption (Judaism)
From Wikipedia, the free encyclopedia
Jump to navigation Jump to search
Main page > Topics > Redemption
Redemption is one of the central themes of the Torah.[1] The prophets speak of it often.[citation needed]

Sources[edit]
The Torah brings the prophecy of Moshe Rabbeinu: "Hashem your G-d will return your captivity."[2] The prophets repeat it.[4]

Its Time[edit]
The Sages disagree about the exact timing of the ingathering of the exiles.[1]

References[edit]
1. ^ Devarim 30:3.
2. ^ a b Yeshayahu 11:12.
3. ^ Amos 9:14.
Retrieved from "https://en.wikipedia.org/w/index.php?title=Redemption"
Categories: Jewish eschatology
"""

WIKI_MARKDOWN = """\
---
title: Redemption (Judaism)
---

Redemption is one of the central themes of the Torah.[^1] The prophets speak of it often.

## Sources

The Torah brings the prophecy of Moshe Rabbeinu: "Hashem your G-d will return your captivity."[^2] The prophets repeat it.

## Its Time

The Sages disagree about the exact timing of the ingathering of the exiles.[^1]

## References

3. Amos 9:14.

[^1]: Devarim 30:3.
[^2]: Yeshayahu 11:12.
"""

WIKI_LEFTOVERS = [
    "From Wikipedia, the free encyclopedia",
    "Jump to navigation Jump to search",
    "Main page > Topics > Redemption",
    "[citation needed]",
    "[edit]",
    "^ a b",
    'Retrieved from "https://en.wikipedia.org/w/index.php?title=Redemption"',
    "Categories: Jewish eschatology",
]

# A wiki read on a phone (seed 000): "Edit" glued to each heading, indented lists.
PHONE_WIKI = """\
Ingathering of the Exiles

The ingathering of the exiles is one of the goals of redemption.

Sources in the TanachEdit

The Tanach mentions several times the prophecy about the process of redemption.

Its TimeEdit

Before or After the Building of the Beis HaMikdashEdit

The Sages disagree about the exact timing:

  1. Although spiritually there is room for both opinions, the practical decision will be by the ruling of the earthly Beis Din.
  2. Nevertheless, the Rebbe raises another possibility.

See AlsoEdit

  • The Ten Tribes
"""

PHONE_WIKI_MARKDOWN = """\
---
title: Ingathering of the Exiles
---

The ingathering of the exiles is one of the goals of redemption.

## Sources in the Tanach

The Tanach mentions several times the prophecy about the process of redemption.

## Its Time

## Before or After the Building of the Beis HaMikdash

The Sages disagree about the exact timing:

1. Although spiritually there is room for both opinions, the practical decision will be by the ruling of the earthly Beis Din.
2. Nevertheless, the Rebbe raises another possibility.

## See Also

- The Ten Tribes
"""

# A scanned page: hard-wrapped lines, words broken at line ends, an indented paragraph,
# and a paragraph cut by a page break.
OCR = """\
When Moses encounters G-d at the burning bush, an ex-
tended conversation ensues. G-d wants Moses to redeem
the Jewish people, to take them out of Egypt. Moses
demurs, finding excuses why he should not be the one.
According to the well-known principle, the well-
known descent is for the sake of an ascent, the re-
demption. As Ben-
Gurion said, the Torah is the deed of pre-
and post-war generations alike.
    The difference between Moses and Moshiach may thus
be said to be the difference between the temporary and
the permanent. The

giving of the Torah interrupted the state of impurity.
"""

OCR_MARKDOWN = """\
---
title: When Moses encounters G-d at the burning bush, an extended conversation ensues.
---

When Moses encounters G-d at the burning bush, an extended conversation ensues. G-d wants Moses to redeem the Jewish people, to take them out of Egypt. Moses demurs, finding excuses why he should not be the one. According to the well-known principle, the well-known descent is for the sake of an ascent, the redemption. As Ben-Gurion said, the Torah is the deed of pre- and post-war generations alike.

The difference between Moses and Moshiach may thus be said to be the difference between the temporary and the permanent. The giving of the Torah interrupted the state of impurity.
"""

# The author's words: a hyphen between two lower-case parts at a line end is the
# typesetter's break, unless the text writes the word with it elsewhere ("well-known");
# before a capital, or before "and", it is the author's.
OCR_AUTHOR = (
    OCR.replace("pre-\n", "pre- ")
    .replace("ex-\n", "ex")
    .replace("the re-\n", "the re")
    .replace("well-\n", "well-")
    .replace("Ben-\n", "Ben-")
)

# Hebrew wiki (Chabadpedia): עריכה after the headings, glued or in brackets; [1] markers,
# one called twice; הערות with ↑ backlinks; navigation.
HE_WIKI = """\
קיבוץ גלויות
קפיצה לניווט קפיצה לחיפוש
קיבוץ גלויות הוא אחד מיעדי הגאולה, שתוכנו הוא שבזמן הגאולה יתקבצו יהודים מכל קצוות תבל ויבואו לארץ ישראל.[1] בקיבוץ זה לא יישאר אף יהודי בגלות.[דרוש מקור]
מקורות בתנ"ך[עריכה]
התנ"ך מזכיר כמה פעמים את הנבואה על תהליך הגאולה.[2] כך נאמר בתורה: "ושב ה' אלוקיך את שבותך".
זמנועריכה
חכמים נחלקו בשאלת הזמן המדויק של קיבוץ הגלויות.[1]
הערותעריכה
1. ↑ דברים ל, ג
2. ↑ ישעיהו יא, יב
אוחזר מתוך "https://chabadpedia.co.il/index.php?title=קיבוץ_גלויות"
"""

HE_WIKI_MARKDOWN = """\
---
title: קיבוץ גלויות
language: he
---

קיבוץ גלויות הוא אחד מיעדי הגאולה, שתוכנו הוא שבזמן הגאולה יתקבצו יהודים מכל קצוות תבל ויבואו לארץ ישראל.[^1] בקיבוץ זה לא יישאר אף יהודי בגלות.

## מקורות בתנ"ך

התנ"ך מזכיר כמה פעמים את הנבואה על תהליך הגאולה.[^2] כך נאמר בתורה: "ושב ה' אלוקיך את שבותך".

## זמנו

חכמים נחלקו בשאלת הזמן המדויק של קיבוץ הגלויות.[^1]

[^1]: דברים ל, ג
[^2]: ישעיהו יא, יב
"""

HE_WIKI_LEFTOVERS = [
    "קפיצה לניווט קפיצה לחיפוש",
    "[דרוש מקור]",
    "[עריכה]",
    "עריכה\n",
    "הערות",
    'אוחזר מתוך "https://chabadpedia.co.il/index.php?title=קיבוץ_גלויות"',
]

# Hebrew OCR: single line breaks, a title and a heading, a hyphen before Hebrew (the
# author's), a marker "(1)" glued to the quotation and its note under הערות.
HE_OCR = """\
הסנה הבוער
משה רבינו רועה את צאן יתרו במדבר, ולפתע הוא רואה מראה
שאין לו הסבר: הסנה בוער באש, והסנה איננו אוכל. רבים
ראו בכך משל לעם ישראל בגלות: האש בוערת, והעם אינו
כלה, ובית-
המקדש עתיד להיבנות.
הסנה והגאולה
השיחה בסנה ארוכה ומפתיעה. משה מסרב שוב ושוב, ולבסוף
הוא אומר: "שלח נא ביד תשלח"(1). יש מן המפרשים שהבינו
שמשה ביקש כאן את הגואל האחרון, משיח צדקנו.
הערות
(1) שמות ד, יג.
"""

HE_OCR_MARKDOWN = """\
---
title: הסנה הבוער
language: he
---

משה רבינו רועה את צאן יתרו במדבר, ולפתע הוא רואה מראה שאין לו הסבר: הסנה בוער באש, והסנה איננו אוכל. רבים ראו בכך משל לעם ישראל בגלות: האש בוערת, והעם אינו כלה, ובית-המקדש עתיד להיבנות.

## הסנה והגאולה

השיחה בסנה ארוכה ומפתיעה. משה מסרב שוב ושוב, ולבסוף הוא אומר: "שלח נא ביד תשלח"[^1]. יש מן המפרשים שהבינו שמשה ביקש כאן את הגואל האחרון, משיח צדקנו.

[^1]: שמות ד, יג.
"""

# Saved from a browser: the site's furniture, a wiki heading's edit link, reference calls
# in <sup>, a link within the site and one to another site, an image.
HTML = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Site</title><style>p { color: red }</style></head>
<body>
<nav><a href="/">Home</a> | <a href="/topics">Topics</a></nav>
<h1>The Third Temple</h1>
<p>The <b>Third Temple</b> will be built by <a href="/wiki/Moshiach">Moshiach</a>.<sup class="reference"><a href="#cite_note-1">[1]</a></sup> See <a href="https://example.org/temple">the plan</a>.</p>
<h2>Its Form<span class="mw-editsection">[<a href="/w/index.php?action=edit">edit</a>]</span></h2>
<p>Its form is described by the prophet<br>Yechezkel.<sup class="reference"><a href="#cite_note-2">[2]</a></sup></p>
<img src="temple.jpg" alt="A drawing">
<h2>References</h2>
<ol class="references">
<li id="cite_note-1"><a href="#cite_ref-1">^</a> Rambam, Hilchos Melachim 11:1.</li>
<li id="cite_note-2"><a href="#cite_ref-2">^</a> Yechezkel 40-48.</li>
</ol>
<footer>Copyright Site</footer>
</body></html>
"""

HTML_MARKDOWN = """\
---
title: The Third Temple
---

The **Third Temple** will be built by Moshiach.[^1] See [the plan](https://example.org/temple).

## Its Form

Its form is described by the prophet Yechezkel.[^2]

[^1]: Rambam, Hilchos Melachim 11:1.
[^2]: Yechezkel 40-48.
"""

HTML_TEXT = """The Third Temple The Third Temple will be built by Moshiach. See the plan.
Its Form Its form is described by the prophet Yechezkel. Rambam, Hilchos Melachim 11:1.
Yechezkel 40-48."""

# Text as the author wrote it; the paste read its UTF-8 as Latin-1.
MOJIBAKE_AUTHOR = """\
Café and Résumé

A naïve café résumé — written “by hand” in Zürich.
שלום עולם, אמר הרב: "הגאולה קרובה".
"""

MOJIBAKE_MARKDOWN = """\
---
title: Café and Résumé
---

A naïve café résumé — written “by hand” in Zürich.

שלום עולם, אמר הרב: "הגאולה קרובה".
"""

# A talk from a PDF (seed 004): its number as a heading, <sup> calls, the notes at the
# foot of the page, the source line in parentheses at the end.
TALK = """\
## 13

All of the signs indicate that we are at the very end of the exile. We have "passed all the deadlines."<sup>1</sup> We have also performed Teshuvah, and the

---

1. *Sanhedrin* 97b.

"polishing of the buttons"<sup>2</sup> is done.

*(From the talks of Shabbos Parshas Shemos, 19 Teves 5751)*

---

2. Talk of Simchas Torah, 5689.
"""

TALK_MARKDOWN = """\
---
title: '13'
source: From the talks of Shabbos Parshas Shemos, 19 Teves 5751
---

All of the signs indicate that we are at the very end of the exile. We have "passed all the deadlines."[^1] We have also performed Teshuvah, and the "polishing of the buttons"[^2] is done.

[^1]: *Sanhedrin* 97b.
[^2]: Talk of Simchas Torah, 5689.
"""


# -- the author's words ----------------------------------------------------------------------

_SYNTAX = re.compile(
    r"\[\^[\w-]+\]:?"  # footnote calls and definitions
    r"|\[\d{1,3}\]|<sup>\d+</sup>|\(\d{1,3}\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]"  # note markers as pasted
    r"|\]\([^)]*\)"  # a link's address
    r"|^\s*(?:#{1,6}|[-•]|\d{1,3}[.)])\s"  # headings, list items, numbered notes
    r"|[*\\^↑\[\]]",  # emphasis, escapes, backlinks
    re.MULTILINE,
)
_WORD = re.compile(r"[\w\u0591-\u05c7]+(?:['’\-־\"][\w\u0591-\u05c7]+)*")


def words(text: str, leftovers: list[str] = []) -> Counter[str]:  # noqa: B006
    """The words of a text, without Markdown, note markers and the named leftovers."""
    for leftover in leftovers:
        assert leftover in text, leftover
        text = text.replace(leftover, " ")
    return Counter(_WORD.findall(_SYNTAX.sub(" ", text)))


def article_words(article: str, title: bool = True) -> Counter[str]:
    """The words of an article: its title (unless it repeats the first line), source and
    body."""
    _, front, body = article.split("---\n", 2)
    meta = yaml.safe_load(front)
    return words(f"{meta['title'] if title else ''}\n{meta.get('source') or ''}\n{body}")


def imported(text: str) -> tuple[str, list[str]]:
    """The article made of a text, and its change lines."""
    result = import_text(text)
    return article_text(result), [str(c) for c in result.changes]


# -- the cases -------------------------------------------------------------------------------


def test_a_web_page_pasted_with_single_line_breaks() -> None:
    article, changes = imported(WEB)
    assert article == WEB_MARKDOWN
    assert article_words(article) == words(WEB, ["Notes"])
    assert changes == [
        "line 1: 'The Light Before Dawn' made a heading (a short line before a sentence)",
        "line 1: the heading 'The Light Before Dawn' made the title",
        "line 3: a single line break taken as a paragraph break",
        "line 4: a single line break taken as a paragraph break",
        "line 4: joined 2 lines into one paragraph",
        "line 6: 'A Lesson for Every Day' made a heading (a short line before a sentence)",
        "line 7: marker ³ has no note: removed",
        "line 8: 'Notes' made a heading (a short line before a sentence)",
        "line 8: removed the heading 'Notes'",
        "line 9: note 1 made a footnote",
        "line 10: note 2 made a footnote",
    ]


def test_a_wiki_article_loses_its_leftovers_and_keeps_its_notes() -> None:
    article, changes = imported(WIKI)
    assert article == WIKI_MARKDOWN
    assert article_words(article) == words(WIKI, WIKI_LEFTOVERS)
    assert "line 4: removed 'Main page > Topics > Redemption'" in changes
    assert "line 7: removed '[edit]'" in changes
    assert "line 8: marker [4] has no note: removed" in changes
    assert "line 16: note 3 has no marker in the text" in changes
    problems = [str(c) for c in import_text(WIKI).changes if c.problem]
    assert problems == [
        "line 8: marker [4] has no note: removed",
        "line 16: note 3 has no marker in the text",
    ]


def test_a_wiki_read_on_a_phone_has_edit_glued_to_its_headings() -> None:
    article, changes = imported(PHONE_WIKI)
    assert article == PHONE_WIKI_MARKDOWN
    assert article_words(article) == words(PHONE_WIKI, ["Edit", "•"])
    assert changes[2:4] == [
        "line 5: removed 'Edit'",
        "line 5: 'Sources in the Tanach' made a heading (an edit link's line)",
    ]


def test_one_line_ending_in_edit_is_the_authors() -> None:
    text = "Rules\n\nAn editor may ask you to Edit\n\nthe text.\n"
    assert "to Edit the text." in import_text(text).body


def test_ocr_lines_are_joined_and_line_end_hyphens_follow_the_rule() -> None:
    article, changes = imported(OCR)
    assert article == OCR_MARKDOWN
    assert article_words(article, title=False) == words(OCR_AUTHOR)
    assert changes == [
        "line 1: joined 9 lines into one paragraph",
        "line 1: no heading: the title is the first line's 'When Moses encounters G-d at the "
        "burning bush, an extended conversation ensues.'",
        "line 2: joined 'ex-' and 'tended' as 'extended' (a line-end break)",
        "line 6: kept the hyphen of 'well-known' (so written elsewhere)",
        "line 7: joined 're-' and 'demption' as 'redemption' (a line-end break)",
        "line 8: kept the hyphen of 'Ben-Gurion'",
        "line 9: kept the hyphen of 'pre-' (before 'and')",
        "line 10: a single line break taken as a paragraph break",
        "line 10: joined 3 lines into one paragraph",
        "line 14: joined a paragraph split by a blank line",
    ]


def test_a_hebrew_wiki_article_with_its_notes() -> None:
    article, changes = imported(HE_WIKI)
    assert article == HE_WIKI_MARKDOWN
    assert article_words(article) == words(HE_WIKI, HE_WIKI_LEFTOVERS)
    assert "line 6: removed 'עריכה'" in changes
    assert "line 6: 'זמנו' made a heading (an edit link's line)" in changes
    assert "line 2: removed 'קפיצה לניווט קפיצה לחיפוש'" in changes
    assert "line 1: the text is Hebrew: language: he" in changes
    assert not [c for c in import_text(HE_WIKI).changes if c.problem]


def test_hebrew_ocr_keeps_its_order_and_its_hyphen() -> None:
    article, changes = imported(HE_OCR)
    assert article == HE_OCR_MARKDOWN
    assert article_words(article) == words(HE_OCR.replace("-\n", "-"), ["הערות"])
    # logical order, as typed: the first words of the text come first in the file
    assert article.index("משה רבינו") < article.index("שאין לו הסבר") < article.index("צדקנו")
    assert "line 6: kept the hyphen of 'ובית-המקדש'" in changes
    assert "line 12: note 1 made a footnote" in changes


def test_html_is_converted_first() -> None:
    article, changes = imported(HTML)
    assert article == HTML_MARKDOWN
    assert article_words(article) == words(HTML_TEXT)
    assert changes[0] == "line 1: converted HTML to Markdown (left out: <footer>, <img>, <nav>)"


def test_html_not_starting_with_a_tag_is_converted_when_asked() -> None:
    text = "The <b>Third</b> Temple &amp; its form\n"
    assert import_text(text, title="T").body == "The <b>Third</b> Temple &amp; its form\n"
    assert import_text(text, html=True, title="T").body == "The **Third** Temple & its form\n"


def test_mojibake_is_repaired_in_both_languages() -> None:
    garbled = MOJIBAKE_AUTHOR.encode("utf-8").decode("latin-1")
    article, changes = imported(garbled)
    assert article == MOJIBAKE_MARKDOWN
    assert article_words(article) == words(MOJIBAKE_AUTHOR)
    assert changes[0] == "line 1: repaired garbled characters: 'CafÃ©' → 'Café'"
    assert "line 4: repaired garbled characters: '×©×\\x9c×\\x95×\\x9d' → 'שלום'" in changes


@pytest.mark.parametrize(
    "garble",
    [
        lambda text: text.encode("cp1255").decode("latin-1"),  # "ùìåí"
        lambda text: "".join(  # UTF-8 read as Windows-1255, undefined bytes kept
            chr(b) if b in (0x90, 0x9C, 0x9D, 0x9E, 0x9F) else bytes([b]).decode("cp1255")
            for b in text.encode("utf-8")
        ),
    ],
    ids=["windows-1255-read-as-latin-1", "utf-8-read-as-windows-1255"],
)
def test_hebrew_read_in_the_wrong_code_page_is_repaired(garble) -> None:
    text = "שלום עולם ומלואו, אמר הרב.\n"
    assert import_text(garble(text), title="T").body == text


def test_bytes_that_are_not_utf8() -> None:
    assert decode("שלום עולם".encode("cp1255")) == (
        "שלום עולם",
        [Change(1, "read as Windows-1255: the file is not UTF-8")],
    )
    assert decode("Café".encode("utf-8-sig"))[0] == "Café"


def test_a_talk_from_a_pdf_gets_its_number_and_source() -> None:
    article, changes = imported(TALK)
    assert article == TALK_MARKDOWN
    assert article_words(article) == words(TALK)
    assert changes == [
        "line 1: the heading '13' made the title",
        "line 5: removed the '---' above the notes",
        "line 7: note 1 made a footnote",
        "line 9: joined a paragraph split by a blank line",
        "line 11: '*(From the talks of Shabbos Parshas Shemos, 19 Teves 5751)*' made the source",
        "line 13: removed the '---' above the notes",
        "line 15: note 2 made a footnote",
    ]


def test_superscripts_that_call_no_note_stay_text_in_html() -> None:
    body = import_text("<p>The 5<sup>th</sup> day, and a call.<sup>1</sup></p>").body
    assert body == "The 5th day, and a call.\n"


def test_a_paragraph_that_would_read_as_markdown_is_escaped() -> None:
    body = import_text("The Year\n\n1948. That year the state was founded.\n").body
    assert body == "1948\\. That year the state was founded.\n"


def test_file_names() -> None:
    assert slug("You're Hashem's Whole World!") == "youre-hashems-whole-world"
    assert slug("13") == "13"
    assert slug('מקורות בתנ"ך') == "מקורות-בתנך"


# -- the command -----------------------------------------------------------------------------


def _issue(project: Path) -> Path:
    return project / "shemot-5786"


def _pasted(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_into_an_issue_adds_to_its_contents_and_the_issue_builds(project, tmp_path) -> None:
    folder = _issue(project)
    before = (folder / "issue.yaml").read_text(encoding="utf-8")
    for name, text, kind in [("wiki.txt", WIKI, "essay"), ("he.txt", HE_WIKI, "essay"),
                             ("talk.md", TALK, "talk")]:  # fmt: skip
        run = run_build("import", _pasted(tmp_path, name, text), "--into", folder, "--as", kind)
        assert run.returncode == 0, run.stderr
    assert (folder / "essays" / "redemption-judaism.md").read_text() == WIKI_MARKDOWN
    assert (folder / "essays" / "קיבוץ-גלויות.md").read_text() == HE_WIKI_MARKDOWN
    assert (folder / "talks" / "13.md").read_text() == TALK_MARKDOWN
    assert run.stdout == f"{folder / 'talks' / '13.md'}\n"
    assert "added talks/13.md to the contents (section 'The Announcement of the Redemption')" in (
        run.stderr
    )
    after = (folder / "issue.yaml").read_text(encoding="utf-8")
    changed = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[0] in "+-"]
    assert changed == [
        "+   - essays/redemption-judaism.md",
        "+   - essays/קיבוץ-גלויות.md",
        "+       - talks/13.md",
    ]
    build = run_build("build", folder, "-o", tmp_path / "out", "--strict", "--quiet")
    assert build.returncode == 0, build.stderr


def test_the_changes_are_listed_on_stderr(tmp_path) -> None:
    out = tmp_path / "out.md"
    run = run_build("import", _pasted(tmp_path, "wiki.txt", WIKI), "-o", out)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == WIKI_MARKDOWN
    assert run.stdout == f"{out}\n"
    lines = run.stderr.splitlines()
    assert lines[:5] == [
        "line 1: 'Redemption (Judaism)' made a heading (a short line before a sentence)",
        "line 1: the heading 'Redemption (Judaism)' made the title",
        "line 2: removed 'From Wikipedia, the free encyclopedia'",
        "line 3: removed 'Jump to navigation Jump to search'",
        "line 4: removed 'Main page > Topics > Redemption'",
    ]
    assert "warning: line 8: marker [4] has no note: removed" in lines
    assert "warning: line 16: note 3 has no marker in the text" in lines
    assert re.fullmatch(
        r"imported 'Redemption \(Judaism\)': 18 change\(s\); 2 warnings; .* s", lines[-1]
    )


def test_a_talk_without_a_number_is_a_warning(tmp_path) -> None:
    run = run_build("import", _pasted(tmp_path, "web.txt", WEB), "--as", "talk")
    assert run.returncode == 0 and run.stdout == WEB_MARKDOWN
    assert "warning: a talk is titled by its number (12, יב): give it with --title" in run.stderr


def test_an_existing_article_is_not_overwritten(project, tmp_path) -> None:
    folder = _issue(project)
    talk = folder / "talks" / "12.md"
    before = talk.read_text(encoding="utf-8"), (folder / "issue.yaml").read_text(encoding="utf-8")
    pasted = _pasted(tmp_path, "talk.md", TALK.replace("## 13", "## 12"))
    run = run_build("import", pasted, "--into", folder, "--as", "talk")
    assert_one_line_error(run, r"talks/12\.md already exists and is not overwritten")
    assert (talk.read_text(encoding="utf-8"), (folder / "issue.yaml").read_text()) == before
    out = _pasted(tmp_path, "out.md", "mine\n")
    assert_one_line_error(run_build("import", pasted, "-o", out), "already exists")
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_standard_input_to_standard_output(monkeypatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(HE_OCR.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    run = run_build("import", "-")
    assert run.returncode == 0, run.stderr
    assert run.stdout == HE_OCR_MARKDOWN
    assert "line 1: the text is Hebrew: language: he" in run.stderr.splitlines()


def test_empty_input_is_one_line_error(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n \n")))
    assert_one_line_error(run_build("import", "-"), "nothing to import")


def _new_week(project: Path, series: str) -> Path:
    """`new` for the week of 2026-01-17 in a series of the copied project: its folder."""
    if series == "series-he.yaml":
        shutil.copy(ROOT / "content" / series, project / series)
        shutil.copytree(ROOT / "content" / "shemot-5786-he", project / "shemot-5786-he")
    run = run_build("new", "--series", project / series, "--date", "2026-01-17", "--no-yahrzeits")
    assert run.returncode == 0, run.stderr
    return Path(run.stdout.split()[0]).parent


@pytest.mark.parametrize("series, text", [("series.yaml", WIKI), ("series-he.yaml", HE_WIKI)])
def test_an_import_takes_the_place_of_the_untouched_placeholder(
    project, tmp_path, series, text
) -> None:
    folder = _new_week(project, series)
    assert (folder / "essays" / "essay.md").is_file()
    run = run_build("import", _pasted(tmp_path, "p.txt", text), "--into", folder)
    assert run.returncode == 0, run.stderr
    contents = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))["contents"]
    assert contents == [f"essays/{Path(run.stdout.strip()).name}"]
    assert not (folder / "essays" / "essay.md").exists()
    build = run_build("build", folder, "-o", tmp_path / "out", "--strict", "--quiet")
    assert build.returncode == 0, build.stderr


def test_a_placeholder_the_editor_changed_stays(project, tmp_path) -> None:
    folder = _new_week(project, "series.yaml")
    placeholder = folder / "essays" / "essay.md"
    edited = placeholder.read_text(encoding="utf-8").replace("The essay's text", "Begun")
    placeholder.write_text(edited, encoding="utf-8")
    run = run_build("import", _pasted(tmp_path, "p.txt", WIKI), "--into", folder)
    assert run.returncode == 0, run.stderr
    contents = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))["contents"]
    assert contents == ["essays/essay.md", "essays/redemption-judaism.md"]
    assert placeholder.read_text(encoding="utf-8") == edited


HOSTILE = (
    "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
    '<h1>Wrapped \u202e Title</h1><p>Text with <a href="javascript:alert(1)">a link</a>, '
    "a NUL \x00 here, {{ jinja }} {% raw %} and <b>bold</b>.</p><p>\u05e9\u05dc\u05d5\u05dd"
    "\x0c \u05e2\u05d5\u05dc\u05dd\u200f ends the page.</p></body></html>"
)


def test_hostile_paste_becomes_plain_text_that_builds(project, tmp_path) -> None:
    """Script, a script link, control characters and template syntax: the article holds
    the words only, each control character is reported, and the issue builds."""
    run = run_build("import", _pasted(tmp_path, "h.html", HOSTILE), "--into", _issue(project))
    assert run.returncode == 0, run.stderr
    assert "line 1: removed control characters (U+0000, U+000C)" in run.stderr
    article = Path(run.stdout.strip()).read_text(encoding="utf-8")
    assert "alert" not in article and "color:red" not in article
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", article)
    assert "{{ jinja }} {% raw %}" in article and "**bold**" in article
    build = run_build("build", _issue(project), "-o", tmp_path / "out", "--html", "--quiet")
    assert build.returncode == 0, build.stderr
    html = Path(build.stdout.split()[-1]).read_text(encoding="utf-8")
    assert "{{ jinja }} {% raw %}" in html and "<script" not in html and "javascript:" not in html
