#!/usr/bin/env python3
"""A batch of editions against one single build of the issue, in the same run.

`python build.py batch` of N editions of the default issue (default 100; every edition
with its own inside cover and its own memorial boxes, a cover line and a community: the
hardest case), every output of every edition (reader PDF, print master, imposed sheets),
two worker processes, against `python build.py build` of the issue (its own two PDFs and
the imposed file). Each in a fresh process; medians of `--runs`; the peak memory of the
batch's whole process tree (sampled every 50 ms); the size of each edition's files against
the single build's; then a rerun with nothing changed (target: under 2 s).
Targets (issue 13): the batch in at most 3x the single build, 600 MB, 1.3x the size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = [
    "shagalov-schneur-zalman", "ekman-dovid-asniel", "marenburg-devora-rivka",
    "ekman-yitzchok-moshe", "rosner-yosef-yisroel", "fleischman-pesach-betzalel",
    "signer-chaim-menachem", "mariani-esther",
]  # fmt: skip
DONORS = ["wolf-gershon-leah", "shagalov-yosef-gittel"]
CITIES = [
    ("Brooklyn", 40.6694, -73.9422, "America/New_York"),
    ("Los Angeles", 34.0522, -118.2437, "America/Los_Angeles"),
    ("Jerusalem", 31.7683, 35.2137, "Asia/Jerusalem"),
    ("London", 51.5074, -0.1278, "Europe/London"),
]


def editions_yaml(count: int) -> str:
    """N editions, each with its own dedications (no two alike) and a community."""
    lines = ["editions:"]
    for n in range(count):
        city = CITIES[n % len(CITIES)]
        memorials = [PEOPLE[(n + k) % 4] for k in range(1 + n % 3)]
        box = PEOPLE[4 + n % 4]
        lines += [
            f"  - id: edition-{n:03d}",
            f"    copies: {50 + n}",
            f"    cover_line: Distributed by friends in {city[0]}, no. {n}",
            f"    community: {{name: {city[0]}, latitude: {city[1]}, longitude: {city[2]}, "
            f"timezone: {city[3]}}}",
            "    dedications:",
            f"      memorials: [{', '.join(memorials)}]",
            f"      sponsors: [{DONORS[n % 2]}]",
            f"      memorial_boxes: [{{person: {box}, donors: [{DONORS[(n + 1) % 2]}]}}]",
        ]
    return "\n".join(lines) + "\n"


def timed(command: list[str], memory: bool = False) -> tuple[float, float]:
    """Seconds of one run (which must succeed), and the peak MB of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    _, err = proc.communicate()
    done.set()
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()}")
    return time.perf_counter() - start, peak


def main() -> None:
    """Measure, print, and keep the figures in benchmarks/results/batch.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--editions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        issue = content / "shemot-5786"
        (issue / "editions.yaml").write_text(editions_yaml(args.editions), encoding="utf-8")
        py = sys.executable
        single_cmd = [py, "build.py", "build", str(issue), "-o", f"{tmp}/single", "--impose"]
        singles, batches, peaks = [], [], []
        for _ in range(args.runs):
            shutil.rmtree(f"{tmp}/batch", ignore_errors=True)
            singles.append(timed(single_cmd)[0])
            batch_cmd = [py, "build.py", "batch", str(issue), "-o", f"{tmp}/batch"]
            seconds, peak = timed([*batch_cmd, "-j", str(args.jobs)], memory=True)
            batches.append(seconds)
            peaks.append(peak)
        rerun = statistics.median(timed(batch_cmd)[0] for _ in range(3))
        single_size = sum(p.stat().st_size for p in Path(f"{tmp}/single").glob("*.pdf"))
        sizes = [
            sum(p.stat().st_size for p in folder.glob("*.pdf"))
            for folder in Path(f"{tmp}/batch").iterdir()
            if folder.is_dir()
        ]
    single, batch = statistics.median(singles), statistics.median(batches)
    result = {
        "editions": args.editions,
        "jobs": args.jobs,
        "runs": args.runs,
        "single_build_median_s": round(single, 3),
        "batch_median_s": round(batch, 3),
        "ratio": round(batch / single, 2),
        "per_edition_s": round(batch / args.editions, 3),
        "peak_memory_mb": round(max(peaks)),
        "largest_edition_size_ratio": round(max(sizes) / single_size, 3),
        "rerun_nothing_changed_s": round(rerun, 3),
    }
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "batch.json").write_text(json.dumps(result, indent=2) + "\n")
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
