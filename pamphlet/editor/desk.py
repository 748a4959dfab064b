"""The editor's desk: a local web page over the warm builder (`python build.py serve`).

Starlette + uvicorn: a small, well-kept ASGI toolkit and its reference server, with a test
client, plain functions as routes and no templating or ORM of its own (the project's own
Jinja2 renders the page, autoescaped, from layouts/desk/).

The page shows every page of the open issue (or edition) as an image, rebuilt within
seconds of a save; the preflight's findings beside their page; the dedications, with a
form that adds one (a people record found by name, or a new record with Hebrew fields)
through the same validated round trip as `dedications add`, changes one in place (its
record too) and removes one, and each one's proof for the sponsor; this week's yahrzeits;
the PDFs to download; and a form that sends the editions to a print queue.

Safety: it listens on 127.0.0.1 unless told `--host` together with `--token` (then every
request carries the token, in the query once and then in a cookie); it answers only
requests whose Host is its own host:port (DNS rebinding) and POSTs whose Origin (or
Referer) is its own (cross-site forms); it serves only the content tree's and its output
folder's files, symbolic links resolved; every value reaches the page autoescaped, and a
strict Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

import contextlib
import datetime
import hmac
import ipaddress
import mimetypes
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..direction import first_strong_direction
from ..editing import Addition, Place, as_text, civil_or_hebrew
from ..errors import PamphletError
from ..files import is_inside
from ..pipeline import load_series_people, series_of
from ..settings import bundled
from . import live
from .live import LiveDesk

MAX_FIELD = 200  # characters of one form field
MAX_BODY = 64 * 1024  # bytes of one request body
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TOKEN = re.compile(r"[A-Za-z0-9._~-]{16,256}")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}
INLINE = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
# The new record's fields: name, label, direction, hint.
RECORD_FIELDS = [
    ("title", "Title", "auto", "Reb, Mrs., Rabbi & Mrs."),
    ("given", "Given names", "auto", "Schneur Zalman"),
    ("relation", "ben / bas", "ltr", ""),
    ("parent", "Parent's given names", "auto", "Yitzchok Elchonon"),
    ("parent_title", "Parent's title", "auto", "Reb, Horav"),
    ("surname", "Surname", "auto", "Shagalov"),
    ("hebrew_title", "Title in Hebrew", "rtl", "ר׳, הרב, מרת"),
    ("hebrew_given", "Given names in Hebrew", "rtl", "שניאור זלמן"),
    ("hebrew_surname", "Surname in Hebrew", "rtl", "שגלוב"),
    ("parent_hebrew_given", "Parent's names in Hebrew", "rtl", "יצחק אלחנן"),
    ("passed", "Date of passing", "auto", "21 Tamuz 5766, 2006-07-17 or כ״א תמוז תשס״ו"),
    ("honorific", "Honorific, if not the computed one", "rtl", ""),
    ("key", "Key to file it under", "ltr", "from the names"),
]
CHECKBOXES = [("after_sunset", "passed after sunset"), ("rabbi", "a rabbi")]
# Where each field of the form goes in a people record (a parent's fields in `parent`).
FORM_RECORD: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "given": ("given",),
    "relation": ("relation",),
    "parent": ("parent", "given"),
    "parent_title": ("parent", "title"),
    "surname": ("surname",),
    "hebrew_title": ("hebrew_title",),
    "hebrew_given": ("hebrew_given",),
    "hebrew_surname": ("hebrew_surname",),
    "parent_hebrew_given": ("parent", "hebrew_given"),
    "passed": ("passed",),
    "honorific": ("honorific",),
    "after_sunset": ("passed_after_sunset",),
    "rabbi": ("rabbi",),
}
COUPLE = " & "  # between a couple's given names in a field: "Yosef Y. & Gittel Rochel"
EDITING = ("edit_role", "edit_index", "edit_key", "edit_digest")  # the entry the form changes
ROLE_LABELS = {
    "memorials": "In memory of",
    "honoring": "In honor of",
    "sponsors": "Dedicated by",
    "memorial_boxes": "Memorial box",
}
ROW_HEADINGS = {**ROLE_LABELS, "memorial_boxes": "Memorial boxes"}
BOX_FIELDS = ("donors", "heading")  # a memorial box's own fields in the form
PROOF_PLACES = {"memorial_boxes": "memorial-box"}  # a row's proof: its page (else all)
DONORS = re.compile(r"[\s,]+")  # between the donors' keys


# -- starting -------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether an interface is this computer's own (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Another interface than this computer's own only with a token worth the name."""
    if not is_loopback(host) and not token:
        raise PamphletError(
            f"--host {host}: the desk would be open to the network; give --token too (a "
            "secret of 16 characters or more, e.g. from `python -c 'import secrets; "
            "print(secrets.token_urlsafe())'`)"
        )
    if token is not None and not TOKEN.fullmatch(token):
        raise PamphletError(
            "--token must be 16 or more letters, digits, '-', '_', '.' or '~' (it travels "
            "in the address and a cookie)"
        )


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to the interface and port (0: any free port), or a one-line error."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
    except OSError as err:
        raise PamphletError(
            f"cannot listen on {host}:{port}: {err.strerror or err} (another --port?)"
        ) from None
    sock.listen(128)
    return sock


def own_hosts(host: str, port: int) -> set[str]:
    """The Host headers that name this desk: its interface (this computer's names for a
    loopback one; the machine's names and addresses for every interface) and its port."""
    names = {host}
    if is_loopback(host):
        names |= set(LOOPBACK_NAMES)
    elif host in ("0.0.0.0", "::", ""):
        names |= {*LOOPBACK_NAMES, socket.gethostname(), socket.getfqdn()}
        with contextlib.suppress(OSError):
            names |= {str(i[4][0]) for i in socket.getaddrinfo(socket.gethostname(), None)}
    shown = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names if n}
    hosts = {f"{n}:{port}".lower() for n in shown}
    return hosts | ({n.lower() for n in shown} if port == 80 else set())


def address(host: str, port: int, token: str | None) -> str:
    """The desk's address as a person opens it (with the token, when there is one)."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + (f"?token={quote(token)}" if token else "")


def run(app: ASGIApp, sock: socket.socket, started: Callable[[], None] = lambda: None) -> None:
    """Serve until Ctrl-C (uvicorn); `started` is called once the desk answers."""
    config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        lifespan="on",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)

    def watch() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            started()

    threading.Thread(target=watch, name="desk-started", daemon=True).start()
    server.run(sockets=[sock])


# -- the guard --------------------------------------------------------------------------------


class Guard:
    """Refuses what a local page must not answer: another Host (DNS rebinding), a POST
    from another origin (cross-site forms), a request without the token; adds the
    security headers to every answer."""

    def __init__(self, app: ASGIApp, hosts: set[str], token: str | None, cookie: str):
        self.app, self.hosts, self.token, self.cookie = app, hosts, token, cookie
        self.origins = {f"http://{h}" for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # the desk speaks no websocket: refused unread
            await send({"type": "websocket.close", "code": 1008})
            return
        conn = HTTPConnection(scope)
        refusal = self._refusal(conn)
        if refusal is not None:
            status, text = refusal
            await PlainTextResponse(text, status, dict(HEADERS))(scope, receive, send)
            return
        from_query = self.token is not None and conn.query_params.get("token") == self.token

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if from_query:
                    headers.append(
                        "set-cookie",
                        f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict",
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(self, conn: HTTPConnection) -> tuple[int, str] | None:
        host = conn.headers.get("host", "").lower()
        if host not in self.hosts:
            return 400, f"refused: Host '{host[:80]}' is not this desk's address"
        if self.token is not None:
            given = conn.query_params.get("token") or conn.cookies.get(self.cookie) or ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return 403, "refused: this desk needs its token (open the address `serve` printed)"
        if conn.scope["method"] not in SAFE_METHODS and not self._same_origin(conn):
            return 403, "refused: a form sent from another site"
        return None

    def _same_origin(self, conn: HTTPConnection) -> bool:
        origin = conn.headers.get("origin")
        if origin is not None:
            return origin.lower() in self.origins
        referer = urlsplit(conn.headers.get("referer", ""))
        return f"{referer.scheme}://{referer.netloc}".lower() in self.origins


# -- the app ----------------------------------------------------------------------------------


def create_app(desk: LiveDesk, hosts: set[str], token: str | None = None, port: int = 0) -> Any:
    """The desk's web app for one LiveDesk, answering only to `hosts` (see `own_hosts`)."""
    pages = _Pages(desk)
    routes = [
        Route("/", pages.index),
        Route("/api/status", pages.status),
        Route("/api/people", pages.people),
        Route("/api/preview", pages.preview),
        Route("/page/{number:int}.png", pages.page_image),
        Route("/files/{path:path}", pages.files),
        Route("/static/{path:path}", pages.static),
        Route("/select", pages.select, methods=["POST"]),
        Route("/dedications/add", pages.add, methods=["POST"]),
        Route("/dedications/edit", pages.edit, methods=["POST"]),
        Route("/dedications/remove", pages.remove, methods=["POST"]),
        Route("/dedications/proof", pages.proof, methods=["POST"]),
        Route("/print", pages.print_batch, methods=["POST"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        desk.start()
        try:
            yield
        finally:
            await run_in_threadpool(desk.stop)

    app = Starlette(routes=routes, lifespan=lifespan, max_body_size=MAX_BODY)
    return Guard(app, hosts, token, f"desk-token-{port}")


def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(bundled("layouts") / "desk")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class FormError(PamphletError):
    """A problem with one field of the form."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class _Pages:
    """The routes, over one LiveDesk."""

    def __init__(self, desk: LiveDesk):
        self.desk = desk
        self.env = _templates()
        self.assets = bundled("layouts") / "desk"
        self.fonts = bundled("fonts")

    # -- the page -----------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        message = _message(request)
        if not request.query_params.get("edit_role"):
            return await self._render(message=message)
        try:
            place = _replacing(request.query_params)
            entry = await run_in_threadpool(live.entry_record, self.desk.folder, place)
        except PamphletError as err:
            return await self._render(400, row_errors=live.one_line_errors(err))
        form = {"role": place.role, "person": entry.key or "", **_form_of(entry.record),
                "heading": entry.heading, "donors": ", ".join(entry.donors)}  # fmt: skip
        return await self._render(form=form, editing=replace(place, digest=entry.digest))

    async def _render(self, status: int = 200, **extra: Any) -> Response:
        context = await run_in_threadpool(self._context, extra)
        html = self.env.get_template("desk.html.j2").render(**context)
        return HTMLResponse(html, status)

    def _context(self, extra: dict[str, Any]) -> dict[str, Any]:
        desk = self.desk
        now = desk.status()
        folder = desk.folder
        title = ""
        yahrzeits: tuple[datetime.date | None, str, list[live.YahrzeitRow]] = (None, "", [])
        week_errors: tuple[str, ...] = ()
        try:
            title = load_series_people(series_of(folder))[0].title
            yahrzeits = live.week_yahrzeits(folder)
        except PamphletError as err:
            week_errors = live.one_line_errors(err)
        context: dict[str, Any] = {
            "title": title,
            "issues": desk.issues(),
            "editions": desk.editions(),
            "now": now,
            "status": _status(desk),
            "rows": live.rows_by_role(now.snapshot.rows if now.snapshot else ()),
            "row_view": _row_view,
            "role_labels": ROLE_LABELS,
            "row_headings": ROW_HEADINGS,
            "proof_places": PROOF_PLACES,
            "shabbat": yahrzeits[0],
            "portion": yahrzeits[1],
            "yahrzeits": yahrzeits[2],
            "week_errors": week_errors,
            "record_fields": RECORD_FIELDS,
            "checkboxes": CHECKBOXES,
            "form": {},
            "field_errors": {},
            "message": "",
            "editing": None,
            "row_errors": (),
            "proof": None,
            "print_result": "",
            "print_errors": (),
            "queue": "",
        }
        context.update(extra)
        return context

    async def status(self, request: Request) -> Response:
        return JSONResponse(_status(self.desk))

    async def page_image(self, request: Request) -> Response:
        snapshot = self.desk.status().snapshot
        number = request.path_params["number"]
        if snapshot is None or not 1 <= number <= len(snapshot.pages):
            return PlainTextResponse("no such page", 404)
        return Response(snapshot.pages[number - 1].png, media_type="image/png")

    # -- files ----------------------------------------------------------------------------

    async def files(self, request: Request) -> Response:
        """A file of the content tree or of the desk's output, symbolic links resolved."""
        desk = self.desk
        path = request.path_params["path"]
        target = desk.content.parent / path
        if "\0" in path or not is_inside(target, [desk.content, desk.output]):
            return PlainTextResponse("refused: not a file of this project", 403)
        if not target.is_file():
            return PlainTextResponse("not found", 404)
        resolved = target.resolve()
        if resolved.suffix.lower() in INLINE:
            return FileResponse(resolved)
        return FileResponse(resolved, filename=resolved.name)

    async def static(self, request: Request) -> Response:
        """The desk's own stylesheet, script and the bundled fonts."""
        path = request.path_params["path"]
        folder, name = (self.fonts, path[6:]) if path.startswith("fonts/") else (self.assets, path)
        target = folder / name
        allowed = target.suffix in (".css", ".js", ".ttf", ".svg")
        if "\0" in path or not allowed or not is_inside(target, [folder]):
            return PlainTextResponse("refused", 403)
        if not target.is_file():
            return PlainTextResponse("not found", 404)
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return FileResponse(target.resolve(), media_type=media)

    # -- choosing the issue ---------------------------------------------------------------

    async def select(self, request: Request) -> Response:
        form = await _form(request)
        try:
            self.desk.select(_field(form, "issue"), _field(form, "edition") or None)
        except PamphletError as err:
            return await self._render(400, message=str(err))
        return RedirectResponse("/", 303)

    # -- dedications ----------------------------------------------------------------------

    async def people(self, request: Request) -> Response:
        query = request.query_params.get("q", "")[:MAX_FIELD]
        try:
            people = await run_in_threadpool(live.people_file, self.desk.folder)
        except PamphletError as err:
            return JSONResponse({"found": [], "errors": list(live.one_line_errors(err))})
        found = live.search(people, query)
        return JSONResponse({"found": [asdict(f) for f in found], "errors": []})

    async def preview(self, request: Request) -> Response:
        form = request.query_params
        try:
            place = _replacing(form) if form.get("edit_role") else None
            addition = _addition(form, amend=place is not None)
            shown = await run_in_threadpool(live.preview, self.desk.folder, addition, place)
        except FormError as err:
            return JSONResponse({"ok": False, "field": err.field, "errors": [err.message]})
        except PamphletError as err:
            lines = live.one_line_errors(err)
            field = _field_of(lines[0], _donors(form))
            return JSONResponse({"ok": False, "field": field, "errors": lines})
        return JSONResponse({"ok": True, **asdict(shown)})

    async def add(self, request: Request) -> Response:
        return await self._save(request, editing=False)

    async def edit(self, request: Request) -> Response:
        return await self._save(request, editing=True)

    async def _save(self, request: Request, editing: bool) -> Response:
        """Add the dedication the form describes, or put it in place of the entry it edits."""
        form = await _form(request)
        values = {name: str(form.get(name) or "")[:MAX_FIELD] for name in _form_names()}
        shown: dict[str, Any] = {"form": values}
        try:
            place = _replacing(form) if editing else None
            shown["editing"] = place
            addition = _addition(form, amend=editing)
            edit = await run_in_threadpool(live.add, self.desk.folder, addition, place)
        except FormError as err:
            return await self._render(400, field_errors={err.field: [err.message]}, **shown)
        except PamphletError as err:
            lines = live.one_line_errors(err)
            field = _field_of(lines[0], _donors(form))
            return await self._render(400, field_errors={field: lines}, **shown)
        self.desk.request_build()
        done = "saved" if editing else "added"
        where = f"{done}={quote(edit.key)}&role={quote(values['role'])}"
        return RedirectResponse(f"/?{where}#dedications", 303)

    async def remove(self, request: Request) -> Response:
        form = await _form(request)
        role, key = _field(form, "role"), _field(form, "key")
        try:
            place = Place(role, int(_field(form, "index")), key, _field(form, "digest"))
            await run_in_threadpool(live.remove, self.desk.folder, place)
        except ValueError:
            return await self._render(400, row_errors=("not removed: no item named",))
        except PamphletError as err:
            return await self._render(400, row_errors=live.one_line_errors(err))
        self.desk.request_build()
        return RedirectResponse(f"/?removed={quote(key)}&role={quote(role)}#dedications", 303)

    async def proof(self, request: Request) -> Response:
        """The sponsor's proof of one dedication (on the page a row names, or wherever it is
        printed), made and shown with its files."""
        form = await _form(request)
        key, place = _field(form, "key"), _field(form, "place") or None
        try:
            paths = await run_in_threadpool(self.desk.proof, key, place)
        except PamphletError as err:
            return await self._render(400, row_errors=live.one_line_errors(err))
        made = [
            {"place": place, "pdf": _file_url(self.desk, pdf),
             "png": _file_url(self.desk, pdf.with_suffix(".png"))}
            for place, pdf in paths.items()
        ]  # fmt: skip
        return await self._render(proof={"key": key, "files": made})

    # -- printing -------------------------------------------------------------------------

    async def print_batch(self, request: Request) -> Response:
        form = await _form(request)
        queue, again = _field(form, "queue"), bool(_field(form, "again"))
        try:
            summary = await run_in_threadpool(self.desk.print_batch, queue, again)
        except PamphletError as err:
            return await self._render(400, print_errors=live.one_line_errors(err), queue=queue)
        return await self._render(print_result=summary, queue=queue)


async def _form(request: Request) -> FormData:
    """The fields of a form the page sent (URL-encoded: the desk's forms send no files)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return FormData()
    body = (await request.body()).decode("utf-8", "replace")
    fields: list[tuple[str, str | Any]] = parse_qsl(
        body, keep_blank_values=True, max_num_fields=100
    )
    return FormData(fields)


def _status(desk: LiveDesk) -> dict[str, Any]:
    """What the page polls: the build, its state, its pages, findings and dedications."""
    now = desk.status()
    snapshot = now.snapshot
    data: dict[str, Any] = {
        "attempt": now.attempt,
        "state": now.state,
        "errors": list(now.errors),
        "issue": now.issue,
        "edition": now.edition,
        "build": snapshot.build if snapshot else 0,
        "pages": [],
        "notes": [],
        "checked": False,
        "downloads": {},
        "rows": [],
        "built": "",
    }
    if snapshot is None:
        return data
    notes = snapshot.notes or ()
    data.update(
        checked=snapshot.notes is not None,
        built=f"{snapshot.issue}{' / ' + snapshot.edition if snapshot.edition else ''}: "
        f"{len(snapshot.pages)} pages in {snapshot.seconds:.1f} s ({snapshot.how})",
        pages=[
            {
                "number": p.number,
                "label": p.label,
                "part": p.part,
                "digest": p.digest,
                "src": f"/page/{p.number}.png?build={snapshot.build}",
                "notes": [asdict(n) for n in notes if n.page == p.number],
            }
            for p in snapshot.pages
        ],
        notes=[asdict(live.Note("warning", w, None, "build")) for w in snapshot.warnings]
        + [asdict(n) for n in notes if n.page is None],
        downloads=_downloads(desk, snapshot),
        rows=[_row_view(r) for r in snapshot.rows],
    )
    return data


def _row_view(row: live.Row) -> dict[str, Any]:
    """A row as the page shows it (the template and the script alike): its fields, the
    place of its proof, and the direction of each of its texts."""
    return {
        **asdict(row),
        "place": PROOF_PLACES.get(row.role, ""),
        "dirs": {
            "line": _direction(row.line),
            "heading": _direction(row.heading),
            "donors": _direction(row.dedicated_by or " ".join(row.donors)),
        },
    }


def _direction(text: str) -> str:
    """A text's direction by its first strong letter (a Hebrew name: rtl)."""
    return first_strong_direction(text) or "auto"


def _downloads(desk: LiveDesk, snapshot: live.Snapshot) -> dict[str, str]:
    result = snapshot.result
    files = {"reader": result.pdf, "master": result.master, "imposed": result.imposed}
    urls = {name: _file_url(desk, path) for name, path in files.items() if path is not None}
    return {name: url for name, url in urls.items() if url}


def _file_url(desk: LiveDesk, path: Path) -> str:
    """Where /files serves a file of the project ('' for one outside it)."""
    root = desk.content.parent
    if not is_inside(path, [root]):
        return ""
    return "/files/" + quote(str(path.resolve().relative_to(root.resolve())))


def _message(request: Request) -> str:
    """The line after a redirect: what was added or removed."""
    query = request.query_params
    role = ROLE_LABELS.get(query.get("role", ""), "").lower()
    if query.get("added"):
        return f"Added {query['added']} ({role}): the pages are being rebuilt."
    if query.get("saved"):
        return f"Saved {query['saved']} ({role}): the pages are being rebuilt."
    if query.get("removed"):
        return f"Removed {query['removed']} ({role}): the pages are being rebuilt."
    return ""


def _form_names() -> list[str]:
    return (["role", "person", "search", *BOX_FIELDS] + [f[0] for f in RECORD_FIELDS]
            + [c[0] for c in CHECKBOXES])  # fmt: skip


def _field(form: FormData | Any, name: str) -> str:
    """A form field as text, stripped; too long a value is refused."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_FIELD:
        raise FormError(name, f"{name}: at most {MAX_FIELD} characters")
    return text


def _addition(form: FormData | Any, amend: bool = False) -> Addition:
    """The dedication the form describes: a people key, or a new record (as `add`'s flags);
    `amend` (an edit): the record's fields change the record the person's key names (or
    the entry's own), an emptied field deleted."""
    role = _field(form, "role")
    if role not in live.ROLES:
        raise FormError(
            "role", "say where the dedication goes: memorials, honoring, sponsors or a memorial box"
        )
    kind = live.ROLES[role]
    key = _field(form, "person")
    box = {"donors": _donors(form), "heading": _field(form, "heading") or None}
    box = box if kind == "box" else {}
    if not _field(form, "given"):
        if not key:
            raise FormError(
                "person", "name a person: find one by name, or type a new record's given names"
            )
        return Addition(kind, key, **box)  # type: ignore[arg-type]
    key = key if amend and key else _field(form, "key")
    return Addition(kind, key or None, _record(form), amend=amend, **box)  # type: ignore[arg-type]


def _donors(form: FormData | Any) -> tuple[str, ...]:
    """A memorial box's donors: people keys, separated by commas or spaces."""
    return tuple(key for key in DONORS.split(_field(form, "donors")) if key)


def _record(form: FormData | Any) -> dict[str, Any]:
    """The record the form's fields describe, an empty field as None (a parent only with
    its given names)."""
    record: dict[str, Any] = {"parent": {}}
    for name, (field, *inner) in FORM_RECORD.items():
        text = _field(form, name)
        value = _value(name, text) if text else None
        if inner:
            record[field][inner[0]] = value
        else:
            record[field] = value
    if not record["parent"]["given"]:
        record["parent"] = None
    return record


def _value(name: str, text: str) -> Any:
    """A field's text as a record's value: a ticked box true, a couple's names a list, a
    civil date a date."""
    if name in dict(CHECKBOXES):
        return True
    if name in ("given", "hebrew_given") and COUPLE in text:
        return [part.strip() for part in text.split(COUPLE)]
    return civil_or_hebrew(text) if name == "passed" else text


def _form_of(record: dict[str, Any]) -> dict[str, str]:
    """A record's fields as the form shows them (`_record` read backwards)."""
    form = {}
    for name, (field, *inner) in FORM_RECORD.items():
        value = record.get(field)
        if inner:
            value = value.get(inner[0]) if isinstance(value, dict) else None
        form[name] = as_text(value)
    return form


def _replacing(form: FormData | Any) -> Place:
    """The entry an edit replaces: its list, index and key as the page showed them."""
    role, index = _field(form, "edit_role"), _field(form, "edit_index")
    if role not in live.ROLES or not index.isdigit():
        raise FormError("form", "not saved: no dedication named to edit (reload the page)")
    return Place(role, int(index), _field(form, "edit_key"), _field(form, "edit_digest"))


def _field_of(message: str, donors: tuple[str, ...] = ()) -> str:
    """Which field of the form a message is about (else the form as a whole); an unknown
    key among a memorial box's `donors` is the donors field's."""
    lowered = message.lower()
    unknown = re.search(r"unknown person '([^']*)'", message)
    if unknown and unknown.group(1) in donors:
        return "donors"
    for words, field in (
        (("--donor", "who dedicated it"), "donors"),
        (("date of passing", "passed"), "passed"),
        (("--key", "already a record"), "key"),
        (("hebrew_given", "hebrew_surname", "hebrew_title"), "hebrew_given"),
        (("--person", "unknown person", "name a person"), "person"),
        (("marked living", "is named in"), "role"),
    ):
        if any(word in lowered for word in words):
            return field
    return "form"
