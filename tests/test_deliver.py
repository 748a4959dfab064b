"""Delivery: `print` sends a batch's imposed files to a print queue through `lp`.

Unit tests run `lp` as a small fake on PATH (it logs its arguments and answers as lp
does). The integration test starts a private CUPS server (cupsd on 127.0.0.1, its own
folders in /tmp, no browsing, no web interface) with a cups-pdf queue, prints a batch,
and reads back from CUPS what arrived: the jobs, their copies and sides, and the PDFs
that cups-pdf wrote.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import plistlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydyf
import pytest
from conftest import assert_one_line_error, run_build
from filelock import FileLock
from pdfinspect import page_count, page_texts

from pamphlet.deliver.cups import CupsQueue, job_id
from pamphlet.deliver.send import send_batch
from pamphlet.errors import PamphletError
from pamphlet.files import folder_lock

ISSUE = "shemot-5786"
COLUMNS = (
    "edition", "status", "error", "copies", "binding", "pages", "reader", "master", "imposed",
    "sha256_reader", "sha256_master", "sha256_imposed", "input_hash", "print_jobs",
)  # fmt: skip

# -- a batch output folder, made for the tests -----------------------------------------------


@dataclass(frozen=True)
class Edition:
    """One edition of a test batch: its id, copies, imposed pages, and batch status."""

    name: str
    copies: int = 1
    pages: int = 4
    status: str = "built"


def labelled_pdf(label: str, count: int, size: tuple[float, float] = (612, 396)) -> bytes:
    """`count` landscape pages (a half-letter spread), each saying `label` and its number."""
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})
    pdf.add_object(resources)
    for number in range(1, count + 1):
        stream = pydyf.Stream()
        stream.begin_text()
        stream.set_font_size("F1", 24)
        stream.set_text_matrix(1, 0, 0, 1, 72, size[1] / 2)
        stream.show_text_string(f"{label} sheet side {number}")
        stream.end_text()
        pdf.add_object(stream)
        page = {"Type": "/Page", "Parent": pdf.pages.reference, "Contents": stream.reference}
        page |= {"MediaBox": pydyf.Array([0, 0, *size]), "Resources": resources.reference}
        pdf.add_page(pydyf.Dictionary(page))
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


def make_batch(folder: Path, editions: list[Edition], issue: str = ISSUE) -> Path:
    """A batch output folder as `build.py batch` writes it: each built edition's three PDFs
    in a folder of its own, manifest.json and manifest.csv."""
    entries = []
    for edition in editions:
        entry = {"edition": edition.name, "status": edition.status, "error": None}
        entry |= {"copies": edition.copies, "binding": "left", "pages": edition.pages * 2}
        entry |= {"input_hash": "0" * 64, "files": {}, "sha256": {}, "print_jobs": []}
        if edition.status == "built":
            (folder / edition.name).mkdir(parents=True)
            for role, count in (("reader", edition.pages * 2), ("master", edition.pages * 2)):
                _add_file(folder, entry, role, labelled_pdf(f"{edition.name} {role}", count))
            _add_file(folder, entry, "imposed", labelled_pdf(edition.name, edition.pages))
        else:
            entry["error"] = "essays/x.md:3: an error" if edition.status == "failed" else None
        entries.append(entry)
    write_manifest(folder, {"issue": issue, "input_hash": "1" * 64, "editions": entries})
    return folder


def _add_file(folder: Path, entry: dict, role: str, data: bytes) -> None:
    name = f"{entry['edition']}/{ISSUE}-{entry['edition']}-{role}.pdf"
    (folder / name).write_bytes(data)
    entry["files"][role] = name
    entry["sha256"][role] = hashlib.sha256(data).hexdigest()


def write_manifest(folder: Path, data: dict) -> None:
    """manifest.json and manifest.csv, as the batch writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in data["editions"]:
        files, sums = entry.get("files") or {}, entry.get("sha256") or {}
        row = {key: entry.get(key) for key in COLUMNS if key in entry}
        row |= {role: files.get(role, "") for role in ("reader", "master", "imposed")}
        row |= {f"sha256_{role}": sums.get(role, "") for role in ("reader", "master", "imposed")}
        row["print_jobs"] = " ".join(job["job"] for job in entry.get("print_jobs") or [])
        writer.writerow({key: "" if row.get(key) is None else row[key] for key in COLUMNS})
    (folder / "manifest.csv").write_text(out.getvalue(), encoding="utf-8")


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def csv_jobs(folder: Path) -> dict[str, str]:
    """Edition id → the print_jobs column of manifest.csv."""
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as stream:
        return {row["edition"]: row["print_jobs"] for row in csv.DictReader(stream)}


def jobs(folder: Path) -> dict[str, list[dict]]:
    """Edition id → its recorded print jobs."""
    return {e["edition"]: e.get("print_jobs") or [] for e in manifest(folder)["editions"]}


THREE = [Edition("crown-heights", 2, 4), Edition("flatbush", 1, 2), Edition("boro-park", 3, 6)]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Three built editions, one failed."""
    return make_batch(tmp_path / "out", [*THREE, Edition("monsey", status="failed")])


# -- a fake lp on PATH -------------------------------------------------------------------------

FAKE_LP = """
import json, os, sys
args = sys.argv[1:]
queue = args[args.index("-d") + 1]
log = os.environ["FAKE_LP_LOG"]
calls = len(open(log).readlines()) if os.path.exists(log) else 0
if queue == "nosuch" or calls >= int(os.environ.get("FAKE_LP_TAKES", "1000")):
    sys.exit(print("lp: Error - The printer or class does not exist.", file=sys.stderr) or 1)
with open(log, "a") as stream:
    stream.write(json.dumps(args) + "\\n")
print(f"request id is {queue}-{calls + 1} (1 file(s))")
"""


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An `lp` first on PATH that logs its arguments (one JSON list a line) to the file
    returned, and answers with job ids QUEUE-1, QUEUE-2, …"""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "lp").write_text(f"#!{sys.executable}\n{FAKE_LP}", encoding="utf-8")
    (folder / "lp").chmod(0o755)
    log = tmp_path / "lp.log"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_LP_LOG", str(log))
    return log


def lp_calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


# -- unit level: the fake lp -------------------------------------------------------------------


def test_sends_each_built_edition_and_records_its_job(batch: Path, fake_lp: Path) -> None:
    run = run_build("print", batch, "--queue", "shop")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "shop-1 crown-heights",
        "shop-2 flatbush",
        "shop-3 boro-park",
    ]
    assert "3 sent, 1 failed edition skipped" in run.stderr
    calls = lp_calls(fake_lp)
    imposed = (batch / "crown-heights" / f"{ISSUE}-crown-heights-imposed.pdf").resolve()
    assert calls[0] == [
        "-d", "shop", "-n", "2", "-o", "sides=two-sided-short-edge",
        "-t", "shemot-5786 crown-heights", str(imposed),
    ]  # fmt: skip
    assert [call[3] for call in calls] == ["2", "1", "3"]
    recorded = jobs(batch)
    assert [job["job"] for job in recorded["crown-heights"]] == ["shop-1"]
    job = recorded["boro-park"][0]
    assert (job["queue"], job["copies"]) == ("shop", 3)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", job["sent_at"])
    assert recorded["monsey"] == []
    assert csv_jobs(batch) == {
        "crown-heights": "shop-1", "flatbush": "shop-2", "boro-park": "shop-3", "monsey": ""
    }  # fmt: skip


def test_a_rerun_sends_nothing_again_unless_asked(batch: Path, fake_lp: Path) -> None:
    assert run_build("print", batch, "--queue", "shop").returncode == 0
    again = run_build("print", batch, "--queue", "shop")
    assert again.returncode == 0 and again.stdout == ""
    assert "0 sent, 3 already sent (use --again), 1 failed edition skipped" in again.stderr
    other = run_build("print", batch, "--queue", "bindery", "--edition", "flatbush")
    assert other.stdout == "bindery-4 flatbush\n", other.stderr
    forced = run_build("print", batch, "--queue", "shop", "--again", "--edition", "flatbush")
    assert forced.stdout == "shop-5 flatbush\n", forced.stderr
    assert [job["job"] for job in jobs(batch)["flatbush"]] == ["shop-2", "bindery-4", "shop-5"]
    assert csv_jobs(batch)["flatbush"] == "shop-2 bindery-4 shop-5"
    assert len(lp_calls(fake_lp)) == 5


def test_dry_run_shows_the_lp_commands_and_changes_nothing(batch: Path, fake_lp: Path) -> None:
    before = {p.name: p.read_bytes() for p in batch.glob("manifest.*")}
    run = run_build("print", batch, "--queue", "shop", "--dry-run", "--edition", "flatbush")
    assert run.returncode == 0, run.stderr
    imposed = (batch / "flatbush" / f"{ISSUE}-flatbush-imposed.pdf").resolve()
    assert run.stdout == (
        f"lp -d shop -n 1 -o sides=two-sided-short-edge -t 'shemot-5786 flatbush' {imposed}\n"
    )
    assert "dry run, nothing sent: 1 to send" in run.stderr
    assert lp_calls(fake_lp) == []
    assert {p.name: p.read_bytes() for p in batch.glob("manifest.*")} == before


def test_a_failed_or_skipped_edition_is_not_sent(tmp_path: Path, fake_lp: Path) -> None:
    editions = [Edition("a"), Edition("b", status="failed"), Edition("c", status="skipped")]
    folder = make_batch(tmp_path / "out", editions)
    run = run_build("print", folder, "--queue", "shop", "--edition", "b", "c", "--edition", "a")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "shop-1 a\n"
    assert "1 sent, 1 failed edition skipped, 1 edition not built" in run.stderr
    assert len(lp_calls(fake_lp)) == 1


def test_a_file_changed_since_the_batch_is_refused(batch: Path, fake_lp: Path) -> None:
    imposed = batch / "flatbush" / f"{ISSUE}-flatbush-imposed.pdf"
    imposed.write_bytes(labelled_pdf("flatbush, edited by hand", 2))
    run = run_build("print", batch, "--queue", "shop")
    assert_one_line_error(
        run, r"flatbush-imposed\.pdf: edition 'flatbush': changed since the batch"
    )
    assert lp_calls(fake_lp) == [] and jobs(batch)["crown-heights"] == []


@pytest.mark.parametrize("where", ["../outside.pdf", "/etc/hostname", "link"])
def test_a_file_outside_the_batch_folder_is_refused(batch: Path, fake_lp: Path, where: str) -> None:
    outside = batch.parent / "outside.pdf"
    outside.write_bytes(labelled_pdf("outside", 2))
    (batch / "link").symlink_to(outside)
    data = manifest(batch)
    data["editions"][1]["files"]["imposed"] = where
    data["editions"][1]["sha256"]["imposed"] = hashlib.sha256(outside.read_bytes()).hexdigest()
    write_manifest(batch, data)
    run = run_build("print", batch, "--queue", "shop")
    assert_one_line_error(run, rf"manifest\.json: '{re.escape(where)}' is outside the batch folder")
    assert lp_calls(fake_lp) == []


def test_a_symlinked_manifest_leading_out_is_refused(tmp_path: Path, fake_lp: Path) -> None:
    elsewhere = make_batch(tmp_path / "elsewhere", [Edition("a")])
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "manifest.json").symlink_to(elsewhere / "manifest.json")
    run = run_build("print", folder, "--queue", "shop")
    assert_one_line_error(run, r"'manifest\.json' is outside the batch folder")


@pytest.mark.parametrize("queue", ["shop floor", "shop;rm -rf ~", "-", "../x", "פרינטר", ""])
def test_a_queue_name_that_is_not_a_plain_name_is_refused(
    batch: Path, fake_lp: Path, queue: str
) -> None:
    run = run_build("print", batch, "--queue", queue, "--dry-run")
    if queue == "-":  # a plain name after all
        assert run.returncode == 0, run.stderr
        return
    assert_one_line_error(run, r"--queue '.*': a queue name is letters, digits")


def test_without_lp_the_error_says_what_to_install(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert_one_line_error(
        run_build("print", batch, "--queue", "shop"), r"^error: lp not found: install cups-client$"
    )
    assert jobs(batch)["crown-heights"] == []


def test_lp_refusing_the_queue_is_one_line(batch: Path, fake_lp: Path) -> None:
    run = run_build("print", batch, "--queue", "nosuch")
    assert_one_line_error(
        run, r"^error: queue 'nosuch': lp: Error - The printer or class does not exist\.$"
    )
    assert all(not recorded for recorded in jobs(batch).values())


def test_what_was_sent_before_lp_failed_stays_recorded(
    batch: Path, fake_lp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_LP_TAKES", "2")  # the third job is refused
    run = run_build("print", batch, "--queue", "shop")
    assert run.returncode == 1 and run.stdout == "shop-1 crown-heights\nshop-2 flatbush\n"
    assert run.stderr.endswith("does not exist. (2 sent before it, and recorded)\n")
    assert len(run.stderr.splitlines()) == 1
    assert [len(jobs(batch)[name]) for name in ("crown-heights", "flatbush", "boro-park")] == [
        1, 1, 0
    ]  # fmt: skip
    assert csv_jobs(batch)["flatbush"] == "shop-2"
    monkeypatch.delenv("FAKE_LP_TAKES")
    rerun = run_build("print", batch, "--queue", "shop")
    assert rerun.stdout == "shop-3 boro-park\n"
    assert "1 sent, 2 already sent (use --again)" in rerun.stderr


def test_a_job_sent_but_not_recorded_is_named(batch: Path, fake_lp: Path) -> None:
    (batch / "manifest.csv").unlink()
    (batch / "manifest.csv").mkdir()  # the CSV cannot be read, so the job cannot be recorded
    run = run_build("print", batch, "--queue", "shop")
    assert_one_line_error(run, r"shop-1 \(crown-heights\) was sent but is not recorded$")
    assert len(lp_calls(fake_lp)) == 1 and jobs(batch)["crown-heights"] == []


def test_two_runs_at_once_send_each_edition_once(batch: Path, fake_lp: Path) -> None:
    runs = [threading.Thread(target=send_batch, args=(batch, CupsQueue("shop"))) for _ in "ab"]
    with folder_lock(batch, "print"):  # a third run is printing: both wait for it
        for run in runs:
            run.start()
        time.sleep(0.3)
        assert lp_calls(fake_lp) == []
    for run in runs:
        run.join(30)
    assert len(lp_calls(fake_lp)) == 3
    assert [len(recorded) for recorded in jobs(batch).values()] == [1, 1, 1, 0]


def test_an_edition_not_in_the_manifest_is_an_error(batch: Path, fake_lp: Path) -> None:
    run = run_build("print", batch, "--queue", "shop", "--edition", "flatbush", "williamsburg")
    assert_one_line_error(run, r"manifest\.json: edition 'williamsburg' is not in the manifest")
    assert lp_calls(fake_lp) == []


def test_a_folder_without_a_manifest_is_an_error(tmp_path: Path, fake_lp: Path) -> None:
    run = run_build("print", tmp_path, "--queue", "shop")
    assert_one_line_error(run, r"no manifest\.json: not the output folder of a batch")


def test_a_malformed_manifest_names_its_line(batch: Path, fake_lp: Path) -> None:
    text = (batch / "manifest.json").read_text(encoding="utf-8")
    (batch / "manifest.json").write_text(text.replace('"copies": 1,', '"copies": 1', 1))
    before = (batch / "manifest.json").read_bytes()
    run = run_build("print", batch, "--queue", "shop")
    line = text[: text.index('"copies": 1,')].count("\n") + 2
    assert_one_line_error(run, rf"manifest\.json:{line}: not a manifest: Expecting ',' delimiter")
    assert (batch / "manifest.json").read_bytes() == before


def test_job_ids_are_read_from_lp_in_any_language() -> None:
    assert job_id("request id is shop-12 (1 file(s))\n", "shop") == "shop-12"
    assert job_id("Anfrage-ID ist Shop-7 (1 Datei(en))\n", "shop") == "Shop-7"
    with pytest.raises(PamphletError, match="lp named no job id"):
        job_id("request id is other-3 (1 file(s))", "shop")
    command = CupsQueue("shop").command(Path("/x.pdf"), 2, "a\x1b[2Jb\nc")
    assert command[command.index("-t") + 1] == "a [2Jb c"


# -- integration: a private CUPS server with a cups-pdf queue ---------------------------------

PACKAGES = {  # a program the test needs → the Debian package that has it
    "cupsd": "cups",
    "lp": "cups-client",
    "lpstat": "cups-client",
    "lpadmin": "cups-client",
    "ipptool": "cups-ipp-utils",
    "/usr/lib/cups/backend/cups-pdf": "printer-driver-cups-pdf",
}
QUEUE = "pamphlet-test"


def _program(name: str) -> str | None:
    if name.startswith("/"):
        return name if os.path.exists(name) else None
    return shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


def _apt_get(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def ensure_cups() -> None:
    """Install CUPS, its client, ipptool and cups-pdf when missing (Debian's apt-get, as
    root), or skip saying why that cannot be done here."""
    missing = sorted({package for name, package in PACKAGES.items() if not _program(name)})
    if not missing:
        return
    why = f"CUPS is not installed (missing {', '.join(missing)})"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(f"{why}, and apt-get as root is not available to install it")
    with FileLock(os.path.join(tempfile.gettempdir(), "pamphlet-apt.lock")):
        install = ("install", "-y", "--no-install-recommends", *missing)
        try:
            done = _apt_get(*install, timeout=600)
            if done.returncode != 0:  # no package lists yet, or old ones
                _apt_get("update", timeout=300)
                done = _apt_get(*install, timeout=600)
        except subprocess.TimeoutExpired:
            pytest.skip(f"{why}, and apt-get timed out installing it (no network to the mirror?)")
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"{why}, and apt-get could not install it: {said}")
    still = [name for name in PACKAGES if not _program(name)]
    if still:
        pytest.skip(f"{why}; after apt-get, still missing: {', '.join(still)}")


@dataclass
class Cups:
    """A running private cupsd: where it listens, and where cups-pdf writes its PDFs."""

    port: int
    out: Path
    folder: Path

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def job(self, job: str) -> dict:
        """A job's attributes, as CUPS reports them (Get-Job-Attributes through ipptool)."""
        number = job.rsplit("-", 1)[1]
        uri = f"ipp://{self.server}/jobs/{number}"
        done = subprocess.run(
            ["ipptool", "-X", "-T", "10", uri, str(self.folder / "job.test")],
            capture_output=True,
            timeout=30,
            check=False,
        )
        test = plistlib.loads(done.stdout)["Tests"][0]
        assert test["Successful"], test
        attributes: dict = {}
        for group in test["ResponseAttributes"]:
            attributes |= group
        return attributes

    def finished(self, job: str, timeout: float = 30.0) -> dict:
        """The job's attributes once CUPS is done with it."""
        deadline = time.monotonic() + timeout
        while (attributes := self.job(job))["job-state"] < 7:  # pending … processing
            assert time.monotonic() < deadline, f"{job} not done in {timeout} s: {attributes}"
            time.sleep(0.1)
        return attributes

    def log(self) -> str:
        """The tail of cupsd's error log (for an assertion's message)."""
        path = self.folder / "log" / "error_log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-15:]) if path.exists() else ""
        )


JOB_TEST = """{
  NAME "the job, as its owner sees it"
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri job-uri $uri
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes all
  STATUS successful-ok
}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _configure(folder: Path, port: int) -> tuple[Path, Path]:
    """cupsd.conf and cups-files.conf for a server of our own: every folder and log in
    `folder`, listening on 127.0.0.1 only, no browsing, sharing or web interface, and
    open to this machine without a password."""
    conf = folder / "conf"
    for name in ("conf/ppd", "conf/ssl", "spool/tmp", "cache", "state", "log", "pdf", "gs"):
        (folder / name).mkdir(parents=True)
    (folder / "gs").chmod(0o1777)  # Ghostscript's temporary files, as the job's owner
    local = "Order allow,deny\n  Allow 127.0.0.1\n"
    (conf / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nBrowsing No\nBrowseLocalProtocols none\n"
        "DefaultShared No\nWebInterface No\nDefaultAuthType None\nLogLevel info\n"
        "ErrorPolicy abort-job\nPreserveJobHistory Yes\nPreserveJobFiles No\n"
        f"<Location />\n  {local}</Location>\n"
        f"<Policy default>\n  <Limit All>\n  {local}  </Limit>\n</Policy>\n"
    )
    (conf / "cups-files.conf").write_text(
        f"ServerRoot {conf}\nRequestRoot {folder}/spool\nTempDir {folder}/spool/tmp\n"
        f"CacheDir {folder}/cache\nStateDir {folder}/state\nPrintcap {folder}/printcap\n"
        f"ErrorLog {folder}/log/error_log\nAccessLog {folder}/log/access_log\n"
        f"PageLog {folder}/log/page_log\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
        "User lp\nGroup lp\nSystemGroup root\n"
    )
    return conf / "cupsd.conf", conf / "cups-files.conf"


def _cups_pdf_conf(folder: Path) -> Path:
    """cups-pdf reads /etc/cups/cups-pdf-NAME.conf for the device cups-pdf:/NAME (its
    folder is built in; the CUPS ServerRoot does not move it): a file of this server's
    own, writing into `folder`, removed when the server stops."""
    conf = Path("/etc/cups") / f"cups-pdf-{folder.name}.conf"
    conf.write_text(
        f"Out {folder}/pdf\nAnonDirName {folder}/pdf\nSpool {folder}/cups-pdf-spool\n"
        f"GSTmp {folder}/gs\nLog {folder}/log\nLogType 1\nGrp root\n"
    )
    return conf


def _wait_for(cupsd: subprocess.Popen, port: int, folder: Path) -> None:
    """Until cupsd takes connections; skip if it stops or never does."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if cupsd.poll() is not None:
            log = folder / "log" / "error_log"
            said = (cupsd.stderr.read() if cupsd.stderr else "") + (
                log.read_text(errors="replace") if log.exists() else ""
            )
            pytest.skip(f"cupsd failed to start (exit {cupsd.returncode}): {said[-300:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    pytest.skip("cupsd did not listen within 15 s")


def _add_queue(server: str, folder: Path) -> None:
    """The cups-pdf queue, with the cups-pdf PPD that `lpinfo -m` lists."""
    models = subprocess.run(
        ["lpinfo", "-h", server, "-m"], capture_output=True, text=True, timeout=60, check=False
    ).stdout.splitlines()
    ppd = next((m.split()[0] for m in models if "CUPS-PDF_opt" in m), None)
    ppd = ppd or next((m.split()[0] for m in models if "cups-pdf" in m.lower()), None)
    if ppd is None:
        pytest.skip("lpinfo -m lists no cups-pdf driver (printer-driver-cups-pdf)")
    command = ["lpadmin", "-h", server, "-p", QUEUE, "-E", "-v", f"cups-pdf:/{folder.name}"]
    done = subprocess.run(
        [*command, "-m", ppd], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"lpadmin could not add the cups-pdf queue: {done.stderr.strip()}")


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    """A private cupsd with a cups-pdf queue, for this module's tests; stopped at the end."""
    ensure_cups()
    if os.geteuid() != 0:
        pytest.skip("cups-pdf runs only under a cupsd started as root, and this is not root")
    if not os.access("/etc/cups", os.W_OK):
        pytest.skip("cups-pdf reads its settings from /etc/cups only, which is not writable")
    # Not pytest's tmp_path: the filters run as user lp, who must reach the spool folder.
    folder = Path(tempfile.mkdtemp(prefix="pamphlet-cups-"))
    folder.chmod(0o755)
    port = _free_port()
    conf, files = _configure(folder, port)
    cups_pdf = _cups_pdf_conf(folder)
    cupsd = subprocess.Popen(
        [_program("cupsd") or "cupsd", "-f", "-c", str(conf), "-s", str(files)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(cupsd, port, folder)
        _add_queue(f"127.0.0.1:{port}", folder)
        (folder / "job.test").write_text(JOB_TEST)
        yield Cups(port, folder / "pdf", folder)
    finally:
        cupsd.terminate()
        try:
            cupsd.wait(10)
        except subprocess.TimeoutExpired:
            cupsd.kill()
            cupsd.wait()
        cups_pdf.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_batch_printed_on_a_real_cups_queue(
    cups: Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three editions (2, 1 and 3 copies) through lp to cupsd and cups-pdf; then read back
    from CUPS what it took, and look at the PDFs cups-pdf wrote. A rerun sends nothing,
    --again sends again, and an unknown queue is lp's own error in one line."""
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    folder = make_batch(tmp_path / "out", [*THREE, Edition("monsey", status="failed")])
    run = run_build("print", folder, "--queue", QUEUE)
    assert run.returncode == 0, run.stderr + cups.log()
    assert "3 sent, 1 failed edition skipped" in run.stderr
    sent = dict(line.split()[::-1] for line in run.stdout.splitlines())  # edition → job id
    assert list(sent) == [edition.name for edition in THREE]
    assert {name: [j["job"] for j in js] for name, js in jobs(folder).items() if js} == {
        name: [job] for name, job in sent.items()
    }
    assert csv_jobs(folder) == {**sent, "monsey": ""}

    for edition in THREE:
        job = cups.finished(sent[edition.name])
        assert job["job-state"] == 9, (job, cups.log())  # completed
        assert job["copies"] == edition.copies
        assert job["sides"] == "two-sided-short-edge"
        # CUPS counted every copy's pages, two to a sheet: duplex, as sent.
        assert job["job-impressions-completed"] == edition.pages * edition.copies
        assert job["job-media-sheets-completed"] == edition.pages * edition.copies // 2
        assert job["job-name"] == f"{ISSUE} {edition.name}"
        assert job["job-printer-uri"].endswith(f"/printers/{QUEUE}")
        number = sent[edition.name].rsplit("-", 1)[1]
        written = list(cups.out.glob(f"*-job_{number}.pdf"))
        assert len(written) == 1, sorted(p.name for p in cups.out.iterdir())
        # cups-pdf writes one PDF a job, whatever the copies: the imposed file's pages.
        assert page_count(written[0]) == edition.pages
        assert f"{edition.name} sheet side {edition.pages}" in page_texts(written[0])[-1]
    assert len(list(cups.out.glob("*.pdf"))) == 3
    completed = subprocess.run(
        ["lpstat", "-W", "completed", "-o", QUEUE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(word for word in completed if word.startswith(f"{QUEUE}-")) == sorted(
        sent.values()
    )

    rerun = run_build("print", folder, "--queue", QUEUE)
    assert rerun.stdout == "" and "0 sent, 3 already sent (use --again)" in rerun.stderr
    again = run_build("print", folder, "--queue", QUEUE, "--again", "--edition", "flatbush")
    assert again.returncode == 0, again.stderr
    new = again.stdout.split()[0]
    assert cups.finished(new)["copies"] == 1 and new not in sent.values()
    assert [j["job"] for j in jobs(folder)["flatbush"]] == [sent["flatbush"], new]
    assert csv_jobs(folder)["flatbush"] == f"{sent['flatbush']} {new}"

    unknown = run_build("print", folder, "--queue", "no-such-queue")
    assert_one_line_error(unknown, r"^error: queue 'no-such-queue': lp: .*does not exist")
