"""Payouts: the daily automatic schedule (each payout takes every balance transaction that became available
since the last one, so it ties out to the cent), one failed payout whose money returns in the next one,
and a manual payout (no composition) on a manual-schedule account."""

from __future__ import annotations

from typing import Any

from . import factories as f
from .gen_world import DAY, Account, World

Obj = dict[str, Any]


def _lifecycle(world: World, account: Account, payout: Obj, arrival: int, automatic: bool) -> None:
    """payout.paid at the bank a few hours after arrival_date, then reconciliation (automatic only)."""
    paid_at = world.later(arrival, 3600, 6 * 3600)
    if not world.before_end(paid_at):
        return
    trace = "0" + "".join(str(world.rng.randint(0, 9)) for _ in range(14))
    world.update("payout.paid", payout, paid_at, account,
                 {"status": "paid", "trace_id": {"status": "supported", "value": trace}}, automatic=True)
    if not automatic:
        return
    reconciled = world.later(paid_at, 300, 2 * 3600)
    if world.before_end(reconciled):
        world.update("payout.reconciliation_completed", payout, reconciled, account,
                     {"reconciliation_status": "completed"}, automatic=True)


def _new_payout(world: World, account: Account, amount: int, created: int, automatic: bool,
                metadata: Obj | None = None) -> tuple[Obj, Obj, int]:
    po_id = world.new_id("po", account)
    txn = world.balance_transaction(
        account, amount=-amount, currency=account.currency, created=created, available_on=created, type="payout",
        reporting_category="payout", source=po_id, description="STRIPE PAYOUT")
    arrival = world.midnight_after(created, 1)
    payout = f.payout(id=po_id, amount=amount, currency=account.currency, created=created, arrival_date=arrival,
                      automatic=automatic, balance_transaction=txn["id"], destination=account.bank_account,
                      status="in_transit",
                      reconciliation_status="in_progress" if automatic else "not_applicable", metadata=metadata)
    world.add(payout, account)
    world.event("payout.created", payout, created, account, automatic=automatic)
    return payout, txn, arrival


def automatic_payouts(world: World, account: Account, fail_day: int | None, days: int | None = None) -> list[Obj]:
    """One payout a day (the first `days` days) of everything available and not yet paid out, if that is
    more than zero."""
    pool = [txn for txn in world.bts.get(account.id, []) if txn["type"] != "payout"]
    payouts = []
    for day in range(world.days if days is None else days):
        created = world.start + day * DAY + account.payout_minute * 60 + world.rng.randint(1, 900)
        members = [txn for txn in pool if txn["available_on"] <= created]
        amount = sum(txn["net"] for txn in members)
        if not members or amount <= 0:
            continue
        taken = {id(txn) for txn in members}
        pool = [txn for txn in pool if id(txn) not in taken]
        fails = day == fail_day
        payout, txn, arrival = _new_payout(world, account, amount, created, automatic=True,
                                           metadata={"sandbox_case": "payout_failed"} if fails else None)
        world.composition[payout["id"]] = [m["id"] for m in members] + [txn["id"]]
        payouts.append(payout)
        if fails:
            pool.append(_fail(world, account, payout, arrival))
        else:
            _lifecycle(world, account, payout, arrival, automatic=True)
    return payouts


def _fail(world: World, account: Account, payout: Obj, arrival: int) -> Obj:
    """The bank returns the payout early on its arrival day, before the next payout is made."""
    failed_at = world.later(arrival, 600, 3000)
    txn = world.balance_transaction(
        account, amount=payout["amount"], currency=payout["currency"], created=failed_at, available_on=failed_at,
        type="payout_failure", reporting_category="payout_reversal", source=payout["id"],
        description="STRIPE PAYOUT FAILURE")
    world.update("payout.failed", payout, failed_at, account, {
        "status": "failed", "failure_code": "account_closed",
        "failure_message": "The bank account has been closed.", "failure_balance_transaction": txn["id"]},
        automatic=True)
    world.update("payout.reconciliation_completed", payout, world.later(failed_at, 60, 600), account,
                 {"reconciliation_status": "completed"}, automatic=True)
    return txn


def manual_payout(world: World, account: Account, at: int) -> Obj | None:
    """Pay out 80% of the available balance at `at` (rounded down to whole major units)."""
    balance = sum(txn["net"] for txn in world.bts.get(account.id, []) if txn["available_on"] <= at)
    unit = 1 if account.currency in ("jpy", "krw") else 100
    amount = balance * 8 // 10 // unit * unit
    if amount <= 0:
        return None
    payout, _, arrival = _new_payout(world, account, amount, at, automatic=False,
                                     metadata={"sandbox_case": "payout_manual"})
    _lifecycle(world, account, payout, arrival, automatic=False)
    return payout


def run_payouts(world: World) -> None:
    manual = next((a for a in world.accounts if a.payout_interval == "manual"), None)
    fail_day = min(world.days - 2, max(2, world.days // 2)) if world.days >= 4 else None
    for account in world.accounts:
        if account.payout_interval != "daily":
            continue
        if manual is None and account.kind == "platform":
            # No manual-schedule account: the platform switches to manual payouts for the last day
            # (Stripe makes manual payouts only on a manual schedule) and pays out by hand that evening.
            early_fail = fail_day if fail_day is not None and fail_day <= world.days - 3 else None
            automatic_payouts(world, account, early_fail, days=world.days - 1)
        else:
            automatic_payouts(world, account, fail_day if account.kind == "platform" else None)
    if manual is not None:
        manual_payout(world, manual, world.at_fraction(0.72))
    else:
        last_evening = world.start + (world.days - 1) * DAY + 20 * 3600 + world.rng.randint(1, 1800)
        manual_payout(world, world.platform, last_evening)
