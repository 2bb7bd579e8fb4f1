"""Stripe extraction: one (tenant, day) partition of every Stripe object into the tenant's DuckDB file.

One multi-asset, so a day is fetched once (balance transactions bring their sources along) and written in
one transaction; its checks are computed in the same step and gate everything downstream.
"""


import dagster as dg

from ledger_pipeline.config import ProjectConfig, Tenant, project_config
from ledger_pipeline.defs.stripe import checks
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.defs.stripe.endpoints import ASSETS
from ledger_pipeline.defs.stripe.extract import Partition, Settings, extract_partition
from ledger_pipeline.defs.stripe.metadata import asset_metadata
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.warehouse import WarehouseResource

DESCRIPTIONS = {
    "balance_transactions": "Every movement of the Stripe balance created in the tenant's day, with its fee lines "
                            "(staging.balance_transactions, staging.balance_transaction_fees). The books are "
                            "built from these.",
    "payouts": "Current state of payouts created or changed that day: status, reconciliation status, arrival.",
    "payout_composition": "The balance transactions each automatic payout paid out "
                          "(GET /v1/balance_transactions?payout=po_...).",
    "charges": "Current state of charges created that day, and of older ones a refund or dispute changed.",
    "refunds": "Current state of refunds.",
    "disputes": "Current state of disputes and the balance transactions they carry.",
    "customers": "Current state of customers; deleted ones keep their last known fields.",
    "products": "Current state of products.",
    "prices": "Current state of prices.",
    "invoices": "Current state of invoices and their lines (price, product, quantity, discounts, taxes).",
    "credit_notes": "Current state of credit notes and their lines.",
    "tax_rates": "Current state of tax rates (percentages exact).",
    "application_fees": "Current state of application fees a platform collected.",
    "transfers": "Current state of transfers to connected accounts.",
    "events": "Stripe's events of the day (kept by Stripe for events_retention_days); they carry later changes "
              "to older objects.",
    "accounts": "The tenant's own Stripe account and, on a platform, its connected accounts.",
}


def _spec(asset: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=checks.asset_key(asset), group_name="stripe", kinds={"stripe", "duckdb"}, owners=["team:ledger"],
        description=DESCRIPTIONS[asset], metadata={"warehouse_table": f"staging.{asset}"},
    )


def is_platform(config: ProjectConfig, tenant: Tenant) -> bool:
    """A configured tenant that has connected accounts (its own, not as one of them)."""
    if tenant.platform_key is not None:
        return False
    settings = next((t for t in config.tenants if t.key == tenant.key), None)
    return settings is not None and settings.connected_accounts != "none"


@dg.multi_asset(
    name="stripe_extraction",
    specs=[_spec(asset) for asset in ASSETS],
    check_specs=checks.check_specs(),
    partitions_def=tenant_day_partitions,
    can_subset=False,
    pool="stripe_api",
    description="Extract one tenant's Stripe day into its warehouse and check it.",
)
def stripe_extraction(context: dg.AssetExecutionContext, stripe: StripeResource, warehouse: WarehouseResource):
    tenant_key, day = tenant_and_day(context)
    config = project_config()
    tenant = config.tenant(tenant_key)
    partition = Partition(tenant=tenant_key, day=day, window=tenant.day_window(day),
                          is_platform=is_platform(config, tenant))
    settings = Settings(window_splits=stripe.window_splits, max_concurrency=stripe.max_concurrency,
                        events_retention_days=stripe.events_retention_days,
                        mutable_lookback_days=stripe.mutable_lookback_days)
    with warehouse.connect(tenant_key) as conn:
        summary = extract_partition(conn, stripe.api(tenant.stripe_account), partition, settings)
        metadata = asset_metadata(conn, summary)
        results = checks.evaluate(conn)
    context.log.info(
        f"{tenant_key} {day}: {summary.pages} pages, {summary.calls['requests']} requests "
        f"({summary.calls['retries']} retried, {summary.calls['rate_limited']} rate limited) in "
        f"{summary.seconds:.1f}s; events {'complete' if summary.events_complete else 'past retention, re-listed'}; "
        f"{summary.rejected} quarantined"
    )
    for asset in ASSETS:
        yield dg.MaterializeResult(asset_key=checks.asset_key(asset), metadata=metadata[asset])
    yield from results
