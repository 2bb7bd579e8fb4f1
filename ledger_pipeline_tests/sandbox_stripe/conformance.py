"""Checks the sandbox's answers against Stripe's JSON Schemas (ledger_pipeline_tests/data/specs)."""

from __future__ import annotations

from typing import Any, Iterator

import jsonschema
import stripe

# list endpoint -> the $def its items follow
WITH_SCHEMA = {
    "balance_transactions": "balance_transaction", "charges": "charge", "payment_intents": "payment_intent",
    "refunds": "refund", "disputes": "dispute", "payouts": "payout", "customers": "customer",
    "products": "product", "prices": "price", "invoices": "invoice", "tax_rates": "tax_rate",
    "events": "event", "accounts": "account", "coupons": "coupon",
}
# Resources the bundle holds only as stubs: the fields the pipeline reads must be there.
REQUIRED_WITHOUT_SCHEMA = {
    "application_fees": ("id", "object", "account", "amount", "amount_refunded", "balance_transaction", "charge",
                         "created", "currency", "livemode", "refunded"),
    "transfers": ("id", "object", "amount", "amount_reversed", "balance_transaction", "created", "currency",
                  "destination", "livemode", "metadata", "reversed"),
    "credit_notes": ("id", "object", "amount", "created", "currency", "customer", "invoice", "lines", "livemode",
                     "number", "status", "total", "type"),
    "invoice_payments": ("id", "object", "amount_paid", "amount_requested", "created", "currency", "invoice",
                         "is_default", "livemode", "payment", "status", "status_transitions"),
}


class Conformance:
    def __init__(self, bundle: dict[str, Any], client: stripe.StripeClient, per_resource: int = 400):
        self.defs = bundle["$defs"]
        self.client = client
        self.per_resource = per_resource
        self.errors: list[str] = []
        self.checked: dict[str, int] = {}
        self._validators: dict[str, jsonschema.Draft202012Validator] = {}

    def has_schema(self, name: str) -> bool:
        return name in self.defs and "x-stub-of" not in self.defs[name]

    def validate(self, name: str, obj: dict[str, Any], where: str) -> None:
        if name not in self._validators:
            self._validators[name] = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": self.defs})
        self.checked[name] = self.checked.get(name, 0) + 1
        for error in self._validators[name].iter_errors(obj):
            self.errors.append(f"{where} {obj.get('id')}: {list(error.absolute_path)} {error.message[:160]}")

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self.client.raw_request("get", path, **params).data

    def pages(self, path: str, account: str | None, **params: Any) -> Iterator[dict[str, Any]]:
        """Raw JSON items of a list (the client decodes some fields, e.g. decimals, so read raw)."""
        options = {"stripe_account": account} if account else {}
        seen, after = 0, None
        while seen < self.per_resource:
            query = dict(params, limit=100, **options)
            if after:
                query["starting_after"] = after
            page = self.get(path, **query)
            for item in page["data"]:
                seen += 1
                yield item
            if not page["has_more"] or not page["data"]:
                return
            after = page["data"][-1]["id"]

    def run(self, accounts: list[str | None]) -> "Conformance":
        for account in accounts:
            options = {"stripe_account": account} if account else {}
            for resource, name in WITH_SCHEMA.items():
                if resource == "accounts" and account:
                    continue
                for item in self.pages(f"/v1/{resource}", account):
                    self.validate(name, item, resource)
                    if resource == "events":
                        inner = item["data"]["object"]
                        if self.has_schema(inner.get("object", "")):
                            self.validate(inner["object"], inner, f"event {item['type']} data.object")
                first = self.get(f"/v1/{resource}", limit=1, **options)["data"]
                if first:
                    self.validate(name, self.get(f"/v1/{resource}/{first[0]['id']}", **options), f"{resource}/id")
            for resource, fields in REQUIRED_WITHOUT_SCHEMA.items():
                for item in self.pages(f"/v1/{resource}", account):
                    self.checked[resource] = self.checked.get(resource, 0) + 1
                    missing = [f for f in fields if f not in item]
                    if missing:
                        self.errors.append(f"{resource} {item['id']}: missing {missing}")
            for txn in self.pages("/v1/balance_transactions", account, expand=["data.source"]):
                for fee in txn["fee_details"]:
                    self.validate("fee", fee, "fee_details")
                source = txn.get("source")
                if isinstance(source, dict) and self.has_schema(source["object"]):
                    self.validate(source["object"], source, "expanded source")
            for invoice in self.pages("/v1/invoices", account):
                for line in self.pages(f"/v1/invoices/{invoice['id']}/lines", account):
                    self.validate("line_item", line, "invoice lines")
            balance = self.get("/v1/balance", **options)
            if balance.get("object") != "balance" or not all(
                    {"amount", "currency"} <= set(fund) for fund in balance["available"] + balance["pending"]):
                self.errors.append(f"balance of {account}: {balance}")
        return self
