"""The calls a month of the demo's busiest tenant takes to post to Xero, a day at a time, against the 5,000 calls
a day Xero allows an organisation.

The demo's Stripe world (the generator with the demo's settings: seed 7, 20 charges a day per account, two
connected accounts) over `days` days; the tenant is the account with the most balance transactions. A day
posts as the loader posts it (document_rules.py, defs/xero/documents.py): each balance transaction one
document (a payout a bank transfer, a charge paying an invoice a payment, anything else receive or spend
money on Stripe Clearing) but the fees, which are one expense per currency and kind of fee a day; the
invoices and credit notes Stripe finalised that day; the customers first seen that day as contacts. Calls:
one PUT per 50 objects of a kind, and the contact list read once on a day with contacts to match.
Reading the books back after posting is not counted here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Any

from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

BATCH = 50           # objects per request (Xero's recommended bundle)
DAILY_BUDGET = 5000  # calls a day per organisation
FEE_KINDS = ("stripe_fee", "application_fee")  # daily_stripe_fees and daily_platform_fees


def busiest_month(days: int = 30, seed: int = 7) -> dict[str, Any]:
    data = generate(GeneratorSettings(seed=seed, days=days, events=False))["objects"]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for obj in data:
        by_kind[obj["object"]].append(obj)
    tenant = Counter(t.get("account") for t in by_kind["balance_transaction"]).most_common(1)[0][0]
    paying_invoices = {p["payment"].get("payment_intent") for p in by_kind["invoice_payment"]}
    charges = {c["id"]: c for c in by_kind["charge"] if c.get("account") == tenant}
    documents: dict[dt.date, Counter] = defaultdict(Counter)
    fee_days: set[tuple[dt.date, str, str]] = set()
    first_seen: dict[str, dt.date] = {}
    for txn in (t for t in by_kind["balance_transaction"] if t.get("account") == tenant):
        day = _day(txn["created"])
        charge = charges.get(txn.get("source") or "")
        if txn["reporting_category"] == "payout":
            documents[day]["BankTransfers"] += 1
        elif charge is not None and charge.get("payment_intent") in paying_invoices:
            documents[day]["Payments"] += 1
        else:
            documents[day]["BankTransactions"] += 1
        fee_days |= {(day, txn["currency"], fee["type"]) for fee in txn.get("fee_details") or []
                     if fee["type"] in FEE_KINDS}
        if charge is not None and charge.get("customer"):
            first_seen[charge["customer"]] = min(day, first_seen.get(charge["customer"], day))
    for day, _, _ in fee_days:
        documents[day]["BankTransactions"] += 1
    for invoice in (i for i in by_kind["invoice"] if i.get("account") == tenant):
        finalised = (invoice.get("status_transitions") or {}).get("finalized_at")
        if finalised:
            documents[_day(finalised)]["Invoices"] += 1
            first_seen[invoice["customer"]] = min(_day(finalised), first_seen.get(invoice["customer"], _day(finalised)))
    for note in (n for n in by_kind["credit_note"] if n.get("account") == tenant):
        documents[_day(note["created"])]["CreditNotes"] += 1
    for day in first_seen.values():
        documents[day]["Contacts"] += 1
    calls = {day: sum(math.ceil(n / BATCH) for n in kinds.values()) + (1 if kinds["Contacts"] else 0)
             for day, kinds in documents.items()}
    objects = sum(sum(kinds.values()) for kinds in documents.values())
    month_calls = round(sum(calls.values()) * 30 / days)
    return {"busiest tenant": tenant or "the platform", "busiest tenant objects a month": round(objects * 30 / days),
            "calls_for_busiest_month": month_calls, "daily_budget": DAILY_BUDGET,
            "busiest month, share of one day's budget": round(month_calls / DAILY_BUDGET, 4),
            "busiest day, calls": max(calls.values(), default=0)}


def _day(timestamp: int) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()
