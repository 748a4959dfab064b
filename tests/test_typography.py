"""English marks as a typesetter sets them, and the Hebrew side left alone.

Expected values are written out by hand from the conventions of English typesetting
(Chicago Manual of Style 6.9–6.14, 6.78–6.85: curly quotes, apostrophes, em and en dashes,
the ellipsis), not computed the way the code does.
"""

from __future__ import annotations

import pytest

from pamphlet.typography import english_marks

L, R, LS, RS = "\u201c", "\u201d", "\u2018", "\u2019"
EM, EN, WJ, NBSP = "\u2014", "\u2013", "\u2060", "\u00a0"

CASES = [
    # apostrophes, inside and after words
    ("L'Hafotzas", f"L{RS}Hafotzas"),
    ("Moses's staff", f"Moses{RS}s staff"),
    ("the Jews' faith", f"the Jews{RS} faith"),
    ("don't", f"don{RS}t"),
    ("in the '90s", f"in the {RS}90s"),
    # double and single quotes, either way round
    ('"Hello," he said.', f"{L}Hello,{R} he said."),
    ("'Quietly,' she said.", f"{LS}Quietly,{RS} she said."),
    ('He said: "Go."', f"He said: {L}Go.{R}"),
    ('("a quote")', f"({L}a quote{R})"),
    ('["a quote"]', f"[{L}a quote{R}]"),
    ("\"She said 'no'.\"", f"{L}She said {LS}no{RS}.{R}"),
    # after a dash, the quote opens
    ('word--"quoted"', f"word{WJ}{EM}{L}quoted{R}"),
    # dashes in the em style
    ("then -- suddenly", f"then{WJ}{EM}suddenly"),
    ("then - suddenly", f"then{WJ}{EM}suddenly"),
    ("then---suddenly", f"then{WJ}{EM}suddenly"),
    ("a well-known word", "a well-known word"),
    # ranges take an en dash; a phone number does not
    ("pp. 8-13", f"pp. 8{EN}13"),
    ("Bereishis 12:2-3", f"Bereishis 12:2{EN}3"),
    ("the years 5751-5752", f"the years 5751{EN}5752"),
    ("1990-95", f"1990{EN}95"),
    ("(718) 753-6844", "(718) 753-6844"),
    ("1-800-555-1234", "1-800-555-1234"),
    # the ellipsis
    ("and so...", "and so\u2026"),
    # left alone: addresses
    ("see https://example.org/a--b's", "see https://example.org/a--b's"),
    ("write to info@example.org", "write to info@example.org"),
    ("www.torah4blind.org", "www.torah4blind.org"),
]


@pytest.mark.parametrize("typed, set_", CASES)
def test_english_marks(typed, set_) -> None:
    assert english_marks(typed) == set_


@pytest.mark.parametrize(
    "typed, before, after, set_",
    [
        ('"', "", "H", L),  # a piece of a paragraph that markup split
        ('"', "o", " ", R),
        ("'s staff", "s", "", f"{RS}s staff"),
        (" - then", R, "", f"{WJ}{EM}then"),
        ('," he', "o", "", f",{R} he"),
    ],
)
def test_marks_see_across_markup(typed, before, after, set_) -> None:
    assert english_marks(typed, before, after) == set_


def test_the_en_spaced_style() -> None:
    assert english_marks("then -- suddenly", dash="en-spaced") == f"then{NBSP}{EN} suddenly"
    assert english_marks("then - suddenly", dash="en-spaced") == f"then{NBSP}{EN} suddenly"


@pytest.mark.parametrize(
    "typed",
    ['ע"ה', "שתחי'", '"שלום"', "'ספר החינוך'", 'He said "שלום" to all'],
)
def test_hebrew_keeps_its_marks(typed) -> None:
    """Next to a Hebrew letter a quote is left for the Hebrew marks (״ ׳), never curled."""
    assert english_marks(typed) == typed


def test_a_hebrew_paragraph_gets_the_ellipsis_only() -> None:
    assert english_marks('ראו עמ׳ 5-7 - "שם"...', english=False) == 'ראו עמ׳ 5-7 - "שם"\u2026'
    typed = 'הוא אמר "good morning" לכולם'
    assert english_marks(typed, english=False) == typed


def test_an_english_possessive_after_a_hebrew_word() -> None:
    assert english_marks("the זוהר's teaching") == f"the זוהר{RS}s teaching"
