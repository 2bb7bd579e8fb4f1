"""The list endpoints the sandbox serves, with the filters Stripe accepts on each."""

from __future__ import annotations

from .listing import ListSpec

# path segment under /v1 -> what it lists
RESOURCES: dict[str, ListSpec] = {spec.url.removeprefix("/v1/"): spec for spec in (
    ListSpec("balance_transaction", "/v1/balance_transactions", filters=("type", "currency", "source"),
             special=("payout",)),
    ListSpec("charge", "/v1/charges", filters=("customer", "payment_intent", "transfer_group")),
    ListSpec("payment_intent", "/v1/payment_intents", filters=("customer",)),
    ListSpec("refund", "/v1/refunds", filters=("charge", "payment_intent")),
    ListSpec("dispute", "/v1/disputes", filters=("charge", "payment_intent")),
    ListSpec("payout", "/v1/payouts", filters=("status", "destination"), ranges=("created", "arrival_date")),
    ListSpec("customer", "/v1/customers", filters=("email", "test_clock")),
    ListSpec("product", "/v1/products", filters=("url",), bool_filters=("active", "shippable"),
             special=("ids",)),
    ListSpec("price", "/v1/prices", filters=("product", "currency", "type"), bool_filters=("active",),
             special=("lookup_keys", "recurring")),
    ListSpec("invoice", "/v1/invoices", filters=("customer", "status", "subscription", "collection_method"),
             ranges=("created", "due_date")),
    ListSpec("credit_note", "/v1/credit_notes", filters=("invoice", "customer")),
    ListSpec("invoice_payment", "/v1/invoice_payments", filters=("invoice", "status"), special=("payment",)),
    ListSpec("coupon", "/v1/coupons"),
    ListSpec("tax_rate", "/v1/tax_rates", bool_filters=("active", "inclusive")),
    ListSpec("application_fee", "/v1/application_fees", filters=("charge",)),
    ListSpec("transfer", "/v1/transfers", filters=("destination", "transfer_group")),
    ListSpec("account", "/v1/accounts", platform_only=True),
    ListSpec("event", "/v1/events", special=("type", "types", "delivery_success")),
)}
