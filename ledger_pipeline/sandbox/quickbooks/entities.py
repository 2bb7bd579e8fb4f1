"""Which QuickBooks entities the sandbox serves, and what each one allows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str                     # "list" (names), "txn" (postings), "singleton", "readonly"
    create: bool = True
    update: bool = True
    delete: bool = False          # QBO hard-deletes transactions only; lists go inactive instead
    void: bool = False
    name_field: str | None = None  # must be unique, case-insensitive (people share one namespace)
    sales_doc: bool = False       # DocNumber uniqueness, sales lines, tax


SPECS: dict[str, Spec] = {s.name: s for s in [
    Spec("Account", "list", name_field="Name"),
    Spec("Customer", "list", name_field="DisplayName"),
    Spec("Vendor", "list", name_field="DisplayName"),
    Spec("Item", "list", name_field="Name"),
    Spec("Class", "list", name_field="Name"),
    Spec("Department", "list", name_field="Name"),
    Spec("CompanyCurrency", "list", name_field="Code"),
    Spec("TaxCode", "readonly", create=False, update=False),
    Spec("TaxRate", "readonly", create=False, update=False),
    Spec("CompanyInfo", "singleton", create=False),
    Spec("Preferences", "singleton", create=False),
    Spec("JournalEntry", "txn", delete=True),
    Spec("SalesReceipt", "txn", delete=True, void=True, sales_doc=True),
    Spec("Invoice", "txn", delete=True, void=True, sales_doc=True),
    Spec("CreditMemo", "txn", delete=True, sales_doc=True),
    Spec("RefundReceipt", "txn", delete=True, sales_doc=True),
    Spec("Payment", "txn", delete=True, void=True),
    Spec("Deposit", "txn", delete=True),
    Spec("Transfer", "txn", delete=True),
    Spec("Purchase", "txn", delete=True),
]}

# URL segment (python-quickbooks lower-cases the entity name) -> entity
BY_URL = {name.lower(): name for name in SPECS}

# which entity a *Ref field points at; ParentRef points at the object's own entity
REF_TARGETS: dict[str, str] = {
    **{k: "Account" for k in ("AccountRef", "DepositToAccountRef", "ARAccountRef", "APAccountRef",
                               "IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef", "FromAccountRef",
                               "ToAccountRef", "DiscountAccountRef", "ItemAccountRef")},
    "CustomerRef": "Customer", "VendorRef": "Vendor", "ItemRef": "Item", "ClassRef": "Class",
    "DepartmentRef": "Department", "TaxRateRef": "TaxRate",
    **{k: "TaxCode" for k in ("TaxCodeRef", "TxnTaxCodeRef", "SalesTaxCodeRef", "PurchaseTaxCodeRef",
                               "DefaultTaxCodeRef")},
}

# fields QuickBooks computes; whatever the client sends for them is ignored
COMPUTED = {"Balance", "BalanceWithJobs", "HomeBalance", "HomeTotalAmt", "UnappliedAmt", "RemainingCredit",
            "CurrentBalance", "CurrentBalanceWithSubAccounts", "FullyQualifiedName", "Level", "MetaData",
            "domain", "sparse", "SyncToken", "status"}

NAME_FIELDS = {"Customer": "DisplayName", "Vendor": "DisplayName", "Account": "FullyQualifiedName",
               "Item": "Name", "Class": "Name", "Department": "Name", "TaxCode": "Name", "TaxRate": "Name",
               "CompanyCurrency": "Name"}
