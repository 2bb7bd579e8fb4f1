"""Customers, products, prices, tax rates and coupons, with their lives over the window (created, updated,
one customer and one product deleted) and the events for each step."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from . import factories as f
from .gen_world import DAY, Account, World

Obj = dict[str, Any]

# Names chosen to exercise encodings: accents, CJK, RTL, emoji (incl. ZWJ sequences), apostrophes.
NAMES = [
    "Ada Lovelace", "Zoë Ångström", "山田 太郎", "Café Olé 🚀 GmbH", "Nguyễn Văn An", "محمد الفارسي",
    "👩‍💻 Dev Studio", "O'Brien & Sons", "Ωmega Δelta Ltd", "José Muñoz", "Søren Kierkegaard ApS",
    "Łukasz Żółć", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton", "Ken Thompson", "Barbara Liskov",
    "Émile Zola SARL", "Björk Guðmundsdóttir", "Алексей Иванов", "Ελένη Παπαδοπούλου", "김민수",
    "Tim Berners-Lee", "Frances Allen", "Donald Knuth", "Hedy Lamarr", "Radia Perlman", "Dennis Ritchie",
    "Sophie Wilson", "Katherine Johnson", "🍕 Pizza Planet", "Acme Corp™", "Jean-Luc Picard", "Ana Núñez",
]
JP_NAMES = ["佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健太", "株式会社サンプル", "渡辺 翔", "伊藤 さくら"]
_PLACES = {
    "US": [("San Francisco", "94107", "CA"), ("New York", "10001", "NY"), ("Austin", "78701", "TX")],
    "GB": [("London", "EC1A 1BB", None), ("Manchester", "M1 1AE", None)],
    "DE": [("Berlin", "10115", None), ("München", "80331", None)],
    "FR": [("Paris", "75001", None)],
    "JP": [("東京都", "100-0001", None), ("大阪市", "530-0001", None)],
    "CA": [("Toronto", "M5H 2N2", "ON")],
    "BR": [("São Paulo", "01000-000", "SP")],
    "AU": [("Sydney", "2000", "NSW")],
}
FOREIGN = {"US": ["GB", "DE", "FR", "JP", "CA", "BR", "AU"], "JP": ["US", "GB", "AU"],
            "DE": ["US", "GB", "JP", "BR"], "GB": ["US", "DE", "FR", "AU"]}
_EEA = {"DE", "FR", "NL", "IE", "ES", "IT", "AT", "BE"}
_BRANDS = [("visa", "4242", "credit"), ("visa", "1881", "debit"), ("mastercard", "4444", "credit"),
           ("mastercard", "5100", "debit"), ("amex", "8431", "credit"), ("discover", "1117", "credit")]


def same_region(card_country: str, account_country: str) -> bool:
    if card_country == account_country:
        return True
    return card_country in _EEA and account_country in _EEA


def new_card(world: World, country: str) -> Obj:
    brand, last4, funding = world.rng.choice(_BRANDS)
    if country == "JP" and world.rng.random() < 0.4:
        brand, last4, funding = "jcb", "0000", "credit"
    return {"brand": brand, "last4": last4, "funding": funding, "country": country,
            "exp_month": world.rng.randint(1, 12), "exp_year": world.rng.randint(2027, 2033),
            "fingerprint": world.ids.fingerprint()}


@dataclass
class CustomerRec:
    obj: Obj
    account: Account
    card: Obj
    pm: str
    created: int
    deleted_at: int | None = None
    names: list[tuple[int, str | None, str | None]] = field(default_factory=list)  # (since, name, email)

    def name_email_at(self, t: int) -> tuple[str | None, str | None]:
        name, email = self.names[0][1], self.names[0][2]
        for since, n, e in self.names:
            if since <= t:
                name, email = n, e
        return name, email


class CustomerBook:
    """An account's customers in created order, to pick one that exists (and is not deleted) at a time."""

    def __init__(self) -> None:
        self.recs: list[CustomerRec] = []
        self._created: list[int] = []

    def add(self, rec: CustomerRec) -> None:
        self.recs.append(rec)

    def freeze(self) -> None:
        self.recs.sort(key=lambda r: r.created)
        self._created = [r.created for r in self.recs]

    def pick(self, world: World, t: int) -> CustomerRec | None:
        count = bisect_right(self._created, t - 1)
        if not count:
            return None
        rec = self.recs[world.rng.randrange(count)]
        if rec.deleted_at is not None and rec.deleted_at <= t:
            return None
        return rec


def _slug(name: str, n: int) -> str:
    letters = "".join(ch for ch in name.lower() if "a" <= ch <= "z")[:12]
    return f"{letters or 'customer'}.{n}"


def make_customers(world: World, account: Account, count: int, international_rate: float,
                   names: list[str]) -> CustomerBook:
    book = CustomerBook()
    rng = world.rng
    foreign = FOREIGN.get(account.country, ["US"])
    for n in range(count):
        if n < max(3, count // 2):   # an import at the start of the window
            created = world.start + rng.randint(60, 3600)
        else:
            created = world.in_day(rng.randrange(world.days), 60, DAY - 60)
        name = names[n % len(names)] if rng.random() < 0.92 else None
        country = rng.choice(foreign) if rng.random() < international_rate else account.country
        city, postal, state = rng.choice(_PLACES.get(country, _PLACES["US"]))
        email = f"{_slug(name or '', n)}@example.{'jp' if country == 'JP' else 'com'}"
        pm = world.new_id("pm", account)
        obj = f.customer(id=world.new_id("cus", account), created=created, name=name, email=email,
                         country=country, postal_code=postal, city=city, currency=None,
                         invoice_prefix=world.ids.invoice_prefix(), default_payment_method=pm,
                         preferred_locales=["ja"] if country == "JP" else ["en-US"])
        obj["address"]["state"] = state
        rec = CustomerRec(obj=obj, account=account, card=new_card(world, country), pm=pm, created=created,
                          names=[(created, name, email)])
        book.add(rec)
        world.add(obj, account)
        world.event("customer.created", obj, created, account)
    book.freeze()
    return book


def customer_lifecycle(world: World, book: CustomerBook, update_rate: float, delete_one: bool) -> None:
    """Some customers change their email, address, name or metadata; one is deleted."""
    rng = world.rng
    for n, rec in enumerate(book.recs):
        if n == 0 and book.recs[0].account.kind == "platform":
            big = {f"field_{i:02d}": (f"value {i} " + "ü€😀" * 3 + "x" * 500)[:500] for i in range(50)}
            t = world.later(rec.created, 60, 600)
            world.update("customer.updated", rec.obj, t, rec.account, {"metadata": big})
            continue
        if (n == 1 and delete_one) or rng.random() >= update_rate:
            continue
        t = world.later(rec.created, 3600, 3 * DAY)
        if not world.before_end(t):
            continue
        choice = rng.randrange(4)
        if choice == 0:
            email = "new." + (rec.obj["email"] or "someone@example.com")
            world.update("customer.updated", rec.obj, t, rec.account, {"email": email})
            rec.names.append((t, rec.obj["name"], email))
        elif choice == 1:
            name = (rec.obj["name"] or "Anonymous") + " ✨"
            world.update("customer.updated", rec.obj, t, rec.account, {"name": name})
            rec.names.append((t, name, rec.obj["email"]))
        elif choice == 2:
            new_address = dict(rec.obj["address"] or f.address("US"))
            new_address["line1"] = f"{rng.randint(1, 999)} Market Street"
            world.update("customer.updated", rec.obj, t, rec.account, {"address": new_address})
        else:
            world.update("customer.updated", rec.obj, t, rec.account,
                         {"metadata": {**rec.obj["metadata"], "crm_id": f"CRM-{rng.randint(1000, 9999)}"}})
    if delete_one and len(book.recs) > 3:
        rec = book.recs[1]
        rec.deleted_at = world.at_fraction(0.75)
        world.event("customer.deleted", rec.obj, rec.deleted_at, rec.account)
        rec.obj["deleted"] = True


# --- the platform's catalog ---------------------------------------------------------------------------

@dataclass
class Catalog:
    products: dict[str, Obj] = field(default_factory=dict)      # key -> product
    prices: dict[str, Obj] = field(default_factory=dict)        # key -> price
    tax_rates: dict[str, Obj] = field(default_factory=dict)     # key -> tax rate
    coupons: dict[str, Obj] = field(default_factory=dict)       # key -> coupon


_PRODUCTS = [
    # key, name, description, tax code, unit label, prices: (key, currency, amount, recurring, tax behavior)
    ("pro", "Ledger Pro", "Books that tie out, every payout.", "txcd_10103001", None,
     [("pro_monthly", "usd", 4900, "month", "exclusive"), ("pro_yearly", "usd", 49000, "year", "exclusive")]),
    ("team", "Ledger Team 👥", "For finance teams.", "txcd_10103001", "seat",
     [("team_monthly", "usd", 9900, "month", "exclusive"), ("team_monthly_eur", "eur", 8900, "month",
                                                           "inclusive")]),
    ("onboarding", "Onboarding session", "Two hours with an accountant.", "txcd_20030000", None,
     [("onboarding", "usd", 25000, None, "exclusive")]),
    ("hour", "Bookkeeping hour", None, "txcd_20030000", "hour",
     [("hour", "usd", 12000, None, "exclusive")]),
    ("kaese", "Käse-Abo 🧀", "Monatliche Käsebox.", "txcd_99999999", None,
     [("kaese", "eur", 1990, None, "inclusive")]),
    ("stickers", "Sticker pack", None, None, None, [("stickers", "usd", 500, None, "unspecified")]),
    ("legacy", "Legacy widget", "Discontinued.", None, None, []),
]
_TAX_RATES = [
    ("ca", "Sales Tax", "7.25", False, "US", "CA", "CA - CALIFORNIA", "state", "sales_tax", "California"),
    ("ny", "Sales Tax", "8.875", False, "US", "NY", "NY - NEW YORK", "state", "sales_tax", "New York City"),
    ("uk_vat", "VAT", "20", True, "GB", None, "GB", "country", "vat", "UK VAT"),
    ("de_vat", "MwSt.", "19", True, "DE", None, "DE", "country", "vat", "Umsatzsteuer"),
]


def make_catalog(world: World) -> Catalog:
    acct = world.platform
    cat = Catalog()
    t0 = world.start + 5
    for n, (key, name, pct, inclusive, country, state, jur, level, kind, desc) in enumerate(_TAX_RATES):
        obj = f.tax_rate(id=world.new_id("txr", acct), created=t0 + n, display_name=name, percentage=pct,
                         inclusive=inclusive, country=country, state=state, jurisdiction=jur,
                         jurisdiction_level=level, tax_type=kind, description=desc)
        cat.tax_rates[key] = world.add(obj, acct)
        world.event("tax_rate.created", obj, obj["created"], acct)
    coupons = [("save10", "SAVE10", "10% off", 10.0, None, None, "once", None),
               ("five_off", "5OFF", "$5 off", None, 500, "usd", "once", None),
               ("free", "FREE100", "100% off", 100.0, None, None, "once", None),
               ("loyal", "LOYAL25", "Loyalty 25%", 25.0, None, None, "repeating", 3)]
    for n, (key, code, name, pct, off, cur, duration, months) in enumerate(coupons):
        obj = f.coupon(id=code, created=t0 + 10 + n, name=name, percent_off=pct, amount_off=off, currency=cur,
                       duration=duration, duration_in_months=months)
        cat.coupons[key] = world.add(obj, acct)
        world.event("coupon.created", obj, obj["created"], acct)
    t = t0 + 30
    for key, name, desc, tax_code, unit, prices in _PRODUCTS:
        t += world.rng.randint(5, 40)
        prod = f.product(id=world.new_id("prod", acct), created=t, name=name, description=desc,
                         tax_code=tax_code, unit_label=unit, features=["Payout tie-out"] if key == "pro" else [])
        cat.products[key] = world.add(prod, acct)
        price_objs = []
        for pkey, currency, amount, recurring, behavior in prices:
            pr = f.price(id=world.new_id("price", acct), created=t, product=prod["id"], currency=currency,
                         unit_amount=amount, recurring=recurring, tax_behavior=behavior,
                         nickname=pkey.replace("_", " ").title(), lookup_key=pkey)
            cat.prices[pkey] = world.add(pr, acct)
            price_objs.append(pr)
        if price_objs:
            prod["default_price"] = price_objs[0]["id"]
        world.event("product.created", prod, t, acct)
        for pr in price_objs:
            world.event("price.created", pr, t, acct)
    return cat


def catalog_lifecycle(world: World, cat: Catalog) -> None:
    """Renames, a price change (new price, old one archived), a tax rate edit, a product deletion."""
    acct = world.platform
    pro = cat.products["pro"]
    t = world.at_fraction(0.35)
    world.update("product.updated", pro, t, acct,
                 {"description": "Books that tie out to the cent, every payout.", "updated": t})

    hour = cat.products["hour"]
    t = world.at_fraction(0.5)
    old = cat.prices["hour"]
    new = f.price(id=world.new_id("price", acct), created=t, product=hour["id"], currency="usd",
                  unit_amount=13000, recurring=None, tax_behavior="exclusive", nickname="Hour (2026 rate)",
                  lookup_key=None)
    world.add(new, acct)
    world.event("price.created", new, t, acct)
    world.update("price.updated", old, t + 1, acct, {"active": False})
    world.update("product.updated", hour, t + 2, acct, {"default_price": new["id"], "updated": t + 2})
    cat.prices["hour_old"] = old
    cat.prices["hour"] = new

    rate = cat.tax_rates["ny"]
    world.update("tax_rate.updated", rate, world.at_fraction(0.45), acct,
                 {"description": "New York City (incl. MCTD)"})

    legacy = cat.products["legacy"]
    t = world.at_fraction(0.6)
    world.update("product.updated", legacy, t, acct, {"active": False, "updated": t})
    world.event("product.deleted", legacy, t + 30, acct)
    legacy["deleted"] = True
