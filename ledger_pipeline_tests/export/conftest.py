"""Warehouses with a rich month of Stripe activity (the journal tests' builders), booked, for the exports.

Three tenants, each one file in a warehouse folder like the pipeline's:
  demo            USD books: card sales and fees, a refund, a payment presented in EUR, an invoice with
                  discounts and tax paid in two parts, a dispute lost, a failed payout and its return, a
                  top-up no payout carries, an opening balance from September, a payout across a month end
  demo.acct_eu    EUR and KWD (three decimals) settlement, USD books: Stripe's rate, the mapping's rates,
                  and a rounding line
  demo.acct_jp    JPY (no decimals) settlement and books
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ledger_pipeline.warehouse import WarehouseResource, migrate
from ledger_pipeline_tests.journal.conftest import MAPPING, Ledger

BEAN_CHECK = Path(sys.executable).with_name("bean-check")
EU_MAPPING = (MAPPING.replace('    usd: {ref: "3", name: Stripe Clearing}',
                              '    eur: {ref: "50", name: Stripe Clearing EUR}\n'
                              '    kwd: {ref: "53", name: Stripe Clearing KWD}')
              .replace('    usd: {ref: "1", name: Checking}',
                       '    eur: {ref: "52", name: Checking EUR}\n    kwd: {ref: "54", name: Checking KWD}')
              + 'exchange_rates:\n  eur: {default: "1.0850"}\n  kwd: {default: "3.2500"}\n')
JP_MAPPING = (MAPPING.replace("currency: usd", "currency: account")
              .replace('    usd: {ref: "3", name: Stripe Clearing}', '    books: {ref: "3", name: Stripe Clearing}')
              .replace('    usd: {ref: "1", name: Checking}', '    books: {ref: "1", name: Checking}'))


def bean_check(path: Path) -> subprocess.CompletedProcess:
    """Beancount's own checker on a ledger file, as a user runs it."""
    return subprocess.run([str(BEAN_CHECK), str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300)


def file_ledger(folder: Path, tenant: str, **kwargs) -> Ledger:
    """The journal tests' Ledger, kept in `folder/<tenant>.duckdb` like the pipeline's warehouse."""
    books = Ledger(folder, tenant=tenant, **kwargs)
    books.conn.close()
    books.conn = duckdb.connect(str(folder / f"{tenant}.duckdb"))
    migrate(books.conn)
    return books


def paid_out(books: Ledger, members: list[str]) -> int:
    """What an automatic payout of these transactions pays: the sum of their nets."""
    marks = ", ".join("?" for _ in members)
    return books.conn.execute(f"SELECT sum(net)::BIGINT FROM staging.balance_transactions WHERE id IN ({marks})",
                              members).fetchone()[0]


def payout(books: Ledger, id: str, created: str, members: list[str], **kwargs) -> str:
    return books.payout(id, paid_out(books, members), created=created, members=members, **kwargs)


def usd_month(books: Ledger) -> list[str]:
    """The demo platform's October; returns the days to book."""
    # $86.80 from September paid out early on the 1st: the opening balance
    books.payout("po_0", 8680, created="2026-10-01 02:30", members=[], extra_members=[
        {"id": "txn_sep1", "type": "charge", "amount": 10000, "fee": 320, "created": "2026-09-29 10:00"},
        {"id": "txn_sep2", "type": "refund", "amount": -1000, "created": "2026-09-30 10:00"}])
    # a top-up from the bank that no automatic payout will carry
    books.bt("txn_top", "topup", 5000, created="2026-10-01 08:00", source="tu_1", available_on="2026-10-01 08:00")
    books.charge("ch_1", 10000, created="2026-10-01 09:00")
    books.bt("txn_1", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-01 09:00", source="ch_1")
    books.charge("ch_2", 8000, created="2026-10-01 09:30")
    books.bt("txn_2", "charge", 8000, fees=[("stripe_fee", 262)], created="2026-10-01 09:30", source="ch_2")
    books.refund("re_1", "ch_2", 2500, created="2026-10-01 15:00")
    books.bt("txn_re1", "refund", -2500, created="2026-10-01 15:00", source="re_1")
    # EUR 123.45 presented, settled by Stripe at 1.085 into USD 133.94
    books.charge("ch_3", 12345, currency="eur", created="2026-10-01 11:00")
    books.bt("txn_3", "charge", 13394, fees=[("stripe_fee", 753)], created="2026-10-01 11:00", source="ch_3",
             exchange_rate="1.085")
    payout(books, "po_1", "2026-10-03 02:30", ["txn_1", "txn_2", "txn_re1", "txn_3"])

    # an invoice (two products, a discount, California tax) paid 40% now, the rest a week later
    books.product("prod_pro", "Ledger Pro")
    books.product("prod_st", "Sticker pack")
    books.price("price_pro", "prod_pro", lookup_key="pro_monthly")
    books.price("price_st", "prod_st", lookup_key="stickers")
    books.tax_rate("txr_ca", display_name="Sales Tax", jurisdiction="CA - CALIFORNIA", percentage="7.25")
    books.invoice("in_1", created="2026-10-02 08:00", payment_intents=["pi_1", "pi_2"], lines=[
        {"id": "il_pro", "price": "price_pro", "product": "prod_pro", "amount": 10000, "discount": 1000,
         "taxes": [("txr_ca", 653, False)]},
        {"id": "il_st", "price": "price_st", "product": "prod_st", "quantity": 4, "amount": 2000, "discount": 200,
         "taxes": [("txr_ca", 131, False)]}])
    books.charge("ch_4", 4633, payment_intent="pi_1", created="2026-10-02 10:00")
    books.bt("txn_4", "charge", 4633, fees=[("stripe_fee", 164)], created="2026-10-02 10:00", source="ch_4")
    books.charge("ch_5", 15000, created="2026-10-02 09:00")
    books.bt("txn_5", "charge", 15000, fees=[("stripe_fee", 465)], created="2026-10-02 09:00", source="ch_5")
    payout(books, "po_2", "2026-10-04 02:30", ["txn_4", "txn_5"])

    # ch_5 is disputed and lost (USD 150.00 back plus a USD 15.00 fee), netted against a new sale ...
    books.dispute("du_1", "ch_5", 15000, created="2026-10-05 08:00", status="lost")
    books.bt("txn_du", "adjustment", -15000, category="dispute", fees=[("stripe_fee", 1500)],
             created="2026-10-05 08:00", source="du_1", description="Chargeback withdrawal for ch_5")
    books.charge("ch_6", 20000, created="2026-10-05 10:00")
    books.bt("txn_6", "charge", 20000, fees=[("stripe_fee", 610)], created="2026-10-05 10:00", source="ch_6")
    # ... in a payout the bank returns: Stripe puts it back and pays it out again with the next sales
    payout(books, "po_3", "2026-10-07 02:30", ["txn_du", "txn_6"], status="failed")
    books.bt("txn_fail", "payout_failure", 2890, category="payout_reversal", created="2026-10-08 01:00",
             source="po_3", available_on="2026-10-08 01:00")
    books.charge("ch_7", 5000, created="2026-10-08 09:00")
    books.bt("txn_7", "charge", 5000, fees=[("stripe_fee", 175)], created="2026-10-08 09:00", source="ch_7",
             available_on="2026-10-09 00:00")
    books.charge("ch_8", 6951, payment_intent="pi_2", created="2026-10-08 10:00")
    books.bt("txn_8", "charge", 6951, fees=[("stripe_fee", 232)], created="2026-10-08 10:00", source="ch_8",
             available_on="2026-10-09 00:00")
    payout(books, "po_4", "2026-10-10 02:30", ["txn_fail", "txn_7", "txn_8"])

    # a payout across the month end: October's part is dated the 31st, November's the payout day
    books.charge("ch_9", 10000, created="2026-10-30 15:00")
    books.bt("txn_9", "charge", 10000, fees=[("stripe_fee", 320)], created="2026-10-30 15:00", source="ch_9")
    books.charge("ch_10", 2000, created="2026-11-01 16:00")
    books.bt("txn_10", "charge", 2000, fees=[("stripe_fee", 88)], created="2026-11-01 16:00", source="ch_10")
    payout(books, "po_5", "2026-11-03 12:00", ["txn_9", "txn_10"])
    return ["2026-10-01", "2026-10-03", "2026-10-04", "2026-10-07", "2026-10-08", "2026-10-10", "2026-11-03"]


def eu_month(books: Ledger) -> list[str]:
    # USD 100.00 and 32.62 presented, settled by Stripe at 0.9217 into EUR: the second leaves a cent to round
    books.charge("ch_e1", 10000, currency="usd", created="2026-10-01 09:00")
    books.bt("txn_e1", "charge", 9217, currency="eur", fees=[("stripe_fee", 297)], created="2026-10-01 09:00",
             source="ch_e1", exchange_rate="0.9217")
    books.charge("ch_e2", 3262, currency="usd", created="2026-10-01 10:00")
    books.bt("txn_e2", "charge", 3007, currency="eur", fees=[("stripe_fee", 117)], created="2026-10-01 10:00",
             source="ch_e2", exchange_rate="0.9217")
    books.refund("re_e1", "ch_e1", 1000, currency="usd", created="2026-10-02 10:00")
    books.bt("txn_re", "refund", -922, currency="eur", created="2026-10-02 10:00", source="re_e1",
             exchange_rate="0.9217")
    payout(books, "po_e1", "2026-10-04 02:30", ["txn_e1", "txn_e2", "txn_re"], currency="eur")
    # KWD 12.345 (fils: three decimals) at the mapping's 3.25
    books.charge("ch_k1", 12345, currency="kwd", created="2026-10-02 09:00")
    books.bt("txn_k1", "charge", 12345, currency="kwd", fees=[("stripe_fee", 371)], created="2026-10-02 09:00",
             source="ch_k1")
    books.charge("ch_k2", 7001, currency="kwd", created="2026-10-02 12:00")
    books.bt("txn_k2", "charge", 7001, currency="kwd", fees=[("stripe_fee", 213)], created="2026-10-02 12:00",
             source="ch_k2")
    payout(books, "po_k1", "2026-10-05 02:30", ["txn_k1", "txn_k2"], currency="kwd")
    return ["2026-10-04", "2026-10-05"]


def jp_month(books: Ledger) -> list[str]:
    books.charge("ch_j1", 9800, currency="jpy", created="2026-10-01 03:00")
    books.bt("txn_j1", "charge", 9800, currency="jpy", fees=[("stripe_fee", 353), ("application_fee", 980)],
             created="2026-10-01 03:00", source="ch_j1")
    books.charge("ch_j2", 120000, currency="jpy", created="2026-10-01 05:00")
    books.bt("txn_j2", "charge", 120000, currency="jpy", fees=[("stripe_fee", 4320)], created="2026-10-01 05:00",
             source="ch_j2")
    payout(books, "po_j1", "2026-10-03 02:30", ["txn_j1", "txn_j2"], currency="jpy")
    return ["2026-10-03"]


@pytest.fixture(scope="session")
def booked_folder(tmp_path_factory) -> Path:
    """The three tenants booked once, every accounting check passing; tests get a copy (`warehouse`)."""
    folder = tmp_path_factory.mktemp("booked") / "warehouse"
    folder.mkdir()
    for tenant, mapping, month, kwargs in (("demo", MAPPING, usd_month, {}),
                                           ("demo.acct_eu", EU_MAPPING, eu_month, {}),
                                           ("demo.acct_jp", JP_MAPPING, jp_month, {"timezone": "Asia/Tokyo"})):
        books = file_ledger(folder, tenant, **kwargs)
        if tenant == "demo.acct_jp":
            books.account(currency="jpy")
        books.use_mapping(mapping)
        days = month(books)
        for day in days:
            books.book(day)
        for day in days:
            failed = books.failed(day)
            assert not failed, (tenant, day, {k: v.description for k, v in failed.items()})
        assert books.quarantined() == [], tenant
        books.conn.close()
    return folder


@pytest.fixture
def warehouse(booked_folder, tmp_path) -> WarehouseResource:
    """A copy of the booked warehouse folder of its own, free to tamper with."""
    folder = tmp_path / "warehouse"
    shutil.copytree(booked_folder, folder, ignore=shutil.ignore_patterns("mappings"))
    return WarehouseResource(directory=str(folder))


@pytest.fixture
def documents_warehouse(tmp_path) -> WarehouseResource:
    """The USD platform's and the EUR/KWD seller's month again, booked per transaction (documents mode)."""
    folder = tmp_path / "documents"
    folder.mkdir()
    receivables = '\n  receivables: {ref: "5", name: Accounts Receivable (A/R)}\nfees:'
    for tenant, mapping, month in (("demo", MAPPING, usd_month), ("demo.acct_eu", EU_MAPPING, eu_month)):
        books = file_ledger(folder, tenant)
        books.use_mapping(mapping.replace("posting_mode: payout_summary", "posting_mode: per_transaction")
                          .replace("\nfees:", receivables, 1))
        for day in month(books):
            books.book(day)
        assert books.quarantined() == [], tenant
        books.conn.close()
    return WarehouseResource(directory=str(folder))


def run_sql(warehouse: WarehouseResource, tenant: str, sql: str, params: list | None = None) -> None:
    with duckdb.connect(str(warehouse.path(tenant))) as conn:
        conn.execute(sql, params or [])


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
