"""The print master: PDF/X-4 with its output intent, every page with a 0.125 in bleed,
crop marks outside the bleed, CMYK colour only, no annotations, the same bytes for the
same input. Checked on real builds, by structure and by pixels."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import ROOT, run_build, write_issue

from pamphlet.press.preflight import preflight

BLEED = 9.0  # 0.125 in, the print.md figure and the default setting
HALF_LETTER = (0.0, 0.0, 396.0, 612.0)  # 5.5 x 8.5 in, in points


def _box(page: pikepdf.Page, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page.obj[name])


def test_every_page_has_its_trim_its_bleed_and_room_for_marks(default_build) -> None:
    with pikepdf.open(default_build.master) as pdf:
        assert len(pdf.pages) == 16
        for page in pdf.pages:
            trim = _box(page, "/TrimBox")
            bleed = _box(page, "/BleedBox")
            media = _box(page, "/MediaBox")
            assert trim == HALF_LETTER
            assert bleed == (-BLEED, -BLEED, 396 + BLEED, 612 + BLEED)
            # the crop marks (a quarter inch, past the bleed) fit on the page
            assert media[0] <= -BLEED - 18 and media[2] >= 396 + BLEED + 18


def test_it_claims_pdf_x4_with_a_cmyk_output_intent(default_build) -> None:
    with pikepdf.open(default_build.master) as pdf:
        assert pdf.pdf_version == "1.6"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
        profile = intents[0].DestOutputProfile
        assert int(profile.N) == 4
        assert profile.read_bytes()[16:20] == b"CMYK"  # the ICC header's colour space
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp


def _operators(pdf: pikepdf.Pdf) -> list[str]:
    names = []
    for page in pdf.pages:
        names += [str(op) for _, op in pikepdf.parse_content_stream(page)]
        for _, xobject in page.get_images().items():
            names.append(str(xobject.get("/ColorSpace")))
    return names


def test_its_colours_are_cmyk_and_text_is_black_ink_only(default_build) -> None:
    with pikepdf.open(default_build.master) as pdf:
        operators = _operators(pdf)
        assert not {"rg", "RG"} & set(operators)
        fills = set()
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("k", "K", "scn", "SCN") and len(operands) == 4:
                    fills.add(tuple(round(float(v), 2) for v in operands))
        assert (0.0, 0.0, 0.0, 1.0) in fills
        # no rich black: text and rules are never black mixed with colour
        assert not [f for f in fills if f[3] >= 0.9 and any(f[:3])]


def test_links_do_not_go_into_the_master(default_build) -> None:
    with pikepdf.open(default_build.master) as pdf:
        assert not [p for p in pdf.pages if "/Annots" in p.obj]
    with pikepdf.open(default_build.pdf) as reader:
        assert [p for p in reader.pages if "/Annots" in p.obj], "the reader keeps its links"


def test_crop_marks_are_drawn_outside_the_bleed_on_the_trim_lines(default_build) -> None:
    scale = 8.0
    page = pdfium.PdfDocument(str(default_build.master))[0]
    image = page.render(scale=scale).to_pil().convert("L")
    left, _, _, top = page.get_mediabox()

    def dark(x: float, y: float) -> bool:
        """Ink at the PDF point (x, y), within a pixel (the marks are 0.25 pt hairlines)."""
        px, py = round((x - left) * scale), round((top - y) * scale)
        return (
            min(image.getpixel((px + dx, py + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 160
        )

    for x, y in ((0, 0), (0, 612), (396, 0), (396, 612)):
        outward = -1 if x == 0 else 1
        # a horizontal mark on the trim line, past the bleed ...
        assert dark(x + outward * (BLEED + 10), y), (x, y)
        # ... and nothing between the trim and the bleed's edge on that line
        assert not dark(x + outward * (BLEED / 2), y), (x, y)
        upward = -1 if y == 0 else 1
        assert dark(x, y + upward * (BLEED + 10)), (x, y)
        assert not dark(x, y + upward * (BLEED / 2)), (x, y)


def test_what_is_drawn_to_the_trim_edge_runs_into_the_bleed(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")
    (folder / "edge.css").write_text(
        "@page { background: device-cmyk(0 0 0 0.6) }\n", encoding="utf-8"
    )
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text().replace("contents:", "stylesheets: [edge.css]\ncontents:"))
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    master = Path(run.stdout.split()[1])
    scale = 2.0
    page = pdfium.PdfDocument(str(master))[3]
    image = page.render(scale=scale).to_pil().convert("L")
    left, bottom, _, top = page.get_mediabox()

    def grey(x: float, y: float) -> int:
        return image.getpixel((round((x - left) * scale), round((top - y) * scale)))

    assert grey(200, 300) < 200  # the page's background
    assert grey(-BLEED / 2, 300) < 200 and grey(396 + BLEED / 2, 300) < 200  # into the bleed
    assert grey(-BLEED - 6, 300) > 240  # the slug past the bleed stays white


def test_qpdf_finds_the_files_sound(default_build) -> None:
    for pdf in (default_build.master, default_build.pdf):
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_the_preflight_finds_nothing_in_the_default_issue(default_build) -> None:
    assert preflight(default_build.master, "master") == []
    assert preflight(default_build.pdf, "reader") == []


def test_the_document_id_is_derived_from_the_input(default_build, project, tmp_path) -> None:
    # (tests/test_end_to_end.py: the same input gives the same bytes)
    def document_id(pdf: Path) -> bytes:
        with pikepdf.open(pdf) as opened:
            xmp = opened.Root.Metadata.read_bytes()
        found = re.search(rb"xmp\.did:([0-9a-f-]{36})", xmp)
        assert found
        return found.group(1)

    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path, "--quiet")
    assert run.returncode == 0, run.stderr
    other = document_id(Path(run.stdout.split()[1]))
    assert other != document_id(default_build.master)


@pytest.mark.parametrize("bleed, points", [("3mm", 8.504), ("0.25in", 18.0), ("0", 0.0)])
def test_the_bleed_is_a_setting(project, tmp_path, bleed: str, points: float) -> None:
    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet", "--bleed", bleed)
    assert run.returncode == 0, run.stderr
    with pikepdf.open(run.stdout.split()[1]) as pdf:
        bleed_box = _box(pdf.pages[0], "/BleedBox")
    assert bleed_box[0] == pytest.approx(-points, abs=0.01)


@pytest.mark.parametrize("bleed", ["0.3in", "-1mm", "a lot"])
def test_a_bleed_out_of_range_is_refused(project, tmp_path, bleed: str) -> None:
    folder = write_issue(project, "A short essay.\n")
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text() + f"bleed: '{bleed}'\n")
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 1
    assert re.match(r"error: .*issue\.yaml:\d+: bleed", run.stderr), run.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def both_ways():
    """The default issue's two PDFs written from one drawing, and each written alone by
    WeasyPrint's own variants (the way before the drawing was shared)."""
    from pamphlet.pdf.write import pdf_bytes, text_layer
    from pamphlet.pipeline import _press, lay_out, load_issue
    from pamphlet.press import master as press_master
    from pamphlet.press.master import MasterOptions
    from pamphlet.press.reader import ReaderOptions, reader_pdf
    from pamphlet.render import labels, pdf_font_names

    issue = load_issue(ROOT / "content" / "shemot-5786")
    text = text_layer(pdf_font_names(issue.series.fonts, issue.settings.fonts))
    words = labels(issue.settings)
    options = ReaderOptions(words["cover"], words["back_cover"])
    # each from pages of their own: a second write of the same pages differs (Pillow
    # serializes the output intent's ICC profile again, 60 bytes longer)
    alone_reader = reader_pdf(lay_out(issue).pages, options, [text])
    laid = lay_out(issue)
    reader, master = _press(issue, laid.pages, laid.html)
    own = MasterOptions(BLEED, "x")
    alone_master = pdf_bytes(  # WeasyPrint's own PDF/X-4, with the master's edits
        lay_out(issue).pages,
        [text, lambda document, pdf: press_master._finish(pdf, own)],
        pdf_variant=press_master.VARIANT,
    )
    return reader, master, alone_reader, alone_master


def test_one_drawing_gives_the_master_weasyprints_own_x4_would(both_ways) -> None:
    """Same pages to the pixel, same boxes, as WeasyPrint's PDF/X-4 writing them alone."""
    _, master, _, alone = both_ways
    shared, own = pdfium.PdfDocument(master), pdfium.PdfDocument(alone)
    assert len(shared) == len(own) == 16
    for index in range(16):
        assert shared[index].get_bleedbox() == own[index].get_bleedbox()
        a = shared[index].render(scale=1).to_pil().tobytes()
        assert a == own[index].render(scale=1).to_pil().tobytes(), f"page {index + 1}"


def test_the_master_carries_nothing_of_the_readers_tags(both_ways, tmp_path) -> None:
    """No structure tree, no structure element left over, no link annotation; qpdf finds
    the file sound."""
    _, master, _, _ = both_ways
    path = tmp_path / "master.pdf"
    path.write_bytes(master)
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        kinds = {str(o.get("/Type")) for o in pdf.objects if isinstance(o, pikepdf.Dictionary)}
        assert not kinds & {"/StructElem", "/StructTreeRoot", "/Annot"}
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr


def test_the_reader_is_not_changed_by_the_master_written_first(both_ways) -> None:
    reader, _, alone, _ = both_ways
    assert pdfium.PdfDocument(reader)[0].get_mediabox() == (0.0, 0.0, 396.0, 612.0)
    assert reader == alone
