"""Preflight: the checks a print shop runs before it trusts a PDF, as a library.

The written file is read back three ways: pypdf for its objects and content streams
(fonts, glyphs, colours, images, boxes, annotations, the output intent), pypdfium2 for
where each character lands on the page, and `qpdf --check` for the file's structure.
Every problem becomes a plain Finding with its page; nothing is fixed, and a damaged or
foreign file gives findings, never an exception. The "master" is the PDF/X-4 print file
(CMYK, bleed, no annotations); the "reader" is the screen PDF, held to the same fonts and
text but not to print's colours and boxes.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont, TTLibError
from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from ..fonts import describe

BLEED = 9.0  # points: an eighth of an inch all round the trim
TOLERANCE = 0.01  # points, for comparing boxes and positions
QPDF_TIMEOUT = 300  # seconds
LINES_SHOWN = 3  # lines of text reported on one page for each level; the rest are counted
ROLES = ("master", "reader")

# What a damaged file can raise while it is read: each becomes a finding, never escapes.
_BROKEN = (
    PyPdfError,
    pdfium.PdfiumError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    RecursionError,
    zlib.error,
)
_FONT_BROKEN = (*_BROKEN, TTLibError, AssertionError, EOFError)
_TAG = re.compile(r"^[A-Z]{6}\+")
_DEPTH = 16  # forms within forms deeper than this are not followed
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SHOW = {b"Tj", b"TJ", b"'", b'"'}
_NEW_LINE = {b"ET", b"Tm", b"Td", b"TD", b"T*", b"'", b'"'}  # text shown after these is apart
_RGB = {"/DeviceRGB", "/RGB"}

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, what it is (with the value found), and where."""

    level: str  # "error" or "warning"
    what: str  # one line, plain words: what is wrong and the value found
    page: int | None  # 1-based page, where it applies
    where: str | None  # element or object (font name, image name, box name...), where known


def preflight(
    pdf: Path,
    role: str,
    fonts: Mapping[str, Path] | None = None,
    safe_inset: float = 18.0,
    min_dpi: float = 300.0,
) -> list[Finding]:
    """Every problem a print shop would raise with `pdf`, page by page.

    role: "master" (the PDF/X print master) or "reader" (the screen PDF). fonts: the
    bundled font files under the names the PDF gives them (render.pdf_font_names); any
    other font is a system font standing in. None skips that check.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    opened = _open(pdf)
    if isinstance(opened, Finding):
        return [opened]
    reader, document = opened
    master = role == "master"
    try:
        found = _qpdf(pdf) + _page_count(len(reader.pages), master)
        found += _guarded(None, lambda: _output_intent(reader)) if master else []
        walk = _Walk(reader, master, min_dpi)
        for number, page in enumerate(reader.pages, start=1):
            found += _page(number, page, document, walk, safe_inset)
        found += _font_findings(walk.fonts.values(), fonts)
    finally:
        document.close()
    return sorted(dict.fromkeys(found), key=lambda finding: finding.page or 0)


def _page(number: int, page: PageObject, document: Any, walk: _Walk, inset: float) -> list[Finding]:
    """One page's boxes, annotations, content and text placement."""
    master = walk.master
    found = _guarded(number, lambda: _boxes(number, page, master))
    found += _guarded(number, lambda: _annotations(number, page) if master else [])
    found += _guarded(number, lambda: walk.page(number, page))
    trim = _guarded_box(page)
    return found + _guarded(number, lambda: _text_area(number, document[number - 1], trim, inset))


def _open(pdf: Path) -> tuple[PdfReader, Any] | Finding:
    """Both readers on the file, or the one finding that says why it is not a PDF."""
    try:
        reader = PdfReader(pdf)
        count = len(reader.pages)
        document = pdfium.PdfDocument(str(pdf))
    except _BROKEN as err:
        return Finding("error", f"not a readable PDF ({_reason(err)})", None, pdf.name)
    if count == 0:
        document.close()
        return Finding("error", "not a readable PDF (it has no pages)", None, pdf.name)
    return reader, document


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0]}" if text else type(err).__name__


def _guarded(number: int | None, check: Callable[[], list[Finding]]) -> list[Finding]:
    """A check's findings; a part of the file too damaged to read is itself a finding."""
    try:
        return check()
    except _BROKEN as err:
        place = f"page {number}" if number else "the document"
        return [Finding("error", f"{place} could not be checked ({_reason(err)})", number, None)]


# --- qpdf ---------------------------------------------------------------------------


def _qpdf(pdf: Path) -> list[Finding]:
    """`qpdf --check`: exit 0 passes, 3 is warnings (it repaired something), 2 errors."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return [
            Finding(
                "error", "qpdf is not installed: the file's structure was not checked", None, "qpdf"
            )
        ]
    target = os.fspath(pdf.absolute())
    try:
        run = subprocess.run(
            [qpdf, "--check", target],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=QPDF_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return [Finding("error", f"qpdf --check did not finish ({_reason(err)})", None, "qpdf")]
    lines = [
        line.replace(target, pdf.name).strip() for line in (run.stderr + run.stdout).splitlines()
    ]
    if run.returncode == 0:
        return []
    if run.returncode == 3:
        line = next((line for line in lines if line.startswith("WARNING")), "warnings")
        return [Finding("warning", f"qpdf --check: {_unprefixed(line)}", None, "qpdf")]
    errors = [line for line in lines if line.startswith(("ERROR", "qpdf:"))]
    line = errors[0] if errors else (lines[-1] if lines else f"exit status {run.returncode}")
    return [Finding("error", f"qpdf --check failed: {_unprefixed(line)}", None, "qpdf")]


def _unprefixed(line: str) -> str:
    return re.sub(r"^(WARNING|ERROR|qpdf):\s*", "", line)


# --- pages and boxes ----------------------------------------------------------------


def _page_count(count: int, master: bool) -> list[Finding]:
    """Saddle stitching folds sheets of four pages."""
    if count % 4 == 0:
        return []
    what = f"{count} page{'s' * (count != 1)}: a saddle-stitched booklet needs a multiple of 4"
    return [Finding("error" if master else "warning", what, None, None)]


def _rect(value: Any) -> Box | None:
    value = _resolve(value)
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    x0, y0, x1, y1 = (float(_resolve(number)) for number in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0] - TOLERANCE
        and inner[1] >= outer[1] - TOLERANCE
        and inner[2] <= outer[2] + TOLERANCE
        and inner[3] <= outer[3] + TOLERANCE
    )


def _boxed(box: Box) -> str:
    return "[" + " ".join(f"{value:.2f}".rstrip("0").rstrip(".") for value in box) + "]"


def _guarded_box(page: PageObject) -> Box | None:
    """The trim the text must keep inside: the TrimBox, or the MediaBox without one."""
    try:
        return _rect(page.get("/TrimBox")) or _rect(page.mediabox)
    except _BROKEN:
        return None


def _boxes(number: int, page: PageObject, master: bool) -> list[Finding]:
    """TrimBox within BleedBox within MediaBox; the master's bleed, the reader's none."""
    media = _rect(page.mediabox)
    if media is None:
        return [Finding("error", "the page has no usable MediaBox", number, "MediaBox")]
    crop = _rect(page.get("/CropBox")) or media
    trim, bleed = _rect(page.get("/TrimBox")), _rect(page.get("/BleedBox"))
    found = []
    if not _inside(bleed or crop, media):
        what = f"BleedBox {_boxed(bleed or crop)} is not inside the MediaBox {_boxed(media)}"
        found.append(Finding("error", what, number, "BleedBox"))
    if not _inside(trim or crop, bleed or crop):
        what = f"TrimBox {_boxed(trim or crop)} is not inside the BleedBox {_boxed(bleed or crop)}"
        found.append(Finding("error", what, number, "TrimBox"))
    if master:
        return found + _master_bleed(number, trim, bleed)
    if trim is not None and not _inside(media, trim):
        what = (
            f"the screen PDF has a bleed: MediaBox {_boxed(media)} "
            f"is larger than TrimBox {_boxed(trim)}"
        )
        found.append(Finding("warning", what, number, "MediaBox"))
    return found


def _master_bleed(number: int, trim: Box | None, bleed: Box | None) -> list[Finding]:
    found = [
        Finding("error", f"the print master's page has no {name}", number, name)
        for name, box in (("TrimBox", trim), ("BleedBox", bleed))
        if box is None
    ]
    if trim is None or bleed is None or not _inside(trim, bleed):
        return found
    width = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
    if width < BLEED - TOLERANCE:
        what = (
            f"bleed of {width:.2f} pt ({width / 72:.3f} in): the print master needs "
            f"at least {BLEED:g} pt (0.125 in) all round"
        )
        found.append(Finding("error", what, number, "BleedBox"))
    return found


def _annotations(number: int, page: PageObject) -> list[Finding]:
    annotations = _resolve(page.get("/Annots"))
    if not isinstance(annotations, ArrayObject) or not annotations:
        return []
    kinds = sorted(
        {str(_dict(annotation).get("/Subtype", "/Annot"))[1:] for annotation in annotations}
    )
    what = (
        f"{len(annotations)} annotation(s) ({', '.join(kinds)}): "
        "link annotations do not belong in a print master"
    )
    return [Finding("error", what, number, ", ".join(kinds))]


def _output_intent(reader: PdfReader) -> list[Finding]:
    """A PDF/X master names its CMYK printing condition: a GTS_PDFX intent with its ICC profile."""
    intents = _resolve(_dict(reader.trailer.get("/Root")).get("/OutputIntents"))
    pdfx = [_dict(intent) for intent in intents or [] if _dict(intent).get("/S") == "/GTS_PDFX"]
    if not pdfx:
        what = (
            "no PDF/X output intent (/OutputIntents with /S /GTS_PDFX): "
            "the CMYK printing condition is not named"
        )
        return [Finding("error", what, None, "OutputIntents")]
    profile = _resolve(pdfx[0].get("/DestOutputProfile"))
    if not isinstance(profile, StreamObject):
        return [
            Finding(
                "error",
                "the PDF/X output intent has no ICC profile (DestOutputProfile)",
                None,
                "OutputIntents",
            )
        ]
    space = profile.get_data()[16:20].decode("latin-1").strip() or "unknown"
    if space != "CMYK":
        what = f"the output intent's ICC profile is for {space} colour, not CMYK"
        return [Finding("error", what, None, "OutputIntents")]
    return []


# --- text on the page (pdfium) ------------------------------------------------------


def _text_area(number: int, page: Any, trim: Box | None, inset: float) -> list[Finding]:
    """Each line of text that reaches past the trim (error) or into the margin within
    `inset` points of it (warning), by the glyph boxes PDFium computes."""
    if trim is None:
        return []
    textpage = page.get_textpage()
    lines: list[list[str]] = [[]]
    worst: dict[int, tuple[float, str]] = {}
    for index in range(textpage.count_chars()):
        unit = pdfium_raw.FPDFText_GetUnicode(textpage.raw, index)
        if unit == 0x0A:
            lines.append([])
            continue
        lines[-1].append(chr(unit))
        if chr(unit).isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(index)
        if right - left <= 0 and top - bottom <= 0:
            continue
        distance = _closest_edge((left, bottom, right, top), trim)
        if distance[0] < worst.get(len(lines) - 1, (math.inf, ""))[0]:
            worst[len(lines) - 1] = distance
    placed = [
        finding
        for line, (distance, edge) in sorted(worst.items())
        for finding in _placement(number, _text(lines[line]), distance, edge, inset)
    ]
    return _at_most(placed, LINES_SHOWN, number)


def _at_most(found: list[Finding], shown: int, number: int) -> list[Finding]:
    """The first `shown` findings of each level, and a count of the rest."""
    kept = []
    for level, words in (("error", "past the trim"), ("warning", "inside the safe margin")):
        lines = [finding for finding in found if finding.level == level]
        kept += lines[:shown]
        if len(lines) > shown:
            what = f"{len(lines) - shown} more lines of text {words} on this page"
            kept.append(Finding(level, what, number, None))
    return kept


def _closest_edge(box: Box, trim: Box) -> tuple[float, str]:
    """How far inside the trim a glyph box keeps (negative: past it), and to which edge."""
    return min(
        (box[0] - trim[0], "left"),
        (box[1] - trim[1], "bottom"),
        (trim[2] - box[2], "right"),
        (trim[3] - box[3], "top"),
    )


def _text(units: list[str]) -> str:
    joined = "".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return " ".join(joined.split())


def _placement(number: int, line: str, distance: float, edge: str, inset: float) -> list[Finding]:
    shown = line if len(line) <= 60 else line[:57] + "..."
    if distance < -TOLERANCE:
        what = f"text off the page: {-distance:.1f} pt past the {edge} edge of the trim: “{shown}”"
        return [Finding("error", what, number, f"{edge} edge")]
    if distance < inset - TOLERANCE:
        what = (
            f"text {distance:.1f} pt from the {edge} edge of the trim, "
            f"inside the {inset:g} pt safe margin: “{shown}”"
        )
        return [Finding("warning", what, number, f"{edge} edge")]
    return []


# --- fonts --------------------------------------------------------------------------


@dataclass
class _Font:
    """A font as the content streams use it: its name, whether its program is in the
    file, and enough of its encoding to tell a glyph from the font's empty box."""

    name: str  # BaseFont as written, subset tag included
    embedded: bool | None  # None: a Type 3 font, whose glyphs are drawings in the file
    two_byte: bool = False
    checkable: bool = False  # whether missing glyphs can be told (Type 0, known CMap)
    cids: dict[int, int] | None = None  # code -> CID from an embedded CMap; None: identity
    gids: bytes | None = None  # the CIDToGIDMap stream; None: identity
    count: int | None = None  # glyphs in the embedded program
    cid_set: frozenset[int] | None = None  # CIDs a CID-keyed CFF program has
    unicode: dict[int, str] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)

    def missing(self, code: int) -> bool:
        """Whether a code draws the .notdef glyph (glyph 0, or none the program has)."""
        cid = code if self.cids is None else self.cids.get(code, 0)
        if cid == 0 or (self.cid_set is not None and cid not in self.cid_set):
            return True
        gid = cid if self.gids is None else int.from_bytes(self.gids[2 * cid : 2 * cid + 2], "big")
        return gid == 0 or (self.count is not None and gid >= self.count)

    def codes(self, string: bytes) -> list[int]:
        """The character codes of a shown string."""
        if not self.two_byte:
            return list(string)
        return [int.from_bytes(string[i : i + 2], "big") for i in range(0, len(string) - 1, 2)]

    def text(self, code: int) -> str:
        return self.unicode.get(code, "\ufffd")


def _load_font(font: DictionaryObject, resource: str) -> _Font:
    """What preflight needs to know of a font dictionary."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return _Font(str(font.get("/BaseFont") or f"Type 3 font {resource}").lstrip("/"), None)
    descendant = _dict(_first(font.get("/DescendantFonts"))) if subtype == "/Type0" else font
    name = str(descendant.get("/BaseFont") or font.get("/BaseFont") or resource).lstrip("/")
    descriptor = _dict(descendant.get("/FontDescriptor"))
    program = next(
        (
            _resolve(descriptor.get(k))
            for k in ("/FontFile", "/FontFile2", "/FontFile3")
            if k in descriptor
        ),
        None,
    )
    loaded = _Font(
        name, program is not None, unicode=_cmap(_stream_data(font.get("/ToUnicode")))[0]
    )
    if subtype == "/Type0":
        _load_cid_font(loaded, font, descendant, program)
    return loaded


def _load_cid_font(
    loaded: _Font, font: DictionaryObject, descendant: DictionaryObject, program: Any
) -> None:
    encoding = _resolve(font.get("/Encoding"))
    loaded.two_byte = True
    if isinstance(encoding, StreamObject):
        _, loaded.cids, lengths = _cmap(encoding.get_data())
        loaded.checkable = lengths == {2}
    else:
        loaded.checkable = encoding in ("/Identity-H", "/Identity-V")
    gids = _resolve(descendant.get("/CIDToGIDMap"))
    if isinstance(gids, StreamObject) and descendant.get("/Subtype") == "/CIDFontType2":
        loaded.gids = gids.get_data()
    if isinstance(program, StreamObject):
        loaded.count, loaded.cid_set = _glyphs(program.get_data())


def _glyphs(data: bytes) -> tuple[int | None, frozenset[int] | None]:
    """How many glyphs an embedded font program has (or, CID-keyed CFF, which CIDs)."""
    try:
        if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
            font = TTFont(io.BytesIO(data), lazy=True)
            if "CFF " in font:
                return _cff_glyphs(font["CFF "].cff)
            return int(font["maxp"].numGlyphs), None
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        return _cff_glyphs(cff)
    except _FONT_BROKEN:
        return None, None


def _cff_glyphs(cff: Any) -> tuple[int | None, frozenset[int] | None]:
    top = cff.topDictIndex[0]
    charset = list(top.charset)
    if hasattr(top, "ROS"):  # CID-keyed: glyph names are cidNNNNN
        return None, frozenset(
            int(n[3:]) for n in charset if n.startswith("cid") and n[3:].isdigit()
        )
    return len(charset), None


def _font_findings(fonts: Iterable[_Font], bundled: Mapping[str, Path] | None) -> list[Finding]:
    """Each font once, at the first page that uses it: embedded, subset, and bundled."""
    found = []
    for font in fonts:
        if not font.pages:
            continue
        used, page = f"used on {_pages(font.pages)}", font.pages[0]
        if font.embedded is False:
            found.append(
                Finding("error", f"font {font.name} is not embedded ({used})", page, font.name)
            )
        if font.embedded and not _TAG.match(font.name):
            what = f"font {font.name} is embedded whole, not as a subset ({used})"
            found.append(Finding("warning", what, page, font.name))
        if bundled is not None and _TAG.sub("", font.name) not in bundled:
            what = (
                f"font {_TAG.sub('', font.name)} is not one of the bundled fonts: "
                f"a system font stood in ({used})"
            )
            found.append(Finding("error", what, page, font.name))
    return found


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:8])) + (", ..." if len(numbers) > 8 else "")
    return f"page {shown}" if len(numbers) == 1 else f"pages {shown}"


# --- CMaps --------------------------------------------------------------------------

_SECTION = re.compile(rb"begin(bfchar|bfrange|cidchar|cidrange|codespacerange)(.*?)end\1", re.S)
_CMAP_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\[|\]|-?\d+|/[^\s/<>\[\]()]+")


def _cmap(data: bytes) -> tuple[dict[int, str], dict[int, int], set[int]]:
    """A CMap stream read: code -> text (ToUnicode), code -> CID (encoding), code lengths."""
    text: dict[int, str] = {}
    cids: dict[int, int] = {}
    lengths: set[int] = set()
    for kind, body in _SECTION.findall(data):
        tokens = _CMAP_TOKEN.findall(body)
        if kind == b"codespacerange":
            lengths |= {len(_hex(token)) for token in tokens if token.startswith(b"<")}
        elif kind == b"bfchar":
            pairs = zip(tokens[::2], tokens[1::2], strict=False)
            text.update((_int(src), _utf16(_hex(dst))) for src, dst in pairs if dst[:1] == b"<")
        elif kind == b"bfrange":
            _bf_ranges(tokens, text)
        elif kind == b"cidchar":
            cids.update(
                (_int(src), int(cid)) for src, cid in zip(tokens[::2], tokens[1::2], strict=False)
            )
        else:
            for low, high, cid in zip(tokens[::3], tokens[1::3], tokens[2::3], strict=False):
                cids.update(
                    (code, int(cid) + code - _int(low)) for code in range(_int(low), _int(high) + 1)
                )
    return text, cids, lengths


def _bf_ranges(tokens: list[bytes], text: dict[int, str]) -> None:
    at = 0
    while at + 2 < len(tokens):
        low, high, first = _int(tokens[at]), _int(tokens[at + 1]), tokens[at + 2]
        if first == b"[":
            end = tokens.index(b"]", at + 3) if b"]" in tokens[at + 3 :] else len(tokens)
            text.update((low + i, _utf16(_hex(dst))) for i, dst in enumerate(tokens[at + 3 : end]))
            at = end + 1
            continue
        start = _hex(first)
        for offset in range(high - low + 1):
            value = int.from_bytes(start, "big") + offset
            text[low + offset] = _utf16(value.to_bytes(len(start), "big"))
        at += 3


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", token)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _int(token: bytes) -> int:
    return int.from_bytes(_hex(token), "big")


def _utf16(data: bytes) -> str:
    return data.decode("utf-16-be", "replace")


# --- content streams ----------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    ctm: Matrix
    font: _Font | None


class _Walk:
    """Every content stream of the pages, forms and patterns, with the graphics state:
    which fonts draw which glyphs, which colours and images are placed, and how large."""

    def __init__(self, reader: PdfReader, master: bool, min_dpi: float):
        self.reader, self.master, self.min_dpi = reader, master, min_dpi
        self.fonts: dict[Any, _Font] = {}
        self.number = 0
        self.found: list[Finding] = []
        self.tofu: dict[str, tuple[list[str], int, int]] = {}  # font: chars, where in shown
        self.shown: list[str] = []  # the page's text so far, as its fonts decode it
        self.length = 0  # characters in `shown`
        self.parsed: dict[int, tuple[Any, list[tuple[Any, bytes]]]] = {}

    def page(self, number: int, page: PageObject) -> list[Finding]:
        """The findings of one page's content (fonts are reported once, at the end)."""
        self.number, self.found, self.tofu, self.shown, self.length = number, [], {}, [], 0
        resources = _dict(page.get("/Resources"))
        self._group(_dict(page.get("/Group")), "page")
        contents = page.get_contents()
        if contents is not None:
            self._walk(contents.operations, resources, _State(_IDENTITY, None), "page content", 0)
        text = "".join(self.shown)
        for name, (chars, start, end) in self.tofu.items():
            shown = ", ".join(describe(c) if len(c) == 1 else repr(c) for c in chars)
            context = " ".join(text[max(0, start - 30) : end + 30].split())
            what = (
                f"no glyph in font {name} for {shown}: "
                f"drawn as an empty box (.notdef) in “{context}”"
            )
            self.found.append(Finding("error", what, number, name))
        return self.found

    def _walk(
        self,
        operations: list[tuple[Any, bytes]],
        resources: DictionaryObject,
        state: _State,
        where: str,
        depth: int,
    ) -> None:
        saved: list[_State] = []
        for operands, operator in operations:
            if operator == b"q":
                saved.append(state)
            elif operator == b"Q":
                state = saved.pop() if saved else state
            elif operator == b"cm" and len(operands) == 6:
                state = _State(_multiply(_numbers(operands), state.ctm), state.font)
            elif operator == b"Tf" and operands:
                state = _State(state.ctm, self._use_font(resources, operands[0]))
            else:
                self._operator(operator, operands, resources, state, where, depth)

    def _operator(
        self,
        operator: bytes,
        operands: Any,
        resources: DictionaryObject,
        state: _State,
        where: str,
        depth: int,
    ) -> None:
        if operator in _NEW_LINE:
            self._append(" ")
        if operator in _SHOW and state.font is not None:
            self._show(state.font, _strings(operator, operands))
        elif operator in (b"rg", b"RG"):
            self._rgb(where, f"an RGB colour set with {operator.decode()}")
        elif operator in (b"cs", b"CS") and operands and _is_rgb(operands[0], resources):
            self._rgb(where, f"colour space {operands[0]}")
        elif operator == b"sh" and operands:
            self._shading(
                _dict(resources.get("/Shading")).get(operands[0]), f"shading {operands[0]}"
            )
        elif operator in (b"scn", b"SCN") and operands and isinstance(operands[-1], NameObject):
            self._pattern(resources, operands[-1], depth)
        elif operator == b"Do" and operands:
            self._xobject(resources, operands[0], state, depth)
        elif operator == b"INLINE IMAGE":
            self._inline_image(operands, resources, state, where)

    def _use_font(self, resources: DictionaryObject, name: Any) -> _Font | None:
        fonts = _dict(resources.get("/Font"))
        reference = fonts.raw_get(name) if name in fonts else None
        if reference is None:
            return None
        key = (
            (reference.idnum, reference.generation)
            if isinstance(reference, IndirectObject)
            else id(reference)
        )
        if key not in self.fonts:
            self.fonts[key] = _load_font(_dict(reference), str(name))
        font = self.fonts[key]
        if self.number not in font.pages:
            font.pages.append(self.number)
        return font

    def _show(self, font: _Font, strings: list[bytes]) -> None:
        codes = [code for string in strings for code in font.codes(string)]
        start = self.length
        self._append("".join(font.text(code) for code in codes))
        missing = [code for code in codes if font.checkable and font.missing(code)]
        if missing:
            chars, _, _ = self.tofu.setdefault(font.name, ([], start, self.length))
            new = dict.fromkeys(font.text(code) for code in missing)
            chars.extend(char for char in new if char not in chars)

    def _append(self, text: str) -> None:
        self.shown.append(text)
        self.length += len(text)

    def _rgb(self, where: str, how: str) -> None:
        if self.master:
            what = f"DeviceRGB in the CMYK print master: {how}"
            self.found.append(Finding("error", what, self.number, where))

    def _group(self, group: DictionaryObject, where: str) -> None:
        if group and _is_rgb(group.get("/CS"), DictionaryObject()):
            self._rgb(where, "a transparency group blended in DeviceRGB")

    def _shading(self, shading: Any, where: str) -> None:
        shading = _dict(shading)
        space = shading.get("/ColorSpace")
        if _is_rgb(space, DictionaryObject()):
            self._rgb(where, "a gradient (shading) in DeviceRGB")
        wanted, given = _components(space), _outputs(shading.get("/Function"))
        if wanted and given and wanted != given:
            what = (
                f"a gradient gives {given} colour values to a colour space of {wanted} "
                "(RGB colours under a CMYK profile?): it prints wrong or not at all"
            )
            self.found.append(Finding("error", what, self.number, where))

    def _pattern(self, resources: DictionaryObject, name: Any, depth: int) -> None:
        pattern = _resolve(_dict(resources.get("/Pattern")).get(name))
        where = f"pattern {name}"
        if not isinstance(pattern, DictionaryObject):
            return
        if pattern.get("/PatternType") == 2:
            self._shading(pattern.get("/Shading"), where)
        elif isinstance(pattern, StreamObject) and depth < _DEPTH:
            matrix = _numbers(pattern.get("/Matrix", ArrayObject())) or _IDENTITY
            inner = _dict(pattern.get("/Resources"))
            self._walk(self._operations(pattern), inner, _State(matrix, None), where, depth + 1)

    def _xobject(self, resources: DictionaryObject, name: Any, state: _State, depth: int) -> None:
        xobject = _resolve(_dict(resources.get("/XObject")).get(name))
        if not isinstance(xobject, StreamObject):
            return
        if xobject.get("/Subtype") == "/Image":
            self._image(xobject, f"image {name}", state.ctm, resources)
        elif xobject.get("/Subtype") == "/Form" and depth < _DEPTH:
            where = f"form {name}"
            self._group(_dict(xobject.get("/Group")), where)
            matrix = _numbers(xobject.get("/Matrix", ArrayObject())) or _IDENTITY
            inner = _dict(xobject.get("/Resources")) or resources
            state = _State(_multiply(matrix, state.ctm), state.font)
            self._walk(self._operations(xobject), inner, state, where, depth + 1)

    def _operations(self, stream: StreamObject) -> list[tuple[Any, bytes]]:
        """A form's or pattern's parsed content, once however often it is drawn."""
        if id(stream) not in self.parsed:
            self.parsed[id(stream)] = (stream, ContentStream(stream, self.reader).operations)
        return self.parsed[id(stream)][1]

    def _inline_image(
        self, operands: Any, resources: DictionaryObject, state: _State, where: str
    ) -> None:
        settings = (
            _dict(operands.get("settings")) if isinstance(operands, dict) else DictionaryObject()
        )
        image = DictionaryObject()
        for short, full in (("/W", "/Width"), ("/H", "/Height"), ("/CS", "/ColorSpace")):
            value = settings.get(full, settings.get(short))
            if value is not None:
                image[NameObject(full)] = value
        self._image(image, f"inline image in the {where}", state.ctm, resources)

    def _image(
        self, image: DictionaryObject, where: str, ctm: Matrix, resources: DictionaryObject
    ) -> None:
        if _is_rgb(image.get("/ColorSpace"), resources):
            self._rgb(where, "an image in DeviceRGB")
        width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        across, down = math.hypot(ctm[0], ctm[1]) / 72, math.hypot(ctm[2], ctm[3]) / 72
        if not (width and height and across and down):
            return
        dpi = min(width / across, height / down)
        if dpi + 0.5 < self.min_dpi:
            what = (
                f"image of {width} x {height} px printed at {across:.2f} x {down:.2f} in: "
                f"{dpi:.0f} dpi, below {self.min_dpi:g}"
            )
            self.found.append(
                Finding("error" if self.master else "warning", what, self.number, where)
            )


def _strings(operator: bytes, operands: Any) -> list[bytes]:
    """The strings a text-showing operator shows."""
    if operator == b"TJ":
        items = operands[0] if operands and isinstance(operands[0], list) else []
    elif operator == b'"':
        items = operands[2:3]
    else:
        items = operands[:1]
    return [item.original_bytes for item in items if hasattr(item, "original_bytes")]


def _is_rgb(space: Any, resources: DictionaryObject, depth: int = 0) -> bool:
    """Whether a colour space is DeviceRGB, directly, by resource name, or under an
    Indexed or Pattern space. ICCBased, Lab, Separation and DeviceN are fine."""
    space = _resolve(space)
    if depth > 4 or space is None:
        return False
    if isinstance(space, NameObject):
        named = _dict(resources.get("/ColorSpace")).get(space)
        return space in _RGB or (named is not None and _is_rgb(named, resources, depth + 1))
    if (
        isinstance(space, ArrayObject)
        and len(space) > 1
        and space[0] in ("/Indexed", "/I", "/Pattern")
    ):
        return _is_rgb(space[1], resources, depth + 1)
    return False


_COMPONENTS = {"/DeviceGray": 1, "/G": 1, "/CalGray": 1, "/Indexed": 1, "/I": 1}
_COMPONENTS |= {"/Separation": 1, "/DeviceRGB": 3, "/RGB": 3, "/CalRGB": 3, "/Lab": 3}
_COMPONENTS |= {"/DeviceCMYK": 4, "/CMYK": 4}


def _components(space: Any) -> int | None:
    """How many values a colour in a (shading's) colour space has, where known."""
    space = _resolve(space)
    if isinstance(space, NameObject):
        return _COMPONENTS.get(space)
    if not isinstance(space, ArrayObject) or not space:
        return None
    if space[0] == "/ICCBased" and len(space) > 1:
        count = _dict(space[1]).get("/N")
        return int(count) if count is not None else None
    if space[0] == "/DeviceN" and len(space) > 1:
        return len(_resolve(space[1]))
    return _COMPONENTS.get(space[0])


def _outputs(function: Any, depth: int = 0) -> int | None:
    """How many values a (shading's) function gives, where it says."""
    function = _resolve(function)
    if isinstance(function, ArrayObject):
        return len(function)
    function = _dict(function)
    kind = function.get("/FunctionType")
    if kind == 2:
        return len(_resolve(function.get("/C0", function.get("/C1", [0]))))
    if kind == 3 and depth < 4:
        return _outputs(_first(function.get("/Functions")), depth + 1)
    if kind in (0, 4) and "/Range" in function:
        return len(_resolve(function["/Range"])) // 2
    return None


# --- small helpers ------------------------------------------------------------------


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _dict(value: Any) -> DictionaryObject:
    value = _resolve(value)
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _first(value: Any) -> Any:
    value = _resolve(value)
    return value[0] if isinstance(value, ArrayObject) and value else None


def _stream_data(value: Any) -> bytes:
    value = _resolve(value)
    return value.get_data() if isinstance(value, StreamObject) else b""


def _numbers(values: Any) -> Matrix | None:
    values = _resolve(values)
    if not isinstance(values, list) or len(values) != 6:
        return None
    a, b, c, d, e, f = (float(_resolve(value)) for value in values)
    return a, b, c, d, e, f


def _multiply(first: Matrix | None, then: Matrix) -> Matrix:
    """`first` applied, then `then` (PDF's row-vector order: first x then)."""
    a, b, c, d, e, f = first or _IDENTITY
    p, q, r, s, t, u = then
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )
