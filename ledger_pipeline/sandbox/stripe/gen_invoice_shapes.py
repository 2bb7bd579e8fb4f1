"""Invoice-side Stripe shapes (API 2026-10-28.endive, Basil+): invoice, line item, invoice payment,
credit note, and the arithmetic that ties their amounts together (discounts, inclusive/exclusive tax)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ledger_pipeline.money import to_decimal

from . import factories as f

Obj = dict[str, Any]


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tax_entry(amount: int, behavior: str, rate_id: str, taxable: int) -> Obj:
    return {"amount": amount, "tax_behavior": behavior, "tax_rate_details": {"tax_rate": rate_id},
            "taxability_reason": "standard_rated", "taxable_amount": taxable, "type": "tax_rate_details"}


def compute_lines(items: list[tuple[Obj, int]], tax_rate: Obj | None, coupon: Obj | None) -> tuple[list[Obj], int]:
    """Amounts per line: (price, quantity) -> dicts with amount, discount, tax, taxable, behavior.

    An invoice-level coupon is spread over the lines in proportion to their amounts (the last line takes
    the rounding rest). Tax applies to lines whose price's tax behaviour matches the rate (inclusive rates
    to inclusive prices, exclusive to exclusive), on the amount after discount, rounded half-up per line.
    """
    amounts = [price["unit_amount"] * qty for price, qty in items]
    subtotal = sum(amounts)
    discount_total = 0
    if coupon is not None and subtotal > 0:
        if coupon.get("percent_off") is not None:
            discount_total = _round(Decimal(subtotal) * Decimal(str(coupon["percent_off"])) / 100)
        else:
            discount_total = min(coupon["amount_off"], subtotal)
    lines = []
    given = 0
    for n, ((price, qty), amount) in enumerate(zip(items, amounts)):
        if n == len(items) - 1:
            discount = discount_total - given
        else:
            discount = discount_total * amount // subtotal if subtotal else 0
        given += discount
        base = amount - discount
        tax = 0
        taxable = base
        behavior = price["tax_behavior"]
        if tax_rate is not None and behavior in ("inclusive", "exclusive") and \
                (behavior == "inclusive") == tax_rate["inclusive"]:
            pct = Decimal(str(tax_rate["percentage"]))
            if tax_rate["inclusive"]:
                tax = _round(Decimal(base) * pct / (100 + pct))
                taxable = base - tax
            else:
                tax = _round(Decimal(base) * pct / 100)
        lines.append({"price": price, "quantity": qty, "amount": amount, "discount": discount, "tax": tax,
                      "taxable": taxable, "taxed": tax_rate is not None and tax > 0, "behavior": behavior})
    return lines, discount_total


def line_item(*, id: str, invoice: str, computed: Obj, product: Obj, currency: str, period: tuple[int, int],
              discount_id: str | None, tax_rate_id: str | None, parent: Obj) -> Obj:
    price = computed["price"]
    qty = computed["quantity"]
    unit = price["unit_amount"]
    every = f" / {price['recurring']['interval']}" if price.get("recurring") else ""
    description = f"{qty} × {product['name']} (at {to_decimal(unit, currency)} {currency.upper()}{every})"
    discount_amounts = [{"amount": computed["discount"], "discount": discount_id}] if discount_id else []
    pretax = ([{"amount": computed["discount"], "credit_balance_transaction": None, "discount": discount_id,
                "type": "discount"}] if discount_id and computed["discount"] else [])
    taxes = ([tax_entry(computed["tax"], computed["behavior"], tax_rate_id, computed["taxable"])]
             if tax_rate_id and computed["taxed"] else [])
    return {
        "id": id, "object": "line_item", "amount": computed["amount"], "currency": currency,
        "description": description, "discount_amounts": discount_amounts, "discountable": True,
        "discounts": [], "invoice": invoice, "livemode": False, "metadata": {}, "parent": parent,
        "period": {"end": period[1], "start": period[0]}, "pretax_credit_amounts": pretax,
        "pricing": {"price_details": {"price": price["id"], "product": product["id"]}, "type": "price_details",
                    "unit_amount_decimal": str(unit)},
        "quantity": qty, "subtotal": computed["amount"], "taxes": taxes,
    }


def invoice(*, id: str, created: int, currency: str, customer: Obj, customer_name: str | None,
            customer_email: str | None, lines: list[Obj], computed: list[Obj], discount_id: str | None,
            tax_rate: Obj | None, collection_method: str, billing_reason: str, account_name: str,
            parent: Obj | None, due_date: int | None, description: str | None = None,
            metadata: Obj | None = None) -> Obj:
    subtotal = sum(c["amount"] for c in computed)
    discount_total = sum(c["discount"] for c in computed)
    exclusive = sum(c["tax"] for c in computed if c["behavior"] == "exclusive")
    inclusive = sum(c["tax"] for c in computed if c["behavior"] == "inclusive")
    total = subtotal - discount_total + exclusive
    total_taxes = []
    if tax_rate is not None and any(c["taxed"] for c in computed):
        behavior = "inclusive" if tax_rate["inclusive"] else "exclusive"
        total_taxes = [tax_entry(exclusive + inclusive, behavior, tax_rate["id"],
                                 sum(c["taxable"] for c in computed if c["taxed"]))]
    return {
        "id": id, "object": "invoice", "account_country": "US", "account_name": account_name,
        "account_tax_ids": None, "amount_due": total, "amount_overpaid": 0, "amount_paid": 0,
        "amount_remaining": total, "amount_shipping": 0, "application": None, "attempt_count": 0,
        "attempted": False, "auto_advance": collection_method == "charge_automatically",
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None, "provider": None,
                          "status": None},
        "automatically_finalizes_at": None, "billing_reason": billing_reason,
        "collection_method": collection_method, "confirmation_secret": None, "created": created,
        "currency": currency, "custom_fields": None, "customer": customer["id"], "customer_account": None,
        "customer_address": customer["address"], "customer_email": customer_email,
        "customer_name": customer_name, "customer_phone": None, "customer_shipping": None,
        "customer_tax_exempt": "none", "customer_tax_ids": [], "default_payment_method": None,
        "default_source": None, "default_tax_rates": [tax_rate] if tax_rate else [], "description": description,
        "discounts": [discount_id] if discount_id else [], "due_date": due_date, "effective_at": None,
        "ending_balance": None, "footer": None, "from_invoice": None, "hosted_invoice_url": None,
        "invoice_pdf": None, "issuer": {"type": "self"}, "last_finalization_error": None,
        "latest_revision": None, "lines": f.list_object(f"/v1/invoices/{id}/lines", lines),
        "livemode": False, "metadata": metadata or {},
        "next_payment_attempt": created + 3600 if collection_method == "charge_automatically" else None,
        "number": None, "on_behalf_of": None, "parent": parent,
        "payment_settings": {"default_mandate": None, "payment_method_options": None,
                             "payment_method_types": None},
        "payments": f.list_object(f"/v1/invoice_payments?invoice={id}"),
        "period_end": created, "period_start": created, "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0, "receipt_number": None,
        "rendering": {"amount_tax_display": None, "pdf": {"page_size": "auto"}, "template": None,
                      "template_version": None},
        "shipping_cost": None, "shipping_details": None, "starting_balance": 0, "statement_descriptor": None,
        "status": "draft", "status_details": None,
        "status_transitions": {"finalized_at": None, "marked_uncollectible_at": None, "paid_at": None,
                               "voided_at": None},
        "subtotal": subtotal, "subtotal_excluding_tax": subtotal - inclusive, "test_clock": None,
        "total": total,
        "total_discount_amounts": [{"amount": discount_total, "discount": discount_id}] if discount_id else [],
        "total_excluding_tax": total - exclusive - inclusive,
        "total_pretax_credit_amounts": ([{"amount": discount_total, "credit_balance_transaction": None,
                                          "discount": discount_id, "type": "discount"}]
                                        if discount_id and discount_total else []),
        "total_taxes": total_taxes, "webhooks_delivered_at": None,
    }


def invoice_payment(*, id: str, invoice: str, amount: int, currency: str, created: int, payment_intent: str,
                    is_default: bool) -> Obj:
    return {"id": id, "object": "invoice_payment", "amount_paid": amount, "amount_requested": amount,
            "created": created, "currency": currency, "invoice": invoice, "is_default": is_default,
            "livemode": False,
            "payment": {"charge": None, "payment_intent": payment_intent, "payment_record": None,
                        "type": "payment_intent"},
            "status": "paid", "status_transitions": {"canceled_at": None, "paid_at": created}}


def credit_note(*, id: str, created: int, invoice: Obj, number: str, line: Obj, line_id: str, tax_rate: Obj | None,
                refund_id: str | None, memo: str, reason: str) -> Obj:
    """A post-payment credit note crediting one invoice line in full (its amount and its tax)."""
    taxes = line["taxes"]
    tax = sum(t["amount"] for t in taxes)
    exclusive = sum(t["amount"] for t in taxes if t["tax_behavior"] == "exclusive")
    subtotal = line["amount"]
    total = subtotal + exclusive
    unit = int(line["pricing"]["unit_amount_decimal"])
    cn_line = {
        "id": line_id, "object": "credit_note_line_item", "amount": subtotal, "description": line["description"],
        "discount_amount": 0, "discount_amounts": [], "invoice_line_item": line["id"], "livemode": False,
        "metadata": {}, "pretax_credit_amounts": [], "quantity": line["quantity"],
        "tax_rates": [tax_rate] if tax_rate else [], "taxes": taxes, "type": "invoice_line_item",
        "unit_amount": unit, "unit_amount_decimal": str(unit),
    }
    return {
        "id": id, "object": "credit_note", "amount": total, "amount_shipping": 0, "created": created,
        "currency": invoice["currency"], "customer": invoice["customer"], "customer_account": None,
        "customer_balance_transaction": None, "discount_amount": 0, "discount_amounts": [],
        "effective_at": created, "invoice": invoice["id"],
        "lines": f.list_object(f"/v1/credit_notes/{id}/lines", [cn_line]), "livemode": False, "memo": memo,
        "metadata": {}, "number": number, "out_of_band_amount": None,
        "pdf": f"https://pay.stripe.com/credit_notes/{id}/pdf", "post_payment_amount": total,
        "pre_payment_amount": 0, "pretax_credit_amounts": [], "reason": reason,
        "refunds": ([{"amount_refunded": total, "payment_record_refund": None, "refund": refund_id,
                      "type": "refund"}] if refund_id else []),
        "shipping_cost": None, "status": "issued", "subtotal": subtotal,
        "subtotal_excluding_tax": subtotal - (tax - exclusive), "total": total,
        "total_excluding_tax": subtotal - (tax - exclusive), "total_taxes": taxes, "type": "post_payment",
        "voided_at": None,
    }
