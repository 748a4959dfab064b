#!/usr/bin/env python3
"""Build the weekly pamphlet: `python build.py` (this week) or `python build.py build DIR -o OUT`."""

import sys

from pamphlet.cli import main

if __name__ == "__main__":
    sys.exit(main())
