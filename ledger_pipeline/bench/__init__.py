"""Benchmarks run against the in-process sandboxes (`ledger-pipeline bench ...`)."""
