"""Settings: one precedence (defaults → series → issue → command line), and where things are."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_build
from pdfinspect import page_texts
from pypdf import PdfReader

from pamphlet.pipeline import load_issue
from pamphlet.settings import DEFAULTS, Overrides, bundled

ISSUE = "shemot-5786"


def _set(path: Path, line: str, after: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, f"{after}\n{line}", 1), encoding="utf-8")


@pytest.mark.parametrize(
    "series, issue, cli, expected, source",
    [
        (None, None, None, DEFAULTS["trim"], "default"),
        ("a5", None, None, "a5", "series"),
        ("a5", "digest", None, "digest", "issue"),
        ("a5", "digest", "half-letter", "half-letter", "command line"),
        (None, None, "a5", "a5", "command line"),
    ],
)
def test_each_layer_overrides_the_one_before(project, series, issue, cli, expected, source):
    series_file = project / "series.yaml"
    text = series_file.read_text(encoding="utf-8").replace("trim: half-letter\n", "")
    series_file.write_text(text + (f"trim: {series}\n" if series else ""), encoding="utf-8")
    if issue:
        _set(project / ISSUE / "issue.yaml", f"trim: {issue}", "volume: 13")
    settings = load_issue(project / ISSUE, Overrides(trim=cli)).settings
    assert settings.trim == expected
    assert settings.sources["trim"] == source


def test_paths_come_from_the_series_not_the_working_directory(project, tmp_path) -> None:
    settings = load_issue(project / ISSUE).settings
    assert settings.project == project.resolve()
    assert settings.output == project.resolve().parent / "output"
    assert settings.layouts == (bundled("layouts"),) and settings.fonts == bundled("fonts")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    from conftest import write_issue

    run = run_build("build", write_issue(project, "A short essay.\n"), "--quiet", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    assert Path(run.pdf).parent == project.resolve().parent / "output"
    assert not any(elsewhere.iterdir())


def test_a_series_restyles_with_its_own_layouts_file_by_file(project, tmp_path) -> None:
    own = project / "house-style"
    own.mkdir()
    cover = (bundled("layouts") / "cover.html.j2").read_text(encoding="utf-8")
    (own / "cover.html.j2").write_text(
        cover.replace('<div class="cover" id="cover">', '<div class="cover"><p>OUR OWN COVER</p>'),
        encoding="utf-8",
    )
    css = (bundled("layouts") / "pamphlet.css").read_text(encoding="utf-8")
    (own / "pamphlet.css").write_text(css + "\n.series-title { font-style: normal; }\n")
    _set(project / "series.yaml", "layouts: house-style", "slug: reflections-of-redemption")
    from conftest import write_issue

    folder = write_issue(project, "A short essay.\n")
    run = run_build("build", folder, "-o", tmp_path / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    pages = page_texts(Path(run.pdf))
    assert "OUR OWN COVER" in pages[0]
    assert "Reprinted with permission by:" in pages[1]  # the bundled inside cover still serves
    title_fonts: set[str] = set()

    def visit(text, cm, tm, font, size) -> None:
        if "Redemption" in text and font:
            title_fonts.add(str(font.get("/BaseFont")))

    PdfReader(run.pdf).pages[0].extract_text(visitor_text=visit)
    assert title_fonts and not any("Italic" in n for n in title_fonts), title_fonts


def test_a_series_layouts_folder_that_is_missing_is_an_error(project, tmp_path) -> None:
    _set(project / "series.yaml", "layouts: nowhere", "slug: reflections-of-redemption")
    run = run_build("build", project / ISSUE, "-o", tmp_path / "out")
    assert run.returncode == 1
    assert "series.yaml:" in run.stderr and "layouts folder not found: nowhere" in run.stderr


def test_the_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Settings") :]
    for name in [*DEFAULTS, "layouts", "fonts", "people", "output", "html", "strict"]:
        assert f"| `{name}`" in table, name


def test_bundled_folders_hold_the_layouts_and_fonts() -> None:
    assert (bundled("layouts") / "pamphlet.html.j2").is_file()
    assert (bundled("fonts") / "CharisSIL-Regular.ttf").is_file()
