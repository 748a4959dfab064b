"""The page budget: a booklet comes to a multiple of four pages, fills what is left with
the series' filler pages, sets the text tighter to save a sheet, and says so."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, run_build, write_issue
from pdfinspect import page_texts

from pamphlet import htmltree
from pamphlet.pdf import render_fitted
from pamphlet.pdf.budget import fit_to_budget

PAGE = 200  # px: a page of the synthetic layout below holds PAGE / leading lines


def _synthetic(lines: int) -> htmltree.Element:
    """A cover, `lines` one-line paragraphs, a back cover; leading 20px, 19px at tighter
    level 1, 18px at level 2 (10, 10 and 11 lines to a page)."""
    css = (
        f"@page {{ size: {PAGE}px {PAGE}px; margin: 0 }} body {{ margin: 0 }}"
        "p { margin: 0; line-height: 20px; font-size: 10px; white-space: nowrap }"
        "html[data-tighten='1'] p { line-height: 19px }"
        "html[data-tighten='2'] p { line-height: 18px }"
        ".cover { break-after: page } .back { break-before: page }"
    )
    body = "".join(f"<p>line {n}</p>" for n in range(lines))
    html = (
        f'<html data-tighten-levels="2"><head><style>{css}</style></head><body>'
        f'<p class="cover">cover</p>{body}<p class="back">back</p></body></html>'
    )
    return htmltree.parse(html)[0]


def _fit(lines: int, asked: int | None = None):
    tree = _synthetic(lines)
    base = ROOT.as_uri() + "/"
    fitted = render_fitted(tree, None, base, [ROOT])
    return fitted, fit_to_budget(fitted, tree, None, base, [ROOT], None, asked)


def test_two_lines_over_four_pages_are_taken_back_by_setting_the_text_tighter() -> None:
    # 22 lines: 3 pages at 10 lines (10, 10, 2) + covers = 5 pages, one over 4; at level 1
    # still 10 lines to a page; at level 2, 11 lines: 2 pages, and the booklet is 4
    fitted, (tight, level) = _fit(22)
    assert len(fitted.rendered.pages) == 5
    assert (len(tight.rendered.pages), level) == (4, 2)


def test_a_full_page_over_is_not_squeezed() -> None:
    # 27 lines: pages of 10, 10, 7: not "a few lines over", so no tighter setting is tried
    fitted, (kept, level) = _fit(27)
    assert len(fitted.rendered.pages) == 5
    assert (len(kept.rendered.pages), level, kept.renders) == (5, 0, 1)


def test_a_page_count_the_content_cannot_come_to_is_an_error() -> None:
    import pytest

    from pamphlet.errors import PamphletError

    with pytest.raises(PamphletError, match="takes 6 pages, more than the 4"):
        _fit(35, asked=4)


def _with_pages(folder: Path, pages: int) -> None:
    issue = folder / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8") + f"pages: {pages}\n", encoding="utf-8")


def _fillers(count: int) -> list[str]:
    titles = []
    for name in ("dedicate.md", "house.md", "notes.md")[:count]:
        first = (ROOT / "content" / "fillers" / name).read_text(encoding="utf-8").splitlines()[0]
        titles.append(first.lstrip("# "))
    return titles


def test_fillers_then_blanks_fill_the_pages_the_issue_asks_for(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")  # 5 pages of content
    _with_pages(folder, 12)
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "12 pages (5 content, 3 fillers, 4 blank)" in run.stderr
    pages = [t.replace("\r\n", " ") for t in page_texts(Path(run.pdf))]
    assert len(pages) == 12
    assert all(t in p for t, p in zip(_fillers(3), pages[4:7], strict=True)), pages[4:7]
    assert [p.strip() for p in pages[7:11]] == ["", "", "", ""]
    assert "TO DEDICATE AN ISSUE" in pages[11]


def test_only_as_many_fillers_as_there_are_pages_to_fill(project, tmp_path) -> None:
    series = project / "series.yaml"
    series.write_text(series.read_text().replace("  - fillers/notes.md\n", ""))
    folder = write_issue(project, "A short essay.\n")  # 5 pages: 3 to fill, 2 fillers
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert "8 pages (5 content, 2 fillers, 1 blank)" in run.stderr
    pages = page_texts(Path(run.pdf))
    assert pages[6].strip() == "" and _fillers(2)[1] in pages[5].replace("\r\n", " ")


def test_an_issue_that_asks_for_fewer_pages_than_it_has_is_refused(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")  # 5 pages of content
    _with_pages(folder, 4)
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 1
    assert re.match(r"error: .*issue\.yaml: the content takes 5 pages, more than the 4", run.stderr)
    assert not (tmp_path / "out").exists()


def test_a_page_count_that_is_no_multiple_of_four_is_refused(project, tmp_path) -> None:
    _with_pages(project / "shemot-5786", 10)
    run = run_build("build", project / "shemot-5786", "-o", tmp_path / "out")
    assert run.returncode == 1 and re.match(r"error: .*issue\.yaml:\d+: pages: 10", run.stderr)


def test_a_filler_longer_than_a_page_is_named(project, tmp_path) -> None:
    (project / "fillers" / "house.md").write_text("# Long\n\n" + "A line of text.\n\n" * 80)
    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 1
    assert "filler page 'house.md' does not fit on one page" in run.stderr


def test_a_missing_filler_is_named_with_its_line(project, tmp_path) -> None:
    (project / "fillers" / "notes.md").unlink()
    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert run.returncode == 1
    assert re.match(r"error: .*series\.yaml:\d+: .*fillers/notes\.md", run.stderr), run.stderr
