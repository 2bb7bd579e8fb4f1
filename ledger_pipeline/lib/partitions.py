"""Partitions: tenant x day. Tenants are a dynamic dimension so new connected accounts need no code change."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from ledger_pipeline.config import project_config

TENANTS = "tenants"
tenant_partitions = dg.DynamicPartitionsDefinition(name=TENANTS)


def daily_partitions() -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(start_date=project_config().start_date.isoformat(), timezone="UTC")


tenant_day_partitions = dg.MultiPartitionsDefinition({"date": daily_partitions(), "tenant": tenant_partitions})


def tenant_and_day(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> tuple[str, dt.date]:
    """The (tenant key, day) of the partition being materialized or checked."""
    keys = context.partition_key.keys_by_dimension
    return keys["tenant"], dt.date.fromisoformat(keys["date"])


def partition_key(tenant: str, day: dt.date | str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({"tenant": tenant, "date": str(day)})
