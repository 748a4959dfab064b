"""The direction stage on HTML: paragraph directions and isolated runs, markup kept."""

from __future__ import annotations

import re

import pytest

from pamphlet import htmltree
from pamphlet.direction import embedding_levels, first_strong_direction, isolate_document
from pamphlet.typography import hebrew_punctuation


def isolate(html: str, direction: str = "ltr") -> str:
    """The isolated HTML, without the lang attributes (tested on their own below)."""
    return re.sub(r' lang="\w+"', "", isolated(html, direction))


def isolated(html: str, direction: str = "ltr") -> str:
    root, doctype = htmltree.parse(html)
    isolate_document(root, direction)
    return htmltree.serialize(root, doctype)


@pytest.mark.parametrize(
    "html, direction, expected",
    [
        ("<p>Hello <b>שלום</b> עליכם world</p>", "ltr", ['<span dir="rtl"', 'lang="he"']),
        ("<p>אמר the Rebbe said היום</p>", "rtl", ['<span dir="ltr"', 'lang="en"']),
        ("<p>שבת שלום ומבורך לכל בית ישראל</p>", "ltr", ['<p dir="rtl" lang="he">']),
        ("<p>Likkutei Sichos, volume four</p>", "rtl", ['<p dir="ltr" lang="en">']),
    ],
)
def test_a_run_or_paragraph_in_the_other_language_says_which(
    html: str, direction: str, expected: list[str]
) -> None:
    out = isolated(html, direction)
    for part in expected:
        assert part in out, out


def test_a_run_of_digits_has_no_language() -> None:
    out = isolated("<p>טל.: 753-6844</p>", "rtl")
    assert '<span dir="ltr" class="bidi-keep">753-6844</span>' in out


def test_hebrew_phrase_split_by_bold_is_wrapped_whole() -> None:
    assert isolate("<p>Hello <b>שלום</b> עליכם world</p>") == (
        '<p>Hello <span dir="rtl" class="bidi-keep"><b>שלום</b> עליכם</span> world</p>'
    )


def test_markup_crossing_the_run_edge_is_split_and_reopened() -> None:
    assert isolate("<p>English <b>bold שלום</b> עליכם, friend.</p>") == (
        '<p>English <b>bold </b><span dir="rtl" class="bidi-keep"><b>שלום</b> עליכם</span>, friend.</p>'
    )


def test_hebrew_paragraph_gets_its_direction_and_numbers_stay_ltr() -> None:
    out = isolate("<p>טל.: 753-6844 (718)</p>")
    assert out.startswith('<p dir="rtl">')
    assert '<span dir="ltr" class="bidi-keep">753-6844</span>' in out


def test_phone_number_in_hebrew_is_one_ltr_unit() -> None:
    out = isolate("<p>התקשרו (718) 753-6844 היום</p>")
    assert '<span dir="ltr" class="bidi-keep">(718) 753-6844</span>' in out


def test_english_in_hebrew_with_markup_inside() -> None:
    out = isolate("<p>אמר <i>the <b>Rebbe</b> said</i> היום</p>", "rtl")
    assert '<span dir="ltr" class="bidi-keep"><i>the <b>Rebbe</b> said</i></span>' in out


def test_footnote_body_is_its_own_paragraph() -> None:
    out = isolate('<p>Text.<span class="footnote">ראה שם בפרק הבא ובהערה, page 5</span> More.</p>')
    assert (
        '<span class="footnote" dir="rtl">ראה שם בפרק הבא ובהערה, <span dir="ltr" class="bidi-keep">page 5</span></span>'
        in out
    )


def test_plain_english_is_left_alone() -> None:
    html = "<p>Nothing <b>to</b> do here.</p>"
    assert isolate(html) == html


def test_explicit_direction_is_respected() -> None:
    assert (
        isolate('<p dir="ltr">שלום</p>')
        == '<p dir="ltr"><span dir="rtl" class="bidi-keep">שלום</span></p>'
    )


def test_line_breaks_end_runs() -> None:
    out = isolate("<p>שלום לכולם ולכל המשפחה<br>world</p>", "ltr")
    assert (
        out
        == '<p dir="rtl">שלום לכולם ולכל המשפחה<br><span dir="ltr" class="bidi-keep">world</span></p>'
    )


def test_text_is_escaped_on_the_way_out() -> None:
    assert isolate("<p>a &lt;b&gt; &amp; שלום</p>") == (
        '<p>a &lt;b&gt; &amp; <span dir="rtl" class="bidi-keep">שלום</span></p>'
    )


def test_levels_and_first_strong() -> None:
    assert embedding_levels("ab אב", "ltr") == [0, 0, 0, 1, 1]
    assert first_strong_direction("123 שלום abc") == "rtl"
    assert first_strong_direction("123 ...") is None


@pytest.mark.parametrize(
    "typed, printed",
    [
        ('ע"ה', "ע״ה"),
        ('הי"ד', "הי״ד"),
        ("שתחי'", "שתחי׳"),
        ("שיחי' Wolf", "שיחי׳ Wolf"),
        ("the word 'שלום' here", "the word 'שלום' here"),
        ('"משיח וגאולה"', '"משיח וגאולה"'),
        ("Moses' staff", "Moses' staff"),
        ("The book 'ספר החינוך' is old", "The book 'ספר החינוך' is old"),
        ("ר' יוחנן אמר 'שלום עליכם' לר' מאיר", "ר׳ יוחנן אמר 'שלום עליכם' לר׳ מאיר"),
    ],
)
def test_hebrew_quotes_become_gershayim_and_geresh(typed: str, printed: str) -> None:
    assert hebrew_punctuation(typed) == printed


# The paragraph's direction follows its language, not its first letter (README, "Hebrew
# and right-to-left": the other direction only from 3 letters in 4 of the other script).
@pytest.mark.parametrize(
    "html, inherited, expected",
    [
        ("<p>שבת שלום, she answered warmly.</p>", "ltr", None),
        ('<p>"שבת שלום!" she answered warmly, and went home.</p>', "ltr", None),
        ("<p>Rashi כותב כאן: הדברים כפשוטם, ולא כפי שחשבו רבים.</p>", "rtl", None),
        ("<p>שבת שלום ומבורך לכל בית ישראל</p>", "ltr", "rtl"),
        ("<p>Likkutei Sichos, volume four</p>", "rtl", "ltr"),
        ("<p>שלום עליכם, friend</p>", "ltr", None),  # 9 Hebrew letters of 15: mixed
    ],
)
def test_paragraph_direction_follows_its_language(html, inherited, expected) -> None:
    out = isolate(html, inherited)
    found = re.match(r'<p(?: dir="(\w+)")?>', out).group(1)
    assert found == expected, out
