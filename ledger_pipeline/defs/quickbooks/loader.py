"""`quickbooks/posted_entries`: the partition's journal entries and documents in the tenant's QuickBooks company.

Downstream of `journal/entries` and `quickbooks/preflight`, so their blocking checks gate every post. No
retry policy: a failed run leaves its intents pending in sync.outbox and the next run settles them (found
by marker, or the same requestid sent again), never a second object. The `quickbooks_api` pool caps how
many steps talk to QuickBooks at once across runs (`dagster instance concurrency set quickbooks_api 1`
keeps one realm's 500 calls a minute to one process).
"""

import dagster as dg

from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.checks import ENTRIES
from ledger_pipeline.defs.quickbooks import adapter, read_back
from ledger_pipeline.defs.quickbooks.company import connect
from ledger_pipeline.defs.quickbooks.entries import TARGET
from ledger_pipeline.defs.quickbooks.post import Posted, post_day
from ledger_pipeline.defs.quickbooks.preflight import PREFLIGHT
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.posting import TargetError
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.warehouse import WarehouseResource


@dg.asset(
    key=read_back.POSTED,
    deps=[ENTRIES, PREFLIGHT],
    partitions_def=tenant_day_partitions,
    group_name="quickbooks",
    kinds={"quickbooks"},
    owners=["team:ledger"],
    pool="quickbooks_api",
    check_specs=read_back.check_specs(),
    description="The partition's journal entries posted to the tenant's QuickBooks company (the mapping's "
                "books.company): payout summaries as JournalEntries; per-transaction documents as SalesReceipts, "
                "Invoices, Payments, RefundReceipts, CreditMemos, Purchases and Transfers, with their customers, "
                "vendors and items matched or created first. New ones in batches of 30, changed ones updated, "
                "voided ones voided, ones whose entry is gone deleted; each with a requestid from its key and "
                "content hash and its remote id in sync.external_ids. A refused record is kept in sync.outbox with "
                "QuickBooks' message and the fix while the rest goes on. Then the books are read back: trial "
                "balance and one object per record.",
)
def quickbooks_posted_entries(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                              quickbooks: QuickBooksResource):
    tenant, day = tenant_and_day(context)
    with warehouse.connect(tenant) as conn:
        mapping = current_mapping(conn, tenant)
        if mapping.target != TARGET:
            yield dg.MaterializeResult(metadata={"skipped": f"{mapping.file} posts to {mapping.target}"})
            yield from read_back.not_applicable(f"nothing posted here: {mapping.file} posts to {mapping.target}")
            return
        company = connect(quickbooks, mapping.company)
        try:
            home = (company.client.preferences().get("CurrencyPrefs") or {}).get("HomeCurrency", {}).get("value",
                                                                                                          "USD")
            posted = post_day(conn, company, tenant, day, home, context.run.run_id)
        except TargetError as error:
            # not settled: what went out stays pending, the next run finds it by marker or sends the same key
            raise dg.Failure(description=f"posting to QuickBooks company {mapping.company} stopped: {error} "
                                         "Re-running is safe: nothing is posted twice.",
                             metadata={"kind": error.kind.value, "code": error.code, "fix": error.fix}) from None
        key = adapter.adapter_key(home)
        before = company.count.calls
        checks = [read_back.every_record_posted(posted),
                  read_back.trial_balance_matches(conn, company, day, home, key),
                  read_back.one_object_per_record(conn, company, tenant, day, key)]
    _log(context, tenant, day, mapping.company, posted)
    yield dg.MaterializeResult(metadata={
        "realm_id": mapping.company, "home_currency": home, "mapping_version": mapping.version,
        "entries": len(posted.entries), **_metadata(posted), "read_back_api_calls": company.count.calls - before,
        "api_calls_total": company.count.calls,
    })
    yield from checks


def _metadata(posted: Posted) -> dict:
    return {k: dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v for k, v in posted.metadata().items()}


def _log(context: dg.AssetExecutionContext, tenant: str, day, realm: str, posted: Posted) -> None:
    counts = {k: v for k, v in posted.counts().items() if v}
    context.log.info(f"{tenant} {day}: QuickBooks company {realm}: "
                     + (", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing to post")
                     + f" in {posted.calls} API calls")
