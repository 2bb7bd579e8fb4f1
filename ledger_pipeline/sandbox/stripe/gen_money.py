"""Money for the generator: Stripe's card pricing per account country, daily exchange rates, amounts.

All amounts are integer minor units. Percentages are integer basis points and round half-up once, so a
JPY fee is always whole yen. Exchange rates are Decimals with six significant digits (what Stripe's
`exchange_rate` carries); the JSON field gets the equal float, and `convert` from `ledger_pipeline.money`
applies them to major units and rounds once, half-up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ledger_pipeline.money import convert, exponent

__all__ = ["Pricing", "PRICING", "FxTable", "processing_fee", "percent_of", "convert", "random_amount"]


@dataclass(frozen=True)
class Pricing:
    """Card pricing of a Stripe account, in basis points and the settlement currency's minor units."""

    base_bps: int          # domestic card
    fixed: int             # per successful charge
    international_bps: int  # added when the card was issued outside the account's country (region)
    fx_bps: int            # added when presentment currency != settlement currency
    dispute_fee: int       # withdrawn with every dispute


# docs.stripe.com/pricing and the local pricing pages (US, DE/EEA, GB, JP, CA, AU).
PRICING: dict[str, Pricing] = {
    "US": Pricing(290, 30, 150, 100, 1500),
    "DE": Pricing(150, 25, 175, 200, 2000),
    "FR": Pricing(150, 25, 175, 200, 2000),
    "GB": Pricing(150, 20, 175, 200, 2000),
    "JP": Pricing(360, 0, 0, 200, 1500),
    "CA": Pricing(290, 30, 80, 200, 1500),
    "AU": Pricing(170, 30, 180, 200, 2500),
}


def percent_of(amount: int, bps: int) -> int:
    """`amount * bps / 10000`, rounded half-up (amount >= 0), in the same minor units."""
    return (amount * bps + 5000) // 10000


def processing_fee(settled: int, pricing: Pricing, international: bool, converted: bool) -> int:
    """Stripe's processing fee on a charge that settled `settled` minor units (settlement currency)."""
    bps = pricing.base_bps
    if international:
        bps += pricing.international_bps
    if converted:
        bps += pricing.fx_bps
    return percent_of(settled, bps) + pricing.fixed


# Units of USD per one unit of the currency, the middle of the range the generator wanders around.
_USD_PER_UNIT = {
    "usd": "1", "eur": "1.0850", "gbp": "1.2700", "jpy": "0.006700", "cad": "0.7350", "aud": "0.6600",
    "chf": "1.1300", "sek": "0.0950", "mxn": "0.0580", "brl": "0.1950", "inr": "0.01200", "sgd": "0.7450",
}


def _six_significant(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(value.adjusted() - 5)).normalize()


class FxTable:
    """One rate per currency and day (drifting up to +-1.5% a day), crossed through USD."""

    def __init__(self, rng: random.Random, days: int, currencies: list[str]):
        self._usd: list[dict[str, Decimal]] = []
        level = {c: Decimal(_USD_PER_UNIT.get(c, "1")) for c in currencies}
        for _ in range(days + 1):
            today = {}
            for currency in currencies:
                if currency == "usd":
                    today[currency] = Decimal(1)
                    continue
                drift = Decimal(rng.randint(-150, 150)) / Decimal(10000)
                level[currency] = _six_significant(level[currency] * (1 + drift))
                today[currency] = level[currency]
            self._usd.append(today)
        self._cache: dict[tuple[str, str, int], Decimal] = {}

    def rate(self, source: str, target: str, day: int) -> Decimal:
        """Major units of `target` per major unit of `source` on window day `day` (6 significant digits)."""
        key = (source, target, day)
        cached = self._cache.get(key)
        if cached is None:
            today = self._usd[min(max(day, 0), len(self._usd) - 1)]
            cached = _six_significant(today[source] / today[target])
            self._cache[key] = cached
        return cached


# Typical price points (minor units) per currency, and a range for the rest.
_PRICE_POINTS = {
    "usd": (999, 1500, 1999, 2500, 4900, 7500, 9900, 12000, 19900, 25000, 49900),
    "eur": (990, 1490, 1900, 2900, 4900, 7900, 9900, 14900, 29900),
    "gbp": (799, 1200, 1999, 2500, 4500, 9900, 14900, 24900),
    "jpy": (500, 980, 1500, 2980, 4980, 9800, 12800, 19800, 39800),
}


_RANGES: dict[str, tuple[int, int]] = {}


def _range(currency: str) -> tuple[int, int]:
    """About 5 to 500 USD worth, in the currency's minor units."""
    if currency not in _RANGES:
        usd_per_unit = Decimal(_USD_PER_UNIT.get(currency, "1"))
        scale = 10 ** exponent(currency)
        _RANGES[currency] = (int(Decimal(5) / usd_per_unit * scale), int(Decimal(500) / usd_per_unit * scale))
    return _RANGES[currency]


def random_amount(rng: random.Random, currency: str) -> int:
    """A plausible charge amount in minor units: a common price point half the time, else log-uniform-ish
    between about 5 and 500 USD worth (whole tens for zero-decimal currencies)."""
    points = _PRICE_POINTS.get(currency)
    if points and rng.random() < 0.5:
        return rng.choice(points)
    low, high = _range(currency)
    band_low = low * 5 ** rng.randrange(3)          # 5-25, 25-125 or 125-500 USD worth
    amount = rng.randint(band_low, min(high, band_low * 5))
    if exponent(currency) == 0:
        amount = max(50, amount // 10 * 10)
    return amount
