"""A sandbox seeded from a file; huge metadata, unicode and emoji come through to the cent and the byte."""

from __future__ import annotations

import json

from ledger_pipeline.sandbox.common import SandboxClock
from ledger_pipeline.sandbox.stripe import StripeSandbox

from .conftest import DAYS, KEY, NOON_END, created_on, failed_checks


def test_seeded_from_file_with_big_metadata_and_unicode(stack_factory, seed, connected_account, tmp_path):
    path = tmp_path / "stripe_seed.json"
    path.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    sandbox = StripeSandbox.from_file(path, api_keys=(KEY,), requests_per_second=100_000,
                                      clock=SandboxClock(frozen_at=NOON_END))
    stack = stack_factory(sandbox)
    for tenant in ("demo", f"demo.{connected_account}"):
        result = stack.run(tenant, DAYS[0])
        assert result.success and not failed_checks(result)

    customers = {obj["id"]: obj for obj in seed["objects"] if obj["object"] == "customer"}
    big = next(obj for obj in customers.values() if len(obj["metadata"]) >= 50)
    assert created_on(big, DAYS[0])
    (metadata, name), = stack.query("demo", "SELECT metadata::VARCHAR, name FROM staging.customers WHERE id = ?",
                                    [big["id"]])
    assert json.loads(metadata) == big["metadata"]
    assert any("😀" in value and "ü€" in value for value in json.loads(metadata).values())
    assert name == big["name"]

    # Every customer of the connected (Japanese) account, names and all, exactly as the seed has them.
    expected = {cid: obj["name"] for cid, obj in customers.items()
                if obj.get("account") == connected_account and created_on(obj, DAYS[0]) and not obj.get("deleted")}
    got = dict(stack.query(f"demo.{connected_account}", "SELECT id, name FROM staging.customers"))
    assert {k: got.get(k) for k in expected} == expected
    assert any(name and not name.isascii() for name in expected.values())
    display = stack.query("demo", "SELECT display_name FROM staging.accounts WHERE id = ?", [connected_account])
    account = next(obj for obj in seed["objects"] if obj["id"] == connected_account)
    assert display == [(account["settings"]["dashboard"]["display_name"],)]
