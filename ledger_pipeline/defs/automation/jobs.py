"""The daily ledger job: every stage for one tenant and one day, in one auditable run."""

import dagster as dg

ledger_daily_job = dg.define_asset_job(
    "ledger_daily_job",
    selection=dg.AssetSelection.all(),
    description="Extract one tenant's Stripe day, then everything downstream of it, with its checks.",
)
