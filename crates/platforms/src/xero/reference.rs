//! Xero's reference data → ours (organisation, chart of accounts, tax rates, contacts,
//! tracking categories), and an account prototype → Xero's `PUT /Accounts` body.

use super::wire;
use crate::platform::AccountPrototype;
use domain::reference_data::{
    Account, AccountType, CompanyInfo, Contact, RecordStatus, TaxRate, TaxRateComponent,
    TrackingCategory, TrackingOption,
};
use serde_json::Value;

/// Xero's account `Type` for a prototype: an explicit category's second part when it names
/// one, else the natural type of its class.
pub fn account_type(p: &AccountPrototype) -> &'static str {
    let named = p
        .fully_qualified_category
        .as_deref()
        .and_then(|c| c.split('.').nth(1))
        .map(str::to_ascii_lowercase);
    if p.is_bank_account {
        return "BANK";
    }
    if let Some(found) = named.as_deref().and_then(|n| {
        XERO_TYPES
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(n))
            .map(|(code, _)| *code)
    }) {
        return found;
    }
    match p.account_type {
        AccountType::Asset => "CURRENT",
        AccountType::Liability => "CURRLIAB",
        AccountType::Income => "REVENUE",
        AccountType::Expense => "EXPENSE",
        AccountType::Equity => "EQUITY",
        AccountType::Unknown => "EXPENSE",
    }
}

/// The body of `PUT /Accounts`. Xero needs a code; without one we make it from the name.
pub fn new_account(p: &AccountPrototype) -> Value {
    let code = p.nominal_code.clone().unwrap_or_else(|| {
        p.name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(10)
            .collect::<String>()
            .to_ascii_uppercase()
    });
    let body = wire::NewAccount {
        code,
        name: p.name.clone(),
        kind: account_type(p).to_owned(),
        description: p.description.clone(),
        bank_account_number: p.bank_account_number.clone(),
        currency_code: p.currency.clone().filter(|_| p.is_bank_account),
        tax_type: p.tax_rate_id.clone(),
        enable_payments_to_account: p.payments_allowed,
    };
    serde_json::to_value(body).expect("wire types always serialize")
}

/// Xero account types and the words of our `fullyQualifiedCategory`.
const XERO_TYPES: [(&str, &str); 18] = [
    ("BANK", "Bank"),
    ("CURRENT", "Current"),
    ("CURRLIAB", "CurrentLiability"),
    ("DEPRECIATN", "Depreciation"),
    ("DIRECTCOSTS", "DirectCosts"),
    ("EQUITY", "Equity"),
    ("EXPENSE", "Expense"),
    ("FIXED", "Fixed"),
    ("INVENTORY", "Inventory"),
    ("LIABILITY", "Liability"),
    ("NONCURRENT", "NonCurrent"),
    ("OTHERINCOME", "OtherIncome"),
    ("OVERHEADS", "Overheads"),
    ("PREPAYMENT", "Prepayment"),
    ("REVENUE", "Revenue"),
    ("SALES", "Sales"),
    ("TERMLIAB", "TermLiability"),
    ("PAYG", "Payg"),
];

fn status_of(xero: &str) -> RecordStatus {
    match xero {
        "ACTIVE" => RecordStatus::Active,
        "ARCHIVED" | "DELETED" | "GDPRREQUEST" => RecordStatus::Archived,
        "PENDING" => RecordStatus::Pending,
        _ => RecordStatus::Unknown,
    }
}

/// The organisation; `tenant` is the Xero tenant the connection was granted.
pub fn company(o: wire::Organisation, tenant: &str) -> CompanyInfo {
    CompanyInfo {
        name: o.name,
        base_currency: o.base_currency,
        country: o.country_code.filter(|c| !c.is_empty()),
        platform_ref: Some(tenant.to_owned()),
        tax_basis: o.sales_tax_basis.filter(|b| !b.is_empty()),
        automated_sales_tax: false,
    }
}

pub fn account(a: wire::Account) -> Account {
    let account_type = match a.class.as_deref() {
        Some("ASSET") => AccountType::Asset,
        Some("LIABILITY") => AccountType::Liability,
        Some("REVENUE") => AccountType::Income,
        Some("EXPENSE") => AccountType::Expense,
        Some("EQUITY") => AccountType::Equity,
        _ => AccountType::Unknown,
    };
    let kind_name = XERO_TYPES
        .iter()
        .find(|(code, _)| *code == a.kind)
        .map(|(_, name)| *name);
    let is_bank = a.kind == "BANK";
    Account {
        id: a.account_id,
        name: a.name,
        nominal_code: a.code.filter(|c| !c.is_empty()),
        account_type,
        fully_qualified_category: kind_name.map(|n| format!("{account_type:?}.{n}")),
        is_bank_account: is_bank,
        status: status_of(&a.status),
        payments_allowed: is_bank || a.enable_payments_to_account,
        currency: a.currency_code.filter(|c| !c.is_empty()),
    }
}

pub fn tax_rate(t: wire::TaxRate) -> TaxRate {
    TaxRate {
        id: t.tax_type.clone(),
        name: t.name,
        code: Some(t.tax_type),
        effective_rate: t.effective_rate,
        components: t
            .tax_components
            .into_iter()
            .map(|c| TaxRateComponent {
                name: c.name,
                rate: c.rate,
                is_compound: c.is_compound,
            })
            .collect(),
        status: status_of(&t.status),
        applies_to_sales: t.can_apply_to_revenue,
        applies_to_purchases: t.can_apply_to_expenses,
    }
}

/// Customers and suppliers. Xero flags a contact as customer or supplier only once it has a
/// transaction, so a contact with neither flag is offered as both.
pub fn contacts(list: Vec<wire::Contact>) -> (Vec<Contact>, Vec<Contact>) {
    let (mut customers, mut suppliers) = (Vec::new(), Vec::new());
    for c in list {
        let contact = Contact {
            id: c.contact_id.clone(),
            name: c.name.clone(),
            status: status_of(&c.contact_status),
        };
        let neither = !c.is_customer && !c.is_supplier;
        if c.is_customer || neither {
            customers.push(contact.clone());
        }
        if c.is_supplier || neither {
            suppliers.push(contact);
        }
    }
    (customers, suppliers)
}

pub fn tracking_category(t: wire::TrackingCategory) -> TrackingCategory {
    TrackingCategory {
        id: t.tracking_category_id,
        name: t.name,
        status: status_of(&t.status),
        options: t
            .options
            .into_iter()
            .map(|o| TrackingOption {
                id: o.tracking_option_id,
                name: o.name,
                status: status_of(&o.status),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde_json::json;

    #[test]
    fn reference_data_maps_xero_words_to_ours() {
        let a: wire::Account = serde_json::from_value(json!({"AccountID": "x", "Code": "092", "Name": "Cash",
            "Type": "CURRENT", "Class": "ASSET", "Status": "ARCHIVED", "EnablePaymentsToAccount": true})).unwrap();
        let a = account(a);
        assert_eq!(a.account_type, AccountType::Asset);
        assert_eq!(a.status, RecordStatus::Archived);
        assert!(a.payments_allowed && !a.is_bank_account);
        assert_eq!(a.fully_qualified_category.as_deref(), Some("Asset.Current"));
        let t: wire::TaxRate = serde_json::from_value(json!({"Name": "20% (VAT on Income)", "TaxType": "OUTPUT2",
            "Status": "ACTIVE", "EffectiveRate": 20.125, "TaxComponents": [{"Name": "VAT", "Rate": 20.125, "IsCompound": false}]})).unwrap();
        let t = tax_rate(t);
        assert_eq!(t.effective_rate, Some(Decimal::new(20125, 3)));
        assert_eq!(t.id, "OUTPUT2");
        let (customers, suppliers) = contacts(vec![
            serde_json::from_value(json!({"ContactID": "1", "Name": "Sales", "ContactStatus": "ACTIVE", "IsCustomer": true})).unwrap(),
            serde_json::from_value(json!({"ContactID": "2", "Name": "New", "ContactStatus": "ACTIVE"})).unwrap(),
        ]);
        assert_eq!(customers.len(), 2);
        assert_eq!(suppliers.len(), 1);
        let proto = AccountPrototype {
            name: "Card Clearing".into(),
            account_type: AccountType::Asset,
            is_bank_account: true,
            ..AccountPrototype::default()
        };
        assert_eq!(account_type(&proto), "BANK");
        assert_eq!(new_account(&proto)["Code"], "CARDCLEARI");
    }
}
