"""Schema: records carry where they were written, and a broken file still yields what it can."""

from __future__ import annotations

from pathlib import Path

from pamphlet.model import IssueFile, Person, Section
from pamphlet.schema import parse, parse_partial, replace
from pamphlet.sources import parse_yaml

ISSUE = """\
date: 2026-01-10
volume: 13
contents:
  - essays/a.md
  - section: Talks
    items:
      - talks/1.md
      - talks/2.md
dedications:
  memorials:
    - some-key
    - {given: Dovid, surname: Levi, passed: 3 Elul 5784}
"""


def _issue(text: str) -> tuple[IssueFile | None, list]:
    path = Path("/project/content/week/issue.yaml")
    return parse_partial(IssueFile, parse_yaml(text, path), path)


def test_fields_items_and_nested_records_know_their_lines() -> None:
    issue, errors = _issue(ISSUE)
    assert not errors and issue is not None
    where = issue.origin
    assert where.path == Path("/project/content/week/issue.yaml")
    assert (where.line_of("date"), where.line_of("volume")) == (1, 2)
    assert [where.item_line("contents", i) for i in range(2)] == [4, 5]
    section = issue.contents[1]
    assert isinstance(section, Section)
    assert [section.origin.item_line("items", i) for i in range(2)] == [7, 8]
    memorials = issue.dedications.origin
    assert [memorials.item_line("memorials", i) for i in range(2)] == [11, 12]
    inline = issue.dedications.memorials[1]
    assert isinstance(inline, Person) and inline.origin.line_of("passed") == 12


def test_an_unwritten_field_is_placed_at_its_record() -> None:
    issue, _ = _issue(ISSUE)
    assert issue is not None and issue.origin.line_of("portion") == issue.origin.line == 1


def test_replace_keeps_the_origin() -> None:
    issue, _ = _issue(ISSUE)
    assert issue is not None
    assert replace(issue, volume=14).origin == issue.origin


def test_a_record_with_problems_keeps_its_valid_fields_for_further_checks() -> None:
    issue, errors = _issue(ISSUE.replace("volume: 13", "volume: thirteen"))
    assert len(errors) == 1 and errors[0].line == 2
    assert issue is not None and issue.volume is None
    assert issue.contents[0] == "essays/a.md"  # still there: the files it names get checked


def test_a_bad_nested_record_is_dropped_and_reported_once() -> None:
    text = ISSUE.replace("{given: Dovid,", "{given: Dovid, living: true,")
    issue, errors = _issue(text)
    assert [e.line for e in errors] == [12]
    assert "cannot have a date of passing" in errors[0].message
    assert issue is not None and issue.dedications.memorials[1] is None


def test_parse_returns_nothing_when_there_is_a_problem() -> None:
    path = Path("x.yaml")
    record, errors = parse(IssueFile, parse_yaml("volume: 1\n", path), path)
    assert record is None
    assert {e.message for e in errors} == {
        "missing required field 'date'",
        "missing required field 'contents'",
    }
