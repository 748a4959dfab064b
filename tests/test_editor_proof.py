"""Sponsor proofs (`dedications proof`): the page a person's dedication is printed on, as
the build prints it, in PDF and PNG; a person the week does not name is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from conftest import ROOT, assert_one_line_error, run_build
from PIL import Image, ImageChops

from pamphlet.editor.proof import Proof, places_of, proof_pages, proofs
from pamphlet.model import Issue
from pamphlet.pipeline import Laid, lay_out, load_issue

DEFAULT = ROOT / "content" / "shemot-5786"
MEMORIAL = "ekman-dovid-asniel"  # under dedications.memorials: the inside cover
BOX = "rosner-yosef-yisroel"  # the person of a memorial box
DONOR = "wolf-gershon-leah"  # a donor of a box, named nowhere else
PAGE = (825, 1275)  # 5.5 in × 8.5 in at 150 dpi


def _texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _rendered(pdf: Path, index: int) -> Image.Image:
    """A page of the build's reader PDF, rendered at 150 dpi as the proof's PNG is."""
    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].render(scale=150 / 72 * (1 - 1e-9)).to_pil().convert("RGB")
    finally:
        document.close()


def _image(png: bytes) -> Image.Image:
    Image.open(io.BytesIO(png)).verify()  # a well-formed PNG (chunks and checksums)
    return Image.open(io.BytesIO(png))


@pytest.fixture(scope="module")
def laid() -> tuple[Issue, Laid]:
    """The default issue laid out once, for the proofs these tests take from it."""
    issue = load_issue(DEFAULT)
    return issue, lay_out(issue)


def _proofs(laid: tuple[Issue, Laid], key: str) -> dict[str, Proof]:
    issue, layout = laid
    return {proof.place: proof for proof in proofs(issue, layout, places_of(issue, key))}


def test_a_memorial_is_proofed_on_the_inside_cover_as_printed(default_build) -> None:
    written = yaml.safe_load((DEFAULT / "issue.yaml").read_text(encoding="utf-8"))
    assert MEMORIAL in written["dedications"]["memorials"]
    [(place, pdf, png)] = proof_pages(DEFAULT, MEMORIAL)
    assert place == "inside-cover"
    [text] = _texts(pdf)
    printed = _texts(default_build.pdf.read_bytes())[1]  # page 2 of the build
    assert text.split() == printed.split()
    assert "Dovid Asniel" in text and "Ekman" in text
    image = _image(png)
    assert image.format == "PNG" and image.size == PAGE
    assert round(image.info["dpi"][0]) == 150
    assert pdfium.PdfDocument(pdf)[0].get_size() == (396, 612)  # the trim, no bleed
    pixels = image.convert("L")
    assert pixels.getextrema()[0] < 64  # text is there
    assert sum(1 for v in pixels.get_flattened_data() if v < 128) > 2000
    # the PNG is the build's page 2, pixel for pixel
    difference = ImageChops.difference(image.convert("RGB"), _rendered(default_build.pdf, 1))
    assert difference.getbbox() is None


def test_the_person_of_a_memorial_box_is_proofed_on_the_boxes_page(laid, default_build) -> None:
    found = _proofs(laid, BOX)
    assert list(found) == ["memorial-box"]
    proof = found["memorial-box"]
    [text] = _texts(proof.pdf)
    printed = _texts(default_build.pdf.read_bytes())[proof.page - 1]
    assert text.split() == printed.split()
    assert "Yosef Yisroel" in text and "Rosner" in text
    assert _image(proof.png).size == PAGE


def test_a_donor_of_a_box_is_proofed_on_the_boxes_page(laid) -> None:
    found = _proofs(laid, DONOR)
    assert list(found) == ["memorial-box"]
    [text] = _texts(found["memorial-box"].pdf)
    assert "Gershon" in text and "Wolf" in text
    assert found["memorial-box"].page == _proofs(laid, BOX)["memorial-box"].page


def test_a_person_in_both_gets_both_pages_in_the_folder_given(project: Path) -> None:
    folder = project / "shemot-5786"
    issue_yaml = folder / "issue.yaml"
    text = issue_yaml.read_text(encoding="utf-8")
    issue_yaml.write_text(
        text.replace(
            "    - shagalov-esther-shaindel\n", f"    - shagalov-esther-shaindel\n    - {DONOR}\n"
        ),
        encoding="utf-8",
    )
    out = project.parent / "proofs"
    run = run_build("dedications", "proof", folder, "--person", DONOR, "-o", out)
    assert run.returncode == 0, run.stderr
    stem = f"shemot-5786-{DONOR}"
    names = [f"{stem}-inside-cover.pdf", f"{stem}-inside-cover.png"]
    names += [f"{stem}-memorial-box.pdf", f"{stem}-memorial-box.png"]
    assert run.stdout.split() == [str(out / name) for name in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert not (project.parent / "output").exists()  # -o, not the issue's output folder
    assert "the inside cover (page 2) and the memorial box (page 12)" in run.stderr
    for name in names[::2]:
        [page] = _texts((out / name).read_bytes())
        assert "Gershon" in page and "Wolf" in page
    assert _image((out / names[1]).read_bytes()).size == PAGE


def test_without_o_the_proof_goes_to_the_issues_output_folder(project: Path) -> None:
    run = run_build("dedications", "proof", project / "shemot-5786", "--person", BOX, "--quiet")
    assert run.returncode == 0, run.stderr
    pdf = project.parent / "output" / f"shemot-5786-{BOX}-memorial-box.pdf"
    assert run.stdout.split() == [str(pdf), str(pdf.with_suffix(".png"))]
    assert pdf.is_file() and pdf.with_suffix(".png").is_file()


NOT_THIS_WEEK = r"issue\.yaml: 'levin-moshe' is not named in the dedications of shemot-5786$"
UNKNOWN = (
    r"issue\.yaml: unknown person 'ekman-dovid-asnie': not in people\.yaml, nor in the "
    r"dedications of shemot-5786 \(did you mean 'ekman-dovid-asniel'\?\)$"
)


@pytest.mark.parametrize(
    "key, message",
    [("levin-moshe", NOT_THIS_WEEK), ("ekman-dovid-asnie", UNKNOWN)],
    ids=["not-this-week", "unknown"],
)
def test_a_person_not_in_this_weeks_dedications_is_refused_before_any_render(
    project: Path, monkeypatch: pytest.MonkeyPatch, key: str, message: str
) -> None:
    with (project / "people.yaml").open("a", encoding="utf-8") as people:
        people.write("levin-moshe:\n  title: Reb\n  given: Moshe\n  surname: Levin\n")

    def no_render(issue: Issue) -> Laid:
        raise AssertionError("laid out before the person was checked")

    monkeypatch.setattr("pamphlet.cli.dedications.lay_out", no_render)
    out = project.parent / "proofs"
    run = run_build("dedications", "proof", project / "shemot-5786", "--person", key, "-o", out)
    assert_one_line_error(run, message)
    assert not out.exists() and not (project.parent / "output").exists()


def test_a_record_written_in_the_issue_is_proofed_by_the_key_the_desk_lists() -> None:
    issue = load_issue(DEFAULT)  # the sponsors' record is written in full in issue.yaml
    assert places_of(issue, "shagalov-yosef-y-gittel-rochel") == ["inside-cover"]
