"""ledger_pipeline: Stripe money into QuickBooks Online and Xero books, to the cent, with proof."""

__version__ = "0.1.0"
