"""Before posting to Xero: does the token reach the organisation, and does it have what the mapping names?

Each helper returns only failures, as `Finding`s that say what to change in Xero or in the mapping.

    findings = preflight(client, accounts={"091": {"BANK"}, "405": set()}, payment_accounts={"091", "093"},
                         currencies={"USD"}, tax_types={"NONE", "OUTPUT"})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.preflight import Finding
from ledger_pipeline.targets.xero.client import XeroClient


def preflight(client: XeroClient, *, accounts: Mapping[str, Iterable[str]] | None = None,
              payment_accounts: Iterable[str] = (), currencies: Iterable[str] = (),
              tax_types: Iterable[str] = ()) -> list[Finding]:
    findings = check_connection(client)
    if findings:
        return findings
    chart = {a.code: a for a in client.accounts() if a.code}
    return (check_accounts(chart, accounts or {}) + check_payment_accounts(chart, payment_accounts)
            + check_currencies(client, currencies) + check_tax_rates(client, tax_types))


def check_connection(client: XeroClient) -> list[Finding]:
    """The token works (refreshing it if needed), reaches this tenant, and the organisation is active."""
    try:
        tenants = {str(c.tenant_id).lower() for c in client.connections()}
        if client.tenant_id.lower() not in tenants:
            return [Finding("token", client.tenant_id, "the token is not connected to this organisation",
                            "reconnect the app and choose this organisation, or fix tenant_id")]
        organisation = client.organisation()
    except TargetError as error:
        return [Finding("token", client.tenant_id, error.message, error.fix)]
    status = _text(getattr(organisation, "organisation_status", None))
    if status and status != "ACTIVE":
        return [Finding("company", client.tenant_id, f"the organisation's status is {status}",
                        "reactivate the Xero subscription before posting")]
    return []


def check_accounts(chart: Mapping[str, object], accounts: Mapping[str, Iterable[str]]) -> list[Finding]:
    """Each mapped account code exists, is ACTIVE, and has one of the Types the mapping expects."""
    findings = []
    for code, types in sorted(accounts.items()):
        expected = set(types)
        account = chart.get(code)
        if account is None:
            findings.append(Finding("account", code, f"Xero has no account with code {code}",
                                    "add it to the chart of accounts in Xero, or change the code in the mapping"))
            continue
        name = getattr(account, "name", code)
        status = _text(getattr(account, "status", None))
        if status != "ACTIVE":
            findings.append(Finding("account", code, f"account '{name}' ({code}) is {status}",
                                    "restore it in Xero (Chart of accounts, Archive tab), or map to another account"))
        kind = _text(getattr(account, "type", None))
        if expected and kind not in expected:
            findings.append(Finding("account", code, f"account '{name}' ({code}) is of type {kind}, the mapping "
                                    f"needs {' or '.join(sorted(expected))}",
                                    "map to an account of the right type, or change this account's type in Xero"))
    return findings


def check_payment_accounts(chart: Mapping[str, object], codes: Iterable[str]) -> list[Finding]:
    """Accounts that receive payments must be BANK accounts or have 'Enable payments to this account' on."""
    findings = []
    for code in sorted(set(codes)):
        account = chart.get(code)
        if account is None:
            findings.append(Finding("payment_account", code, f"Xero has no account with code {code}",
                                    "add it in Xero, or change the payment account in the mapping"))
            continue
        kind = _text(getattr(account, "type", None))
        if kind != "BANK" and not getattr(account, "enable_payments_to_account", False):
            findings.append(Finding("payment_account", code,
                                    f"account '{getattr(account, 'name', code)}' ({code}) does not accept payments",
                                    f"In Xero, open Accounting > Chart of accounts > {code} and tick 'Enable "
                                    "payments to this account', or map a bank account"))
    return findings


def check_currencies(client: XeroClient, currencies: Iterable[str]) -> list[Finding]:
    wanted = sorted({c.upper() for c in currencies})
    if not wanted:
        return []
    enabled = {_text(c.code) for c in client.currencies()}
    return [Finding("currency", code, f"{code} is not enabled in this organisation",
                    f"add {code} in Xero (Settings > Currencies; needs a plan with multicurrency), or post in the "
                    "base currency") for code in wanted if code not in enabled]


def check_tax_rates(client: XeroClient, tax_types: Iterable[str]) -> list[Finding]:
    wanted = sorted(set(tax_types))
    if not wanted:
        return []
    rates = {_text(r.tax_type): r for r in client.tax_rates()}
    findings = []
    for tax_type in wanted:
        rate = rates.get(tax_type)
        if rate is None:
            findings.append(Finding("tax", tax_type, f"Xero has no tax rate {tax_type}",
                                    "add the tax rate in Xero (Settings > Tax rates), or fix the mapping"))
        elif _text(getattr(rate, "status", None)) not in (None, "ACTIVE"):
            findings.append(Finding("tax", tax_type, f"tax rate {tax_type} is {_text(rate.status)}",
                                    "reactivate it in Xero, or map to another tax rate"))
    return findings


def _text(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
