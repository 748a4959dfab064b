"""Bidi as a tested property: each case goes content file → PDF, and the glyphs' left-to-right
positions must spell python-bidi's display order of the case (docs: rtl.md)."""

from __future__ import annotations

import pytest
from conftest import run_build, write_issue
from pdfinspect import expected_visual, page_count, visual_lines

from pamphlet.direction import first_strong_direction

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
]


@pytest.fixture(scope="module")
def corpus_pdf(tmp_path_factory):
    content = tmp_path_factory.mktemp("corpus") / "content"
    content.mkdir()
    from conftest import ROOT

    (content / "series.yaml").write_text(
        (ROOT / "content" / "series.yaml").read_text(encoding="utf-8")
    )
    body = "\n\n".join(typed for typed, _ in CASES) + "\n"
    folder = write_issue(content, body)
    run = run_build("build", folder, "-o", content.parent / "out")
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.parametrize("typed, printed", CASES, ids=[c[1][:24] for c in CASES])
def test_case_is_drawn_in_display_order(corpus_pdf, typed: str, printed: str) -> None:
    lines = [line for i in range(page_count(corpus_pdf)) for line in visual_lines(corpus_pdf, i)]
    direction = first_strong_direction(printed) or "ltr"
    assert expected_visual(printed, direction) in lines
