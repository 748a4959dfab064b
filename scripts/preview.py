"""Render PDF pages to PNG for proofing (run through scripts/preview, with the .venv)."""

import argparse
from pathlib import Path

import pypdfium2 as pdfium


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--scale", type=float, default=1.5)
    parser.add_argument("--pages", help="comma-separated 1-based page numbers")
    args = parser.parse_args()
    out = args.out or args.pdf.with_suffix("")
    out.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(str(args.pdf))
    wanted = {int(p) for p in args.pages.split(",")} if args.pages else None
    for index in range(len(pdf)):
        if wanted and index + 1 not in wanted:
            continue
        image = pdf[index].render(scale=args.scale).to_pil()
        target = out / f"page-{index + 1:02d}.png"
        image.save(target)
        print(target)


if __name__ == "__main__":
    main()
