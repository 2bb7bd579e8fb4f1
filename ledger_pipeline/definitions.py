"""The one Dagster entry point: everything under `defs/`, with the project-wide execution policy."""

from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    # One process per run: a tenant's DuckDB file takes one writer, and a tenant runs one at a time
    # (dagster.yaml), so steps inside a run go one after another.
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
        dg.Definitions(executor=dg.in_process_executor),
    )
