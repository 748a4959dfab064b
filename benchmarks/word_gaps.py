#!/usr/bin/env python3
"""How loose the justified lines are: the widest gap between two words, in points, on the
body pages of the default issue (full lines of 10 pt text only: not a paragraph's last
line, not notes or headings).

`python benchmarks/word_gaps.py` measures the current tree; `--before REV` also builds the
default issue at a git revision (in a temporary worktree, with this environment) and
measures it, so the two can be compared in one run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
BODY = (13.0, 14.0)  # PDFium's font size of 10 pt body text (WeasyPrint writes px)


def build(tree: Path, out: Path) -> Path:
    """Build the default issue of a source tree with this interpreter; the PDF's path."""
    run = subprocess.run(
        [sys.executable, "build.py", "build", "content/shemot-5786", "-o", str(out), "--quiet"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out, Path(run.stdout.strip()).name)


def line_gaps(pdf: Path) -> list[float]:
    """The widest word gap of each full justified body line."""
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(pdf))
    widest: list[float] = []
    for index in range(3, len(document)):
        textpage = document[index].get_textpage()
        lines: dict[int, list[tuple[float, float, str]]] = {}
        for i in range(textpage.count_chars()):
            size = raw.FPDFText_GetFontSize(textpage.raw, i)
            if not BODY[0] <= size <= BODY[1]:
                continue
            left, bottom, right, _ = textpage.get_charbox(i, loose=True)
            lines.setdefault(round(bottom), []).append((left, right, textpage.get_text_range(i, 1)))
        if not lines:
            continue
        right_edge = max(max(r for _, r, _ in line) for line in lines.values())
        for line in lines.values():
            line.sort()
            if right_edge - max(r for _, r, _ in line) > 1.0:
                continue  # a paragraph's last line, or a short one
            gaps, previous_right = [], None
            for left, right, char in line:
                if char.isspace():
                    continue
                if previous_right is not None and left - previous_right > 1.2:
                    gaps.append(left - previous_right)
                previous_right = right
            if gaps:
                widest.append(max(gaps))
    document.close()
    return widest


def report(name: str, gaps: list[float]) -> str:
    """One line: lines measured, the widest gap, the median line's widest gap."""
    return (
        f"{name}: {len(gaps)} full lines; widest word gap {max(gaps):.1f} pt; "
        f"median of each line's widest {statistics.median(gaps):.1f} pt"
    )


def main() -> None:
    """Measure the current tree, and a revision before it when asked."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", help="a git revision to measure too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(report("now", line_gaps(build(ROOT, Path(tmp, "now")))))
        if args.before:
            tree = Path(tmp, "before-tree")
            subprocess.run(["git", "worktree", "add", "-q", "--detach", str(tree), args.before],
                           cwd=ROOT, check=True)  # fmt: skip
            try:
                print(report(f"{args.before}", line_gaps(build(tree, Path(tmp, "before")))))
            finally:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True
                )


if __name__ == "__main__":
    main()
