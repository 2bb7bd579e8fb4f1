"""The booking rules: for each Stripe reporting category, which mapped account takes a transaction's gross
amount. Its net always goes to the Stripe Clearing account of its currency and each fee line to the
account of its fee type, so only the gross needs a rule.

A category with no rule here (Capital advances, Issuing, anything Stripe adds later) is not skipped: it
is booked only once the mapping file names an account for it under `categories:`, and until then its
entries wait in quarantine with that key named. The same key overrides a rule below.
"""

from __future__ import annotations

from ledger_pipeline.money import THREE_DECIMAL, ZERO_DECIMAL

# category -> (role in the mapping file, line description). Roles with special handling:
#   revenue  split over the paid invoice's products and tax, else `accounts.revenue`
#   refunds  split into refunds and the tax given back (credit note or invoice), else `accounts.refunds`
#   stripe_fee  by kind of fee (`stripe_fees.<kind>`)
#   bank     payouts: their own entries, moving money between Stripe Clearing and the bank
CATEGORY_RULES: dict[str, tuple[str | None, str]] = {
    "charge": ("revenue", "Sales"),
    "partial_capture_reversal": ("revenue", "Sales not captured"),
    "charge_failure": ("revenue", "Failed payments"),
    "refund": ("refunds", "Refunds"),
    "refund_failure": ("refunds", "Failed refunds returned"),
    "dispute": ("disputes", "Disputes (chargebacks)"),
    "dispute_reversal": ("disputes", "Disputes won"),
    "fee": ("stripe_fee", "Stripe fees"),
    "tax": ("fee_tax", "Tax on Stripe fees"),
    "platform_earning": ("platform_fees", "Platform fees earned"),
    "platform_earning_refund": ("platform_fees", "Platform fees refunded"),
    "transfer": ("transfers", "Transfers"),
    "transfer_reversal": ("transfers", "Transfers reversed"),
    "connect_collection_transfer": ("transfers", "Collected from connected accounts"),
    "connect_reserved_funds": ("reserves", "Funds reserved for connected accounts"),
    "risk_reserved_funds": ("reserves", "Funds held in reserve"),
    "topup": ("topups", "Top-ups from the bank"),
    "topup_reversal": ("topups", "Top-ups reversed"),
    "other_adjustment": ("adjustments", "Stripe adjustments"),
    "payout": ("bank", "Payout to the bank"),
    "payout_reversal": ("bank", "Payout returned"),
    # Documented, but no account a business would choose by default: map under `categories:`.
    "advance": (None, "Stripe Capital advance"),
    "advance_funding": (None, "Stripe Capital advance funding"),
    "issuing_authorization_hold": (None, "Issuing authorization hold"),
    "issuing_authorization_release": (None, "Issuing authorization release"),
    "issuing_transaction": (None, "Issuing card transaction"),
}

# When a transaction carries no reporting category (older API versions), its type says it.
TYPE_CATEGORIES: dict[str, str] = {
    "charge": "charge", "payment": "charge", "refund": "refund", "payment_refund": "refund",
    "refund_failure": "refund_failure", "payment_failure_refund": "refund_failure",
    "payment_reversal": "charge_failure", "adjustment": "other_adjustment",
    "application_fee": "platform_earning", "application_fee_refund": "platform_earning_refund",
    "transfer": "transfer", "transfer_cancel": "transfer_reversal", "transfer_failure": "transfer_reversal",
    "transfer_refund": "transfer_reversal", "connect_collection_transfer": "connect_collection_transfer",
    "payout": "payout", "payout_cancel": "payout_reversal", "payout_failure": "payout_reversal",
    "stripe_fee": "fee", "stripe_fx_fee": "fee", "tax_fee": "fee", "topup": "topup",
    "topup_reversal": "topup_reversal", "reserve_transaction": "risk_reserved_funds",
    "reserved_funds": "risk_reserved_funds", "advance": "advance", "advance_funding": "advance_funding",
    "issuing_authorization_hold": "issuing_authorization_hold",
    "issuing_authorization_release": "issuing_authorization_release", "issuing_transaction": "issuing_transaction",
}

# Descriptions of fee lines (fee_details types) and of kinds of Stripe fees charged on their own.
FEE_LABELS: dict[str, str] = {
    "stripe_fee": "Stripe processing fees",
    "application_fee": "Platform fees paid",
    "tax": "Tax on Stripe fees",
    "payment_method_passthrough_fee": "Payment method pass-through fees",
    "withheld_tax": "Tax withheld by Stripe",
}
STRIPE_FEE_LABELS: dict[str, str] = {
    "billing": "Stripe Billing fees", "radar": "Stripe Radar fees", "connect": "Stripe Connect fees",
    "tax": "Stripe Tax fees", "instant": "Instant Payout fees", "identity": "Stripe Identity fees",
    "invoicing": "Stripe Invoicing fees", "card": "Card account fees",
}

# Line order inside an entry: the money (bank, then Stripe Clearing), what it was for, the small print.
ROLE_ORDER = ("bank", "clearing", "opening_balance_equity", "revenue", "discounts", "tax", "refunds", "disputes",
              "dispute_fees", "fee", "stripe_fee", "currency_conversion_fees", "platform_fees", "transfers",
              "topups", "reserves", "adjustments", "category", "rounding")


def rule_rows() -> list[tuple[str, str | None, str]]:
    return [(category, role, label) for category, (role, label) in sorted(CATEGORY_RULES.items())]


def type_rows() -> list[tuple[str, str]]:
    return sorted(TYPE_CATEGORIES.items())


def label_rows() -> list[tuple[str, str, str]]:
    return ([("fee", key, label) for key, label in sorted(FEE_LABELS.items())]
            + [("stripe_fee", key, label) for key, label in sorted(STRIPE_FEE_LABELS.items())])


def role_order_rows() -> list[tuple[str, int]]:
    return [(role, n) for n, role in enumerate(ROLE_ORDER)]


def exponent_rows() -> list[tuple[str, int]]:
    return sorted([(c, 0) for c in ZERO_DECIMAL] + [(c, 3) for c in THREE_DECIMAL])
