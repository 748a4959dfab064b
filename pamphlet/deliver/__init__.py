"""Deliver: the editions of a batch sent to a print queue (CUPS through `lp`), and what was
sent recorded in the batch's manifest."""
