"""Every generated object that the Stripe schema bundle describes validates against it, and so does the
object inside every event (as it was when the event happened)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

SPECS = Path(__file__).resolve().parents[1] / "data" / "specs" / "stripe-schemas.json"


@pytest.fixture(scope="module")
def validators():
    defs = json.loads(SPECS.read_text())["$defs"]
    cache: dict[str, jsonschema.Draft202012Validator] = {}

    def get(kind: str):
        if kind not in defs:
            return None
        if kind not in cache:
            cache[kind] = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": defs})
        return cache[kind]

    return get


def _errors(validator, obj) -> list[str]:
    return [f"{obj.get('id')}: /{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(obj)]


def test_every_object_validates(seed, validators):
    checked: Counter = Counter()
    errors: list[str] = []
    for obj in seed["objects"]:
        validator = validators(obj["object"])
        if validator is None:
            continue
        body = {k: v for k, v in obj.items() if not (k == "account" and obj["object"] not in ("event",
                                                                                              "application_fee"))}
        errors += _errors(validator, body)
        checked[obj["object"]] += 1
    assert not errors, "\n".join(errors[:20])
    for kind in ("balance_transaction", "payout", "charge", "refund", "customer", "product", "price", "invoice",
                 "dispute", "account", "event", "payment_intent", "tax_rate", "coupon"):
        assert checked[kind] > 0, f"no {kind} was generated"


def test_event_payloads_validate(seed, validators):
    """The objects inside events; the first few of each event type (each type has one shape)."""
    seen: Counter = Counter()
    errors: list[str] = []
    for obj in seed["objects"]:
        if obj["object"] != "event" or seen[obj["type"]] >= 4:
            continue
        seen[obj["type"]] += 1
        inner = obj["data"]["object"]
        validator = validators(inner["object"])
        if validator is not None:
            errors += [f"{obj['type']} {e}" for e in _errors(validator, inner)]
    assert not errors, "\n".join(errors[:20])


def test_fee_details_validate_as_fee(seed, validators):
    validator = validators("fee")
    errors = [e for obj in seed["objects"] if obj["object"] == "balance_transaction"
              for detail in obj["fee_details"] for e in _errors(validator, detail)]
    assert not errors
