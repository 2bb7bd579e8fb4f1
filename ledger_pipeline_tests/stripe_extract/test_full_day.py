"""A full day for a platform and its connected (JPY) account: everything lands, typed, apart, checked."""

from __future__ import annotations

from decimal import Decimal

from .conftest import DAYS, created_on, failed_checks, owned_ids

STAGING_COUNTS = ("balance_transactions", "payouts", "charges", "refunds", "customers", "events", "accounts")


def test_platform_and_connected_account_day(stack, seed, connected_account):
    day = DAYS[1]
    platform = stack.run("demo", day)
    connected = stack.run(f"demo.{connected_account}", day)
    assert platform.success and connected.success
    assert not failed_checks(platform) and not failed_checks(connected)

    for tenant, owner in (("demo", None), (f"demo.{connected_account}", connected_account)):
        expected = {obj["id"] for obj in seed["objects"] if obj["object"] == "balance_transaction"
                    and obj.get("account") == owner and created_on(obj, day)}
        got = {row[0] for row in stack.query(tenant, "SELECT id FROM staging.balance_transactions")}
        assert got == expected and expected
        # Nothing of the other tenant leaks in: every charge, payout and customer is the tenant's own.
        for kind, table in (("charge", "charges"), ("payout", "payouts"), ("customer", "customers")):
            ids = {row[0] for row in stack.query(tenant, f"SELECT id FROM staging.{table}")}
            assert ids <= owned_ids(seed, kind, owner), (tenant, kind)
        # Every automatic payout created that day was composed.
        payouts = {obj["id"] for obj in seed["objects"] if obj["object"] == "payout" and obj["automatic"]
                   and obj.get("account") == owner and created_on(obj, day)}
        composed = {row[0] for row in stack.query(tenant, "SELECT DISTINCT payout_id FROM staging.payout_composition")}
        assert payouts <= composed

    # Money exactly as Stripe sent it: JPY whole yen, fees, nets, exchange rates as exact decimals.
    seed_bts = {obj["id"]: obj for obj in seed["objects"] if obj["object"] == "balance_transaction"}
    for tenant in ("demo", f"demo.{connected_account}"):
        for bt_id, amount, fee, net, currency, rate, fees_total in stack.query(tenant, """
                SELECT b.id, b.amount, b.fee, b.net, b.currency, b.exchange_rate,
                       (SELECT coalesce(sum(amount), 0) FROM staging.balance_transaction_fees f
                        WHERE f.balance_transaction_id = b.id)
                FROM staging.balance_transactions b"""):
            source = seed_bts[bt_id]
            assert (amount, fee, net, currency) == (source["amount"], source["fee"], source["net"], source["currency"])
            assert fees_total == fee
            expected_rate = None if source["exchange_rate"] is None else Decimal(repr(source["exchange_rate"]))
            assert rate == expected_rate
    jpy = stack.query(f"demo.{connected_account}", "SELECT count(*) FROM staging.balance_transactions "
                                                   "WHERE currency = 'jpy'")[0][0]
    assert jpy > 0

    accounts = stack.query("demo", "SELECT id, is_tenant FROM staging.accounts ORDER BY is_tenant")
    assert (connected_account, False) in accounts and sum(1 for _, own in accounts if own) == 1
    assert stack.query(f"demo.{connected_account}", "SELECT id, is_tenant FROM staging.accounts") == [
        (connected_account, True)]

    # Materialization metadata: row counts and money per currency.
    materialized = {m.asset_key.to_user_string(): m.metadata for m in platform.asset_materializations_for_node(
        "stripe_extraction")}
    bts = materialized["stripe/balance_transactions"]
    assert bts["dagster/row_count"].value == len(expected_platform_bts(seed, day))
    totals = bts["created_in_window_by_currency"].value
    assert sum(v["net"] for v in totals.values()) == sum(
        obj["net"] for obj in expected_platform_bts(seed, day))
    for table in STAGING_COUNTS:
        assert f"stripe/{table}" in materialized

    # The day's gross, fees, refunds and net, in dollars of the tenant's own currency, for the UI's plots.
    usd = [obj for obj in expected_platform_bts(seed, day) if obj["currency"] == "usd"]
    category = {obj["id"]: obj["reporting_category"] for obj in usd}
    cents = {
        "gross": sum(o["amount"] for o in usd if category[o["id"]] == "charge"),
        "refunds": -sum(o["amount"] for o in usd if category[o["id"]] in ("refund", "refund_failure")),
        "fees": sum(o["fee"] for o in usd) - sum(o["amount"] for o in usd if category[o["id"]] in ("fee", "tax")),
        "net": sum(o["net"] for o in usd if category[o["id"]] not in ("payout", "payout_reversal")),
    }
    assert bts["currency"].value == "USD"
    assert {figure: bts[figure].value for figure in cents} == {k: float(Decimal(v) / 100) for k, v in cents.items()}
    assert cents["gross"] > 0 and cents["fees"] > 0
    [row] = [r.data for r in bts["day_totals"].records if r.data["currency"] == "usd"]
    assert row["gross"] == str(Decimal(cents["gross"]).scaleb(-2))


def expected_platform_bts(seed, day):
    return [obj for obj in seed["objects"] if obj["object"] == "balance_transaction" and obj.get("account") is None
            and created_on(obj, day)]
