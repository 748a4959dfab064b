"""`check` builds an issue and preflights its master and reader; `build --impose` writes the
master as printer spreads. The preflight's own faults are planted in
test_press_preflight.py; here, faults an editor's stylesheet can bring in."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
from conftest import ROOT, run_build, write_issue

from pamphlet.press.impose import saddle_order


def _with_css(content: Path, css: str, body: str = "A short essay.\n") -> Path:
    folder = write_issue(content, body)
    (folder / "extra.css").write_text(css, encoding="utf-8")
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text().replace("contents:", "stylesheets: [extra.css]\ncontents:"))
    return folder


def test_a_clean_issue_is_ready_to_print(project, tmp_path) -> None:
    # (the default issue's master and reader: test_press_master.py's preflight test)
    folder = write_issue(project, "A short essay.\n")
    run = run_build("check", folder, "-o", tmp_path)
    assert run.returncode == 0, run.stderr
    summary = run.stderr.strip().splitlines()[-1]
    assert summary.startswith(
        "checked reflections-of-redemption-cases-print.pdf and "
        "reflections-of-redemption-cases.pdf: ready to print; 0 warnings"
    ), summary


def test_an_rgb_colour_is_an_error_in_the_master(project, tmp_path) -> None:
    folder = _with_css(project, ".article p { color: rgb(200, 0, 0) }\n")
    run = run_build("check", folder, "-o", tmp_path / "out")
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert errors and all("-print.pdf: page " in e and "DeviceRGB" in e for e in errors), errors


def test_a_line_out_of_its_box_is_a_warning_and_strict_makes_it_fail(project, tmp_path) -> None:
    css = ".article p { width: 1in; hyphens: none }\n"
    folder = _with_css(project, css, "Unbreakable: Supercalifragilisticexpialidocious.\n")
    run = run_build("check", folder, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert re.search(
        r"warning: page 4: a line runs [\d.]+ pt out of its box: 'Supercal", run.stderr
    )
    strict = run_build("check", folder, "-o", tmp_path / "out", "--strict")
    assert strict.returncode == 1


def _side_texts(pdf: Path, index: int) -> tuple[str, str]:
    """The text on the left and right halves of an imposed sheet side."""
    page = pdfium.PdfDocument(str(pdf))[index]
    text = page.get_textpage()
    width = page.get_width()
    left, right = [], []
    for i in range(text.count_chars()):
        x0, _, x1, _ = text.get_charbox(i)
        (left if (x0 + x1) / 2 < width / 2 else right).append(text.get_text_range(i, 1))
    return "".join(left), "".join(right)


def test_build_impose_writes_spreads_right_bound_for_a_hebrew_issue(tmp_path) -> None:
    run = run_build("build", ROOT / "content" / "shemot-5786-he", "-o", tmp_path, "--impose")
    assert run.returncode == 0, run.stderr
    imposed = next(Path(p) for p in run.stdout.split() if p.endswith("-imposed.pdf"))
    document = pdfium.PdfDocument(str(imposed))
    assert len(document) == 6  # 12 pages: 3 sheets, 2 sides each
    # print.md: a right-bound booklet's outer sheet carries page 1 left of the fold
    assert saddle_order(12, "right")[0] == (1, 12)
    left, right = _side_texts(imposed, 0)
    assert "הרהורי גאולה" in left and "היה שותף" in right  # the cover left, the back cover right
