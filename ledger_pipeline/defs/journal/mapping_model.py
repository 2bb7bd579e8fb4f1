"""The shape of a mapping file: what an accountant writes to say where Stripe money lands in the books.

Accounts are named by the target's own reference (a QuickBooks Account Id, a Xero account code) plus a
readable name; the reference is what posts, the name is for the people reviewing the file. Everything
not marked required may be left out: the balance transactions that would need it are held back in
quarantine (with the key to add) instead of being booked somewhere wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# The fee lines Stripe puts on a balance transaction (`fee_details[].type`).
FEE_TYPES = ("stripe_fee", "application_fee", "tax", "payment_method_passthrough_fee", "withheld_tax")
PRODUCT_MATCHERS = ("product", "name")
PRICE_MATCHERS = ("price", "lookup_key")
TAX_RATE_MATCHERS = ("tax_rate", "jurisdiction", "display_name", "country")
BOOKS_ALIAS = "books"        # a clearing/bank key meaning "the books currency"
ACCOUNT_CURRENCY = "account"  # books.currency of a connected-account default: the account's own currency


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ref(_Model):
    """An account, item, tax code or tracking value in the target system."""

    ref: str = Field(min_length=1)
    name: str = Field(min_length=1)

    @field_validator("ref", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        # `ref: 31` reads as a number in YAML; an Id is text.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Books(_Model):
    currency: str                                           # ISO code, or "account" (connected defaults)
    target: Literal["quickbooks", "xero"]
    company: str = Field(min_length=1)                      # QuickBooks realm id / Xero tenant id
    posting_mode: Literal["payout_summary", "per_transaction"] = "payout_summary"
    payout_schedule: Literal["auto", "automatic", "manual"] = "auto"

    @field_validator("company", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Accounts(_Model):
    clearing: dict[str, Ref] = Field(min_length=1)          # the Stripe balance, per settlement currency
    bank: dict[str, Ref] = Field(min_length=1)              # where payouts arrive, per currency
    revenue: Ref                                            # sales with no product (plain payments)
    refunds: Ref
    rounding: Ref
    discounts: Ref | None = None                            # invoice discounts on a line of their own
    disputes: Ref | None = None
    dispute_fees: Ref | None = None                         # default: fees.stripe_fee
    platform_fees: Ref | None = None                        # application fees a platform earns (income)
    transfers: Ref | None = None                            # Connect transfers
    topups: Ref | None = None                               # money added to Stripe from a bank
    reserves: Ref | None = None                             # funds Stripe holds back
    adjustments: Ref | None = None                          # Stripe's other adjustments
    currency_conversion_fees: Ref | None = None
    exchange_gain_loss: Ref | None = None
    tax_payable: Ref | None = None                          # tax rates without an account of their own
    receivables: Ref | None = None                          # A/R, for invoices in documents mode
    opening_balance_equity: Ref | None = None


class ProductRule(_Model):
    product: str | None = None                              # prod_... (exact id)
    name: str | None = None                                 # the product's name, or "*" for any other
    account: Ref
    item: Ref | None = None


class PriceRule(_Model):
    price: str | None = None                                # price_... (exact id)
    lookup_key: str | None = None
    account: Ref
    item: Ref | None = None


class TaxRateRule(_Model):
    tax_rate: str | None = None                             # txr_... (exact id)
    jurisdiction: str | None = None
    display_name: str | None = None
    country: str | None = None                              # or "*" for any other
    account: Ref | None = None                              # default: accounts.tax_payable
    tax_code: Ref | None = None


class Tracking(_Model):
    dimension: str = Field(min_length=1)                    # "class" (QuickBooks) or a Xero tracking category
    metadata_key: str = Field(min_length=1)                 # read from the Stripe object's metadata
    values: dict[str, Ref] = {}
    default: Ref | None = None                              # when the key is absent


class OpeningBalance(_Model):
    as_of: dt.date
    balances: dict[str, Any]                                # currency -> major units, written as text


class MappingFile(_Model):
    books: Books
    accounts: Accounts
    fees: dict[str, Ref] = {}                               # fee_details type -> account
    stripe_fees: dict[str, Ref] = {}                        # kind of a fee-category transaction -> account
    categories: dict[str, Ref] = {}                         # reporting_category -> account (overrides)
    products: list[ProductRule] = []
    prices: list[PriceRule] = []
    tax_rates: list[TaxRateRule] = []
    untaxed_tax_code: Ref | None = None
    tracking: Tracking | None = None
    exchange_rates: dict[str, dict[str, Any]] = {}          # currency -> {"default" | "YYYY-MM": rate}
    opening_balance: OpeningBalance | None = None
