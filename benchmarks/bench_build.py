#!/usr/bin/env python3
"""How much the pipeline adds to WeasyPrint, and how long the test suite takes.

`python build.py` for the default issue against bare `python -m weasyprint` rendering the
same HTML, each in a fresh process. Runs alternate (pipeline, baseline, pipeline, …) so
that both see the same machine state; the figure is the ratio of the medians (target:
<= 1.3). Then the whole test suite (`pytest`, as `make test` runs it) is timed once, or
`--suite-runs` times (target: under 30 s).
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


def build_against_weasyprint(runs: int) -> dict:
    """Medians of the whole build and of bare WeasyPrint on the same HTML, and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build = subprocess.run(
            [sys.executable, "build.py", "build", "-o", str(out), "--html", "--quiet"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        html = build.stdout.split()[1]
        pipeline_cmd = [sys.executable, "build.py", "--quiet"]
        baseline_cmd = [sys.executable, "-m", "weasyprint", html, str(out / "bare.pdf")]
        timed(pipeline_cmd), timed(baseline_cmd)  # warm the file cache
        pipeline, baseline = [], []
        for _ in range(runs):
            pipeline.append(timed(pipeline_cmd))
            baseline.append(timed(baseline_cmd))
    return {
        "runs": runs,
        "pipeline_median_s": round(statistics.median(pipeline), 3),
        "weasyprint_median_s": round(statistics.median(baseline), 3),
        "ratio": round(statistics.median(pipeline) / statistics.median(baseline), 3),
        "pipeline_s": [round(t, 3) for t in pipeline],
        "weasyprint_s": [round(t, 3) for t in baseline],
    }


def suite(runs: int) -> dict:
    """Median wall-clock seconds of the whole test suite."""
    times = [timed([sys.executable, "-m", "pytest", "-q"]) for _ in range(runs)]
    return {"suite_runs": runs, "suite_median_s": round(statistics.median(times), 2)}


def main() -> None:
    """Run both measurements, print them, and keep them in benchmarks/results/build.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--suite-runs", type=int, default=1)
    args = parser.parse_args()
    result = build_against_weasyprint(args.runs) | suite(args.suite_runs)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "build.json").write_text(json.dumps(result, indent=2) + "\n")
    pipeline, bare = result["pipeline_median_s"], result["weasyprint_median_s"]
    print(f"python build.py        median {pipeline:.3f} s  {result['pipeline_s']}")
    print(f"python -m weasyprint   median {bare:.3f} s  {result['weasyprint_s']}")
    print(f"ratio {result['ratio']:.3f} (target <= 1.3)")
    print(f"test suite             median {result['suite_median_s']:.1f} s (target < 30 s)")


if __name__ == "__main__":
    main()
