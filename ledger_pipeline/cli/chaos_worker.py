"""One partition of the daily job in a process of its own, for `ledger-pipeline chaos` to kill mid-run.

    python -m ledger_pipeline.cli.chaos_worker <tenant> <day>

Configuration, sandbox addresses and tokens come from the environment the chaos run set up.
LEDGER_RUN_LOG_LEVEL (default ERROR) sets how much the run and the libraries under it log to stderr.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    import logging
    import os

    import dagster as dg

    from ledger_pipeline.cli.chaos_world import QUIET_LOGS
    from ledger_pipeline.definitions import defs
    from ledger_pipeline.lib.partitions import partition_key

    tenant, day = argv
    level = os.environ.get("LEDGER_RUN_LOG_LEVEL", "ERROR").upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    job = defs().resolve_job_def("ledger_daily_job")
    run_config = {"loggers": {"console": {"config": {"log_level": level}}}} if level != "ERROR" else QUIET_LOGS
    result = job.execute_in_process(partition_key=partition_key(tenant, day), instance=dg.DagsterInstance.get(),
                                    raise_on_error=False, run_config=run_config)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
