//! QuickBooks' reference data → ours: company info, chart of accounts, tax codes (with the
//! rates they charge), customers, vendors, and classes / departments as tracking categories.

use super::wire;
use crate::platform::AccountPrototype;
use domain::reference_data::{
    Account, AccountType, CompanyInfo, Contact, RecordStatus, TaxRate, TaxRateComponent,
    TrackingCategory, TrackingOption,
};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

fn status(active: bool) -> RecordStatus {
    if active {
        RecordStatus::Active
    } else {
        RecordStatus::Archived
    }
}

/// The books' currency: QuickBooks' CompanyInfo has none, the accounts carry it.
pub fn company(c: wire::CompanyInfo, accounts: &[wire::Account]) -> CompanyInfo {
    let country = c.country.filter(|c| !c.is_empty());
    let from_accounts = accounts
        .iter()
        .find_map(|a| a.currency_ref.as_ref().map(|r| r.value.clone()))
        .filter(|c| !c.is_empty());
    let base_currency = from_accounts.unwrap_or_else(|| {
        match country.as_deref() {
            Some("GB") => "GBP",
            Some("CA") => "CAD",
            Some("AU") => "AUD",
            _ => "USD",
        }
        .to_owned()
    });
    CompanyInfo {
        name: c.company_name,
        base_currency,
        country,
        ..CompanyInfo::default()
    }
}

/// Whether money can sit in an account of this QuickBooks type (Codat's "cash at bank and
/// in hand": payments and deposits land there).
pub fn holds_money(account_type: &str) -> bool {
    matches!(account_type, "Bank" | "Other Current Asset")
}

pub fn account(a: wire::Account) -> Account {
    let account_type = match a.classification.as_deref() {
        Some("Asset") => AccountType::Asset,
        Some("Liability") => AccountType::Liability,
        Some("Revenue") => AccountType::Income,
        Some("Expense") => AccountType::Expense,
        Some("Equity") => AccountType::Equity,
        _ => AccountType::Unknown,
    };
    let kind = a.account_type.clone().unwrap_or_default();
    let category = a
        .account_sub_type
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| Some(kind.replace(' ', "")).filter(|s| !s.is_empty()));
    Account {
        id: a.id,
        name: a.name,
        nominal_code: a.acct_num.filter(|c| !c.is_empty()),
        account_type,
        fully_qualified_category: category.map(|c| format!("{account_type:?}.{c}")),
        is_bank_account: kind == "Bank",
        status: status(a.active),
        payments_allowed: holds_money(&kind),
        currency: a.currency_ref.map(|r| r.value).filter(|c| !c.is_empty()),
    }
}

/// Tax codes are what lines name; each charges the sum of its sales rates.
pub fn tax_rates(codes: Vec<wire::TaxCode>, rates: Vec<wire::TaxRate>) -> Vec<TaxRate> {
    let by_id: HashMap<String, wire::TaxRate> =
        rates.into_iter().map(|r| (r.id.clone(), r)).collect();
    codes
        .into_iter()
        .map(|c| {
            let components: Vec<TaxRateComponent> = c
                .sales_tax_rate_list
                .tax_rate_detail
                .iter()
                .filter_map(|d| by_id.get(&d.tax_rate_ref.value))
                .map(|r| TaxRateComponent {
                    name: Some(r.name.clone()),
                    rate: r.rate_value,
                    is_compound: false,
                })
                .collect();
            let effective_rate = if components.is_empty() {
                None
            } else {
                Some(components.iter().filter_map(|x| x.rate).sum())
            };
            TaxRate {
                id: c.id.clone(),
                name: c.name,
                code: Some(c.id),
                effective_rate,
                components,
                status: status(c.active),
                // A QuickBooks tax code carries sales and purchase rate lists: it applies to
                // a side when it has rates for it (a code with none, like NON, fits both).
                applies_to_sales: None,
                applies_to_purchases: None,
            }
        })
        .collect()
}

/// QuickBooks' account types, and the words of our `fullyQualifiedCategory` naming them.
const ACCOUNT_TYPES: [&str; 15] = [
    "Bank",
    "Accounts Receivable",
    "Other Current Asset",
    "Fixed Asset",
    "Other Asset",
    "Accounts Payable",
    "Credit Card",
    "Other Current Liability",
    "Long Term Liability",
    "Equity",
    "Income",
    "Cost of Goods Sold",
    "Expense",
    "Other Income",
    "Other Expense",
];

/// QuickBooks' `AccountType` for a prototype: an explicit category's second part when it
/// names one (`Asset.OtherCurrentAsset`), else the natural type of its class.
pub fn account_type(p: &AccountPrototype) -> &'static str {
    if p.is_bank_account {
        return "Bank";
    }
    let named = p
        .fully_qualified_category
        .as_deref()
        .and_then(|c| c.split('.').nth(1))
        .and_then(|n| {
            ACCOUNT_TYPES
                .iter()
                .find(|t| t.replace(' ', "").eq_ignore_ascii_case(n))
        });
    if let Some(t) = named {
        return t;
    }
    match p.account_type {
        AccountType::Asset => "Other Current Asset",
        AccountType::Liability => "Other Current Liability",
        AccountType::Income => "Income",
        AccountType::Equity => "Equity",
        AccountType::Expense | AccountType::Unknown => "Expense",
    }
}

/// The body of `POST /account`.
pub fn new_account(p: &AccountPrototype) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), json!(p.name));
    m.insert("AccountType".into(), json!(account_type(p)));
    if let Some(n) = p.nominal_code.as_ref().filter(|n| !n.is_empty()) {
        m.insert("AcctNum".into(), json!(n));
    }
    if let Some(d) = &p.description {
        m.insert("Description".into(), json!(d));
    }
    if let Some(c) = &p.currency {
        m.insert("CurrencyRef".into(), json!({ "value": c }));
    }
    Value::Object(m)
}

pub fn contact(n: wire::Name) -> Contact {
    Contact {
        id: n.id,
        name: n.display_name,
        status: status(n.active),
    }
}

/// Classes or departments as one tracking category named `name`.
pub fn tracking(id: &str, name: &str, list: Vec<wire::Tracking>) -> TrackingCategory {
    TrackingCategory {
        id: id.to_owned(),
        name: name.to_owned(),
        status: RecordStatus::Active,
        options: list
            .into_iter()
            .map(|t| TrackingOption {
                id: t.id,
                name: t
                    .fully_qualified_name
                    .filter(|n| !n.is_empty())
                    .unwrap_or(t.name),
                status: status(t.active),
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
    fn accounts_and_tax_codes_map_to_ours() {
        let a: wire::Account = serde_json::from_value(json!({"Id": "2", "Name": "Card Clearing", "AcctNum": "1010",
            "Classification": "Asset", "AccountType": "Other Current Asset", "AccountSubType": "OtherCurrentAssets",
            "Active": false, "CurrencyRef": {"value": "USD"}})).unwrap();
        let a = account(a);
        assert_eq!(a.account_type, AccountType::Asset);
        assert_eq!(a.status, RecordStatus::Archived);
        assert!(a.payments_allowed && !a.is_bank_account);
        assert_eq!(
            a.fully_qualified_category.as_deref(),
            Some("Asset.OtherCurrentAssets")
        );
        let codes = vec![
            serde_json::from_value(json!({"Id": "3", "Name": "20.0% S", "Active": true,
            "SalesTaxRateList": {"TaxRateDetail": [{"TaxRateRef": {"value": "1"}}]}}))
            .unwrap(),
        ];
        let rates = vec![
            serde_json::from_value(json!({"Id": "1", "Name": "20.0% S (Sales)", "RateValue": 20}))
                .unwrap(),
        ];
        let t = tax_rates(codes, rates);
        assert_eq!(t[0].id, "3");
        assert_eq!(t[0].effective_rate, Some(Decimal::from(20)));
        let clearing = AccountPrototype {
            name: "Card Clearing".into(),
            account_type: AccountType::Asset,
            fully_qualified_category: Some("Asset.OtherCurrentAsset".into()),
            ..AccountPrototype::default()
        };
        assert_eq!(new_account(&clearing)["AccountType"], "Other Current Asset");
        let bank = AccountPrototype {
            is_bank_account: true,
            ..clearing
        };
        assert_eq!(account_type(&bank), "Bank");
    }
}
