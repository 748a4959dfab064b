"""The reader PDF: trimmed pages, tagged for accessibility (PDF/UA-1), page labels as
printed, running heads and folios as pagination artifacts, Hebrew spans in Hebrew, talk
numbers not headings. Checked on real builds, with the PDF/UA checkers PyPI has."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, run_build, shared
from pdfinspect import glyph_lines
from pypdf import PdfReader

HE_ISSUE = ROOT / "content" / "shemot-5786-he"


@pytest.fixture(scope="module")
def hebrew_reader(tmp_path_factory) -> Path:
    def make(out: Path) -> str:
        run = run_build("build", HE_ISSUE, "-o", out, "--quiet")
        assert run.returncode == 0, run.stderr
        return run.pdf

    return Path(shared(tmp_path_factory, "reader-he", make))


def test_pages_are_cut_to_the_trim(default_build) -> None:
    with pikepdf.open(default_build.pdf) as pdf:
        for page in pdf.pages:
            assert [float(v) for v in page.obj.MediaBox] == [0, 0, 396, 612]
            assert "/BleedBox" not in page.obj


def _folio(pdf: Path, index: int) -> str | None:
    """The number printed in the page's bottom margin, if any (read from the glyphs)."""
    lines = [line for line in glyph_lines(pdf, index) if max(g.top for g in line) < 0.75 * 72]
    text = "".join(g.char for line in lines for g in line).strip()
    return text if text.isdigit() else None


def test_page_labels_name_the_covers_and_number_the_rest_as_printed(default_build) -> None:
    reader = PdfReader(default_build.pdf)
    labels = [reader.page_labels[i] for i in range(len(reader.pages))]
    assert labels[0] == "Cover" and labels[-1] == "Back cover"
    for index in range(1, len(labels) - 1):
        folio = _folio(default_build.pdf, index)
        if folio is not None:  # pages with a folio: the label is the number printed
            assert labels[index] == folio, index
    assert labels[1:-1] == [str(n) for n in range(2, len(labels))]


def test_hebrew_labels_and_right_to_left_reading(hebrew_reader) -> None:
    reader = PdfReader(hebrew_reader)
    assert reader.page_labels[0] == "שער" and reader.page_labels[-1] == "כריכה אחורית"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "he"
    assert root["/ViewerPreferences"]["/Direction"] == "/R2L"


def test_it_is_tagged_with_its_title_shown(default_build) -> None:
    with pikepdf.open(default_build.pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp or 'pdfuaid:part="1"' in xmp


def _marked(page: pikepdf.Page) -> tuple[list[str], int]:
    """The property types of the page's artifacts, and how many sequences are tagged
    content (carry an MCID), from its content stream's marked-content operators."""
    artifacts, tagged = [], 0
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) != "BDC":
            continue
        tag, properties = str(operands[0]), operands[1]
        if tag == "/Artifact":
            artifacts.append(str(properties.get("/Type")))
        elif "/MCID" in properties:
            tagged += 1
    return artifacts, tagged


def test_running_heads_and_folios_are_pagination_artifacts(default_build) -> None:
    with pikepdf.open(default_build.pdf) as pdf:
        # page 5 (index 4): a running head and a folio, the rest an essay's text
        artifacts, tagged = _marked(pdf.pages[4])
        assert artifacts.count("/Pagination") >= 2 and tagged > 20
        # the cover has neither head nor folio
        assert "/Pagination" not in _marked(pdf.pages[0])[0]


def test_outloud_finds_no_error(default_build, hebrew_reader, tmp_path) -> None:
    report = tmp_path / "outloud.json"
    subprocess.run(
        [Path(sys.executable).parent / "outloud", default_build.pdf, hebrew_reader]
        + ["--json", report, "--fail-on", "never"],
        capture_output=True,
        text=True,
        check=True,
    )
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert len(results) == 2
    findings = [finding for result in results for finding in result["findings"]]
    assert [f for f in findings if f["severity"] == "error"] == []
    # headings are real headings: no talk number tagged as one (HDG-010); the prose is
    # not marked as an artifact (TAG-002); links print (LNK-004)
    assert not [f for f in findings if f["rule"] in ("HDG-010", "TAG-002", "LNK-004")]


def test_pdfua_checker_passes(default_build, hebrew_reader) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(default_build.pdf), str(hebrew_reader)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("result: PASS") == 2


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [
        o
        for o in pdf.objects
        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
    ]


def test_hebrew_spans_carry_their_language(default_build) -> None:
    html = default_build.html.read_text(encoding="utf-8")
    spans = len(re.findall(r'<span dir="rtl"[^>]*lang="he"', html))
    assert spans > 5
    with pikepdf.open(default_build.pdf) as pdf:
        tagged = [e for e in _structure(pdf) if str(e.get("/Lang", "")) == "he"]
    assert len(tagged) >= spans


def test_a_talk_number_is_not_a_heading(default_build) -> None:
    with pikepdf.open(default_build.pdf) as pdf:
        headings = {str(e.S) for e in _structure(pdf)}
        assert "/H1" in headings and "/H2" in headings  # the essay's and the section's
    html = default_build.html.read_text(encoding="utf-8")
    assert re.search(r'<p class="title"[^>]*>12</p>', html)
    assert not re.search(r"<h\d[^>]*>\s*12\s*</h\d>", html)
    outline = PdfReader(default_build.pdf).outline
    assert [i.title for i in outline[-1]] == ["12", "58"]  # still in the bookmarks
