"""The accounting checks, computed in the journal step right after it writes; all block posting (ERROR).

- `entries_balance`: every entry's debits equal its credits in both currencies, its totals match its
  lines, and every line's lineage (journal.line_sources) adds up to the line.
- `booked_exactly_once`: no balance transaction is booked in two entries (of either mode), none is booked
  that Stripe never had, and none is left unbooked without an excuse (quarantined, or waiting for the
  automatic payout that will carry it).
- `payouts_tie_out`: each automatic payout's transactions net to its amount, and once all of them are
  booked its cycle leaves Stripe Clearing at zero. A payout Stripe is still reconciling is reported only.
- `clearing_matches_stripe_balance`: per currency at the end of the partition's day, Stripe Clearing in the
  books plus the transactions not booked by then equals Stripe's balance (opening balance plus the net of
  every transaction created since the first day booked).
- `no_unmapped_values`: nothing waits in quarantine.journal_entries; each value is named with the file and
  key to map it in, and the Stripe ids it holds back.
- `totals_match_stripe`: the partition's own transactions, per currency: gross, fees and net in the journal
  (plus what is not booked yet) equal Stripe's.

Each result names what failed twice: as JSON in minor units (read by the alerts, the audit pack and the
tests) and as a table in major units with its currency (`offending_rows`, `balances_table`, `totals_table`),
for a person reading the check in the Dagster UI.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import dagster as dg
import duckdb

from ledger_pipeline.config import Tenant
from ledger_pipeline.lib.metadata import money, table
from ledger_pipeline.lib.sql import load_sql

SQL = "ledger_pipeline.defs.journal"
SHOWN = 25
ENTRIES = dg.AssetKey(["journal", "entries"])

BALANCED = "entries_balance"
ONCE = "booked_exactly_once"
TIE_OUT = "payouts_tie_out"
CLEARING = "clearing_matches_stripe_balance"
UNMAPPED = "no_unmapped_values"
TOTALS = "totals_match_stripe"

DESCRIPTIONS = {
    BALANCED: "Every entry balances in the transaction and the books currency, and every line's lineage adds up.",
    ONCE: "Every balance transaction is booked in exactly one entry, or held in quarantine, or waits for the "
          "automatic payout that will carry it.",
    TIE_OUT: "Each automatic payout's transactions net to its amount, and its cycle nets Stripe Clearing to zero.",
    CLEARING: "Stripe Clearing in the books plus what is not booked yet equals Stripe's balance, per currency.",
    UNMAPPED: "No entry is held in quarantine for a value the mapping file does not place.",
    TOTALS: "The partition's gross, fees and net in the journal equal Stripe's, per currency.",
}


def check_specs() -> list[dg.AssetCheckSpec]:
    return [dg.AssetCheckSpec(name, asset=ENTRIES, blocking=True, description=text)
            for name, text in DESCRIPTIONS.items()]


def evaluate(conn: duckdb.DuckDBPyConnection, tenant: Tenant, day: dt.date,
             start_date: dt.date) -> list[dg.AssetCheckResult]:
    day_start, day_end = (dt.datetime.fromtimestamp(t, dt.timezone.utc) for t in tenant.day_window(day))
    start_at = dt.datetime.fromtimestamp(tenant.day_window(start_date)[0], dt.timezone.utc)
    scope = {"tenant": tenant.key, "day": day, "day_start": day_start, "day_end": day_end, "start_at": start_at}
    return [entries_balance(conn, scope), booked_exactly_once(conn, scope), payouts_tie_out(conn, scope),
            clearing_matches_stripe_balance(conn, scope), no_unmapped_values(conn, scope),
            totals_match_stripe(conn, scope)]


def _query(conn: duckdb.DuckDBPyConnection, name: str, scope: dict[str, Any]) -> list[tuple]:
    sql = load_sql(SQL, name)
    used = set(re.findall(r"\$([a-z_]+)", sql))
    return conn.execute(sql, {k: v for k, v in scope.items() if k in used}).fetchall()


def _result(name: str, passed: bool, description: str, **metadata: Any) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=name, asset_key=ENTRIES, passed=passed, severity=dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata={k: (dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v) for k, v in metadata.items()
                  if v is not None})


def _rows_table(columns: list[tuple[str, str, str]], rows: list[dict[str, Any]]) -> dg.TableMetadataValue | None:
    """The offending rows as a table for the UI, or nothing when there are none."""
    return table(columns, rows[:SHOWN]) if rows else None


def entries_balance(conn: duckdb.DuckDBPyConnection, scope: dict[str, Any]) -> dg.AssetCheckResult:
    offending = [{"entry": key, "kind": kind, "currency": currency, "debit": debit, "credit": credit,
                  "books_currency": books_currency, "books_debit": books_debit, "books_credit": books_credit,
                  "total_debit": total_debit, "total_credit": total_credit, "lines_not_traced": untraced}
                 for (key, kind, currency, debit, credit, books_debit, books_credit, total_debit, total_credit,
                      untraced, books_currency) in _query(conn, "check_entries_balance", scope)]
    return _result(BALANCED, not offending,
                   f"{len(offending)} entries do not balance or do not trace: "
                   + ", ".join(o["entry"] for o in offending[:5]) if offending else "every entry balances and traces",
                   offending_entries=offending[:SHOWN], offending_count=len(offending),
                   offending_rows=_rows_table(
                       [("entry", "string", "journal.entries.entry_key"), ("kind", "string", ""),
                        ("currency", "string", ""), ("debit", "decimal", "sum of its lines' debits"),
                        ("credit", "decimal", "sum of its lines' credits"),
                        ("books_currency", "string", ""), ("books_debit", "decimal", "in the books currency"),
                        ("books_credit", "decimal", "in the books currency"),
                        ("total_debit", "decimal", "the entry's own total"),
                        ("total_credit", "decimal", "the entry's own total"),
                        ("lines_not_traced", "int", "lines whose journal.line_sources do not add up to them")],
                       [{**o, **{k: money(o[k], o["currency"]) for k in ("debit", "credit", "total_debit",
                                                                         "total_credit")},
                         **{k: money(o[k], o["books_currency"]) for k in ("books_debit", "books_credit")}}
                        for o in offending]))


def booked_exactly_once(conn: duckdb.DuckDBPyConnection, scope: dict[str, Any]) -> dg.AssetCheckResult:
    rows = _query(conn, "check_booked_once", scope)
    offending = [{"balance_transaction": bt, "problem": problem} for bt, problem, *_ in rows]
    return _result(ONCE, not offending,
                   f"{len(offending)} balance transactions are not booked exactly once: "
                   + "; ".join(f"{o['balance_transaction']} {o['problem']}" for o in offending[:3])
                   if offending else "every balance transaction is booked once, held, or waits for its payout",
                   offending_transactions=offending[:SHOWN], offending_count=len(offending),
                   offending_rows=_rows_table(
                       [("balance_transaction", "string", "Stripe txn_ id"), ("problem", "string", ""),
                        ("currency", "string", ""), ("amount", "decimal", ""), ("net", "decimal", "")],
                       [{"balance_transaction": bt, "problem": problem, "currency": currency,
                         "amount": money(amount, currency), "net": money(net, currency)}
                        for bt, problem, currency, amount, net in rows]))


def payouts_tie_out(conn: duckdb.DuckDBPyConnection, scope: dict[str, Any]) -> dg.AssetCheckResult:
    offending, waiting, checked = [], [], 0
    for payout, amount, currency, status, reconciliation, paid_out, transactions, clearing, booked in _query(
            conn, "check_payouts_tie_out", scope):
        checked += 1
        finding = {"payout": payout, "currency": currency, "amount": amount, "composition_net": paid_out,
                   "status": status, "reconciliation_status": reconciliation, "transactions": transactions,
                   "booked": booked, "clearing_over_cycle": clearing}
        if paid_out != amount:
            finding["problem"] = (f"its transactions net to {paid_out} but it paid out {amount}" if paid_out is not None
                                  else "its composition is not in the warehouse")
            (offending if reconciliation == "completed" else waiting).append(finding)
        elif booked < transactions:
            finding["problem"] = f"{transactions - booked} of its {transactions} transactions are not booked yet"
            waiting.append(finding)
        elif clearing != 0:
            finding["problem"] = f"its cycle leaves {clearing} on Stripe Clearing"
            offending.append(finding)
    return _result(TIE_OUT, not offending,
                   f"{len(offending)} of {checked} automatic payouts do not tie out: "
                   + ", ".join(f"{o['payout']} ({o['problem']})" for o in offending[:3]) if offending
                   else f"{checked} automatic payouts tie out; {len(waiting)} not fully booked yet",
                   payouts_checked=checked, offending_payouts=offending[:SHOWN],
                   not_yet_booked=waiting[:SHOWN], not_yet_booked_count=len(waiting),
                   offending_rows=_rows_table(PAYOUT_COLUMNS, [_payout_row(o) for o in offending]),
                   not_yet_booked_rows=_rows_table(PAYOUT_COLUMNS, [_payout_row(o) for o in waiting]))


PAYOUT_COLUMNS = [("payout", "string", "Stripe po_ id"), ("currency", "string", ""),
                  ("amount", "decimal", "what the payout paid out"),
                  ("composition_net", "decimal", "net of the balance transactions it carried"),
                  ("difference", "decimal", "composition net - amount"),
                  ("clearing_over_cycle", "decimal", "what its whole cycle left on Stripe Clearing"),
                  ("booked", "string", "its transactions booked / carried"), ("status", "string", ""),
                  ("reconciliation_status", "string", ""), ("problem", "string", "")]


def _payout_row(finding: dict[str, Any]) -> dict[str, Any]:
    currency, amount, net = finding["currency"], finding["amount"], finding["composition_net"]
    return {**finding, "amount": money(amount, currency), "composition_net": money(net, currency),
            "difference": money(net - amount, currency) if net is not None else None,
            "clearing_over_cycle": money(finding["clearing_over_cycle"], currency),
            "booked": f"{finding['booked']}/{finding['transactions']}"}


def clearing_matches_stripe_balance(conn: duckdb.DuckDBPyConnection, scope: dict[str, Any]) -> dg.AssetCheckResult:
    rows, offending = [], []
    for currency, opening, stripe, available, books, in_transit, in_transit_count in _query(
            conn, "check_clearing_balance", scope):
        row = {"currency": currency, "opening_balance": opening, "stripe_balance": stripe,
               "stripe_available": available, "books_stripe_clearing": books,
               "not_booked_yet": in_transit, "not_booked_yet_count": in_transit_count,
               "difference": books + in_transit - stripe}
        rows.append(row)
        if row["difference"]:
            offending.append(row)
    return _result(CLEARING, not offending,
                   "Stripe Clearing does not roll forward to Stripe's balance: "
                   + ", ".join(f"{o['currency'].upper()} off by {o['difference']}" for o in offending) if offending
                   else "Stripe Clearing plus what waits for its payout equals Stripe's balance in every currency",
                   as_of_end_of=str(scope["day"]), balances=rows,
                   balances_table=table(
                       [("currency", "string", ""), ("stripe_balance", "decimal", "opening balance + net since"),
                        ("books_stripe_clearing", "decimal", "Stripe Clearing in the books"),
                        ("not_booked_yet", "decimal", "transactions no entry dated by then books"),
                        ("not_booked_yet_count", "int", ""),
                        ("difference", "decimal", "books + not booked yet - Stripe; must be 0"),
                        ("opening_balance", "decimal", ""), ("stripe_available", "decimal", "")],
                       [{**r, **{k: money(r[k], r["currency"]) for k in (
                           "stripe_balance", "books_stripe_clearing", "not_booked_yet", "difference",
                           "opening_balance", "stripe_available")}} for r in rows]))


def no_unmapped_values(conn: duckdb.DuckDBPyConnection, scope: dict[str, Any]) -> dg.AssetCheckResult:
    values = [{"value_kind": kind, "value": value, "why": reason, "map_it_in": f"{file}: {key}", "entries": count,
               "entry_keys": keys[:10], "balance_transactions": sorted(set(bts))[:SHOWN],
               "stripe_objects": sorted(set(sources))[:SHOWN]}
              for kind, value, reason, file, key, count, keys, bts, sources in _query(conn, "check_unmapped", scope)]
    return _result(UNMAPPED, not values,
                   f"{len(values)} value(s) have no mapping; their entries wait in quarantine.journal_entries: "
                   + "; ".join(f"{v['value_kind']} {v['value']} -> {v['map_it_in']}" for v in values[:5])
                   if values else "every value is mapped", unmapped_values=values[:SHOWN], count=len(values),
                   offending_rows=_rows_table(
                       [("value_kind", "string", ""), ("value", "string", "the Stripe value with no mapping"),
                        ("map_it_in", "string", "file: key to add it under"), ("why", "string", ""),
                        ("entries", "int", "entries held in quarantine.journal_entries"),
                        ("balance_transactions", "string", "the first Stripe txn_ ids it holds back"),
                        ("stripe_objects", "string", "the Stripe objects behind them")],
                       [{**v, "balance_transactions": v["balance_transactions"][:5],
                         "stripe_objects": v["stripe_objects"][:5]} for v in values]))


def totals_match_stripe(conn: duckdb.DuckDBPyConnection, scope: dict[str, Any]) -> dg.AssetCheckResult:
    rows, offending = [], []
    for (currency, transactions, gross, fee, net, booked, j_gross, j_fee, j_net, u_gross, u_fee, u_net,
         mismatched) in _query(conn, "check_partition_totals", scope):
        row = {"currency": currency, "transactions": transactions, "booked": booked,
               "stripe": {"gross": gross, "fees": fee, "net": net},
               "journal": {"gross": j_gross, "fees": j_fee, "net": j_net},
               "not_booked_yet": {"gross": u_gross, "fees": u_fee, "net": u_net},
               "booked_with_other_figures": mismatched[:SHOWN]}
        rows.append(row)
        if mismatched or (j_gross + u_gross, j_fee + u_fee, j_net + u_net) != (gross, fee, net):
            offending.append(row)
    return _result(TOTALS, not offending,
                   f"the journal's totals differ from Stripe's in {', '.join(o['currency'].upper() for o in offending)}"
                   if offending else "gross, fees and net equal Stripe's for the day's transactions",
                   totals_by_currency=rows, totals_table=table(TOTALS_COLUMNS, [_totals_row(r) for r in rows]))


TOTALS_COLUMNS = [("currency", "string", ""), ("transactions", "int", "the day's balance transactions"),
                  ("booked", "int", ""), ("stripe_gross", "decimal", ""), ("journal_gross", "decimal", ""),
                  ("stripe_fees", "decimal", ""), ("journal_fees", "decimal", ""), ("stripe_net", "decimal", ""),
                  ("journal_net", "decimal", ""), ("not_booked_yet_net", "decimal", ""),
                  ("booked_with_other_figures", "string", "txn_ ids the journal booked with other amounts")]


def _totals_row(row: dict[str, Any]) -> dict[str, Any]:
    currency = row["currency"]
    out = {"currency": currency, "transactions": row["transactions"], "booked": row["booked"],
           "not_booked_yet_net": money(row["not_booked_yet"]["net"], currency),
           "booked_with_other_figures": row["booked_with_other_figures"]}
    for side in ("stripe", "journal"):
        for figure in ("gross", "fees", "net"):
            out[f"{side}_{figure}"] = money(row[side][figure], currency)
    return out
