"""Bad input: one line naming the file (and line), exit 1, no traceback, nothing written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_build, write_issue

ISSUE = "shemot-5786"


def build(content: Path, out: Path, *extra: str):
    return run_build("build", content / ISSUE, "-o", out, *extra)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_malformed_yaml_names_file_and_line(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", "volume: [13")
    assert_one_line_error(build(project, tmp_path / "out"), r"issue\.yaml:\d+: malformed YAML")


def test_malformed_front_matter_names_file_and_line(project, tmp_path) -> None:
    edit(project / ISSUE / "talks" / "12.md", 'title: "12"', 'title: "12\nsource: [x')
    assert_one_line_error(build(project, tmp_path / "out"), r"talks/12\.md:\d+: malformed YAML")


def test_missing_front_matter(project, tmp_path) -> None:
    path = project / ISSUE / "talks" / "58.md"
    path.write_text(path.read_text(encoding="utf-8").split("---", 2)[2], encoding="utf-8")
    assert_one_line_error(build(project, tmp_path / "out"), r"talks/58\.md:1: missing front matter")


def test_missing_content_file_is_reported_where_it_is_named(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "talks/58.md", "talks/59.md")
    assert_one_line_error(
        build(project, tmp_path / "out"), r"issue\.yaml:11: file not found: talks/59\.md$"
    )


def test_missing_required_field(project, tmp_path) -> None:
    edit(project / ISSUE / "essays" / "moses-and-moshiach.md", "title: Moses and Moshiach\n", "")
    assert_one_line_error(
        build(project, tmp_path / "out"),
        r"moses-and-moshiach\.md:2: missing required field 'title'",
    )


def test_unknown_field_suggests_the_right_one(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", "volume: 13\nvolum: 14")
    assert_one_line_error(
        build(project, tmp_path / "out"),
        r"issue\.yaml:5: unknown field 'volum' \(did you mean 'volume'\?\)",
    )


def test_wrong_type(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", "volume: thirteen")
    assert_one_line_error(
        build(project, tmp_path / "out"),
        r"issue\.yaml:4: 'volume' must be a whole number, not text",
    )


def test_wrong_type_in_a_dedication_record(project, tmp_path) -> None:
    edit(project / "people.yaml", "relation: ben", "relation: son")
    assert_one_line_error(
        build(project, tmp_path / "out"), r"people\.yaml:10: 'relation' must be one of"
    )


def test_a_title_per_name_must_match_the_names(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "{title: Rabbi & Mrs.,", "{title: [Rabbi, Mrs., Dr.],")
    assert_one_line_error(
        build(project, tmp_path / "out"),
        r"issue\.yaml:\d+: one title per given name: 2 names, 3 titles",
    )


def test_every_problem_is_reported_at_once(project, tmp_path) -> None:
    edit(project / ISSUE / "talks" / "12.md", "source:", "sauce:")
    edit(project / ISSUE / "talks" / "58.md", "source:", "sorce:")
    run = build(project, tmp_path / "out")
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 2, run.stderr
    assert re.search(r"talks/12\.md:3: unknown field 'sauce' \(did you mean 'source'\?\)", lines[0])
    assert re.search(r"talks/58\.md:3: unknown field 'sorce' \(did you mean 'source'\?\)", lines[1])


def test_failed_build_leaves_the_earlier_pdf_untouched(project, tmp_path) -> None:
    out = tmp_path / "out"
    folder = write_issue(project, "A short essay.\n")
    first = run_build("build", folder, "-o", out)
    assert first.returncode == 0, first.stderr
    pdf = Path(first.pdf)
    master = pdf.with_name(pdf.stem + "-print.pdf")
    before = pdf.read_bytes()
    edit(folder / "issue.yaml", "volume: 13", "volume: [13")
    assert run_build("build", folder, "-o", out).returncode == 1
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == sorted([pdf.name, master.name])


def test_nothing_is_written_when_the_first_build_fails(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", "volume: x")
    out = tmp_path / "out"
    assert build(project, out).returncode == 1
    assert not out.exists() or not any(out.iterdir())


def test_verbose_shows_the_traceback(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", "volume: [13")
    run = run_build("--verbose", "build", project / ISSUE, "-o", tmp_path / "out")
    assert run.returncode == 1 and "Traceback" in run.stderr


@pytest.mark.parametrize(
    "reference, message",
    [
        ("http://example.com/logo.png", "is on the network"),
        ("https://example.com/logo.png", "is on the network"),
        ("../../../../../../etc/hostname", "is outside the project"),
        ("file:///etc/hostname", "is outside the project"),
    ],
)
def test_images_outside_the_project_are_refused(tmp_path, project, reference, message) -> None:
    folder = write_issue(project, f"Text.\n\n![logo]({reference})\n")
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert_one_line_error(run, rf"cases\.md:7: '{re.escape(reference)}' {message}")


def test_stylesheet_fetching_from_the_network_is_refused(tmp_path, project) -> None:
    folder = write_issue(project, "Text.\n")
    (folder / "extra.css").write_text("p { color: red }\n@import url(https://example.com/x.css);\n")
    edit(folder / "issue.yaml", "contents:", "stylesheets: [extra.css]\ncontents:")
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert_one_line_error(run, r"extra\.css:2: 'https://example\.com/x\.css' is on the network")


def test_markup_in_content_and_dedications_is_shown_as_text(tmp_path, project) -> None:
    folder = write_issue(project, "A <b>bold</b> claim <script>alert(1)</script>.\n")
    edit(
        folder / "issue.yaml",
        "contents:",
        'dedications:\n  sponsors:\n    - {given: "<i>Yosef</i>", surname: "<script>x</script>"}\ncontents:',
    )
    run = run_build("build", folder, "-o", tmp_path / "out", "--html")
    assert run.returncode == 0, run.stderr
    html = Path(run.html).read_text(encoding="utf-8")
    assert "<script>" not in html and "<i>Yosef" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "&lt;i&gt;Yosef&lt;/i&gt;" in html


def test_undefined_footnote_is_an_error(tmp_path, project) -> None:
    folder = write_issue(project, "A claim.[^9]\n")
    run = run_build("build", folder, "-o", tmp_path / "out")
    assert_one_line_error(run, r"cases\.md:5: footnote \[\^9\] is called but never defined")


def test_missing_issue_folder(tmp_path) -> None:
    run = run_build("build", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert_one_line_error(run, r"nowhere: issue folder not found")


def test_font_missing_from_fonts_folder(project, tmp_path) -> None:
    edit(project / "series.yaml", "regular: CharisSIL-Regular.ttf", "regular: Arial.ttf")
    assert_one_line_error(
        build(project, tmp_path / "out"), r"series\.yaml:\d+: font 'Arial\.ttf' is not in fonts/"
    )


def test_series_file_changes_every_page_that_names_the_series(project, tmp_path) -> None:
    edit(project / "series.yaml", "title: Reflections of Redemption", "title: Sparks of Geulah")
    run = build(project, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    from pdfinspect import page_texts

    pages = page_texts(Path(run.pdf))
    assert "Sparks of Geulah" in pages[0] and "Sparks of Geulah" in pages[2]
    assert "Sparks of Geulah" in pages[5]  # the running head of a left page (page 6)
    assert not any("Reflections of Redemption" in p for p in pages)


def test_a_broken_layout_names_the_template_and_line(project, tmp_path) -> None:
    from pamphlet.settings import bundled

    own = project / "house-style"
    own.mkdir()
    shutil.copy(bundled("layouts") / "cover.html.j2", own / "cover.html.j2")
    edit(own / "cover.html.j2", "{{ issue.volume }}", "{{ issue.volumez }}")
    edit(project / "series.yaml", "trim: half-letter", "trim: half-letter\nlayouts: house-style")
    run = build(project, tmp_path / "out")
    assert_one_line_error(run, r"house-style/cover\.html\.j2:\d+: layout error: .*volumez")


def test_every_problem_in_every_file_at_once(project, tmp_path) -> None:
    """A wrong type in issue.yaml, an unknown field in a talk, a bad people record and a
    missing stylesheet: one line each, file and line, in one run, and nothing written."""
    issue = project / ISSUE / "issue.yaml"
    edit(issue, "volume: 13", "volume: thirteen")
    edit(issue, "contents:", "stylesheets: [missing.css]\ncontents:")
    edit(project / ISSUE / "talks" / "12.md", "source:", "sauce:")
    edit(project / "people.yaml", "relation: ben", "relation: son")
    out = tmp_path / "out"
    run = build(project, out)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = sorted(run.stderr.strip().splitlines())
    expected = sorted(
        [
            r"error: .*shemot-5786/issue\.yaml:4: 'volume' must be a whole number, not text",
            r"error: .*shemot-5786/issue\.yaml:6: file not found: missing\.css$",
            r"error: .*talks/12\.md:3: unknown field 'sauce' \(did you mean 'source'\?\)",
            r"error: .*content/people\.yaml:10: 'relation' must be one of",
        ]
    )
    assert len(lines) == 4, run.stderr
    for pattern in expected:
        assert sum(bool(re.search(pattern, line)) for line in lines) == 1, (pattern, lines)
    assert not out.exists()


def test_an_unreadable_issue_file_says_what_it_leaves_unchecked(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", "volume: [13")
    edit(project / "people.yaml", "relation: ben", "relation: son")
    run = build(project, tmp_path / "out")
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1 and len(lines) == 2, run.stderr
    assert re.search(
        r"issue\.yaml:\d+: malformed YAML.*\(its contents were not checked\)", lines[0]
    )
    assert re.search(r"people\.yaml:10: 'relation' must be one of", lines[1])


def test_a_missing_series_file_is_named_where_the_issue_names_it(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "series: ../series.yaml", "series: ../nowhere.yaml")
    run = build(project, tmp_path / "out")
    assert run.returncode == 1
    assert re.search(
        r"issue\.yaml:\d+: file not found: \.\./nowhere\.yaml \(people and fonts not checked\)",
        run.stderr,
    ), run.stderr


def test_a_hebrew_memorial_box_without_a_heading_takes_the_hebrew_label(tmp_path) -> None:
    from conftest import ROOT

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    edit(
        content / "shemot-5786-he" / "issue.yaml",
        "    - heading: לעילוי נשמת ידידנו היקר\n      person",
        "    - person",
    )
    run = run_build("build", content / "shemot-5786-he", "-o", tmp_path / "out", "--html")
    assert run.returncode == 0, run.stderr
    html = Path(run.html).read_text(encoding="utf-8")
    assert re.search(r'<p class="box-heading"[^>]*>לעילוי נשמת ידידנו היקר</p>', html)
    assert "IN LOVING MEMORY OF A DEAR FRIEND" not in html
