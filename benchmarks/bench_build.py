#!/usr/bin/env python3
"""How much the pipeline adds to WeasyPrint, what the second PDF costs, and how long the
test suite takes.

1. `python build.py` for the default issue against bare `python -m weasyprint` rendering
   the same HTML, each in a fresh process. Since issue 12 a build writes two PDFs (the
   reader and the print master) where bare WeasyPrint writes one: the figure is reported,
   the target is (2).
2. In one process, the build as it is (one layout, the reader and the master written)
   against a single-PDF build of the same issue (the same stages, one plain PDF written):
   target <= 1.5.
Runs alternate (A, B, A, …) so that both see the same machine state; the figures are the
ratios of the medians. Then the whole test suite (`pytest`, as `make test` runs it) is
timed once, or `--suite-runs` times (target: under 30 s).
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


def both_against_single(runs: int) -> dict:
    """In-process medians: the build with both PDFs against a single-PDF build."""
    sys.path.insert(0, str(ROOT))
    from pamphlet.pdf import render_fitted
    from pamphlet.pdf.budget import fit_to_budget, split_fillers, target_pages
    from pamphlet.pdf.write import pdf_bytes, text_layer
    from pamphlet.pipeline import _base_url, build_issue, fill_pages, load_issue, prepare_tree
    from pamphlet.render import pdf_font_names
    from pamphlet.settings import Overrides

    folder = ROOT / "content" / "shemot-5786"

    def single(out: Path) -> None:
        issue = load_issue(folder, Overrides(output=out))
        tree, doctype = prepare_tree(issue)
        base, roots = _base_url(issue), issue.settings.roots
        fitted = render_fitted(tree, doctype, base, roots, issue.path)
        fitted, _ = fit_to_budget(fitted, tree, doctype, base, roots, issue.path, None)
        content = len(split_fillers(fitted.rendered.pages)[0])
        pages = fill_pages(issue, fitted.rendered, target_pages(content, None))
        fonts = pdf_font_names(issue.series.fonts, issue.settings.fonts)
        (out / "single.pdf").write_bytes(pdf_bytes(pages, [text_layer(fonts)]))

    def both(out: Path) -> None:
        build_issue(folder, Overrides(output=out))

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        both(out)  # warm: imports, fonts, caches
        single(out)
        with_both: list[float] = []
        with_one: list[float] = []
        for _ in range(runs):
            for job, times in ((both, with_both), (single, with_one)):
                start = time.perf_counter()
                job(out)
                times.append(time.perf_counter() - start)
    return {
        "both_pdfs_median_s": round(statistics.median(with_both), 3),
        "single_pdf_median_s": round(statistics.median(with_one), 3),
        "both_ratio": round(statistics.median(with_both) / statistics.median(with_one), 3),
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
    result = build_against_weasyprint(args.runs) | both_against_single(args.runs)
    result |= suite(args.suite_runs)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "build.json").write_text(json.dumps(result, indent=2) + "\n")
    pipeline, bare = result["pipeline_median_s"], result["weasyprint_median_s"]
    print(f"python build.py        median {pipeline:.3f} s  {result['pipeline_s']}")
    print(f"python -m weasyprint   median {bare:.3f} s  {result['weasyprint_s']}")
    print(f"ratio {result['ratio']:.3f} (two PDFs against one: see below)")
    both, single = result["both_pdfs_median_s"], result["single_pdf_median_s"]
    print(f"build, reader + master median {both:.3f} s; single-PDF build {single:.3f} s")
    print(f"ratio {result['both_ratio']:.3f} (target <= 1.5)")
    print(f"test suite             median {result['suite_median_s']:.1f} s (target < 30 s)")


if __name__ == "__main__":
    main()
