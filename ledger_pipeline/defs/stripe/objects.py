"""What a well-formed Stripe object looks like to us, and why a malformed one goes to quarantine.

Only the fields the staging tables type strictly are checked: ids, `created`, money (integer minor units),
currencies. Anything else Stripe adds or changes passes through untouched in the raw JSON.
"""

from __future__ import annotations

import json
from typing import Any, Callable

# Object types with a current-state staging table: observations of them (listed, expanded, in events,
# retrieved) all count towards their latest state.
TRACKED_TYPES = frozenset({
    "charge", "refund", "dispute", "payout", "customer", "product", "price", "invoice", "credit_note",
    "tax_rate", "application_fee", "transfer", "account",
})

# docs.stripe.com/reports/balance-transaction-types (stripe-python 16.1.0 lists these 52), see stripe.md.
BALANCE_TRANSACTION_TYPES = frozenset("""
adjustment advance advance_funding anticipation_repayment application_fee application_fee_refund charge
climate_order_purchase climate_order_refund connect_collection_transfer contribution fee_credit_funding
inbound_transfer inbound_transfer_reversal issuing_authorization_hold issuing_authorization_release
issuing_dispute issuing_dispute_provisional_credit issuing_dispute_provisional_credit_reversal
issuing_transaction obligation_outbound obligation_reversal_inbound payment payment_failure_refund
payment_network_reserve_hold payment_network_reserve_release payment_refund payment_reversal
payment_unreconciled payout payout_cancel payout_failure payout_minimum_balance_hold
payout_minimum_balance_release refund refund_failure reserve_hold reserve_release reserve_transaction
reserved_funds stripe_balance_payment_debit stripe_balance_payment_debit_reversal stripe_fee stripe_fx_fee
tax_fee tax_fund topup topup_reversal transfer transfer_cancel transfer_failure transfer_refund
""".split())

# docs.stripe.com/reports/reporting-categories (stripe-go's constants), see stripe.md.
REPORTING_CATEGORIES = frozenset("""
advance advance_funding charge charge_failure connect_collection_transfer connect_reserved_funds dispute
dispute_reversal fee issuing_authorization_hold issuing_authorization_release issuing_transaction
other_adjustment partial_capture_reversal payout payout_reversal platform_earning platform_earning_refund
refund refund_failure risk_reserved_funds tax topup topup_reversal transfer transfer_reversal
""".split())

# ISO 4217 codes in use (Stripe sends them lowercase). Anything else is not money we can book.
CURRENCIES = frozenset("""
aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob bov brl bsd btn bwp byn bzd
cad cdf che chf chw clf clp cny cop cou crc cuc cup cve czk djf dkk dop dzd egp ern etb eur fjd fkp gbp
gel ghs gip gmd gnf gtq gyd hkd hnl hrk htg huf idr ils inr iqd irr isk jmd jod jpy kes kgs khr kmf kpw
krw kwd kyd kzt lak lbp lkr lrd lsl lyd mad mdl mga mkd mmk mnt mop mru mur mvr mwk mxn mxv myr mzn nad
ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sdg sek sgd shp sle
sll sos srd ssp std stn svc syp szl thb tjs tmt tnd top try ttd twd tzs uah ugx usd usn uyi uyu uyw uzs
ved ves vnd vuv wst xaf xcd xcg xof xpf yer zar zmw zwg zwl
""".split())

Check = Callable[[Any], bool]

# No Stripe integer (amounts in minor units, times) comes near this; anything past it is not real money, and
# a day's sums of such values would overflow the warehouse's 64-bit columns.
LARGEST_INTEGER = 10**15

# Types whose sign Stripe fixes: money in from a payment, money out for a refund of one.
_SIGN = {"charge": 1, "payment": 1, "refund": -1, "payment_refund": -1}


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _optional(check: Check) -> Check:
    return lambda value: value is None or check(value)


INTEGER: Check = _integer
OPTIONAL_INTEGER = _optional(_integer)
OPTIONAL_NUMBER = _optional(_number)
NUMBER: Check = _number
TEXT: Check = lambda value: isinstance(value, str)  # noqa: E731
OPTIONAL_TEXT = _optional(TEXT)
BOOLEAN: Check = lambda value: isinstance(value, bool)  # noqa: E731
OPTIONAL_LIST = _optional(lambda value: isinstance(value, list))
OBJECT: Check = lambda value: isinstance(value, dict)  # noqa: E731
CURRENCY: Check = lambda value: isinstance(value, str) and value in CURRENCIES  # noqa: E731

_EXPECTED = {
    INTEGER: "an integer number of minor units", OPTIONAL_INTEGER: "an integer or null",
    NUMBER: "a number", OPTIONAL_NUMBER: "a number or null", TEXT: "a string", OPTIONAL_TEXT: "a string or null",
    BOOLEAN: "true or false", OPTIONAL_LIST: "a list or null", OBJECT: "an object",
    CURRENCY: "a lowercase ISO 4217 currency code",
}

_MONEY = {"currency": CURRENCY}
FIELDS: dict[str, dict[str, Check]] = {
    "balance_transaction": {"amount": INTEGER, "fee": INTEGER, "net": INTEGER, **_MONEY, "created": INTEGER,
                            "type": TEXT, "reporting_category": OPTIONAL_TEXT, "available_on": OPTIONAL_INTEGER,
                            "exchange_rate": OPTIONAL_NUMBER, "fee_details": OPTIONAL_LIST},
    "charge": {"amount": INTEGER, "amount_captured": OPTIONAL_INTEGER, "amount_refunded": OPTIONAL_INTEGER,
               **_MONEY, "created": INTEGER, "application_fee_amount": OPTIONAL_INTEGER},
    "refund": {"amount": INTEGER, **_MONEY, "created": INTEGER},
    "dispute": {"amount": INTEGER, **_MONEY, "created": INTEGER, "balance_transactions": OPTIONAL_LIST},
    "payout": {"amount": INTEGER, **_MONEY, "created": INTEGER, "automatic": BOOLEAN,
               "arrival_date": OPTIONAL_INTEGER},
    "customer": {"created": INTEGER, "balance": OPTIONAL_INTEGER},
    "product": {"created": INTEGER, "name": OPTIONAL_TEXT},
    "price": {**_MONEY, "created": INTEGER, "unit_amount": OPTIONAL_INTEGER},
    "invoice": {**_MONEY, "created": INTEGER, "total": INTEGER, "subtotal": INTEGER, "amount_due": INTEGER,
                "amount_paid": INTEGER, "amount_remaining": OPTIONAL_INTEGER, "lines": _optional(OBJECT)},
    "credit_note": {**_MONEY, "created": INTEGER, "amount": INTEGER, "total": INTEGER,
                    "lines": _optional(OBJECT)},
    "tax_rate": {"created": INTEGER, "percentage": NUMBER},
    "application_fee": {"amount": INTEGER, "amount_refunded": OPTIONAL_INTEGER, **_MONEY, "created": INTEGER},
    "transfer": {"amount": INTEGER, "amount_reversed": OPTIONAL_INTEGER, **_MONEY, "created": INTEGER},
    "account": {},
    "event": {"created": INTEGER, "type": TEXT, "data": OBJECT},
    "line_item": {"amount": INTEGER, **_MONEY},
    "credit_note_line_item": {"amount": INTEGER},
}
# Lists inside objects whose entries the staging tables type too.
_NESTED: dict[tuple[str, str], dict[str, Check]] = {
    ("balance_transaction", "fee_details"): {"amount": INTEGER, **_MONEY, "type": TEXT},
    ("dispute", "balance_transactions"): {"id": TEXT, "amount": INTEGER, "fee": INTEGER, "net": INTEGER, **_MONEY},
}
_EMBEDDED_LINES = {"invoice": "line_item", "credit_note": "credit_note_line_item"}


def problem(obj: Any, expected_type: str | None = None) -> str | None:
    """Why this object cannot be loaded, naming the object and the fix; None when it is fine."""
    if not isinstance(obj, dict):
        where = f"a Stripe {expected_type}" if expected_type else "an object"
        return (f"Stripe sent {type(obj).__name__} {str(obj)[:80]!r} where {where} belongs. "
                f"It was quarantined and not loaded; {_FIX}")
    kind = obj.get("object")
    object_id = obj.get("id")
    if not isinstance(object_id, str) or not object_id:
        return _say(kind, object_id, f"has no usable `id` (got {object_id!r})")
    if expected_type is not None and kind != expected_type:
        return _say(kind, object_id, f"is a {kind!r} where the endpoint lists {expected_type!r} objects")
    if obj.get("deleted") is True and set(obj) <= {"id", "object", "deleted"}:
        return None  # a deleted stub: nothing else to check
    fields = FIELDS.get(kind) if isinstance(kind, str) else None
    if fields is None:
        return _say(kind, object_id, f"has an unexpected `object` {kind!r}")
    reason = _fields_problem(obj, fields, kind, object_id)
    if reason:
        return reason
    for (owner, name), nested in _NESTED.items():
        if owner == kind:
            for n, entry in enumerate(obj.get(name) or []):
                if not isinstance(entry, dict):
                    return _say(kind, object_id, f"`{name}[{n}]` is not an object")
                reason = _fields_problem(entry, nested, kind, object_id, prefix=f"{name}[{n}].")
                if reason:
                    return reason
    if kind == "balance_transaction":
        return _balance_transaction_problem(obj, object_id)
    if kind in _EMBEDDED_LINES and isinstance(obj.get("lines"), dict):
        for n, line in enumerate(obj["lines"].get("data") or []):
            inner = problem(line, _EMBEDDED_LINES[kind])
            if inner:
                return _say(kind, object_id, f"`lines.data[{n}]`: {inner}")
    return None


def _fields_problem(obj: dict, fields: dict[str, Check], kind: Any, object_id: str, prefix: str = "") -> str | None:
    for name, check in fields.items():
        value = obj.get(name)
        if name not in obj and check(None):
            continue
        if check in (INTEGER, OPTIONAL_INTEGER) and _integer(value) and abs(value) > LARGEST_INTEGER:
            return _say(kind, object_id, f"`{prefix}{name}` is {value}, out of range (Stripe's integers stay within "
                                         f"±10^15; a larger one would overflow the warehouse's sums)")
        if not check(value):
            shown, type_name = f"{value!r}"[:60], type(value).__name__
            if isinstance(value, (dict, list)):  # as Stripe sent it, not as Python prints its parse
                shown = json.dumps(value, ensure_ascii=False)[:60]
                type_name = "a JSON object" if isinstance(value, dict) else "a JSON array"
            if check is CURRENCY and isinstance(value, str):
                return _say(kind, object_id, f"`{prefix}{name}` {shown} is not a known currency "
                                             f"({_EXPECTED[check]})")
            return _say(kind, object_id, f"`{prefix}{name}` is {shown} ({type_name}); expected "
                                         f"{_EXPECTED.get(check, 'another type')}")
    return None


def _balance_transaction_problem(obj: dict, object_id: str) -> str | None:
    sign = _SIGN.get(obj["type"])
    if sign is not None and obj["amount"] * sign < 0:
        return _say("balance_transaction", object_id,
                    f"is a {obj['type']} of {obj['amount']}, which Stripe only sends "
                    f"{'positive (money out is a refund or an adjustment)' if sign > 0 else 'negative'}")
    if obj["net"] != obj["amount"] - obj["fee"]:
        return _say("balance_transaction", object_id,
                    f"has net {obj['net']} but amount {obj['amount']} - fee {obj['fee']} = "
                    f"{obj['amount'] - obj['fee']}")
    details = obj.get("fee_details") or []
    if details and sum(d["amount"] for d in details) != obj["fee"]:
        return _say("balance_transaction", object_id,
                    f"has fee {obj['fee']} but its fee_details add up to {sum(d['amount'] for d in details)}")
    return None


def _say(kind: Any, object_id: Any, what: str) -> str:
    return f"Stripe {kind or 'object'} {object_id or '(no id)'} {what}. It was quarantined and not loaded; {_FIX}"


_FIX = ("if the source is right, fix the object at its source (or teach objects.py its new shape), then re-run "
        "this partition.")
