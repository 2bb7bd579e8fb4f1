"""Objects that change after the day they were created: late refunds, customer edits and deletions, and
the re-listing used once Stripe no longer keeps a day's events. Last change wins; re-runs never regress."""

from __future__ import annotations

from .conftest import DAYS, END, NOON_END, created_on, failed_checks, new_sandbox


def _platform(seed, kind, day, **fields):
    return [obj for obj in seed["objects"] if obj["object"] == kind and obj.get("account") is None
            and created_on(obj, day) and all(obj.get(k) == v for k, v in fields.items())]


def test_late_refund_updates_the_old_charge(stack, seed):
    charge = next(c for c in _platform(seed, "charge", DAYS[2], status="succeeded", refunded=False, disputed=False,
                                       transfer=None, currency="usd"))
    assert stack.run("demo", DAYS[2]).success
    assert stack.query("demo", "SELECT refunded, amount_refunded FROM staging.charges WHERE id = ?",
                       [charge["id"]]) == [(False, 0)]

    when = NOON_END + 60
    refunded_charge = dict(charge, amount_refunded=charge["amount"], refunded=True)
    stack.add_objects([
        {"id": "re_late_refund_1", "object": "refund", "amount": charge["amount"], "currency": "usd",
         "charge": charge["id"], "payment_intent": charge["payment_intent"], "created": when,
         "balance_transaction": "txn_late_refund_1", "status": "succeeded", "reason": "requested_by_customer",
         "metadata": {}},
        {"id": "txn_late_refund_1", "object": "balance_transaction", "amount": -charge["amount"], "fee": 0,
         "net": -charge["amount"], "currency": "usd", "created": when, "available_on": when, "type": "refund",
         "reporting_category": "refund", "source": "re_late_refund_1", "fee_details": [], "exchange_rate": None,
         "status": "available", "description": "REFUND FOR CHARGE"},
        refunded_charge,
        {"id": "evt_late_refund_1", "object": "event", "type": "charge.refunded", "created": when,
         "api_version": "2026-10-28.endive", "livemode": False, "pending_webhooks": 0,
         "request": {"id": None, "idempotency_key": None},
         "data": {"object": refunded_charge, "previous_attributes": {"amount_refunded": 0, "refunded": False}}},
    ])

    result = stack.run("demo", END)
    assert result.success and not failed_checks(result)
    assert stack.query("demo", "SELECT partition_date, charge, amount FROM staging.refunds WHERE id = 're_late_refund_1'"
                       ) == [(END, charge["id"], charge["amount"])]
    assert stack.query("demo", "SELECT partition_date, amount FROM staging.balance_transactions "
                               "WHERE id = 'txn_late_refund_1'") == [(END, -charge["amount"])]
    current = [(True, charge["amount"], END)]
    sql = "SELECT refunded, amount_refunded, partition_date FROM staging.charges WHERE id = ?"
    assert stack.query("demo", sql, [charge["id"]]) == current

    # Re-running either day, in either order, never takes the charge back to "not refunded".
    assert stack.run("demo", DAYS[2]).success
    assert stack.query("demo", sql, [charge["id"]])[0][:2] == (True, charge["amount"])
    assert stack.run("demo", END).success
    assert stack.query("demo", sql, [charge["id"]])[0][:2] == (True, charge["amount"])


def test_customer_updated_then_deleted_keeps_last_fields(stack, seed):
    first, second = _platform(seed, "customer", DAYS[2])[:2]
    assert stack.run("demo", DAYS[2]).success
    client = stack.client()
    client.v1.customers.update(first["id"], params={"name": "Zoë Ünïcode 🚀", "email": "zoe@example.com",
                                                   "metadata": {"tier": "gold"}})
    client.v1.customers.update(second["id"], params={"name": "First rename"})
    stack.sandbox.clock.advance(120)
    client.v1.customers.update(second["id"], params={"name": "Second rename"})
    client.v1.customers.delete(first["id"])

    assert stack.run("demo", END).success
    sql = ("SELECT name, email, metadata->>'$.tier', deleted, epoch(deleted_at)::BIGINT FROM staging.customers "
           "WHERE id = ?")
    expected = [("Zoë Ünïcode 🚀", "zoe@example.com", "gold", True, NOON_END + 120)]
    assert stack.query("demo", sql, [first["id"]]) == expected
    assert stack.query("demo", "SELECT name, deleted FROM staging.customers WHERE id = ?",
                       [second["id"]]) == [("Second rename", False)]

    # The creation day again: the customer is gone from Stripe's list now; it stays deleted, fields kept.
    for day in (DAYS[2], END):
        assert stack.run("demo", day).success
        assert stack.query("demo", sql, [first["id"]]) == expected
        assert stack.query("demo", "SELECT name FROM staging.customers WHERE id = ?",
                           [second["id"]]) == [("Second rename",)]


def test_past_event_retention_mutable_objects_are_relisted(stack_factory, seed):
    stack = stack_factory(new_sandbox(seed, events_retention_days=1))
    resource = stack.stripe(events_retention_days=1, mutable_lookback_days=3)
    edited, removed = _platform(seed, "customer", DAYS[1])[:2]
    assert stack.run("demo", DAYS[1], resource).success

    client = stack.client()
    client.v1.customers.update(edited["id"], params={"email": "changed@example.com"})
    client.v1.customers.delete(removed["id"])

    result = stack.run("demo", DAYS[2], resource)
    assert result.success
    events = next(m for m in result.asset_materializations_for_node("stripe_extraction")
                  if m.asset_key.to_user_string() == "stripe/events")
    assert events.metadata["relisted_instead"].value is True
    assert stack.query("demo", "SELECT email, deleted FROM staging.customers WHERE id = ?",
                       [edited["id"]]) == [("changed@example.com", False)]
    assert stack.query("demo", "SELECT name, deleted FROM staging.customers WHERE id = ?",
                       [removed["id"]]) == [(removed["name"], True)]
    relisted = stack.query("demo", "SELECT count(*) FROM raw.stripe_objects WHERE origin = 'relist' "
                                   "AND partition_date = ?", [DAYS[2]])[0][0]
    assert relisted > 0
