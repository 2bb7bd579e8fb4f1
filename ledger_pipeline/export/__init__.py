"""Exports for people outside the pipeline: a Beancount ledger Beancount itself checks, and the audit pack."""
