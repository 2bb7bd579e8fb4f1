"""The Stripe lists the extraction reads, by asset name, and which of them change after creation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Endpoint:
    asset: str                 # stripe/<asset>
    path: str
    object_type: str           # Stripe's `object` of what it lists
    params: tuple[tuple[str, Any], ...] = ()


ENDPOINTS: tuple[Endpoint, ...] = (
    # Sources come inside the same pages: no call per charge, refund, dispute, payout, transfer or fee.
    Endpoint("balance_transactions", "/v1/balance_transactions", "balance_transaction", (("expand", ["data.source"]),)),
    Endpoint("payouts", "/v1/payouts", "payout"),
    Endpoint("charges", "/v1/charges", "charge"),
    Endpoint("refunds", "/v1/refunds", "refund"),
    Endpoint("disputes", "/v1/disputes", "dispute"),
    Endpoint("customers", "/v1/customers", "customer"),
    Endpoint("products", "/v1/products", "product"),
    Endpoint("prices", "/v1/prices", "price"),
    Endpoint("invoices", "/v1/invoices", "invoice"),
    Endpoint("credit_notes", "/v1/credit_notes", "credit_note"),
    Endpoint("tax_rates", "/v1/tax_rates", "tax_rate"),
    Endpoint("application_fees", "/v1/application_fees", "application_fee"),
    Endpoint("transfers", "/v1/transfers", "transfer"),
    Endpoint("events", "/v1/events", "event"),
)
BY_ASSET = {endpoint.asset: endpoint for endpoint in ENDPOINTS}

# Re-listed over `mutable_lookback_days` when a day's events are past Stripe's retention. Charges and
# refunds are not: a refund, dispute or capture of an older charge brings a balance transaction (whose
# expanded source is the object now) or is fetched by id, so re-listing them would only cost requests.
RELISTED = ("customers", "products", "prices", "invoices", "credit_notes", "disputes", "payouts", "transfers",
            "application_fees", "tax_rates")

# Types Stripe deletes: a full listing of a window that no longer returns one of them means it is gone.
DELETABLE = ("customer", "product", "invoice")

# Asset names in materialization order (stripe/accounts last: only it depends on the tenant's kind).
ASSETS: tuple[str, ...] = (
    "balance_transactions", "payouts", "payout_composition", "charges", "refunds", "disputes", "customers",
    "products", "prices", "invoices", "credit_notes", "tax_rates", "application_fees", "transfers", "events",
    "accounts",
)

# Which object type each asset's rows are (payout_composition rows are balance transactions under a payout).
ASSET_OBJECT_TYPE = {**{e.asset: e.object_type for e in ENDPOINTS}, "payout_composition": "balance_transaction",
                     "accounts": "account"}
