"""The editor's desk (`python build.py serve`): the web app through Starlette's test client
(one warm desk on a copy of the content tree, shared by the module), its guard, and one
end-to-end run as a person would: the real server in a subprocess, driven by a real
headless Chromium (Debian's chromium and chromium-driver, installed through apt-get when
missing)."""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from conftest import ROOT, copy_series, run_build
from filelock import FileLock
from PIL import Image
from pypdf import PdfReader
from starlette.testclient import TestClient

from pamphlet.editor.desk import check_binding, create_app, own_hosts
from pamphlet.editor.live import LiveDesk, Row
from pamphlet.errors import PamphletError

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"Origin": BASE}
KATZ = {
    "role": "memorials",
    "title": "Reb",
    "given": "Menachem Mendel",
    "relation": "ben",
    "parent": "Shmuel",
    "surname": "Katz",
    "hebrew_title": "ר׳",
    "hebrew_given": "מנחם מענדל",
    "hebrew_surname": "כץ",
    "passed": "12 Tevet 5780",
}
BAD_DATE = {"role": "memorials", "given": "Dovber", "surname": "Kagan", "passed": "2026-02-30"}
SPONSORS = "shagalov-yosef-y-gittel-rochel"  # the sponsors' record, written in the issue


def copy_content(root: Path) -> Path:
    """The series (English and Hebrew), their people and three issues under root/content;
    the English issue's folder."""
    content = root / "content"
    content.mkdir(parents=True)
    copy_series(content)
    shutil.copy(ROOT / "content" / "people.yaml", content / "people.yaml")
    shutil.copy(ROOT / "content" / "series-he.yaml", content / "series-he.yaml")
    for name in ("shemot-5786", "shemot-5786-haftorah", "shemot-5786-he"):
        shutil.copytree(ROOT / "content" / name, content / name)
    return content / "shemot-5786"


def page_text(pdf: Path, index: int) -> str:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return document[index].get_textpage().get_text_range()
    finally:
        document.close()


@dataclass
class Served:
    client: TestClient
    desk: LiveDesk
    folder: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One warm desk on a copy of the content tree, built once, behind the test client."""
    folder = copy_content(tmp_path_factory.mktemp("desk"))
    desk = LiveDesk(folder)
    app = create_app(desk, own_hosts("127.0.0.1", PORT), None, PORT)
    with TestClient(app, base_url=BASE) as client:
        desk.wait(0)
        yield Served(client, desk, folder)


def settle(served: Served, before: int) -> None:
    """Wait for the build after `before` to finish; it must have succeeded."""
    status = served.desk.wait(before, timeout=60)
    assert status.state == "ready", status.errors


# -- the page ---------------------------------------------------------------------------------


def test_the_page_shows_every_page_of_the_issue(served: Served) -> None:
    page = served.client.get("/")
    assert page.status_code == 200
    build = served.desk.status().snapshot.build
    sources = re.findall(r'<img src="/page/(\d+)\.png\?build=(\d+)"', page.text)
    assert [int(n) for n, _ in sources] == list(range(1, 17))
    assert {int(b) for _, b in sources} == {build}
    assert 'data-part="inside-cover"' in page.text and 'data-part="back-cover"' in page.text
    image = served.client.get(f"/page/2.png?build={build}")
    assert image.headers["content-type"] == "image/png" and image.content[:4] == b"\x89PNG"
    status = served.client.get("/api/status").json()
    assert status["state"] == "ready" and len(status["pages"]) == 16
    for kind in ("reader", "master", "imposed"):
        download = served.client.get(status["downloads"][kind])
        assert download.status_code == 200 and download.content[:5] == b"%PDF-"
    assert "content-security-policy" in page.headers


def test_people_are_found_by_name_and_a_dedication_previewed(served: Served) -> None:
    found = served.client.get("/api/people", params={"q": "shagalov schneur"}).json()["found"]
    assert [f["key"] for f in found] == ["shagalov-schneur-zalman"]
    shown = served.client.get(
        "/api/preview", params={"role": "memorials", "person": "shagalov-schneur-zalman"}
    ).json()
    assert shown["ok"] and shown["honorific"] == "ע״ה"
    assert shown["printed_date"] == "21 Tamuz, 5766" and shown["hebrew_date"] == "כ״א תמוז תשס״ו"
    assert shown["line"].startswith("Horav Schneur Zalman Halevi")
    wrong = served.client.get("/api/preview", params={**BAD_DATE}).json()
    assert not wrong["ok"] and wrong["field"] == "passed"
    assert "date of passing: cannot read the date '2026-02-30'" in wrong["errors"][0]


def test_a_dedication_added_lands_in_issue_yaml_and_the_next_pdf(served: Served) -> None:
    issue_yaml = served.folder / "issue.yaml"
    original = issue_yaml.read_bytes()
    before = served.desk.status().attempt
    answer = served.client.post(
        "/dedications/add", data=KATZ, headers=ORIGIN, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    text = issue_yaml.read_text(encoding="utf-8")
    assert "    - ekman-yitzchok-moshe\n    - katz-menachem-mendel\n  honoring:" in text
    assert "# Names are keys of ../people.yaml" in text  # comments kept
    assert "# This week the family asked for שיחי, as printed." in text
    people = (served.folder.parent / "people.yaml").read_text(encoding="utf-8")
    assert "katz-menachem-mendel:\n" in people and "hebrew_given: מנחם מענדל" in people
    settle(served, before)
    snapshot = served.desk.status().snapshot
    assert snapshot.how == "own pages"  # the shared pages were not laid out again
    inside = page_text(snapshot.result.pdf, 1)
    assert inside.index("Ekman") < inside.index("Katz") < inside.index("Esther Shaindel")
    row = [r for r in snapshot.rows if r.key == "katz-menachem-mendel"]
    assert row and row[0].index == 4 and "Menachem Mendel" in row[0].line
    # …and removed again (not while the item is another): the issue file as it was
    stale = served.client.post(
        "/dedications/remove",
        data={"role": "memorials", "index": "3", "key": "katz-menachem-mendel"},
        headers=ORIGIN,
    )
    assert stale.status_code == 400 and "is no longer &#39;katz-menachem-mendel&#39;" in stale.text
    before = served.desk.status().attempt
    gone = served.client.post(
        "/dedications/remove",
        data={"role": "memorials", "index": "4", "key": "katz-menachem-mendel"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert gone.status_code == 303, gone.text
    assert issue_yaml.read_bytes() == original
    settle(served, before)
    assert "Katz" not in page_text(served.desk.status().snapshot.result.pdf, 1)


def test_a_bad_date_is_one_line_beside_its_field_and_nothing_is_written(served: Served) -> None:
    files = [served.folder / "issue.yaml", served.folder.parent / "people.yaml"]
    before = [f.read_bytes() for f in files]
    answer = served.client.post("/dedications/add", data=BAD_DATE, headers=ORIGIN)
    assert answer.status_code == 400
    slot = re.search(r'id="error-passed" role="alert">(.*?)</p>', answer.text, re.S)
    assert slot is not None
    lines = re.findall(r"<span>(.*?)</span>", slot.group(1))
    assert len(lines) == 1
    assert re.fullmatch(
        r".*people\.yaml:\d+: not added: date of passing: cannot read the date "
        r"&#39;2026-02-30&#39; \(write e\.g\. &#39;21 Tamuz, 5766&#39;\)",
        lines[0],
    )
    assert 'value="Kagan"' in answer.text  # what was typed is kept
    assert [f.read_bytes() for f in files] == before


class _AddForm(HTMLParser):
    """The fields of the page's dedication form as the browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.select = False, ""
        self.action, self.fields = "", {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("id") == "add-form":
            self.inside, self.action = True, found["action"]
        elif not self.inside:
            return
        elif tag == "input" and found.get("name") and found.get("type") != "checkbox":
            self.fields[found["name"]] = found.get("value", "")
        elif tag == "input" and "checked" in found:
            self.fields[found["name"]] = found["value"]
        elif tag == "select":
            self.select = found["name"]
        elif tag == "option" and "selected" in found:
            self.fields[self.select] = found["value"]

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "form"


def add_form(html: str) -> tuple[str, dict[str, str]]:
    """The dedication form of a page: where it posts, and its fields."""
    parser = _AddForm()
    parser.feed(html)
    return parser.action, parser.fields


def edit_page(served: Served, role: str, index: int, key: str) -> tuple[str, dict[str, str]]:
    """The page with one dedication loaded into the form by its Edit button."""
    page = served.client.get("/", params={"edit_role": role, "edit_index": index, "edit_key": key})
    assert page.status_code == 200, page.text
    assert "Save changes" in page.text and 'id="cancel-edit"' in page.text
    return add_form(page.text)


@contextlib.contextmanager
def kept_as_they_were(served: Served) -> Iterator[list[Path]]:
    """issue.yaml and people.yaml put back (and the pages rebuilt) after the block."""
    files = [served.folder / "issue.yaml", served.folder.parent / "people.yaml"]
    texts = [f.read_bytes() for f in files]
    try:
        yield files
    finally:
        before = served.desk.status().attempt
        for path, text in zip(files, texts, strict=True):
            path.write_bytes(text)
        served.desk.request_build()
        settle(served, before)


def test_an_edit_lands_in_place_with_its_comments_and_the_next_pdf_shows_it(
    served: Served,
) -> None:
    """The sponsors' record written in the issue, loaded by its Edit button, corrected."""
    with kept_as_they_were(served) as (issue_yaml, people_yaml):
        original, people = issue_yaml.read_text(encoding="utf-8"), people_yaml.read_bytes()
        action, fields = edit_page(served, "sponsors", 0, SPONSORS)
        assert action == "/dedications/edit"
        assert fields["edit_role"] == "sponsors" and fields["edit_key"] == SPONSORS
        assert fields["given"] == "Yosef Y. & Gittel Rochel" and fields["honorific"] == "שיחי"
        assert fields["person"] == "" and fields["role"] == "sponsors"
        fields["given"] = "Yosef Yitzchok & Gittel Rochel"
        shown = served.client.get("/api/preview", params=fields).json()
        assert shown["ok"] and "Yosef Yitzchok" in shown["line"], shown
        before = served.desk.status().attempt
        answer = served.client.post(action, data=fields, headers=ORIGIN, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        old_line = "given: [Yosef Y., Gittel Rochel]"
        expected = original.replace(old_line, "given: [Yosef Yitzchok, Gittel Rochel]")
        assert expected != original and issue_yaml.read_text(encoding="utf-8") == expected
        assert people_yaml.read_bytes() == people
        settle(served, before)
        snapshot = served.desk.status().snapshot
        inside = page_text(snapshot.result.pdf, 1)
        assert "Yosef Yitzchok" in inside
        assert inside.count("Yosef Y. ") == 1  # only the director's name, on the same page
        [row] = [r for r in snapshot.rows if r.role == "sponsors"]
        assert row.index == 0 and row.key == "shagalov-yosef-yitzchok-gittel-rochel"
        message = served.client.get(answer.headers["location"]).text
        assert "Saved shagalov-yosef-yitzchok-gittel-rochel (dedicated by)" in message


def test_an_edit_corrects_the_people_record_and_can_move_the_entry(served: Served) -> None:
    with kept_as_they_were(served) as (issue_yaml, people_yaml):
        issue, people = issue_yaml.read_bytes(), people_yaml.read_text(encoding="utf-8")
        action, fields = edit_page(served, "memorials", 1, "ekman-dovid-asniel")
        assert fields["person"] == "ekman-dovid-asniel" and fields["given"] == "Dovid Asniel"
        assert fields["parent"] == "Eliyahu" and fields["passed"] == "5 Sivan 5765"
        fields.update(given="Dovid Osniel", hebrew_given="דוד עזריאל")
        answer = served.client.post(action, data=fields, headers=ORIGIN, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        assert issue_yaml.read_bytes() == issue  # the same key in the same place
        record = "  given: Dovid Asniel\n  relation: ben\n"
        corrected = "  given: Dovid Osniel\n  hebrew_given: דוד עזריאל\n  relation: ben\n"
        assert people_yaml.read_text(encoding="utf-8") == people.replace(record, corrected)
        # the honoree moved to the sponsors: off its list, at the end of the other
        _, fields = edit_page(served, "honoring", 0, "shagalov-esther-shaindel")
        fields["role"] = "sponsors"
        before = served.desk.status().attempt
        moved = served.client.post(action, data=fields, headers=ORIGIN, follow_redirects=False)
        assert moved.status_code == 303, moved.text
        text = issue_yaml.read_text(encoding="utf-8")
        assert "  honoring: []\n" in text
        assert "שיחי}\n    - shagalov-esther-shaindel\n  memorial_boxes:" in text
        settle(served, before)
        rows = served.desk.status().snapshot.rows
        assert [(r.role, r.key) for r in rows if r.role == "sponsors"] == [
            ("sponsors", SPONSORS), ("sponsors", "shagalov-esther-shaindel")
        ]  # fmt: skip
        assert "Dovid Osniel" in page_text(served.desk.status().snapshot.result.pdf, 1)


def test_a_stale_edit_is_refused_in_one_line_and_nothing_is_written(served: Served) -> None:
    files = [served.folder / "issue.yaml", served.folder.parent / "people.yaml"]
    before = [f.read_bytes() for f in files]
    _, fields = edit_page(served, "memorials", 1, "ekman-dovid-asniel")
    fields.update(edit_index="0", given="Dovid Osniel")  # item 1 is another record now
    answer = served.client.post("/dedications/edit", data=fields, headers=ORIGIN)
    assert answer.status_code == 400
    assert _slot(answer.text, "form") == [
        f"{files[0]}: not saved: item 1 of memorials is no longer &#39;ekman-dovid-asniel&#39; "
        "(the file changed): reload the page"
    ]
    assert 'name="edit_key" value="ekman-dovid-asniel"' in answer.text  # still editing
    assert [f.read_bytes() for f in files] == before
    page = served.client.get(
        "/", params={"edit_role": "memorials", "edit_index": 0, "edit_key": "ekman-dovid-asniel"}
    )
    assert page.status_code == 400 and "cannot edit: item 1 of memorials is no longer" in page.text


def test_a_bad_date_in_an_edit_is_refused_and_nothing_is_written(served: Served) -> None:
    files = [served.folder / "issue.yaml", served.folder.parent / "people.yaml"]
    before = [f.read_bytes() for f in files]
    action, fields = edit_page(served, "memorials", 1, "ekman-dovid-asniel")
    fields["passed"] = "2026-02-30"
    answer, line = refused_beside(served, action, fields, "passed")
    assert re.fullmatch(
        r".*people\.yaml:\d+: not saved: date of passing: cannot read the date "
        r"&#39;2026-02-30&#39; \(write e\.g\. &#39;21 Tamuz, 5766&#39;\)",
        line,
    )
    assert 'value="2026-02-30"' in answer.text and "Save changes" in answer.text
    assert [f.read_bytes() for f in files] == before


def refused_beside(
    served: Served, action: str, data: dict[str, str], field: str
) -> tuple[Any, str]:
    """A form sent and refused: the answer, and the one line beside the field."""
    answer = served.client.post(action, data=data, headers=ORIGIN)
    assert answer.status_code == 400
    [line] = _slot(answer.text, field)
    return answer, line


def _slot(html: str, field: str) -> list[str]:
    """The one-line errors shown beside a field of the form."""
    slot = re.search(rf'id="error-{field}" role="alert">(.*?)</p>', html, re.S)
    assert slot is not None
    return re.findall(r"<span>(.*?)</span>", slot.group(1))


def test_a_proof_is_made_for_the_sponsor_and_shown_with_its_files(served: Served) -> None:
    answer = served.client.post(
        "/dedications/proof", data={"key": "ekman-dovid-asniel"}, headers=ORIGIN
    )
    assert answer.status_code == 200, answer.text
    folder = served.desk.output / "shemot-5786" / "proofs"
    pdf = folder / "shemot-5786-ekman-dovid-asniel-inside-cover.pdf"
    png = pdf.with_suffix(".png")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Dovid Asniel" in text and "Ekman" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    Image.open(png).verify()
    section = answer.text.split('id="proof"')[1].split("</div>")[0]
    root = served.folder.parent.parent
    links = {f"/files/{path.relative_to(root)}" for path in (pdf, png)}
    assert set(re.findall(r'href="([^"]+)"', section)) == links
    assert re.search(rf'<img src="{re.escape(f"/files/{png.relative_to(root)}")}"', section)
    for link in links:
        served_file = served.client.get(link)
        assert served_file.status_code == 200
        assert served_file.content == (root / link.removeprefix("/files/")).read_bytes()
    unknown = served.client.post("/dedications/proof", data={"key": "no-one"}, headers=ORIGIN)
    assert unknown.status_code == 400 and "unknown person &#39;no-one&#39;" in unknown.text
    foreign = served.client.post(
        "/dedications/proof", data={"key": "ekman-dovid-asniel"}, headers={"Origin": "null"}
    )
    assert foreign.status_code == 403


# -- memorial boxes ---------------------------------------------------------------------------

BOX = {
    "role": "memorial_boxes",
    "person": "ekman-dovid-asniel",
    "donors": "wolf-gershon-leah, shagalov-yosef-gittel",
    "heading": "IN LOVING MEMORY OF A DEAR UNCLE",
}
ROSNER = (
    "    - person: rosner-yosef-yisroel\n      donors: [wolf-gershon-leah, shagalov-yosef-gittel]\n"
)


def boxes_page(served: Served) -> str:
    """The text of the memorial boxes' page of the last build's reader PDF (pypdf)."""
    snapshot = served.desk.status().snapshot
    [number] = [p.number for p in snapshot.pages if p.part == "memorial-boxes"]
    return PdfReader(snapshot.result.pdf).pages[number - 1].extract_text()


def box_rows(served: Served) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """The memorial boxes' rows of the last build: index, key, heading, donors."""
    rows = served.desk.status().snapshot.rows
    return [(r.index, r.key, r.heading, r.donors) for r in rows if r.role == "memorial_boxes"]


def remove_row(served: Served, row: Row) -> None:
    """A row's Remove button, pressed; it must be done."""
    answer = served.client.post(
        "/dedications/remove",
        data={"role": row.role, "index": row.index, "key": row.key, "digest": row.digest},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def test_memorial_boxes_are_listed_with_their_donors_as_printed(served: Served) -> None:
    page = served.client.get("/").text
    group = page.split('data-role="memorial_boxes"')[1].split("</ol>")[0]
    assert "<h4>Memorial boxes</h4>" in page and group.count("<li>") == 4
    assert '<option value="memorial_boxes">Memorial box</option>' in page
    first = group.split("</li>")[0]
    assert '<span class="box-heading" dir="ltr">IN LOVING MEMORY OF A DEAR FRIEND</span>' in first
    assert "Reb Yosef Yisroel ben Reb Sholom ע״ה Rosner" in first
    assert (
        '<span class="donors" dir="ltr">DEDICATED BY HIS FRIENDS: Mr. &amp; Mrs. Gershon' in first
    )
    assert 'name="place" value="memorial-box"' in first and 'name="digest" value="' in first
    last = group.split("</li>")[3]
    assert "DEDICATED BY HER FRIENDS תחיינה</span>" in last  # no donors: the line as written
    rows = served.client.get("/api/status").json()["rows"]
    [rosner] = [r for r in rows if r["role"] == "memorial_boxes" and r["index"] == 0]
    assert rosner["key"] == "rosner-yosef-yisroel" and rosner["place"] == "memorial-box"
    assert len(rosner["donors"]) == 2 and rosner["dirs"]["heading"] == "ltr"


def test_a_memorial_box_added_lands_in_issue_yaml_and_the_next_pdf(served: Served) -> None:
    with kept_as_they_were(served) as (issue_yaml, people_yaml):
        original, people = issue_yaml.read_text(encoding="utf-8"), people_yaml.read_bytes()
        shown = served.client.get("/api/preview", params=BOX).json()
        assert shown["ok"] and shown["line"].startswith("IN LOVING MEMORY OF A DEAR UNCLE: Reb")
        before = served.desk.status().attempt
        answer = served.client.post("/dedications/add", data=BOX, headers=ORIGIN,
                                    follow_redirects=False)  # fmt: skip
        assert answer.status_code == 303, answer.text
        added = ("    - heading: IN LOVING MEMORY OF A DEAR UNCLE\n"
                 "      person: ekman-dovid-asniel\n"
                 "      donors: [wolf-gershon-leah, shagalov-yosef-gittel]\n")  # fmt: skip
        assert issue_yaml.read_text(encoding="utf-8") == original + added  # comments kept
        assert people_yaml.read_bytes() == people
        settle(served, before)
        assert served.desk.status().snapshot.how == "own pages"
        text = boxes_page(served)
        assert "A DEAR UNCLE" in text and "Dovid Asniel" in text and "Ekman" in text
        assert "Gershon" in text.split("A DEAR UNCLE")[1]
        assert box_rows(served)[-1][:2] == (4, "ekman-dovid-asniel")
        message = served.client.get(answer.headers["location"]).text
        assert "Added ekman-dovid-asniel (memorial box)" in message


def test_a_memorial_box_is_edited_in_place_keeping_what_the_form_does_not_show(
    served: Served,
) -> None:
    """The third box: its heading changed and a donor added; its 'dedicated_by' line and
    its donor written in full stay as written."""
    with kept_as_they_were(served) as (issue_yaml, _):
        original = issue_yaml.read_text(encoding="utf-8")
        action, fields = edit_page(served, "memorial_boxes", 2, "signer-chaim-menachem")
        assert fields["role"] == "memorial_boxes" and fields["person"] == "signer-chaim-menachem"
        assert fields["heading"] == "IN LOVING MEMORY OF" and fields["edit_digest"]
        assert fields["donors"] == "shagalov-yosef-yitzchok-gittel-rochel"  # its record's key
        assert fields["given"] == "Chaim Menachem"  # the person's record, as for any entry
        fields.update(heading="IN LOVING MEMORY OF OUR TEACHER",
                      donors=fields["donors"] + ", wolf-gershon-leah")  # fmt: skip
        before = served.desk.status().attempt
        answer = served.client.post(action, data=fields, headers=ORIGIN, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        donor = "        - {title: Rabbi & Mrs., given: [Yosef Yitzchok, Gittel Rochel]"
        donor += ", honorific: שיחי, surname: Shagalov}\n"
        expected = original.replace(
            "    - heading: IN LOVING MEMORY OF\n",
            "    - heading: IN LOVING MEMORY OF OUR TEACHER\n",
        ).replace(donor, donor + "        - wolf-gershon-leah\n")
        assert expected != original and issue_yaml.read_text(encoding="utf-8") == expected
        settle(served, before)
        text = boxes_page(served)
        assert "OUR TEACHER" in text and "Wolf" in text.split("OUR TEACHER")[1]
        assert [r[:3] for r in box_rows(served)][2] == (
            2, "signer-chaim-menachem", "IN LOVING MEMORY OF OUR TEACHER"
        )  # fmt: skip


def test_a_box_edit_keeps_its_flow_list(served: Served) -> None:
    """The first box: a donor taken off, a heading of its own, its donors still a flow list."""
    with kept_as_they_were(served) as (issue_yaml, _):
        original = issue_yaml.read_text(encoding="utf-8")
        action, fields = edit_page(served, "memorial_boxes", 0, "rosner-yosef-yisroel")
        fields.update(donors="wolf-gershon-leah", heading="IN LOVING MEMORY OF A DEAR TEACHER")
        answer = served.client.post(action, data=fields, headers=ORIGIN, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        rosner = ("    - heading: IN LOVING MEMORY OF A DEAR TEACHER\n"
                  "      person: rosner-yosef-yisroel\n      donors: [wolf-gershon-leah]\n")  # fmt: skip
        assert issue_yaml.read_text(encoding="utf-8") == original.replace(ROSNER, rosner)


def test_an_unknown_donor_or_none_is_one_line_beside_the_donors(served: Served) -> None:
    files = [served.folder / "issue.yaml", served.folder.parent / "people.yaml"]
    before = [f.read_bytes() for f in files]
    unknown = {**BOX, "donors": "wolf-gershon-leah, wolf-gershom"}
    answer, line = refused_beside(served, "/dedications/add", unknown, "donors")
    assert re.fullmatch(
        r".*issue\.yaml:\d+: not added: unknown person &#39;wolf-gershom&#39;: not in "
        r"people\.yaml \(did you mean &#39;wolf-gershon-leah&#39;\?\)",
        line,
    )
    assert 'value="wolf-gershon-leah, wolf-gershom"' in answer.text  # what was typed is kept
    assert 'id="box-fields" class="box-fields">' in answer.text  # shown, not hidden
    [line] = _slot(served.client.post(
        "/dedications/add", data={**BOX, "donors": "Wolf!"}, headers=ORIGIN).text, "donors")  # fmt: skip
    assert "--donor: &#39;Wolf!&#39; is not a people key" in line
    none = served.client.post("/dedications/add", data={**BOX, "donors": ""}, headers=ORIGIN)
    [line] = _slot(none.text, "donors")
    assert "not added: a memorial box names who dedicated it" in line
    shown = served.client.get("/api/preview", params=unknown).json()
    assert not shown["ok"] and shown["field"] == "donors"
    assert [f.read_bytes() for f in files] == before


def test_a_stale_box_is_neither_saved_nor_removed(served: Served) -> None:
    """The first box's donors changed on disk after the page showed it: the same person,
    another box."""
    with kept_as_they_were(served) as (issue_yaml, _):
        action, fields = edit_page(served, "memorial_boxes", 0, "rosner-yosef-yisroel")
        group = served.client.get("/").text.split('data-role="memorial_boxes"')[1]
        digest = re.search(r'name="digest" value="([0-9a-f]+)"', group)
        assert digest is not None and digest.group(1) == fields["edit_digest"]
        changed = issue_yaml.read_text(encoding="utf-8").replace(
            ROSNER, ROSNER.replace(", shagalov-yosef-gittel", "")
        )
        issue_yaml.write_text(changed, encoding="utf-8")
        fields["heading"] = "IN LOVING MEMORY OF A DEAR TEACHER"
        answer = served.client.post(action, data=fields, headers=ORIGIN)
        assert answer.status_code == 400
        stale = (f"{issue_yaml}: {{}}: item 1 of memorial_boxes (&#39;rosner-yosef-yisroel&#39;) "
                 "changed in the file since the page showed it: reload the page")  # fmt: skip
        assert _slot(answer.text, "form") == [stale.format("not saved")]
        place = {"role": "memorial_boxes", "index": "0", "key": "rosner-yosef-yisroel"}
        gone = served.client.post(
            "/dedications/remove", data={**place, "digest": digest.group(1)}, headers=ORIGIN
        )
        assert gone.status_code == 400 and stale.format("not removed") in gone.text
        assert issue_yaml.read_text(encoding="utf-8") == changed


def test_a_memorial_box_removed_leaves_the_pdf(served: Served) -> None:
    with kept_as_they_were(served) as (issue_yaml, _):
        assert "Fleischman" in boxes_page(served)
        [row] = [r for r in served.desk.status().snapshot.rows if r.key.startswith("fleischman")]
        before = served.desk.status().attempt
        remove_row(served, row)
        text = issue_yaml.read_text(encoding="utf-8")
        assert "fleischman" not in text and ROSNER in text and "# Names are keys" in text
        settle(served, before)
        assert "Fleischman" not in boxes_page(served) and "Rosner" in boxes_page(served)
        assert [r[1] for r in box_rows(served)] == [
            "rosner-yosef-yisroel", "signer-chaim-menachem", "mariani-esther"
        ]  # fmt: skip


def test_the_proof_of_a_box_is_its_persons_memorial_box_page(served: Served) -> None:
    place = {"key": "rosner-yosef-yisroel", "place": "memorial-box"}
    answer = served.client.post("/dedications/proof", data=place, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    assert re.findall(r'data-place="([^"]+)"', answer.text) == ["memorial-box"]
    folder = served.desk.output / "shemot-5786" / "proofs"
    reader = PdfReader(folder / "shemot-5786-rosner-yosef-yisroel-memorial-box.pdf")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Yosef Yisroel" in text and "Rosner" in text
    elsewhere = {"key": "shagalov-schneur-zalman", "place": "memorial-box"}
    refused = served.client.post("/dedications/proof", data=elsewhere, headers=ORIGIN)
    assert refused.status_code == 400
    assert (
        "&#39;shagalov-schneur-zalman&#39; is not printed on the memorial box page" in refused.text
    )


def test_a_hebrew_box_is_listed_right_to_left_and_removed(served: Served) -> None:
    """The Hebrew issue's box, its person and donors written in full in Hebrew."""
    issue_yaml = served.folder.parent / "shemot-5786-he" / "issue.yaml"
    original = issue_yaml.read_bytes()
    before = served.desk.status().attempt
    served.client.post("/select", data={"issue": "shemot-5786-he"}, headers=ORIGIN)
    try:
        settle(served, before)
        page = served.client.get("/").text
        group = page.split('data-role="memorial_boxes"')[1].split("</ol>")[0]
        assert group.count("<li>") == 1
        assert '<span class="box-heading" dir="rtl">לעילוי נשמת ידידנו היקר</span>' in group
        assert re.search(r'<span class="line" dir="rtl">ר׳ יעקב בן ר׳ צבי הירש ע״ה שטרן', group)
        assert (
            '<span class="donors" dir="rtl">הונצח ע״י ידידיו: ר׳ אהרן וזוגתו מרת מלכה שיחיו גרין; ר׳ יהודה'
            in group
        )
        [row] = [r for r in served.desk.status().snapshot.rows if r.role == "memorial_boxes"]
        assert len(row.donors) == 2 and "נדבת" not in row.dedicated_by  # its own line
        before = served.desk.status().attempt
        remove_row(served, row)
        assert "  memorial_boxes: []\n" in issue_yaml.read_text(encoding="utf-8")
        settle(served, before)
        snapshot = served.desk.status().snapshot
        assert not [r for r in snapshot.rows if r.role == "memorial_boxes"]
        assert "memorial-boxes" not in {p.part for p in snapshot.pages}
    finally:
        issue_yaml.write_bytes(original)
        before = served.desk.status().attempt
        served.client.post("/select", data={"issue": "shemot-5786"}, headers=ORIGIN)
        settle(served, before)


def test_script_typed_in_a_field_comes_back_escaped(served: Served) -> None:
    typed = "<script>alert(1)</script>"
    answer = served.client.post(
        "/dedications/add",
        data={"role": "memorials", "given": typed, "surname": "X", "passed": typed},
        headers=ORIGIN,
    )
    assert answer.status_code == 400
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert "<script>alert" not in answer.text
    assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_this_weeks_yahrzeits_are_listed_with_a_button_to_add_them(served: Served) -> None:
    people = served.folder.parent / "people.yaml"
    before = served.desk.status().attempt
    with people.open("a", encoding="utf-8") as stream:  # 18 Tevet: Wednesday of Shemot 5786
        stream.write("\nlevin-yaakov:\n  title: Reb\n  given: Yaakov\n  surname: Levin\n"
                     "  hebrew_given: יעקב\n  passed: 18 Tevet 5780\n")  # fmt: skip
    settle(served, before)  # the watcher saw the people file change
    section = served.client.get("/").text.split('id="yahrzeits"')[1].split("</section>")[0]
    assert "Week ending Shabbat Sat 10 Jan 2026 (Shemot)" in section
    row = re.search(r"<tr>(.*?)</tr>", section, re.S)
    assert row is not None and "Wed 07 Jan" in row.group(1) and "18 Tevet, 5786" in row.group(1)
    assert "Yaakov Levin" in row.group(1) and 'value="levin-yaakov"' in row.group(1)


def test_a_broken_file_shows_its_one_line_error_and_keeps_the_last_pages(served: Served) -> None:
    issue_yaml = served.folder / "issue.yaml"
    original = issue_yaml.read_text(encoding="utf-8")
    good = served.desk.status().snapshot.build
    before = served.desk.status().attempt
    try:
        issue_yaml.write_text(original.replace("volume: 13", "volume: thirteen"), "utf-8")
        status = served.desk.wait(before)
        assert status.state == "failed" and status.snapshot.build == good
        assert status.errors == (
            f"{issue_yaml}:4: 'volume' must be a whole number, not text ('thirteen')",
        )
        page = served.client.get("/").text
        assert "&#39;volume&#39; must be a whole number" in page and "/page/16.png" in page
    finally:
        before = served.desk.status().attempt
        issue_yaml.write_text(original, encoding="utf-8")
        settle(served, before)


def test_an_issue_and_an_edition_can_be_opened(served: Served) -> None:
    before = served.desk.status().attempt
    answer = served.client.post(
        "/select",
        data={"issue": "shemot-5786", "edition": "crown-heights"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    settle(served, before)
    status = served.client.get("/api/status").json()
    assert status["edition"] == "crown-heights" and "crown-heights" in status["downloads"]["reader"]
    page = served.client.get("/").text
    assert '<option value="crown-heights" selected>' in page
    assert '<option value="shemot-5786-haftorah">' in page
    refused = served.client.post("/select", data={"issue": "../.."}, headers=ORIGIN)
    assert refused.status_code == 400 and "is not an issue folder" in refused.text
    before = served.desk.status().attempt
    served.client.post("/select", data={"issue": "shemot-5786", "edition": ""}, headers=ORIGIN)
    settle(served, before)
    assert served.desk.status().snapshot.edition is None


def test_saved_files_rebuild_and_findings_sit_beside_their_page(served: Served) -> None:
    """The watcher sees the saves (a stylesheet, an essay, issue.yaml naming the
    stylesheet); the preflight's RGB finding is shown with its page, the essay's warning
    above the pages."""
    essay = served.folder / "essays" / "moses-and-moshiach.md"
    issue_yaml = served.folder / "issue.yaml"
    texts = {path: path.read_text(encoding="utf-8") for path in (essay, issue_yaml)}
    before = served.desk.status().attempt
    try:
        (served.folder / "red.css").write_text(".article p { color: rgb(200, 0, 0) }\n")
        essay.write_text(texts[essay] + "A line of its own\n", encoding="utf-8")
        issue_yaml.write_text(texts[issue_yaml] + "stylesheets: [red.css]\n", encoding="utf-8")
        for _ in range(3):  # the saves may come as more than one change
            settle(served, before)
            status = served.desk.wait_for_notes()
            if any("RGB" in n.text for n in status.snapshot.notes):
                break
            before = status.attempt
        assert status.snapshot.how == "whole issue"
        answer = served.client.get("/api/status").json()
        pages = answer["pages"]
        noted = [p["number"] for p in pages if any("RGB" in n["text"] for n in p["notes"])]
        assert noted and set(noted) <= {p["number"] for p in pages if p["part"] == "content"}
        assert any(
            "a single line break after a whole paragraph" in n["text"] for n in answer["notes"]
        )
        html = served.client.get("/").text
        figure = re.search(
            rf'<figure class="page" data-number="{noted[0]}".*?</figure>', html, re.S
        )
        assert figure is not None and "print master: " in figure.group() and "RGB" in figure.group()
    finally:
        before = served.desk.status().attempt
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")
        served.desk.request_build()
        settle(served, before)


def test_the_editions_are_built_and_sent_to_a_print_queue(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lp = tmp_path / "bin" / "lp"
    lp.parent.mkdir()
    log = tmp_path / "lp.log"
    lp.write_text(
        f"#!{sys.executable}\nimport sys\nargs = sys.argv[1:]\n"
        f"open({str(log)!r}, 'a').write(' '.join(args) + '\\n')\n"
        "print('request id is ' + args[args.index('-d') + 1] + '-7 (1 file(s))')\n"
    )
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{lp.parent}{os.pathsep}{os.environ['PATH']}")
    answer = served.client.post("/print", data={"queue": "office"}, headers=ORIGIN)
    assert answer.status_code == 200, answer.text
    result = re.search(r'id="print-result">(.*?)</p>', answer.text)
    assert result is not None
    assert result.group(1).startswith("3 editions: 3 built, 0 unchanged; office: 3 sent")
    assert len(log.read_text().splitlines()) == 3
    wrong = served.client.post("/print", data={"queue": "no such queue"}, headers=ORIGIN)
    assert wrong.status_code == 400
    assert "--queue &#39;no such queue&#39;: a queue name is letters" in wrong.text


# -- the guard --------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "evil.example"])
def test_a_host_header_of_another_name_is_refused(served: Served, host: str) -> None:
    answer = served.client.get("/api/status", headers={"Host": host})
    assert answer.status_code == 400 and "is not this desk's address" in answer.text


def test_a_post_from_another_origin_is_refused(served: Served) -> None:
    files = [served.folder / "issue.yaml", served.folder.parent / "people.yaml"]
    before = [f.read_bytes() for f in files]
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
        {},  # neither: refused too
    ):
        answer = served.client.post("/dedications/add", data=KATZ, headers=headers)
        assert answer.status_code == 403, headers
    assert [f.read_bytes() for f in files] == before
    same = served.client.post(
        "/select",
        data={"issue": "shemot-5786"},
        headers={"Referer": f"{BASE}/"},
        follow_redirects=False,
    )
    assert same.status_code == 303


def test_a_path_outside_the_project_is_refused(served: Served) -> None:
    content = served.folder.parent
    (content.parent / "secret.txt").write_text("not the desk's to serve")
    link = content / "escape.txt"
    link.symlink_to("/etc/hostname")
    try:
        for path in (
            "/files/%2e%2e/%2e%2e/%2e%2e/etc/hostname",
            "/files/secret.txt",
            "/files/content/escape.txt",
            "/files//etc/hostname",
            "/static/%2e%2e/%2e%2e/pyproject.toml",
            "/static/fonts/%2e%2e/build.py",
        ):
            assert served.client.get(path).status_code in (403, 404), path
        assert served.client.get("/files/content/shemot-5786/issue.yaml").status_code == 200
        assert served.client.get("/static/desk.js").status_code == 200
    finally:
        link.unlink()


def test_the_token_is_required_on_another_interface(served: Served) -> None:
    with pytest.raises(PamphletError, match="give --token too"):
        check_binding("0.0.0.0", None)
    run = run_build("serve", "--host", "0.0.0.0", "--no-browser")
    assert run.returncode == 1 and "give --token too" in run.stderr
    token = "a-long-enough-secret-42"
    app = create_app(served.desk, own_hosts("192.0.2.7", PORT), token, PORT)
    client = TestClient(app, base_url=f"http://192.0.2.7:{PORT}")  # no lifespan: desk shared
    assert client.get("/api/status").status_code == 403
    assert client.get("/api/status", params={"token": "wrong"}).status_code == 403
    first = client.get("/", params={"token": token})
    assert first.status_code == 200 and f"desk-token-{PORT}" in first.headers["set-cookie"]
    assert client.get("/api/status").status_code == 200  # the cookie carries it now
    assert client.get("/api/status", headers={"Host": f"127.0.0.1:{PORT}"}).status_code == 400


# -- end to end: the real server and a real browser -------------------------------------------

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _chromium() -> None:
    """Debian's chromium and chromium-driver, installed through apt-get when missing; a
    skip with the reason where that cannot be done."""
    if Path(CHROMIUM).exists() and Path(DRIVER).exists():
        return
    if os.geteuid() != 0:
        pytest.skip("chromium and chromium-driver are missing, and only root can apt-get them")
    if shutil.which("apt-get") is None:
        pytest.skip("chromium and chromium-driver are missing, and there is no apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]
    with FileLock("/tmp/pamphlet-apt-chromium.lock"):
        for command in (install, ["apt-get", "update", "-qq"], install):
            try:
                subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
            except subprocess.TimeoutExpired:
                pytest.skip(f"{' '.join(command)} took more than 15 minutes")
            if Path(CHROMIUM).exists() and Path(DRIVER).exists():
                return
    pytest.skip("apt-get could not install chromium and chromium-driver")


@contextlib.contextmanager
def real_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python build.py serve FOLDER --port 0 --no-browser` until the block ends; its URL."""
    log = folder.parent.parent / "serve.log"
    with log.open("w") as errors:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", str(folder), "--port", "0",
             "--no-browser"],
            cwd=folder.parent.parent, stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
        try:
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            url = proc.stdout.readline().strip() if ready else ""
            assert url.startswith("http://127.0.0.1:"), log.read_text()
            _wait_ready(url)
            yield url, proc
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_ready(url: str) -> None:
    import json

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "api/status", timeout=5) as answer,
        ):
            if json.load(answer)["state"] == "ready":
                return
        time.sleep(0.2)
    raise AssertionError("the desk did not build its first issue in 60 s")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """A headless Chromium (Debian's), a fresh profile, through chromium-driver."""
    _chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def test_a_person_adds_a_memorial_in_hebrew_and_sees_the_page_change(
    browser: object, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver: object = browser
    folder = copy_content(tmp_path / "project")
    issue_yaml, people_yaml = folder / "issue.yaml", folder.parent / "people.yaml"
    wait = WebDriverWait(driver, 30)  # type: ignore[arg-type]
    with real_server(folder) as (url, _):
        driver.get(url)  # type: ignore[attr-defined]
        inside = 'img[data-part="inside-cover"]'
        old = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, inside)))
        old_src = old.get_attribute("src")

        # a new memorial, its names typed in Hebrew too
        find = driver.find_element  # type: ignore[attr-defined]

        def field(name: str) -> object:
            return find(By.CSS_SELECTOR, f'#add-form [name="{name}"]')

        Select(field("role")).select_by_value("memorials")
        find(By.CSS_SELECTOR, "#new-record summary").click()
        for name, value in KATZ.items():
            if name == "relation":
                Select(field(name)).select_by_value(value)
            elif name != "role":
                field(name).send_keys(value)  # type: ignore[attr-defined]
        hebrew = field("hebrew_given")
        assert hebrew.get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
        assert hebrew.get_attribute("value") == "מנחם מענדל"  # type: ignore[attr-defined]
        assert field("given").get_attribute("dir") == "auto"  # type: ignore[attr-defined]
        wait.until(seen.text_to_be_present_in_element((By.ID, "preview-line"), "Menachem Mendel"))
        assert find(By.ID, "preview-hebrew").text == "י״ב טבת תש״פ"
        find(By.ID, "add").click()
        wait.until(seen.text_to_be_present_in_element((By.ID, "message"), "katz-menachem-mendel"))

        def changed(driver: object) -> bool:
            src = driver.find_element(By.CSS_SELECTOR, inside).get_attribute("src")  # type: ignore[attr-defined]
            return src != old_src and "state-ready" in find(By.ID, "state").get_attribute("class")

        wait.until(changed)
        reader = next((folder.parent.parent / "output" / "desk").rglob("*-shemot-5786.pdf"))
        text = page_text(reader, 1)
        order = ["Shagalov", "Ekman", "Marenburg", "Santiago", "Katz", "Esther Shaindel"]
        assert [text.index(word) for word in order] == sorted(text.index(w) for w in order)

        # a bad date: the one-line error beside the field, nothing written
        before = issue_yaml.read_bytes(), people_yaml.read_bytes()
        find(By.CSS_SELECTOR, "#new-record summary").click()
        for name, value in BAD_DATE.items():
            if name != "role":
                field(name).send_keys(value)  # type: ignore[attr-defined]
        find(By.ID, "add").click()
        error = wait.until(seen.visibility_of_element_located((By.ID, "error-passed")))
        lines = error.text.strip().splitlines()
        assert len(lines) == 1 and "not added: date of passing: cannot read the date" in lines[0]
        assert (issue_yaml.read_bytes(), people_yaml.read_bytes()) == before
