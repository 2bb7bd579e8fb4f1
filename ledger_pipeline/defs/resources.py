"""Shared resources, built from `ledger_pipeline.yaml`; secrets come from the environment only."""

import dagster as dg

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.warehouse import WarehouseResource


@dg.definitions
def defs() -> dg.Definitions:
    config = project_config()
    stripe = config.stripe
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(directory=config.warehouse.directory),
            "stripe": StripeResource(
                api_key=dg.EnvVar(stripe.api_key_env),
                api_key_env=stripe.api_key_env,
                api_base=stripe.api_base,
                requests_per_second=stripe.requests_per_second,
                max_concurrency=stripe.max_concurrency,
                timeout_seconds=stripe.timeout_seconds,
                max_retries=stripe.max_retries,
                backoff_seconds=stripe.backoff_seconds,
                window_splits=stripe.window_splits,
                events_retention_days=stripe.events_retention_days,
                mutable_lookback_days=stripe.mutable_lookback_days,
            ),
        }
    )
