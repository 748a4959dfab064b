"""Saddle-stitch imposition: any PDF's pages onto printer spreads, two per sheet side, in
the order a stack of nested, folded sheets reads (docs/print.md, "Imposition").

Each source page becomes one Form XObject (its content stream copied as it is, its
resources shared), drawn on the sheets with `q … cm /Pn Do Q`: fonts and images are
written once, however many sheets use them. Links and other annotations are left out: the
sheets are for the press. The output intents (printing condition, colour profile) are kept.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    read_object,
)

from ..errors import PamphletError
from ..lengths import POINTS_PER
from ..report import warn

# Landscape sheets (width, height) in points, smallest first: the default is the first
# that holds two pages side by side.
SHEETS = {
    "letter": (792.0, 612.0),
    "a4": (297 * POINTS_PER["mm"], 210 * POINTS_PER["mm"]),
    "tabloid": (1224.0, 792.0),
    "a3": (420 * POINTS_PER["mm"], 297 * POINTS_PER["mm"]),
}
BINDINGS = ("left", "right")
MAX_CREEP = 18.0  # 0.25 in: the margin print.md keeps inside the trim
MARK_OFFSET = 9.0  # crop and fold marks start 0.125 in outside the trim…
MARK_GAP = 2.0  # …and at least this far outside the bleed
MARK_LENGTH = 18.0  # 0.25 in
MARK_WIDTH = 0.25
FIT = 0.01  # points of rounding allowed when a page pair meets a sheet's size

Slot = int | None  # a 1-based source page number, or None for a blank page


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points (origin bottom left)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        """Horizontal size."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Vertical size."""
        return self.top - self.bottom


@dataclass(frozen=True)
class Imposed:
    """An imposed PDF and what went into it (for the command's summary)."""

    data: bytes
    pages: int  # source pages
    blanks: int  # blank pages added before the back cover
    sheets: int  # paper sheets, printed on both sides
    sheet: str  # sheet size name
    binding: str


@dataclass(frozen=True)
class _Sheet:
    """What every side of the imposition shares: the sheet's size, how far outside the
    trim the marks start, and the page a blank is shaped like (the back cover)."""

    size: tuple[float, float]
    mark_offset: float
    blank: _Source


@dataclass(frozen=True)
class _Source:
    """One source page as placed: its form, trim and bleed (beyond the trim, per side)."""

    form: IndirectObject | None  # None: a page with nothing drawn
    trim: Box
    bleed: Box  # left, bottom, right, top: how far the bleed reaches beyond the trim


def padded(pages: int) -> list[Slot]:
    """The booklet's pages in reading order, padded to a multiple of 4 with blanks placed
    before the back cover (a single page comes first, then the blanks)."""
    if pages < 1:
        raise ValueError("a booklet needs at least one page")
    total = -(-pages // 4) * 4
    if pages == 1:
        return [1, None, None, None]
    blanks: list[Slot] = [None] * (total - pages)
    return [*range(1, pages), *blanks, pages]


def saddle_order(pages: int, binding: str = "left") -> list[tuple[Slot, Slot]]:
    """(left, right) of each sheet side in duplex order (sheet 0 front, sheet 0 back, …),
    as 1-based numbers of the `pages` source pages, None where a blank page falls."""
    if binding not in BINDINGS:
        raise ValueError(f"binding must be left or right, not {binding!r}")
    booklet = padded(pages)
    total = len(booklet)
    sides: list[tuple[Slot, Slot]] = []
    for k in range(total // 4):
        front = (total - 2 * k, 2 * k + 1)
        back = (2 * k + 2, total - 2 * k - 1)
        for left, right in (front, back):
            pair = (booklet[left - 1], booklet[right - 1])
            sides.append(pair if binding == "left" else (pair[1], pair[0]))
    return sides


def impose_pdf(
    data: bytes,
    binding: str | None = None,
    sheet: str | None = None,
    creep: float = 0.0,
    marks: bool = False,
    source: Path | None = None,
) -> bytes:
    """The imposed PDF of a PDF's bytes (creep in points); errors name `source`."""
    return impose(data, binding, sheet, creep, marks, source).data


def impose(
    data: bytes,
    binding: str | None = None,
    sheet: str | None = None,
    creep: float = 0.0,
    marks: bool = False,
    source: Path | None = None,
) -> Imposed:
    """Impose a PDF for saddle stitch: printer spreads on landscape sheets, duplex order,
    blanks before the back cover; binding by default from /ViewerPreferences /Direction."""
    _check_options(binding, creep, source)
    with _pypdf_quiet() as problems:
        reader = _read(data, source)
        writer = PdfWriter()
        writer.pdf_header = reader.pdf_header
        binding, pages = _sources(reader, writer, binding, source)
        name, size = _sheet(pages, sheet, source)
        layout = _Sheet(size, _mark_offset(pages), pages[-1])
        sides = saddle_order(len(pages), binding)
        sheets = len(sides) // 2
        for index, pair in enumerate(sides):
            shift = creep * (index // 2) / (sheets - 1) if sheets > 1 else 0.0
            _add_side(writer, layout, [pages[n - 1] if n else None for n in pair], shift, marks)
        out = io.BytesIO()
        writer.write(out)
    for problem in dict.fromkeys(problems):
        warn(f"pypdf: {problem}", source)
    if marks and not _marks_fit(pages, layout):
        warn(
            "the sheet leaves no room outside the trim for the marks; try a larger --sheet", source
        )
    blanks = len(sides) * 2 - len(pages)
    return Imposed(out.getvalue(), len(pages), blanks, sheets, name, binding)


def _check_options(binding: str | None, creep: float, source: Path | None) -> None:
    """Refuse a binding or a creep out of range before the PDF is read."""
    if binding not in (None, *BINDINGS):
        raise PamphletError(f"binding must be left or right, not {binding!r}", source)
    if not 0 <= creep <= MAX_CREEP:
        raise PamphletError(
            f"creep must be between 0 and {MAX_CREEP:g} pt (0.25 in, the margin kept inside"
            f" the trim); got {creep:g} pt",
            source,
        )


# -- reading -----------------------------------------------------------------------------


class _PagesReader(PdfReader):
    """pypdf's reader, but an object inside an object stream is parsed when it is asked
    for, not with all its neighbours: pypdf parses a whole object stream at its first
    object, and in a tagged PDF that is mostly the structure tree, which imposition never
    reads (4/5 of the time for the default issue). Anything unexpected: pypdf's own way."""

    def __init__(self, stream: io.BytesIO) -> None:
        self._indexes: dict[int, tuple[bytes, int, dict[int, int]]] = {}
        super().__init__(stream)

    def _get_object_from_stream(self, indirect_reference: IndirectObject) -> PdfObject:
        try:
            found = self._one_object(indirect_reference.idnum)
        except (PyPdfError, ValueError, KeyError, TypeError, IndexError):
            found = None
        if found is None:
            return super()._get_object_from_stream(indirect_reference)
        return found

    def _one_object(self, number: int) -> PdfObject | None:
        stream_number = self.xref_objStm[number][0]
        if stream_number not in self._indexes:
            stream = self.get_object(stream_number)
            if not isinstance(stream, StreamObject) or stream.get("/Type") != "/ObjStm":
                return None
            first, count = stream.get("/First"), stream.get("/N")
            if not isinstance(first, NumberObject) or not isinstance(count, NumberObject):
                return None
            data = stream.get_data()
            header = data[: int(first)].split()
            pairs = zip(header[0 : 2 * int(count) : 2], header[1::2], strict=False)
            self._indexes[stream_number] = (data, int(first), {int(n): int(o) for n, o in pairs})
        data, first, offsets = self._indexes[stream_number]
        if number not in offsets:
            return None
        start = first + offsets[number]
        while start < len(data) and data[start] in b" \t\r\n\f\0":
            start += 1
        view = io.BytesIO(data)
        view.seek(start)
        obj = read_object(view, self)
        self.cache_indirect_object(0, number, obj)
        return obj


@contextmanager
def _pypdf_quiet() -> Iterator[list[str]]:
    """Collect what pypdf logs while a PDF is imposed, instead of letting it reach stderr
    (the caller reports it once the imposition has worked)."""
    collected: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            collected.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler = _Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield collected
    finally:
        logger.removeHandler(handler)


def _read(data: bytes, source: Path | None) -> PdfReader:
    """A reader on the PDF, or an error: not a PDF, damaged, encrypted, no pages."""
    if b"%PDF-" not in data[:1024]:
        raise PamphletError("not a PDF file", source)
    try:
        reader = _PagesReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PamphletError("the PDF is encrypted; decrypt it first", source)
        count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise PamphletError(f"cannot read this PDF: {_first_line(err)}", source) from None
    if count == 0:
        raise PamphletError("the PDF has no pages", source)
    return reader


def _sources(
    reader: PdfReader, writer: PdfWriter, binding: str | None, source: Path | None
) -> tuple[str, list[_Source]]:
    """The binding (given, or the PDF's reading direction's) and every page as a form in
    the writer, the output intents with them; a damaged PDF is one error."""
    try:
        pages = [_source(writer, page, n, source) for n, page in enumerate(reader.pages, 1)]
        _keep_output_intents(reader, writer)
        return binding or _reading_binding(reader), pages
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise PamphletError(f"cannot read this PDF: {_first_line(err)}", source) from None


def _first_line(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


def _reading_binding(reader: PdfReader) -> str:
    """Right-bound when the PDF says it reads right to left, else left-bound."""
    preferences = reader.viewer_preferences
    direction = preferences.get("/Direction") if preferences is not None else None
    return "right" if direction == "/R2L" else "left"


def _keep_output_intents(reader: PdfReader, writer: PdfWriter) -> None:
    """The source's output intents (the printing condition and its colour profile) go with
    the sheets: the print shop needs them as much on the imposed file."""
    intents = reader.root_object.get("/OutputIntents")
    if intents is not None:
        key = NameObject("/OutputIntents")
        writer.root_object[key] = reader.root_object.raw_get(key).clone(writer)


def _box(page: PageObject, name: str) -> Box:
    rect = getattr(page, name)
    return Box(float(rect.left), float(rect.bottom), float(rect.right), float(rect.top))


def _source(writer: PdfWriter, page: PageObject, number: int, source: Path | None) -> _Source:
    """A source page's form (in the writer) and boxes: the trim (TrimBox, else CropBox,
    else MediaBox) and how far its BleedBox reaches beyond it on each side."""
    rotate = int(page.get("/Rotate", 0) or 0)
    if rotate % 360:
        raise PamphletError(
            f"page {number} is rotated (/Rotate {rotate}); cannot impose it", source
        )
    crop, trim, bleed = _box(page, "cropbox"), _box(page, "trimbox"), _box(page, "bleedbox")
    outside = Box(
        max(0.0, trim.left - max(bleed.left, crop.left)),
        max(0.0, trim.bottom - max(bleed.bottom, crop.bottom)),
        max(0.0, min(bleed.right, crop.right) - trim.right),
        max(0.0, min(bleed.top, crop.top) - trim.top),
    )
    return _Source(_form(writer, page, crop), trim, outside)


def _form(writer: PdfWriter, page: PageObject, crop: Box) -> IndirectObject | None:
    """The page as a Form XObject in the writer: its content stream copied still
    compressed (several streams are joined), its resources cloned once and shared."""
    contents = page.get("/Contents")
    if contents is None:
        return None
    stream = contents.get_object()
    form: StreamObject
    if isinstance(stream, StreamObject) and isinstance(contents, IndirectObject):
        form = contents.clone(writer).get_object()  # type: ignore[assignment]
        if "/Subtype" in form:  # the same stream drawn by an earlier page: copy it
            form = _joined(writer, [stream])
    else:
        form = _joined(writer, [part.get_object() for part in stream])
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(
        FloatObject(v) for v in (crop.left, crop.bottom, crop.right, crop.top)
    )
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = (
        page.raw_get("/Resources").clone(writer) if resources is not None else DictionaryObject()
    )
    if "/Group" in page:
        form[NameObject("/Group")] = page.raw_get("/Group").clone(writer)
    assert form.indirect_reference is not None
    return form.indirect_reference


def _joined(writer: PdfWriter, streams: list[StreamObject]) -> StreamObject:
    """One compressed stream of several content streams' data, added to the writer."""
    joined = DecodedStreamObject()
    joined.set_data(b"\n".join(part.get_data() for part in streams))
    form = joined.flate_encode()
    writer._add_object(form)  # pypdf has no public way to add a loose stream
    return form


# -- placing -----------------------------------------------------------------------------


def _sheet(
    pages: list[_Source], name: str | None, source: Path | None
) -> tuple[str, tuple[float, float]]:
    """The named sheet, checked to hold two pages side by side, or the smallest that does."""
    width = 2 * max(p.trim.width for p in pages)
    height = max(p.trim.height for p in pages)
    need = f"{width / 72:.4g} × {height / 72:.4g} in"
    if name is not None:
        if name not in SHEETS:
            raise PamphletError(f"unknown sheet {name!r}; use one of {', '.join(SHEETS)}", source)
        size = SHEETS[name]
        if width > size[0] + FIT or height > size[1] + FIT:
            raise PamphletError(f"a {name} sheet is too small for two pages ({need})", source)
        return name, size
    for name, size in SHEETS.items():
        if width <= size[0] + FIT and height <= size[1] + FIT:
            return name, size
    raise PamphletError(f"the pages are too large for any sheet ({need} needed)", source)


def _placements(
    size: tuple[float, float], pair: list[_Source | None], shift: float
) -> Iterator[tuple[_Source, Box, Box]]:
    """Each page of a side with its trim and its clip on the sheet: trims meet at the
    fold, moved `shift` toward it; the clip keeps the bleed on the three outer sides,
    stops at the fold and at the sheet's edges."""
    width, height = size
    fold = width / 2
    for page, is_left in zip(pair, (True, False), strict=True):
        if page is None:
            continue
        w, h = page.trim.width, page.trim.height
        left = fold + shift - w if is_left else fold - shift
        bottom = (height - h) / 2
        trim = Box(left, bottom, left + w, bottom + h)
        bleed = page.bleed
        clip = Box(
            max(0.0, trim.left - bleed.left) if is_left else fold,
            max(0.0, trim.bottom - bleed.bottom),
            fold if is_left else min(width, trim.right + bleed.right),
            min(height, trim.top + bleed.top),
        )
        yield page, trim, clip


def _add_side(
    writer: PdfWriter, layout: _Sheet, pair: list[_Source | None], shift: float, marks: bool
) -> None:
    """One sheet side: its two pages (a blank is left empty) and, asked for, its marks."""
    sheet = writer.add_blank_page(*layout.size)
    xobjects = DictionaryObject()
    ops: list[str] = []
    for number, (page, trim, clip) in enumerate(_placements(layout.size, pair, shift)):
        if page.form is None:
            continue
        name = f"/P{number}"
        xobjects[NameObject(name)] = page.form
        dx, dy = trim.left - page.trim.left, trim.bottom - page.trim.bottom
        ops.append(
            f"q {_n(clip.left)} {_n(clip.bottom)} {_n(clip.width)} {_n(clip.height)} re W n"
            f" 1 0 0 1 {_n(dx)} {_n(dy)} cm {name} Do Q"
        )
    if marks:
        ops.append(_marks(layout, pair, shift))
    sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    content = DecodedStreamObject()
    content.set_data("\n".join(ops).encode("ascii"))
    sheet.replace_contents(content.flate_encode())


def _n(value: float) -> str:
    """A number for a content stream: at most 4 decimals, no exponent, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# -- marks -------------------------------------------------------------------------------


def _pair_box(layout: _Sheet, pair: list[_Source | None], shift: float) -> Box:
    """The trims of a side's two pages together (a blank is shaped like its neighbour, or
    like the back cover when both are blank)."""
    left, right = pair
    left, right = left or right or layout.blank, right or left or layout.blank
    height = max(left.trim.height, right.trim.height)
    fold, bottom = layout.size[0] / 2, (layout.size[1] - height) / 2
    outer_left, outer_right = fold + shift - left.trim.width, fold - shift + right.trim.width
    return Box(outer_left, bottom, outer_right, bottom + height)


def _mark_offset(pages: list[_Source]) -> float:
    """How far outside the trim the marks start: 0.125 in, and clear of every page's
    bleed (the same on every sheet)."""
    bleeds = [max(p.bleed.left, p.bleed.right, p.bleed.top, p.bleed.bottom) for p in pages]
    return max(MARK_OFFSET, max(bleeds) + MARK_GAP)


def _marks(layout: _Sheet, pair: list[_Source | None], shift: float) -> str:
    """Crop marks at the four outer trim corners and fold marks above and below the
    fold, all outside the bleed, in plain CMYK black."""
    box = _pair_box(layout, pair, shift)
    start = layout.mark_offset
    end = start + MARK_LENGTH
    fold = layout.size[0] / 2
    lines = [
        (box.left - end, box.top, box.left - start, box.top),
        (box.left, box.top + start, box.left, box.top + end),
        (box.right + start, box.top, box.right + end, box.top),
        (box.right, box.top + start, box.right, box.top + end),
        (box.left - end, box.bottom, box.left - start, box.bottom),
        (box.left, box.bottom - start, box.left, box.bottom - end),
        (box.right + start, box.bottom, box.right + end, box.bottom),
        (box.right, box.bottom - start, box.right, box.bottom - end),
        (fold, box.top + start, fold, box.top + end),
        (fold, box.bottom - start, fold, box.bottom - end),
    ]
    path = " ".join(f"{_n(x0)} {_n(y0)} m {_n(x1)} {_n(y1)} l" for x0, y0, x1, y1 in lines)
    return f"q 0 0 0 1 K {_n(MARK_WIDTH)} w 0 J [] 0 d {path} S Q"


def _marks_fit(pages: list[_Source], layout: _Sheet) -> bool:
    """Whether the marks of every side land on the sheet."""
    widest = max(pages, key=lambda page: page.trim.width)
    tallest = max(pages, key=lambda page: page.trim.height)
    reach = layout.mark_offset + MARK_LENGTH
    width, height = layout.size
    return widest.trim.width + reach <= width / 2 and tallest.trim.height + 2 * reach <= height
