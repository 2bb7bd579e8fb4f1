"""Card payments and what follows them: PaymentIntents, charges and their balance transactions (fees
priced per account country, currency conversion at the day's rate), Connect direct and destination flows
(application fees, transfers, the connected account's `py_` payment), refunds and disputes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import factories as f
from .gen_catalog import FOREIGN, CustomerRec, new_card, same_region
from .gen_ids import DIGITS
from .gen_money import convert, percent_of, processing_fee
from .gen_world import DAY, Account, World

Obj = dict[str, Any]

DIRECT_APP_FEE_BPS = 1000        # 10% of a direct charge goes to the platform
DESTINATION_APP_FEE_BPS = 1200   # the platform keeps 12% of a destination charge


@dataclass
class ChargeRec:
    account: Account            # the account the charge lives on
    charge: Obj
    intent: Obj | None
    txn: Obj
    settle_currency: str
    converted: bool
    customer: CustomerRec | None
    card: Obj
    destination: Account | None = None
    invoice: Obj | None = None
    busy: bool = False          # already given a refund/dispute story


class Payments:
    def __init__(self, world: World, international_rate: float):
        self.world = world
        self.international_rate = international_rate
        self.application = "ca_" + world.ids.chars(32)
        self.platform_name = world.platform.display_name

    # --- helpers ------------------------------------------------------------------------------------

    def _rate(self, source: str, target: str, t: int):
        if source == target:
            return None
        return self.world.fx.rate(source, target, self.world.day_of(t))

    def _settle(self, amount: int, source: str, target: str, t: int) -> tuple[int, Any]:
        rate = self._rate(source, target, t)
        if rate is None:
            return amount, None
        return convert(amount, source, target, rate), rate

    def _card(self, account: Account, customer: CustomerRec | None) -> Obj:
        if customer is not None:
            return customer.card
        world = self.world
        if world.rng.random() < self.international_rate:
            country = world.rng.choice(FOREIGN.get(account.country, ["US"]))
        else:
            country = account.country
        return new_card(world, country)

    # --- a successful card payment --------------------------------------------------------------------

    def charge(self, account: Account, t: int, amount: int, currency: str, customer: CustomerRec | None, *,
               description: str | None = None, metadata: Obj | None = None,
               destination: Account | None = None) -> ChargeRec:
        """A PaymentIntent confirmed at `t` on `account` (platform or a direct-charge connected account);
        with `destination`, a destination charge on the platform for that express account."""
        world = self.world
        rng = world.rng
        settle = account.currency
        card = self._card(account, customer)
        pi_id = world.new_id("pi", account)
        ch_id = world.new_id("ch", account)
        txn_id = world.new_id("txn", account)
        settled, rate = self._settle(amount, currency, settle, t)
        converted = rate is not None
        international = not same_region(card["country"], account.country)
        fee = processing_fee(settled, account.pricing, international, converted)
        fee_details = [f.fee_detail(fee, settle, "stripe_fee", "Stripe processing fees")]
        available_on = world.midnight_after(t, 2)

        app_fee_amount = None
        app_fee_id = None
        transfer_data = transfer_id = transfer_group = None
        if account.flow == "direct":
            app_fee_amount = max(1, percent_of(amount, DIRECT_APP_FEE_BPS))
            app_fee_id = world.new_id("fee", world.platform)
            app_fee_settled = convert(app_fee_amount, currency, settle, rate) if converted else app_fee_amount
            fee_details.append(f.fee_detail(app_fee_settled, settle, "application_fee",
                                            f"{self.platform_name} application fee", self.application))
        elif destination is not None:
            transfer_id = world.new_id("tr", account)
            transfer_group = f"group_{pi_id}"
            transfer_data = {"destination": destination.id}
            app_fee_amount = max(1, percent_of(amount, DESTINATION_APP_FEE_BPS))
            app_fee_id = world.new_id("fee", world.platform)

        customer_id = customer.obj["id"] if customer else None
        name, email = customer.name_email_at(t) if customer else (None, None)
        info = dict(card)
        digits = world.ids.chars(21, DIGITS)
        info["auth_code"] = digits[:6]
        info["network_txn"] = digits[6:]
        pm = customer.pm if customer else world.new_id("pm", account)
        charge = f.charge(
            id=ch_id, amount=amount, currency=currency, created=t, customer=customer_id, payment_intent=pi_id,
            payment_method=pm, balance_transaction=txn_id, billing_name=name, billing_email=email,
            billing_country=card["country"], postal_code=None,
            payment_method_details=f.card_details(info, amount=amount), descriptor=account.descriptor,
            description=description, metadata=metadata, risk_score=3 + int(rng.random() * 70),
            application=self.application if account.flow == "direct" else None,
            application_fee=app_fee_id, application_fee_amount=app_fee_amount,
            transfer=transfer_id, transfer_data=transfer_data, transfer_group=transfer_group,
            receipt_key=f"{account.fragment}/{ch_id}")
        intent = f.payment_intent(
            id=pi_id, amount=amount, currency=currency, created=t, customer=customer_id, payment_method=pm,
            latest_charge=ch_id, client_secret=f"{pi_id}_secret_{world.ids.chars(25)}",
            description=description, metadata=metadata, application=charge["application"],
            application_fee_amount=app_fee_amount, transfer_data=transfer_data, transfer_group=transfer_group,
            receipt_email=email)
        txn = f.balance_transaction(
            id=txn_id, amount=settled, currency=settle, created=t, available_on=available_on, type="charge",
            reporting_category="charge", source=ch_id, fee_details=fee_details, as_of=world.end,
            description=description, exchange_rate=float(rate) if converted else None)
        world.add(intent, account)
        world.add(charge, account)
        world.add(txn, account)
        world.bts.setdefault(account.id, []).append(txn)
        world.event("payment_intent.created", _unconfirmed(intent), t, account)
        world.event("payment_intent.succeeded", intent, t, account)
        world.event("charge.succeeded", charge, t, account)
        rec = ChargeRec(account, charge, intent, txn, settle, converted, customer, card, destination)

        if account.flow == "direct":
            self._platform_application_fee(app_fee_id, account, app_fee_amount, currency, t, ch_id, None,
                                           available_on)
        elif destination is not None:
            self._destination_flow(rec, transfer_id, transfer_group, app_fee_id, app_fee_amount, available_on)
        return rec

    def _platform_application_fee(self, fee_id: str, account: Account, amount: int, currency: str, t: int,
                                  charge_id: str, originating: str | None, available_on: int) -> Obj:
        world = self.world
        platform = world.platform
        settled, rate = self._settle(amount, currency, platform.currency, t)
        txn = world.balance_transaction(
            platform, amount=settled, currency=platform.currency, created=t, available_on=available_on,
            type="application_fee", reporting_category="platform_earning", source=fee_id,
            exchange_rate=float(rate) if rate is not None else None)
        fee = f.application_fee(id=fee_id, account=account.id, amount=amount, currency=currency, created=t,
                                application=self.application, balance_transaction=txn["id"], charge=charge_id,
                                originating_transaction=originating)
        world.add(fee, platform)
        world.event("application_fee.created", fee, t, platform)
        return fee

    def _destination_flow(self, rec: ChargeRec, transfer_id: str, group: str, fee_id: str, app_fee: int,
                          available_on: int) -> None:
        """Transfer the charge to the express account; it pays the application fee back to the platform."""
        world = self.world
        platform = world.platform
        dest = rec.destination
        assert dest is not None
        t = rec.charge["created"]
        amount = rec.charge["amount"]
        currency = rec.charge["currency"]
        txn = world.balance_transaction(
            platform, amount=-amount, currency=currency, created=t, available_on=available_on, type="transfer",
            reporting_category="transfer", source=transfer_id)
        py_id = world.new_id("py", dest)
        py_txn_id = world.new_id("txn", dest)
        received, rate = self._settle(amount, currency, dest.currency, t)
        fee_received = convert(app_fee, currency, dest.currency, rate) if rate is not None else app_fee
        tr = f.transfer(id=transfer_id, amount=amount, currency=currency, created=t, balance_transaction=txn["id"],
                        destination=dest.id, destination_payment=py_id, source_transaction=rec.charge["id"],
                        transfer_group=group)
        world.add(tr, platform)
        world.event("transfer.created", tr, t, platform)
        py = f.destination_payment(id=py_id, amount=received, currency=dest.currency, created=t,
                                   balance_transaction=py_txn_id, source_transfer=transfer_id,
                                   descriptor=dest.descriptor, application_fee=fee_id, application_fee_amount=app_fee)
        world.add(py, dest)
        py_txn = f.balance_transaction(
            id=py_txn_id, amount=received, currency=dest.currency, created=t, available_on=available_on,
            type="payment", reporting_category="charge", source=py_id, as_of=world.end,
            fee_details=[f.fee_detail(fee_received, dest.currency, "application_fee",
                                      f"{self.platform_name} application fee", self.application)],
            exchange_rate=float(rate) if rate is not None else None)
        world.add(py_txn, dest)
        world.bts.setdefault(dest.id, []).append(py_txn)
        self._platform_application_fee(fee_id, dest, app_fee, currency, t, py_id, rec.charge["id"], available_on)

    # --- a declined card ------------------------------------------------------------------------------

    def failed_charge(self, account: Account, t: int, amount: int, currency: str,
                      customer: CustomerRec | None) -> None:
        world = self.world
        card = self._card(account, customer)
        pi_id = world.new_id("pi", account)
        ch_id = world.new_id("ch", account)
        info = dict(card)
        info["auth_code"] = None
        info["network_txn"] = world.ids.chars(15, DIGITS)
        customer_id = customer.obj["id"] if customer else None
        name, email = customer.name_email_at(t) if customer else (None, None)
        pm = customer.pm if customer else world.new_id("pm", account)
        charge = f.charge(
            id=ch_id, amount=amount, currency=currency, created=t, customer=customer_id, payment_intent=pi_id,
            payment_method=pm, balance_transaction=None, billing_name=name, billing_email=email,
            billing_country=card["country"], postal_code=None,
            payment_method_details=f.card_details(info, amount=amount, postal_check="unchecked"),
            descriptor=account.descriptor, succeeded=False, risk_score=world.rng.randint(20, 90))
        intent = f.payment_intent(
            id=pi_id, amount=amount, currency=currency, created=t, customer=customer_id, payment_method=pm,
            latest_charge=ch_id, client_secret=f"{pi_id}_secret_{world.ids.chars(25)}", succeeded=False,
            decline_charge=ch_id, receipt_email=email)
        world.add(intent, account)
        world.add(charge, account)
        world.event("payment_intent.created", _unconfirmed(intent), t, account)
        world.event("charge.failed", charge, t, account)
        world.event("payment_intent.payment_failed", intent, t, account)

    # --- refunds --------------------------------------------------------------------------------------

    def refund(self, rec: ChargeRec, amount: int, t: int, reason: str | None = "requested_by_customer",
               metadata: Obj | None = None) -> Obj:
        world = self.world
        account = rec.account
        charge = rec.charge
        assert 0 < amount <= charge["amount"] - charge["amount_refunded"], "refund exceeds what is left"
        settled, rate = self._settle(amount, charge["currency"], rec.settle_currency, t)
        re_id = world.new_id("re", account)
        txn = world.balance_transaction(
            account, amount=-settled, currency=rec.settle_currency, created=t, available_on=t, type="refund",
            reporting_category="refund", source=re_id, description="REFUND FOR CHARGE"
            + (f" ({charge['description']})" if charge["description"] else ""),
            exchange_rate=float(rate) if rate is not None else None)
        obj = f.refund(id=re_id, amount=amount, currency=charge["currency"], created=t, charge=charge["id"],
                       payment_intent=charge["payment_intent"], balance_transaction=txn["id"], reason=reason,
                       reference=world.ids.chars(23, DIGITS), metadata=metadata)
        world.add(obj, account)
        world.event("refund.created", obj, t, account)
        refunded = charge["amount_refunded"] + amount
        world.update("charge.refunded", charge, t, account,
                     {"amount_refunded": refunded, "refunded": refunded == charge["amount"]})
        return obj

    # --- disputes -------------------------------------------------------------------------------------

    def dispute(self, rec: ChargeRec, opened: int, outcome: str | None, metadata: Obj | None = None) -> Obj:
        """Open a dispute at `opened`; evidence a day later; `outcome` won/lost two days after that (if the
        window still runs), else it stays open."""
        world = self.world
        account = rec.account
        charge = rec.charge
        pricing = account.pricing
        du_id = world.new_id("du", account)
        settled, rate = self._settle(charge["amount"], charge["currency"], rec.settle_currency, opened)
        withdrawal = world.balance_transaction(
            account, amount=-settled, currency=rec.settle_currency, created=opened, available_on=opened,
            type="adjustment", reporting_category="dispute", source=du_id,
            fee_details=[f.fee_detail(pricing.dispute_fee, rec.settle_currency, "stripe_fee", "Dispute fee")],
            description=f"Chargeback withdrawal for {charge['id']}",
            exchange_rate=float(rate) if rate is not None else None)
        reason = "fraudulent" if world.rng.random() < 0.6 else "product_not_received"
        name, email = charge["billing_details"]["name"], charge["billing_details"]["email"]
        obj = f.dispute(id=du_id, amount=charge["amount"], currency=charge["currency"], created=opened,
                        charge=charge["id"], payment_intent=charge["payment_intent"], reason=reason,
                        due_by=world.midnight_after(opened, 8) - 1,
                        card_brand=charge["payment_method_details"]["card"]["brand"], customer_name=name,
                        customer_email=email)
        if metadata:
            obj["metadata"] = dict(metadata)
        obj["balance_transactions"] = [dict(withdrawal)]
        world.add(obj, account)
        charge["disputed"] = True
        world.event("charge.dispute.created", obj, opened, account, automatic=True)
        world.event("charge.dispute.funds_withdrawn", obj, opened, account, automatic=True)

        submitted = world.later(opened, 20 * 3600, 30 * 3600)
        if not world.before_end(submitted):
            return obj
        evidence = dict(obj["evidence"])
        evidence["uncategorized_text"] = "Customer signed for delivery; see attached receipt."
        evidence["product_description"] = "Annual subscription"
        details = dict(obj["evidence_details"])
        details["has_evidence"] = True
        details["submission_count"] = 1
        world.update("charge.dispute.updated", obj, submitted, account,
                     {"evidence": evidence, "evidence_details": details, "status": "under_review"})

        closed = world.later(submitted, 36 * 3600, 60 * 3600)
        if outcome is None or not world.before_end(closed):
            return obj
        if outcome == "won":
            reversal = world.balance_transaction(
                account, amount=settled, currency=rec.settle_currency, created=closed, available_on=closed,
                type="adjustment", reporting_category="dispute_reversal", source=du_id,
                fee_details=[f.fee_detail(-pricing.dispute_fee, rec.settle_currency, "stripe_fee",
                                          "Dispute fee refund")],
                description=f"Chargeback reversal for {charge['id']}",
                exchange_rate=float(rate) if rate is not None else None)
            world.update("charge.dispute.closed", obj, closed, account,
                         {"status": "won", "balance_transactions": obj["balance_transactions"] + [dict(reversal)]},
                         automatic=True)
            world.event("charge.dispute.funds_reinstated", obj, closed, account, automatic=True)
        else:
            world.update("charge.dispute.closed", obj, closed, account, {"status": "lost"}, automatic=True)
        return obj


def _unconfirmed(intent: Obj) -> Obj:
    """The PaymentIntent as `payment_intent.created` shows it: before confirmation made a charge."""
    return {**intent, "status": "requires_confirmation", "latest_charge": None, "amount_received": 0,
            "last_payment_error": None, "payment_method": None}


def plan_afterlife(payments: Payments, rec: ChargeRec, refund_rate: float, dispute_rate: float) -> None:
    """Maybe refund (full or partial, same day or days later) or dispute a charge, as real accounts see."""
    world = payments.world
    rng = world.rng
    if rec.busy:
        return
    roll = rng.random()
    t = rec.charge["created"]
    amount = rec.charge["amount"]
    if roll < refund_rate:
        late = rng.random() < 0.35
        when = world.later(t, DAY, 4 * DAY) if late else world.later(t, 300, 8 * 3600)
        if not world.before_end(when):
            return
        part = amount if rng.random() < 0.55 else max(1, amount * rng.randint(10, 90) // 100)
        rec.busy = True
        payments.refund(rec, part, when, rng.choice(["requested_by_customer", "duplicate", None]))
    elif roll < refund_rate + dispute_rate:
        opened = world.later(t, DAY, 3 * DAY)
        if not world.before_end(opened):
            return
        rec.busy = True
        payments.dispute(rec, opened, "won" if rng.random() < 0.4 else "lost")
