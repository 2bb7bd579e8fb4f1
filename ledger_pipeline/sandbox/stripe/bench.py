"""How fast the sandbox pages balance transactions: `python -m ledger_pipeline.sandbox.stripe.bench [COUNT]`.

Loads COUNT charges in Stripe's full shape, each with its balance transaction, then lists the transactions
100 per page with `expand[]=data.source`: in the server's own code (no HTTP), over HTTP with `requests`, and
with the real stripe client's auto-paging. Prints pages per second for each.
"""

from __future__ import annotations

import json
import marshal
import sys
import time
from typing import Any

import requests
import stripe

from ..common import SandboxClock
from .context import Context
from .gateway import json_response
from .resources import RESOURCES
from .routes import Api
from .sandbox import StripeSandbox

START = 1767225600  # 2026-01-01
KEY = "sk_test_sandbox"


def _charge_template() -> dict[str, Any]:
    return {
        "id": "", "object": "charge", "amount": 0, "amount_captured": 0, "amount_refunded": 0, "application": None,
        "application_fee": None, "application_fee_amount": None, "balance_transaction": "",
        "billing_details": {"address": {"city": None, "country": "US", "line1": None, "line2": None,
                                        "postal_code": "10001", "state": None},
                            "email": "buyer@example.com", "name": "Buyer", "phone": None},
        "calculated_statement_descriptor": "LEDGER PIPELINE", "captured": True, "created": 0, "currency": "usd",
        "customer": "cus_BenchCustomer01", "description": "Subscription update", "disputed": False,
        "failure_balance_transaction": None, "failure_code": None, "failure_message": None, "fraud_details": {},
        "livemode": False, "metadata": {"order_id": "A-1000"}, "on_behalf_of": None,
        "outcome": {"network_status": "approved_by_network", "reason": None, "risk_level": "normal",
                    "risk_score": 32, "seller_message": "Payment complete.", "type": "authorized"},
        "paid": True, "payment_intent": None, "payment_method": "pm_BenchCard0000000000000000",
        "payment_method_details": {"type": "card", "card": {"brand": "visa", "country": "US", "exp_month": 12,
                                                            "exp_year": 2030, "funding": "credit", "last4": "4242",
                                                            "network": "visa", "three_d_secure": None}},
        "receipt_email": None, "receipt_number": None, "receipt_url": None, "refunded": False, "review": None,
        "shipping": None, "source_transfer": None, "statement_descriptor": None, "statement_descriptor_suffix": None,
        "status": "succeeded", "transfer_data": None, "transfer_group": None,
    }


def bulk_seed(count: int, start: int = START) -> dict[str, Any]:
    """`count` charges and their balance transactions, one every 30 seconds from `start`."""
    template = marshal.dumps(_charge_template())
    objects: list[dict[str, Any]] = []
    for n in range(count):
        created, amount = start + n * 30, 1000 + n % 500
        fee = round(amount * 0.029) + 30
        charge = marshal.loads(template)
        charge.update(id=f"ch_3Bench{n:017d}", balance_transaction=f"txn_3Bench{n:016d}", created=created,
                      amount=amount, amount_captured=amount)
        objects.append(charge)
        objects.append({
            "id": charge["balance_transaction"], "object": "balance_transaction", "amount": amount,
            "available_on": created + 2 * 86400, "balance_type": "payments", "created": created, "currency": "usd",
            "description": "Subscription update", "exchange_rate": None, "fee": fee,
            "fee_details": [{"amount": fee, "application": None, "currency": "usd",
                             "description": "Stripe processing fees", "type": "stripe_fee"}],
            "net": amount - fee, "reporting_category": "charge", "source": charge["id"], "status": "available",
            "type": "charge"})
    return {"objects": objects}


def run(count: int = 100_000, http_pages: int = 200, client_pages: int = 50) -> dict[str, float]:
    now = START + (count * 30) + 3 * 86400
    seed = bulk_seed(count)
    sandbox = StripeSandbox(clock=SandboxClock(frozen_at=now), requests_per_second=1_000_000)
    started = time.perf_counter()
    sandbox.store.load(seed, copy_objects=False)
    figures = {"balance_transactions": count, "load_seconds": time.perf_counter() - started}
    del seed

    api, spec = Api(sandbox), RESOURCES["balance_transactions"]
    started, pages, after = time.perf_counter(), 0, None
    while True:
        params: dict[str, Any] = {"limit": "100", "expand": ["data.source"]}
        if after:
            params["starting_after"] = after
        page = api.list(spec, Context(sandbox.store, None, now, "req_bench"), params)
        json_response(page)
        pages += 1
        if not page["has_more"]:
            break
        after = page["data"][-1]["id"]
    figures["server_pages"] = pages
    figures["server_pages_per_second"] = pages / (time.perf_counter() - started)

    server = sandbox.serve()
    try:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {KEY}"
        started, after = time.perf_counter(), None
        pages = min(http_pages, count // 100)
        for _ in range(pages):
            query = {"limit": 100, "expand[]": "data.source", **({"starting_after": after} if after else {})}
            body = session.get(f"{server.base_url}/v1/balance_transactions", params=query).json()
            after = body["data"][-1]["id"]
        figures["http_pages_per_second"] = pages / (time.perf_counter() - started)

        client = stripe.StripeClient(KEY, base_addresses={"api": server.base_url}, max_network_retries=0)
        started, seen = time.perf_counter(), 0
        listed = client.v1.balance_transactions.list(params={"limit": 100, "expand": ["data.source"]})
        for _ in listed.auto_paging_iter():
            seen += 1
            if seen >= client_pages * 100:
                break
        figures["stripe_client_pages_per_second"] = (seen / 100) / (time.perf_counter() - started)

        started = time.perf_counter()
        middle = START + (count // 2) * 30
        client.v1.balance_transactions.list(params={"limit": 100, "created": {"gte": middle, "lt": middle + 3000}})
        figures["created_window_page_ms"] = (time.perf_counter() - started) * 1000
    finally:
        server.stop()
    return figures


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 100_000
    print(json.dumps({key: round(value, 2) for key, value in run(count).items()}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
