"""Reading a built PDF for tests: pages, fonts, metadata, text and glyph positions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from bidi import get_display
from pypdf import PdfReader

INVISIBLE = re.compile("[\u200e\u200f\u2066-\u2069\u202a-\u202e\u00ad\ufffe\uffff]")


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float
    bottom: float
    right: float
    top: float


def glyphs(pdf_path: Path, page_index: int) -> list[Glyph]:
    """Every character drawn on a page with its loose box (pdfium); line ends dropped."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        textpage = pdf[page_index].get_textpage()
        out = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char or char in "\r\n" or INVISIBLE.match(char):
                continue
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
            if right - left <= 0 and not char.isspace():
                continue
            out.append(Glyph(char, left, bottom, right, top))
        return out
    finally:
        pdf.close()


def glyph_lines(pdf_path: Path, page_index: int) -> list[list[Glyph]]:
    """The page's glyphs grouped into lines (a raised footnote call joins its line),
    top to bottom, each sorted left to right."""
    lines: list[list[Glyph]] = []
    by_size = sorted(glyphs(pdf_path, page_index), key=lambda g: (g.bottom - g.top, -g.top))
    for glyph in by_size:
        middle = (glyph.bottom + glyph.top) / 2
        for line in lines:
            if line[0].bottom < middle < line[0].top:
                line.append(glyph)
                break
        else:
            lines.append([glyph])
    lines.sort(key=lambda line: -line[0].top)
    return [sorted(line, key=lambda g: g.left) for line in lines]


def visual_lines(pdf_path: Path, page_index: int) -> list[str]:
    """Each line's characters in left-to-right drawing order (spaces dropped)."""
    return [
        "".join(g.char for g in line if not g.char.isspace())
        for line in glyph_lines(pdf_path, page_index)
    ]


def page_count(pdf_path: Path) -> int:
    """Number of pages."""
    return len(PdfReader(str(pdf_path)).pages)


def text_of_size(pdf_path: Path, pages: range, low: float, high: float) -> str:
    """Text set in one range of sizes (loose glyph height in points), line by line,
    with automatic hyphens at line ends joined. Separates body text from notes."""
    out: list[str] = []
    for index in pages:
        for line in glyph_lines(pdf_path, index):
            chosen = "".join(
                g.char for g in line if g.char.isspace() or low <= g.top - g.bottom <= high
            )
            if chosen.strip():
                out.append(chosen.strip())
    text = ""
    for line in out:
        text = text[:-1] + line if text.endswith("\u2010") else f"{text} {line}"
    return text


def expected_visual(logical: str, direction: str = "ltr") -> str:
    """python-bidi's display order for a logical line, spaces dropped."""
    display = get_display(logical, base_dir="R" if direction == "rtl" else "L")
    return re.sub(r"\s+", "", INVISIBLE.sub("", display))


MIRROR_FOLD = str.maketrans(")]}", "([{")
# Typography sets curly quotes, dashes and the ellipsis; order is compared on their ASCII
# forms (a quote is a quote, whichever way it curls).
MARK_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2014": "-",
        "\u2013": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2060": None,
    }
)
POINT = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
CONTROL = re.compile("[\x00-\x1f]")


def comparable(visual: str) -> str:
    """A visual line for comparing order only: no points, no controls, and each bracket
    pair folded to one character. HarfBuzz draws the mirrored glyph in a right-to-left
    run, and which of the pair the PDF then reports depends on the font's glyphs."""
    return POINT.sub("", CONTROL.sub("", visual)).translate(MARK_FOLD).translate(MIRROR_FOLD)


def page_texts(pdf_path: Path) -> list[str]:
    """Text of each page as pdfium extracts it (logical order is not guaranteed)."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def fonts(pdf_path: Path) -> list[dict]:
    """The fonts of every page: base name, whether embedded, whether subset."""
    reader = PdfReader(str(pdf_path))
    seen: dict[str, dict] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            _collect_font(font, seen)
    return list(seen.values())


def _collect_font(font, seen: dict) -> None:
    name = str(font.get("/BaseFont", ""))
    descendants = font.get("/DescendantFonts")
    descriptor = font.get("/FontDescriptor")
    if descendants:
        descriptor = descendants[0].get_object().get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor else {}
    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    seen[name] = {
        "name": name,
        "embedded": embedded,
        "subset": bool(re.match(r"^/[A-Z]{6}\+", name)),
    }


def line_words(pdf_path: Path, page_index: int, gap: float = 1.6) -> list[list[str]]:
    """Each line's words in drawing order: glyphs further apart than `gap` points (or a
    space) start a new word."""
    out = []
    for line in glyph_lines(pdf_path, page_index):
        words: list[str] = []
        previous = None
        for glyph in line:
            if glyph.char.isspace():
                previous = None
                continue
            if previous is None or glyph.left - previous.right > gap:
                words.append("")
            words[-1] += glyph.char
            previous = glyph
        if words:
            out.append(words)
    return out


def sized_lines(pdf_path: Path, page_index: int) -> list[tuple[float, float, float]]:
    """Each line of a page as (font size in points, left, right), top to bottom: the
    largest size of its glyphs, from PDFium's text layer."""
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        textpage = pdf[page_index].get_textpage()
        lines: list[list[float]] = []  # [top, bottom, size, left, right]
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            size = raw.FPDFText_GetFontSize(textpage.raw, i)
            middle = (top + bottom) / 2
            for line in lines:
                if line[1] - 1 <= middle <= line[0] + 1:
                    line[2], line[3], line[4] = (
                        max(line[2], size),
                        min(line[3], left),
                        max(line[4], right),
                    )
                    break
            else:
                lines.append([top, bottom, size, left, right])
        lines.sort(key=lambda line: -line[0])
        return [(round(size, 1), left, right) for _, _, size, left, right in lines]
    finally:
        pdf.close()
