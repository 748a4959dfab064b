"""Files: what a build may read, and outputs written together or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from pamphlet.errors import PamphletError
from pamphlet.files import write_atomically, write_together


def test_files_written_together_all_land(tmp_path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "sub" / "a.html"
    write_together({a: b"pdf", b: b"html"})
    assert (a.read_bytes(), b.read_bytes()) == (b"pdf", b"html")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.html", "a.pdf", "sub"]


def test_when_one_file_cannot_be_written_none_is_replaced(tmp_path) -> None:
    earlier = tmp_path / "a.pdf"
    earlier.write_bytes(b"earlier")
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(PamphletError, match="is a file, not a folder"):
        write_together({earlier: b"new", blocker / "a.html": b"html"})
    assert earlier.read_bytes() == b"earlier"
    assert not list(tmp_path.glob(".*.part"))


def test_an_atomic_write_replaces_the_whole_file(tmp_path) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old" * 1000)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and oct(target.stat().st_mode)[-3:] == "644"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["x.pdf"]
