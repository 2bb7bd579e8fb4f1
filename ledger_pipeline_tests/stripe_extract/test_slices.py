"""Windows are [start, end) on `created`: an object at midnight lands in one day only; re-runs replace
exactly their slice, so running a partition three times leaves identical tables."""

from __future__ import annotations

from .conftest import DAYS, failed_checks, midnight

# Columns that say when we fetched, not what Stripe holds: they move with every run.
RUN_TIMES = ("extracted_at", "observed_at")


def snapshot(stack, tenant: str) -> dict[str, list[tuple]]:
    with stack.connect(tenant) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema IN ('staging', 'raw', 'quarantine') ORDER BY 1").fetchall()]
        return {table: conn.execute(f"SELECT COLUMNS(lambda c: c NOT IN {RUN_TIMES}) FROM {table} ORDER BY ALL")
                .fetchall() for table in tables}


def test_midnight_object_lands_in_one_day_and_reruns_are_identical(stack, seed):
    midnight_charge = next(obj for obj in seed["objects"] if obj["object"] == "charge"
                           and obj["metadata"].get("sandbox_case") == "midnight_boundary")
    assert midnight_charge["created"] == midnight(DAYS[1])
    bt_id = midnight_charge["balance_transaction"]

    assert stack.run("demo", DAYS[0]).success
    first = stack.run("demo", DAYS[1])
    assert first.success and not failed_checks(first)

    slices = stack.query("demo", "SELECT partition_date FROM staging.balance_transactions WHERE id = ?", [bt_id])
    assert slices == [(DAYS[1],)]
    assert stack.query("demo", "SELECT partition_date FROM staging.charges WHERE id = ?",
                       [midnight_charge["id"]]) == [(DAYS[1],)]
    listed = stack.query("demo", "SELECT DISTINCT partition_date FROM raw.stripe_objects "
                                 "WHERE object_id = ? AND origin = 'list'", [midnight_charge["id"]])
    assert listed == [(DAYS[1],)]

    before = snapshot(stack, "demo")
    for _ in range(2):
        again = stack.run("demo", DAYS[1])
        assert again.success and not failed_checks(again)
        assert snapshot(stack, "demo") == before

    duplicates = stack.query("demo", """
        SELECT 'bt', id FROM staging.balance_transactions GROUP BY id HAVING count(*) > 1
        UNION ALL SELECT 'raw', object_id FROM raw.stripe_objects
        GROUP BY partition_date, object_type, object_id, origin, parent_id HAVING count(*) > 1""")
    assert duplicates == []
    per_day = dict(stack.query("demo", "SELECT partition_date, count(*) FROM staging.balance_transactions GROUP BY 1"))
    assert set(per_day) == {DAYS[0], DAYS[1]}
