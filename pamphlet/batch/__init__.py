"""Batch: many editions of one week (plan, run, state, shards; docs/batch.md)."""
