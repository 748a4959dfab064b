"""Press: from rendered pages to the files a print shop wants (master, reader, imposition,
preflight)."""
