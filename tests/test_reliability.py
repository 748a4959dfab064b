"""Fault injection: the engine under hostile, broken and unlucky input.

One section per class of fault (README, "Reliability"): bounded input, confinement, dates,
printable text, no silent loss, the environment, the command line as input, and
concurrency. Each case is one line naming the file (and line), exit 1, no traceback, and
nothing the user had changed.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, assert_one_line_error, run_build, write_issue
from pdfinspect import page_texts
from ruamel.yaml import YAML

ISSUE = "shemot-5786"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(folder: Path, out: Path, *extra: str):
    return run_build("build", folder, "-o", out, *extra)


# -- Bounded input -------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)


def _essay(project: Path) -> Path:
    return project / ISSUE / "essays" / "moses-and-moshiach.md"


def _bad_people(project: Path, text: str) -> None:
    (project / "people.yaml").write_text(text, encoding="utf-8")


BOUNDED = {
    "aliases expanding past the bound": (
        lambda p: _bad_people(p, BILLION_LAUGHS),
        r"people\.yaml:\d+: YAML too large: more than 100000 values",
    ),
    "nesting past the bound": (
        lambda p: _bad_people(p, "a: " + "[" * 200 + "]" * 200 + "\n"),
        r"people\.yaml:1: YAML nested deeper than 32 levels",
    ),
    "nesting past the parser's recursion": (
        lambda p: _bad_people(p, "a: " + "[" * 5000 + "]" * 5000 + "\n"),
        r"people\.yaml(:\d+)?: YAML nested deeper than 32 levels",
    ),
    "a content file over the size limit": (
        lambda p: _essay(p).write_text("---\ntitle: x\n---\n" + "word " * 500_000),
        r"moses-and-moshiach\.md: 2,500,0\d\d bytes: larger than the 2 MB a file may be",
    ),
    "a NUL byte": (
        lambda p: _essay(p).write_bytes(b"---\ntitle: x\n---\n\nText\x00more\n"),
        r"moses-and-moshiach\.md:5: a NUL byte in the text",
    ),
    "invalid UTF-8": (
        lambda p: (p / ISSUE / "issue.yaml").write_bytes(b"date: 2026-01-10\nvolume: \xff\n"),
        r"issue\.yaml:2: not UTF-8 text \(byte 25\)",
    ),
    "a folder where a file should be": (
        lambda p: (_essay(p).unlink(), _essay(p).mkdir()),
        r"moses-and-moshiach\.md: a folder: a text file is expected here",
    ),
    "a device where a file should be": (
        lambda p: (_essay(p).unlink(), os.mknod(_essay(p), stat.S_IFCHR | 0o600, os.makedev(1, 5))),
        r"moses-and-moshiach\.md: not a regular file: a text file is expected here",
    ),
    "a symbolic link loop": (
        lambda p: (
            _essay(p).unlink(),
            _essay(p).symlink_to(_essay(p).with_name("b.md")),
            _essay(p).with_name("b.md").symlink_to(_essay(p)),
        ),
        r"issue\.yaml:\d+: 'essays/moses-and-moshiach\.md' is outside the project",
    ),
    "a name too long for the file system": (
        lambda p: edit(p / ISSUE / "issue.yaml", "essays/moses-and-moshiach.md", "x" * 300 + ".md"),
        r"issue\.yaml:7: cannot read x{57}\.\.\.: the file name is too long",
    ),
    "a NUL character in a file name": (
        lambda p: edit(
            p / ISSUE / "issue.yaml", "essays/moses-and-moshiach.md", '"essays/a\\0b.md"'
        ),
        r"issue\.yaml:7: '.*' is outside the project",
    ),
}


@pytest.mark.parametrize("case", sorted(BOUNDED))
def test_bounded_input(case, project, tmp_path) -> None:
    damage, pattern = BOUNDED[case]
    damage(project)
    assert_one_line_error(build(project / ISSUE, tmp_path / "out"), pattern)
    assert not (tmp_path / "out").exists()


def test_a_fifo_where_a_file_should_be_never_hangs(project, tmp_path) -> None:
    _essay(project).unlink()
    os.mkfifo(_essay(project))
    proc = subprocess.run(
        [sys.executable, ROOT / "build.py", "build", project / ISSUE, "-o", tmp_path / "out"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert re.search(r"moses-and-moshiach\.md: not a regular file", proc.stderr)


# -- Confinement ---------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, with things a hostile series would like to read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.yaml").write_text("someone: {given: Secret, surname: Record}\n")
    (folder / "essay.md").write_text("---\ntitle: Secret\n---\n\nSecret text.\n")
    (folder / "cover.html.j2").write_text("<p>SECRET TEMPLATE</p>\n")
    return folder


CONFINED = {
    "people file outside": (
        lambda p, o: edit(p / "series.yaml", "slug:", f"people: {o}/secret.yaml\nslug:"),
        r"series\.yaml:\d+: people file '.*secret\.yaml' is outside the project",
    ),
    "people file through ../": (
        lambda p, o: edit(p / "series.yaml", "slug:", "people: ../outside/secret.yaml\nslug:"),
        r"series\.yaml:\d+: people file '\.\./outside/secret\.yaml' is outside the project",
    ),
    "layouts folder outside": (
        lambda p, o: edit(p / "series.yaml", "slug:", "layouts: ../outside\nslug:"),
        r"series\.yaml:\d+: layouts folder '\.\./outside' is outside the project",
    ),
    "a template linked out of the series' layouts": (
        lambda p, o: (
            (p / "own").mkdir(),
            (p / "own" / "cover.html.j2").symlink_to(o / "cover.html.j2"),
            edit(p / "series.yaml", "slug:", "layouts: own\nslug:"),
        ),
        r"cover\.html\.j2: layout is outside its layouts folder",
    ),
    "a font outside fonts/": (
        lambda p, o: edit(
            p / "series.yaml",
            "regular: CharisSIL-Regular.ttf",
            "regular: ../../../etc/hostname",
        ),
        r"series\.yaml:\d+: font '\.\./\.\./\.\./etc/hostname' is outside fonts/",
    ),
    "a slug that climbs out of the output folder": (
        lambda p, o: edit(
            p / "series.yaml", "slug: reflections-of-redemption", "slug: ../../escaped"
        ),
        r"series\.yaml:\d+: slug '\.\./\.\./escaped' must be a plain file-name prefix",
    ),
    "a content folder that is a link out of the tree": (
        lambda p, o: (
            (p / ISSUE / "linked").symlink_to(o),
            edit(p / ISSUE / "issue.yaml", "essays/moses-and-moshiach.md", "linked/essay.md"),
        ),
        r"issue\.yaml:7: 'linked/essay\.md' is outside the project",
    ),
    "a series file that does not hold the issue": (
        lambda p, o: edit(
            p / ISSUE / "issue.yaml", "series: ../series.yaml", "series: ../../outside/secret.yaml"
        ),
        r"issue\.yaml:2: series '\.\./\.\./outside/secret\.yaml' must be in the issue's folder or a folder above it",
    ),
    "a web address that is a script": (
        lambda p, o: edit(
            p / "series.yaml", "web: http://www.torah4blind.org", "web: javascript:alert(1)"
        ),
        r"series\.yaml:\d+: web 'javascript:alert\(1\)' must be an http:// or https:// address",
    ),
    "an e-mail that is a URL": (
        lambda p, o: edit(
            p / "series.yaml", "email: yys@torah4blind.org", "email: 'file:///etc/passwd'"
        ),
        r"series\.yaml:\d+: email 'file:///etc/passwd' is not an e-mail address",
    ),
}


@pytest.mark.parametrize("case", sorted(CONFINED))
def test_confinement(case, project, outside, tmp_path) -> None:
    damage, pattern = CONFINED[case]
    damage(project, outside)
    assert_one_line_error(build(project / ISSUE, tmp_path / "out"), pattern)


URLS = {
    "file URL with a host": "file://example.com/etc/hostname",
    "network path": "//example.com/logo.png",
    "ftp": "ftp://example.com/logo.png",
    "gopher": "gopher://example.com/logo.png",
    "a Windows drive is a path, outside": "file:///c:/secret.png",
}


@pytest.mark.parametrize("case", sorted(URLS))
def test_image_and_stylesheet_addresses_are_refused_before_any_lookup(case, project, tmp_path):
    url = URLS[case]
    folder = write_issue(project, f"Text.\n\n![x]({url})\n")
    run = build(folder, tmp_path / "out")
    assert_one_line_error(run, rf"cases\.md:7: '{re.escape(url)}'")
    (folder / "essays" / "cases.md").write_text("---\ntitle: Cases\n---\n\nText.\n")
    (folder / "extra.css").write_text(f"p {{ background: url({url}) }}\n")
    edit(folder / "issue.yaml", "contents:", "stylesheets: [extra.css]\ncontents:")
    run = build(folder, tmp_path / "out")
    assert_one_line_error(run, rf"extra\.css:1: '{re.escape(url)}'")


@pytest.mark.parametrize(
    "link", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "smb://host/share"]
)
def test_links_in_content_accept_only_what_paper_can_carry(link, project, tmp_path) -> None:
    folder = write_issue(project, f"See [this]({link}).\n")
    assert_one_line_error(
        build(folder, tmp_path / "out"),
        r"cases\.md:5: link '.*': only http\(s\), mailto and tel links can be printed",
    )


HOSTILE_CSS = r"""
p { background: \75 rl(//example.com/escaped.png) }
h1 { background: u\72l("file://example.com/etc/hostname") }
"""


def test_a_hostile_build_reads_nothing_outside_and_asks_no_network(project, outside, tmp_path):
    """A build of hostile content in a fresh interpreter, watched by an audit hook: no
    file outside the project (and Python's own) is opened, no socket is touched."""
    folder = write_issue(project, "Text.\n")
    (folder / "hostile.css").write_text(HOSTILE_CSS)
    edit(folder / "issue.yaml", "contents:", "stylesheets: [hostile.css]\ncontents:")
    (project / ISSUE / "linked").symlink_to(outside)
    watcher = tmp_path / "watch.py"
    watcher.write_text(
        textwrap.dedent(
            """
            import json, sys
            seen = {"open": [], "net": [], "urls": []}
            def hook(event, args):
                if event == "open" and isinstance(args[0], str):
                    seen["open"].append(args[0])
                elif event.startswith("socket."):
                    seen["net"].append(event)
                elif event == "urllib.Request":
                    seen["urls"].append(str(args[0]))
            sys.addaudithook(hook)
            from pathlib import Path
            from pamphlet.cli import main
            code = main(sys.argv[2:], project=Path(sys.argv[1]))
            json.dump({"code": code, **seen}, open(sys.argv[1] + "/audit.json", "w"))
            """
        )
    )
    run = subprocess.run(
        [sys.executable, watcher, tmp_path, "build", folder, "-o", tmp_path / "out"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "refused to read '" in run.stderr and "example.com" in run.stderr, run.stderr
    audit = json.loads((tmp_path / "audit.json").read_text())
    assert audit["code"] == 1  # refused: the escaped url() reached the fetcher
    assert audit["net"] == []
    assert [
        u for u in audit["urls"] if not u.startswith((f"file://{ROOT}", f"file://{tmp_path}"))
    ] == []
    allowed = [str(tmp_path), str(ROOT), sys.prefix, sys.base_prefix, "/tmp", "/dev/null",
               "/etc/mime.types"]  # fmt: skip
    outside_reads = [
        p for p in audit["open"] if p.startswith("/") and not p.startswith(tuple(allowed))
    ]
    assert outside_reads == []
    assert not [p for p in audit["open"] if p.startswith(str(outside))]


# -- Dates ---------------------------------------------------------------------------------

DATES = {
    "February 30": ("issue", "date: 2026-01-10", "date: 2026-02-30", r"issue\.yaml:3: '2026-02-30' is not a date that exists"),
    "year 0": ("people", "passed: 21 Tamuz 5766", "passed: 0000-01-01", r"people\.yaml:\d+: '0000-01-01' is not a date that exists"),
    "a passing in 9999": ("people", "passed: 21 Tamuz 5766", "passed: 9999-01-01", r"people\.yaml:\d+: date of passing: Hebrew year 13759 is outside 5000–6000"),
    "Hebrew year 0": ("people", "passed: 21 Tamuz 5766", "passed: 1 Tishrei 0", r"people\.yaml:\d+: date of passing: cannot read the date '1 Tishrei 0'"),
    "a Hebrew year far ahead": ("people", "passed: 21 Tamuz 5766", "passed: 1 Tishrei 9000", r"people\.yaml:\d+: date of passing: Hebrew year 9000 is outside 5000–6000"),
    "an issue week near the start of the calendar": ("issue", "date: 2026-01-10", "date: 0001-01-06", r"issue\.yaml:3: 0001-01-06 is outside the years 1900–2999"),
    "an issue week near the end of the calendar": ("issue", "date: 2026-01-10", "date: 9999-12-25", r"issue\.yaml:3: 9999-12-25 is outside the years 1900–2999"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(DATES))
def test_dates_that_do_not_exist(case, project, tmp_path) -> None:
    where, old, new, pattern = DATES[case]
    path = project / "people.yaml" if where == "people" else project / ISSUE / "issue.yaml"
    edit(path, old, new)
    assert_one_line_error(build(project / ISSUE, tmp_path / "out"), pattern)


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-13-01"])
def test_weeks_asked_about_that_the_calendar_cannot_hold(week, project) -> None:
    run = run_build("dedications", "yahrzeits", "--week", week, "--series", project / "series.yaml")
    assert_one_line_error(run, r"--week: ")


# -- Printable or refused ------------------------------------------------------------------

PRINTABLE = {
    "a symbol in the body": (
        lambda p: edit(_essay(p), "When Moses encounters", "When ☯ Moses encounters"),
        r"moses-and-moshiach\.md:\d+: the text has a character no bundled font can print: '☯' \(U\+262F YIN YANG\)",
    ),
    "Chinese in a people record": (
        lambda p: edit(p / "people.yaml", "surname: Shagalov", "surname: 中文", ),
        r"people\.yaml:\d+: 'surname' has a character no bundled font can print: '中' \(U\+4E2D",
    ),
    "a symbol in the series": (
        lambda p: edit(p / "series.yaml", "printed_in: Printed in the U.S.A.", "printed_in: Printed in ☯"),
        r"series\.yaml:\d+: 'printed_in' has a character no bundled font can print: '☯'",
    ),
    "a symbol in an essay's title": (
        lambda p: edit(_essay(p), "title: Moses and Moshiach", "title: Moses ✡ Moshiach"),
        r"moses-and-moshiach\.md:\d+: 'title' has a character no bundled font can print: '✡'",
    ),
    "a font file that is not a font": (
        lambda p: edit(p / "series.yaml", "regular: CharisSIL-Regular.ttf", "regular: OFL-CharisSIL.txt"),
        r"series\.yaml:\d+: font 'OFL-CharisSIL\.txt' cannot be used: not a readable font file",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(PRINTABLE))
def test_printable_or_refused(case, project, tmp_path) -> None:
    damage, pattern = PRINTABLE[case]
    damage(project)
    assert_one_line_error(build(project / ISSUE, tmp_path / "out"), pattern)


def test_a_name_too_long_for_its_line_is_refused(project, tmp_path) -> None:
    edit(
        project / ISSUE / "issue.yaml",
        "  sponsors:\n",
        "  sponsors:\n    - {given: " + "Yosefyitzchak" * 8 + "}\n",
    )
    assert_one_line_error(
        build(project / ISSUE, tmp_path / "out"),
        r"issue\.yaml: page 2: 'Yosefyitzchak.*' runs past the edge of the page",
    )


DIRECTION_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_direction_controls_cannot_reorder_what_follows(project, tmp_path) -> None:
    """Every embedding, override and isolate control, typed into names and an essay."""
    edit(project / "people.yaml", "given: Dovid Asniel", "given: Dovid\u202e Asniel\u2067")
    edit(project / "people.yaml", "given: Esther Shaindel", "given: Esther\u202b\u202d Shaindel")
    text = _essay(project).read_text(encoding="utf-8")
    _essay(project).write_text(text.replace("When Moses", f"When{DIRECTION_CONTROLS} Moses"))
    run = build(project / ISSUE, tmp_path / "out", "--html", "--quiet")
    assert run.returncode == 0, run.stderr
    pdf, _master, html = run.stdout.split()
    written = Path(html).read_text(encoding="utf-8")
    assert not [c for c in DIRECTION_CONTROLS if c in written]
    pages = " ".join(page_texts(pdf)).replace("\r\n", " ")
    assert "Reb Dovid Asniel ben Reb Eliyahu" in pages and "Esther Shaindel" in pages
    assert "When Moses encounters" in pages


def test_control_characters_never_reach_the_terminal_raw(project, tmp_path) -> None:
    edit(project / ISSUE / "issue.yaml", "volume: 13", 'volume: 13\n"evil\\e[2J\\u202e": 1')
    run = build(project / ISSUE, tmp_path / "out")
    assert run.returncode == 1
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr
    assert "evil\\x1b[2J\\u202e" in run.stderr


# -- No silent loss ------------------------------------------------------------------------

LOST = {
    "a list nested too deep": ("- one\n  - two\n    - three\n      - four\n", r"cases\.md:8: a list nested 4 deep"),
    "a quotation nested too deep": ("> one\n>> two\n>>> three\n", r"cases\.md:7: a quotation nested 3 deep"),
    "a footnote inside a footnote": ("Text.[^a]\n\n[^a]: Note.[^b]\n\n[^b]: Inner.\n", r"cases\.md:7: a footnote inside a footnote"),
    "a footnote never called": ("Text.\n\n[^a]: A note nobody calls.\n", r"cases\.md:7: footnote \[\^a\] is defined but never called"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(LOST))
def test_markup_the_layout_cannot_print_is_an_error(case, project, tmp_path) -> None:
    body, pattern = LOST[case]
    folder = write_issue(project, body)
    assert_one_line_error(build(folder, tmp_path / "out"), pattern)


def test_an_image_in_a_lead_or_on_the_back_cover_is_an_error(project, tmp_path) -> None:
    (project / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    folder = write_issue(
        project, "Text.\n", front="title: Cases\nlead: A lead ![logo](../../logo.png)\n"
    )
    assert_one_line_error(
        build(folder, tmp_path / "out"), r"cases\.md:3: an image has no place in a lead"
    )
    edit(project / "series.yaml", "back_cover: |", "back_cover: |\n  ![logo](logo.png)")
    run = build(project / ISSUE, tmp_path / "out")
    assert_one_line_error(run, r"series\.yaml:\d+: an image has no place in the back cover")


TRICKY = """\
# A heading with *emphasis* and `code`

A paragraph with **bold**, _italic_, ***both***, a [link](https://example.org/page) and
<b>tags typed as text</b>, an e-mail <info@example.org>, an ampersand & an angle < bracket.

> A quotation, with a second line
> that continues it.
>
> > And a quotation inside it.

1. First point
   - a sub-point
     - a sub-sub-point
2. Second point with a note.[^n]

    an indented code block line

* * *

Closing words after the break: Moses' staff, Aaron's rod, the people's faith.

[^n]: The note's own words, with *emphasis*.
"""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def test_every_word_of_tricky_documents_reaches_the_pdf(project, tmp_path) -> None:
    folder = write_issue(project, TRICKY)
    run = build(folder, tmp_path / "out", "--quiet")
    assert run.returncode == 0, run.stderr
    printed = _words(" ".join(page_texts(run.pdf)))
    source = re.sub(r"\]\([^)]*\)|\[\^n\]:?|https?://\S+", " ", TRICKY)
    missing = [w for w in set(_words(source)) if w not in printed]
    assert missing == []


# -- The environment -----------------------------------------------------------------------


def test_an_output_folder_that_is_a_file(project, tmp_path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    assert_one_line_error(build(project / ISSUE, blocker), r"out: is a file, not a folder")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize(
    "fault, at",
    [
        (errno.ENOSPC, "staging the PDF"),
        (errno.ENOSPC, "staging the HTML"),
        (errno.ENOSPC, "moving the HTML"),
        (errno.EACCES, "staging the PDF"),
        (errno.EROFS, "moving the HTML"),
    ],
)
def test_a_failing_disk_leaves_the_earlier_outputs(fault, at, project, tmp_path, monkeypatch):
    folder = write_issue(project, "A short essay.\n")
    out = tmp_path / "out"
    first = build(folder, out, "--html", "--quiet")
    assert first.returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(folder / "issue.yaml", "volume: 13", "volume: 14")
    import pamphlet.files as files

    calls = {"stage": 0, "replace": 0}
    real_stage, real_replace = files._stage, os.replace

    def stage(target, data):
        calls["stage"] += 1
        if (at, calls["stage"]) in (("staging the PDF", 1), ("staging the HTML", 2)):
            raise OSError(fault, os.strerror(fault), str(target))
        return real_stage(target, data)

    def replace(src, dst):
        calls["replace"] += 1
        if at == "moving the HTML" and calls["replace"] == 2:
            raise OSError(fault, os.strerror(fault), str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(files, "_stage", stage)
    monkeypatch.setattr(files.os, "replace", replace)
    run = build(folder, out, "--html")
    monkeypatch.undo()
    assert_one_line_error(run, rf"cannot write: {re.escape(os.strerror(fault))}")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_ctrl_c_at_any_moment_leaves_the_earlier_outputs(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")
    out = tmp_path / "out"
    assert build(folder, out, "--html", "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    command = [sys.executable, ROOT / "build.py", "build", folder, "-o", out, "--html"]
    # From 50 ms on: before that the interpreter itself is starting, before any line of ours.
    for delay in (0.05, 0.3, 0.6):
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(2)
        _, stderr = proc.communicate(timeout=60)
        if proc.returncode == 0:
            continue  # finished before the signal: nothing to interrupt
        assert proc.returncode == 130, stderr
        assert stderr.strip() == "interrupted; nothing was written"
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_part_files_left_by_a_killed_run_are_swept(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".reflections-of-redemption-cases.pdf.abc123.part").write_bytes(b"half")
    assert build(folder, out, "--quiet").returncode == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "reflections-of-redemption-cases-print.pdf",
        "reflections-of-redemption-cases.pdf",
    ]


# -- The command line is input too ----------------------------------------------------------


def _add(project: Path, *flags: str):
    return run_build("dedications", "add", project / ISSUE, *flags)


def _yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "given",
    [
        "Dovid\nrabbi: true",
        "Dovid]\n  - evil",
        "Dovid', surname: 'Evil",
        "Dovid # not a comment",
        "{a: b}",
    ],
)
def test_a_value_cannot_inject_structure(given, project) -> None:
    run = _add(project, "--as", "sponsor", "--given", given, "--key", "injected")
    assert run.returncode == 0, run.stderr
    record = _yaml(project / "people.yaml")["injected"]
    assert record == {"given": given}
    assert _yaml(project / ISSUE / "issue.yaml")["dedications"]["sponsors"][-1] == "injected"


@pytest.mark.parametrize("flag", ["--person", "--donor", "--key"])
def test_keys_from_the_command_line_are_keys(flag, project) -> None:
    issue = project / ISSUE / "issue.yaml"
    before = issue.read_bytes()
    base = ["--as", "box", "--person", "rosner-yosef-yisroel"]
    evil = "x]\nvolume: 99"
    flags = {"--person": ["--as", "box", "--person", evil], "--donor": [*base, "--donor", evil],
             "--key": ["--as", "sponsor", "--given", "Dovid", "--key", evil]}[flag]  # fmt: skip
    assert_one_line_error(_add(project, *flags), rf"{flag}: '.*' is not a people key")
    assert issue.read_bytes() == before


FLOW = "  honoring: [shagalov-esther-shaindel]\n"
BLOCK = "  honoring:\n    - shagalov-esther-shaindel\n"


def test_add_into_a_flow_list_keeps_it_a_flow_list(project) -> None:
    edit(project / ISSUE / "issue.yaml", BLOCK, FLOW)
    assert _add(project, "--as", "honor", "--person", "wolf-gershon-leah").returncode == 0
    text = (project / ISSUE / "issue.yaml").read_text()
    assert "  honoring: [shagalov-esther-shaindel, wolf-gershon-leah]\n" in text


def test_add_after_a_trailing_comment_puts_the_record_in_its_list(project) -> None:
    edit(project / ISSUE / "issue.yaml", BLOCK,
         "  honoring:  # sold this week\n    - shagalov-esther-shaindel  # the first\n")  # fmt: skip
    assert _add(project, "--as", "honor", "--person", "wolf-gershon-leah").returncode == 0
    text = (project / ISSUE / "issue.yaml").read_text()
    assert "# sold this week" in text and "# the first" in text
    data = _yaml(project / ISSUE / "issue.yaml")
    assert data["dedications"]["honoring"] == ["shagalov-esther-shaindel", "wolf-gershon-leah"]


def test_add_to_a_file_without_the_role_creates_it(project) -> None:
    issue = project / ISSUE / "issue.yaml"
    text = issue.read_text()
    issue.write_text(text[: text.index("dedications:")])
    assert _add(project, "--as", "honor", "--person", "wolf-gershon-leah").returncode == 0
    assert _yaml(issue)["dedications"] == {"honoring": ["wolf-gershon-leah"]}


def test_add_to_a_role_that_is_not_a_list_is_refused(project) -> None:
    issue = project / ISSUE / "issue.yaml"
    edit(issue, BLOCK, "  honoring: shagalov-esther-shaindel\n")
    before = issue.read_bytes()
    run = _add(project, "--as", "honor", "--person", "wolf-gershon-leah")
    assert_one_line_error(run, r"issue\.yaml:19: 'honoring' must be a list")
    assert issue.read_bytes() == before


# -- Nothing lost under concurrency --------------------------------------------------------


def test_eight_concurrent_adds_all_land(project) -> None:
    command = [
        sys.executable,
        ROOT / "build.py",
        "dedications",
        "add",
        project / ISSUE,
        "--as",
        "sponsor",
    ]
    procs = [
        subprocess.Popen([*command, "--given", f"Donor{i}", "--surname", f"Family{i}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(8)
    ]  # fmt: skip
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    people = _yaml(project / "people.yaml")
    sponsors = _yaml(project / ISSUE / "issue.yaml")["dedications"]["sponsors"]
    for i in range(8):
        assert f"family{i}-donor{i}" in people and f"family{i}-donor{i}" in sponsors
    assert not list(project.rglob(".*.part"))


def test_an_edit_keeps_permissions_and_lands_in_both_files_or_neither(project, monkeypatch):
    issue, people = project / ISSUE / "issue.yaml", project / "people.yaml"
    issue.chmod(0o600)
    assert (
        _add(project, "--as", "sponsor", "--given", "First", "--surname", "Donor").returncode == 0
    )
    assert stat.S_IMODE(issue.stat().st_mode) == 0o600
    before = (issue.read_bytes(), people.read_bytes())
    import pamphlet.files as files

    moves = {"count": 0}
    real_replace = os.replace

    def failing_second_move(src, dst):
        moves["count"] += 1
        if moves["count"] == 2:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_second_move)
    run = _add(project, "--as", "sponsor", "--given", "Second", "--surname", "Donor")
    monkeypatch.undo()
    assert run.returncode == 1
    assert (issue.read_bytes(), people.read_bytes()) == before
    assert not list(project.rglob(".*.part"))


def test_kill_9_leaves_no_truncated_output_and_the_next_run_sweeps(project, tmp_path) -> None:
    folder = write_issue(project, "A short essay.\n")
    out = tmp_path / "out"
    assert build(folder, out, "--html", "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    command = [sys.executable, ROOT / "build.py", "build", folder, "-o", out, "--html"]
    for delay in (0.45, 0.75):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finished = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".part")}
        assert finished == before  # the same inputs: whole files, the same bytes
    assert build(folder, out, "--quiet").returncode == 0
    assert not list(out.glob(".*.part"))
