"""Same settings -> the same seed, byte for byte; another seed -> other data; ids unique and Stripe-shaped."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timezone

from ledger_pipeline.sandbox.stripe.generator import GeneratorSettings, generate

_PREFIXES = {
    "charge": ("ch_", "py_"), "payment_intent": ("pi_",), "balance_transaction": ("txn_",), "refund": ("re_",),
    "dispute": ("du_", "dp_"), "payout": ("po_",), "customer": ("cus_",), "product": ("prod_",),
    "price": ("price_",), "invoice": ("in_",), "credit_note": ("cn_",), "tax_rate": ("txr_",),
    "application_fee": ("fee_",), "transfer": ("tr_",), "account": ("acct_",), "event": ("evt_",),
}


def _dump(seed: dict) -> str:
    return json.dumps(seed, sort_keys=True, ensure_ascii=False)


def test_same_settings_same_bytes(seed, settings):
    assert _dump(generate(settings)) == _dump(seed)


def test_other_seed_other_data(seed, settings):
    other = generate(replace(settings, seed=settings.seed + 1))
    assert _dump(other) != _dump(seed)
    ids = {o["id"] for o in seed["objects"] if o["object"] == "charge"}
    other_ids = {o["id"] for o in other["objects"] if o["object"] == "charge"}
    assert not ids & other_ids


def test_ids_are_unique_and_stripe_shaped(idx):
    assert len(idx.by_id) == len(idx.objects)
    for obj in idx.objects:
        prefixes = _PREFIXES.get(obj["object"])
        if prefixes:
            assert obj["id"].startswith(prefixes), obj["id"]
        assert re.fullmatch(r"[a-z]+_[A-Za-z0-9_]+|[A-Z0-9]+", obj["id"]), obj["id"]
    for txn_ids in idx.composition.values():
        assert len(txn_ids) == len(set(txn_ids))


def test_ids_carry_their_accounts_fragment(idx):
    for obj in idx.of("charge"):
        owner = idx.owner[obj["id"]]
        if owner is not None:
            assert owner[-10:] in obj["id"]


def test_end_date_defaults_to_today_utc():
    before = datetime.now(timezone.utc).date()
    seed = generate(GeneratorSettings(days=1, charges_per_day=2, connected_accounts=0, events=False))
    after = datetime.now(timezone.utc).date()   # the same day, unless the test straddles midnight
    created = [o["created"] for o in seed["objects"] if o["object"] != "account"]
    ends = {int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp()) for d in (before, after)}
    assert any(end - 86400 <= min(created) and max(created) < end for end in ends)


def test_small_and_odd_settings_still_work():
    for settings in (GeneratorSettings(days=1, charges_per_day=1, connected_accounts=0, end_date=date(2026, 1, 1)),
                     GeneratorSettings(days=3, charges_per_day=3, connected_accounts=7, end_date=date(2026, 3, 1),
                                       currencies=("usd", "jpy"), refund_rate=0.5, dispute_rate=0.2,
                                       invoice_share=1.0, events=False)):
        seed = generate(settings)
        assert any(o["object"] == "balance_transaction" for o in seed["objects"])
