"""`journal/entries`: the tenant's journal-ready records (entries, lines, lineage) and the accounting checks.

The checks are computed in the same step, right after the write, and block everything downstream
(posting to QuickBooks / Xero) when any of them fails.
"""

import dagster as dg

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.journal import checks
from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.metadata import journal_metadata
from ledger_pipeline.defs.journal.posting_modes import build_journal
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.warehouse import WarehouseResource

# What the journal reads from the extraction (one multi-asset, materialized together).
STRIPE_INPUTS = ("balance_transactions", "payouts", "payout_composition", "charges", "refunds", "disputes",
                 "products", "prices", "invoices", "credit_notes", "tax_rates", "application_fees", "transfers",
                 "accounts")


@dg.asset(
    key=["journal", "entries"],
    deps=[dg.AssetKey(["mapping", "tables"]), *(dg.AssetKey(["stripe", name]) for name in STRIPE_INPUTS)],
    partitions_def=tenant_day_partitions,
    group_name="journal",
    kinds={"duckdb"},
    owners=["team:ledger"],
    check_specs=checks.check_specs(),
    description="Journal-ready records in journal.entries, journal.lines and journal.line_sources: in payout-summary "
                "mode one entry per automatic payout and month (sales by product, tax, refunds, fees by type, "
                "disputes, Connect fees and transfers, net to Stripe Clearing), each payout moving Stripe Clearing "
                "to the bank, failed payouts reversing, money no automatic payout carries rolling forward day by "
                "day, and the opening balance. In per-transaction mode (the mapping's posting_mode) one document "
                "per transaction instead: sales receipts, invoices and their payments, refund receipts, credit "
                "notes, an expense for each transaction's Stripe fees, disputes, transfers, payouts (details in "
                "journal.documents). Entries with an unmapped value wait in quarantine.journal_entries.",
)
def journal_entries(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    tenant_key, day = tenant_and_day(context)
    config = project_config()
    tenant = config.tenant(tenant_key)
    with warehouse.connect(tenant_key) as conn:
        mapping = current_mapping(conn, tenant_key)
        summary = build_journal(conn, tenant, day, config.start_date, mapping)
        metadata = journal_metadata(conn, tenant, day, mapping, summary)
        results = checks.evaluate(conn, tenant, day, config.start_date)
    context.log.info(f"{tenant_key} {day}: {summary.built} entries built ({summary.rebuilt_keys} looked at, "
                     f"{summary.quarantined} held in quarantine) with {mapping.version}"
                     + (f"; {summary.skipped}" if summary.skipped else ""))
    yield dg.MaterializeResult(metadata=metadata)
    yield from results
