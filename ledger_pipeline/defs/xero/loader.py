"""`xero/posted_entries`: the partition's journal entries and documents in the tenant's Xero organisation.

Downstream of `journal/entries` and `xero/preflight`, so their blocking checks gate every post. No retry
policy: a failed run leaves its intents pending in sync.outbox and the next run settles them (found by
marker, or the same Idempotency-Key sent again), never a second object. A run that meets the end of the
day's API budget does not fail: it posts what fits, says what waits (`stopped_for_daily_limit`, a WARN on
`every_record_posted`) and the next run finishes the job. The `xero_api` pool caps how many steps talk to
Xero at once across runs (`dagster instance concurrency set xero_api 1` keeps an organisation's 60 calls a
minute and 5 in flight to one process).
"""

import dagster as dg

from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.checks import ENTRIES
from ledger_pipeline.defs.xero import adapter, read_back
from ledger_pipeline.defs.xero.organisation import connect
from ledger_pipeline.defs.xero.post import Posted, post_day
from ledger_pipeline.defs.xero.preflight import PREFLIGHT
from ledger_pipeline.lib.checks import json_metadata
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.posting import TargetError
from ledger_pipeline.targets.xero import XeroResource
from ledger_pipeline.targets.xero.errors import TARGET
from ledger_pipeline.warehouse import WarehouseResource


@dg.asset(
    key=read_back.POSTED,
    deps=[ENTRIES, PREFLIGHT],
    partitions_def=tenant_day_partitions,
    group_name="xero",
    kinds={"xero"},
    owners=["team:ledger"],
    pool="xero_api",
    check_specs=read_back.CHECKS.specs(),
    description="The partition's journal entries posted to the tenant's Xero organisation (the mapping's "
                "books.company): payout summaries as ManualJournals (base currency, marker at the end of the "
                "Narration); per-transaction documents as Invoices with their Payments, CreditNotes and "
                "BankTransactions on the clearing account, with their contacts matched or created first. New ones "
                "up to 50 a request (summarizeErrors=false), changed ones updated, voided ones voided, ones whose "
                "entry is gone removed; each with an Idempotency-Key from its key and content hash and its remote "
                "id in sync.external_ids. A refused record is kept in sync.outbox with Xero's message and the fix "
                "while the rest goes on; what does not fit the day's API budget waits for the next run. Then the "
                "books are read back: trial balance and one object per record.",
)
def xero_posted_entries(context: dg.AssetExecutionContext, warehouse: WarehouseResource, xero: XeroResource):
    tenant, day = tenant_and_day(context)
    with warehouse.connect(tenant) as conn:
        mapping = current_mapping(conn, tenant)
        if mapping.target != TARGET:
            yield dg.MaterializeResult(metadata={"skipped": f"{mapping.file} posts to {mapping.target}"})
            yield from read_back.CHECKS.not_applicable(f"nothing posted here: {mapping.file} posts to "
                                                       f"{mapping.target}")
            return
        org = connect(xero, mapping.company)
        try:
            organisation = org.client.organisation()
            base = str(getattr(organisation.base_currency, "value", organisation.base_currency) or "USD").upper()
            posted = post_day(conn, org, tenant, day, base, context.run.run_id)
        except TargetError as error:
            # not settled: what went out stays pending, the next run finds it by marker or sends the same key
            raise dg.Failure(description=f"posting to Xero organisation {mapping.company} stopped: {error} "
                                         "Re-running is safe: nothing is posted twice.",
                             metadata={"kind": error.kind.value, "code": error.code, "fix": error.fix}) from None
        key = adapter.adapter_key(base)
        before = org.count.calls
        checks = [read_back.every_record_posted(posted),
                  read_back.trial_balance_matches(conn, org, day, organisation, base, key),
                  read_back.one_object_per_record(conn, org, tenant, day, key)]
    _log(context, tenant, day, mapping.company, posted)
    yield dg.MaterializeResult(metadata={
        "tenant_id": mapping.company, "base_currency": base, "mapping_version": mapping.version,
        "entries": len(posted.entries), **json_metadata(posted.metadata()),
        "read_back_api_calls": org.count.calls - before, "api_calls_total": org.count.calls,
        "calls_left_today": org.client.calls_left_today(),
    })
    yield from checks


def _log(context: dg.AssetExecutionContext, tenant: str, day, tenant_id: str, posted: Posted) -> None:
    counts = {k: v for k, v in posted.counts().items() if v}
    context.log.info(f"{tenant} {day}: Xero organisation {tenant_id}: "
                     + (", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing to post")
                     + f" in {posted.calls} API calls"
                     + (f"; stopped for the day's API budget, {len(posted.waiting)} wait for the next run"
                        if posted.stopped_for_daily_limit else ""))
