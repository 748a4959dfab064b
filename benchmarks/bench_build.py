#!/usr/bin/env python3
"""How much the pipeline adds to WeasyPrint: `python build.py` for the default issue
against bare `python -m weasyprint` rendering the same HTML, each in a fresh process.

Runs alternate (pipeline, baseline, pipeline, …) so that both see the same machine state;
the figure is the ratio of the medians. Target (issue 2): ratio <= 1.3.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> float:
    """Wall-clock seconds of one run of a command (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build = subprocess.run(
            [sys.executable, "build.py", "build", "-o", str(out), "--html"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        html = build.stdout.split()[1]
        pipeline_cmd = [sys.executable, "build.py"]
        baseline_cmd = [sys.executable, "-m", "weasyprint", html, str(out / "bare.pdf")]
        timed(pipeline_cmd), timed(baseline_cmd)  # warm the file cache
        pipeline, baseline = [], []
        for _ in range(args.runs):
            pipeline.append(timed(pipeline_cmd))
            baseline.append(timed(baseline_cmd))
    result = {
        "runs": args.runs,
        "pipeline_median_s": round(statistics.median(pipeline), 3),
        "weasyprint_median_s": round(statistics.median(baseline), 3),
        "ratio": round(statistics.median(pipeline) / statistics.median(baseline), 3),
        "pipeline_s": [round(t, 3) for t in pipeline],
        "weasyprint_s": [round(t, 3) for t in baseline],
    }
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "build.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"python build.py        median {result['pipeline_median_s']:.3f} s  {result['pipeline_s']}"
    )
    print(
        f"python -m weasyprint   median {result['weasyprint_median_s']:.3f} s  {result['weasyprint_s']}"
    )
    print(f"ratio {result['ratio']:.3f} (target <= 1.3)")


if __name__ == "__main__":
    main()
