"""Money is integer minor units inside the warehouse; Decimal only at the boundaries.

Stripe sends amounts in the currency's smallest unit. Most currencies have two decimals, but Stripe's
zero-decimal list (JPY, KRW, ...) has none and a few (KWD, BHD, ...) have three.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split()
)
# https://docs.stripe.com/currencies#three-decimal
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())


def exponent(currency: str) -> int:
    """Number of decimal places of the currency's minor unit."""
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def to_decimal(minor_units: int, currency: str) -> Decimal:
    """Integer minor units -> major units as an exact Decimal (for the accounting clients)."""
    if not isinstance(minor_units, int) or isinstance(minor_units, bool):
        raise TypeError(f"amount must be an integer number of minor units, got {minor_units!r}")
    return Decimal(minor_units).scaleb(-exponent(currency))


def to_minor_units(amount: Decimal | str | int, currency: str) -> int:
    """Major units -> integer minor units; refuses amounts finer than the currency allows."""
    value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency.upper()} allows")
    return int(scaled)


def convert(minor_units: int, from_currency: str, to_currency: str, rate: Decimal | str) -> int:
    """Convert with a major-unit exchange rate (Stripe's `exchange_rate`), rounding once, half-up."""
    major = to_decimal(minor_units, from_currency) * Decimal(str(rate))
    quantum = Decimal(1).scaleb(-exponent(to_currency))
    return to_minor_units(major.quantize(quantum, rounding=ROUND_HALF_UP), to_currency)
