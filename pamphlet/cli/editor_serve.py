"""`serve`: the editor's desk, a local web page of the open issue (pamphlet/editor/desk.py).

It prints its address on stdout and, unless `--no-browser`, opens it in a web browser;
Ctrl-C closes it. It listens on 127.0.0.1 (this computer only) unless `--host` names
another interface, which needs `--token`.
"""

from __future__ import annotations

import argparse
import os
import sys
import webbrowser
from pathlib import Path

from ..pipeline import default_issue_folder, default_series
from ..report import Reporter, say

DEFAULT_PORT = 8765


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `serve` subcommand."""
    serve = commands.add_parser(
        "serve", help="the editor's desk: the issue's pages in a local web page, rebuilt on save"
    )
    serve.add_argument(
        "issue", nargs="?", type=Path, help="issue folder to open (default: the current issue)"
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default: {DEFAULT_PORT}; 0: any free port)",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on (default: 127.0.0.1, this computer only); another "
        "interface needs --token",
    )
    serve.add_argument(
        "--token",
        help="a secret every request must carry (in the address once, then in a cookie); "
        "needed with --host",
    )
    serve.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    serve.set_defaults(run=serve_command)
    return [serve]


def serve_command(args: argparse.Namespace, reporter: Reporter) -> int:
    """Open the desk on the issue and serve it until Ctrl-C."""
    from ..editor import desk
    from ..editor.live import LiveDesk

    desk.check_binding(args.host, args.token)
    folder = args.issue or default_issue_folder(default_series(args.project))
    live = LiveDesk(folder)  # checks that the folder names a series
    sock = desk.listen(args.host, args.port)
    port = sock.getsockname()[1]
    app = desk.create_app(live, desk.own_hosts(args.host, port), args.token, port)
    url = desk.address(args.host, port, args.token)

    def started() -> None:
        say(url)
        sys.stdout.flush()
        if not args.no_browser and _has_a_browser():
            webbrowser.open(url)

    try:
        desk.run(app, sock, started)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    reporter.summary(f"closed the desk on {live.folder.name}")
    return 0


def _has_a_browser() -> bool:
    """Whether a graphical browser can open: not on a Linux machine without a display,
    where `webbrowser` would take the terminal over with a text browser."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True
