"""Mapping files: the shipped ones are valid, a broken one says file, line, key, what is wrong and the fix,
and what is loaded is versioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger_pipeline.defs.journal.mapping_file import MappingError, load_mapping, mapping_path
from ledger_pipeline.defs.journal.mapping_tables import store_mapping
from ledger_pipeline.defs.journal.rules import CATEGORY_RULES, TYPE_CATEGORIES
from ledger_pipeline.defs.stripe.objects import BALANCE_TRANSACTION_TYPES, REPORTING_CATEGORIES

from .conftest import MAPPING

REPO = Path(__file__).resolve().parents[2]


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path, "mappings/demo.yaml")
    return str(caught.value).splitlines()


def test_shipped_mappings_are_valid_and_cover_the_sandbox_catalog():
    demo = load_mapping(REPO / "mappings" / "demo.yaml", "mappings/demo.yaml").content
    connected = load_mapping(REPO / "mappings" / "demo.connected.yaml", "mappings/demo.connected.yaml").content
    assert (demo.books.target, demo.books.company, demo.books.currency) == ("quickbooks", "9130350000000001", "usd")
    assert demo.accounts.clearing["usd"].ref == "3" and demo.accounts.bank["usd"].ref == "1"
    assert connected.books.currency == "account"
    # every product and tax rate the sandbox generator makes is mapped by its stable name
    from ledger_pipeline.sandbox.stripe.gen_catalog import _PRODUCTS, _TAX_RATES
    assert {rule.name for rule in demo.products} == {name for _, name, *_ in _PRODUCTS}
    assert {rule.jurisdiction for rule in demo.tax_rates} == {rate[6] for rate in _TAX_RATES}
    assert demo.tracking is not None and demo.tracking.values["marketplace"].ref == "2"


def test_connected_accounts_fall_back_to_the_platform_default(tmp_path):
    (tmp_path / "demo.connected.yaml").write_text("x")
    assert mapping_path("demo.acct_1", tmp_path).name == "demo.connected.yaml"
    (tmp_path / "demo.acct_1.yaml").write_text("x")
    assert mapping_path("demo.acct_1", tmp_path).name == "demo.acct_1.yaml"
    with pytest.raises(MappingError, match=r"create .*other.yaml"):
        mapping_path("other", tmp_path)
    with pytest.raises(MappingError, match=r"other.connected.yaml"):
        mapping_path("other.acct_2", tmp_path)


def test_errors_name_file_line_key_and_fix(tmp_path):
    text = MAPPING.replace("  target: quickbooks", "  target: quickbook") \
                  .replace('    usd: {ref: "1", name: Checking}', '    usd: {ref: "1"}') \
                  .replace('  refunds: {ref: "23", name: Refunds and Discounts}', '  refundz: {ref: "23", name: R}')
    lines = problems(tmp_path, text)
    line_of = {key: n for n, key in enumerate(text.splitlines(), start=1)}
    assert lines[0] == (f"mappings/demo.yaml:{line_of['  target: quickbook']}: books.target: has the value "
                        "'quickbook'. Fix: it should be 'quickbooks' or 'xero'")
    bank_line = line_of['    usd: {ref: "1"}']
    refundz_line = line_of['  refundz: {ref: "23", name: R}']
    assert any(f":{bank_line}: accounts.bank.usd.name: is required but missing. Fix: add `name:`" in line
               for line in lines)
    assert any("accounts.refunds: is required but missing" in line for line in lines)
    assert any(f":{refundz_line}: accounts.refundz: is not a key this section knows. "
               "Fix: remove it or correct its spelling; the keys allowed here are: adjustments, bank," in line
               for line in lines)


def test_semantic_errors(tmp_path):
    text = (MAPPING.replace('company: "9130350000000001"', "company: my-company")
            .replace("  currency: usd", "  currency: usdollar")
            .replace('    usd: {ref: "3", name: Stripe Clearing}',
                     '    usd: {ref: "3", name: Stripe Clearing}\n    euro: {ref: "50", name: X}')
            .replace('  rounding: {ref: "38", name: Rounding}', '  rounding: {ref: "R-38", name: Rounding}')
            .replace("  - name: Ledger Pro\n", "  - name: Ledger Pro\n    product: prod_1\n")
            + "opening_balance:\n  as_of: \"2026-10-01\"\n  balances: {usd: 12.345, jpy: \"10.5\"}\n"
            + "exchange_rates:\n  eur: {2026-13: \"1.08\", default: 1.08}\n")
    lines = problems(tmp_path, text)
    expected = [
        "books.currency: 'usdollar' is not a currency code",
        "books.company: 'my-company' is not a QuickBooks realm id",
        "accounts.rounding.ref: 'R-38' is not a QuickBooks Account Id (digits)",
        "accounts.clearing.euro: 'euro' is not a currency code",
        "products[0]: names product and name match keys. Fix: give exactly one of product, name per rule",
        "exchange_rates.eur.2026-13: '2026-13' is not a month",
        "exchange_rates.eur.default: 1.08 is not a positive rate written as text. Fix: quote it",
        "opening_balance.balances.usd: is not an amount written as text",
        "opening_balance.balances.jpy: 10.5 has more decimals than JPY allows",
    ]
    for fragment in expected:
        assert any(fragment in line for line in lines), (fragment, lines)
    assert all(line.startswith("mappings/demo.yaml:") and "Fix: " in line for line in lines)


def test_duplicate_rules_and_bad_yaml(tmp_path):
    lines = problems(tmp_path, MAPPING.replace(
        "  - name: Sticker pack\n", "  - name: Ledger Pro\n    account: {ref: \"20\", name: Sales}\n  - name: Sticker pack\n"))
    assert any("products[1].name: repeats the rule at products[0] (name: 'Ledger Pro')" in line for line in lines)
    lines = problems(tmp_path, "books:\n  currency: usd\n   target: xero\n")
    assert lines[0].startswith("mappings/demo.yaml:3: (top level): is not valid YAML")


def test_xero_references(tmp_path):
    text = (MAPPING.replace("target: quickbooks", "target: xero")
            .replace('company: "9130350000000001"', 'company: "8f5e2c1a-0b1c-4d2e-9f3a-1234567890ab"')
            .replace('{ref: "3", name: Stripe Clearing}', '{ref: "090", name: Stripe Clearing}'))
    load_mapping(_write(tmp_path, text), "mappings/demo.yaml")   # codes like 090 are fine for Xero
    lines = problems(tmp_path, text.replace('{ref: "090", name: Stripe Clearing}',
                                            '{ref: "STRIPE CLEARING", name: Stripe Clearing}'))
    assert any("accounts.clearing.usd.ref: 'STRIPE CLEARING' is not a Xero account code" in line for line in lines)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_versions_are_file_plus_hash_and_kept(ledger, tmp_path):
    path = _write(tmp_path, MAPPING)
    first = store_mapping(ledger.conn, "demo", load_mapping(path, "mappings/demo.yaml"))
    assert first.version.startswith("demo.yaml@") and len(first.version) == len("demo.yaml@") + 12
    again = store_mapping(ledger.conn, "demo", load_mapping(path, "mappings/demo.yaml"))
    assert again.version == first.version
    path.write_text(MAPPING.replace("Stripe Fees", "Stripe fees"), encoding="utf-8")
    changed = store_mapping(ledger.conn, "demo", load_mapping(path, "mappings/demo.yaml"))
    assert changed.version != first.version
    assert ledger.conn.execute("SELECT version FROM mapping.current WHERE tenant = 'demo'").fetchone() == (changed.version,)
    kept = ledger.conn.execute("SELECT count(DISTINCT version) FROM mapping.accounts").fetchone()[0]
    assert kept == 2   # the fixture's own version is the same bytes as the first
    assert ledger.conn.execute("SELECT path FROM mapping.accounts WHERE version = ? AND role = 'fee' "
                               "AND key = 'stripe_fee'", [changed.version]).fetchone() == ("fees.stripe_fee",)


def test_every_documented_type_and_category_has_a_rule_or_is_mapped_explicitly():
    # Each type Stripe documents resolves to a category, and each category either has a rule or is listed
    # as needing `categories.<name>` (its entries wait in quarantine until then): nothing is skipped.
    for kind in BALANCE_TRANSACTION_TYPES:
        category = TYPE_CATEGORIES.get(kind, kind)
        assert category in CATEGORY_RULES or category not in REPORTING_CATEGORIES, kind
    assert REPORTING_CATEGORIES <= set(CATEGORY_RULES)
