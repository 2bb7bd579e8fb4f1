"""Deterministic Stripe data for the sandbox: `generate(GeneratorSettings(...))` -> the seed format.

Seed format (also written by hand and loaded with `--stripe-data FILE`):

    {"objects": [Stripe objects in API shape (2026-10-28.endive), each with "object", in `created` order;
                 a connected account's objects carry an extra top-level "account": "acct_..."; `account`
                 and `application_fee` objects live on the platform without a marker (an application
                 fee's `account` is Stripe's own field); events carry Stripe's own `account` field],
     "payout_composition": {"po_...": ["txn_...", ..., the payout's own txn]}}   # every automatic payout

What the data holds (`summarize(seed)` counts it): a US platform settling in USD plus connected accounts,
cycling through a JP standard account (JPY, direct charges paying application fees, daily payouts), a DE
express account (EUR, destination charges with transfers, manual payout schedule), then GB, US, DE, FR;
card charges presented in several currencies with Stripe's fees and exchange rates; refunds (full,
partial, two partials, days late); disputes (lost, won, still open); Radar and Billing fees; daily
automatic payouts that tie out to the cent, one failing and returning in the next; one manual payout;
customers, products, prices, tax rates, coupons, invoices (draft/open/paid/void/uncollectible, $0, paid in
two parts, EUR with inclusive VAT), a credit note; and the events of all of it, each showing its object as
it was then. Named special cases carry `metadata.sandbox_case` (see `summarize(seed)["cases"]`).

The output is a pure function of the settings (with `end_date=None` that includes today's date).
"""

from __future__ import annotations

import gc
import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from . import factories as f
from .gen_catalog import (JP_NAMES, NAMES, CustomerBook, catalog_lifecycle, customer_lifecycle, make_catalog,
                          make_customers)
from .gen_ids import IdMaker
from .gen_invoices import Billing
from .gen_money import FxTable, random_amount
from .gen_payments import ChargeRec, Payments, plan_afterlife
from .gen_payouts import run_payouts
from .gen_stripe_fees import daily_fees
from .gen_world import DAY, Account, World, utc_midnight

__all__ = ["GeneratorSettings", "generate", "summarize"]


@dataclass(frozen=True)
class GeneratorSettings:
    seed: int = 7
    connected_accounts: int = 2          # Connect accounts besides the platform
    days: int = 7                        # complete UTC days of data, ending the day before `end_date`
    end_date: date | None = None         # None: today (UTC); the data is "as of" this date's 00:00 UTC
    charges_per_day: int = 20            # per account (express accounts: destination charges on the platform)
    currencies: tuple[str, ...] = ("usd", "eur", "gbp", "jpy")   # presentment currencies on offer
    foreign_currency_rate: float = 0.2   # share of charges presented in a currency other than the settlement one
    international_rate: float = 0.2      # share of customers/cards from outside the account's country/region
    refund_rate: float = 0.06            # share of charges refunded (full or partial, some days later)
    dispute_rate: float = 0.01           # share of charges disputed (won, lost or still open)
    failure_rate: float = 0.03           # share of card payments declined (no balance transaction)
    invoice_share: float = 0.2           # share of the platform's own charges that pay an invoice
    events: bool | None = None           # emit events for everything; None: yes, unless in benchmark mode
    target_balance_transactions: int | None = None   # benchmark knob: raise charges_per_day to reach this

    @property
    def emit_events(self) -> bool:
        """Events are on by default; the benchmark knob turns them off unless `events=True` is explicit
        (they triple the objects and the bytes, and a throughput benchmark of the money does not need them)."""
        return self.events if self.events is not None else not self.target_balance_transactions

    def __post_init__(self) -> None:
        if self.days < 1 or self.connected_accounts < 0 or self.charges_per_day < 0:
            raise ValueError("days must be >= 1, connected_accounts and charges_per_day >= 0")
        for name in ("foreign_currency_rate", "international_rate", "refund_rate", "dispute_rate",
                     "failure_rate", "invoice_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.refund_rate + self.dispute_rate > 1:
            raise ValueError("refund_rate + dispute_rate must not exceed 1")
        if not self.currencies or any(c != c.lower() or len(c) != 3 for c in self.currencies):
            raise ValueError("currencies must be lower-case ISO codes, e.g. ('usd', 'eur')")


# Connected accounts, in order: (kind, country, currency, flow, payout interval, display name, descriptor)
_CONNECTED = [
    ("standard", "JP", "jpy", "direct", "daily", "Sakura Kissa 桜喫茶", "SAKURA KISSA", "Asia/Tokyo"),
    ("express", "DE", "eur", "destination", "manual", "Brot & Butter Berlin", "BROTBUTTER", "Europe/Berlin"),
    ("standard", "GB", "gbp", "direct", "daily", "Thames Tea Ltd", "THAMES TEA", "Europe/London"),
    ("express", "US", "usd", "destination", "daily", "Austin Pottery", "AUSTINPOTTERY", "America/Chicago"),
    ("standard", "DE", "eur", "direct", "daily", "Kaffeerösterei Müller", "KAFFEE MUELLER", "Europe/Berlin"),
    ("express", "FR", "eur", "destination", "daily", "Atelier Céramique", "ATELIER CERAM", "Europe/Paris"),
]
_BANKS = {"US": "STRIPE TEST BANK", "JP": "みずほ銀行", "DE": "Deutsche Bank", "GB": "Barclays", "FR": "BNP Paribas"}
# balance transactions one charge slot yields, by flow (for the benchmark knob)
_YIELD = {"platform": 1.0, "direct": 2.0, "destination": 4.0}


def _accounts(world: World, settings: GeneratorSettings) -> None:
    ids = world.ids
    rng = world.rng
    acct_id = ids.account_id()
    platform = Account(id=acct_id, fragment=acct_id[-10:], index=0, country="US", currency="usd",
                       kind="platform", flow="platform", payout_interval="daily", display_name="Ledger Demo Co",
                       descriptor="LEDGERDEMO", payout_minute=150)
    platform.bank_account = world.new_id("ba", platform)
    world.accounts.append(platform)
    for n in range(settings.connected_accounts):
        kind, country, currency, flow, interval, name, descriptor, tz = _CONNECTED[n % len(_CONNECTED)]
        if n >= len(_CONNECTED):
            name, descriptor = f"{name} {n // len(_CONNECTED) + 1}", f"{descriptor[:17]} {n // len(_CONNECTED) + 1}"
            interval = "daily"
        acct_id = ids.account_id()
        acct = Account(id=acct_id, fragment=acct_id[-10:], index=n + 1, country=country, currency=currency,
                       kind=kind, flow=flow, payout_interval=interval, display_name=name, descriptor=descriptor,
                       payout_minute=150 + 10 * (n + 1))
        acct.bank_account = world.new_id("ba", acct)
        world.accounts.append(acct)
        created = world.start - rng.randint(30, 400) * DAY + rng.randint(1, DAY - 1)
        slug = "".join(ch for ch in descriptor.lower() if ch.isalnum())
        obj = f.account(id=acct_id, created=created, kind=kind, country=country, currency=currency,
                        display_name=name, email=f"owner@{slug}.example", business_name=name,
                        url=f"https://{slug}.example", mcc="5812" if country == "JP" else "5999",
                        bank_account=acct.bank_account, bank_last4=str(rng.randint(1000, 9999)),
                        bank_name=_BANKS.get(country, "STRIPE TEST BANK"), descriptor=descriptor,
                        payout_interval=interval, timezone=tz, support_phone="+10000000000")
        world.add(obj, platform)


def _charges_per_day(settings: GeneratorSettings) -> int:
    if not settings.target_balance_transactions:
        return settings.charges_per_day
    flows = ["platform"] + [_CONNECTED[n % len(_CONNECTED)][3] for n in range(settings.connected_accounts)]
    # each successful charge yields its flow's transactions; some add a refund or dispute transactions
    per_slot = (1 - settings.failure_rate) * (
        sum(_YIELD[flow] for flow in flows) + len(flows) * (settings.refund_rate * 0.9 + settings.dispute_rate * 1.4))
    return max(1, math.ceil(settings.target_balance_transactions * 1.01 / (settings.days * per_slot)))


class _Run:
    def __init__(self, settings: GeneratorSettings):
        self.s = settings
        end = settings.end_date or datetime.now(timezone.utc).date()
        start_day = end - timedelta(days=settings.days)
        rng = random.Random(f"ledger-sandbox:{settings.seed}")
        currencies = sorted(set(settings.currencies) | {c[2] for c in _CONNECTED} | {"usd"})
        self.world = World(rng=rng, ids=IdMaker(rng), start=utc_midnight(start_day), days=settings.days,
                           fx=FxTable(rng, settings.days, currencies), emit_events=settings.emit_events)
        self.per_day = _charges_per_day(settings)
        self.screened: dict[int, int] = {}

    def run(self) -> dict[str, Any]:
        s, world = self.s, self.world
        _accounts(world, s)
        platform = world.platform
        catalog = make_catalog(world)
        catalog_lifecycle(world, catalog)
        n_customers = min(max(30, self.per_day * 2), 3000)
        self.books: dict[str, CustomerBook] = {
            platform.id: make_customers(world, platform, n_customers, s.international_rate, NAMES)}
        for acct in world.accounts[1:]:
            if acct.flow == "direct":
                names = JP_NAMES + NAMES if acct.country == "JP" else NAMES
                self.books[acct.id] = make_customers(world, acct, min(max(10, self.per_day), 800),
                                                     s.international_rate, names)
        for book in self.books.values():
            customer_lifecycle(world, book, update_rate=0.12, delete_one=book is self.books[platform.id])
        self.payments = Payments(world, s.international_rate)
        self.billing = Billing(world, catalog, self.books[platform.id], self.payments)

        self.special_charges()
        self.counts = {acct.id: self._daily_counts() for acct in world.accounts}
        for day in range(s.days):
            for acct in world.accounts:
                self.day_of_charges(acct, day)
        self.billing.special_cases()
        self.billing.close()
        daily_fees(world, self.screened, self.billing.volume_by_day)
        run_payouts(world)
        return world.seed()

    # --- charges ----------------------------------------------------------------------------------------

    def _currency(self, acct: Account) -> str:
        rng = self.world.rng
        if rng.random() >= self.s.foreign_currency_rate:
            return acct.currency
        others = [c for c in self.s.currencies if c != acct.currency]
        return rng.choice(others) if others else acct.currency

    def _daily_counts(self) -> list[int]:
        """Charges per day, varying +-20% day to day but adding up to `per_day * days` exactly."""
        n, days = self.per_day, self.s.days
        counts = [self.world.rng.randint(n * 8 // 10, n * 12 // 10) if n >= 5 else n for _ in range(days)]
        for day in range(days):
            excess = sum(counts) - n * days
            if not excess:
                break
            counts[day] = max(0, counts[day] - excess)
        return counts

    def day_of_charges(self, acct: Account, day: int) -> None:
        world, s = self.world, self.s
        rng = world.rng
        times = sorted(world.in_day(day, 30, DAY - 30) for _ in range(self.counts[acct.id][day]))
        owner = world.platform if acct.flow == "destination" else acct
        book = self.books[owner.id]
        for t in times:
            if owner is world.platform:
                self.screened[day] = self.screened.get(day, 0) + 1
            customer = book.pick(world, t) if rng.random() < 0.85 else None
            if rng.random() < s.failure_rate:
                currency = owner.currency if acct.flow == "destination" else self._currency(acct)
                self.payments.failed_charge(owner, t, random_amount(rng, currency), currency, customer)
                continue
            if acct.flow == "platform" and rng.random() < s.invoice_share:
                rec = self.billing.paid_invoice(t)
            elif acct.flow == "destination":
                rec = self.payments.charge(owner, t, random_amount(rng, owner.currency), owner.currency, customer,
                                           destination=acct)
            else:
                currency = self._currency(acct)
                rec = self.payments.charge(acct, t, random_amount(rng, currency), currency, customer)
            if rec is not None:
                plan_afterlife(self.payments, rec, s.refund_rate, s.dispute_rate)

    def special_charges(self) -> None:
        """Named cases on the platform, each with `metadata.sandbox_case`, at times that fit the window."""
        world = self.world
        pay = self.payments
        platform = world.platform
        book = self.books[platform.id]
        last = world.days - 1

        def make(name: str, day: int, amount: int, currency: str = "usd", t: int | None = None) -> ChargeRec:
            day = min(max(day, 0), last)
            when = t if t is not None else world.in_day(day, 9 * 3600, 12 * 3600)
            customer = book.pick(world, when)
            rec = pay.charge(platform, when, amount, currency, customer, metadata={"sandbox_case": name})
            rec.busy = True
            return rec

        # One charge (and its PaymentIntent, balance transaction and events) at exactly 00:00:00 UTC.
        make("midnight_boundary", 1 if world.days > 1 else 0, 4200, t=world.start + min(1, last) * DAY)
        make("fx_charge_eur", 0, 12345, "eur")
        make("fx_charge_jpy", 0, 9800, "jpy")

        rec = make("refund_full_late", 0, 12000)
        when = world.later(rec.charge["created"], 2 * DAY, 2 * DAY + 3600)
        if world.before_end(when):
            pay.refund(rec, 12000, when, metadata={"sandbox_case": "refund_full_late"})
        rec = make("refund_partial", 0, 8000)
        pay.refund(rec, 2500, world.later(rec.charge["created"], 3600, 7200),
                   metadata={"sandbox_case": "refund_partial"})
        rec = make("refund_two_partials_fx", 0, 5000, "eur")
        pay.refund(rec, 2000, world.later(rec.charge["created"], 1800, 3600))
        when = world.later(rec.charge["created"], DAY, DAY + 3600)
        if world.before_end(when):
            pay.refund(rec, 3000, when, metadata={"sandbox_case": "refund_two_partials_fx"})

        for name, outcome, day in (("dispute_lost", "lost", 0), ("dispute_won", "won", 0),
                                   ("dispute_open", None, last - 2)):
            rec = make(name, day, 15000 if outcome == "lost" else 9900)
            opened = world.later(rec.charge["created"], DAY, DAY + 7200)
            if world.before_end(opened):
                pay.dispute(rec, opened, outcome, metadata={"sandbox_case": name})


def generate(settings: GeneratorSettings | None = None) -> dict[str, Any]:
    """The seed for the Stripe sandbox (see the module docstring), a pure function of `settings`.

    The result is plain JSON data. An event's `data.object` may share unchanged nested sub-objects with the
    object itself (snapshots are shallow copies, for speed): deep-copy before editing nested values in place
    (a JSON round trip, or `copy.deepcopy`, as the sandbox store does when it loads a seed)."""
    # The output is a forest of plain dicts with no cycles; the cyclic GC would only re-scan it over and
    # over as it grows (it roughly doubles the time at 100k balance transactions).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Run(settings or GeneratorSettings()).run()
    finally:
        if was_enabled:
            gc.enable()


def summarize(seed: dict[str, Any]) -> dict[str, Any]:
    """Counts per account and object type, event types, and where the special cases are: everything with
    `metadata.sandbox_case`, plus cases recognisable by shape (deleted objects, the failed and the manual
    payout, objects created exactly at 00:00:00 UTC, Stripe fee transactions, big metadata)."""
    per_account: dict[str, Counter] = {}
    events: Counter = Counter()
    cases: dict[str, list[str]] = {}

    def note(case: str, obj_id: str) -> None:
        cases.setdefault(case, []).append(obj_id)

    for obj in seed["objects"]:
        kind = obj["object"]
        owner = obj.get("account") if kind not in ("application_fee", "account") else None
        per_account.setdefault(owner or "platform", Counter())[kind] += 1
        if kind == "event":
            events[obj["type"]] += 1
            continue
        metadata = obj.get("metadata")
        if isinstance(metadata, dict):
            if metadata.get("sandbox_case"):
                note(metadata["sandbox_case"], obj["id"])
            if len(metadata) >= 50:
                note("big_metadata", obj["id"])
        if obj.get("deleted"):
            note(f"{kind}_deleted", obj["id"])
        if obj.get("created", 1) % DAY == 0 and kind != "account":
            note("created_at_midnight", obj["id"])
        if kind == "payout" and obj["status"] == "failed":
            note("payout_failure_balance_transaction", obj["failure_balance_transaction"])
        if kind == "balance_transaction" and obj["type"] == "stripe_fee":
            note("stripe_fee", obj["id"])
        if kind == "credit_note":
            note("credit_note", obj["id"])
    return {"objects": len(seed["objects"]), "per_account": {k: dict(v) for k, v in per_account.items()},
            "events": dict(events), "cases": cases, "payouts_with_composition": len(seed["payout_composition"])}


def main(argv: list[str] | None = None) -> None:
    """`python -m ledger_pipeline.sandbox.stripe.generator --out seed.json [--seed 7 --days 7 ...]`"""
    import argparse
    import json
    import sys
    import time

    parser = argparse.ArgumentParser(description="Write a deterministic Stripe seed file for the sandbox.")
    parser.add_argument("--out", default="-", help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--connected-accounts", type=int, default=2)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--end-date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today UTC)")
    parser.add_argument("--charges-per-day", type=int, default=20)
    parser.add_argument("--target-balance-transactions", type=int, default=None)
    parser.add_argument("--events", action=argparse.BooleanOptionalAction, default=None,
                        help="emit events (default: yes, except with --target-balance-transactions)")
    parser.add_argument("--summary", action="store_true", help="print counts and special cases to stderr")
    args = parser.parse_args(argv)
    settings = GeneratorSettings(seed=args.seed, connected_accounts=args.connected_accounts, days=args.days,
                                 end_date=args.end_date, charges_per_day=args.charges_per_day,
                                 target_balance_transactions=args.target_balance_transactions,
                                 events=args.events)
    started = time.perf_counter()
    seed = generate(settings)
    elapsed = time.perf_counter() - started
    text = json.dumps(seed, ensure_ascii=False, separators=(",", ":"))
    if args.out == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    if args.summary:
        print(json.dumps(summarize(seed), ensure_ascii=False, indent=1), file=sys.stderr)
        print(f"generated {len(seed['objects'])} objects in {elapsed:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
