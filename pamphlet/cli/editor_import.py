"""`import`: text pasted from a web page, a wiki or OCR made into an article, written into an
issue (and added to its contents), to a file, or to standard output; each change listed.

The changes are information, logged through the reporter (one `line N: …` line each on
stderr); those the editor must look at (a note without its marker) are warnings. The
article is checked as the build reads it before anything is written; an existing file is
never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..editor.importer import (
    Imported,
    Kind,
    add_to_contents,
    article_text,
    decode,
    import_text,
    is_talk_number,
    slug,
)
from ..errors import PamphletError
from ..files import folder_lock, write_atomically, write_together
from ..markdown import render_markdown
from ..pipeline import series_of
from ..placeholders import PLACEHOLDER, is_placeholder
from ..report import Reporter, log, say
from ..sources import read_text


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `import` subcommand."""
    sub = commands.add_parser(
        "import", help="make an article of text pasted from a web page, a wiki or OCR"
    )
    sub.add_argument("file", help="the pasted text, plain or HTML ('-': standard input)")
    where = sub.add_mutually_exclusive_group()
    where.add_argument(
        "--into", type=Path, metavar="ISSUE_DIR", help="write it into this issue and its contents"
    )
    where.add_argument("-o", "--output", type=Path, metavar="OUT.md", help="write it to this file")
    sub.add_argument(
        "--as", dest="kind", choices=["essay", "talk"], default="essay", help="(default: essay)"
    )
    sub.add_argument("--title", help="the title (default: the first heading, else the first line)")
    sub.add_argument("--html", action="store_true", help="the input is HTML (default: detected)")
    sub.set_defaults(run=import_article)
    return [sub]


def import_article(args: argparse.Namespace, reporter: Reporter) -> int:
    """Read, clean, write (or print) the article, then list the changes made."""
    text, changes = decode(_read(args.file))
    if not text.strip():
        raise PamphletError("nothing to import: the text is empty", _shown(args.file))
    imported = import_text(text, html=True if args.html else None, title=args.title)
    if not imported.title:
        raise PamphletError("no title found: give one with --title", _shown(args.file))
    article = article_text(imported, args.kind)
    written = None
    if args.into:
        written, where = _write_into(args.into, imported, article, args.kind)
    elif args.output:
        written, where = _write_new(args.output, article), None
    for change in [*changes, *imported.changes]:
        (log.warning if change.problem else log.info)("%s", change)
    if args.kind == "talk" and not is_talk_number(imported.title):
        log.warning("a talk is titled by its number (12, יב): give it with --title")
    if written and where:
        log.info("%s", f"added {written.relative_to(args.into)} to the contents ({where})")
    if written:
        say(str(written))
    else:
        sys.stdout.write(article)
    reporter.summary(f"imported '{imported.title}': {len(imported.changes)} change(s)")
    return 0


def _read(name: str) -> bytes:
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream else sys.stdin.read().encode("utf-8")
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PamphletError("file not found", path) from None
    except OSError as err:
        raise PamphletError(f"cannot read: {err.strerror or err}", path) from None


def _shown(name: str) -> Path | None:
    return None if name == "-" else Path(name)


def _write_into(folder: Path, imported: Imported, article: str, kind: Kind) -> tuple[Path, str]:
    """The article in the issue's essays/ or talks/, and in its contents, written together
    under the content tree's lock (the lock `dedications add` takes)."""
    issue_path = folder / "issue.yaml"
    if not issue_path.is_file():
        raise PamphletError("not an issue folder: it has no issue.yaml", folder)
    content_root = series_of(folder).parent
    ref = f"{kind}s/{slug(imported.title)}.md"
    target = folder / ref
    placeholder = folder / PLACEHOLDER
    with folder_lock(content_root, "edit"):
        if target.exists():
            raise PamphletError(
                f"{ref} already exists and is not overwritten: give another --title", folder
            )
        instead_of = PLACEHOLDER if kind == "essay" and _untouched(placeholder) else None
        issue_text, where = add_to_contents(
            read_text(issue_path), ref, kind, issue_path, instead_of
        )
        _check(article, target, content_root)
        write_together({target: article.encode("utf-8"), issue_path: issue_text.encode("utf-8")})
        if instead_of and _untouched(placeholder):
            placeholder.unlink()  # as `new` wrote it: nothing of the editor's is lost
    return target, where


def _untouched(path: Path) -> bool:
    """Whether the file is the placeholder essay exactly as `new` wrote it."""
    return path.is_file() and is_placeholder(read_text(path))


def _write_new(path: Path, article: str) -> Path:
    if path.exists():
        raise PamphletError("already exists and is not overwritten", path)
    write_atomically(path, article.encode("utf-8"))
    return path


def _check(article: str, target: Path, content_root: Path) -> None:
    """The body rendered as a build renders it: a problem stops the import, unwritten."""
    front, body = article.split("\n---\n", 1)
    first_line = front.count("\n") + 3
    try:
        render_markdown(body, target, first_line, [content_root])
    except PamphletError as err:
        raise PamphletError(f"not imported: {err.message}", err.path, err.line) from None
