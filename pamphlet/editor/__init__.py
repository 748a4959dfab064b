"""The editor's desk: a new week, pasted text made clean, the local web desk, sponsor proofs."""
