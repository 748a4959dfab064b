"""Edits of a PDF before it is written (WeasyPrint finishers), shared by the master and
the reader: the page dictionaries, their boxes, and content added to a page.

A finisher receives pydyf's objects: page dictionaries whose boxes are arrays of numbers
in PDF points, content streams still as lists of operators.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf

Box = tuple[float, float, float, float]


def pages_of(pdf: Any) -> Iterator[Any]:
    """The page dictionaries, in order (pydyf lists the kids as number, 0, R)."""
    kids = list(pdf.pages["Kids"])
    for number in kids[::3]:
        yield pdf.objects[int(number)]


def object_at(pdf: Any, reference: Any) -> Any:
    """The object a reference (b'12 0 R', or its number) points to."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return pdf.objects[int(text.split()[0])]


def box(page: Any, name: str) -> Box:
    """A page box (MediaBox, TrimBox, BleedBox) as left, bottom, right, top."""
    left, first, right, second = (float(v) for v in page[name])
    return left, min(first, second), right, max(first, second)


def set_box(page: Any, name: str, value: Box) -> None:
    """Set a page box."""
    page[name] = pydyf.Array([round(v, 3) for v in value])


def grown(value: Box, by: float) -> Box:
    """A box grown by `by` points on every side."""
    return value[0] - by, value[1] - by, value[2] + by, value[3] + by


def add_content(pdf: Any, page: Any, operators: list[str]) -> None:
    """Draw more on a page, after and apart from what it has (its graphics state saved)."""
    save, restore, extra = pydyf.Stream(["q"]), pydyf.Stream(["Q"]), pydyf.Stream(operators)
    for stream in (save, restore, extra):
        pdf.add_object(stream)
    contents = page["Contents"]
    existing = list(contents) if isinstance(contents, pydyf.Array) else [contents]
    page["Contents"] = pydyf.Array([save.reference, *existing, restore.reference, extra.reference])


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def fixed_document_id(pdf: Any, identity: str) -> None:
    """Replace the random XMP DocumentID by one derived from `identity`: the same input
    gives the same file."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    stream = object_at(pdf, reference)
    stable = uuid.UUID(bytes=hashlib.sha256(identity.encode()).digest()[:16], version=4)
    stream.stream = [
        _DOCUMENT_ID.sub(b"xmp.did:" + str(stable).encode(), part)
        if isinstance(part, bytes)
        else part
        for part in stream.stream
    ]


def right_to_left(pdf: Any) -> None:
    """Tell viewers that pages run right to left (a right-bound booklet)."""
    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = preferences


@contextmanager
def restored(pdf: Any) -> Iterator[None]:
    """Edit and write a pydyf document inside the block, then put it back as it was: its
    objects (those added are dropped), catalog, information and page dictionaries."""
    objects = list(pdf.objects)
    catalog, info = dict(pdf.catalog), dict(pdf.info)
    pages = [(page, dict(page)) for page in pages_of(pdf)]
    try:
        yield
    finally:
        pdf.objects[:] = objects
        pdf.catalog.clear()
        pdf.catalog.update(catalog)
        pdf.info.clear()
        pdf.info.update(info)
        for page, entries in pages:
            page.clear()
            page.update(entries)
        pdf.current_position = 0


class _Dropped(pydyf.Object):
    """An object the file no longer refers to, written as null (its number kept)."""

    def __init__(self, number: int):
        super().__init__()
        self.number = number

    @property
    def data(self) -> bytes:
        return b"null"


_REFERENCE = re.compile(rb"(\d+) 0 R")


def drop_unreachable(pdf: Any) -> None:
    """Write as null every object the catalog no longer leads to (inside `restored`:
    what one file drops, the other may still need)."""
    reachable, stack = set(), [int(pdf.catalog.number)]
    while stack:
        number = stack.pop()
        if number not in reachable and number < len(pdf.objects):
            reachable.add(number)
            stack += _references(pdf.objects[number])
    for number in range(1, len(pdf.objects)):
        if number not in reachable:
            pdf.objects[number] = _Dropped(number)


def _references(item: Any) -> list[int]:
    """The numbers of the objects an object refers to (a stream: its dictionary's)."""
    data = pydyf.Dictionary(item.extra).data if isinstance(item, pydyf.Stream) else item.data
    return [int(n) for n in _REFERENCE.findall(data)]
