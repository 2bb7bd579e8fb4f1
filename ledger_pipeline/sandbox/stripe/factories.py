"""Stripe objects in full API shape (API version 2026-10-28.endive), built from plain arguments.

Every builder returns a new dict that holds all fields a retrieve returns by default (expandable fields as
ids). The generator mutates the top-level fields of these dicts as objects change over time; nested dicts
are never changed in place, they are replaced, so event snapshots taken earlier stay true.
"""

from __future__ import annotations

from typing import Any

API_VERSION = "2026-10-28.endive"

Obj = dict[str, Any]


def list_object(url: str, data: list | None = None) -> Obj:
    data = data or []
    return {"object": "list", "data": data, "has_more": False, "total_count": len(data), "url": url}


def address(country: str | None, postal_code: str | None = None, city: str | None = None,
            line1: str | None = None, state: str | None = None) -> Obj:
    return {"city": city, "country": country, "line1": line1, "line2": None, "postal_code": postal_code,
            "state": state}


# --- money movement -----------------------------------------------------------------------------------

def fee_detail(amount: int, currency: str, kind: str, description: str, application: str | None = None) -> Obj:
    return {"amount": amount, "application": application, "currency": currency, "description": description,
            "type": kind}


def balance_transaction(*, id: str, amount: int, currency: str, created: int, available_on: int, type: str,
                        reporting_category: str, source: str | None, fee_details: list[Obj],
                        as_of: int, description: str | None = None, exchange_rate: float | None = None) -> Obj:
    fee = sum(detail["amount"] for detail in fee_details)
    return {
        "id": id, "object": "balance_transaction", "amount": amount, "available_on": available_on,
        "balance_type": "payments", "created": created, "currency": currency, "description": description,
        "exchange_rate": exchange_rate, "fee": fee, "fee_details": fee_details, "net": amount - fee,
        "reporting_category": reporting_category, "source": source,
        "status": "available" if available_on <= as_of else "pending", "type": type,
    }


def card_details(card: Obj, *, amount: int, postal_check: str = "pass") -> Obj:
    """`payment_method_details` of a card charge; `card` holds brand/last4/country/funding/exp/fingerprint."""
    return {
        "card": {
            "amount_authorized": amount, "authorization_code": card["auth_code"], "brand": card["brand"],
            "checks": {"address_line1_check": None, "address_postal_code_check": postal_check,
                       "cvc_check": "pass"},
            "country": card["country"], "exp_month": card["exp_month"], "exp_year": card["exp_year"],
            "extended_authorization": {"status": "disabled"}, "fingerprint": card["fingerprint"],
            "funding": card["funding"], "incremental_authorization": {"status": "unavailable"},
            "installments": None, "last4": card["last4"], "mandate": None,
            "multicapture": {"status": "unavailable"}, "network": card["brand"],
            "network_token": {"used": False}, "network_transaction_id": card["network_txn"],
            "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
            "regulated_status": "unregulated", "three_d_secure": None, "wallet": None,
        },
        "type": "card",
    }


def outcome(succeeded: bool, risk_score: int) -> Obj:
    if succeeded:
        return {"advice_code": None, "network_advice_code": None, "network_decline_code": None,
                "network_status": "approved_by_network", "reason": None,
                "risk_level": "elevated" if risk_score >= 65 else "normal", "risk_score": risk_score,
                "seller_message": "Payment complete.", "type": "authorized"}
    return {"advice_code": "try_again_later", "network_advice_code": None, "network_decline_code": "05",
            "network_status": "declined_by_network", "reason": "generic_decline", "risk_level": "normal",
            "risk_score": risk_score, "seller_message": "The bank did not return any further details with "
            "this decline.", "type": "issuer_declined"}


def charge(*, id: str, amount: int, currency: str, created: int, customer: str | None, payment_intent: str | None,
           payment_method: str | None, balance_transaction: str | None, billing_name: str | None,
           billing_email: str | None, billing_country: str | None, postal_code: str | None,
           payment_method_details: Obj, descriptor: str, description: str | None = None,
           metadata: Obj | None = None, succeeded: bool = True, risk_score: int = 20,
           application: str | None = None, application_fee: str | None = None,
           application_fee_amount: int | None = None, transfer: str | None = None,
           transfer_data: Obj | None = None, transfer_group: str | None = None,
           source_transfer: str | None = None, receipt_key: str = "") -> Obj:
    obj = {
        "id": id, "object": "charge", "amount": amount, "amount_captured": amount if succeeded else 0,
        "amount_refunded": 0, "application": application, "application_fee": application_fee,
        "application_fee_amount": application_fee_amount, "balance_transaction": balance_transaction,
        "billing_details": {"address": address(billing_country, postal_code), "email": billing_email,
                            "name": billing_name, "phone": None, "tax_id": None},
        "calculated_statement_descriptor": descriptor, "captured": succeeded, "created": created,
        "currency": currency, "customer": customer, "description": description, "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None if succeeded else "card_declined",
        "failure_message": None if succeeded else "Your card was declined.",
        "fraud_details": {}, "livemode": False, "metadata": metadata or {}, "on_behalf_of": None,
        "outcome": outcome(succeeded, risk_score), "paid": succeeded, "payment_intent": payment_intent,
        "payment_method": payment_method, "payment_method_details": payment_method_details,
        "presentment_details": None, "radar_options": {}, "receipt_email": billing_email,
        "receipt_number": None,
        "receipt_url": f"https://pay.stripe.com/receipts/payment/{receipt_key}" if succeeded else None,
        "refunded": False, "review": None, "shipping": None, "source": None,
        "source_transfer": source_transfer, "statement_descriptor": None, "statement_descriptor_suffix": None,
        "status": "succeeded" if succeeded else "failed", "transfer_data": transfer_data,
        "transfer_group": transfer_group,
    }
    if transfer is not None:  # only destination charges have the field
        obj["transfer"] = transfer
    return obj


def payment_intent(*, id: str, amount: int, currency: str, created: int, customer: str | None,
                   payment_method: str | None, latest_charge: str | None, client_secret: str,
                   description: str | None = None, metadata: Obj | None = None, succeeded: bool = True,
                   application: str | None = None, application_fee_amount: int | None = None,
                   transfer_data: Obj | None = None, transfer_group: str | None = None,
                   receipt_email: str | None = None, decline_charge: str | None = None) -> Obj:
    error = None
    if not succeeded:
        error = {"advice_code": "try_again_later", "charge": decline_charge, "code": "card_declined",
                 "decline_code": "generic_decline", "doc_url": "https://docs.stripe.com/error-codes/card-declined",
                 "message": "Your card was declined.", "network_advice_code": None, "network_decline_code": "05",
                 "type": "card_error"}
    return {
        "id": id, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
        "amount_details": {"tip": {}}, "amount_received": amount if succeeded else 0,
        "application": application, "application_fee_amount": application_fee_amount,
        "automatic_payment_methods": {"allow_redirects": "always", "enabled": True}, "canceled_at": None,
        "cancellation_reason": None, "capture_method": "automatic_async", "client_secret": client_secret,
        "confirmation_method": "automatic", "created": created, "currency": currency, "customer": customer,
        "customer_account": None, "description": description, "excluded_payment_method_types": None,
        "last_payment_error": error, "latest_charge": latest_charge, "livemode": False,
        "metadata": metadata or {}, "next_action": None, "on_behalf_of": None,
        "payment_method": payment_method if succeeded else None,
        "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"installments": None, "mandate_options": None, "network": None,
                                            "request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"], "presentment_details": None, "processing": None,
        "receipt_email": receipt_email, "review": None, "setup_future_usage": None, "shipping": None,
        "source": None, "statement_descriptor": None, "statement_descriptor_suffix": None,
        "status": "succeeded" if succeeded else "requires_payment_method", "transfer_data": transfer_data,
        "transfer_group": transfer_group,
    }


def destination_payment(*, id: str, amount: int, currency: str, created: int, balance_transaction: str,
                        source_transfer: str, descriptor: str, application_fee: str | None,
                        application_fee_amount: int | None) -> Obj:
    """The `py_` charge a destination charge's transfer creates on the connected account."""
    obj = charge(id=id, amount=amount, currency=currency, created=created, customer=None, payment_intent=None,
                 payment_method=None, balance_transaction=balance_transaction, billing_name=None,
                 billing_email=None, billing_country=None, postal_code=None,
                 payment_method_details={"stripe_account": {}, "type": "stripe_account"},
                 descriptor=descriptor, application_fee=application_fee,
                 application_fee_amount=application_fee_amount, source_transfer=source_transfer)
    obj["outcome"] = None
    obj["receipt_email"] = None
    obj["receipt_url"] = None
    return obj


def refund(*, id: str, amount: int, currency: str, created: int, charge: str, payment_intent: str | None,
           balance_transaction: str, reason: str | None, reference: str, metadata: Obj | None = None) -> Obj:
    return {
        "id": id, "object": "refund", "amount": amount, "balance_transaction": balance_transaction,
        "charge": charge, "created": created, "currency": currency,
        "destination_details": {"card": {"reference": reference, "reference_status": "available",
                                         "reference_type": "acquirer_reference_number", "type": "refund"},
                                "type": "card"},
        "metadata": metadata or {}, "payment_intent": payment_intent, "reason": reason, "receipt_number": None,
        "source_transfer_reversal": None, "status": "succeeded", "transfer_reversal": None,
    }


def dispute(*, id: str, amount: int, currency: str, created: int, charge: str, payment_intent: str | None,
            reason: str, due_by: int, card_brand: str, customer_name: str | None,
            customer_email: str | None) -> Obj:
    evidence_fields = (
        "access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure",
        "cancellation_rebuttal", "customer_communication", "customer_email_address", "customer_name",
        "customer_purchase_ip", "customer_signature", "duplicate_charge_documentation",
        "duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
        "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date",
        "service_documentation", "shipping_address", "shipping_carrier", "shipping_date",
        "shipping_documentation", "shipping_tracking_number", "uncategorized_file", "uncategorized_text")
    evidence: Obj = dict.fromkeys(evidence_fields)
    evidence["enhanced_evidence"] = {}
    evidence["customer_name"] = customer_name
    evidence["customer_email_address"] = customer_email
    return {
        "id": id, "object": "dispute", "amount": amount, "balance_transactions": [], "charge": charge,
        "created": created, "currency": currency, "enhanced_eligibility_types": [], "evidence": evidence,
        "evidence_details": {"due_by": due_by, "enhanced_eligibility": {}, "has_evidence": False,
                             "past_due": False, "submission_count": 0},
        "is_charge_refundable": False, "livemode": False, "metadata": {}, "network_reason_code": "10.4"
        if reason == "fraudulent" else "13.1", "payment_intent": payment_intent,
        "payment_method_details": {"card": {"brand": card_brand, "case_type": "chargeback",
                                            "network_reason_code": "10.4" if reason == "fraudulent" else "13.1"},
                                   "type": "card"},
        "reason": reason, "status": "needs_response",
    }


def payout(*, id: str, amount: int, currency: str, created: int, arrival_date: int, automatic: bool,
           balance_transaction: str, destination: str, status: str, reconciliation_status: str,
           trace: str | None = None, metadata: Obj | None = None) -> Obj:
    return {
        "id": id, "object": "payout", "amount": amount, "application_fee": None, "application_fee_amount": None,
        "arrival_date": arrival_date, "automatic": automatic, "balance_transaction": balance_transaction,
        "created": created, "currency": currency, "description": "STRIPE PAYOUT", "destination": destination,
        "failure_balance_transaction": None, "failure_code": None, "failure_message": None, "livemode": False,
        "metadata": metadata or {}, "method": "standard", "original_payout": None, "payout_method": None,
        "reconciliation_status": reconciliation_status, "reversed_by": None, "source_type": "card",
        "statement_descriptor": None, "status": status,
        "trace_id": {"status": "supported" if trace else "pending", "value": trace},
        "type": "bank_account",
    }


def application_fee(*, id: str, account: str, amount: int, currency: str, created: int, application: str,
                    balance_transaction: str, charge: str, originating_transaction: str | None) -> Obj:
    return {
        "id": id, "object": "application_fee", "account": account, "amount": amount, "amount_refunded": 0,
        "application": application, "balance_transaction": balance_transaction, "charge": charge,
        "created": created, "currency": currency, "fee_source": {"charge": charge, "type": "charge"},
        "livemode": False, "originating_transaction": originating_transaction, "refunded": False,
        "refunds": list_object(f"/v1/application_fees/{id}/refunds"),
    }


def transfer(*, id: str, amount: int, currency: str, created: int, balance_transaction: str, destination: str,
             destination_payment: str, source_transaction: str, transfer_group: str | None) -> Obj:
    return {
        "id": id, "object": "transfer", "amount": amount, "amount_reversed": 0,
        "balance_transaction": balance_transaction, "created": created, "currency": currency,
        "description": None, "destination": destination, "destination_payment": destination_payment,
        "livemode": False, "metadata": {}, "reversals": list_object(f"/v1/transfers/{id}/reversals"),
        "reversed": False, "source_transaction": source_transaction, "source_type": "card",
        "transfer_group": transfer_group,
    }


# --- customers and catalog ----------------------------------------------------------------------------

def customer(*, id: str, created: int, name: str | None, email: str | None, country: str | None,
             postal_code: str | None, city: str | None, currency: str | None, invoice_prefix: str,
             default_payment_method: str | None, description: str | None = None,
             metadata: Obj | None = None, phone: str | None = None, preferred_locales: list[str] | None = None,
             tax_exempt: str = "none") -> Obj:
    return {
        "id": id, "object": "customer",
        "address": address(country, postal_code, city) if country else None, "balance": 0,
        "business_name": None, "created": created, "currency": currency, "customer_account": None,
        "default_source": None, "delinquent": False, "description": description, "discount": None,
        "email": email, "individual_name": None, "invoice_credit_balance": {}, "invoice_prefix": invoice_prefix,
        "invoice_settings": {"custom_fields": None, "default_payment_method": default_payment_method,
                             "footer": None, "rendering_options": None},
        "livemode": False, "metadata": metadata or {}, "name": name, "next_invoice_sequence": 1,
        "phone": phone, "preferred_locales": preferred_locales or [], "shipping": None,
        "tax_exempt": tax_exempt, "test_clock": None,
    }


def product(*, id: str, created: int, name: str, description: str | None, tax_code: str | None,
            unit_label: str | None = None, metadata: Obj | None = None, features: list[str] | None = None,
            shippable: bool | None = None) -> Obj:
    return {
        "id": id, "object": "product", "active": True, "created": created, "default_price": None,
        "description": description, "images": [], "livemode": False,
        "marketing_features": [{"name": f} for f in (features or [])], "metadata": metadata or {},
        "name": name, "package_dimensions": None, "shippable": shippable, "statement_descriptor": None,
        "tax_code": tax_code, "type": "service", "unit_label": unit_label, "updated": created, "url": None,
    }


def price(*, id: str, created: int, product: str, currency: str, unit_amount: int, recurring: str | None,
          tax_behavior: str, nickname: str | None = None, lookup_key: str | None = None) -> Obj:
    return {
        "id": id, "object": "price", "active": True, "billing_scheme": "per_unit", "created": created,
        "currency": currency, "custom_unit_amount": None, "livemode": False, "lookup_key": lookup_key,
        "metadata": {}, "nickname": nickname, "product": product,
        "recurring": None if recurring is None else {
            "interval": recurring, "interval_count": 1, "meter": None, "trial_period_days": None,
            "usage_type": "licensed"},
        "tax_behavior": tax_behavior, "tiers_mode": None, "transform_quantity": None,
        "type": "one_time" if recurring is None else "recurring", "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def tax_rate(*, id: str, created: int, display_name: str, percentage: str, inclusive: bool, country: str,
             state: str | None, jurisdiction: str | None, jurisdiction_level: str | None, tax_type: str,
             description: str | None) -> Obj:
    return {
        "id": id, "object": "tax_rate", "active": True, "country": country, "created": created,
        "description": description, "display_name": display_name,
        "effective_percentage": float(percentage), "flat_amount": None, "inclusive": inclusive,
        "jurisdiction": jurisdiction, "jurisdiction_level": jurisdiction_level, "livemode": False,
        "metadata": {}, "percentage": float(percentage), "rate_type": "percentage", "state": state,
        "tax_type": tax_type,
    }


def coupon(*, id: str, created: int, name: str, percent_off: float | None = None, amount_off: int | None = None,
           currency: str | None = None, duration: str = "once", duration_in_months: int | None = None) -> Obj:
    return {
        "id": id, "object": "coupon", "amount_off": amount_off, "created": created, "currency": currency,
        "duration": duration, "duration_in_months": duration_in_months, "livemode": False,
        "max_redemptions": None, "metadata": {}, "name": name, "percent_off": percent_off, "redeem_by": None,
        "times_redeemed": 0, "valid": True,
    }


# --- Connect ------------------------------------------------------------------------------------------

def account(*, id: str, created: int, kind: str, country: str, currency: str, display_name: str, email: str,
            business_name: str, url: str, mcc: str, bank_account: str, bank_last4: str, bank_name: str,
            descriptor: str, payout_interval: str, timezone: str, support_phone: str) -> Obj:
    """A connected account as the platform retrieves it (`GET /v1/accounts/acct_...`)."""
    schedule = {"delay_days": 2, "interval": payout_interval}
    external = {
        "id": bank_account, "object": "bank_account", "account": id, "account_holder_name": business_name,
        "account_holder_type": "company", "account_type": None, "available_payout_methods": ["standard"],
        "bank_name": bank_name, "country": country, "currency": currency, "default_for_currency": True,
        "fingerprint": bank_account[-16:], "future_requirements": None, "last4": bank_last4, "metadata": {},
        "requirements": None, "routing_number": "110000000" if country == "US" else None, "status": "new",
    }
    requirements = {"alternatives": [], "current_deadline": None, "currently_due": [], "disabled_reason": None,
                    "errors": [], "eventually_due": [], "past_due": [], "pending_verification": []}
    return {
        "id": id, "object": "account",
        "business_profile": {"annual_revenue": None, "estimated_worker_count": None, "mcc": mcc,
                             "minority_owned_business_designation": None,
                             "monthly_estimated_revenue": {"amount": 2_500_000 if currency == "jpy" else 2_000_000,
                                                           "currency": currency},
                             "name": business_name, "product_description": None, "support_address": None,
                             "support_email": email, "support_phone": support_phone, "support_url": None,
                             "url": url},
        "business_type": "company",
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": ({"fees": {"payer": "account"}, "is_controller": False,
                        "losses": {"payments": "stripe"}, "requirement_collection": "stripe",
                        "stripe_dashboard": {"type": "full"}, "type": "account"} if kind == "standard" else
                       {"fees": {"payer": "application"}, "is_controller": True,
                        "losses": {"payments": "application"}, "requirement_collection": "stripe",
                        "stripe_dashboard": {"type": "express"}, "type": "application"}),
        "country": country, "created": created, "default_currency": currency, "details_submitted": True,
        "email": email,
        "external_accounts": list_object(f"/v1/accounts/{id}/external_accounts", [external]),
        "future_requirements": dict(requirements), "metadata": {}, "payouts_enabled": True,
        "requirements": dict(requirements),
        "settings": {
            "bacs_debit_payments": {"display_name": None, "service_user_number": None},
            "branding": {"icon": None, "logo": None, "primary_color": None, "secondary_color": None},
            "card_issuing": {"tos_acceptance": {"date": None, "ip": None}},
            "card_payments": {"decline_on": {"avs_failure": False, "cvc_failure": False},
                              "statement_descriptor_prefix": descriptor[:10],
                              "statement_descriptor_prefix_kana": None,
                              "statement_descriptor_prefix_kanji": None},
            "dashboard": {"display_name": display_name, "timezone": timezone},
            "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": "offer"},
            "payments": {"statement_descriptor": descriptor, "statement_descriptor_kana": None,
                         "statement_descriptor_kanji": None},
            "payouts": {"debit_negative_balances": True, "schedule": schedule, "statement_descriptor": None},
            "sepa_debit_payments": {},
        },
        "tos_acceptance": {"date": created, "ip": "203.0.113.7", "user_agent": "Mozilla/5.0"},
        "type": kind,
    }


# --- events -------------------------------------------------------------------------------------------

def event(*, id: str, type: str, created: int, data_object: Obj, account: str | None,
          previous_attributes: Obj | None, request_id: str | None, idempotency_key: str | None,
          pending_webhooks: int) -> Obj:
    data: Obj = {"object": data_object}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    obj = {"id": id, "object": "event", "api_version": API_VERSION, "context": None, "created": created,
           "data": data, "livemode": False, "pending_webhooks": pending_webhooks,
           "request": {"id": request_id, "idempotency_key": idempotency_key}, "type": type}
    if account:
        obj["account"] = account
        obj["context"] = account
    return obj
