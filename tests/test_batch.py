"""Batch editions: every edition checked before the first render, each built (reader,
master, imposed), a manifest in JSON and CSV, a failing edition skipped, a rerun that
builds only what changed, a kill -9 that leaves no half file, shards merged."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_build, shared, write_issue
from pdfinspect import page_texts

from pamphlet.batch.plan import Shard

EDITIONS = """\
editions:
  - id: alpha
    copies: 3
    cover_line: Courtesy of the Alpha family
  - id: beta
    dedications:
      memorials: [shagalov-schneur-zalman]
      sponsors: [wolf-gershon-leah]
  - id: gamma
    binding: right
"""


def _editions(
    project: Path, text: str = EDITIONS, name: str = "editions.yaml", issue: str = "shemot-5786"
) -> Path:
    path = project / issue / name
    path.write_text(text, encoding="utf-8")
    return path


def _short(project: Path) -> Path:
    """A short issue (a few lines of one essay): builds in a fraction of the default's time."""
    return write_issue(project, "A short essay.\n")


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory) -> Path:
    """The three editions above, built once (two workers)."""

    def make(root: Path) -> str:
        content = root / "content"
        import shutil

        shutil.copytree(ROOT / "content", content)
        _editions(content)
        run = run_build("batch", content / "shemot-5786", "-o", root / "out", "-j", "2")
        assert run.returncode == 0, run.stderr
        return str(root / "out")

    return Path(shared(tmp_path_factory, "batch", make))


def test_every_edition_gets_its_three_files_and_a_manifest(batch_out) -> None:
    manifest = json.loads((batch_out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["edition"] for e in manifest["editions"]] == ["alpha", "beta", "gamma"]
    for entry in manifest["editions"]:
        assert entry["status"] == "built" and entry["error"] is None
        for role in ("reader", "master", "imposed"):
            path = batch_out / entry["files"][role]
            assert path.is_file() and path.parent.name == entry["edition"]
            import hashlib

            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"][role]
    rows = list(csv.DictReader((batch_out / "manifest.csv").open(encoding="utf-8")))
    assert [(r["edition"], r["copies"], r["binding"]) for r in rows] == [
        ("alpha", "3", "left"),
        ("beta", "1", "left"),
        ("gamma", "1", "right"),
    ]


def test_each_edition_prints_its_own_cover_line_and_dedications(batch_out) -> None:
    alpha = page_texts(batch_out / "alpha" / "reflections-of-redemption-shemot-5786.pdf")
    beta = page_texts(batch_out / "beta" / "reflections-of-redemption-shemot-5786.pdf")
    assert "Courtesy of the Alpha family" in alpha[0].replace("\r\n", " ")
    assert "Courtesy" not in beta[0]
    # beta: one memorial and its own sponsor; alpha keeps the issue's (Ekman among them)
    assert "Ekman" in alpha[1] and "Ekman" not in beta[1]
    assert "Wolf" in beta[1].replace("\r\n", " ")


def test_an_edition_is_what_a_single_build_of_it_prints(batch_out, project, tmp_path) -> None:
    # beta's dedications written into the issue itself, built alone: the same text
    issue = project / "shemot-5786" / "issue.yaml"
    text = issue.read_text(encoding="utf-8")
    start = text.index("dedications:")
    issue.write_text(
        text[:start]
        + "dedications:\n  memorials: [shagalov-schneur-zalman]\n  sponsors: [wolf-gershon-leah]\n",
        encoding="utf-8",
    )
    run = run_build("build", project / "shemot-5786", "-o", tmp_path, "--quiet")
    assert run.returncode == 0, run.stderr
    edition = batch_out / "beta" / "reflections-of-redemption-shemot-5786.pdf"
    assert page_texts(edition) == page_texts(Path(run.pdf))


def test_an_edition_with_memorial_boxes_is_what_the_issue_prints(batch_out, default_build) -> None:
    # alpha keeps the issue's dedications (four memorial boxes) and adds a cover line
    alpha = page_texts(batch_out / "alpha" / "reflections-of-redemption-shemot-5786.pdf")
    issue = page_texts(default_build.pdf)
    assert alpha[1:] == issue[1:]
    assert alpha[0].replace("\r\nCourtesy of the Alpha family", "") == issue[0]


def test_every_problem_of_every_edition_before_any_render(project, tmp_path) -> None:
    bad = """\
editions:
  - id: Upper
  - id: fine
    dedications: {memorials: [nobody-at-all]}
  - id: fine
  - id: far
    community: {name: Nowhere, latitude: 95, longitude: 0, timezone: Mars/Base}
"""
    run = run_build("batch", project / "shemot-5786", _editions(project, bad), "-o", tmp_path / "o")
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert any(":2: edition id 'Upper'" in line for line in lines)
    assert any(":4: unknown person 'nobody-at-all'" in line for line in lines)
    assert any(":5: edition 'fine' is given twice" in line for line in lines)
    assert any(":7: latitude 95.0" in line for line in lines)
    assert any("'Mars/Base' is not a time zone" in line for line in lines)
    assert not (tmp_path / "o").exists()


def test_the_office_can_keep_the_editions_in_a_spreadsheet(project, tmp_path) -> None:
    table = (
        "id,copies,cover_line,memorials,sponsors,memorial_boxes\n"
        "csv-one,40,From a spreadsheet,shagalov-schneur-zalman;ekman-dovid-asniel,"
        "wolf-gershon-leah,rosner-yosef-yisroel = wolf-gershon-leah + shagalov-yosef-gittel\n"
        "csv-two,x,,,,\n"
    )
    folder = _short(project)
    path = _editions(project, table, "editions.csv", folder.name)
    run = run_build("batch", folder, path, "-o", tmp_path / "o")
    assert run.returncode == 1 and run.stderr.startswith("error: ")
    assert "editions.csv:3: copies 'x' is not a number" in run.stderr
    path.write_text(table.splitlines()[0] + "\n" + table.splitlines()[1] + "\n")
    run = run_build("batch", folder, path, "-o", tmp_path / "o")
    assert run.returncode == 0, run.stderr
    inside = page_texts(tmp_path / "o" / "csv-one" / "reflections-of-redemption-cases.pdf")
    assert "From a spreadsheet" in inside[0].replace("\r\n", " ")
    assert "Ekman" in inside[1] and "Wolf" in inside[1]


def test_a_failing_edition_is_recorded_and_the_others_are_built(project, tmp_path) -> None:
    crowd = "\n".join(["      - shagalov-schneur-zalman"] * 40)
    text = "editions:\n  - id: alpha\n  - id: beta\n    copies: 2\n"
    text += f"  - id: crowded\n    dedications:\n      memorials:\n{crowd}\n"
    folder = _short(project)
    run = run_build("batch", folder, _editions(project, text, issue=folder.name), "-o", tmp_path)
    assert run.returncode == 1
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    status = {e["edition"]: (e["status"], e["error"]) for e in manifest["editions"]}
    assert status["crowded"][0] == "failed" and "inside cover" in status["crowded"][1]
    assert {k: v[0] for k, v in status.items() if k != "crowded"} == dict.fromkeys(
        ("alpha", "beta"), "built"
    )
    assert not (tmp_path / "crowded").exists()
    assert "2 built, 0 unchanged, 1 failed" in run.stderr


def test_a_rerun_builds_only_what_changed(project, tmp_path) -> None:
    folder = _short(project)
    path = _editions(project, issue=folder.name)
    first = run_build("batch", folder, path, "-o", tmp_path)
    assert first.returncode == 0, first.stderr
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf")}
    again = run_build("batch", folder, path, "-o", tmp_path)
    assert "0 built, 3 unchanged" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf")} == before
    # a changed record, and a changed layout file, rebuild what they touch
    path.write_text(EDITIONS.replace("Alpha family", "Alpha-Beta family"), encoding="utf-8")
    changed = run_build("batch", folder, path, "-o", tmp_path)
    assert "1 built, 2 unchanged" in changed.stderr
    essay = folder / "essays" / "cases.md"
    essay.write_text(essay.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert "3 built, 0 unchanged" in run_build("batch", folder, path, "-o", tmp_path).stderr
    # a file deleted or damaged since is built again
    (tmp_path / "beta" / "reflections-of-redemption-cases-imposed.pdf").unlink()
    assert "1 built, 2 unchanged" in run_build("batch", folder, path, "-o", tmp_path).stderr


def test_a_rerun_with_nothing_changed_builds_nothing(batch_out, tmp_path) -> None:
    # a fresh process, as the office would run it (its time: benchmarks/bench_batch.py)
    content = batch_out.parent / "content"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "batch", str(content / "shemot-5786")]
        + ["-o", str(batch_out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and "0 built, 3 unchanged" in proc.stderr, proc.stderr


def test_kill_9_halfway_leaves_no_half_file_and_the_rerun_finishes(project, tmp_path) -> None:
    many = "editions:\n" + "".join(f"  - id: e{n}\n    copies: {n}\n" for n in range(1, 6))
    folder = _short(project)
    path = _editions(project, many, issue=folder.name)
    command = [sys.executable, str(ROOT / "build.py"), "batch", str(folder)]
    command += [str(path), "-o", str(tmp_path)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp_path / "e2").exists():
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["editions"]
    assert 1 <= len(finished) < 5
    from pypdf import PdfReader

    for pdf in tmp_path.rglob("*.pdf"):  # every PDF in place is whole (a staged .part may not be)
        assert len(PdfReader(pdf).pages) > 0
    rerun = run_build("batch", folder, path, "-o", tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert not list(tmp_path.rglob("*.part"))  # what the killed run staged is swept
    assert f"{5 - len(finished)} built, {len(finished)} unchanged" in rerun.stderr


def test_shards_cover_every_edition_once() -> None:
    for count in range(1, 6):
        slices = [[p for p in range(11) if Shard(k, count).holds(p)] for k in range(1, count + 1)]
        assert sorted(p for s in slices for p in s) == list(range(11))


def test_four_shards_in_four_processes_merge_into_one_manifest(project, tmp_path) -> None:
    many = "editions:\n" + "".join(f"  - id: s{n}\n" for n in range(1, 5))
    folder = _short(project)
    path = _editions(project, many, issue=folder.name)
    base = [sys.executable, str(ROOT / "build.py"), "batch", str(folder)]
    procs = [
        subprocess.Popen(
            [*base, str(path), "-o", str(tmp_path), "--shard", f"{k}/4"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for k in range(1, 5)
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    incomplete = run_build("batch", "merge", tmp_path)
    assert incomplete.returncode == 0, incomplete.stderr
    merged = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [e["edition"] for e in merged["editions"]] == ["s1", "s2", "s3", "s4"]
    # a shard missing, or one edition in two shards, is refused
    (tmp_path / "manifest-3-of-4.json").rename(tmp_path / "aside.json")
    missing = run_build("batch", "merge", tmp_path)
    assert missing.returncode == 1 and "shard(s) 3 of 4 missing" in missing.stderr
    shard = json.loads((tmp_path / "aside.json").read_text(encoding="utf-8"))
    shard["editions"].append(merged["editions"][0])
    (tmp_path / "manifest-3-of-4.json").write_text(json.dumps(shard), encoding="utf-8")
    doubled = run_build("batch", "merge", tmp_path)
    assert doubled.returncode == 1 and "is in two shards" in doubled.stderr
