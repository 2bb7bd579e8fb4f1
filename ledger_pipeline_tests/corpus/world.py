"""The corpus's Stripe world: a handful of good objects every case starts from, and the builders a case's
`feed` uses to add its own (a sale, a bare balance transaction, verbatim objects), then patch them.

Everything happens on one day, `DAY` (yesterday, UTC), and is paid out the same evening: the base world by
`po_base`, a case's money by `po_case`, so the books of the base world are one payout summary and one
payout, and whatever a case adds lands in an entry of its own that can be held back on its own.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from ledger_pipeline.sandbox.stripe import factories as f
from ledger_pipeline.sandbox.stripe.gen_invoice_shapes import compute_lines, invoice, invoice_payment, line_item

DAY = dt.date.today() - dt.timedelta(days=1)
MIDNIGHT = int(dt.datetime.combine(DAY, dt.time(), tzinfo=dt.timezone.utc).timestamp())
NOW = MIDNIGHT + 86400 + 12 * 3600          # the sandbox's frozen clock: noon the day after
CASE_PAYOUT = "po_case"


def at(hhmm: str) -> int:
    """'14:30' on DAY as unix seconds."""
    hours, minutes = hhmm.split(":")
    return MIDNIGHT + int(hours) * 3600 + int(minutes) * 60


class World:
    """Objects in the seed format, with the payout that carries the case's balance transactions."""

    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.composition: dict[str, list[str]] = {}
        self.case_transactions: list[str] = []

    def add(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.objects[obj["id"]] = obj
        return obj

    def seed(self) -> dict[str, Any]:
        return copy.deepcopy({"objects": list(self.objects.values()), "payout_composition": self.composition})

    # --- catalog -----------------------------------------------------------------------------------------

    def customer(self, id: str, name: str | None = "Ada Lovelace", *, created: str = "07:00", **fields: Any) -> dict:
        obj = f.customer(id=id, created=at(created), name=name, email="ada@example.com", country="US",
                         postal_code="94107", city="San Francisco", currency="usd", invoice_prefix="ADA00001",
                         default_payment_method=None)
        obj.update(fields)
        return self.add(obj)

    def product(self, id: str, name: str, *, created: str = "07:00") -> dict:
        return self.add(f.product(id=id, created=at(created), name=name, description=None, tax_code=None))

    def price(self, id: str, product: str, unit_amount: int, currency: str = "usd", *, tax_behavior: str = "exclusive",
              created: str = "07:00") -> dict:
        return self.add(f.price(id=id, created=at(created), product=product, currency=currency,
                                unit_amount=unit_amount, recurring=None, tax_behavior=tax_behavior))

    def tax_rate(self, id: str, jurisdiction: str, percentage: str = "7.25", *, created: str = "07:00") -> dict:
        return self.add(f.tax_rate(id=id, created=at(created), display_name="Sales tax", percentage=percentage,
                                   inclusive=False, country="US", state=None, jurisdiction=jurisdiction,
                                   jurisdiction_level="state", tax_type="sales_tax", description=None))

    # --- money ---------------------------------------------------------------------------------------------

    def sale(self, key: str, amount: int | None = None, *, currency: str = "usd", fee: int | None = None,
             created: str = "10:00", customer: str | None = None, description: str | None = None,
             metadata: dict | None = None, price: str | None = None, tax_rate: str | None = None,
             settled_in: str | None = None, exchange_rate: float | None = None, in_payout: bool = True) -> str:
        """A card payment of `amount` (ch_<key>, pi_<key>, txn_<key>); with `price` instead, of the invoice
        in_<key> it pays (one line of that price, taxed at `tax_rate` if given). Returns the charge id."""
        when = at(created)
        charge_id, intent_id, txn_id = f"ch_{key}", f"pi_{key}", f"txn_{key}"
        if price is not None:
            amount = self._invoice(key, price, tax_rate, customer, when, intent_id)
        settled = settled_in or currency
        gross = amount if exchange_rate is None else round(amount * exchange_rate)
        fee = round(gross * 0.029) + (30 if settled == "usd" else 0) if fee is None else fee
        details = [f.fee_detail(fee, settled, "stripe_fee", "Stripe processing fees")] if fee else []
        self.add(f.payment_intent(id=intent_id, amount=amount, currency=currency, created=when, customer=customer,
                                  payment_method=None, latest_charge=charge_id, client_secret=f"{intent_id}_secret",
                                  description=description, metadata=metadata))
        self.add(f.charge(id=charge_id, amount=amount, currency=currency, created=when, customer=customer,
                          payment_intent=intent_id, payment_method=None, balance_transaction=txn_id,
                          billing_name=None, billing_email=None, billing_country="US", postal_code=None,
                          payment_method_details={"type": "card", "card": {"brand": "visa", "last4": "4242"}},
                          descriptor="LEDGERDEMO", description=description, metadata=metadata))
        self.transaction(txn_id, gross, type="charge", currency=settled, source=charge_id, fee_details=details,
                         created=created, exchange_rate=exchange_rate, in_payout=in_payout)
        return charge_id

    def _invoice(self, key: str, price_id: str, tax_rate_id: str | None, customer_id: str | None, when: int,
                 intent_id: str) -> int:
        price = self.objects[price_id]
        product = self.objects[price["product"]]
        rate = self.objects.get(tax_rate_id) if tax_rate_id else None
        customer = self.objects.get(customer_id or "") or {"id": customer_id, "address": None}
        computed, _ = compute_lines([(price, 1)], rate, None)
        invoice_id = f"in_{key}"
        line = line_item(id=f"il_{key}", invoice=invoice_id, computed=computed[0], product=product,
                         currency=price["currency"], period=(when, when), discount_id=None,
                         tax_rate_id=rate["id"] if rate else None, parent=None)
        obj = invoice(id=invoice_id, created=when - 600, currency=price["currency"], customer=customer,
                      customer_name=customer.get("name"), customer_email=None, lines=[line], computed=computed,
                      discount_id=None, tax_rate=rate, collection_method="charge_automatically",
                      billing_reason="manual", account_name="Ledger Demo Co", parent=None, due_date=None)
        payment = invoice_payment(id=f"inpay_{key}", invoice=invoice_id, amount=obj["total"],
                                  currency=obj["currency"], created=when, payment_intent=intent_id, is_default=True)
        obj.update(status="paid", amount_paid=obj["total"], amount_remaining=0,
                   payments={**obj["payments"], "data": [payment], "total_count": 1})
        obj["status_transitions"] = {**obj["status_transitions"], "finalized_at": when - 600, "paid_at": when}
        self.add(obj)
        self.add(payment)
        return obj["total"]

    def transaction(self, id: str, amount: int, *, type: str, category: str | None = None, currency: str = "usd",
                    source: str | None = None, fee_details: list | None = None, created: str = "10:00",
                    exchange_rate: float | None = None, description: str | None = None,
                    in_payout: bool = True) -> dict:
        when = at(created)
        obj = f.balance_transaction(id=id, amount=amount, currency=currency, created=when, available_on=when,
                                    type=type, reporting_category=category or type, source=source,
                                    fee_details=fee_details or [], as_of=NOW, description=description,
                                    exchange_rate=exchange_rate)
        if in_payout:
            self.case_transactions.append(id)
        return self.add(obj)

    def payout(self, id: str, members: list[str], *, created: str = "20:00") -> dict:
        """An automatic payout of exactly what `members` net to (in their currency), its own transaction,
        its composition."""
        amount = sum(self.objects[m]["net"] for m in members)
        currency = self.objects[members[0]]["currency"]
        own = f"txn_{id}"
        self.transaction(own, -amount, type="payout", currency=currency, source=id, created=created, in_payout=False)
        self.composition[id] = [*members, own]
        return self.add(f.payout(id=id, amount=amount, currency=currency, created=at(created),
                                 arrival_date=MIDNIGHT + 86400, automatic=True, balance_transaction=own,
                                 destination="ba_base", status="paid", reconciliation_status="completed"))


def base_world() -> World:
    """Two sales (one paying an invoice for a mapped, taxed product) paid out the same evening."""
    world = World()
    world.customer("cus_base")
    world.product("prod_pro", "Ledger Pro")
    world.price("price_pro", "prod_pro", 10000)
    world.tax_rate("txr_ca", "CA - CALIFORNIA")
    world.sale("base1", price="price_pro", tax_rate="txr_ca", customer="cus_base", created="09:00")
    world.sale("base2", 5000, customer="cus_base", created="09:30", metadata={"channel": "online"})
    world.payout("po_base", list(world.case_transactions))
    world.case_transactions.clear()
    return world
