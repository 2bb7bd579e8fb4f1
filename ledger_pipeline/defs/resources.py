"""Shared resources, built from `ledger_pipeline.yaml`; secrets come from the environment only."""

import dagster as dg

from ledger_pipeline.config import project_config
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.targets.xero import XeroResource
from ledger_pipeline.warehouse import WarehouseResource


@dg.definitions
def defs() -> dg.Definitions:
    config = project_config()
    stripe = config.stripe
    qbo = config.quickbooks
    xero = config.xero
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
            # One resource for every QuickBooks company: the loader aims it at the realm the tenant's mapping
            # names (books.company), so realm_id stays empty here.
            "quickbooks": QuickBooksResource(
                client_id=dg.EnvVar(qbo.client_id_env),
                client_secret=dg.EnvVar(qbo.client_secret_env),
                realm_id="",
                environment=qbo.discovery,
                api_base=qbo.api,
                minorversion=qbo.minorversion,
                token_store_path=qbo.token_store,
                token_encryption_key=dg.EnvVar(qbo.token_key_env) if qbo.token_key_env else None,
                requests_per_minute=qbo.requests_per_minute,
                max_concurrent=qbo.max_concurrent,
                timeout_seconds=qbo.timeout_seconds,
                max_attempts=qbo.max_attempts,
                backoff_seconds=qbo.backoff_seconds,
                max_backoff_seconds=qbo.max_backoff_seconds,
            ),
            # Likewise one resource for every Xero organisation: tenant_id comes from the mapping.
            "xero": XeroResource(
                client_id=dg.EnvVar(xero.client_id_env),
                client_secret=dg.EnvVar(xero.client_secret_env),
                tenant_id="",
                identity_base=xero.identity,
                api_base=xero.api,
                token_store_path=xero.token_store,
                token_encryption_key=dg.EnvVar(xero.token_key_env) if xero.token_key_env else None,
                calls_per_minute=xero.calls_per_minute,
                max_concurrent=xero.max_concurrent,
                calls_per_day=xero.calls_per_day,
                min_calls_left=xero.min_calls_left,
                timeout_seconds=xero.timeout_seconds,
                max_attempts=xero.max_attempts,
                backoff_seconds=xero.backoff_seconds,
                max_backoff_seconds=xero.max_backoff_seconds,
            ),
        }
    )
