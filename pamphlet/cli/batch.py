"""`batch`: many editions of one week; `batch merge`: shard manifests into one."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..batch.merge import merge_manifests
from ..batch.plan import Shard, plan_batch
from ..batch.run import run_batch
from ..errors import PamphletError
from ..report import Reporter, say, step
from ..settings import Overrides


def add_parsers(commands: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The `batch` subcommand (and `batch merge OUT_DIR`)."""
    sub = commands.add_parser(
        "batch", help="build every edition of an issue (editions.yaml or .csv beside it)"
    )
    sub.add_argument("issue", type=Path, help="issue folder, or 'merge' to join shard manifests")
    sub.add_argument(
        "editions", nargs="?", type=Path, help="editions file (default: beside the issue)"
    )
    sub.add_argument("-o", "--output", type=Path, help="output folder (required)")
    sub.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default: 1)")
    sub.add_argument("--shard", help="build slice K of N of the editions (K/N)")
    sub.add_argument("--force", action="store_true", help="rebuild editions already built")
    sub.set_defaults(run=batch)
    return [sub]


def batch(args: argparse.Namespace, reporter: Reporter) -> int:
    """Check every edition, build what is missing or changed, write the manifest."""
    if str(args.issue) == "merge":
        return _merge(args, reporter)
    if args.output is None:
        raise PamphletError("batch needs an output folder: -o OUT_DIR")
    if args.jobs < 1:
        raise PamphletError(f"-j must be 1 or more, not {args.jobs}")
    try:
        shard = Shard.parse(args.shard) if args.shard else None
    except ValueError as err:
        raise PamphletError(f"--shard: {err}") from None
    cli = Overrides(strict=args.strict)
    with step("checking the editions"):
        plan = plan_batch(args.issue, args.editions, cli, shard, args.output)
    outcome = run_batch(plan, args.output, cli, args.jobs, shard, args.force)
    say(str(outcome.manifest))
    parts = [f"{outcome.built} built", f"{outcome.unchanged} unchanged"]
    if outcome.failed:
        parts.append(f"{outcome.failed} failed (see the manifest)")
    reporter.summary(f"{len(plan.editions)} editions: " + ", ".join(parts))
    return 1 if outcome.failed else 0


def _merge(args: argparse.Namespace, reporter: Reporter) -> int:
    """`batch merge OUT_DIR`: the shard manifests of a folder joined into manifest.json."""
    out = args.editions or args.output
    if out is None:
        raise PamphletError("batch merge needs the output folder: batch merge OUT_DIR")
    merged, shards = merge_manifests(out)
    say(str(merged))
    reporter.summary(f"merged {shards} shard manifests into {merged.name}")
    return 0
