"""Per-transaction mode: which document each kind of Stripe money becomes, and who is on its other side.

Every balance transaction becomes one document that moves its gross on Stripe Clearing (a sales receipt,
a payment of an invoice, a refund receipt, ...). The fees Stripe took from transactions are expenses per
currency and day (`daily_stripe_fees`, vendor Stripe; `daily_platform_fees`, the application fees a
connected account pays its platform), a line per fee type, each line traced to its transactions: one
expense per transaction would double the documents to post against QuickBooks' 500 requests a minute and
Xero's 5,000 a day, for no accounting gain. The price: a transaction of a past day seen late rebuilds that
day's fee expense (posted again as an update). Invoices and credit notes are documents of their own, dated
when Stripe finalised or issued them.

The accounts still come from the booking rules (rules.py) and the mapping file; only the grouping into
documents, their type and their counterparty are decided here.
"""

from __future__ import annotations

# Reporting category -> (kind of document, what its key names: "source" when Stripe gives the object one
# transaction of that category (a charge, a refund, a payout), else "transaction": the source and the
# transaction's own id). A category not listed is booked as `other_activity`, keyed by transaction.
CATEGORY_KINDS: dict[str, tuple[str, str]] = {
    "charge": ("sales_receipt", "source"),
    "partial_capture_reversal": ("uncaptured_payment", "transaction"),
    "charge_failure": ("failed_payment", "transaction"),
    "refund": ("refund_receipt", "source"),
    "refund_failure": ("failed_refund", "transaction"),
    "dispute": ("dispute", "transaction"),
    "dispute_reversal": ("dispute_won", "transaction"),
    "fee": ("stripe_fee", "transaction"),
    "tax": ("stripe_fee", "transaction"),
    "platform_earning": ("application_fee", "source"),
    "platform_earning_refund": ("application_fee_refund", "source"),
    "transfer": ("connect_transfer", "source"),
    "transfer_reversal": ("connect_transfer_reversal", "transaction"),
    "connect_collection_transfer": ("connect_collection", "transaction"),
    "connect_reserved_funds": ("reserve", "transaction"),
    "risk_reserved_funds": ("reserve", "transaction"),
    "topup": ("topup", "source"),
    "topup_reversal": ("topup_reversal", "transaction"),
    "other_adjustment": ("adjustment", "transaction"),
}

# Kind -> (document type when money leaves Stripe, when it arrives or none moves, who is on the other side,
# memo). Money out to a vendor or another party is an expense; money in from anyone but a customer buying
# something is a journal entry (QuickBooks and Xero have no "receipt from a vendor" the loader could use).
# Counterparties: customer (the Stripe customer), stripe (vendor Stripe), connected_account, platform (the
# Connect platform a connected account pays application fees to), none.
KINDS: dict[str, tuple[str, str, str, str]] = {
    "sales_receipt": ("sales_receipt", "sales_receipt", "customer", "Stripe payment"),
    "payment": ("payment", "payment", "customer", "Payment of invoice"),
    "invoice": ("invoice", "invoice", "customer", "Invoice"),
    "invoice_void": ("invoice", "invoice", "customer", "Void of invoice"),
    "refund_receipt": ("refund_receipt", "refund_receipt", "customer", "Refund"),
    "credit_note": ("credit_note", "credit_note", "customer", "Credit note"),
    "credit_note_void": ("credit_note", "credit_note", "customer", "Void of credit note"),
    "uncaptured_payment": ("journal_entry", "journal_entry", "customer", "Payment not captured"),
    "failed_payment": ("journal_entry", "journal_entry", "customer", "Failed payment"),
    "failed_refund": ("journal_entry", "journal_entry", "customer", "Failed refund returned"),
    "dispute": ("expense", "journal_entry", "customer", "Dispute (chargeback)"),
    "dispute_won": ("journal_entry", "journal_entry", "customer", "Dispute won"),
    "daily_stripe_fees": ("expense", "journal_entry", "stripe", "Stripe fees of"),
    "daily_platform_fees": ("expense", "journal_entry", "platform", "Platform fees paid on"),
    "stripe_fee": ("expense", "journal_entry", "stripe", "Stripe fee"),
    "application_fee": ("expense", "journal_entry", "connected_account", "Application fee"),
    "application_fee_refund": ("expense", "journal_entry", "connected_account", "Application fee refunded"),
    "connect_transfer": ("expense", "journal_entry", "connected_account", "Transfer"),
    "connect_transfer_reversal": ("expense", "journal_entry", "connected_account", "Transfer reversed"),
    "connect_collection": ("expense", "journal_entry", "none", "Collected by the platform"),
    "reserve": ("journal_entry", "journal_entry", "stripe", "Stripe reserve"),
    "topup": ("transfer", "transfer", "none", "Top-up from the bank"),
    "topup_reversal": ("transfer", "transfer", "none", "Top-up reversed"),
    "adjustment": ("expense", "journal_entry", "stripe", "Stripe adjustment"),
    "payout": ("transfer", "transfer", "none", "Stripe payout"),
    "payout_failure": ("transfer", "transfer", "none", "Stripe payout failed"),
    "opening_balance": ("journal_entry", "journal_entry", "none", "Opening Stripe balance"),
    "other_activity": ("journal_entry", "journal_entry", "stripe", "Stripe balance activity"),
}

# Line order inside a document: the money (bank, Stripe Clearing, the receivable), what it was for, the
# small print. Inside a role, Stripe's own line order.
DOCUMENT_ROLE_ORDER = ("bank", "clearing", "receivables", "opening_balance_equity", "revenue", "discounts",
                       "refunds", "tax", "disputes", "dispute_fees", "fee", "stripe_fee", "currency_conversion_fees",
                       "platform_fees", "transfers", "topups", "reserves", "adjustments", "category",
                       "exchange_gain_loss", "rounding")


def category_kind_rows() -> list[tuple[str, str, str]]:
    return [(category, kind, keyed_by) for category, (kind, keyed_by) in sorted(CATEGORY_KINDS.items())]


def kind_rows() -> list[tuple[str, str, str, str, str]]:
    return [(kind, *spec) for kind, spec in sorted(KINDS.items())]


def role_order_rows() -> list[tuple[str, int]]:
    return [(role, n) for n, role in enumerate(DOCUMENT_ROLE_ORDER)]
