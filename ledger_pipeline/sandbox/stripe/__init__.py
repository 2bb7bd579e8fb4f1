"""A local Stripe API (the endpoints, errors, limits and Connect scoping stripe-python 16 relies on)."""

from .sandbox import StripeSandbox

__all__ = ["StripeSandbox"]
