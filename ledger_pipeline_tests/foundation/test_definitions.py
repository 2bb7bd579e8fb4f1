"""The code location loads the way `dagster dev` and the gRPC server load it."""

import dagster as dg

from ledger_pipeline.definitions import defs


def test_definitions_load_and_validate():
    loaded = defs()
    dg.Definitions.validate_loadable(loaded)
    job = loaded.resolve_job_def("ledger_daily_job")
    assert job.partitions_def is not None
    assert {"warehouse", "stripe"} <= set(loaded.resources)


def test_every_asset_is_partitioned_by_tenant_and_day():
    loaded = defs()
    graph = loaded.resolve_asset_graph()
    keys = [key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable]
    assert keys, "no assets loaded"
    for key in keys:
        partitions = graph.get(key).partitions_def
        assert isinstance(partitions, dg.MultiPartitionsDefinition), key
        assert {d.name for d in partitions.partitions_defs} == {"date", "tenant"}
