#!/usr/bin/env python3
"""The desk's warm rebuild after a dedication change, against a cold `python build.py`.

On a copy of the default issue:
1. cold: `python build.py build ISSUE -o OUT` in a fresh process (the engine imported, the
   fonts loaded, the issue laid out and both PDFs written, every time);
2. warm: the desk's builder (pamphlet/editor/live.py) running in this process: a memorial
   is added (or removed again) through the form's round trip, then the time from asking
   for the build to the new page images (the issue's own pages re-rendered, the shared
   pages reused, both PDFs and the imposed sheets written, every page made a PNG);
3. the same change saved straight to issue.yaml and picked up by the watcher (save to
   page images), and an essay saved (a new shared layout: save to page images).
Runs alternate cold, warm, cold, … so that both see the same machine state; medians of
`--runs` (default 5). Targets (issue): warm <= 40% of cold; a save shows within 2 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pamphlet.editing import Addition, Place  # noqa: E402
from pamphlet.editor import live  # noqa: E402

MEMORIAL = "rosner-yosef-yisroel"  # a people record not among the issue's memorials


def copy_issue(tmp: Path) -> Path:
    """The default series, its people and fillers, and the default issue, under tmp."""
    content = tmp / "content"
    content.mkdir()
    for name in ("series.yaml", "people.yaml"):
        shutil.copy(ROOT / "content" / name, content / name)
    for name in ("fillers", "shemot-5786"):
        shutil.copytree(ROOT / "content" / name, content / name)
    return content / "shemot-5786"


def cold(folder: Path, out: Path) -> float:
    """Seconds of one `python build.py build` in a fresh process."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", str(folder), "-o", str(out), "--quiet"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def warm(desk: live.LiveDesk, folder: Path, adding: bool) -> float:
    """Seconds from a dedication change (written through the form's round trip) asking for
    a build to the new page images."""
    if adding:
        live.add(folder, Addition("memorial", MEMORIAL))
    else:
        index = [r.key for r in desk.status().snapshot.rows].index(MEMORIAL)  # type: ignore[union-attr]
        live.remove(folder, Place("memorials", index, MEMORIAL))
    return _until_built(desk, desk.request_build)


def _until_built(desk: live.LiveDesk, change: object) -> float:
    """Seconds from `change()` to the build that follows it, the desk idle before."""
    desk.wait_for_notes()
    before = desk.status().attempt
    start = time.perf_counter()
    change()  # type: ignore[operator]
    status = desk.wait(before)
    assert status.state == "ready", status.errors
    return time.perf_counter() - start


def saved(desk: live.LiveDesk, path: Path, texts: list[str], runs: int) -> list[float]:
    """Save-to-images seconds through the watcher, alternating the file's texts."""
    found = []
    for run in range(runs):
        text = texts[run % len(texts)]
        found.append(_until_built(desk, lambda text=text: path.write_text(text, "utf-8")))
    return found


def main() -> None:
    """Measure, print, and keep the figures in benchmarks/results/desk.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_issue(Path(tmp))
        desk = live.LiveDesk(folder)
        started = time.perf_counter()
        desk.start()
        desk.wait(0)
        first = time.perf_counter() - started
        colds, warms, kinds = [], [], []
        for run in range(args.runs):
            colds.append(cold(folder, Path(tmp) / "cold"))
            warms.append(warm(desk, folder, adding=run % 2 == 0))
            kinds.append(desk.status().snapshot.how)  # type: ignore[union-attr]
        issue_yaml = folder / "issue.yaml"
        text = issue_yaml.read_text("utf-8")
        other = text.replace("    - ekman-yitzchok-moshe\n", f"    - {MEMORIAL}\n")
        dedication_saves = saved(desk, issue_yaml, [other, text], args.runs)
        essay = folder / "essays" / "moses-and-moshiach.md"
        body = essay.read_text("utf-8")
        essay_saves = saved(desk, essay, [body + "\nOne more line.\n", body], 3)
        desk.stop()
    result = {
        "first_build_s": round(first, 3),
        "cold_s": [round(t, 3) for t in colds],
        "warm_s": [round(t, 3) for t in warms],
        "warm_how": kinds,
        "cold_median_s": round(statistics.median(colds), 3),
        "warm_median_s": round(statistics.median(warms), 3),
        "ratio": round(statistics.median(warms) / statistics.median(colds), 3),
        "dedication_save_to_images_s": [round(t, 3) for t in dedication_saves],
        "essay_save_to_images_s": [round(t, 3) for t in essay_saves],
    }
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "desk.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"desk's first build (cold, in-process)  {first:.2f} s")
    print(f"cold python build.py        median {result['cold_median_s']:.3f} s  {result['cold_s']}")
    print(f"warm rebuild, a dedication  median {result['warm_median_s']:.3f} s  {result['warm_s']}")
    print(f"warm / cold {result['ratio']:.1%} (target <= 40%); rebuilt from: {set(kinds)}")
    print(f"save issue.yaml to images (watcher)  {result['dedication_save_to_images_s']}")
    print(f"save an essay to images (watcher)    {result['essay_save_to_images_s']} (target < 2 s)")


if __name__ == "__main__":
    main()
