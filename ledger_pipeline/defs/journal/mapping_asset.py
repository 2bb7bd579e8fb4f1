"""`mapping/tables`: the tenant's mapping file, validated and loaded as versioned `mapping.*` tables."""


from pathlib import Path

import dagster as dg

from ledger_pipeline.config import config_path, mappings_directory, project_config
from ledger_pipeline.defs.journal.mapping_file import MappingError, load_mapping, mapping_path
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.warehouse import WarehouseResource


def shown_path(path: Path) -> str:
    """The file as a reviewer finds it: relative to the configuration's folder when it lives there."""
    try:
        return str(path.resolve().relative_to(config_path().resolve().parent))
    except ValueError:
        return str(path)


@dg.asset(
    key=["mapping", "tables"],
    deps=[dg.AssetKey(["stripe", "accounts"])],
    partitions_def=tenant_day_partitions,
    group_name="journal",
    kinds={"yaml", "duckdb"},
    owners=["team:ledger"],
    description="The tenant's mapping file (mappings/<tenant>.yaml, or <platform>.connected.yaml for a connected "
                "account without one), validated and loaded as versioned mapping.* tables; the version is the "
                "file name plus the hash of its bytes.",
)
def mapping_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    tenant, _ = tenant_and_day(context)
    config = project_config()
    try:
        path = mapping_path(tenant, mappings_directory(config))
        mapping = load_mapping(path, shown_path(path))
        with warehouse.connect(tenant) as conn:
            loaded = store_mapping(conn, tenant, mapping)
    except MappingError as exc:
        raise dg.Failure(
            description=f"{len(exc.problems)} problem(s) in the mapping file {exc.file}:\n{exc}",
            metadata={"file": exc.file, "problems": dg.MetadataValue.json(
                [{"line": p.line, "key": p.path, "what": p.what, "fix": p.fix} for p in exc.problems])},
        ) from None
    context.log.info(f"{tenant}: {loaded.file} loaded as {loaded.version} (books in {loaded.books_currency.upper()}, "
                     f"{loaded.payout_schedule} payouts)")
    return dg.MaterializeResult(
        metadata={"mapping_version": loaded.version, "file": loaded.file,
                  "books_currency": loaded.books_currency, "payout_schedule": loaded.payout_schedule,
                  "rows": dg.MetadataValue.json(loaded.rows)},
        data_version=dg.DataVersion(loaded.version),
    )
