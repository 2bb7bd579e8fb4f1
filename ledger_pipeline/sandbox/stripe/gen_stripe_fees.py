"""Stripe's own fees that no charge carries: Radar screening and Billing usage, debited daily from the
platform's balance as `stripe_fee` balance transactions (reporting category `fee`, no source)."""

from __future__ import annotations

from datetime import datetime, timezone

from .gen_money import percent_of
from .gen_world import DAY, World

RADAR_PER_SCREENED = 7      # cents per screened card payment (Radar for Fraud Teams)
BILLING_BPS = 70            # 0.7% of the volume paid through invoices


def daily_fees(world: World, screened_by_day: dict[int, int], billing_volume_by_day: dict[int, int]) -> None:
    """Each day's fees are debited early the next day (within the window only)."""
    platform = world.platform
    for day in range(world.days - 1):
        label = datetime.fromtimestamp(world.start + day * DAY, tz=timezone.utc).strftime("%Y-%m-%d")
        charged = world.start + (day + 1) * DAY + world.rng.randint(300, 3000)
        radar = screened_by_day.get(day, 0) * RADAR_PER_SCREENED
        if radar:
            txn = world.balance_transaction(
                platform, amount=-radar, currency=platform.currency, created=charged, available_on=charged,
                type="stripe_fee", reporting_category="fee", source=None,
                description=f"Radar ({label}): Radar for Fraud Teams")
        billing = percent_of(billing_volume_by_day.get(day, 0), BILLING_BPS)
        if billing:
            txn = world.balance_transaction(
                platform, amount=-billing, currency=platform.currency, created=charged + 7,
                available_on=charged + 7, type="stripe_fee", reporting_category="fee", source=None,
                description=f"Billing - Usage Fee ({label})")
