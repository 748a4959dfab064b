"""Saddle-stitch imposition (pamphlet/press/impose.py, `impose`): real PDFs made here with
pydyf, imposed, then read back: which page sits on which side of the fold (text positions,
pdfium), where colours land (tiny renders), and pdfimpose's order on the same input.

Expectations come from docs/print.md, written out below, never from the code under test."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess

import pydyf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import assert_one_line_error, run_build
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter

from pamphlet.errors import PamphletError
from pamphlet.lengths import points as parse_length
from pamphlet.press import impose as impose_module
from pamphlet.press.impose import impose_pdf, saddle_order

IN, MM = 72.0, 72 / 25.4
SHEET_SIZES = {  # landscape, points
    "letter": (11 * IN, 8.5 * IN),
    "a4": (297 * MM, 210 * MM),
    "tabloid": (17 * IN, 11 * IN),
    "a3": (420 * MM, 297 * MM),
}


# -- the formula of docs/print.md, written out ---------------------------------------------


def booklet_pages(count: int) -> list[int | None]:
    """Reading order of the booklet: blanks (None) before the back cover; one page first."""
    total = count + (-count) % 4
    if count == 1:
        return [1, None, None, None]
    return list(range(1, count)) + [None] * (total - count) + [count]


def expected_sides(count: int, binding: str) -> list[tuple[int | None, int | None]]:
    """print.md: sheet k front = (N − 2k, 2k + 1), back = (2k + 2, N − 2k − 1), left
    then right, left-bound; right-bound swaps left and right."""
    book = booklet_pages(count)
    n = len(book)
    sides = []
    for k in range(n // 4):
        for left, right in ((n - 2 * k, 2 * k + 1), (2 * k + 2, n - 2 * k - 1)):
            pair = (book[left - 1], book[right - 1])
            sides.append(pair if binding == "left" else pair[::-1])
    return sides


# -- PDFs made for the tests ---------------------------------------------------------------


def numbered_pdf(count: int, size: tuple[float, float] = (144, 216), r2l: bool = False) -> bytes:
    """`count` pages, each with its number in Helvetica a little left of its middle."""
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    pdf.add_object(resources)
    for number in range(1, count + 1):
        stream = pydyf.Stream()
        stream.begin_text()
        stream.set_font_size("F1", 20)
        stream.set_text_matrix(1, 0, 0, 1, size[0] / 2 - 12, size[1] / 2)
        stream.show_text_string(str(number))
        stream.end_text()
        pdf.add_object(stream)
        page = {"Type": "/Page", "Parent": pdf.pages.reference, "Contents": stream.reference}
        page |= {"MediaBox": pydyf.Array([0, 0, *size]), "Resources": resources.reference}
        pdf.add_page(pydyf.Dictionary(page))
    if r2l:
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"Direction": "/R2L"})
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


TRIM, BLEED = (180, 270), 9
TRIM_COLOURS = [(255, 0, 0), (0, 170, 0), (0, 0, 255), (255, 200, 0)]
BLEED_COLOURS = [(255, 0, 255), (0, 255, 255), (120, 60, 0), (120, 120, 120)]


def colour_pdf(
    count: int, trim_colours: list | None = None, bleed_colours: list | None = None
) -> bytes:
    """Pages of TRIM points with BLEED on every side (MediaBox = BleedBox): the bleed
    filled with one colour, the trim with another, per page (cycling through the lists)."""
    trims, bleeds = trim_colours or TRIM_COLOURS, bleed_colours or BLEED_COLOURS
    pdf = pydyf.PDF()
    w, h, b = *TRIM, BLEED
    for index in range(count):
        stream = pydyf.Stream()
        for colour, rect in (
            (bleeds[index % len(bleeds)], (-b, -b, w + 2 * b, h + 2 * b)),
            (trims[index % len(trims)], (0, 0, w, h)),
        ):
            stream.set_color_rgb(*(c / 255 for c in colour))
            stream.rectangle(*rect)
            stream.fill()
        pdf.add_object(stream)
        page = {"Type": "/Page", "Parent": pdf.pages.reference, "Contents": stream.reference}
        page |= {
            "MediaBox": pydyf.Array([-b, -b, w + b, h + b]),
            "BleedBox": pydyf.Array([-b, -b, w + b, h + b]),
            "TrimBox": pydyf.Array([0, 0, w, h]),
        }
        pdf.add_page(pydyf.Dictionary(page))
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


def sized_pdf(size: tuple[float, float], count: int = 4) -> bytes:
    return numbered_pdf(count, size)


# -- reading imposed sheets ----------------------------------------------------------------


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def read_sides(data: bytes, turn_upside_down: bool = False) -> list[tuple[int | None, ...]]:
    """(left of the fold, right of the fold) page numbers of every sheet side, by where
    pdfium finds the text. With `turn_upside_down`, a side whose text is upside down is
    read as a person would, after turning the sheet: left and right swap."""
    sides = []
    for page in pdfium.PdfDocument(data):
        width, height = page.get_size()
        text = page.get_textpage()
        pair = (
            _number(text.get_text_bounded(0, 0, width / 2, height)),
            _number(text.get_text_bounded(width / 2, 0, width, height)),
        )
        angles = [pdfium_c.FPDFText_GetCharAngle(text.raw, i) for i in range(text.count_chars())]
        if turn_upside_down and angles and abs(angles[0] - math.pi) < 0.1:
            pair = pair[::-1]
        sides.append(pair)
    return sides


def render(data: bytes, index: int, scale: float = 1) -> Image.Image:
    return pdfium.PdfDocument(data)[index].render(scale=scale).to_pil().convert("RGB")


def mask(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> Image.Image:
    """White where the image has this colour (within tolerance), black elsewhere."""
    plain = Image.new("RGB", image.size, colour)
    diff = ImageChops.difference(image, plain).convert("L")
    return diff.point(lambda v: 255 if v <= tolerance else 0)


def where(image: Image.Image, colour: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    """Pixel box (left, top, right, bottom; right and bottom exclusive) of a colour."""
    return mask(image, colour).getbbox()


def count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return mask(image, colour).histogram()[255]


def box_px(left: float, bottom: float, right: float, top: float, sheet_height: float, scale=1):
    """A box in PDF points (origin bottom left) as a pixel box (origin top left)."""
    return tuple(round(v * scale) for v in (left, sheet_height - top, right, sheet_height - bottom))


# -- page order ----------------------------------------------------------------------------


@pytest.mark.parametrize("binding", ["left", "right"])
def test_every_page_count_lands_in_printer_spread_order(binding) -> None:
    """1 to 64 pages: every sheet side has the pages of print.md's formula left and right
    of the fold, and the padding blanks sit just before the back cover."""
    for pages in range(1, 65):
        data = impose_pdf(numbered_pdf(pages), binding=binding)
        got = read_sides(data)
        want = expected_sides(pages, binding)
        assert len(got) == len(want) == 2 * (-(-pages // 4)), pages
        for side, (g, w) in enumerate(zip(got, want, strict=True)):
            assert g == w, f"{pages} pages, {binding}: sheet {side // 2} side {side % 2}"
        book = booklet_pages(pages)
        blanks = [n for n, page in enumerate(book, 1) if page is None]
        if pages > 1:  # blanks just before the last page, which is on the outside
            assert blanks == list(range(pages, len(book))), pages
            assert got[0][0 if binding == "left" else 1] == pages, pages
        else:
            assert blanks == [2, 3, 4] and got[0][1 if binding == "left" else 0] == 1


def test_the_order_function_matches_the_formula() -> None:
    for pages in range(1, 101):
        for binding in ("left", "right"):
            assert saddle_order(pages, binding) == expected_sides(pages, binding), pages


def test_blanks_go_before_the_back_cover() -> None:
    assert booklet_pages(6) == [1, 2, 3, 4, 5, None, None, 6]
    # sheet 0 front is (back cover, front cover); the blanks fall inside
    assert saddle_order(6) == [(6, 1), (2, None), (None, 3), (4, 5)]
    assert saddle_order(1) == [(None, 1), (None, None)]
    assert saddle_order(2, "right") == [(1, 2), (None, None)]


@pytest.mark.parametrize("pages", [4, 6, 8, 12, 13, 16, 20, 30, 36])
def test_same_order_as_pdfimpose(pages) -> None:
    """pdfimpose's saddle schema (two pages per side, the back cover kept last) puts the
    same pages on each side. Its right binding keeps the left-bound positions and turns
    every page upside down, which is the same sheet turned round: read it turned."""
    saddle = pytest.importorskip("pdfimpose.schema.saddle")
    source = numbered_pdf(pages)
    for binding in ("left", "right"):
        out = io.BytesIO()
        saddle.impose([io.BytesIO(source)], out, signature=(2, 1), bind=binding, last=1)
        theirs = read_sides(out.getvalue(), turn_upside_down=True)
        assert read_sides(impose_pdf(source, binding=binding)) == theirs, binding


def test_right_to_left_pdfs_are_right_bound_by_default() -> None:
    assert read_sides(impose_pdf(numbered_pdf(8, r2l=True))) == expected_sides(8, "right")
    assert read_sides(impose_pdf(numbered_pdf(8))) == expected_sides(8, "left")
    assert read_sides(impose_pdf(numbered_pdf(8, r2l=True), "left")) == expected_sides(8, "left")


# -- sheets --------------------------------------------------------------------------------


def _sheet_size(data: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    return float(box.width), float(box.height)


@pytest.mark.parametrize(
    ("trim", "sheet"),
    [
        ((5.5 * IN, 8.5 * IN), "letter"),  # half-letter
        ((148 * MM, 210 * MM), "a4"),  # A5
        ((6 * IN, 9 * IN), "tabloid"),  # digest 6 × 9
        ((8.5 * IN, 11 * IN), "tabloid"),  # letter pages
        ((210 * MM, 297 * MM), "a3"),  # A4 pages
    ],
)
def test_the_default_sheet_is_the_smallest_that_holds_two_pages(trim, sheet) -> None:
    assert _sheet_size(impose_pdf(sized_pdf(trim))) == pytest.approx(SHEET_SIZES[sheet], abs=0.01)


def test_a_chosen_sheet_is_used_and_one_too_small_refused() -> None:
    half_letter = sized_pdf((5.5 * IN, 8.5 * IN))
    assert _sheet_size(impose_pdf(half_letter, sheet="a3")) == pytest.approx(SHEET_SIZES["a3"])
    with pytest.raises(PamphletError, match="a letter sheet is too small"):
        impose_pdf(sized_pdf((148 * MM, 210 * MM)), sheet="letter")
    with pytest.raises(PamphletError, match="too large for any sheet"):
        impose_pdf(sized_pdf((11 * IN, 17 * IN)))


# -- geometry, in pixels -------------------------------------------------------------------


def _pair_boxes(sheet: tuple[float, float], shift: float = 0.0):
    """Trim boxes (points) of the left and right page: meeting at the fold, centred."""
    (width, height), (w, h) = sheet, TRIM
    fold, bottom = width / 2, (height - h) / 2
    left = (fold + shift - w, bottom, fold + shift, bottom + h)
    right = (fold - shift, bottom, fold - shift + w, bottom + h)
    return left, right


def test_pages_meet_at_the_fold_centred_with_their_outer_bleed() -> None:
    """Sheet 0 front of a 4-page booklet is (4, 1) left-bound: each trim colour exactly
    where it belongs; each bleed colour on the three outer sides only, none at the fold."""
    data = impose_pdf(colour_pdf(4), sheet="letter")
    sheet = SHEET_SIZES["letter"]
    image = render(data, 0)
    left, right = _pair_boxes(sheet)
    b = BLEED
    for page, trim, bleed in (
        (4, left, (left[0] - b, left[1] - b, left[2], left[3] + b)),
        (1, right, (right[0], right[1] - b, right[2] + b, right[3] + b)),
    ):
        assert where(image, TRIM_COLOURS[page - 1]) == box_px(*trim, sheet[1])
        assert where(image, BLEED_COLOURS[page - 1]) == box_px(*bleed, sheet[1])
        (w, h) = TRIM
        assert count(image, BLEED_COLOURS[page - 1]) == (w + b) * (h + 2 * b) - w * h
    back = render(data, 1)  # sheet 0 back: (2, 3)
    assert where(back, TRIM_COLOURS[1]) == box_px(*left, sheet[1])
    assert where(back, TRIM_COLOURS[2]) == box_px(*right, sheet[1])


@pytest.mark.parametrize("binding", ["left", "right"])
def test_no_bleed_across_the_fold_beside_a_blank(binding) -> None:
    """3 pages: sheet 0 back is page 2 beside a blank (left-bound: 2 left of the fold).
    Nothing of page 2 is drawn past the fold, where no page covers it."""
    sheet = SHEET_SIZES["letter"]
    image = render(impose_pdf(colour_pdf(3), binding=binding), 1)
    fold = round(sheet[0] / 2)
    page_side = (0, 0, fold, image.height) if binding == "left" else (fold, 0, *image.size)
    blank_side = (fold, 0, *image.size) if binding == "left" else (0, 0, fold, image.height)
    assert where(image.crop(page_side), TRIM_COLOURS[1]) is not None
    ink = ImageChops.invert(image.crop(blank_side)).convert("L")
    assert ink.point(lambda v: 255 if v > 10 else 0).getbbox() is None


def test_bleed_stops_at_the_sheet_edge() -> None:
    """Half-letter pages fill a letter sheet: no room for bleed, the trims fill it."""
    pdf = pydyf.PDF()
    stream = pydyf.Stream()
    stream.set_color_rgb(1, 0, 0)
    stream.rectangle(-9, -9, 414, 630)
    stream.fill()
    pdf.add_object(stream)
    for _ in range(4):
        page = {"Type": "/Page", "Parent": pdf.pages.reference, "Contents": stream.reference}
        page |= {"MediaBox": pydyf.Array([-9, -9, 405, 621])}
        page |= {"TrimBox": pydyf.Array([0, 0, 396, 612])}
        pdf.add_page(pydyf.Dictionary(page))
    out = io.BytesIO()
    pdf.write(out)
    data = impose_pdf(out.getvalue())
    assert _sheet_size(data) == pytest.approx(SHEET_SIZES["letter"])
    assert where(render(data, 0), (255, 0, 0)) == (0, 0, 792, 612)


def _outside_bleed_non_white(image: Image.Image, boxes: list[tuple]) -> Image.Image:
    """The non-white pixels of the sheet, with the pages' bleed boxes blanked out."""
    ink = ImageChops.invert(image).convert("L").point(lambda v: 255 if v > 40 else 0)
    for box in boxes:
        ink.paste(0, box)
    return ink


def _mark_zones(trims: tuple, sheet: tuple[float, float], scale: float) -> list[tuple]:
    """Where crop and fold marks may be (pixels): on the lines of the trim edges and of
    the fold, from 0.125 in to 0.75 in outside the trim, 1 pt either side of the line."""
    (l0, b0, _, t0), (_, _, r1, _) = trims
    near, far, side = 0.125 * IN, 0.75 * IN, 1.0
    fold = sheet[0] / 2
    zones = []
    for y, outward in ((t0, 1), (b0, -1)):
        ys = sorted((y + outward * near, y + outward * far))
        zones += [
            (l0 - far, y - side, l0 - near, y + side),  # horizontal, left corner
            (r1 + near, y - side, r1 + far, y + side),  # horizontal, right corner
            (l0 - side, ys[0], l0 + side, ys[1]),  # vertical, left corner
            (r1 - side, ys[0], r1 + side, ys[1]),  # vertical, right corner
            (fold - side, ys[0], fold + side, ys[1]),  # fold
        ]
    return [box_px(*zone, sheet[1], scale) for zone in zones]


@pytest.mark.parametrize("marks", [True, False])
def test_marks_outside_the_bleed_only_when_asked(marks) -> None:
    """With --marks: ten short black lines (four corners × two, and the fold above and
    below), each outside the bleed, and nothing else outside the pages; without: none."""
    scale = 2
    data = impose_pdf(colour_pdf(4), sheet="tabloid", marks=marks)
    sheet = SHEET_SIZES["tabloid"]
    trims = _pair_boxes(sheet)
    b = BLEED
    bleeds = [(t[0] - b, t[1] - b, t[2] + b, t[3] + b) for t in trims]
    for index in range(2):
        image = render(data, index, scale)
        ink = _outside_bleed_non_white(image, [box_px(*x, sheet[1], scale) for x in bleeds])
        zones = _mark_zones(trims, sheet, scale)
        if not marks:
            assert ink.getbbox() is None
            continue
        for zone in zones:  # each mark drawn, at least 0.2 in long, dark and grey (K only)
            assert ink.crop(zone).histogram()[255] >= 0.2 * IN * scale, zone
            lows = [low for low, _ in image.crop(zone).getextrema()]
            assert max(lows) < 180 and max(lows) - min(lows) < 8, zone
        for zone in zones:
            ink.paste(0, zone)
        assert ink.getbbox() is None  # nothing else drawn outside the pages
        left_page = 4 if index == 0 else 2  # its bleed is whole: no mark drawn over it
        bleed_area = (TRIM[0] + b) * (TRIM[1] + 2 * b) - TRIM[0] * TRIM[1]
        assert count(image, BLEED_COLOURS[left_page - 1]) == bleed_area * scale**2
    if marks:
        content = PdfReader(io.BytesIO(data)).pages[0].get_contents()
        assert b"0 0 0 1 K" in content.get_data()


def test_a_side_with_two_blanks_gets_its_marks_too() -> None:
    """One page: sheet 0 back is two blanks; its marks are where the front's are."""
    data = impose_pdf(numbered_pdf(1), sheet="tabloid", marks=True)
    front, back = (render(data, index).convert("L") for index in range(2))
    assert read_sides(data) == [(None, 1), (None, None)]
    marks_only = ImageChops.lighter(front, back)  # the front's text is not on the back
    assert ImageChops.difference(marks_only, back).getbbox() is None
    assert ImageChops.invert(back).getbbox() is not None


def test_creep_moves_inner_sheets_toward_the_spine() -> None:
    """16 pages on 4 sheets, creep 12 pt: sheet k's pages move 12 × k / 3 pt toward the
    fold (0, 4, 8, 12); the fore-edge side of their bleed moves with them; nothing
    crosses the fold."""
    creep, sheets = 12.0, 4
    data = impose_pdf(colour_pdf(16, [(255, 0, 0)], [(0, 0, 255)]), sheet="letter", creep=creep)
    sheet = SHEET_SIZES["letter"]
    fold = round(sheet[0] / 2)
    for index in range(2 * sheets):
        k = index // 2
        shift = creep * k / (sheets - 1)
        left, right = _pair_boxes(sheet, shift)
        image = render(data, index)
        halves = image.crop((0, 0, fold, image.height)), image.crop((fold, 0, *image.size))
        left_red, right_red = (where(half, (255, 0, 0)) for half in halves)
        left_blue, right_blue = (where(half, (0, 0, 255)) for half in halves)
        assert left_red == box_px(left[0], left[1], fold, left[3], sheet[1]), k
        assert right_red == box_px(0, right[1], right[2] - fold, right[3], sheet[1]), k
        assert left_blue[0] == round(left[0] - BLEED) and left_blue[2] == fold, k
        assert right_blue[0] == 0 and right_blue[2] == round(right[2] + BLEED - fold), k


def test_creep_with_one_sheet_moves_nothing() -> None:
    plain = render(impose_pdf(colour_pdf(4)), 0)
    crept = render(impose_pdf(colour_pdf(4), creep=10), 0)
    assert ImageChops.difference(plain, crept).getbbox() is None


# -- lengths, structure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "points"),
    [("0.02in", 1.44), ("0.5mm", 0.5 * MM), ("1cm", 10 * MM), ("3", 3.0), ("2.5 pt", 2.5)],
)
def test_lengths(text, points) -> None:
    assert parse_length(text) == pytest.approx(points)


@pytest.mark.parametrize("text", ["", "mm", "1 ft", "1e3", "0.5 mm mm", "one"])
def test_bad_lengths(text) -> None:
    with pytest.raises(ValueError, match="is not a length"):
        parse_length(text)


def test_creep_out_of_range_is_refused() -> None:
    for creep in (-1.0, 0.5 * IN):
        with pytest.raises(PamphletError, match="creep must be between 0 and"):
            impose_pdf(numbered_pdf(8), creep=creep)


def test_the_same_input_gives_the_same_bytes() -> None:
    source = colour_pdf(12)
    assert impose_pdf(source, marks=True, creep=3) == impose_pdf(source, marks=True, creep=3)


def _font_files(reader: PdfReader) -> set[int]:
    """Object numbers of the embedded font programs every page draws with, through forms."""
    found: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if descriptor and key in descriptor.get_object():
                        found.add(descriptor.get_object().raw_get(key).idnum)
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get_object().get("/Subtype") == "/Form":
                visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def test_the_default_issue_imposed_is_small_shared_and_valid(default_build, tmp_path) -> None:
    source = default_build.pdf.read_bytes()
    data = impose_pdf(source, marks=True)
    assert len(data) <= 1.2 * len(source)
    imposed, original = PdfReader(io.BytesIO(data)), PdfReader(io.BytesIO(source))
    assert len(imposed.pages) == len(original.pages) // 2
    assert len(_font_files(imposed)) == len(_font_files(original)) > 0
    if shutil.which("qpdf"):
        (tmp_path / "imposed.pdf").write_bytes(data)
        check = subprocess.run(
            ["qpdf", "--check", tmp_path / "imposed.pdf"], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr


def test_reading_objects_one_at_a_time_changes_nothing(default_build, monkeypatch) -> None:
    """The reader that parses only the objects asked for (the default issue keeps its
    structure tree in object streams) makes the very same file as pypdf's own reader."""
    source = default_build.pdf.read_bytes()
    assert PdfReader(io.BytesIO(source)).xref_objStm  # the case it is there for
    lazy = impose_pdf(source, marks=True, creep=2)
    monkeypatch.setattr(impose_module, "_PagesReader", PdfReader)
    assert impose_pdf(source, marks=True, creep=2) == lazy


# -- command line --------------------------------------------------------------------------


def test_impose_writes_beside_the_input_and_prints_the_path(tmp_path) -> None:
    source = tmp_path / "issue.pdf"
    source.write_bytes(numbered_pdf(6))
    run = run_build("impose", source)
    assert run.returncode == 0, run.stderr
    target = tmp_path / "issue-imposed.pdf"
    assert run.stdout == f"{target}\n"
    assert "wrote issue-imposed.pdf: 2 letter sheets, 6 pages, 2 blank, left binding" in (
        run.stderr
    )
    assert read_sides(target.read_bytes()) == expected_sides(6, "left")


def test_impose_options(tmp_path) -> None:
    source = tmp_path / "issue.pdf"
    source.write_bytes(colour_pdf(8))
    target = tmp_path / "out" / "spreads.pdf"
    options = ["--binding", "right", "--sheet", "a3", "--creep", "0.5mm", "--marks"]
    run = run_build("impose", source, *options, "-o", target, "--quiet")
    assert (run.returncode, run.stdout, run.stderr) == (0, f"{target}\n", "")
    assert _sheet_size(target.read_bytes()) == pytest.approx(SHEET_SIZES["a3"])


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(numbered_pdf(4)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _no_pages() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


BAD = [
    ("missing", None, [], r"missing\.pdf: file not found"),
    ("text", b"hello, not a PDF\n", [], r"text\.pdf: not a PDF file"),
    (
        "broken",
        b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n",
        [],
        r"broken\.pdf: cannot read this PDF",
    ),
    ("locked", _encrypted(), [], r"locked\.pdf: the PDF is encrypted"),
    ("empty", _no_pages(), [], r"empty\.pdf: the PDF has no pages"),
    (
        "ok",
        numbered_pdf(4),
        ["--creep", "3furlongs"],
        r"ok\.pdf: --creep: '3furlongs' is not a length",
    ),
    ("ok", numbered_pdf(4), ["--creep=-1mm"], r"ok\.pdf: --creep must not be negative"),
    ("ok", numbered_pdf(4), ["--creep", "1in"], r"ok\.pdf: creep must be between 0 and 18 pt"),
    (
        "a5",
        sized_pdf((148 * MM, 210 * MM)),
        ["--sheet", "letter"],
        r"a5\.pdf: a letter sheet is too small",
    ),
    ("ok", numbered_pdf(4), ["-o", "."], r"^error: \.: is a folder"),
]


@pytest.mark.parametrize(("name", "data", "options", "pattern"), BAD, ids=[b[3][:24] for b in BAD])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, name, data, options, pattern) -> None:
    source = tmp_path / f"{name}.pdf"
    if data is not None:
        source.write_bytes(data)
    before = sorted(tmp_path.iterdir())
    run = run_build("impose", source, *options, cwd=tmp_path)
    assert_one_line_error(run, pattern)
    assert sorted(tmp_path.iterdir()) == before


def test_what_pypdf_repairs_is_reported_as_warnings(tmp_path) -> None:
    """A wrong startxref: pypdf finds its way and says so, through the reporter only."""
    source = tmp_path / "issue.pdf"
    source.write_bytes(re.sub(rb"startxref\s+\d+", b"startxref\n12", numbered_pdf(4)))
    run = run_build("impose", source)
    assert run.returncode == 0
    *problems, summary = run.stderr.splitlines()
    assert problems and all(p.startswith(f"warning: {source}: pypdf: ") for p in problems)
    assert summary.startswith("wrote issue-imposed.pdf") and f"{len(problems)} warnings" in summary
    assert read_sides((tmp_path / "issue-imposed.pdf").read_bytes()) == expected_sides(4, "left")


def test_marks_without_room_warn(tmp_path) -> None:
    source = tmp_path / "issue.pdf"
    source.write_bytes(sized_pdf((5.5 * IN, 8.5 * IN)))
    run = run_build("impose", source, "--marks")
    assert run.returncode == 0
    assert "warning: " in run.stderr and "no room outside the trim for the marks" in run.stderr
    assert run_build("impose", source, "--marks", "--strict").returncode == 1
    roomy = run_build("impose", source, "--marks", "--sheet", "tabloid")
    assert roomy.returncode == 0 and "warning:" not in roomy.stderr
