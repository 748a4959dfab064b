"""Sponsor proofs: the page where a person's dedication is printed, as printed.

The issue is laid out by the pipeline (the same layout, fonts and fit level as the build)
and the page holding the person's dedication is taken from the booklet's pages by its
anchor: `inside-cover` for a memorial, an honour or a sponsor, `memorial-boxes` for the
person or a donor of a memorial box (a record written in the issue itself is known by the
key it would be filed under, as the desk lists it). Each proof is a one-page reader PDF
(the trim, no bleed) and a PNG rendered from it with pypdfium2 at 150 dpi. Nothing is
highlighted: the proof is the page as the reader will see it.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..editing import record_key
from ..errors import PamphletError
from ..files import write_together
from ..model import Issue, IssueFile, Person
from ..pipeline import Laid, lay_out, load_issue, people_of
from ..schema import parse_partial
from ..sources import load_yaml_file

DPI = 150
# Where a dedication is printed: the name of the proof, and the anchor of its page.
PLACES = {"inside-cover": "inside-cover", "memorial-box": "memorial-boxes"}
_FILE_NAME = re.compile(r"[\w][\w.-]{0,100}")


@dataclass(frozen=True)
class Proof:
    """One proof page: where it is printed (inside-cover, memorial-box), its PDF and PNG."""

    place: str
    page: int  # 1-based, in the booklet
    pdf: bytes
    png: bytes

    @property
    def files(self) -> tuple[str, bytes, bytes]:
        """Its place, PDF and PNG, as `write_proofs` takes them."""
        return self.place, self.pdf, self.png


def proof_pages(
    issue_folder: Path, key: str, place: str | None = None
) -> list[tuple[str, bytes, bytes]]:
    """The pages where the people record `key` is printed in an issue (or the one page
    `place`): (place, PDF, PNG) each; an error naming the key and the issue when its
    dedications do not name it (there). For the web desk."""
    issue = load_issue(issue_folder)
    places = places_of(issue, key)
    if place is not None:
        if place not in places:
            where = place.replace("-", " ")
            raise PamphletError(f"'{key}' is not printed on the {where} page", issue.path)
        places = [place]
    return [p.files for p in proofs(issue, lay_out(issue), places)]


def places_of(issue: Issue, key: str) -> list[str]:
    """Where the issue prints the record `key` (inside-cover, memorial-box, in page
    order); an error when its dedications do not name it (checked before any render)."""
    named = named_keys(issue)
    if key in named:
        return [place for place in PLACES if place in named[key]]
    people, _ = people_of(issue)
    close = difflib.get_close_matches(key, list(named), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    where = f"the dedications of {issue.folder.resolve().name}"
    if key in people.records:
        message = f"'{key}' is not named in {where}{hint}"
    else:
        message = f"unknown person '{key}': not in {people.path.name}, nor in {where}{hint}"
    raise PamphletError(message, issue.path)


def named_keys(issue: Issue) -> dict[str, set[str]]:
    """The people keys the issue's dedications name, with where each is printed (the
    issue file as written: the loaded issue holds the records, not their keys)."""
    written, _ = parse_partial(IssueFile, load_yaml_file(issue.path), issue.path)
    dedications = written.dedications if written else None
    found: dict[str, set[str]] = {}

    def add(entries: list[Any], place: str) -> None:
        for entry in entries or []:
            if isinstance(entry, Person):  # a record written in the issue: the key it would have
                entry = record_key({"given": entry.given, "surname": entry.surname})
            if isinstance(entry, str):
                found.setdefault(entry, set()).add(place)

    if dedications is not None:
        for entries in (dedications.memorials, dedications.honoring, dedications.sponsors):
            add(entries, "inside-cover")
        for box in dedications.memorial_boxes or []:
            if box is not None:
                add([box.person, *(box.donors or [])], "memorial-box")
    return found


def proofs(issue: Issue, laid: Laid, places: list[str]) -> list[Proof]:
    """The proof of each place, from the laid-out booklet."""
    from ..pdf.assemble import Pages

    booklet = laid.pages
    found = []
    for place in places:
        index = _page_of(booklet.document.pages, PLACES[place], issue)
        page = booklet.document.copy([booklet.document.pages[index]])
        one = Pages(page, booklet.source, keep=booklet.keep)
        pdf = _reader_page(issue, one, index)
        found.append(Proof(place, index + 1, pdf, png_of(pdf)))
    return found


def proof_paths(
    issue_folder: Path, key: str, places: Iterable[str], folder: Path
) -> dict[str, Path]:
    """The files the proofs of `places` are written to in `folder`, by place (its PDF;
    the PNG beside it): `<issue>-<key>-<place>.pdf`."""
    if not _FILE_NAME.fullmatch(key):
        raise PamphletError(f"'{key}' cannot name a file: a proof is named after its key")
    name = issue_folder.resolve().name
    return {place: folder / f"{name}-{key}-{place}.pdf" for place in places}


def write_proofs(found: Iterable[tuple[str, bytes, bytes]], paths: dict[str, Path]) -> list[Path]:
    """Write each proof's (place, PDF, PNG) to its path, together (all the files or none)."""
    outputs: dict[Path, bytes] = {}
    for place, pdf, png in found:
        outputs[paths[place]] = pdf
        outputs[paths[place].with_suffix(".png")] = png
    write_together(outputs)
    return list(outputs)


def _page_of(pages: list[Any], anchor: str, issue: Issue) -> int:
    """The index of the booklet's page that holds `anchor`."""
    for index, page in enumerate(pages):
        if anchor in page.anchors:
            return index
    raise PamphletError(f"the layout printed no '{anchor}' page", issue.path)


def _reader_page(issue: Issue, page: Any, index: int) -> bytes:
    """The page as the reader PDF has it: the trim, tagged, the text layer corrected,
    labelled with the page's number in the booklet."""
    from ..pdf.write import text_layer
    from ..press.reader import ReaderOptions, reader_pdf
    from ..render import pdf_font_names

    settings = issue.settings
    text = text_layer(pdf_font_names(issue.series.fonts, settings.fonts))
    label = str(index + 1)
    options = ReaderOptions(label, label, settings.language == "he")
    return reader_pdf(page, options, [text])


def png_of(pdf: bytes, dpi: int = DPI) -> bytes:
    """The first page of a PDF as a PNG at `dpi` (rendered with pypdfium2, its resolution
    recorded in the file)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        # A hair under dpi/72: pypdfium2 rounds the size up, and 396 pt × 150/72 comes
        # to 825.0000000000001 in floating point (a column of pixels too many).
        image = document[0].render(scale=dpi / 72 * (1 - 1e-9)).to_pil()
    finally:
        document.close()
    data = io.BytesIO()
    image.save(data, "PNG", dpi=(dpi, dpi))
    return data.getvalue()
