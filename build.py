#!/usr/bin/env python3
"""Build the weekly pamphlet: `python build.py` (this week), `python build.py build DIR -o OUT`."""

import os
import signal
import sys
from pathlib import Path

# Ctrl-C while the engine is being imported: one line and exit 130, not a traceback.
signal.signal(
    signal.SIGINT, lambda *_: (os.write(2, b"interrupted; nothing was written\n"), os._exit(130))
)

from pamphlet.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(project=Path(__file__).resolve().parent))
