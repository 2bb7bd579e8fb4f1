"""Settings endpoints through the real client: accounts, tax rates, tracking, currencies, items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from xero_python.accounting.models import (
    Account, Accounts, AccountType, Contact, Contacts, Currency, CurrencyCode, Item, Items, Purchase, TaxComponent,
    TaxRate, TaxRates, TrackingCategory, TrackingOption,
)
from xero_python.exceptions import AccountingBadRequestException

from ledger_pipeline.sandbox.xero import GLOBAL_TENANT_ID


def test_accounts_create_update_archive_delete(xero):
    api, t = xero.api, xero.tenant
    made = api.create_account(t, Account(code="407", name="Stripe Radar Fees", type=AccountType.EXPENSE)).accounts[0]
    assert (made.code, made.status, made._class) == ("407", "ACTIVE", "EXPENSE")
    with pytest.raises(AccountingBadRequestException) as duplicate:
        api.create_account(t, Account(code="407", name="Other", type=AccountType.EXPENSE))
    assert duplicate.value.reason == "Please enter a unique Code."
    enabled = api.update_account(t, made.account_id, Accounts(accounts=[Account(enable_payments_to_account=True)]))
    assert enabled.accounts[0].enable_payments_to_account is True
    archived = api.update_account(t, made.account_id, Accounts(accounts=[Account(status="ARCHIVED")]))
    assert archived.accounts[0].status == "ARCHIVED"
    deleted = api.delete_account(t, made.account_id)
    assert deleted.accounts[0].status == "DELETED"
    assert "407" not in {a.code for a in api.get_accounts(t).accounts}
    bank = api.create_account(t, Account(code="098", name="Payout Bank", type=AccountType.BANK,
                                         bank_account_number="12-3456")).accounts[0]
    assert bank.bank_account_type == "BANK" and bank.currency_code.value == "USD"


def test_tax_rates_tracking_currencies_items_and_contact_number(xero):
    api, t = xero.api, xero.tenant
    rate = api.create_tax_rates(t, TaxRates(tax_rates=[TaxRate(name="NY Sales Tax", report_tax_type="OUTPUT",
                                                               tax_components=[TaxComponent(name="NY", rate=Decimal("8.875"))])]))
    new = rate.tax_rates[0]
    assert new.tax_type == "TAX002" and new.effective_rate == Decimal("8.875")
    assert api.get_tax_rate_by_tax_type(t, "TAX002").tax_rates[0].name == "NY Sales Tax"

    region = next(c for c in api.get_tracking_categories(t).tracking_categories if c.name == "Region")
    with pytest.raises(AccountingBadRequestException) as third:
        api.create_tracking_category(t, TrackingCategory(name="Product"))
    assert third.value.reason == "You can only have two active tracking categories."
    option = api.create_tracking_options(t, region.tracking_category_id, TrackingOption(name="LATAM")).options[0]
    renamed = api.update_tracking_options(t, region.tracking_category_id, option.tracking_option_id,
                                         TrackingOption(name="Latin America")).options[0]
    assert renamed.name == "Latin America"
    api.delete_tracking_options(t, region.tracking_category_id, option.tracking_option_id)
    names = {o.name for o in api.get_tracking_category(t, region.tracking_category_id).tracking_categories[0].options}
    assert "Latin America" not in names and "Europe" in names

    with pytest.raises(AccountingBadRequestException):
        api.create_currency(t, Currency(code=CurrencyCode.JPY))  # the US company has no multicurrency
    api.create_currency(GLOBAL_TENANT_ID, Currency(code=CurrencyCode.JPY))
    assert "JPY" in {c.code.value for c in api.get_currencies(GLOBAL_TENANT_ID).currencies}

    item = api.create_items(t, Items(items=[Item(code="SEAT", name="Seat", sales_details=Purchase(
        unit_price=Decimal("12.00"), account_code="200", tax_type="OUTPUT"))])).items[0]
    updated = api.update_item(t, item.item_id, Items(items=[Item(code="SEAT", name="Seat (monthly)")]))
    assert updated.items[0].name == "Seat (monthly)" and updated.items[0].sales_details.unit_price == Decimal("12.00")
    api.delete_item(t, item.item_id)
    assert not api.get_items(t).items

    api.create_contacts(t, Contacts(contacts=[Contact(name="Numbered", contact_number="cus_42")]))
    assert api.get_contact_by_contact_number(t, "cus_42").contacts[0].name == "Numbered"
    archived = api.update_or_create_contacts(t, Contacts(contacts=[Contact(contact_number="cus_42",
                                                                           contact_status="ARCHIVED")]))
    assert archived.contacts[0].contact_status == "ARCHIVED"
    assert "Numbered" not in {c.name for c in api.get_contacts(t).contacts}
    assert "Numbered" in {c.name for c in api.get_contacts(t, include_archived=True).contacts}
