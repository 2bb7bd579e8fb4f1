"""Before posting to QuickBooks: is the connection good, and does the company have what the mapping names?

Each helper returns only failures, as `Finding`s that say what to change in QuickBooks or in the mapping.

    findings = preflight(client, accounts={"3": {"Bank"}, "31": {"Expense"}}, currencies={"USD", "EUR"},
                         tax_codes={"TAX"})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ledger_pipeline.posting.errors import TargetError
from ledger_pipeline.posting.preflight import Finding
from ledger_pipeline.targets.quickbooks.client import QuickBooksClient

ACTIVE_SUBSCRIPTIONS = {"SUBSCRIBED", "PAID", "TRIAL", "ACTIVE"}


def preflight(client: QuickBooksClient, *, accounts: Mapping[str, Iterable[str]] | None = None,
              currencies: Iterable[str] = (), tax_codes: Iterable[str] = ()) -> list[Finding]:
    findings = check_connection(client)
    if findings:
        return findings  # nothing else can be read
    return (check_accounts(client, accounts or {}) + check_currencies(client, currencies)
            + check_tax_codes(client, tax_codes))


def check_connection(client: QuickBooksClient) -> list[Finding]:
    """The token works (refreshing it if needed) and the company answers and is active."""
    try:
        info = client.company_info()
    except TargetError as error:
        return [Finding("token", client.realm_id, error.message, error.fix)]
    status = next((nv.get("Value") for nv in info.get("NameValue") or [] if nv.get("Name") == "SubscriptionStatus"),
                  None)
    if status and str(status).upper() not in ACTIVE_SUBSCRIPTIONS:
        return [Finding("company", client.realm_id, f"the company's subscription status is {status}",
                        "reactivate the QuickBooks subscription before posting")]
    return []


def check_accounts(client: QuickBooksClient, accounts: Mapping[str, Iterable[str]]) -> list[Finding]:
    """Each mapped account Id exists, is active, and has one of the AccountTypes the mapping expects."""
    if not accounts:
        return []
    by_id = {row["Id"]: row for row in client.query_all("Account", "Active IN (true, false)")}
    findings = []
    for account_id, types in sorted(accounts.items()):
        expected = set(types)
        row = by_id.get(str(account_id))
        if row is None:
            findings.append(Finding("account", account_id, f"QuickBooks has no account with Id {account_id}",
                                    "create the account in QuickBooks, or change the account Id in the mapping"))
            continue
        name = row.get("FullyQualifiedName") or row.get("Name")
        if not row.get("Active", True):
            findings.append(Finding("account", account_id, f"account '{name}' (Id {account_id}) is inactive",
                                    "make it active in QuickBooks (Chart of accounts, include inactive, "
                                    "Make active), or map to another account"))
        if expected and row.get("AccountType") not in expected:
            findings.append(Finding("account", account_id,
                                    f"account '{name}' (Id {account_id}) is of type {row.get('AccountType')}, "
                                    f"the mapping needs {' or '.join(sorted(expected))}",
                                    "map to an account of the right type, or change this account's type "
                                    "in QuickBooks"))
    return findings


def check_currencies(client: QuickBooksClient, currencies: Iterable[str]) -> list[Finding]:
    """Each currency is the home currency, or multicurrency is on and the currency is in the company's list."""
    wanted = sorted({c.upper() for c in currencies})
    if not wanted:
        return []
    prefs = client.preferences().get("CurrencyPrefs") or {}
    home = ((prefs.get("HomeCurrency") or {}).get("value") or "").upper()
    multicurrency = bool(prefs.get("MultiCurrencyEnabled"))
    foreign = [c for c in wanted if c != home]
    if foreign and not multicurrency:
        return [Finding("currency", code, f"multicurrency is off, so the company books only {home}",
                        "turn on Multicurrency in QuickBooks (Settings > Account and settings > Advanced > "
                        "Currency; it cannot be turned off again), or post these amounts in the home currency")
                for code in foreign]
    if not foreign:
        return []
    enabled = {row.get("Code", "").upper() for row in client.query_all("CompanyCurrency") if row.get("Active", True)}
    return [Finding("currency", code, f"{code} is not in the company's currency list",
                    f"add {code} in QuickBooks (Settings > Currencies)") for code in foreign if code not in enabled]


def check_tax_codes(client: QuickBooksClient, tax_codes: Iterable[str]) -> list[Finding]:
    """Each mapped TaxCode Id exists and is active."""
    wanted = sorted({str(t) for t in tax_codes})
    if not wanted:
        return []
    by_id = {row["Id"]: row for row in client.query_all("TaxCode", "Active IN (true, false)")}
    findings = []
    for code in wanted:
        row = by_id.get(code)
        if row is None:
            findings.append(Finding("tax", code, f"QuickBooks has no tax code with Id {code}",
                                    "set up the tax code in QuickBooks (Taxes), or fix the tax code in the mapping"))
        elif not row.get("Active", True):
            findings.append(Finding("tax", code, f"tax code '{row.get('Name')}' (Id {code}) is inactive",
                                    "reactivate it in QuickBooks, or map to another tax code"))
    return findings
