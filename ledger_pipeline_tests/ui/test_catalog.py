"""What the Dagster catalog says about every asset and check: nothing is left unexplained."""

from __future__ import annotations

from ledger_pipeline.definitions import defs


def test_every_asset_has_a_group_kinds_owners_and_a_description():
    graph = defs().resolve_asset_graph()
    gaps = {key.to_user_string(): {"group": node.group_name, "kinds": sorted(node.kinds), "owners": node.owners,
                                   "described": bool(node.description)}
            for key in graph.get_all_asset_keys()
            for node in [graph.get(key)]
            if not (node.group_name and node.group_name != "default" and node.kinds and node.owners
                    and node.description)}
    assert not gaps


def test_every_check_is_described_and_the_journal_checks_block():
    graph = defs().resolve_asset_graph()
    specs = {(key.asset_key.to_user_string(), key.name): graph.get_check_spec(key) for key in graph.asset_check_keys}
    assert not [key for key, spec in specs.items() if not spec.description]
    journal = {name for asset, name in specs if asset == "journal/entries"}
    assert journal == {"entries_balance", "booked_exactly_once", "payouts_tie_out", "clearing_matches_stripe_balance",
                       "no_unmapped_values", "totals_match_stripe"}
    assert all(specs[("journal/entries", name)].blocking for name in journal)
