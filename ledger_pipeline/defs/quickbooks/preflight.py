"""`quickbooks/preflight`: before anything is posted, is the tenant's QuickBooks company ready for it?

Its checks block: one failure and `quickbooks/posted_entries` does not run, so nothing reaches the books.
A tenant whose mapping posts elsewhere (Xero) passes with nothing to check.
"""

import dagster as dg

from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.checks import ENTRIES
from ledger_pipeline.defs.quickbooks import adapter, readiness
from ledger_pipeline.defs.quickbooks.company import connect
from ledger_pipeline.defs.quickbooks.entries import TARGET, entries_to_post
from ledger_pipeline.lib.checks import CheckSet
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.targets.quickbooks import QuickBooksResource
from ledger_pipeline.warehouse import WarehouseResource

PREFLIGHT = dg.AssetKey(["quickbooks", "preflight"])
CHECKS = {
    "connected": (readiness.CONNECTION, "The app's token works for the company (refreshed if needed) and its "
                                        "subscription is active."),
    "accounts_ready": (readiness.ACCOUNTS, "Every account the mapping names exists, is active and has a type that "
                                           "fits its role; every account the entries use takes their currency."),
    "currencies_enabled": (readiness.CURRENCIES, "The entries' books currency is the home currency, or multicurrency "
                                                 "is on and the currency is in the company's list."),
    "lists_ready": (readiness.LISTS, "Every tax code, class and item the mapping names exists and is active."),
}
SHOWN = 25
CHECK_SET = CheckSet(PREFLIGHT, {name: text for name, (_, text) in CHECKS.items()}, blocking=True)


@dg.asset(
    key=PREFLIGHT,
    deps=[ENTRIES],
    partitions_def=tenant_day_partitions,
    group_name="quickbooks",
    kinds={"quickbooks"},
    owners=["team:ledger"],
    pool="quickbooks_api",
    check_specs=CHECK_SET.specs(),
    description="Reads the tenant's QuickBooks company (the mapping's books.company) before any post: the token, the "
                "company, every mapped account (exists, active, type fits its role, currency fits the entries), the "
                "currencies, tax codes, classes and items. Each failure says what to change in QuickBooks or in the "
                "mapping file (file and key); any failure keeps quickbooks/posted_entries from running.",
)
def quickbooks_preflight(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                         quickbooks: QuickBooksResource):
    tenant, day = tenant_and_day(context)
    with warehouse.connect(tenant) as conn:
        mapping = current_mapping(conn, tenant)
        if mapping.target != TARGET:
            yield dg.MaterializeResult(metadata={"skipped": f"{mapping.file} posts to {mapping.target}"})
            yield from CHECK_SET.not_applicable(f"nothing to check: {mapping.file} posts to {mapping.target}")
            return
        company = connect(quickbooks, mapping.company)
        state = readiness.assess(company.client, conn, mapping, lambda home: entries_to_post(
            conn, tenant, day, mapping.company, adapter.adapter_key(home)))
    findings = [finding for found in state.findings.values() for finding in found]
    context.log.info(f"{tenant} {day}: QuickBooks company {mapping.company} ({state.company_name or '?'}): "
                     + ("ready" if state.ready else f"{len(findings)} problem(s) to fix before posting"))
    yield dg.MaterializeResult(metadata={
        "realm_id": mapping.company, "company": state.company_name, "home_currency": state.home_currency,
        "multicurrency": state.multicurrency, "mapping_file": mapping.file, "api_calls": company.count.calls,
        "checked": dg.MetadataValue.json(state.checked),
        "findings": dg.MetadataValue.json([vars(f) for f in findings[:SHOWN]]),
    })
    yield from CHECK_SET.from_findings({name: area for name, (area, _) in CHECKS.items()}, state.findings,
                                       state.checked, readiness.CONNECTION, "company", SHOWN)
