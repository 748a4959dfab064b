"""Delivery on the command line.

`print`: send the editions of a batch output folder to a CUPS print queue through `lp`
(pamphlet/deliver/), recording each job in the batch's manifest. Each job sent is a line
on stdout (job id, edition); with --dry-run, the lp command lines that would run.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from ..deliver.cups import CupsQueue
from ..deliver.send import Plan, plan, send_batch
from ..report import Reporter, say


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `print` subcommand."""
    sub = commands.add_parser(
        "print", help="send the editions of a batch to a print queue (CUPS, through lp)"
    )
    sub.add_argument("folder", metavar="OUT_DIR", type=Path, help="a batch output folder")
    sub.add_argument("--queue", required=True, metavar="NAME", help="the CUPS queue (lpstat -p)")
    sub.add_argument(
        "--dry-run", action="store_true", help="show the lp commands that would run; send nothing"
    )
    sub.add_argument(
        "--again", action="store_true", help="also send editions already sent to this queue"
    )
    sub.add_argument(
        "--edition",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="send only these editions (default: every edition built)",
    )
    sub.set_defaults(run=print_command)
    return [sub]


def print_command(args: argparse.Namespace, reporter: Reporter) -> int:
    """Send the batch's imposed files (or, with --dry-run, show how); end with a summary."""
    queue = CupsQueue(args.queue)
    if args.dry_run:
        done = plan(args.folder, queue, args.edition, args.again)
        for job in done.to_send:
            say(shlex.join(queue.command(job.pdf, job.copies, job.title)))
        reporter.summary(f"dry run, nothing sent: {describe(done, len(done.to_send), 'to send')}")
        return 0
    done = send_batch(
        args.folder, queue, args.edition, args.again, lambda edition, job: say(f"{job} {edition}")
    )
    reporter.summary(f"{queue.name}: {describe(done, len(done.sent), 'sent')}")
    return 0


def describe(done: Plan, count: int, verb: str) -> str:
    """The editions counted: "3 sent, 1 already sent (use --again), 1 failed edition skipped"."""
    parts = [f"{count} {verb}"]
    if done.already:
        parts.append(f"{len(done.already)} already sent (use --again)")
    if done.failed:
        parts.append(_editions(len(done.failed), "failed edition") + " skipped")
    if done.unbuilt:
        parts.append(_editions(len(done.unbuilt), "edition") + " not built")
    return ", ".join(parts)


def _editions(count: int, what: str) -> str:
    return f"{count} {what}{'s' if count != 1 else ''}"
