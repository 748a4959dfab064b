"""The warm builder behind the desk: one issue (or one of its editions) kept laid out, and
rebuilt when its files change.

The process keeps what a fresh `python build.py` pays for every time: the engine imported,
the fonts loaded, the layouts compiled, and the pages every edition shares laid out once
(batch/shared.py). A change to the dedications re-renders only the issue's own pages
(covers, inside cover, memorial boxes) and splices them with the shared ones; a change to
anything the shared pages are made from (an essay, the series, the issue's other fields)
lays the issue out again, once. After each build the reader PDF's pages become PNG
images (pypdfium2), then both PDFs are preflighted, and the page shows the findings next
to their page.

One builder thread renders (WeasyPrint and pdfium are used from one thread at a time:
`rendering` is held by everything that renders); a watcher thread (watchfiles) asks for a
build when a file of the content tree changes. The dedications helpers at the end (search,
preview, the lists, adding, changing and removing one) are what the desk's form offers, on
the pipeline's own loading, resolution and round-trip editing; a sponsor's proof is
rendered under `rendering` too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import io
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from ..batch.editions import default_editions, read_editions
from ..batch.shared import SharedLayout
from ..dates import format_date, week_of
from ..dedications import People, passed_date, yahrzeits_in_week
from ..editing import (
    LISTS,
    Addition,
    Place,
    add_dedication,
    dump_round_trip,
    entry_at,
    entry_digest,
    entry_key,
    is_box,
    load_round_trip,
    plan,
    write_checked,
)
from ..errors import InputErrors, PamphletError
from ..files import folder_lock, is_inside
from ..model import Dedications, Issue, MemorialBox, Person
from ..pipeline import (
    BuildResult,
    Laid,
    build_loaded,
    lay_out,
    load_edition,
    load_issue,
    load_series_people,
    people_of,
    series_of,
)
from ..render import render_dedications_text
from ..schema import replace
from ..settings import DEFAULTS, Overrides
from ..sources import overlay
from ..typography import hebrew_punctuation

log = logging.getLogger("pamphlet.desk")
SCALE = 1.25  # PNG pixels per PDF point: a half-letter page is 495 × 765
DEBOUNCE_MS = 400  # the most a burst of saves is grouped before a build
QUIET_MS = 50  # a build starts this long after the last change of a burst
PARTS = ("cover", "inside-cover", "title-page", "memorial-boxes", "back-cover")
ROLES = {  # the lists of issue.yaml the form edits → editing's roles
    "memorials": "memorial",
    "honoring": "honor",
    "sponsors": "sponsor",
    "memorial_boxes": "box",
}


@dataclass(frozen=True)
class PageImage:
    """One page of the reader PDF as the desk shows it."""

    number: int  # 1-based
    label: str  # the PDF's page label: Cover, 2, 3 …, Back cover
    part: str  # cover, inside-cover, title-page, content, memorial-boxes, filler, back-cover
    digest: str  # of the page's pixels: the same page drawn again is not encoded again
    png: bytes = field(repr=False)


@dataclass(frozen=True)
class Note:
    """A preflight finding (or a line out of its box), in words, on its page or none."""

    level: str  # error or warning
    text: str
    page: int | None
    file: str  # "print master", "reader" or "layout"


@dataclass(frozen=True)
class Row:
    """One dedication of issue.yaml: its place in its list, its key and its printed line
    (a memorial box's person; its heading, 'dedicated by' line and donors as printed)."""

    role: str  # memorials, honoring, sponsors, memorial_boxes
    index: int
    key: str
    line: str
    digest: str = ""  # of the entry as written (editing.entry_digest)
    heading: str = ""
    dedicated_by: str = ""
    donors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """One finished build: its number, what it built, its pages and files."""

    build: int
    issue: str  # the issue folder's name
    edition: str | None
    pages: tuple[PageImage, ...]
    result: BuildResult
    seconds: float
    how: str  # "own pages" (the shared pages reused) or "whole issue"
    rows: tuple[Row, ...] = ()
    warnings: tuple[str, ...] = ()  # what the build logged (a CSS property ignored …)
    notes: tuple[Note, ...] | None = None  # None until the preflight has run


@dataclass(frozen=True)
class Status:
    """What the desk knows now: the latest attempt and the last good build."""

    attempt: int  # builds tried
    state: str  # building, ready or failed
    errors: tuple[str, ...]  # the failed attempt's one-line messages
    snapshot: Snapshot | None
    issue: str
    edition: str | None


@dataclass
class _Shared:
    key: str
    layout: SharedLayout


class _Given:
    """Hands `build_loaded` pages laid out here (it asks its `shared` for the edition's)."""

    def __init__(self, laid: Laid):
        self.laid = laid

    def edition(self, issue: Issue) -> Laid:
        return self.laid


class LiveDesk:
    """The issue kept laid out and rebuilt on change; thread-safe."""

    def __init__(self, issue_folder: Path, output: Path | None = None, preflight: bool = True):
        folder = issue_folder.resolve()
        self.content = series_of(folder).parent
        self.output = (output or self.content.parent / "output" / "desk").resolve()
        self.preflight = preflight
        self.rendering = threading.RLock()  # held by whatever renders or reads PDFs
        self._cond = threading.Condition()
        self._folder: Path = folder
        self._edition: str | None = None
        self._pending, self._building, self._attempt = False, False, 0
        self._errors: tuple[str, ...] = ()
        self._snapshot: Snapshot | None = None
        self._shared: dict[Path, _Shared] = {}
        self._stamp: dict[str, tuple[int, int]] = {}
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- running --------------------------------------------------------------------------

    def start(self, watch: bool = True) -> None:
        """Build now, then whenever asked (and, with `watch`, when a content file changes)."""
        if self._threads:
            return
        self._stop.clear()
        targets: list[Callable[[], None]] = [self._build_loop] + ([self._watch] if watch else [])
        for target in targets:
            thread = threading.Thread(target=target, name=f"desk-{target.__name__}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self.request_build()

    def stop(self) -> None:
        """Stop the threads (a build under way finishes first)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []

    def request_build(self) -> None:
        """Build again as soon as the builder is free (requests made meanwhile are one)."""
        with self._cond:
            self._pending = True
            self._cond.notify_all()

    def status(self) -> Status:
        """The latest attempt and the last good build."""
        with self._cond:
            state = "building" if self._building or self._pending else "ready"
            state = "failed" if state == "ready" and self._errors else state
            edition = self._edition
            return Status(
                self._attempt, state, self._errors, self._snapshot, self._folder.name, edition
            )

    def wait(self, attempt: int, timeout: float = 60.0) -> Status:
        """The status once an attempt after `attempt` has finished and none is pending."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._attempt <= attempt or self._building or self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no build after attempt {attempt} in {timeout} s")
                self._cond.wait(left)
        return self.status()

    def wait_for_notes(self, timeout: float = 60.0) -> Status:
        """The status once the last good build's preflight has run."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._snapshot is None or self._snapshot.notes is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no preflight in {timeout} s")
                self._cond.wait(left)
        return self.status()

    # -- what can be opened ---------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The issue folder open now."""
        with self._cond:
            return self._folder

    @property
    def edition(self) -> str | None:
        """The edition open now (None: the issue itself)."""
        with self._cond:
            return self._edition

    def issues(self) -> list[str]:
        """The issue folders beside the series file (those holding an issue.yaml)."""
        return sorted(
            p.name
            for p in self.content.iterdir()
            if p.is_dir() and (p / "issue.yaml").is_file() and is_inside(p, [self.content])
        )

    def editions(self, issue: str | None = None) -> list[str]:
        """The edition ids of an issue's editions file (none when it has none or it is
        broken: building the edition then says what is wrong)."""
        folder = self.content / issue if issue else self.folder
        try:
            editions, _ = read_editions(default_editions(folder))
        except PamphletError:
            return []
        return [e.id for e in editions.editions if e is not None and isinstance(e.id, str)]

    def select(self, issue: str, edition: str | None = None) -> None:
        """Open another issue (a folder beside the series file) or one of its editions."""
        if issue not in self.issues():
            raise PamphletError(f"'{issue}' is not an issue folder beside the series file")
        if edition and edition not in self.editions(issue):
            raise PamphletError(f"'{edition}' is not an edition of {issue}")
        with self._cond:
            self._folder, self._edition = (self.content / issue).resolve(), edition or None
        self.request_build()

    # -- the builder ----------------------------------------------------------------------

    def _build_loop(self) -> None:
        while not self._stop.is_set():
            with self._cond:
                while not self._pending and not self._stop.is_set():
                    self._cond.wait()
                if self._stop.is_set():
                    return
                self._pending, self._building = False, True
                folder, edition = self._folder, self._edition
                self._stamp = stamp(self.content)
            self._attempt_build(folder, edition)

    def _attempt_build(self, folder: Path, edition: str | None) -> None:
        snapshot: Snapshot | None = None
        errors: tuple[str, ...] = ()
        try:
            with self.rendering, _warnings_logged() as warnings:
                snapshot = self._build(folder, edition, self._attempt + 1)
            snapshot = dataclasses.replace(snapshot, warnings=tuple(warnings))
        except PamphletError as err:
            errors = one_line_errors(err)
        except Exception as err:  # the desk stays up; the traceback goes to the log
            log.exception("the desk's build failed")
            errors = (f"internal error: {type(err).__name__}: {err}",)
        with self._cond:
            self._attempt += 1
            self._building = False
            self._errors = errors
            self._snapshot = snapshot or self._snapshot
            pending = self._pending
            self._cond.notify_all()
        if snapshot is not None and self.preflight and not pending:
            self._add_notes(snapshot)

    def _build(self, folder: Path, edition: str | None, number: int) -> Snapshot:
        """Lay out (reusing the shared pages where they still hold), write, make the images."""
        started = time.perf_counter()
        out = self.output / folder.name / (edition or "issue")
        issue = load_issue(folder, Overrides(output=out, impose=True))
        target = issue if edition is None else _edition_of(issue, edition)
        key = shared_key(issue)
        cached = self._shared.get(folder)
        if cached is not None and cached.key == key:
            laid, how = cached.layout.edition(target), "own pages"
        else:
            layout = SharedLayout.of(issue)
            self._shared[folder] = _Shared(key, layout)
            laid = layout.laid if edition is None else layout.edition(target)
            how = "whole issue"
        if laid is None:
            laid, how = lay_out(target), "whole issue"
        result = build_loaded(target, _Given(laid))
        known = {p.digest: p.png for p in self._snapshot.pages} if self._snapshot else {}
        pages = page_images(result.pdf, laid, known)
        seconds = time.perf_counter() - started
        return Snapshot(
            number, folder.name, edition, pages, result, seconds, how, dedication_rows(issue)
        )

    def _add_notes(self, snapshot: Snapshot) -> None:
        """Preflight the build's two PDFs; the findings join the snapshot if it is current."""
        from ..press.preflight import preflight

        result = snapshot.result
        with self.rendering:
            notes = [
                Note("warning", f"a line runs {o.by} pt out of its box: '{o.text[:60]}'", o.page,
                     "layout")
                for o in result.overflows
            ]  # fmt: skip
            for path, role, name in ((result.master, "master", "print master"),
                                     (result.pdf, "reader", "reader")):  # fmt: skip
                if path is None:
                    continue
                for found in preflight(path, role, result.fonts):
                    where = f" ({found.where})" if found.where else ""
                    notes.append(Note(found.level, f"{found.what}{where}", found.page, name))
        with self._cond:
            if self._snapshot is not None and self._snapshot.build == snapshot.build:
                self._snapshot = dataclasses.replace(snapshot, notes=tuple(notes))
                self._cond.notify_all()

    # -- the watcher ----------------------------------------------------------------------

    def _watch(self) -> None:
        import watchfiles

        def relevant(change: Any, path: str) -> bool:
            name = os.path.basename(path)
            return not name.startswith(".") and not name.endswith(("~", ".part", ".swp"))

        for _ in watchfiles.watch(
            self.content,
            watch_filter=relevant,
            debounce=DEBOUNCE_MS,
            step=QUIET_MS,
            stop_event=self._stop,
            yield_on_timeout=False,
            raise_interrupt=False,
        ):
            self._changed()

    def _changed(self) -> None:
        """A file of the content tree changed: build, unless the build under way (or the
        last one) already read the files as they are now."""
        now = stamp(self.content)
        with self._cond:
            if now != self._stamp:
                self._pending = True
                self._cond.notify_all()

    # -- printing -------------------------------------------------------------------------

    def print_batch(self, queue_name: str, again: bool = False) -> str:
        """Build the open issue's editions (what changed), send them to a CUPS queue; the
        summary as the command line words it."""
        from ..batch.plan import plan_batch
        from ..batch.run import run_batch
        from ..deliver.cups import CupsQueue
        from ..deliver.send import send_batch

        queue = CupsQueue(queue_name)
        folder = self.folder
        out = self.output / folder.name / "batch"
        with self.rendering:
            planned = plan_batch(folder, None, Overrides(), None, out)
            outcome = run_batch(planned, out, Overrides(), 1)
        done = send_batch(out, queue, (), again)
        built = f"{len(planned.editions)} editions: {outcome.built} built, "
        built += f"{outcome.unchanged} unchanged"
        built += f", {outcome.failed} failed (see the manifest)" if outcome.failed else ""
        sent = [f"{len(done.sent)} sent"]
        sent += [f"{len(done.already)} already sent (tick 'again')"] if done.already else []
        sent += [f"{len(done.failed)} failed skipped"] if done.failed else []
        jobs = ", ".join(f"{job} {edition}" for edition, job in done.sent)
        return f"{built}; {queue.name}: {', '.join(sent)}" + (f" ({jobs})" if jobs else "")

    # -- proofs ---------------------------------------------------------------------------

    def proof(self, key: str, place: str | None = None) -> dict[str, Path]:
        """The sponsor's proof of `key` in the open issue (the page as printed, in PDF and
        PNG, named as `dedications proof` names them) written to the desk's output folder:
        each place (or the one `place`: memorial-box …) with its PDF, the PNG beside it."""
        from .proof import proof_pages, proof_paths, write_proofs

        folder = self.folder
        with self.rendering:
            found = proof_pages(folder, key, place)
        places = [place for place, _, _ in found]
        paths = proof_paths(folder, key, places, self.output / folder.name / "proofs")
        write_proofs(found, paths)
        return paths


class _Collect(logging.Handler):
    """The warnings one thread logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.found.append(record.getMessage().replace("\n", "\\n"))


@contextlib.contextmanager
def _warnings_logged() -> Iterator[list[str]]:
    """The warnings the package logs from this thread while the block runs."""
    collect = _Collect()
    logger = logging.getLogger("pamphlet")
    logger.addHandler(collect)
    try:
        yield collect.found
    finally:
        logger.removeHandler(collect)


def _edition_of(issue: Issue, edition: str) -> Issue:
    """One edition of a checked issue, its files beside the issue's in a folder of its own."""
    editions, errors = read_editions(default_editions(issue.folder))
    found = [e for e in editions.editions if e is not None and e.id == edition]
    if not found:
        raise (InputErrors(errors) if errors else PamphletError(f"no edition '{edition}'"))
    people, spellings = people_of(issue)
    own = load_edition(issue, found[0], people, spellings)
    out = issue.settings.output.parent / edition
    return dataclasses.replace(own, settings=dataclasses.replace(own.settings, output=out))


def one_line_errors(err: PamphletError) -> tuple[str, ...]:
    """Each problem of an error as the command line prints it (a line break typed in a
    value written out as \\n)."""
    return tuple(str(p).replace("\n", "\\n") for p in getattr(err, "errors", [err]))


def stamp(content: Path) -> dict[str, tuple[int, int]]:
    """Every file of the content tree with its change time and size (dot files left out)."""
    found = {}
    for folder, folders, files in os.walk(content):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found[path] = (info.st_mtime_ns, info.st_size)
    return found


def shared_key(issue: Issue) -> str:
    """What the shared pages are made from: the issue less its dedications, its articles,
    the series, the settings, the fillers, and the bytes of the issue folder's other files
    and of the series' own layouts (an essay, an image, a stylesheet)."""
    settings = dataclasses.replace(issue.settings, output=Path(), impose=False)
    text = repr(
        (replace(issue.file, dedications=Dedications()), issue.contents, issue.series, settings,
         issue.fillers, issue.stylesheets)
    )  # fmt: skip
    digest = hashlib.sha256(text.encode("utf-8"))
    skipped = {"issue.yaml", "editions.yaml", "editions.csv"}
    files = [p for p in issue.folder.rglob("*") if p.name not in skipped]
    files += issue.stylesheets
    if issue.series.layouts:
        files += list(issue.settings.layouts[0].rglob("*"))
    for path in sorted(set(files)):
        if path.is_file() and not path.name.startswith("."):
            digest.update(f"\0{path}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def page_images(
    pdf: Path, laid: Laid, known: dict[str, bytes] | None = None
) -> tuple[PageImage, ...]:
    """The PDF's pages as PNG images, each with its label and the part of the booklet; a
    page whose pixels are those of a `known` image (by digest) reuses its PNG."""
    document = pdfium.PdfDocument(str(pdf))
    known = known or {}
    try:
        found = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=SCALE)
            digest = hashlib.sha1(bitmap.buffer, usedforsecurity=False).hexdigest()
            png = known.get(digest) or _png(bitmap.to_pil())
            page.close()
            label = document.get_page_label(index) or str(index + 1)
            found.append(PageImage(index + 1, label, _part(laid, index), digest, png))
        return tuple(found)
    finally:
        document.close()


def _png(image: Image.Image) -> bytes:
    data = io.BytesIO()
    image.save(data, "PNG", compress_level=1)
    return data.getvalue()


def _part(laid: Laid, index: int) -> str:
    pages = laid.pages.document.pages
    anchors = set(pages[index].anchors) if index < len(pages) else set()
    for part in PARTS:
        if part in anchors:
            return part
    return "filler" if any(a.startswith("filler-") for a in anchors) else "content"


# -- the dedications, as the desk's form offers them ------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What a dedication would print: the line, the honorific and the dates."""

    line: str
    honorific: str
    printed_date: str  # as the issue prints it ('21 Tamuz, 5766'), or ''
    hebrew_date: str  # in Hebrew letters ('כ״א תמוז תשס״ו'), or ''


@dataclass(frozen=True)
class Found:
    """A people record matching a search."""

    key: str
    name: str
    hebrew: str
    passed: str
    living: bool


def preview(folder: Path, addition: Addition, replacing: Place | None = None) -> Preview:
    """The addition (or the entry's replacement) checked as `add` would check it, nothing
    written, and what it prints."""
    _, people, spellings = load_series_people(series_of(folder))
    edit = plan(folder, addition, people.path, replacing)
    with overlay(edit.texts):
        issue = load_issue(folder)
    entry = getattr(issue.file.dedications, LISTS[addition.role])[edit.index]
    printed = _printed(issue, LISTS[addition.role], entry)
    person = entry.person if isinstance(entry, MemorialBox) else entry
    assert isinstance(person, Person)  # resolved: a record, not a key
    line = printed.line
    if isinstance(entry, MemorialBox):
        line = f"{printed.heading}: {line}; {printed.dedicated_by}"
        line += f": {'; '.join(printed.donors)}" if printed.donors else ""
    day = passed_date(person, spellings) if person.passed is not None else None
    hebrew = format_date(day, spellings, "he") if day is not None else ""
    honorific = hebrew_punctuation(person.honorific or "")
    return Preview(line, honorific, person.passed_as or "", hebrew)


@dataclass(frozen=True)
class Printed:
    """What a dedication prints: its line (a memorial box's person), and for a box its
    heading, 'dedicated by' line and donors."""

    line: str
    heading: str = ""
    dedicated_by: str = ""
    donors: tuple[str, ...] = ()


def _printed(issue: Issue, role: str, entry: Person | MemorialBox) -> Printed:
    """What a dedication prints (layouts/dedications.txt.j2, the lines `dedications list`
    prints), on its own, its Hebrew marks as the page prints them (gershayim)."""
    alone = replace(Dedications(), **{role: [entry]})
    shown = dataclasses.replace(issue, file=replace(issue.file, dedications=alone))
    lines = [hebrew_punctuation(line.strip()) for line in render_dedications_text(shown)]
    if not isinstance(entry, MemorialBox):
        return Printed(lines[-1] if lines else "")
    # "Memorial box 1: HEADING", the person, "DEDICATED BY …:", a donor a line
    heading, person, dedicated_by, *donors = [*lines, "", "", ""][: max(len(lines), 3)]
    return Printed(person, heading.partition(": ")[2], dedicated_by.removesuffix(":"),
                   tuple(donors))  # fmt: skip


def add(folder: Path, addition: Addition, replacing: Place | None = None) -> Any:
    """Add a dedication (or replace the entry at `replacing`) through the same validated,
    locked round trip as the command line."""
    series_path = series_of(folder)
    _, people, _ = load_series_people(series_path)
    return add_dedication(
        folder, addition, people.path, series_path.parent, lambda: load_issue(folder), replacing
    )


def remove(folder: Path, place: Place) -> Path:
    """Take an entry off its list of issue.yaml's dedications, if it is still the one the
    editor saw (its key, and its digest when given): a round trip (comments, quoting and
    flow lists kept) under the content tree's edit lock, checked by the whole loader
    before it is written."""
    _check_role(place.role)
    path = folder / "issue.yaml"
    with folder_lock(series_of(folder).parent, "edit"):
        data, yaml = load_round_trip(path)
        entries, _ = entry_at(data, path, place, "not removed")
        del entries[place.index]
        write_checked({path: dump_round_trip(data, yaml)}, lambda: load_issue(folder),
                      "not removed")  # fmt: skip
    return path


@dataclass(frozen=True)
class Entry:
    """An entry of issue.yaml as the form shows it: the people key it names (None for a
    record written in the issue), its record as written (the people file's, or its own;
    empty for a key that names no record), and a memorial box's own fields."""

    key: str | None
    record: dict[str, Any]
    heading: str = ""
    donors: tuple[str, ...] = ()  # as keys (a record written in the box: its key)
    digest: str = ""


def entry_record(folder: Path, place: Place) -> Entry:
    """An entry of issue.yaml as the form shows it; refused if it is no longer the one the
    editor saw."""
    _check_role(place.role)
    data, _ = load_round_trip(folder / "issue.yaml")
    _, entry = entry_at(data, folder / "issue.yaml", place, "cannot edit")
    digest = entry_digest(entry)
    if is_box(entry):
        found = _person_record(folder, entry["person"])
        donors = tuple(entry_key(d) for d in entry.get("donors") or [])
        return Entry(found.key, found.record, str(entry.get("heading") or ""), donors, digest)
    return dataclasses.replace(_person_record(folder, entry), digest=digest)


def _person_record(folder: Path, entry: Any) -> Entry:
    if isinstance(entry, dict):
        return Entry(None, dict(entry))
    people = people_file(folder).path
    records = load_round_trip(people)[0] if people.is_file() else None
    record = records.get(str(entry)) if isinstance(records, dict) else None
    return Entry(str(entry), dict(record) if isinstance(record, dict) else {})


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise PamphletError(f"'{role}' is not memorials, honoring, sponsors or memorial_boxes")


def dedication_rows(issue: Issue) -> tuple[Row, ...]:
    """The issue's memorials, honoring, sponsors and memorial boxes as written (keys) and
    as printed."""
    from ..sources import load_yaml_file

    raw = load_yaml_file(issue.path)
    written = raw.get("dedications") if isinstance(raw, dict) else None
    rows = []
    for role in ROLES:
        entries = (written or {}).get(role) or []
        resolved = getattr(issue.file.dedications, role)
        for index, (entry, one) in enumerate(zip(entries, resolved, strict=False)):
            printed = _printed(issue, role, one)
            rows.append(Row(role, index, entry_key(entry), printed.line, entry_digest(entry),
                            printed.heading, printed.dedicated_by, printed.donors))  # fmt: skip
    return tuple(rows)


def search(people: People, query: str, limit: int = 12) -> list[Found]:
    """People records whose key, names or Hebrew names hold every word of the query."""
    words = query.casefold().split()
    if not words:
        return []
    found = []
    for key, person in people.records.items():
        name = " & ".join(person.given_names) + (f" {person.surname}" if person.surname else "")
        hebrew = " ".join(_texts(person.hebrew_given) + _texts(person.hebrew_surname))
        haystack = f"{key} {name} {hebrew}".casefold()
        if all(word in haystack for word in words):
            living = person.living is not False and person.passed is None and not person.passed_as
            passed = str(person.passed) if person.passed is not None else ""
            found.append(Found(key, name, hebrew, passed, living))
    return sorted(found, key=lambda f: f.key)[:limit]


def _texts(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass(frozen=True)
class YahrzeitRow:
    """A yahrzeit this week, as the desk lists it."""

    key: str
    name: str
    day: datetime.date
    hebrew: str
    listed: bool  # already among the issue's memorials


def week_yahrzeits(folder: Path) -> tuple[datetime.date | None, str, list[YahrzeitRow]]:
    """The issue's Shabbat, its portion, and the people records whose yahrzeit falls in its
    week (as `dedications yahrzeits --week` prints them)."""
    from ..dates import portion_name
    from ..sources import load_yaml_file

    series, people, spellings = load_series_people(series_of(folder))
    raw = load_yaml_file(folder / "issue.yaml")
    shabbat = raw.get("date") if isinstance(raw, dict) else None
    if not isinstance(shabbat, datetime.date):
        return None, "", []
    week = week_of(shabbat, israel=(series.schedule or DEFAULTS["schedule"]) == "israel")
    listed = _listed(raw)
    rows = [
        YahrzeitRow(
            y.key,
            " ".join(y.person.given_names) + (f" {y.person.surname}" if y.person.surname else ""),
            y.day,
            format_date(y.hebrew, spellings, "en"),
            y.key in listed,
        )
        for y in yahrzeits_in_week(people, shabbat, spellings)
    ]
    return shabbat, portion_name(week, spellings, "en") or "festival", rows


def _listed(raw: dict[str, Any]) -> set[str]:
    dedications = raw.get("dedications")
    memorials = dedications.get("memorials") if isinstance(dedications, dict) else None
    return {m for m in memorials or [] if isinstance(m, str)}


def people_file(folder: Path) -> People:
    """The people records of an issue's series."""
    return load_series_people(series_of(folder))[1]


def rows_by_role(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The rows grouped by list, in the order of ROLES."""
    grouped: dict[str, list[Row]] = {role: [] for role in ROLES}
    for row in rows:
        grouped[row.role].append(row)
    return grouped
