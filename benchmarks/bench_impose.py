#!/usr/bin/env python3
"""How fast and how small saddle-stitch imposition is, against pdfimpose on the same file.

The default issue is built once (`python build.py build`, 16 pages); then our
`impose_pdf` and pdfimpose's saddle schema (two pages a side, the back cover kept last)
impose it in this process, alternately, `--runs` times each. Printed: the medians, their
ratio (target: ours faster), and each output's size against the source (target for ours:
<= 1.2). Targets for ours: under 0.1 s for the 16 pages.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pamphlet.press.impose import impose_pdf  # noqa: E402


def built_issue() -> bytes:
    """The default issue's PDF, built once in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [sys.executable, "build.py", "build", "-o", tmp, "--quiet"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return Path(run.stdout.split()[0]).read_bytes()


def pdfimpose_saddle(data: bytes) -> bytes:
    """pdfimpose's saddle imposition of the same PDF, two pages per sheet side."""
    from pdfimpose.schema import saddle

    out = io.BytesIO()
    saddle.impose([io.BytesIO(data)], out, signature=(2, 1), last=1)
    return out.getvalue()


def timed(impose: Callable[[bytes], bytes], data: bytes) -> tuple[float, int]:
    """Seconds of one imposition, and the size of what it made."""
    start = time.perf_counter()
    size = len(impose(data))
    return time.perf_counter() - start, size


def compare(runs: int) -> dict:
    """Medians of both impositions on the default issue, their ratio, and the sizes."""
    source = built_issue()
    ours_size = timed(impose_pdf, source)[1]  # warm both (imports, caches)
    theirs_size = timed(pdfimpose_saddle, source)[1]
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(timed(impose_pdf, source)[0])
        theirs.append(timed(pdfimpose_saddle, source)[0])
    return {
        "runs": runs,
        "source_bytes": len(source),
        "ours_median_s": round(statistics.median(ours), 4),
        "pdfimpose_median_s": round(statistics.median(theirs), 4),
        "speedup": round(statistics.median(theirs) / statistics.median(ours), 1),
        "ours_size_ratio": round(ours_size / len(source), 3),
        "pdfimpose_size_ratio": round(theirs_size / len(source), 3),
        "ours_s": [round(t, 4) for t in ours],
        "pdfimpose_s": [round(t, 4) for t in theirs],
    }


def main() -> None:
    """Measure, print, and with --json keep the figures in a file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = compare(max(5, args.runs))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    ours, theirs = result["ours_median_s"], result["pdfimpose_median_s"]
    print(f"source                 {result['source_bytes']} bytes, 16 pages")
    print(f"impose_pdf             median {ours * 1000:.1f} ms  (target < 100 ms)")
    print(f"pdfimpose saddle       median {theirs * 1000:.1f} ms")
    print(f"ours is {result['speedup']}x faster")
    print(f"size imposed/source    ours {result['ours_size_ratio']:.3f} (target <= 1.2), ", end="")
    print(f"pdfimpose {result['pdfimpose_size_ratio']:.3f}")


if __name__ == "__main__":
    main()
