#!/usr/bin/env python3
"""Build the weekly pamphlet: `python build.py` (this week), `python build.py build DIR -o OUT`."""

import sys
from pathlib import Path

from pamphlet.cli import main  # its first lines take over Ctrl-C while the engine loads

if __name__ == "__main__":
    sys.exit(main(project=Path(__file__).resolve().parent))
