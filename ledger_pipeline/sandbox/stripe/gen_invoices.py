"""Stripe Billing on the platform: invoices from draft to paid/void/uncollectible, the charges that pay
them, a $0 invoice, one paid in two partial payments, and a credit note that refunds part of one."""

from __future__ import annotations

from typing import Any

from . import gen_invoice_shapes as shapes
from .gen_catalog import Catalog, CustomerBook, CustomerRec
from .gen_payments import ChargeRec, Payments
from .gen_world import DAY, World

Obj = dict[str, Any]

_USD_MENU = ["pro_monthly", "pro_yearly", "team_monthly", "onboarding", "hour", "stickers"]
_EUR_MENU = ["kaese", "team_monthly_eur"]


class Billing:
    def __init__(self, world: World, catalog: Catalog, customers: CustomerBook, payments: Payments):
        self.world = world
        self.catalog = catalog
        self.customers = customers
        self.payments = payments
        self.acct = world.platform
        self._sequence: dict[str, int] = {}
        self._subscriptions: dict[str, str] = {}
        self.volume_by_day: dict[int, int] = {}   # platform-currency volume paid through invoices (Billing fee)
        self._by_id = {rec.obj["id"]: rec for rec in customers.recs}
        self._products = {p["id"]: p for p in catalog.products.values()}

    # --- building -------------------------------------------------------------------------------------

    def _customer(self, t: int) -> CustomerRec:
        rec = self.customers.pick(self.world, t)
        return rec if rec is not None else self.customers.recs[0]

    def _price(self, key: str, t: int) -> Obj:
        """The price under `key` at `t` (a price replaced later in the window answers with the old one)."""
        price = self.catalog.prices[key]
        if price["created"] > t:
            price = self.catalog.prices.get(key + "_old", price)
        return price

    def _subscription(self, customer_id: str) -> str:
        if customer_id not in self._subscriptions:
            self._subscriptions[customer_id] = self.world.new_id("sub", self.acct)
        return self._subscriptions[customer_id]

    def build(self, t: int, customer: CustomerRec, items: list[tuple[str, int]], *, tax: str | None,
              coupon: str | None, collection_method: str = "charge_automatically",
              due_date: int | None = None, description: str | None = None, metadata: Obj | None = None) -> Obj:
        """A draft invoice created at `t` with `items` as (price key, quantity)."""
        world = self.world
        cat = self.catalog
        acct = self.acct
        prices = [(self._price(key, t), qty) for key, qty in items]
        currency = prices[0][0]["currency"]
        tax_rate = cat.tax_rates[tax] if tax else None
        coupon_obj = cat.coupons[coupon] if coupon else None
        computed, _ = shapes.compute_lines(prices, tax_rate, coupon_obj)
        inv_id = world.new_id("in", acct)
        discount_id = world.new_id("di", acct) if coupon_obj else None
        recurring = any(p.get("recurring") for p, _ in prices)
        sub_id = self._subscription(customer.obj["id"]) if recurring else None
        lines = []
        for c in computed:
            price = c["price"]
            product = self._products[price["product"]]
            if price.get("recurring"):
                length = 365 * DAY if price["recurring"]["interval"] == "year" else 30 * DAY
                period = (t, t + length)
                parent = {"invoice_item_details": None, "type": "subscription_item_details",
                          "subscription_item_details": {"invoice_item": None, "proration": False,
                                                        "proration_details": {"credited_items": None},
                                                        "subscription": sub_id,
                                                        "subscription_item": world.new_id("si", acct)}}
            else:
                period = (t, t)
                parent = {"subscription_item_details": None, "type": "invoice_item_details",
                          "invoice_item_details": {"invoice_item": world.new_id("ii", acct), "proration": False,
                                                   "proration_details": {"credited_items": None},
                                                   "subscription": sub_id}}
            lines.append(shapes.line_item(id=world.new_id("il", acct), invoice=inv_id, computed=c, product=product,
                                          currency=currency, period=period, discount_id=discount_id,
                                          tax_rate_id=tax_rate["id"] if tax_rate else None, parent=parent))
        parent = ({"quote_details": None, "type": "subscription_details",
                   "subscription_details": {"metadata": {}, "subscription": sub_id}} if sub_id else None)
        name, email = customer.name_email_at(t)
        inv = shapes.invoice(
            id=inv_id, created=t, currency=currency, customer=customer.obj, customer_name=name, customer_email=email,
            lines=lines, computed=computed, discount_id=discount_id, tax_rate=tax_rate,
            collection_method=collection_method,
            billing_reason="subscription_cycle" if sub_id else "manual", account_name=acct.display_name,
            parent=parent, due_date=due_date, description=description, metadata=metadata)
        world.add(inv, acct)
        world.event("invoice.created", inv, t, acct)
        return inv

    def _random_items(self, t: int, customer: CustomerRec) -> tuple[list[tuple[str, int]], str | None, str | None]:
        rng = self.world.rng
        country = (customer.obj["address"] or {}).get("country")
        eur = rng.random() < (0.7 if country in ("DE", "FR", "GB") else 0.05)
        if eur:
            keys = rng.sample(_EUR_MENU, rng.randint(1, 2))
            return [(k, rng.randint(1, 3)) for k in keys], "de_vat", None
        keys = rng.sample(_USD_MENU, rng.randint(1, 3))
        items = [(k, 1 if k.startswith("pro") else rng.randint(1, 4)) for k in keys]
        tax = rng.choice(["ca", "ny", None])
        coupon = rng.choice([None, None, None, "save10", "five_off", "loyal"])
        return items, tax, coupon

    # --- state changes ----------------------------------------------------------------------------------

    def finalize(self, inv: Obj, t: int, automatic: bool = True) -> None:
        seq = self._sequence.get(inv["customer"], 0) + 1
        self._sequence[inv["customer"]] = seq
        prefix = self._by_id[inv["customer"]].obj["invoice_prefix"]
        transitions = dict(inv["status_transitions"])
        transitions["finalized_at"] = t
        key = inv["id"][3:]
        self.world.update("invoice.finalized", inv, t, self.acct, {
            "status": "open", "number": f"{prefix}-{seq:04d}", "effective_at": t, "ending_balance": 0,
            "status_transitions": transitions, "webhooks_delivered_at": t,
            "hosted_invoice_url": f"https://invoice.stripe.com/i/{self.acct.fragment}/{key}",
            "invoice_pdf": f"https://pay.stripe.com/invoice/{self.acct.fragment}/{key}/pdf"}, automatic=automatic)

    def pay(self, inv: Obj, t: int, amount: int | None = None, metadata: Obj | None = None) -> ChargeRec | None:
        """Pay `amount` (default: what remains) with a card charge at `t`; paid in full closes the invoice."""
        world = self.world
        remaining = inv["amount_remaining"]
        amount = remaining if amount is None else amount
        customer = self._by_id[inv["customer"]]
        rec = None
        payments_list = list(inv["payments"]["data"])
        if amount > 0:
            rec = self.payments.charge(self.acct, t, amount, inv["currency"], customer,
                                       description="Payment for Invoice", metadata=metadata)
            rec.invoice = inv
            payment = shapes.invoice_payment(id=world.new_id("inpay", self.acct), invoice=inv["id"], amount=amount,
                                             currency=inv["currency"], created=t,
                                             payment_intent=rec.intent["id"], is_default=not payments_list)
            payments_list.append(payment)
            world.add(payment, self.acct)
            world.event("invoice_payment.paid", payment, t, self.acct)
            day = world.day_of(t)
            self.volume_by_day[day] = self.volume_by_day.get(day, 0) + rec.txn["amount"]
        paid = inv["amount_paid"] + amount
        changes: Obj = {"amount_paid": paid, "amount_remaining": inv["amount_due"] - paid,
                        "attempt_count": inv["attempt_count"] + 1, "attempted": True,
                        "payments": {**inv["payments"], "data": payments_list, "total_count": len(payments_list)}}
        if paid >= inv["amount_due"]:
            transitions = dict(inv["status_transitions"])
            transitions["paid_at"] = t
            changes.update({"status": "paid", "status_transitions": transitions, "next_payment_attempt": None,
                            "auto_advance": False})
            world.update("invoice.paid", inv, t, self.acct, changes)
            world.event("invoice.payment_succeeded", inv, t, self.acct)
        else:
            world.update("invoice.updated", inv, t, self.acct, changes)
        return rec

    def paid_invoice(self, t: int) -> ChargeRec | None:
        """The usual: an invoice drafted within the hour before `t`, finalized, charged at `t`."""
        world = self.world
        customer = self.customers.pick(world, t)
        if customer is None:   # nobody to bill yet (the first seconds of the window)
            return None
        created = world.off_midnight(max(customer.created + 1, t - world.rng.randint(300, 3600)))
        items, tax, coupon = self._random_items(created, customer)
        inv = self.build(created, customer, items, tax=tax, coupon=coupon)
        self.finalize(inv, world.off_midnight(created + (t - created) // 2))
        return self.pay(inv, t)

    # --- the special cases --------------------------------------------------------------------------------

    def special_cases(self) -> list[ChargeRec]:
        world = self.world
        at = world.at_fraction
        recs: list[ChargeRec] = []

        draft = self.build(at(0.9), self._customer(at(0.9)), [("hour", 2)], tax="ca", coupon=None,
                           metadata={"sandbox_case": "invoice_draft"})

        t = at(0.3)
        open_inv = self.build(t, self._customer(t), [("onboarding", 1)], tax="ny", coupon="save10",
                              collection_method="send_invoice", due_date=world.midnight_after(t, 30) - 1,
                              metadata={"sandbox_case": "invoice_open"})
        self.finalize(open_inv, t + 120, automatic=False)
        world.event("invoice.sent", open_inv, t + 180, self.acct)

        t = at(0.2)
        void = self.build(t, self._customer(t), [("team_monthly", 3)], tax="ca", coupon=None,
                          collection_method="send_invoice", due_date=world.midnight_after(t, 14) - 1,
                          metadata={"sandbox_case": "invoice_void"})
        self.finalize(void, t + 60, automatic=False)
        t_void = at(0.5)
        transitions = dict(void["status_transitions"], voided_at=t_void)
        world.update("invoice.voided", void, t_void, self.acct, {"status": "void", "status_transitions": transitions,
                                                                  "auto_advance": False})

        t = at(0.15)
        bad = self.build(t, self._customer(t), [("onboarding", 1), ("hour", 3)], tax="ca", coupon=None,
                         collection_method="send_invoice", due_date=world.midnight_after(t, 2) - 1,
                         metadata={"sandbox_case": "invoice_uncollectible"})
        self.finalize(bad, t + 60, automatic=False)
        t_bad = at(0.7)
        transitions = dict(bad["status_transitions"], marked_uncollectible_at=t_bad)
        world.update("invoice.marked_uncollectible", bad, t_bad, self.acct,
                     {"status": "uncollectible", "status_transitions": transitions, "auto_advance": False})

        t = at(0.25)
        zero = self.build(t, self._customer(t), [("stickers", 2)], tax=None, coupon="free",
                          metadata={"sandbox_case": "invoice_zero"})
        self.finalize(zero, t + 60)
        self.pay(zero, t + 61)

        t = at(0.3, 600)
        partial = self.build(t, self._customer(t), [("onboarding", 1), ("hour", 1)], tax="ny", coupon=None,
                             collection_method="send_invoice", due_date=world.midnight_after(t, 30) - 1,
                             metadata={"sandbox_case": "invoice_partial_payments"})
        self.finalize(partial, t + 60, automatic=False)
        first = partial["amount_due"] * 40 // 100
        for when, amount in ((at(0.35), first), (at(0.65), None)):
            rec = self.pay(partial, when, amount, metadata={"sandbox_case": "invoice_partial_payment"})
            if rec is not None:
                rec.busy = True
                recs.append(rec)

        t = at(0.4)
        vat = self.build(t, self._customer(t), [("kaese", 2), ("team_monthly_eur", 1)], tax="de_vat", coupon="save10",
                         metadata={"sandbox_case": "invoice_eur_vat_inclusive"})
        self.finalize(vat, t + 60)
        rec = self.pay(vat, t + 120)
        if rec is not None:
            recs.append(rec)

        t = at(0.2, 600)
        credited = self.build(t, self._customer(t), [("onboarding", 1), ("hour", 2)], tax="ny", coupon=None,
                              metadata={"sandbox_case": "invoice_credit_note"})
        self.finalize(credited, t + 60)
        rec = self.pay(credited, t + 120)
        assert rec is not None
        rec.busy = True
        recs.append(rec)
        self.credit_note(credited, rec, at(0.55))
        return recs

    def credit_note(self, inv: Obj, rec: ChargeRec, t: int) -> Obj:
        """Credit the invoice's last line in full after payment, refunding it to the card."""
        world = self.world
        line = inv["lines"]["data"][-1]
        tax_rate = inv["default_tax_rates"][0] if inv["default_tax_rates"] else None
        cn_id = world.new_id("cn", self.acct)
        exclusive = sum(t_["amount"] for t_ in line["taxes"] if t_["tax_behavior"] == "exclusive")
        refund = self.payments.refund(rec, line["amount"] + exclusive, t, reason=None,
                                      metadata={"credit_note": cn_id})
        cn = shapes.credit_note(id=cn_id, created=t, invoice=inv, number=f"{inv['number']}-CN-01", line=line,
                                line_id=world.new_id("cnli", self.acct), tax_rate=tax_rate, refund_id=refund["id"],
                                memo="Second bookkeeping hour was not used.", reason="order_change")
        world.add(cn, self.acct)
        world.event("credit_note.created", cn, t, self.acct)
        world.update("invoice.updated", inv, t, self.acct,
                     {"post_payment_credit_notes_amount": inv["post_payment_credit_notes_amount"] + cn["total"]})
        return cn

    def close(self) -> None:
        """Customers end with the invoice sequence their finalized invoices used."""
        for rec in self.customers.recs:
            seq = self._sequence.get(rec.obj["id"])
            if seq:
                rec.obj["next_invoice_sequence"] = seq + 1
