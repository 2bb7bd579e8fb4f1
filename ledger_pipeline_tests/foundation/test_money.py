from decimal import Decimal

import pytest

from ledger_pipeline.money import convert, exponent, to_decimal, to_minor_units


@pytest.mark.parametrize(("currency", "places"), [("usd", 2), ("EUR", 2), ("jpy", 0), ("krw", 0), ("kwd", 3), ("bhd", 3)])
def test_exponent_follows_stripes_currency_lists(currency, places):
    assert exponent(currency) == places


def test_minor_units_round_trip_exactly():
    assert to_decimal(1999, "usd") == Decimal("19.99")
    assert to_decimal(1999, "jpy") == Decimal("1999")
    assert to_decimal(1999, "kwd") == Decimal("1.999")
    assert to_minor_units(Decimal("19.99"), "usd") == 1999
    assert to_minor_units("1.999", "kwd") == 1999
    assert to_minor_units(500, "jpy") == 500


def test_refuses_amounts_finer_than_the_currency():
    with pytest.raises(ValueError, match="JPY"):
        to_minor_units("10.5", "jpy")
    with pytest.raises(TypeError):
        to_decimal(10.5, "usd")  # floats never enter the warehouse


def test_convert_rounds_once_half_up():
    # 10.00 EUR at Stripe's rate 1.0825 = 10.825 USD -> 10.83
    assert convert(1000, "eur", "usd", "1.0825") == 1083
    # 1,234 JPY at 0.0067 = 8.2678 USD -> 8.27
    assert convert(1234, "jpy", "usd", Decimal("0.0067")) == 827
    # half-up, not banker's: 0.125 -> 0.13
    assert convert(125, "usd", "eur", "0.1") == 13
