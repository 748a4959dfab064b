"""The default issue, end to end: what a reader and a printer see in the PDF."""

from __future__ import annotations

import re

from conftest import DATA, ROOT, run_build, run_process
from pdfinspect import (
    comparable,
    expected_visual,
    fonts,
    page_count,
    page_texts,
    text_of_size,
    visual_lines,
)
from pypdf import PdfReader

BODY = (15.5, 17.5)  # loose glyph height of 10 pt body text
NOTES = (12.0, 13.0)  # 7.8 pt footnotes
# The seed's own slips that the layout or the records put right.
SEED_CORRECTIONS = {"FREIND": "FRIEND"}


def words(text: str) -> list[str]:
    """Latin words and numbers, lower-cased: what 'the same sentence' means here."""
    for wrong, right in SEED_CORRECTIONS.items():
        text = text.replace(wrong, right)
    text = text.replace("\u2019", "'").replace("\u2010", "-")
    text = re.sub(r"\[([^\]]*)\]\((?:mailto:)?[^)]*\)", r"\1", text)  # Markdown links: their text
    text = re.sub(r"<sup>\d+</sup>", " ", text)  # footnote calls are checked on their own
    return re.findall(r"[a-z0-9]+", text.lower())


def seed_sections() -> dict[str, str]:
    """The seed cut into its essay, its talks and their footnotes."""
    seed = (DATA / "seed-004-shemot-5786.txt").read_text(encoding="utf-8")
    essay = seed[seed.index("When Moses encounters") : seed.index("*(Based on Likkutei")]
    talks = seed[seed.index("All of the signs") : seed.index("**IN LOVING MEMORY OF A DEAR")]
    notes = "\n".join(re.findall(r"^\d+\. .*$", talks, flags=re.MULTILINE))
    # Footnotes and the talks' numbers (headings) are checked on their own.
    body = "\n".join(line for line in talks.splitlines() if not re.match(r"^(\d+\. |#)", line))
    return {"essay": essay, "talks": body, "notes": notes, "all": seed}


def is_subsequence(needle: list[str], haystack: list[str]) -> tuple[bool, int]:
    """Whether needle's words all occur in haystack in order (and where it failed)."""
    position = 0
    for i, word in enumerate(needle):
        try:
            position = haystack.index(word, position) + 1
        except ValueError:
            return False, i
    return True, len(needle)


def test_default_command_builds_current_issue_into_output() -> None:
    run = run_process()  # `python build.py` as the README says, in a fresh interpreter
    assert run.returncode == 0, run.stderr
    path = run.pdf
    assert path.endswith(".pdf") and "/output/" in path
    assert page_count(path) % 4 == 0


def test_build_prints_only_the_paths_and_no_warnings(default_build) -> None:
    assert default_build.run.stderr == ""  # --quiet: paths on stdout, and no warnings
    assert default_build.pdf.exists() and default_build.html.exists()


def test_saddle_stitch_padding_goes_before_the_back_cover(default_build) -> None:
    pages = [t.replace("\r\n", " ") for t in page_texts(default_build.pdf)]
    assert len(pages) % 4 == 0
    assert "TO DEDICATE AN ISSUE" in pages[-1]
    # The 13 pages of content leave three before the back cover: the series' fillers,
    # in the order series.yaml lists them.
    fillers = [
        (ROOT / "content" / "fillers" / name).read_text(encoding="utf-8").splitlines()[0][2:]
        for name in ("dedicate.md", "house.md", "notes.md")
    ]
    assert all(title in page for title, page in zip(fillers, pages[-4:-1], strict=True)), pages
    assert "IN LOVING MEMORY OF A DEAR FRIEND" in pages[-5]


def test_pages_follow_the_pamphlet_anatomy(default_build) -> None:
    pages = [t.replace("\r\n", " ") for t in page_texts(default_build.pdf)]
    assert "Reprinted for Parshat Shemot, 5786" in pages[0] and "(Vol. 13)" in pages[0]
    assert "IN LOVING MEMORY OF" in pages[1] and "Printed in the U.S.A." in pages[1]
    assert "by Rabbi Dovid Yisroel Ber Kaufmann, Ph.D" in pages[2]
    assert "Shmos" in pages[3] and "MOSES AND MOSHIACH" in pages[3]


def test_metadata_title_author_subject_language(default_build) -> None:
    reader = PdfReader(default_build.pdf)
    meta = reader.metadata
    assert meta.title == "Reflections of Redemption: Parshat Shemot 5786"
    assert meta.author == "Rabbi Dovid Yisroel Ber Kaufmann, Ph.D"
    assert meta.subject == "Parshat Shemot 5786 (Vol. 13)"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_bookmarks_for_essay_and_each_talk(default_build) -> None:
    outline = PdfReader(default_build.pdf).outline
    titles = [
        item.title if not isinstance(item, list) else [i.title for i in item] for item in outline
    ]
    assert titles == ["Moses and Moshiach", "The Announcement of the Redemption", ["12", "58"]]


def test_every_font_is_bundled_embedded_and_subset(default_build) -> None:
    found = fonts(default_build.pdf)
    assert found
    for font in found:
        assert font["embedded"] and font["subset"], font
        assert re.search(r"\+Pamphlet-(Serif|Hebrew)", font["name"]), font
    names = {f["name"].split("+")[1] for f in found}
    assert {
        "Pamphlet-Serif",
        "Pamphlet-Serif-Italic",
        "Pamphlet-Serif-Bold",
        "Pamphlet-Hebrew",
    } <= names


def test_folios_on_inner_pages_only(default_build) -> None:
    pdf = default_build.pdf
    count = page_count(pdf)
    folio_pages = [i for i in range(count) if str(i + 1) in visual_lines(pdf, i)[-1:]]
    assert 0 not in folio_pages and 1 not in folio_pages and 2 not in folio_pages
    assert count - 1 not in folio_pages
    assert {3, 4, 5, 6, 7} <= set(folio_pages)


def test_seed_essay_and_talks_in_order(default_build) -> None:
    sections = seed_sections()
    count = page_count(default_build.pdf)
    body = words(text_of_size(default_build.pdf, range(3, count), *BODY))
    for name in ("essay", "talks"):
        expected = words(sections[name])
        ok, at = is_subsequence(expected, body)
        assert ok, f"{name}: lost at word {at}: {expected[max(0, at - 5) : at + 5]}"
    joined = " ".join(body)
    for paragraph in re.split(r"\n\s*\n", sections["essay"]):
        if len(words(paragraph)) > 8:
            assert " ".join(words(paragraph)) in joined


def test_seed_footnotes_in_order_numbered_per_talk(default_build) -> None:
    count = page_count(default_build.pdf)
    notes_text = text_of_size(default_build.pdf, range(3, count), *NOTES)
    notes = words(notes_text)
    for line in seed_sections()["notes"].splitlines():
        assert " ".join(words(line)) in " ".join(notes), line
    # Both talks start again at 1: "1. Sanhedrin 97b." is the first note of each.
    assert len(re.findall(r"1\.\s*Sanhedrin 97b\.", notes_text)) == 2


def test_footnote_sits_on_the_page_that_calls_it(default_build) -> None:
    pages = page_texts(default_build.pdf)
    for call_text, note_text in [
        ("passed all the deadlines", "Talk of Simchas Torah, 5689"),
        ("festive meal of Livyosan", "Bava Basra"),
        ("conclusion of his work", "Laws of Kings, end of chapter 11"),
    ]:
        calling = [i for i, t in enumerate(pages) if call_text in t.replace("\r\n", " ")]
        assert calling, call_text
        assert note_text in pages[calling[0]].replace("\r\n", " ")


def test_front_and_back_matter_of_the_seed(default_build) -> None:
    text = " ".join(words(" ".join(page_texts(default_build.pdf))))
    seed = seed_sections()["all"]
    front = seed[: seed.index("# Shmos")]
    back = seed[seed.index("**IN LOVING MEMORY OF A DEAR") :]
    for block in (front, back):
        for line in block.splitlines():
            latin = " ".join(words(line))
            if latin:
                assert f" {latin} " in f" {text} ", line


def test_hebrew_runs_drawn_right_to_left(default_build) -> None:
    pdf = default_build.pdf
    lines = {comparable(line) for i in range(page_count(pdf)) for line in visual_lines(pdf, i)}
    cases = [
        ("Horav Schneur Zalman Halevi ע״ה", "ltr"),
        ("ben Horav Yitzchok Elchonon Halevi ה״י", "ltr"),
        ("Reb Dovid Asniel ben Reb Eliyahu ע״ה", "ltr"),
        ("Fraidel Chedva שתח׳ל", "ltr"),
        ("ת. נ. צ. ב. ה.", "rtl"),
        ("Reb Yosef Yisroel ben Reb Sholom ע״ה Rosner", "ltr"),
        ("Mr. & Mrs. Gershon and Leah שיחיו Wolf", "ltr"),
        ("DEDICATED BY HER FRIENDS תחיינה", "ltr"),
        ('היי שותף בהפצת עניני "משיח וגאולה"!!!', "rtl"),
        ("להקדשות ולפרטים נוספים:", "rtl"),
        ("טל.: 753-6844 (718) או 934-7095 (323)", "rtl"),
        ("אימייל: info@torah4blind.org", "rtl"),
    ]
    for logical, direction in cases:
        assert any(comparable(expected_visual(logical, direction)) in line for line in lines)
    phrase = comparable(expected_visual("[נפלאות אראנו - Niflaos Avenu].", "ltr"))
    assert any(phrase in line for line in lines)


def test_written_html_renders_the_same_pages(default_build, tmp_path) -> None:
    from weasyprint import HTML

    again = tmp_path / "again.pdf"
    HTML(filename=str(default_build.html)).write_pdf(again)

    # The build corrects the text layer (pamphlet/pdf/text_layer.py): bare WeasyPrint can
    # copy a bracket drawn in a left-to-right run inside Hebrew as its mirror image.
    def without_brackets(texts: list[str]) -> list[str]:
        return [t.replace("(", "").replace(")", "") for t in texts]

    assert without_brackets(page_texts(again)) == without_brackets(page_texts(default_build.pdf))


def test_second_issue_folder_builds(second_build) -> None:
    pdf = second_build.pdf
    assert page_count(pdf) % 4 == 0
    body = words(text_of_size(pdf, range(3, page_count(pdf)), *BODY))
    seed = (DATA / "seed-002-hashems-whole-world.txt").read_text(encoding="utf-8")
    seed_body = seed[seed.index("**And on that day") :]
    ok, at = is_subsequence(words(seed_body), body)
    assert ok, f"lost at word {at}"
    assert "YOU'RE HASHEM'S WHOLE WORLD!" in " ".join(page_texts(pdf)).replace("\u2019", "'")


def test_build_is_reproducible(default_build, tmp_path) -> None:
    run = run_build("build", ROOT / "content" / "shemot-5786", "-o", tmp_path, "--quiet")
    assert run.returncode == 0, run.stderr
    again = tmp_path / default_build.pdf.name
    assert again.read_bytes() == default_build.pdf.read_bytes()
    # the print master too: its XMP DocumentID is derived from the input, not random
    master = tmp_path / default_build.master.name
    assert master.read_bytes() == default_build.master.read_bytes()
