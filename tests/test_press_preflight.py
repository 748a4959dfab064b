"""Preflight: a clean print master and a clean screen PDF pass; each fault a print shop
rejects, planted once in a real PDF (WeasyPrint from a small page, pydyf by hand, or a
pypdf edit of the clean master), is reported with its level and page."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pydyf
import pytest
import weasyprint
from conftest import ROOT
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject

from pamphlet.press.preflight import Finding, preflight

FONT = ROOT / "fonts" / "CharisSIL-Regular.ttf"
BUNDLED = {"Pamphlet-Serif": FONT}
PAGES = [f"<p>Page {n} of the issue, set in the bundled serif.</p>" for n in range(1, 5)]


def icc_profile(space: bytes) -> bytes:
    """The smallest ICC profile LittleCMS (so WeasyPrint) accepts: an output-device header
    for colour space `space` and one description tag. Preflight reads only the header."""
    text = b"Test profile\x00"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(78)
    table = struct.pack(">I4sII", 1, b"desc", 128 + 16, len(desc))
    header = struct.pack(
        ">I4sI4s4s4s", 128 + len(table) + len(desc), b"none", 0x02100000, b"prtr", space, b"Lab "
    )
    header += bytes(12) + b"acsp" + bytes(28) + struct.pack(">iii", 63190, 65536, 54061) + bytes(48)
    return header + table + desc


def _image(folder: Path, name: str, mode: str, pixels: int) -> None:
    Image.new(mode, (pixels, pixels), 128 if mode == "L" else (200, 30, 30)).save(folder / name)


def render(
    folder: Path,
    pages: list[str],
    master: bool = True,
    bleed: str = "0.125in",
    profile: bytes | None = b"CMYK",
) -> Path:
    """A small booklet rendered by WeasyPrint: the master as PDF/X-4 with a CMYK profile
    and CMYK text, the reader plain; one section per page, the bundled serif throughout."""
    folder.mkdir(parents=True, exist_ok=True)
    _image(folder, "gray320.png", "L", 160)  # 160 px over half an inch: 320 dpi
    _image(folder, "gray72.png", "L", 72)  # 72 px over an inch: 72 dpi
    _image(folder, "rgb400.png", "RGB", 200)  # 200 px over half an inch: 400 dpi
    css = f"""
      @font-face {{ font-family: "Pamphlet Serif"; src: url({FONT.as_uri()}) }}
      @page {{ size: 5.5in 8.5in; margin: 0.75in; {f"bleed: {bleed}" if bleed else ""} }}
      body {{ font: 11pt "Pamphlet Serif"; color: {"device-cmyk(0 0 0 1)" if master else "#222"} }}
      section {{ break-after: page }} section:last-child {{ break-after: auto }}
      img {{ display: block }}
    """
    if profile is not None and master:
        (folder / "output.icc").write_bytes(icc_profile(profile))
        css += "@color-profile device-cmyk { src: url(output.icc); components: c, m, y, k }"
    html = f"<style>{css}</style>" + "".join(f"<section>{page}</section>" for page in pages)
    pdf = folder / ("master.pdf" if master else "reader.pdf")
    weasyprint.HTML(string=html, base_url=str(folder) + "/").write_pdf(
        pdf, pdf_variant="pdf/x-4" if master else None
    )
    return pdf


def with_page(number: int, html: str, pages: list[str] = PAGES) -> list[str]:
    """The four clean pages with `html` added to page `number` (1-based)."""
    return [page + (html if n == number else "") for n, page in enumerate(pages, start=1)]


def matching(findings: list[Finding], words: str) -> list[tuple[str, int | None]]:
    """Level and page of each finding whose message contains `words`."""
    return [(f.level, f.page) for f in findings if words in f.what]


@pytest.fixture(scope="module")
def clean_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four pages with an image at 320 dpi and a half-transparent CMYK line."""
    pages = with_page(2, '<img src="gray320.png" style="width: 0.5in">')
    pages = with_page(3, '<p style="opacity: 0.5">Half as dark.</p>', pages)
    return render(tmp_path_factory.mktemp("clean"), pages)


@pytest.fixture(scope="module")
def clean_reader(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four pages of the screen PDF: links, RGB colour and an RGB image are at home here."""
    pages = with_page(
        1,
        '<p><a href="https://example.org/">A link</a> in <span style="color: rgb(200, 0, 0)">red</span>.</p>',
    )
    pages = with_page(2, '<img src="rgb400.png" style="width: 0.5in">', pages)
    return render(tmp_path_factory.mktemp("reader"), pages, master=False, bleed="")


def edited(source: Path, target: Path, change) -> Path:
    """A copy of `source` with one change made by pypdf."""
    writer = PdfWriter(clone_from=source)
    change(writer)
    writer.write(target)
    return target


def test_clean_master_has_no_findings(clean_master: Path) -> None:
    assert preflight(clean_master, "master", fonts=BUNDLED) == []


def test_clean_reader_has_no_findings(clean_reader: Path) -> None:
    assert preflight(clean_reader, "reader", fonts=BUNDLED) == []


# --- fonts ---------------------------------------------------------------------------


def _helvetica_page(
    path: Path, content: bytes = b"BT /F1 12 Tf 72 700 Td (Plain Helvetica) Tj ET"
) -> Path:
    """One letter-size page that names Helvetica and does not embed it."""
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    stream = pydyf.Stream([content])
    pdf.add_object(stream)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([0, 0, 612, 792]),
            "Contents": stream.reference,
            "Resources": resources,
        }
    )
    pdf.add_page(page)
    with path.open("wb") as file:
        pdf.write(file)
    return path


def test_a_font_not_embedded_is_an_error(tmp_path: Path) -> None:
    found = preflight(_helvetica_page(tmp_path / "helvetica.pdf"), "reader")
    assert [(f.level, f.page, f.where) for f in found if "not embedded" in f.what] == [
        ("error", 1, "Helvetica")
    ]


def test_a_font_embedded_whole_is_a_warning(clean_master: Path, tmp_path: Path) -> None:
    def untag(writer: PdfWriter) -> None:
        for page in writer.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                for dictionary in [
                    font,
                    *(d.get_object() for d in font.get("/DescendantFonts", [])),
                ]:
                    name = re.sub(r"^/[A-Z]{6}\+", "/", dictionary["/BaseFont"])
                    dictionary[NameObject("/BaseFont")] = NameObject(name)

    found = preflight(edited(clean_master, tmp_path / "whole.pdf", untag), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("warning", 1, "Pamphlet-Serif")]
    assert "not as a subset" in found[0].what


def test_a_system_font_standing_in_is_an_error(tmp_path: Path) -> None:
    pages = with_page(
        2, '<p style="font-family: NoSuchFamily, serif">Set in whatever the system has.</p>'
    )
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    fallback = [f for f in found if "not one of the bundled fonts" in f.what]
    assert [(f.level, f.page) for f in fallback] == [("error", 2)]
    assert "Pamphlet" not in fallback[0].where
    assert [f for f in found if f.level == "error"] == fallback


def test_a_character_no_font_has_is_an_error(tmp_path: Path) -> None:
    """U+0378 is unassigned: no font has it, and WeasyPrint draws the .notdef box."""
    pages = with_page(3, "<p>Shalom \u0378 world</p>")
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page) for f in found] == [("error", 3)]
    assert "U+0378" in found[0].what and "Shalom" in found[0].what and "world" in found[0].what
    assert found[0].where.endswith("+Pamphlet-Serif")


def test_glyph_zero_in_an_identity_font_is_an_error(tmp_path: Path) -> None:
    """The bundled serif embedded by hand as a Type 0 font; the second of three glyphs is
    glyph 0 (.notdef): one error on the page, and a warning that the font is not subset."""
    pdf = pydyf.PDF()
    program = pydyf.Stream([FONT.read_bytes()], compress=True)
    pdf.add_object(program)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": "/Pamphlet-Serif",
            "Flags": 32,
            "FontBBox": pydyf.Array([0, -300, 1000, 900]),
            "ItalicAngle": 0,
            "Ascent": 900,
            "Descent": -300,
            "CapHeight": 700,
            "StemV": 80,
            "FontFile2": program.reference,
        }
    )
    pdf.add_object(descriptor)
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": "/Pamphlet-Serif",
            "CIDSystemInfo": pydyf.Dictionary(
                {
                    "Registry": pydyf.String("Adobe"),
                    "Ordering": pydyf.String("Identity"),
                    "Supplement": 0,
                }
            ),
            "FontDescriptor": descriptor.reference,
            "CIDToGIDMap": "/Identity",
        }
    )
    pdf.add_object(cid_font)
    font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": "/Pamphlet-Serif",
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
        }
    )
    pdf.add_object(font)
    stream = pydyf.Stream([b"BT /F1 12 Tf 72 700 Td <002400000025> Tj ET"])
    pdf.add_object(stream)
    for _ in range(4):
        resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
        box = pydyf.Array([0, 0, 612, 792])
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": box,
                    "Contents": stream.reference,
                    "Resources": resources,
                }
            )
        )
    path = tmp_path / "cid.pdf"
    with path.open("wb") as file:
        pdf.write(file)
    found = preflight(path, "reader", fonts=BUNDLED)
    assert sorted((f.level, f.page, f.where) for f in found) == [
        *(("error", n, "Pamphlet-Serif") for n in range(1, 5)),
        ("warning", 1, "Pamphlet-Serif"),
    ]
    assert all(".notdef" in f.what for f in found if f.level == "error")


# --- text and the trim -----------------------------------------------------------------


def _placed(left_of_margin: float, word: str) -> str:
    """A word set `left_of_margin` points left of the page's 0.75 in (54 pt) margin."""
    return (
        f'<p style="position: absolute; top: 2in; left: -{left_of_margin}pt; margin: 0">{word}</p>'
    )


def test_text_inside_the_safe_margin_is_a_warning(tmp_path: Path) -> None:
    pages = with_page(2, _placed(44, "Crowded"))  # 10 pt from the trim's left edge
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("warning", 2, "left edge")]
    assert "Crowded" in found[0].what


def test_a_page_of_crowded_lines_shows_three_and_counts_the_rest(tmp_path: Path) -> None:
    lines = "<br>".join(f"Line {n}" for n in range(1, 8))
    pages = with_page(3, f'<p style="margin-left: -44pt">{lines}</p>')  # 10 pt from the trim
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [
        *[("warning", 3, "left edge")] * 3,
        ("warning", 3, None),
    ]
    assert [f"Line {n}" in f.what for n, f in enumerate(found[:3], start=1)] == [True] * 3
    assert found[3].what.startswith("4 more lines")


def test_text_past_the_trim_is_an_error(tmp_path: Path) -> None:
    pages = with_page(2, _placed(70, "Outside"))  # starts 16 pt left of the trim
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", 2, "left edge")]
    assert "text off the page" in found[0].what and "Outside" in found[0].what


# --- pages and boxes -------------------------------------------------------------------


@pytest.mark.parametrize(("role", "level"), [("master", "error"), ("reader", "warning")])
def test_six_pages_do_not_fold(tmp_path: Path, role: str, level: str) -> None:
    master = role == "master"
    pdf = render(tmp_path, [*PAGES, *PAGES[:2]], master=master, bleed="0.125in" if master else "")
    found = preflight(pdf, role, fonts=BUNDLED)
    assert [(f.level, f.page) for f in found] == [(level, None)]
    assert "6 pages" in found[0].what and "multiple of 4" in found[0].what


def test_a_master_page_without_bleedbox_is_an_error(clean_master: Path, tmp_path: Path) -> None:
    def drop(writer: PdfWriter) -> None:
        del writer.pages[1][NameObject("/BleedBox")]

    found = preflight(edited(clean_master, tmp_path / "nobleed.pdf", drop), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", 2, "BleedBox")]


def test_a_trimbox_outside_the_bleedbox_is_an_error(clean_master: Path, tmp_path: Path) -> None:
    def widen(writer: PdfWriter) -> None:  # the BleedBox is [-9 -9 405 621]
        box = [FloatObject(v) for v in (-20, 0, 396, 612)]
        writer.pages[2][NameObject("/TrimBox")] = ArrayObject(box)

    found = preflight(edited(clean_master, tmp_path / "wide.pdf", widen), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", 3, "TrimBox")]
    assert "[-20 0 396 612]" in found[0].what


def test_a_bleed_under_an_eighth_of_an_inch_is_an_error(tmp_path: Path) -> None:
    found = preflight(render(tmp_path, PAGES, bleed="4pt"), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [
        ("error", n, "BleedBox") for n in range(1, 5)
    ]
    assert all("4.00 pt" in f.what for f in found)


def test_a_screen_pdf_with_bleed_is_a_warning(tmp_path: Path) -> None:
    found = preflight(render(tmp_path, PAGES, master=False), "reader", fonts=BUNDLED)
    assert [(f.level, f.page) for f in found] == [("warning", n) for n in range(1, 5)]
    assert all("[-9 -9 405 621]" in f.what for f in found)


# --- images and colour -----------------------------------------------------------------


@pytest.mark.parametrize(("role", "level"), [("master", "error"), ("reader", "warning")])
def test_a_72_dpi_image_is_too_coarse(tmp_path: Path, role: str, level: str) -> None:
    pages = with_page(2, '<img src="gray72.png" style="width: 1in">')
    found = preflight(render(tmp_path, pages), role, fonts=BUNDLED)
    coarse = [f for f in found if "dpi" in f.what]
    assert [(f.level, f.page) for f in coarse] == [(level, 2)]
    assert "72 x 72 px" in coarse[0].what and "72 dpi" in coarse[0].what
    assert coarse[0].where.startswith("image /")


def test_an_rgb_colour_in_the_master_is_an_error(tmp_path: Path) -> None:
    pages = with_page(3, '<p style="color: rgb(200, 0, 0)">Red letters.</p>')
    pdf = render(tmp_path, pages)
    found = preflight(pdf, "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", 3, "page content")]
    assert "DeviceRGB" in found[0].what and "rg" in found[0].what
    assert not matching(preflight(pdf, "reader", fonts=BUNDLED), "DeviceRGB")


def test_an_rgb_colour_inside_a_form_is_found(tmp_path: Path) -> None:
    """Half opacity puts the line in a transparency group, a Form XObject."""
    pages = with_page(2, '<p style="opacity: 0.5; color: rgb(0, 0, 200)">Faint blue.</p>')
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page) for f in found] == [("error", 2)]
    assert "DeviceRGB" in found[0].what and found[0].where.startswith("form /")


def test_an_rgb_image_in_the_master_is_an_error(tmp_path: Path) -> None:
    pages = with_page(4, '<img src="rgb400.png" style="width: 0.5in">')
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page) for f in found] == [("error", 4)]
    assert "image in DeviceRGB" in found[0].what and found[0].where.startswith("image /")


def test_an_rgb_gradient_in_the_master_is_an_error(tmp_path: Path) -> None:
    """WeasyPrint 70 gives a gradient its RGB values (three) under the master's CMYK
    profile (four components), in a shading inside a tiling pattern."""
    pages = with_page(
        1, '<div style="height: 0.5in; background: linear-gradient(red, blue)"></div>'
    )
    found = preflight(render(tmp_path, pages), "master", fonts=BUNDLED)
    assert [(f.level, f.page) for f in found] == [("error", 1)]
    assert "gradient" in found[0].what and found[0].where.startswith("shading /")


@pytest.mark.parametrize(
    ("profile", "words"), [(None, "no PDF/X output intent"), (b"RGB ", "for RGB colour, not CMYK")]
)
def test_a_master_without_a_cmyk_output_intent_is_an_error(
    tmp_path: Path, profile: bytes | None, words: str
) -> None:
    found = preflight(render(tmp_path, PAGES, profile=profile), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", None, "OutputIntents")]
    assert words in found[0].what


def test_a_link_in_the_master_is_an_error(tmp_path: Path) -> None:
    link = '<p><a href="https://example.org/" style="color: inherit; text-decoration: none">A link</a></p>'
    found = preflight(render(tmp_path, with_page(3, link)), "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", 3, "Link")]
    assert "do not belong in a print master" in found[0].what


# --- the file itself -------------------------------------------------------------------


def test_a_wrong_object_offset_is_a_qpdf_warning(clean_master: Path, tmp_path: Path) -> None:
    """pypdf rewrites the master with a classic xref table; object 1's offset is then
    pointed elsewhere. qpdf finds the object by scanning, and warns."""
    data = edited(clean_master, tmp_path / "copy.pdf", lambda writer: None).read_bytes()
    table = data.rindex(b"\nxref\n")
    entry = re.compile(rb"\d{10} 00000 n").search(data, table)
    assert entry is not None
    broken = tmp_path / "offset.pdf"
    broken.write_bytes(data[: entry.start()] + b"0000000999 00000 n" + data[entry.end() :])
    found = preflight(broken, "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("warning", None, "qpdf")]
    assert "damaged" in found[0].what


def test_a_wrong_startxref_to_an_xref_stream_is_a_qpdf_error(
    clean_master: Path, tmp_path: Path
) -> None:
    """WeasyPrint writes a cross-reference stream; with startxref pointing elsewhere pypdf
    and PDFium still find their way, qpdf finds no trailer and refuses the file."""
    data = clean_master.read_bytes()
    at = data.rindex(b"startxref") + len(b"startxref\n")
    broken = tmp_path / "startxref.pdf"
    broken.write_bytes(data[:at] + b"999" + data[at:].lstrip(b"0123456789"))
    found = preflight(broken, "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", None, "qpdf")]
    assert "trailer" in found[0].what


def test_an_undecodable_content_stream_is_a_qpdf_error(tmp_path: Path) -> None:
    """Not zlib data under /FlateDecode: readers show a blank page, qpdf refuses it."""
    pdf = pydyf.PDF()
    stream = pydyf.Stream([b"this is not deflated"], extra={"Filter": "/FlateDecode"})
    pdf.add_object(stream)
    for _ in range(4):
        box = pydyf.Array([0, 0, 396, 612])
        pdf.add_page(
            pydyf.Dictionary(
                {
                    "Type": "/Page",
                    "Parent": pdf.pages.reference,
                    "MediaBox": box,
                    "Contents": stream.reference,
                }
            )
        )
    path = tmp_path / "garbled.pdf"
    with path.open("wb") as file:
        pdf.write(file)
    found = preflight(path, "reader")
    assert ("error", None, "qpdf") in [(f.level, f.page, f.where) for f in found]
    assert "content stream" in next(f.what for f in found if f.where == "qpdf")


def test_a_truncated_file_is_one_error(clean_master: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(clean_master.read_bytes()[:2000])
    found = preflight(cut, "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.where) for f in found] == [("error", None, "cut.pdf")]
    assert "not a readable PDF" in found[0].what


@pytest.mark.parametrize(
    "content", [b"", b"Shalom, not a PDF\n", b"%PDF-1.7\n"], ids=["empty", "text", "header"]
)
def test_a_file_that_is_not_a_pdf_is_one_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(content)
    found = preflight(path, "reader")
    assert [(f.level, f.page, f.where) for f in found] == [("error", None, "notes.pdf")]


def test_a_missing_file_is_one_error(tmp_path: Path) -> None:
    found = preflight(tmp_path / "absent.pdf", "master")
    assert [(f.level, f.page) for f in found] == [("error", None)]


def test_without_qpdf_the_check_is_an_error(
    clean_master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    found = preflight(clean_master, "master", fonts=BUNDLED)
    assert [(f.level, f.page, f.what) for f in found] == [
        ("error", None, "qpdf is not installed: the file's structure was not checked")
    ]


def test_an_unknown_role_is_refused(clean_master: Path) -> None:
    with pytest.raises(ValueError, match="proof"):
        preflight(clean_master, "proof")
