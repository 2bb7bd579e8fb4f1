"""`xero/preflight`: before anything is posted, is the tenant's Xero organisation ready for it?

Its checks block: one failure and `xero/posted_entries` does not run, so nothing reaches the books.
A tenant whose mapping posts elsewhere (QuickBooks) passes with nothing to check.
"""

import dagster as dg

from ledger_pipeline.defs.journal.build import current_mapping
from ledger_pipeline.defs.journal.checks import ENTRIES
from ledger_pipeline.defs.quickbooks.entries import entries_to_post
from ledger_pipeline.defs.xero import adapter, readiness
from ledger_pipeline.defs.xero.organisation import connect
from ledger_pipeline.lib.checks import CheckSet
from ledger_pipeline.lib.partitions import tenant_and_day, tenant_day_partitions
from ledger_pipeline.targets.xero import XeroResource
from ledger_pipeline.targets.xero.errors import TARGET
from ledger_pipeline.warehouse import WarehouseResource

PREFLIGHT = dg.AssetKey(["xero", "preflight"])
CHECKS = {
    "connected": (readiness.CONNECTION, "The app's token works (refreshed if needed), its connections include the "
                                        "organisation, and the organisation is active."),
    "accounts_ready": (readiness.ACCOUNTS, "Every account code the mapping names exists, is active and has a type "
                                           "that fits its role; manual journals name no foreign-currency bank "
                                           "account."),
    "payment_accounts_ready": (readiness.PAYMENTS, "The accounts that receive payments (clearing, per-transaction "
                                                   "mode) are bank accounts or have 'Enable payments to this account' "
                                                   "ticked."),
    "currencies_enabled": (readiness.CURRENCIES, "The books currency is the organisation's base currency; the "
                                                 "documents' other currencies are enabled."),
    "tax_rates_and_tracking_ready": (readiness.TAX_AND_TRACKING, "Every tax rate, tracking category and option the "
                                                                 "mapping names exists and is active."),
}
CHECK_SET = CheckSet(PREFLIGHT, {name: text for name, (_, text) in CHECKS.items()}, blocking=True)
SHOWN = 25


@dg.asset(
    key=PREFLIGHT,
    deps=[ENTRIES],
    partitions_def=tenant_day_partitions,
    group_name="xero",
    kinds={"xero"},
    owners=["team:ledger"],
    pool="xero_api",
    check_specs=CHECK_SET.specs(),
    description="Reads the tenant's Xero organisation (the mapping's books.company, a tenant id) before any post: the "
                "token and its connections, the organisation, every mapped account (exists, active, type fits its "
                "role), the accounts payments go to, the currencies, tax rates and tracking. Each failure says what "
                "to change in Xero or in the mapping file (file and key); any failure keeps xero/posted_entries from "
                "running.",
)
def xero_preflight(context: dg.AssetExecutionContext, warehouse: WarehouseResource, xero: XeroResource):
    tenant, day = tenant_and_day(context)
    with warehouse.connect(tenant) as conn:
        mapping = current_mapping(conn, tenant)
        if mapping.target != TARGET:
            yield dg.MaterializeResult(metadata={"skipped": f"{mapping.file} posts to {mapping.target}"})
            yield from CHECK_SET.not_applicable(f"nothing to check: {mapping.file} posts to {mapping.target}")
            return
        org = connect(xero, mapping.company)
        state = readiness.assess(org.client, conn, mapping, lambda base: entries_to_post(
            conn, tenant, day, mapping.company, adapter.adapter_key(base), target=TARGET))
    findings = [finding for found in state.findings.values() for finding in found]
    context.log.info(f"{tenant} {day}: Xero organisation {mapping.company} ({state.organisation_name or '?'}): "
                     + ("ready" if state.ready else f"{len(findings)} problem(s) to fix before posting"))
    yield dg.MaterializeResult(metadata={
        "tenant_id": mapping.company, "organisation": state.organisation_name, "base_currency": state.base_currency,
        "currencies": dg.MetadataValue.json(state.currencies), "mapping_file": mapping.file,
        "api_calls": org.count.calls, "calls_left_today": org.client.calls_left_today(),
        "checked": dg.MetadataValue.json(state.checked),
        "findings": dg.MetadataValue.json([vars(f) for f in findings[:SHOWN]]),
    })
    yield from CHECK_SET.from_findings({name: area for name, (area, _) in CHECKS.items()}, state.findings,
                                       state.checked, readiness.CONNECTION, "organisation", SHOWN)
