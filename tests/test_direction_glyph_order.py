"""Bidi as a tested property: each case goes content file → PDF, and the glyphs' left-to-right
positions must spell python-bidi's display order of the case (docs/direction.md, "How it is tested")."""

from __future__ import annotations

import pytest
from conftest import run_build, shared, write_issue
from pdfinspect import comparable, expected_visual, page_count, visual_lines

# (Markdown as an editor types it, the same text as it must read: markup gone, ASCII
# Hebrew quotes printed as gershayim/geresh).
CASES = [
    (
        'Horav **Schneur Zalman** ע"ה ben Horav **Yitzchok**',
        "Horav Schneur Zalman ע״ה ben Horav Yitzchok",
    ),
    (
        "Mrs. **Esther** bas **Fraidel** שתחי' **Shagalov**",
        "Mrs. Esther bas Fraidel שתחי׳ Shagalov",
    ),
    ("In memory ת. נ. צ. ב. ה. forever", "In memory ת. נ. צ. ב. ה. forever"),
    ("him [נפלאות אראנו - Niflaos Avenu].", "him [נפלאות אראנו - Niflaos Avenu]."),
    ("A **bold שלום** עליכם phrase", "A bold שלום עליכם phrase"),
    ("An *italic ברוך* הבא here", "An italic ברוך הבא here"),
    ("טל.: 753-6844 (718) או 934-7095 (323)", "טל.: 753-6844 (718) או 934-7095 (323)"),
    ("אימייל: info@torah4blind.org", "אימייל: info@torah4blind.org"),
    ("הוא אמר *the **Rebbe** said* היום", "הוא אמר the Rebbe said היום"),
    ("בשנת 5786 ראינו", "בשנת 5786 ראינו"),
    ("ראה www.torah4blind.org עכשיו", "ראה www.torah4blind.org עכשיו"),
    ("שלום at the start", "שלום at the start"),
    ("ends with שלום", "ends with שלום"),
    ('Quote: "שלום עליכם" said', 'Quote: "שלום עליכם" said'),
    # Hebrew in English.
    ("The word שלום means peace", "The word שלום means peace"),
    ("He said ברוך השם and smiled", "He said ברוך השם and smiled"),
    ("We read פרשת שמות this week.", "We read פרשת שמות this week."),
    ("He learned פרק 3 today", "He learned פרק 3 today"),
    # English in Hebrew.
    ("קראנו את the Tanya היום", "קראנו את the Tanya היום"),
    ("הספר Likkutei Sichos יצא לאור", "הספר Likkutei Sichos יצא לאור"),
    ("דיברנו עם Rabbi Cohen בבית", "דיברנו עם Rabbi Cohen בבית"),
    # Numbers: years, chapter:verse, thousands, decimals.
    ("See שמות 3:14 for this", "See שמות 3:14 for this"),
    ("בפסוק שמות 3:14 כתוב", "בפסוק שמות 3:14 כתוב"),
    ("בשנת 1,900 עלו לארץ", "בשנת 1,900 עלו לארץ"),
    ('It cost 12.50 ש"ח only', "It cost 12.50 ש״ח only"),
    ("המחיר 3.5 דולר בלבד", "המחיר 3.5 דולר בלבד"),
    ("In 1951 הרבי began to lead", "In 1951 הרבי began to lead"),
    ("הוא נולד בשנת 1902 בעיר", "הוא נולד בשנת 1902 בעיר"),
    ("ראו עמ' 5-7 שם", "ראו עמ׳ 5-7 שם"),
    ("בשנת 2026, Rabbi Cohen spoke", "בשנת 2026, Rabbi Cohen spoke"),
    # Phone numbers, e-mail addresses, URLs.
    ("Call (718) 753-6844 today", "Call (718) 753-6844 today"),
    ("Call שלום at (718) 753-6844", "Call שלום at (718) 753-6844"),
    # A phone number inside Hebrew stays one left-to-right unit (docs/direction.md), as if isolated.
    ("התקשרו (718) 753-6844 היום", "התקשרו \u2066(718) 753-6844\u2069 היום"),
    ("טלפון 1-800-555-1234 חינם", "טלפון 1-800-555-1234 חינם"),
    ("כתבו אל rabbi.cohen@gmail.com בבקשה", "כתבו אל rabbi.cohen@gmail.com בבקשה"),
    ("אתר: https://www.chabad.org/tanya", "אתר: https://www.chabad.org/tanya"),
    ("ראו chabad.org/library לפרטים", "ראו chabad.org/library לפרטים"),
    # Brackets, quotes and dashes at run edges; Hebrew ending with . or , in English.
    ("He wrote (שלום) on it", "He wrote (שלום) on it"),
    ("Say [ברוך הבא] to guests", "Say [ברוך הבא] to guests"),
    ("ראה שם (see p. 5) בסוף", "ראה שם (see p. 5) בסוף"),
    ("He said שבת שלום. Then left", "He said שבת שלום. Then left"),
    ("He read בראשית ברא, then left", "He read בראשית ברא, then left"),
    ("Shalom – שלום – means peace", "Shalom – שלום – means peace"),
    ('הוא אמר "good morning" לכולם', 'הוא אמר "good morning" לכולם'),
    ("ראה פרק 3 (verse 14) שם", "ראה פרק 3 (verse 14) שם"),
    ('He said: "שלום!" and left', 'He said: "שלום!" and left'),
    ("The word 'שלום' is Hebrew", "The word 'שלום' is Hebrew"),
    ("The book 'ספר החינוך' is old", "The book 'ספר החינוך' is old"),
    # Honorifics after English names, typed with ASCII quotes and with gershayim.
    ('Reb **Moshe** ז"ל Levin', "Reb Moshe ז״ל Levin"),
    ('Rabbi Yosef זצ"ל Katz', "Rabbi Yosef זצ״ל Katz"),
    ('The Rebbe נ"ע said so', "The Rebbe נ״ע said so"),
    ('Avraham הי"ד Cohen', "Avraham הי״ד Cohen"),
    ("Yaakov שיחי' Gold", "Yaakov שיחי׳ Gold"),
    ("Rivka שתחי' Stein", "Rivka שתחי׳ Stein"),
    ("Levi and Chana שיחיו Gurary", "Levi and Chana שיחיו Gurary"),
    ('Rabbi Menachem שליט"א spoke', "Rabbi Menachem שליט״א spoke"),
    ("Reb Dovid ע״ה Katz", "Reb Dovid ע״ה Katz"),
    ("Reb Dovid ז״ל, his son", "Reb Dovid ז״ל, his son"),
    ("Mrs. Sarah Levin שתחי'", "Mrs. Sarah Levin שתחי׳"),
    ('Rabbi Yosef ע"ה, Rabbi Chaim ז"ל', "Rabbi Yosef ע״ה, Rabbi Chaim ז״ל"),
    ("Dear ת.נ.צ.ב.ה.", "Dear ת.נ.צ.ב.ה."),
    # Nested bold/italic in both directions; bold crossing a run edge.
    ("*Read **ספר** התניא daily*", "Read ספר התניא daily"),
    ("*קראנו **the Tanya** היום*", "קראנו the Tanya היום"),
    ("*אמרנו **good** morning לכולם*", "אמרנו good morning לכולם"),
    ("He said **good שבת** שלום today", "He said good שבת שלום today"),
    ("אמרנו **שלום Rabbi** Cohen היום", "אמרנו שלום Rabbi Cohen היום"),
    ("*Read **good שבת** שלום now*", "Read good שבת שלום now"),
    ("He said *שלום **עליכם** לכם* twice", "He said שלום עליכם לכם twice"),
    ("אמרנו *good **morning** to* כולם", "אמרנו good morning to כולם"),
    # Footnote calls (definitions in NOTES): the call is drawn as the note's number.
    ("The Rebbe said so[^1] in 5786", "The Rebbe said so1 in 5786"),
    ('כך אמר הרבי[^2] בשנת תשמ"ו', "כך אמר הרבי2 בשנת תשמ״ו"),
    ("He quoted ספר התניא twice[^3].", "He quoted ספר התניא twice3."),
    ("קראנו Tanya היום[^4]", "קראנו Tanya היום\u20664\u2069"),  # the call: an object, isolated
    # A footnote call is its own unit (the direction stage counts it as one neutral
    # object), as if isolated: it follows the Hebrew word in the English line, to its right.
    ("The word שלום[^5] is nice", "The word שלום\u20665\u2069 is nice"),
    # A run that starts or ends a paragraph; Hebrew with an English word at its end.
    ("שלום עליכם is the greeting", "שלום עליכם is the greeting"),
    ("(שלום) is what he said", "(שלום) is what he said"),
    ("The greeting is שלום עליכם", "The greeting is שלום עליכם"),
    ("למדנו היום פרק א' בספר Tanya", "למדנו היום פרק א׳ בספר Tanya"),
    ("זה נקרא בלשון העם Chassidus", "זה נקרא בלשון העם Chassidus"),
    # Maqaf and nikud inside Hebrew words.
    ("The בית־המקדש stood there", "The בית־המקדש stood there"),
    ("בֵּית־הַמִּקְדָּשׁ in Yerushalayim", "בֵּית־הַמִּקְדָּשׁ in Yerushalayim"),
    ("He read בְּרֵאשִׁית aloud", "He read בְּרֵאשִׁית aloud"),
]

# Footnote definitions, appended after all case paragraphs (numbered in call order).
NOTES = [
    "[^1]: A note.",
    "[^2]: הערה.",
    "[^3]: Another note.",
    "[^4]: עוד הערה.",
    "[^5]: A fifth note.",
]


def _values(case) -> tuple[str, str]:
    return tuple(case.values) if hasattr(case, "values") else case


CASE_VALUES = [_values(case) for case in CASES]


@pytest.fixture(scope="module")
def corpus_pdf(tmp_path_factory):
    def make(root):
        content = root / "content"
        content.mkdir()
        from conftest import copy_series, without_fillers

        copy_series(content)
        without_fillers(content)  # only the cases' lines
        body = "\n\n".join([typed for typed, _ in CASE_VALUES] + NOTES) + "\n"
        folder = write_issue(content, body)
        run = run_build("build", folder, "-o", content.parent / "out")
        assert run.returncode == 0, run.stderr
        return run.pdf

    return shared(tmp_path_factory, "corpus", make)


@pytest.fixture(scope="module")
def corpus_lines(corpus_pdf) -> list[str]:
    """Every line of the corpus PDF as drawn, read once for all the cases."""
    return [line for i in range(page_count(corpus_pdf)) for line in visual_lines(corpus_pdf, i)]


# What the PDF can and cannot tell. pdfium reports a bracket drawn next to Hebrew as its
# mirror image, by its own bidi guess, even where the font's ToUnicode map and the page
# (checked in PNG renders) show the right glyph: so a bracket's position is compared, not
# which way it faces. Hebrew points (nikud) are drawn on their letter, so their x order
# inside a letter's cluster means nothing; and the ToUnicode map gives each glyph the text
# of one cluster it was drawn in (a hiriq glyph first drawn with a dagesh reports both
# everywhere; some mark glyphs report nothing, which pdfium shows as a control
# character). So points are left out of the comparison: letters, maqaf and word order are
# checked; the points were checked by eye in PNG renders.
def _by_language(text: str) -> str:
    """The README's rule for a paragraph of an English essay: right to left only when at
    least three letters in four are Hebrew."""
    hebrew = sum("\u05d0" <= c <= "\u05ea" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return "rtl" if hebrew + latin and hebrew >= 0.75 * (hebrew + latin) else "ltr"


@pytest.mark.parametrize("typed, printed", CASES, ids=[printed[:24] for _, printed in CASE_VALUES])
def test_case_is_drawn_in_display_order(corpus_lines, typed: str, printed: str) -> None:
    lines = corpus_lines
    direction = _by_language(printed)
    expected = comparable(expected_visual(printed, direction))
    found = [line for line in lines if comparable(line) == expected]
    assert found, f"{expected!r} not among {[comparable(line) for line in lines]}"
